//! Cloudflare: a mapped domain becomes a custom hostname of the Cloudflare
//! for SaaS zone (`WU_CLOUDFLARE_SAAS_ZONE_ID`) with a DV certificate
//! validated over HTTP; a subdomain site becomes a proxied CNAME record in
//! the network's zone (`WU_CLOUDFLARE_ZONE_ID`), with its full name.
//!
//! JSON over `WU_CLOUDFLARE_API_URL` (`https://api.cloudflare.com/client/v4`)
//! with an API token as Bearer. Every answer is an envelope whose `success`
//! and `errors` are read whatever the HTTP status; lists are read page by
//! page. Names under the network's domain (`DOMAIN_CURRENT_SITE`, else the
//! zone's own name) are subdomain sites; every other name is a mapped domain.

mod client;
mod provider;

use std::time::Duration;

use super::{ProviderSpec, WriteTarget};
use crate::config::{Setting, Values};
use crate::domain::printable;
use crate::error::ProviderError;

pub const API_KEY: &str = "WU_CLOUDFLARE_API_KEY";
pub const ZONE_ID: &str = "WU_CLOUDFLARE_ZONE_ID";
pub const SAAS_ZONE_ID: &str = "WU_CLOUDFLARE_SAAS_ZONE_ID";
pub const API_URL: &str = "WU_CLOUDFLARE_API_URL";
/// WordPress's own constant for the network's domain (wp-config.php).
pub const NETWORK_DOMAIN: &str = "DOMAIN_CURRENT_SITE";

pub const DEFAULT_API_URL: &str = "https://api.cloudflare.com/client/v4";

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "cloudflare",
    title: "Cloudflare",
    settings: &[
        Setting::required(
            API_KEY,
            "API token (not the Global API Key), user- or account-owned, sent as Bearer: Zone Read and DNS Edit on the zone, SSL and Certificates Edit on the SaaS zone.",
        )
        .secret(),
        Setting::required(ZONE_ID, "Zone ID (32 hex digits) of the network's zone, where subdomain sites get their CNAME records."),
        Setting::optional(
            SAAS_ZONE_ID,
            "",
            "Zone ID of the Cloudflare for SaaS zone: mapped domains become its custom hostnames (HTTP-validated DV certificates). Without it mapped domains are skipped, as in the plugin.",
        ),
        Setting::optional(API_URL, DEFAULT_API_URL, "API base address; change it only for tests."),
        Setting::optional(
            NETWORK_DOMAIN,
            "",
            "WordPress's network domain (wp-config.php): names under it are subdomain sites, CNAMEs to it. Unset: the zone's own name.",
        ),
    ],
    plugin_handlers: &[
        "WP_Ultimo\\Integrations\\Host_Providers\\Cloudflare_Host_Provider",
        "WP_Ultimo\\Integrations\\Providers\\Cloudflare\\Cloudflare_Domain_Mapping",
    ],
    options: &[],
    default_timeout: Duration::from_secs(45),
    build: provider::Cloudflare::build,
    mode,
    target,
};

/// `saas` when mapped domains become custom hostnames, `dns` when only
/// subdomain sites are served.
fn mode(values: &Values) -> Option<&'static str> {
    Some(if values.get(SAAS_ZONE_ID).is_some() { "saas" } else { "dns" })
}

/// The zones written to, on one API.
fn target(values: &Values) -> Option<WriteTarget> {
    let host = crate::http::host_of(&client::api_base(values.get(API_URL).unwrap_or(DEFAULT_API_URL)).ok()?);
    let zone = zone_id(ZONE_ID, values.get(ZONE_ID)?).ok()?;
    match values.get(SAAS_ZONE_ID).map(|z| zone_id(SAAS_ZONE_ID, z)).transpose().ok()? {
        Some(saas) => Some(WriteTarget {
            identity: format!("{host}|{zone}|{saas}"),
            label: format!("Cloudflare zone {zone} and SaaS zone {saas} on {host}"),
        }),
        None => Some(WriteTarget { identity: format!("{host}|{zone}"), label: format!("Cloudflare zone {zone} on {host}") }),
    }
}

/// A zone id: 32 hex digits, returned in lower case.
fn zone_id(constant: &str, raw: &str) -> Result<String, ProviderError> {
    let value = raw.trim();
    if value.len() != 32 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ProviderError::config(format!(
            "{constant} must be a Zone ID: the 32 hex digits shown under API on the zone's Overview page in Cloudflare, got '{}'",
            printable(value)
        )));
    }
    Ok(value.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MapSource;
    use crate::error::ErrorKind;

    #[test]
    fn zone_ids_are_32_hex_digits_in_lower_case() {
        assert_eq!(zone_id(ZONE_ID, " 023E105F4ECEF8AD9CA31A8372D0C353 ").unwrap(), "023e105f4ecef8ad9ca31a8372d0c353");
        for bad in ["", "network.example", "023e105f4ecef8ad9ca31a8372d0c35", "023e105f4ecef8ad9ca31a8372d0c3533", "023e105f4ecef8ad9ca31a8372d0c35g", "../../user/tokens"] {
            let err = zone_id(ZONE_ID, bad).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Config, "{bad}");
            assert!(err.message.contains(ZONE_ID), "{bad}: {}", err.message);
        }
    }

    #[test]
    fn the_target_names_both_zones_and_the_mode_follows_the_saas_zone() {
        let zone = "023e105f4ecef8ad9ca31a8372d0c353";
        let saas = "a".repeat(32);
        let dns = Values::read(SPEC.settings, &MapSource::new([(API_KEY, "t"), (ZONE_ID, zone)]));
        let both = Values::read(SPEC.settings, &MapSource::new([(API_KEY, "t"), (ZONE_ID, zone), (SAAS_ZONE_ID, saas.as_str())]));
        assert_eq!(mode(&dns), Some("dns"));
        assert_eq!(mode(&both), Some("saas"));
        assert_eq!(target(&dns).unwrap().identity, format!("api.cloudflare.com:443|{zone}"));
        assert_eq!(target(&both).unwrap().identity, format!("api.cloudflare.com:443|{zone}|{saas}"));
        let bad = Values::read(SPEC.settings, &MapSource::new([(API_KEY, "t"), (ZONE_ID, "nope")]));
        assert!(target(&bad).is_none());
    }
}

#[cfg(test)]
mod sandbox_tests;
