//! Bulk reconcile against the sandbox: plans, dry runs, pruning, protected
//! names, the fewest panel commands, and providers failing independently.

use wu_native_core::ops::{self, SyncOptions, SyncResult};
use wu_native_core::{ErrorKind, MapSource, WwwRule};
use wu_sandbox::{Fault, Panel, Sandbox};

const SERVER: &str = "00000000-0000-4000-8000-000000000001";
const APP: &str = "nlcN0TwdZAyNEgdp";

fn hestia(sb: &Sandbox) -> Vec<(&'static str, String)> {
    sb.constants(Panel::Hestia)
}

fn enhance(sb: &Sandbox) -> Vec<(&'static str, String)> {
    sb.constants(Panel::Enhance)
}

fn serverpilot(sb: &Sandbox) -> Vec<(&'static str, String)> {
    sb.constants(Panel::ServerPilot)
}

fn config(parts: &[Vec<(&'static str, String)>]) -> MapSource {
    MapSource::new(parts.iter().flatten().cloned())
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("site-{i:04}.example")).collect()
}

fn sync(domains: &[String], options: SyncOptions, source: &MapSource) -> SyncResult {
    ops::sync(domains, &options, source).expect("valid call")
}

fn never() -> SyncOptions {
    SyncOptions { www: WwwRule::Never, ..SyncOptions::default() }
}

fn hestia_commands(sb: &Sandbox) -> Vec<String> {
    sb.requests_to(Panel::Hestia).iter().map(|r| r.form_value("cmd").unwrap_or_default().to_string()).collect()
}

#[test]
fn a_thousand_names_reach_hestia_in_chunks_with_one_reload() {
    let sb = Sandbox::start();
    sb.update_state(|s| s.hestia.users.get_mut("admin").unwrap().alias_limit = 5000);
    let result = sync(&names(1000), never(), &config(&[hestia(&sb)]));
    assert!(result.ok, "{:?}", result.results[0].error);
    let counts = &result.results[0].counts;
    assert_eq!((counts.to_add, counts.added, counts.failed), (1000, 1000, 0));

    let commands = hestia_commands(&sb);
    assert_eq!(commands[0], "v-list-web-domains");
    assert_eq!(commands.len(), 11, "one listing and ten chunks of 100: {commands:?}");
    let adds = sb.requests_to(Panel::Hestia);
    let restarts: Vec<&str> = adds.iter().skip(1).map(|r| r.form_value("arg4").unwrap()).collect();
    assert_eq!(restarts.iter().filter(|r| **r == "yes").count(), 1);
    assert_eq!(*restarts.last().unwrap(), "yes", "only the last command reloads");
    assert!(adds.iter().skip(1).all(|r| r.form_value("arg3").unwrap().split(',').count() <= 100));
    assert_eq!(sb.hestia_reloads(), 1);
    assert_eq!(sb.hestia_aliases("admin", "network.example").len(), 1001);
}

#[test]
fn a_second_sync_finds_nothing_to_do_and_writes_nothing() {
    let sb = Sandbox::start();
    let source = config(&[hestia(&sb)]);
    sync(&names(50), SyncOptions::default(), &source);
    sb.clear_requests();
    let again = sync(&names(50), SyncOptions::default(), &source);
    assert!(again.ok);
    assert_eq!(again.results[0].counts.to_add, 0);
    assert!(again.results[0].changes.is_empty());
    assert_eq!(hestia_commands(&sb), vec!["v-list-web-domains"]);
}

#[test]
fn prune_removes_only_unwanted_names_that_are_not_protected() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        let aliases = &mut s.hestia.users.get_mut("admin").unwrap().web_domains.get_mut("network.example").unwrap().aliases;
        aliases.extend(
            ["stale.example", "www.stale.example", "*.network.example", "kept.example", "site1.network.example", "wanted.example"]
                .map(String::from),
        );
    });
    let mut source = config(&[hestia(&sb)]);
    source.set("DOMAIN_CURRENT_SITE", "network.example");
    let options = SyncOptions { prune: true, keep: vec!["kept.example".into()], www: WwwRule::Never, ..SyncOptions::default() };
    let result = sync(&["wanted.example".to_string()], options, &source);
    assert!(result.ok, "{:?}", result.results[0]);
    assert_eq!(result.results[0].plan.remove, vec!["stale.example", "www.stale.example"]);
    assert_eq!(result.results[0].counts.protected, 4, "www. of the web domain, the wildcard, keep, the network's site");
    assert_eq!(
        sb.hestia_aliases("admin", "network.example"),
        vec!["www.network.example", "*.network.example", "kept.example", "site1.network.example", "wanted.example"]
    );
    assert_eq!(sb.hestia_reloads(), 1);
}

