//! `visitnotes admin approve`: pending enrolments whose MAC verifies, into
//! the roster; a failing MAC is refused loudly (exit 3).

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::display::short;
use visitnotes_core::error::Chain;
use visitnotes_core::ops::admin::{self, Verdict};
use visitnotes_core::profile::Session;
use visitnotes_core::ClientError;
use visitnotes_shared::DeviceId;

use super::{format, prompt};
use crate::cli::{Context, EXIT_WARNINGS};

#[derive(clap::Args)]
pub struct Cmd {
    /// Approve every enrolment whose MAC verifies, without asking.
    #[arg(long)]
    all: bool,
    /// Approve only these devices.
    devices: Vec<DeviceId>,
}

impl Cmd {
    /// Approves pending enrolments; exits 3 when it refused one whose MAC fails.
    pub fn run(self, ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
        let mut err = std::io::stderr();
        let mut chosen = Vec::new();
        let mut refused = false;
        for c in admin::pending(session)? {
            let wanted = self.all || self.devices.contains(&c.enrolment.device_id);
            let (name, device) = (&c.enrolment.name, short(c.enrolment.device_id.as_str()));
            match c.verdict {
                Verdict::Tampered => {
                    refused = true;
                    writeln!(
                        err,
                        "WARNING: {name} (device {device}) REFUSED: its keys do not match what the invited device \
                         sent (enrolment MAC fails): someone may have changed them on the way. Do not approve it: \
                         run `visitnotes admin reject {device}` and issue a new invite."
                    )?;
                }
                Verdict::UnknownInvite => {
                    if wanted || !ctx.json {
                        writeln!(
                            err,
                            "skipped {name} (device {device}): their invite was made on another administrator's \
                             device, which must approve it"
                        )?;
                    }
                }
                Verdict::Genuine => {
                    let asked = !self.all && self.devices.is_empty();
                    let role = c.role.map(|r| r.to_string()).unwrap_or_default();
                    let question = format!(
                        "Approve {name} as {role} with fingerprint {}? Compare it with theirs. [y/N] ",
                        c.fingerprint
                    );
                    if wanted || (asked && prompt::ask(&question)?) {
                        chosen.push(c);
                    }
                }
            }
        }
        let code = if refused { ExitCode::from(EXIT_WARNINGS) } else { ExitCode::SUCCESS };
        if chosen.is_empty() {
            if ctx.json {
                ctx.print_json(&json!({ "approved": [] }))?;
            } else {
                writeln!(std::io::stdout(), "nothing approved")?;
            }
            return Ok(code);
        }
        let devices: Vec<DeviceId> = chosen.iter().map(|c| c.enrolment.device_id.clone()).collect();
        let approved = admin::approve(session, &devices)?.map_err(ClientError::from)?;
        match &approved.org_key {
            Ok(granted) => {
                for to in granted {
                    writeln!(
                        err,
                        "note: the organisation key was sealed to {} (an administrator's), for it to pick up: their \
                         next `visitnotes sync` takes it.",
                        format::granted_to(to)
                    )?;
                }
            }
            Err(e) => writeln!(
                err,
                "note: the organisation key could not be handed to the new administrator's device yet ({}); the next \
                 `visitnotes admin` command that changes something here tries again.",
                Chain(e)
            )?,
        }
        let version = approved.roster.version;
        if ctx.json {
            ctx.print_json(&json!({ "roster_version": version, "approved": devices, "refused": refused }))?;
        } else {
            let mut out = std::io::stdout().lock();
            for c in &approved.approved {
                let device = short(c.enrolment.device_id.as_str());
                writeln!(out, "approved {} (device {device}), fingerprint {}", c.enrolment.name, c.fingerprint)?;
            }
            writeln!(out, "published roster version {version}")?;
        }
        Ok(code)
    }
}
