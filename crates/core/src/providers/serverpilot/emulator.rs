//! ServerPilot API v1 under `/v1/…` (Basic auth).

use crate::http::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use base64::Engine;
use serde_json::{json, Value};

/// At most this many domains per app.
pub const MAX_DOMAINS: usize = 300;

fn error(status: u16, message: &str) -> HttpResponse {
    HttpResponse::json(status, &json!({"error": {"message": message}}))
}

/// `(user, password)` from `Authorization: Basic …`.
pub fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let h = req.header("authorization")?.trim();
    let (scheme, encoded) = h.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_string(), pass.to_string()))
}

pub fn app_json(id: &str, app: &SpApp) -> Value {
    json!({
        "id": id,
        "name": app.name,
        "sysuserid": "sbxSysuser000001",
        "serverid": app.serverid,
        "runtime": app.runtime,
        "domains": app.domains,
        "ssl": app.ssl,
        "autossl": {"available": app.autossl.available, "domains": app.autossl.domains},
        "datecreated": 1_700_000_000u64,
    })
}

pub fn handle(st: &mut ServerPilotState, req: &HttpRequest) -> HttpResponse {
    let ok = match basic_credentials(req) {
        Some((user, pass)) => !user.is_empty() && user == st.client_id && !pass.is_empty() && pass == st.api_key,
        None => false,
    };
    if !ok {
        return error(401, "Invalid API credentials.");
    }
    let rest = req.path.strip_prefix("/v1").unwrap_or(&req.path);
    let seg: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match (req.method.as_str(), seg.as_slice()) {
        ("GET", ["apps", id]) => match st.apps.get(*id) {
            Some(app) => HttpResponse::json(200, &json!({"data": app_json(id, app)})),
            None => error(404, "App not found."),
        },
        ("POST", ["apps", id]) => update_app(st, id, &req.body),
        ("POST", ["apps", id, "ssl"]) => enable_autossl(st, id, &req.body),
        ("GET", ["actions", id]) => read_action(st, id),
        _ => error(404, "Not found."),
    }
}

fn update_app(st: &mut ServerPilotState, id: &str, body: &[u8]) -> HttpResponse {
    if !st.apps.contains_key(id) {
        return error(404, "App not found.");
    }
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return error(400, "The request body is not valid JSON."),
    };
    let Some(field) = v.get("domains") else {
        return error(400, "Nothing to update: expected \"domains\".");
    };
    // PHP arrays with holes serialise as objects; the real API refuses them.
    let Some(list) = field.as_array() else {
        return error(400, "\"domains\" must be an array of strings.");
    };
    let mut domains = Vec::with_capacity(list.len());
    for d in list {
        match d.as_str() {
            Some(s) if !s.trim().is_empty() => domains.push(s.trim().to_string()),
            _ => return error(400, "\"domains\" must be an array of non-empty strings."),
        }
    }
    if domains.len() > MAX_DOMAINS {
        return error(400, "An app can have at most 300 domains.");
    }
    let serverid = st.apps.get(id).map(|a| a.serverid.clone()).unwrap_or_default();
    let actionid = st.new_action(id, &serverid);
    let Some(app) = st.apps.get_mut(id) else {
        return error(404, "App not found.");
    };
    app.domains = domains;
    HttpResponse::json(200, &json!({"actionid": actionid, "data": app_json(id, app)}))
}

fn enable_autossl(st: &mut ServerPilotState, id: &str, body: &[u8]) -> HttpResponse {
    let Some(app) = st.apps.get(id) else {
        return error(404, "App not found.");
    };
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return error(400, "The request body is not valid JSON."),
    };
    if v.get("auto") != Some(&Value::Bool(true)) {
        return error(400, "Expected {\"auto\": true}.");
    }
    if !app.autossl.available {
        return error(400, "AutoSSL is not available for this app.");
    }
    let custom = app.ssl.is_object() && app.ssl.get("auto") != Some(&Value::Bool(true));
    if custom {
        return error(400, "A custom SSL certificate is installed; remove it before enabling AutoSSL.");
    }
    let serverid = app.serverid.clone();
    let ssl = json!({"auto": true, "key": null, "cert": null, "cacerts": null, "force": false});
    let actionid = st.new_action(id, &serverid);
    if let Some(app) = st.apps.get_mut(id) {
        app.ssl = ssl.clone();
    }
    HttpResponse::json(200, &json!({"actionid": actionid, "data": ssl}))
}

fn read_action(st: &mut ServerPilotState, id: &str) -> HttpResponse {
    let open_reads = st.open_reads;
    let Some(action) = st.actions.get_mut(id) else {
        return error(404, "Action not found.");
    };
    // An open action finishes once it has been polled `open_reads` times.
    if action.status == "open" && action.reads >= open_reads {
        action.status = "success".into();
    }
    action.reads = action.reads.saturating_add(1);
    HttpResponse::json(
        200,
        &json!({"data": {"id": id, "status": action.status, "serverid": action.serverid, "datecreated": action.datecreated}}),
    )
}

// The ServerPilot emulator, serving `/v1/…`.
crate::emulator::declare!(ServerPilot, "serverpilot", ServerPilotState, include_str!("fixtures/seed.json"));

impl crate::emulator::Emulator for ServerPilot {
    fn panel(&self) -> crate::Panel {
        crate::Panel::ServerPilot
    }

