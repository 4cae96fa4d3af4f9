//! Enhance Control Panel: mapped domains become domains of one server
//! (`WU_ENHANCE_SERVER_ID`, the hosting guide's setup) or of one website
//! (`WU_ENHANCE_ORG_ID` + `WU_ENHANCE_WEBSITE_ID`, Ultimate Multisite 2.5+).
//!
//! JSON over `WU_ENHANCE_API_URL` (which must end in `/api`, as the guide
//! says; it is used as given) with a Bearer token. The panel adds and deletes
//! one domain per request, deletes by domain id, and reports a duplicate as
//! `already_exists`. Website domains are posted as `{"domain": …}` without
//! `kind`: the panel's default kind is `alias`, which is what a mapped domain is.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use super::{each_name, panel_id, Action, Applied, IdShape, Inventory, Plan, Provider, ProviderSpec};
use crate::config::{Setting, Values};
use crate::domain::{printable, HostName};
use crate::error::{ErrorKind, ProviderError};
use crate::http::{self, Auth, Body, HttpSettings, Method, Request, Response};
use crate::ops::Options;
use crate::secret::Secret;

pub const API_TOKEN: &str = "WU_ENHANCE_API_TOKEN";
pub const API_URL: &str = "WU_ENHANCE_API_URL";
pub const SERVER_ID: &str = "WU_ENHANCE_SERVER_ID";
pub const ORG_ID: &str = "WU_ENHANCE_ORG_ID";
pub const WEBSITE_ID: &str = "WU_ENHANCE_WEBSITE_ID";

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "enhance",
    title: "Enhance Control Panel",
    settings: &[
        Setting::required(API_TOKEN, "Access token with the System Administrator role (Settings → Access Tokens).").secret(),
        Setting::required(API_URL, "Panel API address ending in /api, e.g. https://panel.example.com/api."),
        Setting::alternative(SERVER_ID, "target", 0, "UUID of the server whose domains serve the network (hosting guide setup)."),
        Setting::alternative(ORG_ID, "target", 1, "UUID of the organisation owning the website (Ultimate Multisite 2.5+ setup); used with WU_ENHANCE_WEBSITE_ID."),
        Setting::alternative(WEBSITE_ID, "target", 1, "UUID of the website serving the network; with WU_ENHANCE_ORG_ID it takes precedence over WU_ENHANCE_SERVER_ID."),
    ],
    default_timeout: Duration::from_secs(45),
    build: Enhance::build,
    mode,
    target: write_target,
};

/// One server's domains, or one website's, on one panel.
fn write_target(values: &Values) -> Option<super::WriteTarget> {
    let host = http::host_of(&api_base(values.get(API_URL)?).ok()?);
    let target = configured_target(values).ok()?;
    let (identity, label) = match &target {
        Target::Server { id } => (format!("{host}|server|{id}"), format!("Enhance server {id} on {host}")),
        Target::Website { org, website } => {
            (format!("{host}|website|{org}|{website}"), format!("Enhance website {website} on {host}"))
        }
    };
    Some(super::WriteTarget { identity, label })
}

/// The org/website pair when both are set, else the server.
fn configured_target(values: &Values) -> Result<Target, ProviderError> {
    match (values.get(ORG_ID), values.get(WEBSITE_ID), values.get(SERVER_ID)) {
        (Some(org), Some(website), _) => {
            Ok(Target::Website { org: uuid(ORG_ID, org, "Org ID")?, website: uuid(WEBSITE_ID, website, "Website ID")? })
        }
        (_, _, Some(server)) => Ok(Target::Server { id: uuid(SERVER_ID, server, "Server ID")? }),
        _ => Err(ProviderError::config(format!(
            "Server ID is not configured: define {SERVER_ID}, or {ORG_ID} and {WEBSITE_ID}"
        ))),
    }
}

/// The org/website pair wins when both ways are configured: it is the newer
/// setup, and names the exact website.
fn mode(values: &Values) -> Option<&'static str> {
    Some(if values.get(ORG_ID).is_some() && values.get(WEBSITE_ID).is_some() { "website" } else { "server" })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Server { id: String },
    Website { org: String, website: String },
}

pub struct Enhance {
    base: Url,
    token: Secret,
    target: Target,
    http: HttpSettings,
}

