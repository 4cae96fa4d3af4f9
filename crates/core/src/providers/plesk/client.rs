//! Plesk's REST API: the list of domains, and the gateway to the panel's
//! command-line utilities (`POST /api/v2/cli/<utility>/call`), whose answer
//! is the utility's exit code and output in an HTTP 200; and what each
//! answer means.

use serde::Deserialize;
use serde_json::json;
use url::Url;

use super::{API_KEY, DEFAULT_PORT, DOMAIN, HOST, PASSWORD, PORT, USERNAME};
use crate::domain::{printable, HostName};
use crate::error::{ErrorKind, ProviderError};
use crate::http::{self, Auth, Body, HttpSettings, Method, Request, Response};
use crate::secret::Secret;

/// How the client logs in: the REST API is for the Plesk administrator only.
pub(super) enum Credentials {
    ApiKey(Secret),
    Login { user: String, password: Secret },
}

/// The REST API of one Plesk server, acting on one site.
pub(super) struct Client {
    pub base: Url,
    pub credentials: Credentials,
    /// `WU_PLESK_DOMAIN`, lower case, without `www.`.
    pub site: String,
    pub http: HttpSettings,
}

/// What a utility run through the gateway answered.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct CliAnswer {
    pub code: i64,
    #[serde(default)]
    pub stdout: String,
    #[serde(default)]
    pub stderr: String,
}

/// A domain (site or subdomain) as `GET /api/v2/domains` lists it.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Domain {
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub ascii_name: Option<String>,
    /// The parent site of a subdomain (absent or 0 for a site).
    #[serde(default)]
    pub base_domain_id: Option<u64>,
}

impl Domain {
    /// The name in the form plans compare (punycode, lower case).
    pub fn host(&self) -> String {
        crate::providers::panel_name(self.ascii_name.as_deref().filter(|a| !a.trim().is_empty()).unwrap_or(&self.name))
    }

    pub fn parent(&self) -> Option<u64> {
        self.base_domain_id.filter(|id| *id != 0 && *id != self.id)
    }
}

/// The REST API's error body.
#[derive(Deserialize)]
struct PanelError {
    #[serde(default)]
    code: Option<i64>,
    message: String,
}

impl PanelError {
    fn parse(body: &str) -> Option<PanelError> {
        serde_json::from_str(body.trim()).ok()
    }
}

/// What a utility's run means for the name it was about.
#[derive(Debug)]
pub(super) enum Exit {
    /// Exit code 0: done (its output).
    Done(String),
    /// The name is already there (the utility said "already exists").
    Exists(CliAnswer),
    /// The name, or the site, is not there ("does not exist").
    Missing,
    /// Anything else, worded.
    Failed(ProviderError),
}

/// Error output meaning the object to create is there already.
fn says_exists(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["already exist", "already in use", "already used", "already taken"].iter().any(|p| lower.contains(p))
}

/// Error output meaning the object to act on is not there.
fn says_missing(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["does not exist", "doesn't exist", "not exist", "not found", "unable to find", "no such"].iter().any(|p| lower.contains(p))
}

/// The error output of a utility as a message shows it: one printable
/// line, cut short. Secrets were removed from the whole answer when it was read.
pub(super) fn said(answer: &CliAnswer) -> String {
    let text = if answer.stderr.trim().is_empty() { answer.stdout.trim() } else { answer.stderr.trim() };
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = flat.chars().take(300).flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] }).collect();
    if flat.chars().count() > 300 { format!("{short}…") } else if short.is_empty() { "no error output".into() } else { short }
}

