//! The operations PHP calls: add/remove a mapping or a subdomain across the
//! configured providers, test a connection, describe the providers.

use serde::Serialize;

use crate::config::{ConfigSource, Values};
use crate::domain::{HostName, WwwRule};
use crate::error::{CallerError, ProviderError};
use crate::lock;
use crate::providers::{self, Action, Applied, Change, PanelOptions, Plan, Provider, ProviderSpec};
use crate::secret::Redactor;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    AddDomain,
    RemoveDomain,
    AddSubdomain,
    RemoveSubdomain,
}

impl Operation {
    fn adds(self) -> bool {
        matches!(self, Operation::AddDomain | Operation::AddSubdomain)
    }

    fn is_subdomain(self) -> bool {
        matches!(self, Operation::AddSubdomain | Operation::RemoveSubdomain)
    }
}

/// The caller's options, already type-checked by the binding.
#[derive(Debug, Clone)]
pub struct Options {
    /// Provider ids to act on; `None` means every configured one.
    pub providers: Option<Vec<String>>,
    pub www: WwwRule,
    /// Options the panels declare (`ProviderSpec::options`), such as
    /// ServerPilot's `wait`.
    pub panel: PanelOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options { providers: None, www: WwwRule::Always, panel: PanelOptions::default() }
    }
}

/// Options every change function takes; panels declare their own on top
/// (`ProviderSpec::options`, such as ServerPilot's `wait`).
pub const COMMON_OPTIONS: &[&str] = &["providers", "www"];

/// The option names the change functions accept: the common ones, then
/// every registered panel's, in registry order.
pub fn option_names() -> Vec<&'static str> {
    let mut names = COMMON_OPTIONS.to_vec();
    for spec in providers::REGISTRY {
        names.extend(spec.options.iter().map(|o| o.name));
    }
    names
}

