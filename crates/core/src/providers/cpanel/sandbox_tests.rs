//! cPanel against the sandbox panel: what is sent, what the account ends
//! up with, and how each answer (HTTP 200 whatever happened) is reported.

use std::collections::BTreeMap;

use crate::ops::{self, Operation, OperationResult, Options, SyncOptions};
use crate::providers::{Action, Plan};
use crate::{ErrorKind, HostName, MapSource, WwwRule};
use wu_sandbox::{Fault, FaultMode, Panel, Sandbox};

const TOKEN: &str = "SANDBOXCPANELTOKEN0123456789ABCD";
const PASSWORD: &str = "sandbox-cpanel-password";
const USER: &str = "netuser";

fn config(sb: &Sandbox) -> MapSource {
    MapSource::new(sb.constants(Panel::CPanel))
}

fn password_config(sb: &Sandbox) -> MapSource {
    let mut c = config(sb);
    c.unset("WU_CPANEL_API_TOKEN");
    c.set("WU_CPANEL_PASSWORD", PASSWORD);
    c
}

fn run(op: Operation, name: &str, config: &MapSource, www: WwwRule) -> OperationResult {
    ops::run(op, name, 2, &Options { www, providers: Some(vec!["cpanel".into()]), ..Options::default() }, config).expect("a valid call")
}

fn actions(result: &OperationResult) -> Vec<(String, Action)> {
    result.results[0].changes.iter().map(|c| (c.name.clone(), c.action)).collect()
}

