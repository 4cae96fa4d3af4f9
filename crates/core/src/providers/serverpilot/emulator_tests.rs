//! ServerPilot's emulator over HTTP: the app, its domain list, AutoSSL and
//! actions. Run by crates/sandbox/tests/emulators.rs.

use base64::Engine;
use crate::common::*;
use serde_json::json;

const APP: &str = "nlcN0TwdZAyNEgdp";

fn basic(user: &str, pass: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}")))
}

fn sp(sb: &Sandbox, method: &str, path: &str, body: &str) -> Resp {
    let auth = basic("cid_sandbox", "sandbox-serverpilot-key");
    call(sb, method, path, &[("Authorization", &auth), ("Content-Type", "application/json")], body.as_bytes())
}

#[test]
fn requests_without_the_client_id_and_key_are_refused_with_an_error_body() {
    let sb = Sandbox::start();
    let wrong = basic("cid_sandbox", "wrong");
    let token = "Bearer sandbox-serverpilot-key".to_string();
    for auth in [None, Some(wrong.as_str()), Some(token.as_str()), Some("Basic !!!notbase64")] {
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", *a)).collect();
        let r = call(&sb, "GET", &format!("/v1/apps/{APP}"), &headers, b"");
        assert_eq!(r.status, 401, "{auth:?}");
        assert!(r.json()["error"]["message"].is_string());
    }
}

#[test]
fn an_app_is_read_with_its_domains_ssl_and_autossl() {
    let sb = Sandbox::start();
    let r = sp(&sb, "GET", &format!("/v1/apps/{APP}"), "");
    assert_eq!(r.status, 200);
    let d = &r.json()["data"];
    assert_eq!(d["id"], APP);
    assert_eq!(d["name"], "wordpress");
    assert_eq!(d["domains"], json!(["network.example", "www.network.example"]));
    assert_eq!(d["ssl"], json!(null));
    assert_eq!(d["autossl"], json!({"available": true, "domains": []}));
    assert_eq!(d["runtime"], "php8.2");
    assert!(d["serverid"].is_string());
    assert_eq!(sp(&sb, "GET", "/v1/apps/nope", "").status, 404);
}

#[test]
fn posting_domains_replaces_the_whole_list_and_returns_an_action() {
    let sb = Sandbox::start();
    let r = sp(&sb, "POST", &format!("/v1/apps/{APP}"), r#"{"domains":["a.example","www.a.example"]}"#);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["actionid"], "sbxaction0000001");
    assert_eq!(r.json()["data"]["domains"], json!(["a.example", "www.a.example"]));
    assert_eq!(sb.serverpilot_domains(APP), vec!["a.example", "www.a.example"]);
    let action = sp(&sb, "GET", "/v1/actions/sbxaction0000001", "");
    assert_eq!(action.json()["data"]["status"], "success");
    assert_eq!(action.json()["data"]["id"], "sbxaction0000001");
}

#[test]
fn bad_domain_bodies_are_refused_with_400_and_change_nothing() {
    let too_many = json!({"domains": (0..301).map(|i| format!("d{i}.example")).collect::<Vec<_>>()}).to_string();
    let cases: Vec<(&str, String)> = vec![
        ("an object where PHP left holes in the array", r#"{"domains":{"0":"a.example","3":"c.example"}}"#.into()),
        ("a non-string entry", r#"{"domains":["a.example",7]}"#.into()),
        ("no domains field", r#"{"name":"x"}"#.into()),
        ("not JSON", "domains=a.example".into()),
        ("more than 300 domains", too_many),
    ];
    for (case, body) in cases {
        let sb = Sandbox::start();
        let r = sp(&sb, "POST", &format!("/v1/apps/{APP}"), &body);
        assert_eq!(r.status, 400, "{case}");
        assert!(r.json()["error"]["message"].is_string(), "{case}");
        assert_eq!(sb.serverpilot_domains(APP), vec!["network.example", "www.network.example"], "{case}");
    }
    let sb = Sandbox::start();
    let exactly = json!({"domains": (0..300).map(|i| format!("d{i}.example")).collect::<Vec<_>>()}).to_string();
    assert_eq!(sp(&sb, "POST", &format!("/v1/apps/{APP}"), &exactly).status, 200, "300 domains are fine");
}

#[test]
fn autossl_turns_on_only_when_available_and_no_custom_certificate_is_installed() {
    type Setup = fn(&Sandbox);
    let none: Setup = |_| {};
    let unavailable: Setup = |sb| sb.update_state(|s| s.serverpilot.apps.get_mut(APP).unwrap().autossl.available = false);
    let custom: Setup = |sb| sb.update_state(|s| s.serverpilot.apps.get_mut(APP).unwrap().ssl = json!({"auto": false, "cert": "PEM"}));
    let cases: Vec<(&str, Setup, &str, u16)> = vec![
        ("available and no certificate", none, r#"{"auto":true}"#, 200),
        ("autossl unavailable", unavailable, r#"{"auto":true}"#, 400),
        ("a custom certificate installed", custom, r#"{"auto":true}"#, 400),
        ("auto not true", none, r#"{"auto":false}"#, 400),
    ];
    for (case, setup, body, status) in cases {
        let sb = Sandbox::start();
        setup(&sb);
        let r = sp(&sb, "POST", &format!("/v1/apps/{APP}/ssl"), body);
        assert_eq!(r.status, status, "{case}: {}", r.text());
        let ssl = sb.typed_state().serverpilot.apps[APP].ssl.clone();
        if status == 200 {
            assert_eq!(r.json()["data"]["auto"], true, "{case}");
            assert!(r.json()["actionid"].is_string(), "{case}");
            assert_eq!(ssl["auto"], true, "{case}");
        } else {
            assert!(r.json()["error"]["message"].is_string(), "{case}");
            assert_ne!(ssl.get("auto"), Some(&json!(true)), "{case}");
        }
    }
}

#[test]
fn an_open_action_turns_success_after_being_read_open_reads_times() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        s.serverpilot.action_status = "open".into();
        s.serverpilot.open_reads = 2;
    });
    let r = sp(&sb, "POST", &format!("/v1/apps/{APP}"), r#"{"domains":["a.example"]}"#);
    let id = r.json()["actionid"].as_str().unwrap().to_string();
    let statuses: Vec<String> = (0..3)
        .map(|_| sp(&sb, "GET", &format!("/v1/actions/{id}"), "").json()["data"]["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, vec!["open", "open", "success"]);
    assert_eq!(sp(&sb, "GET", "/v1/actions/unknown", "").status, 404);
}
