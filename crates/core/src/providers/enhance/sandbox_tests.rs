//! Enhance against the sandbox panel, in both addressing modes: what is
//! sent, what the panel ends up with, and how each answer is reported.

use serde_json::{json, Value};
use crate::config::Values;
use crate::ops::{self, Operation, OperationResult, Options};
use crate::providers::{enhance, Action, Plan, Provider};
use crate::{ErrorKind, HostName, MapSource, WwwRule};
use wu_sandbox::{Fault, FaultMode, Panel, Sandbox};

const TOKEN: &str = "sandbox-enhance-token";
const SERVER: &str = "00000000-0000-4000-8000-000000000001";
const ORG: &str = "00000000-0000-4000-8000-0000000000a1";
const SITE: &str = "00000000-0000-4000-8000-0000000000b1";
const UNKNOWN: &str = "00000000-0000-4000-8000-00000000ffff";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Server,
    Website,
}

const MODES: [Mode; 2] = [Mode::Server, Mode::Website];

impl Mode {
    fn config(self, sb: &Sandbox) -> MapSource {
        let mut config = MapSource::new([("WU_ENHANCE_API_TOKEN", TOKEN.to_string()), ("WU_ENHANCE_API_URL", format!("{}/api/", sb.url()))]);
        match self {
            Mode::Server => config.set("WU_ENHANCE_SERVER_ID", SERVER),
            Mode::Website => {
                config.set("WU_ENHANCE_ORG_ID", ORG);
                config.set("WU_ENHANCE_WEBSITE_ID", SITE);
            }
        }
        config
    }

    fn collection(self) -> String {
        match self {
            Mode::Server => format!("/api/servers/{SERVER}/domains"),
            Mode::Website => format!("/api/orgs/{ORG}/websites/{SITE}/domains"),
        }
    }

    fn post_body(self, name: &str) -> Value {
        match self {
            Mode::Server => json!(name),
            Mode::Website => json!({ "domain": name }),
        }
    }

    /// Names the panel serves now, in its order.
    fn domains(self, sb: &Sandbox) -> Vec<String> {
        match self {
            Mode::Server => sb.enhance_server_domains(SERVER),
            Mode::Website => sb.enhance_website_domains(ORG, SITE),
        }
    }

    /// The panel's id for a name.
    fn id_of(self, sb: &Sandbox, name: &str) -> String {
        let state = sb.typed_state().enhance;
        match self {
            Mode::Server => state.servers[SERVER].domains.iter().find(|d| d.domain_name == name).unwrap().domain_id.clone(),
            Mode::Website => {
                state.orgs[ORG].websites[SITE].domains.iter().find(|d| d.domain == name).unwrap().domain_id.clone()
            }
        }
    }
}

fn run(op: Operation, name: &str, config: &MapSource, www: WwwRule) -> OperationResult {
    ops::run(op, name, 2, &Options { www, providers: Some(vec!["enhance".into()]), ..Options::default() }, config)
        .expect("a valid call")
}

fn actions(result: &OperationResult) -> Vec<(String, Action)> {
    result.results[0].changes.iter().map(|c| (c.name.clone(), c.action)).collect()
}

fn sent(sb: &Sandbox) -> Vec<(String, String)> {
    sb.requests_to(Panel::Enhance).iter().map(|r| (r.method.clone(), r.path.clone())).collect()
}

fn provider(config: &MapSource) -> Box<dyn Provider> {
    let values = Values::read(enhance::SPEC.settings, config);
    (enhance::SPEC.build)(&values, &Default::default()).unwrap_or_else(|e| panic!("builds: {e}"))
}

fn host(name: &str) -> HostName {
    HostName::parse(name).unwrap()
}