fn query(r: &wu_sandbox::RecordedRequest) -> BTreeMap<String, String> {
    form_urlencoded::parse(r.query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Each request as `UAPI Module::func` or `API2 Module::func` with the
/// parameters that matter.
fn sent(sb: &Sandbox) -> Vec<String> {
    sb.requests_to(Panel::CPanel)
        .iter()
        .map(|r| {
            let q = query(r);
            if let Some(f) = r.path.strip_prefix("/execute/") {
                let args: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("{} UAPI {} {}", r.method, f.replace('/', "::"), args.join("&"))
            } else {
                let args: Vec<String> = q.iter().filter(|(k, _)| !k.starts_with("cpanel_jsonapi")).map(|(k, v)| format!("{k}={v}")).collect();
                format!("{} API2 {}::{} {}", r.method, q["cpanel_jsonapi_module"], q["cpanel_jsonapi_func"], args.join("&"))
            }
        })
        .collect()
}

const LIST: &str = "GET UAPI DomainInfo::domains_data format=hash";

fn addons(sb: &Sandbox) -> Vec<(String, String)> {
    sb.cpanel_addons(USER).into_iter().collect()
}

fn subdomains(sb: &Sandbox) -> Vec<(String, String)> {
    sb.cpanel_subdomains(USER).into_iter().collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn a_mapped_domain_becomes_one_addon_domain_serving_its_www_and_goes_by_its_key() {
    let sb = Sandbox::start();
    let c = config(&sb);
    let added = run(Operation::AddDomain, "customer.example", &c, WwwRule::Always);
    assert!(added.ok, "{:?}", added.results[0].error);
    assert_eq!(actions(&added), vec![("customer.example".into(), Action::Added), ("www.customer.example".into(), Action::Added)]);
    assert_eq!(
        sent(&sb),
        vec![LIST.to_string(), "GET API2 AddonDomain::addaddondomain dir=/public_html&newdomain=customer.example&subdomain=customerexample".into()],
        "one write for the name and its www."
    );
    assert_eq!(addons(&sb), vec![pair("customer.example", "customerexample.network.example")]);
    assert_eq!(subdomains(&sb), vec![pair("customerexample.network.example", "public_html")]);
    let auth = sb.requests_to(Panel::CPanel)[0].header("authorization").unwrap().to_string();
    assert_eq!(auth, format!("cpanel {USER}:{TOKEN}"));

    sb.clear_requests();
    let again = run(Operation::AddDomain, "customer.example", &c, WwwRule::Always);
    assert_eq!(actions(&again), vec![("customer.example".into(), Action::AlreadyPresent), ("www.customer.example".into(), Action::AlreadyPresent)]);
    assert_eq!(sent(&sb), vec![LIST], "look first: no write");

    sb.clear_requests();
    let removed = run(Operation::RemoveDomain, "customer.example", &c, WwwRule::Always);
    assert!(removed.ok, "{:?}", removed.results[0].error);
    assert_eq!(actions(&removed), vec![("customer.example".into(), Action::Removed), ("www.customer.example".into(), Action::Removed)]);
    assert_eq!(
        sent(&sb),
        vec![LIST.to_string(), "GET API2 AddonDomain::deladdondomain domain=customer.example&subdomain=customerexample_network.example".into()]
    );
    assert!(addons(&sb).is_empty() && subdomains(&sb).is_empty(), "the addon and its subdomain are gone");

    sb.clear_requests();
    let gone = run(Operation::RemoveDomain, "customer.example", &c, WwwRule::Always);
    assert_eq!(actions(&gone), vec![("customer.example".into(), Action::AlreadyAbsent), ("www.customer.example".into(), Action::AlreadyAbsent)]);
    assert_eq!(sent(&sb), vec![LIST]);
}

#[test]
fn removal_uses_the_accounts_own_primary_domain_and_the_label_cpanel_lists() {
    // An addon the plugin made earlier, on an account whose primary domain is
    // not the network's host: the plugin's key (label_<network host>) would miss it.
    let sb = Sandbox::start();
    sb.update_state(|s| {
        let a = s.cpanel.accounts.get_mut(USER).unwrap();
        a.main_domain = "cp-primary.example".into();
        a.subdomains.insert("shopexample.cp-primary.example".into(), "public_html".into());
        a.addons.insert("shop.example".into(), "shopexample.cp-primary.example".into());
        a.subdomains.insert("old-label.cp-primary.example".into(), "public_html".into());
        a.addons.insert("legacy.example".into(), "old-label.cp-primary.example".into());
    });
    let c = config(&sb);
    for (domain, key) in [("shop.example", "shopexample_cp-primary.example"), ("legacy.example", "old-label_cp-primary.example")] {
        sb.clear_requests();
        let result = run(Operation::RemoveDomain, domain, &c, WwwRule::Never);
        assert!(result.ok, "{domain}: {:?}", result.results[0].error);
        assert_eq!(sent(&sb)[1], format!("GET API2 AddonDomain::deladdondomain domain={domain}&subdomain={key}"));
    }
    assert!(addons(&sb).is_empty() && subdomains(&sb).is_empty());
}

#[test]
fn subdomain_sites_are_added_and_removed_as_subdomains_without_a_www_name() {
    let sb = Sandbox::start();
    let c = config(&sb);
    let added = run(Operation::AddSubdomain, "site1.network.example", &c, WwwRule::Always);
    assert!(added.ok, "{:?}", added.results[0].error);
    assert_eq!(actions(&added), vec![("site1.network.example".into(), Action::Added)]);
    assert_eq!(sent(&sb), vec![LIST.to_string(), "GET UAPI SubDomain::addsubdomain dir=/public_html&domain=site1&rootdomain=network.example".into()]);
    assert_eq!(subdomains(&sb), vec![pair("site1.network.example", "public_html")]);

    sb.clear_requests();
    let again = run(Operation::AddSubdomain, "site1.network.example", &c, WwwRule::Always);
    assert_eq!(actions(&again), vec![("site1.network.example".into(), Action::AlreadyPresent)]);
    assert_eq!(sent(&sb), vec![LIST]);

    sb.clear_requests();
    let removed = run(Operation::RemoveSubdomain, "site1.network.example", &c, WwwRule::Always);
    assert_eq!(actions(&removed), vec![("site1.network.example".into(), Action::Removed)]);
    assert_eq!(sent(&sb), vec![LIST.to_string(), "GET API2 SubDomain::delsubdomain domain=site1_network.example".into()]);
    assert!(subdomains(&sb).is_empty());

    sb.clear_requests();
    let gone = run(Operation::RemoveSubdomain, "site1.network.example", &c, WwwRule::Always);
    assert_eq!(actions(&gone), vec![("site1.network.example".into(), Action::AlreadyAbsent)]);
    assert_eq!(sent(&sb), vec![LIST]);
}

#[test]
fn a_www_mapping_is_the_addon_domain_cpanel_makes_of_it() {
    let sb = Sandbox::start();
    let c = config(&sb);
    let added = run(Operation::AddDomain, "www.shop.example", &c, WwwRule::Always);
    assert_eq!(actions(&added), vec![("www.shop.example".into(), Action::Added)]);
    assert_eq!(addons(&sb), vec![pair("shop.example", "shopexample.network.example")]);
    let again = run(Operation::AddDomain, "www.shop.example", &c, WwwRule::Always);
    assert_eq!(actions(&again), vec![("www.shop.example".into(), Action::AlreadyPresent)]);
    let removed = run(Operation::RemoveDomain, "www.shop.example", &c, WwwRule::Always);
    assert_eq!(actions(&removed), vec![("www.shop.example".into(), Action::Removed)]);
    assert!(addons(&sb).is_empty());
}

#[test]
fn a_name_the_account_serves_from_another_directory_is_an_error_naming_it_and_nothing_is_written() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        let a = s.cpanel.accounts.get_mut(USER).unwrap();
        a.subdomains.insert("elsewhereexample.network.example".into(), "public_html/elsewhere".into());
        a.addons.insert("elsewhere.example".into(), "elsewhereexample.network.example".into());
        a.subdomains.insert("shop.network.example".into(), "shop_files".into());
    });
    let c = config(&sb);
    for (op, name) in [
        (Operation::AddDomain, "elsewhere.example"),
        (Operation::AddDomain, "www.elsewhere.example"),
        (Operation::AddSubdomain, "shop.network.example"),
    ] {
        sb.clear_requests();
        let result = run(op, name, &c, WwwRule::Always);
        let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{name}: no error"));
        assert_eq!(error.kind, ErrorKind::Api, "{name}: {}", error.message);
        assert_eq!(error.provider_code, Some("held_elsewhere".into()));
        assert!(error.message.contains("document root /home/netuser/"), "{name}: {}", error.message);
        assert!(!result.results[0].changes.iter().any(|c| c.action == Action::AlreadyPresent), "{name}: never already_present");
        assert_eq!(sent(&sb), vec![LIST], "{name}: no write");
    }
    // Removing it leaves it alone: it is not the network's.
    let removed = run(Operation::RemoveDomain, "elsewhere.example", &c, WwwRule::Never);
    assert_eq!(actions(&removed), vec![("elsewhere.example".into(), Action::AlreadyAbsent)]);
    assert_eq!(addons(&sb).len(), 1);
}

