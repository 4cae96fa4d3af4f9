//! Transport behaviour shared by every provider, shown on one panel (Hestia):
//! retries of transient failures only, timeouts, bounded reads, TLS settings
//! reported. What every panel must do with a certificate is in every_panel.rs.

use std::time::{Duration, Instant};

use wu_native_core::ops::{self, Operation, OperationResult, Options};
use wu_native_core::{ErrorKind, MapSource, WwwRule};
use wu_sandbox::{Fault, FaultMode, Panel, Sandbox};

fn hestia(sb: &Sandbox) -> MapSource {
    MapSource::new(sb.constants(Panel::Hestia))
}

fn add(config: &MapSource) -> OperationResult {
    let options = Options { www: WwwRule::Never, ..Options::default() };
    ops::run(Operation::AddDomain, "customer.example", 2, &options, config).unwrap()
}

#[test]
fn transient_answers_are_retried_until_one_succeeds() {
    for status in [502, 503, 504, 429] {
        let sb = Sandbox::start();
        sb.set_fault(Fault::status(status).for_panel(Panel::Hestia).times(2));
        let result = add(&hestia(&sb));
        assert!(result.ok, "{status}: {result:?}");
        // Two refused adds, then the add that worked.
        assert_eq!(sb.requests_to(Panel::Hestia).len(), 3, "{status}");
        assert_eq!(sb.hestia_aliases("admin", "network.example"), vec!["www.network.example", "customer.example"]);
    }
}

#[test]
fn a_panel_that_stays_unavailable_is_tried_three_times_then_reported() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::status(503).for_panel(Panel::Hestia).with_body("maintenance"));
    let result = add(&hestia(&sb));
    let error = result.results[0].error.as_ref().unwrap();
    assert_eq!(error.kind, ErrorKind::Http, "{}", error.message);
    assert_eq!(error.http_status, Some(503));
    assert_eq!(sb.requests_to(Panel::Hestia).len(), 3);
}

#[test]
fn retry_after_is_honoured() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::status(429).for_panel(Panel::Hestia).with_header("Retry-After", "1").times(1));
    let started = Instant::now();
    assert!(add(&hestia(&sb)).ok);
    assert!(started.elapsed() >= Duration::from_millis(950), "waited {:?}", started.elapsed());
}

#[test]
fn answers_that_are_not_transient_are_never_repeated() {
    type Setup = fn(&Sandbox, &mut MapSource);
    let cases: Vec<(&str, Setup)> = vec![
        ("refused login", |_, c| c.set("WU_HESTIA_API_PASSWORD", "wrong")),
        ("server error", |sb, _| sb.set_fault(Fault::status(500).for_panel(Panel::Hestia))),
        ("not found", |sb, _| sb.set_fault(Fault::status(404).for_panel(Panel::Hestia))),
        ("garbage", |sb, _| sb.set_fault(Fault::new(FaultMode::Garbage).for_panel(Panel::Hestia))),
    ];
    for (case, setup) in cases {
        let sb = Sandbox::start();
        let mut config = hestia(&sb);
        setup(&sb, &mut config);
        assert!(!add(&config).ok, "{case}");
        assert_eq!(sb.requests_to(Panel::Hestia).len(), 1, "{case}");
    }
}

#[test]
fn a_connection_reset_is_retried() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::new(FaultMode::Reset).for_panel(Panel::Hestia).times(1));
    let result = add(&hestia(&sb));
    assert!(result.ok, "{result:?}");
    // The reset add, then the add again.
    assert_eq!(sb.requests_to(Panel::Hestia).len(), 2);
}

#[test]
fn a_refused_connection_is_tried_three_times_within_a_second_and_a_half() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let sb = Sandbox::start();
    let mut config = hestia(&sb);
    config.set("WU_HESTIA_API_URL", &format!("http://127.0.0.1:{port}"));
    let started = Instant::now();
    let error = add(&config).results[0].error.clone().unwrap();
    assert_eq!(error.kind, ErrorKind::Transport);
    assert!(error.message.contains(&format!("127.0.0.1:{port}")), "{}", error.message);
    // Backoff 200 ms + 400 ms between three attempts.
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(550) && took < Duration::from_millis(1500), "took {took:?}");
}

