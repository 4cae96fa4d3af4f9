//! What cPanel does with a plan: one listing of the account's virtual
//! hosts, then one write per virtual host (a name and its `www.` share one),
//! each looked at again when cPanel refuses it.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::client::{base_url, said, Client, Credentials, DomainsData, Outcome};
use super::{API_TOKEN, DEFAULT_ROOT_DIR, HOST, PASSWORD, PORT, ROOT_DIR, SPEC, USERNAME};
use crate::config::Values;
use crate::domain::{printable, HostName};
use crate::error::{ErrorKind, ProviderError};
use crate::http::HttpSettings;
use crate::providers::{is_fatal, Action, Applied, Change, Inventory, PanelOptions, Plan, Provider};

pub struct CPanel {
    client: Client,
    /// `WU_CPANEL_ROOT_DIR` as a path below the home directory, without
    /// outer slashes (`public_html`).
    root_dir: String,
    /// The listing `inventory` read, so `apply` needs no second read.
    last: Mutex<Option<Listing>>,
}

/// What a virtual host of the account is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Main,
    /// A parked domain (alias) of the main domain.
    Parked,
    /// An addon domain, with the key deletion takes: `label_<main domain>`.
    Addon { key: String },
    /// A subdomain, with its key: `label_<root domain>`.
    Sub { key: String },
}

#[derive(Debug, Clone)]
struct Vhost {
    kind: Kind,
    /// Absolute document root.
    docroot: String,
}

/// The account's names, each mapped to the virtual host serving it (a
/// domain and its `www.` map to the same one).
#[derive(Debug, Clone, Default)]
struct Listing {
    main: String,
    /// The network's document root, absolute.
    root: String,
    /// Base names (no `www.`) → their virtual host.
    hosts: BTreeMap<String, Vhost>,
    /// Labels already used by subdomains of the main domain.
    main_labels: Vec<String>,
}