#[test]
fn a_name_another_account_holds_is_an_error_in_cpanels_words_read_from_a_200() {
    let sb = Sandbox::start();
    let c = config(&sb);
    let result = run(Operation::AddDomain, "other.example", &c, WwwRule::Never);
    let error = result.results[0].error.clone().expect("an error");
    assert_eq!(error.kind, ErrorKind::Api, "{}", error.message);
    assert_eq!(error.http_status, Some(200), "cPanel answers 200 on failure");
    assert_eq!(error.provider_code, Some("AddonDomain::addaddondomain".into()));
    assert!(error.message.contains("belongs to another user") && error.message.contains("other.example"), "{}", error.message);
    assert_eq!(sent(&sb).len(), 3, "list, add, and a second look: {:?}", sent(&sb));
    assert!(addons(&sb).is_empty());
}

#[test]
fn each_refusal_comes_back_classified_and_without_a_secret() {
    type Setup = fn(&Sandbox, &mut MapSource);
    let cases: Vec<(&str, Setup, ErrorKind, Option<u16>, Vec<&str>)> = vec![
        ("wrong token", |_, c| c.set("WU_CPANEL_API_TOKEN", "WRONGTOKEN0000000000000000000000"), ErrorKind::Auth, Some(401), vec!["WU_CPANEL_API_TOKEN", "cPHulk"]),
        ("wrong password", |sb, c| { *c = password_config(sb); c.set("WU_CPANEL_PASSWORD", "wrong-password") }, ErrorKind::Auth, Some(401), vec!["WU_CPANEL_PASSWORD"]),
        ("addon limit", |sb, _| sb.update_state(|s| s.cpanel.accounts.get_mut(USER).unwrap().max_addons = Some(0)), ErrorKind::Limit, Some(200), vec!["addon domain limit", "package"]),
        ("a web page", |sb, _| sb.set_fault(Fault::status(200).for_panel(Panel::CPanel).with_header("Content-Type", "text/html").with_body("<!doctype html><title>WHM</title>")), ErrorKind::Api, Some(200), vec!["WU_CPANEL_HOST", "2083"]),
        ("wrong shape", |sb, _| sb.set_fault(Fault::new(FaultMode::WrongShape).for_panel(Panel::CPanel)), ErrorKind::Api, Some(200), vec!["could not be read"]),
        ("server error", |sb, _| sb.set_fault(Fault::status(500).for_panel(Panel::CPanel)), ErrorKind::Http, Some(500), vec!["HTTP 500"]),
        ("not cPanel", |sb, _| sb.set_fault(Fault::status(404).for_panel(Panel::CPanel)), ErrorKind::Http, Some(404), vec!["WU_CPANEL_PORT"]),
        ("unreachable", |_, c| c.set("WU_CPANEL_HOST", "http://127.0.0.1:9"), ErrorKind::Transport, None, vec!["127.0.0.1:9"]),
    ];
    for (case, setup, kind, status, words) in cases {
        let sb = Sandbox::start();
        let mut c = config(&sb);
        setup(&sb, &mut c);
        let result = run(Operation::AddDomain, "customer.example", &c, WwwRule::Always);
        let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{case}: no error"));
        assert_eq!(error.kind, kind, "{case}: {}", error.message);
        assert_eq!(error.http_status, status, "{case}: {}", error.message);
        for word in words {
            assert!(error.message.contains(word), "{case}: {:?} should contain {word:?}", error.message);
        }
        for secret in [TOKEN, PASSWORD, "WRONGTOKEN0000000000000000000000", "wrong-password"] {
            assert!(!error.message.contains(secret), "{case}: {}", error.message);
        }
        assert!(addons(&sb).is_empty(), "{case}");
    }
}

