//! What Hestia does with a plan: names added in chunks, one command each,
//! removed one by one, and the web server reloaded once per job.

use super::client::{api_endpoint, exit, Client, Credentials};
use super::{web_domain, ACCOUNT, API_HASH, API_PASSWORD, API_URL, API_USER, RESTART, SPEC};
use crate::config::{parse_yes_no, Values};
use crate::domain::HostName;
use crate::error::ProviderError;
use crate::http::HttpSettings;
use crate::providers::{Action, Applied, Change, Inventory, PanelOptions, Plan, Provider};

pub struct Hestia {
    client: Client,
    restart: bool,
}

impl Hestia {
    pub(super) fn build(values: &Values, _options: &PanelOptions) -> Result<Box<dyn Provider>, ProviderError> {
        let endpoint = api_endpoint(values.require(API_URL)?)?;
        let credentials = match (values.secret(API_HASH), values.secret(API_PASSWORD)) {
            (Some(hash), _) => Credentials::Hash(hash.clone()),
            (None, Some(password)) => {
                Credentials::Password { user: values.require(API_USER)?.trim().to_string(), password: password.clone() }
            }
            (None, None) => return Err(ProviderError::config(format!("{API_PASSWORD} or {API_HASH} is not defined"))),
        };
        let account = values.require(ACCOUNT)?.trim().to_string();
        if account.is_empty() || !account.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            return Err(ProviderError::config(format!(
                "{ACCOUNT} must be a Hestia user name (letters, digits, '-', '_', '.'), got '{}'",
                crate::domain::printable(&account)
            )));
        }
        let web_domain = web_domain(values)?;
        let restart = parse_yes_no(RESTART, values.get(RESTART).unwrap_or("yes"))?;
        let http = HttpSettings::from_values(values, SPEC.default_timeout)?;
        Ok(Box::new(Hestia { client: Client { endpoint, credentials, account, web_domain, http }, restart }))
    }

    fn restart_arg(&self, now: bool) -> &'static str {
        if self.restart && now { "yes" } else { "no" }
    }

    /// Adds `names` in one command (exit 4 means one of them is taken:
    /// split it up so the others still get in).
    fn add_chunk(&self, names: &[HostName], restart_now: bool, plan: &Plan, job: &mut Job) {
        self.add_names(names, restart_now, plan, job, true)
    }

    /// `look_again`: on exit 4, list the aliases to tell ours from taken
    /// ones; off when trying names one by one right after such a look.
    fn add_names(&self, names: &[HostName], restart_now: bool, plan: &Plan, job: &mut Job, look_again: bool) {
        let list = names.iter().map(HostName::as_str).collect::<Vec<_>>().join(",");
        let args = [self.client.account.as_str(), self.client.web_domain.as_str(), list.as_str(), self.restart_arg(restart_now)];
        match self.client.run("v-add-web-domain-alias", &args) {
            Ok(exit::OK) => {
                job.ran(restart_now, self.restart);
                job.applied.changes.extend(names.iter().map(|n| Change::new(n, Action::Added)));
            }
            Ok(exit::EXISTS) if !look_again => {
                for name in names {
                    job.applied.refuse(name, self.client.exit_error("v-add-web-domain-alias", exit::EXISTS, &[name]), plan);
                }
            }
            // Someone else may have added some since we looked: those that
            // are ours now are present; the rest are tried one by one.
            Ok(exit::EXISTS) => match self.client.list_aliases() {
                Ok(now) => {
                    let now: std::collections::HashSet<String> = now.into_iter().collect();
                    let (ours, others): (Vec<HostName>, Vec<HostName>) =
                        names.iter().cloned().partition(|n| now.contains(n.as_str()));
                    job.applied.changes.extend(ours.iter().map(|n| Change::new(n, Action::AlreadyPresent)));
                    if others.len() == 1 {
                        let error = self.client.exit_error("v-add-web-domain-alias", exit::EXISTS, &[&others[0]]);
                        job.applied.refuse(&others[0], error, plan);
                    } else {
                        for name in &others {
                            if job.applied.error.is_some() {
                                break;
                            }
                            self.add_names(std::slice::from_ref(name), false, plan, job, false);
                        }
                    }
                }
                Err(e) => job.applied.error = Some(e),
            },
            Ok(code) => {
                let refs: Vec<&HostName> = names.iter().collect();
                job.applied.error = Some(self.client.exit_error("v-add-web-domain-alias", code, &refs));
            }
            Err(e) => job.applied.error = Some(e),
        }
    }

    /// One command per alias (the panel deletes one at a time).
    fn delete(&self, name: &HostName, restart_now: bool, plan: &Plan, job: &mut Job) {
        let args = [self.client.account.as_str(), self.client.web_domain.as_str(), name.as_str(), self.restart_arg(restart_now)];
        match self.client.run("v-delete-web-domain-alias", &args) {
            Ok(exit::OK) => {
                job.ran(restart_now, self.restart);
                job.applied.changes.push(Change::new(name, Action::Removed));
            }
            // Gone since we looked (the web domain itself was checked then).
            Ok(exit::NOT_EXIST) => job.applied.changes.push(Change::new(name, Action::AlreadyAbsent)),
            Ok(code) => job.applied.refuse(name, self.client.exit_error("v-delete-web-domain-alias", code, &[name]), plan),
            Err(e) => job.applied.refuse(name, e, plan),
        }
    }
}

