//! `visitnotes alerts`, and the warnings every reading command repeats
//! (`note list`, `note show`, `sync`, `report`) until an alert is resolved.

use std::io::Write;
use std::process::ExitCode;

use visitnotes_core::ops::alerts::{self, Action, Alert};

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
                for action in &alert.actions {
                    writeln!(out, "   {}", command_line(*action))?;
                }
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
        let commands: Vec<_> = alert.actions.iter().map(|a| command_line(*a)).collect();
        let _ = if commands.is_empty() {
            writeln!(err, "WARNING: {}", alert.line())
        } else {
            writeln!(err, "WARNING: {} ({})", alert.line(), commands.join("; "))
        };
    }
    let _ = writeln!(err, "({} unresolved; `visitnotes alerts` lists them with what to do.)", open.len());
}

/// The CLI's door to an alert's action: the command that takes it (the
/// catalogue's sentence names none; the web app shows a button instead).
pub fn command_line(action: Action) -> &'static str {
    match action {
        Action::Sync => "To sync: visitnotes sync",
        Action::AdminSync => "On an administrator's device: visitnotes sync",
        Action::SyncFromStart => "To sync from the start: visitnotes sync --from-start",
        Action::SendHeld => "To send the held notes as they are: visitnotes sync --allow-expired-roster",
        Action::Rewrap => "On a coordinator's device: visitnotes admin rewrap",
        Action::Revoke => "On an administrator's device: visitnotes admin revoke",
        Action::VerifyAudit => "To check the audit log: visitnotes admin audit --verify",
        Action::ImportOrgKey => "To import the organisation key: visitnotes admin import-org-key",
    }
}

/// 3 while any alert is open, else 0.
pub fn exit_code(open: &[Alert]) -> ExitCode {
    if open.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_WARNINGS)
    }
}
