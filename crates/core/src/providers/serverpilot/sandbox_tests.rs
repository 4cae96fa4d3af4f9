//! ServerPilot against the sandbox panel: what is sent, what the app ends
//! up with, and how each answer is reported.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use crate::config::Values;
use crate::ops::{self, Operation, OperationResult, Options};
use crate::providers::{serverpilot, Action, Applied, PanelOptions, Plan, Provider};
use crate::{ErrorKind, HostName, MapSource, WwwRule};
use wu_sandbox::{Fault, FaultMode, Panel, Sandbox};

const APP: &str = "nlcN0TwdZAyNEgdp";
const CLIENT: &str = "cid_sandbox";
const KEY: &str = "sandbox-serverpilot-key";
/// base64 of `cid_sandbox:sandbox-serverpilot-key`, worked out by hand.
const BASIC: &str = "Basic Y2lkX3NhbmRib3g6c2FuZGJveC1zZXJ2ZXJwaWxvdC1rZXk=";
const SEEDED: [&str; 2] = ["network.example", "www.network.example"];

fn config(sb: &Sandbox) -> MapSource {
    MapSource::new([
        ("WU_SERVER_PILOT_CLIENT_ID", CLIENT.to_string()),
        ("WU_SERVER_PILOT_API_KEY", KEY.to_string()),
        ("WU_SERVER_PILOT_APP_ID", APP.to_string()),
        ("WU_SERVER_PILOT_API_URL", format!("{}/v1", sb.url())),
    ])
}

fn run_with(op: Operation, name: &str, config: &MapSource, options: Options) -> OperationResult {
    ops::run(op, name, 2, &options, config).expect("a valid call")
}

fn run(op: Operation, name: &str, config: &MapSource) -> OperationResult {
    run_with(op, name, config, Options { www: WwwRule::Always, ..Options::default() })
}

fn waiting(seconds: u64) -> Options {
    Options { panel: PanelOptions::default().with(serverpilot::WAIT, seconds as i64), ..Options::default() }
}

fn actions(result: &OperationResult) -> Vec<(String, Action)> {
    result.results[0].changes.iter().map(|c| (c.name.clone(), c.action)).collect()
}

/// `METHOD path` of each request the app received.
fn calls(sb: &Sandbox) -> Vec<String> {
    sb.requests_to(Panel::ServerPilot).iter().map(|r| format!("{} {}", r.method, r.path)).collect()
}

fn posts(sb: &Sandbox) -> Vec<(String, Value)> {
    sb.requests_to(Panel::ServerPilot)
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| (r.path.clone(), r.json.clone().unwrap_or(Value::Null)))
        .collect()
}

fn set_app(sb: &Sandbox, f: impl FnOnce(&mut wu_sandbox::serverpilot::SpApp)) {
    sb.update_state(|s| f(s.serverpilot.apps.get_mut(APP).unwrap()));
}

/// A provider driven step by step, to fault a request after the first read.
fn provider(config: &MapSource, options: &Options) -> Box<dyn Provider> {
    let values = Values::read(serverpilot::SPEC.settings, config);
    (serverpilot::SPEC.build)(&values, &options.panel).unwrap_or_else(|e| panic!("build: {e}"))
}

fn host(name: &str) -> HostName {
    HostName::parse(name).unwrap()
}

fn apply_after(sb: &Sandbox, fault: Fault, plan: Plan) -> Applied {
    let p = provider(&config(sb), &Options::default());
    let inventory = p.inventory().unwrap();
    sb.set_fault(fault.for_panel(Panel::ServerPilot).times(1));
    p.apply(&plan, &inventory)
}

