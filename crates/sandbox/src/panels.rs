//! The emulated panels, found by `build.rs`: one module per
//! `crates/core/src/providers/<panel>/emulator.rs`, the `State` with a field
//! per panel, `EMULATORS` and each panel's seed.

include!(concat!(env!("OUT_DIR"), "/panels.rs"));
