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
    /// ones; off when trying names again right after such a look.
    fn add_names(&self, names: &[HostName], restart_now: bool, plan: &Plan, job: &mut Job, look_again: bool) {
        let list = names.iter().map(HostName::as_str).collect::<Vec<_>>().join(",");
        let args = [self.client.account.as_str(), self.client.web_domain.as_str(), list.as_str(), self.restart_arg(restart_now)];
        match self.client.run("v-add-web-domain-alias", &args) {
            Ok(exit::OK) => {
                job.ran(restart_now, self.restart);
                job.applied.changes.extend(names.iter().map(|n| Change::new(n, Action::Added)));
            }
            Ok(exit::EXISTS) if !look_again && names.len() == 1 => {
                job.applied.refuse(&names[0], self.client.exit_error("v-add-web-domain-alias", exit::EXISTS, &[&names[0]]), plan);
            }
            Ok(exit::EXISTS) if !look_again => self.add_one_by_one(names, restart_now, plan, job),
            // The panel checks every name before changing anything, so
            // nothing was added: the names already ours are present, and
            // the rest are tried again without them.
            Ok(exit::EXISTS) => match self.client.list_aliases() {
                Ok(now) => {
                    let now: std::collections::HashSet<String> = now.into_iter().collect();
                    let (ours, others): (Vec<HostName>, Vec<HostName>) =
                        names.iter().cloned().partition(|n| now.contains(n.as_str()));
                    job.applied.changes.extend(ours.iter().map(|n| Change::new(n, Action::AlreadyPresent)));
                    match (ours.is_empty(), others.len()) {
                        (_, 0) => {}
                        // Ours did not cause the refusal: a name of the rest is taken.
                        (true, 1) => {
                            let error = self.client.exit_error("v-add-web-domain-alias", exit::EXISTS, &[&others[0]]);
                            job.applied.refuse(&others[0], error, plan);
                        }
                        (true, _) => self.add_one_by_one(&others, restart_now, plan, job),
                        (false, _) => self.add_names(&others, restart_now, plan, job, false),
                    }
                }
                Err(e) => job.applied.error = Some(e),
            },
            // The account or the web domain is missing: the listing says which.
            Ok(exit::NOT_EXIST) => {
                let error = match self.client.list_aliases() {
                    Err(e) => e,
                    Ok(_) => self.client.exit_error("v-add-web-domain-alias", exit::NOT_EXIST, &[]),
                };
                job.applied.error = Some(error);
            }
            Ok(code) => {
                let refs: Vec<&HostName> = names.iter().collect();
                job.applied.error = Some(self.client.exit_error("v-add-web-domain-alias", code, &refs));
            }
            Err(e) => job.applied.error = Some(e),
        }
    }

    /// Each name in its own command; the last one reloads when the batch was to.
    fn add_one_by_one(&self, names: &[HostName], restart_now: bool, plan: &Plan, job: &mut Job) {
        for (i, name) in names.iter().enumerate() {
            if job.applied.error.is_some() {
                break;
            }
            self.add_names(std::slice::from_ref(name), restart_now && i + 1 == names.len(), plan, job, false);
        }
    }

    /// One command per alias (the panel deletes one at a time). Exit 3
    /// about the alias means it is already gone; about the account or the
    /// web domain it is an error (`Client::delete_alias`).
    fn delete(&self, name: &HostName, restart_now: bool, plan: &Plan, job: &mut Job) {
        match self.client.delete_alias(name, self.restart_arg(restart_now)) {
            Ok(Action::Removed) => {
                job.ran(restart_now, self.restart);
                job.applied.changes.push(Change::new(name, Action::Removed));
            }
            Ok(action) => job.applied.changes.push(Change::new(name, action)),
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

    /// Writes at once, without listing first: the answers say what was
    /// already there. An add is one command carrying every name; a removal
    /// one delete per name. The last command reloads the web server, or a
    /// reload follows when it found nothing to do but an earlier one changed
    /// something, so a mapping costs one reload.
    fn change(&self, names: &[HostName], adds: bool) -> Applied {
        let mut plan = Plan::default();
        if adds {
            plan.add = names.to_vec();
        } else {
            plan.remove = names.to_vec();
        }
        crate::providers::in_order_of(names, self.apply(&plan, &Inventory::default()))
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

