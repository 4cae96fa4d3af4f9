//! ServerPilot's API: JSON over HTTPS with Basic auth (client id and key),
//! answers wrapped in `{"data": …}`, errors as `{"error": {"message": …}}`.

use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use super::{API_KEY, API_URL, APP_ID, CLIENT_ID, DEFAULT_API_URL, MAX_DOMAINS, MAX_LISTED};
use crate::domain::printable;
use crate::error::{ErrorKind, ProviderError};
use crate::http::{self, Auth, Body, HttpSettings, Method, Request, Response};
use crate::providers::{panel_id, IdShape};
use crate::secret::Secret;

/// The parts of an app we act on.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct App {
    pub domains: Vec<String>,
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
    pub fn wants_autossl(&self) -> bool {
        self.autossl.as_ref().is_some_and(|a| a.available) && self.ssl.is_null()
    }
}

/// What an update of the domain list answered.
pub(super) struct Updated {
    /// The panel's action id for the change, if it gave one.
    pub action: Result<Option<String>, ProviderError>,
    /// The app's list after the update, when the answer carries it: the
    /// read-back, without a second request.
    pub stored: Option<Vec<String>>,
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
enum Subject<'a> {
    App,
    Ssl,
    Action(&'a str),
}

/// One app of one account on one API.
pub(super) struct Client {
    base: Url,
    client_id: String,
    key: Secret,
    pub app_id: String,
    http: HttpSettings,
}

impl Client {
    pub fn new(base: Url, client_id: String, key: Secret, app_id: String, http: HttpSettings) -> Self {
        Client { base, client_id, key, app_id, http }
    }

