//! cPanel's `/execute/…` (UAPI) and `/json-api/cpanel` (API 2) for the
//! functions the cPanel provider calls, over accounts that keep their main
//! domain, parked domains, subdomains (each with its document root) and
//! addon domains (each parked on a subdomain `label.<main domain>`), as
//! cPanel keeps them. Failures answer HTTP 200 with the failure in the body.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::emulator::valid_host;
use crate::http::{HttpRequest, HttpResponse};

// The CPanel emulator, serving `/execute/…` (UAPI) and `/json-api/cpanel` (API 2).
crate::emulator::declare!(CPanel, "cpanel", CpanelState, include_str!("fixtures/seed.json"));

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct CpanelState {
    /// cPanel accounts on the server, by user name.
    pub accounts: BTreeMap<String, Account>,
    /// Refused logins (cPHulk blocks an address after too many).
    pub failed_logins: u32,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct Account {
    pub password: String,
    pub tokens: Vec<String>,
    /// Home directory, e.g. `/home/netuser`.
    pub home: String,
    pub main_domain: String,
    /// The main domain's document root, relative to home (`public_html`).
    pub main_dir: String,
    /// Parked domains (aliases) of the main domain.
    pub parked: Vec<String>,
    /// Subdomain (full name) → document root relative to home.
    pub subdomains: BTreeMap<String, String>,
    /// Addon domain → the subdomain it is parked on (`label.<main domain>`).
    pub addons: BTreeMap<String, String>,
    /// Most addon domains the package allows (`None`: unlimited).
    pub max_addons: Option<usize>,
}

impl Account {
    fn holds(&self, name: &str) -> bool {
        self.main_domain == name || self.parked.iter().any(|p| p == name) || self.subdomains.contains_key(name) || self.addons.contains_key(name)
    }

    fn abs(&self, rel: &str) -> String {
        let rel = rel.trim_matches('/');
        if rel.is_empty() { self.home.clone() } else { format!("{}/{rel}", self.home.trim_end_matches('/')) }
    }

    /// A `dir` parameter as cPanel stores it: relative to home, no outer slashes.
    fn rel_dir(&self, dir: &str) -> String {
        let dir = dir.trim();
        let dir = dir.strip_prefix(self.home.as_str()).unwrap_or(dir);
        dir.trim_matches('/').to_string()
    }

    fn entry(&self, user: &str, domain: &str, servername: &str, rel: &str, kind: &str, aliases: Vec<String>) -> Value {
        json!({
            "domain": domain,
            "documentroot": self.abs(rel),
            "homedir": self.home,
            "ip": "192.0.2.10",
            "owner": "root",
            "port": "80",
            "serveradmin": format!("webmaster@{servername}"),
            "serveralias": aliases.join(" "),
            "servername": servername,
            "status": "not redirected",
            "type": kind,
            "user": user,
        })
    }

    /// `DomainInfo::domains_data` in its `hash` format.
    fn domains_data(&self, user: &str) -> Value {
        let mut main_aliases = vec![format!("mail.{}", self.main_domain), format!("www.{}", self.main_domain)];
        for p in &self.parked {
            main_aliases.push(p.clone());
            main_aliases.push(format!("www.{p}"));
        }
        let parked_on = |sub: &str| self.addons.iter().filter(|(_, s)| s.as_str() == sub).map(|(a, _)| a.clone()).collect::<Vec<_>>();
        let addons: Vec<Value> = self
            .addons
            .iter()
            .map(|(addon, sub)| {
                let rel = self.subdomains.get(sub).cloned().unwrap_or_default();
                let mut aliases: Vec<String> = parked_on(sub).into_iter().flat_map(|a| [a.clone(), format!("www.{a}")]).collect();
                aliases.push(format!("www.{sub}"));
                self.entry(user, addon, sub, &rel, "addon_domain", aliases)
            })
            .collect();
        let subs: Vec<Value> = self
            .subdomains
            .iter()
            .filter(|(sub, _)| parked_on(sub).is_empty())
            .map(|(sub, rel)| self.entry(user, sub, sub, rel, "sub_domain", vec![format!("www.{sub}")]))
            .collect();
        json!({
            "main_domain": self.entry(user, &self.main_domain, &self.main_domain, &self.main_dir, "main_domain", main_aliases),
            "addon_domains": addons,
            "sub_domains": subs,
            "parked_domains": self.parked,
        })
    }
}

fn uapi(ok: bool, data: Value, errors: Vec<String>, messages: Vec<String>) -> HttpResponse {
    let list = |v: Vec<String>| if v.is_empty() { Value::Null } else { json!(v) };
    HttpResponse::json(200, &json!({"data": data, "errors": list(errors), "messages": list(messages), "metadata": {}, "status": i32::from(ok), "warnings": null}))
}

fn uapi_error(message: String) -> HttpResponse {
    uapi(false, Value::Null, vec![message], vec![])
}

fn api2(module: &str, func: &str, ok: bool, reason: String) -> HttpResponse {
    let mut result = json!({
        "apiversion": 2,
        "data": [{"reason": reason, "result": i32::from(ok)}],
        "event": {"result": 1},
        "func": func,
        "module": module,
        "postevent": {"result": 1},
        "preevent": {"result": 1},
    });
    if !ok {
        result["error"] = json!(reason);
    }
    HttpResponse::json(200, &json!({ "cpanelresult": result }))
}

fn denied() -> HttpResponse {
    HttpResponse::new(
        401,
        "text/html; charset=utf-8",
        "<html><head><title>401 Access denied</title></head><body><h1>Access denied</h1></body></html>",
    )
}

/// The account a request authenticates as: `cpanel USER:TOKEN` or Basic.
fn authenticate<'a>(st: &'a CpanelState, req: &HttpRequest) -> Option<&'a str> {
    let header = req.header("authorization")?.trim();
    let (scheme, credential) = header.split_once(' ')?;
    let credential = credential.trim();
    if scheme.eq_ignore_ascii_case("cpanel") {
        let (user, token) = credential.split_once(':')?;
        let (name, account) = st.accounts.get_key_value(user)?;
        return (!token.is_empty() && account.tokens.iter().any(|t| t == token)).then_some(name.as_str());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(credential).ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (user, password) = decoded.split_once(':')?;
        let (name, account) = st.accounts.get_key_value(user)?;
        return (!password.is_empty() && account.password == password).then_some(name.as_str());
    }
    None
}