impl Client {
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(["api", "v2"]).extend(segments);
        }
        url
    }

    fn auth(&self) -> Auth {
        match &self.credentials {
            Credentials::ApiKey(key) => Auth::Header { name: "X-API-Key", public: String::new(), secret: key.clone() },
            Credentials::Login { user, password } => Auth::Basic(user.clone(), password.clone()),
        }
    }

    fn send(&self, method: Method, segments: &[&str], body: Option<serde_json::Value>) -> Result<Response, ProviderError> {
        let mut request = Request::new(method, self.url(segments));
        request.auth = self.auth();
        // A repeated create answers "already exists" and a repeated delete
        // "does not exist", both read as such. A refused login (401/403) is
        // never repeated by `http::send`: Plesk locks a client out after a few.
        request.retry_safe = true;
        if let Some(body) = body {
            request.body = Body::Json(body);
        }
        http::send(&request, &self.http)
    }

    /// Every domain (site and subdomain) on the server.
    pub fn domains(&self) -> Result<Vec<Domain>, ProviderError> {
        let response = self.send(Method::Get, &["domains"], None)?;
        if response.status != 200 {
            return Err(self.refusal(&response));
        }
        let domains: Vec<Domain> = serde_json::from_str(response.body.trim()).map_err(|e| self.unreadable(&response, "list of domains", &e))?;
        if domains.is_empty() {
            // A server serving the network lists its site at least: an empty
            // list is an answer from something else, or a view without rights.
            return Err(ProviderError::new(
                ErrorKind::Api,
                format!("Plesk listed no domains at all, not even {DOMAIN} '{}': check that {HOST} points at the Plesk server and that the login is the administrator's", self.site),
            )
            .with_status(response.status));
        }
        Ok(domains)
    }

    /// The configured site among `domains`, or the error saying it is not there.
    pub fn find_site<'a>(&self, domains: &'a [Domain]) -> Result<&'a Domain, ProviderError> {
        domains.iter().find(|d| d.host() == self.site).ok_or_else(|| self.site_missing())
    }

    pub fn site_missing(&self) -> ProviderError {
        ProviderError::new(
            ErrorKind::NotFound,
            format!(
                "{DOMAIN} '{}' is not a site on this Plesk server: give the name of the existing site that serves WordPress, as Plesk lists it under Websites & Domains",
                self.site
            ),
        )
    }

    /// Runs `plesk bin <utility> <params…>` through the REST API.
    pub fn cli(&self, utility: &str, params: &[&str]) -> Result<CliAnswer, ProviderError> {
        let response = self.send(Method::Post, &["cli", utility, "call"], Some(json!({ "params": params })))?;
        if response.status != 200 {
            return Err(self.refusal(&response));
        }
        serde_json::from_str(response.body.trim()).map_err(|e| self.unreadable(&response, &format!("answer to {utility}"), &e))
    }

    /// A utility's run about `name`, read by its exit code and error output.
    pub fn run(&self, utility: &str, params: &[&str], name: &str) -> Result<Exit, ProviderError> {
        let answer = self.cli(utility, params)?;
        Ok(classify(utility, params.first().copied().unwrap_or(""), name, answer))
    }

    /// The aliases of the site, as `site_alias --list -domain SITE` prints them.
    pub fn aliases(&self) -> Result<Vec<String>, ProviderError> {
        let site = self.site.clone();
        match self.run("site_alias", &["--list", "-domain", &site], &site)? {
            Exit::Done(stdout) => Ok(listed_names(&stdout)),
            Exit::Missing => Err(self.site_missing()),
            Exit::Exists(answer) => Err(failed("site_alias", "--list", &site, &answer)),
            Exit::Failed(e) => Err(e),
        }
    }

    /// The site an alias belongs to, from `site_alias --info NAME`, when the
    /// output names one.
    pub fn alias_owner(&self, name: &str) -> Option<String> {
        match self.run("site_alias", &["--info", name], name) {
            Ok(Exit::Done(stdout)) => owner_in_info(&stdout, name),
            _ => None,
        }
    }

    /// An answer that is not a utility's result: the API itself said no.
    fn refusal(&self, response: &Response) -> ProviderError {
        let status = response.status;
        let panel = PanelError::parse(&response.body);
        let err = match (status, &panel) {
            (401 | 403, _) => {
                let which = match self.credentials {
                    Credentials::ApiKey(_) => format!("{API_KEY} (an API key of the Plesk administrator)"),
                    Credentials::Login { .. } => format!("{USERNAME} and {PASSWORD} (the Plesk administrator's login)"),
                };
                let said = panel.as_ref().map(|p| format!(" Plesk said: {}.", printable(&p.message))).unwrap_or_default();
                ProviderError::new(
                    ErrorKind::Auth,
                    format!(
                        "Plesk refused the login (HTTP {status}): check {which}; only the administrator may use the REST API.{said} \
                         Plesk locks a client out after repeated failed logins, so the request was not repeated: fix the credentials before trying again"
                    ),
                )
            }
            (300..=399, _) => ProviderError::new(
                ErrorKind::Http,
                format!(
                    "Plesk redirected (HTTP {status}) to {}: set {HOST} to the final https://HOST:PORT address",
                    printable(response.header("location").unwrap_or("an unnamed address"))
                ),
            ),
            (404, None) => ProviderError::new(
                ErrorKind::Http,
                format!(
                    "HTTP 404 from {}: this is not the Plesk REST API; check {HOST} and {PORT} (Plesk listens on {DEFAULT_PORT}) and that the REST API is enabled. Answer: {}",
                    http::host_of(&self.base),
                    response.excerpt()
                ),
            ),
            (400..=499, Some(p)) => ProviderError::new(ErrorKind::Api, format!("Plesk answered HTTP {status}: {}", printable(&p.message))),
            _ => ProviderError::new(
                ErrorKind::Http,
                format!("unexpected HTTP {status} from {}: {}", http::host_of(&self.base), response.excerpt()),
            ),
        };
        let err = err.with_status(status);
        match panel.and_then(|p| p.code) {
            Some(code) => err.with_code(code),
            None => err,
        }
    }

    fn unreadable(&self, response: &Response, what: &str, e: &serde_json::Error) -> ProviderError {
        let hint = if response.body.trim_start().starts_with('<') {
            format!(" It looks like a web page, not the API: check {HOST} and {PORT}.")
        } else {
            String::new()
        };
        ProviderError::new(ErrorKind::Api, format!("Plesk's {what} could not be read ({e}): {}.{hint}", response.excerpt()))
            .with_status(response.status)
    }
}

