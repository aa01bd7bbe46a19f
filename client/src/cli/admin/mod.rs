//! `visitnotes admin ...`: one module per subcommand, each with its clap
//! arguments and a short `run` over `ops::admin` (and `ops::org_key`,
//! `ops::audit`, `ops::rewrap`); `format` words what several of them print
//! (the server's claims, the organisation key's upkeep, refusals, plans),
//! `prompt` asks on the terminal.
//!
//! Before each command (not the organisation key's export, import and
//! recovery, which work on this device alone, also offline) the
//! administration's upkeep runs (`ops::admin::upkeep`): what the server
//! says that no signed roster says is warned about, never signed, and the
//! organisation key is picked up, handed on (before a command that
//! changes something) and reminded of.

mod approve;
mod audit;
mod export_org_key;
pub mod format;
mod import_org_key;
mod invite;
mod pending;
mod prompt;
mod recover_org_key;
mod reject;
mod remove;
mod revoke;
mod rewrap;
mod roster;
mod units;

use std::process::ExitCode;

use visitnotes_core::ops::admin::{self, Occasion};

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Create an invite; its code is the last line printed.
    Invite(invite::Cmd),
    /// List devices waiting for approval, with their fingerprints.
    Pending,
    /// Check pending enrolments and add them to the roster.
    Approve(approve::Cmd),
    /// Delete a pending enrolment that will not be approved (its invite stays used).
    Reject(reject::Cmd),
    /// Revoke a lost device; the notes it sent before stay trusted.
    Revoke(revoke::Cmd),
    /// Remove a person and all their devices.
    Remove(remove::Cmd),
    /// Show the roster.
    Roster,
    /// Show the server's audit log; with --verify, check it against the signed checkpoints.
    Audit(audit::Cmd),
    /// Re-encrypt the server's notes to the current readers (after removing one); on a coordinator's device.
    Rewrap,
    /// Show, add, remove or replace the organisation's units.
    Units(units::Cmd),
    /// Write the organisation key, encrypted under a new passphrase, to a file;
    /// or, with --shares and --threshold, split it into shares to print.
    #[command(after_help = export_org_key::EXAMPLES)]
    ExportOrgKey(export_org_key::Cmd),
    /// Read an exported organisation key onto this administrator's device.
    ImportOrgKey(import_org_key::Cmd),
    /// Rebuild the organisation key on this device from shares (files, or codes in quotes); its member becomes an administrator.
    RecoverOrgKey(recover_org_key::Cmd),
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        let mut session = ctx.unlock()?;
        if let Some(occasion) = self.occasion() {
            format::say_upkeep(&admin::upkeep(&mut session, occasion)?, format::After::AdminCommand)?;
        }
        match self {
            Cmd::Invite(cmd) => cmd.run(ctx, &session),
            Cmd::Pending => pending::run(ctx, &session),
            Cmd::Approve(cmd) => cmd.run(ctx, &session),
            Cmd::Reject(cmd) => cmd.run(ctx, &session),
            Cmd::Revoke(cmd) => cmd.run(ctx, &session),
            Cmd::Remove(cmd) => cmd.run(ctx, &session),
            Cmd::Roster => roster::run(ctx, &session),
            Cmd::Audit(cmd) => cmd.run(ctx, &session),
            Cmd::Rewrap => rewrap::run(ctx, &session),
            Cmd::Units(cmd) => cmd.run(ctx, &session),
            Cmd::ExportOrgKey(cmd) => cmd.run(ctx, &session),
            Cmd::ImportOrgKey(cmd) => cmd.run(ctx, &mut session),
            Cmd::RecoverOrgKey(cmd) => cmd.run(ctx, &mut session),
        }
    }

    /// The upkeep's occasion: the commands that only read (`pending`,
    /// `roster`, `audit`, the units listed) hand nothing to the server;
    /// the organisation key's export, import and recovery run none.
    fn occasion(&self) -> Option<Occasion> {
        match self {
            Cmd::ExportOrgKey(_) | Cmd::ImportOrgKey(_) | Cmd::RecoverOrgKey(_) => None,
            Cmd::Pending | Cmd::Roster | Cmd::Audit(_) => Some(Occasion::Reading),
            Cmd::Units(units) if !units.changes() => Some(Occasion::Reading),
            _ => Some(Occasion::Changing),
        }
    }
}
