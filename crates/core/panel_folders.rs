// The panel folders, as both build scripts find them: `include!`d by
// crates/core/build.rs (their `mod.rs`) and crates/sandbox/build.rs (their
// `emulator.rs`), so the two always agree on what a panel folder is.

/// Every `<providers>/<id>/<file>` that exists, as (id, path), by id; cargo
/// runs the build script again when a folder is added or changed.
fn panel_files(providers: &std::path::Path, file: &str) -> Vec<(String, std::path::PathBuf)> {
    println!("cargo:rerun-if-changed={}", providers.display());
    let mut found: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(providers)
        .unwrap_or_else(|e| panic!("{} is readable: {e}", providers.display()))
        .filter_map(|entry| {
            let dir = entry.ok()?.path();
            let path = dir.join(file);
            let id = dir.file_name()?.to_str()?.to_string();
            path.is_file().then_some((id, path))
        })
        .collect();
    found.sort();
    found
}

/// `#[path = "…"] <visibility> mod <id>;` for each file.
fn module_lines(files: &[(String, std::path::PathBuf)], visibility: &str) -> String {
    files.iter().map(|(id, path)| format!("#[path = {:?}]\n{visibility}mod {id};\n", path.display().to_string())).collect()
}
