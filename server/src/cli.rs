//! The command line: `serve`, `demo`, `migrate`, `admin create`, `apikey create`.

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
    }
}
