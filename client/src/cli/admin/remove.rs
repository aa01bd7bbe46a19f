//! `visitnotes admin remove`: a person and all their devices, after the
//! plan of what it signs and a question.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::ops::admin::{self, RemovePlan};
use visitnotes_core::profile::Session;
use visitnotes_core::ClientError;

use super::prompt;
use crate::cli::Context;

#[derive(clap::Args)]
pub struct Cmd {
    /// The person: their name or the start of their id.
    person: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

impl Cmd {
    pub fn run(self, ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
        let mut out = std::io::stdout().lock();
        let plan = admin::plan_remove(session, &self.person)?.map_err(ClientError::from)?;
        let Some((plan, roster)) = prompt::until_signed(ctx, self.yes, plan, plan_text, "Remove them?", |p| {
            admin::remove(session, p.user_id.as_str(), p.next_version)
        })?
        else {
            writeln!(out, "nobody removed")?;
            return Ok(ExitCode::SUCCESS);
        };
        if ctx.json {
            ctx.print_json(
                &json!({ "removed": plan.user_id, "person": plan.person, "roster_version": roster.version }),
            )?;
        } else {
            writeln!(
                out,
                "{} removed; published roster version {}. Run `visitnotes admin rewrap` on a coordinator's device so \
                 their key no longer opens stored notes",
                plan.person, roster.version
            )?;
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// What the removal signs, in words.
fn plan_text(plan: &RemovePlan) -> String {
    let roles: Vec<String> = plan.roles.iter().map(|r| r.to_string()).collect();
    format!(
        "This signs a roster that removes {} ({}) and revokes their {} active device(s); notes they sent before stay \
         trusted.",
        plan.person,
        roles.join(" and "),
        plan.devices
    )
}
