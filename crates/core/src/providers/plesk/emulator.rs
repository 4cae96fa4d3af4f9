//! Plesk's REST API under `/api/v2/…` (`X-API-Key` or Basic auth): the
//! server's description, the domain list, and the gateway to the
//! `site_alias` and `subdomain` utilities, which answers HTTP 200 with the
//! utility's exit code, output and error output.

use crate::emulator::valid_host;
use crate::http::{HttpRequest, HttpResponse};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The REST API's error body.
fn error(status: u16, message: &str) -> HttpResponse {
    HttpResponse::json(status, &json!({"code": 0, "message": message}))
}

/// A utility's run: exit code, output, error output.
fn exit(code: i64, stdout: &str, stderr: &str) -> HttpResponse {
    HttpResponse::json(200, &json!({"code": code, "stdout": stdout, "stderr": stderr}))
}

fn fail(stderr: String) -> HttpResponse {
    exit(1, "", &(stderr + "\n"))
}

/// `(login, password)` from `Authorization: Basic …`.
pub fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let h = req.header("authorization")?.trim();
    let (scheme, encoded) = h.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let (user, pass) = String::from_utf8(raw).ok()?.split_once(':').map(|(u, p)| (u.to_string(), p.to_string()))?;
    Some((user, pass))
}

/// How a request logged in, if it did.
fn login(st: &PleskState, req: &HttpRequest) -> Option<&'static str> {
    if let Some(key) = req.header("x-api-key") {
        return (!key.is_empty() && st.api_keys.iter().any(|k| k == key)).then_some("api-key");
    }
    let (user, pass) = basic_credentials(req)?;
    (!user.is_empty() && user == st.admin_login && !pass.is_empty() && pass == st.admin_password).then_some("basic")
}

pub fn handle(st: &mut PleskState, req: &HttpRequest) -> HttpResponse {
    // Brute-force protection: after too many failed logins, every login is
    // refused for a while with an empty 401, whatever its credentials.
    if st.lockout_after > 0 && st.failed_logins >= st.lockout_after {
        st.failed_logins = st.failed_logins.saturating_add(1);
        return HttpResponse::empty(401);
    }
    if login(st, req).is_none() {
        st.failed_logins = st.failed_logins.saturating_add(1);
        return error(401, "Authentication failed");
    }
    st.failed_logins = 0;
    let rest = req.path.strip_prefix("/api/v2").unwrap_or(&req.path);
    let seg: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match (req.method.as_str(), seg.as_slice()) {
        ("GET", ["server"]) => HttpResponse::json(
            200,
            &json!({"platform": "Unix", "hostname": "plesk.sandbox", "guid": "00000000-0000-4000-8000-000000000001", "panel_version": "18.0.61", "panel_revision": "1", "panel_update_version": "5"}),
        ),
        ("GET", ["domains"]) => list_domains(st, &req.query),
        ("POST", ["cli", utility, "call"]) => cli(st, utility, &req.body),
        (_, ["server"] | ["domains"] | ["cli", _, "call"]) => error(405, "Method not allowed"),
        _ => error(404, "Not found"),
    }
}

fn list_domains(st: &PleskState, query: &str) -> HttpResponse {
    let name = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "name").map(|(_, v)| v.to_lowercase());
    let items: Vec<Value> = st
        .domains
        .iter()
        .filter(|d| name.as_deref().is_none_or(|n| d.name == n))
        .map(|d| {
            json!({
                "id": d.id,
                "created": "2026-01-05",
                "name": d.name,
                "ascii_name": d.name,
                "base_domain_id": d.base_domain_id,
                "guid": format!("00000000-0000-4000-8000-{:012x}", d.id),
                "hosting_type": "virtual",
                "www_root": d.www_root,
            })
        })
        .collect();
    HttpResponse::json(200, &Value::Array(items))
}

