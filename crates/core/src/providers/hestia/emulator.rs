//! HestiaCP's `/api/` endpoint: auth modes, exit-code answers and the three
//! web-alias commands, answered as the panel answers them (status, `Hestia-Exit-Code` header, body).

use crate::emulator::valid_host;
use crate::http::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use serde_json::{Map, Value};

/// Failed logins at which fail2ban would ban the client.
pub const BAN_AFTER: u32 = 5;

const E_ARGS: i32 = 1;
const E_INVALID: i32 = 2;
const E_NOTEXIST: i32 = 3;
const E_EXISTS: i32 = 4;
const E_SUSPENDED: i32 = 5;
const E_LIMIT: i32 = 8;

const INVALID_DATA: &str =
    "Error: data received is null or invalid, check https://hestiacp.com/docs/server-administration/rest-api.html";

/// How the request authenticated (also shown in the log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    None,
    Password,
    LegacyHash,
    HashKeyPair,
    AccessKey,
}

impl Auth {
    pub fn label(self) -> &'static str {
        match self {
            Auth::None => "none",
            Auth::Password => "password",
            Auth::LegacyHash => "hash",
            Auth::HashKeyPair => "hash-key",
            Auth::AccessKey => "access-key",
        }
    }

    fn key_mode(self) -> bool {
        matches!(self, Auth::HashKeyPair | Auth::AccessKey)
    }
}

pub enum Answer {
    Respond(HttpResponse),
    /// Banned client: drop the connection without a word.
    Close,
}

pub struct Outcome {
    pub answer: Answer,
    pub auth: Auth,
    /// Request parameters in the order sent (for the log; secrets included,
    /// the logger redacts them).
    pub params: Vec<(String, String)>,
}

/// Exit code → HTTP status, as Hestia's API maps them in key mode.
pub fn exit_status(code: i32) -> u16 {
    match code {
        0 => 200,
        1 => 400,
        2 => 422,
        5 | 6 | 9 | 10 | 21 => 401,
        _ => 400,
    }
}

/// Reads the parameters: form first, JSON object when the form carries none
/// of the auth fields (as Hestia's index.php does).
pub fn parse_params(body: &[u8]) -> Option<Vec<(String, String)>> {
    let form: Vec<(String, String)> =
        form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    if form.iter().any(|(k, _)| k == "user" || k == "hash" || k == "access_key") {
        return Some(form);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Some(
            map.into_iter()
                .filter_map(|(k, v)| {
                    let s = match v {
                        Value::String(s) => s,
                        Value::Null => return None,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        other => other.to_string(),
                    };
                    Some((k, s))
                })
                .collect(),
        ),
        _ => None,
    }
}

fn get<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    // Last one wins, like PHP's $_POST.
    params.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

pub fn handle(st: &mut HestiaState, req: &HttpRequest) -> Outcome {
    if st.failed_logins >= BAN_AFTER {
        return Outcome { answer: Answer::Close, auth: Auth::None, params: Vec::new() };
    }
    let Some(params) = parse_params(&req.body) else {
        return respond(HttpResponse::text(405, INVALID_DATA), Auth::None, Vec::new());
    };
    if !st.api_enabled {
        return respond(HttpResponse::text(400, "Error: API has been disabled"), Auth::None, params);
    }
    if !st.ip_allowed {
        return respond(HttpResponse::text(401, "Error: IP is not allowed to connect with API"), Auth::None, params);
    }
    let auth = match authenticate(st, &params) {
        Ok(a) => a,
        Err(key_mode) => {
            st.failed_logins = st.failed_logins.saturating_add(1);
            let msg = if key_mode { "Error: Authentication failed" } else { "Error: authentication failed" };
            return respond(HttpResponse::text(401, msg), Auth::None, params);
        }
    };
    let cmd = get(&params, "cmd").map(str::trim).unwrap_or("");
    if cmd.is_empty() {
        return respond(HttpResponse::text(422, "Error: Command not provided"), auth, params);
    }
    // arg1..arg13, trimmed; absent ones are skipped so later ones move up.
    let args: Vec<String> =
        (1..=13).filter_map(|i| get(&params, &format!("arg{i}")).map(|v| v.trim().to_string())).collect();
    let (code, output) = run(st, cmd, &args);

    let mut resp = if get(&params, "returncode") == Some("yes") {
        HttpResponse::text(200, code.to_string())
    } else if auth.key_mode() {
        if code != 0 {
            HttpResponse::text(exit_status(code), output)
        } else if output.is_empty() {
            HttpResponse::empty(204)
        } else if serde_json::from_str::<Value>(&output).is_ok() {
            HttpResponse::new(200, "application/json", output.into_bytes())
        } else {
            HttpResponse::text(200, output)
        }
    } else if output.is_empty() {
        HttpResponse::text(200, "OK")
    } else {
        HttpResponse::text(200, output)
    };
    if auth.key_mode() {
        resp = resp.with_header("Hestia-Exit-Code", code.to_string());
    }
    respond(resp, auth, params)
}

