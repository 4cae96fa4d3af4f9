//! Hestia Control Panel: mapped domains become web aliases of one existing
//! web domain (`WU_HESTIA_WEB_DOMAIN`, owned by `WU_HESTIA_ACCOUNT`).
//!
//! Commands go to `/api/` as form posts. Writes ask for `returncode=yes`, so
//! the answer is the command's exit code in both auth modes; reads ask for
//! the output. A mapping's names are added in one command, so the web server
//! reloads once per mapping, not once per name.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use super::{Action, Applied, Change, Inventory, Plan, Provider, ProviderSpec};
use crate::ops::Options;
use crate::config::{parse_yes_no, Setting, Values};
use crate::domain::HostName;
use crate::error::{ErrorKind, ProviderError};
use crate::http::{self, Body, HttpSettings, Method, Request, Response};
use crate::secret::Secret;

pub const API_URL: &str = "WU_HESTIA_API_URL";
pub const API_USER: &str = "WU_HESTIA_API_USER";
pub const API_PASSWORD: &str = "WU_HESTIA_API_PASSWORD";
pub const API_HASH: &str = "WU_HESTIA_API_HASH";
pub const ACCOUNT: &str = "WU_HESTIA_ACCOUNT";
pub const WEB_DOMAIN: &str = "WU_HESTIA_WEB_DOMAIN";
pub const RESTART: &str = "WU_HESTIA_RESTART";

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "hestia",
    title: "Hestia Control Panel",
    settings: &[
        Setting::required(API_URL, "Panel API endpoint, e.g. https://panel.example.com:8083 (/api is appended when missing)."),
        Setting::required(API_USER, "Hestia admin user the API logs in as (used with the password)."),
        Setting::alternative(API_PASSWORD, "auth", 0, "That user's password (legacy API mode).").secret(),
        Setting::alternative(API_HASH, "auth", 1, "An access key as ACCESS_KEY:SECRET_KEY, or a legacy API hash; used instead of the password when set.").secret(),
        Setting::required(ACCOUNT, "Hestia user that owns the web domain (first argument of the v-* commands)."),
        Setting::required(WEB_DOMAIN, "Existing Hestia web domain serving WordPress; mapped domains become its aliases."),
        Setting::optional(RESTART, "yes", "Reload the web server after a change: yes or no."),
    ],
    default_timeout: Duration::from_secs(60),
    build: Hestia::build,
    mode: super::single_mode,
    target,
};

/// One web domain of one account on one panel.
fn target(values: &Values) -> Option<super::WriteTarget> {
    let host = http::host_of(&api_endpoint(values.get(API_URL)?).ok()?);
    let account = values.get(ACCOUNT)?.trim().to_string();
    let domain = web_domain(values).ok()?;
    Some(super::WriteTarget {
        identity: format!("{host}|{account}|{domain}"),
        label: format!("Hestia web domain {domain} of {account} on {host}"),
    })
}

/// `WU_HESTIA_WEB_DOMAIN` as Hestia stores it: lower case, without a leading www.
fn web_domain(values: &Values) -> Result<String, ProviderError> {
    let web_domain = HostName::parse(values.require(WEB_DOMAIN)?.trim())
        .map_err(|e| ProviderError::config(format!("{WEB_DOMAIN}: {e}")))?;
    Ok(web_domain.as_str().strip_prefix("www.").unwrap_or(web_domain.as_str()).to_string())
}

/// Hestia's exit codes that mean something to us.
mod exit {
    pub const OK: i64 = 0;
    pub const NOT_EXIST: i64 = 3;
    pub const EXISTS: i64 = 4;
    pub const SUSPENDED: i64 = 5;
    pub const LIMIT: i64 = 8;
    pub const PASSWORD: i64 = 9;
    pub const FORBIDDEN: i64 = 10;
    pub const DISABLED: i64 = 11;

    /// Legacy mode has no exit-code header on failures: read the code from
    /// the text of the few errors a read command can end with.
    pub fn from_legacy_text(text: &str) -> Option<i64> {
        let lower = text.to_ascii_lowercase();
        if !lower.starts_with("error:") || lower.contains("authentication") || lower.contains("ip is not allowed") {
            return None;
        }
        if lower.contains("doesn't exist") || lower.contains("does not exist") {
            Some(NOT_EXIST)
        } else if lower.contains("suspended") {
            Some(SUSPENDED)
        } else {
            None
        }
    }

