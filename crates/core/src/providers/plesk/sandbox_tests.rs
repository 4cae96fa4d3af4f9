//! Plesk against the sandbox panel: the utilities run through the REST
//! API's gateway, what the panel ends up with, and how each answer (exit
//! codes in HTTP 200 answers included) is reported.

use crate::config::Values;
use crate::ops::{self, Operation, OperationResult, Options};
use crate::providers::{plesk, Action, Plan, Provider};
use crate::{ErrorKind, HostName, MapSource, WwwRule};
use serde_json::json;
use wu_sandbox::{Fault, FaultMode, Panel, Sandbox};

const KEY: &str = "sandbox-plesk-api-key-7f3c9a1e5b";
const ADMIN_PASSWORD: &str = "sandbox-plesk-password";
const SITE: &str = "network.example";

fn config(sb: &Sandbox) -> MapSource {
    MapSource::new(sb.constants(Panel::Plesk))
}

/// The administrator's login instead of the API key.
fn login_config(sb: &Sandbox) -> MapSource {
    let mut config = config(sb);
    config.unset("WU_PLESK_API_KEY");
    config.set("WU_PLESK_USERNAME", "admin");
    config.set("WU_PLESK_PASSWORD", ADMIN_PASSWORD);
    config
}

fn run(op: Operation, name: &str, config: &MapSource, www: WwwRule) -> OperationResult {
    ops::run(op, name, 2, &Options { www, providers: Some(vec!["plesk".into()]), ..Options::default() }, config).expect("a valid call")
}

fn actions(result: &OperationResult) -> Vec<(String, Action)> {
    result.results[0].changes.iter().map(|c| (c.name.clone(), c.action)).collect()
}

fn both(name: &str, action: Action) -> Vec<(String, Action)> {
    vec![(name.to_string(), action), (format!("www.{name}"), action)]
}

/// Each request as a line: `GET <path>`, or `<utility> <params…>` for the gateway.
fn sent(sb: &Sandbox) -> Vec<String> {
    sb.requests_to(Panel::Plesk)
        .iter()
        .map(|r| match r.path.strip_prefix("/api/v2/cli/").and_then(|p| p.strip_suffix("/call")) {
            Some(utility) => {
                let params: Vec<String> = r.json.as_ref().and_then(|j| j["params"].as_array().cloned()).unwrap_or_default().iter().map(|p| p.as_str().unwrap_or("?").to_string()).collect();
                format!("{utility} {}", params.join(" "))
            }
            None => format!("{} {}", r.method, r.path),
        })
        .collect()
}

const LOOK: [&str; 2] = ["GET /api/v2/domains", "site_alias --list -domain network.example"];

fn look_then(writes: &[&str]) -> Vec<String> {
    LOOK.iter().chain(writes).map(|s| s.to_string()).collect()
}

fn provider(config: &MapSource) -> Box<dyn Provider> {
    let values = Values::read(plesk::SPEC.settings, config);
    (plesk::SPEC.build)(&values, &Default::default()).unwrap_or_else(|e| panic!("builds: {e}"))
}

fn host(name: &str) -> HostName {
    HostName::parse(name).unwrap()
}

/// A second site, `other.example`, holding the alias `held.example` and
/// the subdomain `shop.other.example`.
fn with_other_site(sb: &Sandbox) {
    sb.update_state(|st| {
        let p = &mut st.plesk;
        p.domains.push(wu_sandbox::plesk::PleskDomain { id: 2, name: "other.example".into(), base_domain_id: 0, www_root: "/var/www/vhosts/other.example/httpdocs".into() });
        p.domains.push(wu_sandbox::plesk::PleskDomain { id: 3, name: "shop.other.example".into(), base_domain_id: 2, www_root: "/var/www/vhosts/other.example/shop".into() });
        p.aliases.insert("held.example".into(), "other.example".into());
        p.aliases.insert("x.network.example".into(), "other.example".into());
    });
}

