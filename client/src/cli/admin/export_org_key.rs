//! `visitnotes admin export-org-key`: the organisation key to one file,
//! encrypted under a passphrase; or split into shares to print.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::ops::{admin, org_key};
use visitnotes_core::profile::Session;

use super::prompt;
use crate::cli::Context;

pub const EXAMPLES: &str = "Examples:
  visitnotes admin export-org-key --shares 5 --threshold 3 --out ~/org-key-shares
      writes share-1-of-5.txt ... share-5-of-5.txt (and a QR code .svg each): print each,
      hand them to 5 different people; any 3 rebuild the key (`admin recover-org-key`)
  visitnotes admin export-org-key --out org-key.age
      one file, encrypted under a passphrase you choose (`admin import-org-key`)";

#[derive(clap::Args)]
pub struct Cmd {
    /// The file to write; with --shares, the directory for the share files.
    #[arg(long, value_name = "FILE|DIR")]
    out: PathBuf,
    /// Overwrite FILE if it exists (shares are never overwritten).
    #[arg(long, conflicts_with = "shares")]
    force: bool,
    /// Split the key into this many shares (2 to 255), each a printable text file with a QR code.
    #[arg(long, value_name = "N", requires = "threshold", value_parser = clap::value_parser!(u8).range(2..))]
    shares: Option<u8>,
    /// How many shares rebuild the key (2 to N).
    #[arg(long, value_name = "K", requires = "shares", value_parser = clap::value_parser!(u8).range(2..))]
    threshold: Option<u8>,
}

impl Cmd {
    pub fn run(self, ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
        match (self.shares, self.threshold) {
            (Some(count), Some(threshold)) => shares(ctx, session, &self.out, count, threshold),
            _ => file(ctx, session, &self.out, self.force),
        }
    }
}

fn shares(ctx: &Context, session: &Session, dir: &Path, count: u8, threshold: u8) -> anyhow::Result<ExitCode> {
    let exported = org_key::export_shares(session, count, threshold, dir)?;
    if ctx.json {
        ctx.print_json(&exported)?;
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "The organisation key (fingerprint {}) is split into {count} shares; any {threshold} rebuild it:",
            exported.fingerprint
        )?;
        for file in &exported.files {
            writeln!(out, "  {} (and its QR code, .svg)", file.display())?;
        }
        writeln!(
            out,
            "Print each share, hand them to {count} different people to keep apart, then delete these files and \
             empty the bin: with {threshold} of them anyone can sign a list of members."
        )?;
    }
    if let Some(mode) = exported.folder_open_to_others {
        writeln!(
            std::io::stderr(),
            "WARNING: other users of this computer may open {} (mode {mode:o}); it was left as it is. The share files \
             in it are readable by you only; delete them once printed.",
            dir.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn file(ctx: &Context, session: &Session, path: &Path, force: bool) -> anyhow::Result<ExitCode> {
    if path.exists() && !force {
        anyhow::bail!(
            "{} exists already and was left as it is: choose another file, or add --force to overwrite it",
            path.display()
        );
    }
    let passphrase = prompt::export_passphrase(true)?;
    admin::export_org_key(session, path, &passphrase)?;
    if ctx.json {
        ctx.print_json(&json!({ "written": path }))?;
    } else {
        writeln!(std::io::stdout(), "organisation key written to {} (encrypted)", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}
