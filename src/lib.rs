//! The PHP binding of wu_native: the functions, the exception classes and
//! the phpinfo() table. No logic lives here: every function reads its
//! arguments, calls `wu_native_core`, and turns the answer into PHP values.

#![cfg_attr(windows, feature(abi_vectorcall))]

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::binary::Binary;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ArrayKey, ZendCallable, ZendHashTable, Zval};
use ext_php_rs::zend::{ce, ClassEntry, ModuleEntry};
use ext_php_rs::{info_table_end, info_table_row, info_table_start};
use serde::Serialize;

use wu_native_core::config::ConfigSource;
use wu_native_core::ops::{self, Operation, Options, SyncOptions};
use wu_native_core::domain::InvalidHostName;
use wu_native_core::{providers, CallerError, WwwRule};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const REVISION: &str = env!("WU_NATIVE_GIT_REVISION");

// ---------------------------------------------------------------- exceptions

extern "C" {
    /// Exported by PHP (ext/spl); set during SPL's start-up, which runs
    /// before any shared extension's. The class lookup API needs a running
    /// executor, which does not exist yet when our classes are registered.
    static spl_ce_RuntimeException: *mut ext_php_rs::ffi::zend_class_entry;
}

fn runtime_exception() -> &'static ClassEntry {
    // SAFETY: a plain read of a pointer PHP set before loading us; it lives
    // as long as the process.
    unsafe { spl_ce_RuntimeException.as_ref() }.unwrap_or_else(ce::exception)
}

/// The host name given is not a valid host name; nothing was sent.
#[php_class]
#[php(name = "WuNative\\InvalidDomainException")]
#[php(extends(ce = runtime_exception, stub = "\\RuntimeException"))]
#[derive(Default)]
pub struct InvalidDomainException;

/// Unknown provider, a named provider not configured, or none configured.
#[php_class]
#[php(name = "WuNative\\ConfigException")]
#[php(extends(ce = runtime_exception, stub = "\\RuntimeException"))]
#[derive(Default)]
pub struct ConfigException;

fn exception(function: &str, err: CallerError) -> PhpException {
    let message = format!("{function}(): {err}");
    match err {
        CallerError::InvalidDomain(_) => PhpException::from_class::<InvalidDomainException>(message),
        CallerError::Config(_) => PhpException::from_class::<ConfigException>(message),
        CallerError::InvalidOption(_) => PhpException::new(message, 0, ce::value_error()),
    }
}

// ---------------------------------------------------------------- functions

/// Maps a domain: the panels start serving it (and its www. variant, per the www rule).
#[php_function]
#[php(defaults(site_id = 0))]
pub fn wu_native_add_domain(domain: Binary<u8>, site_id: i64, options: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
    change("wu_native_add_domain", Operation::AddDomain, domain.into(), site_id, options)
}

/// Unmaps a domain: the panels stop serving it (and its www. variant, per the www rule).
#[php_function]
#[php(defaults(site_id = 0))]
pub fn wu_native_remove_domain(domain: Binary<u8>, site_id: i64, options: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
    change("wu_native_remove_domain", Operation::RemoveDomain, domain.into(), site_id, options)
}

/// A site was created in subdomain mode: panels that need it serve the subdomain.
#[php_function]
#[php(defaults(site_id = 0))]
pub fn wu_native_add_subdomain(subdomain: Binary<u8>, site_id: i64, options: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
    change("wu_native_add_subdomain", Operation::AddSubdomain, subdomain.into(), site_id, options)
}

/// A subdomain site was deleted: panels that served the subdomain forget it.
#[php_function]
#[php(defaults(site_id = 0))]
pub fn wu_native_remove_subdomain(subdomain: Binary<u8>, site_id: i64, options: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
    change("wu_native_remove_subdomain", Operation::RemoveSubdomain, subdomain.into(), site_id, options)
}

/// Checks one provider's credentials and target; message is "Access Authorized" on success.
#[php_function]
pub fn wu_native_test_connection(provider: String) -> PhpResult<ZBox<ZendHashTable>> {
    let result = ops::test_connection(&provider, &PhpConstants).map_err(|e| exception("wu_native_test_connection", e))?;
    Ok(to_array(&result))
}

