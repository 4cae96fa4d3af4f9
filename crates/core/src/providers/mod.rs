//! The provider trait and the registry. A panel is one folder here:
//! `<panel>/mod.rs` with its settings, options and `SPEC`; `client.rs`
//! talking to its API; `provider.rs` planning and applying changes;
//! `emulator.rs`, the sandbox's copy of the panel (compiled into the
//! sandbox crate, not here); `fixtures/`, its seed and recorded answers of
//! its real API; `fixture_tests.rs`, the client against those answers;
//! `sandbox_tests.rs`, the panel against the sandbox; `emulator_tests.rs`,
//! the emulator over HTTP (run by the sandbox crate). `build.rs` finds the
//! folders: there is no list of panels to edit.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

use crate::config::{Setting, Values};
use crate::domain::HostName;
use crate::error::ProviderError;

// `pub mod <panel>;` for every folder, and `REGISTRY`: every provider
// wu_native supports, in the order they are listed to users (by id).
include!(concat!(env!("OUT_DIR"), "/registry.rs"));

pub fn find(id: &str) -> Option<&'static ProviderSpec> {
    REGISTRY.iter().copied().find(|spec| spec.id == id)
}

/// The option a registered panel declares under `name`, with the panel.
pub fn find_option(name: &str) -> Option<(&'static ProviderSpec, &'static OptionSpec)> {
    REGISTRY.iter().find_map(|spec| spec.options.iter().find(|o| o.name == name).map(|o| (*spec, o)))
}

/// A per-call option a panel declares: an integer between `min` and `max`.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    pub name: &'static str,
    pub min: i64,
    pub max: i64,
    pub doc: &'static str,
}

impl OptionSpec {
    pub const fn int(name: &'static str, min: i64, max: i64, doc: &'static str) -> Self {
        OptionSpec { name, min, max, doc }
    }
}

/// The values a caller gave to panels' options, by option name. Each panel
/// reads only the options its `SPEC` declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanelOptions(BTreeMap<String, i64>);

impl PanelOptions {
    pub fn with(mut self, name: &str, value: i64) -> Self {
        self.set(name, value);
        self
    }

    pub fn set(&mut self, name: &str, value: i64) {
        self.0.insert(name.to_string(), value);
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.0.get(name).copied()
    }
}

/// What a provider is, before it is configured.
pub struct ProviderSpec {
    /// The id Ultimate Multisite uses (`hestia`, `enhance`, `serverpilot`).
    pub id: &'static str,
    pub title: &'static str,
    pub settings: &'static [Setting],
    /// Ultimate Multisite's own classes handling this panel on the domain
    /// hooks (up to 2.4, then 2.5 and later): the WordPress glue takes them
    /// off the hooks when wu_native serves the panel, so it is never called twice.
    pub plugin_handlers: &'static [&'static str],
    /// Ultimate Multisite's timeout for this panel.
    pub default_timeout: Duration,
    /// The per-call options this panel reads (ServerPilot's `wait`); the
    /// binding accepts an option only when a registered panel declares it.
    pub options: &'static [OptionSpec],
    /// Builds a client from complete settings and the caller's options; an
    /// unusable value is a `config` error.
    pub build: fn(&Values, &PanelOptions) -> Result<Box<dyn Provider>, ProviderError>,
    /// Which addressing mode complete settings select, for providers that
    /// have more than one (shown by `wu_native_providers()`).
    pub mode: fn(&Values) -> Option<&'static str>,
    /// The panel target complete settings write to; `None` when the
    /// settings are unusable (building the provider then says why).
    pub target: fn(&Values) -> Option<WriteTarget>,
}

/// The one thing on a panel a provider's writes change (a ServerPilot app,
/// a Hestia web domain, an Enhance server or website). Writes to one target
/// are serialized; writes to different targets are not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteTarget {
    /// What tells targets apart: the panel's `host:port` and the target's
    /// ids. Never a credential; hashed into the lock key.
    pub identity: String,
    /// The target in words, for messages (`ServerPilot app X on host:443`).
    pub label: String,
}

