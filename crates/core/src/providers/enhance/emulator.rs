//! Enhance's `/api/servers…` and `/api/orgs…` routes (Bearer auth).

use crate::emulator::valid_host;
use crate::http::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use serde_json::{json, Value};

fn error(status: u16, code: &str, detail: &str) -> HttpResponse {
    HttpResponse::json(status, &json!({"code": code, "detail": detail}))
}

fn not_found(what: &str) -> HttpResponse {
    error(404, "not_found", &format!("{what} not found"))
}

/// The panel keeps a website's primary domain until another one is made primary.
fn primary_refused() -> HttpResponse {
    error(400, "primary_domain", "The primary domain cannot be removed; make another domain primary first")
}

fn method_not_allowed() -> HttpResponse {
    error(405, "method_not_allowed", "Method not allowed on this resource")
}

/// Token from `Authorization: Bearer T` (scheme case-insensitive).
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    let h = req.header("authorization")?.trim();
    let (scheme, token) = h.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

pub fn handle(st: &mut EnhanceState, req: &HttpRequest) -> HttpResponse {
    let authorised = bearer(req).map(|t| !t.is_empty() && st.tokens.iter().any(|k| k == t)).unwrap_or(false);
    if !authorised {
        return error(401, "unauthorized", "Missing or invalid bearer token");
    }
    let rest = req.path.strip_prefix("/api").unwrap_or(&req.path);
    let seg: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let m = req.method.as_str();
    match seg.as_slice() {
        ["servers"] => match m {
            "GET" => list_servers(st, &req.query),
            _ => method_not_allowed(),
        },
        ["servers", id] => match m {
            "GET" if st.servers.contains_key(*id) => HttpResponse::json(200, &json!({"id": id})),
            "GET" => not_found("Server"),
            _ => method_not_allowed(),
        },
        ["servers", id, "domains"] => match m {
            "GET" => server_domains(st, id),
            "POST" => add_server_domain(st, id, &req.body),
            _ => method_not_allowed(),
        },
        ["servers", id, "domains", domain_id] => match m {
            "DELETE" => delete_server_domain(st, id, domain_id),
            _ => method_not_allowed(),
        },
        ["orgs", org, "websites", w] => match m {
            "GET" => website(st, org, w),
            _ => method_not_allowed(),
        },
        ["orgs", org, "websites", w, "domains"] => match m {
            "GET" => website_domains(st, org, w),
            "POST" => add_website_domain(st, org, w, &req.body),
            _ => method_not_allowed(),
        },
        ["orgs", org, "websites", w, "domains", domain_id] => match m {
            "DELETE" => delete_website_domain(st, org, w, domain_id),
            _ => method_not_allowed(),
        },
        _ => not_found("Resource"),
    }
}

fn query_number(query: &str, key: &str) -> Option<usize> {
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == key).and_then(|(_, v)| v.trim().parse().ok())
}

fn list_servers(st: &EnhanceState, query: &str) -> HttpResponse {
    let offset = query_number(query, "offset").unwrap_or(0);
    let limit = query_number(query, "limit").unwrap_or(usize::MAX);
    let items: Vec<Value> = st.servers.keys().skip(offset).take(limit).map(|id| json!({"id": id})).collect();
    HttpResponse::json(200, &json!({"items": items, "total": st.servers.len()}))
}

fn server_domains(st: &EnhanceState, id: &str) -> HttpResponse {
    match st.servers.get(id) {
        Some(s) => HttpResponse::json(200, &json!({"websiteId": s.website_id, "domains": s.domains})),
        None => not_found("Server"),
    }
}

/// A domain name a panel would accept, lower-cased.
fn clean_domain(raw: &str) -> Option<String> {
    let d = raw.trim().to_lowercase();
    valid_host(&d, true).then_some(d)
}

