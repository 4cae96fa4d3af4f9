//! Panel requests through WordPress's proxy (`WP_PROXY_*`), recorded by the
//! sandbox's forward proxy.

use wu_native_core::ops::{self, Operation, OperationResult, Options};
use wu_native_core::{ErrorKind, MapSource, WwwRule};
use wu_sandbox::proxy::{ForwardProxy, ProxyOptions, ProxyRecord};
use wu_sandbox::tls::generate;
use wu_sandbox::Sandbox;

const PROXY_PASSWORD: &str = "proxy-pa55word-secret";

fn hestia(url: &str) -> MapSource {
    MapSource::new([
        ("WU_HESTIA_API_URL", url),
        ("WU_HESTIA_API_USER", "admin"),
        ("WU_HESTIA_API_PASSWORD", "sandbox-admin-password"),
        ("WU_HESTIA_ACCOUNT", "admin"),
        ("WU_HESTIA_WEB_DOMAIN", "network.example"),
    ])
}

fn through(config: &mut MapSource, proxy: &ForwardProxy) {
    config.set("WP_PROXY_HOST", "127.0.0.1");
    config.set("WP_PROXY_PORT", &proxy.addr().port().to_string());
    config.set("WP_PROXY_USERNAME", "proxy-user");
    config.set("WP_PROXY_PASSWORD", PROXY_PASSWORD);
}

fn add(config: &MapSource) -> OperationResult {
    let options = Options { www: WwwRule::Never, ..Options::default() };
    ops::run(Operation::AddDomain, "customer.example", 2, &options, config).unwrap()
}

fn authenticated_proxy() -> ForwardProxy {
    ForwardProxy::start(ProxyOptions { credentials: Some(("proxy-user".into(), PROXY_PASSWORD.into())), log: None }).unwrap()
}

#[test]
fn wordpress_proxy_constants_carry_http_and_https_panel_requests_with_basic_credentials() {
    let pki = generate(&["127.0.0.1"]);
    let https = Sandbox::try_start(wu_sandbox::Options { tls: Some((pki.cert_pem.clone(), pki.key_pem.clone())), ..Default::default() }).unwrap();
    let ca = std::env::temp_dir().join(format!("wu-native-proxy-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let http = Sandbox::start();
    for sandbox in [&http, &https] {
        let proxy = authenticated_proxy();
        let mut config = hestia(&sandbox.url());
        config.set("WU_NATIVE_CA_FILE", ca.to_str().unwrap());
        through(&mut config, &proxy);
        let result = add(&config);
        assert!(result.ok, "{result:?}");
        let records = proxy.records();
        assert!(!records.is_empty());
        let host = sandbox.addr().to_string();
        for record in &records {
            let ProxyRecord { method, target, authorization, authorized } = record;
            assert!(*authorization && *authorized, "{record:?}");
            if sandbox.is_https() {
                assert_eq!((method.as_str(), target.as_str()), ("CONNECT", host.as_str()));
            } else {
                assert_eq!(target, &format!("http://{host}/api/"));
            }
        }
        if !sandbox.is_https() {
            assert_eq!(sandbox.requests().len(), records.len(), "every plain-HTTP request went through the proxy");
        }
        assert!(sandbox.hestia_aliases("admin", "network.example").contains(&"customer.example".to_string()));
    }
}

#[test]
fn hosts_wordpress_does_not_proxy_are_reached_directly() {
    let sandbox = Sandbox::start();
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        ("localhost", None, None),
        ("127.0.0.1", None, Some("127.0.0.1")),
        ("127.0.0.1", Some("panel.example, 127.0.0.*"), None),
        ("127.0.0.1", Some("127.0.0.1"), None),
    ];
    for (host, bypass, site) in cases {
        let proxy = authenticated_proxy();
        let mut config = hestia(&format!("http://{host}:{}", sandbox.addr().port()));
        through(&mut config, &proxy);
        if let Some(bypass) = bypass {
            config.set("WP_PROXY_BYPASS_HOSTS", bypass);
        }
        if let Some(site) = site {
            config.set("siteurl", &format!("https://{site}/"));
        }
        let result = add(&config);
        assert!(result.ok, "{host} {bypass:?} {site:?}: {result:?}");
        assert!(proxy.records().is_empty(), "{host} {bypass:?} {site:?}: {:?}", proxy.records());
    }
}

#[test]
fn a_proxy_refusing_the_credentials_is_an_auth_error_that_never_shows_the_password() {
    let pki = generate(&["127.0.0.1"]);
    let https = Sandbox::try_start(wu_sandbox::Options { tls: Some((pki.cert_pem.clone(), pki.key_pem.clone())), ..Default::default() }).unwrap();
    let http = Sandbox::start();
    for sandbox in [&http, &https] {
        let proxy = ForwardProxy::start(ProxyOptions { credentials: Some(("proxy-user".into(), "another-password".into())), log: None }).unwrap();
        let mut config = hestia(&sandbox.url());
        through(&mut config, &proxy);
        let result = add(&config);
        let error = result.results[0].error.clone().expect("refused");
        assert_eq!(error.kind, ErrorKind::Auth, "{}", error.message);
        assert!(error.message.contains("WP_PROXY_PASSWORD"), "{}", error.message);
        let text = serde_json::to_string(&result).unwrap();
        assert!(!text.contains(PROXY_PASSWORD) && !text.contains("proxy-pa55"), "{text}");
        assert!(sandbox.requests().is_empty());
    }
}

#[test]
fn an_unreachable_proxy_is_a_transport_error_naming_it() {
    let sandbox = Sandbox::start();
    // A panel whose port reads like a status code (407…) must not pass for a proxy's refusal.
    for url in [sandbox.url(), "http://127.0.0.1:40799".to_string()] {
        let mut config = hestia(&url);
        config.set("WP_PROXY_HOST", "127.0.0.1");
        config.set("WP_PROXY_PORT", "1");
        config.set("WP_PROXY_USERNAME", "proxy-user");
        config.set("WP_PROXY_PASSWORD", PROXY_PASSWORD);
        let error = add(&config).results[0].error.clone().unwrap();
        assert_eq!(error.kind, ErrorKind::Transport, "{url}: {}", error.message);
        assert!(error.message.contains("127.0.0.1:1") && error.message.contains("WP_PROXY_HOST"), "{}", error.message);
        assert!(!error.message.contains(PROXY_PASSWORD));
    }
    assert!(sandbox.requests().is_empty());
}

#[test]
fn a_malformed_proxy_port_is_a_config_error_naming_it() {
    let sandbox = Sandbox::start();
    let mut config = hestia(&sandbox.url());
    config.set("WP_PROXY_HOST", "127.0.0.1");
    config.set("WP_PROXY_PORT", "eighty");
    let error = add(&config).results[0].error.clone().unwrap();
    assert_eq!(error.kind, ErrorKind::Config);
    assert!(error.message.contains("WP_PROXY_PORT"), "{}", error.message);
}