#[test]
fn adding_a_mapping_looks_first_then_creates_a_site_alias_per_name() {
    for (mode, config) in [("api key", config as fn(&Sandbox) -> MapSource), ("login", login_config)] {
        let sb = Sandbox::start();
        let result = run(Operation::AddDomain, "Customer.Example", &config(&sb), WwwRule::Always);

        assert!(result.ok, "{mode}: {result:?}");
        assert_eq!(actions(&result), both("customer.example", Action::Added), "{mode}");
        assert_eq!(
            sent(&sb),
            look_then(&["site_alias --create customer.example -domain network.example", "site_alias --create www.customer.example -domain network.example"]),
            "{mode}"
        );
        for request in sb.requests_to(Panel::Plesk) {
            match mode {
                "api key" => assert_eq!(request.header("x-api-key"), Some(KEY)),
                _ => {
                    assert_eq!(request.header("x-api-key"), None);
                    assert!(request.header("authorization").is_some_and(|a| a.starts_with("Basic ")), "{mode}");
                }
            }
            if request.method == "POST" {
                assert_eq!(request.header("content-type"), Some("application/json"), "{mode}");
            }
        }
        assert_eq!(sb.plesk_aliases(SITE), ["customer.example", "www.customer.example"], "{mode}");
    }
}

#[test]
fn re_adding_reports_already_present_and_runs_no_utility_that_writes() {
    let sb = Sandbox::start();
    run(Operation::AddDomain, "customer.example", &config(&sb), WwwRule::Always);
    sb.clear_requests();

    let result = run(Operation::AddDomain, "customer.example", &config(&sb), WwwRule::Always);
    assert!(result.ok, "{result:?}");
    assert_eq!(actions(&result), both("customer.example", Action::AlreadyPresent));
    assert_eq!(sent(&sb), look_then(&[]));
}

#[test]
fn removing_deletes_each_alias_and_removing_again_deletes_nothing() {
    let sb = Sandbox::start();
    run(Operation::AddDomain, "customer.example", &config(&sb), WwwRule::Always);
    sb.clear_requests();

    let result = run(Operation::RemoveDomain, "customer.example", &config(&sb), WwwRule::Always);
    assert!(result.ok, "{result:?}");
    assert_eq!(actions(&result), both("customer.example", Action::Removed));
    assert_eq!(sent(&sb), look_then(&["site_alias --delete customer.example", "site_alias --delete www.customer.example"]));
    assert!(sb.plesk_aliases(SITE).is_empty());

    sb.clear_requests();
    let again = run(Operation::RemoveDomain, "customer.example", &config(&sb), WwwRule::Always);
    assert!(again.ok, "{again:?}");
    assert_eq!(actions(&again), both("customer.example", Action::AlreadyAbsent));
    assert_eq!(sent(&sb), look_then(&[]), "the plugin always deletes www. too; this looks first");
}

#[test]
fn the_www_rule_decides_which_aliases_a_mapping_stands_for() {
    let cases = [
        (WwwRule::Always, "customer.example", vec!["customer.example", "www.customer.example"]),
        (WwwRule::Never, "customer.example", vec!["customer.example"]),
        (WwwRule::MainOnly, "shop.customer.example", vec!["shop.customer.example"]),
        (WwwRule::Always, "www.customer.example", vec!["www.customer.example"]),
    ];
    for (rule, name, want) in cases {
        let sb = Sandbox::start();
        let result = run(Operation::AddDomain, name, &config(&sb), rule);
        assert!(result.ok, "{rule:?} {name}: {result:?}");
        assert_eq!(sb.plesk_aliases(SITE), want, "{rule:?} {name}");
    }
}

