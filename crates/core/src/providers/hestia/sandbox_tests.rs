//! Hestia against the sandbox panel: what is sent, what the panel ends up
//! with, and how each answer is reported.

use crate::ops::{self, Operation, Options, OperationResult};
use crate::providers::Action;
use crate::{ErrorKind, MapSource, WwwRule};
use wu_sandbox::{Fault, FaultMode, Panel, Sandbox};

const DOMAIN: &str = "network.example";
const PASSWORD: &str = "sandbox-admin-password";
const HASH: &str = "WUSANDBOXACCESSKEY01:sandbox-secret-key-000000000000000000000";

fn password_mode(sb: &Sandbox) -> MapSource {
    MapSource::new([
        ("WU_HESTIA_API_URL", sb.url()),
        ("WU_HESTIA_API_USER", "admin".into()),
        ("WU_HESTIA_API_PASSWORD", PASSWORD.into()),
        ("WU_HESTIA_ACCOUNT", "admin".into()),
        ("WU_HESTIA_WEB_DOMAIN", DOMAIN.into()),
    ])
}

fn key_mode(sb: &Sandbox) -> MapSource {
    let mut config = password_mode(sb);
    config.unset("WU_HESTIA_API_PASSWORD");
    config.set("WU_HESTIA_API_HASH", HASH);
    config
}

fn run(op: Operation, name: &str, config: &MapSource, www: WwwRule) -> OperationResult {
    ops::run(op, name, 2, &Options { www, ..Options::default() }, config).expect("a valid call")
}

fn actions(result: &OperationResult) -> Vec<(String, Action)> {
    result.results[0].changes.iter().map(|c| (c.name.clone(), c.action)).collect()
}

fn commands(sb: &Sandbox) -> Vec<String> {
    sb.requests_to(Panel::Hestia).iter().map(|r| r.form_value("cmd").unwrap_or_default().to_string()).collect()
}

#[test]
fn adding_a_mapping_sends_one_command_with_both_names_and_reloads_once() {
    for (mode, config) in [("password", password_mode as fn(&Sandbox) -> MapSource), ("keys", key_mode)] {
        let sb = Sandbox::start();
        let result = run(Operation::AddDomain, "Customer.Example", &config(&sb), WwwRule::Always);

        assert!(result.ok, "{mode}: {result:?}");
        assert_eq!(result.domain, "customer.example");
        assert_eq!(
            actions(&result),
            vec![("customer.example".into(), Action::Added), ("www.customer.example".into(), Action::Added)]
        );
        assert_eq!(commands(&sb), vec!["v-add-web-domain-alias"], "{mode}: one request, no listing");
        let add = &sb.requests_to(Panel::Hestia)[0];
        assert_eq!(add.path, "/api/");
        assert_eq!(add.form_value("arg1"), Some("admin"));
        assert_eq!(add.form_value("arg2"), Some(DOMAIN));
        assert_eq!(add.form_value("arg3"), Some("customer.example,www.customer.example"));
        assert_eq!(add.form_value("arg4"), Some("yes"));
        assert_eq!(add.form_value("returncode"), Some("yes"));
        assert_eq!(sb.hestia_aliases("admin", DOMAIN), vec!["www.network.example", "customer.example", "www.customer.example"]);
        assert_eq!(sb.hestia_reloads(), 1, "{mode}");
    }
}

#[test]
fn credentials_are_sent_as_the_configured_mode_requires() {
    let sb = Sandbox::start();
    run(Operation::AddDomain, "a.example", &password_mode(&sb), WwwRule::Never);
    let legacy = &sb.requests_to(Panel::Hestia)[0];
    assert_eq!(legacy.form_value("user"), Some("admin"));
    assert_eq!(legacy.form_value("password"), Some(PASSWORD));
    assert_eq!(legacy.form_value("hash"), None);
    assert_eq!(legacy.header("content-type"), Some("application/x-www-form-urlencoded"));

    sb.clear_requests();
    run(Operation::AddDomain, "b.example", &key_mode(&sb), WwwRule::Never);
    let keys = &sb.requests_to(Panel::Hestia)[0];
    assert_eq!(keys.form_value("hash"), Some(HASH));
    assert_eq!(keys.form_value("user"), None);
    assert_eq!(keys.form_value("password"), None);
}

