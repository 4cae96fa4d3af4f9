//! Hestia's answers: every answer the sandbox panel gives is the fuzz input.
#![no_main]

#[path = "panel.rs"]
mod panel;

libfuzzer_sys::fuzz_target!(|data: &[u8]| panel::run(wu_sandbox::Panel::Hestia, data));