/// `GET /servers/{id}/domains`.
#[derive(Deserialize)]
struct ServerDomains {
    domains: Vec<ServerDomain>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServerDomain {
    domain_id: String,
    domain_name: String,
    #[serde(default)]
    is_primary: bool,
}

/// `GET /orgs/{org}/websites/{w}/domains`.
#[derive(Deserialize)]
struct WebsiteDomains {
    items: Vec<WebsiteDomain>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebsiteDomain {
    domain_id: String,
    domain: String,
    #[serde(default)]
    mapping_kind: String,
}

/// The panel's error body.
#[derive(Deserialize)]
struct PanelError {
    code: String,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

impl PanelError {
    fn parse(body: &str) -> Option<PanelError> {
        serde_json::from_str(body.trim()).ok()
    }

    fn text(&self) -> String {
        let words = self.message.as_deref().filter(|m| !m.trim().is_empty()).or(self.detail.as_deref()).unwrap_or("");
        let words = printable(words.trim());
        if words.is_empty() { printable(&self.code) } else { format!("{} ({words})", printable(&self.code)) }
    }
}

impl Enhance {
    fn build(values: &Values, _options: &Options) -> Result<Box<dyn Provider>, ProviderError> {
        let token = values.secret(API_TOKEN).map(|t| t.expose().trim()).unwrap_or("");
        if token.is_empty() {
            return Err(ProviderError::config(format!(
                "Enhance API Token not found: define {API_TOKEN} in wp-config.php"
            )));
        }
        // A token is one header word; anything else would fail later with a
        // confusing transport error (and the value must not be echoed).
        if !token.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ProviderError::config(format!(
                "{API_TOKEN} contains spaces or characters a token cannot have: paste the token exactly as Enhance showed it"
            )));
        }
        let token = Secret::new(token);
        let base = api_base(values.require(API_URL)?)?;
        let target = configured_target(values)?;
        let http = HttpSettings::from_values(values, SPEC.default_timeout)?;
        Ok(Box::new(Enhance { base, token, target, http }))
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// The collection the configured target's domains live in.
    fn domains_path(&self) -> Vec<&str> {
        match &self.target {
            Target::Server { id } => vec!["servers", id.as_str(), "domains"],
            Target::Website { org, website } => vec!["orgs", org.as_str(), "websites", website.as_str(), "domains"],
        }
    }

    fn send(&self, method: Method, segments: &[&str], body: Option<Value>) -> Result<Response, ProviderError> {
        let mut request = Request::new(method, self.url(segments));
        request.auth = Auth::Bearer(self.token.clone());
        // A repeated add answers already_exists, handled as present.
        request.retry_safe = true;
        if let Some(body) = body {
            request.body = Body::Json(body);
        }
        http::send(&request, &self.http)
    }

    /// A JSON answer read into `T`, or the error the answer stands for.
    fn read<T: serde::de::DeserializeOwned>(&self, segments: &[&str], what: &str) -> Result<T, ProviderError> {
        let response = self.send(Method::Get, segments, None)?;
        if response.status != 200 {
            return Err(self.failure(&response, true));
        }
        serde_json::from_str(response.body.trim()).map_err(|e| {
            let hint = if response.body.trim_start().starts_with('<') {
                format!(" It looks like a web page, not the API: {API_URL} must end with /api.")
            } else {
                String::new()
            };
            ProviderError::new(ErrorKind::Api, format!("Enhance's {what} could not be read ({e}): {}.{hint}", response.excerpt()))
                .with_status(response.status)
        })
    }

    /// What a non-success answer means. `target_404` says whether a 404 from
    /// this request means the configured server/org/website does not exist.
    fn failure(&self, response: &Response, target_404: bool) -> ProviderError {
        let status = response.status;
        let panel = PanelError::parse(&response.body);
        let err = match (status, &panel) {
            (401 | 403, _) => ProviderError::new(
                ErrorKind::Auth,
                format!(
                    "Enhance refused {API_TOKEN} (HTTP {status}): the token is wrong, deleted or expired, or lacks the System Administrator role. \
                     Create a token with that role in Enhance (Settings → Access Tokens) and define it in wp-config.php"
                ),
            ),
            (404, None) => ProviderError::new(
                ErrorKind::Http,
                format!(
                    "HTTP 404 from {}: this is not the Enhance API; {API_URL} must end with /api (e.g. https://panel.example.com/api). Answer: {}",
                    http::host_of(&self.base),
                    response.excerpt()
                ),
            ),
            (404, Some(_)) if target_404 => ProviderError::new(ErrorKind::NotFound, self.target_missing()),
            (300..=399, _) => ProviderError::new(
                ErrorKind::Http,
                format!(
                    "Enhance redirected (HTTP {status}) to {}: set {API_URL} to the final https://…/api address",
                    printable(response.header("location").unwrap_or("an unnamed address"))
                ),
            ),
            (400..=499, Some(p)) => ProviderError::new(ErrorKind::Api, format!("Enhance answered HTTP {status}: {}", p.text())),
            _ => ProviderError::new(
                ErrorKind::Http,
                format!("unexpected HTTP {status} from {}: {}", http::host_of(&self.base), response.excerpt()),
            ),
        };
        let err = err.with_status(status);
        match panel {
            Some(p) => err.with_code(p.code.as_str()),
            None => err,
        }
    }

