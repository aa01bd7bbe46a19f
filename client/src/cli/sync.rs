//! `visitnotes sync`

use std::io::Write;
use std::process::ExitCode;

use crate::ops::sync;

#[derive(clap::Args)]
pub struct Cmd {
    /// Pull everything again (after an administrator's rewrap made older notes readable here).
    #[arg(long)]
    from_start: bool,
    /// Upload notes written under an expired list of members as they are (a warning is kept with each).
    #[arg(long)]
    allow_expired_roster: bool,
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        let session = ctx.unlock()?;
        let bar = (!ctx.json && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_message("pulling");
            bar
        });
        let progress = |done: u64, _total: Option<u64>| {
            if let Some(bar) = &bar {
                bar.set_position(done);
                bar.set_message(format!("pulled {done} revisions"));
            }
        };
        let options =
            sync::SyncOptions { from_start: self.from_start, allow_expired_roster: self.allow_expired_roster };
        let report = sync::sync_with(&session, options, &progress)?;
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        // On an administrator's device, finish a revocation or removal whose
        // roster an earlier command could not publish.
        let admin = session.roster().is_ok_and(|r| {
            r.device(&session.config.device_id)
                .is_some_and(|(m, _)| m.roles.contains(&visitnotes_shared::roster::Role::Admin))
        });
        if admin {
            for done in crate::ops::admin::finish_unpublished(&session)? {
                writeln!(std::io::stderr(), "note: {done}.")?;
            }
        }
        if ctx.json {
            ctx.print_json(&report)?;
        } else {
            print(&mut std::io::stdout().lock(), &report)?;
            for warning in &report.warnings {
                writeln!(std::io::stderr(), "WARNING: {warning}.")?;
            }
            super::alerts::warn(ctx, &report.alerts);
        }
        Ok(if report.suspicious() { ExitCode::from(super::EXIT_WARNINGS) } else { ExitCode::SUCCESS })
    }
}

fn print(out: &mut impl Write, report: &sync::SyncReport) -> std::io::Result<()> {
    writeln!(
        out,
        "synced: pushed {}, pulled {}, refused by server {}, rejected {} (roster version {})",
        report.pushed,
        report.pulled,
        report.refused_by_server.len(),
        report.rejected.len(),
        report.roster_version
    )?;
    for (id, reason) in &report.refused_by_server {
        writeln!(out, "  not uploaded: note {id}: {reason}")?;
    }
    if let Some(version) = report.roster_renewed {
        writeln!(out, "  signed the list of members again as version {version}: the one in force was near its expiry")?;
    }
    if report.resealed > 0 {
        writeln!(
            out,
            "  {} written under an expired list of members sealed again for the fresh list's readers",
            notes(report.resealed)
        )?;
    }
    if report.sent_under_expired_roster > 0 {
        writeln!(
            out,
            "  {} written under an expired list of members sent as written (--allow-expired-roster); `visitnotes note show` shows the warning kept with each",
            notes(report.sent_under_expired_roster)
        )?;
    }
    if report.held > 0 {
        writeln!(
            out,
            "  {} kept on this device and not uploaded: written under an expired list of members (see the warning below)",
            notes(report.held)
        )?;
    }
    if let Some(entries) = report.audit_checkpoint {
        writeln!(out, "  signed a checkpoint of the server's audit log: entries 1 to {entries}")?;
    }
    if report.not_addressed > 0 {
        writeln!(

            out,
            "  {} notes are not encrypted to this device (written before it joined): ask a coordinator to run `visitnotes admin rewrap`, then run `visitnotes sync --from-start`",
            report.not_addressed
        )?;
    }
    Ok(())
}

/// "1 note", "3 notes".
fn notes(n: usize) -> String {
    if n == 1 {
        "1 note".to_owned()
    } else {
        format!("{n} notes")
    }
}
