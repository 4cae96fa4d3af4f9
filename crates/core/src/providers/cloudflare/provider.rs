//! What Cloudflare does with a plan: names under the network's domain are
//! proxied CNAME records of the network's zone, other names custom
//! hostnames of the SaaS zone; one request per name, several in flight.

use std::sync::OnceLock;

use super::client::{api_base, Client, DnsRecord, HostnameCreated, RecordCreated, Verified, ZoneRole};
use super::{zone_id, API_KEY, API_URL, DEFAULT_API_URL, NETWORK_DOMAIN, SAAS_ZONE_ID, SPEC, ZONE_ID};
use crate::config::Values;
use crate::domain::{printable, HostName};
use crate::error::{ErrorKind, ProviderError};
use crate::http::HttpSettings;
use crate::providers::{each_change, panel_name, Action, Applied, Change, Inventory, PanelOptions, Plan, Provider};
use crate::secret::Secret;

pub struct Cloudflare {
    client: Client,
    zone: String,
    saas: Option<String>,
    /// `DOMAIN_CURRENT_SITE` without a leading `www.`, when defined.
    network: Option<HostName>,
    /// The zone's own name, read once when the network's domain is not defined.
    zone_name: OnceLock<HostName>,
}

impl Cloudflare {
    pub(super) fn build(values: &Values, _options: &PanelOptions) -> Result<Box<dyn Provider>, ProviderError> {
        let token = values.secret(API_KEY).map(|t| t.expose().trim()).unwrap_or("");
        if token.is_empty() {
            return Err(ProviderError::config(format!("Cloudflare API token not found: define {API_KEY} in wp-config.php")));
        }
        if !token.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ProviderError::config(format!(
                "{API_KEY} contains spaces or characters a token cannot have: paste the API token exactly as Cloudflare showed it"
            )));
        }
        let token = Secret::new(token);
        let zone = zone_id(ZONE_ID, values.require(ZONE_ID)?)?;
        let saas = values.get(SAAS_ZONE_ID).map(|z| zone_id(SAAS_ZONE_ID, z)).transpose()?;
        let network = values
            .get(NETWORK_DOMAIN)
            .map(|raw| {
                HostName::parse(raw).map_err(|e| ProviderError::config(format!("{NETWORK_DOMAIN} is not the network's domain: {e}")))
            })
            .transpose()?
            .map(|host| match host.as_str().strip_prefix("www.").map(HostName::parse) {
                Some(Ok(bare)) => bare,
                _ => host,
            });
        let base = api_base(values.get(API_URL).unwrap_or(DEFAULT_API_URL))?;
        let http = HttpSettings::from_values(values, SPEC.default_timeout)?;
        Ok(Box::new(Cloudflare { client: Client { base, token, http }, zone, saas, network, zone_name: OnceLock::new() }))
    }

    /// The network's domain: subdomain sites are the names under it, and
    /// their CNAMEs point at it.
    fn network(&self) -> Result<HostName, ProviderError> {
        if let Some(network) = &self.network {
            return Ok(network.clone());
        }
        if let Some(name) = self.zone_name.get() {
            return Ok(name.clone());
        }
        let zone = self.client.zone(&self.zone, ZoneRole::Network)?;
        let name = HostName::parse(&zone.name).map_err(|e| {
            ProviderError::new(ErrorKind::Api, format!("Cloudflare's zone {ZONE_ID} has a name that is not a host name ({e})"))
        })?;
        Ok(self.zone_name.get_or_init(|| name).clone())
    }

    fn is_subdomain_site(name: &HostName, network: &HostName) -> bool {
        name.as_str().len() > network.as_str().len() + 1 && name.as_str().ends_with(&format!(".{network}"))
    }

    /// A name the zone holds with a record that is not the network's CNAME:
    /// the error names the record that holds it.
    fn held_in_zone(&self, name: &HostName, network: &HostName, records: &[DnsRecord], code: Option<i64>) -> ProviderError {
        let holders: Vec<String> = records
            .iter()
            .filter(|r| panel_name(&r.name) == name.as_str())
            .map(|r| format!("{} record to {}", printable(&r.kind), printable(&r.content)))
            .collect();
        let holder = if holders.is_empty() { "another record".to_string() } else { holders.join(", ") };
        let err = ProviderError::new(
            ErrorKind::Api,
            format!(
                "adding {name}: Cloudflare zone {ZONE_ID} already has a {holder} for {name}, not this network's CNAME to {network}; \
                 it serves something else: remove or rename that record in Cloudflare first"
            ),
        );
        match code {
            Some(code) => err.with_code(code),
            None => err,
        }
    }

    fn add(&self, name: &HostName, network: &HostName) -> Result<Change, ProviderError> {
        if Self::is_subdomain_site(name, network) {
            return match self.client.add_cname(&self.zone, name, network).map_err(|e| context("adding", name, e))? {
                RecordCreated::Created => Ok(Change::new(name, Action::Added)),
                RecordCreated::NameTaken(answer) => {
                    // Created by someone else since we looked, or held by another record.
                    let records = self.client.records_named(&self.zone, name)?;
                    let ours = records.iter().any(|r| {
                        r.kind.eq_ignore_ascii_case("CNAME") && panel_name(&r.name) == name.as_str() && panel_name(&r.content) == network.as_str()
                    });
                    if ours {
                        Ok(Change::new(name, Action::AlreadyPresent))
                    } else {
                        Err(self.held_in_zone(name, network, &records, answer.errors.first().map(|e| e.code)).with_status(answer.status))
                    }
                }
            };
        }
        let Some(saas) = &self.saas else {
            // As in the plugin: without a SaaS zone, Cloudflare has no part in mapped domains.
            return Ok(Change::new(name, Action::Skipped));
        };
        match self.client.add_custom_hostname(saas, name).map_err(|e| context("adding", name, e))? {
            HostnameCreated::Created(hostname) => Ok(Change::new(name, Action::Added).with_state(hostname.state())),
            HostnameCreated::Duplicate(answer) => match self.client.custom_hostname(saas, name)? {
                // Added by someone else since we looked: the goal is met.
                Some(hostname) => Ok(Change::new(name, Action::AlreadyPresent).with_state(hostname.state())),
                None => Err(ProviderError::new(
                    ErrorKind::Api,
                    format!(
                        "adding {name}: Cloudflare holds {name} as a custom hostname of another zone or account, not of {SAAS_ZONE_ID} \
                         (HTTP {}: {}); the domain's owner must remove it there first",
                        answer.status,
                        answer.error_text()
                    ),
                )
                .with_status(answer.status)
                .with_code(1406)),
            },
        }
    }

    fn remove(&self, name: &HostName, network: &HostName, id: Option<&str>) -> Result<Change, ProviderError> {
        let Some(id) = id else { return Ok(Change::new(name, Action::AlreadyAbsent)) };
        let action = if Self::is_subdomain_site(name, network) {
            self.client.delete_record(&self.zone, id)
        } else {
            match &self.saas {
                Some(saas) => self.client.delete_custom_hostname(saas, id),
                None => Ok(Action::Skipped),
            }
        };
        action.map(|a| Change::new(name, a)).map_err(|e| context("removing", name, e))
    }
}