    fn target_missing(&self) -> String {
        match &self.target {
            Target::Server { id } => format!(
                "Server ID is not configured correctly: Enhance has no server {SERVER_ID} '{id}'. Copy the UUID from Servers in Enhance (or GET /api/servers)"
            ),
            Target::Website { org, website } => format!(
                "Enhance has no website {WEBSITE_ID} '{website}' in organisation {ORG_ID} '{org}': check both (the Org ID is shown on the Access Tokens page)"
            ),
        }
    }

    fn add(&self, name: &HostName) -> Result<Action, ProviderError> {
        let body = match self.target {
            // The panel takes a bare JSON string here (not the guide's object).
            Target::Server { .. } => json!(name.as_str()),
            Target::Website { .. } => json!({ "domain": name.as_str() }),
        };
        let response = self.send(Method::Post, &self.domains_path(), Some(body))?;
        if response.is_success() {
            return Ok(Action::Added);
        }
        let exists = matches!(response.status, 400 | 409)
            && PanelError::parse(&response.body).is_some_and(|p| p.code == "already_exists");
        if exists {
            // Added by someone else since we looked: the goal is met.
            return Ok(Action::AlreadyPresent);
        }
        let err = self.failure(&response, true);
        Err(ProviderError { message: format!("adding {name}: {}", err.message), ..err })
    }

    fn remove(&self, name: &HostName, id: &str) -> Result<Action, ProviderError> {
        let id = panel_id("Enhance", "domainId", id, IdShape::Uuid)
            .map_err(|e| ProviderError { message: format!("removing {name}: {}", e.message), ..e })?;
        let mut segments = self.domains_path();
        segments.push(id);
        let response = self.send(Method::Delete, &segments, None)?;
        match response.status {
            200 | 204 => Ok(Action::Removed),
            // Gone since we looked (the target itself was found then).
            404 => Ok(Action::AlreadyAbsent),
            _ => {
                let err = self.failure(&response, false);
                Err(ProviderError { message: format!("removing {name}: {}", err.message), ..err })
            }
        }
    }
}

impl Provider for Enhance {
    fn inventory(&self) -> Result<Inventory, ProviderError> {
        let path = self.domains_path();
        // (name, id, whether it is the website's primary domain)
        let entries: Vec<(String, String, bool)> = match self.target {
            Target::Server { .. } => self
                .read::<ServerDomains>(&path, "list of server domains")?
                .domains
                .into_iter()
                .map(|d| (d.domain_name, d.domain_id, d.is_primary))
                .collect(),
            Target::Website { .. } => self
                .read::<WebsiteDomains>(&path, "list of website domains")?
                .items
                .into_iter()
                .map(|d| (d.domain, d.domain_id, d.mapping_kind == "primary"))
                .collect(),
        };
        let mut inventory = Inventory::default();
        for (name, id, primary) in entries {
            let name = normalised(&name);
            if primary {
                inventory.protected.insert(name.clone());
            }
            inventory.names.insert(name, Some(id));
        }
        Ok(inventory)
    }

    /// One request per name, `plan.concurrency` at a time; stops at the
    /// first error unless the plan goes on, keeping what was done.
    fn apply(&self, plan: &Plan, inventory: &Inventory) -> Applied {
        let mut applied = each_name(&plan.add, plan, |name| self.add(name));
        if applied.error.is_none() {
            applied.extend(each_name(&plan.remove, plan, |name| match inventory.names.get(name.as_str()) {
                Some(Some(id)) => self.remove(name, id),
                _ => Ok(Action::AlreadyAbsent),
            }));
        }
        applied
    }

