//! Hestia Control Panel: mapped domains become web aliases of one existing
//! web domain (`WU_HESTIA_WEB_DOMAIN`, owned by `WU_HESTIA_ACCOUNT`).
//!
//! Commands go to `/api/` as form posts. Writes ask for `returncode=yes`, so
//! the answer is the command's exit code in both auth modes; reads ask for
//! the output. A mapping's names are added in one command, so the web server
//! reloads once per mapping, not once per name.

mod client;
mod provider;

use std::time::Duration;

use super::{ProviderSpec, WriteTarget};
use crate::config::{Setting, Values};
use crate::domain::HostName;
use crate::error::ProviderError;
use crate::http;

pub const API_URL: &str = "WU_HESTIA_API_URL";
pub const API_USER: &str = "WU_HESTIA_API_USER";
pub const API_PASSWORD: &str = "WU_HESTIA_API_PASSWORD";
pub const API_HASH: &str = "WU_HESTIA_API_HASH";
pub const ACCOUNT: &str = "WU_HESTIA_ACCOUNT";
pub const WEB_DOMAIN: &str = "WU_HESTIA_WEB_DOMAIN";
pub const RESTART: &str = "WU_HESTIA_RESTART";

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "hestia",
    title: "Hestia Control Panel",
    settings: &[
        Setting::required(API_URL, "Panel API endpoint, e.g. https://panel.example.com:8083 (/api is appended when missing)."),
        Setting::required(API_USER, "Hestia admin user the API logs in as (used with the password)."),
        Setting::alternative(API_PASSWORD, "auth", 0, "That user's password (legacy API mode).").secret(),
        Setting::alternative(API_HASH, "auth", 1, "An access key as ACCESS_KEY:SECRET_KEY, or a legacy API hash; used instead of the password when set.").secret(),
        Setting::required(ACCOUNT, "Hestia user that owns the web domain (first argument of the v-* commands)."),
        Setting::required(WEB_DOMAIN, "Existing Hestia web domain serving WordPress; mapped domains become its aliases."),
        Setting::optional(RESTART, "yes", "Reload the web server after a change: yes or no."),
    ],
    plugin_handlers: &[
        "WP_Ultimo\\Integrations\\Host_Providers\\Hestia_Host_Provider",
        "WP_Ultimo\\Integrations\\Providers\\Hestia\\Hestia_Domain_Mapping",
    ],
    default_timeout: Duration::from_secs(60),
    build: provider::Hestia::build,
    options: &[],
    mode: super::single_mode,
    target,
};

/// One web domain of one account on one panel.
fn target(values: &Values) -> Option<WriteTarget> {
    let host = http::host_of(&client::api_endpoint(values.get(API_URL)?).ok()?);
    let account = values.get(ACCOUNT)?.trim().to_string();
    let domain = web_domain(values).ok()?;
    Some(WriteTarget {
        identity: format!("{host}|{account}|{domain}"),
        label: format!("Hestia web domain {domain} of {account} on {host}"),
    })
}

/// `WU_HESTIA_WEB_DOMAIN` as Hestia stores it: lower case, without a leading www.
fn web_domain(values: &Values) -> Result<String, ProviderError> {
    let web_domain = HostName::parse(values.require(WEB_DOMAIN)?.trim())
        .map_err(|e| ProviderError::config(format!("{WEB_DOMAIN}: {e}")))?;
    Ok(web_domain.as_str().strip_prefix("www.").unwrap_or(web_domain.as_str()).to_string())
}


#[cfg(test)]
mod sandbox_tests;

#[cfg(test)]
mod fixture_tests;
