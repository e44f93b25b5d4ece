//! The command line: `serve`, `demo`, `migrate`, `admin create`, `apikey create`,
//! `tenant create`, `refill`, `backup`, `restore`.

use app::model::TenantId;
use std::io::Read;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use app::server::db::{Db, tenants};
use app::server::service;

use crate::config::{DatabaseArgs, ServeArgs};

#[derive(Debug, Parser)]
#[command(
    name = "tally",
    version,
    about = "Tenant subscription and license portal"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve pages, assets, the usage API and background jobs.
    Serve(ServeArgs),
    /// Load demo data into the configured database, replacing what is there.
    Demo {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Seed of the generator: the same seed and date give the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The day the demo treats as today (YYYY-MM-DD); defaults to the current date.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Bring the database schema up to date and exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Manage administrators.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage tenants' API keys.
    Apikey {
        #[command(subcommand)]
        command: ApikeyCommand,
    },
    /// Manage tenants.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Add licenses to a tenant's pool (or, with a negative number, remove them) through the ledger.
    Refill {
        #[arg(long)]
        tenant: String,
        /// The pool, as the usage API names it (e.g. `user_licenses`, `service:contact_center`).
        #[arg(long)]
        pool: String,
        /// Licenses to add; negative to remove (never more than are available).
        #[arg(long, allow_hyphen_values = true)]
        licenses: String,
        /// Why: kept on the ledger and in the audit log.
        #[arg(long)]
        note: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Copy the database, consistently, while Tally serves and writes: SQLite's `VACUUM INTO`,
    /// checked before it says done; Postgres through `pg_dump` (one snapshot, custom format).
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        to: std::path::PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Replace the database with a backup (stop `tally serve` first): SQLite checks the file
    /// and swaps it in whole; Postgres runs `pg_restore` in one transaction.
    Restore {
        /// A file written by `tally backup`.
        #[arg(long)]
        from: std::path::PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create an active tenant with its first purchase and first administrator, and print the
    /// administrator's invitation link.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        slug: String,
        /// An IANA time zone.
        #[arg(long, default_value = "UTC")]
        time_zone: String,
        /// `en` or `pt-BR`.
        #[arg(long, default_value = "en")]
        language: String,
        /// `user_based`, `session_based` or `transaction_based`.
        #[arg(long)]
        model: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        start: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        end: String,
        #[arg(long, default_value = "")]
        session_minutes: String,
        /// Licenses of each of the model's main pools.
        #[arg(long, default_value = "0")]
        licenses: String,
        /// The first administrator's email.
        #[arg(long)]
        admin: String,
        /// Why: kept in the audit log.
        #[arg(long)]
        reason: String,
        /// Where Tally is served, to print the link whole (e.g. `https://tally.example.com`).
        #[arg(long, default_value = "")]
        base_url: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an administrator; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Make a tenant administrator of this tenant instead of a super administrator.
        #[arg(long)]
        tenant: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApikeyCommand {
    /// Create an API key for a tenant and print it once.
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long, default_value = "default")]
        name: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

async fn open(database: &DatabaseArgs) -> anyhow::Result<Db> {
    let db = Db::connect(&database.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

async fn tenant_by_slug(db: &Db, slug: &str) -> anyhow::Result<TenantId> {
    let mut conn = db.conn().await?;
    match tenants::by_slug(&mut conn, slug).await? {
        Some(tenant) => Ok(tenant.tenant_id()),
        None => bail!("no tenant with the slug `{slug}`"),
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => crate::router::serve(args).await,
        Command::Migrate { database } => {
            open(&database).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Demo {
            database,
            seed,
            today,
        } => {
            let db = open(&database).await?;
            let today = today.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let summary = crate::demo::load(&db, seed, today).await?;
            println!("{summary}");
            Ok(())
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    password_stdin: _,
                    tenant,
                    database,
                },
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let db = open(&database).await?;
            let tenant = match tenant {
                Some(slug) => Some(tenant_by_slug(&db, &slug).await?),
                None => None,
            };
            service::accounts::create_administrator(&db, &email, password, tenant).await?;
            println!(
                "created {} administrator {email}",
                if tenant.is_some() { "tenant" } else { "super" }
            );
            Ok(())
        }
        Command::Apikey {
            command:
                ApikeyCommand::Create {
                    tenant,
                    name,
                    database,
                },
        } => {
            let db = open(&database).await?;
            let tenant_id = tenant_by_slug(&db, &tenant).await?;
            let (_, key) = service::api_keys::create(&db, tenant_id, &name, "cli").await?;
            eprintln!("API key for {tenant} (shown once; store it now):");
            println!("{key}");
            Ok(())
        }
        Command::Tenant {
            command:
                TenantCommand::Create {
                    name,
                    slug,
                    time_zone,
                    language,
                    model,
                    start,
                    end,
                    session_minutes,
                    licenses,
                    admin,
                    reason,
                    base_url,
                    database,
                },
        } => {
            let db = open(&database).await?;
            let form = app::model::console::NewTenantForm {
                name,
                slug,
                time_zone,
                locale: language,
                license_model: model,
                contract_start: start,
                contract_end: end,
                session_minutes,
                licenses,
                administrator: admin.clone(),
                reason,
            };
            let (_, link) = service::onboarding::create_tenant(&db, &form, None, "cli").await?;
            eprintln!(
                "created tenant {}; invitation for {admin} (works once, for 7 days):",
                form.slug
            );
            println!("{}{link}", base_url.trim_end_matches('/'));
            Ok(())
        }
        Command::Backup { to, database } => {
            println!(
                "{}",
                crate::backup::backup(&database.database_url, &to).await?
            );
            Ok(())
        }
        Command::Restore { from, database } => {
            println!(
                "{}",
                crate::backup::restore(&database.database_url, &from).await?
            );
            Ok(())
        }
        Command::Refill {
            tenant,
            pool,
            licenses,
            note,
            database,
        } => {
            let db = open(&database).await?;
            let tenant_id = tenant_by_slug(&db, &tenant).await?;
            let delta = service::refills::parse_delta(&licenses)?;
            let total =
                service::refills::manual(&db, tenant_id, &pool, delta, &note, "cli").await?;
            println!("{tenant} {pool}: {total} licenses purchased");
            Ok(())
        }
    }
}
