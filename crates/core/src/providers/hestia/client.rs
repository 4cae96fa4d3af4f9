//! Hestia's API: `v-*` commands posted as forms to `/api/`, answered with
//! an exit code (`returncode=yes`) or the command's output, and what each
//! answer means.

use std::collections::BTreeMap;

use serde::Deserialize;
use url::Url;

use super::{ACCOUNT, API_HASH, API_PASSWORD, API_URL, API_USER, WEB_DOMAIN};
use crate::domain::HostName;
use crate::error::{ErrorKind, ProviderError};
use crate::http::{self, Body, HttpSettings, Method, Request, Response};
use crate::providers::Action;
use crate::secret::Secret;

/// Hestia's exit codes that mean something to us.
pub(super) mod exit {
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


pub(super) enum Credentials {
    Password { user: String, password: Secret },
    Hash(Secret),
}


/// The commands of one account's web domain on one panel.
pub(super) struct Client {
    pub endpoint: Url,
    pub credentials: Credentials,
    pub account: String,
    pub web_domain: String,
    pub http: HttpSettings,
}

/// `v-list-web-domains USER json`: web domain → its fields (all strings).
#[derive(Deserialize)]
struct WebDomain {
    #[serde(rename = "ALIAS", default)]
    alias: String,
}


impl Client {
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
    pub fn run(&self, cmd: &str, args: &[&str]) -> Result<i64, ProviderError> {
        let response = http::send(&self.request(cmd, args, true), &self.http)?;
        if response.status == 200 {
            if let Ok(code) = response.body.trim().parse::<i64>() {
                return Ok(code);
            }
            if !response.body.trim_start().starts_with("Error") {
                return Err(ProviderError::new(
                    ErrorKind::Api,
                    format!("Hestia's answer to {cmd} could not be read (it is not an exit code); check that {API_URL} points at the Hestia API: {}", response.excerpt()),
                )
                .with_status(response.status));
            }
        }
        Err(self.refusal(&response))
    }

    /// Runs a command for its output. Legacy mode reports failures as 200
    /// with `Error: …`, key mode with a status and `Hestia-Exit-Code`.
    fn output(&self, cmd: &str, args: &[&str]) -> Result<Response, ProviderError> {
        let response = http::send(&self.request(cmd, args, false), &self.http)?;
        if succeeded(&response) {
            return Ok(response);
        }
        Err(self.failure(cmd, &response, &[]))
    }

    /// Deletes one alias of the web domain. Sent without `returncode`, so a
    /// failure comes with its words: exit 3 is `AlreadyAbsent` only when
    /// they are about the alias (`Error: alias X doesn't exist`), never when
    /// the account or the web domain is missing.
    pub fn delete_alias(&self, alias: &HostName, restart: &str) -> Result<Action, ProviderError> {
        let cmd = "v-delete-web-domain-alias";
        let args = [self.account.as_str(), self.web_domain.as_str(), alias.as_str(), restart];
        let response = http::send(&self.request(cmd, &args, false), &self.http)?;
        if succeeded(&response) {
            // The command prints nothing: key mode answers 204, legacy mode "OK".
            return match response.body.trim() {
                "" | "OK" => Ok(Action::Removed),
                _ => Err(ProviderError::new(
                    ErrorKind::Api,
                    format!("Hestia's answer to {cmd} could not be read (a delete prints nothing); check that {API_URL} points at the Hestia API: {}", response.excerpt()),
                )
                .with_status(response.status)),
            };
        }
        let code = response.header("Hestia-Exit-Code").and_then(|c| c.trim().parse::<i64>().ok());
        let lower = response.body.trim().to_ascii_lowercase();
        let about_the_alias = lower.starts_with("error: alias ") && lower.contains("doesn't exist");
        if about_the_alias && matches!(code, None | Some(exit::NOT_EXIST)) && response.status != 401 {
            return Ok(Action::AlreadyAbsent);
        }
        Err(self.failure(cmd, &response, &[alias]))
    }

    /// What a failed command's answer means (see `output`).
    fn failure(&self, cmd: &str, response: &Response, names: &[&HostName]) -> ProviderError {
        let text = response.body.trim();
        let code = response
            .header("Hestia-Exit-Code")
            .and_then(|c| c.trim().parse::<i64>().ok())
            .or_else(|| exit::from_legacy_text(text));
        match code {
            Some(exit::NOT_EXIST) if text.to_ascii_lowercase().starts_with("error: user ") => ProviderError::new(
                ErrorKind::NotFound,
                format!("{ACCOUNT} '{}' does not exist on this Hestia server: give the Hestia user that owns {WEB_DOMAIN}", self.account),
            )
            .with_code(exit::NOT_EXIST),
            Some(code) if code != exit::OK && response.status != 401 => self.exit_error(cmd, code, names),
            _ => self.refusal(response),
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
    pub fn exit_error(&self, cmd: &str, code: i64, names: &[&HostName]) -> ProviderError {
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

    pub fn list_aliases(&self) -> Result<Vec<String>, ProviderError> {
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
            .map(crate::providers::panel_name)
            .filter(|a| !a.is_empty())
            .collect())
    }

}

/// A command's output answer that is not a failure: 2xx without `Error:`
/// (legacy mode answers failures with 200 too).
fn succeeded(response: &Response) -> bool {
    response.is_success() && !response.body.trim_start().starts_with("Error:")
}

/// `WU_HESTIA_API_URL` as the plugin reads it: trailing `/` removed, `/api`
/// appended unless already there; then `/` so the panel's router answers.
pub(super) fn api_endpoint(raw: &str) -> Result<Url, ProviderError> {
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

