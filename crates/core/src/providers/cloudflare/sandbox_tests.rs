//! Cloudflare against the sandbox: custom hostnames in the SaaS zone for
//! mapped domains, proxied CNAMEs for subdomain sites, what is sent, what
//! the zones end up with, and how each answer is reported.

use std::time::{Duration, Instant};

use serde_json::json;
use crate::ops::{self, Operation, OperationResult, Options};
use crate::providers::{Action, NameStatus};
use crate::{ErrorKind, MapSource, WwwRule};
use wu_sandbox::cloudflare::{CustomHostname, DnsRecord};
use wu_sandbox::{Fault, Panel, Sandbox};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const SAAS: &str = "5a7805061c76ada191ed06f989cc3dac";
const ACCOUNT: &str = "01a7362d577a6c3019a474fd6f485823";
const USER_TOKEN: &str = "sandbox-cloudflare-user-token-0000000000";
const ACCOUNT_TOKEN: &str = "sandbox-cloudflare-account-token-0000000";

fn config(sb: &Sandbox) -> MapSource {
    MapSource::new(sb.constants(Panel::Cloudflare))
}

fn run(op: Operation, name: &str, config: &MapSource, www: WwwRule) -> OperationResult {
    ops::run(op, name, 2, &Options { www, providers: Some(vec!["cloudflare".into()]), ..Options::default() }, config)
        .expect("a valid call")
}

fn actions(result: &OperationResult) -> Vec<(String, Action)> {
    result.results[0].changes.iter().map(|c| (c.name.clone(), c.action)).collect()
}

/// `METHOD path?query` of every request the panel received.
fn sent(sb: &Sandbox) -> Vec<String> {
    sb.requests_to(Panel::Cloudflare)
        .iter()
        .map(|r| if r.query.is_empty() { format!("{} {}", r.method, r.path) } else { format!("{} {}?{}", r.method, r.path, r.query) })
        .collect()
}

fn writes(sb: &Sandbox) -> Vec<String> {
    sent(sb).into_iter().filter(|r| !r.starts_with("GET ")).collect()
}

fn path(rest: &str) -> String {
    format!("/client/v4/{rest}")
}

/// The reads before a change of mapped domains without `DOMAIN_CURRENT_SITE`:
/// the zone's name, then one lookup per name (never the whole list).
fn lookups(names: &[&str]) -> Vec<String> {
    let mut reads = vec![format!("GET {}", path(&format!("zones/{ZONE}")))];
    for name in names {
        reads.push(format!("GET {}?hostname={name}&page=1&per_page=50", path(&format!("zones/{SAAS}/custom_hostnames"))));
    }
    reads
}

fn hostnames(sb: &Sandbox) -> Vec<String> {
    sb.cloudflare_hostnames(SAAS).into_iter().map(|(h, _, _)| h).collect()
}

fn cnames(sb: &Sandbox) -> Vec<(String, String, bool)> {
    sb.cloudflare_records(ZONE).into_iter().filter(|(t, ..)| t == "CNAME").map(|(_, n, c, p)| (n, c, p)).collect()
}

fn state(status: &str, certificate: &str) -> NameStatus {
    NameStatus { status: Some(status.into()), certificate_status: Some(certificate.into()) }
}

#[test]
fn a_mapped_domain_and_its_www_become_custom_hostnames_with_http_validated_dv_certificates() {
    let sb = Sandbox::start();
    let result = run(Operation::AddDomain, "Customer.Example", &config(&sb), WwwRule::Always);

    assert!(result.ok, "{result:?}");
    assert_eq!(actions(&result), vec![("customer.example".into(), Action::Added), ("www.customer.example".into(), Action::Added)]);
    for change in &result.results[0].changes {
        assert_eq!(change.state, state("pending", "pending_validation"), "{change:?}");
    }
    let create = format!("POST {}", path(&format!("zones/{SAAS}/custom_hostnames")));
    let mut want = lookups(&["customer.example", "www.customer.example"]);
    want.extend([create.clone(), create]);
    assert_eq!(sent(&sb), want);
    let requests = sb.requests_to(Panel::Cloudflare);
    for (request, name) in requests[3..].iter().zip(["customer.example", "www.customer.example"]) {
        assert_eq!(request.method, "POST");
        assert_eq!(request.json, Some(json!({"hostname": name, "ssl": {"method": "http", "type": "dv"}})));
    }
    for request in &requests {
        assert_eq!(request.header("authorization"), Some(format!("Bearer {USER_TOKEN}").as_str()));
    }
    assert_eq!(hostnames(&sb), vec!["customer.example", "www.customer.example"]);
    assert!(cnames(&sb).iter().all(|(n, ..)| !n.contains("customer")), "no DNS record for a mapped domain");
}