fn add_server_domain(st: &mut EnhanceState, id: &str, body: &[u8]) -> HttpResponse {
    if !st.servers.contains_key(id) {
        return not_found("Server");
    }
    // The panel takes a bare JSON string, not {"domain": …}.
    let name = match serde_json::from_slice::<Value>(body) {
        Ok(Value::String(s)) => s,
        _ => return error(400, "invalid_body", "Body must be a JSON string holding the domain name"),
    };
    let Some(name) = clean_domain(&name) else {
        return error(400, "invalid_body", "Not a valid domain name");
    };
    let domain_id = st.new_id();
    let Some(server) = st.servers.get_mut(id) else {
        return not_found("Server");
    };
    if server.domains.iter().any(|d| d.domain_name.eq_ignore_ascii_case(&name)) {
        return error(409, "already_exists", &format!("Domain {name} already exists"));
    }
    server.domains.push(ServerDomain { domain_id: domain_id.clone(), domain_name: name, is_primary: false });
    HttpResponse::json(201, &json!({"websiteId": server.website_id, "domainId": domain_id}))
}

fn delete_server_domain(st: &mut EnhanceState, id: &str, domain_id: &str) -> HttpResponse {
    let Some(server) = st.servers.get_mut(id) else {
        return not_found("Server");
    };
    match server.domains.iter().position(|d| d.domain_id == domain_id) {
        Some(pos) if server.domains[pos].is_primary => primary_refused(),
        Some(pos) => {
            server.domains.remove(pos);
            HttpResponse::empty(204)
        }
        None => not_found("Domain"),
    }
}

fn website(st: &EnhanceState, org: &str, w: &str) -> HttpResponse {
    let Some(site) = st.orgs.get(org).and_then(|o| o.websites.get(w)) else {
        return not_found("Website");
    };
    let primary = site
        .domains
        .iter()
        .find(|d| d.mapping_kind == "primary")
        .or_else(|| site.domains.first())
        .map(|d| d.domain.clone());
    HttpResponse::json(200, &json!({"id": w, "orgId": org, "domain": primary, "status": "active"}))
}

fn website_domains(st: &EnhanceState, org: &str, w: &str) -> HttpResponse {
    let Some(site) = st.orgs.get(org).and_then(|o| o.websites.get(w)) else {
        return not_found("Website");
    };
    let items: Vec<Value> = site
        .domains
        .iter()
        .map(|d| json!({"domainId": d.domain_id, "websiteId": w, "domain": d.domain, "mappingKind": d.mapping_kind}))
        .collect();
    HttpResponse::json(200, &json!({"items": items}))
}

fn add_website_domain(st: &mut EnhanceState, org: &str, w: &str, body: &[u8]) -> HttpResponse {
    if st.orgs.get(org).and_then(|o| o.websites.get(w)).is_none() {
        return not_found("Website");
    }
    let v = match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => v,
        _ => return error(400, "invalid_body", "Body must be a JSON object like {\"domain\":\"a.com\"}"),
    };
    let Some(raw) = v.get("domain").and_then(Value::as_str) else {
        return error(400, "invalid_body", "Field domain (string) is required");
    };
    let kind = match v.get("kind") {
        None | Some(Value::Null) => "alias".to_string(),
        Some(Value::String(k)) => k.clone(),
        Some(_) => return error(400, "invalid_body", "Field kind must be a string"),
    };
    let Some(name) = clean_domain(raw) else {
        return error(400, "invalid_body", "Not a valid domain name");
    };
    let domain_id = st.new_id();
    let Some(site) = st.orgs.get_mut(org).and_then(|o| o.websites.get_mut(w)) else {
        return not_found("Website");
    };
    if site.domains.iter().any(|d| d.domain.eq_ignore_ascii_case(&name)) {
        return error(409, "already_exists", &format!("Domain {name} already exists"));
    }
    site.domains.push(WebsiteDomain { domain_id: domain_id.clone(), domain: name, mapping_kind: kind });
    HttpResponse::json(201, &json!({"id": domain_id}))
}

fn delete_website_domain(st: &mut EnhanceState, org: &str, w: &str, domain_id: &str) -> HttpResponse {
    let Some(site) = st.orgs.get_mut(org).and_then(|o| o.websites.get_mut(w)) else {
        return not_found("Website");
    };
    match site.domains.iter().position(|d| d.domain_id == domain_id) {
        Some(pos) if site.domains[pos].mapping_kind == "primary" => primary_refused(),
        Some(pos) => {
            site.domains.remove(pos);
            HttpResponse::empty(204)
        }
        None => not_found("Domain"),
    }
}

