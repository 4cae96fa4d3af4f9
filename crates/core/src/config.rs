//! Where settings come from, and what each provider needs.
//!
//! In production the source is PHP's constants (`WU_*`, read at call time);
//! in Rust tests it is a map. Each provider declares its settings once, as a
//! table of `Setting`s: that table drives parsing, the missing-constant
//! messages, `wu_native_providers()` and the README.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use crate::error::ProviderError;
use crate::secret::{Redactor, Secret};

/// A place settings are read from. `None` and an empty string both mean
/// "not set", as in Ultimate Multisite.
pub trait ConfigSource {
    fn get(&self, name: &str) -> Option<String>;

    /// A php.ini setting (`open_basedir`); none outside PHP.
    fn ini(&self, _name: &str) -> Option<String> {
        None
    }

    /// The site's own address (WordPress's `siteurl` option), whose host
    /// WordPress never sends through its proxy.
    fn site_url(&self) -> Option<String> {
        None
    }
}

/// Settings from a map, for tests and tools. php.ini settings are looked
/// up as `ini:<name>` (`ini:open_basedir`) and the site's address as `siteurl`.
#[derive(Debug, Default, Clone)]
pub struct MapSource(pub HashMap<String, String>);

impl MapSource {
    pub fn new<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        MapSource(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.0.insert(name.to_string(), value.to_string());
    }

    pub fn unset(&mut self, name: &str) {
        self.0.remove(name);
    }
}

impl ConfigSource for MapSource {
    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    fn ini(&self, name: &str) -> Option<String> {
        self.0.get(&format!("ini:{name}")).cloned()
    }

    fn site_url(&self) -> Option<String> {
        self.0.get("siteurl").cloned()
    }
}

/// How much a provider needs a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    /// Optional, with the value used when it is not set.
    Optional(&'static str),
    /// One of several ways to satisfy `group`: the group is satisfied when
    /// every setting of one `option` number is set.
    Alternative { group: &'static str, option: u8 },
}

/// One constant a provider reads.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub name: &'static str,
    pub need: Need,
    /// Never shown, logged or put in a message.
    pub secret: bool,
    /// One line for the README table and `wu_native_providers()`.
    pub doc: &'static str,
}

impl Setting {
    pub const fn required(name: &'static str, doc: &'static str) -> Setting {
        Setting { name, need: Need::Required, secret: false, doc }
    }
    pub const fn optional(name: &'static str, default: &'static str, doc: &'static str) -> Setting {
        Setting { name, need: Need::Optional(default), secret: false, doc }
    }
    pub const fn alternative(name: &'static str, group: &'static str, option: u8, doc: &'static str) -> Setting {
        Setting { name, need: Need::Alternative { group, option }, secret: false, doc }
    }
    pub const fn secret(mut self) -> Setting {
        self.secret = true;
        self
    }
    pub fn is_optional(&self) -> bool {
        matches!(self.need, Need::Optional(_))
    }
}

pub const TIMEOUT: &str = "WU_NATIVE_TIMEOUT";
pub const CA_FILE: &str = "WU_NATIVE_CA_FILE";
pub const SSL_VERIFY: &str = "WU_NATIVE_SSL_VERIFY";
/// WordPress's proxy constants, honoured as WordPress honours them.
pub const PROXY_HOST: &str = "WP_PROXY_HOST";
pub const PROXY_PORT: &str = "WP_PROXY_PORT";
pub const PROXY_USERNAME: &str = "WP_PROXY_USERNAME";
pub const PROXY_PASSWORD: &str = "WP_PROXY_PASSWORD";
pub const PROXY_BYPASS_HOSTS: &str = "WP_PROXY_BYPASS_HOSTS";

/// Settings every provider honours.
pub const COMMON_SETTINGS: &[Setting] = &[
    Setting::optional(TIMEOUT, "", "Total time allowed for one panel request, in seconds (default: Hestia 60, others 45)."),
    Setting::optional(
        CA_FILE,
        "",
        "Path of a PEM file of certificates trusted in addition to the system's: the panel's own or self-signed certificate (accepted as PHP's curl accepts it) or its CA. A regular file of at most 1 MiB, inside `open_basedir`.",
    ),
    Setting::optional(
        SSL_VERIFY,
        "yes",
        "Set to false to accept any panel certificate (insecure; every result then carries a warning).",
    ),
    Setting::optional(
        PROXY_HOST,
        "",
        "WordPress's proxy: panel requests go through it, as WordPress's own do (with `WP_PROXY_PORT`; wins over `https_proxy` and the like).",
    ),
    Setting::optional(PROXY_PORT, "", "The port of `WP_PROXY_HOST`."),
    Setting::optional(PROXY_USERNAME, "", "User name for the proxy (Basic authentication, with `WP_PROXY_PASSWORD`)."),
    Setting::optional(PROXY_PASSWORD, "", "Password for the proxy.").secret(),
    Setting::optional(
        PROXY_BYPASS_HOSTS,
        "",
        "Comma-separated hosts reached without the proxy, `*` as a wildcard (localhost and the site's own host always are).",
    ),
];

