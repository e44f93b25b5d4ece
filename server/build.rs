//! The site cargo-leptos builds (`target/site`) is embedded in the binary. A plain `cargo build`
//! or `cargo test` runs before any site exists, so make sure the folder does.
fn main() {
    let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    if let Err(error) = std::fs::create_dir_all(&site) {
        println!("cargo::warning=cannot create {}: {error}", site.display());
    }
    println!("cargo::rerun-if-changed=../target/site");
    println!("cargo::rerun-if-changed=../target/site/pkg");
}
