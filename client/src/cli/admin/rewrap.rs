//! `visitnotes admin rewrap`: the server's notes encrypted again to the
//! current readers (after a removal), on a coordinator's device.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::ops::{alerts, rewrap};
use visitnotes_core::profile::Session;

use crate::cli::{Context, EXIT_WARNINGS};

pub fn run(ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
    let report = rewrap::rewrap_all(session)?;
    // Why each refused note was refused, in words, from the alerts it left.
    let refusals: Vec<_> = alerts::open(session)?.into_iter().filter(|a| a.kind == alerts::AlertKind::Rewrap).collect();
    if ctx.json {
        ctx.print_json(&json!({ "rewrapped": report.rewrapped, "roster_version": report.roster_version,
            "not_readable": report.not_readable, "refused": report.refused, "refusals": refusals }))?;
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "rewrapped {} notes to the readers of roster version {}; {} not readable here; {} refused",
            report.rewrapped, report.roster_version, report.not_readable, report.refused
        )?;
        if report.not_readable > 0 {
            writeln!(
                out,
                "  {} notes are not encrypted to this device: another coordinator who can read them must run \
                 `visitnotes admin rewrap` too",
                report.not_readable
            )?;
        }
        crate::cli::alerts::warn(ctx, &refusals);
    }
    Ok(if report.refused > 0 { ExitCode::from(EXIT_WARNINGS) } else { ExitCode::SUCCESS })
}
