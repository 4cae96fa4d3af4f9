//! A panel's or a proxy's address as messages show it and lock keys hash
//! it: `host:port`, never user info, path or query.

use url::Url;

/// `host:port` of a URL, never its user info, path or query.
pub fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => "the panel".to_string(),
    }
}