fn respond(resp: HttpResponse, auth: Auth, params: Vec<(String, String)>) -> Outcome {
    Outcome { answer: Answer::Respond(resp), auth, params }
}

/// Ok(mode) or Err(attempted key mode) for the message wording.
fn authenticate(st: &HestiaState, p: &[(String, String)]) -> Result<Auth, bool> {
    if let (Some(access), Some(secret)) = (get(p, "access_key"), get(p, "secret_key")) {
        return if key_pair_ok(st, access, secret) { Ok(Auth::AccessKey) } else { Err(true) };
    }
    if let Some(hash) = get(p, "hash") {
        if let Some((access, secret)) = hash.split_once(':') {
            let shaped = access.len() == 20 && secret.len() == 40;
            return if shaped && key_pair_ok(st, access, secret) { Ok(Auth::HashKeyPair) } else { Err(true) };
        }
        let known = hash.len() >= 16 && st.legacy_hashes.iter().any(|h| h == hash);
        return if known { Ok(Auth::LegacyHash) } else { Err(false) };
    }
    if get(p, "access_key").is_some() {
        return Err(true);
    }
    let user = get(p, "user").unwrap_or("");
    let password = get(p, "password").unwrap_or("");
    if !user.is_empty() && user == st.admin_user && !password.is_empty() && password == st.admin_password {
        Ok(Auth::Password)
    } else {
        Err(false)
    }
}

fn key_pair_ok(st: &HestiaState, access: &str, secret: &str) -> bool {
    !secret.is_empty() && st.access_keys.get(access).map(|s| s == secret).unwrap_or(false)
}

/// Runs one `v-*` command: (exit code, output or `Error: …` text).
pub fn run(st: &mut HestiaState, cmd: &str, args: &[String]) -> (i32, String) {
    match cmd {
        "v-add-web-domain-alias" => add_alias(st, args),
        "v-delete-web-domain-alias" => delete_alias(st, args),
        "v-list-web-domains" => list_domains(st, args),
        "v-list-web-domain" => list_domain(st, args),
        "v-restart-web" => restart_web(st, args),
        _ => (E_ARGS, format!("Error: command {} not found", printable(cmd))),
    }
}

fn printable(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(200).collect()
}

fn err(code: i32, msg: String) -> (i32, String) {
    (code, format!("Error: {msg}"))
}

fn usage(cmd: &str, synopsis: &str) -> (i32, String) {
    err(E_ARGS, format!("not enough arguments\nUsage: {cmd} {synopsis}"))
}

/// DOMAIN argument: lower-cased, dots trimmed, a leading `www.` dropped.
pub fn normalize_domain(raw: &str) -> String {
    let d = raw.trim().to_lowercase();
    let d = d.trim_matches('.');
    d.strip_prefix("www.").unwrap_or(d).to_string()
}