#[test]
fn an_oversized_answer_is_refused_as_an_api_error() {
    let sb = Sandbox::start();
    sb.set_fault(Fault::new(FaultMode::Oversize).for_panel(Panel::Hestia).with_size(9 << 20));
    let error = add(&hestia(&sb)).results[0].error.clone().unwrap();
    assert_eq!(error.kind, ErrorKind::Api, "{}", error.message);
    assert!(error.message.contains("MiB"), "{}", error.message);
}

#[test]
fn skipping_certificate_checks_is_reported_as_a_warning_in_every_result() {
    let sb = Sandbox::start();
    let mut config = hestia(&sb);
    config.set("WU_NATIVE_SSL_VERIFY", "false");
    let result = add(&config);
    assert!(result.ok);
    assert!(result.results[0].warnings.iter().any(|w| w.contains("WU_NATIVE_SSL_VERIFY")), "{result:?}");
    let test = ops::test_connection("hestia", &config).unwrap();
    assert!(test.warnings.iter().any(|w| w.contains("WU_NATIVE_SSL_VERIFY")));

    let verified = add(&hestia(&sb));
    assert!(verified.results[0].warnings.is_empty());
}

#[test]
fn an_unreadable_ca_file_is_a_config_error_naming_the_constant() {
    let sb = Sandbox::start();
    let dir = std::env::temp_dir().join(format!("wu-native-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_pem = dir.join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    for path in [dir.join("missing.pem"), not_pem] {
        let mut config = hestia(&sb);
        config.set("WU_NATIVE_CA_FILE", path.to_str().unwrap());
        let error = add(&config).results[0].error.clone().unwrap();
        assert_eq!(error.kind, ErrorKind::Config, "{}", error.message);
        assert!(error.message.contains("WU_NATIVE_CA_FILE"), "{}", error.message);
    }
    assert!(sb.requests().is_empty());
}

#[test]
fn the_shared_client_keeps_one_connection_alive_across_calls() {
    let sb = Sandbox::start();
    let config = hestia(&sb);
    for name in ["a.example", "b.example", "c.example"] {
        let options = Options { www: WwwRule::Always, ..Options::default() };
        assert!(ops::run(Operation::AddDomain, name, 2, &options, &config).unwrap().ok);
    }
    let requests = sb.requests_to(Panel::Hestia);
    assert_eq!(requests.len(), 3, "one add per mapping");
    let first = requests[0].connection;
    assert!(requests.iter().all(|r| r.connection == first), "{:?}", requests.iter().map(|r| r.connection).collect::<Vec<_>>());
}

#[test]
fn a_credential_a_header_repeats_is_masked_in_the_answer_and_in_the_message() {
    use wu_native_core::http::{self, Auth, HttpSettings, Method, Request};
    use wu_native_core::secret::Secret;
    let sb = Sandbox::start();
    let config = MapSource::new(sb.constants(Panel::Enhance));
    let token = config.0["WU_ENHANCE_API_TOKEN"].clone();
    for location in [format!("https://login.example/?token={token}"), format!("https://login.example/?t={}", token.replace('-', "%2D"))] {
        sb.set_fault(Fault::status(302).with_header("Location", &location).with_header("X-Other", "plain").for_panel(Panel::Enhance));
        // As the shared client hands it to a provider.
        let mut request = Request::new(Method::Get, format!("{}/api/servers", sb.url()).parse().unwrap());
        request.auth = Auth::Bearer(Secret::new(token.clone()));
        let response = http::send(&request, &HttpSettings::with_timeout(Duration::from_secs(5))).unwrap();
        let shown = response.header("location").unwrap_or_default();
        assert!(shown.starts_with("https://login.example/?t") && shown.ends_with("=***"), "{location} reads {shown}");
        assert_eq!(response.header("x-other"), Some("plain"), "a header without the secret is left as it is");
        // And as the provider words it.
        let error = ops::test_connection("enhance", &config).unwrap().error.expect("a redirect is an error");
        assert!(error.message.contains("redirected") && error.message.contains("login.example/?t"), "{}", error.message);
        assert!(!error.message.contains(&token), "{}", error.message);
        sb.clear_fault();
    }
}
