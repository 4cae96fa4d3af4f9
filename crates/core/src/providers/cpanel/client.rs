//! cPanel's two APIs as this panel uses them: UAPI (`/execute/Module/func`,
//! answering `{"status": 1|0, "errors": […], "data": …}`) and cPanel API 2
//! (`/json-api/cpanel?cpanel_jsonapi_module=…`, answering
//! `{"cpanelresult": {"data": [{"result": 1|0, "reason": …}], "error": …}}`).
//! Both answer HTTP 200 when the function failed; only the body says so.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use url::Url;

use super::{API_TOKEN, DEFAULT_PORT, HOST, PASSWORD, PORT, USERNAME};
use crate::domain::printable;

/// cPanel's words for a message: control characters as spaces, at most 300 characters.
fn words_of(text: &str) -> String {
    let clean: String = text.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let short: String = clean.chars().take(300).collect();
    if clean.chars().count() > 300 { format!("{}…", short.trim_end()) } else { short.trim_end().to_string() }
}
use crate::error::{ErrorKind, ProviderError};
use crate::http::{self, Auth, HttpSettings, Method, Request, Response};
use crate::secret::Secret;

/// How requests prove who they are.
pub(super) enum Credentials {
    /// `Authorization: cpanel USER:TOKEN`.
    Token(Secret),
    /// HTTP Basic with the account's password (never in the URL).
    Password(Secret),
}

/// One cPanel account on one server.
pub(super) struct Client {
    pub base: Url,
    pub user: String,
    pub credentials: Credentials,
    pub http: HttpSettings,
}

/// What a function answered: whether it worked, and cPanel's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outcome {
    pub ok: bool,
    /// The errors (or, on success, the reason/messages) as cPanel wrote them.
    pub words: String,
}

/// UAPI's answer (`/execute` gives it bare; WHM's proxy wraps it in
/// `result`). `data` stays the text it was, for the caller to read into its
/// own type in one pass.
#[derive(Deserialize)]
struct Uapi {
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    errors: Option<Vec<Value>>,
    #[serde(default)]
    messages: Option<Vec<Value>>,
    #[serde(default)]
    data: Option<Box<RawValue>>,
    /// The wrapped form's answer.
    #[serde(default)]
    result: Option<Box<RawValue>>,
}

/// A UAPI function's `data`, as the panel wrote it.
pub(super) struct UapiData(Option<Box<RawValue>>);

impl UapiData {
    /// Reads it as `T` (`null` when the answer had none).
    pub fn read<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.0.as_deref().map_or("null", RawValue::get))
    }
}

/// API 2's answer.
#[derive(Deserialize)]
struct Api2Envelope {
    cpanelresult: Api2,
}

#[derive(Deserialize)]
struct Api2 {
    #[serde(default)]
    data: Value,
    #[serde(default)]
    error: Option<String>,
}

/// `DomainInfo::domains_data` (format `hash`): the account's web virtual
/// hosts. An addon domain's entry is its subdomain's, renamed: `servername`
/// stays `label.<main domain>`, which gives the key deletion needs.
#[derive(Deserialize, Debug, Clone, Default)]
pub(super) struct DomainsData {
    pub main_domain: VhostEntry,
    #[serde(default)]
    pub addon_domains: Vec<VhostEntry>,
    #[serde(default)]
    pub sub_domains: Vec<VhostEntry>,
    #[serde(default)]
    pub parked_domains: Vec<String>,
}

#[derive(Deserialize, Debug, Clone, Default)]
pub(super) struct VhostEntry {
    pub domain: String,
    #[serde(default)]
    pub documentroot: String,
    #[serde(default)]
    pub homedir: String,
    #[serde(default)]
    pub servername: String,
}

/// Truthy the ways cPanel writes it (`1`, `"1"`).
fn truthy(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => s.trim() == "1",
        Value::Bool(b) => *b,
        _ => false,
    }
}