/// ALIASES argument: lower-cased, split on commas, dots trimmed, empties
/// dropped, duplicates removed (first one kept).
pub fn normalize_aliases(raw: &str) -> Vec<String> {
    let lower = raw.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    for part in lower.split(',') {
        let a = part.trim_matches('.');
        if !a.is_empty() && !out.iter().any(|x| x == a) {
            out.push(a.to_string());
        }
    }
    out
}

fn valid_user(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
}

/// Checks shared by add and delete: formats, then user and domain exist and
/// are active. Returns the normalised domain.
fn check_target(st: &HestiaState, user: &str, raw_domain: &str) -> Result<String, (i32, String)> {
    if !valid_user(user) {
        return Err(err(E_INVALID, format!("invalid user format :: {}", printable(user))));
    }
    let domain = normalize_domain(raw_domain);
    if !valid_host(&domain, false) {
        return Err(err(E_INVALID, format!("invalid domain format :: {}", printable(raw_domain))));
    }
    let Some(u) = st.users.get(user) else {
        return Err(err(E_NOTEXIST, format!("user {user} doesn't exist")));
    };
    if u.suspended {
        return Err(err(E_SUSPENDED, format!("user {user} is suspended")));
    }
    let Some(d) = u.web_domains.get(&domain) else {
        return Err(err(E_NOTEXIST, format!("web domain {domain} doesn't exist")));
    };
    if d.suspended {
        return Err(err(E_SUSPENDED, format!("web domain {domain} is suspended")));
    }
    Ok(domain)
}

fn restart_requested(args: &[String], index: usize) -> bool {
    args.get(index).map(|r| r != "no").unwrap_or(true)
}

fn add_alias(st: &mut HestiaState, args: &[String]) -> (i32, String) {
    if args.len() < 3 {
        return usage("v-add-web-domain-alias", "USER DOMAIN ALIASES [RESTART]");
    }
    let user = args[0].as_str();
    let aliases = normalize_aliases(&args[2]);
    if aliases.is_empty() {
        return err(E_INVALID, "invalid alias format :: ".into());
    }
    if let Some(bad) = aliases.iter().find(|a| !valid_host(a, true)) {
        return err(E_INVALID, format!("invalid alias format :: {}", printable(bad)));
    }
    let domain = match check_target(st, user, &args[1]) {
        Ok(d) => d,
        Err(e) => return e,
    };
    // The whole list is checked before anything changes.
    for alias in &aliases {
        for u in st.users.values() {
            for (name, d) in &u.web_domains {
                if name == alias {
                    return err(E_EXISTS, format!("Web domain {alias} exists"));
                }
                if d.aliases.iter().any(|a| a == alias) {
                    return err(E_EXISTS, format!("Web alias {alias} exists"));
                }
            }
        }
    }
    let Some(u) = st.users.get_mut(user) else {
        return err(E_NOTEXIST, format!("user {user} doesn't exist"));
    };
    let used: u64 = u.web_domains.values().map(|d| d.aliases.len() as u64).sum();
    if used + aliases.len() as u64 > u.alias_limit {
        return err(E_LIMIT, "WEB_ALIASES limit is reached :: upgrade user package".into());
    }
    if let Some(d) = u.web_domains.get_mut(&domain) {
        d.aliases.extend(aliases);
    }
    if restart_requested(args, 3) {
        st.reloads = st.reloads.saturating_add(1);
    }
    (0, String::new())
}

