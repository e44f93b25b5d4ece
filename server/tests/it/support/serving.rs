//! `tally serve` run as its own process on an SQLite file, as an operator would, with its log at
//! hand.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStderr, Command, Output, Stdio};

/// Runs a `tally` command on the database at `db_url`, with `stdin` as its input.
pub fn tally(args: &[&str], db_url: &str, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tally");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("tally finishes")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub struct Serving {
    pub child: Child,
    pub log: BufReader<ChildStderr>,
    pub address: String,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// `tally serve` on a fresh SQLite file, its log read until it says where it listens.
pub fn serve() -> Serving {
    let dir = tempfile::tempdir().expect("folder");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    serve_on(Some(dir), url)
}

/// `tally serve` on the database at `url` (in `dir`, when given, kept as long as the server).
pub fn serve_on(dir: Option<tempfile::TempDir>, url: String) -> Serving {
    serve_with(dir, url, &[])
}

/// `serve_on` with more settings in the environment (`TALLY_SMTP_URL`, …).
pub fn serve_with(dir: Option<tempfile::TempDir>, url: String, env: &[(&str, &str)]) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let mut log = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    let address = loop {
        line.clear();
        assert!(
            log.read_line(&mut line).expect("log line") > 0,
            "serve exited before listening"
        );
        if let Some((_, rest)) = line.split_once("listening on http://") {
            break rest.trim().to_string();
        }
    };
    Serving {
        child,
        log,
        address,
        url,
        _dir: dir,
    }
}

/// A test that fails before stopping its server does not leave it running.
impl Drop for Serving {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Serving {
    /// Reads the log until a line holds every one of `words`; that line.
    pub fn log_line_with(&mut self, words: &[&str]) -> String {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                self.log.read_line(&mut line).expect("log line") > 0,
                "the log ended without a line holding {words:?}"
            );
            if words.iter().all(|w| line.contains(w)) {
                return line;
            }
        }
    }

    /// Sends SIGTERM and checks that Tally finished its requests and stopped on its own.
    pub fn stops_cleanly_on_sigterm(self) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        self.exits_cleanly();
    }

    /// Waits for Tally to stop (it was told to), and checks that it stopped cleanly: exit 0,
    /// requests in flight finished.
    pub fn exits_cleanly(mut self) {
        let status = self.child.wait().expect("serve exits");
        let mut rest = String::new();
        self.log.read_to_string(&mut rest).expect("rest of the log");
        assert!(status.success(), "exit {status:?}: {rest}");
        assert!(
            rest.contains("finishing requests in flight") && rest.contains("stopped"),
            "{rest}"
        );
    }
}
