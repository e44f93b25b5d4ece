//! `tally`: serves pages, assets, the usage API and background jobs; loads demo data; manages
//! administrators and API keys.

use clap::Parser;

use tally_server::cli::{Cli, run};

/// mimalloc instead of glibc's malloc: a page render allocates and frees many small strings on
/// every worker thread, and under load glibc's allocator took a quarter of the server's CPU
/// (`perf` on the Subscription tab at 50 connections, the load benchmark's setting).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .with_target(false)
        // Logs go to stderr: stdout carries what a command prints for the operator (keys,
        // sign-ins), so it can be piped on its own.
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
