//! Finds the panels: every folder `src/providers/<panel>/` with a `mod.rs`
//! becomes module `providers::<panel>` and its `SPEC` an entry of
//! `providers::REGISTRY`, in alphabetical order. Adding the folder is enough.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let providers = manifest.join("src/providers");
    println!("cargo:rerun-if-changed={}", providers.display());

    let mut panels: Vec<(String, PathBuf)> = std::fs::read_dir(&providers)
        .expect("src/providers is readable")
        .filter_map(|entry| {
            let dir = entry.ok()?.path();
            let module = dir.join("mod.rs");
            let id = dir.file_name()?.to_str()?.to_string();
            module.is_file().then_some((id, module))
        })
        .collect();
    panels.sort();

    let mut out = String::new();
    for (id, path) in &panels {
        writeln!(out, "#[path = {:?}]\npub mod {id};", path.display().to_string()).unwrap();
    }
    out.push_str("\n/// Every provider wu_native supports, in the order they are listed to users.\n");
    out.push_str("pub static REGISTRY: &[&ProviderSpec] = &[");
    out.push_str(&panels.iter().map(|(id, _)| format!("&{id}::SPEC")).collect::<Vec<_>>().join(", "));
    out.push_str("];\n");

    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("registry.rs");
    std::fs::write(&dest, out).expect("OUT_DIR is writable");
}
