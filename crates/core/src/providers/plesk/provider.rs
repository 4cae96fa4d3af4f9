//! What Plesk does with a plan: a name under the site becomes a Plesk
//! subdomain of it, any other name a site alias; one utility run per name.

use std::sync::Mutex;

use super::client::{api_base, failed, said, Client, Credentials, Domain, Exit};
use super::{site_name, API_KEY, HOST, PASSWORD, PORT, SPEC, USERNAME};
use crate::config::Values;
use crate::domain::{printable, HostName};
use crate::error::{ErrorKind, ProviderError};
use crate::http::HttpSettings;
use crate::providers::{each_name, Action, Applied, Inventory, PanelOptions, Plan, Provider};
use crate::secret::Secret;

/// The document root a subdomain site shares with the network (relative to
/// the subscription's home, as the `subdomain` utility takes it): every site
/// of a multisite network is the one WordPress.
pub(super) const SUBDOMAIN_WWW_ROOT: &str = "/httpdocs";

pub struct Plesk {
    client: Client,
    /// The server's domains as the last inventory read them: who holds a
    /// name, so a name another site has is refused before any write.
    known: Mutex<Vec<Domain>>,
}

/// Where a name lives on the panel.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    /// The site itself or its `www.`: served already.
    Site,
    /// A subdomain of the site, by the label `subdomain` takes.
    Subdomain(String),
    Alias,
}

impl Plesk {
    pub(super) fn build(values: &Values, _options: &PanelOptions) -> Result<Box<dyn Provider>, ProviderError> {
        let base = api_base(values.require(HOST)?, values.get(PORT))?;
        let key = values.secret(API_KEY).map(|k| k.expose().trim()).unwrap_or("");
        let credentials = if !key.is_empty() {
            // One header value; anything else would fail later with a confusing transport error.
            if !key.chars().all(|c| c.is_ascii_graphic()) {
                return Err(ProviderError::config(format!(
                    "{API_KEY} contains spaces or characters an API key cannot have: paste the key exactly as Plesk showed it"
                )));
            }
            Credentials::ApiKey(Secret::new(key))
        } else {
            let user = values.get(USERNAME).map(str::trim).unwrap_or("");
            let password = values.secret(PASSWORD).filter(|p| !p.expose().is_empty());
            match password {
                None => return Err(ProviderError::config(format!("{API_KEY}, or {USERNAME} and {PASSWORD}, must be defined"))),
                Some(_) if user.is_empty() => return Err(ProviderError::config(format!("{USERNAME} must be defined with {PASSWORD}"))),
                Some(_) if user.contains(':') || user.chars().any(char::is_control) => {
                    return Err(ProviderError::config(format!(
                        "{USERNAME} must be a Plesk login (no ':' or control characters), got '{}'",
                        printable(user)
                    )))
                }
                Some(password) => Credentials::Login { user: user.to_string(), password: password.clone() },
            }
        };
        let site = site_name(values)?;
        let http = HttpSettings::from_values(values, SPEC.default_timeout)?;
        Ok(Box::new(Plesk { client: Client { base, credentials, site, http }, known: Mutex::new(Vec::new()) }))
    }

    fn place(&self, name: &HostName) -> Place {
        let site = &self.client.site;
        let name = name.as_str();
        if name == site || name.strip_prefix("www.") == Some(site) {
            return Place::Site;
        }
        match name.strip_suffix(site.as_str()).and_then(|label| label.strip_suffix('.')) {
            Some(label) if !label.is_empty() => Place::Subdomain(label.to_string()),
            _ => Place::Alias,
        }
    }

    /// The site holding `name` as one of its own domains (a site of its
    /// own, or another site's subdomain), by the server's domain list.
    fn holder(&self, domains: &[Domain], name: &str) -> Option<String> {
        let domain = domains.iter().find(|d| d.host() == name)?;
        let site_id = domains.iter().find(|d| d.host() == self.client.site).map(|d| d.id);
        match domain.parent() {
            Some(parent) if Some(parent) == site_id => None,
            Some(parent) => domains.iter().find(|d| d.id == parent).map(Domain::host).or_else(|| Some(format!("site #{parent}"))),
            None => Some(domain.host()),
        }
    }

