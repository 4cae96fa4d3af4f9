//! Rewrites the constants table in README.md from the providers' settings.
fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md is readable");
    let updated = wu_native_core::docs::with_current_table(&readme).expect("README.md has the constants markers");
    std::fs::write(&path, updated).expect("README.md is writable");
    println!("updated {}", path.display());
}