    pub fn name(code: i64) -> &'static str {
        const NAMES: [&str; 21] = [
            "OK", "E_ARGS", "E_INVALID", "E_NOTEXIST", "E_EXISTS", "E_SUSPENDED", "E_UNSUSPENDED", "E_INUSE",
            "E_LIMIT", "E_PASSWORD", "E_FORBIDEN", "E_DISABLED", "E_PARSING", "E_DISK", "E_LA", "E_CONNECT",
            "E_FTP", "E_DB", "E_RRD", "E_UPDATE", "E_RESTART",
        ];
        usize::try_from(code).ok().and_then(|i| NAMES.get(i)).copied().unwrap_or("unknown")
    }
}

enum Credentials {
    Password { user: String, password: Secret },
    Hash(Secret),
}

pub struct Hestia {
    endpoint: Url,
    credentials: Credentials,
    account: String,
    web_domain: String,
    restart: bool,
    http: HttpSettings,
}

/// `v-list-web-domains USER json`: web domain → its fields (all strings).
#[derive(Deserialize)]
struct WebDomain {
    #[serde(rename = "ALIAS", default)]
    alias: String,
}

impl Hestia {
    fn build(values: &Values, _options: &Options) -> Result<Box<dyn Provider>, ProviderError> {
        let endpoint = api_endpoint(values.require(API_URL)?)?;
        let credentials = match (values.secret(API_HASH), values.secret(API_PASSWORD)) {
            (Some(hash), _) => Credentials::Hash(hash.clone()),
            (None, Some(password)) => {
                Credentials::Password { user: values.require(API_USER)?.trim().to_string(), password: password.clone() }
            }
            (None, None) => return Err(ProviderError::config(format!("{API_PASSWORD} or {API_HASH} is not defined"))),
        };
        let account = values.require(ACCOUNT)?.trim().to_string();
        if account.is_empty() || !account.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            return Err(ProviderError::config(format!(
                "{ACCOUNT} must be a Hestia user name (letters, digits, '-', '_', '.'), got '{}'",
                crate::domain::printable(&account)
            )));
        }
        let web_domain = web_domain(values)?;
        let restart = parse_yes_no(RESTART, values.get(RESTART).unwrap_or("yes"))?;
        let http = HttpSettings::from_values(values, SPEC.default_timeout)?;
        Ok(Box::new(Hestia { endpoint, credentials, account, web_domain, restart, http }))
    }

    fn restart_arg(&self, now: bool) -> &'static str {
        if self.restart && now { "yes" } else { "no" }
    }

    fn request(&self, cmd: &str, args: &[&str], returncode: bool) -> Request {
        let mut fields = vec![("cmd".to_string(), cmd.to_string())];
        let mut secret_fields = Vec::new();
        match &self.credentials {
            Credentials::Password { user, password } => {
                fields.push(("user".into(), user.clone()));
                secret_fields.push(("password".to_string(), password.clone()));
            }
            Credentials::Hash(hash) => secret_fields.push(("hash".to_string(), hash.clone())),
        }
        for (i, arg) in args.iter().enumerate() {
            fields.push((format!("arg{}", i + 1), arg.to_string()));
        }
        if returncode {
            fields.push(("returncode".into(), "yes".into()));
        }
        let mut request = Request::new(Method::Post, self.endpoint.clone());
        request.body = Body::Form(fields);
        request.secret_fields = secret_fields;
        // Repeating any command used here is harmless: a repeated add answers
        // "exists" and a repeated delete "doesn't exist", both handled below.
        request.retry_safe = true;
        request
    }

    /// Runs a command for its exit code (`returncode=yes`).
    fn run(&self, cmd: &str, args: &[&str]) -> Result<i64, ProviderError> {
        let response = http::send(&self.request(cmd, args, true), &self.http)?;
        if response.status == 200 {
            if let Ok(code) = response.body.trim().parse::<i64>() {
                return Ok(code);
            }
        }
        Err(self.refusal(&response))
    }

    /// Runs a command for its output. Legacy mode reports failures as 200
    /// with `Error: …`, key mode with a status and `Hestia-Exit-Code`.
    fn output(&self, cmd: &str, args: &[&str]) -> Result<Response, ProviderError> {
        let response = http::send(&self.request(cmd, args, false), &self.http)?;
        if response.is_success() && !response.body.trim_start().starts_with("Error:") {
            return Ok(response);
        }
        let text = response.body.trim();
        let code = response
            .header("Hestia-Exit-Code")
            .and_then(|c| c.trim().parse::<i64>().ok())
            .or_else(|| exit::from_legacy_text(text));
        match code {
            Some(exit::NOT_EXIST) if text.to_ascii_lowercase().starts_with("error: user ") => Err(ProviderError::new(
                ErrorKind::NotFound,
                format!("{ACCOUNT} '{}' does not exist on this Hestia server: give the Hestia user that owns {WEB_DOMAIN}", self.account),
            )
            .with_code(exit::NOT_EXIST)),
            Some(code) if code != exit::OK && response.status != 401 => Err(self.exit_error(cmd, code, &[])),
            _ => Err(self.refusal(&response)),
        }
    }

    /// An answer that is not a command's result: the API itself said no.
    fn refusal(&self, response: &Response) -> ProviderError {
        let text = response.body.trim();
        let lower = text.to_ascii_lowercase();
        let status = response.status;
        let err = if lower.contains("ip is not allowed") {
            ProviderError::new(
                ErrorKind::Auth,
                "Hestia refused this server's IP address: add it to the API allow-list (Server settings → Security → API → Allowed IP addresses)",
            )
            .with_code("ip_not_allowed")
        } else if lower.contains("api has been disabled") {
            ProviderError::new(
                ErrorKind::Api,
                "the Hestia API is switched off: enable it in Server settings → Security → API",
            )
            .with_code("api_disabled")
        } else if lower.contains("authentication failed") || (lower.contains("key") && lower.contains("doesn't exist")) || status == 401 {
            let which = match self.credentials {
                Credentials::Password { .. } => format!("{API_USER} (must be the panel's admin user) and {API_PASSWORD}"),
                Credentials::Hash(_) => format!("{API_HASH} (ACCESS_KEY:SECRET_KEY of a key with API access)"),
            };
            ProviderError::new(
                ErrorKind::Auth,
                format!("Hestia refused the credentials: check {which}. Hestia bans an IP after 5 failed logins, so fix them before retrying"),
            )
            .with_code("authentication_failed")
        } else if lower.contains("data received is null or invalid") {
            ProviderError::new(ErrorKind::Api, format!("Hestia could not read the request ({}); check that {API_URL} points at the Hestia API", response.excerpt()))
        } else if status == 404 || status == 405 || !text.starts_with("Error") {
            ProviderError::new(
                ErrorKind::Http,
                format!(
                    "unexpected HTTP {status} from {}: check that {API_URL} is the Hestia API address (https://HOST:8083/api). Answer: {}",
                    http::host_of(&self.endpoint),
                    response.excerpt()
                ),
            )
        } else {
            ProviderError::new(ErrorKind::Api, format!("Hestia answered: {}", response.excerpt()))
        };
        err.with_status(status)
    }

    /// A command that ran and failed, by its exit code.
    fn exit_error(&self, cmd: &str, code: i64, names: &[&HostName]) -> ProviderError {
        let (account, domain) = (&self.account, &self.web_domain);
        let joined = names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ");
        let (kind, message) = match code {
            exit::NOT_EXIST => (
                ErrorKind::NotFound,
                format!("{WEB_DOMAIN} '{domain}' does not exist for {ACCOUNT} '{account}' on this Hestia server: check both constants (the account must own the web domain)"),
            ),
            exit::EXISTS => (
                ErrorKind::Api,
                format!("{joined}: already used by another web domain or alias on this Hestia server; remove it there first"),
            ),
            exit::SUSPENDED => (
                ErrorKind::Api,
                format!("{ACCOUNT} '{account}' or its web domain '{domain}' is suspended in Hestia; unsuspend it"),
            ),
            exit::LIMIT => (
                ErrorKind::Limit,
                format!("the Hestia package of {ACCOUNT} '{account}' allows no more web aliases: raise its alias limit in Hestia (Packages)"),
            ),
            exit::PASSWORD | exit::FORBIDDEN => (
                ErrorKind::Auth,
                format!("Hestia refused {cmd} for this API user: the credentials may not act for {ACCOUNT} '{account}'"),
            ),
            exit::DISABLED => (ErrorKind::Api, format!("Hestia reports {cmd} as disabled on this server")),
            _ => (ErrorKind::Api, format!("Hestia's {cmd} failed with exit code {code} ({})", exit::name(code))),
        };
        ProviderError::new(kind, message).with_code(code)
    }

    fn list_aliases(&self) -> Result<Vec<String>, ProviderError> {
        let response = self.output("v-list-web-domains", &[&self.account, "json"])?;
        let text = response.body.trim();
        // Legacy mode says OK and key mode 204 when the account has no web domains.
        let domains: BTreeMap<String, WebDomain> = if text.is_empty() || text == "OK" {
            BTreeMap::new()
        } else {
            serde_json::from_str(text).map_err(|e| {
                ProviderError::new(ErrorKind::Api, format!("Hestia's list of web domains could not be read ({e}): {}", response.excerpt()))
                    .with_status(response.status)
            })?
        };
        let entry = domains
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(&self.web_domain))
            .map(|(_, d)| d)
            .ok_or_else(|| self.exit_error("v-list-web-domains", exit::NOT_EXIST, &[]))?;
        Ok(entry
            .alias
            .split(',')
            .map(|a| a.trim().trim_matches('.').to_ascii_lowercase())
            .filter(|a| !a.is_empty())
            .collect())
    }

    /// Adds `names` in one command (exit 4 means one of them is taken:
    /// split it up so the others still get in).
    fn add_chunk(&self, names: &[HostName], restart_now: bool, plan: &Plan, job: &mut Job) {
        self.add_names(names, restart_now, plan, job, true)
    }

    /// `look_again`: on exit 4, list the aliases to tell ours from taken
    /// ones; off when trying names one by one right after such a look.
    fn add_names(&self, names: &[HostName], restart_now: bool, plan: &Plan, job: &mut Job, look_again: bool) {
        let list = names.iter().map(HostName::as_str).collect::<Vec<_>>().join(",");
        let args = [self.account.as_str(), self.web_domain.as_str(), list.as_str(), self.restart_arg(restart_now)];
        match self.run("v-add-web-domain-alias", &args) {
            Ok(exit::OK) => {
                job.ran(restart_now, self.restart);
                job.applied.changes.extend(names.iter().map(|n| Change::new(n, Action::Added)));
            }
            Ok(exit::EXISTS) if !look_again => {
                for name in names {
                    job.applied.refuse(name, self.exit_error("v-add-web-domain-alias", exit::EXISTS, &[name]), plan);
                }
            }
            // Someone else may have added some since we looked: those that
            // are ours now are present; the rest are tried one by one.
            Ok(exit::EXISTS) => match self.list_aliases() {
                Ok(now) => {
                    let now: std::collections::HashSet<String> = now.into_iter().collect();
                    let (ours, others): (Vec<HostName>, Vec<HostName>) =
                        names.iter().cloned().partition(|n| now.contains(n.as_str()));
                    job.applied.changes.extend(ours.iter().map(|n| Change::new(n, Action::AlreadyPresent)));
                    if others.len() == 1 {
                        let error = self.exit_error("v-add-web-domain-alias", exit::EXISTS, &[&others[0]]);
                        job.applied.refuse(&others[0], error, plan);
                    } else {
                        for name in &others {
                            if job.applied.error.is_some() {
                                break;
                            }
                            self.add_names(std::slice::from_ref(name), false, plan, job, false);
                        }
                    }
                }
                Err(e) => job.applied.error = Some(e),
            },
            Ok(code) => {
                let refs: Vec<&HostName> = names.iter().collect();
                job.applied.error = Some(self.exit_error("v-add-web-domain-alias", code, &refs));
            }
            Err(e) => job.applied.error = Some(e),
        }
    }

    /// One command per alias (the panel deletes one at a time).
    fn delete(&self, name: &HostName, restart_now: bool, plan: &Plan, job: &mut Job) {
        let args = [self.account.as_str(), self.web_domain.as_str(), name.as_str(), self.restart_arg(restart_now)];
        match self.run("v-delete-web-domain-alias", &args) {
            Ok(exit::OK) => {
                job.ran(restart_now, self.restart);
                job.applied.changes.push(Change::new(name, Action::Removed));
            }
            // Gone since we looked (the web domain itself was checked then).
            Ok(exit::NOT_EXIST) => job.applied.changes.push(Change::new(name, Action::AlreadyAbsent)),
            Ok(code) => job.applied.refuse(name, self.exit_error("v-delete-web-domain-alias", code, &[name]), plan),
            Err(e) => job.applied.refuse(name, e, plan),
        }
    }
}

