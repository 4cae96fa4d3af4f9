//! ServerPilot API v1 under `/v1/…` (Basic auth).

use crate::http::{HttpRequest, HttpResponse};
use crate::state::{ServerPilotState, SpApp};
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

impl crate::Panel {
    #[allow(non_upper_case_globals)]
    pub const ServerPilot: crate::Panel = crate::Panel("serverpilot");
}

/// The ServerPilot emulator: `/v1/…`.
pub(crate) struct ServerPilot;

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
