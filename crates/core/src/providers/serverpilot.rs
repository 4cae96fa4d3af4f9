//! ServerPilot: mapped domains join the domain list of one app
//! (`WU_SERVER_PILOT_APP_ID`), and AutoSSL is turned on when it can be.
//!
//! The API replaces an app's whole list on every update, so one operation
//! is one read and at most one write, whatever the number of names.

use std::collections::HashSet;
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
/// A list longer than this did not come from ServerPilot (which keeps an app
/// under `MAX_DOMAINS`): it is refused before any work is done on it.
pub const MAX_LISTED: usize = 10 * MAX_DOMAINS;
/// Updates sent for one change, the first included, while another client's
/// concurrent update keeps undoing part of it.
pub const UPDATE_ROUNDS: usize = 3;

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
    target,
};

/// One app on one API.
fn target(values: &Values) -> Option<super::WriteTarget> {
    let (_, host) = api_base(values.get(API_URL).unwrap_or(DEFAULT_API_URL)).ok()?;
    let app = values.get(APP_ID)?.trim().to_string();
    Some(super::WriteTarget { identity: format!("{host}|{app}"), label: format!("ServerPilot app {app} on {host}") })
}

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
    /// The action `finish` waits for (with the `wait` option).
    pending_action: Mutex<Option<String>>,
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
        Ok(Box::new(ServerPilot {
            base,
            host,
            client_id,
            key,
            app_id,
            wait,
            http,
            last_app: Mutex::new(None),
            pending_action: Mutex::new(None),
        }))
    }

    /// Each of `segments` becomes exactly one path segment (percent-encoded).
    fn request(&self, method: Method, segments: &[&str], body: Option<Value>) -> Result<Request, ProviderError> {
        let mut url = Url::parse(&self.base)
            .map_err(|_| ProviderError::config(format!("{API_URL} does not make a valid address with {APP_ID}")))?;
        url.path_segments_mut()
            .map_err(|_| ProviderError::config(format!("{API_URL} does not make a valid address with {APP_ID}")))?
            .pop_if_empty()
            .extend(segments);
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
    fn call(&self, method: Method, path: &[&str], body: Option<Value>, target: Target) -> Result<Value, ProviderError> {
        let request = self.request(method, path, body)?;
        let response = http::send(&request, &self.http)?;
        if !response.is_success() {
            return Err(self.refusal(&response, target));
        }
        serde_json::from_str(&response.body).map_err(|_| unreadable(&response, "answer"))
    }

    fn read_app(&self) -> Result<App, ProviderError> {
        let value = self.call(Method::Get, &["apps", &self.app_id], None, Target::App)?;
        let app = serde_json::from_value::<Envelope<App>>(value).map(|e| e.data).map_err(|e| {
            ProviderError::new(ErrorKind::Api, format!("ServerPilot's app {} could not be read ({e}); check {API_URL}", self.app_id))
                .with_status(200)
        })?;
        if app.domains.len() > MAX_LISTED {
            return Err(ProviderError::new(
                ErrorKind::Api,
                format!(
                    "ServerPilot's app {} lists {} domains, far over ServerPilot's cap of {MAX_DOMAINS}: this answer was refused unread; check that {API_URL} points at the ServerPilot API",
                    self.app_id,
                    app.domains.len()
                ),
            )
            .with_status(200));
        }
        Ok(app)
    }

    /// Replaces the app's list; gives the panel's action id for the change
    /// (checked: it goes into a URL when waited for), when one is given.
    fn update_domains(&self, domains: &DomainList) -> Result<Result<Option<String>, ProviderError>, ProviderError> {
        let answer = self.call(Method::Post, &["apps", &self.app_id], Some(json!({ "domains": domains.to_vec() })), Target::App)?;
        Ok(action_id(&answer))
    }

    fn enable_autossl(&self) -> Result<(), ProviderError> {
        match self.call(Method::Post, &["apps", &self.app_id, "ssl"], Some(json!({ "auto": true })), Target::Ssl) {
            Ok(_) => Ok(()),
            // Already on (turned on by someone else since we looked).
            Err(e) if e.http_status == Some(409) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Reads an action until it is no longer `open` or the wait is over.
    fn wait_for(&self, id: &str, wait: Duration) -> Result<String, ProviderError> {
        let deadline = Instant::now() + wait;
        let mut pause = POLL_START;
        loop {
            let answer = self.call(Method::Get, &["actions", id], None, Target::Action(id))?;
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

    /// Reads the list back after an update. While another client's update,
    /// made at the same moment, has undone part of ours (a name we added is
    /// missing, one we removed is back), merges ours in again and resends, up
    /// to `UPDATE_ROUNDS` updates in all; then says what did not hold.
    /// Gives the last update's action id.
    fn converge(
        &self,
        mut action: Result<Option<String>, ProviderError>,
        added: &[String],
        removed: &[String],
    ) -> Result<Result<Option<String>, ProviderError>, ProviderError> {
        for round in 1..=UPDATE_ROUNDS {
            let app = self.read_app().map_err(|e| ProviderError {
                message: format!("the domain list was updated, but reading it back failed: {}", e.message),
                ..e
            })?;
            let mut list = DomainList::from_panel(&app.domains);
            let missing: Vec<&str> = added.iter().map(String::as_str).filter(|n| !list.contains(n)).collect();
            let back: Vec<&str> = removed.iter().map(String::as_str).filter(|n| list.contains(n)).collect();
            if missing.is_empty() && back.is_empty() {
                return Ok(action);
            }
            if round == UPDATE_ROUNDS {
                return Err(self.not_converged(&missing, &back));
            }
            for name in removed {
                list.remove(name);
            }
            for name in added {
                list.insert(name);
            }
            if !missing.is_empty() && list.len() > MAX_DOMAINS {
                return Err(self.over_cap(list.len()));
            }
            action = self.update_domains(&list)?;
        }
        unreachable!("the last round returns")
    }

    fn not_converged(&self, missing: &[&str], back: &[&str]) -> ProviderError {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("still lacks {}", some_names(missing)));
        }
        if !back.is_empty() {
            parts.push(format!("still has {}", some_names(back)));
        }
        ProviderError::new(
            ErrorKind::Api,
            format!(
                "another client kept changing the domain list of ServerPilot app {} at the same time: after {UPDATE_ROUNDS} updates it {}. Run the operation again; if this keeps happening, make sure one system alone manages this app's domains",
                self.app_id,
                parts.join(" and ")
            ),
        )
        .with_code("conflict")
    }

    fn over_cap(&self, would_have: usize) -> ProviderError {
        ProviderError::new(
            ErrorKind::Limit,
            format!(
                "ServerPilot allows at most {MAX_DOMAINS} domains per app and app {} would have {would_have}: remove unused domains from it, or serve more sites from another app",
                self.app_id
            ),
        )
    }

    /// After a 409 on an update: the conflict is harmless when the app
    /// already looks as the plan wants; otherwise it is reported.
    fn settle_conflict(&self, plan: &Plan, conflict: ProviderError) -> Applied {
        let app = match self.read_app() {
            Ok(app) => app,
            Err(e) => return Applied::failure(e),
        };
        let list = DomainList::from_panel(&app.domains);
        let has = |n: &HostName| list.contains(n.as_str());
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
        let mut list = DomainList::from_panel(&app.domains);
        let mut changes = Vec::with_capacity(plan.remove.len() + plan.add.len());
        for name in &plan.remove {
            let action = if list.remove(name.as_str()) { Action::Removed } else { Action::AlreadyAbsent };
            changes.push(Change::new(name, action));
        }
        for name in &plan.add {
            let action = if list.insert(name.as_str()) { Action::Added } else { Action::AlreadyPresent };
            changes.push(Change::new(name, action));
        }
        let names_with = |action| changes.iter().filter(|c| c.action == action).map(|c| c.name.clone()).collect::<Vec<String>>();
        let (added, removed) = (names_with(Action::Added), names_with(Action::Removed));
        if added.is_empty() && removed.is_empty() {
            return Applied { changes, ..Applied::default() };
        }
        if !added.is_empty() && list.len() > MAX_DOMAINS {
            return Applied::failure(self.over_cap(list.len()));
        }

        let action = match self.update_domains(&list) {
            Ok(action) => action,
            Err(e) if e.http_status == Some(409) => return self.settle_conflict(plan, e),
            Err(e) => return Applied::failure(e),
        };
        let action = match self.converge(action, &added, &removed) {
            Ok(done) => done,
            // The first update went through: what it did is reported with the error.
            Err(e) => return Applied { changes, error: Some(e), ..Applied::default() },
        };
        let mut applied = Applied { changes, ..Applied::default() };
        match action {
            Ok(Some(id)) => {
                for change in applied.changes.iter_mut().filter(|c| matches!(c.action, Action::Added | Action::Removed)) {
                    change.action_id = Some(id.clone());
                }
                if self.wait.is_some() {
                    *self.pending_action.lock().unwrap_or_else(|p| p.into_inner()) = Some(id);
                }
            }
            Ok(None) => {}
            Err(e) => applied.error = Some(e),
        }
        if !added.is_empty() && applied.error.is_none() && app.wants_autossl() {
            if let Err(e) = self.enable_autossl() {
                applied.error = Some(ProviderError {
                    message: format!("the domains were updated, but AutoSSL could not be turned on: {}", e.message),
                    ..e
                });
            }
        }
        applied
    }

    /// Waits for the update's action (the `wait` option), after the app's
    /// lock is released so other writers need not wait too.
    fn finish(&self, applied: &mut Applied) {
        let pending = self.pending_action.lock().unwrap_or_else(|p| p.into_inner()).take();
        let (Some(id), Some(wait)) = (pending, self.wait) else { return };
        let status = match self.wait_for(&id, wait) {
            Ok(status) => status,
            Err(e) => {
                applied.error.get_or_insert(e);
                return;
            }
        };
        if status == "error" {
            applied.error.get_or_insert(ProviderError::new(
                ErrorKind::Api,
                format!("ServerPilot accepted the new domain list of app {} but its action {id} ended in error; check the app in the ServerPilot dashboard", self.app_id),
            ));
        }
        for change in applied.changes.iter_mut().filter(|c| c.action_id.as_deref() == Some(id.as_str())) {
            change.action_status = Some(status.clone());
        }
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

/// The `actionid` of an answer, when there is one; one that is not a plain
/// id is an error (it would go into a URL).
fn action_id(answer: &Value) -> Result<Option<String>, ProviderError> {
    match answer.get("actionid") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(id)) => super::panel_id("ServerPilot", "actionid", id, super::IdShape::Token).map(|id| Some(id.to_string())),
        Some(other) => Err(ProviderError::new(
            ErrorKind::Api,
            format!("ServerPilot answered an actionid that is not a string ('{}'), so it was not used", printable(&other.to_string())),
        )),
    }
}

/// Up to five names, then how many more.
fn some_names(names: &[&str]) -> String {
    let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    match names.len() {
        n if n > 5 => format!("{shown} and {} more", n - 5),
        _ => shown,
    }
}

/// An app's domain list without duplicates, in the panel's order, with
/// lookups by normalised name: work stays linear in the list's length.
#[derive(Debug, Clone, Default)]
struct DomainList {
    /// As the panel spells them; removed ones are filtered out by `to_vec`.
    names: Vec<String>,
    /// Normalised names currently in the list.
    index: HashSet<String>,
}

impl DomainList {
    fn from_panel(domains: &[String]) -> Self {
        let mut list = DomainList { names: Vec::with_capacity(domains.len()), index: HashSet::with_capacity(domains.len()) };
        for d in domains {
            if !d.trim().is_empty() {
                list.insert(d);
            }
        }
        list
    }

    fn contains(&self, name: &str) -> bool {
        self.index.contains(&normalise(name))
    }

    /// False when it was there already.
    fn insert(&mut self, name: &str) -> bool {
        let inserted = self.index.insert(normalise(name));
        if inserted {
            self.names.push(name.to_string());
        }
        inserted
    }

    /// False when it was not there.
    fn remove(&mut self, name: &str) -> bool {
        self.index.remove(&normalise(name))
    }

    fn len(&self) -> usize {
        self.index.len()
    }

    fn to_vec(&self) -> Vec<String> {
        let mut seen = HashSet::with_capacity(self.index.len());
        self.names
            .iter()
            .filter(|d| {
                let n = normalise(d);
                self.index.contains(&n) && seen.insert(n)
            })
            .cloned()
            .collect()
    }
}

fn normalise(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_ascii_lowercase()
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
    fn the_domain_list_compares_names_without_case_or_trailing_dot_and_keeps_one_of_each() {
        let panel: Vec<String> = ["A.example", "a.example.", "b.example", " ", "WWW.Customer.Example."].map(String::from).to_vec();
        let mut list = DomainList::from_panel(&panel);
        assert_eq!(list.to_vec(), ["A.example", "b.example", "WWW.Customer.Example."]);
        assert!(list.contains("www.customer.example"));
        assert!(!list.contains("customer.example"));
        assert!(!list.insert("a.example"), "already there");
        assert!(list.remove("a.EXAMPLE"));
        assert!(!list.remove("a.example"), "already gone");
        assert!(list.insert("a.example"));
        // Back in, once, where it was.
        assert_eq!(list.to_vec(), ["A.example", "b.example", "WWW.Customer.Example."]);
        assert_eq!(list.len(), 3);
    }

    #[test]
    fn action_ids_must_be_plain_ids() {
        assert_eq!(action_id(&json!({"actionid": "sbxaction0000001"})).unwrap().as_deref(), Some("sbxaction0000001"));
        assert_eq!(action_id(&json!({})).unwrap(), None);
        for bad in [json!("../../x/y?z=1"), json!(".."), json!(""), json!(7), json!({"a": 1})] {
            let err = action_id(&json!({ "actionid": bad })).unwrap_err();
            assert!(err.message.contains("actionid"), "{}", err.message);
        }
    }
}
