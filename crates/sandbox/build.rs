//! Finds the panel emulators: every `crates/core/src/providers/<panel>/emulator.rs`
//! becomes module `<panel>` of this crate, a field of `State` and an entry of
//! `EMULATORS` (see `src/panels.rs`), and its `emulator_tests.rs`, when it
//! has one, a module of `tests/emulators.rs`. Adding a panel's folder is enough.

use std::fmt::Write as _;
use std::path::PathBuf;

include!("../core/panel_folders.rs");

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let providers = manifest.join("../core/src/providers").canonicalize().expect("crates/core/src/providers exists");
    let panels = panel_files(&providers, "emulator.rs");
    let mut out = module_lines(&panels, "pub ");
    out.push_str("\n/// The sandbox's whole world, one field per emulated panel; serialisable\n");
    out.push_str("/// so it doubles as the seed format (a partial seed is accepted).\n");
    out.push_str("#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, Default, PartialEq)]\n#[serde(default)]\npub struct State {\n");
    for (id, _) in &panels {
        writeln!(out, "    pub {id}: {id}::PanelState,").unwrap();
    }
    out.push_str("}\n\n/// Every emulated panel, in the order routes are tried.\n");
    out.push_str("pub(crate) static EMULATORS: &[&dyn crate::emulator::Emulator] = &[");
    out.push_str(&panels.iter().map(|(id, _)| format!("{id}::EMULATOR")).collect::<Vec<_>>().join(", "));
    out.push_str("];\n\n/// Each panel's seed, by panel id.\npub(crate) static SEEDS: &[(&str, &str)] = &[");
    out.push_str(&panels.iter().map(|(id, _)| format!("({id:?}, {id}::SEED)")).collect::<Vec<_>>().join(", "));
    out.push_str("];\n");

    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("panels.rs"), out).expect("OUT_DIR is writable");

    // Each emulator's own HTTP tests, for tests/emulators.rs.
    let tests = module_lines(&panel_files(&providers, "emulator_tests.rs"), "");
    std::fs::write(out_dir.join("emulator_tests.rs"), tests).expect("OUT_DIR is writable");
}