#[test]
fn re_adding_an_existing_mapping_reports_already_present_after_the_refused_add_and_one_listing() {
    let sb = Sandbox::start();
    let config = password_mode(&sb);
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    sb.clear_requests();

    let again = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    assert!(again.ok);
    assert_eq!(
        actions(&again),
        vec![("customer.example".into(), Action::AlreadyPresent), ("www.customer.example".into(), Action::AlreadyPresent)]
    );
    assert_eq!(commands(&sb), vec!["v-add-web-domain-alias", "v-list-web-domains"]);
    assert_eq!(sb.hestia_aliases("admin", DOMAIN), vec!["www.network.example", "customer.example", "www.customer.example"]);
    assert_eq!(sb.hestia_reloads(), 1, "the refused add changed nothing and reloaded nothing");
}

#[test]
fn adding_only_the_missing_half_of_a_mapping_sends_just_that_name_after_the_refused_add() {
    let sb = Sandbox::start();
    let config = password_mode(&sb);
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Never);
    sb.clear_requests();

    let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    assert_eq!(
        actions(&result),
        vec![("customer.example".into(), Action::AlreadyPresent), ("www.customer.example".into(), Action::Added)]
    );
    assert_eq!(commands(&sb), vec!["v-add-web-domain-alias", "v-list-web-domains", "v-add-web-domain-alias"]);
    let retry = &sb.requests_to(Panel::Hestia)[2];
    assert_eq!((retry.form_value("arg3"), retry.form_value("arg4")), (Some("www.customer.example"), Some("yes")));
    assert_eq!(sb.hestia_reloads(), 2, "one for each add that changed something");
}

#[test]
fn removing_a_mapping_deletes_each_name_and_reloads_once() {
    let sb = Sandbox::start();
    let config = password_mode(&sb);
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    sb.clear_requests();

    let result = run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Always);
    assert!(result.ok, "{result:?}");
    assert_eq!(
        actions(&result),
        vec![("customer.example".into(), Action::Removed), ("www.customer.example".into(), Action::Removed)]
    );
    let sent: Vec<(String, String, String)> = sb
        .requests_to(Panel::Hestia)
        .iter()
        .map(|r| (r.form_value("cmd").unwrap().into(), r.form_value("arg3").unwrap().into(), r.form_value("arg4").unwrap().into()))
        .collect();
    assert_eq!(
        sent,
        vec![
            ("v-delete-web-domain-alias".into(), "customer.example".into(), "no".into()),
            ("v-delete-web-domain-alias".into(), "www.customer.example".into(), "yes".into()),
        ]
    );
    assert_eq!(sb.hestia_aliases("admin", DOMAIN), vec!["www.network.example"]);
    assert_eq!(sb.hestia_reloads(), 2, "one for the add, one for the removal");
}

#[test]
fn re_removing_reports_already_absent_from_the_deletes_answers_and_reloads_nothing() {
    let sb = Sandbox::start();
    let result = run(Operation::RemoveDomain, "customer.example", &password_mode(&sb), WwwRule::Always);
    assert!(result.ok);
    assert_eq!(
        actions(&result),
        vec![("customer.example".into(), Action::AlreadyAbsent), ("www.customer.example".into(), Action::AlreadyAbsent)]
    );
    assert_eq!(commands(&sb), vec!["v-delete-web-domain-alias", "v-delete-web-domain-alias"]);
    assert_eq!(sb.hestia_reloads(), 0);
}

#[test]
fn a_removal_reads_exit_3_as_already_absent_only_when_it_is_about_the_alias() {
    type Setup = fn(&mut MapSource);
    let cases: [(&str, Setup, Vec<&str>); 2] = [
        ("unknown account", |c| c.set("WU_HESTIA_ACCOUNT", "nobody"), vec!["WU_HESTIA_ACCOUNT", "nobody"]),
        ("unknown web domain", |c| c.set("WU_HESTIA_WEB_DOMAIN", "missing.example"), vec!["WU_HESTIA_WEB_DOMAIN", "missing.example"]),
    ];
    for ((case, setup, words), mode) in cases.iter().flat_map(|c| [(c, "password"), (c, "keys")]) {
        let sb = Sandbox::start();
        let mut config = if mode == "password" { password_mode(&sb) } else { key_mode(&sb) };
        setup(&mut config);
        let result = run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Always);
        let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{case} ({mode}): {result:?}"));
        assert_eq!(error.kind, ErrorKind::NotFound, "{case} ({mode}): {}", error.message);
        for word in words {
            assert!(error.message.contains(word), "{case} ({mode}): {:?} should contain {word:?}", error.message);
        }
        assert!(actions(&result).is_empty(), "{case} ({mode}): nothing reported as absent");
        assert_eq!(commands(&sb), vec!["v-delete-web-domain-alias"], "{case} ({mode}): stopped at the first delete");
    }
}

