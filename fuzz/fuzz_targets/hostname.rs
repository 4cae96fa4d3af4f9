//! Host-name normalisation: whatever the input, a name that parses is
//! lower-case LDH ASCII within DNS limits, parses to itself again, and every
//! www rule expands it to valid names; a refusal's message stays printable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wu_native_core::domain::printable;
use wu_native_core::{HostName, WwwRule};

fn assert_valid(name: &str) {
    assert!(name.len() <= 253, "too long: {name}");
    assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'), "not LDH: {name}");
    let labels: Vec<&str> = name.split('.').collect();
    assert!(labels.len() >= 2, "single label: {name}");
    for label in labels {
        assert!(!label.is_empty() && label.len() <= 63, "bad label length in {name}");
        assert!(!label.starts_with('-') && !label.ends_with('-'), "hyphen at a label edge in {name}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    match HostName::parse(input) {
        Ok(host) => {
            assert_valid(host.as_str());
            assert_eq!(HostName::parse(host.as_str()).as_ref(), Ok(&host), "not idempotent: {input:?}");
            for rule in [WwwRule::Always, WwwRule::MainOnly, WwwRule::Never] {
                let names = rule.expand(&host);
                assert_eq!(names[0], host);
                assert!(names.len() <= 2);
                for name in &names[1..] {
                    assert_eq!(name.as_str(), format!("www.{host}"));
                    assert_valid(name.as_str());
                    assert_eq!(HostName::parse(name.as_str()).as_ref(), Ok(name));
                }
                if rule == WwwRule::Never {
                    assert_eq!(names.len(), 1);
                }
            }
        }
        Err(e) => {
            // At most 80 input characters are shown, each escaped to at most \u{10ffff}.
            assert!(e.input.chars().count() <= 80 * 10 + 1, "message copies too much input");
            assert!(!e.to_string().chars().any(char::is_control), "control character in {e}");
        }
    }
    let shown = printable(input);
    assert!(!shown.chars().any(char::is_control));
    if let Some(rule) = WwwRule::parse(input) {
        assert_eq!(rule.as_str(), input);
    }
});