/// Most aliases in one add command, and most bytes of its alias list: far
/// below the kernel's limit on one argument, and short work for the panel.
const MAX_ALIASES_PER_COMMAND: usize = 100;
const MAX_ALIAS_LIST_BYTES: usize = 8 * 1024;

fn chunks(names: &[HostName]) -> Vec<&[HostName]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, name) in names.iter().enumerate() {
        let size = name.as_str().len() + 1;
        if i > start && (i - start == MAX_ALIASES_PER_COMMAND || bytes + size > MAX_ALIAS_LIST_BYTES) {
            out.push(&names[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < names.len() {
        out.push(&names[start..]);
    }
    out
}

/// A job's progress, and whether a change made without reloading still
/// waits for the web server to reload.
#[derive(Default)]
struct Job {
    applied: Applied,
    reload_owed: bool,
}

impl Job {
    fn ran(&mut self, reloaded: bool, restart_enabled: bool) {
        self.reload_owed = restart_enabled && !reloaded;
    }
}

impl Provider for Hestia {
    fn manages_subdomains(&self) -> bool {
        false
    }

    fn inventory(&self) -> Result<Inventory, ProviderError> {
        let aliases = self.list_aliases()?;
        let protected = [self.web_domain.clone(), format!("www.{}", self.web_domain)].into_iter().collect();
        Ok(Inventory { names: aliases.into_iter().map(|a| (a, None)).collect(), protected })
    }

    /// Adds in chunks, then deletes one by one; only the job's last command
    /// reloads the web server, so a whole job costs one reload.
    fn apply(&self, plan: &Plan, _inventory: &Inventory) -> Applied {
        let add_chunks = chunks(&plan.add);
        let commands = add_chunks.len() + plan.remove.len();
        let mut job = Job::default();
        let mut sent = 0;
        for chunk in add_chunks {
            sent += 1;
            self.add_chunk(chunk, sent == commands, plan, &mut job);
            if job.applied.error.is_some() {
                break;
            }
        }
        if job.applied.error.is_none() {
            for name in &plan.remove {
                sent += 1;
                self.delete(name, sent == commands, plan, &mut job);
                if job.applied.error.is_some() {
                    break;
                }
            }
        }
        if job.reload_owed {
            // The command that was to reload did not run, failed, or found
            // nothing to do: the changes already made must still go live.
            let reloaded = self.run("v-restart-web", &[]).and_then(|code| match code {
                exit::OK => Ok(()),
                code => Err(self.exit_error("v-restart-web", code, &[])),
            });
            if let Err(e) = reloaded {
                job.applied.error.get_or_insert(e);
            }
        }
        job.applied
    }

    fn test_connection(&self) -> Result<(), ProviderError> {
        self.list_aliases().map(|_| ())
    }
}

/// `WU_HESTIA_API_URL` as the plugin reads it: trailing `/` removed, `/api`
/// appended unless already there; then `/` so the panel's router answers.
fn api_endpoint(raw: &str) -> Result<Url, ProviderError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let with_api = if trimmed.ends_with("/api") { format!("{trimmed}/") } else { format!("{trimmed}/api/") };
    http::panel_url(
        API_URL,
        &with_api,
        "give the panel address, e.g. https://panel.example.com:8083/api",
        &format!("set {API_USER} and {API_PASSWORD} or {API_HASH} instead"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_url_gets_api_appended_once() {
        let cases = [
            ("https://panel.example:8083", "https://panel.example:8083/api/"),
            ("https://panel.example:8083/", "https://panel.example:8083/api/"),
            ("https://panel.example:8083/api", "https://panel.example:8083/api/"),
            ("https://panel.example:8083/api/", "https://panel.example:8083/api/"),
            ("https://panel.example:8083/api//", "https://panel.example:8083/api/"),
            ("  http://127.0.0.1:9000  ", "http://127.0.0.1:9000/api/"),
            ("https://example.com/hestia", "https://example.com/hestia/api/"),
        ];
        for (raw, want) in cases {
            assert_eq!(api_endpoint(raw).unwrap().as_str(), want, "{raw}");
        }
    }

    #[test]
    fn unusable_api_urls_are_config_errors_naming_the_constant() {
        for raw in ["panel.example:8083", "ftp://panel.example", "https://admin:pw@panel.example", "https://panel.example/?x=1", "not a url"] {
            let err = api_endpoint(raw).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Config, "{raw}");
            assert!(err.message.contains(API_URL), "{raw}: {}", err.message);
            assert!(!err.message.contains("pw@"), "{}", err.message);
        }
    }

    #[test]
    fn exit_codes_have_names() {
        assert_eq!(exit::name(3), "E_NOTEXIST");
        assert_eq!(exit::name(20), "E_RESTART");
        assert_eq!(exit::name(99), "unknown");
    }
}
