//! Behaviour every panel must have, written once and run for every
//! registered panel against its sandbox emulator: a panel added to the
//! registry is covered here without a line of its own.

use wu_native_core::ops::{self, Operation, OperationResult, Options, SyncOptions};
use wu_native_core::providers::{self, Action};
use wu_native_core::{MapSource, WwwRule};
use wu_sandbox::{Panel, Sandbox};

fn panels() -> Vec<Panel> {
    let panels = Sandbox::panels();
    let registered: Vec<&str> = providers::REGISTRY.iter().map(|s| s.id).collect();
    assert_eq!(panels.iter().map(|p| p.name()).collect::<Vec<_>>(), registered, "the sandbox emulates every registered panel");
    panels
}

/// The constants of every panel at once, as a network serving them all has.
fn every_panel_config(sb: &Sandbox) -> MapSource {
    MapSource::new(panels().into_iter().flat_map(|p| sb.constants(p)))
}

/// A secret setting of `panel` that its sandbox constants set.
fn secret_of(panel: Panel, config: &MapSource) -> &'static str {
    let spec = providers::find(panel.name()).expect("registered");
    spec.settings
        .iter()
        .find(|s| s.secret && config.0.contains_key(s.name))
        .unwrap_or_else(|| panic!("{}: the sandbox constants set a secret", panel.name()))
        .name
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("site-{i:04}.example")).collect()
}

fn run(panel: Panel, config: &MapSource, operation: Operation) -> OperationResult {
    let options = Options { providers: Some(vec![panel.name().to_string()]), www: WwwRule::Always, ..Options::default() };
    ops::run(operation, "customer.example", 2, &options, config).expect("a valid call")
}

fn actions(result: &OperationResult) -> Vec<(String, Action)> {
    result.results[0].changes.iter().map(|c| (c.name.clone(), c.action)).collect()
}

#[test]
fn repeating_an_add_or_a_remove_changes_nothing_more_on_any_panel() {
    for panel in panels() {
        let sb = Sandbox::start();
        let config = MapSource::new(sb.constants(panel));
        let both = |action| vec![("customer.example".to_string(), action), ("www.customer.example".to_string(), action)];
        let steps = [
            (Operation::AddDomain, Action::Added),
            (Operation::AddDomain, Action::AlreadyPresent),
            (Operation::RemoveDomain, Action::Removed),
            (Operation::RemoveDomain, Action::AlreadyAbsent),
        ];
        for (operation, want) in steps {
            let result = run(panel, &config, operation);
            assert!(result.ok, "{}: {operation:?}: {:?}", panel.name(), result.results[0].error);
            assert_eq!(actions(&result), both(want), "{}: {operation:?}", panel.name());
        }
    }
}

#[test]
fn a_wrong_secret_is_an_auth_error_that_never_shows_it_on_any_panel() {
    const WRONG: &str = "wrong-secret-value-7Hq2";
    for panel in panels() {
        let sb = Sandbox::start();
        let mut config = MapSource::new(sb.constants(panel));
        config.set(secret_of(panel, &config), WRONG);
        for result in [
            serde_json::to_value(run(panel, &config, Operation::AddDomain).results[0].error.clone()).unwrap(),
            serde_json::to_value(ops::test_connection(panel.name(), &config).expect("configured").error).unwrap(),
        ] {
            assert_eq!(result["kind"], "auth", "{}: {result}", panel.name());
            assert!(!result.to_string().contains(WRONG), "{}: {result}", panel.name());
        }
        assert!(!sb.requests_to(panel).is_empty(), "{}: the panel was asked", panel.name());
    }
}

#[test]
fn every_panel_is_emulated_and_its_sandbox_constants_connect() {
    let sb = Sandbox::start();
    for panel in panels() {
        let result = ops::test_connection(panel.name(), &MapSource::new(sb.constants(panel))).expect("configured");
        assert!(result.ok, "{}: {:?}", panel.name(), result.error);
    }
}