#[test]
fn re_adding_reports_already_present_with_the_hostnames_current_status_and_writes_nothing() {
    let sb = Sandbox::start();
    let config = config(&sb);
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    sb.cloudflare_activate("customer.example");
    sb.clear_requests();

    let again = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    assert!(again.ok, "{again:?}");
    assert_eq!(
        actions(&again),
        vec![("customer.example".into(), Action::AlreadyPresent), ("www.customer.example".into(), Action::AlreadyPresent)]
    );
    assert_eq!(again.results[0].changes[0].state, state("active", "active"));
    assert_eq!(again.results[0].changes[1].state, state("pending", "pending_validation"));
    assert_eq!(sent(&sb), lookups(&["customer.example", "www.customer.example"]), "no error 1406: nothing is posted");
}

#[test]
fn a_hostname_created_between_the_read_and_the_post_is_already_present_not_error_1406() {
    let sb = Sandbox::start();
    // The POST is handled (the hostname exists) but answered as a duplicate.
    let duplicate = r#"{"result":null,"success":false,"errors":[{"code":1406,"message":"Duplicate custom hostname found."}],"messages":[]}"#;
    sb.set_fault(Fault::status(409).for_panel(Panel::Cloudflare).on_method("POST").with_body(duplicate).applied().times(1));
    let result = run(Operation::AddDomain, "customer.example", &config(&sb), WwwRule::Never);

    assert!(result.ok, "{result:?}");
    assert_eq!(actions(&result), vec![("customer.example".into(), Action::AlreadyPresent)]);
    assert_eq!(result.results[0].changes[0].state, state("pending", "pending_validation"));
    assert_eq!(
        sent(&sb).last().unwrap(),
        &format!("GET {}?hostname=customer.example&page=1&per_page=50", path(&format!("zones/{SAAS}/custom_hostnames")))
    );
}

#[test]
fn a_hostname_another_zone_holds_is_an_error_naming_it_never_already_present() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        let other = s.cloudflare.zones.entry("ffffffffffffffffffffffffffffffff".into()).or_default();
        other.name = "someone-else.example".into();
        other.account = "0000000000000000000000000000beef".into();
        other.custom_hostname_quota = Some(10);
        other.custom_hostnames.push(CustomHostname { id: "x".into(), hostname: "customer.example".into(), ..Default::default() });
    });
    let result = run(Operation::AddDomain, "customer.example", &config(&sb), WwwRule::Never);

    assert!(!result.ok);
    let error = result.results[0].error.as_ref().unwrap();
    assert_eq!((error.kind, error.http_status), (ErrorKind::Api, Some(409)));
    assert!(error.message.contains("another zone or account") && error.message.contains("WU_CLOUDFLARE_SAAS_ZONE_ID"), "{}", error.message);
    assert!(result.results[0].changes.is_empty());
    assert!(hostnames(&sb).is_empty());
}

