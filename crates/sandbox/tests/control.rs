mod common;
use common::*;
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn list_domains(sb: &Sandbox) -> Result<Resp, String> {
    let body = form_body(&[("hash", &format!("{ACCESS_KEY}:{SECRET_KEY}")), ("cmd", "v-list-web-domains"), ("arg1", "admin"), ("arg2", "json")]);
    raw(sb, "POST", "/api/", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes())
}

fn add_alias(sb: &Sandbox, alias: &str) -> Result<Resp, String> {
    let body = form_body(&[("user", ADMIN), ("password", ADMIN_PASSWORD), ("cmd", "v-add-web-domain-alias"), ("arg1", "admin"), ("arg2", DOMAIN), ("arg3", alias), ("returncode", "yes")]);
    raw(sb, "POST", "/api/", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes())
}

#[test]
fn each_fault_mode_changes_the_answer_as_described() {
    let normal = { let sb = Sandbox::start(); list_domains(&sb).unwrap().body };
    // (mode name, fault, check of the outcome)
    type Check = Box<dyn Fn(Result<Resp, String>)>;
    let n = normal.clone();
    let cases: Vec<(&str, Fault, Check)> = vec![
        ("status", Fault::status(503).with_body("down").with_header("Retry-After", "7"), Box::new(|r| {
            let r = r.unwrap();
            assert_eq!((r.status, r.text().as_str(), r.header("retry-after")), (503, "down", Some("7")));
        })),
        ("reset", Fault::new(FaultMode::Reset), Box::new(|r| assert!(r.is_err(), "{r:?}"))),
        ("stall", Fault::new(FaultMode::Stall).with_delay_ms(300), Box::new(|r| assert!(r.is_err(), "{r:?}"))),
        ("garbage", Fault::new(FaultMode::Garbage), Box::new(|r| {
            let r = r.unwrap();
            assert_eq!(r.status, 200);
            assert!(!r.body.is_empty() && serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
        })),
        ("truncated", Fault::new(FaultMode::Truncated), Box::new(move |r| {
            let r = r.unwrap();
            assert_eq!(r.status, 200);
            assert_eq!(r.body, n[..n.len() / 2].to_vec());
        })),
        ("oversize", Fault::new(FaultMode::Oversize).with_size(3 << 20), Box::new(|r| {
            let r = r.unwrap();
            assert_eq!((r.status, r.body.len()), (200, 3 << 20));
            assert!(r.body.iter().all(|b| *b == b'x'));
        })),
        ("wrong_shape", Fault::new(FaultMode::WrongShape), Box::new(|r| {
            let r = r.unwrap();
            assert_eq!((r.status, r.json()), (200, json!({"unexpected": true})));
        })),
        ("echo", Fault::echo(echo::EchoEncoding::Form).with_body("Error: {request}"), Box::new(|r| {
            let r = r.unwrap();
            assert_eq!(r.status, 500);
            assert!(r.text().starts_with(&format!("Error: hash%3D{ACCESS_KEY}%253A{SECRET_KEY}%0Ahash%3D")), "{}", r.text());
        })),
    ];
    for (name, fault, check) in cases {
        let sb = Sandbox::start();
        sb.set_fault(fault.times(1));
        check(list_domains(&sb));
        let rec = sb.requests();
        assert_eq!(rec.len(), 1, "{name}: a faulted request is still recorded");
        assert_eq!(rec[0].fault.map(|f| f.name()), Some(name), "{name}");
        let after = list_domains(&sb).unwrap();
        assert_eq!(after.body, normal, "{name}: the fault was used up after one request");
    }
}

#[test]
fn a_slow_fault_delays_then_answers_normally() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::new(FaultMode::Slow).with_delay_ms(300));
    let t = Instant::now();
    let r = list_domains(&sb).unwrap();
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status, 200);
    assert!(r.json().get(DOMAIN).is_some());
}

