//! ServerPilot: mapped domains join the domain list of one app
//! (`WU_SERVER_PILOT_APP_ID`), and AutoSSL is turned on when it can be.
//!
//! The API replaces an app's whole list on every update, so one operation
//! is one read and at most one write, whatever the number of names.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use super::{Action, Applied, Change, Inventory, Plan, Provider, ProviderSpec};
use crate::config::{Setting, Values};
use crate::domain::{printable, HostName};
use crate::error::{ErrorKind, ProviderError};
use crate::http::{self, Auth, Body, HttpSettings, Method, Request, Response};
use crate::ops::Options;
use crate::secret::Secret;

pub const CLIENT_ID: &str = "WU_SERVER_PILOT_CLIENT_ID";
pub const API_KEY: &str = "WU_SERVER_PILOT_API_KEY";
pub const APP_ID: &str = "WU_SERVER_PILOT_APP_ID";
pub const API_URL: &str = "WU_SERVER_PILOT_API_URL";

pub const DEFAULT_API_URL: &str = "https://api.serverpilot.io/v1";
/// ServerPilot accepts at most this many domains per app.
pub const MAX_DOMAINS: usize = 300;

/// First pause between reads of an action; it doubles up to `POLL_MAX`, so
/// short actions are seen quickly and long ones do not flood the API.
const POLL_START: Duration = Duration::from_millis(250);
const POLL_MAX: Duration = Duration::from_secs(2);
/// Upper bound of the `wait` option, whatever the caller passes.
const WAIT_MAX: Duration = Duration::from_secs(3600);

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "serverpilot",
    title: "ServerPilot",
    settings: &[
        Setting::required(CLIENT_ID, "Client ID from the ServerPilot dashboard (Account → API)."),
        Setting::required(API_KEY, "API key shown with the Client ID.").secret(),
        Setting::required(APP_ID, "Id of the app serving WordPress, as in https://manage.serverpilot.io/apps/APP_ID."),
        Setting::optional(API_URL, DEFAULT_API_URL, "API base address; change it only for staging or tests."),
    ],
    default_timeout: Duration::from_secs(45),
    build: ServerPilot::build,
    mode: super::single_mode,
};

/// The parts of an app we act on.
#[derive(Debug, Clone, Deserialize)]
struct App {
    domains: Vec<String>,
    #[serde(default)]
    ssl: Value,
    #[serde(default)]
    autossl: Option<AutoSsl>,
}

#[derive(Debug, Clone, Deserialize)]
struct AutoSsl {
    #[serde(default)]
    available: bool,
}