#[test]
fn adding_a_mapping_posts_each_name_in_the_body_the_mode_takes() {
    for mode in MODES {
        let sb = Sandbox::start();
        let result = run(Operation::AddDomain, "Customer.Example", &mode.config(&sb), WwwRule::Always);

        assert!(result.ok, "{mode:?}: {result:?}");
        assert_eq!(
            actions(&result),
            vec![("customer.example".into(), Action::Added), ("www.customer.example".into(), Action::Added)],
            "{mode:?}"
        );
        let collection = mode.collection();
        assert_eq!(
            sent(&sb),
            vec![("POST".into(), collection.clone()), ("POST".into(), collection)],
            "{mode:?}: no listing first"
        );
        let requests = sb.requests_to(Panel::Enhance);
        for (request, name) in requests.iter().zip(["customer.example", "www.customer.example"]) {
            assert_eq!(request.json, Some(mode.post_body(name)), "{mode:?}");
            assert_eq!(request.header("content-type"), Some("application/json"), "{mode:?}");
        }
        for request in &requests {
            assert_eq!(request.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()), "{mode:?}");
        }
        assert_eq!(mode.domains(&sb), vec!["network.example", "customer.example", "www.customer.example"], "{mode:?}");
    }
}

#[test]
fn re_adding_an_existing_mapping_reports_already_present_confirmed_by_one_listing() {
    for mode in MODES {
        let sb = Sandbox::start();
        let config = mode.config(&sb);
        run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
        sb.clear_requests();

        let again = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
        assert!(again.ok, "{mode:?}");
        assert_eq!(
            actions(&again),
            vec![("customer.example".into(), Action::AlreadyPresent), ("www.customer.example".into(), Action::AlreadyPresent)],
            "{mode:?}"
        );
        let collection = mode.collection();
        assert_eq!(
            sent(&sb),
            vec![("POST".into(), collection.clone()), ("POST".into(), collection.clone()), ("GET".into(), collection)],
            "{mode:?}"
        );
        assert_eq!(mode.domains(&sb), vec!["network.example", "customer.example", "www.customer.example"], "{mode:?}");
    }
}

#[test]
fn a_name_the_panel_has_but_the_target_does_not_list_is_an_error_not_present() {
    for mode in MODES {
        let sb = Sandbox::start();
        // The panel says already_exists although this target does not hold
        // the name: another website has it.
        sb.set_fault(
            Fault::status(409)
                .for_panel(Panel::Enhance)
                .on_method("POST")
                .with_header("Content-Type", "application/json")
                .with_body(r#"{"code":"already_exists","detail":"Domain exists"}"#)
                .times(1),
        );
        let result = run(Operation::AddDomain, "customer.example", &mode.config(&sb), WwwRule::Never);
        let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{mode:?}: {result:?}"));
        assert_eq!(error.kind, ErrorKind::Api, "{mode:?}");
        assert_eq!(error.provider_code, Some("already_exists".into()), "{mode:?}");
        assert!(error.message.contains("customer.example") && error.message.contains("does not list it"), "{mode:?}: {}", error.message);
        assert!(actions(&result).is_empty(), "{mode:?}");
        assert_eq!(sent(&sb), vec![("POST".into(), mode.collection()), ("GET".into(), mode.collection())], "{mode:?}");
    }
}

#[test]
fn names_the_panel_stores_in_capitals_are_recognised_as_present() {
    for mode in MODES {
        let sb = Sandbox::start();
        sb.update_state(|s| match mode {
            Mode::Server => s.enhance.servers.get_mut(SERVER).unwrap().domains[0].domain_name = "Network.EXAMPLE".into(),
            Mode::Website => {
                s.enhance.orgs.get_mut(ORG).unwrap().websites.get_mut(SITE).unwrap().domains[0].domain = "Network.EXAMPLE".into()
            }
        });
        let result = run(Operation::AddDomain, "network.example", &mode.config(&sb), WwwRule::Never);
        assert_eq!(actions(&result), vec![("network.example".into(), Action::AlreadyPresent)], "{mode:?}");
        assert_eq!(sent(&sb).len(), 2, "{mode:?}: the refused POST and the listing that confirms it");
    }
}

#[test]
fn removing_a_mapping_deletes_each_name_by_its_panel_id() {
    for mode in MODES {
        let sb = Sandbox::start();
        let config = mode.config(&sb);
        run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
        let ids = [mode.id_of(&sb, "customer.example"), mode.id_of(&sb, "www.customer.example")];
        sb.clear_requests();

        let result = run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Always);
        assert!(result.ok, "{mode:?}: {result:?}");
        assert_eq!(
            actions(&result),
            vec![("customer.example".into(), Action::Removed), ("www.customer.example".into(), Action::Removed)],
            "{mode:?}"
        );
        let collection = mode.collection();
        assert_eq!(
            sent(&sb),
            vec![
                ("GET".into(), collection.clone()),
                ("DELETE".into(), format!("{collection}/{}", ids[0])),
                ("DELETE".into(), format!("{collection}/{}", ids[1])),
            ],
            "{mode:?}"
        );
        assert_eq!(mode.domains(&sb), vec!["network.example"], "{mode:?}");
    }
}

