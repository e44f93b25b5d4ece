//! Typed configuration, from flags with environment fallbacks.

use std::net::SocketAddr;

use clap::Args;

/// Where the store lives; shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// SQLite file (`sqlite://tally.db`) or Postgres URL (`postgres://user@host/db`).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://tally.db",
        hide_env_values = true
    )]
    pub database_url: String,
}

/// `tally serve`'s settings.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TALLY_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// SMTP server for alert emails: `smtp://[user:password@]host[:port]` (STARTTLS when the
    /// server offers it; `?tls=required` insists) or `smtps://…` (TLS from the start). Without
    /// it emails are logged and stay queued until one is configured.
    #[arg(long, env = "TALLY_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// A PEM file with the CA certificate of an SMTP relay whose certificate no public root
    /// signs (an internal relay); trusted besides the public roots.
    #[arg(long, env = "TALLY_SMTP_CA")]
    pub smtp_ca: Option<std::path::PathBuf>,
    /// The sender of alert emails.
    #[arg(
        long,
        env = "TALLY_SMTP_FROM",
        default_value = "Tally <tally@localhost>"
    )]
    pub smtp_from: String,
    /// The address people reach Tally at, e.g. `https://tally.example.com`; used in emails and
    /// to mark cookies `Secure` behind HTTPS.
    #[arg(long, env = "TALLY_BASE_URL")]
    pub base_url: Option<String>,
    /// Requests per second each API key may make to the usage API, with bursts of twice that;
    /// past it the API answers 429 with `Retry-After`. 0 turns the limit off.
    #[arg(long, env = "TALLY_API_RATE_LIMIT", default_value_t = 100)]
    pub api_rate_limit: u32,
    /// Seconds an instance holds an alert email it took to send; an instance that dies holding
    /// some leaves them to be sent again once this runs out (by any instance, or by itself
    /// restarted). Longer than the slowest SMTP exchange.
    #[arg(long, env = "TALLY_OUTBOX_LEASE_SECS", default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..))]
    pub outbox_lease_secs: u32,
}