/// The values of one provider's settings as they stand now.
#[derive(Debug, Clone, Default)]
pub struct Values {
    set: BTreeMap<&'static str, String>,
    secrets: BTreeMap<&'static str, Secret>,
    /// Names of required settings that are not set, in declaration order.
    pub missing: Vec<&'static str>,
    /// The same, phrased for a person: alternatives joined with "or".
    pub missing_phrases: Vec<String>,
    /// PHP's `open_basedir`, which `WU_NATIVE_CA_FILE` must lie within.
    pub open_basedir: Option<String>,
    /// The site's own host, never sent through `WP_PROXY_HOST`.
    pub site_host: Option<String>,
}

impl Values {
    pub fn read(settings: &[Setting], source: &dyn ConfigSource) -> Values {
        let mut values = Values::default();
        for s in settings.iter().chain(COMMON_SETTINGS) {
            let Some(v) = source.get(s.name).filter(|v| !v.is_empty()) else { continue };
            if s.secret {
                values.secrets.insert(s.name, Secret::new(v));
            } else {
                values.set.insert(s.name, v);
            }
        }
        values.find_missing(settings);
        values.open_basedir = source.ini("open_basedir").filter(|v| !v.is_empty());
        // Only WordPress's proxy needs the site's host (it never goes through it).
        if values.is_set(PROXY_HOST) && values.is_set(PROXY_PORT) {
            values.site_host = source.site_url().and_then(|u| url::Url::parse(&u).ok()?.host_str().map(str::to_string));
        }
        values
    }

    fn is_set(&self, name: &str) -> bool {
        self.set.contains_key(name) || self.secrets.contains_key(name)
    }

    fn find_missing(&mut self, settings: &[Setting]) {
        let mut groups_done: Vec<&str> = Vec::new();
        for s in settings {
            match s.need {
                Need::Required if !self.is_set(s.name) => {
                    self.missing.push(s.name);
                    self.missing_phrases.push(s.name.to_string());
                }
                Need::Alternative { group, .. } if !groups_done.contains(&group) => {
                    groups_done.push(group);
                    self.check_group(settings, group);
                }
                _ => {}
            }
        }
    }

    /// A group is satisfied by one complete option. When none is complete,
    /// a partly set option names just its own gaps; otherwise every option's
    /// settings are missing, phrased as "A or B".
    fn check_group(&mut self, settings: &[Setting], group: &str) {
        let mut options: BTreeMap<u8, Vec<&'static str>> = BTreeMap::new();
        for s in settings {
            if let Need::Alternative { group: g, option } = s.need {
                if g == group {
                    options.entry(option).or_default().push(s.name);
                }
            }
        }
        if options.values().any(|names| names.iter().all(|n| self.is_set(n))) {
            return;
        }
        if let Some(partial) = options.values().find(|names| names.iter().any(|n| self.is_set(n))) {
            let gaps: Vec<&'static str> = partial.iter().copied().filter(|n| !self.is_set(n)).collect();
            for name in gaps {
                self.missing.push(name);
                self.missing_phrases.push(name.to_string());
            }
            return;
        }
        let phrases: Vec<String> = options.values().map(|names| names.join(" + ")).collect();
        self.missing.extend(options.values().flatten());
        self.missing_phrases.push(phrases.join(" or "));
    }

    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.set.get(name).map(String::as_str)
    }

    /// A setting the provider cannot be built without (checked by `missing` first).
    pub fn require(&self, name: &str) -> Result<&str, ProviderError> {
        self.get(name).ok_or_else(|| ProviderError::config(format!("{name} is not defined")))
    }

    pub fn secret(&self, name: &str) -> Option<&Secret> {
        self.secrets.get(name)
    }

    /// Everything secret that was read, for redacting messages.
    pub fn add_secrets_to(&self, redactor: &mut Redactor) {
        for s in self.secrets.values() {
            redactor.add(s);
        }
    }

    /// `WU_NATIVE_TIMEOUT` when set to a positive number of seconds, else the provider's default.
    pub fn timeout(&self, default: Duration) -> Result<Duration, ProviderError> {
        match self.get(TIMEOUT) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<f64>() {
                Ok(secs) if secs > 0.0 && secs <= 3600.0 => Ok(Duration::from_secs_f64(secs)),
                _ => Err(ProviderError::config(format!(
                    "WU_NATIVE_TIMEOUT must be a number of seconds between 0 and 3600, got '{}'",
                    crate::domain::printable(v)
                ))),
            },
        }
    }
}

