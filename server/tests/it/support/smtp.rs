//! A real SMTP server for the alert tests: `smtp_sink.py` on aiosmtpd (pip `aiosmtpd`),
//! listening on a free local port and writing every message it accepts as JSON, which the
//! tests read back. It can be stopped and started again on the same port (an outage).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// One message as the server received it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Received {
    pub to: Vec<String>,
    pub from: String,
    pub subject: String,
    pub message_id: String,
    pub content_type: String,
    pub text: String,
    pub html: String,
    /// Whether it came over TLS.
    pub tls: bool,
}

pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
    /// `user:password` the server requires, if any.
    auth: Option<String>,
    /// `starttls:CERT:KEY` or `wrapper:CERT:KEY`.
    tls: Option<String>,
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl SmtpSink {
    /// A sink on a free port, listening.
    pub async fn start() -> Self {
        let mut sink = Self::stopped(free_port());
        sink.resume().await;
        sink
    }

    /// A sink on a free port that accepts mail only after AUTH as `user:password`.
    pub async fn with_auth(credentials: &str) -> Self {
        let mut sink = Self::stopped(free_port());
        sink.auth = Some(credentials.to_string());
        sink.resume().await;
        sink
    }

    /// A sink on a free port with a certificate for 127.0.0.1 signed by a test CA, offering
    /// STARTTLS (`wrapper` false) or speaking TLS from the start; the CA's PEM comes second.
    pub async fn with_tls(wrapper: bool) -> (Self, Vec<u8>) {
        let mut sink = Self::stopped(free_port());
        let dir = sink.dir.path().join("pki");
        std::fs::create_dir_all(&dir).expect("pki folder");
        let openssl = |args: &[&str]| {
            let out = std::process::Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .expect("openssl runs");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .expect("extensions");
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Tally test CA",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        let mode = if wrapper { "wrapper" } else { "starttls" };
        sink.tls = Some(format!(
            "{mode}:{}:{}",
            dir.join("server.pem").display(),
            dir.join("server.key").display()
        ));
        sink.resume().await;
        let ca = std::fs::read(dir.join("ca.pem")).expect("CA");
        (sink, ca)
    }

    /// A sink for `port` that does not listen yet (`resume` starts it): the SMTP server is down.
    pub fn stopped(port: u16) -> Self {
        Self {
            port,
            dir: tempfile::tempdir().expect("temporary folder"),
            child: None,
            auth: None,
            tls: None,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts listening (again), keeping what was received.
    pub async fn resume(&mut self) {
        let script =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/support/smtp_sink.py");
        let mut command = Command::new("python3");
        if let Some(auth) = &self.auth {
            command.env("SINK_AUTH", auth);
        }
        if let Some(tls) = &self.tls {
            command.env("SINK_TLS", tls);
        }
        let mut child = command
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.dir.path())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 runs the SMTP sink (pip install aiosmtpd)");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await;
        assert!(
            matches!(ready, Ok(Ok(Some(ref line))) if line == "ready"),
            "the SMTP sink did not start on port {}: {ready:?}",
            self.port
        );
        self.child = Some(child);
    }

    /// Stops listening: connections are refused until `resume`.
    pub async fn pause(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill().await;
        }
    }

    /// Every message received so far, in no particular order.
    pub fn received(&self) -> Vec<Received> {
        let mut all = Vec::new();
        for entry in std::fs::read_dir(self.dir.path())
            .expect("sink folder")
            .flatten()
        {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).expect("message file");
                all.push(serde_json::from_str(&text).expect("message JSON"));
            }
        }
        all
    }

    /// Waits (up to `limit`) until at least `n` messages arrived; then, briefly, for any more
    /// that would be one too many. Everything received.
    pub async fn wait_for(&self, n: usize, limit: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + limit;
        while self.received().len() < n && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The worker looks every half second: two more rounds would have sent a duplicate.
        tokio::time::sleep(Duration::from_millis(1200)).await;
        self.received()
    }
}