/// Most aliases in one add command, and most bytes of its alias list: far
/// below the kernel's limit on one argument, and short work for the panel.
const MAX_ALIASES_PER_COMMAND: usize = 100;
const MAX_ALIAS_LIST_BYTES: usize = 8 * 1024;

fn chunks(names: &[HostName]) -> Vec<&[HostName]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, name) in names.iter().enumerate() {
        let size = name.as_str().len() + 1;
        if i > start && (i - start == MAX_ALIASES_PER_COMMAND || bytes + size > MAX_ALIAS_LIST_BYTES) {
            out.push(&names[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < names.len() {
        out.push(&names[start..]);
    }
    out
}

/// A job's progress, and whether a change made without reloading still
/// waits for the web server to reload.
#[derive(Default)]
struct Job {
    applied: Applied,
    reload_owed: bool,
}

impl Job {
    fn ran(&mut self, reloaded: bool, restart_enabled: bool) {
        self.reload_owed = restart_enabled && !reloaded;
    }
}

impl Provider for Hestia {
    fn manages_subdomains(&self) -> bool {
        false
    }

    fn inventory(&self) -> Result<Inventory, ProviderError> {
        let mut inventory = Inventory::default();
        for alias in self.client.list_aliases()? {
            inventory.insert(&alias, None);
        }
        inventory.protect(&self.client.web_domain);
        inventory.protect(&format!("www.{}", self.client.web_domain));
        Ok(inventory)
    }

    /// Adds in chunks, then deletes one by one; only the job's last command
    /// reloads the web server, so a whole job costs one reload.
    fn apply(&self, plan: &Plan, _inventory: &Inventory) -> Applied {
        let add_chunks = chunks(&plan.add);
        let commands = add_chunks.len() + plan.remove.len();
        let mut job = Job::default();
        let mut sent = 0;
        for chunk in add_chunks {
            sent += 1;
            self.add_chunk(chunk, sent == commands, plan, &mut job);
            if job.applied.error.is_some() {
                break;
            }
        }
        if job.applied.error.is_none() {
            for name in &plan.remove {
                sent += 1;
                self.delete(name, sent == commands, plan, &mut job);
                if job.applied.error.is_some() {
                    break;
                }
            }
        }
        if job.reload_owed {
            // The command that was to reload did not run, failed, or found
            // nothing to do: the changes already made must still go live.
            let reloaded = self.client.run("v-restart-web", &[]).and_then(|code| match code {
                exit::OK => Ok(()),
                code => Err(self.client.exit_error("v-restart-web", code, &[])),
            });
            if let Err(e) = reloaded {
                job.applied.error.get_or_insert(e);
            }
        }
        job.applied
    }

    fn test_connection(&self) -> Result<(), ProviderError> {
        self.client.list_aliases().map(|_| ())
    }
}