impl Listing {
    fn read(data: DomainsData, root_dir: &str, user: &str) -> Result<Listing, ProviderError> {
        let main = HostName::parse(&data.main_domain.domain).map_err(|_| {
            ProviderError::new(
                ErrorKind::Api,
                format!("cPanel's list of domains has no usable main domain ('{}')", printable(&data.main_domain.domain)),
            )
        })?;
        let main = main.as_str().to_string();
        let home = if data.main_domain.homedir.trim().is_empty() { format!("/home/{user}") } else { data.main_domain.homedir.clone() };
        let mut listing = Listing { root: join_dir(&home, root_dir), main: main.clone(), ..Listing::default() };
        let main_root = data.main_domain.documentroot.clone();
        listing.hosts.insert(main.clone(), Vhost { kind: Kind::Main, docroot: main_root.clone() });
        for parked in &data.parked_domains {
            listing.insert(parked, Kind::Parked, &main_root);
        }
        for addon in &data.addon_domains {
            // The addon's own subdomain, `label.<main>`, names the key.
            let Some(label) = addon.servername.trim().to_lowercase().strip_suffix(&format!(".{main}")).map(str::to_string) else {
                continue;
            };
            if label.is_empty() || !label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
                continue;
            }
            listing.main_labels.push(label.clone());
            listing.insert(&addon.domain, Kind::Addon { key: format!("{label}_{main}") }, &addon.documentroot);
        }
        for sub in &data.sub_domains {
            let Ok(name) = HostName::parse(&sub.domain) else { continue };
            let key = match listing.root_of(name.as_str()) {
                Some((label, root)) => format!("{label}_{root}"),
                None => continue,
            };
            if let Some(label) = name.as_str().strip_suffix(&format!(".{main}")) {
                listing.main_labels.push(label.to_string());
            }
            listing.insert(name.as_str(), Kind::Sub { key }, &sub.documentroot);
        }
        Ok(listing)
    }

    fn insert(&mut self, spelling: &str, kind: Kind, docroot: &str) {
        if let Ok(name) = HostName::parse(spelling) {
            self.hosts.insert(name.as_str().to_string(), Vhost { kind, docroot: docroot.to_string() });
        }
    }

    /// The base name whose virtual host serves `name` (`www.x` is served by `x`'s).
    fn base(name: &str) -> &str {
        name.strip_prefix("www.").filter(|rest| rest.contains('.')).unwrap_or(name)
    }

    fn host_of(&self, name: &str) -> Option<(&str, &Vhost)> {
        self.hosts.get_key_value(name).or_else(|| self.hosts.get_key_value(Self::base(name))).map(|(k, v)| (k.as_str(), v))
    }

    fn serves_network(&self, vhost: &Vhost) -> bool {
        same_dir(&vhost.docroot, &self.root)
    }

    /// For a name below one of the account's domains (main or addon), the
    /// subdomain label and that domain, the longest one winning.
    fn root_of(&self, name: &str) -> Option<(String, String)> {
        let mut roots: Vec<&str> = self
            .hosts
            .iter()
            .filter(|(_, v)| matches!(v.kind, Kind::Main | Kind::Addon { .. }))
            .map(|(k, _)| k.as_str())
            .chain(std::iter::once(self.main.as_str()))
            .collect();
        roots.sort_by_key(|r| std::cmp::Reverse(r.len()));
        roots.into_iter().find_map(|root| {
            let label = name.strip_suffix(&format!(".{root}"))?;
            (!label.is_empty()).then(|| (label.to_string(), root.to_string()))
        })
    }

    /// Who holds `name` when it is not the network's: words for an error.
    fn owner(&self, name: &str, vhost: &Vhost) -> String {
        let what = match vhost.kind {
            Kind::Main => "the account's main domain",
            Kind::Parked => "a parked domain (alias) of the account",
            Kind::Addon { .. } => "an addon domain of the account",
            Kind::Sub { .. } => "a subdomain of the account",
        };
        format!("{name} is {what} with document root {}, not {ROOT_DIR}'s {}", printable(&vhost.docroot), self.root)
    }

    /// A subdomain label for a new addon domain: the name without its
    /// dots (as cPanel's own form suggests), shortened to one DNS label and
    /// made unique among the main domain's subdomains.
    fn addon_label(&self, name: &str) -> String {
        let plain: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        let plain = plain.trim_matches('-').to_string();
        let base: String = plain.chars().take(50).collect();
        let mut label = base.clone();
        let mut n = 2;
        while self.main_labels.iter().any(|l| l == &label) || self.hosts.contains_key(&format!("{label}.{}", self.main)) {
            label = format!("{base}-{n}");
            n += 1;
        }
        label
    }
}

fn join_dir(home: &str, dir: &str) -> String {
    format!("{}/{}", home.trim_end_matches('/'), dir.trim_matches('/')).trim_end_matches('/').to_string()
}

fn same_dir(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('/') == b.trim().trim_end_matches('/')
}

/// `WU_CPANEL_ROOT_DIR` as a relative path, refused when it leaves the home directory.
fn root_dir(raw: &str) -> Result<String, ProviderError> {
    let dir = raw.trim().trim_matches('/').to_string();
    let bad = dir.split('/').any(|part| part == ".." || part == ".")
        || dir.chars().any(|c| c.is_control() || c == '\\')
        || dir.contains("//");
    if bad {
        return Err(ProviderError::config(format!(
            "{ROOT_DIR} must be a directory below the account's home, e.g. /public_html, got '{}'",
            printable(raw)
        )));
    }
    Ok(dir)
}

/// A write's group: the base name and the requested names it serves.
struct Group {
    base: HostName,
    names: Vec<HostName>,
}

fn groups(names: &[HostName]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for name in names {
        let base = HostName::parse(Listing::base(name.as_str())).unwrap_or_else(|_| name.clone());
        match out.iter_mut().find(|g| g.base == base) {
            Some(group) => group.names.push(name.clone()),
            None => out.push(Group { base, names: vec![name.clone()] }),
        }
    }
    out
}

