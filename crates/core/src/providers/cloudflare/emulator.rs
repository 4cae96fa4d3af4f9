//! Cloudflare's API v4 under `/client/v4` (Bearer API tokens): zones, their
//! DNS records and, on Cloudflare for SaaS zones, custom hostnames; token
//! verification for user- and account-owned tokens. Answers come in
//! Cloudflare's envelope with its error codes.

use crate::emulator::valid_host;
use crate::http::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const PREFIX: &str = "/client/v4";
/// Cloudflare's documented page size limit for custom hostnames.
const HOSTNAMES_MAX_PER_PAGE: usize = 50;
const HOSTNAMES_DEFAULT_PER_PAGE: usize = 20;
const RECORDS_MAX_PER_PAGE: usize = 5000;
const RECORDS_DEFAULT_PER_PAGE: usize = 100;

fn envelope(status: u16, result: Value) -> HttpResponse {
    HttpResponse::json(status, &json!({"success": true, "errors": [], "messages": [], "result": result}))
}

fn page_envelope(items: Vec<Value>, page: usize, per_page: usize, total: usize) -> HttpResponse {
    let total_pages = if total == 0 { 0 } else { total.div_ceil(per_page) };
    HttpResponse::json(
        200,
        &json!({
            "success": true, "errors": [], "messages": [], "result": items,
            "result_info": {"page": page, "per_page": per_page, "count": items.len(), "total_count": total, "total_pages": total_pages}
        }),
    )
}

fn errors(status: u16, list: &[(i64, &str)]) -> HttpResponse {
    let errors: Vec<Value> = list.iter().map(|(code, message)| json!({"code": code, "message": message})).collect();
    HttpResponse::json(status, &json!({"success": false, "errors": errors, "messages": [], "result": null}))
}

fn error(status: u16, code: i64, message: &str) -> HttpResponse {
    errors(status, &[(code, message)])
}

fn no_route(path: &str) -> HttpResponse {
    errors(
        400,
        &[(7003, &format!("Could not route to {path}, perhaps your object identifier is invalid?")), (7000, "No route for that URI")],
    )
}

fn authentication_error() -> HttpResponse {
    error(403, 10000, "Authentication error")
}

fn invalid_token() -> HttpResponse {
    error(401, 1000, "Invalid API Token")
}

fn method_not_allowed() -> HttpResponse {
    error(405, 7001, "Method not allowed for this endpoint")
}