impl ProviderSpec {
    /// The target's lock key, when the settings name a usable target.
    pub fn lock_key(&self, values: &Values) -> Option<crate::lock::LockKey> {
        (self.target)(values).map(|t| crate::lock::LockKey::new(self.id, &t.identity))
    }
}

/// For providers with a single mode.
pub fn single_mode(_: &Values) -> Option<&'static str> {
    None
}

impl ProviderSpec {
    pub fn required_constants(&self) -> Vec<&'static str> {
        self.settings.iter().filter(|s| !s.is_optional()).map(|s| s.name).collect()
    }

    pub fn optional_constants(&self) -> Vec<&'static str> {
        self.settings
            .iter()
            .chain(crate::config::COMMON_SETTINGS)
            .filter(|s| s.is_optional())
            .map(|s| s.name)
            .collect()
    }
}

/// What a panel serves now for the network: host name (lower case) → the
/// panel's id for it, where the panel has ids (Enhance's domain ids).
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub names: BTreeMap<String, Option<String>>,
    /// Names a reconcile must never remove: the panel's own base names
    /// (Hestia's web domain and its www., Enhance's primary domain).
    pub protected: BTreeSet<String>,
    /// What the panel says of a name's state, where it has one (a
    /// Cloudflare custom hostname's status and its certificate's): reported
    /// with the name when it is already present.
    pub statuses: BTreeMap<String, NameStatus>,
}

/// A name's state on the panel, as the panel words it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NameStatus {
    /// The name's own status (Cloudflare: `pending`, `active`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The status of its certificate (Cloudflare: `pending_validation`, `active`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_status: Option<String>,
}

impl Inventory {
    pub fn contains(&self, name: &HostName) -> bool {
        self.names.contains_key(name.as_str())
    }

    /// Records a name as the panel spells it, with the panel's id for it.
    pub fn insert(&mut self, panel_spelling: &str, id: Option<String>) {
        let name = panel_name(panel_spelling);
        if !name.is_empty() {
            self.names.insert(name, id);
        }
    }

    /// Records a name a reconcile must never remove, as the panel spells it.
    pub fn protect(&mut self, panel_spelling: &str) {
        let name = panel_name(panel_spelling);
        if !name.is_empty() {
            self.protected.insert(name);
        }
    }
}

/// A name as a panel spells it, in the form `HostName` gives names (and so
/// the form plans compare): punycode, lower case, no trailing dot. A name
/// that is not a valid host name (a wildcard) is kept in lower case.
/// Every panel's names go through here before they are compared.
pub fn panel_name(spelling: &str) -> String {
    let name = spelling.trim().trim_end_matches('.');
    HostName::parse(name).map(|h| h.to_string()).unwrap_or_else(|_| name.to_lowercase())
}

/// Host names to add and to remove, each already checked against the inventory.
#[derive(Debug, Clone)]
pub struct Plan {
    pub add: Vec<HostName>,
    pub remove: Vec<HostName>,
    /// Requests a provider may have in flight at once, where it sends one per name.
    pub concurrency: usize,
    /// Go on past a name the panel refuses (a reconcile), rather than stop
    /// at the first refusal (one mapping). Errors that concern every name
    /// (credentials, transport) always stop.
    pub keep_going: bool,
}

impl Default for Plan {
    fn default() -> Self {
        Plan { add: Vec::new(), remove: Vec::new(), concurrency: 1, keep_going: false }
    }
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Added,
    AlreadyPresent,
    Removed,
    AlreadyAbsent,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub name: String,
    pub action: Action,
    /// The panel's id for the job that makes the change (ServerPilot's `actionid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_id: Option<String>,
    /// That job's last known status (`open`, `success`, `error`), when it was waited for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_status: Option<String>,
    /// The name's state on the panel after the change, where the panel has one.
    #[serde(flatten)]
    pub state: NameStatus,
}

