//! The `tally` binary's commands, run as an operator would.

use crate::support;

use std::io::Write;
use std::time::Duration;

use support::bound::Watchdog;
use support::serving::{serve, tally, text};

/// No command here takes seconds; a `tally` that never exits fails its test by this.
const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn every_command_explains_itself() {
    let _watchdog = Watchdog::new("cli::every_command_explains_itself", LIMIT);
    let help = tally(&["--help"], "sqlite://unused.db", None);
    let out = text(&help.stdout);
    for command in [
        "serve", "demo", "migrate", "admin", "apikey", "tenant", "refill", "backup", "restore",
    ] {
        assert!(out.contains(command), "{out}");
    }
    let serve = text(&tally(&["serve", "--help"], "sqlite://unused.db", None).stdout);
    for flag in [
        "--listen",
        "TALLY_LISTEN",
        "--database-url",
        "DATABASE_URL",
        "--smtp-url",
        "TALLY_SMTP_URL",
        "--smtp-from",
        "TALLY_SMTP_FROM",
        "--base-url",
        "TALLY_BASE_URL",
        "--api-rate-limit",
        "TALLY_API_RATE_LIMIT",
    ] {
        assert!(serve.contains(flag), "serve --help lacks {flag}");
    }
}

#[test]
fn admins_and_api_keys_are_created_from_the_command_line() {
    let _watchdog = Watchdog::new(
        "cli::admins_and_api_keys_are_created_from_the_command_line",
        LIMIT,
    );
    let dir = tempfile::tempdir().expect("folder");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let created = tally(
        &[
            "admin",
            "create",
            "--email",
            "ops@tally.test",
            "--password-stdin",
        ],
        &url,
        Some("a long enough secret\n"),
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(text(&created.stdout).contains("created super administrator ops@tally.test"));
    assert!(
        !text(&created.stdout).contains("a long enough secret")
            && !text(&created.stderr).contains("a long enough secret")
    );
    let again = tally(
        &[
            "admin",
            "create",
            "--email",
            "ops@tally.test",
            "--password-stdin",
        ],
        &url,
        Some("a long enough secret\n"),
    );
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );
    let short = tally(
        &[
            "admin",
            "create",
            "--email",
            "x@tally.test",
            "--password-stdin",
        ],
        &url,
        Some("short"),
    );
    assert!(text(&short.stderr).contains("at least 8 characters"));
    let bad = tally(
        &[
            "admin",
            "create",
            "--email",
            "not-an-email",
            "--password-stdin",
        ],
        &url,
        Some("a long enough secret"),
    );
    assert!(text(&bad.stderr).contains("not a valid email address"));

    let missing = tally(&["apikey", "create", "--tenant", "acme"], &url, None);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("no tenant with the slug `acme`"));
    let demo = tally(&["demo", "--seed", "1"], &url, None);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let out = text(&demo.stdout);
    for sign_in in [
        "root@tally.test",
        "admin@acme.test",
        "admin@globex.test",
        "admin@initech.test",
        "admin@umbrella.test",
        "tally-demo",
    ] {
        assert!(out.contains(sign_in), "demo output lacks {sign_in}");
    }
    let key = tally(
        &[
            "apikey",
            "create",
            "--tenant",
            "acme",
            "--name",
            "contact center",
        ],
        &url,
        None,
    );
    assert!(key.status.success(), "{}", text(&key.stderr));
    let printed = text(&key.stdout);
    assert!(
        printed.trim().starts_with("tly_") && printed.lines().count() == 1,
        "{printed}"
    );
}

#[test]
fn a_database_url_of_another_kind_is_refused_clearly() {
    let _watchdog = Watchdog::new(
        "cli::a_database_url_of_another_kind_is_refused_clearly",
        LIMIT,
    );
    let out = tally(&["migrate"], "mysql://root@localhost/tally", None);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("unsupported database URL scheme `mysql`") && !err.contains("root@localhost"),
        "{err}"
    );
}

#[test]
fn serve_answers_then_stops_cleanly_on_sigterm() {
    let _watchdog = Watchdog::new("cli::serve_answers_then_stops_cleanly_on_sigterm", LIMIT);
    use std::io::Read;
    let serving = serve();
    let mut stream = std::net::TcpStream::connect(&serving.address).expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok"),
        "{answer}"
    );
    serving.stops_cleanly_on_sigterm();
}

/// The signal handlers are in place before Tally says it listens: a SIGTERM sent the moment it
/// does stops it gracefully (with handlers installed when the server first polled them, such a
/// signal killed the process outright, and this test failed in CI once).
#[test]
fn a_sigterm_sent_as_soon_as_serve_listens_stops_it_cleanly() {
    let _watchdog = Watchdog::new(
        "cli::a_sigterm_sent_as_soon_as_serve_listens_stops_it_cleanly",
        LIMIT,
    );
    for _ in 0..5 {
        serve().stops_cleanly_on_sigterm();
    }
}

#[test]
fn tenants_are_created_and_refilled_from_the_command_line() {
    let _watchdog = Watchdog::new(
        "cli::tenants_are_created_and_refilled_from_the_command_line",
        LIMIT,
    );
    let dir = tempfile::tempdir().expect("folder");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let create = |slug: &str, reason: &str| {
        let args = [
            "tenant",
            "create",
            "--name",
            "Wayne Enterprises",
            "--slug",
            slug,
            "--model",
            "user_based",
            "--start",
            "2026-01-01",
            "--end",
            "2026-12-31",
            "--licenses",
            "5",
            "--admin",
            "bruce@wayne.test",
            "--reason",
            reason,
            "--base-url",
            "https://tally.example.com/",
        ];
        tally(&args, &url, None)
    };
    let created = create("wayne", "signed contract 117");
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(
        text(&created.stdout).starts_with("https://tally.example.com/invite?token="),
        "{}",
        text(&created.stdout)
    );
    let unreasoned = create("wayne-2", " ");
    assert!(!unreasoned.status.success());
    assert!(text(&unreasoned.stderr).contains("Give a reason for the change."));
    let taken = create("wayne", "again");
    assert!(text(&taken.stderr).contains("A tenant with that slug exists already."));

    let refill = |licenses: &str, note: &str| {
        let args = [
            "refill",
            "--tenant",
            "wayne",
            "--pool",
            "user_licenses",
            "--licenses",
            licenses,
            "--note",
            note,
        ];
        tally(&args, &url, None)
    };
    let added = refill("10", "order 4711");
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert_eq!(
        text(&added.stdout).trim(),
        "wayne user_licenses: 15 licenses purchased"
    );
    let removed = refill("-15", "returned");
    assert_eq!(
        text(&removed.stdout).trim(),
        "wayne user_licenses: 0 licenses purchased"
    );
    let too_many = refill("-1", "returned");
    assert!(!too_many.status.success());
    assert!(text(&too_many.stderr).contains("more licenses than the pool has available (0)"));
    let no_note = refill("3", "");
    assert!(text(&no_note.stderr).contains("Give a reason for the change."));
}
