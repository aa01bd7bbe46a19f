//! `visitnotes admin revoke`: a lost device revoked, after the plan of what
//! it signs (whose device, what stays trusted) and a question.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::display::{local_datetime, short};
use visitnotes_core::ops::admin::{self, RevokePlan};
use visitnotes_core::ops::heads::EvidenceSource;
use visitnotes_core::profile::Session;
use visitnotes_core::ClientError;

use super::prompt;
use crate::cli::Context;

#[derive(clap::Args)]
pub struct Cmd {
    /// The device: the start of its id, or the name of a person with one active device.
    device: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

impl Cmd {
    pub fn run(self, ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
        let mut out = std::io::stdout().lock();
        let plan = admin::plan_revoke(session, &self.device)?.map_err(ClientError::from)?;
        let Some((plan, roster)) = prompt::until_signed(ctx, self.yes, plan, plan_text, "Revoke it?", |p| {
            admin::revoke(session, p.device_id.as_str(), p.trusted.seq, p.next_version)
        })?
        else {
            writeln!(out, "nothing revoked")?;
            return Ok(ExitCode::SUCCESS);
        };
        let device = short(plan.device_id.as_str());
        if ctx.json {
            ctx.print_json(&json!({ "revoked": plan.device_id, "person": plan.person,
                "trusted_through_seq": plan.trusted.seq, "trusted": plan.trusted,
                "server_last_seq": plan.server_last_seq, "roster_version": roster.version }))?;
        } else {
            writeln!(out, "{}'s device {device} is revoked; published roster version {}", plan.person, roster.version)?;
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// What the revocation signs, in words.
fn plan_text(plan: &RevokePlan) -> String {
    let person = &plan.person;
    let label = if plan.device_name.is_empty() || plan.device_name == plan.person {
        String::new()
    } else {
        format!(" \"{}\"", plan.device_name)
    };
    let enrolled = plan.enrolled_at.map(|at| format!(", enrolled {}", local_datetime(at))).unwrap_or_default();
    let warn = if plan.last_device {
        format!(
            "\n{person} will have no active device left: invite a new one with `visitnotes admin invite --device-for \
             \"{person}\"`."
        )
    } else {
        String::new()
    };
    format!(
        "This signs a roster that revokes {person}'s device{label} {}{enrolled}: the server refuses it from now on, \
         and {}.{warn}",
        short(plan.device_id.as_str()),
        trust_text(plan)
    )
}

/// What a revocation trusts, in words: the number, what proves it and its
/// date, and what the server claimed beyond it.
fn trust_text(plan: &RevokePlan) -> String {
    let t = &plan.trusted;
    let mut text = match (t.seq, t.source, t.at) {
        (0, EvidenceSource::Head, Some(at)) => format!(
            "it says it had sent no notes by {} (its own signed statement); none will be trusted from it",
            local_datetime(at)
        ),
        (0, ..) => "no note of it can be verified here; none will be trusted from it".to_owned(),
        (seq, EvidenceSource::Head, Some(at)) => format!(
            "its notes up to number {seq} stay trusted: it said so itself, signed {} (later ones are refused)",
            local_datetime(at)
        ),
        (seq, _, Some(at)) => format!(
            "its notes up to number {seq} stay trusted: the newest this device verified, stored by the server {} \
             (later ones are refused)",
            local_datetime(at)
        ),
        (seq, ..) => format!("its notes up to number {seq} stay trusted: the newest this device verified"),
    };
    if plan.server_last_seq > t.seq {
        text.push_str(&format!(
            ". The server says it holds notes up to number {}, but nothing the device signed shows more than {}: \
             the rest are not trusted",
            plan.server_last_seq, t.seq
        ));
    }
    text
}