impl CPanel {
    pub(super) fn build(values: &Values, _options: &PanelOptions) -> Result<Box<dyn Provider>, ProviderError> {
        let user = values.require(USERNAME)?.trim().to_string();
        if user.is_empty() || user.len() > 64 || !user.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.') {
            return Err(ProviderError::config(format!(
                "{USERNAME} must be a cPanel account name (letters, digits, '_', '-', '.'), got '{}'",
                printable(&user)
            )));
        }
        let base = base_url(values.require(HOST)?, values.get(PORT))?;
        let credentials = match (values.secret(API_TOKEN), values.secret(PASSWORD)) {
            (Some(token), _) => {
                let t = token.expose().trim();
                if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control() || c == ':') {
                    return Err(ProviderError::config(format!(
                        "{API_TOKEN} must be the token cPanel showed when it was created (letters and digits, no spaces)"
                    )));
                }
                Credentials::Token(crate::secret::Secret::new(t))
            }
            (None, Some(password)) => {
                let loopback = matches!(base.host_str(), Some("127.0.0.1" | "localhost" | "[::1]" | "::1"));
                if base.scheme() != "https" && !loopback {
                    return Err(ProviderError::config(format!(
                        "{PASSWORD} is only sent over TLS: {HOST} must be an https:// address (or a server name), or use {API_TOKEN}"
                    )));
                }
                Credentials::Password(password.clone())
            }
            (None, None) => return Err(ProviderError::config(format!("{API_TOKEN} or {PASSWORD} is not defined"))),
        };
        let root_dir = root_dir(values.get(ROOT_DIR).unwrap_or(DEFAULT_ROOT_DIR))?;
        let http = HttpSettings::from_values(values, SPEC.default_timeout)?;
        Ok(Box::new(CPanel { client: Client { base, user, credentials, http }, root_dir, last: Mutex::new(None) }))
    }

    fn listing(&self) -> Result<Listing, ProviderError> {
        Listing::read(self.client.domains_data()?, &self.root_dir, &self.client.user)
    }

    fn current(&self) -> Result<Listing, ProviderError> {
        let cached = self.last.lock().unwrap_or_else(|p| p.into_inner()).take();
        match cached {
            Some(listing) => Ok(listing),
            None => self.listing(),
        }
    }

    /// Makes `base` served from the network's document root.
    fn add(&self, base: &HostName, listing: &Listing) -> Result<Action, ProviderError> {
        let name = base.as_str();
        if let Some((held, vhost)) = listing.host_of(name) {
            if listing.serves_network(vhost) {
                return Ok(Action::AlreadyPresent);
            }
            return Err(held_elsewhere(listing.owner(held, vhost)));
        }
        let dir = format!("/{}", self.root_dir);
        let (function, outcome) = match listing.root_of(name) {
            Some((label, root)) => (
                "SubDomain::addsubdomain",
                self.client
                    .uapi("SubDomain", "addsubdomain", &[("domain", &label), ("rootdomain", &root), ("dir", &dir)])
                    .map(|(outcome, _)| outcome)?,
            ),
            None => {
                let label = listing.addon_label(name);
                (
                    "AddonDomain::addaddondomain",
                    self.client.api2("AddonDomain", "addaddondomain", &[("newdomain", name), ("subdomain", &label), ("dir", &dir)])?,
                )
            }
        };
        if outcome.ok {
            return Ok(Action::Added);
        }
        // Refused: someone may have added it since we looked, or it is held.
        match self.listing() {
            Ok(now) => match now.host_of(name) {
                Some((_, vhost)) if now.serves_network(vhost) => Ok(Action::AlreadyPresent),
                Some((held, vhost)) => Err(held_elsewhere(now.owner(held, vhost))),
                None => Err(refused("adding", name, function, &outcome)),
            },
            Err(_) => Err(refused("adding", name, function, &outcome)),
        }
    }

    /// Stops `base` (and its `www.`) being served: deletes exactly the addon
    /// domain or subdomain cPanel lists for it, by the key cPanel gave.
    fn remove(&self, base: &HostName, listing: &Listing) -> Result<Action, ProviderError> {
        let name = base.as_str();
        let Some((held, vhost)) = listing.host_of(name) else { return Ok(Action::AlreadyAbsent) };
        if !listing.serves_network(vhost) {
            return Ok(Action::AlreadyAbsent);
        }
        let (function, outcome) = match &vhost.kind {
            Kind::Addon { key } => ("AddonDomain::deladdondomain", self.client.api2("AddonDomain", "deladdondomain", &[("domain", held), ("subdomain", key)])?),
            Kind::Sub { key } => ("SubDomain::delsubdomain", self.client.api2("SubDomain", "delsubdomain", &[("domain", key)])?),
            // The account's own base names (its main domain, parked domains
            // and their www.) are never removed, as a sync never prunes them.
            Kind::Main | Kind::Parked => return Ok(Action::Skipped),
        };
        if outcome.ok {
            return Ok(Action::Removed);
        }
        match self.listing() {
            Ok(now) if now.host_of(name).is_none_or(|(_, v)| !now.serves_network(v)) => Ok(Action::AlreadyAbsent),
            _ => Err(refused("removing", name, function, &outcome)),
        }
    }

    /// Runs `work` for each group in order: every requested name of a group
    /// takes its group's outcome. Stops at the first error unless the plan
    /// goes on (errors that concern every name always stop).
    fn each_group(&self, names: &[HostName], plan: &Plan, applied: &mut Applied, work: impl Fn(&HostName) -> Result<Action, ProviderError>) {
        for group in groups(names) {
            if applied.error.is_some() {
                return;
            }
            match work(&group.base) {
                Ok(action) => applied.changes.extend(group.names.iter().map(|n| Change::new(n, action))),
                Err(e) => {
                    let fatal = is_fatal(&e);
                    for name in &group.names {
                        applied.refuse(name, e.clone(), plan);
                    }
                    if fatal || !plan.keep_going {
                        applied.error.get_or_insert(e);
                        return;
                    }
                }
            }
        }
    }
}

