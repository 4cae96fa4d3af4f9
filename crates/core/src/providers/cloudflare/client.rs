//! Cloudflare's API v4: JSON with an API token as Bearer, every answer an
//! envelope `{"success", "errors": [{"code", "message"}], "result",
//! "result_info"}` read whatever the HTTP status, lists read page by page.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use super::{API_KEY, API_URL, SAAS_ZONE_ID, ZONE_ID};
use crate::domain::{printable, HostName};
use crate::error::{ErrorKind, ProviderError};
use crate::http::{self, Auth, Body, HttpSettings, Method, Request};
use crate::providers::{panel_id, Action, IdShape, NameStatus};
use crate::secret::Secret;

/// Custom hostnames asked for per page (Cloudflare's documented maximum is 50).
pub(super) const HOSTNAMES_PER_PAGE: u32 = 50;
/// DNS records asked for per page.
pub(super) const RECORDS_PER_PAGE: u32 = 100;
/// Pages read from one list at most: 2,000 pages of 50 is far beyond any
/// zone's quota, so a list that goes on is not Cloudflare answering.
const MAX_PAGES: u32 = 2_000;

/// Error codes that mean the token itself was refused or cannot reach the
/// resource: 1000 (invalid API token), 6003/6100–6111 (malformed
/// credentials), 9106/9109 (missing or unauthorised), 10000/10001
/// (authentication error).
fn is_auth_code(code: i64) -> bool {
    matches!(code, 1000 | 6003 | 6100..=6111 | 9106 | 9109 | 10000 | 10001)
}

/// Custom hostname quota codes: 1404 (none allocated), 1405 (exceeded).
fn is_quota_code(code: i64) -> bool {
    matches!(code, 1404 | 1405)
}

/// A CNAME refused because its name is taken: 81053 (an A, AAAA or CNAME
/// record with that host exists), 81054 (a CNAME with that host exists),
/// 81057 (the record exists), 81058 (an identical record exists).
fn is_name_taken_code(code: i64) -> bool {
    matches!(code, 81053 | 81054 | 81057 | 81058)
}

/// 7003 "Could not route to …, perhaps your object identifier is invalid?".
const NO_ROUTE: i64 = 7003;
/// 1406 "Duplicate custom hostname found." (HTTP 409).
const DUPLICATE_HOSTNAME: i64 = 1406;

pub(super) struct Client {
    pub base: Url,
    pub token: Secret,
    pub http: HttpSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct CfError {
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct ResultInfo {
    #[serde(default)]
    pub total_pages: Option<u64>,
}

/// The envelope every answer comes in; `success` must be there.
#[derive(Debug, Deserialize)]
struct Envelope {
    success: bool,
    #[serde(default)]
    errors: Vec<CfError>,
    #[serde(default)]
    result: Value,
    #[serde(default)]
    result_info: Option<ResultInfo>,
}

/// An answer read: its status, whether Cloudflare says it worked, its errors.
pub(super) struct Answer {
    pub status: u16,
    /// The body was Cloudflare's envelope (not a proxy's page).
    pub enveloped: bool,
    pub success: bool,
    pub errors: Vec<CfError>,
    pub result: Value,
    pub info: Option<ResultInfo>,
    pub excerpt: String,
    pub retry_after: Option<u64>,
    pub location: Option<String>,
}

impl Answer {
    pub fn ok(&self) -> bool {
        self.success && (200..300).contains(&self.status)
    }

    pub fn has_code(&self, wanted: impl Fn(i64) -> bool) -> bool {
        self.errors.iter().any(|e| wanted(e.code))
    }

    /// `1406 Duplicate custom hostname found.; …`, printable.
    pub fn error_text(&self) -> String {
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|e| {
                let message = printable(e.message.trim());
                if message.is_empty() { e.code.to_string() } else { format!("{} {message}", e.code) }
            })
            .collect();
        if parts.is_empty() { self.excerpt.clone() } else { parts.join("; ") }
    }

    fn first_code(&self) -> Option<i64> {
        self.errors.first().map(|e| e.code)
    }
}

/// Which of the two zones a request concerns, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ZoneRole {
    Network,
    Saas,
}