/// Query parameters, then form fields of a POST (the last of a name wins).
fn params(req: &HttpRequest) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> =
        form_urlencoded::parse(req.query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    if req.method == "POST" {
        out.extend(form_urlencoded::parse(&req.body).map(|(k, v)| (k.into_owned(), v.into_owned())));
    }
    out
}

pub fn handle(st: &mut CpanelState, req: &HttpRequest) -> HttpResponse {
    let Some(user) = authenticate(st, req).map(str::to_string) else {
        st.failed_logins = st.failed_logins.saturating_add(1);
        return denied();
    };
    let p = params(req);
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("").trim().to_string();
    if let Some(rest) = req.path.strip_prefix("/execute/") {
        let mut parts = rest.split('/');
        let (module, func) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        return match (module, func) {
            ("DomainInfo", "domains_data") => {
                let data = st.accounts.get(&user).map(|a| a.domains_data(&user)).unwrap_or(Value::Null);
                uapi(true, data, vec![], vec![])
            }
            ("SubDomain", "addsubdomain") => match add_subdomain(st, &user, &get("domain"), &get("rootdomain"), &get("dir")) {
                Ok(()) => uapi(true, Value::Null, vec![], vec![]),
                Err(e) => uapi_error(e),
            },
            _ => uapi_error(format!("Could not find function “{func}” in module “{module}”.")),
        };
    }
    // API 2 (the plugin sends cpanel_jsonapi_version, the documentation cpanel_jsonapi_apiversion).
    let version = p.get("cpanel_jsonapi_apiversion").or_else(|| p.get("cpanel_jsonapi_version")).map(String::as_str).unwrap_or("");
    let (module, func) = (get("cpanel_jsonapi_module"), get("cpanel_jsonapi_func"));
    if version != "2" {
        return HttpResponse::json(200, &json!({"cpanelresult": {"apiversion": version, "error": "Unsupported API version", "data": {"result": "0", "reason": "Unsupported API version"}, "type": "text"}}));
    }
    let outcome = match (module.as_str(), func.as_str()) {
        ("AddonDomain", "addaddondomain") => add_addon(st, &user, &get("newdomain"), &get("subdomain"), &get("dir")),
        ("AddonDomain", "deladdondomain") => del_addon(st, &user, &get("domain"), &get("subdomain")),
        ("SubDomain", "delsubdomain") => del_subdomain(st, &user, &get("domain")),
        _ => {
            let reason = format!("Could not find function “{func}” in module “{module}”.");
            return HttpResponse::json(200, &json!({"cpanelresult": {"apiversion": 2, "func": func, "module": module, "error": reason, "data": {"result": "0", "reason": reason}, "type": "text"}}));
        }
    };
    match outcome {
        Ok(reason) => api2(&module, &func, true, reason),
        Err(reason) => api2(&module, &func, false, reason),
    }
}

