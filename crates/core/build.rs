//! Finds the panels: every folder `src/providers/<panel>/` with a `mod.rs`
//! becomes module `providers::<panel>` and its `SPEC` an entry of
//! `providers::REGISTRY`, in alphabetical order. Adding the folder is enough.

use std::path::PathBuf;

include!("panel_folders.rs");

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let providers = manifest.join("src/providers");
    let panels = panel_files(&providers, "mod.rs");
    let mut out = module_lines(&panels, "pub ");
    out.push_str("\n/// Every provider wu_native supports, in the order they are listed to users.\n");
    out.push_str("pub static REGISTRY: &[&ProviderSpec] = &[");
    out.push_str(&panels.iter().map(|(id, _)| format!("&{id}::SPEC")).collect::<Vec<_>>().join(", "));
    out.push_str("];\n");

    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("registry.rs");
    std::fs::write(&dest, out).expect("OUT_DIR is writable");
}
