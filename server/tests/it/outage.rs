//! Postgres out of reach under a running `tally serve`, then back: while it is gone requests are
//! refused with 503 and `Retry-After` (promptly, no hang, no panic), and once it is back Tally
//! serves again by itself, without a restart.
//!
//! The database sits behind a TCP proxy the test cuts and restores: restarting the machine's
//! one Postgres server would break every other test running beside this one. (`pg_restart.rs`
//! restarts a private Postgres server of its own.)

use crate::support;

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;

use support::bound::Watchdog;
use support::db::TestDb;
use support::serving::serve_on;
use support::writer::{post, tenant_with_key};

/// Forwards a local port to Postgres until cut; each connection is dropped when cut.
struct Proxy {
    address: SocketAddr,
    upstream: SocketAddr,
    task: Option<JoinHandle<()>>,
}

impl Proxy {
    async fn start(address: SocketAddr, upstream: SocketAddr) -> Self {
        let mut proxy = Self {
            address,
            upstream,
            task: None,
        };
        proxy.open().await;
        proxy
    }

    async fn open(&mut self) {
        let socket = TcpSocket::new_v4().expect("socket");
        socket.set_reuseaddr(true).expect("reuse address");
        socket.bind(self.address).expect("bind the proxy");
        self.address = socket.local_addr().expect("address");
        let listener = socket.listen(64).expect("listen");
        let upstream = self.upstream;
        self.task = Some(tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                links.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        }));
    }

    /// Closes the port and every connection through it: Postgres is gone, as Tally sees it.
    async fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_out_of_reach_is_a_prompt_503_and_tally_recovers_by_itself() {
    let _watchdog = Watchdog::new(
        "outage::postgres_out_of_reach_is_a_prompt_503_and_tally_recovers_by_itself",
        Duration::from_secs(180),
    );
    let source = TestDb::postgres().await;
    let (_, key) = tenant_with_key(&source.db).await;
    let upstream: SocketAddr = "127.0.0.1:5432".parse().expect("address");
    let mut proxy = Proxy::start("127.0.0.1:0".parse().expect("address"), upstream).await;
    let through_proxy = source
        .url
        .replace("127.0.0.1:5432", &proxy.address.to_string());
    assert_ne!(
        through_proxy, source.url,
        "the test database is on 127.0.0.1:5432"
    );
    let serving = serve_on(None, through_proxy);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let entitlements = || {
        client
            .get(format!("http://{}/api/v1/entitlements", serving.address))
            .bearer_auth(&key)
            .send()
    };
    assert_eq!(entitlements().await.expect("answer").status(), 200);
    assert_eq!(post(&client, &serving.address, &key, 0).await, Some(200));

    proxy.cut().await;
    let refused = entitlements().await.expect("an answer, not a hang");
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().contains_key("retry-after"));
    let body: serde_json::Value = refused.json().await.expect("JSON");
    let error = body["error"].as_str().expect("error");
    assert!(error.contains("request "), "{error}");
    assert!(
        !error.contains("5432") && !error.contains("tally_test"),
        "{error}"
    );
    assert_eq!(post(&client, &serving.address, &key, 1).await, Some(503));
    let health = client
        .get(format!("http://{}/healthz", serving.address))
        .send()
        .await
        .expect("answer");
    assert_eq!(health.status(), 503);

    proxy.open().await;
    let mut back = false;
    for _ in 0..60 {
        if entitlements().await.is_ok_and(|r| r.status() == 200) {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(back, "Tally serves again once Postgres is back");
    assert_eq!(post(&client, &serving.address, &key, 1).await, Some(200));
    serving.stops_cleanly_on_sigterm();
    proxy.cut().await;
    source.cleanup("outage").await;
}