#[test]
fn without_prune_nothing_is_removed() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        s.hestia.users.get_mut("admin").unwrap().web_domains.get_mut("network.example").unwrap().aliases.push("stale.example".into());
    });
    let result = sync(&names(1), never(), &config(&[hestia(&sb)]));
    assert!(result.results[0].plan.remove.is_empty());
    assert!(sb.hestia_aliases("admin", "network.example").contains(&"stale.example".to_string()));
}

#[test]
fn serverpilot_gets_one_list_update_for_the_whole_job() {
    let sb = Sandbox::start();
    let result = sync(&names(100), SyncOptions::default(), &config(&[serverpilot(&sb)]));
    assert!(result.ok, "{:?}", result.results[0].error);
    let posts: Vec<_> = sb.requests_to(Panel::ServerPilot).into_iter().filter(|r| r.method == "POST" && r.path == format!("/v1/apps/{APP}")).collect();
    assert_eq!(posts.len(), 1);
    assert_eq!(sb.serverpilot_domains(APP).len(), 202);
}

#[test]
fn a_serverpilot_plan_over_the_cap_is_refused_before_anything_is_sent() {
    let sb = Sandbox::start();
    let result = sync(&names(150), SyncOptions::default(), &config(&[serverpilot(&sb)]));
    let error = result.results[0].error.as_ref().expect("over 300");
    assert_eq!(error.kind, ErrorKind::Limit);
    assert!(error.message.contains("300"), "{}", error.message);
    assert!(sb.requests_to(Panel::ServerPilot).iter().all(|r| r.method == "GET"));
}

#[test]
fn enhance_applies_with_bounded_concurrency() {
    let sb = Sandbox::start();
    let options = SyncOptions { concurrency: 8, ..never() };
    let result = sync(&names(40), options, &config(&[enhance(&sb)]));
    assert!(result.ok, "{:?}", result.results[0].error);
    assert_eq!(result.results[0].counts.added, 40);
    let domains = sb.enhance_server_domains(SERVER);
    assert_eq!(domains.len(), 41);
    // Changes are reported in the order the names were given, whatever the completion order.
    let reported: Vec<&str> = result.results[0].changes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(reported, names(40).iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn a_name_another_web_domain_holds_fails_alone_and_the_rest_apply() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        let admin = s.hestia.users.get_mut("admin").unwrap();
        let mut other = admin.web_domains["network.example"].clone();
        other.aliases = vec!["site-0003.example".into()];
        admin.web_domains.insert("other.example".into(), other);
    });
    let result = sync(&names(10), never(), &config(&[hestia(&sb)]));
    assert!(!result.ok);
    let provider = &result.results[0];
    assert!(provider.error.is_none(), "{:?}", provider.error);
    assert_eq!(provider.failed.len(), 1);
    assert_eq!(provider.failed[0].name, "site-0003.example");
    assert_eq!(provider.failed[0].error.provider_code, Some(4.into()));
    assert_eq!(provider.counts.added, 9);
    assert_eq!(sb.hestia_reloads(), 1);
}

#[test]
fn invalid_names_are_reported_as_data_while_every_valid_name_is_synced() {
    let sb = Sandbox::start();
    let mut domains = names(3);
    domains.insert(1, "bad,name.example".into());
    domains.push("*.wild.example".into());
    domains.push("bad,name.example".into());
    domains.push(format!("ctl\u{1}{}.example", "a".repeat(90)));
    let result = sync(&domains, never(), &config(&[hestia(&sb)]));
    let invalid: Vec<(&str, &str)> = result.invalid.iter().map(|i| (i.name.as_str(), i.reason.as_str())).collect();
    assert_eq!(invalid.len(), 3, "each bad entry once, in order: {invalid:?}");
    assert_eq!(invalid[0].0, "bad,name.example");
    assert!(invalid[0].1.contains("comma"), "{}", invalid[0].1);
    assert_eq!(invalid[1].0, "*.wild.example");
    assert!(invalid[2].0.starts_with("ctl\\u{1}a") && invalid[2].0.ends_with('…'), "shown escaped and cut: {}", invalid[2].0);
    assert!(result.ok, "invalid entries do not fail the panels: {:?}", result.results[0]);
    assert_eq!(result.wanted, 3);
    let aliases = sb.hestia_aliases("admin", "network.example");
    for name in names(3) {
        assert!(aliases.contains(&name), "{name} synced: {aliases:?}");
    }
    assert!(!aliases.iter().any(|a| a.contains(',') || a.contains('*')), "{aliases:?}");
}

#[test]
fn a_transient_failure_in_the_middle_of_a_job_is_retried() {
    let sb = Sandbox::start();
    let source = config(&[hestia(&sb)]);
    sb.set_fault(Fault::status(503).for_panel(Panel::Hestia).times(1));
    let result = sync(&names(150), never(), &source);
    assert!(result.ok, "{:?}", result.results[0]);
    assert_eq!(sb.hestia_aliases("admin", "network.example").len(), 151);
}