/// Reads a yes/no constant the way PHP code tends to define it.
pub fn parse_yes_no(name: &str, value: &str) -> Result<bool, ProviderError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" | "on" => Ok(true),
        "no" | "false" | "0" | "off" => Ok(false),
        _ => Err(ProviderError::config(format!(
            "{name} must be 'yes' or 'no', got '{}'",
            crate::domain::printable(value)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECLS: &[Setting] = &[
        Setting::required("A_URL", "url"),
        Setting::alternative("A_PASSWORD", "auth", 0, "pw").secret(),
        Setting::alternative("A_HASH", "auth", 1, "hash").secret(),
        Setting::alternative("A_SERVER", "target", 0, "server"),
        Setting::alternative("A_ORG", "target", 1, "org"),
        Setting::alternative("A_SITE", "target", 1, "site"),
        Setting::optional("A_RESTART", "yes", "restart"),
    ];

    #[test]
    fn missing_settings_are_named_with_alternatives_joined_by_or() {
        let cases: Vec<(Vec<(&str, &str)>, Vec<&str>, Vec<&str>)> = vec![
            (vec![], vec!["A_URL", "A_PASSWORD", "A_HASH", "A_SERVER", "A_ORG", "A_SITE"],
             vec!["A_URL", "A_PASSWORD or A_HASH", "A_SERVER or A_ORG + A_SITE"]),
            (vec![("A_URL", "u"), ("A_HASH", "h"), ("A_ORG", "o")], vec!["A_SITE"], vec!["A_SITE"]),
            (vec![("A_URL", "u"), ("A_PASSWORD", "p"), ("A_SERVER", "s")], vec![], vec![]),
            (vec![("A_URL", ""), ("A_PASSWORD", "p"), ("A_ORG", "o"), ("A_SITE", "w")], vec!["A_URL"], vec!["A_URL"]),
        ];
        for (set, missing, phrases) in cases {
            let values = Values::read(DECLS, &MapSource::new(set.clone()));
            assert_eq!(values.missing, missing, "{set:?}");
            assert_eq!(values.missing_phrases, phrases, "{set:?}");
        }
    }

    #[test]
    fn secret_settings_are_kept_apart_and_redacted() {
        let values = Values::read(DECLS, &MapSource::new([("A_PASSWORD", "pa55word-xyz")]));
        assert_eq!(values.get("A_PASSWORD"), None);
        assert_eq!(values.secret("A_PASSWORD").unwrap().expose(), "pa55word-xyz");
        let mut r = Redactor::default();
        values.add_secrets_to(&mut r);
        assert_eq!(r.redact("bad pa55word-xyz"), "bad ***");
    }

    #[test]
    fn timeout_override_is_validated() {
        let ok = Values::read(DECLS, &MapSource::new([("WU_NATIVE_TIMEOUT", "2.5")]));
        assert_eq!(ok.timeout(Duration::from_secs(60)).unwrap(), Duration::from_millis(2500));
        let default = Values::read(DECLS, &MapSource::default());
        assert_eq!(default.timeout(Duration::from_secs(60)).unwrap(), Duration::from_secs(60));
        let bad = Values::read(DECLS, &MapSource::new([("WU_NATIVE_TIMEOUT", "soon")]));
        assert!(bad.timeout(Duration::from_secs(60)).unwrap_err().message.contains("WU_NATIVE_TIMEOUT"));
    }

    #[test]
    fn yes_no_values_parse_leniently_and_reject_the_rest() {
        for (v, want) in [("yes", true), ("YES", true), ("1", true), ("true", true), ("no", false), ("0", false), ("false", false)] {
            assert_eq!(parse_yes_no("X", v).unwrap(), want, "{v}");
        }
        assert!(parse_yes_no("X", "maybe").unwrap_err().message.contains("X must be"));
    }
}