    fn test_connection(&self) -> Result<(), ProviderError> {
        match &self.target {
            Target::Server { .. } => self.read::<ServerDomains>(&self.domains_path(), "list of server domains").map(|_| ()),
            Target::Website { org, website } => {
                let response = self.send(Method::Get, &["orgs", org, "websites", website], None)?;
                if response.status == 200 {
                    Ok(())
                } else {
                    Err(self.failure(&response, true))
                }
            }
        }
    }
}

/// A panel's name as ops compares it: punycode, lower case, no trailing dot.
fn normalised(name: &str) -> String {
    let name = name.trim().trim_end_matches('.');
    HostName::parse(name).map(|h| h.to_string()).unwrap_or_else(|_| name.to_lowercase())
}

/// `WU_ENHANCE_API_URL`, trimmed and without trailing `/`. `/api` is not
/// appended: the guide tells users to include it, and a URL without it gets
/// an error saying so on the first request.
fn api_base(raw: &str) -> Result<Url, ProviderError> {
    http::panel_url(
        API_URL,
        raw.trim().trim_end_matches('/'),
        "give the panel's API address, e.g. https://panel.example.com/api",
        &format!("the token goes in {API_TOKEN}"),
    )
}

/// An Enhance id: a UUID (8-4-4-4-12 hex digits), returned in lower case.
fn uuid(constant: &str, raw: &str, label: &str) -> Result<String, ProviderError> {
    let value = raw.trim();
    let groups: Vec<&str> = value.split('-').collect();
    let shape_ok = groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()));
    if !shape_ok {
        return Err(ProviderError::config(format!(
            "{label} is not configured correctly: {constant} must be a UUID like 00000000-0000-0000-0000-000000000000, got '{}'",
            printable(value)
        )));
    }
    Ok(value.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_url_is_trimmed_and_used_as_given() {
        let cases = [
            ("https://panel.example/api", "https://panel.example/api"),
            ("https://panel.example/api/", "https://panel.example/api"),
            ("  https://panel.example/api//  ", "https://panel.example/api"),
            ("http://127.0.0.1:9000/api", "http://127.0.0.1:9000/api"),
            ("https://panel.example", "https://panel.example/"),
            ("https://panel.example/enhance/api/", "https://panel.example/enhance/api"),
        ];
        for (raw, want) in cases {
            assert_eq!(api_base(raw).unwrap().as_str(), want, "{raw}");
        }
    }

    #[test]
    fn request_paths_are_appended_to_the_api_url() {
        let cases = [
            ("https://panel.example/api/", "https://panel.example/api/servers/s/domains"),
            ("https://panel.example", "https://panel.example/servers/s/domains"),
        ];
        for (raw, want) in cases {
            let provider = Enhance {
                base: api_base(raw).unwrap(),
                token: Secret::new("t"),
                target: Target::Server { id: "s".into() },
                http: HttpSettings::with_timeout(Duration::from_secs(1)),
            };
            assert_eq!(provider.url(&provider.domains_path()).as_str(), want, "{raw}");
        }
    }

    #[test]
    fn unusable_api_urls_are_config_errors_naming_the_constant() {
        for raw in ["panel.example/api", "ftp://panel.example/api", "https://admin:pw@panel.example/api", "https://panel.example/api?x=1", "not a url", ""] {
            let err = api_base(raw).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Config, "{raw}");
            assert!(err.message.contains(API_URL), "{raw}: {}", err.message);
            assert!(!err.message.contains("pw@"), "{}", err.message);
        }
    }

    #[test]
    fn ids_must_be_uuids_and_are_lower_cased() {
        assert_eq!(uuid(SERVER_ID, " 00000000-0000-4000-8000-00000000000A ", "Server ID").unwrap(), "00000000-0000-4000-8000-00000000000a");
        for bad in ["1", "my-server", "00000000-0000-4000-8000-00000000000", "00000000-0000-4000-8000-0000000000001", "0000000g-0000-4000-8000-000000000001", "00000000000040008000000000000001", "{00000000-0000-4000-8000-000000000001}"] {
            let err = uuid(SERVER_ID, bad, "Server ID").unwrap_err();
            assert_eq!(err.kind, ErrorKind::Config, "{bad}");
            assert!(err.message.contains(SERVER_ID) && err.message.contains("Server ID is not configured"), "{bad}: {}", err.message);
        }
    }

    #[test]
    fn panel_error_bodies_prefer_the_message_over_the_detail() {
        let cases = [
            (r#"{"code":"already_exists","detail":"Domain a.com exists"}"#, "already_exists (Domain a.com exists)"),
            (r#"{"code":"x","detail":"d","message":"m"}"#, "x (m)"),
            (r#"{"code":"x"}"#, "x"),
        ];
        for (body, want) in cases {
            assert_eq!(PanelError::parse(body).unwrap().text(), want);
        }
        assert!(PanelError::parse("<html>").is_none());
    }
}
