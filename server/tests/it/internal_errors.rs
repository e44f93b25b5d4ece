//! An internal failure as a client meets it: a 500 that names only a request id, the same id as
//! the response's `x-request-id`, and the details (the SQL error) in the server's log under that
//! id, never in the answer.

use crate::support;

use std::io::{Read, Write};
use std::process::Command;
use std::time::Duration;

use support::bound::Watchdog;
use support::serving::{serve, tally, text};

/// Runs a `tally` command that must succeed; its output.
fn run(args: &[&str], url: &str) -> String {
    let out = tally(args, url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// `GET path` with an API key, over a real connection: the status line, headers and body.
fn get(address: &str, path: &str, key: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    answer
}

fn request_id(answer: &str) -> &str {
    answer
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .unwrap_or_else(|| panic!("no request id: {answer}"))
        .trim()
}

#[test]
fn an_internal_error_names_only_the_request_id_that_the_log_holds() {
    let _watchdog = Watchdog::new(
        "internal_errors::an_internal_error_names_only_the_request_id_that_the_log_holds",
        Duration::from_secs(120),
    );
    let mut serving = serve();
    let url = serving.url.clone();
    run(
        &[
            "tenant",
            "create",
            "--name",
            "Wayne",
            "--slug",
            "wayne",
            "--model",
            "user_based",
            "--start",
            "2026-01-01",
            "--end",
            "2036-12-31",
            "--licenses",
            "5",
            "--admin",
            "bruce@wayne.test",
            "--reason",
            "test",
        ],
        &url,
    );
    let key = run(&["apikey", "create", "--tenant", "wayne"], &url);
    let key = key.trim();
    let fine = get(&serving.address, "/api/v1/entitlements", key);
    assert!(fine.starts_with("HTTP/1.1 200"), "{fine}");

    // The pools' table goes missing under the running server: every read of it now fails.
    let path = url.trim_start_matches("sqlite://");
    let broken = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('alter table pools rename to pools_gone'); c.commit()",
            path,
        ])
        .status()
        .expect("python3");
    assert!(broken.success());

    let failed = get(&serving.address, "/api/v1/entitlements", key);
    assert!(failed.starts_with("HTTP/1.1 500"), "{failed}");
    let id = request_id(&failed).to_string();
    let body = failed.split("\r\n\r\n").nth(1).unwrap_or_default();
    assert!(
        body.contains(&format!("(request {id})")),
        "the answer names the request: {body}"
    );
    for secret in [
        "pools",
        "no such table",
        "sqlx",
        "select",
        "SELECT",
        "wayne",
    ] {
        assert!(!body.contains(secret), "{secret} leaked: {body}");
    }
    let line = serving.log_line_with(&[&id, "no such table"]);
    assert!(line.contains("internal error"), "{line}");
    serving.stops_cleanly_on_sigterm();
}
