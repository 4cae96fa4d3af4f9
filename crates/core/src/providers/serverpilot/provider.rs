//! What ServerPilot does with a plan: one read of the app, one update of
//! its whole domain list (whose answer is read back to see that it held),
//! AutoSSL, and (with the `wait` option) waiting for the panel's action.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::client::{api_base, App, Client, Updated};
use super::{API_KEY, APP_ID, CLIENT_ID, DEFAULT_API_URL, API_URL, MAX_DOMAINS, SPEC, UPDATE_ROUNDS, WAIT};
use crate::config::Values;
use crate::domain::{printable, HostName};
use crate::error::{ErrorKind, ProviderError};
use crate::http::HttpSettings;
use crate::providers::{Action, Applied, Change, Inventory, PanelOptions, Plan, Provider};

/// First pause between reads of an action; it doubles up to `POLL_MAX`, so
/// short actions are seen quickly and long ones do not flood the API.
const POLL_START: Duration = Duration::from_millis(250);
const POLL_MAX: Duration = Duration::from_secs(2);

pub struct ServerPilot {
    client: Client,
    wait: Option<Duration>,
    /// The app as `inventory` read it, so `apply` needs no second read.
    last_app: Mutex<Option<App>>,
    /// The action `finish` waits for (with the `wait` option).
    pending_action: Mutex<Option<String>>,
}

impl ServerPilot {
    pub(super) fn build(values: &Values, options: &PanelOptions) -> Result<Box<dyn Provider>, ProviderError> {
        let client_id = values.require(CLIENT_ID)?.trim().to_string();
        if client_id.is_empty() || client_id.chars().any(|c| c == ':' || c.is_whitespace() || c.is_control()) {
            return Err(ProviderError::config(format!(
                "{CLIENT_ID} must be the Client ID from Account → API (no spaces or ':'), got '{}'",
                printable(&client_id)
            )));
        }
        let key = values.secret(API_KEY).cloned().ok_or_else(|| ProviderError::config(format!("{API_KEY} is not defined")))?;
        let app_id = values.require(APP_ID)?.trim().to_string();
        if app_id.is_empty() || !app_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(ProviderError::config(format!(
                "{APP_ID} must be an app id (letters and digits, as in https://manage.serverpilot.io/apps/APP_ID), got '{}'",
                printable(&app_id)
            )));
        }
        let base = api_base(values.get(API_URL).unwrap_or(DEFAULT_API_URL))?;
        let wait = options
            .int(WAIT)
            .filter(|s| *s > 0)
            .map(|s| Duration::from_secs(s.unsigned_abs().min(super::WAIT_MAX_SECONDS as u64)));
        let http = HttpSettings::from_values(values, SPEC.default_timeout)?;
        Ok(Box::new(ServerPilot {
            client: Client::new(base, client_id, key, app_id, http),
            wait,
            last_app: Mutex::new(None),
            pending_action: Mutex::new(None),
        }))
    }

    fn read_app(&self) -> Result<App, ProviderError> {
        self.client.read_app()
    }

    fn update_domains(&self, domains: &DomainList) -> Result<Updated, ProviderError> {
        self.client.update_domains(domains.to_vec())
    }

    /// Reads an action until it is no longer `open` or the wait is over.
    fn wait_for(&self, id: &str, wait: Duration) -> Result<String, ProviderError> {
        let deadline = Instant::now() + wait;
        let mut pause = POLL_START;
        loop {
            let status = self.client.action_status(id)?;
            let now = Instant::now();
            if status != "open" || now >= deadline {
                return Ok(status);
            }
            std::thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(POLL_MAX);
        }
    }

    /// The app `inventory` just read, or a fresh read.
    fn current_app(&self) -> Result<App, ProviderError> {
        let cached = self.last_app.lock().unwrap_or_else(|p| p.into_inner()).take();
        match cached {
            Some(app) => Ok(app),
            None => self.read_app(),
        }
    }

    /// Reads the list back after an update: from the update's own answer
    /// (the app as the panel stored it), or with a read when the answer
    /// does not carry it. While another client's update, made at the same
    /// moment, has undone part of ours (a name we added is missing, one we
    /// removed is back), merges ours in again and resends, up to
    /// `UPDATE_ROUNDS` updates in all; then says what did not hold.
    /// Gives the last update's action id.
    fn converge(
        &self,
        mut update: Updated,
        added: &[String],
        removed: &[String],
    ) -> Result<Result<Option<String>, ProviderError>, ProviderError> {
        for round in 1..=UPDATE_ROUNDS {
            let stored = match update.stored.take() {
                Some(stored) => stored,
                None => {
                    self.read_app()
                        .map_err(|e| ProviderError {
                            message: format!("the domain list was updated, but reading it back failed: {}", e.message),
                            ..e
                        })?
                        .domains
                }
            };
            let mut list = DomainList::from_panel(&stored);
            let missing: Vec<&str> = added.iter().map(String::as_str).filter(|n| !list.contains(n)).collect();
            let back: Vec<&str> = removed.iter().map(String::as_str).filter(|n| list.contains(n)).collect();
            if missing.is_empty() && back.is_empty() {
                return Ok(update.action);
            }
            if round == UPDATE_ROUNDS {
                return Err(self.not_converged(&missing, &back));
            }
            for name in removed {
                list.remove(name);
            }
            for name in added {
                list.insert(name);
            }
            if !missing.is_empty() && list.len() > MAX_DOMAINS {
                return Err(self.over_cap(list.len()));
            }
            update = self.update_domains(&list)?;
        }
        unreachable!("the last round returns")
    }

    fn not_converged(&self, missing: &[&str], back: &[&str]) -> ProviderError {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("still lacks {}", some_names(missing)));
        }
        if !back.is_empty() {
            parts.push(format!("still has {}", some_names(back)));
        }
        ProviderError::new(
            ErrorKind::Api,
            format!(
                "another client kept changing the domain list of ServerPilot app {} at the same time: after {UPDATE_ROUNDS} updates it {}. Run the operation again; if this keeps happening, make sure one system alone manages this app's domains",
                self.client.app_id,
                parts.join(" and ")
            ),
        )
        .with_code("conflict")
    }

    fn over_cap(&self, would_have: usize) -> ProviderError {
        ProviderError::new(
            ErrorKind::Limit,
            format!(
                "ServerPilot allows at most {MAX_DOMAINS} domains per app and app {} would have {would_have}: remove unused domains from it, or serve more sites from another app",
                self.client.app_id
            ),
        )
    }

    /// After a 409 on an update: the conflict is harmless when the app
    /// already looks as the plan wants; otherwise it is reported.
    fn settle_conflict(&self, plan: &Plan, conflict: ProviderError) -> Applied {
        let app = match self.read_app() {
            Ok(app) => app,
            Err(e) => return Applied::stopped(e),
        };
        let list = DomainList::from_panel(&app.domains);
        let has = |n: &HostName| list.contains(n.as_str());
        if plan.add.iter().all(has) && !plan.remove.iter().any(has) {
            let mut changes: Vec<Change> = plan.remove.iter().map(|n| Change::new(n, Action::AlreadyAbsent)).collect();
            changes.extend(plan.add.iter().map(|n| Change::new(n, Action::AlreadyPresent)));
            Applied { changes, ..Applied::default() }
        } else {
            Applied::stopped(conflict)
        }
    }
}

