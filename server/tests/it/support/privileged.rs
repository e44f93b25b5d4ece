//! Tests that need what only some machines give: root, a Postgres server's own binaries.

/// A test that needs what only some machines give (root, a server's binaries) and could not
/// have it: it passes with `why` said, except in CI, which must have it.
pub fn skip_outside_ci(needs: &str, why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must be able to {needs}: {why}"
    );
    eprintln!("skipped: {needs} failed here ({why})");
}
