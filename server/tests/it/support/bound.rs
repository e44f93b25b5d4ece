//! Bounds for tests: nothing a test waits for may keep the test command waiting forever.

use std::future::Future;
use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

/// Runs `work`, failing with `test` and `waiting_for` when it takes longer than `limit`.
pub async fn bounded<T>(
    test: &str,
    waiting_for: &str,
    limit: Duration,
    work: impl Future<Output = T>,
) -> T {
    match tokio::time::timeout(limit, work).await {
        Ok(value) => value,
        Err(_) => panic!("{test}: still waiting after {limit:?} for {waiting_for}"),
    }
}

/// Ends the whole test process when a test outlives `limit` even though its own timeouts
/// should have fired: only a blocked thread gets here. Dropping it disarms it.
pub struct Watchdog {
    _disarm: mpsc::Sender<()>,
}

impl Watchdog {
    pub fn new(test: &str, limit: Duration) -> Self {
        let (disarm, finished) = mpsc::channel::<()>();
        let test = test.to_string();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(limit) {
                // Straight to the file descriptor: the test harness captures `eprintln!`,
                // and would drop it with the process.
                let _ = writeln!(
                    std::io::stderr(),
                    "{test}: still running after {limit:?}; its thread is blocked, so the test \
                     process stops here"
                );
                std::process::exit(101);
            }
        });
        Self { _disarm: disarm }
    }
}
