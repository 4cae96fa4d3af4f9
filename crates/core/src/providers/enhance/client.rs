//! Enhance's API: JSON with a Bearer token, one domain per request, errors
//! as `{"code": …, "message"|"detail": …}`, and what each answer means.

use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use super::{Target, API_TOKEN, API_URL, ORG_ID, SERVER_ID, WEBSITE_ID};
use crate::domain::{printable, HostName};
use crate::error::{ErrorKind, ProviderError};
use crate::http::{self, Auth, Body, HttpSettings, Method, Request, Response};
use crate::providers::{panel_id, Action, IdShape};
use crate::secret::Secret;

/// The domains of one server or website on one panel.
pub(super) struct Client {
    pub base: Url,
    pub token: Secret,
    pub target: Target,
    pub http: HttpSettings,
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

/// `POST …/domains`: `{"websiteId", "domainId"}` (server) or `{"id"}` (website).
#[derive(Deserialize)]
struct Created {
    #[serde(alias = "domainId")]
    #[allow(dead_code)]
    id: String,
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


/// A domain as the panel lists it.
pub(super) struct Listed {
    pub name: String,
    pub id: String,
    /// The website's primary domain (never removed by a reconcile).
    pub primary: bool,
}

impl Client {
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
            return Err(self.refusal(&response, true));
        }
        serde_json::from_str(response.body.trim()).map_err(|e| unreadable(&response, what, &e))
    }

    /// What a non-success answer means. `target_404` says whether a 404 from
    /// this request means the configured server/org/website does not exist.
    fn refusal(&self, response: &Response, target_404: bool) -> ProviderError {
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

    /// The target's domains, as the panel lists them.
    pub fn list_domains(&self) -> Result<Vec<Listed>, ProviderError> {
        let path = self.domains_path();
        Ok(match self.target {
            Target::Server { .. } => self
                .read::<ServerDomains>(&path, "list of server domains")?
                .domains
                .into_iter()
                .map(|d| Listed { name: d.domain_name, id: d.domain_id, primary: d.is_primary })
                .collect(),
            Target::Website { .. } => self
                .read::<WebsiteDomains>(&path, "list of website domains")?
                .items
                .into_iter()
                .map(|d| Listed { name: d.domain, id: d.domain_id, primary: d.mapping_kind == "primary" })
                .collect(),
        })
    }

    /// Checks the token and that the configured server or website exists.
    pub fn check_target(&self) -> Result<(), ProviderError> {
        match &self.target {
            Target::Server { .. } => self.read::<ServerDomains>(&self.domains_path(), "list of server domains").map(|_| ()),
            Target::Website { org, website } => {
                let response = self.send(Method::Get, &["orgs", org, "websites", website], None)?;
                if response.status == 200 {
                    Ok(())
                } else {
                    Err(self.refusal(&response, true))
                }
            }
        }
    }

    pub fn add(&self, name: &HostName) -> Result<Action, ProviderError> {
        let body = match self.target {
            // The panel takes a bare JSON string here (not the guide's object).
            Target::Server { .. } => json!(name.as_str()),
            Target::Website { .. } => json!({ "domain": name.as_str() }),
        };
        let response = self.send(Method::Post, &self.domains_path(), Some(body))?;
        if response.is_success() {
            // The panel answers the new domain's id: anything else (a web
            // page, another shape) is not the API having added it.
            return match serde_json::from_str::<Created>(response.body.trim()) {
                Ok(_) => Ok(Action::Added),
                Err(e) => Err(unreadable(&response, &format!("answer to adding {name}"), &e)),
            };
        }
        let exists = matches!(response.status, 400 | 409)
            && PanelError::parse(&response.body).is_some_and(|p| p.code == "already_exists");
        if exists {
            // The panel has it; whether this target is the one holding it
            // is for the caller to confirm (see `Enhance::change`).
            return Ok(Action::AlreadyPresent);
        }
        let err = self.refusal(&response, true);
        Err(ProviderError { message: format!("adding {name}: {}", err.message), ..err })
    }

    /// A name the panel says it has, but the configured target does not list.
    pub fn taken_elsewhere(&self, name: &HostName) -> ProviderError {
        let target = match &self.target {
            Target::Server { id } => format!("server {SERVER_ID} '{id}'"),
            Target::Website { website, .. } => format!("website {WEBSITE_ID} '{website}'"),
        };
        ProviderError::new(
            ErrorKind::Api,
            format!("adding {name}: Enhance answered already_exists, but {target} does not list it: another website of this panel uses it; remove it there first"),
        )
        .with_code("already_exists")
    }

    pub fn remove(&self, name: &HostName, id: &str) -> Result<Action, ProviderError> {
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
                let err = self.refusal(&response, false);
                Err(ProviderError { message: format!("removing {name}: {}", err.message), ..err })
            }
        }
    }
}


/// An answer that is not the JSON the API gives for `what`.
fn unreadable(response: &Response, what: &str, error: &serde_json::Error) -> ProviderError {
    let hint = if response.body.trim_start().starts_with('<') {
        format!(" It looks like a web page, not the API: {API_URL} must end with /api.")
    } else {
        String::new()
    };
    ProviderError::new(ErrorKind::Api, format!("Enhance's {what} could not be read ({error}): {}.{hint}", response.excerpt()))
        .with_status(response.status)
}

/// `WU_ENHANCE_API_URL`, trimmed and without trailing `/`. `/api` is not
/// appended: the guide tells users to include it, and a URL without it gets
/// an error saying so on the first request.
pub(super) fn api_base(raw: &str) -> Result<Url, ProviderError> {
    http::panel_url(
        API_URL,
        raw.trim().trim_end_matches('/'),
        "give the panel's API address, e.g. https://panel.example.com/api",
        &format!("the token goes in {API_TOKEN}"),
    )
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
            let provider = Client {
                base: api_base(raw).unwrap(),
                token: Secret::new("t"),
                target: Target::Server { id: "s".into() },
                http: HttpSettings::with_timeout(std::time::Duration::from_secs(1)),
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

