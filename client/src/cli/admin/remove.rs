//! `visitnotes admin remove`: a person and all their devices, after the
//! plan of what it signs and a question.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::ops::admin::{self, Outcome, RemovePlan};
use visitnotes_core::profile::Session;
use visitnotes_core::ClientError;

use super::{format, prompt};
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
        let mut plan = admin::plan_remove(session, &self.person)?.map_err(ClientError::from)?;
        let mut text = plan_text(&plan);
        let mut asked = 0;
        let (plan, roster) = loop {
            if !prompt::confirm(ctx, self.yes, &text, "Remove them?")? {
                writeln!(out, "nobody removed")?;
                return Ok(ExitCode::SUCCESS);
            }
            asked += 1;
            match admin::remove(session, plan.user_id.as_str(), plan.next_version)? {
                Outcome::Signed { plan: signed, roster } => break (signed, roster),
                Outcome::Refused(refusal) => return Err(ClientError::from(refusal).into()),
                Outcome::Stale(_) if asked == format::ASK_AT_MOST => anyhow::bail!(format::KEEPS_CHANGING),
                Outcome::Stale(now) => {
                    text = format!("{}\n{}", format::PLAN_CHANGED, plan_text(&now));
                    plan = now;
                }
            }
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
