//! `visitnotes admin pending`: the devices waiting for approval.

use std::io::Write;
use std::process::ExitCode;

use visitnotes_core::display::{local_datetime, short};
use visitnotes_core::ops::admin::{self, Verdict};
use visitnotes_core::profile::Session;

use crate::cli::Context;

pub fn run(ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
    let candidates = admin::pending(session)?;
    if ctx.json {
        ctx.print_json(&candidates)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    for c in &candidates {
        writeln!(
            out,
            "{:<20} {:<12} device {}  enrolled {}  fingerprint {}  {}",
            c.enrolment.name,
            c.role.map(|r| r.to_string()).unwrap_or_default(),
            short(c.enrolment.device_id.as_str()),
            local_datetime(c.enrolment.enrolled_at),
            c.fingerprint,
            verdict_words(&c.verdict)
        )?;
    }
    writeln!(out, "{} pending", candidates.len())?;
    Ok(ExitCode::SUCCESS)
}

fn verdict_words(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Genuine => "keys check out",
        Verdict::UnknownInvite => "invited from another administrator's device",
        Verdict::Tampered => "KEYS CHANGED ON THE WAY: reject it",
    }
}
