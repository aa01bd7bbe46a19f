//! One module per subcommand, each a clap `Cmd` with `run()`.

mod audit;
mod backup;
mod check;
mod init;
mod man;
mod purge;
mod restore;
mod serve;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use visitnotes_server::settings::Settings;

#[derive(Parser)]
#[command(
    name = "visitnotes-server",
    version,
    about = "The Visitnotes sync server: stores signed, encrypted visit notes it cannot read",
    after_help = "Examples:
  visitnotes-server init --data /var/lib/visitnotes --public-url https://visits.example.org
  visitnotes-server check --data /var/lib/visitnotes
  visitnotes-server serve --data /var/lib/visitnotes --listen 127.0.0.1:8080 [--log-format json]
  visitnotes-server audit verify --data /var/lib/visitnotes
  visitnotes-server purge --data /var/lib/visitnotes
  visitnotes-server backup --data /var/lib/visitnotes --out-dir /var/backups/visitnotes --keep 14
  visitnotes-server restore --from /var/backups/visitnotes/visitnotes-20261127T031500Z.sqlite3 --data /var/lib/visitnotes

Settings come from DATA/server.toml (or --config), then VISITNOTES_SERVER_<NAME>
environment variables, then flags. Logs go to stderr; RUST_LOG sets the level."
)]
pub struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create the data directory and database, and print the first administrator's invite.
    Init(init::Cmd),
    /// Run the server.
    Serve(serve::Cmd),
    /// Check the audit log's hash chain.
    #[command(subcommand)]
    Audit(audit::Cmd),
    /// Drop the ciphertext of superseded revisions past the retention period, now.
    Purge(purge::Cmd),
    /// Take a consistent, checked copy of the database while the server runs.
    Backup(backup::Cmd),
    /// Restore a backup into an empty data directory, checking it first.
    Restore(restore::Cmd),
    /// Check the settings and the data directory (permissions, schema version, free disk); exit 1 with the reasons.
    Check(check::Cmd),
    /// Write the manual pages into a directory (for packagers).
    #[command(hide = true)]
    Man(man::Cmd),
}

impl Cli {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        restrict_umask();
        match self.cmd {
            Cmd::Init(cmd) => cmd.run(),
            Cmd::Serve(cmd) => cmd.run(),
            Cmd::Audit(cmd) => cmd.run(),
            Cmd::Purge(cmd) => cmd.run(),
            Cmd::Backup(cmd) => cmd.run(),
            Cmd::Restore(cmd) => cmd.run(),
            Cmd::Check(cmd) => cmd.run(),
            Cmd::Man(cmd) => cmd.run(),
        }
    }
}

/// Nothing the server writes is for other users of the machine.
#[cfg(unix)]
fn restrict_umask() {
    use rustix::fs::Mode;
    rustix::process::umask(Mode::RWXG | Mode::RWXO);
}

/// Elsewhere files get the platform's default permissions.
#[cfg(not(unix))]
fn restrict_umask() {}

/// The options every subcommand that reads settings shares.
#[derive(clap::Args)]
struct Common {
    /// The data directory (database and server.toml).
    #[arg(long, value_name = "DIR", env = "VISITNOTES_SERVER_DATA")]
    data: PathBuf,
    /// A settings file to read instead of DATA/server.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

impl Common {
    fn settings(&self) -> anyhow::Result<Settings> {
        Settings::load(&self.data, self.config.as_deref()).context("cannot read the settings")
    }
}

/// How log lines are written to stderr.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// One line of text per event, for people and journald.
    #[default]
    Text,
    /// One JSON object per line (timestamp, level, target, message and the
    /// event's fields at the top level), for log collectors.
    Json,
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        // Colour codes only for a person at a terminal: in a file or journald they are noise.
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
    };
}

/// Refuses `what` (backup, restore) when the settings of `data` put the
/// store in PostgreSQL: those copy the SQLite file.
fn sqlite_only(what: &str, data: &Path) -> anyhow::Result<()> {
    let Ok(settings) = Settings::load(data, None) else { return Ok(()) };
    if let Ok(visitnotes_server::db::DatabaseUrl::Postgres(url)) = settings.database(data) {
        anyhow::bail!(
            "{what} copies the SQLite store, and this server's store is in PostgreSQL ({url}): \
             back it up with pg_dump or point-in-time recovery (docs/postgres.md)"
        );
    }
    Ok(())
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Unix seconds as this machine's local date and time, with its offset.
fn local_time(at: i64) -> String {
    match chrono::DateTime::from_timestamp(at, 0) {
        Some(utc) => utc.with_timezone(&chrono::Local).format("%-d %b %Y %H:%M:%S (UTC%:z)").to_string(),
        None => at.to_string(),
    }
}