    fn held_elsewhere(&self, name: &HostName, owner: Option<String>, what: &str) -> ProviderError {
        let message = match owner {
            Some(owner) if owner == name.as_str() => {
                format!("Plesk already serves {name} as a site of its own: delete that site in Plesk first, then map the name again")
            }
            Some(owner) => format!("{name} already belongs to the Plesk site {owner}: remove it there first, then map it again"),
            None => format!(
                "{name} already exists on this Plesk server outside {} (as another site's {what}): remove it there first, then map it again",
                self.client.site
            ),
        };
        ProviderError::new(ErrorKind::Api, message).with_code("exists_elsewhere")
    }

    fn add(&self, name: &HostName) -> Result<Action, ProviderError> {
        let place = self.place(name);
        if place == Place::Site {
            return Ok(Action::AlreadyPresent);
        }
        // Look first: a name another site holds is refused without a write.
        let holder = self.holder(&self.known.lock().unwrap_or_else(|p| p.into_inner()), name.as_str());
        if let Some(owner) = holder {
            return Err(self.held_elsewhere(name, Some(owner), "domain"));
        }
        let site = self.client.site.clone();
        match place {
            Place::Site => Ok(Action::AlreadyPresent),
            Place::Subdomain(label) => {
                let params = ["--create", label.as_str(), "-domain", site.as_str(), "-www-root", SUBDOMAIN_WWW_ROOT];
                match self.client.run("subdomain", &params, name.as_str())? {
                    Exit::Done(_) => Ok(Action::Added),
                    // Added since we looked, by us or by someone else: the list says which.
                    Exit::Exists(answer) => {
                        let domains = self.client.domains()?;
                        let site_id = self.client.find_site(&domains)?.id;
                        match domains.iter().find(|d| d.host() == name.as_str()) {
                            Some(d) if d.parent() == Some(site_id) => Ok(Action::AlreadyPresent),
                            Some(_) => Err(self.held_elsewhere(name, self.holder(&domains, name.as_str()), "domain")),
                            None => Err(self.held_elsewhere(name, self.client.alias_owner(name.as_str()), "alias")
                                .with_message_tail(&said(&answer))),
                        }
                    }
                    Exit::Missing => Err(self.client.site_missing()),
                    Exit::Failed(e) => Err(e),
                }
            }
            Place::Alias => match self.client.run("site_alias", &["--create", name.as_str(), "-domain", site.as_str()], name.as_str())? {
                Exit::Done(_) => Ok(Action::Added),
                Exit::Exists(answer) => {
                    if self.client.aliases()?.iter().any(|a| a == name.as_str()) {
                        return Ok(Action::AlreadyPresent);
                    }
                    let domains = self.client.domains()?;
                    let owner = self.holder(&domains, name.as_str()).or_else(|| self.client.alias_owner(name.as_str()));
                    Err(self.held_elsewhere(name, owner, "alias").with_message_tail(&said(&answer)))
                }
                Exit::Missing => Err(self.client.site_missing()),
                Exit::Failed(e) => Err(e),
            },
        }
    }

    /// Removes what the inventory found: a subdomain (listed with its id) or an alias.
    fn remove(&self, name: &HostName, inventory: &Inventory) -> Result<Action, ProviderError> {
        let site = self.client.site.clone();
        match (inventory.names.get(name.as_str()), self.place(name)) {
            (None, _) => Ok(Action::AlreadyAbsent),
            // The site's own names are the site's, not a mapping's: left as they are.
            (Some(_), Place::Site) => Ok(Action::Skipped),
            (Some(Some(_)), Place::Subdomain(label)) => {
                match self.client.run("subdomain", &["--remove", label.as_str(), "-domain", site.as_str()], name.as_str())? {
                    Exit::Done(_) => Ok(Action::Removed),
                    // Gone since we looked (the site itself was found then).
                    Exit::Missing => Ok(Action::AlreadyAbsent),
                    Exit::Exists(answer) => Err(failed("subdomain", "--remove", name.as_str(), &answer)),
                    Exit::Failed(e) => Err(e),
                }
            }
            (Some(_), _) => match self.client.run("site_alias", &["--delete", name.as_str()], name.as_str())? {
                Exit::Done(_) => Ok(Action::Removed),
                Exit::Missing => Ok(Action::AlreadyAbsent),
                Exit::Exists(answer) => Err(failed("site_alias", "--delete", name.as_str(), &answer)),
                Exit::Failed(e) => Err(e),
            },
        }
    }
}

