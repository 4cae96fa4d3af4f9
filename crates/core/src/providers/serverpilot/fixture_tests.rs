//! The client against recorded answers of ServerPilot's API
//! (`fixtures/*.json`), each answered by the sandbox in place of the emulator.

use super::client::{api_base, Client};
use super::{API_KEY, API_URL, APP_ID, CLIENT_ID};
use crate::error::ErrorKind;
use crate::providers::replay::{answer, constant, http};
use crate::secret::Secret;
use wu_sandbox::{Panel, Sandbox};

fn client(sb: &Sandbox) -> Client {
    Client::new(
        api_base(&constant(sb, Panel::ServerPilot, API_URL)).unwrap(),
        constant(sb, Panel::ServerPilot, CLIENT_ID),
        Secret::new(constant(sb, Panel::ServerPilot, API_KEY)),
        constant(sb, Panel::ServerPilot, APP_ID),
        http(),
    )
}

#[test]
fn an_app_gives_its_domains_and_whether_autossl_can_be_turned_on() {
    let sb = Sandbox::start();
    answer(&sb, Panel::ServerPilot, 0, 200, include_str!("fixtures/app.json"));
    let app = client(&sb).read_app().unwrap();
    assert_eq!(app.domains, ["network.example", "www.network.example", "Customer.Example", "www.customer.example"]);
    assert!(app.wants_autossl(), "available, no certificate, not on yet");
}

#[test]
fn an_update_of_the_domain_list_gives_the_panels_action_id() {
    let sb = Sandbox::start();
    answer(&sb, Panel::ServerPilot, 0, 200, include_str!("fixtures/app-update.json"));
    let updated = client(&sb).update_domains(vec!["customer.example".into()]).unwrap();
    assert_eq!(updated.action.unwrap(), Some("KlMlN20FnPNWCLbm".to_string()));
    assert_eq!(updated.stored.unwrap(), ["network.example", "www.network.example", "customer.example"], "the answer carries the list: the read-back");
}

#[test]
fn an_action_gives_its_status() {
    let sb = Sandbox::start();
    answer(&sb, Panel::ServerPilot, 0, 200, include_str!("fixtures/action-success.json"));
    assert_eq!(client(&sb).action_status("KlMlN20FnPNWCLbm").unwrap(), "success");
}

#[test]
fn each_recorded_error_body_is_quoted_in_its_kind_of_error() {
    let cases = [
        (401, include_str!("fixtures/error-unauthorized.json"), ErrorKind::Auth, "Authentication required.", API_KEY),
        (404, include_str!("fixtures/error-not-found.json"), ErrorKind::NotFound, "App not found.", APP_ID),
    ];
    for (status, fixture, kind, said, names) in cases {
        let sb = Sandbox::start();
        answer(&sb, Panel::ServerPilot, 0, status, fixture);
        let error = client(&sb).read_app().err().unwrap();
        assert_eq!(error.kind, kind, "{status}: {}", error.message);
        assert_eq!(error.http_status, Some(status));
        assert!(error.message.contains(said) && error.message.contains(names), "{status}: {}", error.message);
    }
}
