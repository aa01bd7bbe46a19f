//! The command line: one module per subcommand, each a clap `Cmd` with
//! `run()`. Output is text for people, or JSON with `--json`.
//!
//! Exit codes: 0 done; 1 error (the message says what to do); 2 usage
//! error; 3 done, but something suspicious was found (a note that failed
//! verification, a gap in a device's sequence numbers): read the warnings.

mod admin;
mod completions;
mod enroll;
mod note;
mod report;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::profile::{self, Session};

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
    after_help = "Exit codes: 0 done, 1 error, 2 usage error, 3 done with security warnings.\n\
                  The passphrase comes from VISITNOTES_PASSPHRASE, --passphrase-file, or a prompt."
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
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Enrol this device with an invite.
    Enroll(enroll::Cmd),
    /// Write, list, show, edit and delete notes.
    #[command(subcommand)]
    Note(note::Cmd),
    /// Push the outbox, then pull and verify what is new.
    Sync(sync::Cmd),
    /// Figures for a period, from the notes on this device.
    Report(report::Cmd),
    /// Administration: invites, approvals, revocation, the roster.
    #[command(subcommand)]
    Admin(admin::Cmd),
    /// Run the whole path on an embedded server, with fictional notes.
    Demo,
    /// Print shell completions.
    Completions(completions::Cmd),
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
            return Err(crate::ClientError::NoProfile(self.home.clone()).into());
        }
        let passphrase = crate::passphrase::read(self.passphrase_file.as_deref(), "Passphrase: ", false)?;
        Ok(Session::unlock(&self.home, passphrase)?)
    }

    pub fn print_json(&self, value: &impl serde::Serialize) {
        println!("{}", serde_json::to_string_pretty(value).expect("serialisable"));
    }
}

impl Cli {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        restrict_umask();
        let home = match self.home {
            Some(home) => home,
            None => profile::default_home()?,
        };
        let ctx = Context { home, passphrase_file: self.passphrase_file, json: self.json };
        match self.cmd {
            Cmd::Enroll(cmd) => cmd.run(&ctx),
            Cmd::Note(cmd) => cmd.run(&ctx),
            Cmd::Sync(cmd) => cmd.run(&ctx),
            Cmd::Admin(cmd) => cmd.run(&ctx),
            Cmd::Report(cmd) => cmd.run(&ctx),
            Cmd::Demo => crate::demo::run(&mut std::io::stdout()).map(|_| ExitCode::SUCCESS),
            Cmd::Completions(cmd) => cmd.run(),
        }
    }
}

/// Nothing this program writes is for other users of the machine.
fn restrict_umask() {
    extern "C" {
        fn umask(mask: u32) -> u32;
    }
    // SAFETY: umask only changes this process's file creation mask.
    unsafe {
        umask(0o077);
    }
}