#[test]
fn a_subdomain_site_is_a_plesk_subdomain_created_by_its_label_and_removed() {
    // (site's name, the label the subdomain utility is given)
    for (name, label) in [("blog.network.example", "blog"), ("en.blog.network.example", "en.blog")] {
        let sb = Sandbox::start();
        let steps = [
            (Operation::AddSubdomain, Action::Added, Some(format!("subdomain --create {label} -domain network.example -www-root /httpdocs"))),
            (Operation::AddSubdomain, Action::AlreadyPresent, None),
            (Operation::RemoveSubdomain, Action::Removed, Some(format!("subdomain --remove {label} -domain network.example"))),
            (Operation::RemoveSubdomain, Action::AlreadyAbsent, None),
        ];
        for (op, want, write) in steps {
            sb.clear_requests();
            let result = run(op, name, &config(&sb), WwwRule::Always);
            assert!(result.ok, "{name} {op:?}: {result:?}");
            assert_eq!(actions(&result), vec![(name.to_string(), want)], "{name} {op:?}: one name, no www.");
            let writes: Vec<&str> = write.iter().map(String::as_str).collect();
            assert_eq!(sent(&sb), look_then(&writes), "{name} {op:?}");
            let present = op == Operation::AddSubdomain;
            assert_eq!(sb.plesk_subdomains(SITE) == vec![name.to_string()], present, "{name} {op:?}");
        }
        let served = sb.typed_state().plesk;
        assert!(served.aliases.is_empty(), "{name}: a subdomain site is no alias");
    }
}

#[test]
fn the_site_itself_and_its_www_are_present_and_removing_them_skips_them() {
    let sb = Sandbox::start();
    let added = run(Operation::AddDomain, "network.example", &config(&sb), WwwRule::Always);
    assert!(added.ok, "{added:?}");
    assert_eq!(actions(&added), both("network.example", Action::AlreadyPresent));

    sb.clear_requests();
    let removed = run(Operation::RemoveDomain, "network.example", &config(&sb), WwwRule::Always);
    assert!(removed.ok, "{removed:?}");
    assert_eq!(actions(&removed), both("network.example", Action::Skipped), "the site's own names are left as they are");
    assert_eq!(sent(&sb), look_then(&[]), "nothing is sent to remove the site's own names");
    assert_eq!(sb.served(Panel::Plesk), ["network.example"]);
}

#[test]
fn a_name_another_site_holds_is_an_error_naming_that_site_never_already_present() {
    // (case, operation, name, the words the message must have, the writes sent)
    let cases: [(&str, Operation, &str, &[&str], &[&str]); 4] = [
        ("a site of its own", Operation::AddDomain, "other.example", &["other.example", "site of its own"], &[]),
        ("another site's subdomain", Operation::AddDomain, "shop.other.example", &["shop.other.example", "belongs to the Plesk site other.example"], &[]),
        ("another site's alias", Operation::AddDomain, "held.example", &["held.example", "belongs to the Plesk site other.example", "already exists"], &["site_alias --create held.example -domain network.example"]),
        ("another site's alias named under ours", Operation::AddSubdomain, "x.network.example", &["belongs to the Plesk site other.example"], &["subdomain --create x -domain network.example -www-root /httpdocs"]),
    ];
    for (case, op, name, words, writes) in cases {
        let sb = Sandbox::start();
        with_other_site(&sb);
        let before = sb.state();
        let result = run(op, name, &config(&sb), WwwRule::Never);

        assert!(!result.ok, "{case}: {result:?}");
        assert!(result.results[0].changes.is_empty(), "{case}: never already_present: {result:?}");
        let error = result.results[0].error.clone().unwrap();
        assert_eq!(error.kind, ErrorKind::Api, "{case}: {}", error.message);
        for word in words {
            assert!(error.message.contains(word), "{case}: {:?} should contain {word:?}", error.message);
        }
        let sent = sent(&sb);
        assert_eq!(&sent[..2 + writes.len()], &look_then(writes)[..], "{case}");
        assert!(sent[2 + writes.len()..].iter().all(|r| r.starts_with("GET ") || r.contains("--list") || r.contains("--info")), "{case}: only reads after: {sent:?}");
        assert_eq!(sb.state(), before, "{case}: nothing changed");
    }
}

