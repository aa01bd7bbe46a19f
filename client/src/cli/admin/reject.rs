//! `visitnotes admin reject`: a pending enrolment deleted, after a question.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::display::short;
use visitnotes_core::ops::admin;
use visitnotes_core::profile::Session;

use super::prompt;
use crate::cli::Context;

#[derive(clap::Args)]
pub struct Cmd {
    /// The device: its name or the start of its id, as `admin pending` shows them.
    device: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

impl Cmd {
    pub fn run(self, ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
        let mut out = std::io::stdout().lock();
        let plan = format!(
            "This deletes the pending enrolment \"{}\": it can no longer be approved, they will need a new invite.",
            self.device
        );
        if !prompt::confirm(ctx, self.yes, &plan, "Reject it?")? {
            writeln!(out, "nothing rejected")?;
            return Ok(ExitCode::SUCCESS);
        }
        let rejected = admin::reject(session, &self.device)?;
        if ctx.json {
            ctx.print_json(&json!({ "rejected": rejected.device_id, "name": rejected.name }))?;
        } else {
            writeln!(
                out,
                "rejected the enrolment of {} (device {}). To let them in after all, make a new invite",
                rejected.name,
                short(rejected.device_id.as_str())
            )?;
        }
        Ok(ExitCode::SUCCESS)
    }
}
