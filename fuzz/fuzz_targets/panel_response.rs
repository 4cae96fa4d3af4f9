//! Panels' answers: one sandbox per fuzz process whose every answer to the
//! fuzzed panel is the fuzz input, and a check that whatever it says ends as
//! a result, never a panic, nor a message that is long, unprintable or shows
//! a secret. Every panel the sandbox emulates is fuzzed, each with its
//! sandbox constants and fuzz secrets in its secret settings.
//!
//! Input: `<panel id>\0`, then a byte picking the status (and whether every
//! secret setting is set, alternatives included), a byte picking the call
//! and extras, then the body. With extra 0x10 the body's first line is a
//! header of the answer (`Hestia-Exit-Code: 3`).
#![no_main]

use std::sync::OnceLock;

use wu_native_core::ops::{self, Operation, Options};
use wu_native_core::{providers, MapSource, WwwRule};
use wu_sandbox::{Fault, Panel, Sandbox};

static SANDBOX: OnceLock<Sandbox> = OnceLock::new();

/// Statuses the client does not retry (a retried one costs a back-off per run).
const STATUSES: [u16; 12] = [200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 422, 500];

/// The panel an input names; a name the fuzzer mutated still picks one.
fn panel_of(name: &[u8]) -> Panel {
    let panels = Sandbox::panels();
    let named = std::str::from_utf8(name).ok().and_then(Panel::find);
    named.unwrap_or_else(|| panels[name.iter().map(|b| *b as usize).sum::<usize>() % panels.len()])
}

/// The sandbox constants of `panel` with a fuzz value in its secret settings
/// (every one of them when `all_secrets`), and those values: what the panel
/// receives, so could echo.
fn constants(sandbox: &Sandbox, panel: Panel, all_secrets: bool) -> (MapSource, Vec<String>) {
    let mut config = MapSource::new(sandbox.constants(panel));
    config.set("WU_NATIVE_TIMEOUT", "5");
    let spec = providers::find(panel.name()).expect("every emulated panel is registered");
    let mut secrets = Vec::new();
    for (i, setting) in spec.settings.iter().filter(|s| s.secret).enumerate() {
        if all_secrets || config.0.contains_key(setting.name) {
            // A KEY:SECRET pair, as some panels' keys are; any secret takes it.
            let secret = format!("FUZZACCESSKEY00000{i:02}:fuzz-secret-{i}-7Qx4Kd9Zw00000000000000");
            config.set(setting.name, &secret);
            secrets.push(secret);
        }
    }
    (config, secrets)
}

/// Whatever the panel said (even echoing its secret), the message is short, printable and secret-free.
fn check_message(message: &str, secrets: &[String]) {
    assert!(message.chars().count() < 4000, "message of {} characters", message.chars().count());
    assert!(!message.chars().any(char::is_control), "control character in {message:?}");
    for secret in secrets {
        for piece in std::iter::once(secret.as_str()).chain(secret.split(':')) {
            assert!(!message.contains(piece), "secret in {message:?}");
        }
    }
}

fn run(data: &[u8]) {
    let Some(split) = data.iter().position(|b| *b == 0) else { return };
    let (name, rest) = (&data[..split], &data[split + 1..]);
    let [status, choice, body @ ..] = rest else { return };
    let panel = panel_of(name);
    let sandbox = SANDBOX.get_or_init(Sandbox::start);
    sandbox.clear_requests();
    let body = String::from_utf8_lossy(body);
    let (header, body) = match body.split_once('\n') {
        Some((line, rest)) if choice & 0x10 != 0 => (line.split_once(':'), rest),
        _ => (None, &*body),
    };
    let mut fault = Fault::status(STATUSES[*status as usize % STATUSES.len()]).for_panel(panel).with_body(body);
    if choice & 0x08 != 0 {
        fault = fault.with_header("Content-Type", "application/json");
    }
    if let Some((name, value)) = header {
        fault = fault.with_header(name.trim(), value.trim());
    }
    sandbox.set_fault(fault);
    let (config, secrets) = constants(sandbox, panel, status & 0x80 != 0);
    let id = panel.name();
    let options = Options {
        providers: Some(vec![id.to_string()]),
        www: if choice & 0x04 != 0 { WwwRule::Always } else { WwwRule::Never },
        ..Options::default()
    };
    match choice & 0x03 {
        0 => {
            let result = ops::test_connection(id, &config).expect("configured");
            assert_eq!(result.ok, result.error.is_none());
            check_message(&result.message, &secrets);
        }
        op => {
            let operation = if op == 1 { Operation::AddDomain } else if op == 2 { Operation::RemoveDomain } else { Operation::AddSubdomain };
            let result = ops::run(operation, "customer.example", 2, &options, &config).expect("valid name and provider");
            assert_eq!(result.results.len(), 1);
            let outcome = &result.results[0];
            assert_eq!(outcome.ok, outcome.error.is_none());
            for change in &outcome.changes {
                assert!(change.name == "customer.example" || change.name == "www.customer.example", "unasked name {}", change.name);
            }
            if let Some(error) = &outcome.error {
                check_message(&error.message, &secrets);
            }
        }
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| run(data));