/// Adds the utility's own words to a message we wrote.
trait MessageTail {
    fn with_message_tail(self, tail: &str) -> Self;
}

impl MessageTail for ProviderError {
    fn with_message_tail(mut self, tail: &str) -> Self {
        self.message = format!("{} (Plesk said: {tail})", self.message);
        self
    }
}

impl Provider for Plesk {
    /// The site's subdomains (from the domain list, with their ids), its
    /// aliases, and the site and its `www.` (protected).
    fn inventory(&self) -> Result<Inventory, ProviderError> {
        let domains = self.client.domains()?;
        let site_id = self.client.find_site(&domains)?.id;
        let mut inventory = Inventory::default();
        for domain in domains.iter().filter(|d| d.parent() == Some(site_id)) {
            inventory.insert(&domain.host(), Some(domain.id.to_string()));
        }
        for alias in self.client.aliases()? {
            inventory.insert(&alias, None);
        }
        // The site serves itself and its www.: present, and never removed.
        for own in [self.client.site.clone(), format!("www.{}", self.client.site)] {
            inventory.insert(&own, None);
            inventory.protect(&own);
        }
        *self.known.lock().unwrap_or_else(|p| p.into_inner()) = domains;
        Ok(inventory)
    }

    /// One utility run per name, `plesk.concurrency` at a time; stops at the
    /// first refusal unless the plan goes on, keeping what was done.
    fn apply(&self, plan: &Plan, inventory: &Inventory) -> Applied {
        let mut applied = each_name(&plan.add, plan, |name| self.add(name));
        if applied.error.is_none() {
            applied.extend(each_name(&plan.remove, plan, |name| self.remove(name, inventory)));
        }
        applied
    }

    /// The login, and that the site exists: one request.
    fn test_connection(&self) -> Result<(), ProviderError> {
        let domains = self.client.domains()?;
        self.client.find_site(&domains).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MapSource;

    fn plesk(site: &str) -> Plesk {
        let values = Values::read(SPEC.settings, &MapSource::new([(HOST, "plesk.example.com"), (API_KEY, "k"), (super::super::DOMAIN, site)]));
        Plesk {
            client: Client {
                base: api_base("plesk.example.com", None).unwrap(),
                credentials: Credentials::ApiKey(Secret::new("k")),
                site: site_name(&values).unwrap(),
                http: HttpSettings::with_timeout(std::time::Duration::from_secs(1)),
            },
            known: Mutex::new(Vec::new()),
        }
    }

    #[test]
    fn names_under_the_site_are_subdomains_by_their_label_and_others_aliases() {
        let p = plesk("WWW.Network.Example");
        let cases = [
            ("network.example", Place::Site),
            ("www.network.example", Place::Site),
            ("blog.network.example", Place::Subdomain("blog".into())),
            ("www.blog.network.example", Place::Subdomain("www.blog".into())),
            ("customer.example", Place::Alias),
            ("www.customer.example", Place::Alias),
            ("xnetwork.example", Place::Alias),
            ("network.example.org", Place::Alias),
        ];
        for (name, want) in cases {
            assert_eq!(p.place(&HostName::parse(name).unwrap()), want, "{name}");
        }
    }

    #[test]
    fn the_holder_of_a_name_is_the_site_it_belongs_to_unless_that_is_ours() {
        let p = plesk("network.example");
        let domains: Vec<Domain> = serde_json::from_str(include_str!("fixtures/domains.json")).unwrap();
        let cases = [
            ("blog.network.example", None),
            ("shop.other.example", Some("other.example")),
            ("other.example", Some("other.example")),
            ("free.example", None),
        ];
        for (name, want) in cases {
            assert_eq!(p.holder(&domains, name).as_deref(), want, "{name}");
        }
    }
}
