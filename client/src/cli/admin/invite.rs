//! `visitnotes admin invite`: a new member, or another device of one.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::display::local_datetime;
use visitnotes_core::ops::admin;
use visitnotes_core::profile::Session;
use visitnotes_shared::roster::Role;

use crate::cli::{choices, Context};

#[derive(clap::Args)]
pub struct Cmd {
    /// The new member's role.
    #[arg(
        long,
        required_unless_present = "device_for",
        conflicts_with = "device_for",
        value_parser = choices::choice(&choices::ROLES)
    )]
    role: Option<Role>,
    /// The new member's name, as others will see it.
    #[arg(long, required_unless_present = "device_for", conflicts_with = "device_for")]
    name: Option<String>,
    /// Invite another device (a new phone) for this existing member, by name or id prefix.
    #[arg(long, value_name = "PERSON")]
    device_for: Option<String>,
    /// Days until it expires (default: the server's, 7).
    #[arg(long)]
    days: Option<u32>,
}

impl Cmd {
    pub fn run(self, ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
        let (invite, created, name, role) = match (self.device_for, self.role, self.name) {
            (Some(person), _, _) => admin::invite_device(session, &person, self.days)?,
            (None, Some(role), Some(name)) => {
                let (invite, created) = admin::invite(session, role, &name, self.days)?;
                (invite, created, name, role)
            }
            _ => anyhow::bail!("give --role and --name for a new member, or --device-for PERSON"),
        };
        if ctx.json {
            ctx.print_json(
                &json!({ "user_id": created.user_id, "expires_at": created.expires_at, "invite": invite.encode() }),
            )?;
        } else {
            let mut out = std::io::stdout().lock();
            let until = local_datetime(created.expires_at);
            writeln!(out, "Invite for {name} as {role}, valid until {until}, usable once.")?;
            writeln!(out, "Give it over a channel you trust; they run: visitnotes enroll INVITE --name \"{name}\"")?;
            writeln!(out, "{}", invite.encode())?;
        }
        Ok(ExitCode::SUCCESS)
    }
}