    fn serves(&self, path: &str) -> bool {
        crate::emulator::under(path, "/v1")
    }

    fn handle(&self, state: &mut crate::State, req: &HttpRequest) -> crate::emulator::Handled {
        let answer = crate::Answer::Respond(handle(&mut state.serverpilot, req));
        let auth = if req.header("authorization").is_some() { "basic" } else { "none" };
        crate::emulator::Handled { answer, detail: crate::body_detail(req, auth) }
    }

    fn unhandled_detail(&self, req: &HttpRequest) -> String {
        crate::body_detail(req, &crate::auth_scheme(req))
    }

    fn cycle_floor(&self) -> Option<crate::emulator::CycleFloor> {
        Some(crate::emulator::CycleFloor {
            requests: 4,
            reloads: 0,
            why: "the API replaces the whole list: one read and one update per change",
        })
    }

    fn served(&self, state: &crate::State) -> Vec<String> {
        state.serverpilot.apps.values().next().map(|a| a.domains.clone()).unwrap_or_default()
    }

    /// The account's credentials and its first app.
    fn constants(&self, state: &crate::State, url: &str) -> Vec<(&'static str, String)> {
        let st = &state.serverpilot;
        vec![
            ("WU_SERVER_PILOT_CLIENT_ID", st.client_id.clone()),
            ("WU_SERVER_PILOT_API_KEY", st.api_key.clone()),
            ("WU_SERVER_PILOT_APP_ID", st.apps.keys().next().cloned().unwrap_or_default()),
            ("WU_SERVER_PILOT_API_URL", format!("{url}/v1")),
        ]
    }

    fn secrets(&self, req: &HttpRequest, _form: Option<&std::collections::BTreeMap<String, String>>) -> Vec<String> {
        match basic_credentials(req) {
            Some((user, pass)) => vec![format!("{user}:{pass}"), pass],
            None => vec![],
        }
    }
}

fn yes() -> bool {
    true
}

fn default_action_status() -> String {
    "success".into()
}

fn default_open_reads() -> u32 {
    2
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct ServerPilotState {
    pub client_id: String,
    pub api_key: String,
    pub apps: BTreeMap<String, SpApp>,
    pub actions: BTreeMap<String, SpAction>,
    /// Status new actions start with ("open" lets tests exercise waiting).
    #[serde(default = "default_action_status")]
    pub action_status: String,
    /// Reads after which an open action turns "success".
    #[serde(default = "default_open_reads")]
    pub open_reads: u32,
    pub next_action: u64,
    /// Ids the next actions take, first first, before numbered ones: lets a
    /// test make the panel answer a hostile `actionid`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub action_ids: Vec<String>,
}

impl Default for ServerPilotState {
    fn default() -> Self {
        ServerPilotState {
            client_id: String::new(),
            api_key: String::new(),
            apps: BTreeMap::new(),
            actions: BTreeMap::new(),
            action_status: default_action_status(),
            open_reads: default_open_reads(),
            next_action: 1,
            action_ids: Vec::new(),
        }
    }
}

impl ServerPilotState {
    /// Records a new action and returns its id (16 characters, like the real ones).
    pub fn new_action(&mut self, app_id: &str, serverid: &str) -> String {
        let n = self.next_action;
        self.next_action = self.next_action.saturating_add(1);
        let id = if self.action_ids.is_empty() {
            format!("sbxaction{:07}", n % 10_000_000)
        } else {
            self.action_ids.remove(0)
        };
        let action = SpAction {
            status: self.action_status.clone(),
            app_id: app_id.to_string(),
            serverid: serverid.to_string(),
            datecreated: 1_700_000_000 + n,
            reads: 0,
        };
        self.actions.insert(id.clone(), action);
        id
    }
}

fn default_runtime() -> String {
    "php8.2".into()
}

fn default_serverid() -> String {
    "sbxServer0000001".into()
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct SpApp {
    pub name: String,
    #[serde(default = "default_serverid")]
    pub serverid: String,
    #[serde(default = "default_runtime")]
    pub runtime: String,
    pub domains: Vec<String>,
    /// null, or the certificate object (`{"auto":true,…}` for AutoSSL).
    pub ssl: Value,
    pub autossl: AutoSsl,
}

impl Default for SpApp {
    fn default() -> Self {
        SpApp {
            name: String::new(),
            serverid: default_serverid(),
            runtime: default_runtime(),
            domains: Vec::new(),
            ssl: Value::Null,
            autossl: AutoSsl::default(),
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct AutoSsl {
    #[serde(default = "yes")]
    pub available: bool,
    pub domains: Vec<String>,
}

impl Default for AutoSsl {
    fn default() -> Self {
        AutoSsl { available: true, domains: Vec::new() }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct SpAction {
    pub status: String,
    pub app_id: String,
    pub serverid: String,
    pub datecreated: u64,
    /// How often the action has been read (drives open → success).
    pub reads: u32,
}

/// What tests read of this panel's state.
impl crate::Sandbox {
    /// Domains of a ServerPilot app.
    pub fn serverpilot_domains(&self, app_id: &str) -> Vec<String> {
        crate::lock(&self.shared.state).serverpilot.apps.get(app_id).map(|a| a.domains.clone()).unwrap_or_default()
    }
}
