//! Which proxy, if any, a panel request goes through: WordPress's
//! `WP_PROXY_*` constants first, as its HTTP API applies them, then the
//! environment as curl reads it. reqwest's own environment detection is off:
//! it honours an uppercase `HTTP_PROXY`, which curl ignores on purpose (in
//! CGI it can be set by a request's `Proxy:` header, "httpoxy").

use url::Url;

use crate::config::Values;
use crate::domain::printable;
use crate::error::ProviderError;
use crate::secret::Secret;

pub use crate::config::{PROXY_BYPASS_HOSTS, PROXY_HOST, PROXY_PASSWORD, PROXY_PORT, PROXY_USERNAME};

/// A proxy to send one request through.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProxyRoute {
    /// `http://host:port`, without credentials.
    pub url: Url,
    pub credentials: Option<(String, Secret)>,
    /// Where it came from, for messages: a constant or an environment variable.
    pub source: String,
}

impl ProxyRoute {
    /// `host:port` of the proxy, for messages.
    pub fn address(&self) -> String {
        crate::address::host_of(&self.url)
    }
}

/// WordPress's proxy, when `WP_PROXY_HOST` and `WP_PROXY_PORT` are both set.
#[derive(Debug, Clone)]
struct WordPressProxy {
    route: ProxyRoute,
    bypass: Option<String>,
    site_host: Option<String>,
}