#[test]
fn a_non_zero_exit_code_in_a_200_answer_is_a_failure_with_the_error_output_redacted() {
    // (case, error output, kind, words)
    let cases = [
        ("unexpected failure", format!("Unable to create domain alias: the API key {KEY} may not do this\n"), ErrorKind::Api, vec!["site_alias --create customer.example failed with exit code 3", "the API key *** may not"]),
        ("limit", "The limit on the number of domain aliases is exceeded.\n".to_string(), ErrorKind::Limit, vec!["exit code 3", "limit"]),
    ];
    for (case, stderr, kind, words) in cases {
        let sb = Sandbox::start();
        let plesk = provider(&config(&sb));
        let inventory = plesk.inventory().unwrap();
        sb.set_fault(
            Fault::status(200)
                .for_panel(Panel::Plesk)
                .on_method("POST")
                .times(1)
                .with_header("Content-Type", "application/json")
                .with_body(&json!({"code": 3, "stdout": "", "stderr": stderr}).to_string()),
        );
        let applied = plesk.apply(&Plan { add: vec![host("customer.example")], ..Plan::default() }, &inventory);
        let error = applied.error.unwrap_or_else(|| panic!("{case}: a 200 with exit code 3 is no success"));
        assert!(applied.changes.is_empty(), "{case}");
        assert_eq!(error.kind, kind, "{case}: {}", error.message);
        assert_eq!(error.provider_code, Some(3.into()), "{case}");
        for word in words {
            assert!(error.message.contains(word), "{case}: {:?} should contain {word:?}", error.message);
        }
        assert!(!error.message.contains(KEY), "{case}: {}", error.message);
    }
}

#[test]
fn the_panels_alias_limit_is_a_limit_error_and_keeps_what_was_added() {
    let sb = Sandbox::start();
    sb.update_state(|st| st.plesk.alias_limit = 1);
    let result = run(Operation::AddDomain, "customer.example", &config(&sb), WwwRule::Always);
    assert!(!result.ok);
    assert_eq!(actions(&result), vec![("customer.example".to_string(), Action::Added)]);
    let error = result.results[0].error.clone().unwrap();
    assert_eq!(error.kind, ErrorKind::Limit, "{}", error.message);
    assert!(error.message.contains("www.customer.example"), "{}", error.message);
}

#[test]
fn a_name_added_or_deleted_by_someone_else_after_the_look_is_present_or_absent() {
    // (case, name, operation done behind our back, our plan's action, what we report)
    let cases = [
        ("alias added", "customer.example", Operation::AddDomain, true, Action::AlreadyPresent),
        ("subdomain added", "blog.network.example", Operation::AddSubdomain, true, Action::AlreadyPresent),
        ("alias deleted", "customer.example", Operation::RemoveDomain, false, Action::AlreadyAbsent),
        ("subdomain deleted", "blog.network.example", Operation::RemoveSubdomain, false, Action::AlreadyAbsent),
    ];
    for (case, name, behind, adds, want) in cases {
        let sb = Sandbox::start();
        let config = config(&sb);
        if !adds {
            let setup = if behind == Operation::RemoveSubdomain { Operation::AddSubdomain } else { Operation::AddDomain };
            assert!(run(setup, name, &config, WwwRule::Never).ok, "{case}");
        }
        let plesk = provider(&config);
        let inventory = plesk.inventory().unwrap();
        assert!(run(behind, name, &config, WwwRule::Never).ok, "{case}");

        let plan = if adds { Plan { add: vec![host(name)], ..Plan::default() } } else { Plan { remove: vec![host(name)], ..Plan::default() } };
        let applied = plesk.apply(&plan, &inventory);
        assert!(applied.error.is_none(), "{case}: {:?}", applied.error);
        assert_eq!(applied.changes[0].action, want, "{case}");
    }
}

