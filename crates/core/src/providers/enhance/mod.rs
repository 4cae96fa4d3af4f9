//! Enhance Control Panel: mapped domains become domains of one server
//! (`WU_ENHANCE_SERVER_ID`, the hosting guide's setup) or of one website
//! (`WU_ENHANCE_ORG_ID` + `WU_ENHANCE_WEBSITE_ID`, Ultimate Multisite 2.5+).
//!
//! JSON over `WU_ENHANCE_API_URL` (which must end in `/api`, as the guide
//! says; it is used as given) with a Bearer token. The panel adds and deletes
//! one domain per request, deletes by domain id, and reports a duplicate as
//! `already_exists`. Website domains are posted as `{"domain": …}` without
//! `kind`: the panel's default kind is `alias`, which is what a mapped domain is.

mod client;
mod provider;

use std::time::Duration;

use super::{ProviderSpec, WriteTarget};
use crate::config::{Setting, Values};
use crate::domain::printable;
use crate::error::ProviderError;
use crate::http;

pub const API_TOKEN: &str = "WU_ENHANCE_API_TOKEN";
pub const API_URL: &str = "WU_ENHANCE_API_URL";
pub const SERVER_ID: &str = "WU_ENHANCE_SERVER_ID";
pub const ORG_ID: &str = "WU_ENHANCE_ORG_ID";
pub const WEBSITE_ID: &str = "WU_ENHANCE_WEBSITE_ID";

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "enhance",
    title: "Enhance Control Panel",
    settings: &[
        Setting::required(API_TOKEN, "Access token with the System Administrator role (Settings → Access Tokens).").secret(),
        Setting::required(API_URL, "Panel API address ending in /api, e.g. https://panel.example.com/api."),
        Setting::alternative(SERVER_ID, "target", 0, "UUID of the server whose domains serve the network (hosting guide setup)."),
        Setting::alternative(ORG_ID, "target", 1, "UUID of the organisation owning the website (Ultimate Multisite 2.5+ setup); used with WU_ENHANCE_WEBSITE_ID."),
        Setting::alternative(WEBSITE_ID, "target", 1, "UUID of the website serving the network; with WU_ENHANCE_ORG_ID it takes precedence over WU_ENHANCE_SERVER_ID."),
    ],
    plugin_handlers: &[
        "WP_Ultimo\\Integrations\\Host_Providers\\Enhance_Host_Provider",
        "WP_Ultimo\\Integrations\\Providers\\Enhance\\Enhance_Domain_Mapping",
    ],
    default_timeout: Duration::from_secs(45),
    build: provider::Enhance::build,
    options: &[],
    mode,
    target: write_target,
};

/// One server's domains, or one website's, on one panel.
fn write_target(values: &Values) -> Option<WriteTarget> {
    let host = http::host_of(&client::api_base(values.get(API_URL)?).ok()?);
    let target = configured_target(values).ok()?;
    let (identity, label) = match &target {
        Target::Server { id } => (format!("{host}|server|{id}"), format!("Enhance server {id} on {host}")),
        Target::Website { org, website } => {
            (format!("{host}|website|{org}|{website}"), format!("Enhance website {website} on {host}"))
        }
    };
    Some(WriteTarget { identity, label })
}

/// The org/website pair when both are set, else the server.
fn configured_target(values: &Values) -> Result<Target, ProviderError> {
    match (values.get(ORG_ID), values.get(WEBSITE_ID), values.get(SERVER_ID)) {
        (Some(org), Some(website), _) => {
            Ok(Target::Website { org: uuid(ORG_ID, org, "Org ID")?, website: uuid(WEBSITE_ID, website, "Website ID")? })
        }
        (_, _, Some(server)) => Ok(Target::Server { id: uuid(SERVER_ID, server, "Server ID")? }),
        _ => Err(ProviderError::config(format!(
            "Server ID is not configured: define {SERVER_ID}, or {ORG_ID} and {WEBSITE_ID}"
        ))),
    }
}

/// The org/website pair wins when both ways are configured: it is the newer
/// setup, and names the exact website.
fn mode(values: &Values) -> Option<&'static str> {
    Some(if values.get(ORG_ID).is_some() && values.get(WEBSITE_ID).is_some() { "website" } else { "server" })
}

/// The one thing writes change: a server's domains, or a website's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    Server { id: String },
    Website { org: String, website: String },
}


/// An Enhance id: a UUID (8-4-4-4-12 hex digits), returned in lower case.
fn uuid(constant: &str, raw: &str, label: &str) -> Result<String, ProviderError> {
    let value = raw.trim();
    let groups: Vec<&str> = value.split('-').collect();
    let shape_ok = groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()));
    if !shape_ok {
        return Err(ProviderError::config(format!(
            "{label} is not configured correctly: {constant} must be a UUID like 00000000-0000-0000-0000-000000000000, got '{}'",
            printable(value)
        )));
    }
    Ok(value.to_ascii_lowercase())
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn ids_must_be_uuids_and_are_lower_cased() {
        assert_eq!(uuid(SERVER_ID, " 00000000-0000-4000-8000-00000000000A ", "Server ID").unwrap(), "00000000-0000-4000-8000-00000000000a");
        for bad in ["1", "my-server", "00000000-0000-4000-8000-00000000000", "00000000-0000-4000-8000-0000000000001", "0000000g-0000-4000-8000-000000000001", "00000000000040008000000000000001", "{00000000-0000-4000-8000-000000000001}"] {
            let err = uuid(SERVER_ID, bad, "Server ID").unwrap_err();
            assert_eq!(err.kind, ErrorKind::Config, "{bad}");
            assert!(err.message.contains(SERVER_ID) && err.message.contains("Server ID is not configured"), "{bad}: {}", err.message);
        }
    }
}

#[cfg(test)]
mod sandbox_tests;

#[cfg(test)]
mod fixture_tests;
