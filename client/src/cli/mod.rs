//! The command line: one module per subcommand, each a clap `Cmd` with
//! `run()`. Output is text for people, or JSON with `--json`.
//!
//! Exit codes: 0 done; 1 error (the message says what to do); 2 usage
//! error; 3 done, but something suspicious is unresolved (a note that
//! failed verification, a gap in a device's sequence numbers, a device's
//! head naming notes not here or silent too long, a withheld roster, a
//! purged current note, a note no coordinator confirmed, a refused
//! roster: see `visitnotes alerts`): read the warnings.
//!
//! Output goes through `writeln!` to standard output, so that a closed pipe
//! (`visitnotes note list | head -1`) is an error that `main` ends quietly
//! with 0, as ripgrep does, instead of a panic.

mod admin;
mod alerts;
mod choices;
mod completions;
mod concern;

mod enroll;
mod man;
mod note;
mod report;
mod sync;
mod ui;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use visitnotes_core::profile::{self, Session};

pub const EXIT_ERROR: u8 = 1;
pub const EXIT_WARNINGS: u8 = 3;

/// Overrides the scrypt work factor of new key files (2^N); for tests and
/// demos on slow machines. Default: `vault::DEFAULT_LOG_N`.
pub const KDF_ENV: &str = "VISITNOTES_KDF_LOG_N";

#[derive(Parser)]
#[command(
    name = "visitnotes",
    version,
    about = "Write, sign, encrypt, sync and read confidential visit notes",
    long_about = "Write, sign, encrypt, sync and read confidential visit notes.\n\n\
                  With no command, opens Visitnotes in the browser (as `visitnotes ui`); when it is open \
                  already for this profile, opens the browser on it again. With a `visitnotes:` link \
                  (`visitnotes:VN1-…` or `visitnotes://enrol?invite=VN1-…`), does the same and hands the \
                  link's invite to the enrolment page.",
    after_help = "Exit codes: 0 done, 1 error, 2 usage error, 3 done with security warnings.\n\
                  The passphrase comes from VISITNOTES_PASSPHRASE, --passphrase-file, or a prompt.\n\
                  \n\
                  Environment variables read:\n  \
                  VISITNOTES_HOME               the profile directory (as --home)\n  \
                  VISITNOTES_PASSPHRASE         the profile's passphrase (else --passphrase-file or a prompt)\n  \
                  VISITNOTES_EXPORT_PASSPHRASE  the passphrase of an exported organisation key (admin export-org-key / import-org-key)\n  \
                  VISITNOTES_KDF_LOG_N          the scrypt work factor of new key files (tests and slow machines only)\n  \
                  VISITNOTES_ROSTER_LIFETIME_SECS  how long a list of members signed here stays valid (tests only; default 30 days)\n  \
                  VISITNOTES_UI_IDLE_SECONDS    the idle lock of `visitnotes ui` in seconds (tests only)\n  \
                  VISITNOTES_NO_BROWSER         set: `visitnotes` and `visitnotes ui` open no browser (as --no-browser)\n  \
                  VISUAL, EDITOR                the editor for notes (VISUAL first)\n  \
                  LC_ALL, LC_MESSAGES, LANG     the language of reports\n  \
                  TZ                            the time zone of the dates and times shown (else the system's)\n  \
                  VISITNOTES_SILENT_DAYS        warn about a member's device not heard from for this long (default 14)\n  \
                  VISITNOTES_RECEIPT_DAYS       warn about your note no coordinator confirmed after this long (default 3)\n  \
                  VISITNOTES_URGENT_RECEIPT_DAYS  the same for a note with an urgent concern (default 1)\n  \
                  VISITNOTES_RETENTION_DAYS     how long the server keeps replaced revisions (default 30)"
)]
pub struct Cli {
    /// Profile directory (default: the platform's data dir).
    #[arg(long, global = true, env = "VISITNOTES_HOME", value_name = "DIR")]
    home: Option<PathBuf>,
    /// Read the passphrase from this file instead of prompting.
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// A `visitnotes:` link (`visitnotes:VN1-…` or `visitnotes://enrol?invite=VN1-…`): opens Visitnotes with its invite.
    #[arg(value_name = "LINK", value_parser = crate::web::link::invite_of)]
    link: Option<String>,
    #[command(subcommand)]
    cmd: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Enrol this device with an invite.
    Enroll(enroll::Cmd),
    /// Write, list, show, edit and delete notes.
    #[command(subcommand)]
    Note(note::Cmd),
    /// Concerns raised in notes: where their follow-up stands, and coordinators' follow-up records.
    #[command(subcommand)]
    Concern(concern::Cmd),
    /// Push the outbox, then pull and verify what is new.
    Sync(sync::Cmd),
    /// Figures for a period, from the notes on this device.
    Report(report::Cmd),
    /// What looked wrong and is not resolved yet, with what to do.
    Alerts(alerts::Cmd),
    /// Administration: invites, approvals, revocation, the roster.
    #[command(subcommand)]
    Admin(admin::Cmd),
    /// Run the whole path on an embedded server, with fictional notes.
    #[cfg(feature = "demo")]
    Demo,
    /// Open the web app in the browser (on this computer only): write and read notes there.
    Ui(ui::Cmd),
    /// Print shell completions.
    Completions(completions::Cmd),
    /// Write the manual pages into a directory (for packagers).
    #[command(hide = true)]
    Man(man::Cmd),
}