#[test]
fn a_dry_run_plans_for_every_panel_and_changes_nothing() {
    let sb = Sandbox::start();
    let before = sb.state();
    let options = SyncOptions { dry_run: true, prune: true, www: WwwRule::Always, ..SyncOptions::default() };
    let result = ops::sync(&names(3), &options, &every_panel_config(&sb)).expect("valid call");
    assert!(result.ok && result.dry_run, "{result:?}");
    assert_eq!(result.results.len(), panels().len());
    for provider in &result.results {
        assert_eq!(provider.counts.to_add, 6, "{}: three names and their www.", provider.provider);
        assert!(provider.plan.add.contains(&"site-0000.example".to_string()), "{}", provider.provider);
        assert!(provider.changes.is_empty(), "{}", provider.provider);
    }
    assert_eq!(sb.state(), before, "a dry run writes nothing");
}

#[test]
fn one_panel_refusing_does_not_stop_the_others() {
    for failing in panels() {
        let sb = Sandbox::start();
        let mut config = every_panel_config(&sb);
        config.set(secret_of(failing, &config), "expired-secret");
        let options = SyncOptions { www: WwwRule::Never, ..SyncOptions::default() };
        let result = ops::sync(&names(5), &options, &config).expect("valid call");
        assert!(!result.ok);
        for (provider, panel) in result.results.iter().zip(panels()) {
            assert_eq!(provider.provider, panel.name());
            let served = sb.served(panel);
            if panel == failing {
                assert_eq!(provider.error.as_ref().map(|e| e.kind), Some(wu_native_core::ErrorKind::Auth), "{}", panel.name());
                assert!(!served.contains(&"site-0000.example".to_string()), "{}: {served:?}", panel.name());
            } else {
                assert!(provider.ok, "{} with {} failing: {:?}", panel.name(), failing.name(), provider.error);
                for name in names(5) {
                    assert!(served.contains(&name), "{}: {name} in {served:?}", panel.name());
                }
            }
        }
    }
}

/// Every secret setting of `panel` that `config` sets, with its value.
fn secrets_in(panel: Panel, config: &MapSource) -> Vec<(&'static str, String)> {
    let spec = providers::find(panel.name()).expect("registered");
    spec.settings.iter().filter(|s| s.secret).filter_map(|s| Some((s.name, config.0.get(s.name)?.clone()))).collect()
}

/// Asserts that no secret value shows in `text`.
fn assert_no_secret(panel: Panel, config: &MapSource, text: &str, case: &str) {
    for (name, value) in secrets_in(panel, config) {
        assert!(!text.contains(&value), "{}, {case}: {name} shows in {text}", panel.name());
    }
}

/// The three calls every panel answers, as JSON results: an add of a new
/// name, a remove of a name it serves, a connection test.
fn every_call(panel: Panel, config: &MapSource, served: &str) -> Vec<(&'static str, serde_json::Value)> {
    let options = Options { providers: Some(vec![panel.name().to_string()]), www: WwwRule::Never, ..Options::default() };
    let change = |operation, name| {
        let result = ops::run(operation, name, 2, &options, config).expect("a valid call");
        serde_json::to_value(&result.results[0]).unwrap()
    };
    vec![
        ("add", change(Operation::AddDomain, "fresh.example")),
        ("remove", change(Operation::RemoveDomain, served)),
        ("test", serde_json::to_value(ops::test_connection(panel.name(), config).expect("configured")).unwrap()),
    ]
}

mod sync {
    use super::*;
    use wu_sandbox::Fault;

    fn never() -> SyncOptions {
        SyncOptions { www: WwwRule::Never, ..SyncOptions::default() }
    }

    #[test]
    fn a_second_sync_finds_nothing_to_do_and_writes_nothing_on_any_panel() {
        for panel in panels() {
            let sb = Sandbox::start();
            let config = MapSource::new(sb.constants(panel));
            assert!(ops::sync(&names(50), &never(), &config).unwrap().ok, "{}", panel.name());
            let state = sb.state();
            let again = ops::sync(&names(50), &never(), &config).unwrap();
            assert!(again.ok, "{}: {:?}", panel.name(), again.results[0].error);
            assert_eq!(again.results[0].counts.to_add, 0, "{}", panel.name());
            assert!(again.results[0].changes.is_empty(), "{}", panel.name());
            assert_eq!(sb.state(), state, "{}: nothing written", panel.name());
        }
    }