impl Provider for ServerPilot {
    fn inventory(&self) -> Result<Inventory, ProviderError> {
        let app = self.read_app()?;
        let mut inventory = Inventory::default();
        for domain in &app.domains {
            inventory.insert(domain, None);
        }
        *self.last_app.lock().unwrap_or_else(|p| p.into_inner()) = Some(app);
        Ok(inventory)
    }

    fn apply(&self, plan: &Plan, _inventory: &Inventory) -> Applied {
        let app = match self.current_app() {
            Ok(app) => app,
            Err(e) => return Applied::stopped(e),
        };
        // Duplicates left by earlier clients are dropped while we are here.
        let mut list = DomainList::from_panel(&app.domains);
        let mut changes = Vec::with_capacity(plan.remove.len() + plan.add.len());
        for name in &plan.remove {
            let action = if list.remove(name.as_str()) { Action::Removed } else { Action::AlreadyAbsent };
            changes.push(Change::new(name, action));
        }
        for name in &plan.add {
            let action = if list.insert(name.as_str()) { Action::Added } else { Action::AlreadyPresent };
            changes.push(Change::new(name, action));
        }
        let names_with = |action| changes.iter().filter(|c| c.action == action).map(|c| c.name.clone()).collect::<Vec<String>>();
        let (added, removed) = (names_with(Action::Added), names_with(Action::Removed));
        if added.is_empty() && removed.is_empty() {
            return Applied { changes, ..Applied::default() };
        }
        if !added.is_empty() && list.len() > MAX_DOMAINS {
            return Applied::stopped(self.over_cap(list.len()));
        }

        let update = match self.update_domains(&list) {
            Ok(update) => update,
            Err(e) if e.http_status == Some(409) => return self.settle_conflict(plan, e),
            Err(e) => return Applied::stopped(e),
        };
        let action = match self.converge(update, &added, &removed) {
            Ok(done) => done,
            // The first update went through: what it did is reported with the error.
            Err(e) => return Applied { changes, error: Some(e), ..Applied::default() },
        };
        let mut applied = Applied { changes, ..Applied::default() };
        match action {
            Ok(Some(id)) => {
                for change in applied.changes.iter_mut().filter(|c| matches!(c.action, Action::Added | Action::Removed)) {
                    change.action_id = Some(id.clone());
                }
                if self.wait.is_some() {
                    *self.pending_action.lock().unwrap_or_else(|p| p.into_inner()) = Some(id);
                }
            }
            Ok(None) => {}
            Err(e) => applied.error = Some(e),
        }
        if !added.is_empty() && applied.error.is_none() && app.wants_autossl() {
            if let Err(e) = self.client.enable_autossl() {
                applied.error = Some(ProviderError {
                    message: format!("the domains were updated, but AutoSSL could not be turned on: {}", e.message),
                    ..e
                });
            }
        }
        applied
    }