#[test]
fn a_refused_login_is_one_request_never_repeated_and_names_the_constants() {
    // (case, setup, words)
    type Setup = fn(&mut MapSource);
    let cases: [(&str, Setup, &[&str]); 2] = [
        ("wrong key", |c| c.set("WU_PLESK_API_KEY", "wrong-key-0123456789"), &["WU_PLESK_API_KEY", "administrator", "not repeated"]),
        ("wrong password", |c| {
            c.unset("WU_PLESK_API_KEY");
            c.set("WU_PLESK_USERNAME", "admin");
            c.set("WU_PLESK_PASSWORD", "wrong-password-0123");
        }, &["WU_PLESK_USERNAME", "WU_PLESK_PASSWORD", "locks a client out"]),
    ];
    for (case, setup, words) in cases {
        let sb = Sandbox::start();
        let mut config = config(&sb);
        setup(&mut config);
        let calls: [(&str, Box<dyn Fn() -> Option<crate::ProviderError>>); 2] = [
            ("add", Box::new(|| run(Operation::AddDomain, "customer.example", &config, WwwRule::Always).results[0].error.clone())),
            ("test", Box::new(|| ops::test_connection("plesk", &config).unwrap().error)),
        ];
        for (call, outcome) in calls {
            sb.clear_requests();
            let error = outcome().unwrap_or_else(|| panic!("{case} {call}: refused"));
            assert_eq!((error.kind, error.http_status), (ErrorKind::Auth, Some(401)), "{case} {call}: {}", error.message);
            for word in words {
                assert!(error.message.contains(word), "{case} {call}: {:?} should contain {word:?}", error.message);
            }
            assert!(!error.message.contains("wrong-key-0123456789") && !error.message.contains("wrong-password-0123"), "{case} {call}");
            assert_eq!(sb.requests_to(Panel::Plesk).len(), 1, "{case} {call}: one request, not repeated");
        }
    }
}

#[test]
fn after_repeated_refusals_plesk_locks_the_client_out_and_each_call_costs_one_request() {
    let sb = Sandbox::start();
    let mut wrong = config(&sb);
    wrong.set("WU_PLESK_API_KEY", "wrong-key-0123456789");
    for _ in 0..5 {
        assert_eq!(ops::test_connection("plesk", &wrong).unwrap().error.map(|e| e.kind), Some(ErrorKind::Auth));
    }
    assert_eq!(sb.requests_to(Panel::Plesk).len(), 5, "one request per refused call");
    let locked = ops::test_connection("plesk", &config(&sb)).unwrap();
    let error = locked.error.expect("locked out, even with the right key");
    assert_eq!((error.kind, error.http_status), (ErrorKind::Auth, Some(401)));
    assert!(error.message.contains("locks a client out"), "{}", error.message);
    assert_eq!(sb.requests_to(Panel::Plesk).len(), 6);
}

