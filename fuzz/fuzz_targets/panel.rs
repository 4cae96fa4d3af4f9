//! Shared by the response targets: one sandbox panel per fuzz process whose
//! every answer to the fuzzed panel is the fuzz input, and a check that
//! whatever it says ends as a result, never a panic.

use std::sync::OnceLock;

use wu_native_core::ops::{self, Operation, Options};
use wu_native_core::{MapSource, WwwRule};
use wu_sandbox::{Fault, Panel, Sandbox};

static SANDBOX: OnceLock<Sandbox> = OnceLock::new();

/// Statuses the client does not retry (a retried one costs a back-off per run).
const STATUSES: [u16; 12] = [200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 422, 500];

const HESTIA_PASSWORD: &str = "fuzz-hestia-password-7Qx";
const HESTIA_KEY: &str = "FUZZACCESSKEY0000001:fuzz-secret-key-00000000000000000000000";
const ENHANCE_TOKEN: &str = "fuzz-enhance-token-4Kd";
const SERVERPILOT_KEY: &str = "fuzz-serverpilot-key-9Zw";

/// The constants for `panel` on the sandbox, and the secret that panel receives (so could echo).
fn constants(panel: Panel, url: &str, hestia_by_key: bool) -> (MapSource, &'static str) {
    let mut c = MapSource::new([("WU_NATIVE_TIMEOUT", "5")]);
    let secret = match panel {
        Panel::Hestia => {
            c.set("WU_HESTIA_API_URL", url);
            c.set("WU_HESTIA_API_USER", "admin");
            c.set("WU_HESTIA_API_PASSWORD", HESTIA_PASSWORD);
            if hestia_by_key {
                c.set("WU_HESTIA_API_HASH", HESTIA_KEY);
            }
            c.set("WU_HESTIA_ACCOUNT", "admin");
            c.set("WU_HESTIA_WEB_DOMAIN", "network.example");
            if hestia_by_key { HESTIA_KEY } else { HESTIA_PASSWORD }
        }
        Panel::Enhance => {
            c.set("WU_ENHANCE_API_TOKEN", ENHANCE_TOKEN);
            c.set("WU_ENHANCE_API_URL", &format!("{url}/api"));
            c.set("WU_ENHANCE_SERVER_ID", "00000000-0000-4000-8000-000000000001");
            ENHANCE_TOKEN
        }
        Panel::ServerPilot => {
            c.set("WU_SERVER_PILOT_CLIENT_ID", "cid_sandbox");
            c.set("WU_SERVER_PILOT_API_KEY", SERVERPILOT_KEY);
            c.set("WU_SERVER_PILOT_APP_ID", "nlcN0TwdZAyNEgdp");
            c.set("WU_SERVER_PILOT_API_URL", &format!("{url}/v1"));
            SERVERPILOT_KEY
        }
        other => unreachable!("no fuzz target for panel {}", other.name()),
    };
    (c, secret)
}

/// Whatever the panel said (even echoing its secret), the message is short, printable and secret-free.
fn check_message(message: &str, secret: &str) {
    assert!(message.chars().count() < 4000, "message of {} characters", message.chars().count());
    assert!(!message.chars().any(char::is_control), "control character in {message:?}");
    for piece in std::iter::once(secret).chain(secret.split(':')) {
        assert!(!message.contains(piece), "secret in {message:?}");
    }
}

/// data[0] picks the status (and Hestia's credentials), data[1] the operation and extras; the rest is the body.
pub fn run(panel: Panel, data: &[u8]) {
    let [status, choice, body @ ..] = data else { return };
    let sandbox = SANDBOX.get_or_init(Sandbox::start);
    sandbox.clear_requests();
    let body = String::from_utf8_lossy(body);
    let mut fault = Fault::status(STATUSES[*status as usize % STATUSES.len()]).for_panel(panel).with_body(&body);
    if choice & 0x08 != 0 {
        fault = fault.with_header("Content-Type", "application/json");
    }
    if choice & 0x10 != 0 && panel == Panel::Hestia {
        fault = fault.with_header("Hestia-Exit-Code", &(choice >> 5).to_string());
    }
    sandbox.set_fault(fault);
    let (config, secret) = constants(panel, &sandbox.url(), status & 0x80 != 0);
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
            check_message(&result.message, secret);
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
                check_message(&error.message, secret);
            }
        }
    }
}