#[test]
fn re_removing_reports_already_absent_and_deletes_nothing() {
    for mode in MODES {
        let sb = Sandbox::start();
        let result = run(Operation::RemoveDomain, "customer.example", &mode.config(&sb), WwwRule::Always);
        assert!(result.ok, "{mode:?}");
        assert_eq!(
            actions(&result),
            vec![("customer.example".into(), Action::AlreadyAbsent), ("www.customer.example".into(), Action::AlreadyAbsent)],
            "{mode:?}"
        );
        assert_eq!(sent(&sb), vec![("GET".into(), mode.collection())], "{mode:?}");
    }
}

#[test]
fn the_www_rule_decides_which_names_a_mapping_stands_for() {
    let cases = [
        (WwwRule::Always, "example.co.uk", vec!["example.co.uk", "www.example.co.uk"]),
        (WwwRule::Always, "shop.example.co.uk", vec!["shop.example.co.uk", "www.shop.example.co.uk"]),
        (WwwRule::MainOnly, "example.co.uk", vec!["example.co.uk", "www.example.co.uk"]),
        (WwwRule::MainOnly, "shop.example.co.uk", vec!["shop.example.co.uk"]),
        (WwwRule::Never, "customer.example", vec!["customer.example"]),
        (WwwRule::Always, "www.customer.example", vec!["www.customer.example"]),
    ];
    for mode in MODES {
        for (rule, name, posted) in &cases {
            let sb = Sandbox::start();
            let result = run(Operation::AddDomain, name, &mode.config(&sb), *rule);
            assert!(result.ok, "{mode:?} {rule:?} {name}: {result:?}");
            let bodies: Vec<Value> = sb.requests_to(Panel::Enhance).iter().filter(|r| r.method == "POST").filter_map(|r| r.json.clone()).collect();
            let want: Vec<Value> = posted.iter().map(|n| mode.post_body(n)).collect();
            assert_eq!(bodies, want, "{mode:?} {rule:?} {name}");
        }
    }
}

#[test]
fn subdomains_are_added_and_removed_without_a_www_name() {
    for mode in MODES {
        let sb = Sandbox::start();
        let config = mode.config(&sb);
        let added = run(Operation::AddSubdomain, "site1.network.example", &config, WwwRule::Always);
        assert_eq!(actions(&added), vec![("site1.network.example".into(), Action::Added)], "{mode:?}");
        assert_eq!(mode.domains(&sb), vec!["network.example", "site1.network.example"], "{mode:?}");

        let removed = run(Operation::RemoveSubdomain, "site1.network.example", &config, WwwRule::Always);
        assert_eq!(actions(&removed), vec![("site1.network.example".into(), Action::Removed)], "{mode:?}");
        assert_eq!(mode.domains(&sb), vec!["network.example"], "{mode:?}");
        let posts: Vec<Value> = sb.requests_to(Panel::Enhance).iter().filter(|r| r.method == "POST").filter_map(|r| r.json.clone()).collect();
        assert_eq!(posts, vec![mode.post_body("site1.network.example")], "{mode:?}");
    }
}

