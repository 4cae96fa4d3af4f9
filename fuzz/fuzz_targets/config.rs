//! Reading settings: any values for any provider's constants give a value
//! set, missing-constant phrases, a timeout or a config error, and a
//! provider built or refused; never a panic, nor an unbounded or unprintable
//! message. No request is sent (providers connect lazily).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wu_native_core::config::{parse_yes_no, Values, COMMON_SETTINGS};
use wu_native_core::{providers, MapSource};

fn check_message(message: &str) {
    assert!(message.chars().count() < 2000, "message too long");
    assert!(!message.chars().any(char::is_control), "control character in {message:?}");
}

fuzz_target!(|data: &[u8]| {
    // NUL-separated values, given in turn to each provider's constants.
    let text = String::from_utf8_lossy(data);
    let mut values = text.split('\0');
    for spec in providers::REGISTRY {
        let mut source = MapSource::default();
        for setting in spec.settings.iter().chain(COMMON_SETTINGS) {
            if let Some(v) = values.next() {
                source.set(setting.name, v);
            }
        }
        let read = Values::read(spec.settings, &source);
        assert_eq!(read.is_complete(), read.missing.is_empty());
        if let Ok(timeout) = read.timeout(spec.default_timeout) {
            assert!(!timeout.is_zero() && timeout.as_secs() <= 3600);
        }
        if read.is_complete() {
            let _ = (spec.mode)(&read);
            if let Err(e) = (spec.build)(&read, &Default::default()) {
                check_message(&e.message);
            }
        }
    }
    let value = text.split('\0').next().unwrap_or("");
    let expected = match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" | "on" => Some(true),
        "no" | "false" | "0" | "off" => Some(false),
        _ => None,
    };
    match parse_yes_no("WU_FUZZ", value) {
        Ok(b) => assert_eq!(Some(b), expected),
        Err(e) => {
            assert_eq!(expected, None);
            check_message(&e.message);
        }
    }
});