/// Every supported provider, whether it is configured, and the constants it reads.
#[php_function]
pub fn wu_native_providers() -> ZBox<ZendHashTable> {
    to_array(&ops::providers(&PhpConstants))
}

/// Reconciles the panels with the complete list of names that should be served.
#[php_function]
pub fn wu_native_sync(domains: &ZendHashTable, options: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
    let function = "wu_native_sync";
    let options = read_sync_options(function, options)?;
    let names = domains
        .iter()
        .map(|(_, v)| v.str().map(str::to_string).ok_or_else(|| type_error(function, "$domains must contain only strings")))
        .collect::<PhpResult<Vec<String>>>()?;
    let result = ops::sync(&names, &options, &PhpConstants).map_err(|e| exception(function, e))?;
    Ok(to_array(&result))
}

/// The extension's version, with the git revision it was built from.
#[php_function]
pub fn wu_native_version() -> String {
    format!("{VERSION}+{REVISION}")
}

/// `name` arrives as bytes (a PHP string need not be text), so that bytes
/// that are not UTF-8 are refused as an invalid host name, not a type error.
fn change(function: &str, operation: Operation, name: Vec<u8>, site_id: i64, options: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
    let name = String::from_utf8(name)
        .map_err(|e| exception(function, CallerError::InvalidDomain(InvalidHostName::not_utf8(e.as_bytes()))))?;
    let options = read_options(function, options)?;
    let result = ops::run(operation, &name, site_id, &options, &PhpConstants).map_err(|e| exception(function, e))?;
    Ok(to_array(&result))
}

// ---------------------------------------------------------------- options

const SYNC_OPTION_NAMES: &[&str] = &["providers", "www", "prune", "keep", "dry_run", "concurrency"];

/// The option table's entries, with keys as strings, rejecting unknown keys.
fn option_entries<'a>(function: &str, table: Option<&'a ZendHashTable>, known: &[&str]) -> PhpResult<Vec<(String, &'a Zval)>> {
    let Some(table) = table else { return Ok(vec![]) };
    let mut entries = Vec::new();
    for (key, value) in table.iter() {
        let key = match key {
            ArrayKey::Long(n) => n.to_string(),
            other => other.to_string(),
        };
        if !known.contains(&key.as_str()) {
            return Err(invalid_option(function, format!(
                "unknown option '{}'; known options: {}",
                wu_native_core::domain::printable(&key),
                known.join(", ")
            )));
        }
        entries.push((key, value));
    }
    Ok(entries)
}

fn invalid_option(function: &str, message: String) -> PhpException {
    exception(function, CallerError::InvalidOption(message))
}

fn read_options(function: &str, table: Option<&ZendHashTable>) -> PhpResult<Options> {
    let mut options = Options { www: default_www_rule(), ..Options::default() };
    let known = ops::option_names();
    for (key, value) in option_entries(function, table, &known)? {
        match key.as_str() {
            "providers" => options.providers = Some(provider_list(function, value)?),
            "www" => options.www = www_option(function, value)?,
            name => {
                // `option_entries` let only known names through, and every
                // name but the common ones is some panel's.
                let Some((_, option)) = providers::find_option(name) else {
                    return Err(invalid_option(function, format!("unknown option '{name}'; known options: {}", known.join(", "))));
                };
                options.panel.set(option.name, int_option(function, option.name, value, option.min, option.max)?);
            }
        }
    }
    Ok(options)
}

fn read_sync_options(function: &str, table: Option<&ZendHashTable>) -> PhpResult<SyncOptions> {
    let mut options = SyncOptions { www: default_www_rule(), ..SyncOptions::default() };
    for (key, value) in option_entries(function, table, SYNC_OPTION_NAMES)? {
        match key.as_str() {
            "providers" => options.providers = Some(provider_list(function, value)?),
            "www" => options.www = www_option(function, value)?,
            "prune" => options.prune = bool_option(function, "prune", value)?,
            "dry_run" => options.dry_run = bool_option(function, "dry_run", value)?,
            "keep" => options.keep = string_list(function, "keep", value)?,
            "concurrency" => {
                let max = ops::MAX_SYNC_CONCURRENCY as i64;
                options.concurrency = int_option(function, "concurrency", value, 1, max)? as usize;
            }
            other => return Err(invalid_option(function, format!("unknown option '{other}'; known options: {}", SYNC_OPTION_NAMES.join(", ")))),
        }
    }
    Ok(options)
}