/// Token from `Authorization: Bearer T` (scheme case-insensitive).
fn bearer(req: &HttpRequest) -> Option<&str> {
    let h = req.header("authorization")?.trim();
    let (scheme, token) = h.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn query(req: &HttpRequest) -> BTreeMap<String, String> {
    form_urlencoded::parse(req.query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn paging(q: &BTreeMap<String, String>, default: usize, max: usize) -> (usize, usize) {
    let page = q.get("page").and_then(|p| p.trim().parse::<usize>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let per_page = q.get("per_page").and_then(|p| p.trim().parse::<usize>().ok()).filter(|p| *p >= 1).unwrap_or(default).min(max);
    (page, per_page)
}

fn paged(items: Vec<Value>, q: &BTreeMap<String, String>, default: usize, max: usize) -> HttpResponse {
    let (page, per_page) = paging(q, default, max);
    let total = items.len();
    let shown: Vec<Value> = items.into_iter().skip((page - 1).saturating_mul(per_page)).take(per_page).collect();
    page_envelope(shown, page, per_page, total)
}

fn is_zone_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn handle(st: &mut CloudflareState, req: &HttpRequest) -> HttpResponse {
    let rest = req.path.strip_prefix(PREFIX).unwrap_or(&req.path);
    let seg: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let m = req.method.as_str();
    let token = bearer(req).and_then(|t| st.tokens.iter().find(|k| !t.is_empty() && k.value == t)).cloned();

    // Token verification answers for unknown tokens in its own words.
    match seg.as_slice() {
        ["user", "tokens", "verify"] => {
            return match (m, token) {
                ("GET", Some(t)) if t.owner == TokenOwner::User => envelope(200, json!({"id": t.id, "status": t.status})),
                ("GET", _) => invalid_token(),
                _ => method_not_allowed(),
            };
        }
        ["accounts", account, "tokens", "verify"] => {
            return match (m, token) {
                ("GET", Some(t)) if t.owner == TokenOwner::Account && t.account == *account => {
                    envelope(200, json!({"id": t.id, "status": t.status}))
                }
                ("GET", _) => invalid_token(),
                _ => method_not_allowed(),
            };
        }
        _ => {}
    }
    let Some(token) = token.filter(|t| t.status == "active") else {
        return authentication_error();
    };
    let ["zones", zone_id, rest @ ..] = seg.as_slice() else {
        return no_route(&req.path);
    };
    let zone_id = zone_id.to_string();
    if !is_zone_id(&zone_id) || !st.zones.contains_key(&zone_id) {
        return no_route(&req.path);
    }
    if st.zones.get(&zone_id).is_some_and(|z| z.account != token.account) {
        return error(403, 9109, "Unauthorized to access requested resource");
    }
    match (rest, m) {
        ([], "GET") => zone(st, &zone_id),
        (["dns_records"], "GET") => list_records(st, &zone_id, &query(req)),
        (["dns_records"], "POST") => create_record(st, &zone_id, &req.body),
        (["dns_records", id], "DELETE") => delete_record(st, &zone_id, id),
        (["custom_hostnames"], "GET") => list_hostnames(st, &zone_id, &query(req)),
        (["custom_hostnames"], "POST") => create_hostname(st, &zone_id, &req.body),
        (["custom_hostnames", id], "DELETE") => delete_hostname(st, &zone_id, id),
        ([] | ["dns_records"] | ["dns_records", _] | ["custom_hostnames"] | ["custom_hostnames", _], _) => method_not_allowed(),
        _ => no_route(&req.path),
    }
}

fn zone(st: &CloudflareState, id: &str) -> HttpResponse {
    let Some(z) = st.zones.get(id) else { return no_route(id) };
    envelope(200, json!({"id": id, "name": z.name, "status": "active", "paused": false, "type": "full", "account": {"id": z.account, "name": "Sandbox account"}}))
}

fn record_json(zone_id: &str, zone: &CloudflareZone, r: &DnsRecord) -> Value {
    json!({
        "id": r.id, "zone_id": zone_id, "zone_name": zone.name, "name": r.name, "type": r.kind, "content": r.content,
        "proxiable": true, "proxied": r.proxied, "ttl": r.ttl, "settings": {}, "meta": {}, "comment": null, "tags": [],
        "created_on": "2026-01-01T00:00:00Z", "modified_on": "2026-01-01T00:00:00Z"
    })
}

fn list_records(st: &CloudflareState, zone_id: &str, q: &BTreeMap<String, String>) -> HttpResponse {
    let Some(zone) = st.zones.get(zone_id) else { return no_route(zone_id) };
    let exact = q.get("name.exact").or_else(|| q.get("name")).map(|n| zone.full_name(n));
    let ends = q.get("name.endswith").map(|s| s.to_ascii_lowercase());
    let kind = q.get("type").map(|t| t.to_ascii_uppercase());
    let items: Vec<Value> = zone
        .records
        .iter()
        .filter(|r| exact.as_ref().is_none_or(|n| r.name == *n))
        .filter(|r| ends.as_ref().is_none_or(|s| r.name.ends_with(s.as_str())))
        .filter(|r| kind.as_ref().is_none_or(|k| r.kind == *k))
        .map(|r| record_json(zone_id, zone, r))
        .collect();
    paged(items, q, RECORDS_DEFAULT_PER_PAGE, RECORDS_MAX_PER_PAGE)
}

fn dns_validation(detail: &str) -> HttpResponse {
    HttpResponse::json(
        400,
        &json!({"success": false, "errors": [{"code": 1004, "message": "DNS Validation Error", "error_chain": [{"code": 9005, "message": detail}]}], "messages": [], "result": null}),
    )
}

fn create_record(st: &mut CloudflareState, zone_id: &str, body: &[u8]) -> HttpResponse {
    let Ok(v @ Value::Object(_)) = serde_json::from_slice::<Value>(body) else {
        return error(400, 9207, "Request body is invalid.");
    };
    let kind = v.get("type").and_then(Value::as_str).unwrap_or("").to_ascii_uppercase();
    if !matches!(kind.as_str(), "A" | "AAAA" | "CNAME" | "TXT") {
        return dns_validation("Record type is invalid or not supported here.");
    }
    let Some(raw_name) = v.get("name").and_then(Value::as_str) else {
        return dns_validation("DNS name is invalid.");
    };
    let content = v.get("content").and_then(Value::as_str).unwrap_or("").trim().trim_end_matches('.').to_ascii_lowercase();
    let proxied = v.get("proxied").and_then(Value::as_bool).unwrap_or(false);
    let ttl = v.get("ttl").and_then(Value::as_i64).unwrap_or(1);
    if ttl != 1 && !(60..=86400).contains(&ttl) {
        return dns_validation("TTL must be between 60 and 86400 seconds, or 1 for Automatic.");
    }
    let id = st.new_record_id();
    let Some(zone) = st.zones.get_mut(zone_id) else { return no_route(zone_id) };
    let name = zone.full_name(raw_name);
    if !valid_host(&name, true) {
        return dns_validation("DNS name is invalid.");
    }
    if kind == "CNAME" {
        // Cloudflare reads "@" in a CNAME's content as the zone apex.
        let content = if content == "@" { zone.name.clone() } else { content.clone() };
        if !valid_host(&content, false) || content == name {
            return dns_validation("Content for CNAME record is invalid.");
        }
    }
    let content = if kind == "CNAME" && content == "@" { zone.name.clone() } else { content };
    if zone.records.iter().any(|r| r.name == name && r.kind == kind && r.content == content) {
        return error(400, 81058, "An identical record already exists.");
    }
    let address_kinds = ["A", "AAAA", "CNAME"];
    if kind == "CNAME" && zone.records.iter().any(|r| r.name == name && address_kinds.contains(&r.kind.as_str())) {
        return error(
            400,
            81053,
            "An A, AAAA, or CNAME record with that host already exists. For more details, refer to <https://developers.cloudflare.com/dns/manage-dns-records/troubleshooting/records-with-same-name/>.",
        );
    }
    if matches!(kind.as_str(), "A" | "AAAA") && zone.records.iter().any(|r| r.name == name && r.kind == "CNAME") {
        return error(400, 81054, "A CNAME record with that host already exists. For more details, refer to <https://developers.cloudflare.com/dns/manage-dns-records/troubleshooting/records-with-same-name/>.");
    }
    let record = DnsRecord { id, kind, name, content, proxied, ttl };
    zone.records.push(record.clone());
    let zone = &st.zones[zone_id];
    envelope(200, record_json(zone_id, zone, &record))
}

fn delete_record(st: &mut CloudflareState, zone_id: &str, id: &str) -> HttpResponse {
    let Some(zone) = st.zones.get_mut(zone_id) else { return no_route(zone_id) };
    match zone.records.iter().position(|r| r.id == id) {
        Some(pos) => {
            zone.records.remove(pos);
            envelope(200, json!({"id": id}))
        }
        None => error(404, 81044, "Record does not exist."),
    }
}

fn hostname_json(h: &CustomHostname) -> Value {
    json!({
        "id": h.id, "hostname": h.hostname, "status": h.status,
        "ssl": {"id": h.id, "type": h.ssl_type, "method": h.ssl_method, "status": h.ssl_status, "settings": {}, "bundle_method": "ubiquitous", "wildcard": false},
        "ownership_verification_http": {
            "http_url": format!("http://{}/.well-known/cf-custom-hostname-challenge/{}", h.hostname, h.id),
            "http_body": format!("sandbox-{}", h.id)
        },
        "created_at": "2026-01-01T00:00:00Z"
    })
}

fn list_hostnames(st: &CloudflareState, zone_id: &str, q: &BTreeMap<String, String>) -> HttpResponse {
    let Some(zone) = st.zones.get(zone_id) else { return no_route(zone_id) };
    if q.contains_key("id") && q.contains_key("hostname") {
        return error(400, 1438, "Cannot specify other filter parameters in addition to `id`. Only one must be specified. Check your input and try again.");
    }
    let wanted = q.get("hostname").map(|h| h.trim().to_ascii_lowercase());
    let items: Vec<Value> = zone
        .custom_hostnames
        .iter()
        .filter(|h| wanted.as_ref().is_none_or(|w| h.hostname == *w))
        .filter(|h| q.get("id").is_none_or(|id| h.id == *id))
        .map(hostname_json)
        .collect();
    paged(items, q, HOSTNAMES_DEFAULT_PER_PAGE, HOSTNAMES_MAX_PER_PAGE)
}

fn create_hostname(st: &mut CloudflareState, zone_id: &str, body: &[u8]) -> HttpResponse {
    let Ok(v @ Value::Object(_)) = serde_json::from_slice::<Value>(body) else {
        return error(400, 1400, "Unable to decode the JSON request body. Check your input and try again.");
    };
    let Some(hostname) = v.get("hostname").and_then(Value::as_str).map(|h| h.trim().to_ascii_lowercase()) else {
        return error(400, 1407, "Invalid custom hostname. Custom hostnames have to be smaller than 256 characters in length, cannot be IP addresses, cannot contain any special characters.");
    };
    if !hostname.is_ascii() {
        return error(400, 1408, "Custom hostnames with non-ASCII characters are not supported. Check your input and try again.");
    }
    if !valid_host(&hostname, false) || !hostname.contains('.') {
        return error(400, 1407, "Invalid custom hostname. Custom hostnames have to be smaller than 256 characters in length, cannot be IP addresses, cannot contain any special characters.");
    }
    let (method, kind) = match v.get("ssl") {
        None | Some(Value::Null) => ("http".to_string(), "dv".to_string()),
        Some(ssl) => match (ssl.get("method").and_then(Value::as_str), ssl.get("type").and_then(Value::as_str)) {
            (Some(m), Some(t)) => (m.to_string(), t.to_string()),
            _ => return error(400, 1440, "Both validation type and validation method are required. Check your input and try again."),
        },
    };
    if !matches!(method.as_str(), "http" | "txt" | "email") {
        return error(400, 1432, "The validation method is not supported. Only http, email, or txt are accepted. Check your input and try again.");
    }
    if kind != "dv" {
        return error(400, 1433, "The validation type is not supported. Only 'dv' is accepted. Check your input and try again.");
    }
    // A custom hostname exists once across Cloudflare.
    if st.zones.values().any(|z| z.custom_hostnames.iter().any(|h| h.hostname == hostname)) {
        return error(409, 1406, "Duplicate custom hostname found.");
    }
    let id = st.new_hostname_id();
    let Some(zone) = st.zones.get_mut(zone_id) else { return no_route(zone_id) };
    match zone.custom_hostname_quota {
        None => return error(403, 1404, "No quota has been allocated for this zone."),
        Some(quota) if zone.custom_hostnames.len() as u64 >= quota => return error(403, 1405, "Quota exceeded."),
        Some(_) => {}
    }
    let created = CustomHostname {
        id,
        hostname,
        status: "pending".into(),
        ssl_status: "pending_validation".into(),
        ssl_method: method,
        ssl_type: kind,
    };
    zone.custom_hostnames.push(created.clone());
    envelope(201, hostname_json(&created))
}

fn delete_hostname(st: &mut CloudflareState, zone_id: &str, id: &str) -> HttpResponse {
    let Some(zone) = st.zones.get_mut(zone_id) else { return no_route(zone_id) };
    match zone.custom_hostnames.iter().position(|h| h.id == id) {
        Some(pos) => {
            zone.custom_hostnames.remove(pos);
            envelope(200, json!({"id": id}))
        }
        None => error(404, 1436, "The custom hostname was not found."),
    }
}

// The Cloudflare emulator, serving everything under `/client/v4`.
crate::emulator::declare!(Cloudflare, "cloudflare", CloudflareState, include_str!("fixtures/seed.json"));

impl crate::emulator::Emulator for Cloudflare {
    fn panel(&self) -> crate::Panel {
        crate::Panel::Cloudflare
    }

    fn serves(&self, path: &str) -> bool {
        crate::emulator::under(path, PREFIX)
    }

    fn handle(&self, state: &mut crate::State, req: &HttpRequest) -> crate::emulator::Handled {
        let answer = crate::Answer::Respond(handle(&mut state.cloudflare, req));
        let auth = if req.header("authorization").is_some() { "bearer" } else { "none" };
        crate::emulator::Handled { answer, detail: crate::body_detail(req, auth) }
    }

    fn unhandled_detail(&self, req: &HttpRequest) -> String {
        crate::body_detail(req, &crate::auth_scheme(req))
    }

    /// The network zone's name, its CNAMEs to it, then the SaaS zone's custom hostnames.
    fn served(&self, state: &crate::State) -> Vec<String> {
        let st = &state.cloudflare;
        let mut names = Vec::new();
        if let Some((_, zone)) = st.network_zone() {
            names.push(zone.name.clone());
            names.extend(zone.records.iter().filter(|r| r.kind == "CNAME" && r.content == zone.name).map(|r| r.name.clone()));
        }
        if let Some((_, saas)) = st.saas_zone() {
            names.extend(saas.custom_hostnames.iter().map(|h| h.hostname.clone()));
        }
        names
    }

    /// The first user-owned token, the network zone and the SaaS zone.
    fn constants(&self, state: &crate::State, url: &str) -> Vec<(&'static str, String)> {
        let st = &state.cloudflare;
        let token = st.tokens.iter().find(|t| t.owner == TokenOwner::User).or(st.tokens.first());
        let mut out = vec![
            ("WU_CLOUDFLARE_API_KEY", token.map(|t| t.value.clone()).unwrap_or_default()),
            ("WU_CLOUDFLARE_ZONE_ID", st.network_zone().map(|(id, _)| id.clone()).unwrap_or_default()),
            ("WU_CLOUDFLARE_API_URL", format!("{url}{PREFIX}")),
        ];
        if let Some((id, _)) = st.saas_zone() {
            out.push(("WU_CLOUDFLARE_SAAS_ZONE_ID", id.clone()));
        }
        out
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct CloudflareState {
    pub tokens: Vec<ApiToken>,
    /// By zone id (32 hex digits).
    pub zones: BTreeMap<String, CloudflareZone>,
    /// Counter behind the deterministic ids the sandbox hands out.
    pub next_id: u64,
}

impl Default for CloudflareState {
    fn default() -> Self {
        CloudflareState { tokens: Vec::new(), zones: BTreeMap::new(), next_id: 1 }
    }
}

impl CloudflareState {
    fn bump(&mut self) -> u64 {
        let n = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        n
    }

    /// 32 hex digits, as Cloudflare's record ids.
    pub fn new_record_id(&mut self) -> String {
        format!("{:032x}", 0xd0_0000_0000_u64 + self.bump())
    }

    /// A UUID, as Cloudflare's custom hostname ids.
    pub fn new_hostname_id(&mut self) -> String {
        format!("00000000-0000-4000-a000-{:012x}", self.bump() % 0x1_0000_0000_0000)
    }

    /// The first zone without custom hostnames: where the network lives.
    pub fn network_zone(&self) -> Option<(&String, &CloudflareZone)> {
        self.zones.iter().find(|(_, z)| z.custom_hostname_quota.is_none())
    }

    /// The first zone with a custom hostname quota: the SaaS zone.
    pub fn saas_zone(&self) -> Option<(&String, &CloudflareZone)> {
        self.zones.iter().find(|(_, z)| z.custom_hostname_quota.is_some())
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TokenOwner {
    #[default]
    User,
    Account,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct ApiToken {
    pub id: String,
    pub value: String,
    /// A user's token, or one owned by `account`.
    pub owner: TokenOwner,
    /// The account whose zones it reaches.
    pub account: String,
    /// `active`, `disabled` or `expired`.
    pub status: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct CloudflareZone {
    pub name: String,
    pub account: String,
    pub records: Vec<DnsRecord>,
    /// Cloudflare for SaaS: how many custom hostnames the zone may have
    /// (`None`: none allocated, error 1404).
    pub custom_hostname_quota: Option<u64>,
    pub custom_hostnames: Vec<CustomHostname>,
}

impl CloudflareZone {
    /// A record name as Cloudflare stores it: `@` is the apex, a name
    /// outside the zone is relative to it, lower case.
    pub fn full_name(&self, raw: &str) -> String {
        let name = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        if name == "@" || name.is_empty() {
            self.name.clone()
        } else if name == self.name || name.ends_with(&format!(".{}", self.name)) {
            name
        } else {
            format!("{name}.{}", self.name)
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct DnsRecord {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub content: String,
    pub proxied: bool,
    pub ttl: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct CustomHostname {
    pub id: String,
    pub hostname: String,
    pub status: String,
    pub ssl_status: String,
    pub ssl_method: String,
    pub ssl_type: String,
}

/// What tests read of this panel's state.
impl crate::Sandbox {
    /// `(type, name, content, proxied)` of every record of a zone, in order.
    pub fn cloudflare_records(&self, zone_id: &str) -> Vec<(String, String, String, bool)> {
        crate::lock(&self.shared.state)
            .cloudflare
            .zones
            .get(zone_id)
            .map(|z| z.records.iter().map(|r| (r.kind.clone(), r.name.clone(), r.content.clone(), r.proxied)).collect())
            .unwrap_or_default()
    }

    /// `(hostname, status, certificate status)` of every custom hostname of a zone.
    pub fn cloudflare_hostnames(&self, zone_id: &str) -> Vec<(String, String, String)> {
        crate::lock(&self.shared.state)
            .cloudflare
            .zones
            .get(zone_id)
            .map(|z| z.custom_hostnames.iter().map(|h| (h.hostname.clone(), h.status.clone(), h.ssl_status.clone())).collect())
            .unwrap_or_default()
    }

    /// Marks a custom hostname and its certificate active, as Cloudflare
    /// does once the hostname points at the SaaS zone and validates.
    pub fn cloudflare_activate(&self, hostname: &str) {
        let mut state = crate::lock(&self.shared.state);
        for zone in state.cloudflare.zones.values_mut() {
            for h in zone.custom_hostnames.iter_mut().filter(|h| h.hostname == hostname) {
                h.status = "active".into();
                h.ssl_status = "active".into();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, path: &str, query: &str, token: &str, body: &str) -> HttpRequest {
        let mut headers = BTreeMap::new();
        headers.insert("authorization".to_string(), format!("Bearer {token}"));
        HttpRequest {
            method: method.into(),
            path: path.into(),
            query: query.into(),
            headers,
            body: body.as_bytes().to_vec(),
            connection: 1,
        }
    }

    fn seeded() -> CloudflareState {
        serde_json::from_str(SEED).unwrap()
    }

    fn body(r: &HttpResponse) -> Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
    const SAAS: &str = "5a7805061c76ada191ed06f989cc3dac";
    const USER: &str = "sandbox-cloudflare-user-token-0000000000";
    const ACCOUNT: &str = "sandbox-cloudflare-account-token-0000000";

    #[test]
    fn its_paths_are_its_own_on_the_one_port() {
        use crate::emulator::{Emulator, EMULATORS};
        for path in ["/client/v4", "/client/v4/zones/x/dns_records", "/client/v4/user/tokens/verify"] {
            let serving: Vec<&str> = EMULATORS.iter().filter(|e| e.serves(path)).map(|e| e.panel().name()).collect();
            assert_eq!(serving, ["cloudflare"], "{path}");
        }
        for path in ["/", "/api", "/api/servers", "/v1/apps", "/client", "/client/v40", "/client/v4x/zones"] {
            assert!(!Cloudflare.serves(path), "{path}");
        }
    }

    #[test]
    fn relative_names_are_expanded_against_the_zone_not_the_network() {
        let st = seeded();
        let zone = &st.zones[ZONE];
        assert_eq!(zone.full_name("shop"), "shop.network.example");
        assert_eq!(zone.full_name("@"), "network.example");
        assert_eq!(zone.full_name("Shop.Network.Example."), "shop.network.example");
        assert_eq!(zone.full_name("shop.other.example"), "shop.other.example.network.example");
    }

    #[test]
    fn a_cname_over_an_existing_address_record_is_81053_and_an_identical_one_81058() {
        let mut st = seeded();
        let path = format!("/client/v4/zones/{ZONE}/dns_records");
        let cname = r#"{"type":"CNAME","name":"shop.network.example","content":"network.example","proxied":true,"ttl":1}"#;
        assert_eq!(handle(&mut st, &request("POST", &path, "", USER, cname)).status, 200);
        let again = handle(&mut st, &request("POST", &path, "", USER, cname));
        assert_eq!((again.status, body(&again)["errors"][0]["code"].clone()), (400, json!(81058)));
        let over_a = r#"{"type":"CNAME","name":"network.example","content":"other.example","proxied":true,"ttl":1}"#;
        let r = handle(&mut st, &request("POST", &path, "", USER, over_a));
        assert_eq!((r.status, body(&r)["errors"][0]["code"].clone(), body(&r)["success"].clone()), (400, json!(81053), json!(false)));
    }

    #[test]
    fn custom_hostnames_are_unique_across_zones_and_paginated() {
        let mut st = seeded();
        let path = format!("/client/v4/zones/{SAAS}/custom_hostnames");
        for i in 0..3 {
            let r = handle(&mut st, &request("POST", &path, "", USER, &format!(r#"{{"hostname":"c{i}.customer.test","ssl":{{"method":"http","type":"dv"}}}}"#)));
            assert_eq!(r.status, 201);
            assert_eq!(body(&r)["result"]["ssl"]["status"], "pending_validation");
        }
        let dup = handle(&mut st, &request("POST", &path, "", USER, r#"{"hostname":"c1.customer.test","ssl":{"method":"http","type":"dv"}}"#));
        assert_eq!((dup.status, body(&dup)["errors"][0]["code"].clone()), (409, json!(1406)));
        let page = handle(&mut st, &request("GET", &path, "page=2&per_page=2", USER, ""));
        let b = body(&page);
        assert_eq!((b["result"].as_array().unwrap().len(), b["result_info"]["total_pages"].clone()), (1, json!(2)));
        let network = handle(&mut st, &request("POST", &format!("/client/v4/zones/{ZONE}/custom_hostnames"), "", USER, r#"{"hostname":"x.customer.test","ssl":{"method":"http","type":"dv"}}"#));
        assert_eq!((network.status, body(&network)["errors"][0]["code"].clone()), (403, json!(1404)));
    }

    #[test]
    fn tokens_verify_at_their_owners_endpoint_only_and_bad_ones_are_refused() {
        let mut st = seeded();
        let account = st.zones[ZONE].account.clone();
        let user_verify = |st: &mut CloudflareState, t: &str| handle(st, &request("GET", "/client/v4/user/tokens/verify", "", t, "")).status;
        let account_path = format!("/client/v4/accounts/{account}/tokens/verify");
        assert_eq!(user_verify(&mut st, USER), 200);
        assert_eq!(user_verify(&mut st, ACCOUNT), 401);
        assert_eq!(handle(&mut st, &request("GET", &account_path, "", ACCOUNT, "")).status, 200);
        assert_eq!(handle(&mut st, &request("GET", &account_path, "", USER, "")).status, 401);
        let zone = handle(&mut st, &request("GET", &format!("/client/v4/zones/{ZONE}"), "", "wrong", ""));
        assert_eq!((zone.status, body(&zone)["errors"][0]["code"].clone()), (403, json!(10000)));
        let missing = handle(&mut st, &request("GET", "/client/v4/zones/not-a-zone", "", USER, ""));
        assert_eq!((missing.status, body(&missing)["errors"][0]["code"].clone()), (400, json!(7003)));
    }
}