#[test]
fn a_removal_whose_reloading_command_finds_nothing_still_reloads_once() {
    let sb = Sandbox::start();
    let config = password_mode(&sb);
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    // Another client removed the www. alias since: its delete, the one
    // that was to reload, answers "doesn't exist".
    sb.update_state(|s| {
        let aliases = &mut s.hestia.users.get_mut("admin").unwrap().web_domains.get_mut(DOMAIN).unwrap().aliases;
        aliases.retain(|a| a != "www.customer.example");
    });
    sb.clear_requests();
    let reloads = sb.hestia_reloads();

    let result = run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Always);
    assert!(result.ok, "{result:?}");
    assert_eq!(
        actions(&result),
        vec![("customer.example".into(), Action::Removed), ("www.customer.example".into(), Action::AlreadyAbsent)]
    );
    assert_eq!(
        commands(&sb),
        vec!["v-delete-web-domain-alias", "v-delete-web-domain-alias", "v-restart-web"]
    );
    assert_eq!(sb.hestia_reloads(), reloads + 1);
}

#[test]
fn the_www_rule_decides_which_names_a_mapping_stands_for() {
    let cases = [
        (WwwRule::Always, "example.co.uk", "example.co.uk,www.example.co.uk"),
        (WwwRule::MainOnly, "example.co.uk", "example.co.uk,www.example.co.uk"),
        (WwwRule::MainOnly, "shop.example.co.uk", "shop.example.co.uk"),
        (WwwRule::Never, "customer.example", "customer.example"),
        (WwwRule::Always, "www.customer.example", "www.customer.example"),
    ];
    for (rule, name, sent) in cases {
        let sb = Sandbox::start();
        let result = run(Operation::AddDomain, name, &password_mode(&sb), rule);
        assert!(result.ok, "{rule:?} {name}: {result:?}");
        assert_eq!(sb.requests_to(Panel::Hestia)[0].form_value("arg3"), Some(sent), "{rule:?} {name}");
    }
}

#[test]
fn restart_no_never_reloads_the_web_server() {
    let sb = Sandbox::start();
    let mut config = password_mode(&sb);
    config.set("WU_HESTIA_RESTART", "no");
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Always);
    assert!(sb.requests_to(Panel::Hestia).iter().all(|r| r.form_value("arg4") == Some("no")));
    assert_eq!(sb.hestia_reloads(), 0);
    assert_eq!(sb.hestia_aliases("admin", DOMAIN), vec!["www.network.example"]);
}

#[test]
fn subdomain_operations_are_skipped_without_a_request() {
    let sb = Sandbox::start();
    for op in [Operation::AddSubdomain, Operation::RemoveSubdomain] {
        let result = run(op, "site1.network.example", &password_mode(&sb), WwwRule::Always);
        assert!(result.ok);
        assert_eq!(actions(&result), vec![("site1.network.example".into(), Action::Skipped)]);
    }
    assert!(sb.requests().is_empty());
}

