//! `visitnotes sync`

use std::io::Write;
use std::process::ExitCode;

use crate::ops::sync;

#[derive(clap::Args)]
pub struct Cmd {
    /// Pull everything again (after an administrator's rewrap made older notes readable here).
    #[arg(long)]
    from_start: bool,
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
        let report = sync::sync(&session, self.from_start, &progress)?;
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
    if report.not_addressed > 0 {
        writeln!(

            out,
            "  {} notes are not encrypted to this device (written before it joined): ask a coordinator to run `visitnotes admin rewrap`, then run `visitnotes sync --from-start`",
            report.not_addressed
        )?;
    }
    Ok(())
}