/// A utility's answer, read: exit 0, "already exists", "does not exist", or
/// a failure worded with its error output.
pub(super) fn classify(utility: &str, command: &str, name: &str, answer: CliAnswer) -> Exit {
    if answer.code == 0 {
        return Exit::Done(answer.stdout);
    }
    let text = format!("{}\n{}", answer.stderr, answer.stdout);
    if says_exists(&text) {
        Exit::Exists(answer)
    } else if says_missing(&text) {
        Exit::Missing
    } else {
        Exit::Failed(failed(utility, command, name, &answer))
    }
}

/// A utility that ran and failed in a way we do not read further.
pub(super) fn failed(utility: &str, command: &str, name: &str, answer: &CliAnswer) -> ProviderError {
    let words = said(answer);
    let lower = words.to_ascii_lowercase();
    let kind = if lower.contains("limit") || lower.contains("exceed") || lower.contains("quota") {
        ErrorKind::Limit
    } else if lower.contains("permission") || lower.contains("access denied") || lower.contains("not allowed") {
        ErrorKind::Auth
    } else {
        ErrorKind::Api
    };
    ProviderError::new(kind, format!("Plesk's {utility} {command} {name} failed with exit code {}: {words}", answer.code)).with_code(answer.code)
}

/// Host names in a utility's listing: the first word of each line, when it
/// is a host name (a table's other columns, headers and totals are ignored).
fn listed_names(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|word| HostName::parse(word.trim_end_matches('.')).is_ok())
        .map(crate::providers::panel_name)
        .collect()
}

/// The site named in `site_alias --info`'s `Key: value` lines (a key about
/// the domain or site the alias belongs to), other than the alias itself.
fn owner_in_info(stdout: &str, alias: &str) -> Option<String> {
    stdout.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        let key = key.trim().to_ascii_lowercase();
        if !(key.contains("domain") || key.contains("site") || key.contains("subscription")) || key.contains("alias") {
            return None;
        }
        let host = HostName::parse(value.trim()).ok()?;
        (host.as_str() != alias).then(|| host.to_string())
    })
}

