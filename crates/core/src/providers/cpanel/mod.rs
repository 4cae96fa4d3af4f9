//! cPanel: a mapped domain becomes an addon domain of one cPanel account
//! (`WU_CPANEL_USERNAME`) whose document root is the network's
//! (`WU_CPANEL_ROOT_DIR`); a subdomain site becomes a subdomain of the
//! account's domain it lies under, with the same document root.
//!
//! One read (UAPI `DomainInfo::domains_data`) tells what the account serves
//! and from which directory. Writes use UAPI where released cPanel has the
//! function (`SubDomain::addsubdomain`) and cPanel API 2 where it has none
//! (`AddonDomain::addaddondomain`, `AddonDomain::deladdondomain`,
//! `SubDomain::delsubdomain`). Both answer HTTP 200 whether or not they
//! worked: the outcome is read from the body. cPanel serves `www.` of every
//! domain it creates from that domain's virtual host, so a name and its
//! `www.` are one write (see docs/panels/cpanel.md).

mod client;
mod provider;

use std::time::Duration;

use super::{ProviderSpec, WriteTarget};
use crate::config::{Setting, Values};

pub const USERNAME: &str = "WU_CPANEL_USERNAME";
pub const API_TOKEN: &str = "WU_CPANEL_API_TOKEN";
pub const PASSWORD: &str = "WU_CPANEL_PASSWORD";
pub const HOST: &str = "WU_CPANEL_HOST";
pub const PORT: &str = "WU_CPANEL_PORT";
pub const ROOT_DIR: &str = "WU_CPANEL_ROOT_DIR";

pub const DEFAULT_PORT: &str = "2083";
pub const DEFAULT_ROOT_DIR: &str = "/public_html";

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "cpanel",
    title: "cPanel",
    settings: &[
        Setting::required(USERNAME, "cPanel account (user name) that serves the network."),
        Setting::alternative(API_TOKEN, "auth", 0, "API token of that account (cPanel → Security → Manage API Tokens).").secret(),
        Setting::alternative(PASSWORD, "auth", 1, "The account's password, sent as HTTP Basic over TLS; used when no token is set.").secret(),
        Setting::required(HOST, "cPanel server name, e.g. server.example.com; a full address with a scheme (https://host:2083) is used as given."),
        Setting::optional(PORT, DEFAULT_PORT, "cPanel port (not WHM's 2087)."),
        Setting::optional(ROOT_DIR, DEFAULT_ROOT_DIR, "Document root of the network, relative to the account's home directory."),
    ],
    plugin_handlers: &[
        "WP_Ultimo\\Integrations\\Host_Providers\\CPanel_Host_Provider",
        "WP_Ultimo\\Integrations\\Providers\\CPanel\\CPanel_Domain_Mapping",
    ],
    options: &[],
    default_timeout: Duration::from_secs(45),
    build: provider::CPanel::build,
    mode,
    target,
};

/// Which credential complete settings use.
fn mode(values: &Values) -> Option<&'static str> {
    Some(if values.secret(API_TOKEN).is_some() { "token" } else { "password" })
}

/// One account on one server.
fn target(values: &Values) -> Option<WriteTarget> {
    let base = client::base_url(values.get(HOST)?, values.get(PORT)).ok()?;
    let host = crate::http::host_of(&base);
    let user = values.get(USERNAME)?.trim().to_string();
    Some(WriteTarget { identity: format!("{host}|{user}"), label: format!("cPanel account {user} on {host}") })
}

#[cfg(test)]
mod sandbox_tests;