#[test]
fn a_name_added_by_someone_else_after_the_inventory_counts_as_present() {
    // (case, how the POST comes to answer already_exists)
    type Race = fn(&Sandbox, Mode);
    let races: [(&str, Race); 2] = [
        ("the panel answers 409", |sb, mode| {
            // Another client adds the name between our look and our POST.
            let result = run(Operation::AddDomain, "customer.example", &mode.config(sb), WwwRule::Never);
            assert!(result.ok);
        }),
        ("the panel answers 400", |sb, _| {
            sb.set_fault(
                Fault::status(400)
                    .for_panel(Panel::Enhance)
                    .times(1)
                    .with_header("Content-Type", "application/json")
                    .with_body(r#"{"code":"already_exists","detail":"Domain customer.example already exists"}"#),
            )
        }),
    ];
    for mode in MODES {
        for (case, race) in &races {
            let sb = Sandbox::start();
            let config = mode.config(&sb);
            let enhance = provider(&config);
            let inventory = enhance.inventory().unwrap();
            race(&sb, mode);
            sb.clear_requests();

            let plan = Plan { add: vec![host("customer.example")], remove: vec![], ..Plan::default() };
            let applied = enhance.apply(&plan, &inventory);
            assert!(applied.error.is_none(), "{mode:?} {case}: {:?}", applied.error);
            assert_eq!(applied.changes[0].action, Action::AlreadyPresent, "{mode:?} {case}");
            assert_eq!(sent(&sb), vec![("POST".into(), mode.collection())], "{mode:?} {case}");
        }
    }
}

#[test]
fn a_name_deleted_by_someone_else_after_the_inventory_counts_as_absent() {
    for mode in MODES {
        let sb = Sandbox::start();
        let config = mode.config(&sb);
        run(Operation::AddDomain, "customer.example", &config, WwwRule::Never);
        let enhance = provider(&config);
        let inventory = enhance.inventory().unwrap();
        run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Never);

        let applied = enhance.apply(&Plan { add: vec![], remove: vec![host("customer.example")], ..Plan::default() }, &inventory);
        assert!(applied.error.is_none(), "{mode:?}: {:?}", applied.error);
        assert_eq!(applied.changes[0].action, Action::AlreadyAbsent, "{mode:?}");
    }
}

#[test]
fn a_refused_removal_stops_the_plan_and_keeps_the_removals_made_before_it() {
    for mode in MODES {
        let sb = Sandbox::start();
        let config = mode.config(&sb);
        run(Operation::AddDomain, "a.example", &config, WwwRule::Never);
        run(Operation::AddDomain, "b.example", &config, WwwRule::Never);
        let enhance = provider(&config);
        let inventory = enhance.inventory().unwrap();
        sb.clear_requests();

        // The sandbox, like the panel, refuses to delete the primary domain.
        let plan = Plan { add: vec![], remove: vec![host("a.example"), host("network.example"), host("b.example")], ..Plan::default() };
        let applied = enhance.apply(&plan, &inventory);
        assert_eq!(applied.changes.iter().map(|c| (c.name.as_str(), c.action)).collect::<Vec<_>>(), vec![("a.example", Action::Removed)], "{mode:?}");
        let error = applied.error.unwrap_or_else(|| panic!("{mode:?}: no error"));
        assert_eq!(error.kind, ErrorKind::Api, "{mode:?}: {}", error.message);
        assert_eq!(error.http_status, Some(400), "{mode:?}");
        assert_eq!(error.provider_code, Some("primary_domain".into()), "{mode:?}");
        assert!(error.message.contains("network.example") && error.message.contains("primary domain cannot be removed"), "{mode:?}: {}", error.message);
        assert_eq!(sent(&sb).len(), 2, "{mode:?}: stopped at the error");
        assert_eq!(mode.domains(&sb), vec!["network.example", "b.example"], "{mode:?}");
    }
}