#[test]
fn each_panel_refusal_comes_back_as_its_own_error() {
    type Setup = fn(&Sandbox, &mut MapSource);
    // (case, setup, kind, http status, provider code, words the message must contain)
    let cases: Vec<(&str, Setup, ErrorKind, Option<u16>, Option<i64>, Vec<&str>)> = vec![
        ("forbidden", |sb, _| sb.set_fault(Fault::status(403).for_panel(Panel::Plesk).with_header("Content-Type", "application/json").with_body(r#"{"code":1006,"message":"Access to the API is denied"}"#)), ErrorKind::Auth, Some(403), Some(1006), vec!["WU_PLESK_API_KEY", "Access to the API is denied"]),
        ("site not on the server", |_, c| c.set("WU_PLESK_DOMAIN", "missing.example"), ErrorKind::NotFound, None, None, vec!["WU_PLESK_DOMAIN", "missing.example"]),
        ("gateway utility not allowed", |sb, _| sb.update_state(|st| st.plesk.allowed_utilities = vec!["subdomain".into()]), ErrorKind::Api, Some(404), Some(0), vec!["HTTP 404", "Command not found: site_alias"]),
        ("not the Plesk API", |sb, _| sb.set_fault(Fault::status(404).for_panel(Panel::Plesk).with_body("Not Found")), ErrorKind::Http, Some(404), None, vec!["not the Plesk REST API", "WU_PLESK_HOST", "WU_PLESK_PORT"]),
        ("a web page instead of the API", |sb, _| sb.set_fault(Fault::status(200).for_panel(Panel::Plesk).with_body("<!doctype html><title>Plesk</title>")), ErrorKind::Api, Some(200), None, vec!["could not be read", "web page", "WU_PLESK_HOST"]),
        ("an empty list of domains", |sb, _| sb.set_fault(Fault::status(200).for_panel(Panel::Plesk).with_header("Content-Type", "application/json").with_body("[]")), ErrorKind::Api, Some(200), None, vec!["no domains at all", "WU_PLESK_HOST"]),
        ("server error", |sb, _| sb.set_fault(Fault::status(500).for_panel(Panel::Plesk)), ErrorKind::Http, Some(500), None, vec!["HTTP 500", "Internal Server Error"]),
        ("redirect", |sb, _| sb.set_fault(Fault::status(302).for_panel(Panel::Plesk).with_header("Location", "https://plesk.example.com/login_up.php")), ErrorKind::Http, Some(302), None, vec!["WU_PLESK_HOST", "login_up.php"]),
        ("garbage", |sb, _| sb.set_fault(Fault::new(FaultMode::Garbage).for_panel(Panel::Plesk)), ErrorKind::Api, Some(200), None, vec!["could not be read"]),
        ("wrong shape", |sb, _| sb.set_fault(Fault::new(FaultMode::WrongShape).for_panel(Panel::Plesk)), ErrorKind::Api, Some(200), None, vec!["list of domains could not be read"]),
        ("gateway answer of the wrong shape", |sb, _| sb.set_fault(Fault::new(FaultMode::WrongShape).for_panel(Panel::Plesk).on_method("POST")), ErrorKind::Api, Some(200), None, vec!["answer to site_alias could not be read"]),
        ("panel unreachable", |_, c| c.set("WU_PLESK_HOST", "http://127.0.0.1:9"), ErrorKind::Transport, None, None, vec!["127.0.0.1:9"]),
        ("stalled panel", |sb, c| { c.set("WU_NATIVE_TIMEOUT", "0.5"); sb.set_fault(Fault::new(FaultMode::Stall).for_panel(Panel::Plesk).with_delay_ms(5_000)) }, ErrorKind::Timeout, None, None, vec!["WU_NATIVE_TIMEOUT"]),
    ];
    for (case, setup, kind, status, code, words) in cases {
        let sb = Sandbox::start();
        let mut config = config(&sb);
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
        assert!(!error.message.contains(KEY), "{case}: secret in {:?}", error.message);
        assert!(sb.plesk_aliases(SITE).is_empty(), "{case}: nothing changed");
    }
}

#[test]
fn unusable_constant_values_are_config_errors_naming_the_constant_and_send_nothing() {
    // (case, constant, value, words)
    let cases = [
        ("key with a space", "WU_PLESK_API_KEY", "two words", vec!["WU_PLESK_API_KEY"]),
        ("host with a path", "WU_PLESK_HOST", "plesk.example.com/admin", vec!["WU_PLESK_HOST"]),
        ("host with credentials", "WU_PLESK_HOST", "https://admin:s3cret-pass@plesk.example.com", vec!["WU_PLESK_HOST", "credentials"]),
        ("port not a number", "WU_PLESK_PORT", "eighty", vec!["WU_PLESK_PORT"]),
        ("site not a host name", "WU_PLESK_DOMAIN", "network example", vec!["WU_PLESK_DOMAIN"]),
        ("timeout not a number", "WU_NATIVE_TIMEOUT", "soon", vec!["WU_NATIVE_TIMEOUT"]),
    ];
    for (case, constant, value, words) in cases {
        let sb = Sandbox::start();
        let mut config = config(&sb);
        if constant == "WU_PLESK_PORT" {
            config.set("WU_PLESK_HOST", "plesk.example.com");
        }
        config.set(constant, value);
        let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
        let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{case}: no error"));
        assert_eq!(error.kind, ErrorKind::Config, "{case}: {}", error.message);
        for word in words {
            assert!(error.message.contains(word), "{case}: {:?} should contain {word:?}", error.message);
        }
        assert!(!error.message.contains("s3cret-pass") && !error.message.contains(KEY), "{case}: {}", error.message);
        assert!(sb.requests().is_empty(), "{case}");
        assert_eq!(ops::test_connection("plesk", &config).unwrap().error.map(|e| e.kind), Some(ErrorKind::Config), "{case}");
    }
}

#[test]
fn missing_constants_are_named_with_both_ways_to_log_in() {
    let cases: Vec<(Vec<(&str, &str)>, Vec<&str>)> = vec![
        (vec![], vec!["WU_PLESK_HOST", "WU_PLESK_API_KEY", "WU_PLESK_USERNAME", "WU_PLESK_PASSWORD", "WU_PLESK_DOMAIN"]),
        (vec![("WU_PLESK_HOST", "p"), ("WU_PLESK_DOMAIN", SITE)], vec!["WU_PLESK_API_KEY", "WU_PLESK_USERNAME", "WU_PLESK_PASSWORD"]),
        (vec![("WU_PLESK_HOST", "p"), ("WU_PLESK_DOMAIN", SITE), ("WU_PLESK_PASSWORD", "pw")], vec!["WU_PLESK_USERNAME"]),
        (vec![("WU_PLESK_HOST", "p"), ("WU_PLESK_API_KEY", "k")], vec!["WU_PLESK_DOMAIN"]),
    ];
    for (set, missing) in cases {
        let info = ops::providers(&MapSource::new(set.clone())).into_iter().find(|p| p.id == "plesk").unwrap();
        assert!(!info.configured, "{set:?}");
        assert_eq!(info.missing, missing, "{set:?}");
        assert_eq!(info.plugin_handlers, ["WP_Ultimo\\Integrations\\Providers\\Plesk\\Plesk_Domain_Mapping"]);
        let err = ops::test_connection("plesk", &MapSource::new(set.clone())).unwrap_err();
        for name in missing {
            assert!(err.to_string().contains(name), "{set:?}: {err}");
        }
    }
}

#[test]
fn test_connection_checks_the_login_and_the_site_in_one_request() {
    let sb = Sandbox::start();
    for config in [config(&sb), login_config(&sb)] {
        sb.clear_requests();
        let result = ops::test_connection("plesk", &config).unwrap();
        assert!(result.ok, "{result:?}");
        assert_eq!(sent(&sb), ["GET /api/v2/domains"]);
    }
}

#[test]
fn a_sync_with_prune_removes_unwanted_aliases_and_subdomains_and_keeps_the_site() {
    let sb = Sandbox::start();
    let config = config(&sb);
    for (op, name) in [(Operation::AddDomain, "old.example"), (Operation::AddSubdomain, "gone.network.example")] {
        assert!(run(op, name, &config, WwwRule::Never).ok);
    }
    let options = ops::SyncOptions { prune: true, www: WwwRule::Never, providers: Some(vec!["plesk".into()]), ..ops::SyncOptions::default() };
    let result = ops::sync(&["new.example".to_string()], &options, &config).unwrap();
    assert!(result.ok, "{result:?}");
    assert_eq!(sb.plesk_aliases(SITE), ["new.example"]);
    assert!(sb.plesk_subdomains(SITE).is_empty());
    assert_eq!(result.results[0].counts.protected, 2, "the site and its www.");
}