fn www_option(function: &str, value: &Zval) -> PhpResult<WwwRule> {
    let text = value.str().ok_or_else(|| type_error(function, "option 'www' must be a string"))?;
    WwwRule::parse(text).ok_or_else(|| {
        invalid_option(function, format!(
            "option 'www' must be one of {}, got '{}'",
            WwwRule::NAMES.join(", "),
            wu_native_core::domain::printable(text)
        ))
    })
}

fn bool_option(function: &str, name: &str, value: &Zval) -> PhpResult<bool> {
    value.bool().ok_or_else(|| type_error(function, &format!("option '{name}' must be a bool")))
}

fn int_option(function: &str, name: &str, value: &Zval, min: i64, max: i64) -> PhpResult<i64> {
    let n = value.long().ok_or_else(|| type_error(function, &format!("option '{name}' must be an int")))?;
    if !(min..=max).contains(&n) {
        return Err(invalid_option(function, format!("option '{name}' must be between {min} and {max}, got {n}")));
    }
    Ok(n)
}

fn string_list(function: &str, name: &str, value: &Zval) -> PhpResult<Vec<String>> {
    let array = value.array().ok_or_else(|| type_error(function, &format!("option '{name}' must be an array of strings")))?;
    array
        .iter()
        .map(|(_, v)| v.str().map(str::to_string).ok_or_else(|| type_error(function, &format!("option '{name}' must contain only strings"))))
        .collect()
}

fn provider_list(function: &str, value: &Zval) -> PhpResult<Vec<String>> {
    if let Some(text) = value.str() {
        return Ok(text.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect());
    }
    let array = value.array().ok_or_else(|| type_error(function, "option 'providers' must be an array of provider ids"))?;
    array
        .iter()
        .map(|(_, v)| v.str().map(str::to_string).ok_or_else(|| type_error(function, "option 'providers' must contain only strings")))
        .collect()
}

fn type_error(function: &str, message: &str) -> PhpException {
    PhpException::new(format!("{function}(): {message}"), 0, ce::type_error())
}

/// Ultimate Multisite's network setting when the plugin is loaded, else `always`.
fn default_www_rule() -> WwwRule {
    call("function_exists", &["wu_get_setting"])
        .and_then(|z| z.bool())
        .filter(|exists| *exists)
        .and_then(|_| call("wu_get_setting", &["auto_create_www_subdomain", "always"]))
        .and_then(|z| z.str().and_then(WwwRule::parse))
        .unwrap_or(WwwRule::Always)
}

// ---------------------------------------------------------------- constants

/// Settings are PHP constants, read at call time so that constants defined
/// after the module loaded (wp-config.php) are seen.
struct PhpConstants;

extern "C" {
    /// PHP's own lookup of a global constant (Zend/zend_constants.h): NULL
    /// when it is not defined, never a warning. Reading the settings through
    /// `defined()` and `constant()` as PHP functions cost more than the
    /// request they configure.
    fn zend_get_constant_str(name: *const std::ffi::c_char, name_len: usize) -> *mut Zval;
    /// The current value of a php.ini setting (Zend/zend_ini.h), NUL-ended;
    /// NULL when it has none. The same table `ini_get()` reads, without a
    /// PHP function call.
    fn zend_ini_string_ex(name: *const std::ffi::c_char, name_length: usize, orig: std::ffi::c_int, exists: *mut bool) -> *mut std::ffi::c_char;
}

impl ConfigSource for PhpConstants {
    fn get(&self, name: &str) -> Option<String> {
        // SAFETY: called from a PHP function on PHP's thread; a non-null
        // answer is the constant table's entry, read before anything can
        // change the table.
        let value: &Zval = unsafe { zend_get_constant_str(name.as_ptr().cast(), name.len()).as_ref() }?;
        if let Some(s) = value.str() {
            Some(s.to_string())
        } else if let Some(b) = value.bool() {
            Some(if b { "true" } else { "false" }.to_string())
        } else if let Some(n) = value.long() {
            Some(n.to_string())
        } else {
            value.double().map(|d| d.to_string())
        }
    }