#[test]
fn faults_only_hit_their_panel_and_without_a_count_last_until_cleared() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::status(500).for_panel(Panel::Enhance));
    assert_eq!(list_domains(&sb).unwrap().status, 200, "hestia is untouched");
    for _ in 0..3 {
        let r = call(&sb, "GET", "/api/servers", &[("Authorization", "Bearer sandbox-enhance-token")], b"");
        assert_eq!(r.status, 500);
    }
    sb.clear_fault();
    let r = call(&sb, "GET", "/api/servers", &[("Authorization", "Bearer sandbox-enhance-token")], b"");
    assert_eq!(r.status, 200);
}

#[test]
fn a_faulted_request_is_not_applied_unless_the_fault_says_apply() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::new(FaultMode::Reset).times(1));
    assert!(add_alias(&sb, "lost.example").is_err());
    assert!(!sb.hestia_aliases("admin", DOMAIN).contains(&"lost.example".to_string()));
    sb.set_fault(Fault::new(FaultMode::Reset).times(1).applied());
    assert!(add_alias(&sb, "applied.example").is_err());
    assert!(sb.hestia_aliases("admin", DOMAIN).contains(&"applied.example".to_string()));
    assert_eq!(add_alias(&sb, "applied.example").unwrap().text(), "4", "a retry then finds it exists");
}

#[test]
fn a_stalled_request_does_not_block_other_requests() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::new(FaultMode::Stall).for_panel(Panel::Hestia).with_delay_ms(3000).times(1));
    let addr = sb.addr();
    let stalled = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"POST /api/ HTTP/1.1\r\nContent-Length: 0\r\n\r\n").unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        buf
    });
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    assert_eq!(call(&sb, "GET", "/__sandbox/health", &[], b"").text(), "ok");
    assert_eq!(list_domains(&sb).unwrap().status, 200);
    assert!(t.elapsed() < Duration::from_secs(2));
    assert!(stalled.join().unwrap().is_empty());
}

#[test]
fn every_panel_request_is_recorded_with_its_parts_and_answer() {
    let sb = Sandbox::start();
    add_alias(&sb, "rec.example").unwrap();
    call(&sb, "POST", "/api/servers/00000000-0000-4000-8000-000000000001/domains?x=1", &[("Authorization", "Bearer sandbox-enhance-token"), ("X-Custom", "Yes")], b"\"rec.example\"");
    call(&sb, "GET", "/__sandbox/health", &[], b"");
    let rec = sb.requests();
    assert_eq!(rec.len(), 2, "control requests are not recorded");
    let h = &rec[0];
    assert_eq!((h.seq, h.panel, h.method.as_str(), h.path.as_str()), (1, Panel::Hestia, "POST", "/api/"));
    assert_eq!(h.form_value("arg3"), Some("rec.example"));
    assert_eq!(h.form_value("returncode"), Some("yes"));
    assert_eq!((h.status, h.response.as_str(), h.json.clone()), (200, "0", None));
    let e = &rec[1];
    assert_eq!((e.seq, e.panel, e.query.as_str()), (2, Panel::Enhance, "x=1"));
    assert_eq!(e.header("x-custom"), Some("Yes"));
    assert_eq!(e.json, Some(json!("rec.example")));
    assert_eq!(e.form, None);
    assert_eq!(e.status, 201);
    assert_eq!(e.fault, None);
    // The same list over HTTP.
    let over_http = call(&sb, "GET", "/__sandbox/requests", &[], b"").json();
    assert_eq!(over_http, serde_json::to_value(&rec).unwrap());
    call(&sb, "DELETE", "/__sandbox/requests", &[], b"");
    assert!(sb.requests().is_empty());
}

#[test]
fn recorded_responses_keep_only_the_first_two_kilobytes() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::new(FaultMode::Oversize).with_size(10_000));
    list_domains(&sb).unwrap();
    assert_eq!(sb.requests()[0].response.len(), 2048);
}