impl App {
    /// AutoSSL can be turned on only when offered and no certificate is
    /// installed: `ssl` holds the custom certificate, or `{"auto":true,…}`
    /// once AutoSSL is on, so a non-null `ssl` means there is nothing to do.
    fn wants_autossl(&self) -> bool {
        self.autossl.as_ref().is_some_and(|a| a.available) && self.ssl.is_null()
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

#[derive(Deserialize)]
struct ActionData {
    status: String,
}

/// What a request was about, to word its errors.
#[derive(Clone, Copy)]
enum Target<'a> {
    App,
    Ssl,
    Action(&'a str),
}

pub struct ServerPilot {
    /// Base URL without a trailing `/`.
    base: String,
    /// `host:port` of the base, for messages.
    host: String,
    client_id: String,
    key: Secret,
    app_id: String,
    wait: Option<Duration>,
    http: HttpSettings,
    /// The app as `inventory` read it, so `apply` needs no second read.
    last_app: Mutex<Option<App>>,
}

impl ServerPilot {
    fn build(values: &Values, options: &Options) -> Result<Box<dyn Provider>, ProviderError> {
        let client_id = values.require(CLIENT_ID)?.trim().to_string();
        if client_id.is_empty() || client_id.chars().any(|c| c == ':' || c.is_whitespace() || c.is_control()) {
            return Err(ProviderError::config(format!(
                "{CLIENT_ID} must be the Client ID from Account → API (no spaces or ':'), got '{}'",
                printable(&client_id)
            )));
        }
        let key = values.secret(API_KEY).cloned().ok_or_else(|| ProviderError::config(format!("{API_KEY} is not defined")))?;
        let app_id = values.require(APP_ID)?.trim().to_string();
        if app_id.is_empty() || !app_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(ProviderError::config(format!(
                "{APP_ID} must be an app id (letters and digits, as in https://manage.serverpilot.io/apps/APP_ID), got '{}'",
                printable(&app_id)
            )));
        }
        let (base, host) = api_base(values.get(API_URL).unwrap_or(DEFAULT_API_URL))?;
        let wait = options.wait.filter(|s| *s > 0).map(|s| Duration::from_secs(s).min(WAIT_MAX));
        let http = HttpSettings::from_values(values, SPEC.default_timeout)?;
        Ok(Box::new(ServerPilot { base, host, client_id, key, app_id, wait, http, last_app: Mutex::new(None) }))
    }

    fn request(&self, method: Method, path: &str, body: Option<Value>) -> Result<Request, ProviderError> {
        let url = Url::parse(&format!("{}/{path}", self.base))
            .map_err(|_| ProviderError::config(format!("{API_URL} does not make a valid address with {APP_ID}")))?;
        let mut request = Request::new(method, url);
        request.auth = Auth::Basic(self.client_id.clone(), self.key.clone());
        // Every write here replaces state with the same value when repeated.
        request.retry_safe = true;
        if let Some(body) = body {
            request.body = Body::Json(body);
        }
        Ok(request)
    }

    /// Sends a request and returns the parsed JSON of a 2xx answer.
    fn call(&self, method: Method, path: &str, body: Option<Value>, target: Target) -> Result<Value, ProviderError> {
        let request = self.request(method, path, body)?;
        let response = http::send(&request, &self.http)?;
        if !response.is_success() {
            return Err(self.refusal(&response, target));
        }
        serde_json::from_str(&response.body).map_err(|_| unreadable(&response, "answer"))
    }

    fn read_app(&self) -> Result<App, ProviderError> {
        let path = format!("apps/{}", self.app_id);
        let value = self.call(Method::Get, &path, None, Target::App)?;
        serde_json::from_value::<Envelope<App>>(value).map(|e| e.data).map_err(|e| {
            ProviderError::new(ErrorKind::Api, format!("ServerPilot's app {} could not be read ({e}); check {API_URL}", self.app_id))
                .with_status(200)
        })
    }

    /// Replaces the app's list; returns the action id when one is given.
    fn update_domains(&self, domains: &[String]) -> Result<Option<String>, ProviderError> {
        let path = format!("apps/{}", self.app_id);
        let answer = self.call(Method::Post, &path, Some(json!({ "domains": domains })), Target::App)?;
        Ok(action_id(&answer))
    }

    fn enable_autossl(&self) -> Result<Option<String>, ProviderError> {
        let path = format!("apps/{}/ssl", self.app_id);
        match self.call(Method::Post, &path, Some(json!({ "auto": true })), Target::Ssl) {
            Ok(answer) => Ok(action_id(&answer)),
            // Already on (turned on by someone else since we looked).
            Err(e) if e.http_status == Some(409) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Reads an action until it is no longer `open` or the wait is over.
    fn wait_for(&self, id: &str, wait: Duration) -> Result<String, ProviderError> {
        let deadline = Instant::now() + wait;
        let mut pause = POLL_START;
        loop {
            let answer = self.call(Method::Get, &format!("actions/{id}"), None, Target::Action(id))?;
            let status = serde_json::from_value::<Envelope<ActionData>>(answer)
                .map(|e| e.data.status)
                .map_err(|e| ProviderError::new(ErrorKind::Api, format!("ServerPilot's action {id} could not be read ({e})")).with_status(200))?;
            let now = Instant::now();
            if status != "open" || now >= deadline {
                return Ok(status);
            }
            std::thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(POLL_MAX);
        }
    }

    /// The app `inventory` just read, or a fresh read.
    fn current_app(&self) -> Result<App, ProviderError> {
        let cached = self.last_app.lock().unwrap_or_else(|p| p.into_inner()).take();
        match cached {
            Some(app) => Ok(app),
            None => self.read_app(),
        }
    }

    /// An answer other than 2xx, by status.
    fn refusal(&self, response: &Response, target: Target) -> ProviderError {
        let status = response.status;
        let said = panel_message(response);
        let answer = said.as_deref().map(|m| format!(" ServerPilot said: {m}")).unwrap_or_default();
        let (kind, message) = match (status, target) {
            (401, _) => (
                ErrorKind::Auth,
                format!("ServerPilot refused the credentials: check {CLIENT_ID} and {API_KEY} (Account → API in the ServerPilot dashboard).{answer}"),
            ),
            (402 | 403, _) => (
                ErrorKind::Auth,
                format!("ServerPilot refused API access (HTTP {status}): the API needs a paid plan with a valid payment card on the account; check the plan and billing in the ServerPilot dashboard.{answer}"),
            ),
            (404, Target::App | Target::Ssl) => {
                let hint = if said.is_none() { format!(", or {API_URL} is not the ServerPilot API ({})", self.base) } else { String::new() };
                (
                    ErrorKind::NotFound,
                    format!("{APP_ID} '{}' is not an app of this ServerPilot account{hint}: copy the id from the app's address, https://manage.serverpilot.io/apps/APP_ID.{answer}", self.app_id),
                )
            }
            (404, Target::Action(id)) => (ErrorKind::Api, format!("ServerPilot does not know its own action {id}.{answer}")),
            (400..=499, _) => (ErrorKind::Api, format!("ServerPilot refused the request (HTTP {status}).{answer}")),
            (500..=599, _) => (ErrorKind::Http, format!("ServerPilot failed with HTTP {status}; try again later.{answer}")),
            _ => (
                ErrorKind::Http,
                format!("unexpected HTTP {status} from {}: check that {API_URL} is the ServerPilot API. Answer: {}", self.host, response.excerpt()),
            ),
        };
        ProviderError::new(kind, message.trim_end().to_string()).with_status(status)
    }

    /// After a 409 on an update: the conflict is harmless when the app
    /// already looks as the plan wants; otherwise it is reported.
    fn settle_conflict(&self, plan: &Plan, conflict: ProviderError) -> Applied {
        let app = match self.read_app() {
            Ok(app) => app,
            Err(e) => return Applied::failure(e),
        };
        let has = |n: &HostName| app.domains.iter().any(|d| same(d, n.as_str()));
        if plan.add.iter().all(has) && !plan.remove.iter().any(has) {
            let mut changes: Vec<Change> = plan.remove.iter().map(|n| Change::new(n, Action::AlreadyAbsent)).collect();
            changes.extend(plan.add.iter().map(|n| Change::new(n, Action::AlreadyPresent)));
            Applied { changes, ..Applied::default() }
        } else {
            Applied::failure(conflict)
        }
    }
}

impl Provider for ServerPilot {
    fn inventory(&self) -> Result<Inventory, ProviderError> {
        let app = self.read_app()?;
        let names = app.domains.iter().map(|d| (normalise(d), None)).filter(|(d, _)| !d.is_empty()).collect();
        *self.last_app.lock().unwrap_or_else(|p| p.into_inner()) = Some(app);
        Ok(Inventory { names, ..Inventory::default() })
    }

    fn apply(&self, plan: &Plan, _inventory: &Inventory) -> Applied {
        let app = match self.current_app() {
            Ok(app) => app,
            Err(e) => return Applied::failure(e),
        };
        // Duplicates left by earlier clients are dropped while we are here.
        let mut list: Vec<String> = Vec::with_capacity(app.domains.len() + plan.add.len());
        for d in &app.domains {
            if !d.trim().is_empty() && !list.iter().any(|x| same(x, d)) {
                list.push(d.clone());
            }
        }
        let mut changes = Vec::new();
        let mut touched = false;
        for name in &plan.remove {
            let before = list.len();
            list.retain(|d| !same(d, name.as_str()));
            let action = if list.len() < before { Action::Removed } else { Action::AlreadyAbsent };
            touched |= action == Action::Removed;
            changes.push(Change::new(name, action));
        }
        let mut added = false;
        for name in &plan.add {
            let action = if list.iter().any(|d| same(d, name.as_str())) {
                Action::AlreadyPresent
            } else {
                list.push(name.to_string());
                added = true;
                Action::Added
            };
            changes.push(Change::new(name, action));
        }
        touched |= added;
        if !touched {
            return Applied { changes, ..Applied::default() };
        }
        if added && list.len() > MAX_DOMAINS {
            return Applied {
                changes: vec![],
                failed: vec![],
                error: Some(ProviderError::new(
                    ErrorKind::Limit,
                    format!(
                        "ServerPilot allows at most {MAX_DOMAINS} domains per app and app {} would have {}: remove unused domains from it, or serve more sites from another app",
                        self.app_id,
                        list.len()
                    ),
                )),
            };
        }

        let action = match self.update_domains(&list) {
            Ok(action) => action,
            Err(e) if e.http_status == Some(409) => return self.settle_conflict(plan, e),
            Err(e) => return Applied::failure(e),
        };
        let mut applied = Applied { changes, ..Applied::default() };
        if let Some(id) = &action {
            let status = match self.wait {
                None => None,
                Some(wait) => match self.wait_for(id, wait) {
                    Ok(status) => Some(status),
                    Err(e) => {
                        applied.error = Some(e);
                        None
                    }
                },
            };
            if status.as_deref() == Some("error") {
                applied.error = Some(ProviderError::new(
                    ErrorKind::Api,
                    format!("ServerPilot accepted the new domain list of app {} but its action {id} ended in error; check the app in the ServerPilot dashboard", self.app_id),
                ));
            }
            for change in applied.changes.iter_mut().filter(|c| matches!(c.action, Action::Added | Action::Removed)) {
                change.action_id = Some(id.clone());
                change.action_status = status.clone();
            }
        }
        if added && applied.error.is_none() && app.wants_autossl() {
            if let Err(e) = self.enable_autossl() {
                applied.error = Some(ProviderError {
                    message: format!("the domains were updated, but AutoSSL could not be turned on: {}", e.message),
                    ..e
                });
            }
        }
        applied
    }

    fn test_connection(&self) -> Result<(), ProviderError> {
        self.read_app().map(|_| ())
    }
}

/// `WU_SERVER_PILOT_API_URL` without trailing `/`, checked, and its `host:port`.
fn api_base(raw: &str) -> Result<(String, String), ProviderError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = http::panel_url(
        API_URL,
        trimmed,
        &format!("leave it undefined for {DEFAULT_API_URL}, or give a full http(s) address"),
        &format!("set {CLIENT_ID} and {API_KEY} instead"),
    )?;
    Ok((trimmed.to_string(), http::host_of(&url)))
}

/// The message of a `{"error":{"message":…}}` body.
fn panel_message(response: &Response) -> Option<String> {
    let value: Value = serde_json::from_str(&response.body).ok()?;
    let message = value.get("error")?.get("message")?.as_str()?.trim();
    (!message.is_empty()).then(|| printable(&message.chars().take(300).collect::<String>()))
}

fn unreadable(response: &Response, what: &str) -> ProviderError {
    ProviderError::new(ErrorKind::Api, format!("ServerPilot's {what} is not JSON: {}", response.excerpt())).with_status(response.status)
}

fn action_id(answer: &Value) -> Option<String> {
    answer.get("actionid").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}

fn normalise(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Host names compare without case or a trailing dot.
fn same(a: &str, b: &str) -> bool {
    normalise(a) == normalise(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_url_loses_trailing_slashes_and_must_be_plain_http() {
        let good = [
            ("https://api.serverpilot.io/v1", "https://api.serverpilot.io/v1"),
            ("https://api.serverpilot.io/v1/", "https://api.serverpilot.io/v1"),
            ("  http://127.0.0.1:8080/v1//  ", "http://127.0.0.1:8080/v1"),
        ];
        for (raw, want) in good {
            assert_eq!(api_base(raw).unwrap().0, want, "{raw}");
        }
        for raw in ["api.serverpilot.io/v1", "ftp://x.example", "https://cid:key@x.example/v1", "https://x.example/v1?a=1", "nope"] {
            let err = api_base(raw).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Config, "{raw}");
            assert!(err.message.contains(API_URL), "{raw}: {}", err.message);
            assert!(!err.message.contains("key@"), "{}", err.message);
        }
    }

    #[test]
    fn autossl_is_wanted_only_when_offered_and_no_certificate_is_installed() {
        let cases = [
            (json!({"domains": [], "ssl": null, "autossl": {"available": true}}), true),
            (json!({"domains": [], "ssl": null, "autossl": {"available": false}}), false),
            (json!({"domains": [], "ssl": null}), false),
            (json!({"domains": [], "ssl": {"auto": true}, "autossl": {"available": true}}), false),
            (json!({"domains": [], "ssl": {"auto": false, "cert": "PEM"}, "autossl": {"available": true}}), false),
        ];
        for (app, want) in cases {
            let parsed: App = serde_json::from_value(app.clone()).unwrap();
            assert_eq!(parsed.wants_autossl(), want, "{app}");
        }
    }

    #[test]
    fn names_compare_without_case_or_trailing_dot() {
        assert!(same("WWW.Customer.Example.", "www.customer.example"));
        assert!(!same("customer.example", "www.customer.example"));
    }
}
