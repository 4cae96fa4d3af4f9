//! What Enhance does with a plan: one request per name, several in flight.

use super::client::{api_base, Client};
use super::{configured_target, API_TOKEN, API_URL, SPEC};
use crate::config::Values;
use crate::error::ProviderError;
use crate::http::HttpSettings;
use std::collections::HashSet;

use crate::domain::HostName;
use crate::providers::{each_name, panel_name, read_then_write, Action, Applied, Inventory, PanelOptions, Plan, Provider};
use crate::secret::Secret;

pub struct Enhance {
    client: Client,
}

impl Enhance {
    pub(super) fn build(values: &Values, _options: &PanelOptions) -> Result<Box<dyn Provider>, ProviderError> {
        let token = values.secret(API_TOKEN).map(|t| t.expose().trim()).unwrap_or("");
        if token.is_empty() {
            return Err(ProviderError::config(format!(
                "Enhance API Token not found: define {API_TOKEN} in wp-config.php"
            )));
        }
        // A token is one header word; anything else would fail later with a
        // confusing transport error (and the value must not be echoed).
        if !token.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ProviderError::config(format!(
                "{API_TOKEN} contains spaces or characters a token cannot have: paste the token exactly as Enhance showed it"
            )));
        }
        let token = Secret::new(token);
        let base = api_base(values.require(API_URL)?)?;
        let target = configured_target(values)?;
        let http = HttpSettings::from_values(values, SPEC.default_timeout)?;
        Ok(Box::new(Enhance { client: Client { base, token, target, http } }))
    }

}

impl Provider for Enhance {
    fn inventory(&self) -> Result<Inventory, ProviderError> {
        let mut inventory = Inventory::default();
        for listed in self.client.list_domains()? {
            if listed.primary {
                inventory.protect(&listed.name);
            }
            inventory.insert(&listed.name, Some(listed.id));
        }
        Ok(inventory)
    }

    /// One request per name, `plan.concurrency` at a time; stops at the
    /// first error unless the plan goes on, keeping what was done.
    fn apply(&self, plan: &Plan, inventory: &Inventory) -> Applied {
        let mut applied = each_name(&plan.add, plan, |name| self.client.add(name));
        if applied.error.is_none() {
            applied.extend(each_name(&plan.remove, plan, |name| match inventory.names.get(name.as_str()) {
                Some(Some(id)) => self.client.remove(name, id),
                _ => Ok(Action::AlreadyAbsent),
            }));
        }
        applied
    }

    fn test_connection(&self) -> Result<(), ProviderError> {
        self.client.check_target()
    }

    /// An add posts each name at once: the panel answers `already_exists`
    /// for a name it has, and one listing then confirms that the name is
    /// this target's (and not another website's). A removal lists first:
    /// the panel deletes by id.
    fn change(&self, names: &[HostName], adds: bool) -> Applied {
        if !adds {
            return read_then_write(self, names, false);
        }
        let plan = Plan { add: names.to_vec(), ..Plan::default() };
        let mut applied = each_name(names, &plan, |name| self.client.add(name));
        if !applied.changes.iter().any(|c| c.action == Action::AlreadyPresent) {
            return applied;
        }
        let listed: HashSet<String> = match self.client.list_domains() {
            Ok(listed) => listed.iter().map(|d| panel_name(&d.name)).collect(),
            Err(e) => {
                applied.error.get_or_insert(e);
                return applied;
            }
        };
        let mut confirmed = Applied { error: applied.error.take(), ..Applied::default() };
        for change in applied.changes {
            let taken = change.action == Action::AlreadyPresent && !listed.contains(&change.name);
            match names.iter().find(|n| n.as_str() == change.name) {
                Some(name) if taken => confirmed.refuse(name, self.client.taken_elsewhere(name), &plan),
                _ => confirmed.changes.push(change),
            }
        }
        confirmed
    }
}