    #[test]
    fn invalid_names_are_reported_as_data_while_every_valid_name_is_synced_on_any_panel() {
        let mut domains = names(3);
        domains.insert(1, "bad,name.example".into());
        domains.push("*.wild.example".into());
        domains.push("bad,name.example".into());
        domains.push(format!("ctl\u{1}{}.example", "a".repeat(90)));
        for panel in panels() {
            let sb = Sandbox::start();
            let result = ops::sync(&domains, &never(), &MapSource::new(sb.constants(panel))).unwrap();
            let invalid: Vec<(&str, &str)> = result.invalid.iter().map(|i| (i.name.as_str(), i.reason.as_str())).collect();
            assert_eq!(invalid.len(), 3, "{}: each bad entry once, in order: {invalid:?}", panel.name());
            assert_eq!(invalid[0].0, "bad,name.example");
            assert!(invalid[0].1.contains("comma"), "{}", invalid[0].1);
            assert_eq!(invalid[1].0, "*.wild.example");
            assert!(invalid[2].0.starts_with("ctl\\u{1}a") && invalid[2].0.ends_with('…'), "shown escaped and cut: {}", invalid[2].0);
            assert!(result.ok, "{}: invalid entries do not fail the panels: {:?}", panel.name(), result.results[0]);
            assert_eq!(result.wanted, 3);
            let served = sb.served(panel);
            for name in names(3) {
                assert!(served.contains(&name), "{}: {name} synced: {served:?}", panel.name());
            }
            assert!(!served.iter().any(|a| a.contains(',') || a.contains('*')), "{}: {served:?}", panel.name());
        }
    }

    #[test]
    fn a_transient_failure_in_the_middle_of_a_job_is_retried_on_any_panel() {
        for panel in panels() {
            let sb = Sandbox::start();
            sb.set_fault(Fault::status(503).with_header("Retry-After", "0").for_panel(panel).after(1).times(1));
            let result = ops::sync(&names(150), &never(), &MapSource::new(sb.constants(panel))).unwrap();
            assert!(result.ok, "{}: {:?}", panel.name(), result.results[0]);
            let served = sb.served(panel);
            assert!(names(150).iter().all(|n| served.contains(n)), "{}: {served:?}", panel.name());
            assert!(sb.requests_to(panel).iter().any(|r| r.status == 503), "{}: the fault was met", panel.name());
        }
    }
}

mod refusals {
    use super::*;
    use wu_native_core::ErrorKind;
    use wu_sandbox::{Fault, FaultMode};

    /// A generic misbehaviour and what every panel makes of it.
    struct Refusal {
        case: &'static str,
        fault: Fault,
        /// The error kinds a panel may report when its first request gets it.
        kinds: &'static [ErrorKind],
        /// The panel handled the request before misbehaving, so it may have changed.
        handled: bool,
        /// The answer is a 200: a panel may take it at its word when it answers a write.
        success: bool,
    }