#[test]
fn each_panel_refusal_comes_back_as_its_own_error() {
    type Setup = fn(&Sandbox, &mut MapSource);
    // (case, setup, kind, provider code, words the message must contain)
    let cases: Vec<(&str, Setup, ErrorKind, Option<&str>, Vec<&str>)> = vec![
        ("wrong password", |_, c| { c.unset("WU_HESTIA_API_HASH"); c.set("WU_HESTIA_API_PASSWORD", "wrong-password") }, ErrorKind::Auth, Some("authentication_failed"), vec!["WU_HESTIA_API_PASSWORD"]),
        ("wrong access key", |_, c| { c.set("WU_HESTIA_API_HASH", "WUSANDBOXACCESSKEY01:0000000000000000000000000000000000000000") }, ErrorKind::Auth, Some("authentication_failed"), vec!["WU_HESTIA_API_HASH"]),
        ("IP not allowed", |sb, _| sb.update_state(|s| s.hestia.ip_allowed = false), ErrorKind::Auth, Some("ip_not_allowed"), vec!["allow"]),
        ("API switched off", |sb, _| sb.update_state(|s| s.hestia.api_enabled = false), ErrorKind::Api, Some("api_disabled"), vec!["API"]),
        ("unknown account", |_, c| c.set("WU_HESTIA_ACCOUNT", "nobody"), ErrorKind::NotFound, None, vec!["WU_HESTIA_ACCOUNT", "nobody"]),
        ("unknown web domain", |_, c| c.set("WU_HESTIA_WEB_DOMAIN", "missing.example"), ErrorKind::NotFound, None, vec!["WU_HESTIA_WEB_DOMAIN", "missing.example", "does not exist for WU_HESTIA_ACCOUNT"]),
        ("alias quota reached", |sb, _| sb.update_state(|s| s.hestia.users.get_mut("admin").unwrap().alias_limit = 1), ErrorKind::Limit, None, vec!["alias limit"]),
        ("suspended account", |sb, _| sb.update_state(|s| s.hestia.users.get_mut("admin").unwrap().suspended = true), ErrorKind::Api, None, vec!["suspended"]),
        ("not the Hestia API", |sb, _| sb.set_fault(Fault::status(404).for_panel(Panel::Hestia).with_body("Not Found")), ErrorKind::Http, None, vec!["WU_HESTIA_API_URL"]),
        ("garbage answer", |sb, _| sb.set_fault(Fault::new(FaultMode::Garbage).for_panel(Panel::Hestia)), ErrorKind::Api, None, vec!["could not be read"]),
        ("panel unreachable", |_, c| c.set("WU_HESTIA_API_URL", "http://127.0.0.1:9"), ErrorKind::Transport, None, vec!["127.0.0.1:9"]),
        ("invalid restart value", |_, c| c.set("WU_HESTIA_RESTART", "sometimes"), ErrorKind::Config, None, vec!["WU_HESTIA_RESTART"]),
    ];
    for ((case, setup, kind, code, words), mode) in cases.iter().flat_map(|c| [(c.clone(), "password"), (c.clone(), "keys")]) {
        let case = format!("{case} ({mode} mode)");
        let sb = Sandbox::start();
        let mut config = if mode == "password" { password_mode(&sb) } else { key_mode(&sb) };
        setup(&sb, &mut config);
        let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
        assert!(!result.ok, "{case}");
        let error = result.results[0].error.clone().unwrap_or_else(|| panic!("{case}: no error"));
        assert_eq!(error.kind, kind, "{case}: {}", error.message);
        if let Some(code) = code {
            assert_eq!(error.provider_code, Some(code.into()), "{case}");
        }
        for word in words {
            assert!(error.message.contains(word), "{case}: {:?} should contain {word:?}", error.message);
        }
        for secret in [PASSWORD, "WUSANDBOXACCESSKEY01", "wrong-password", "0000000000000000000000000000000000000000"] {
            assert!(!error.message.contains(secret), "{case}: secret in {:?}", error.message);
        }
        assert_eq!(sb.hestia_aliases("admin", DOMAIN), vec!["www.network.example"], "{case}: nothing changed");
    }
}

#[test]
fn a_refused_login_is_tried_once_only() {
    let sb = Sandbox::start();
    let mut config = password_mode(&sb);
    config.set("WU_HESTIA_API_PASSWORD", "wrong-password");
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    assert_eq!(sb.requests_to(Panel::Hestia).len(), 1);
    assert_eq!(sb.hestia_failed_logins(), 1);
}