fn delete_alias(st: &mut HestiaState, args: &[String]) -> (i32, String) {
    if args.len() < 3 {
        return usage("v-delete-web-domain-alias", "USER DOMAIN ALIAS [RESTART]");
    }
    let user = args[0].as_str();
    // Only dots are trimmed: the match below is case-sensitive.
    let alias = args[2].trim_matches('.');
    if alias.is_empty() {
        return err(E_INVALID, "invalid alias format :: ".into());
    }
    let domain = match check_target(st, user, &args[1]) {
        Ok(d) => d,
        Err(e) => return e,
    };
    let Some(d) = st.users.get_mut(user).and_then(|u| u.web_domains.get_mut(&domain)) else {
        return err(E_NOTEXIST, format!("web domain {domain} doesn't exist"));
    };
    let Some(pos) = d.aliases.iter().position(|a| a == alias) else {
        return err(E_NOTEXIST, format!("alias {} doesn't exist", printable(alias)));
    };
    d.aliases.remove(pos);
    if restart_requested(args, 3) {
        st.reloads = st.reloads.saturating_add(1);
    }
    (0, String::new())
}

/// `v-restart-web [no]`: reloads the web server unless told `no`.
fn restart_web(st: &mut HestiaState, args: &[String]) -> (i32, String) {
    if args.first().map(String::as_str) != Some("no") {
        st.reloads = st.reloads.saturating_add(1);
    }
    (0, String::new())
}

fn domain_record(user: &str, name: &str, d: &WebDomain) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_string(), Value::String(v));
    };
    put("IP", "127.0.0.1".into());
    put("IP6", String::new());
    put("DOCUMENT_ROOT", format!("/home/{user}/web/{name}/public_html/"));
    put("ALIAS", d.aliases.join(","));
    put("TPL", "default".into());
    put("BACKEND", "default".into());
    put("PROXY", "default".into());
    put("SSL", "no".into());
    put("SSL_FORCE", "no".into());
    put("SSL_HOME", "same".into());
    put("LETSENCRYPT", "no".into());
    put("U_DISK", "0".into());
    put("U_BANDWIDTH", "0".into());
    put("SUSPENDED", if d.suspended { "yes" } else { "no" }.into());
    put("TIME", "00:00:00".into());
    put("DATE", "2024-01-01".into());
    Value::Object(m)
}

fn render(format: &str, records: Vec<(String, String, Value)>) -> String {
    match format {
        "json" => {
            let mut m = Map::new();
            for (name, _, v) in records {
                m.insert(name, v);
            }
            serde_json::to_string_pretty(&Value::Object(m)).unwrap_or_else(|_| "{}".into())
        }
        _ => {
            // plain/shell: one tab-separated line per domain.
            let field = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let mut out = String::new();
            if format == "shell" {
                out.push_str("DOMAIN\tIP\tALIAS\tSSL\tSPND\tDATE\n");
            }
            for (name, _, v) in records {
                let row = [name, field(&v, "IP"), field(&v, "ALIAS"), field(&v, "SSL"), field(&v, "SUSPENDED"), field(&v, "DATE")];
                out.push_str(&row.join("\t"));
                out.push('\n');
            }
            out
        }
    }
}

fn list_domains(st: &mut HestiaState, args: &[String]) -> (i32, String) {
    let Some(user) = args.first() else {
        return usage("v-list-web-domains", "USER [FORMAT]");
    };
    let Some(u) = st.users.get(user.as_str()) else {
        return err(E_NOTEXIST, format!("user {} doesn't exist", printable(user)));
    };
    let format = args.get(1).map(String::as_str).unwrap_or("shell");
    let records =
        u.web_domains.iter().map(|(n, d)| (n.clone(), user.clone(), domain_record(user, n, d))).collect();
    (0, render(format, records))
}