    fn refusals() -> Vec<Refusal> {
        use ErrorKind::*;
        let refusal = |case, fault, kinds| Refusal { case, fault, kinds, handled: false, success: false };
        let success = |case, fault, kinds| Refusal { case, fault, kinds, handled: false, success: true };
        // Retry-After: 0 keeps the retried statuses fast; retries themselves are reliability.rs's.
        let transient = |status| Fault::status(status).with_header("Retry-After", "0");
        vec![
            refusal("HTTP 500", Fault::status(500), &[Http]),
            refusal("HTTP 502", transient(502), &[Http]),
            refusal("HTTP 503", transient(503), &[Http]),
            refusal("HTTP 429", transient(429), &[Http, Api, Limit]),
            // Without the panel's own words, a refusal may also be a stray server's (a
            // proxy, the wrong port), and a 404 a missing target or a URL that is not the API.
            refusal("HTTP 401", Fault::status(401), &[Auth, Http]),
            refusal("HTTP 403", Fault::status(403), &[Auth, Http]),
            refusal("HTTP 404", Fault::status(404), &[NotFound, Http]),
            success("garbage", Fault::new(FaultMode::Garbage), &[Api]),
            success("JSON of the wrong shape", Fault::new(FaultMode::WrongShape), &[Api]),
            Refusal { handled: true, ..success("half of the real answer", Fault::new(FaultMode::Truncated), &[Api]) },
            success("nine megabytes", Fault::new(FaultMode::Oversize).with_size(9 << 20), &[Api]),
            refusal("a closed connection", Fault::new(FaultMode::Reset), &[Transport]),
            refusal("no answer in time", Fault::new(FaultMode::Stall).with_delay_ms(3000), &[Timeout]),
        ]
    }

    #[test]
    fn every_refusal_is_an_error_of_its_kind_that_shows_no_secret_and_changes_nothing_on_any_panel() {
        // A closed connection costs its retries' pauses: the panels run side by side.
        std::thread::scope(|scope| {
            for panel in panels() {
                scope.spawn(move || refusals_of(panel));
            }
        });
    }

    fn refusals_of(panel: Panel) {
        let sb = Sandbox::start();
        let mut config = MapSource::new(sb.constants(panel));
        config.set("WU_NATIVE_TIMEOUT", "0.25");
        let served = sb.served(panel).last().cloned().expect("the seeded target serves a name");
        for refusal in refusals() {
            // From a call's first request (every call), then from its second, once the
            // panel was read (the changes: their writes).
            for (when, fault) in [("first", refusal.fault.clone()), ("write", refusal.fault.clone().after(1))] {
                let case = format!("{}, {} on the {when} request", panel.name(), refusal.case);
                let before = sb.served(panel);
                sb.set_fault(fault.for_panel(panel));
                let calls = every_call(panel, &config, &served);
                sb.clear_fault();
                let calls: Vec<_> = calls.into_iter().filter(|(call, _)| when == "first" || *call != "test").collect();
                // From the second request on, a call a panel makes in one request
                // (Hestia's and Enhance's adds) is over before the fault: it may
                // succeed, and change the panel, but some call meets the fault.
                let all_refused = calls.iter().all(|(_, result)| result["ok"] == false);
                if when == "write" {
                    assert!(calls.iter().any(|(_, result)| result["ok"] == false) || refusal.success, "{case}: no call met the fault");
                }
                for (call, result) in calls {
                    assert_no_secret(panel, &config, &result.to_string(), &format!("{case}, {call}"));
                    if when == "write" && result["ok"] == true {
                        continue;
                    }
                    assert_eq!(result["ok"], false, "{case}, {call}: {result}");
                    let kind = &result["error"]["kind"];
                    if when == "first" {
                        assert!(refusal.kinds.iter().any(|k| serde_json::to_value(k).unwrap() == *kind), "{case}, {call}: {:?}: {result}", refusal.kinds);
                    }
                }
                if !refusal.handled && all_refused {
                    assert_eq!(sb.served(panel), before, "{case}: the panel changed");
                }
                assert!(ops::test_connection(panel.name(), &config).unwrap().ok, "{case}: the next call works");
                sb.reset();
            }
        }
    }
}

mod hostile {
    use super::*;
    use base64::Engine;
    use wu_sandbox::echo::EchoEncoding;
    use wu_sandbox::Fault;

    /// A secret made of characters every encoder escapes (`/`, `+`, `&`,
    /// quotes, `<`, `%`, `=` …), so each encoding writes it differently.
    fn hostile_secret(i: usize) -> String {
        format!("Sx/9+Qk&7=W\"Lm'<Hu>%2F~#?;{i}Zr4Hm7Qc2")
    }

