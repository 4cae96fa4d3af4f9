//! The client against recorded answers of Enhance's API (`fixtures/*.json`),
//! each answered by the sandbox in place of the emulator.

use super::client::Client;
use super::{Target, API_TOKEN, API_URL, SERVER_ID};
use crate::domain::HostName;
use crate::error::{ErrorKind, ProviderCode};
use crate::providers::replay::{answer, constant, http};
use crate::providers::Action;
use crate::secret::Secret;
use wu_sandbox::{Panel, Sandbox};

const ORG: &str = "00000000-0000-4000-8000-0000000000a1";
const WEBSITE: &str = "00000000-0000-4000-8000-0000000000b1";

fn client(sb: &Sandbox, website: bool) -> Client {
    let target = if website {
        Target::Website { org: ORG.into(), website: WEBSITE.into() }
    } else {
        Target::Server { id: constant(sb, Panel::Enhance, SERVER_ID) }
    };
    Client {
        base: super::client::api_base(&constant(sb, Panel::Enhance, API_URL)).unwrap(),
        token: Secret::new(constant(sb, Panel::Enhance, API_TOKEN)),
        target,
        http: http(),
    }
}

fn listed(client: &Client) -> Vec<(String, String, bool)> {
    client.list_domains().unwrap().into_iter().map(|d| (d.name, d.id, d.primary)).collect()
}

#[test]
fn a_servers_domain_list_gives_names_ids_and_the_primary() {
    let sb = Sandbox::start();
    answer(&sb, Panel::Enhance, 0, 200, include_str!("fixtures/server-domains.json"));
    assert_eq!(
        listed(&client(&sb, false)),
        [
            ("network.example".into(), "00000000-0000-4000-8000-0000000000d1".into(), true),
            ("Customer.Example".into(), "6f1c9d3e-2b7a-4c15-9e42-8d0a5b3c7e21".into(), false),
            ("www.customer.example".into(), "0d7e4a9b-51c3-4f86-a2e0-93b6c1d5f804".into(), false),
        ]
    );
}

#[test]
fn a_websites_domain_list_gives_names_ids_and_the_primary_mapping() {
    let sb = Sandbox::start();
    answer(&sb, Panel::Enhance, 0, 200, include_str!("fixtures/website-domains.json"));
    assert_eq!(
        listed(&client(&sb, true)),
        [
            ("network.example".into(), "00000000-0000-4000-8000-0000000000d2".into(), true),
            ("customer.example".into(), "a3e9c1f7-0b4d-4e62-8c15-7d2f9b6a0e38".into(), false),
            ("www.customer.example".into(), "5b8d2e40-9c1a-4f37-b6e5-1a0c7d3f92b4".into(), false),
        ]
    );
}

#[test]
fn each_created_answer_is_an_added_name() {
    for (website, fixture) in [(false, include_str!("fixtures/add-server-domain.json")), (true, include_str!("fixtures/add-website-domain.json"))] {
        let sb = Sandbox::start();
        answer(&sb, Panel::Enhance, 0, 201, fixture);
        let name = HostName::parse("customer.example").unwrap();
        assert_eq!(client(&sb, website).add(&name).unwrap(), Action::Added, "website mode: {website}");
    }
}

#[test]
fn each_recorded_error_body_means_its_own_outcome() {
    let name = HostName::parse("customer.example").unwrap();
    // A duplicate, whichever status carries it, is a name already there.
    for status in [400, 409] {
        let sb = Sandbox::start();
        answer(&sb, Panel::Enhance, 0, status, include_str!("fixtures/error-already-exists.json"));
        assert_eq!(client(&sb, false).add(&name).unwrap(), Action::AlreadyPresent, "{status}");
    }
    let cases = [
        (401, include_str!("fixtures/error-unauthorized.json"), ErrorKind::Auth, "unauthorized", API_TOKEN),
        (403, include_str!("fixtures/error-unauthorized.json"), ErrorKind::Auth, "unauthorized", API_TOKEN),
        (404, include_str!("fixtures/error-not-found.json"), ErrorKind::NotFound, "not_found", SERVER_ID),
    ];
    for (status, fixture, kind, code, names) in cases {
        let sb = Sandbox::start();
        answer(&sb, Panel::Enhance, 0, status, fixture);
        let error = client(&sb, false).list_domains().err().unwrap();
        assert_eq!(error.kind, kind, "{status}: {}", error.message);
        assert_eq!(error.provider_code, Some(ProviderCode::from(code)), "{status}");
        assert_eq!(error.http_status, Some(status));
        assert!(error.message.contains(names), "{status}: {}", error.message);
    }
}
