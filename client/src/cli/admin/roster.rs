//! `visitnotes admin roster`: the roster in force, its people and devices.

use std::io::Write;
use std::process::ExitCode;

use visitnotes_core::display::{local_datetime, short};
use visitnotes_core::ops::resolve::describe_member;
use visitnotes_core::ops::roster;
use visitnotes_core::profile::Session;
use visitnotes_shared::roster::DeviceStatus;

use crate::cli::Context;

pub fn run(ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
    let shown = roster::overview(session)?;
    let roster = &shown.roster;
    if ctx.json {
        ctx.print_json(roster)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "roster version {} signed {} by organisation key {}, {} {}",
        roster.version,
        local_datetime(roster.issued_at),
        roster.org_key.fingerprint(),
        if shown.expired { "EXPIRED on" } else { "valid until" },
        local_datetime(roster.expires_at())
    )?;
    writeln!(out, "units: {}", roster.units.join(", "))?;
    for m in &roster.members {
        writeln!(out, "{}", describe_member(m))?;
        for d in &m.devices {
            let state = match d.status {
                DeviceStatus::Active => "active".to_owned(),
                DeviceStatus::Revoked { trusted_through_seq, .. } => {
                    format!("revoked (its notes up to number {trusted_through_seq} stay trusted)")
                }
            };
            let (device, fingerprint) = (short(d.device_id.as_str()), d.signing_key.fingerprint());
            writeln!(out, "    device {device}  fingerprint {fingerprint}  {state}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