fn held_elsewhere(owner: String) -> ProviderError {
    ProviderError::new(ErrorKind::Api, format!("{owner}: move it in cPanel (Domains) or map another name")).with_code("held_elsewhere")
}

/// A function that ran and failed, in cPanel's words.
fn refused(doing: &str, name: &str, function: &str, outcome: &Outcome) -> ProviderError {
    let words = said(&outcome.words);
    let lower = words.to_lowercase();
    let kind = if lower.contains("limit") || lower.contains("exceeded the maximum") {
        ErrorKind::Limit
    } else if lower.contains("feature is not enabled") || lower.contains("access denied") {
        ErrorKind::Auth
    } else {
        ErrorKind::Api
    };
    let hint = match kind {
        ErrorKind::Limit => " (raise the account's package limits in WHM)",
        ErrorKind::Auth => " (the account's feature list or the token's rights do not allow it)",
        _ => "",
    };
    ProviderError::new(kind, format!("cPanel refused {doing} {name} ({function}): {words}{hint}")).with_status(200).with_code(function)
}

impl Provider for CPanel {
    fn inventory(&self) -> Result<Inventory, ProviderError> {
        let listing = self.listing()?;
        let mut inventory = Inventory::default();
        for (name, vhost) in &listing.hosts {
            if !listing.serves_network(vhost) {
                continue;
            }
            // cPanel serves www. of every domain from the domain's own host.
            for spelling in [name.clone(), format!("www.{name}")] {
                inventory.insert(&spelling, None);
                if matches!(vhost.kind, Kind::Main | Kind::Parked) {
                    inventory.protect(&spelling);
                }
            }
        }
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(listing);
        Ok(inventory)
    }

    fn apply(&self, plan: &Plan, _inventory: &Inventory) -> Applied {
        let listing = match self.current() {
            Ok(listing) => listing,
            Err(e) => return Applied::stopped(e),
        };
        let mut applied = Applied::default();
        self.each_group(&plan.add, plan, &mut applied, |base| self.add(base, &listing));
        if applied.error.is_none() {
            self.each_group(&plan.remove, plan, &mut applied, |base| self.remove(base, &listing));
        }
        applied
    }