/// The gateway: `{"params": [..]}` run as `plesk bin <utility> <params…>`.
fn cli(st: &mut PleskState, utility: &str, body: &[u8]) -> HttpResponse {
    let params: Vec<String> = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => match o.get("params") {
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                items.iter().filter_map(Value::as_str).map(str::to_string).collect()
            }
            None => Vec::new(),
            _ => return error(400, "params must be an array of strings"),
        },
        _ => return error(400, "The request body must be a JSON object"),
    };
    if !st.allowed_utilities.iter().any(|u| u == utility) {
        return error(404, &format!("Command not found: {utility}"));
    }
    let params: Vec<&str> = params.iter().map(String::as_str).collect();
    match utility {
        "site_alias" => site_alias(st, &params),
        "subdomain" => subdomain(st, &params),
        _ => exit(0, "", ""),
    }
}

/// The value after `-option` in a utility's parameters.
fn option<'a>(params: &[&'a str], name: &str) -> Option<&'a str> {
    params.iter().position(|p| *p == name).and_then(|i| params.get(i + 1)).copied()
}

fn unknown_command(utility: &str, command: &str) -> HttpResponse {
    fail(format!("Unknown command '{command}'.\nRun 'plesk bin {utility} --help' for the list of commands."))
}

fn site_alias(st: &mut PleskState, params: &[&str]) -> HttpResponse {
    let command = params.first().copied().unwrap_or("");
    let name = params.get(1).map(|n| n.to_lowercase()).unwrap_or_default();
    match command {
        "--create" | "-c" => {
            let Some(site) = option(params, "-domain") else {
                return fail(format!("Unable to create domain alias {name}: the -domain option is required."));
            };
            let site = site.to_lowercase();
            if !valid_host(&name, false) {
                return fail(format!("Unable to create domain alias {name}: the domain name is invalid."));
            }
            if st.site(&site).is_none() {
                return fail(format!("Unable to create domain alias {name}: Domain {site} does not exist."));
            }
            if st.taken(&name) {
                return fail(format!("Unable to create domain alias {name}: Domain alias {name} already exists."));
            }
            if st.alias_limit > 0 && st.aliases.values().filter(|s| **s == site).count() >= st.alias_limit {
                return fail(format!("Unable to create domain alias {name}: The limit on the number of domain aliases is exceeded."));
            }
            st.aliases.insert(name.clone(), site);
            exit(0, &format!("SUCCESS: Creation of domain alias '{name}' complete.\n"), "")
        }
        "--delete" | "-d" => match st.aliases.remove(&name) {
            Some(_) => exit(0, &format!("SUCCESS: Removal of domain alias '{name}' complete.\n"), ""),
            None => fail(format!("Unable to remove domain alias {name}: Domain alias {name} does not exist.")),
        },
        "--info" | "-i" => match st.aliases.get(&name) {
            Some(site) => exit(0, &format!("Alias name:            {name}\nDomain name:           {site}\nStatus:                OK\nWeb service:           true\nMail service:          false\n"), ""),
            None => fail(format!("Unable to find domain alias {name}: Domain alias {name} does not exist.")),
        },
        "--list" | "-l" => {
            let Some(site) = option(params, "-domain").map(str::to_lowercase) else {
                return fail("The -domain option is required.".into());
            };
            if st.site(&site).is_none() {
                return fail(format!("Domain {site} does not exist."));
            }
            let names: Vec<&str> = st.aliases.iter().filter(|(_, s)| **s == site).map(|(a, _)| a.as_str()).collect();
            let mut out: String = names.iter().map(|n| format!("{n}\n")).collect();
            out.push_str(&format!("\nTotal: {}\n", names.len()));
            exit(0, &out, "")
        }
        _ => unknown_command("site_alias", command),
    }
}