impl Change {
    pub fn new(name: &HostName, action: Action) -> Self {
        Change { name: name.to_string(), action, action_id: None, action_status: None, state: NameStatus::default() }
    }

    pub fn with_state(mut self, state: NameStatus) -> Self {
        self.state = state;
        self
    }
}

/// What applying a plan did: the changes made, and the error that stopped
/// it, if one did. Changes made before an error are kept, so nothing done is
/// ever hidden.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub changes: Vec<Change>,
    pub error: Option<ProviderError>,
    /// Names the panel refused while the plan went on (`Plan::keep_going`).
    pub failed: Vec<(String, ProviderError)>,
}

impl Applied {
    /// A plan stopped by `error` before any change.
    pub fn stopped(error: ProviderError) -> Self {
        Applied { error: Some(error), ..Applied::default() }
    }

    /// Records a refused name: kept going past, or stopping the plan.
    pub fn refuse(&mut self, name: &HostName, error: ProviderError, plan: &Plan) {
        if plan.keep_going && !is_fatal(&error) {
            self.failed.push((name.to_string(), error));
        } else {
            self.error.get_or_insert(error);
        }
    }

    pub fn extend(&mut self, other: Applied) {
        self.changes.extend(other.changes);
        self.failed.extend(other.failed);
        if self.error.is_none() {
            self.error = other.error;
        }
    }
}

/// Errors that will not go away for the next name, so a plan stops.
pub fn is_fatal(error: &ProviderError) -> bool {
    use crate::error::ErrorKind::*;
    matches!(error.kind, Config | Auth | Timeout | Transport | Tls)
}

/// Runs `work` for each name with at most `plan.concurrency` in flight;
/// changes come back in the names' order. Stops taking new names after an
/// error the plan does not go past.
pub fn each_name<F>(names: &[HostName], plan: &Plan, work: F) -> Applied
where
    F: Fn(&HostName) -> Result<Action, ProviderError> + Sync,
{
    each_change(names, plan, |name| work(name).map(|action| Change::new(name, action)))
}

/// `each_name` for work that reports more than the action (the name's state).
pub fn each_change<F>(names: &[HostName], plan: &Plan, work: F) -> Applied
where
    F: Fn(&HostName) -> Result<Change, ProviderError> + Sync,
{
    let outcomes: Mutex<Vec<Option<Result<Change, ProviderError>>>> = Mutex::new(vec![None; names.len()]);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let worker = || loop {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let i = next.fetch_add(1, Ordering::SeqCst);
        let Some(name) = names.get(i) else { break };
        let outcome = work(name);
        if let Err(e) = &outcome {
            if !plan.keep_going || is_fatal(e) {
                stop.store(true, Ordering::SeqCst);
            }
        }
        outcomes.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(outcome);
    };
    let threads = plan.concurrency.clamp(1, 32).min(names.len().max(1));
    if threads == 1 {
        worker();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(worker);
            }
        });
    }
    let mut applied = Applied::default();
    for (name, outcome) in names.iter().zip(outcomes.into_inner().unwrap_or_else(|p| p.into_inner())) {
        match outcome {
            Some(Ok(change)) => applied.changes.push(change),
            Some(Err(e)) => applied.refuse(name, e, plan),
            None => {}
        }
    }
    applied
}

/// One configured panel. Works on sets of names, so one mapping (a name and
/// its `www.`) or a thousand cost as few panel commands as the panel allows.
pub trait Provider {
    /// Whether the panel needs subdomains of the network added (Hestia
    /// serves them through the network's own web domain, so it does not).
    fn manages_subdomains(&self) -> bool {
        true
    }

    /// Whether a subdomain site gets its `www.` too, by the www rule, as the
    /// plugin gives it one on this panel (Cloudflare's DNS records).
    fn www_for_subdomains(&self) -> bool {
        false
    }

    /// What the panel serves now.
    fn inventory(&self) -> Result<Inventory, ProviderError>;