/// What every subcommand gets.
pub struct Context {
    pub home: PathBuf,
    pub passphrase_file: Option<PathBuf>,
    pub json: bool,
}

impl Context {
    pub fn unlock(&self) -> anyhow::Result<Session> {
        if !profile::exists(&self.home) {
            return Err(visitnotes_core::ClientError::NoProfile(self.home.clone()).into());
        }
        let passphrase = crate::passphrase::read(self.passphrase_file.as_deref(), "Passphrase: ")?;
        Ok(Session::unlock(&self.home, passphrase)?)
    }

    /// Prints `value` as JSON on standard output; a closed pipe is an
    /// error here, which `main` turns into a quiet exit.
    pub fn print_json(&self, value: &impl serde::Serialize) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value)?;
        writeln!(out)
    }
}

/// The code of an error for `--json` output: the first error in the chain
/// that has one (a `ClientError`, an `ApiClientError`, a file error), else
/// "failed" for the messages commands word themselves.
pub fn error_code(err: &anyhow::Error) -> &'static str {
    err.chain()
        .find_map(|e| {
            if let Some(e) = e.downcast_ref::<visitnotes_core::ClientError>() {
                Some(e.code())
            } else if let Some(e) = e.downcast_ref::<visitnotes_core::api::ApiClientError>() {
                Some(e.code())
            } else if e.downcast_ref::<std::io::Error>().is_some() {
                Some("io")
            } else {
                None
            }
        })
        .unwrap_or("failed")
}

impl Cli {
    /// Whether `--json` was given: errors are then JSON too.
    pub fn json(&self) -> bool {
        self.json
    }

    pub fn run(self) -> anyhow::Result<ExitCode> {
        restrict_umask();
        let home = match self.home {
            Some(home) => home,
            None => profile::default_home()?,
        };
        remove_editor_leftovers(&home);
        let ctx = Context { home, passphrase_file: self.passphrase_file, json: self.json };
        let Some(cmd) = self.cmd else {
            // What the application menu runs, with a link or without.
            return ui::Cmd::launch(self.link).run(&ctx);
        };
        match cmd {
            Cmd::Enroll(cmd) => cmd.run(&ctx),
            Cmd::Note(cmd) => cmd.run(&ctx),
            Cmd::Concern(cmd) => cmd.run(&ctx),
            Cmd::Sync(cmd) => cmd.run(&ctx),
            Cmd::Admin(cmd) => cmd.run(&ctx),
            Cmd::Alerts(cmd) => cmd.run(&ctx),
            Cmd::Report(cmd) => cmd.run(&ctx),
            #[cfg(feature = "demo")]
            Cmd::Demo => crate::demo::run(&mut std::io::stdout().lock()).map(|_| ExitCode::SUCCESS),
            Cmd::Ui(cmd) => cmd.run(&ctx),
            Cmd::Completions(cmd) => cmd.run(),
            Cmd::Man(cmd) => cmd.run(),
        }
    }
}

/// A note still in the editor's temp folder was left by a run that was
/// stopped with the editor open: it was never saved, and plaintext must
/// not stay there, so it is wiped, and the person told.
fn remove_editor_leftovers(home: &std::path::Path) {
    match crate::editor::remove_leftovers(home) {
        Ok(0) => {}
        Ok(1) => eprintln!("A note left open in the editor when the program stopped was removed (not saved)."),
        Ok(n) => eprintln!("{n} notes left open in the editor when the program stopped were removed (not saved)."),
        Err(e @ crate::editor::EditorError::Refused { .. }) => eprintln!("WARNING: {e}."),
        Err(e) => eprintln!(
            "WARNING: a note left open in the editor may still be there: {}. Delete that folder.",
            visitnotes_core::error::Chain(&e)
        ),
    }
}

/// Nothing this program writes is for other users of the machine.
#[cfg(unix)]
fn restrict_umask() {
    use rustix::fs::Mode;
    rustix::process::umask(Mode::RWXG | Mode::RWXO);
}

/// Elsewhere files get the platform's default permissions (on Windows,
/// those of the user's profile directory).
#[cfg(not(unix))]
fn restrict_umask() {}