#[test]
fn adding_a_mapping_reads_the_app_once_and_posts_the_whole_list_as_a_json_array() {
    let sb = Sandbox::start();
    let result = run(Operation::AddDomain, "Customer.Example", &config(&sb));

    assert!(result.ok, "{result:?}");
    assert_eq!(
        actions(&result),
        vec![("customer.example".into(), Action::Added), ("www.customer.example".into(), Action::Added)]
    );
    // Read, update (its answer is the read-back: nothing undone), AutoSSL.
    assert_eq!(calls(&sb), vec![format!("GET /v1/apps/{APP}"), format!("POST /v1/apps/{APP}"), format!("POST /v1/apps/{APP}/ssl")]);
    let update = &sb.requests_to(Panel::ServerPilot)[1];
    assert_eq!(
        update.json,
        Some(json!({"domains": ["network.example", "www.network.example", "customer.example", "www.customer.example"]}))
    );
    assert_eq!(update.header("content-type"), Some("application/json"));
    for r in sb.requests_to(Panel::ServerPilot) {
        assert_eq!(r.header("authorization"), Some(BASIC), "{} {}", r.method, r.path);
    }
    assert_eq!(sb.serverpilot_domains(APP), vec!["network.example", "www.network.example", "customer.example", "www.customer.example"]);
}

#[test]
fn re_adding_an_existing_mapping_reports_already_present_and_sends_no_update() {
    let sb = Sandbox::start();
    let config = config(&sb);
    run(Operation::AddDomain, "customer.example", &config);
    sb.clear_requests();

    let again = run(Operation::AddDomain, "customer.example", &config);
    assert!(again.ok);
    assert_eq!(
        actions(&again),
        vec![("customer.example".into(), Action::AlreadyPresent), ("www.customer.example".into(), Action::AlreadyPresent)]
    );
    assert_eq!(calls(&sb), vec![format!("GET /v1/apps/{APP}")]);
}

#[test]
fn names_the_app_already_lists_in_another_case_are_not_added_twice() {
    let sb = Sandbox::start();
    set_app(&sb, |a| a.domains = vec!["network.example".into(), "Customer.Example".into()]);
    let result = run(Operation::AddDomain, "customer.example", &config(&sb));

    assert_eq!(
        actions(&result),
        vec![("customer.example".into(), Action::AlreadyPresent), ("www.customer.example".into(), Action::Added)]
    );
    assert_eq!(posts(&sb)[0].1, json!({"domains": ["network.example", "Customer.Example", "www.customer.example"]}));
}

#[test]
fn duplicates_left_in_the_app_by_older_clients_are_dropped_on_the_next_update() {
    let sb = Sandbox::start();
    set_app(&sb, |a| a.domains = vec!["network.example".into(), "NETWORK.example".into(), "network.example".into()]);
    run_with(Operation::AddDomain, "customer.example", &config(&sb), Options { www: WwwRule::Never, ..Options::default() });
    assert_eq!(posts(&sb)[0].1, json!({"domains": ["network.example", "customer.example"]}));
}

#[test]
fn autossl_is_turned_on_only_when_offered_not_yet_on_and_no_custom_certificate_is_installed() {
    // (case, app ssl, autossl available, AutoSSL request expected)
    let cases = [
        ("offered, no certificate", json!(null), true, true),
        ("not offered", json!(null), false, false),
        ("already on", json!({"auto": true, "key": null, "cert": null}), true, false),
        ("custom certificate", json!({"auto": false, "key": "KEY", "cert": "PEM"}), true, false),
    ];
    for (case, ssl, available, expected) in cases {
        let sb = Sandbox::start();
        set_app(&sb, |a| {
            a.ssl = ssl.clone();
            a.autossl.available = available;
        });
        let result = run(Operation::AddDomain, "customer.example", &config(&sb));
        assert!(result.ok, "{case}: {result:?}");
        let ssl_posts: Vec<Value> = posts(&sb).into_iter().filter(|(p, _)| p.ends_with("/ssl")).map(|(_, b)| b).collect();
        let want = if expected { vec![json!({"auto": true})] } else { vec![] };
        assert_eq!(ssl_posts, want, "{case}");
    }
}

#[test]
fn autossl_is_not_touched_by_removals_or_by_adds_that_change_nothing() {
    for (op, name) in [(Operation::RemoveDomain, "network.example"), (Operation::AddDomain, "network.example")] {
        let sb = Sandbox::start();
        assert!(run(op, name, &config(&sb)).ok);
        assert!(posts(&sb).iter().all(|(p, _)| !p.ends_with("/ssl")), "{op:?}: {:?}", posts(&sb));
    }
}

