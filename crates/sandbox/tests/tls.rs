//! The sandbox over HTTPS: trusted, untrusted and faulty.
mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn https_sandbox(pki: &tls::TestPki) -> Sandbox {
    Sandbox::try_start(Options { tls: Some((pki.cert_pem.clone(), pki.key_pem.clone())), ..Options::default() }).unwrap()
}

fn basic() -> String {
    format!("Basic {}", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "cid_sandbox:sandbox-serverpilot-key"))
}

#[test]
fn a_client_trusting_the_generated_ca_gets_answers_from_each_panel_route_over_https() {
    let pki = tls::generate(&["127.0.0.1", "localhost"]);
    let sb = https_sandbox(&pki);
    assert!(sb.url().starts_with("https://127.0.0.1:"), "{}", sb.url());
    let client = tls_client_config(&[&pki.ca_pem]);
    let form = form_body(&[("hash", &format!("{ACCESS_KEY}:{SECRET_KEY}")), ("cmd", "v-list-web-domains"), ("arg1", "admin"), ("arg2", "json")]);
    let hestia = tls_raw(&sb, &client, "POST", "/api/", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes()).unwrap();
    assert_eq!(hestia.status, 200);
    assert!(hestia.json().get(DOMAIN).is_some(), "{}", hestia.text());
    let enhance = tls_raw(&sb, &client, "GET", "/api/servers", &[("Authorization", "Bearer sandbox-enhance-token")], b"").unwrap();
    assert_eq!(enhance.status, 200, "{}", enhance.text());
    let sp = tls_raw(&sb, &client, "GET", "/v1/apps/nlcN0TwdZAyNEgdp", &[("Authorization", &basic())], b"").unwrap();
    assert_eq!(sp.status, 200, "{}", sp.text());
    let health = tls_raw(&sb, &client, "GET", "/__sandbox/health", &[], b"").unwrap();
    assert_eq!(health.text(), "ok");
    let panels: Vec<Panel> = sb.requests().iter().map(|r| r.panel).collect();
    assert_eq!(panels, vec![Panel::Hestia, Panel::Enhance, Panel::ServerPilot]);
    // The certificate names localhost too.
    let mut s = tls_connect(sb.addr(), "localhost", &client).unwrap();
    assert_eq!(exchange(&mut s, &mut Vec::new(), "GET", "/__sandbox/health", &[], b"").unwrap().status, 200);
}

#[test]
fn a_client_that_does_not_trust_the_ca_fails_the_handshake_and_the_server_goes_on() {
    let pki = tls::generate(&["127.0.0.1"]);
    let sb = https_sandbox(&pki);
    let stranger = tls::generate(&["127.0.0.1"]);
    let err = tls_connect(sb.addr(), "127.0.0.1", &tls_client_config(&[&stranger.ca_pem])).unwrap_err();
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    let ok = tls_raw(&sb, &tls_client_config(&[&pki.ca_pem]), "GET", "/__sandbox/health", &[], b"").unwrap();
    assert_eq!(ok.status, 200, "one failed handshake costs only its connection");
    assert!(sb.requests().is_empty());
}

#[test]
fn a_self_signed_leaf_is_refused_by_a_ca_trusting_client() {
    let ca = tls::generate(&["127.0.0.1"]);
    let leaf = tls::generate_self_signed(&["127.0.0.1"]);
    assert_eq!(leaf.ca_pem, leaf.cert_pem, "its own issuer");
    let sb = https_sandbox(&leaf);
    let err = tls_connect(sb.addr(), "127.0.0.1", &tls_client_config(&[&ca.ca_pem])).unwrap_err();
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    // The same listener is fine for a CA-signed certificate: the refusal is about the issuer.
    let signed = https_sandbox(&ca);
    assert!(tls_connect(signed.addr(), "127.0.0.1", &tls_client_config(&[&ca.ca_pem])).is_ok());
}

#[test]
fn a_certificate_for_another_name_is_refused() {
    let pki = tls::generate(&["panel.example"]);
    let sb = https_sandbox(&pki);
    let err = tls_connect(sb.addr(), "127.0.0.1", &tls_client_config(&[&pki.ca_pem])).unwrap_err();
    assert!(err.to_lowercase().contains("certificate"), "{err}");
}

#[test]
fn plain_http_to_the_https_listener_gets_no_http_answer_and_costs_only_that_connection() {
    let pki = tls::generate(&["127.0.0.1"]);
    let sb = https_sandbox(&pki);
    let mut s = TcpStream::connect(sb.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(&request_bytes("GET", "/__sandbox/health", &[], b"")).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    assert!(!out.starts_with(b"HTTP/"), "{}", String::from_utf8_lossy(&out));
    let ok = tls_raw(&sb, &tls_client_config(&[&pki.ca_pem]), "GET", "/__sandbox/health", &[], b"").unwrap();
    assert_eq!(ok.text(), "ok");
}

#[test]
fn faults_work_over_tls() {
    let pki = tls::generate(&["127.0.0.1"]);
    let sb = https_sandbox(&pki);
    let client = tls_client_config(&[&pki.ca_pem]);
    let list = |sb: &Sandbox| {
        let form = form_body(&[("hash", &format!("{ACCESS_KEY}:{SECRET_KEY}")), ("cmd", "v-list-web-domains"), ("arg1", "admin"), ("arg2", "json")]);
        tls_raw(sb, &client, "POST", "/api/", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes())
    };
    let normal = list(&sb).unwrap().body;

    sb.set_fault(Fault::new(FaultMode::Reset).times(1));
    assert!(list(&sb).is_err(), "reset: no answer");

    sb.set_fault(Fault::new(FaultMode::Stall).with_delay_ms(300).times(1));
    let t = Instant::now();
    assert!(list(&sb).is_err(), "stall: no answer");
    assert!(t.elapsed() >= Duration::from_millis(300));

    sb.set_fault(Fault::new(FaultMode::Garbage).times(1));
    let g = list(&sb).unwrap();
    assert_eq!(g.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&g.body).is_err());

    sb.set_fault(Fault::new(FaultMode::Truncated).times(1));
    assert_eq!(list(&sb).unwrap().body, normal[..normal.len() / 2].to_vec());

    sb.set_fault(Fault::status(503).with_body("down").times(1));
    let d = list(&sb).unwrap();
    assert_eq!((d.status, d.text().as_str()), (503, "down"));

    sb.set_fault(Fault::new(FaultMode::Oversize).with_size(2 << 20).times(1));
    assert_eq!(list(&sb).unwrap().body.len(), 2 << 20);

    let faults: Vec<Option<&str>> = sb.requests().iter().map(|r| r.fault.map(|f| f.name())).collect();
    assert_eq!(faults, vec![None, Some("reset"), Some("stall"), Some("garbage"), Some("truncated"), Some("status"), Some("oversize")]);
    assert_eq!(list(&sb).unwrap().body, normal, "all used up");
}

#[test]
fn two_requests_share_one_tls_connection() {
    let pki = tls::generate(&["127.0.0.1"]);
    let sb = https_sandbox(&pki);
    let mut s = tls_connect(sb.addr(), "127.0.0.1", &tls_client_config(&[&pki.ca_pem])).unwrap();
    let mut buf = Vec::new();
    for _ in 0..2 {
        let r = exchange(&mut s, &mut buf, "GET", "/api/servers", &[("Authorization", "Bearer sandbox-enhance-token")], b"").unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.header("connection"), Some("keep-alive"));
    }
    assert_eq!(sb.requests().len(), 2);
}
