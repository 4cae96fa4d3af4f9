//! Each emulator's own tests over HTTP, kept in its panel's folder
//! (`crates/core/src/providers/<panel>/emulator_tests.rs`) and found by
//! build.rs like the emulators.

mod common;

include!(concat!(env!("OUT_DIR"), "/emulator_tests.rs"));