    /// Answers that repeat the request: as text (a proxy's page, a panel's
    /// error), and inside a JSON error body.
    const ANSWERS: [(u16, &str); 3] =
        [(200, "upstream refused: {request}"), (500, "Error: {request}"), (400, "{\"error\":{\"message\":\"{request_json}\"}}")];

    /// What `text` reads as once escapes are undone, up to three levels deep
    /// in any order: percent (`+` as a space or not), JSON string escapes,
    /// HTML references, and base64 (every run of twelve or more of its characters).
    fn unveiled(text: &str) -> Vec<String> {
        let decoders: [fn(&str) -> String; 5] = [
            |t| percent_encoding::percent_decode_str(&t.replace('+', " ")).decode_utf8_lossy().into_owned(),
            |t| percent_encoding::percent_decode_str(t).decode_utf8_lossy().into_owned(),
            json_unescaped,
            html_unescaped,
            base64_runs_decoded,
        ];
        let mut seen = vec![text.to_string()];
        let mut layer = vec![text.to_string()];
        for _ in 0..3 {
            let mut next = Vec::new();
            for t in &layer {
                for decode in decoders {
                    let u = decode(t);
                    if !seen.contains(&u) {
                        seen.push(u.clone());
                        next.push(u);
                    }
                }
            }
            layer = next;
        }
        seen
    }

    fn json_unescaped(text: &str) -> String {
        let mut out = String::new();
        let mut units: Vec<u16> = Vec::new();
        let mut chars = text.chars().peekable();
        let flush = |units: &mut Vec<u16>, out: &mut String| {
            out.extend(char::decode_utf16(units.drain(..)).map(|c| c.unwrap_or('\u{fffd}')));
        };
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.peek().copied() {
                    Some('u') => {
                        chars.next();
                        let hex: String = chars.clone().take(4).collect();
                        if let Ok(unit) = u16::from_str_radix(&hex, 16).map_err(|_| ()).and_then(|u| if hex.len() == 4 { Ok(u) } else { Err(()) }) {
                            chars.nth(3);
                            units.push(unit);
                            continue;
                        }
                        flush(&mut units, &mut out);
                        out.push_str("\\u");
                        continue;
                    }
                    Some(e @ ('\\' | '/' | '"' | 'b' | 'f' | 'n' | 'r' | 't')) => {
                        chars.next();
                        flush(&mut units, &mut out);
                        out.push(match e {
                            'b' => '\u{8}',
                            'f' => '\u{c}',
                            'n' => '\n',
                            'r' => '\r',
                            't' => '\t',
                            other => other,
                        });
                        continue;
                    }
                    _ => {}
                }
            }
            flush(&mut units, &mut out);
            out.push(c);
        }
        flush(&mut units, &mut out);
        out
    }

    fn html_unescaped(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let entity = rest.find(';').filter(|&end| end <= 10).map(|end| &rest[1..end]);
            let decoded = entity.and_then(|e| match e {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => e
                    .strip_prefix("#x")
                    .or_else(|| e.strip_prefix("#X"))
                    .map(|h| u32::from_str_radix(h, 16))
                    .or_else(|| e.strip_prefix('#').map(|d| d.parse::<u32>()))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            });
            match (entity, decoded) {
                (Some(e), Some(c)) => {
                    out.push(c);
                    rest = &rest[e.len() + 2..];
                }
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn base64_runs_decoded(text: &str) -> String {
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
                .with_decode_allow_trailing_bits(true),
        );
        let is_b64 = |c: char| c.is_ascii_alphanumeric() || "+/_-".contains(c);
        let mut out = String::new();
        let mut run = String::new();
        let decode_run = |run: &mut String, out: &mut String| {
            if run.len() >= 12 {
                let standard: String = run.chars().map(|c| match c {
                    '-' => '+',
                    '_' => '/',
                    c => c,
                }).collect();
                let whole = &standard[..standard.len() / 4 * 4];
                match engine.decode(whole) {
                    Ok(bytes) => out.push_str(&String::from_utf8_lossy(&bytes)),
                    Err(_) => out.push_str(run),
                }
            } else {
                out.push_str(run);
            }
            run.clear();
        };
        for c in text.chars() {
            if is_b64(c) {
                run.push(c);
            } else {
                decode_run(&mut run, &mut out);
                if c != '=' {
                    out.push(c);
                }
            }
        }
        decode_run(&mut run, &mut out);
        out
    }

    /// The secret whole, by the halves of a `KEY:SECRET` pair, or any ten characters of it.
    fn needles(secret: &str) -> Vec<String> {
        let mut needles: Vec<String> = std::iter::once(secret).chain(secret.split(':')).map(str::to_string).collect();
        let chars: Vec<char> = secret.chars().collect();
        needles.extend(chars.windows(10).map(|w| w.iter().collect()));
        needles
    }

    #[test]
    fn a_panel_repeating_the_request_in_any_encoding_never_shows_a_form_of_its_secret() {
        std::thread::scope(|scope| {
            for panel in panels() {
                scope.spawn(move || echoes_of(panel));
            }
        });
    }

    fn echoes_of(panel: Panel) {
        let sb = Sandbox::start();
        let mut config = MapSource::new(sb.constants(panel));
        for (i, (name, _)) in secrets_in(panel, &config).into_iter().enumerate() {
            config.set(name, &hostile_secret(i));
        }
        let secrets = secrets_in(panel, &config);
        assert!(!secrets.is_empty(), "{}: the sandbox constants set a secret", panel.name());
        let served = sb.served(panel).last().cloned().expect("the seeded target serves a name");
        let mut masked = 0;
        for (status, body) in ANSWERS {
            for encoding in EchoEncoding::ALL {
                sb.clear_requests();
                sb.set_fault(Fault { status: Some(status), body: Some(body.to_string()), ..Fault::echo(encoding) }.for_panel(panel));
                for (call, result) in every_call(panel, &config, &served) {
                    let case = format!("{encoding:?} {status}, {call}");
                    assert_eq!(result["ok"], false, "{}, {case}: {result}", panel.name());
                    let text = result.to_string();
                    masked += usize::from(text.contains("***"));
                    for form in unveiled(&text) {
                        for (name, secret) in &secrets {
                            for needle in needles(secret) {
                                assert!(!form.contains(&needle), "{}, {case}: {name} shows as {needle:?} in {form}", panel.name());
                            }
                        }
                    }
                }
                assert!(!sb.requests_to(panel).is_empty(), "{}: the panel was asked", panel.name());
                sb.clear_fault();
            }
        }
        // A panel may word some answers without quoting them; most must show where a secret was masked.
        assert!(masked * 2 > ANSWERS.len() * EchoEncoding::ALL.len() * 3, "{}: {masked} messages quoted the echo", panel.name());
    }
}

