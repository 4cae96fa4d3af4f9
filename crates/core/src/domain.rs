//! Host names as panels must receive them, and the `www.` rule.
//!
//! Every name is validated and normalised here before any request is built, so
//! a caller cannot smuggle a second alias into Hestia's comma list, a path into
//! a URL, or a wildcard into a panel.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// Longest input we even look at; anything longer is refused before any work.
const MAX_INPUT_LEN: usize = 1024;
const MAX_NAME_LEN: usize = 253;
const MAX_LABEL_LEN: usize = 63;

/// A validated, normalised host name: lower-case ASCII (punycode for
/// internationalised labels), no trailing dot, at least two labels.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostName(String);

impl HostName {
    pub fn parse(input: &str) -> Result<HostName, InvalidHostName> {
        normalise(input).map(HostName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `www.<name>`, unless the name already starts with `www.` or the result
    /// would be too long to be a host name.
    pub fn www_variant(&self) -> Option<HostName> {
        if self.0.starts_with("www.") {
            return None;
        }
        let candidate = format!("www.{}", self.0);
        (candidate.len() <= MAX_NAME_LEN).then_some(HostName(candidate))
    }

    /// True for a registrable domain (`example.com`, `example.co.uk`) by the
    /// public suffix list; false for `shop.example.com`.
    pub fn is_registrable(&self) -> bool {
        psl::domain_str(&self.0) == Some(self.0.as_str())
    }
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HostName({})", self.0)
    }
}

/// Why a string is not a host name. `input` is a printable, shortened copy
/// of what was given, safe to put in a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a valid host name: {reason}")]
pub struct InvalidHostName {
    pub input: String,
    pub reason: String,
}

impl InvalidHostName {
    /// Bytes that are not text at all (PHP strings are bytes).
    pub fn not_utf8(bytes: &[u8]) -> InvalidHostName {
        invalid(&String::from_utf8_lossy(bytes), "it is not valid UTF-8 text")
    }
}

fn invalid(input: &str, reason: impl Into<String>) -> InvalidHostName {
    InvalidHostName { input: printable(input), reason: reason.into() }
}

/// A copy of user input that is safe and short enough to show in a message.
pub fn printable(input: &str) -> String {
    const SHOWN: usize = 80;
    let mut out = String::with_capacity(input.len().min(4 * SHOWN));
    for (i, c) in input.chars().enumerate() {
        if i == SHOWN {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn normalise(input: &str) -> Result<String, InvalidHostName> {
    if input.is_empty() {
        return Err(invalid(input, "it is empty"));
    }
    if input.len() > MAX_INPUT_LEN {
        return Err(invalid(input, format!("it is longer than {MAX_NAME_LEN} characters")));
    }
    // A name of only letters, digits, hyphens and dots passes every check
    // of its characters: only the labels' own rules apply to it.
    let plain = is_plain_ascii(input);
    if !plain {
        refuse_characters(input)?;
    }

    let trimmed = input.strip_suffix('.').unwrap_or(input);
    if trimmed.is_empty() || trimmed.starts_with('.') || trimmed.contains("..") || trimmed.ends_with('.') {
        return Err(invalid(input, "it has an empty label ('..' or a leading dot)"));
    }
    if is_ip_address(trimmed) {
        return Err(invalid(input, "IP addresses are not accepted"));
    }

    // Length and hyphen rules are checked below, with reasons of their own.
    let ascii = if plain {
        // What UTS 46 makes of letters, digits, hyphens and dots: the same, in lower case.
        trimmed.to_ascii_lowercase()
    } else {
        idna::uts46::Uts46::new()
            .to_ascii(trimmed.as_bytes(), idna::uts46::AsciiDenyList::STD3, idna::uts46::Hyphens::Allow, idna::uts46::DnsLength::Ignore)
            .map_err(|_| invalid(input, "it contains characters not allowed in a host name"))?
            .into_owned()
    };

    check_labels(input, &ascii)?;
    Ok(ascii)
}

/// The characters a host name cannot have, each refused with its own reason.
fn refuse_characters(input: &str) -> Result<(), InvalidHostName> {
    if input.chars().any(char::is_control) {
        return Err(invalid(input, "it contains a control character"));
    }
    if input.chars().any(char::is_whitespace) {
        return Err(invalid(input, "it contains white space"));
    }
    // IDNA would silently drop these, so "exa\u{200B}mple.com" would become
    // example.com: refuse rather than act on a name the caller cannot see.
    if let Some(c) = input.chars().find(|c| is_invisible(*c)) {
        return Err(invalid(input, format!("it contains an invisible character (U+{:04X})", c as u32)));
    }
    if input.contains("://") {
        return Err(invalid(input, "give the host name alone, without a scheme such as https://"));
    }
    // Characters that would change the meaning of a URL or of a panel's
    // argument list, each with the reason a caller can act on.
    const FORBIDDEN: &[(char, &str)] = &[
        ('/', "it contains a path ('/')"),
        ('\\', "it contains a backslash"),
        ('?', "it contains a query ('?')"),
        ('#', "it contains a fragment ('#')"),
        ('@', "it contains '@'"),
        (',', "it contains a comma (only one name may be given)"),
        ('&', "it contains '&'"),
        ('=', "it contains '='"),
        ('*', "wildcards are not accepted"),
        ('[', "IP addresses are not accepted"),
        (':', "it contains a port or ':' (give the host name alone)"),
        ('%', "it contains '%'"),
        (';', "it contains ';'"),
        ('"', "it contains a quote"),
        ('\'', "it contains a quote"),
        ('<', "it contains '<'"),
        ('>', "it contains '>'"),
    ];
    if let Some((_, reason)) = FORBIDDEN.iter().find(|(c, _)| input.contains(*c)) {
        return Err(invalid(input, *reason));
    }
    Ok(())
}

/// Only ASCII letters, digits, hyphens and dots, and no label in punycode
/// (`xn--`, which IDNA decodes and checks): the names panels and callers
/// nearly always give, which IDNA would only lower-case.
fn is_plain_ascii(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !name.split('.').any(|label| label.len() >= 4 && label[..4].eq_ignore_ascii_case("xn--"))
}

/// Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) except the
/// joiners U+200C/U+200D, which IDNA keeps and checks in context.
fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
            | 0x200B | 0x200E..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164
            | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF
    )
}

fn is_ip_address(name: &str) -> bool {
    name.parse::<IpAddr>().is_ok()
        || name.parse::<Ipv4Addr>().is_ok()
        || name.rsplit('.').next().is_some_and(is_numeric_label)
}

/// Whether URL parsers (WHATWG "ends in a number") read a last label as an
/// IPv4 part: 10.1, 1.2.3.0x4 and 017.1 are addresses, a.0x1f is refused.
fn is_numeric_label(label: &str) -> bool {
    let hex = label.strip_prefix("0x").or_else(|| label.strip_prefix("0X"));
    match hex {
        Some(digits) => digits.chars().all(|c| c.is_ascii_hexdigit()),
        None => !label.is_empty() && label.chars().all(|c| c.is_ascii_digit()),
    }
}

fn check_labels(input: &str, ascii: &str) -> Result<(), InvalidHostName> {
    if ascii.len() > MAX_NAME_LEN {
        return Err(invalid(input, format!("it is longer than {MAX_NAME_LEN} characters")));
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.len() < 2 {
        return Err(invalid(input, "it has a single label; give a full name such as example.com"));
    }
    for label in &labels {
        if label.is_empty() {
            return Err(invalid(input, "it has an empty label"));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(invalid(input, format!("a label is longer than {MAX_LABEL_LEN} characters")));
        }
        if !label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(invalid(input, "it contains characters not allowed in a host name"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(invalid(input, "a label starts or ends with a hyphen"));
        }
        if label.len() >= 4 && &label[2..4] == "--" && !label.starts_with("xn--") {
            return Err(invalid(input, "a label has '--' in the third and fourth position"));
        }
    }
    if is_ip_address(ascii) {
        return Err(invalid(input, "IP addresses are not accepted"));
    }
    Ok(())
}

/// Ultimate Multisite's `auto_create_www_subdomain` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WwwRule {
    Always,
    MainOnly,
    Never,
}

impl WwwRule {
    pub const NAMES: [&'static str; 3] = ["always", "main_only", "never"];

    pub fn parse(value: &str) -> Option<WwwRule> {
        match value {
            "always" => Some(WwwRule::Always),
            "main_only" => Some(WwwRule::MainOnly),
            "never" => Some(WwwRule::Never),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WwwRule::Always => "always",
            WwwRule::MainOnly => "main_only",
            WwwRule::Never => "never",
        }
    }

    /// The names one mapping of `host` stands for: the host, then its `www.`
    /// variant when this rule asks for one.
    pub fn expand(self, host: &HostName) -> Vec<HostName> {
        let wants_www = match self {
            WwwRule::Always => true,
            WwwRule::MainOnly => host.is_registrable(),
            WwwRule::Never => false,
        };
        let mut names = vec![host.clone()];
        if wants_www {
            names.extend(host.www_variant());
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ascii_names_read_as_idna_reads_them() {
        let names = [
            "customer.com", "Customer.COM", "a-b.example.org", "ab--cd.example", "x.y", "123.example", "-a.example",
            "a-.example", "XN--BCHER-KVA.example", "xn--bcher-kva.example", "Xn--Abc.example", "www.sub.domain.co.uk", "a.b.c.d.e.f",
        ];
        for name in names {
            let by_idna = idna::uts46::Uts46::new()
                .to_ascii(name.as_bytes(), idna::uts46::AsciiDenyList::STD3, idna::uts46::Hyphens::Allow, idna::uts46::DnsLength::Ignore)
                .map(|c| c.into_owned())
                .ok();
            if is_plain_ascii(name) {
                assert_eq!(by_idna, Some(name.to_ascii_lowercase()), "{name}");
            } else {
                assert!(name.to_ascii_lowercase().contains("xn--"), "{name} takes the IDNA path");
            }
        }
    }

    #[test]
    fn valid_names_are_normalised() {
        let cases = [
            ("customer.com", "customer.com"),
            ("Customer.COM", "customer.com"),
            ("customer.com.", "customer.com"),
            ("shop.example.co.uk", "shop.example.co.uk"),
            ("bücher.example", "xn--bcher-kva.example"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
            ("a-b.c-d.example", "a-b.c-d.example"),
            ("münchen.de", "xn--mnchen-3ya.de"),
            ("1password.com", "1password.com"),
        ];
        for (input, expected) in cases {
            assert_eq!(HostName::parse(input).unwrap().as_str(), expected, "input {input:?}");
        }
    }

    #[test]
    fn invalid_names_are_rejected_with_a_reason() {
        let long_label = format!("{}.com", "a".repeat(64));
        let long_name = format!("{}.com", vec!["a".repeat(60); 5].join("."));
        let cases: Vec<(&str, &str)> = vec![
            ("", "empty"),
            (" customer.com", "white space"),
            ("customer .com", "white space"),
            ("customer.com\n", "control"),
            ("customer\u{0}.com", "control"),
            ("https://customer.com", "scheme"),
            ("customer.com/path", "path"),
            ("customer.com:8080", "port"),
            ("customer.com?x=1", "query"),
            ("user@customer.com", "'@'"),
            ("a.com,evil.com", "comma"),
            ("a.com&arg4=no", "'&'"),
            ("arg=1.com", "'='"),
            ("*.customer.com", "wildcard"),
            ("192.168.1.10", "IP address"),
            ("[::1]", "IP address"),
            ("10.1", "IP address"),
            ("localhost", "single label"),
            (&long_label, "longer than 63"),
            (&long_name, "longer than 253"),
            ("-customer.com", "hyphen"),
            ("customer-.com", "hyphen"),
            ("ab--cd.com", "third and fourth"),
            ("customer..com", "empty label"),
            (".customer.com", "empty label"),
            ("customer.com..", "empty label"),
            ("cust_omer.com", "not allowed"),
            ("exa\u{200B}mple.com", "invisible"),
            ("\u{FEFF}customer.com", "invisible"),
            ("custo\u{AD}mer.com", "invisible"),
            ("1.2.3.0x4", "IP address"),
            ("customer.0x1f", "IP address"),
        ];
        for (input, reason) in cases {
            let err = HostName::parse(input).expect_err(input);
            assert!(err.reason.contains(reason), "input {input:?}: reason {:?} should mention {reason:?}", err.reason);
        }
    }

    #[test]
    fn a_megabyte_of_input_is_refused_without_being_copied_into_the_message() {
        let huge = "a".repeat(1 << 20);
        let err = HostName::parse(&huge).unwrap_err();
        assert!(err.input.chars().count() <= 81);
    }

    #[test]
    fn the_www_rule_expands_names_by_the_public_suffix_list() {
        let cases = [
            (WwwRule::Always, "customer.com", vec!["customer.com", "www.customer.com"]),
            (WwwRule::Always, "shop.customer.com", vec!["shop.customer.com", "www.shop.customer.com"]),
            (WwwRule::Always, "www.customer.com", vec!["www.customer.com"]),
            (WwwRule::MainOnly, "customer.com", vec!["customer.com", "www.customer.com"]),
            (WwwRule::MainOnly, "example.co.uk", vec!["example.co.uk", "www.example.co.uk"]),
            (WwwRule::MainOnly, "shop.example.co.uk", vec!["shop.example.co.uk"]),
            (WwwRule::MainOnly, "shop.customer.com", vec!["shop.customer.com"]),
            (WwwRule::MainOnly, "www.customer.com", vec!["www.customer.com"]),
            (WwwRule::Never, "customer.com", vec!["customer.com"]),
        ];
        for (rule, input, expected) in cases {
            let host = HostName::parse(input).unwrap();
            let names: Vec<String> = rule.expand(&host).iter().map(|n| n.to_string()).collect();
            assert_eq!(names, expected, "{rule:?} {input}");
        }
    }

    #[test]
    fn www_rule_names_parse_and_print_the_same() {
        for name in WwwRule::NAMES {
            assert_eq!(WwwRule::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(WwwRule::parse("sometimes"), None);
    }
}