#[test]
fn removing_a_mapping_sends_the_remaining_names_as_a_json_array() {
    // (names in the app, name removed, list sent)
    let cases = [
        (vec!["network.example", "a.example", "www.a.example", "b.example"], "a.example", json!(["network.example", "b.example"])),
        (vec!["a.example", "b.example", "c.example", "d.example"], "b.example", json!(["a.example", "c.example", "d.example"])),
        (vec!["WWW.A.example", "a.example"], "a.example", json!([])),
    ];
    for (present, name, sent) in cases {
        let sb = Sandbox::start();
        set_app(&sb, |a| a.domains = present.iter().map(|s| s.to_string()).collect());
        let result = run(Operation::RemoveDomain, name, &config(&sb));
        assert!(result.ok, "{name}: {result:?}");
        assert_eq!(result.results[0].changes[0].action, Action::Removed, "{name}: {result:?}");
        let body = &posts(&sb)[0].1;
        assert!(body["domains"].is_array(), "{name}: {body}");
        assert_eq!(body["domains"], sent, "{name}");
    }
}

#[test]
fn removing_names_the_app_does_not_list_reports_already_absent_and_sends_no_update() {
    let sb = Sandbox::start();
    let result = run(Operation::RemoveDomain, "customer.example", &config(&sb));
    assert!(result.ok);
    assert_eq!(
        actions(&result),
        vec![("customer.example".into(), Action::AlreadyAbsent), ("www.customer.example".into(), Action::AlreadyAbsent)]
    );
    assert_eq!(calls(&sb), vec![format!("GET /v1/apps/{APP}")]);
    assert_eq!(sb.serverpilot_domains(APP), SEEDED);
}

#[test]
fn subdomains_are_added_and_removed_without_www() {
    let sb = Sandbox::start();
    let config = config(&sb);
    let added = run(Operation::AddSubdomain, "site1.network.example", &config);
    assert_eq!(actions(&added), vec![("site1.network.example".into(), Action::Added)]);
    assert_eq!(sb.serverpilot_domains(APP), vec!["network.example", "www.network.example", "site1.network.example"]);

    let removed = run(Operation::RemoveSubdomain, "site1.network.example", &config);
    assert_eq!(actions(&removed), vec![("site1.network.example".into(), Action::Removed)]);
    assert_eq!(sb.serverpilot_domains(APP), SEEDED);
    assert_eq!(posts(&sb).last().unwrap().1, json!({"domains": SEEDED}));
}

#[test]
fn an_add_beyond_300_domains_is_a_limit_error_before_anything_is_sent() {
    // (domains already in the app, names added, allowed)
    let cases = [(299, 2, false), (300, 1, false), (298, 2, true), (299, 1, true)];
    for (present, adding, allowed) in cases {
        let sb = Sandbox::start();
        set_app(&sb, |a| a.domains = (0..present).map(|i| format!("d{i}.example")).collect());
        let www = if adding == 2 { WwwRule::Always } else { WwwRule::Never };
        let result = run_with(Operation::AddDomain, "customer.example", &config(&sb), Options { www, ..Options::default() });
        let case = format!("{present} present + {adding}");
        if allowed {
            assert!(result.ok, "{case}: {result:?}");
            assert_eq!(sb.serverpilot_domains(APP).len(), present + adding, "{case}");
        } else {
            let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{case}: no error"));
            assert_eq!(error.kind, ErrorKind::Limit, "{case}");
            assert!(error.message.contains("300"), "{case}: {}", error.message);
            assert!(result.results[0].changes.is_empty(), "{case}");
            assert!(posts(&sb).is_empty(), "{case}: nothing may be sent");
            assert_eq!(sb.serverpilot_domains(APP).len(), present, "{case}");
        }
    }
}

#[test]
fn removals_still_work_on_an_app_at_the_cap() {
    let sb = Sandbox::start();
    set_app(&sb, |a| a.domains = (0..300).map(|i| format!("d{i}.example")).collect());
    let result = run_with(Operation::RemoveDomain, "d7.example", &config(&sb), Options { www: WwwRule::Never, ..Options::default() });
    assert!(result.ok, "{result:?}");
    assert_eq!(sb.serverpilot_domains(APP).len(), 299);
}