#[test]
fn a_password_goes_as_http_basic_never_in_the_url_and_only_over_tls() {
    let sb = Sandbox::start();
    let result = run(Operation::AddDomain, "customer.example", &password_config(&sb), WwwRule::Never);
    assert!(result.ok, "{:?}", result.results[0].error);
    for r in sb.requests_to(Panel::CPanel) {
        assert!(r.header("authorization").unwrap().starts_with("Basic "), "{:?}", r.headers);
        assert!(!r.query.contains(PASSWORD) && !r.path.contains(PASSWORD) && !r.body.contains(PASSWORD));
    }
    assert!(sb.log_lines().iter().all(|l| !l.contains(PASSWORD)));

    let mut plain = password_config(&sb);
    plain.set("WU_CPANEL_HOST", "http://cpanel.example:2082");
    let refused = run(Operation::AddDomain, "customer.example", &plain, WwwRule::Never);
    let error = refused.results[0].error.clone().expect("refused");
    assert_eq!(error.kind, ErrorKind::Config);
    assert!(error.message.contains("WU_CPANEL_PASSWORD") && error.message.contains("TLS"), "{}", error.message);
}

#[test]
fn an_add_refused_because_someone_else_just_added_it_is_already_present() {
    let sb = Sandbox::start();
    let values = crate::config::Values::read(super::SPEC.settings, &config(&sb));
    let provider = (super::SPEC.build)(&values, &Default::default()).unwrap();
    let inventory = provider.inventory().unwrap();
    sb.update_state(|s| {
        let a = s.cpanel.accounts.get_mut(USER).unwrap();
        a.subdomains.insert("racer.network.example".into(), "public_html".into());
        a.addons.insert("customer.example".into(), "racer.network.example".into());
    });
    let plan = Plan { add: vec![HostName::parse("customer.example").unwrap()], ..Plan::default() };
    let applied = provider.apply(&plan, &inventory);
    assert!(applied.error.is_none(), "{:?}", applied.error);
    assert_eq!(applied.changes[0].action, Action::AlreadyPresent);
    assert_eq!(sent(&sb).len(), 3, "list, refused add, second look");
}

