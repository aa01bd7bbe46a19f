//! `visitnotes admin audit`: the server's audit log with names and local
//! dates; with --verify, checked against the signed checkpoints.

use std::io::Write;
use std::process::ExitCode;

use visitnotes_core::display::{local_datetime, short};
use visitnotes_core::i18n::Lang;
use visitnotes_core::ops::audit::{self, Finding, Named};
use visitnotes_core::profile::Session;

use crate::cli::{Context, EXIT_WARNINGS};

#[derive(clap::Args)]
pub struct Cmd {
    /// Recompute the chain from the first entry and compare it with the checkpoint this device signed
    /// last and the server's newest; exit 3 if entries were removed or rewritten.
    #[arg(long)]
    verify: bool,
}

impl Cmd {
    pub fn run(self, ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
        if self.verify {
            verify(ctx, session)
        } else {
            log(ctx, session)
        }
    }
}

fn log(ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
    let log = audit::log(session)?;
    if ctx.json {
        ctx.print_json(&log.iter().map(|e| &e.entry).collect::<Vec<_>>())?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    for e in &log {
        let who = e.actor.as_deref().map_or("server".to_owned(), words);
        let (seq, at, action) = (e.entry.seq, local_datetime(e.entry.at), &e.entry.action);
        writeln!(out, "{seq:>6} {at} {action:<9} {who:<28} {}", e.detail.render(Lang::En))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A text of the server's with the roster's ids named: "Bea (1a2b3c4d5e6f)",
/// "Bea's device 1a2b3c4d5e6f".
fn words(parts: &[Named]) -> String {
    parts
        .iter()
        .map(|part| match part {
            Named::Text { text } => text.clone(),
            Named::Person { name, user_id } => format!("{name} ({})", short(user_id.as_str())),
            Named::Device { name, device_id } => format!("{name}'s device {}", short(device_id.as_str())),
        })
        .collect()
}

fn verify(ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
    let found = audit::verify(session)?;
    if ctx.json {
        ctx.print_json(&found)?;
    } else {
        let mut out = std::io::stdout().lock();
        for finding in &found.findings {
            writeln!(out, "{}", finding_words(finding))?;
        }
        if found.broken {
            writeln!(
                out,
                "The audit log is BROKEN: tell the server's operator; `visitnotes alerts` keeps the warning until it \
                 is intact again."
            )?;
        } else {
            writeln!(out, "The audit log is intact.")?;
        }
    }
    Ok(if found.broken { ExitCode::from(EXIT_WARNINGS) } else { ExitCode::SUCCESS })
}

/// One finding of the check, a line (the catalogue's English).
fn finding_words(finding: &Finding) -> String {
    finding.msg().render(Lang::En)
}