#[test]
fn removal_deletes_each_hostname_by_id_and_carries_on_past_a_missing_one() {
    let sb = Sandbox::start();
    let config = config(&sb);
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    // The bare name went away behind our back; its www. is still there.
    sb.update_state(|s| s.cloudflare.zones.get_mut(SAAS).unwrap().custom_hostnames.retain(|h| h.hostname != "customer.example"));
    let www_id = sb.typed_state().cloudflare.zones[SAAS].custom_hostnames[0].id.clone();
    sb.clear_requests();

    let result = run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Always);
    assert!(result.ok, "{result:?}");
    assert_eq!(
        actions(&result),
        vec![("customer.example".into(), Action::AlreadyAbsent), ("www.customer.example".into(), Action::Removed)]
    );
    assert_eq!(writes(&sb), vec![format!("DELETE {}", path(&format!("zones/{SAAS}/custom_hostnames/{www_id}")))]);
    assert!(hostnames(&sb).is_empty());

    // Gone between the read and the delete: absent, and the next name is still removed.
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    let gone = r#"{"result":null,"success":false,"errors":[{"code":1436,"message":"The custom hostname was not found."}],"messages":[]}"#;
    sb.set_fault(Fault::status(404).for_panel(Panel::Cloudflare).on_method("DELETE").with_body(gone).times(1));
    let result = run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Always);
    assert!(result.ok, "{result:?}");
    assert_eq!(
        actions(&result),
        vec![("customer.example".into(), Action::AlreadyAbsent), ("www.customer.example".into(), Action::Removed)]
    );
    assert_eq!(hostnames(&sb), vec!["customer.example"], "the 404 was a fault: that one stays");
}

#[test]
fn a_subdomain_site_and_its_www_become_proxied_cnames_with_full_names_by_the_www_rule() {
    for (www, want) in [
        (WwwRule::Always, vec!["shop.network.example", "www.shop.network.example"]),
        (WwwRule::MainOnly, vec!["shop.network.example"]),
        (WwwRule::Never, vec!["shop.network.example"]),
    ] {
        let sb = Sandbox::start();
        let result = run(Operation::AddSubdomain, "shop.network.example", &config(&sb), www);
        assert!(result.ok, "{www:?}: {result:?}");
        assert_eq!(actions(&result), want.iter().map(|n| (n.to_string(), Action::Added)).collect::<Vec<_>>(), "{www:?}");
        assert_eq!(
            sent(&sb)[1],
            format!("GET {}?name.exact=shop.network.example&page=1&per_page=100", path(&format!("zones/{ZONE}/dns_records"))),
            "each name is looked up by its exact, full name"
        );
        let posts: Vec<_> = sb.requests_to(Panel::Cloudflare).into_iter().filter(|r| r.method == "POST").collect();
        assert_eq!(posts.len(), want.len(), "{www:?}");
        for (post, name) in posts.iter().zip(&want) {
            assert_eq!(post.path, path(&format!("zones/{ZONE}/dns_records")));
            assert_eq!(post.json, Some(json!({"type": "CNAME", "name": name, "content": "network.example", "proxied": true, "ttl": 1})));
        }
        assert_eq!(cnames(&sb), want.iter().map(|n| (n.to_string(), "network.example".to_string(), true)).collect::<Vec<_>>());
        assert!(hostnames(&sb).is_empty(), "no custom hostname for a subdomain site");
    }
}

#[test]
fn below_the_zone_apex_the_record_has_the_sites_full_name_and_points_at_the_network() {
    let sb = Sandbox::start();
    let mut config = config(&sb);
    config.set("DOMAIN_CURRENT_SITE", "net.network.example");
    let result = run(Operation::AddSubdomain, "shop.net.network.example", &config, WwwRule::Never);

    assert!(result.ok, "{result:?}");
    assert_eq!(cnames(&sb), vec![("shop.net.network.example".into(), "net.network.example".into(), true)]);
    assert!(
        !sent(&sb).contains(&format!("GET {}", path(&format!("zones/{ZONE}")))),
        "with the network's domain defined, the zone's name is not needed"
    );
}