    /// Waits for the update's action (the `wait` option), after the app's
    /// lock is released so other writers need not wait too.
    fn finish(&self, applied: &mut Applied) {
        let pending = self.pending_action.lock().unwrap_or_else(|p| p.into_inner()).take();
        let (Some(id), Some(wait)) = (pending, self.wait) else { return };
        let status = match self.wait_for(&id, wait) {
            Ok(status) => status,
            Err(e) => {
                applied.error.get_or_insert(e);
                return;
            }
        };
        if status == "error" {
            applied.error.get_or_insert(ProviderError::new(
                ErrorKind::Api,
                format!("ServerPilot accepted the new domain list of app {} but its action {id} ended in error; check the app in the ServerPilot dashboard", self.client.app_id),
            ));
        }
        for change in applied.changes.iter_mut().filter(|c| c.action_id.as_deref() == Some(id.as_str())) {
            change.action_status = Some(status.clone());
        }
    }

    fn test_connection(&self) -> Result<(), ProviderError> {
        self.read_app().map(|_| ())
    }
}

/// Up to five names, then how many more.
fn some_names(names: &[&str]) -> String {
    let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    match names.len() {
        n if n > 5 => format!("{shown} and {} more", n - 5),
        _ => shown,
    }
}

/// An app's domain list without duplicates, in the panel's order, with
/// lookups by normalised name: work stays linear in the list's length.
#[derive(Debug, Clone, Default)]
struct DomainList {
    /// As the panel spells them; removed ones are filtered out by `to_vec`.
    names: Vec<String>,
    /// Normalised names currently in the list.
    index: HashSet<String>,
}

impl DomainList {
    fn from_panel(domains: &[String]) -> Self {
        let mut list = DomainList { names: Vec::with_capacity(domains.len()), index: HashSet::with_capacity(domains.len()) };
        for d in domains {
            if !d.trim().is_empty() {
                list.insert(d);
            }
        }
        list
    }

    fn contains(&self, name: &str) -> bool {
        self.index.contains(&normalise(name))
    }

    /// False when it was there already.
    fn insert(&mut self, name: &str) -> bool {
        let inserted = self.index.insert(normalise(name));
        if inserted {
            self.names.push(name.to_string());
        }
        inserted
    }

    /// False when it was not there.
    fn remove(&mut self, name: &str) -> bool {
        self.index.remove(&normalise(name))
    }

    fn len(&self) -> usize {
        self.index.len()
    }

    fn to_vec(&self) -> Vec<String> {
        let mut seen = HashSet::with_capacity(self.index.len());
        self.names
            .iter()
            .filter(|d| {
                let n = normalise(d);
                self.index.contains(&n) && seen.insert(n)
            })
            .cloned()
            .collect()
    }
}

fn normalise(domain: &str) -> String {
    crate::providers::panel_name(domain)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_list_compares_names_without_case_or_trailing_dot_and_keeps_one_of_each() {
        let panel: Vec<String> = ["A.example", "a.example.", "b.example", " ", "WWW.Customer.Example."].map(String::from).to_vec();
        let mut list = DomainList::from_panel(&panel);
        assert_eq!(list.to_vec(), ["A.example", "b.example", "WWW.Customer.Example."]);
        assert!(list.contains("www.customer.example"));
        assert!(!list.contains("customer.example"));
        assert!(!list.insert("a.example"), "already there");
        assert!(list.remove("a.EXAMPLE"));
        assert!(!list.remove("a.example"), "already gone");
        assert!(list.insert("a.example"));
        // Back in, once, where it was.
        assert_eq!(list.to_vec(), ["A.example", "b.example", "WWW.Customer.Example."]);
        assert_eq!(list.len(), 3);
    }
}
