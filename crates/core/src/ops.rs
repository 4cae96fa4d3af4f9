//! The operations PHP calls: add/remove a mapping or a subdomain across the
//! configured providers, test a connection, describe the providers.

use serde::Serialize;

use crate::config::{ConfigSource, Values};
use crate::domain::{HostName, WwwRule};
use crate::error::{CallerError, ProviderError};
use crate::providers::{self, Action, Applied, Change, Plan, Provider, ProviderSpec};
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
    /// ServerPilot: seconds to wait for the panel's action to finish.
    pub wait: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options { providers: None, www: WwwRule::Always, wait: None }
    }
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
    /// The addressing mode the constants select, for providers with several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
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
    let names = if operation.is_subdomain() { vec![host.clone()] } else { options.www.expand(&host) };
    let selected = select(options.providers.as_deref(), source)?;

    let mut redactor = Redactor::default();
    let mut results = Vec::with_capacity(selected.len());
    for (spec, values) in &selected {
        values.add_secrets_to(&mut redactor);
        let applied = match (spec.build)(values, options) {
            Err(e) => Applied::failure(e),
            Ok(provider) => change(provider.as_ref(), operation, &names),
        };
        results.push(ProviderResult {
            provider: spec.id.to_string(),
            ok: applied.error.is_none(),
            changes: applied.changes,
            error: applied.error.map(|e| redacted(e, &redactor)),
            warnings: warnings(values),
        });
    }
    Ok(OperationResult {
        ok: results.iter().all(|r| r.ok),
        operation,
        domain: host.to_string(),
        site_id,
        results,
    })
}

/// Reads what the panel has, plans the difference, applies it, and reports
/// one change per name in the order the names were given.
fn change(provider: &dyn Provider, operation: Operation, names: &[HostName]) -> Applied {
    if operation.is_subdomain() && !provider.manages_subdomains() {
        return Applied { changes: names.iter().map(|n| Change::new(n, Action::Skipped)).collect(), ..Applied::default() };
    }
    let inventory = match provider.inventory() {
        Ok(inventory) => inventory,
        Err(e) => return Applied::failure(e),
    };
    let mut plan = Plan::default();
    for name in names {
        match (operation.adds(), inventory.contains(name)) {
            (true, false) => plan.add.push(name.clone()),
            (false, true) => plan.remove.push(name.clone()),
            _ => {}
        }
    }
    let applied = if plan.is_empty() { Applied::default() } else { provider.apply(&plan, &inventory) };

    // Names the plan left alone were already as wanted; names it touched
    // take what the provider reports; names it never reached stay out.
    let unchanged = if operation.adds() { Action::AlreadyPresent } else { Action::AlreadyAbsent };
    let changes = names
        .iter()
        .filter_map(|name| {
            if !plan.add.contains(name) && !plan.remove.contains(name) {
                Some(Change::new(name, unchanged))
            } else {
                applied.changes.iter().find(|c| c.name == name.as_str()).cloned()
            }
        })
        .collect();
    // One mapping stops at its first refusal, so nothing is left in `failed`.
    Applied { changes, error: applied.error, failed: applied.failed }
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

fn redacted(mut e: ProviderError, redactor: &Redactor) -> ProviderError {
    e.message = redactor.redact(&e.message);
    if let Some(crate::error::ProviderCode::Text(t)) = &mut e.provider_code {
        *t = redactor.redact(t);
    }
    e
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
    let outcome = (spec.build)(&values, &Options::default()).and_then(|p| p.test_connection());
    Ok(match outcome {
        Ok(()) => ConnectionResult {
            provider: id.to_string(),
            ok: true,
            message: ACCESS_AUTHORIZED.to_string(),
            error: None,
            warnings: warnings(&values),
        },
        Err(e) => {
            let e = redacted(e, &redactor);
            ConnectionResult { provider: id.to_string(), ok: false, message: e.message.clone(), error: Some(e), warnings: warnings(&values) }
        }
    })
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
                mode: if values.is_complete() { (spec.mode)(&values).map(String::from) } else { None },
            }
        })
        .collect()
}