#[test]
fn subdomain_records_are_idempotent_both_ways_and_removal_carries_on_past_a_missing_one() {
    let sb = Sandbox::start();
    let config = config(&sb);
    let site = "shop.network.example";
    run(Operation::AddSubdomain, site, &config, WwwRule::Always);
    sb.clear_requests();

    let again = run(Operation::AddSubdomain, site, &config, WwwRule::Always);
    assert_eq!(actions(&again), vec![(site.into(), Action::AlreadyPresent), (format!("www.{site}"), Action::AlreadyPresent)]);
    assert!(writes(&sb).is_empty());

    // The bare record is gone; the www. one must still be removed.
    sb.update_state(|s| s.cloudflare.zones.get_mut(ZONE).unwrap().records.retain(|r| r.name != site));
    sb.clear_requests();
    let removed = run(Operation::RemoveSubdomain, site, &config, WwwRule::Always);
    assert!(removed.ok, "{removed:?}");
    assert_eq!(actions(&removed), vec![(site.into(), Action::AlreadyAbsent), (format!("www.{site}"), Action::Removed)]);
    assert_eq!(writes(&sb).len(), 1);
    assert!(cnames(&sb).is_empty());

    sb.clear_requests();
    let gone = run(Operation::RemoveSubdomain, site, &config, WwwRule::Always);
    assert_eq!(actions(&gone), vec![(site.into(), Action::AlreadyAbsent), (format!("www.{site}"), Action::AlreadyAbsent)]);
    assert!(writes(&sb).is_empty());
    assert_eq!(sb.cloudflare_records(ZONE).len(), 1, "the network's own A record stays");
}

#[test]
fn a_subdomain_name_held_by_another_record_is_an_error_naming_it() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        s.cloudflare.zones.get_mut(ZONE).unwrap().records.push(DnsRecord {
            id: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into(),
            kind: "A".into(),
            name: "shop.network.example".into(),
            content: "198.51.100.7".into(),
            proxied: false,
            ttl: 300,
        });
    });
    let result = run(Operation::AddSubdomain, "shop.network.example", &config(&sb), WwwRule::Never);

    assert!(!result.ok);
    let error = result.results[0].error.as_ref().unwrap();
    assert_eq!(error.kind, ErrorKind::Api);
    assert_eq!(error.provider_code, Some(crate::error::ProviderCode::Number(81053)));
    assert!(error.message.contains("A record to 198.51.100.7"), "{}", error.message);
    assert!(result.results[0].changes.is_empty(), "never already_present");
    assert_eq!(cnames(&sb), vec![]);
}

#[test]
fn success_false_is_a_failure_even_with_http_200() {
    let sb = Sandbox::start();
    let refused = r#"{"result":null,"success":false,"errors":[{"code":1004,"message":"DNS Validation Error"}],"messages":[]}"#;
    sb.set_fault(Fault::status(200).for_panel(Panel::Cloudflare).on_method("POST").with_body(refused).times(1));
    let result = run(Operation::AddSubdomain, "shop.network.example", &config(&sb), WwwRule::Never);

    assert!(!result.ok);
    let error = result.results[0].error.as_ref().unwrap();
    assert_eq!((error.kind, error.http_status), (ErrorKind::Api, Some(200)));
    assert!(error.message.contains("1004 DNS Validation Error"), "{}", error.message);
    assert!(result.results[0].changes.is_empty());
}

#[test]
fn a_sync_reads_every_page_and_one_mapping_looks_up_only_its_own_names() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        let saas = s.cloudflare.zones.get_mut(SAAS).unwrap();
        saas.custom_hostname_quota = Some(1000);
        for i in 0..120 {
            saas.custom_hostnames.push(CustomHostname {
                id: format!("00000000-0000-4000-b000-{i:012x}"),
                hostname: format!("site-{i:03}.example"),
                status: "active".into(),
                ssl_status: "active".into(),
                ..Default::default()
            });
        }
    });
    let config = config(&sb);
    let options = ops::SyncOptions { www: WwwRule::Never, providers: Some(vec!["cloudflare".into()]), ..Default::default() };
    let synced = ops::sync(&["site-119.example".to_string(), "new.example".to_string()], &options, &config).unwrap();
    assert!(synced.ok, "{synced:?}");
    assert_eq!((synced.results[0].counts.present, synced.results[0].counts.to_add), (120, 1), "site-119 was on the third page");
    let pages: Vec<String> = sent(&sb).into_iter().filter(|r| r.starts_with("GET ") && r.contains("custom_hostnames")).collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages[2].ends_with("page=3&per_page=50"), "{pages:?}");

    sb.clear_requests();
    let result = run(Operation::AddDomain, "site-119.example", &config, WwwRule::Never);
    assert_eq!(actions(&result), vec![("site-119.example".into(), Action::AlreadyPresent)]);
    assert_eq!(result.results[0].changes[0].state, state("active", "active"));
    assert_eq!(sent(&sb), lookups(&["site-119.example"]));
}