/// The account (if any) holding `name` anywhere on the server.
fn holder<'a>(st: &'a CpanelState, name: &str) -> Option<&'a str> {
    st.accounts.iter().find(|(_, a)| a.holds(name)).map(|(u, _)| u.as_str())
}

fn valid_label(label: &str) -> bool {
    !label.is_empty() && label.len() <= 63 && label.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
}

fn add_subdomain(st: &mut CpanelState, user: &str, label: &str, root: &str, dir: &str) -> Result<(), String> {
    let label = label.to_lowercase();
    let label = label.strip_prefix("www.").unwrap_or(&label).trim_end_matches('.').to_string();
    let root = root.to_lowercase();
    if root.is_empty() {
        return Err("You must specify a main domain.".into());
    }
    if label.is_empty() {
        return Err("You must specify a subdomain.".into());
    }
    if label == "www" {
        return Err("You cannot create the “www” subdomain, because the system adds the “www” subdomain to all newly-created domains.".into());
    }
    if !valid_label(&label) {
        return Err("You must specify a valid subdomain.".into());
    }
    let account = st.accounts.get(user).ok_or("No such account.")?;
    if account.main_domain != root && !account.addons.contains_key(&root) {
        return Err(format!("The domain “{root}” does not belong to this account."));
    }
    let full = format!("{label}.{root}");
    match holder(st, &full) {
        Some(u) if u == user => return Err(format!("The subdomain “{full}” already exists.")),
        Some(_) => return Err(format!("The domain “{full}” already exists on this server and belongs to another user.")),
        None => {}
    }
    let account = st.accounts.get_mut(user).ok_or("No such account.")?;
    let rel = if dir.trim().is_empty() { format!("public_html/{label}") } else { account.rel_dir(dir) };
    account.subdomains.insert(full, rel);
    Ok(())
}

fn add_addon(st: &mut CpanelState, user: &str, newdomain: &str, label: &str, dir: &str) -> Result<String, String> {
    if label.contains('*') || newdomain.contains('*') {
        return Err("You cannot create a wildcard addon domain.".into());
    }
    let domain = newdomain.trim().to_lowercase();
    let domain = domain.strip_prefix("www.").unwrap_or(&domain).trim_end_matches('.').to_string();
    if domain.is_empty() || !valid_host(&domain, false) {
        return Err(format!("Invalid domain specified: “{domain}” is not a valid domain."));
    }
    let account = st.accounts.get(user).ok_or("No such account.")?;
    let main = account.main_domain.clone();
    if main.ends_with(&format!(".{domain}")) {
        return Err("Primary domain may not be subdomain of addon domain.".into());
    }
    if let Some(max) = account.max_addons {
        if account.addons.len() >= max {
            return Err(format!(
                "Your addon domain limit of {max} addon {} has been reached. The addon domain {domain} was not added.\n",
                if max == 1 { "domain" } else { "domains" }
            ));
        }
    }
    let label = label.trim().to_lowercase();
    let label = label.strip_suffix(&format!(".{main}")).unwrap_or(&label).to_string();
    if !valid_label(&label) || label == "www" {
        return Err("You must specify a valid subdomain.".into());
    }
    match holder(st, &domain) {
        Some(u) if u == user => return Err(format!("The domain “{domain}” already exists in the userdata.")),
        Some(_) => return Err(format!("The domain “{domain}” already exists on this server and belongs to another user.")),
        None => {}
    }
    let sub = format!("{label}.{main}");
    if let Some(u) = holder(st, &sub).filter(|u| *u != user) {
        let _ = u;
        return Err(format!("The domain “{sub}” already exists on this server and belongs to another user."));
    }
    let account = st.accounts.get_mut(user).ok_or("No such account.")?;
    if !account.subdomains.contains_key(&sub) {
        let rel = if dir.trim().is_empty() { format!("public_html/{label}") } else { account.rel_dir(dir) };
        account.subdomains.insert(sub.clone(), rel);
    }
    account.addons.insert(domain.clone(), sub.clone());
    Ok(format!("The system successfully parked (aliased) the domain “{domain}” on top of the domain “{sub}”."))
}