#[test]
fn an_alias_taken_by_another_web_domain_is_an_error_naming_it_while_the_free_name_is_served() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        let admin = s.hestia.users.get_mut("admin").unwrap();
        let mut other = admin.web_domains[DOMAIN].clone();
        other.aliases = vec!["www.customer.example".into()];
        admin.web_domains.insert("other.example".into(), other);
    });
    let result = run(Operation::AddDomain, "customer.example", &password_mode(&sb), WwwRule::Always);
    let error = result.results[0].error.clone().unwrap();
    assert_eq!(error.kind, ErrorKind::Api);
    assert_eq!(error.provider_code, Some(4.into()));
    assert!(error.message.starts_with("www.customer.example: already used"), "{}", error.message);
    assert_eq!(actions(&result), vec![("customer.example".into(), Action::Added)]);
    assert_eq!(sb.hestia_aliases("admin", DOMAIN), vec!["www.network.example", "customer.example"]);
    assert_eq!(
        commands(&sb),
        vec!["v-add-web-domain-alias", "v-list-web-domains", "v-add-web-domain-alias", "v-add-web-domain-alias", "v-restart-web"]
    );
    assert_eq!(sb.hestia_reloads(), 1, "the name that went in still goes live");
}

#[test]
fn test_connection_authorizes_only_when_the_web_domain_is_listed() {
    let sb = Sandbox::start();
    let ok = ops::test_connection("hestia", &password_mode(&sb)).unwrap();
    assert!(ok.ok);
    assert_eq!(ok.message, "Access Authorized");
    assert_eq!(sb.requests_to(Panel::Hestia)[0].form_value("cmd"), Some("v-list-web-domains"));
    assert_eq!(sb.requests_to(Panel::Hestia)[0].form_value("arg2"), Some("json"));

    let mut wrong = password_mode(&sb);
    wrong.set("WU_HESTIA_API_PASSWORD", "wrong-password");
    let refused = ops::test_connection("hestia", &wrong).unwrap();
    assert!(!refused.ok);
    assert_ne!(refused.message, "Access Authorized");
    assert_eq!(refused.error.unwrap().kind, ErrorKind::Auth);

    let mut missing = password_mode(&sb);
    missing.set("WU_HESTIA_WEB_DOMAIN", "missing.example");
    let not_found = ops::test_connection("hestia", &missing).unwrap();
    assert!(!not_found.ok);
    assert_eq!(not_found.error.unwrap().kind, ErrorKind::NotFound);
}

#[test]
fn a_bad_host_name_sends_nothing() {
    let sb = Sandbox::start();
    for name in ["a.example,evil.example", "a.example&arg4=no", "*.example.com", "https://a.example", ""] {
        assert!(ops::run(Operation::AddDomain, name, 2, &Options::default(), &password_mode(&sb)).is_err(), "{name}");
    }
    assert!(sb.requests().is_empty());
}

#[test]
fn a_stalled_panel_gives_a_timeout_within_the_bound() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::new(FaultMode::Stall).for_panel(Panel::Hestia).with_delay_ms(5_000));
    let mut config = password_mode(&sb);
    config.set("WU_NATIVE_TIMEOUT", "0.5");
    let started = std::time::Instant::now();
    let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    assert_eq!(result.results[0].error.as_ref().unwrap().kind, ErrorKind::Timeout);
    assert!(started.elapsed() < std::time::Duration::from_secs(4));
}

#[test]
fn an_unreadable_listing_reports_the_status_it_came_with() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::new(FaultMode::WrongShape).for_panel(Panel::Hestia));
    let error = ops::test_connection("hestia", &password_mode(&sb)).unwrap().error.unwrap();
    assert_eq!((error.kind, error.http_status), (ErrorKind::Api, Some(200)), "{}", error.message);
    assert!(error.message.contains("could not be read"), "{}", error.message);
}