mod tls {
    use super::*;
    use wu_native_core::ErrorKind;
    use wu_sandbox::tls::{generate, generate_self_signed, TestPki};

    fn https_sandbox(pki: &TestPki) -> Sandbox {
        let options = wu_sandbox::Options { tls: Some((pki.cert_pem.clone(), pki.key_pem.clone())), ..wu_sandbox::Options::default() };
        Sandbox::try_start(options).expect("an HTTPS sandbox")
    }

    fn pem_file(name: &str, pem: &str) -> String {
        let path = std::env::temp_dir().join(format!("wu-native-every-panel-{}-{name}.pem", std::process::id()));
        std::fs::write(&path, pem).expect("the temp dir is writable");
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn every_panel_is_reached_over_https_with_its_ca_in_the_ca_file_setting_and_refused_with_another() {
        let pki = generate(&["127.0.0.1", "localhost"]);
        let sb = https_sandbox(&pki);
        let trusted = pem_file("trusted", &pki.ca_pem);
        let other = pem_file("other", &generate(&["127.0.0.1"]).ca_pem);
        for panel in panels() {
            let mut config = MapSource::new(sb.constants(panel));
            assert!(config.0.values().any(|v| v.starts_with("https://127.0.0.1:")), "{}: the constants point at the HTTPS sandbox", panel.name());
            config.set("WU_NATIVE_CA_FILE", &trusted);
            let result = ops::test_connection(panel.name(), &config).expect("configured");
            assert!(result.ok && result.warnings.is_empty(), "{}: {result:?}", panel.name());
            assert!(run(panel, &config, Operation::AddDomain).ok, "{}", panel.name());
            assert!(sb.served(panel).contains(&"customer.example".to_string()), "{}", panel.name());

            sb.clear_requests();
            config.set("WU_NATIVE_CA_FILE", &other);
            for error in [
                ops::test_connection(panel.name(), &config).expect("configured").error,
                run(panel, &config, Operation::RemoveDomain).results[0].error.clone(),
            ] {
                let error = error.unwrap_or_else(|| panic!("{}: a certificate of another CA is refused", panel.name()));
                assert_eq!(error.kind, ErrorKind::Tls, "{}: {}", panel.name(), error.message);
                assert!(error.message.contains("WU_NATIVE_CA_FILE"), "{}: {}", panel.name(), error.message);
            }
            assert!(sb.requests_to(panel).is_empty(), "{}: no request got through the handshake", panel.name());
        }
        for file in [trusted, other] {
            let _ = std::fs::remove_file(file);
        }
    }

    /// Sets a file's modification time (its change time moves to now).
    fn set_modified(path: &str, when: std::time::SystemTime) {
        std::fs::File::options().write(true).open(path).and_then(|f| f.set_modified(when)).expect("the temp file can be touched");
    }

    #[test]
    fn a_ca_file_rewritten_or_removed_counts_at_the_next_call() {
        let pki = generate(&["127.0.0.1", "localhost"]);
        let sb = https_sandbox(&pki);
        // Two CA files of one size (text after a PEM block is ignored).
        let (mut ours, mut other) = (pki.ca_pem.clone(), generate(&["127.0.0.1"]).ca_pem);
        let size = ours.len().max(other.len());
        for pem in [&mut ours, &mut other] {
            pem.push_str(&"\n".repeat(size - pem.len()));
        }
        let panel = panels()[0];
        let path = pem_file("rewritten", &ours);
        let mut config = MapSource::new(sb.constants(panel));
        config.set("WU_NATIVE_CA_FILE", &path);
        let outcome = |config: &MapSource| ops::test_connection(panel.name(), config).expect("configured");
        assert!(outcome(&config).ok, "{:?}", outcome(&config));

        // Rewritten right after a call, in the clock tick that stamped it: read again.
        std::fs::write(&path, &other).unwrap();
        assert_eq!(outcome(&config).error.map(|e| e.kind), Some(ErrorKind::Tls), "another CA, written just now, is used at once");

        // Long unchanged, then rewritten in place keeping its size and modification time.
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::write(&path, &ours).unwrap();
        set_modified(&path, old);
        for _ in 0..2 {
            assert!(outcome(&config).ok, "the right CA again");
        }
        std::fs::write(&path, &other).unwrap();
        set_modified(&path, old);
        assert_eq!(outcome(&config).error.map(|e| e.kind), Some(ErrorKind::Tls), "a rewrite that kept size and time is seen");

        // Removed: refused before anything is sent.
        std::fs::remove_file(&path).unwrap();
        sb.clear_requests();
        let error = outcome(&config).error.expect("a missing CA file is an error");
        assert_eq!(error.kind, ErrorKind::Config, "{}", error.message);
        assert!(error.message.contains("WU_NATIVE_CA_FILE"), "{}", error.message);
        assert!(sb.requests().is_empty());
    }

    #[test]
    fn a_certificate_the_system_does_not_trust_is_a_tls_error_pointing_at_the_ca_file_on_every_panel() {
        let sb = https_sandbox(&generate(&["127.0.0.1", "localhost"]));
        for panel in panels() {
            let config = MapSource::new(sb.constants(panel));
            let error = ops::test_connection(panel.name(), &config).expect("configured").error;
            let error = error.unwrap_or_else(|| panic!("{}: an unknown CA is refused", panel.name()));
            assert_eq!(error.kind, ErrorKind::Tls, "{}: {}", panel.name(), error.message);
            assert!(error.message.contains("WU_NATIVE_CA_FILE"), "{}: {}", panel.name(), error.message);
        }
        assert!(sb.requests().is_empty(), "no request got through the handshake");
    }

    #[test]
    fn turning_verification_off_reaches_a_self_signed_panel_with_a_warning_on_every_panel() {
        let sb = https_sandbox(&generate_self_signed(&["127.0.0.1"]));
        for panel in panels() {
            let mut config = MapSource::new(sb.constants(panel));
            config.set("WU_NATIVE_SSL_VERIFY", "false");
            let result = run(panel, &config, Operation::AddDomain);
            assert!(result.ok, "{}: {:?}", panel.name(), result.results[0].error);
            assert!(result.results[0].warnings.iter().any(|w| w.contains("WU_NATIVE_SSL_VERIFY")), "{}: {result:?}", panel.name());
        }
    }
}

mod concurrency {
    use super::*;
    use std::sync::Barrier;
    use wu_sandbox::{Fault, FaultMode};