#[derive(Debug, Clone, Serialize)]
pub struct ProviderResult {
    pub provider: String,
    pub ok: bool,
    pub changes: Vec<Change>,
    pub error: Option<ProviderError>,
    /// Conditions the caller should know about although the call succeeded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperationResult {
    pub ok: bool,
    pub operation: Operation,
    pub domain: String,
    pub site_id: i64,
    pub results: Vec<ProviderResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConnectionResult {
    pub provider: String,
    pub ok: bool,
    pub message: String,
    pub error: Option<ProviderError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProviderInfo {
    pub id: String,
    pub title: String,
    pub configured: bool,
    pub missing: Vec<String>,
    pub constants: Vec<String>,
    pub optional: Vec<String>,
    /// The constants whose values are secrets: never shown, logged or put in a message.
    pub secrets: Vec<String>,
    /// Ultimate Multisite's classes that handle this panel on the domain hooks.
    pub plugin_handlers: Vec<String>,
    /// The addressing mode the constants select, for providers with several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Names the panel target the constants select (`serverpilot:<16 hex>`),
    /// for a lock shared by every writer of that target. Not a secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_key: Option<String>,
}

pub const ACCESS_AUTHORIZED: &str = "Access Authorized";

/// Adds or removes one mapping (or subdomain) on each selected provider.
pub fn run(
    operation: Operation,
    name: &str,
    site_id: i64,
    options: &Options,
    source: &dyn ConfigSource,
) -> Result<OperationResult, CallerError> {
    // Validate first: a bad name sends nothing anywhere.
    let host = HostName::parse(name)?;
    // A subdomain site is its one name, unless the panel gives it a www. too.
    let names_for = |provider: &dyn Provider| {
        if operation.is_subdomain() && !provider.www_for_subdomains() {
            vec![host.clone()]
        } else {
            options.www.expand(&host)
        }
    };
    let selected = select(options.providers.as_deref(), source)?;

    let mut redactor = Redactor::default();
    let mut results = Vec::with_capacity(selected.len());
    for (spec, values) in &selected {
        values.add_secrets_to(&mut redactor);
        let mut notes = warnings(values);
        let applied = match (spec.build)(values, &options.panel) {
            Err(e) => Applied::stopped(e),
            Ok(provider) => {
                let names = names_for(provider.as_ref());
                let mut applied = change(provider.as_ref(), spec, values, operation, &names, &mut notes);
                provider.finish(&mut applied);
                applied
            }
        };
        results.push(ProviderResult {
            provider: spec.id.to_string(),
            ok: applied.error.is_none(),
            changes: applied.changes,
            error: applied.error,
            warnings: notes,
        });
    }
    Ok(redacted(
        OperationResult { ok: results.iter().all(|r| r.ok), operation, domain: host.to_string(), site_id, results },
        &redactor,
    ))
}

/// Adds or removes one mapping's names on one provider, under the target's
/// lock, so processes changing one target take turns and none undoes
/// another's change. The provider decides how (`Provider::change`).
fn change(
    provider: &dyn Provider,
    spec: &ProviderSpec,
    values: &Values,
    operation: Operation,
    names: &[HostName],
    notes: &mut Vec<String>,
) -> Applied {
    if operation.is_subdomain() && !provider.manages_subdomains() {
        return Applied { changes: names.iter().map(|n| Change::new(n, Action::Skipped)).collect(), ..Applied::default() };
    }
    let _lock = match exclusive(spec, values, notes) {
        Ok(lock) => lock,
        Err(e) => return Applied::stopped(e),
    };
    provider.change(names, operation.adds())
}

/// Takes the lock of the provider's target, waiting at most the provider's
/// request timeout. A lock file that cannot be used at all lets the work go
/// on unserialized, with a warning; a lock held by another process for the
/// whole wait stops it.
fn exclusive(spec: &ProviderSpec, values: &Values, notes: &mut Vec<String>) -> Result<Option<lock::TargetLock>, ProviderError> {
    let Some(target) = (spec.target)(values) else { return Ok(None) };
    let key = lock::LockKey::new(spec.id, &target.identity);
    let wait = values.timeout(spec.default_timeout).unwrap_or(spec.default_timeout);
    match lock::acquire(&key, wait, &target.label) {
        Ok(held) => Ok(Some(held)),
        Err(lock::LockFailure::Busy(e)) => Err(e),
        Err(lock::LockFailure::Unavailable(warning)) => {
            notes.push(warning);
            Ok(None)
        }
    }
}

/// What a result must say about how it was obtained.
fn warnings(values: &Values) -> Vec<String> {
    let skip_verify = values
        .get(crate::config::SSL_VERIFY)
        .is_some_and(|v| crate::config::parse_yes_no(crate::config::SSL_VERIFY, v) == Ok(false));
    if skip_verify {
        vec![format!(
            "{} is false: the panel's TLS certificate was not verified, so the connection could be intercepted; use {} instead",
            crate::config::SSL_VERIFY,
            crate::config::CA_FILE
        )]
    } else {
        vec![]
    }
}

/// A result with every text that can carry a panel's words or a setting's
/// value (error messages and codes, messages, warnings) passed through the
/// redactor of the settings read. Every operation returns its result
/// through this one pass.
fn redacted<T: Redact>(mut result: T, redactor: &Redactor) -> T {
    result.redact(redactor);
    result
}

/// What `redacted` walks: each result type redacts all its texts.
trait Redact {
    fn redact(&mut self, redactor: &Redactor);
}

impl Redact for String {
    fn redact(&mut self, redactor: &Redactor) {
        *self = redactor.redact(self);
    }
}

impl<T: Redact> Redact for Vec<T> {
    fn redact(&mut self, redactor: &Redactor) {
        self.iter_mut().for_each(|item| item.redact(redactor));
    }
}

impl<T: Redact> Redact for Option<T> {
    fn redact(&mut self, redactor: &Redactor) {
        if let Some(item) = self {
            item.redact(redactor);
        }
    }
}

impl Redact for ProviderError {
    fn redact(&mut self, redactor: &Redactor) {
        self.message.redact(redactor);
        if let Some(crate::error::ProviderCode::Text(t)) = &mut self.provider_code {
            t.redact(redactor);
        }
    }
}

impl Redact for ProviderResult {
    fn redact(&mut self, redactor: &Redactor) {
        self.error.redact(redactor);
        self.warnings.redact(redactor);
    }
}

impl Redact for OperationResult {
    fn redact(&mut self, redactor: &Redactor) {
        self.results.redact(redactor);
    }
}

impl Redact for ConnectionResult {
    fn redact(&mut self, redactor: &Redactor) {
        self.message.redact(redactor);
        self.error.redact(redactor);
        self.warnings.redact(redactor);
    }
}

impl Redact for FailedName {
    fn redact(&mut self, redactor: &Redactor) {
        self.error.redact(redactor);
    }
}

impl Redact for SyncProviderResult {
    fn redact(&mut self, redactor: &Redactor) {
        self.error.redact(redactor);
        self.failed.redact(redactor);
        self.warnings.redact(redactor);
    }
}

impl Redact for SyncResult {
    fn redact(&mut self, redactor: &Redactor) {
        self.results.redact(redactor);
    }
}

/// The providers to act on, each with its settings read now.
fn select(
    wanted: Option<&[String]>,
    source: &dyn ConfigSource,
) -> Result<Vec<(&'static ProviderSpec, Values)>, CallerError> {
    match wanted {
        Some(ids) if !ids.is_empty() => {
            let mut out = Vec::new();
            for id in ids {
                let spec = find_spec(id)?;
                let values = Values::read(spec.settings, source);
                if !values.is_complete() {
                    return Err(not_configured(spec, &values));
                }
                if !out.iter().any(|(s, _): &(&ProviderSpec, Values)| s.id == spec.id) {
                    out.push((spec, values));
                }
            }
            Ok(out)
        }
        _ => {
            let out: Vec<_> = providers::REGISTRY
                .iter()
                .map(|spec| (*spec, Values::read(spec.settings, source)))
                .filter(|(_, values)| values.is_complete())
                .collect();
            if out.is_empty() {
                return Err(CallerError::Config(format!(
                    "no hosting provider is configured: define the constants of one of them ({})",
                    providers::REGISTRY
                        .iter()
                        .map(|s| format!("{}: {}", s.id, Values::read(s.settings, source).missing_phrases.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ")
                )));
            }
            Ok(out)
        }
    }
}

fn find_spec(id: &str) -> Result<&'static ProviderSpec, CallerError> {
    providers::find(id).ok_or_else(|| {
        let known: Vec<&str> = providers::REGISTRY.iter().map(|s| s.id).collect();
        CallerError::Config(format!(
            "unknown provider '{}': wu_native supports {}",
            crate::domain::printable(id),
            known.join(", ")
        ))
    })
}

fn not_configured(spec: &ProviderSpec, values: &Values) -> CallerError {
    CallerError::Config(format!(
        "{} is not configured: define {} in wp-config.php",
        spec.title,
        values.missing_phrases.join(", ")
    ))
}

/// Checks credentials and the configured target of one provider.
pub fn test_connection(id: &str, source: &dyn ConfigSource) -> Result<ConnectionResult, CallerError> {
    let spec = find_spec(id)?;
    let values = Values::read(spec.settings, source);
    if !values.is_complete() {
        return Err(not_configured(spec, &values));
    }
    let mut redactor = Redactor::default();
    values.add_secrets_to(&mut redactor);
    let outcome = (spec.build)(&values, &PanelOptions::default()).and_then(|p| p.test_connection());
    let result = match outcome {
        Ok(()) => ConnectionResult {
            provider: id.to_string(),
            ok: true,
            message: ACCESS_AUTHORIZED.to_string(),
            error: None,
            warnings: warnings(&values),
        },
        Err(e) => {
            ConnectionResult { provider: id.to_string(), ok: false, message: e.message.clone(), error: Some(e), warnings: warnings(&values) }
        }
    };
    Ok(redacted(result, &redactor))
}

/// Every supported provider, whether it is configured, and what it reads.
pub fn providers(source: &dyn ConfigSource) -> Vec<ProviderInfo> {
    providers::REGISTRY
        .iter()
        .map(|spec| {
            let values = Values::read(spec.settings, source);
            ProviderInfo {
                id: spec.id.to_string(),
                title: spec.title.to_string(),
                configured: values.is_complete(),
                missing: values.missing.iter().map(|s| s.to_string()).collect(),
                constants: spec.required_constants().into_iter().map(String::from).collect(),
                optional: spec.optional_constants().into_iter().map(String::from).collect(),
                secrets: spec.settings.iter().filter(|s| s.secret).map(|s| s.name.to_string()).collect(),
                plugin_handlers: spec.plugin_handlers.iter().map(|c| c.to_string()).collect(),
                mode: if values.is_complete() { (spec.mode)(&values).map(String::from) } else { None },
                lock_key: if values.is_complete() { spec.lock_key(&values).map(|k| k.to_string()) } else { None },
            }
        })
        .collect()
}

// ---------------------------------------------------------------- bulk reconcile

/// Options of `wu_native_sync`.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub providers: Option<Vec<String>>,
    pub www: WwwRule,
    /// Also remove what the panel serves and nobody wants (minus protected names).
    pub prune: bool,
    /// Names never removed, on top of the protected ones.
    pub keep: Vec<String>,
    /// Plan only: send no write.
    pub dry_run: bool,
    /// Requests in flight at once where a panel takes one name per request (Enhance).
    pub concurrency: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions { providers: None, www: WwwRule::Always, prune: false, keep: vec![], dry_run: false, concurrency: 4 }
    }
}

pub const MAX_SYNC_CONCURRENCY: usize = 32;

/// The setting naming the network's own domain (wp-config.php of a multisite).
const NETWORK_DOMAIN: &str = "DOMAIN_CURRENT_SITE";

#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncCounts {
    /// Names the panel served before the job.
    pub present: usize,
    pub wanted: usize,
    pub protected: usize,
    pub to_add: usize,
    pub to_remove: usize,
    pub added: usize,
    pub removed: usize,
    pub failed: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncPlan {
    pub add: Vec<String>,
    pub remove: Vec<String>,
    /// With prune: names the panel serves that nobody wants but that are
    /// never removed (wildcards, the panel's base names, `keep`, the network's).
    pub protected: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailedName {
    pub name: String,
    pub error: ProviderError,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncProviderResult {
    pub provider: String,
    pub ok: bool,
    pub counts: SyncCounts,
    pub plan: SyncPlan,
    /// What was done, one entry per name written (none in a dry run).
    pub changes: Vec<Change>,
    pub failed: Vec<FailedName>,
    pub error: Option<ProviderError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncResult {
    pub ok: bool,
    pub operation: &'static str,
    pub dry_run: bool,
    pub prune: bool,
    /// Names asked for, after the www rule and de-duplication.
    pub wanted: usize,
    /// Entries of the list that are not valid host names, in the order
    /// given: they were left out and every other name was synced. They do
    /// not make `ok` false, which speaks of the panels.
    pub invalid: Vec<InvalidName>,
    pub results: Vec<SyncProviderResult>,
}

/// An entry of a sync list that is not a host name, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidName {
    /// The entry as shown in messages: control characters escaped, cut
    /// after 80 characters (`domain::printable`).
    pub name: String,
    pub reason: String,
}

/// Makes each selected panel serve exactly `domains` (each expanded by the
/// www rule): reads what it has, adds what is missing and, with `prune`,
/// removes what nobody wants but protected names. A failure on one provider
/// does not stop the others.
pub fn sync(domains: &[String], options: &SyncOptions, source: &dyn ConfigSource) -> Result<SyncResult, CallerError> {
    let (wanted, invalid) = wanted_names(domains, options.www);
    let protected = Protected::read(&options.keep, source)?;
    let selected = select(options.providers.as_deref(), source)?;
    let concurrency = options.concurrency.clamp(1, MAX_SYNC_CONCURRENCY);
    let mut redactor = Redactor::default();
    let mut results = Vec::with_capacity(selected.len());
    for (spec, values) in &selected {
        values.add_secrets_to(&mut redactor);
        let mut notes = warnings(values);
        let mut result = match (spec.build)(values, &PanelOptions::default()) {
            Err(e) => SyncProviderResult::failed(spec.id, e),
            Ok(provider) => {
                // A dry run writes nothing, so it takes no turn.
                let lock = if options.dry_run { Ok(None) } else { exclusive(spec, values, &mut notes) };
                match lock {
                    Err(e) => SyncProviderResult::failed(spec.id, e),
                    Ok(_lock) => reconcile(provider.as_ref(), spec.id, &wanted, &protected, options, concurrency),
                }
            }
        };
        result.warnings = notes;
        result.ok = result.error.is_none() && result.failed.is_empty();
        results.push(result);
    }
    Ok(redacted(SyncResult {
        ok: results.iter().all(|r| r.ok),
        operation: "sync",
        dry_run: options.dry_run,
        prune: options.prune,
        wanted: wanted.len(),
        invalid,
        results,
    }, &redactor))
}

/// The valid names, expanded and de-duplicated, in the order given; and
/// the entries that are not host names, each once, with the reason.
fn wanted_names(domains: &[String], www: WwwRule) -> (Vec<HostName>, Vec<InvalidName>) {
    let mut wanted = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut invalid: Vec<InvalidName> = Vec::new();
    for raw in domains {
        match HostName::parse(raw) {
            Ok(host) => {
                for name in www.expand(&host) {
                    if seen.insert(name.clone()) {
                        wanted.push(name);
                    }
                }
            }
            Err(e) => {
                if !invalid.iter().any(|i| i.name == e.input) {
                    invalid.push(InvalidName { name: e.input, reason: e.reason });
                }
            }
        }
    }
    (wanted, invalid)
}

/// Names a reconcile never removes besides the panel's own base names.
struct Protected {
    keep: Vec<HostName>,
    /// The network's domain (`DOMAIN_CURRENT_SITE`): it, and every name
    /// under it (the network's subdomain sites), stay.
    network: Option<HostName>,
}

impl Protected {
    fn read(keep: &[String], source: &dyn ConfigSource) -> Result<Protected, CallerError> {
        let keep = keep
            .iter()
            .map(|raw| HostName::parse(raw).map_err(|e| CallerError::InvalidOption(format!("option 'keep': {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let network = source.get(NETWORK_DOMAIN).and_then(|d| HostName::parse(&d).ok());
        Ok(Protected { keep, network })
    }

    /// Whether a reconcile must leave `name` alone: wildcards, the panel's
    /// base names, kept names, the network's domain and its sites.
    fn covers(&self, name: &str, inventory: &providers::Inventory) -> bool {
        name.starts_with("*.")
            || inventory.protected.contains(name)
            || self.keep.iter().any(|k| k.as_str() == name)
            || self.network.as_ref().is_some_and(|n| {
                let base = n.as_str().strip_prefix("www.").unwrap_or(n.as_str());
                name == base || name.ends_with(&format!(".{base}"))
            })
    }
}

fn reconcile(
    provider: &dyn Provider,
    id: &str,
    wanted: &[HostName],
    protect: &Protected,
    options: &SyncOptions,
    concurrency: usize,
) -> SyncProviderResult {
    let inventory = match provider.inventory() {
        Ok(inventory) => inventory,
        Err(e) => return SyncProviderResult::failed(id, e),
    };
    let mut plan = Plan { concurrency, keep_going: true, ..Plan::default() };
    plan.add = wanted.iter().filter(|n| !inventory.contains(n)).cloned().collect();
    let wanted_set: std::collections::HashSet<&str> = wanted.iter().map(HostName::as_str).collect();
    let mut protected = Vec::new();
    if options.prune {
        for name in inventory.names.keys() {
            if wanted_set.contains(name.as_str()) {
                continue;
            }
            if protect.covers(name, &inventory) {
                protected.push(name.clone());
                continue;
            }
            // A name the panel holds that is not a valid host name (a
            // wildcard was handled above) is left alone: we cannot send it.
            if let Ok(host) = HostName::parse(name) {
                plan.remove.push(host);
            }
        }
    }
    let mut result = SyncProviderResult::new(id);
    result.counts = SyncCounts {
        present: inventory.names.len(),
        wanted: wanted.len(),
        protected: protected.len(),
        to_add: plan.add.len(),
        to_remove: plan.remove.len(),
        ..SyncCounts::default()
    };
    result.plan = SyncPlan {
        add: plan.add.iter().map(HostName::to_string).collect(),
        remove: plan.remove.iter().map(HostName::to_string).collect(),
        protected,
    };
    if options.dry_run || plan.is_empty() {
        return result;
    }
    let applied = provider.apply(&plan, &inventory);
    result.counts.added = applied.changes.iter().filter(|c| c.action == Action::Added).count();
    result.counts.removed = applied.changes.iter().filter(|c| c.action == Action::Removed).count();
    result.counts.failed = applied.failed.len();
    result.changes = applied.changes;
    result.failed = applied.failed.into_iter().map(|(name, error)| FailedName { name, error }).collect();
    result.error = applied.error;
    result
}

impl SyncProviderResult {
    fn new(id: &str) -> Self {
        SyncProviderResult {
            provider: id.to_string(),
            ok: true,
            counts: SyncCounts::default(),
            plan: SyncPlan::default(),
            changes: vec![],
            failed: vec![],
            error: None,
            warnings: vec![],
        }
    }

    fn failed(id: &str, error: ProviderError) -> Self {
        SyncProviderResult { ok: false, error: Some(error), ..SyncProviderResult::new(id) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_redacts_every_text_of_every_result() {
        const SECRET: &str = "a-secret-value-42";
        let mut redactor = Redactor::default();
        redactor.add_text(SECRET);
        let said = || format!("the panel said {SECRET}");
        let error = || {
            let mut e = ProviderError::new(crate::error::ErrorKind::Api, said());
            e.provider_code = Some(crate::error::ProviderCode::Text(said()));
            e
        };
        let change = ProviderResult { provider: "p".into(), ok: false, changes: vec![], error: Some(error()), warnings: vec![said()] };
        let operation = OperationResult { ok: false, operation: Operation::AddDomain, domain: "a.example".into(), site_id: 1, results: vec![change] };
        let connection = ConnectionResult { provider: "p".into(), ok: false, message: said(), error: Some(error()), warnings: vec![said()] };
        let mut provider = SyncProviderResult::failed("p", error());
        provider.failed = vec![FailedName { name: "a.example".into(), error: error() }];
        provider.warnings = vec![said()];
        let sync = SyncResult { ok: false, operation: "sync", dry_run: false, prune: false, wanted: 1, invalid: vec![], results: vec![provider] };
        let shown = [
            serde_json::to_string(&redacted(operation, &redactor)).unwrap(),
            serde_json::to_string(&redacted(connection, &redactor)).unwrap(),
            serde_json::to_string(&redacted(sync, &redactor)).unwrap(),
        ];
        for json in shown {
            assert!(!json.contains(SECRET), "{json}");
            assert!(json.contains("the panel said ***"), "{json}");
        }
    }

    #[test]
    fn every_option_name_belongs_to_one_owner_only() {
        let names = option_names();
        let mut seen = std::collections::HashSet::new();
        for name in &names {
            assert!(seen.insert(*name), "option '{name}' is declared twice (common options: {COMMON_OPTIONS:?})");
        }
        assert!(names.contains(&"wait"), "ServerPilot declares wait: {names:?}");
    }

    #[test]
    fn a_panel_option_is_found_with_the_panel_that_declares_it() {
        let (spec, option) = providers::find_option("wait").expect("wait is declared");
        assert_eq!(spec.id, "serverpilot");
        assert_eq!((option.min, option.max), (0, 600));
        assert!(providers::find_option("providers").is_none(), "common options are no panel's");
        assert!(providers::find_option("wwait").is_none());
    }
}