// The Enhance emulator, serving `/api/servers/…` and `/api/orgs/…`.
crate::emulator::declare!(Enhance, "enhance", EnhanceState, include_str!("fixtures/seed.json"));

impl crate::emulator::Emulator for Enhance {
    fn panel(&self) -> crate::Panel {
        crate::Panel::Enhance
    }

    fn serves(&self, path: &str) -> bool {
        crate::emulator::under(path, "/api/servers") || crate::emulator::under(path, "/api/orgs")
    }

    fn handle(&self, state: &mut crate::State, req: &HttpRequest) -> crate::emulator::Handled {
        let answer = crate::Answer::Respond(handle(&mut state.enhance, req));
        let auth = if req.header("authorization").is_some() { "bearer" } else { "none" };
        crate::emulator::Handled { answer, detail: crate::body_detail(req, auth) }
    }

    fn unhandled_detail(&self, req: &HttpRequest) -> String {
        crate::body_detail(req, &crate::auth_scheme(req))
    }

    fn cycle_floor(&self) -> Option<crate::emulator::CycleFloor> {
        Some(crate::emulator::CycleFloor {
            requests: 5,
            reloads: 0,
            why: "one POST per name; a removal needs the domain ids, so one listing, then one DELETE per name",
        })
    }

    fn served(&self, state: &crate::State) -> Vec<String> {
        let first = state.enhance.servers.values().next();
        first.map(|s| s.domains.iter().map(|d| d.domain_name.clone()).collect()).unwrap_or_default()
    }

    /// Server mode, for the first token and the first server.
    fn constants(&self, state: &crate::State, url: &str) -> Vec<(&'static str, String)> {
        let st = &state.enhance;
        vec![
            ("WU_ENHANCE_API_TOKEN", st.tokens.first().cloned().unwrap_or_default()),
            ("WU_ENHANCE_API_URL", format!("{url}/api")),
            ("WU_ENHANCE_SERVER_ID", st.servers.keys().next().cloned().unwrap_or_default()),
        ]
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct EnhanceState {
    pub tokens: Vec<String>,
    pub servers: BTreeMap<String, EnhanceServer>,
    pub orgs: BTreeMap<String, EnhanceOrg>,
    /// Counter behind the deterministic ids the sandbox hands out.
    pub next_id: u64,
}

impl Default for EnhanceState {
    fn default() -> Self {
        EnhanceState { tokens: Vec::new(), servers: BTreeMap::new(), orgs: BTreeMap::new(), next_id: 1 }
    }
}

impl EnhanceState {
    /// Deterministic UUID (version 4 layout, variant nibble 9) so repeated
    /// runs see the same ids.
    pub fn new_id(&mut self) -> String {
        let n = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        format!("00000000-0000-4000-9000-{:012x}", n % 0x1_0000_0000_0000)
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct EnhanceServer {
    pub website_id: String,
    pub domains: Vec<ServerDomain>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct ServerDomain {
    pub domain_id: String,
    pub domain_name: String,
    pub is_primary: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct EnhanceOrg {
    pub websites: BTreeMap<String, EnhanceWebsite>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct EnhanceWebsite {
    pub domains: Vec<WebsiteDomain>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct WebsiteDomain {
    pub domain_id: String,
    pub domain: String,
    pub mapping_kind: String,
}

/// What tests read of this panel's state.
impl crate::Sandbox {
    /// Domain names attached to an Enhance server.
    pub fn enhance_server_domains(&self, server_id: &str) -> Vec<String> {
        crate::lock(&self.shared.state)
            .enhance
            .servers
            .get(server_id)
            .map(|s| s.domains.iter().map(|d| d.domain_name.clone()).collect())
            .unwrap_or_default()
    }

    /// Domain names attached to an Enhance website.
    pub fn enhance_website_domains(&self, org: &str, website: &str) -> Vec<String> {
        crate::lock(&self.shared.state)
            .enhance
            .orgs
            .get(org)
            .and_then(|o| o.websites.get(website))
            .map(|w| w.domains.iter().map(|d| d.domain.clone()).collect())
            .unwrap_or_default()
    }
}