#[test]
fn a_pruning_sync_removes_unwanted_custom_hostnames_but_never_a_subdomain_sites_record() {
    let sb = Sandbox::start();
    let config = config(&sb);
    run(Operation::AddSubdomain, "shop.network.example", &config, WwwRule::Never);
    run(Operation::AddDomain, "old.example", &config, WwwRule::Never);
    sb.clear_requests();
    let options = ops::SyncOptions { www: WwwRule::Never, prune: true, providers: Some(vec!["cloudflare".into()]), ..Default::default() };
    let synced = ops::sync(&["new.example".to_string()], &options, &config).unwrap();

    assert!(synced.ok, "{synced:?}");
    assert_eq!(synced.results[0].plan.add, vec!["new.example"]);
    assert_eq!(synced.results[0].plan.remove, vec!["old.example"]);
    assert_eq!(synced.results[0].counts.protected, 1);
    assert_eq!(hostnames(&sb), vec!["new.example"]);
    assert_eq!(cnames(&sb), vec![("shop.network.example".into(), "network.example".into(), true)]);
}

#[test]
fn a_rate_limit_is_waited_out_when_retry_after_fits_in_the_timeout_and_reported_when_not() {
    let limited = r#"{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],"messages":[],"result":null}"#;

    let sb = Sandbox::start();
    sb.set_fault(Fault::status(429).for_panel(Panel::Cloudflare).with_header("Retry-After", "1").with_body(limited).times(1));
    let started = Instant::now();
    let result = run(Operation::AddDomain, "customer.example", &config(&sb), WwwRule::Never);
    assert!(result.ok, "{result:?}");
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");

    let sb = Sandbox::start();
    sb.set_fault(Fault::status(429).for_panel(Panel::Cloudflare).with_header("Retry-After", "300").with_body(limited));
    let mut config = config(&sb);
    config.set("WU_NATIVE_TIMEOUT", "5");
    let started = Instant::now();
    let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Never);
    assert!(started.elapsed() < Duration::from_secs(3), "no wait beyond the timeout: {:?}", started.elapsed());
    let error = result.results[0].error.as_ref().unwrap();
    assert_eq!((error.kind, error.http_status), (ErrorKind::Limit, Some(429)));
    assert!(error.message.contains("300 s"), "{}", error.message);
    assert_eq!(sb.requests_to(Panel::Cloudflare).len(), 1, "not retried early");
}

#[test]
fn test_connection_accepts_user_and_account_tokens_and_a_refused_token_costs_one_request() {
    let verify_user = format!("GET {}", path("user/tokens/verify"));
    let verify_account = format!("GET {}", path(&format!("accounts/{ACCOUNT}/tokens/verify")));
    let zone = format!("GET {}", path(&format!("zones/{ZONE}")));
    let saas = format!("GET {}", path(&format!("zones/{SAAS}")));
    let cases = [
        (USER_TOKEN, true, vec![zone.clone(), verify_user.clone(), saas.clone()]),
        (ACCOUNT_TOKEN, true, vec![zone.clone(), verify_user.clone(), verify_account.clone(), saas.clone()]),
        ("not-a-cloudflare-token", false, vec![zone.clone()]),
    ];
    for (token, ok, want) in cases {
        let sb = Sandbox::start();
        let mut config = config(&sb);
        config.set("WU_CLOUDFLARE_API_KEY", token);
        let result = ops::test_connection("cloudflare", &config).unwrap();
        assert_eq!(result.ok, ok, "{token}: {result:?}");
        if !ok {
            assert_eq!(result.error.as_ref().map(|e| e.kind), Some(ErrorKind::Auth));
            assert!(!result.message.contains(token));
        }
        assert_eq!(sent(&sb), want, "{token}");
    }

    // A disabled token: refused at the first request, and said so.
    let sb = Sandbox::start();
    sb.update_state(|s| s.cloudflare.tokens[0].status = "disabled".into());
    let result = ops::test_connection("cloudflare", &config(&sb)).unwrap();
    assert_eq!(result.error.as_ref().map(|e| e.kind), Some(ErrorKind::Auth));
    assert_eq!(sent(&sb).len(), 1);
}