#[test]
fn each_panel_refusal_comes_back_as_its_own_error_without_the_key() {
    type Setup = fn(&Sandbox, &mut MapSource);
    // (case, setup, kind, HTTP status, words the message must contain)
    let cases: Vec<(&str, Setup, ErrorKind, Option<u16>, Vec<&str>)> = vec![
        ("wrong key", |_, c| c.set("WU_SERVER_PILOT_API_KEY", "wrong-serverpilot-key"), ErrorKind::Auth, Some(401), vec!["WU_SERVER_PILOT_CLIENT_ID", "WU_SERVER_PILOT_API_KEY"]),
        ("wrong client id", |_, c| c.set("WU_SERVER_PILOT_CLIENT_ID", "cid_other"), ErrorKind::Auth, Some(401), vec!["WU_SERVER_PILOT_CLIENT_ID"]),
        ("unpaid plan (402)", |sb, _| sb.set_fault(Fault::status(402).for_panel(Panel::ServerPilot).with_body(r#"{"error":{"message":"Payment required."}}"#)), ErrorKind::Auth, Some(402), vec!["plan", "card", "Payment required."]),
        ("forbidden (403)", |sb, _| sb.set_fault(Fault::status(403).for_panel(Panel::ServerPilot)), ErrorKind::Auth, Some(403), vec!["plan", "card"]),
        ("unknown app", |_, c| c.set("WU_SERVER_PILOT_APP_ID", "noSuchApp0000000"), ErrorKind::NotFound, Some(404), vec!["WU_SERVER_PILOT_APP_ID", "noSuchApp0000000", "App not found."]),
        ("not the ServerPilot API", |sb, _| sb.set_fault(Fault::status(404).for_panel(Panel::ServerPilot).with_body("Not Found")), ErrorKind::NotFound, Some(404), vec!["WU_SERVER_PILOT_APP_ID", "WU_SERVER_PILOT_API_URL"]),
        ("server error", |sb, _| sb.set_fault(Fault::status(500).for_panel(Panel::ServerPilot).with_body(r#"{"error":{"message":"Internal error."}}"#)), ErrorKind::Http, Some(500), vec!["500", "Internal error."]),
        ("bad gateway", |sb, _| sb.set_fault(Fault::status(502).for_panel(Panel::ServerPilot).with_body("<html>")), ErrorKind::Http, Some(502), vec!["502"]),
        ("garbage", |sb, _| sb.set_fault(Fault::new(FaultMode::Garbage).for_panel(Panel::ServerPilot)), ErrorKind::Api, Some(200), vec!["not JSON"]),
        ("wrong shape", |sb, _| sb.set_fault(Fault::new(FaultMode::WrongShape).for_panel(Panel::ServerPilot)), ErrorKind::Api, Some(200), vec!["could not be read", "WU_SERVER_PILOT_API_URL"]),
        ("unreachable", |_, c| c.set("WU_SERVER_PILOT_API_URL", "http://127.0.0.1:9/v1"), ErrorKind::Transport, None, vec!["127.0.0.1:9"]),
        ("app id with a path in it", |_, c| c.set("WU_SERVER_PILOT_APP_ID", "../actions/x"), ErrorKind::Config, None, vec!["WU_SERVER_PILOT_APP_ID"]),
        ("API URL not a URL", |_, c| c.set("WU_SERVER_PILOT_API_URL", "api.serverpilot.io"), ErrorKind::Config, None, vec!["WU_SERVER_PILOT_API_URL"]),
    ];
    for (case, setup, kind, status, words) in cases {
        let sb = Sandbox::start();
        let mut config = config(&sb);
        setup(&sb, &mut config);
        let result = run(Operation::AddDomain, "customer.example", &config);
        assert!(!result.ok, "{case}");
        let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{case}: no error"));
        assert_eq!(error.kind, kind, "{case}: {}", error.message);
        assert_eq!(error.http_status, status, "{case}: {}", error.message);
        for word in words {
            assert!(error.message.contains(word), "{case}: {:?} should contain {word:?}", error.message);
        }
        for secret in [KEY, "wrong-serverpilot-key", &BASIC[6..]] {
            assert!(!error.message.contains(secret), "{case}: secret in {:?}", error.message);
        }
        assert!(posts(&sb).is_empty(), "{case}: nothing may be written");
        assert_eq!(sb.serverpilot_domains(APP), SEEDED, "{case}");
    }
}

#[test]
fn a_refused_update_reports_the_panels_message_and_status() {
    // (case, fault on the update, kind, status, words)
    let cases = [
        ("400 with a message", Fault::status(400).with_body(r#"{"error":{"message":"Invalid domain."}}"#), ErrorKind::Api, Some(400), "Invalid domain."),
        ("500", Fault::status(500), ErrorKind::Http, Some(500), "500"),
        ("garbage", Fault::new(FaultMode::Garbage), ErrorKind::Api, Some(200), "not JSON"),
        ("a conflict that is not ours", Fault::status(409).with_body(r#"{"error":{"message":"Domain in use by another app."}}"#), ErrorKind::Api, Some(409), "Domain in use by another app."),
    ];
    for (case, fault, kind, status, words) in cases {
        let sb = Sandbox::start();
        let applied = apply_after(&sb, fault, Plan { add: vec![host("customer.example")], remove: vec![], ..Plan::default() });
        let error = applied.error.unwrap_or_else(|| panic!("{case}: no error"));
        assert_eq!((error.kind, error.http_status), (kind, status), "{case}: {}", error.message);
        assert!(error.message.contains(words), "{case}: {}", error.message);
        assert!(applied.changes.is_empty(), "{case}");
        assert_eq!(sb.serverpilot_domains(APP), SEEDED, "{case}");
    }
}

#[test]
fn a_conflict_after_which_the_app_lists_the_names_counts_as_already_present() {
    let sb = Sandbox::start();
    // The sandbox makes the change, then answers 409, as a racing client would cause.
    let applied = apply_after(&sb, Fault::status(409).applied(), Plan { add: vec![host("customer.example")], remove: vec![], ..Plan::default() });
    assert!(applied.error.is_none(), "{:?}", applied.error);
    assert_eq!(applied.changes.iter().map(|c| c.action).collect::<Vec<_>>(), vec![Action::AlreadyPresent]);
    assert_eq!(calls(&sb), vec![format!("GET /v1/apps/{APP}"), format!("POST /v1/apps/{APP}"), format!("GET /v1/apps/{APP}")]);
}

#[test]
fn one_operation_reads_the_app_once_and_reads_it_back_from_the_updates_answer() {
    let sb = Sandbox::start();
    let p = provider(&config(&sb), &Options::default());
    let inventory = p.inventory().unwrap();
    p.apply(&Plan { add: vec![host("customer.example")], remove: vec![], ..Plan::default() }, &inventory);
    let reads = calls(&sb).iter().filter(|c| c.starts_with("GET")).count();
    assert_eq!(reads, 1);
}

#[test]
fn an_autossl_refusal_after_the_update_keeps_the_changes_and_reports_the_error() {
    let sb = Sandbox::start();
    let p = provider(&config(&sb), &Options::default());
    let inventory = p.inventory().unwrap();
    // Offered when read, withdrawn before the AutoSSL request: the panel refuses it.
    set_app(&sb, |a| a.autossl.available = false);
    let applied = p.apply(&Plan { add: vec![host("customer.example")], remove: vec![], ..Plan::default() }, &inventory);
    let error = applied.error.expect("the panel refuses AutoSSL");
    assert_eq!(error.kind, ErrorKind::Api);
    assert!(error.message.contains("AutoSSL could not be turned on"), "{}", error.message);
    assert_eq!(applied.changes.iter().map(|c| c.action).collect::<Vec<_>>(), vec![Action::Added]);
    assert_eq!(sb.serverpilot_domains(APP), vec!["network.example", "www.network.example", "customer.example"]);
}

#[test]
fn results_carry_the_panels_action_id_and_no_status_when_not_waiting() {
    let sb = Sandbox::start();
    let result = run(Operation::AddDomain, "customer.example", &config(&sb));
    for change in &result.results[0].changes {
        assert_eq!(change.action_id.as_deref(), Some("sbxaction0000001"), "{change:?}");
        assert_eq!(change.action_status, None);
    }
    assert!(calls(&sb).iter().all(|c| !c.contains("/actions/")));
    let as_json = serde_json::to_value(&result).unwrap();
    assert_eq!(as_json["results"][0]["changes"][0], json!({"name": "customer.example", "action": "added", "action_id": "sbxaction0000001"}));

    let again = run(Operation::AddDomain, "customer.example", &config(&sb));
    let as_json = serde_json::to_value(&again).unwrap();
    assert_eq!(as_json["results"][0]["changes"][0], json!({"name": "customer.example", "action": "already_present"}), "no action, no id");
}

#[test]
fn waiting_polls_the_action_until_it_is_no_longer_open() {
    // (case, status new actions start with, reads before success, wait, final status, ok)
    let cases = [
        ("finished at once", "success", 0, 5, "success", true),
        ("open, then success", "open", 2, 5, "success", true),
        ("failed", "error", 0, 5, "error", false),
        ("still open at the bound", "open", 1000, 1, "open", true),
    ];
    for (case, start, open_reads, wait, status, ok) in cases {
        let sb = Sandbox::start();
        sb.update_state(|s| {
            s.serverpilot.action_status = start.into();
            s.serverpilot.open_reads = open_reads;
        });
        let started = Instant::now();
        let result = run_with(Operation::AddSubdomain, "site1.network.example", &config(&sb), waiting(wait));
        let took = started.elapsed();
        assert_eq!(result.ok, ok, "{case}: {result:?}");
        let change = &result.results[0].changes[0];
        assert_eq!(change.action, Action::Added, "{case}");
        assert_eq!(change.action_id.as_deref(), Some("sbxaction0000001"), "{case}");
        assert_eq!(change.action_status.as_deref(), Some(status), "{case}");
        let polls = calls(&sb).iter().filter(|c| *c == "GET /v1/actions/sbxaction0000001").count();
        match case {
            "still open at the bound" => {
                assert!(took >= Duration::from_secs(1) && took < Duration::from_secs(3), "{case}: took {took:?}");
                assert!(polls >= 2, "{case}: {polls} polls");
            }
            "open, then success" => assert_eq!(polls, 3, "{case}"),
            _ => assert_eq!(polls, 1, "{case}"),
        }
        if !ok {
            let error = result.results[0].error.clone().unwrap();
            assert_eq!(error.kind, ErrorKind::Api, "{case}");
            assert!(error.message.contains("sbxaction0000001"), "{case}: {}", error.message);
        }
    }
}

#[test]
fn test_connection_authorizes_only_a_readable_app() {
    let sb = Sandbox::start();
    let ok = ops::test_connection("serverpilot", &config(&sb)).unwrap();
    assert!(ok.ok, "{ok:?}");
    assert_eq!(ok.message, "Access Authorized");
    assert_eq!(calls(&sb), vec![format!("GET /v1/apps/{APP}")]);

    type Setup = fn(&Sandbox, &mut MapSource);
    let cases: Vec<(&str, Setup, ErrorKind)> = vec![
        ("wrong key", |_, c| c.set("WU_SERVER_PILOT_API_KEY", "wrong-serverpilot-key"), ErrorKind::Auth),
        ("unknown app", |_, c| c.set("WU_SERVER_PILOT_APP_ID", "noSuchApp0000000"), ErrorKind::NotFound),
        ("wrong shape", |sb, _| sb.set_fault(Fault::new(FaultMode::WrongShape).for_panel(Panel::ServerPilot)), ErrorKind::Api),
        ("garbage", |sb, _| sb.set_fault(Fault::new(FaultMode::Garbage).for_panel(Panel::ServerPilot)), ErrorKind::Api),
    ];
    for (case, setup, kind) in cases {
        let sb = Sandbox::start();
        let mut config = config(&sb);
        setup(&sb, &mut config);
        let refused = ops::test_connection("serverpilot", &config).unwrap();
        assert!(!refused.ok, "{case}");
        assert_ne!(refused.message, "Access Authorized", "{case}");
        assert_eq!(refused.error.unwrap().kind, kind, "{case}");
        assert!(!refused.message.contains(KEY) && !refused.message.contains("wrong-serverpilot-key"), "{case}");
    }
}

#[test]
fn the_provider_is_listed_with_its_constants() {
    let listed = ops::providers(&MapSource::default());
    let sp = listed.iter().find(|p| p.id == "serverpilot").expect("registered");
    assert!(!sp.configured);
    assert_eq!(sp.constants, vec!["WU_SERVER_PILOT_CLIENT_ID", "WU_SERVER_PILOT_API_KEY", "WU_SERVER_PILOT_APP_ID"]);
    assert!(sp.optional.contains(&"WU_SERVER_PILOT_API_URL".to_string()));
    assert_eq!(sp.missing, sp.constants);
}

// ------------------------------------------------ concurrent writers, large answers, ids

/// An update the panel answers as done although another client's update,
/// made at the same moment, replaced it: the state stays as it was.
fn lost_updates(count: u32) -> Fault {
    Fault::status(200)
        .with_body(r#"{"actionid":"sbxactionLost001","data":{}}"#)
        .with_header("Content-Type", "application/json")
        .for_panel(Panel::ServerPilot)
        .on_method("POST")
        .times(count)
}

#[test]
fn an_update_another_client_undid_is_merged_and_sent_again_until_it_holds() {
    let sb = Sandbox::start();
    sb.set_fault(lost_updates(1));
    let result = run(Operation::AddDomain, "customer.example", &config(&sb));
    assert!(result.ok, "{result:?}");
    assert_eq!(actions(&result), vec![("customer.example".into(), Action::Added), ("www.customer.example".into(), Action::Added)]);
    assert_eq!(sb.serverpilot_domains(APP), vec!["network.example", "www.network.example", "customer.example", "www.customer.example"]);
    let app = format!("/v1/apps/{APP}");
    assert_eq!(
        calls(&sb),
        // The lost update's answer carries no list, so it is read back with a GET.
        ["GET", "POST", "GET", "POST"].iter().map(|m| format!("{m} {app}")).chain([format!("POST {app}/ssl")]).collect::<Vec<_>>()
    );
}

#[test]
fn a_removal_another_client_undid_is_sent_again_until_it_holds() {
    let sb = Sandbox::start();
    set_app(&sb, |a| a.domains.push("customer.example".into()));
    sb.set_fault(lost_updates(2));
    let result = run_with(Operation::RemoveDomain, "customer.example", &config(&sb), Options { www: WwwRule::Never, ..Options::default() });
    assert!(result.ok, "{result:?}");
    assert_eq!(actions(&result), vec![("customer.example".into(), Action::Removed)]);
    assert_eq!(sb.serverpilot_domains(APP), SEEDED);
    assert_eq!(posts(&sb).len(), 3, "the first update and two more");
}

#[test]
fn an_update_that_never_holds_is_reported_as_a_conflict_naming_the_names_after_three_updates() {
    let sb = Sandbox::start();
    sb.set_fault(lost_updates(10));
    let result = run(Operation::AddDomain, "customer.example", &config(&sb));
    let error = result.results[0].error.clone().expect("not converged");
    assert_eq!(error.kind, ErrorKind::Api);
    assert_eq!(error.provider_code, Some("conflict".into()));
    assert!(
        error.message.contains("still lacks customer.example, www.customer.example") && error.message.contains("after 3 updates"),
        "{}",
        error.message
    );
    assert_eq!(posts(&sb).len(), serverpilot::UPDATE_ROUNDS, "bounded");
    assert_eq!(sb.serverpilot_domains(APP), SEEDED);
}

#[test]
fn an_app_listing_far_more_domains_than_the_cap_is_refused_before_any_work_on_it() {
    let sb = Sandbox::start();
    let huge: Vec<String> = (0..40_000).map(|i| format!("site{i}.example")).collect();
    set_app(&sb, |a| a.domains = huge.clone());
    for op in [Operation::AddDomain, Operation::RemoveDomain] {
        sb.clear_requests();
        let result = run(op, "site1.example", &config(&sb));
        let error = result.results[0].error.clone().expect("refused");
        assert_eq!(error.kind, ErrorKind::Api, "{op:?}");
        assert!(error.message.contains("lists 40000 domains") && error.message.contains("refused unread"), "{}", error.message);
        assert_eq!(calls(&sb), vec![format!("GET /v1/apps/{APP}")], "{op:?}: read once, nothing written");
    }
    assert_eq!(sb.serverpilot_domains(APP).len(), 40_000);
}

#[test]
fn an_app_list_up_to_the_refusal_bound_is_read_correctly() {
    let sb = Sandbox::start();
    let mut listed: Vec<String> = (0..serverpilot::MAX_LISTED - 1).map(|i| format!("site{i}.example")).collect();
    listed.push("Customer.Example.".into());
    set_app(&sb, |a| a.domains = listed.clone());
    let result = run_with(Operation::AddDomain, "customer.example", &config(&sb), Options { www: WwwRule::Never, ..Options::default() });
    assert!(result.ok, "{result:?}");
    assert_eq!(actions(&result), vec![("customer.example".into(), Action::AlreadyPresent)]);
    assert!(posts(&sb).is_empty());
}

#[test]
fn an_actionid_that_is_not_a_plain_id_is_an_api_error_and_never_goes_into_a_url() {
    let hostile = ["../../x/y?z=1", "..", "a/b", "%2e%2e", "", "a?b", &"a".repeat(200)];
    for id in hostile {
        let sb = Sandbox::start();
        sb.update_state(|s| s.serverpilot.action_ids = vec![id.to_string()]);
        let result = run_with(Operation::AddDomain, "customer.example", &config(&sb), waiting(5));
        let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{id:?}: no error"));
        assert_eq!(error.kind, ErrorKind::Api, "{id:?}");
        assert!(error.message.contains("actionid"), "{id:?}: {}", error.message);
        // The update itself went through and is reported, without the id.
        assert_eq!(actions(&result)[0], ("customer.example".into(), Action::Added), "{id:?}");
        assert!(result.results[0].changes.iter().all(|c| c.action_id.is_none()), "{id:?}");
        let app = format!("/v1/apps/{APP}");
        for r in sb.requests_to(Panel::ServerPilot) {
            assert!(r.path == app && r.query.is_empty(), "{id:?}: a request went to {} {}?{}", r.method, r.path, r.query);
        }
    }
}

#[test]
fn a_sync_of_forty_thousand_names_is_refused_by_the_cap_before_anything_is_sent() {
    let sb = Sandbox::start();
    let names: Vec<String> = (0..40_000).map(|i| format!("site{i}.example")).collect();
    let options = ops::SyncOptions { www: WwwRule::Never, ..ops::SyncOptions::default() };
    let result = ops::sync(&names, &options, &config(&sb)).expect("valid names");
    let error = result.results[0].error.clone().expect("over the cap");
    assert_eq!(error.kind, ErrorKind::Limit, "{}", error.message);
    assert!(error.message.contains("would have 40002"), "{}", error.message);
    assert!(posts(&sb).is_empty());
}

/// Bulk reconciles against ServerPilot: one list update per job, the cap before anything is sent.
mod sync {
    use crate::ops::{self, SyncOptions};
    use crate::{ErrorKind, MapSource};
    use wu_sandbox::{Panel, Sandbox};

    const APP: &str = "nlcN0TwdZAyNEgdp";

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("site-{i:04}.example")).collect()
    }

    #[test]
    fn serverpilot_gets_one_list_update_for_the_whole_job() {
        let sb = Sandbox::start();
        let result = ops::sync(&names(100), &SyncOptions::default(), &MapSource::new(sb.constants(Panel::ServerPilot))).unwrap();
        assert!(result.ok, "{:?}", result.results[0].error);
        let posts: Vec<_> =
            sb.requests_to(Panel::ServerPilot).into_iter().filter(|r| r.method == "POST" && r.path == format!("/v1/apps/{APP}")).collect();
        assert_eq!(posts.len(), 1);
        assert_eq!(sb.serverpilot_domains(APP).len(), 202);
    }

    #[test]
    fn a_serverpilot_plan_over_the_cap_is_refused_before_anything_is_sent() {
        let sb = Sandbox::start();
        let result = ops::sync(&names(150), &SyncOptions::default(), &MapSource::new(sb.constants(Panel::ServerPilot))).unwrap();
        let error = result.results[0].error.as_ref().expect("over 300");
        assert_eq!(error.kind, ErrorKind::Limit);
        assert!(error.message.contains("300"), "{}", error.message);
        assert!(sb.requests_to(Panel::ServerPilot).iter().all(|r| r.method == "GET"));
    }
}