    /// Reading the account's domains proves the credentials and the account.
    fn test_connection(&self) -> Result<(), ProviderError> {
        self.listing().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing() -> Listing {
        let body = std::fs::read_to_string(format!("{}/src/providers/cpanel/fixtures/domains-data.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let (_, data) = super::super::client::read_uapi(&body).unwrap();
        Listing::read(data.read().unwrap(), "public_html", "netuser").unwrap()
    }

    #[test]
    fn the_listing_knows_each_vhost_its_key_and_its_document_root() {
        let listing = listing();
        assert_eq!(listing.root, "/home/netuser/public_html");
        let kind = |n: &str| listing.host_of(n).map(|(_, v)| v.kind.clone());
        assert_eq!(kind("customer.example"), Some(Kind::Addon { key: "customerexample_network.example".into() }));
        assert_eq!(kind("www.customer.example"), kind("customer.example"), "www. is the same host");
        assert_eq!(kind("blog.network.example"), Some(Kind::Sub { key: "blog_network.example".into() }));
        assert_eq!(kind("network.example"), Some(Kind::Main));
        assert_eq!(kind("alias.example"), Some(Kind::Parked));
        assert_eq!(kind("other.example"), None);
    }

    #[test]
    fn entries_whose_names_could_steer_a_request_are_left_out_of_the_listing() {
        let entry = |domain: &str, servername: &str| super::super::client::VhostEntry {
            domain: domain.into(),
            documentroot: "/home/netuser/public_html".into(),
            homedir: "/home/netuser".into(),
            servername: servername.into(),
        };
        let data = DomainsData {
            main_domain: entry("network.example", "network.example"),
            addon_domains: vec![
                entry("a.example", "x&domain=other.example.network.example"),
                entry("b.example", "../b?c.network.example"),
                entry("c.example", "elsewhere.example"),
                entry("d.example&x=1", "dexample.network.example"),
                entry("e.example", "eexample.network.example"),
            ],
            sub_domains: vec![entry("s/../t.network.example", "s.network.example"), entry("other.example", "other.example")],
            parked_domains: vec!["p?q.example".into()],
        };
        let listing = Listing::read(data, "public_html", "netuser").unwrap();
        let names: Vec<&str> = listing.hosts.keys().map(String::as_str).collect();
        assert_eq!(names, vec!["e.example", "network.example"], "only plain names with a key of the main domain");
        assert!(Listing::read(DomainsData { main_domain: entry("../x", "x"), ..DomainsData::default() }, "public_html", "u").is_err());
    }

    #[test]
    fn names_below_the_accounts_domains_are_subdomains_of_the_longest_one() {
        let listing = listing();
        let cases = [
            ("site1.network.example", Some(("site1", "network.example"))),
            ("a.b.network.example", Some(("a.b", "network.example"))),
            ("shop.customer.example", Some(("shop", "customer.example"))),
            ("new.example", None),
            ("network.example.evil", None),
            ("xnetwork.example", None),
        ];
        for (name, want) in cases {
            assert_eq!(listing.root_of(name), want.map(|(l, r)| (l.to_string(), r.to_string())), "{name}");
        }
    }

    #[test]
    fn addon_labels_are_one_short_unique_label() {
        let mut listing = listing();
        assert_eq!(listing.addon_label("shop.example.com"), "shopexamplecom");
        assert_eq!(listing.addon_label("customer.example"), "customerexample-2", "taken by the existing addon");
        listing.main_labels.push("customerexample-2".into());
        assert_eq!(listing.addon_label("customer.example"), "customerexample-3");
        let long = format!("{}.example", "a".repeat(60));
        assert!(listing.addon_label(&long).len() <= 50);
        assert_eq!(listing.addon_label("xn--bcher-kva.example"), "xn--bcher-kvaexample");
    }

    #[test]
    fn a_name_and_its_www_are_one_group() {
        let names: Vec<HostName> =
            ["a.example", "www.a.example", "www.b.example", "c.example", "www.example"].iter().map(|n| HostName::parse(n).unwrap()).collect();
        let got: Vec<(String, usize)> = groups(&names).into_iter().map(|g| (g.base.to_string(), g.names.len())).collect();
        assert_eq!(got, vec![("a.example".into(), 2), ("b.example".into(), 1), ("c.example".into(), 1), ("www.example".into(), 1)]);
    }

    #[test]
    fn root_dirs_stay_below_home() {
        assert_eq!(root_dir("/public_html").unwrap(), "public_html");
        assert_eq!(root_dir("public_html/network/").unwrap(), "public_html/network");
        assert_eq!(root_dir("/").unwrap(), "");
        for bad in ["/public_html/../../etc", "./x", "a//b", "a\\b"] {
            let err = root_dir(bad).unwrap_err();
            assert!(err.message.contains(ROOT_DIR), "{bad}");
        }
    }
}