#[test]
fn an_unknown_zone_is_not_found_naming_the_constant() {
    let sb = Sandbox::start();
    let mut config = config(&sb);
    config.set("WU_CLOUDFLARE_SAAS_ZONE_ID", "0123456789abcdef0123456789abcdef");
    let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Never);
    let error = result.results[0].error.as_ref().unwrap();
    assert_eq!((error.kind, error.provider_code.clone()), (ErrorKind::NotFound, Some(crate::error::ProviderCode::Number(7003))));
    assert!(error.message.contains("WU_CLOUDFLARE_SAAS_ZONE_ID"), "{}", error.message);
}

#[test]
fn without_a_saas_zone_mapped_domains_are_skipped_and_nothing_is_written() {
    let sb = Sandbox::start();
    let mut config = config(&sb);
    config.unset("WU_CLOUDFLARE_SAAS_ZONE_ID");
    let result = run(Operation::AddDomain, "customer.example", &config, WwwRule::Always);
    assert!(result.ok, "{result:?}");
    assert_eq!(actions(&result), vec![("customer.example".into(), Action::Skipped), ("www.customer.example".into(), Action::Skipped)]);
    assert!(writes(&sb).is_empty());
    assert!(!sent(&sb).iter().any(|r| r.contains("custom_hostnames")));
}

#[test]
fn an_id_the_panel_sends_back_is_checked_before_it_goes_into_a_url() {
    let sb = Sandbox::start();
    let config = config(&sb);
    run(Operation::AddDomain, "customer.example", &config, WwwRule::Never);
    sb.update_state(|s| s.cloudflare.zones.get_mut(SAAS).unwrap().custom_hostnames[0].id = "../../user/tokens".into());
    sb.clear_requests();
    let result = run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Never);
    let error = result.results[0].error.as_ref().unwrap();
    assert_eq!(error.kind, ErrorKind::Api);
    assert!(error.message.contains("custom_hostname.id"), "{}", error.message);
    assert!(writes(&sb).is_empty(), "no request with a hostile id");
}

#[test]
fn answers_that_are_not_cloudflares_are_errors_that_say_what_to_check() {
    type Setup = fn(&Sandbox, &mut MapSource);
    let cases: [(&str, Setup, ErrorKind, &str); 5] = [
        ("the sandbox's root instead of /client/v4", |sb, c| c.set("WU_CLOUDFLARE_API_URL", &sb.url()), ErrorKind::Http, "WU_CLOUDFLARE_API_URL"),
        ("a web page with HTTP 200", |sb, _| sb.set_fault(Fault::status(200).for_panel(Panel::Cloudflare).with_body("<!doctype html><title>Login</title>")), ErrorKind::Api, "could not be read"),
        ("JSON of the wrong shape", |sb, _| sb.set_fault(Fault::new(wu_sandbox::FaultMode::WrongShape).for_panel(Panel::Cloudflare)), ErrorKind::Api, "could not be read"),
        ("a redirect", |sb, _| sb.set_fault(Fault::status(301).for_panel(Panel::Cloudflare).with_header("Location", "https://dash.cloudflare.com/login")), ErrorKind::Http, "https://dash.cloudflare.com/login"),
        ("a server error", |sb, _| sb.set_fault(Fault::status(500).for_panel(Panel::Cloudflare)), ErrorKind::Http, "HTTP 500"),
    ];
    for (label, setup, kind, words) in cases {
        let sb = Sandbox::start();
        let mut config = config(&sb);
        setup(&sb, &mut config);
        let result = run(Operation::RemoveDomain, "customer.example", &config, WwwRule::Never);
        let error = result.results[0].error.as_ref().unwrap_or_else(|| panic!("{label}: {result:?}"));
        assert_eq!(error.kind, kind, "{label}: {}", error.message);
        assert!(error.message.contains(words), "{label}: {}", error.message);
        assert!(writes(&sb).is_empty(), "{label}");
    }
}