fn context(verb: &str, name: &HostName, e: ProviderError) -> ProviderError {
    ProviderError { message: format!("{verb} {name}: {}", e.message), ..e }
}

impl Provider for Cloudflare {
    /// The plugin gives a subdomain site its `www.` record by the www rule.
    fn www_for_subdomains(&self) -> bool {
        true
    }

    /// The network's CNAMEs under its domain, and the SaaS zone's custom
    /// hostnames with their status and their certificate's, every page.
    fn inventory(&self) -> Result<Inventory, ProviderError> {
        let network = self.network()?;
        let mut inventory = Inventory::default();
        for record in self.client.cnames_under(&self.zone, &network)? {
            let name = panel_name(&record.name);
            let ours = panel_name(&record.content) == network.as_str()
                && HostName::parse(&name).is_ok_and(|n| Self::is_subdomain_site(&n, &network));
            if ours {
                // Subdomain sites: a reconcile of mapped domains leaves them
                // alone even where DOMAIN_CURRENT_SITE is not defined.
                inventory.protect(&record.name);
                inventory.insert(&record.name, Some(record.id));
            }
        }
        if let Some(saas) = &self.saas {
            for hostname in self.client.custom_hostnames(saas)? {
                let name = panel_name(&hostname.hostname);
                if HostName::parse(&name).is_ok_and(|n| Self::is_subdomain_site(&n, &network)) {
                    continue;
                }
                inventory.statuses.insert(name, hostname.state());
                inventory.insert(&hostname.hostname, Some(hostname.id));
            }
        }
        Ok(inventory)
    }

