//! The client against recorded answers of Hestia's API (`fixtures/*.json`),
//! each answered by the sandbox in place of the emulator.

use super::client::{Client, Credentials};
use super::{ACCOUNT, API_PASSWORD, API_URL, API_USER, WEB_DOMAIN};
use crate::error::ErrorKind;
use crate::providers::replay::{answer, constant, http};
use crate::secret::Secret;
use wu_sandbox::{Panel, Sandbox};

fn client(sb: &Sandbox) -> Client {
    Client {
        endpoint: super::client::api_endpoint(&constant(sb, Panel::Hestia, API_URL)).unwrap(),
        credentials: Credentials::Password {
            user: constant(sb, Panel::Hestia, API_USER),
            password: Secret::new(constant(sb, Panel::Hestia, API_PASSWORD)),
        },
        account: constant(sb, Panel::Hestia, ACCOUNT),
        web_domain: constant(sb, Panel::Hestia, WEB_DOMAIN),
        http: http(),
    }
}

#[test]
fn the_web_domains_listing_gives_the_aliases_of_the_configured_domain_only() {
    let sb = Sandbox::start();
    answer(&sb, Panel::Hestia, 0, 200, include_str!("fixtures/v-list-web-domains.json"));
    assert_eq!(
        client(&sb).list_aliases().unwrap(),
        ["www.network.example", "customer.example", "www.customer.example", "xn--bcher-kva.example"],
        "in the inventory's spelling, without other.example's"
    );
}

#[test]
fn a_web_domain_without_aliases_lists_none() {
    let sb = Sandbox::start();
    answer(&sb, Panel::Hestia, 0, 200, include_str!("fixtures/v-list-web-domains-no-aliases.json"));
    assert_eq!(client(&sb).list_aliases().unwrap(), Vec::<String>::new());
}

#[test]
fn an_account_without_the_web_domain_is_a_not_found_error_naming_both_constants() {
    for fixture in [include_str!("fixtures/v-list-web-domains-none.json"), include_str!("fixtures/v-list-web-domains-no-aliases.json")] {
        let sb = Sandbox::start();
        answer(&sb, Panel::Hestia, 0, 200, fixture);
        let mut client = client(&sb);
        client.web_domain = "missing.example".into();
        let error = client.list_aliases().unwrap_err();
        assert_eq!(error.kind, ErrorKind::NotFound, "{}", error.message);
        assert!(error.message.contains(WEB_DOMAIN) && error.message.contains(ACCOUNT), "{}", error.message);
    }
}