/// Bulk reconciles against Hestia: the fewest commands, one reload per job.
mod sync {
    use crate::ops::{self, SyncOptions, SyncResult};
    use crate::{MapSource, WwwRule};
    use wu_sandbox::{Panel, Sandbox};

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("site-{i:04}.example")).collect()
    }

    fn sync(domains: &[String], options: SyncOptions, source: &MapSource) -> SyncResult {
        ops::sync(domains, &options, source).expect("valid call")
    }

    fn never() -> SyncOptions {
        SyncOptions { www: WwwRule::Never, ..SyncOptions::default() }
    }

    fn config(sb: &Sandbox) -> MapSource {
        MapSource::new(sb.constants(Panel::Hestia))
    }

    fn aliases(sb: &Sandbox) -> Vec<String> {
        sb.hestia_aliases("admin", super::DOMAIN)
    }

    #[test]
    fn a_thousand_names_reach_hestia_in_chunks_with_one_reload() {
        let sb = Sandbox::start();
        sb.update_state(|s| s.hestia.users.get_mut("admin").unwrap().alias_limit = 5000);
        let result = sync(&names(1000), never(), &config(&sb));
        assert!(result.ok, "{:?}", result.results[0].error);
        let counts = &result.results[0].counts;
        assert_eq!((counts.to_add, counts.added, counts.failed), (1000, 1000, 0));

        let commands = super::commands(&sb);
        assert_eq!(commands[0], "v-list-web-domains");
        assert_eq!(commands.len(), 11, "one listing and ten chunks of 100: {commands:?}");
        let adds = sb.requests_to(Panel::Hestia);
        let restarts: Vec<&str> = adds.iter().skip(1).map(|r| r.form_value("arg4").unwrap()).collect();
        assert_eq!(restarts.iter().filter(|r| **r == "yes").count(), 1);
        assert_eq!(*restarts.last().unwrap(), "yes", "only the last command reloads");
        assert!(adds.iter().skip(1).all(|r| r.form_value("arg3").unwrap().split(',').count() <= 100));
        assert_eq!(sb.hestia_reloads(), 1);
        assert_eq!(aliases(&sb).len(), 1001);
    }

    #[test]
    fn a_second_sync_sends_only_the_listing() {
        let sb = Sandbox::start();
        let source = config(&sb);
        sync(&names(50), SyncOptions::default(), &source);
        sb.clear_requests();
        assert!(sync(&names(50), SyncOptions::default(), &source).ok);
        assert_eq!(super::commands(&sb), vec!["v-list-web-domains"]);
    }

    #[test]
    fn prune_removes_only_unwanted_names_that_are_not_protected() {
        let sb = Sandbox::start();
        sb.update_state(|s| {
            let aliases = &mut s.hestia.users.get_mut("admin").unwrap().web_domains.get_mut(super::DOMAIN).unwrap().aliases;
            aliases.extend(
                ["stale.example", "www.stale.example", "*.network.example", "kept.example", "site1.network.example", "wanted.example"]
                    .map(String::from),
            );
        });
        let mut source = config(&sb);
        source.set("DOMAIN_CURRENT_SITE", "network.example");
        let options = SyncOptions { prune: true, keep: vec!["kept.example".into()], www: WwwRule::Never, ..SyncOptions::default() };
        let result = sync(&["wanted.example".to_string()], options, &source);
        assert!(result.ok, "{:?}", result.results[0]);
        assert_eq!(result.results[0].plan.remove, vec!["stale.example", "www.stale.example"]);
        assert_eq!(result.results[0].counts.protected, 4, "www. of the web domain, the wildcard, keep, the network's site");
        assert_eq!(aliases(&sb), vec!["www.network.example", "*.network.example", "kept.example", "site1.network.example", "wanted.example"]);
        assert_eq!(sb.hestia_reloads(), 1);
    }

    #[test]
    fn without_prune_nothing_is_removed() {
        let sb = Sandbox::start();
        sb.update_state(|s| {
            s.hestia.users.get_mut("admin").unwrap().web_domains.get_mut(super::DOMAIN).unwrap().aliases.push("stale.example".into());
        });
        let result = sync(&names(1), never(), &config(&sb));
        assert!(result.results[0].plan.remove.is_empty());
        assert!(aliases(&sb).contains(&"stale.example".to_string()));
    }

    #[test]
    fn a_name_another_web_domain_holds_fails_alone_and_the_rest_apply() {
        let sb = Sandbox::start();
        sb.update_state(|s| {
            let admin = s.hestia.users.get_mut("admin").unwrap();
            let mut other = admin.web_domains[super::DOMAIN].clone();
            other.aliases = vec!["site-0003.example".into()];
            admin.web_domains.insert("other.example".into(), other);
        });
        let result = sync(&names(10), never(), &config(&sb));
        assert!(!result.ok);
        let provider = &result.results[0];
        assert!(provider.error.is_none(), "{:?}", provider.error);
        assert_eq!(provider.failed.len(), 1);
        assert_eq!(provider.failed[0].name, "site-0003.example");
        assert_eq!(provider.failed[0].error.provider_code, Some(4.into()));
        assert_eq!(provider.counts.added, 9);
        assert_eq!(sb.hestia_reloads(), 1);
    }
}