    /// One lookup per name: its CNAME by exact name, or its custom hostname
    /// by hostname, so a mapping costs the same in a zone of ten names or
    /// of ten thousand.
    fn inventory_of(&self, names: &[HostName]) -> Result<Inventory, ProviderError> {
        let network = self.network()?;
        let mut inventory = Inventory::default();
        for name in names {
            if Self::is_subdomain_site(name, &network) {
                let records = self.client.records_named(&self.zone, name)?;
                let ours = records.into_iter().find(|r| {
                    r.kind.eq_ignore_ascii_case("CNAME") && panel_name(&r.name) == name.as_str() && panel_name(&r.content) == network.as_str()
                });
                if let Some(record) = ours {
                    inventory.insert(&record.name, Some(record.id));
                }
            } else if let Some(saas) = &self.saas {
                if let Some(hostname) = self.client.custom_hostname(saas, name)? {
                    inventory.statuses.insert(name.to_string(), hostname.state());
                    inventory.insert(&hostname.hostname, Some(hostname.id));
                }
            }
        }
        Ok(inventory)
    }

    fn apply(&self, plan: &Plan, inventory: &Inventory) -> Applied {
        let network = match self.network() {
            Ok(network) => network,
            Err(e) => return Applied::stopped(e),
        };
        let mut applied = each_change(&plan.add, plan, |name| self.add(name, &network));
        if applied.error.is_none() {
            applied.extend(each_change(&plan.remove, plan, |name| {
                self.remove(name, &network, inventory.names.get(name.as_str()).and_then(|id| id.as_deref()))
            }));
        }
        applied
    }

    /// The zone (and the SaaS zone) must be readable with the token; the
    /// token must be active, as a user's token or as one of the zone's
    /// account. A refused token stops at the first request.
    fn test_connection(&self) -> Result<(), ProviderError> {
        let zone = self.client.zone(&self.zone, ZoneRole::Network)?;
        match self.client.verify_token(None)? {
            Verified::Active => {}
            Verified::Inactive(status) => return Err(inactive(&status)),
            Verified::Unknown(user_answer) => {
                // Not a user's token: an account-owned one of the zone's account?
                let Some(account) = zone.account.as_ref().map(|a| a.id.clone()) else {
                    return Err(self.client.refusal(&user_answer, ZoneRole::Network));
                };
                match self.client.verify_token(Some(&account))? {
                    Verified::Active => {}
                    Verified::Inactive(status) => return Err(inactive(&status)),
                    Verified::Unknown(answer) => return Err(self.client.refusal(&answer, ZoneRole::Network)),
                }
            }
        }
        if let Some(saas) = &self.saas {
            if *saas != self.zone {
                self.client.zone(saas, ZoneRole::Saas)?;
            }
        }
        Ok(())
    }
}

fn inactive(status: &str) -> ProviderError {
    ProviderError::new(
        ErrorKind::Auth,
        format!("Cloudflare says the token in {API_KEY} is {status}, not active: re-enable it or create a new API token"),
    )
}