#[test]
fn each_panel_refusal_comes_back_as_its_own_error() {
    type Setup = fn(&Sandbox, &mut MapSource);
    // (case, modes it applies to, setup, kind, http status, provider code, words the message must contain)
    let cases: Vec<(&str, &[Mode], Setup, ErrorKind, Option<u16>, Option<&str>, Vec<&str>)> = vec![
        ("wrong token", &MODES, |_, c| c.set("WU_ENHANCE_API_TOKEN", "wrong-token-0123456789"), ErrorKind::Auth, Some(401), Some("unauthorized"), vec!["WU_ENHANCE_API_TOKEN", "System Administrator", "expired"]),
        ("token without rights", &MODES, |sb, _| sb.set_fault(Fault::status(403).for_panel(Panel::Enhance).with_header("Content-Type", "application/json").with_body(r#"{"code":"forbidden","detail":"Forbidden"}"#)), ErrorKind::Auth, Some(403), Some("forbidden"), vec!["WU_ENHANCE_API_TOKEN", "System Administrator"]),
        ("unknown server", &[Mode::Server], |_, c| c.set("WU_ENHANCE_SERVER_ID", UNKNOWN), ErrorKind::NotFound, Some(404), Some("not_found"), vec!["Server ID is not configured", "WU_ENHANCE_SERVER_ID", UNKNOWN]),
        ("unknown org", &[Mode::Website], |_, c| c.set("WU_ENHANCE_ORG_ID", UNKNOWN), ErrorKind::NotFound, Some(404), Some("not_found"), vec!["WU_ENHANCE_ORG_ID", "WU_ENHANCE_WEBSITE_ID", UNKNOWN]),
        ("unknown website", &[Mode::Website], |_, c| c.set("WU_ENHANCE_WEBSITE_ID", UNKNOWN), ErrorKind::NotFound, Some(404), Some("not_found"), vec!["WU_ENHANCE_WEBSITE_ID", UNKNOWN]),
        ("URL without /api", &MODES, |sb, c| c.set("WU_ENHANCE_API_URL", &sb.url()), ErrorKind::Http, Some(404), None, vec!["WU_ENHANCE_API_URL must end with /api"]),
        ("a web page instead of the API", &MODES, |sb, _| sb.set_fault(Fault::status(200).for_panel(Panel::Enhance).with_body("<!doctype html><title>Enhance</title>")), ErrorKind::Api, Some(200), None, vec!["WU_ENHANCE_API_URL must end with /api"]),
        ("server error", &MODES, |sb, _| sb.set_fault(Fault::status(500).for_panel(Panel::Enhance)), ErrorKind::Http, Some(500), None, vec!["HTTP 500", "Internal Server Error"]),
        ("redirect", &MODES, |sb, _| sb.set_fault(Fault::status(302).for_panel(Panel::Enhance).with_header("Location", "https://panel.example/login")), ErrorKind::Http, Some(302), None, vec!["WU_ENHANCE_API_URL", "https://panel.example/login"]),
        ("garbage listing", &MODES, |sb, _| sb.set_fault(Fault::new(FaultMode::Garbage).for_panel(Panel::Enhance)), ErrorKind::Api, Some(200), None, vec!["could not be read"]),
        ("listing of the wrong shape", &MODES, |sb, _| sb.set_fault(Fault::new(FaultMode::WrongShape).for_panel(Panel::Enhance)), ErrorKind::Api, Some(200), None, vec!["could not be read"]),
        ("coded refusal of the POST", &MODES, |sb, _| sb.set_fault(Fault::status(422).for_panel(Panel::Enhance).with_header("Content-Type", "application/json").with_body(r#"{"code":"invalid_domain","detail":"d","message":"Domain is reserved"}"#)), ErrorKind::Api, Some(422), Some("invalid_domain"), vec!["invalid_domain", "Domain is reserved"]),
        ("a panel echoing the token", &MODES, |sb, _| sb.set_fault(Fault::status(400).for_panel(Panel::Enhance).with_header("Content-Type", "application/json").with_body(r#"{"code":"bad_token","detail":"token sandbox-enhance-token is not valid here"}"#)), ErrorKind::Api, Some(400), Some("bad_token"), vec!["bad_token", "is not valid here"]),
        ("panel unreachable", &MODES, |_, c| c.set("WU_ENHANCE_API_URL", "http://127.0.0.1:9/api"), ErrorKind::Transport, None, None, vec!["127.0.0.1:9"]),
        ("stalled panel", &MODES, |sb, c| { c.set("WU_NATIVE_TIMEOUT", "0.5"); sb.set_fault(Fault::new(FaultMode::Stall).for_panel(Panel::Enhance).with_delay_ms(5_000)) }, ErrorKind::Timeout, None, None, vec!["WU_NATIVE_TIMEOUT"]),
    ];
    for (case, modes, setup, kind, status, code, words) in cases {
        for mode in modes {
            let case = format!("{case} ({mode:?} mode)");
            let sb = Sandbox::start();
            let mut config = mode.config(&sb);
            setup(&sb, &mut config);
            let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
            assert!(!result.ok, "{case}");
            let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{case}: no error"));
            assert_eq!(error.kind, kind, "{case}: {}", error.message);
            assert_eq!(error.http_status, status, "{case}: {}", error.message);
            assert_eq!(error.provider_code, code.map(Into::into), "{case}");
            for word in &words {
                assert!(error.message.contains(*word), "{case}: {:?} should contain {word:?}", error.message);
            }
            for secret in [TOKEN, "wrong-token-0123456789"] {
                assert!(!error.message.contains(secret), "{case}: secret in {:?}", error.message);
            }
            assert_eq!(mode.domains(&sb), vec!["network.example"], "{case}: nothing changed");
        }
    }
}

#[test]
fn unusable_constant_values_are_config_errors_naming_the_constant_and_send_nothing() {
    // (case, mode, constant, value, words the message must contain)
    let cases = [
        ("token with a space", Mode::Server, "WU_ENHANCE_API_TOKEN", "two words", vec!["WU_ENHANCE_API_TOKEN"]),
        ("blank token", Mode::Website, "WU_ENHANCE_API_TOKEN", "   ", vec!["Enhance API Token not found", "WU_ENHANCE_API_TOKEN"]),
        ("URL without scheme", Mode::Server, "WU_ENHANCE_API_URL", "panel.example/api", vec!["WU_ENHANCE_API_URL"]),
        ("ftp URL", Mode::Website, "WU_ENHANCE_API_URL", "ftp://panel.example/api", vec!["WU_ENHANCE_API_URL", "http"]),
        ("URL with credentials", Mode::Server, "WU_ENHANCE_API_URL", "https://admin:s3cret-pass@panel.example/api", vec!["WU_ENHANCE_API_URL", "credentials"]),
        ("server id not a UUID", Mode::Server, "WU_ENHANCE_SERVER_ID", "my-server", vec!["Server ID is not configured", "WU_ENHANCE_SERVER_ID", "UUID", "my-server"]),
        ("org id not a UUID", Mode::Website, "WU_ENHANCE_ORG_ID", "12345", vec!["WU_ENHANCE_ORG_ID", "UUID"]),
        ("website id not a UUID", Mode::Website, "WU_ENHANCE_WEBSITE_ID", "www.example.com", vec!["WU_ENHANCE_WEBSITE_ID", "UUID"]),
        ("timeout not a number", Mode::Server, "WU_NATIVE_TIMEOUT", "soon", vec!["WU_NATIVE_TIMEOUT"]),
    ];
    for (case, mode, constant, value, words) in cases {
        let sb = Sandbox::start();
        let mut config = mode.config(&sb);
        config.set(constant, value);
        let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
        let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{case}: no error"));
        assert_eq!(error.kind, ErrorKind::Config, "{case}: {}", error.message);
        for word in words {
            assert!(error.message.contains(word), "{case}: {:?} should contain {word:?}", error.message);
        }
        assert!(!error.message.contains("s3cret-pass") && !error.message.contains(TOKEN), "{case}: {}", error.message);
        assert!(sb.requests().is_empty(), "{case}");

        let tested = ops::test_connection("enhance", &config).unwrap();
        assert_eq!(tested.error.map(|e| e.kind), Some(ErrorKind::Config), "{case}");
    }
}

#[test]
fn missing_constants_are_named_with_both_ways_to_choose_the_target() {
    let cases: Vec<(Vec<(&str, &str)>, Vec<&str>)> = vec![
        (vec![], vec!["WU_ENHANCE_API_TOKEN", "WU_ENHANCE_API_URL", "WU_ENHANCE_SERVER_ID", "WU_ENHANCE_ORG_ID", "WU_ENHANCE_WEBSITE_ID"]),
        (vec![("WU_ENHANCE_API_TOKEN", "t"), ("WU_ENHANCE_API_URL", "https://p/api")], vec!["WU_ENHANCE_SERVER_ID", "WU_ENHANCE_ORG_ID", "WU_ENHANCE_WEBSITE_ID"]),
        (vec![("WU_ENHANCE_API_TOKEN", "t"), ("WU_ENHANCE_API_URL", "https://p/api"), ("WU_ENHANCE_ORG_ID", ORG)], vec!["WU_ENHANCE_WEBSITE_ID"]),
        (vec![("WU_ENHANCE_API_URL", "https://p/api"), ("WU_ENHANCE_SERVER_ID", SERVER)], vec!["WU_ENHANCE_API_TOKEN"]),
    ];
    for (set, missing) in cases {
        let info = ops::providers(&MapSource::new(set.clone())).into_iter().find(|p| p.id == "enhance").unwrap();
        assert!(!info.configured, "{set:?}");
        assert_eq!(info.missing, missing, "{set:?}");
        assert_eq!(info.constants, vec!["WU_ENHANCE_API_TOKEN", "WU_ENHANCE_API_URL", "WU_ENHANCE_SERVER_ID", "WU_ENHANCE_ORG_ID", "WU_ENHANCE_WEBSITE_ID"]);
        let err = ops::test_connection("enhance", &MapSource::new(set.clone())).unwrap_err();
        for name in missing {
            assert!(err.to_string().contains(name), "{set:?}: {err}");
        }
    }
}

#[test]
fn the_org_and_website_pair_is_used_when_both_targets_are_defined() {
    // (case, ids set, mode shown, collection requested)
    let both = [("WU_ENHANCE_SERVER_ID", SERVER), ("WU_ENHANCE_ORG_ID", ORG), ("WU_ENHANCE_WEBSITE_ID", SITE)];
    let cases: Vec<(&str, Vec<(&str, &str)>, &str, String)> = vec![
        ("server only", vec![both[0]], "server", Mode::Server.collection()),
        ("org and website only", vec![both[1], both[2]], "website", Mode::Website.collection()),
        ("all three", both.to_vec(), "website", Mode::Website.collection()),
        ("server and a lone org", vec![both[0], both[1]], "server", Mode::Server.collection()),
    ];
    for (case, ids, shown, collection) in cases {
        let sb = Sandbox::start();
        let mut config = MapSource::new([("WU_ENHANCE_API_TOKEN", TOKEN.to_string()), ("WU_ENHANCE_API_URL", format!("{}/api", sb.url()))]);
        for (k, v) in ids {
            config.set(k, v);
        }
        let info = ops::providers(&config).into_iter().find(|p| p.id == "enhance").unwrap();
        assert!(info.configured, "{case}");
        assert_eq!(info.mode.as_deref(), Some(shown), "{case}");

        let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Never);
        assert!(result.ok, "{case}: {result:?}");
        assert_eq!(sent(&sb), vec![("POST".into(), collection)], "{case}");
    }
}

#[test]
fn test_connection_authorizes_only_a_valid_token_and_an_existing_target() {
    for mode in MODES {
        let sb = Sandbox::start();
        let config = mode.config(&sb);
        let ok = ops::test_connection("enhance", &config).unwrap();
        assert!(ok.ok, "{mode:?}: {ok:?}");
        assert_eq!(ok.message, "Access Authorized");
        let checked = match mode {
            Mode::Server => format!("/api/servers/{SERVER}/domains"),
            Mode::Website => format!("/api/orgs/{ORG}/websites/{SITE}"),
        };
        assert_eq!(sent(&sb), vec![("GET".into(), checked)], "{mode:?}");

        let mut wrong = config.clone();
        wrong.set("WU_ENHANCE_API_TOKEN", "wrong-token-0123456789");
        let refused = ops::test_connection("enhance", &wrong).unwrap();
        assert!(!refused.ok, "{mode:?}");
        assert!(!refused.message.contains("wrong-token-0123456789"), "{mode:?}");
        assert_eq!(refused.error.unwrap().kind, ErrorKind::Auth, "{mode:?}");

        let mut unknown = config.clone();
        unknown.set(if mode == Mode::Server { "WU_ENHANCE_SERVER_ID" } else { "WU_ENHANCE_WEBSITE_ID" }, UNKNOWN);
        let missing = ops::test_connection("enhance", &unknown).unwrap();
        assert!(!missing.ok, "{mode:?}");
        assert_eq!(missing.error.unwrap().kind, ErrorKind::NotFound, "{mode:?}");

        sb.set_fault(Fault::status(204).for_panel(Panel::Enhance));
        let not_ok = ops::test_connection("enhance", &config).unwrap();
        assert!(!not_ok.ok, "{mode:?}: only 200 authorizes");
    }
}

#[test]
fn a_domain_id_that_is_not_a_uuid_is_an_api_error_and_no_delete_is_sent() {
    let hostile = ["../../x/y?z=1", "..", "a/b", "%2e%2e", "", &"a".repeat(200), "00000000-0000-4000-9000-00000000000/"];
    for mode in MODES {
        for id in hostile {
            let sb = Sandbox::start();
            sb.update_state(|s| match mode {
                Mode::Server => s.enhance.servers.get_mut(SERVER).unwrap().domains.push(wu_sandbox::enhance::ServerDomain {
                    domain_id: id.to_string(),
                    domain_name: "customer.example".into(),
                    is_primary: false,
                }),
                Mode::Website => s.enhance.orgs.get_mut(ORG).unwrap().websites.get_mut(SITE).unwrap().domains.push(
                    wu_sandbox::enhance::WebsiteDomain { domain_id: id.to_string(), domain: "customer.example".into(), mapping_kind: "alias".into() },
                ),
            });
            let options = Options { www: WwwRule::Never, ..Options::default() };
            let result = ops::run(Operation::RemoveDomain, "customer.example", 2, &options, &mode.config(&sb)).unwrap();
            let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{mode:?} {id:?}: no error"));
            assert_eq!(error.kind, ErrorKind::Api, "{mode:?} {id:?}");
            assert!(error.message.contains("domainId") && error.message.contains("customer.example"), "{}", error.message);
            let requests = sb.requests_to(Panel::Enhance);
            assert!(requests.iter().all(|r| r.method == "GET" && r.path == mode.collection()), "{mode:?} {id:?}: {:?}",
                requests.iter().map(|r| format!("{} {}", r.method, r.path)).collect::<Vec<_>>());
            assert!(mode.domains(&sb).contains(&"customer.example".to_string()));
        }
    }
}

/// Bulk reconciles against Enhance: one request per name, a bounded number in flight.
mod sync {
    use crate::ops::{self, SyncOptions};
    use crate::{MapSource, WwwRule};
    use wu_sandbox::{Panel, Sandbox};

    #[test]
    fn enhance_applies_with_bounded_concurrency() {
        let sb = Sandbox::start();
        let names: Vec<String> = (0..40).map(|i| format!("site-{i:04}.example")).collect();
        let options = SyncOptions { concurrency: 8, www: WwwRule::Never, ..SyncOptions::default() };
        let result = ops::sync(&names, &options, &MapSource::new(sb.constants(Panel::Enhance))).unwrap();
        assert!(result.ok, "{:?}", result.results[0].error);
        assert_eq!(result.results[0].counts.added, 40);
        assert_eq!(sb.enhance_server_domains(super::SERVER).len(), 41);
        // Changes are reported in the order the names were given, whatever the completion order.
        let reported: Vec<&str> = result.results[0].changes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(reported, names.iter().map(String::as_str).collect::<Vec<_>>());
    }
}