#[test]
fn the_log_shows_each_request_on_one_line_with_every_secret_redacted() {
    let sb = Sandbox::start();
    add_alias(&sb, "a.example,www.a.example").unwrap();
    list_domains(&sb).unwrap();
    post_form(&sb, "/api/", &[("access_key", ACCESS_KEY), ("secret_key", SECRET_KEY), ("cmd", "v-list-web-domains"), ("arg1", "admin")]);
    post_form(&sb, "/api/", &[("hash", LEGACY_HASH), ("cmd", "v-list-web-domains"), ("arg1", "admin")]);
    call(&sb, "GET", "/api/servers", &[("Authorization", "Bearer sandbox-enhance-token")], b"");
    let basic = format!("Basic {}", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "cid_sandbox:sandbox-serverpilot-key"));
    call(&sb, "GET", "/v1/apps/nlcN0TwdZAyNEgdp", &[("Authorization", &basic)], b"");
    sb.set_fault(Fault::new(FaultMode::Reset).times(1));
    let _ = add_alias(&sb, "f.example");
    sb.set_fault(Fault::echo(echo::EchoEncoding::Base64).times(1));
    let _ = add_alias(&sb, "g.example");
    let lines = sb.log_lines();
    assert_eq!(lines.len(), 8);
    assert!(lines[7].ends_with("→ 500 (the request, echoed) fault=echo"), "{}", lines[7]);
    assert!(lines[6].starts_with("#7 hestia POST /api/ user=admin password=*** cmd=v-add-web-domain-alias"), "{}", lines[6]);
    assert!(lines[6].ends_with("→ (closed without answer) fault=reset"), "{}", lines[6]);
    assert_eq!(
        lines[0],
        "#1 hestia POST /api/ user=admin password=*** cmd=v-add-web-domain-alias arg1=admin arg2=network.example arg3=a.example,www.a.example returncode=yes auth=password → 200 0"
    );
    assert!(lines[1].contains("auth=hash-key") && lines[1].contains("hash=***"), "{}", lines[1]);
    assert!(lines[4].starts_with("#5 enhance GET /api/servers auth=bearer → 200"), "{}", lines[4]);
    let secrets = [ADMIN_PASSWORD, ACCESS_KEY, SECRET_KEY, LEGACY_HASH, "sandbox-enhance-token", "sandbox-serverpilot-key", &basic[6..]];
    for line in &lines {
        for s in secrets {
            assert!(!line.contains(s), "secret {s} leaked in: {line}");
        }
    }
}

#[test]
fn the_state_can_be_read_replaced_and_reset_over_http() {
    let sb = Sandbox::start();
    let state = call(&sb, "GET", "/__sandbox/state", &[], b"").json();
    assert_eq!(state, sb.state());
    assert_eq!(state["hestia"]["users"]["admin"]["web_domains"][DOMAIN]["aliases"], json!(["www.network.example"]));

    let mut changed = state.clone();
    changed["hestia"]["api_enabled"] = json!(false);
    assert_eq!(call(&sb, "PUT", "/__sandbox/state", &[], changed.to_string().as_bytes()).status, 200);
    assert_eq!(add_alias(&sb, "x.example").unwrap().status, 400, "API now disabled");
    assert_eq!(call(&sb, "PUT", "/__sandbox/state", &[], b"{\"hestia\": 7}").status, 400, "bad state is refused");

    sb.set_fault(Fault::status(500));
    assert_eq!(call(&sb, "POST", "/__sandbox/reset", &[], b"").status, 200);
    assert_eq!(sb.state(), state, "back to the seed");
    assert!(sb.requests().is_empty() && sb.faults().is_empty());

    let custom = json!({"hestia": {"admin_password": "pw", "users": {"admin": {"web_domains": {"only.example": {}}}}}});
    assert_eq!(call(&sb, "POST", "/__sandbox/reset", &[], custom.to_string().as_bytes()).status, 200);
    assert_eq!(sb.typed_state().hestia.users["admin"].web_domains.keys().collect::<Vec<_>>(), vec!["only.example"]);
    assert!(sb.typed_state().hestia.api_enabled, "omitted fields take defaults");
}