fn subdomain(st: &mut PleskState, params: &[&str]) -> HttpResponse {
    let command = params.first().copied().unwrap_or("");
    let label = params.get(1).map(|n| n.to_lowercase()).unwrap_or_default();
    let Some(site) = option(params, "-domain").map(str::to_lowercase) else {
        return match command {
            "--create" | "-c" | "--remove" | "-r" | "--info" | "-i" => fail(format!("Unable to process subdomain {label}: the -domain option is required.")),
            _ => unknown_command("subdomain", command),
        };
    };
    let full = format!("{label}.{site}");
    match command {
        "--create" | "-c" => {
            let Some(parent) = st.site(&site).map(|d| d.id) else {
                return fail(format!("Unable to create subdomain {label}: Domain {site} does not exist."));
            };
            if label.is_empty() || label.starts_with("*.") || !valid_host(&full, false) {
                return fail(format!("Unable to create subdomain {label}: the subdomain name is invalid."));
            }
            if st.taken(&full) {
                return fail(format!("Unable to create subdomain {label}: Subdomain {full} already exists."));
            }
            let www_root = option(params, "-www-root").unwrap_or(&full).to_string();
            let id = st.new_id();
            st.domains.push(PleskDomain { id, name: full.clone(), base_domain_id: parent, www_root: format!("/var/www/vhosts/{site}{}", with_slash(&www_root)) });
            exit(0, &format!("SUCCESS: Creation of subdomain '{full}' complete.\n"), "")
        }
        "--remove" | "-r" => match st.domains.iter().position(|d| d.name == full && d.base_domain_id != 0) {
            Some(i) => {
                st.domains.remove(i);
                exit(0, &format!("SUCCESS: Removal of subdomain '{full}' complete.\n"), "")
            }
            None => fail(format!("Unable to remove subdomain {label}: Subdomain {full} does not exist.")),
        },
        _ => unknown_command("subdomain", command),
    }
}

fn with_slash(path: &str) -> String {
    if path.starts_with('/') { path.to_string() } else { format!("/{path}") }
}

// The Plesk emulator, serving `/api/v2/…`.
crate::emulator::declare!(Plesk, "plesk", PleskState, include_str!("fixtures/seed.json"));

fn detail(req: &HttpRequest) -> String {
    let auth = if req.header("x-api-key").is_some() {
        "api-key"
    } else if req.header("authorization").is_some() {
        "basic"
    } else {
        "none"
    };
    crate::body_detail(req, auth)
}

impl crate::emulator::Emulator for Plesk {
    fn panel(&self) -> crate::Panel {
        crate::Panel::Plesk
    }

    fn serves(&self, path: &str) -> bool {
        crate::emulator::under(path, "/api/v2")
    }

    fn handle(&self, state: &mut crate::State, req: &HttpRequest) -> crate::emulator::Handled {
        let answer = crate::Answer::Respond(handle(&mut state.plesk, req));
        crate::emulator::Handled { answer, detail: detail(req) }
    }

    fn unhandled_detail(&self, req: &HttpRequest) -> String {
        detail(req)
    }

    fn secrets(&self, req: &HttpRequest, _form: Option<&BTreeMap<String, String>>) -> Vec<String> {
        let mut out: Vec<String> = req.header("x-api-key").map(str::to_string).into_iter().collect();
        if let Some((user, pass)) = basic_credentials(req) {
            out.push(format!("{user}:{pass}"));
            out.push(pass);
        }
        out
    }

    /// The first site, served: the site, its aliases, its subdomains.
    fn served(&self, state: &crate::State) -> Vec<String> {
        let st = &state.plesk;
        let Some(site) = st.domains.iter().find(|d| d.base_domain_id == 0) else { return Vec::new() };
        let mut names = vec![site.name.clone()];
        names.extend(st.aliases.iter().filter(|(_, s)| **s == site.name).map(|(a, _)| a.clone()));
        names.extend(st.domains.iter().filter(|d| d.base_domain_id == site.id).map(|d| d.name.clone()));
        names
    }

