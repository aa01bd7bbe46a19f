//! `visitnotes alerts`, and the warnings every reading command repeats
//! (`note list`, `note show`, `sync`, `report`) until an alert is resolved.

use std::io::Write;
use std::process::ExitCode;

use visitnotes_core::ops::alerts::{self, Alert};

#[derive(clap::Args)]
pub struct Cmd {}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        let session = ctx.unlock()?;
        let open = alerts::open(&session)?;
        if ctx.json {
            ctx.print_json(&serde_json::json!({ "alerts": open }))?;
        } else {
            let mut out = std::io::stdout().lock();
            if open.is_empty() {
                writeln!(out, "No alerts: nothing on this device looks wrong.")?;
            }
            for (i, alert) in open.iter().enumerate() {
                writeln!(out, "{}. {}", i + 1, alert.what)?;
                if let Some(since) = &alert.since {
                    writeln!(out, "   First seen: {since}.")?;
                }
                if let Some(id) = &alert.note_id {
                    writeln!(out, "   Note id: {id}")?;
                }
                writeln!(out, "   What to do: {}", alert.todo)?;
            }
        }
        Ok(exit_code(&open))
    }
}

/// Prints one WARNING line per alert on standard error (text output only:
/// under `--json` the alerts are in the JSON), and a pointer to
/// `visitnotes alerts`.
pub fn warn(ctx: &super::Context, open: &[Alert]) {
    if ctx.json || open.is_empty() {
        return;
    }
    // Standard error: a failure to write a warning is not worth a panic.
    let mut err = std::io::stderr().lock();
    for alert in open {
        let _ = writeln!(err, "WARNING: {}", alert.line());
    }
    let _ = writeln!(err, "({} unresolved; `visitnotes alerts` lists them with what to do.)", open.len());
}

/// 3 while any alert is open, else 0.
pub fn exit_code(open: &[Alert]) -> ExitCode {
    if open.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_WARNINGS)
    }
}
