//! The README documents what the code reads.

#[test]
fn the_readme_constants_table_matches_the_providers_settings() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let current = wu_native_core::docs::with_current_table(&readme).expect("README.md has the constants markers");
    assert!(current == readme, "README.md's constants table is stale: run `make readme`");
}