impl ZoneRole {
    fn constant(self) -> &'static str {
        match self {
            ZoneRole::Network => ZONE_ID,
            ZoneRole::Saas => SAAS_ZONE_ID,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Zone {
    pub name: String,
    #[serde(default)]
    pub account: Option<ZoneAccount>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct ZoneAccount {
    pub id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct DnsRecord {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub content: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct CustomHostname {
    pub id: String,
    pub hostname: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub ssl: Option<CustomHostnameSsl>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct CustomHostnameSsl {
    #[serde(default)]
    pub status: Option<String>,
}

impl CustomHostname {
    pub fn state(&self) -> NameStatus {
        NameStatus {
            status: self.status.as_deref().map(printable),
            certificate_status: self.ssl.as_ref().and_then(|s| s.status.as_deref()).map(printable),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct TokenStatus {
    #[serde(default)]
    pub status: String,
}

/// What creating a custom hostname came to.
pub(super) enum HostnameCreated {
    Created(CustomHostname),
    /// 1406: the hostname exists, in this zone or another.
    Duplicate(Answer),
}

/// What creating a CNAME came to.
pub(super) enum RecordCreated {
    Created,
    /// 81053 and the like: a record of that name exists.
    NameTaken(Answer),
}

/// What verifying the token came to.
pub(super) enum Verified {
    Active,
    /// The endpoint does not know the token (another owner's endpoint).
    Unknown(Answer),
    /// Known, but disabled or expired.
    Inactive(String),
}

impl Client {
    fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        url
    }

    /// Sends one request and reads the envelope. Every write is safe to
    /// repeat: a repeated create is answered as a duplicate, which is
    /// read as present, and a repeated delete as not found.
    pub fn exchange(&self, method: Method, segments: &[&str], query: &[(&str, String)], body: Option<Value>) -> Result<Answer, ProviderError> {
        let mut request = Request::new(method, self.url(segments, query));
        request.auth = Auth::Bearer(self.token.clone());
        request.retry_safe = true;
        if let Some(body) = body {
            request.body = Body::Json(body);
        }
        let response = http::send(&request, &self.http)?;
        let excerpt = response.excerpt();
        let retry_after = response.header("Retry-After").and_then(|v| v.trim().parse::<u64>().ok());
        let location = response.header("location").map(printable);
        match serde_json::from_str::<Envelope>(response.body.trim()) {
            Ok(envelope) => Ok(Answer {
                status: response.status,
                enveloped: true,
                success: envelope.success,
                errors: envelope.errors,
                result: envelope.result,
                info: envelope.result_info,
                excerpt,
                retry_after,
                location,
            }),
            // A refusal without Cloudflare's envelope (a proxy's page, a
            // redirect) is worded by its status.
            Err(_) if !response.is_success() => Ok(Answer {
                status: response.status,
                enveloped: false,
                success: false,
                errors: Vec::new(),
                result: Value::Null,
                info: None,
                excerpt,
                retry_after,
                location,
            }),
            Err(e) => {
                let hint = if response.body.trim_start().starts_with('<') {
                    format!(" It looks like a web page, not the API: {API_URL} must be the API's address, e.g. {}", super::DEFAULT_API_URL)
                } else {
                    String::new()
                };
                Err(ProviderError::new(
                    ErrorKind::Api,
                    format!("Cloudflare's answer could not be read ({e}): {excerpt}.{hint}"),
                )
                .with_status(response.status))
            }
        }
    }

    /// The `result` of a successful answer as `T`, or the refusal.
    fn result<T: DeserializeOwned>(&self, answer: Answer, role: ZoneRole, what: &str) -> Result<T, ProviderError> {
        if !answer.ok() {
            return Err(self.refusal(&answer, role));
        }
        serde_json::from_value(answer.result.clone()).map_err(|e| {
            ProviderError::new(ErrorKind::Api, format!("Cloudflare's {what} could not be read ({e}): {}", answer.excerpt))
                .with_status(answer.status)
        })
    }

    /// What a refused answer means; `role` says which zone constant a
    /// missing zone names.
    pub fn refusal(&self, answer: &Answer, role: ZoneRole) -> ProviderError {
        let status = answer.status;
        let said = answer.error_text();
        let err = if answer.has_code(is_quota_code) {
            ProviderError::new(
                ErrorKind::Limit,
                format!("Cloudflare refused a custom hostname for lack of quota (HTTP {status}: {said}): raise the Cloudflare for SaaS plan of {SAAS_ZONE_ID}, or remove unused custom hostnames"),
            )
        } else if status == 429 {
            let when = match answer.retry_after {
                Some(s) => format!("Cloudflare asks to wait {s} s before the next request (more than WU_NATIVE_TIMEOUT allows)"),
                None => "wait a few minutes".to_string(),
            };
            ProviderError::new(
                ErrorKind::Limit,
                format!("Cloudflare's API rate limit was reached (HTTP 429, 1,200 requests per 5 minutes per user): {when}, then try again"),
            )
        } else if matches!(status, 401 | 403) || answer.has_code(is_auth_code) {
            ProviderError::new(
                ErrorKind::Auth,
                format!(
                    "Cloudflare refused {API_KEY} (HTTP {status}: {said}): the token is wrong, expired or disabled, or lacks a permission it needs \
                     (Zone Read and DNS Edit on {ZONE_ID}, SSL and Certificates Edit on {SAAS_ZONE_ID}). It must be an API token sent as Bearer, not the Global API Key"
                ),
            )
        } else if answer.has_code(|c| c == NO_ROUTE) {
            let constant = role.constant();
            ProviderError::new(
                ErrorKind::NotFound,
                format!(
                    "Cloudflare has no zone {constant} reachable with this token (HTTP {status}: {said}): copy the Zone ID from the zone's Overview page, and check {API_URL} if set"
                ),
            )
        } else if status == 404 && !answer.enveloped {
            ProviderError::new(
                ErrorKind::Http,
                format!(
                    "HTTP 404 from {} without Cloudflare's answer: this is not Cloudflare's API; {API_URL} must be its address, e.g. {} ({})",
                    http::host_of(&self.base),
                    super::DEFAULT_API_URL,
                    answer.excerpt
                ),
            )
        } else if (300..400).contains(&status) {
            ProviderError::new(
                ErrorKind::Http,
                format!(
                    "Cloudflare redirected (HTTP {status}) to {}: set {API_URL} to the API's address, e.g. {}",
                    answer.location.as_deref().unwrap_or("an unnamed address"),
                    super::DEFAULT_API_URL
                ),
            )
        } else if !answer.errors.is_empty() {
            ProviderError::new(ErrorKind::Api, format!("Cloudflare answered HTTP {status} without success: {said}"))
        } else if (200..300).contains(&status) {
            ProviderError::new(ErrorKind::Api, format!("Cloudflare answered HTTP {status} with success false and no error: {}", answer.excerpt))
        } else {
            ProviderError::new(
                ErrorKind::Http,
                format!("unexpected HTTP {status} from {}: {}", http::host_of(&self.base), answer.excerpt),
            )
        };
        let err = err.with_status(status);
        match answer.first_code() {
            Some(code) => err.with_code(code),
            None => err,
        }
    }

    /// Every item of a paginated list, page after page.
    fn list<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        filters: &[(&str, String)],
        per_page: u32,
        role: ZoneRole,
        what: &str,
    ) -> Result<Vec<T>, ProviderError> {
        let mut items = Vec::new();
        let mut page: u32 = 1;
        loop {
            let mut query: Vec<(&str, String)> = filters.to_vec();
            query.push(("page", page.to_string()));
            query.push(("per_page", per_page.to_string()));
            let answer = self.exchange(Method::Get, segments, &query, None)?;
            let total_pages = answer.info.as_ref().and_then(|i| i.total_pages);
            let batch: Vec<T> = self.result(answer, role, what)?;
            let empty = batch.is_empty();
            items.extend(batch);
            let last = match total_pages {
                Some(total) => u64::from(page) >= total,
                // Without a page count, a short page is the last one.
                None => empty || items.len() < (page as usize) * (per_page as usize),
            };
            if last || empty {
                return Ok(items);
            }
            if page >= MAX_PAGES {
                return Err(ProviderError::new(
                    ErrorKind::Api,
                    format!("Cloudflare's {what} goes on past {MAX_PAGES} pages: check that {API_URL} points at Cloudflare itself"),
                ));
            }
            page += 1;
        }
    }

    /// `GET /zones/{id}`.
    pub fn zone(&self, id: &str, role: ZoneRole) -> Result<Zone, ProviderError> {
        let answer = self.exchange(Method::Get, &["zones", id], &[], None)?;
        self.result(answer, role, "zone")
    }

    /// `GET /user/tokens/verify` or `GET /accounts/{id}/tokens/verify`.
    pub fn verify_token(&self, account: Option<&str>) -> Result<Verified, ProviderError> {
        let answer = match account {
            None => self.exchange(Method::Get, &["user", "tokens", "verify"], &[], None)?,
            Some(account) => {
                let account = panel_id("Cloudflare", "account.id", account, IdShape::Token)?;
                self.exchange(Method::Get, &["accounts", account, "tokens", "verify"], &[], None)?
            }
        };
        if !answer.ok() {
            if matches!(answer.status, 400 | 401 | 403 | 404) {
                return Ok(Verified::Unknown(answer));
            }
            return Err(self.refusal(&answer, ZoneRole::Network));
        }
        let token: TokenStatus = self.result(answer, ZoneRole::Network, "token status")?;
        Ok(if token.status == "active" { Verified::Active } else { Verified::Inactive(printable(&token.status)) })
    }

    /// The zone's CNAME records whose name ends in `.{parent}`.
    pub fn cnames_under(&self, zone: &str, parent: &HostName) -> Result<Vec<DnsRecord>, ProviderError> {
        let filters = [("type", "CNAME".to_string()), ("name.endswith", format!(".{parent}"))];
        self.list(&["zones", zone, "dns_records"], &filters, RECORDS_PER_PAGE, ZoneRole::Network, "list of DNS records")
    }

    /// Every record of the zone named exactly `name`, whatever its type.
    pub fn records_named(&self, zone: &str, name: &HostName) -> Result<Vec<DnsRecord>, ProviderError> {
        let filters = [("name.exact", name.to_string())];
        self.list(&["zones", zone, "dns_records"], &filters, RECORDS_PER_PAGE, ZoneRole::Network, "list of DNS records")
    }

    /// `POST /zones/{zone}/dns_records`: a proxied CNAME `name` → `target`,
    /// automatic TTL, both full names.
    pub fn add_cname(&self, zone: &str, name: &HostName, target: &HostName) -> Result<RecordCreated, ProviderError> {
        let body = json!({"type": "CNAME", "name": name.as_str(), "content": target.as_str(), "proxied": true, "ttl": 1});
        let answer = self.exchange(Method::Post, &["zones", zone, "dns_records"], &[], Some(body))?;
        if answer.ok() {
            return Ok(RecordCreated::Created);
        }
        if answer.has_code(is_name_taken_code) {
            return Ok(RecordCreated::NameTaken(answer));
        }
        Err(self.refusal(&answer, ZoneRole::Network))
    }

    /// `DELETE /zones/{zone}/dns_records/{id}`; a record already gone is absent.
    pub fn delete_record(&self, zone: &str, id: &str) -> Result<Action, ProviderError> {
        let id = panel_id("Cloudflare", "dns_record.id", id, IdShape::Token)?;
        let answer = self.exchange(Method::Delete, &["zones", zone, "dns_records", id], &[], None)?;
        if answer.ok() {
            return Ok(Action::Removed);
        }
        if answer.status == 404 && answer.enveloped && !answer.has_code(|c| c == NO_ROUTE) {
            return Ok(Action::AlreadyAbsent);
        }
        Err(self.refusal(&answer, ZoneRole::Network))
    }

    /// Every custom hostname of the SaaS zone.
    pub fn custom_hostnames(&self, saas: &str) -> Result<Vec<CustomHostname>, ProviderError> {
        self.list(&["zones", saas, "custom_hostnames"], &[], HOSTNAMES_PER_PAGE, ZoneRole::Saas, "list of custom hostnames")
    }

    /// The custom hostname of the SaaS zone named exactly `name`, if any.
    pub fn custom_hostname(&self, saas: &str, name: &HostName) -> Result<Option<CustomHostname>, ProviderError> {
        let filters = [("hostname", name.to_string())];
        let found: Vec<CustomHostname> =
            self.list(&["zones", saas, "custom_hostnames"], &filters, HOSTNAMES_PER_PAGE, ZoneRole::Saas, "list of custom hostnames")?;
        Ok(found.into_iter().find(|h| crate::providers::panel_name(&h.hostname) == name.as_str()))
    }

    /// `POST /zones/{saas}/custom_hostnames` asking for a DV certificate
    /// validated over HTTP.
    pub fn add_custom_hostname(&self, saas: &str, name: &HostName) -> Result<HostnameCreated, ProviderError> {
        let body = json!({"hostname": name.as_str(), "ssl": {"method": "http", "type": "dv"}});
        let answer = self.exchange(Method::Post, &["zones", saas, "custom_hostnames"], &[], Some(body))?;
        if answer.ok() {
            return self.result(answer, ZoneRole::Saas, "new custom hostname").map(HostnameCreated::Created);
        }
        if answer.has_code(|c| c == DUPLICATE_HOSTNAME) {
            return Ok(HostnameCreated::Duplicate(answer));
        }
        Err(self.refusal(&answer, ZoneRole::Saas))
    }

    /// `DELETE /zones/{saas}/custom_hostnames/{id}` (its certificate goes
    /// with it); one already gone is absent.
    pub fn delete_custom_hostname(&self, saas: &str, id: &str) -> Result<Action, ProviderError> {
        let id = panel_id("Cloudflare", "custom_hostname.id", id, IdShape::Token)?;
        let answer = self.exchange(Method::Delete, &["zones", saas, "custom_hostnames", id], &[], None)?;
        if answer.ok() {
            return Ok(Action::Removed);
        }
        if answer.status == 404 && answer.enveloped && !answer.has_code(|c| c == NO_ROUTE) {
            return Ok(Action::AlreadyAbsent);
        }
        Err(self.refusal(&answer, ZoneRole::Saas))
    }
}

/// `WU_CLOUDFLARE_API_URL`, trimmed, without trailing `/`, used as given.
pub(super) fn api_base(raw: &str) -> Result<Url, ProviderError> {
    http::panel_url(
        API_URL,
        raw.trim().trim_end_matches('/'),
        &format!("give the API's address, e.g. {}", super::DEFAULT_API_URL),
        &format!("the token goes in {API_KEY}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client {
            base: api_base(super::super::DEFAULT_API_URL).unwrap(),
            token: Secret::new("t"),
            http: HttpSettings::with_timeout(std::time::Duration::from_secs(1)),
        }
    }

    fn answer(status: u16, body: &str) -> Answer {
        let envelope: Envelope = serde_json::from_str(body).unwrap();
        Answer {
            status,
            enveloped: true,
            success: envelope.success,
            errors: envelope.errors,
            result: envelope.result,
            info: envelope.result_info,
            excerpt: body.to_string(),
            retry_after: None,
            location: None,
        }
    }

    #[test]
    fn the_api_url_is_trimmed_and_paths_and_queries_are_appended() {
        let cases = [
            ("https://api.cloudflare.com/client/v4", "https://api.cloudflare.com/client/v4/zones/z/dns_records?name.exact=a.example"),
            (" https://api.cloudflare.com/client/v4/ ", "https://api.cloudflare.com/client/v4/zones/z/dns_records?name.exact=a.example"),
            ("http://127.0.0.1:9000/client/v4", "http://127.0.0.1:9000/client/v4/zones/z/dns_records?name.exact=a.example"),
        ];
        for (raw, want) in cases {
            let c = Client { base: api_base(raw).unwrap(), ..client() };
            assert_eq!(c.url(&["zones", "z", "dns_records"], &[("name.exact", "a.example".into())]).as_str(), want, "{raw}");
        }
        for raw in ["api.cloudflare.com/client/v4", "ftp://api.cloudflare.com", "https://t:k@api.cloudflare.com/client/v4", "https://api.cloudflare.com/client/v4?x=1"] {
            let err = api_base(raw).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Config, "{raw}");
            assert!(err.message.contains(API_URL), "{raw}: {}", err.message);
        }
    }

    /// Recorded answers of the real API (fixtures/*.json), read as the client reads them.
    #[test]
    fn recorded_answers_are_read_as_cloudflare_means_them() {
        let created: Answer = answer(201, include_str!("fixtures/custom-hostname-created.json"));
        assert!(created.ok());
        let hostname: CustomHostname = serde_json::from_value(created.result.clone()).unwrap();
        assert_eq!(hostname.hostname, "app.customer.com");
        assert_eq!(hostname.state(), NameStatus { status: Some("pending".into()), certificate_status: Some("pending_validation".into()) });

        let duplicate = answer(409, include_str!("fixtures/custom-hostname-duplicate.json"));
        assert!(!duplicate.ok() && duplicate.has_code(|c| c == DUPLICATE_HOSTNAME));

        let list = answer(200, include_str!("fixtures/custom-hostnames-page.json"));
        assert_eq!(list.info.as_ref().and_then(|i| i.total_pages), Some(2));
        let hostnames: Vec<CustomHostname> = serde_json::from_value(list.result.clone()).unwrap();
        assert_eq!(hostnames.len(), 1);

        let taken = answer(400, include_str!("fixtures/dns-record-name-taken.json"));
        assert!(taken.has_code(is_name_taken_code));

        let records: Vec<DnsRecord> =
            serde_json::from_value(answer(200, include_str!("fixtures/dns-records.json")).result).unwrap();
        assert_eq!((records[0].kind.as_str(), records[0].content.as_str()), ("CNAME", "network.example"));

        let zone: Zone = serde_json::from_value(answer(200, include_str!("fixtures/zone.json")).result).unwrap();
        assert_eq!(zone.account.map(|a| a.id).as_deref(), Some("01a7362d577a6c3019a474fd6f485823"));

        let verified: TokenStatus = serde_json::from_value(answer(200, include_str!("fixtures/token-verify.json")).result).unwrap();
        assert_eq!(verified.status, "active");
    }

    #[test]
    fn refusals_are_classified_by_code_and_status() {
        let c = client();
        let cases: [(u16, &str, ErrorKind, Option<i64>); 9] = [
            (403, r#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"messages":[],"result":null}"#, ErrorKind::Auth, Some(10000)),
            (400, r#"{"success":false,"errors":[{"code":6003,"message":"Invalid request headers"}],"messages":[],"result":null}"#, ErrorKind::Auth, Some(6003)),
            (401, r#"{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null}"#, ErrorKind::Auth, Some(1000)),
            (400, r#"{"success":false,"errors":[{"code":7003,"message":"Could not route to /client/v4/zones/x, perhaps your object identifier is invalid?"},{"code":7000,"message":"No route for that URI"}],"messages":[],"result":null}"#, ErrorKind::NotFound, Some(7003)),
            (403, r#"{"success":false,"errors":[{"code":1405,"message":"Quota exceeded."}],"messages":[],"result":null}"#, ErrorKind::Limit, Some(1405)),
            (429, r#"{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],"messages":[],"result":null}"#, ErrorKind::Limit, Some(971)),
            (200, r#"{"success":false,"errors":[{"code":1004,"message":"DNS Validation Error"}],"messages":[],"result":null}"#, ErrorKind::Api, Some(1004)),
            (200, r#"{"success":false,"errors":[],"messages":[],"result":null}"#, ErrorKind::Api, None),
            (500, r#"{"success":false,"errors":[],"messages":[],"result":null}"#, ErrorKind::Http, None),
        ];
        for (status, body, kind, code) in cases {
            let err = c.refusal(&answer(status, body), ZoneRole::Network);
            assert_eq!(err.kind, kind, "{status} {body}: {}", err.message);
            assert_eq!(err.http_status, Some(status));
            assert_eq!(err.provider_code, code.map(crate::error::ProviderCode::Number), "{body}");
        }
        let missing = c.refusal(&answer(400, r#"{"success":false,"errors":[{"code":7003,"message":"x"}],"result":null}"#), ZoneRole::Saas);
        assert!(missing.message.contains(SAAS_ZONE_ID), "{}", missing.message);
        let auth = c.refusal(&answer(403, r#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}"#), ZoneRole::Network);
        assert!(auth.message.contains(API_KEY) && auth.message.contains("Global API Key"), "{}", auth.message);
    }
}