fn del_addon(st: &mut CpanelState, user: &str, domain: &str, key: &str) -> Result<String, String> {
    if domain.is_empty() || key.is_empty() {
        return Err("The subdomain and domain parameters must exist and be non-empty.".into());
    }
    let account = st.accounts.get_mut(user).ok_or("No such account.")?;
    let fullsub = key.replacen('_', ".", 1);
    if account.addons.get(domain) != Some(&fullsub) {
        return Err(format!("The subdomain {key} does not correspond to {domain}."));
    }
    account.addons.remove(domain);
    if account.addons.values().any(|s| s == &fullsub) {
        return Ok(format!("Subdomain {key} was not removed because other domains are parked on top of it"));
    }
    account.subdomains.remove(&fullsub);
    Ok(format!("The subdomain “{fullsub}” has been removed."))
}

fn del_subdomain(st: &mut CpanelState, user: &str, key: &str) -> Result<String, String> {
    if key.is_empty() {
        return Err("You must specify a subdomain.".into());
    }
    let full = match key.split_once('_') {
        Some((label, root)) => format!("{label}.{root}"),
        None => key.to_string(),
    };
    let account = st.accounts.get_mut(user).ok_or("No such account.")?;
    if !account.subdomains.contains_key(&full) {
        return Err(format!("The subdomain “{full}” does not exist."));
    }
    let parked: Vec<&String> = account.addons.iter().filter(|(_, s)| **s == full).map(|(a, _)| a).collect();
    if !parked.is_empty() {
        return Err(format!("The subdomain “{full}” cannot be removed: the addon domain “{}” is parked on it.", parked[0]));
    }
    account.subdomains.remove(&full);
    Ok(format!("The subdomain “{full}” has been removed."))
}

/// `module::func` of a request, for the log.
fn detail(req: &HttpRequest) -> String {
    if let Some(rest) = req.path.strip_prefix("/execute/") {
        return format!("uapi={}", crate::one_line(&rest.replace('/', "::"), 80));
    }
    let p = params(req);
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    format!("api2={}::{}", crate::one_line(get("cpanel_jsonapi_module"), 40), crate::one_line(get("cpanel_jsonapi_func"), 40))
}

impl crate::emulator::Emulator for CPanel {
    fn panel(&self) -> crate::Panel {
        crate::Panel::CPanel
    }

    fn serves(&self, path: &str) -> bool {
        crate::emulator::under(path, "/execute") || crate::emulator::under(path, "/json-api")
    }

    fn handle(&self, state: &mut crate::State, req: &HttpRequest) -> crate::emulator::Handled {
        let response = handle(&mut state.cpanel, req);
        crate::emulator::Handled { answer: crate::Answer::Respond(response), detail: detail(req) }
    }

    fn unhandled_detail(&self, req: &HttpRequest) -> String {
        detail(req)
    }

    /// The password of the plugin's login form (`pass=`), were it sent.
    fn secrets(&self, req: &HttpRequest, form: Option<&BTreeMap<String, String>>) -> Vec<String> {
        let query: BTreeMap<String, String> =
            form_urlencoded::parse(req.query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        ["pass", "password"].iter().filter_map(|k| form.and_then(|f| f.get(*k)).or_else(|| query.get(*k)).cloned()).collect()
    }

    /// Token mode, for the first account that has a token.
    fn constants(&self, state: &crate::State, url: &str) -> Vec<(&'static str, String)> {
        let (user, token) = state
            .cpanel
            .accounts
            .iter()
            .find_map(|(u, a)| a.tokens.first().map(|t| (u.clone(), t.clone())))
            .unwrap_or_default();
        vec![("WU_CPANEL_HOST", url.to_string()), ("WU_CPANEL_USERNAME", user), ("WU_CPANEL_API_TOKEN", token)]
    }

    /// What that account serves from its main domain's document root
    /// (`WU_CPANEL_ROOT_DIR`'s default), as cPanel lists it: without the `www.` each name also serves.
    fn served(&self, state: &crate::State) -> Vec<String> {
        let Some(account) = state.cpanel.accounts.values().find(|a| !a.tokens.is_empty()) else { return Vec::new() };
        let root = account.main_dir.trim_matches('/');
        let mut names = vec![account.main_domain.clone()];
        names.extend(account.parked.iter().cloned());
        for (addon, sub) in &account.addons {
            if account.subdomains.get(sub).is_some_and(|d| d.trim_matches('/') == root) {
                names.push(addon.clone());
            }
        }
        for (sub, dir) in &account.subdomains {
            if dir.trim_matches('/') == root && !account.addons.values().any(|s| s == sub) {
                names.push(sub.clone());
            }
        }
        // As cPanel lists them: each also serves its www., which cPanel never lists.
        names
    }
}

/// What tests read of this panel's state.
impl crate::Sandbox {
    /// An account's addon domains → the subdomain each is parked on.
    pub fn cpanel_addons(&self, user: &str) -> BTreeMap<String, String> {
        crate::lock(&self.shared.state).cpanel.accounts.get(user).map(|a| a.addons.clone()).unwrap_or_default()
    }