fn texts(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .map(|s| words_of(&s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads a UAPI body; `None` when it is not one.
pub(super) fn read_uapi(body: &str) -> Option<(Outcome, UapiData)> {
    let outer: Uapi = serde_json::from_str(body.trim()).ok()?;
    let uapi = match &outer.result {
        Some(inner) if outer.status.is_none() && inner.get().starts_with('{') => serde_json::from_str(inner.get()).ok()?,
        _ => outer,
    };
    let ok = truthy(uapi.status.as_ref()?);
    let words = if ok { texts(uapi.messages.as_deref().unwrap_or_default()) } else { texts(uapi.errors.as_deref().unwrap_or_default()) };
    Some((Outcome { ok, words: words.join(" ") }, UapiData(uapi.data)))
}

/// Reads an API 2 body; `None` when it is not one. A function failed when
/// its first data entry's `result` is not 1 or the envelope has an `error`.
pub(super) fn read_api2(body: &str) -> Option<Outcome> {
    let envelope: Api2Envelope = serde_json::from_str(body.trim()).ok()?;
    let api2 = envelope.cpanelresult;
    let entry = match &api2.data {
        Value::Array(items) => items.first().cloned(),
        Value::Object(_) => Some(api2.data.clone()),
        _ => None,
    };
    let result = entry.as_ref().and_then(|e| e.get("result")).map(truthy);
    let reason = entry
        .as_ref()
        .and_then(|e| e.get("reason"))
        .and_then(Value::as_str)
        .map(words_of)
        .unwrap_or_default();
    let error = api2.error.as_deref().map(words_of).filter(|e| !e.is_empty());
    let ok = result == Some(true) && error.is_none();
    let words = match error {
        Some(e) if !ok && !reason.contains(e.as_str()) => {
            if reason.is_empty() { e } else { format!("{reason} {e}") }
        }
        _ => reason,
    };
    Some(Outcome { ok, words })
}

impl Client {
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    fn send(&self, url: Url) -> Result<Response, ProviderError> {
        let mut request = Request::new(Method::Get, url);
        request.auth = match &self.credentials {
            Credentials::Token(token) => Auth::Header { name: "Authorization", public: format!("cpanel {}:", self.user), secret: token.clone() },
            Credentials::Password(password) => Auth::Basic(self.user.clone(), password.clone()),
        };
        // cPanel's functions are called with GET, as its documentation
        // shows. Repeating one is harmless: a repeated add or delete fails
        // with the name already there or gone, which is looked at again.
        request.retry_safe = true;
        http::send(&request, &self.http)
    }

    /// Calls UAPI `module::func`: its outcome and data.
    pub fn uapi(&self, module: &str, func: &str, params: &[(&str, &str)]) -> Result<(Outcome, UapiData), ProviderError> {
        let response = self.send(self.url(&["execute", module, func], params))?;
        if response.status != 200 {
            return Err(self.refusal(&response));
        }
        read_uapi(&response.body).ok_or_else(|| self.unreadable(&response, &format!("UAPI {module}::{func}")))
    }

    /// Calls cPanel API 2 `module::func`.
    pub fn api2(&self, module: &str, func: &str, params: &[(&str, &str)]) -> Result<Outcome, ProviderError> {
        let mut query = vec![
            ("cpanel_jsonapi_user", self.user.as_str()),
            ("cpanel_jsonapi_apiversion", "2"),
            ("cpanel_jsonapi_module", module),
            ("cpanel_jsonapi_func", func),
        ];
        query.extend_from_slice(params);
        let response = self.send(self.url(&["json-api", "cpanel"], &query))?;
        if response.status != 200 {
            return Err(self.refusal(&response));
        }
        read_api2(&response.body).ok_or_else(|| self.unreadable(&response, &format!("API 2 {module}::{func}")))
    }

    /// The account's domains and their document roots.
    pub fn domains_data(&self) -> Result<DomainsData, ProviderError> {
        let (outcome, data) = self.uapi("DomainInfo", "domains_data", &[("format", "hash")])?;
        if !outcome.ok {
            return Err(ProviderError::new(
                ErrorKind::Api,
                format!("cPanel could not list the domains of {USERNAME} '{}': {}", self.user, said(&outcome.words)),
            )
            .with_code("DomainInfo::domains_data"));
        }
        data.read().map_err(|e| {
            ProviderError::new(ErrorKind::Api, format!("cPanel's list of domains could not be read ({e})")).with_status(200)
        })
    }

    fn which_credentials(&self) -> String {
        match self.credentials {
            Credentials::Token(_) => format!("{USERNAME} and {API_TOKEN} (a token of that account, cPanel → Security → Manage API Tokens)"),
            Credentials::Password(_) => format!("{USERNAME} and {PASSWORD}"),
        }
    }

    /// An answer other than 200: the server said no before any function ran.
    fn refusal(&self, response: &Response) -> ProviderError {
        let status = response.status;
        let host = http::host_of(&self.base);
        let err = match status {
            401 | 403 => ProviderError::new(
                ErrorKind::Auth,
                format!(
                    "cPanel refused the credentials (HTTP {status}): check {}. cPanel blocks an address after repeated failed logins (cPHulk), so fix them before retrying",
                    self.which_credentials()
                ),
            ),
            300..=399 => ProviderError::new(
                ErrorKind::Http,
                format!(
                    "cPanel at {host} redirected (HTTP {status}) to {}: set {HOST} (and {PORT}) to the cPanel service itself, https://HOST:2083",
                    printable(response.header("location").unwrap_or("an unnamed address"))
                ),
            ),
            404 => ProviderError::new(
                ErrorKind::Http,
                format!("HTTP 404 from {host}: this is not cPanel's API; check {HOST} and {PORT} (cPanel listens on 2083, WHM's 2087 is not it). Answer: {}", response.excerpt()),
            ),
            _ => ProviderError::new(ErrorKind::Http, format!("unexpected HTTP {status} from {host}: {}", response.excerpt())),
        };
        err.with_status(status)
    }

    fn unreadable(&self, response: &Response, what: &str) -> ProviderError {
        let hint = if response.body.trim_start().starts_with('<') {
            format!(" It looks like a web page, not cPanel's API: check {HOST} and {PORT} (cPanel's port is {DEFAULT_PORT})")
        } else {
            String::new()
        };
        ProviderError::new(ErrorKind::Api, format!("cPanel's answer to {what} could not be read: {}.{hint}", response.excerpt()))
            .with_status(response.status)
    }
}

/// cPanel's words, or a note that it gave none.
pub(super) fn said(words: &str) -> String {
    if words.trim().is_empty() { "cPanel gave no reason".to_string() } else { words.trim().to_string() }
}

/// `WU_CPANEL_HOST` (and `WU_CPANEL_PORT`) as the address requests go to.
/// With a scheme the host setting is the whole address; without one it is
/// a server name (the plugin's trailing `/` or `;` and `:port` tolerated),
/// reached at `https://HOST:PORT`, the host's own port winning.
pub(super) fn base_url(host: &str, port: Option<&str>) -> Result<Url, ProviderError> {
    let raw = host.trim();
    if raw.contains("://") {
        return http::panel_url(
            HOST,
            raw.trim_end_matches('/'),
            "give the server name, e.g. server.example.com, or https://server.example.com:2083",
            &format!("the account goes in {USERNAME}, its secret in {API_TOKEN} or {PASSWORD}"),
        );
    }
    let name = raw.trim_end_matches(['/', ';']);
    let (name, own_port) = match name.rsplit_once(':') {
        Some((n, p)) if !n.contains(':') && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (n, Some(p)),
        _ => (name, None),
    };
    let port = match own_port.or(port.map(str::trim)).unwrap_or(DEFAULT_PORT).parse::<u16>() {
        Ok(p) if p > 0 => p,
        _ => {
            return Err(ProviderError::config(format!(
                "{PORT} must be a port number (cPanel's is {DEFAULT_PORT}), got '{}'",
                printable(port.unwrap_or(""))
            )))
        }
    };
    if name.is_empty() || name.contains(['/', '@', '?', '#', ' ']) {
        return Err(ProviderError::config(format!("{HOST} must be the cPanel server's name, e.g. server.example.com, got '{}'", printable(raw))));
    }
    http::panel_url(HOST, &format!("https://{name}:{port}"), "give the server name, e.g. server.example.com", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/src/providers/cpanel/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_host_setting_becomes_the_address_requests_go_to() {
        let cases = [
            ("server.example.com", None, "https://server.example.com:2083/"),
            ("server.example.com", Some("2096"), "https://server.example.com:2096/"),
            ("server.example.com:2083/", Some("1"), "https://server.example.com:2083/"),
            (" server.example.com; ", None, "https://server.example.com:2083/"),
            ("http://127.0.0.1:9000", None, "http://127.0.0.1:9000/"),
            ("http://127.0.0.1:9000/cpanel/", Some("2083"), "http://127.0.0.1:9000/cpanel"),
            ("https://cp.example.com:2083", None, "https://cp.example.com:2083/"),
        ];
        for (host, port, want) in cases {
            assert_eq!(base_url(host, port).unwrap().as_str(), want, "{host} {port:?}");
        }
    }

    #[test]
    fn unusable_host_and_port_settings_are_config_errors_naming_the_constant() {
        let cases = [
            ("ftp://server.example.com", None, HOST),
            ("https://user:s3cret@server.example.com", None, HOST),
            ("https://server.example.com/?x=1", None, HOST),
            ("server.example.com/path", None, HOST),
            ("", None, HOST),
            ("server.example.com", Some("http"), PORT),
            ("server.example.com", Some("70000"), PORT),
        ];
        for (host, port, constant) in cases {
            let err = base_url(host, port).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Config, "{host}");
            assert!(err.message.contains(constant), "{host}: {}", err.message);
            assert!(!err.message.contains("s3cret"), "{}", err.message);
        }
    }

    #[test]
    fn uapi_answers_are_read_bare_or_wrapped() {
        let (outcome, data) = read_uapi(&fixture("domains-data.json")).unwrap();
        assert!(outcome.ok);
        let listed: DomainsData = data.read().unwrap();
        assert_eq!(listed.main_domain.domain, "network.example");
        assert_eq!(listed.main_domain.documentroot, "/home/netuser/public_html");
        assert_eq!(listed.addon_domains[0].domain, "customer.example");
        assert_eq!(listed.addon_domains[0].servername, "customerexample.network.example");
        assert_eq!(listed.sub_domains[0].domain, "blog.network.example");
        assert_eq!(listed.parked_domains, vec!["alias.example"]);

        let (failed, _) = read_uapi(&fixture("addsubdomain-failed.json")).unwrap();
        assert!(!failed.ok);
        assert!(failed.words.contains("already exists"), "{}", failed.words);

        let wrapped = r#"{"apiversion":3,"func":"addsubdomain","module":"SubDomain","result":{"status":0,"errors":["No."],"data":null}}"#;
        assert_eq!(read_uapi(wrapped).unwrap().0, Outcome { ok: false, words: "No.".into() });
        for not_uapi in ["<html>", "{\"unexpected\":true}", "[]", ""] {
            assert!(read_uapi(not_uapi).is_none(), "{not_uapi}");
        }
    }

    #[test]
    fn api2_answers_say_whether_the_function_worked() {
        let cases = [
            ("addaddondomain.json", true, "parked"),
            ("addaddondomain-failed.json", false, "addon domain limit"),
            ("deladdondomain.json", true, ""),
            ("deladdondomain-failed.json", false, "does not correspond"),
            ("delsubdomain.json", true, ""),
        ];
        for (file, ok, words) in cases {
            let outcome = read_api2(&fixture(file)).unwrap();
            assert_eq!(outcome.ok, ok, "{file}: {outcome:?}");
            assert!(outcome.words.contains(words), "{file}: {outcome:?}");
        }
        // `result` as a string, data as an object, and an envelope error alone all count.
        let text_result = r#"{"cpanelresult":{"data":{"result":"0","reason":"Access denied"},"error":"Access denied","type":"text"}}"#;
        assert_eq!(read_api2(text_result).unwrap(), Outcome { ok: false, words: "Access denied".into() });
        let error_only = r#"{"cpanelresult":{"data":[{"result":1}],"error":"Module failed"}}"#;
        assert_eq!(read_api2(error_only).unwrap(), Outcome { ok: false, words: "Module failed".into() });
        assert!(read_api2(r#"{"cpanelresult":{"data":[]}}"#).is_some_and(|o| !o.ok));
        for not_api2 in ["<html>", "{\"status\":1}", ""] {
            assert!(read_api2(not_api2).is_none(), "{not_api2}");
        }
    }
}