/// The proxy settings of one call: the constants, and the environment as
/// it was when the call started.
#[derive(Debug, Clone, Default)]
pub struct ProxySettings {
    wordpress: Option<WordPressProxy>,
    environment: Vec<(&'static str, String)>,
}

/// The environment variables curl reads for proxies, in no particular order.
const ENVIRONMENT: &[&str] = &["http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"];

impl ProxySettings {
    pub fn from_values(values: &Values, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ProviderError> {
        let environment = ENVIRONMENT.iter().filter_map(|name| env(name).filter(|v| !v.trim().is_empty()).map(|v| (*name, v))).collect();
        let wordpress = match (values.get(PROXY_HOST), values.get(PROXY_PORT)) {
            (Some(host), Some(port)) => Some(WordPressProxy {
                route: wordpress_route(host, port, values)?,
                bypass: values.get(PROXY_BYPASS_HOSTS).map(str::to_string),
                site_host: values.site_host.clone(),
            }),
            _ => None,
        };
        Ok(ProxySettings { wordpress, environment })
    }

    fn env(&self, name: &str) -> Option<&str> {
        self.environment.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The proxy for a request to `url`, or `None` to connect directly.
    pub fn route(&self, url: &Url) -> Result<Option<ProxyRoute>, ProviderError> {
        let host = url.host_str().unwrap_or_default();
        if let Some(wp) = &self.wordpress {
            if wordpress_sends_through_proxy(host, wp.site_host.as_deref(), wp.bypass.as_deref()) {
                return Ok(Some(wp.route.clone()));
            }
        }
        // Hosts WordPress does not proxy still meet curl's environment rules,
        // as they do in WordPress's own requests through PHP's curl.
        match curl_environment_proxy(url.scheme(), host, &|name| self.env(name).map(str::to_string)) {
            Some((name, value)) => environment_route(name, &value).map(Some),
            None => Ok(None),
        }
    }
}

fn wordpress_route(host: &str, port: &str, values: &Values) -> Result<ProxyRoute, ProviderError> {
    let port: u16 = port
        .trim()
        .parse()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| ProviderError::config(format!("{PROXY_PORT} must be a port number between 1 and 65535, got '{}'", printable(port))))?;
    let host = host.trim();
    let bare = host.strip_prefix("http://").unwrap_or(host).trim_end_matches('/');
    let url = Url::parse(&format!("http://{bare}:{port}"))
        .ok()
        .filter(|u| u.host_str().is_some() && u.path() == "/" && u.username().is_empty() && u.password().is_none() && u.port() == Some(port))
        .ok_or_else(|| {
            ProviderError::config(format!(
                "{PROXY_HOST} must be the proxy's host name or IP address (no port, path or credentials), got '{}'",
                printable(host)
            ))
        })?;
    // WordPress sends credentials only when both constants are defined.
    let credentials = match (values.get(PROXY_USERNAME), values.secret(PROXY_PASSWORD)) {
        (Some(user), Some(password)) => Some((user.to_string(), password.clone())),
        _ => None,
    };
    Ok(ProxyRoute { url, credentials, source: PROXY_HOST.to_string() })
}

/// WordPress's rule (`WP_HTTP_Proxy::send_through_proxy`): never for
/// `localhost` or the site's own host; otherwise unless the host is in the
/// comma-separated bypass list, exactly, or (when the list has a `*`
/// anywhere) matching any entry case-insensitively with `*` standing for one
/// or more characters.
pub fn wordpress_sends_through_proxy(host: &str, site_host: Option<&str>, bypass: Option<&str>) -> bool {
    if host == "localhost" || site_host == Some(host) {
        return false;
    }
    let Some(bypass) = bypass else { return true };
    let entries: Vec<&str> = bypass.split(',').enumerate().map(|(i, e)| if i == 0 { e } else { e.trim_start() }).collect();
    if bypass.contains('*') {
        !entries.iter().any(|entry| wildcard_matches(&entry.to_lowercase(), &host.to_lowercase()))
    } else {
        !entries.contains(&host)
    }
}

/// `*` stands for one or more characters; everything else is literal.
/// Linear in the pattern times the text, whatever the stars.
fn wildcard_matches(pattern: &str, text: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    // matched[j]: the pattern so far matches the first j characters.
    let mut matched = vec![false; text.len() + 1];
    matched[0] = true;
    for p in pattern.chars() {
        let mut next = vec![false; text.len() + 1];
        if p == '*' {
            let mut any_before = false;
            for j in 0..=text.len() {
                next[j] = any_before;
                any_before |= matched[j];
            }
        } else {
            for j in 1..=text.len() {
                next[j] = matched[j - 1] && text[j - 1] == p;
            }
        }
        matched = next;
    }
    matched[text.len()]
}

/// curl's choice of proxy from the environment for a `scheme` URL to `host`:
/// `no_proxy`/`NO_PROXY` first; then `http_proxy` for http (never the
/// uppercase `HTTP_PROXY`), `https_proxy` or `HTTPS_PROXY` for https; then
/// `all_proxy` or `ALL_PROXY`. Gives the variable's name and value.
pub fn curl_environment_proxy(scheme: &str, host: &str, env: &dyn Fn(&str) -> Option<String>) -> Option<(&'static str, String)> {
    let get = |name: &'static str| env(name).filter(|v| !v.trim().is_empty()).map(|v| (name, v));
    if let Some((_, no_proxy)) = get("no_proxy").or_else(|| get("NO_PROXY")) {
        if curl_no_proxy_matches(&no_proxy, host) {
            return None;
        }
    }
    let specific = match scheme {
        "http" => get("http_proxy"),
        _ => get("https_proxy").or_else(|| get("HTTPS_PROXY")),
    };
    specific.or_else(|| get("all_proxy")).or_else(|| get("ALL_PROXY"))
}

/// curl's `no_proxy` test: `*` alone matches every host; otherwise a
/// comma- or space-separated list of host names (matching the host or any
/// host below it, a leading dot ignored), IP addresses and CIDR ranges.
pub fn curl_no_proxy_matches(no_proxy: &str, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']').trim_end_matches('.').to_ascii_lowercase();
    let ip: Option<std::net::IpAddr> = host.parse().ok();
    no_proxy.split([',', ' ', '\t']).map(str::trim).filter(|e| !e.is_empty()).any(|entry| {
        if entry == "*" {
            return true;
        }
        match ip {
            Some(ip) => ip_entry_matches(entry, ip),
            None => {
                let entry = entry.trim_start_matches('.').trim_end_matches('.').to_ascii_lowercase();
                !entry.is_empty() && (host == entry || host.strip_suffix(&entry).is_some_and(|head| head.ends_with('.')))
            }
        }
    })
}

fn ip_entry_matches(entry: &str, ip: std::net::IpAddr) -> bool {
    let entry = entry.trim_start_matches('[').trim_end_matches(']');
    let (address, bits) = match entry.split_once('/') {
        Some((a, b)) => match b.parse::<u32>() {
            Ok(bits) => (a, Some(bits)),
            Err(_) => return false,
        },
        None => (entry, None),
    };
    let Ok(network) = address.parse::<std::net::IpAddr>() else { return false };
    let (a, b, width) = match (network, ip) {
        (std::net::IpAddr::V4(n), std::net::IpAddr::V4(i)) => (u32::from(n) as u128, u32::from(i) as u128, 32),
        (std::net::IpAddr::V6(n), std::net::IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
        _ => return false,
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return false;
    }
    let shift = width - bits;
    bits == 0 || (a >> shift) == (b >> shift)
}

/// A proxy named by an environment variable: `[http://][user:password@]host[:port]`,
/// as curl reads it (port 1080 when none is given).
fn environment_route(name: &str, value: &str) -> Result<ProxyRoute, ProviderError> {
    let value = value.trim();
    let with_scheme = if value.contains("://") { value.to_string() } else { format!("http://{value}") };
    let unusable = |why: &str| ProviderError::config(format!("the environment variable {name} {why}; fix it in the PHP process's environment (a php-fpm pool's env[...]), or set WP_PROXY_HOST, which wins over it"));
    let mut url = Url::parse(&with_scheme).map_err(|_| unusable("is not a proxy address"))?;
    if url.scheme() != "http" {
        return Err(unusable(&format!("names a {}:// proxy; only http:// proxies are supported", printable(url.scheme()))));
    }
    if url.host_str().is_none() {
        return Err(unusable("is not a proxy address"));
    }
    let decode = |s: &str| percent_decode(s);
    let credentials = match (url.username(), url.password()) {
        ("", None) => None,
        (user, password) => Some((decode(user), Secret::new(decode(password.unwrap_or_default())))),
    };
    if url.port().is_none() {
        let _ = url.set_port(Some(1080));
    }
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_path("");
    url.set_query(None);
    url.set_fragment(None);
    Ok(ProxyRoute { url, credentials, source: name.to_string() })
}

fn percent_decode(text: &str) -> String {
    form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_environment_is_read_by_curls_rules() {
        let cases: &[(&str, &[(&str, &str)], Option<&str>)] = &[
            ("http", &[("HTTP_PROXY", "http://evil:1")], None),
            ("http", &[("http_proxy", "http://p:1")], Some("http_proxy")),
            ("http", &[("HTTP_PROXY", "http://evil:1"), ("ALL_PROXY", "http://a:1")], Some("ALL_PROXY")),
            ("https", &[("https_proxy", "http://p:1"), ("HTTPS_PROXY", "http://q:1")], Some("https_proxy")),
            ("https", &[("HTTPS_PROXY", "http://q:1")], Some("HTTPS_PROXY")),
            ("https", &[("http_proxy", "http://p:1")], None),
            ("https", &[("all_proxy", "http://a:1"), ("ALL_PROXY", "http://b:1")], Some("all_proxy")),
            ("https", &[("https_proxy", "")], None),
            ("https", &[("https_proxy", "http://p:1"), ("no_proxy", "panel.example")], None),
            ("https", &[("https_proxy", "http://p:1"), ("NO_PROXY", "*")], None),
            ("https", &[("https_proxy", "http://p:1"), ("no_proxy", "other.example"), ("NO_PROXY", "*")], Some("https_proxy")),
        ];
        for (scheme, env, want) in cases {
            let got = curl_environment_proxy(scheme, "panel.example", &env_of(env)).map(|(name, _)| name);
            assert_eq!(got, *want, "{scheme} {env:?}");
        }
    }

    #[test]
    fn no_proxy_entries_match_hosts_below_them_and_addresses_in_ranges() {
        let cases = [
            ("panel.example", "panel.example", true),
            (".example", "panel.example", true),
            ("example", "panel.example", true),
            ("nel.example", "panel.example", false),
            ("PANEL.example.", "panel.EXAMPLE", true),
            ("a.example, panel.example", "panel.example", true),
            ("a.example panel.example", "panel.example", true),
            ("*", "anything.example", true),
            ("*.example", "panel.example", false),
            ("10.0.0.1", "10.0.0.1", true),
            ("10.0.0.0/8", "10.1.2.3", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("::1", "[::1]", true),
            ("fd00::/8", "fd12::1", true),
            ("10.0.0.1", "10.0.0.10", false),
            ("", "panel.example", false),
        ];
        for (no_proxy, host, want) in cases {
            assert_eq!(curl_no_proxy_matches(no_proxy, host), want, "{no_proxy} vs {host}");
        }
    }

    #[test]
    fn wordpress_bypasses_localhost_its_own_host_and_the_listed_hosts() {
        let cases: &[(&str, Option<&str>, Option<&str>, bool)] = &[
            ("panel.example", None, None, true),
            ("localhost", None, None, false),
            ("127.0.0.1", None, None, true),
            ("network.example", Some("network.example"), None, false),
            ("panel.example", None, Some("a.example, panel.example"), false),
            ("panel.example", None, Some("a.example,panel.example"), false),
            ("Panel.example", None, Some("panel.example"), true),
            ("panel.example", None, Some("*.example"), false),
            ("Panel.Example", None, Some("*.example"), false),
            ("example", None, Some("*.example"), true),
            ("panel.example.org", None, Some("*.example"), true),
            ("PANEL.example", None, Some("panel.example, *.other"), false),
            ("a.b.example", None, Some("*.example"), false),
        ];
        for (host, site, bypass, want) in cases {
            assert_eq!(wordpress_sends_through_proxy(host, *site, *bypass), *want, "{host} site {site:?} bypass {bypass:?}");
        }
    }

    #[test]
    fn an_environment_proxy_keeps_its_credentials_apart_from_its_address() {
        let route = environment_route("https_proxy", "user:p%40ss@proxy.example").unwrap();
        assert_eq!(route.url.as_str(), "http://proxy.example:1080/");
        let (user, password) = route.credentials.unwrap();
        assert_eq!((user.as_str(), password.expose()), ("user", "p@ss"));
        let socks = environment_route("all_proxy", "socks5://proxy.example:1080").unwrap_err();
        assert!(socks.message.contains("all_proxy") && socks.message.contains("socks5"), "{}", socks.message);
    }
}