    /// An account's subdomains → their document roots (relative to home).
    pub fn cpanel_subdomains(&self, user: &str) -> BTreeMap<String, String> {
        crate::lock(&self.shared.state).cpanel.accounts.get(user).map(|a| a.subdomains.clone()).unwrap_or_default()
    }

    pub fn cpanel_failed_logins(&self) -> u32 {
        crate::lock(&self.shared.state).cpanel.failed_logins
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> CpanelState {
        serde_json::from_str(SEED).unwrap()
    }

    #[test]
    fn an_addon_domain_is_parked_on_a_subdomain_of_the_main_domain_and_deleted_by_its_key() {
        let mut st = state();
        add_addon(&mut st, "netuser", "www.Shop.example", "shopexample", "/public_html").unwrap();
        let account = &st.accounts["netuser"];
        assert_eq!(account.addons.get("shop.example").map(String::as_str), Some("shopexample.network.example"), "www. is dropped");
        assert_eq!(account.subdomains.get("shopexample.network.example").map(String::as_str), Some("public_html"));
        assert!(add_addon(&mut st, "netuser", "shop.example", "other", "/public_html").unwrap_err().contains("already exists"));
        assert!(add_addon(&mut st, "netuser", "other.example", "x", "/").unwrap_err().contains("another user"));
        assert!(del_addon(&mut st, "netuser", "shop.example", "shopexample_elsewhere.example").unwrap_err().contains("does not correspond"));
        del_addon(&mut st, "netuser", "shop.example", "shopexample_network.example").unwrap();
        assert!(st.accounts["netuser"].addons.is_empty() && st.accounts["netuser"].subdomains.is_empty());
    }

    #[test]
    fn subdomains_refuse_www_foreign_roots_and_duplicates() {
        let mut st = state();
        add_subdomain(&mut st, "netuser", "site1", "network.example", "/public_html").unwrap();
        let cases = [
            ("site1", "network.example", "already exists"),
            ("www", "network.example", "“www” subdomain"),
            ("site2", "other.example", "does not belong"),
            ("bad_label", "network.example", "valid subdomain"),
            ("", "network.example", "specify a subdomain"),
        ];
        for (label, root, words) in cases {
            let err = add_subdomain(&mut st, "netuser", label, root, "/public_html").unwrap_err();
            assert!(err.contains(words), "{label}.{root}: {err}");
        }
        assert!(del_subdomain(&mut st, "netuser", "nope_network.example").unwrap_err().contains("does not exist"));
        del_subdomain(&mut st, "netuser", "site1_network.example").unwrap();
        assert!(st.accounts["netuser"].subdomains.is_empty());
    }

    #[test]
    fn domains_data_lists_an_addon_under_its_subdomains_servername() {
        let mut st = state();
        add_addon(&mut st, "netuser", "shop.example", "shopexample", "public_html").unwrap();
        add_subdomain(&mut st, "netuser", "blog", "network.example", "public_html/blog").unwrap();
        let data = st.accounts["netuser"].domains_data("netuser");
        assert_eq!(data["addon_domains"][0]["domain"], "shop.example");
        assert_eq!(data["addon_domains"][0]["servername"], "shopexample.network.example");
        assert_eq!(data["addon_domains"][0]["documentroot"], "/home/netuser/public_html");
        assert_eq!(data["sub_domains"].as_array().unwrap().len(), 1, "an addon's own subdomain is not listed apart");
        assert_eq!(data["sub_domains"][0]["documentroot"], "/home/netuser/public_html/blog");
        assert_eq!(data["main_domain"]["homedir"], "/home/netuser");
    }
}