    /// What the panel serves now of `names` (at least those): one mapping
    /// asks only about its own names where the panel can look names up
    /// (Cloudflare), rather than reading every page of a large list.
    fn inventory_of(&self, _names: &[HostName]) -> Result<Inventory, ProviderError> {
        self.inventory()
    }

    /// Makes the panel match the plan, which was made from `inventory`.
    fn apply(&self, plan: &Plan, inventory: &Inventory) -> Applied;

    /// Checks credentials and that the configured target exists.
    fn test_connection(&self) -> Result<(), ProviderError>;

    /// Adds (`adds`) or removes one mapping's names, reporting one change
    /// per name in the order given. By default the panel is read first and
    /// only the difference is written (`read_then_write`); a panel whose
    /// answers to a write tell what was already there overrides it and
    /// writes at once, reading only when an answer leaves a doubt.
    fn change(&self, names: &[HostName], adds: bool) -> Applied {
        read_then_write(self, names, adds)
    }

    /// Work that follows `apply` but needs no exclusive access to the
    /// target, so it runs after the target's lock is released (ServerPilot
    /// waiting for its action to finish).
    fn finish(&self, _applied: &mut Applied) {}
}

/// Reads what the panel has, plans the difference, applies it, and reports
/// one change per name in the order the names were given: names the plan
/// left alone were already as wanted; names it touched take what the
/// provider reports; names it never reached stay out.
pub fn read_then_write<P: Provider + ?Sized>(provider: &P, names: &[HostName], adds: bool) -> Applied {
    let inventory = match provider.inventory_of(names) {
        Ok(inventory) => inventory,
        Err(e) => return Applied::stopped(e),
    };
    let mut plan = Plan::default();
    for name in names {
        match (adds, inventory.contains(name)) {
            (true, false) => plan.add.push(name.clone()),
            (false, true) => plan.remove.push(name.clone()),
            _ => {}
        }
    }
    let applied = if plan.is_empty() { Applied::default() } else { provider.apply(&plan, &inventory) };
    let unchanged = if adds { Action::AlreadyPresent } else { Action::AlreadyAbsent };
    let changes = names
        .iter()
        .filter_map(|name| {
            if !plan.add.contains(name) && !plan.remove.contains(name) {
                let state = if adds { inventory.statuses.get(name.as_str()).cloned() } else { None };
                Some(Change::new(name, unchanged).with_state(state.unwrap_or_default()))
            } else {
                applied.changes.iter().find(|c| c.name == name.as_str()).cloned()
            }
        })
        .collect();
    // One mapping stops at its first refusal, so nothing is left in `failed`.
    Applied { changes, error: applied.error, failed: applied.failed }
}

/// The changes of `applied` put in the order of `names`, each name once.
pub fn in_order_of(names: &[HostName], applied: Applied) -> Applied {
    let changes = names.iter().filter_map(|name| applied.changes.iter().find(|c| c.name == name.as_str()).cloned()).collect();
    Applied { changes, ..applied }
}

/// An id a panel sent back, checked before it goes into a request path: a
/// hostile or broken panel must not steer a request elsewhere (`..`, `/`,
/// `?`, `%2e`). `shape` says what the panel's ids look like; anything else
/// is an `api` error naming the field, and nothing is sent with it.
pub fn panel_id<'a>(panel: &str, field: &str, raw: &'a str, shape: IdShape) -> Result<&'a str, ProviderError> {
    if shape.accepts(raw) {
        return Ok(raw);
    }
    Err(ProviderError::new(
        crate::error::ErrorKind::Api,
        format!(
            "{panel} answered a value for {field} that is not {} ('{}'), so no request was sent with it: check that the API address points at {panel} itself",
            shape.described(),
            crate::domain::printable(raw)
        ),
    ))
}