    /// The first API key and the first site.
    fn constants(&self, state: &crate::State, url: &str) -> Vec<(&'static str, String)> {
        let st = &state.plesk;
        vec![
            ("WU_PLESK_HOST", url.to_string()),
            ("WU_PLESK_API_KEY", st.api_keys.first().cloned().unwrap_or_default()),
            ("WU_PLESK_DOMAIN", st.domains.iter().find(|d| d.base_domain_id == 0).map(|d| d.name.clone()).unwrap_or_default()),
        ]
    }
}

fn default_lockout() -> u32 {
    5
}

fn default_utilities() -> Vec<String> {
    vec!["site_alias".into(), "subdomain".into()]
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct PleskState {
    /// Keys of the administrator (`X-API-Key`).
    pub api_keys: Vec<String>,
    pub admin_login: String,
    pub admin_password: String,
    /// Failed logins in a row; at `lockout_after` (0: never) every login is refused.
    pub failed_logins: u32,
    #[serde(default = "default_lockout")]
    pub lockout_after: u32,
    /// Sites (`base_domain_id` 0) and subdomains (the parent site's id).
    pub domains: Vec<PleskDomain>,
    /// Site alias → the site it belongs to.
    pub aliases: BTreeMap<String, String>,
    /// Aliases a site may have (0: no limit).
    pub alias_limit: usize,
    /// Utilities the gateway runs (Plesk lets an administrator narrow the list).
    #[serde(default = "default_utilities")]
    pub allowed_utilities: Vec<String>,
    pub next_id: u64,
}

impl Default for PleskState {
    fn default() -> Self {
        PleskState {
            api_keys: Vec::new(),
            admin_login: String::new(),
            admin_password: String::new(),
            failed_logins: 0,
            lockout_after: default_lockout(),
            domains: Vec::new(),
            aliases: BTreeMap::new(),
            alias_limit: 0,
            allowed_utilities: default_utilities(),
            next_id: 100,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct PleskDomain {
    pub id: u64,
    pub name: String,
    pub base_domain_id: u64,
    pub www_root: String,
}

impl PleskState {
    /// A site (not a subdomain) by name.
    pub fn site(&self, name: &str) -> Option<&PleskDomain> {
        self.domains.iter().find(|d| d.name == name && d.base_domain_id == 0)
    }

    /// Whether any site, subdomain or alias on the server has the name.
    pub fn taken(&self, name: &str) -> bool {
        self.aliases.contains_key(name) || self.domains.iter().any(|d| d.name == name)
    }

    pub fn new_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        id
    }
}

/// What tests read of this panel's state.
impl crate::Sandbox {
    /// The aliases of a Plesk site, sorted.
    pub fn plesk_aliases(&self, site: &str) -> Vec<String> {
        crate::lock(&self.shared.state).plesk.aliases.iter().filter(|(_, s)| *s == site).map(|(a, _)| a.clone()).collect()
    }

    /// The full names of a Plesk site's subdomains, in creation order.
    pub fn plesk_subdomains(&self, site: &str) -> Vec<String> {
        let state = crate::lock(&self.shared.state);
        let Some(parent) = state.plesk.site(site).map(|d| d.id) else { return Vec::new() };
        state.plesk.domains.iter().filter(|d| d.base_domain_id == parent).map(|d| d.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded() -> PleskState {
        serde_json::from_str(SEED).unwrap()
    }

    fn call(st: &mut PleskState, key: &str, utility: &str, params: &[&str]) -> (u16, Value) {
        let req = HttpRequest {
            method: "POST".into(),
            path: format!("/api/v2/cli/{utility}/call"),
            query: String::new(),
            headers: [("x-api-key".to_string(), key.to_string())].into_iter().collect(),
            body: json!({ "params": params }).to_string().into_bytes(),
            connection: 0,
        };
        let r = handle(st, &req);
        (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
    }

    #[test]
    fn aliases_are_created_listed_and_deleted_with_exit_codes() {
        let mut st = seeded();
        let key = st.api_keys[0].clone();
        let steps: [(&[&str], i64, &str); 6] = [
            (&["--create", "shop.example", "-domain", "network.example"], 0, ""),
            (&["--create", "shop.example", "-domain", "network.example"], 1, "already exists"),
            (&["--list", "-domain", "network.example"], 0, ""),
            (&["--delete", "shop.example"], 0, ""),
            (&["--delete", "shop.example"], 1, "does not exist"),
            (&["--create", "a.example", "-domain", "missing.example"], 1, "Domain missing.example does not exist"),
        ];
        for (params, code, stderr) in steps {
            let (status, body) = call(&mut st, &key, "site_alias", params);
            assert_eq!((status, body["code"].as_i64()), (200, Some(code)), "{params:?}: {body}");
            assert!(body["stderr"].as_str().unwrap().contains(stderr), "{params:?}: {body}");
        }
    }

    #[test]
    fn subdomains_take_the_label_and_the_parent_site() {
        let mut st = seeded();
        let key = st.api_keys[0].clone();
        let (_, body) = call(&mut st, &key, "subdomain", &["--create", "blog", "-domain", "network.example", "-www-root", "/httpdocs"]);
        assert_eq!(body["code"], 0, "{body}");
        let created = st.domains.iter().find(|d| d.name == "blog.network.example").unwrap();
        assert_eq!(created.www_root, "/var/www/vhosts/network.example/httpdocs");
        let (_, body) = call(&mut st, &key, "subdomain", &["--delete", "blog.network.example"]);
        assert!(body["stderr"].as_str().unwrap().contains("Unknown command"), "the plugin's --delete is not a command: {body}");
        let (_, body) = call(&mut st, &key, "subdomain", &["--remove", "blog", "-domain", "network.example"]);
        assert_eq!(body["code"], 0, "{body}");
        assert!(st.domains.iter().all(|d| d.name != "blog.network.example"));
    }

    #[test]
    fn wrong_logins_are_refused_and_enough_of_them_lock_every_login_out() {
        let mut st = seeded();
        let key = st.api_keys[0].clone();
        for _ in 0..5 {
            assert_eq!(call(&mut st, "wrong", "site_alias", &["--list", "-domain", "network.example"]).0, 401);
        }
        let (status, body) = call(&mut st, &key, "site_alias", &["--list", "-domain", "network.example"]);
        assert_eq!((status, body), (401, Value::Null), "locked out: an empty 401 even for the right key");
        st.failed_logins = 0;
        assert_eq!(call(&mut st, &key, "site_alias", &["--list", "-domain", "network.example"]).0, 200);
    }

    #[test]
    fn plesk_alone_serves_its_paths_and_none_of_the_other_panels() {
        use crate::emulator::Emulator;
        for path in ["/api/v2", "/api/v2/server", "/api/v2/domains", "/api/v2/cli/site_alias/call"] {
            let serving: Vec<crate::Panel> = crate::emulator::EMULATORS.iter().filter(|e| e.serves(path)).map(|e| e.panel()).collect();
            assert_eq!(serving, [crate::Panel::Plesk], "{path}");
        }
        for path in ["/api", "/api/", "/api/index.php", "/api/servers/x/domains", "/api/orgs/o/websites/w", "/v1/apps/a", "/api/v2x", "/api/v1/cli"] {
            assert!(!Plesk.serves(path), "{path}");
        }
    }

    #[test]
    fn a_utility_outside_the_allowed_list_is_not_found() {
        let mut st = seeded();
        let key = st.api_keys[0].clone();
        let (status, body) = call(&mut st, &key, "sitealias", &["--list"]);
        assert_eq!(status, 404);
        assert!(body["message"].as_str().unwrap().contains("Command not found"), "{body}");
    }
}