    fn ini(&self, name: &str) -> Option<String> {
        let mut exists = false;
        // SAFETY: called from a PHP function on PHP's thread; a non-null
        // answer points into the setting's current value, copied at once.
        let value = unsafe { zend_ini_string_ex(name.as_ptr().cast(), name.len(), 0, &mut exists) };
        if !exists || value.is_null() {
            return None;
        }
        // SAFETY: PHP's ini values are NUL-ended strings.
        Some(unsafe { std::ffi::CStr::from_ptr(value) }.to_string_lossy().into_owned())
    }

    fn site_url(&self) -> Option<String> {
        if !call("function_exists", &["get_option"])?.bool()? {
            return None;
        }
        call("get_option", &["siteurl"])?.str().map(str::to_string)
    }
}

fn call(function: &str, args: &[&str]) -> Option<Zval> {
    let callable = ZendCallable::try_from_name(function).ok()?;
    let params: Vec<&dyn ext_php_rs::convert::IntoZvalDyn> = args.iter().map(|a| a as &dyn ext_php_rs::convert::IntoZvalDyn).collect();
    callable.try_call(params).ok()
}

// ---------------------------------------------------------------- results

/// Any result of the core, as a PHP array (objects become string-keyed
/// arrays, lists become lists, in order).
fn to_array<T: Serialize>(value: &T) -> ZBox<ZendHashTable> {
    json_to_table(&serde_json::to_value(value).unwrap_or(serde_json::Value::Null))
}

fn json_to_table(value: &serde_json::Value) -> ZBox<ZendHashTable> {
    use serde_json::Value;
    let mut table = ZendHashTable::new();
    match value {
        Value::Array(items) => {
            for item in items {
                let _ = table.push(json_to_zval(item));
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let _ = table.insert(k.as_str(), json_to_zval(v));
            }
        }
        _ => {}
    }
    table
}

fn json_to_zval(value: &serde_json::Value) -> Zval {
    use serde_json::Value;
    let mut zval = Zval::new();
    match value {
        Value::Null => zval.set_null(),
        Value::Bool(b) => zval.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => zval.set_long(i),
            None => zval.set_double(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => {
            let _ = zval.set_string(s, false);
        }
        Value::Array(_) | Value::Object(_) => zval.set_hashtable(json_to_table(value)),
    }
    zval
}

// ---------------------------------------------------------------- module

/// phpinfo() rows. A hand-written C callback: ext-php-rs does not catch
/// panics here, so the body runs under catch_unwind.
extern "C" fn module_info(_module: *mut ModuleEntry) {
    let _ = std::panic::catch_unwind(|| {
        let providers: Vec<&str> = providers::REGISTRY.iter().map(|p| p.id).collect();
        let version = format!("{VERSION} ({REVISION})");
        info_table_start!();
        info_table_row!("wu_native support", "enabled");
        info_table_row!("Version", version.as_str());
        info_table_row!("Supported providers", providers.join(", ").as_str());
        info_table_row!("HTTP client", "reqwest (rustls, system trust store), created lazily per worker process");
        info_table_row!("Proxy", "WP_PROXY_* constants, then curl's environment rules (http_proxy, https_proxy, all_proxy, no_proxy; never HTTP_PROXY)");
        info_table_end!();
    });
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .class::<InvalidDomainException>()
        .class::<ConfigException>()
        .function(wrap_function!(wu_native_add_domain))
        .function(wrap_function!(wu_native_remove_domain))
        .function(wrap_function!(wu_native_add_subdomain))
        .function(wrap_function!(wu_native_remove_subdomain))
        .function(wrap_function!(wu_native_test_connection))
        .function(wrap_function!(wu_native_providers))
        .function(wrap_function!(wu_native_sync))
        .function(wrap_function!(wu_native_version))
        .info_function(module_info)
}