fn list_domain(st: &mut HestiaState, args: &[String]) -> (i32, String) {
    if args.len() < 2 {
        return usage("v-list-web-domain", "USER DOMAIN [FORMAT]");
    }
    let user = &args[0];
    let domain = normalize_domain(&args[1]);
    let Some(u) = st.users.get(user.as_str()) else {
        return err(E_NOTEXIST, format!("user {} doesn't exist", printable(user)));
    };
    let Some(d) = u.web_domains.get(&domain) else {
        return err(E_NOTEXIST, format!("web domain {domain} doesn't exist"));
    };
    let format = args.get(2).map(String::as_str).unwrap_or("shell");
    (0, render(format, vec![(domain.clone(), user.clone(), domain_record(user, &domain, d))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_lists_are_lower_cased_split_dot_trimmed_and_de_duplicated() {
        let cases: [(&str, &[&str]); 5] = [
            ("A.example", &["a.example"]),
            ("a.example,A.EXAMPLE,.a.example.", &["a.example"]),
            ("b.example,,a.example", &["b.example", "a.example"]),
            ("..,.", &[]),
            ("", &[]),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_aliases(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn domains_lose_case_outer_dots_and_one_leading_www() {
        let cases = [("Network.Example", "network.example"), ("www.network.example.", "network.example"), ("www.www.a.example", "www.a.example"), (" a.example ", "a.example")];
        for (raw, want) in cases {
            assert_eq!(normalize_domain(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn host_names_are_plain_lower_case_labels_with_an_optional_leading_wildcard() {
        let cases = [
            ("a.example", true, true),
            ("xn--bcher-kva.example", true, true),
            ("*.a.example", true, true),
            ("*.a.example", false, false),
            ("a.*.example", true, false),
            ("A.example", true, false),
            ("a..example", true, false),
            ("a_b.example", true, false),
            ("a.example/x", true, false),
            ("a.example:80", true, false),
            ("ä.example", true, false),
            ("", true, false),
        ];
        for (name, wildcard, ok) in cases {
            assert_eq!(valid_host(name, wildcard), ok, "{name:?} wildcard={wildcard}");
        }
    }

    #[test]
    fn form_fields_win_and_json_is_read_only_without_auth_fields() {
        let form = parse_params(b"user=admin&cmd=x").unwrap();
        assert_eq!(get(&form, "user"), Some("admin"));
        let json = parse_params(br#"{"access_key":"k","arg1":5,"arg2":null}"#).unwrap();
        assert_eq!((get(&json, "access_key"), get(&json, "arg1"), get(&json, "arg2")), (Some("k"), Some("5"), None));
        assert!(parse_params(b"cmd=x").is_none());
        assert!(parse_params(b"[1,2]").is_none());
    }
}

// The Hestia emulator, serving `/api/` (and `/api/index.php`).
crate::emulator::declare!(Hestia, "hestia", HestiaState, include_str!("fixtures/seed.json"));

impl crate::emulator::Emulator for Hestia {
    fn panel(&self) -> crate::Panel {
        crate::Panel::Hestia
    }

    fn serves(&self, path: &str) -> bool {
        matches!(path, "/api" | "/api/" | "/api/index.php")
    }

    fn handle(&self, state: &mut crate::State, req: &HttpRequest) -> crate::emulator::Handled {
        let out = handle(&mut state.hestia, req);
        let detail = detail(&out.params, Some(out.auth));
        let answer = match out.answer {
            Answer::Respond(r) => crate::Answer::Respond(r),
            Answer::Close => crate::Answer::Close,
        };
        crate::emulator::Handled { answer, detail }
    }

    fn unhandled_detail(&self, req: &HttpRequest) -> String {
        detail(&parse_params(&req.body).unwrap_or_default(), None)
    }

    fn secrets(&self, _req: &HttpRequest, form: Option<&std::collections::BTreeMap<String, String>>) -> Vec<String> {
        let mut out = Vec::new();
        for k in SECRET_FIELDS {
            if let Some(v) = form.and_then(|f| f.get(k)) {
                out.push(v.clone());
                out.extend(v.split(':').map(str::to_string));
            }
        }
        out
    }

    fn bodies_are_forms(&self) -> bool {
        true
    }

    fn secret_fields(&self) -> &'static [&'static str] {
        &SECRET_FIELDS
    }

    fn reloads(&self, state: &crate::State) -> u64 {
        state.hestia.reloads
    }

    fn cycle_floor(&self) -> Option<crate::emulator::CycleFloor> {
        Some(crate::emulator::CycleFloor {
            requests: 3,
            reloads: 2,
            why: "one v-add-web-domain-alias carrying both names, one v-delete-web-domain-alias per name (Hestia deletes one alias per command); one reload per change",
        })
    }

    fn served(&self, state: &crate::State) -> Vec<String> {
        let first = state.hestia.users.values().find_map(|u| u.web_domains.iter().next());
        first.map(|(name, d)| std::iter::once(name.clone()).chain(d.aliases.iter().cloned()).collect()).unwrap_or_default()
    }

    /// Legacy password mode, for the first user's first web domain.
    fn constants(&self, state: &crate::State, url: &str) -> Vec<(&'static str, String)> {
        let st = &state.hestia;
        let (account, domain) = st
            .users
            .iter()
            .find_map(|(user, u)| u.web_domains.keys().next().map(|d| (user.clone(), d.clone())))
            .unwrap_or_default();
        vec![
            ("WU_HESTIA_API_URL", url.to_string()),
            ("WU_HESTIA_API_USER", st.admin_user.clone()),
            ("WU_HESTIA_API_PASSWORD", st.admin_password.clone()),
            ("WU_HESTIA_ACCOUNT", account),
            ("WU_HESTIA_WEB_DOMAIN", domain),
        ]
    }
}

/// The form fields that carry credentials.
pub(crate) const SECRET_FIELDS: [&str; 4] = ["password", "hash", "secret_key", "access_key"];

/// Hestia fields in the order sent, secret values masked.
fn detail(params: &[(String, String)], auth: Option<Auth>) -> String {
    let mut parts: Vec<String> = params
        .iter()
        .map(|(k, v)| if SECRET_FIELDS.contains(&k.as_str()) { format!("{k}=***") } else { format!("{k}={}", crate::one_line(v, 120)) })
        .collect();
    if let Some(a) = auth {
        parts.push(format!("auth={}", a.label()));
    }
    parts.join(" ")
}

fn default_alias_limit() -> u64 {
    1000
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct HestiaState {
    pub admin_user: String,
    pub admin_password: String,
    /// access key → secret key
    pub access_keys: BTreeMap<String, String>,
    pub legacy_hashes: Vec<String>,
    pub api_enabled: bool,
    pub ip_allowed: bool,
    /// Refused logins; at 5 or more the client is "banned" (fail2ban).
    pub failed_logins: u32,
    pub users: BTreeMap<String, HestiaUser>,
    /// Web-server reloads performed.
    pub reloads: u64,
}

impl Default for HestiaState {
    fn default() -> Self {
        HestiaState {
            admin_user: "admin".into(),
            admin_password: String::new(),
            access_keys: BTreeMap::new(),
            legacy_hashes: Vec::new(),
            api_enabled: true,
            ip_allowed: true,
            failed_logins: 0,
            users: BTreeMap::new(),
            reloads: 0,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct HestiaUser {
    pub suspended: bool,
    /// Package limit: aliases over all of the user's web domains.
    pub alias_limit: u64,
    pub web_domains: BTreeMap<String, WebDomain>,
}

impl Default for HestiaUser {
    fn default() -> Self {
        HestiaUser { suspended: false, alias_limit: default_alias_limit(), web_domains: BTreeMap::new() }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct WebDomain {
    pub aliases: Vec<String>,
    pub suspended: bool,
}

/// What tests read of this panel's state.
impl crate::Sandbox {
    /// Aliases of a Hestia web domain (empty if unknown).
    pub fn hestia_aliases(&self, user: &str, domain: &str) -> Vec<String> {
        crate::lock(&self.shared.state)
            .hestia
            .users
            .get(user)
            .and_then(|u| u.web_domains.get(domain))
            .map(|d| d.aliases.clone())
            .unwrap_or_default()
    }

    pub fn hestia_reloads(&self) -> u64 {
        crate::lock(&self.shared.state).hestia.reloads
    }

    pub fn hestia_failed_logins(&self) -> u32 {
        crate::lock(&self.shared.state).hestia.failed_logins
    }
}