#[test]
fn faults_can_be_set_listed_and_cleared_over_http() {
    let sb = Sandbox::start();
    let fault = json!({"panel": "hestia", "mode": "status", "count": 2, "status": 502, "body": "bad gateway", "headers": {}});
    assert_eq!(call(&sb, "POST", "/__sandbox/fault", &[], fault.to_string().as_bytes()).status, 200);
    assert_eq!(call(&sb, "GET", "/__sandbox/fault", &[], b"").json()[0]["status"], 502);
    assert_eq!(list_domains(&sb).unwrap().status, 502);
    assert_eq!(call(&sb, "DELETE", "/__sandbox/fault", &[], b"").status, 200);
    assert_eq!(list_domains(&sb).unwrap().status, 200);
    let null_panel = json!({"panel": null, "mode": "wrong_shape", "count": null});
    call(&sb, "POST", "/__sandbox/fault", &[], null_panel.to_string().as_bytes());
    assert_eq!(list_domains(&sb).unwrap().json(), json!({"unexpected": true}));
    assert_eq!(call(&sb, "POST", "/__sandbox/fault", &[], b"{\"mode\":\"explode\"}").status, 400);
}

#[test]
fn unknown_paths_are_404_plain_text_and_health_is_ok() {
    let sb = Sandbox::start();
    let cases = [("GET", "/", 404), ("GET", "/api/other", 404), ("POST", "/apix", 404), ("GET", "/__sandbox/nope", 404), ("GET", "/__sandbox/health", 200)];
    for (method, path, status) in cases {
        assert_eq!(call(&sb, method, path, &[], b"").status, status, "{method} {path}");
    }
    assert_eq!(call(&sb, "GET", "/nowhere", &[], b"").text(), "Not Found");
}