/// The API's address: `WU_PLESK_HOST` with a scheme is used as given (a
/// path is kept: `/api/v2` goes after it); a bare host (with or without its
/// port) becomes `https://HOST:PORT`, `WU_PLESK_PORT` or 8443.
pub(super) fn api_base(raw_host: &str, raw_port: Option<&str>) -> Result<Url, ProviderError> {
    let host = raw_host.trim().trim_end_matches('/');
    let credentials = format!("the key goes in {API_KEY}, or the login in {USERNAME} and {PASSWORD}");
    if host.contains("://") {
        return http::panel_url(HOST, host, "give the server's host name, e.g. plesk.example.com, or https://plesk.example.com:8443", &credentials);
    }
    if host.contains('@') {
        return Err(ProviderError::config(format!("{HOST} must not contain credentials; {credentials}")));
    }
    if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
        return Err(ProviderError::config(format!(
            "{HOST} must be the Plesk server's host name or IP (e.g. plesk.example.com), got '{}'",
            printable(host)
        )));
    }
    let mut url = http::panel_url(HOST, &format!("https://{host}"), "give the server's host name, e.g. plesk.example.com", &credentials)?;
    // `Url` drops an explicit :443 as the scheme's default; it is still the port asked for.
    let explicit_port = url.port().is_some() || host.ends_with(":443");
    if !explicit_port {
        let port = match raw_port.map(str::trim).filter(|p| !p.is_empty()) {
            None => DEFAULT_PORT,
            Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                ProviderError::config(format!("{PORT} must be a port number (1 to 65535), got '{}'", printable(p)))
            })?,
        };
        url.set_port(Some(port)).map_err(|_| ProviderError::config(format!("{HOST} cannot take a port")))?;
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/providers/plesk/fixtures").join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn answer(name: &str) -> CliAnswer {
        serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn the_api_address_comes_from_the_host_and_the_port() {
        let cases = [
            ("plesk.example.com", None, "https://plesk.example.com:8443/"),
            (" plesk.example.com/ ", Some("8880"), "https://plesk.example.com:8880/"),
            ("plesk.example.com:9443", Some("8443"), "https://plesk.example.com:9443/"),
            ("203.0.113.7", Some(""), "https://203.0.113.7:8443/"),
            ("plesk.example.com:443", None, "https://plesk.example.com/"),
            ("http://127.0.0.1:9000", Some("8443"), "http://127.0.0.1:9000/"),
            ("https://plesk.example.com:8443/", None, "https://plesk.example.com:8443/"),
            ("https://proxy.example.com/plesk/", None, "https://proxy.example.com/plesk"),
        ];
        for (host, port, want) in cases {
            assert_eq!(api_base(host, port).unwrap().as_str(), want, "{host} {port:?}");
        }
    }

    #[test]
    fn requests_go_under_api_v2_after_any_path_of_the_host() {
        for (host, want) in [
            ("plesk.example.com", "https://plesk.example.com:8443/api/v2/cli/site_alias/call"),
            ("https://proxy.example.com/plesk/", "https://proxy.example.com/plesk/api/v2/cli/site_alias/call"),
        ] {
            let client = Client {
                base: api_base(host, None).unwrap(),
                credentials: Credentials::ApiKey(Secret::new("k")),
                site: "network.example".into(),
                http: HttpSettings::with_timeout(std::time::Duration::from_secs(1)),
            };
            assert_eq!(client.url(&["cli", "site_alias", "call"]).as_str(), want, "{host}");
        }
    }

    #[test]
    fn unusable_hosts_and_ports_are_config_errors_naming_the_constant() {
        let cases = [
            ("", None, HOST),
            ("plesk.example.com/admin", None, HOST),
            ("admin:pw@plesk.example.com", None, HOST),
            ("ftp://plesk.example.com", None, HOST),
            ("https://admin:pw@plesk.example.com", None, HOST),
            ("https://plesk.example.com/?x=1", None, HOST),
            ("plesk.example.com", Some("eighty"), PORT),
            ("plesk.example.com", Some("0"), PORT),
            ("plesk.example.com", Some("70000"), PORT),
        ];
        for (host, port, constant) in cases {
            let err = api_base(host, port).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Config, "{host} {port:?}");
            assert!(err.message.contains(constant), "{host}: {}", err.message);
            assert!(!err.message.contains("pw@"), "{}", err.message);
        }
    }

    #[test]
    fn recorded_answers_are_read_by_exit_code_and_error_output() {
        let cases = [
            ("cli-done.json", "done"),
            ("cli-alias-exists.json", "exists"),
            ("cli-alias-missing.json", "missing"),
            ("cli-subdomain-exists.json", "exists"),
            ("cli-subdomain-missing.json", "missing"),
            ("cli-unknown-command.json", "failed"),
        ];
        for (file, want) in cases {
            let got = match classify("site_alias", "--create", "shop.example", answer(file)) {
                Exit::Done(_) => "done",
                Exit::Exists(_) => "exists",
                Exit::Missing => "missing",
                Exit::Failed(_) => "failed",
            };
            assert_eq!(got, want, "{file}");
        }
    }

    #[test]
    fn a_failure_names_the_utility_and_carries_its_error_output_and_exit_code() {
        let Exit::Failed(err) = classify("subdomain", "--delete", "shop.network.example", answer("cli-unknown-command.json")) else {
            panic!("an unknown command is a failure");
        };
        assert_eq!(err.kind, ErrorKind::Api);
        assert_eq!(err.provider_code, Some(crate::error::ProviderCode::Number(1)));
        assert!(err.message.contains("subdomain --delete shop.network.example failed with exit code 1"), "{}", err.message);
        assert!(err.message.contains("Unknown command"), "{}", err.message);
        let limit = CliAnswer { code: 1, stdout: String::new(), stderr: "The limit on the number of domain aliases is exceeded.\n".into() };
        assert_eq!(failed("site_alias", "--create", "a.example", &limit).kind, ErrorKind::Limit);
    }

    #[test]
    fn error_output_is_shown_on_one_printable_line_cut_short() {
        let long = CliAnswer { code: 1, stdout: String::new(), stderr: format!("line one\n\tline\u{7}two {}", "x".repeat(400)) };
        let shown = said(&long);
        assert!(shown.starts_with("line one line"), "{shown}");
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.ends_with('…') && shown.chars().count() < 320, "{shown}");
        assert_eq!(said(&CliAnswer { code: 2, stdout: String::new(), stderr: " ".into() }), "no error output");
    }

    #[test]
    fn the_recorded_domain_list_gives_sites_and_their_subdomains() {
        let domains: Vec<Domain> = serde_json::from_str(&fixture("domains.json")).unwrap();
        let site = domains.iter().find(|d| d.host() == "network.example").unwrap();
        assert_eq!(site.parent(), None);
        let subdomains: Vec<String> = domains.iter().filter(|d| d.parent() == Some(site.id)).map(Domain::host).collect();
        assert_eq!(subdomains, ["blog.network.example", "xn--bcher-kva.network.example"]);
    }

    #[test]
    fn listings_keep_host_names_and_drop_everything_else() {
        let listed = listed_names(&answer("cli-alias-list.json").stdout);
        assert_eq!(listed, ["customer.example", "www.customer.example", "xn--bcher-kva.example"]);
        let table = "Alias name        Status\n----------------  ------\nShop.Example      enabled\n  www.shop.example  disabled\nTotal: 2\n";
        assert_eq!(listed_names(table), ["shop.example", "www.shop.example"]);
    }

    #[test]
    fn the_owner_of_an_alias_is_read_from_its_info() {
        assert_eq!(owner_in_info(&answer("cli-alias-info.json").stdout, "held.example"), Some("other.example".into()));
        assert_eq!(owner_in_info("Alias name: held.example\nStatus: OK\n", "held.example"), None);
    }

    #[test]
    fn rest_errors_are_read_for_their_message_and_code() {
        let p = PanelError::parse(&fixture("rest-error.json")).unwrap();
        assert_eq!(p.code, Some(0));
        assert!(p.message.contains("Command not found"));
        assert!(PanelError::parse("<html>").is_none());
    }
}