#[test]
fn the_main_and_parked_domains_are_served_protected_and_skipped_on_removal() {
    let sb = Sandbox::start();
    sb.update_state(|s| s.cpanel.accounts.get_mut(USER).unwrap().parked.push("alias.example".into()));
    let c = config(&sb);
    for name in ["network.example", "alias.example"] {
        sb.clear_requests();
        let added = run(Operation::AddDomain, name, &c, WwwRule::Always);
        assert!(added.results[0].changes.iter().all(|c| c.action == Action::AlreadyPresent), "{name}: {added:?}");
        let removed = run(Operation::RemoveDomain, name, &c, WwwRule::Always);
        assert!(removed.ok, "{name}: {:?}", removed.results[0].error);
        assert!(removed.results[0].changes.iter().all(|c| c.action == Action::Skipped), "{name}: {removed:?}");
        assert!(sent(&sb).iter().all(|s| s == LIST), "{name}: no write: {:?}", sent(&sb));
    }
    let mut with_network = c.clone();
    with_network.set("DOMAIN_CURRENT_SITE", "network.example");
    let pruned = ops::sync(&[], &SyncOptions { prune: true, dry_run: true, ..SyncOptions::default() }, &with_network).unwrap();
    assert!(pruned.results[0].plan.remove.is_empty(), "{:?}", pruned.results[0].plan);
}

#[test]
fn a_sync_adds_many_names_one_write_each_and_prunes_only_the_networks_addons() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        let a = s.cpanel.accounts.get_mut(USER).unwrap();
        a.subdomains.insert("stale.network.example".into(), "public_html".into());
        a.subdomains.insert("staleexample.network.example".into(), "public_html".into());
        a.addons.insert("stale.example".into(), "staleexample.network.example".into());
    });
    let names: Vec<String> = (0..5).map(|i| format!("site-{i}.example")).collect();
    let options = SyncOptions { prune: true, www: WwwRule::Always, ..SyncOptions::default() };
    let mut source = config(&sb);
    source.set("DOMAIN_CURRENT_SITE", "network.example");
    let result = ops::sync(&names, &options, &source).unwrap();
    assert!(result.ok, "{:?}", result.results[0]);
    let counts = &result.results[0].counts;
    assert_eq!((counts.to_add, counts.added, counts.to_remove, counts.removed), (10, 10, 2, 2), "{counts:?}");
    let writes: Vec<String> = sent(&sb).into_iter().filter(|s| s != LIST).collect();
    assert_eq!(writes.len(), 6, "five adds and one delete: {writes:?}");
    assert_eq!(addons(&sb).len(), 5);
    assert!(subdomains(&sb).iter().any(|(s, _)| s == "stale.network.example"), "the network's subdomain site stays");
}

#[test]
fn test_connection_reads_the_accounts_domains() {
    let sb = Sandbox::start();
    let ok = ops::test_connection("cpanel", &config(&sb)).unwrap();
    assert!(ok.ok, "{ok:?}");
    assert_eq!(sent(&sb), vec![LIST]);
    let mut wrong = config(&sb);
    wrong.set("WU_CPANEL_API_TOKEN", "WRONGTOKEN0000000000000000000000");
    let refused = ops::test_connection("cpanel", &wrong).unwrap();
    assert_eq!(refused.error.map(|e| e.kind), Some(ErrorKind::Auth));
    let info = ops::providers(&config(&sb)).into_iter().find(|p| p.id == "cpanel").unwrap();
    assert!(info.configured);
    assert_eq!(info.mode.as_deref(), Some("token"));
    assert_eq!(info.plugin_handlers.len(), 2);
}
