//! Plesk: mapped domains become site aliases of one existing site
//! (`WU_PLESK_DOMAIN`), and the network's subdomain sites become Plesk
//! subdomains of that site.
//!
//! Writes go through the REST API's gateway to Plesk's command-line
//! utilities (`POST /api/v2/cli/<utility>/call` with `{"params": […]}`),
//! which answers HTTP 200 with the utility's exit code, output and error
//! output: the exit code is read, never the status alone. Reads use the REST
//! API's domain list (the site and its subdomains) and `site_alias --list`.
//! Plesk locks a client out after repeated failed logins, so a refused
//! login is reported at once and never repeated.

mod client;
mod provider;

use std::time::Duration;

use super::{ProviderSpec, WriteTarget};
use crate::config::{Setting, Values};
use crate::domain::HostName;
use crate::error::ProviderError;
use crate::http;

pub const HOST: &str = "WU_PLESK_HOST";
pub const PORT: &str = "WU_PLESK_PORT";
pub const API_KEY: &str = "WU_PLESK_API_KEY";
pub const USERNAME: &str = "WU_PLESK_USERNAME";
pub const PASSWORD: &str = "WU_PLESK_PASSWORD";
pub const DOMAIN: &str = "WU_PLESK_DOMAIN";

/// Plesk's own port for the panel and its API.
pub const DEFAULT_PORT: u16 = 8443;

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "plesk",
    title: "Plesk",
    settings: &[
        Setting::required(HOST, "Plesk server host name or IP (the API is https://HOST:PORT/api/v2); a full address with a scheme, e.g. https://plesk.example.com:8443, is used as given."),
        Setting::optional(PORT, "8443", "Port of the Plesk panel and its API, when WU_PLESK_HOST has no scheme."),
        Setting::alternative(API_KEY, "auth", 0, "A REST API key of the Plesk administrator (sent as X-API-Key); used instead of the user and password when set.").secret(),
        Setting::alternative(USERNAME, "auth", 1, "Plesk administrator login (used with WU_PLESK_PASSWORD, HTTP Basic over TLS)."),
        Setting::alternative(PASSWORD, "auth", 1, "That administrator's password.").secret(),
        Setting::required(DOMAIN, "Existing Plesk site serving WordPress: mapped domains become its site aliases, subdomain sites its subdomains."),
    ],
    // Ultimate Multisite has a Plesk integration from 2.5 on only.
    plugin_handlers: &["WP_Ultimo\\Integrations\\Providers\\Plesk\\Plesk_Domain_Mapping"],
    options: &[],
    default_timeout: Duration::from_secs(45),
    build: provider::Plesk::build,
    mode: super::single_mode,
    target,
};

/// One site on one Plesk server.
fn target(values: &Values) -> Option<WriteTarget> {
    let host = http::host_of(&client::api_base(values.get(HOST)?, values.get(PORT)).ok()?);
    let site = site_name(values).ok()?;
    Some(WriteTarget { identity: format!("{host}|{site}"), label: format!("Plesk site {site} on {host}") })
}

/// `WU_PLESK_DOMAIN` as Plesk names the site: lower case, without a leading www.
fn site_name(values: &Values) -> Result<String, ProviderError> {
    let site = HostName::parse(values.require(DOMAIN)?.trim()).map_err(|e| ProviderError::config(format!("{DOMAIN}: {e}")))?;
    Ok(site.as_str().strip_prefix("www.").unwrap_or(site.as_str()).to_string())
}

#[cfg(test)]
mod sandbox_tests;