/// What a panel's ids look like.
#[derive(Debug, Clone, Copy)]
pub enum IdShape {
    /// 1 to 128 of `[A-Za-z0-9_-]` (ServerPilot's ids are 16 letters and digits).
    Token,
    /// 8-4-4-4-12 hex digits (Enhance's ids).
    Uuid,
}

impl IdShape {
    fn accepts(self, id: &str) -> bool {
        match self {
            IdShape::Token => {
                (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            }
            IdShape::Uuid => {
                let groups: Vec<&str> = id.split('-').collect();
                groups.len() == 5
                    && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
            }
        }
    }

    fn described(self) -> &'static str {
        match self {
            IdShape::Token => "an id (1 to 128 letters, digits, '_' or '-')",
            IdShape::Uuid => "a UUID",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_spellings_of_a_name_become_one_inventory_name() {
        let cases = [
            ("Customer.Example", "customer.example"),
            (" customer.example. ", "customer.example"),
            ("BÜCHER.example", "xn--bcher-kva.example"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
            ("*.Wild.Example", "*.wild.example"),
            ("   ", ""),
        ];
        for (spelling, want) in cases {
            assert_eq!(panel_name(spelling), want, "{spelling:?}");
        }
        let mut inventory = Inventory::default();
        inventory.insert("A.example.", Some("1".into()));
        inventory.insert("", None);
        inventory.protect("WWW.A.example");
        assert_eq!(inventory.names.keys().collect::<Vec<_>>(), ["a.example"]);
        assert_eq!(inventory.protected.iter().collect::<Vec<_>>(), ["www.a.example"]);
    }

    #[test]
    fn only_plain_ids_of_the_panels_shape_pass() {
        let hostile = ["../../x/y?z=1", "..", ".", "a/b", "%2e%2e", "", "a b", "a?b", "a#b", "a\\b", "ab\u{0}", "é"];
        for id in hostile {
            for shape in [IdShape::Token, IdShape::Uuid] {
                let err = panel_id("Panel", "someId", id, shape).unwrap_err();
                assert_eq!(err.kind, crate::error::ErrorKind::Api, "{id:?}");
                assert!(err.message.contains("someId"), "{}", err.message);
            }
        }
        let long = "a".repeat(129);
        assert!(panel_id("Panel", "someId", &long, IdShape::Token).is_err());
        assert!(panel_id("Panel", "someId", &"a".repeat(128), IdShape::Token).is_ok());
        assert!(panel_id("Panel", "someId", "nlcN0TwdZAyNEgdp", IdShape::Token).is_ok());
        assert!(panel_id("Panel", "someId", "00000000-0000-4000-9000-00000000000A", IdShape::Uuid).is_ok());
        assert!(panel_id("Panel", "someId", "nlcN0TwdZAyNEgdp", IdShape::Uuid).is_err());
    }
}

/// What each panel's `fixture_tests.rs` shares: a sandbox that answers a
/// panel's requests with recorded answers of the real API.
#[cfg(test)]
pub(crate) mod replay {
    use std::time::Duration;

    use wu_sandbox::{Fault, Panel, Sandbox};

    use crate::http::HttpSettings;

    /// Makes the sandbox answer `panel`'s next request with `status` and the
    /// recorded `body` (JSON), after letting `after` requests through to the emulator.
    pub fn answer(sb: &Sandbox, panel: Panel, after: u32, status: u16, body: &str) {
        let fault = Fault::status(status).with_body(body).with_header("Content-Type", "application/json");
        sb.set_fault(fault.for_panel(panel).after(after).times(1));
    }

    /// Settings for a client under test: a short timeout, nothing else.
    pub fn http() -> HttpSettings {
        HttpSettings::with_timeout(Duration::from_secs(5))
    }

    /// The value of `name` among the sandbox constants of `panel`.
    pub fn constant(sb: &Sandbox, panel: Panel, name: &str) -> String {
        sb.constants(panel).into_iter().find(|(n, _)| *n == name).map(|(_, v)| v).unwrap_or_else(|| panic!("{name} is a sandbox constant"))
    }
}
