//! The site is embedded in the binary: debug builds read `target/site` (written by cargo-leptos)
//! at run time, release builds embed `target/site-embed` (synced by `scripts/build-release`).
//! A plain `cargo build` or `cargo test` runs before either exists, so make sure both folders do.
fn main() {
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    for folder in ["site", "site-embed"] {
        let path = target.join(folder);
        if let Err(error) = std::fs::create_dir_all(&path) {
            println!("cargo::warning=cannot create {}: {error}", path.display());
        }
    }
    println!("cargo::rerun-if-changed=../target/site-embed");
}