    const WRITERS: usize = 8;

    /// Runs `operation` for each name in its own thread, all released at once.
    fn at_once(panel: Panel, config: &MapSource, operations: &[(Operation, String)]) -> Vec<OperationResult> {
        let barrier = Barrier::new(operations.len());
        std::thread::scope(|scope| {
            let handles: Vec<_> = operations
                .iter()
                .map(|(operation, name)| {
                    let barrier = &barrier;
                    scope.spawn(move || {
                        let options = Options { providers: Some(vec![panel.name().to_string()]), www: WwwRule::Never, ..Options::default() };
                        barrier.wait();
                        ops::run(*operation, name, 2, &options, config).expect("a valid call")
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("no panic")).collect()
        })
    }

    #[test]
    fn writers_changing_one_panel_target_at_once_lose_no_change_on_any_panel() {
        for panel in panels() {
            let sb = Sandbox::start();
            let config = MapSource::new(sb.constants(panel));
            // Each answer comes late, so the window between a read and its write is wide.
            sb.set_fault(Fault::new(FaultMode::Slow).with_delay_ms(5).for_panel(panel));
            let before = sb.served(panel);
            let names: Vec<String> = (0..WRITERS).map(|i| format!("writer{i}.example")).collect();

            let adds: Vec<_> = names.iter().map(|n| (Operation::AddDomain, n.clone())).collect();
            for (result, name) in at_once(panel, &config, &adds).iter().zip(&names) {
                assert!(result.ok, "{}, add {name}: {:?}", panel.name(), result.results[0].error);
                assert_eq!(actions(result), [(name.clone(), Action::Added)], "{}", panel.name());
            }
            // (A panel may serve a name's www. along with it, as cPanel's addon domains do.)
            let served = sb.served(panel);
            for name in before.iter().chain(&names) {
                assert!(served.contains(name), "{}: every add holds: {name} missing from {served:?}", panel.name());
            }

            // Half remove their name while the other half add theirs again.
            let mixed: Vec<_> = names
                .iter()
                .enumerate()
                .map(|(i, n)| (if i % 2 == 0 { Operation::RemoveDomain } else { Operation::AddDomain }, n.clone()))
                .collect();
            for (result, (operation, name)) in at_once(panel, &config, &mixed).iter().zip(&mixed) {
                let want = if *operation == Operation::RemoveDomain { Action::Removed } else { Action::AlreadyPresent };
                assert_eq!(actions(result), [(name.clone(), want)], "{}: {:?}", panel.name(), result.results[0].error);
            }
            let served = sb.served(panel);
            for (i, name) in names.iter().enumerate() {
                let www = format!("www.{name}");
                let present = served.contains(name) || served.contains(&www);
                assert_eq!(present, i % 2 == 1, "{}: every remove and every add holds: {name} in {served:?}", panel.name());
            }
            for name in &before {
                assert!(served.contains(name), "{}: {name} kept", panel.name());
            }
        }
    }
}