    /// Each of `segments` becomes exactly one path segment (percent-encoded).
    fn request(&self, method: Method, segments: &[&str], body: Option<Value>) -> Result<Request, ProviderError> {
        let mut url = self.base.clone();
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
    fn call(&self, method: Method, path: &[&str], body: Option<Value>, subject: Subject) -> Result<Value, ProviderError> {
        let response = self.answer(method, path, body, subject)?;
        serde_json::from_str(&response.body).map_err(|_| unreadable(&response, "answer"))
    }

    /// Sends a request and returns a 2xx answer.
    fn answer(&self, method: Method, path: &[&str], body: Option<Value>, subject: Subject) -> Result<Response, ProviderError> {
        let request = self.request(method, path, body)?;
        let response = http::send(&request, &self.http)?;
        if !response.is_success() {
            return Err(self.refusal(&response, subject));
        }
        Ok(response)
    }

    pub fn read_app(&self) -> Result<App, ProviderError> {
        let response = self.answer(Method::Get, &["apps", &self.app_id], None, Subject::App)?;
        // Read straight into the app; only an answer that is not one takes
        // the slow way, which tells JSON of another shape from no JSON at all.
        let app = match serde_json::from_str::<Envelope<App>>(&response.body) {
            Ok(envelope) => envelope.data,
            Err(_) => {
                let value: Value = serde_json::from_str(&response.body).map_err(|_| unreadable(&response, "answer"))?;
                serde_json::from_value::<Envelope<App>>(value).map(|e| e.data).map_err(|e| {
                    ProviderError::new(ErrorKind::Api, format!("ServerPilot's app {} could not be read ({e}); check {API_URL}", self.app_id))
                        .with_status(200)
                })?
            }
        };
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
    /// (checked: it goes into a URL when waited for), when one is given,
    /// and the list as the panel stored it, when the answer carries the app.
    pub fn update_domains(&self, domains: Vec<String>) -> Result<Updated, ProviderError> {
        let answer = self.call(Method::Post, &["apps", &self.app_id], Some(json!({ "domains": domains })), Subject::App)?;
        let stored = answer
            .get("data")
            .and_then(|data| data.get("domains"))
            .and_then(|d| serde_json::from_value::<Vec<String>>(d.clone()).ok())
            .filter(|d| d.len() <= MAX_LISTED);
        Ok(Updated { action: action_id(&answer), stored })
    }

    pub fn enable_autossl(&self) -> Result<(), ProviderError> {
        match self.call(Method::Post, &["apps", &self.app_id, "ssl"], Some(json!({ "auto": true })), Subject::Ssl) {
            Ok(_) => Ok(()),
            // Already on (turned on by someone else since we looked).
            Err(e) if e.http_status == Some(409) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// An action's status (`open`, `success`, `error`).
    pub fn action_status(&self, id: &str) -> Result<String, ProviderError> {
        let answer = self.call(Method::Get, &["actions", id], None, Subject::Action(id))?;
        serde_json::from_value::<Envelope<ActionData>>(answer)
            .map(|e| e.data.status)
            .map_err(|e| ProviderError::new(ErrorKind::Api, format!("ServerPilot's action {id} could not be read ({e})")).with_status(200))
    }

    /// An answer other than 2xx, by status.
    fn refusal(&self, response: &Response, subject: Subject) -> ProviderError {
        let status = response.status;
        let said = panel_message(response);
        let answer = said.as_deref().map(|m| format!(" ServerPilot said: {m}")).unwrap_or_default();
        let (kind, message) = match (status, subject) {
            (401, _) => (
                ErrorKind::Auth,
                format!("ServerPilot refused the credentials: check {CLIENT_ID} and {API_KEY} (Account → API in the ServerPilot dashboard).{answer}"),
            ),
            (402 | 403, _) => (
                ErrorKind::Auth,
                format!("ServerPilot refused API access (HTTP {status}): the API needs a paid plan with a valid payment card on the account; check the plan and billing in the ServerPilot dashboard.{answer}"),
            ),
            (404, Subject::App | Subject::Ssl) => {
                let hint = if said.is_none() { format!(", or {API_URL} is not the ServerPilot API ({})", self.base_text()) } else { String::new() };
                (
                    ErrorKind::NotFound,
                    format!("{APP_ID} '{}' is not an app of this ServerPilot account{hint}: copy the id from the app's address, https://manage.serverpilot.io/apps/APP_ID.{answer}", self.app_id),
                )
            }
            (404, Subject::Action(id)) => (ErrorKind::Api, format!("ServerPilot does not know its own action {id}.{answer}")),
            (400..=499, _) => (ErrorKind::Api, format!("ServerPilot refused the request (HTTP {status}).{answer}")),
            (500..=599, _) => (ErrorKind::Http, format!("ServerPilot failed with HTTP {status}; try again later.{answer}")),
            _ => (
                ErrorKind::Http,
                format!(
                    "unexpected HTTP {status} from {}: check that {API_URL} is the ServerPilot API. Answer: {}",
                    http::host_of(&self.base),
                    response.excerpt()
                ),
            ),
        };
        ProviderError::new(kind, message.trim_end().to_string()).with_status(status)
    }

    /// The base address as configured (without the `/` a bare host gets).
    fn base_text(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }
}

/// `WU_SERVER_PILOT_API_URL` without trailing `/`, checked.
pub(super) fn api_base(raw: &str) -> Result<Url, ProviderError> {
    http::panel_url(
        API_URL,
        raw.trim().trim_end_matches('/'),
        &format!("leave it undefined for {DEFAULT_API_URL}, or give a full http(s) address"),
        &format!("set {CLIENT_ID} and {API_KEY} instead"),
    )
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
        Some(Value::String(id)) => panel_id("ServerPilot", "actionid", id, IdShape::Token).map(|id| Some(id.to_string())),
        Some(other) => Err(ProviderError::new(
            ErrorKind::Api,
            format!("ServerPilot answered an actionid that is not a string ('{}'), so it was not used", printable(&other.to_string())),
        )),
    }
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
            assert_eq!(api_base(raw).unwrap().as_str(), want, "{raw}");
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
    fn action_ids_must_be_plain_ids() {
        assert_eq!(action_id(&json!({"actionid": "sbxaction0000001"})).unwrap().as_deref(), Some("sbxaction0000001"));
        assert_eq!(action_id(&json!({})).unwrap(), None);
        for bad in [json!("../../x/y?z=1"), json!(".."), json!(""), json!(7), json!({"a": 1})] {
            let err = action_id(&json!({ "actionid": bad })).unwrap_err();
            assert!(err.message.contains("actionid"), "{}", err.message);
        }
    }
}