/// Everything the server sends until it closes.
fn raw_bytes(sb: &Sandbox, bytes: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(sb.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let _ = s.write_all(bytes);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    buf
}

/// The first answer to these bytes (the connection may stay open).
fn raw_answer(sb: &Sandbox, bytes: &[u8]) -> Result<Resp, String> {
    let mut s = TcpStream::connect(sb.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let _ = s.write_all(bytes);
    read_response(&mut s, &mut Vec::new(), false)
}

#[test]
fn hostile_input_gets_an_answer_and_never_takes_the_server_down() {
    let sb = Sandbox::start();
    let mut big = b"POST /api/ HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n".to_vec();
    big.extend(vec![b'a'; 2_000_000]);
    let cases: Vec<(&str, Vec<u8>, Option<u16>)> = vec![
        ("a body over 1 MiB is 413", big, Some(413)),
        ("a chunked body over 1 MiB is 413", {
            let mut v = b"POST /v1/apps/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            for _ in 0..20 { v.extend(format!("{:x}\r\n", 100_000).as_bytes()); v.extend(vec![b'a'; 100_000]); v.extend(b"\r\n"); }
            v
        }, Some(413)),
        ("a garbage request line is 400", b"HELLO\r\n\r\n".to_vec(), Some(400)),
        ("a bad content length is 400", b"POST /api/ HTTP/1.1\r\nContent-Length: lots\r\n\r\n".to_vec(), Some(400)),
        ("bad UTF-8 in a Hestia body is 405", b"POST /api/ HTTP/1.1\r\nContent-Length: 4\r\n\r\n\xff\xfe\x00\x80".to_vec(), Some(405)),
        ("bad UTF-8 in a path is 404", b"GET /\xff\xfe HTTP/1.1\r\n\r\n".to_vec(), Some(404)),
        ("bad JSON to Enhance is 400", b"POST /api/servers/00000000-0000-4000-8000-000000000001/domains HTTP/1.1\r\nAuthorization: Bearer sandbox-enhance-token\r\nContent-Length: 3\r\n\r\n{{{".to_vec(), Some(400)),
        ("a client that hangs up early gets nothing", b"POST /api/ HTTP/1.1\r\nContent-Length: 50\r\n\r\nabc".to_vec(), None),
    ];
    for (case, bytes, status) in cases {
        if status.is_none() {
            let mut s = TcpStream::connect(sb.addr()).unwrap();
            s.write_all(&bytes).unwrap();
            drop(s);
        } else {
            let r = raw_answer(&sb, &bytes).unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(Some(r.status), status, "{case}");
        }
        assert_eq!(call(&sb, "GET", "/__sandbox/health", &[], b"").text(), "ok", "{case}: still serving");
    }
}

#[test]
fn a_chunked_body_and_expect_100_continue_are_understood() {
    let sb = Sandbox::start();
    let body = form_body(&[("user", ADMIN), ("password", ADMIN_PASSWORD), ("cmd", "v-add-web-domain-alias"), ("arg1", "admin"), ("arg2", DOMAIN), ("arg3", "chunk.example"), ("returncode", "yes")]);
    let (a, b) = body.split_at(10);
    let req = format!("POST /api/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n", a.len(), b.len());
    let out = String::from_utf8_lossy(&raw_bytes(&sb, req.as_bytes())).into_owned();
    assert!(out.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"), "{out}");
    assert!(out.ends_with("\r\n\r\n0"), "{out}");
    assert!(sb.hestia_aliases("admin", DOMAIN).contains(&"chunk.example".to_string()));
}

#[test]
fn the_library_refuses_non_loopback_addresses_and_unusable_tls_material() {
    let public = Options { listen: "0.0.0.0:0".into(), ..Options::default() };
    assert!(Sandbox::try_start(public).unwrap_err().contains("non-loopback"));
    let tls = Options { tls: Some(("cert".into(), "key".into())), ..Options::default() };
    assert!(Sandbox::try_start(tls).unwrap_err().contains("invalid TLS certificate"));
    let (a, b) = (tls::generate(&["127.0.0.1"]), tls::generate(&["127.0.0.1"]));
    let mismatched = Options { tls: Some((a.cert_pem, b.key_pem)), ..Options::default() };
    assert!(Sandbox::try_start(mismatched).unwrap_err().contains("do not fit"));
    let bad_seed = Options { seed: Some(json!({"hestia": {"users": 3}})), ..Options::default() };
    assert!(Sandbox::try_start(bad_seed).is_err());
}

#[test]
fn dropping_a_sandbox_frees_its_port() {
    let sb = Sandbox::start();
    let addr = sb.addr();
    drop(sb);
    assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err());
}

#[test]
fn patching_the_state_merges_fields_and_keeps_the_rest() {
    let sb = Sandbox::start();
    let patch = json!({"hestia": {"ip_allowed": false, "users": {"admin": {"alias_limit": 3}}}});
    let r = raw(&sb, "PATCH", "/__sandbox/state", &[("Content-Type", "application/json")], patch.to_string().as_bytes()).unwrap();
    assert_eq!(r.status, 200);
    let st = sb.typed_state();
    assert!(!st.hestia.ip_allowed);
    assert_eq!(st.hestia.users["admin"].alias_limit, 3);
    assert_eq!(sb.hestia_aliases("admin", DOMAIN), vec!["www.network.example"], "untouched fields stay");

    let bad = raw(&sb, "PATCH", "/__sandbox/state", &[], br#"{"hestia": {"reloads": "many"}}"#).unwrap();
    assert_eq!(bad.status, 400);
    let not_an_object = raw(&sb, "PATCH", "/__sandbox/state", &[], b"[]").unwrap();
    assert_eq!(not_an_object.status, 400);
    assert_eq!(sb.hestia_reloads(), 0);
}

#[test]
fn the_constants_endpoint_gives_each_panel_the_settings_that_reach_its_seeded_target() {
    let sb = Sandbox::start();
    sb.update_state(|s| s.serverpilot.api_key = "changed-after-start".into());
    let r = call(&sb, "GET", "/__sandbox/constants", &[], b"");
    assert_eq!(r.status, 200);
    let all: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let names: Vec<&str> = all.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(names, Sandbox::panels().iter().map(|p| p.name()).collect::<Vec<_>>());
    for panel in Sandbox::panels() {
        let rust: serde_json::Map<String, serde_json::Value> =
            sb.constants(panel).into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
        assert_eq!(all[panel.name()], serde_json::Value::Object(rust), "{}", panel.name());
    }
    assert_eq!(all["hestia"]["WU_HESTIA_API_URL"], json!(sb.url()));
    assert_eq!(all["hestia"]["WU_HESTIA_API_PASSWORD"], json!(ADMIN_PASSWORD));
    assert_eq!(all["serverpilot"]["WU_SERVER_PILOT_API_KEY"], json!("sandbox-serverpilot-key"), "from the seed, not the changed state");
}

#[test]
fn the_network_model_charges_a_round_trip_per_panel_request_and_its_cost_per_reload() {
    let sb = Sandbox::start();
    assert_eq!(call(&sb, "GET", "/__sandbox/model", &[], b"").json(), json!({"latency_ms": 0, "reload_ms": 0}));
    let set = call(&sb, "PATCH", "/__sandbox/model", &[], br#"{"latency_ms": 60, "reload_ms": 150}"#);
    assert_eq!((set.status, set.json()), (200, json!({"latency_ms": 60, "reload_ms": 150})));

    let timed = |f: &dyn Fn() -> Resp| {
        let started = Instant::now();
        let r = f();
        (r, started.elapsed())
    };
    let (listed, read) = timed(&|| list_domains(&sb).unwrap());
    assert_eq!(listed.status, 200);
    assert!(read >= Duration::from_millis(60) && read < Duration::from_millis(150 + 60), "a read costs the latency only: {read:?}");
    let (added, write) = timed(&|| add_alias(&sb, "customer.example").unwrap());
    assert_eq!(added.text(), "0");
    assert!(write >= Duration::from_millis(210), "a reloading write costs latency and reload: {write:?}");
    let (_, control) = timed(&|| call(&sb, "GET", "/__sandbox/state", &[], b""));
    assert!(control < Duration::from_millis(60), "control requests are free: {control:?}");

    let reloads = call(&sb, "GET", "/__sandbox/reloads", &[], b"").json();
    assert_eq!(reloads["hestia"], json!(1));
    assert_eq!(sb.reloads(Panel::Hestia), 1);
    assert!(Sandbox::panels().iter().all(|p| reloads.get(p.name()).is_some()), "{reloads}");

    let refused = call(&sb, "PATCH", "/__sandbox/model", &[], br#"{"latency": 5}"#);
    assert_eq!(refused.status, 400, "unknown fields are refused");
    let reset = call(&sb, "PUT", "/__sandbox/model", &[], br#"{}"#);
    assert_eq!(reset.json(), json!({"latency_ms": 0, "reload_ms": 0}));
}

#[test]
fn every_panel_states_its_floor_or_none() {
    let sb = Sandbox::start();
    let floor = call(&sb, "GET", "/__sandbox/floor", &[], b"").json();
    for panel in Sandbox::panels() {
        let entry = &floor[panel.name()];
        assert!(entry.is_null() || entry["requests"].as_u64().is_some_and(|r| r > 0), "{panel:?}: {entry}");
    }
    assert_eq!(floor["hestia"]["requests"], json!(3));
    assert_eq!(floor["hestia"]["reloads"], json!(2));
}
