//! `visitnotes admin ...`

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_shared::roster::{DeviceStatus, Role};
use visitnotes_shared::{DeviceId, UserId};

use crate::ops::admin::{self, Verdict};

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Create an invite; its code is the last line printed.
    Invite {
        #[arg(long, value_parser = super::choices::choices::<Role>(&super::choices::ROLES))]
        role: Role,
        #[arg(long)]
        name: String,
        /// Days until it expires (default: the server's, 7).
        #[arg(long)]
        days: Option<u32>,
    },
    /// List devices waiting for approval, with their fingerprints.
    Pending,
    /// Check pending enrolments and add them to the roster.
    Approve {
        /// Approve every enrolment whose MAC verifies, without asking.
        #[arg(long)]
        all: bool,
        /// Approve only these devices.
        devices: Vec<DeviceId>,
    },
    /// Revoke a lost device.
    Revoke { device: DeviceId },
    /// Remove a person and all their devices.
    Remove { user: UserId },
    /// Show the roster.
    Roster,
    /// Show the server's audit log.
    Audit,
    /// Re-encrypt the server's notes to the current readers (after removing one); on a coordinator's device.
    Rewrap,
    /// Replace the organisation's list of units.
    Units { units: Vec<String> },
    /// Write the organisation key, encrypted under a new passphrase, to a file.
    ExportOrgKey {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Read an exported organisation key onto this administrator's device.
    ImportOrgKey { file: PathBuf },
}

/// The passphrase of an exported organisation key file.
const EXPORT_ENV: &str = "VISITNOTES_EXPORT_PASSPHRASE";

fn export_passphrase(confirm: bool) -> anyhow::Result<age::secrecy::SecretString> {
    if let Ok(p) = std::env::var(EXPORT_ENV) {
        return Ok(p.into());
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        anyhow::bail!("set {EXPORT_ENV} or run in a terminal to give the export passphrase");
    }
    let first = rpassword::prompt_password("Passphrase for the exported key: ")?;
    if confirm && rpassword::prompt_password("Repeat it: ")? != first {
        return Err(crate::ClientError::PassphraseMismatch.into());
    }
    Ok(first.into())
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        let mut session = ctx.unlock()?;
        let mut out = std::io::stdout().lock();
        match self {
            Cmd::Invite { role, name, days } => {
                let (invite, created) = admin::invite(&session, role, &name, days)?;
                if ctx.json {
                    ctx.print_json(&json!({ "user_id": created.user_id, "expires_at": created.expires_at, "invite": invite.encode() }))?;
                } else {
                    writeln!(
                        out,
                        "Invite for {name} as {role}, valid until {} (unix time), usable once.",
                        created.expires_at
                    )?;
                    writeln!(
                        out,
                        "Give it over a channel you trust; they run: visitnotes enroll INVITE --name \"{name}\""
                    )?;
                    writeln!(out, "{}", invite.encode())?;
                }
            }
            Cmd::Pending => {
                let candidates = admin::pending(&session)?;
                if ctx.json {
                    ctx.print_json(&candidates)?;
                } else {
                    for c in &candidates {
                        writeln!(
                            out,
                            "{}  {:<20} {:<12} {}  {:?}",
                            c.enrolment.device_id,
                            c.enrolment.name,
                            c.role.map(|r| r.to_string()).unwrap_or_default(),
                            c.fingerprint,
                            c.verdict
                        )?;
                    }
                    writeln!(out, "{} pending", candidates.len())?;
                }
            }
            Cmd::Approve { all, devices } => {
                let candidates = admin::pending(&session)?;
                let mut chosen = Vec::new();
                for c in candidates {
                    let wanted = all || devices.contains(&c.enrolment.device_id);
                    if c.verdict == Verdict::Tampered {
                        eprintln!("WARNING: device {} ({}) REFUSED: its keys do not match what the invited device sent (enrolment MAC fails). Do not approve it; issue a new invite.", c.enrolment.device_id, c.enrolment.name);
                        continue;
                    }
                    if c.verdict == Verdict::UnknownInvite {
                        if wanted || !ctx.json {
                            eprintln!(
                                "skipped device {} ({}): its invite was made on another device, which must approve it",
                                c.enrolment.device_id, c.enrolment.name
                            );
                        }
                        continue;
                    }
                    let confirmed = wanted
                        || (!all
                            && devices.is_empty()
                            && ask(&format!(
                                "Approve {} as {} with fingerprint {}? Compare it with theirs. [y/N] ",
                                c.enrolment.name,
                                c.role.map(|r| r.to_string()).unwrap_or_default(),
                                c.fingerprint
                            ))?);
                    if confirmed {
                        chosen.push(c);
                    }
                }
                if chosen.is_empty() {
                    if ctx.json {
                        ctx.print_json(&json!({ "approved": [] }))?;
                    } else {
                        writeln!(out, "nothing approved")?;
                    }
                    return Ok(ExitCode::SUCCESS);
                }
                let roster = admin::approve(&session, &chosen)?;
                if ctx.json {
                    ctx.print_json(&json!({ "roster_version": roster.version, "approved": chosen.iter().map(|c| &c.enrolment.device_id).collect::<Vec<_>>() }))?;
                } else {
                    for c in &chosen {
                        writeln!(
                            out,
                            "approved {} ({}), fingerprint {}",
                            c.enrolment.name, c.enrolment.device_id, c.fingerprint
                        )?;
                    }
                    writeln!(out, "published roster version {}", roster.version)?;
                }
            }
            Cmd::Revoke { device } => {
                let roster = admin::revoke(&session, &device)?;
                if ctx.json {
                    ctx.print_json(&json!({ "revoked": device, "roster_version": roster.version }))?;
                } else {
                    writeln!(out, "device {device} revoked; roster version {}", roster.version)?;
                }
            }
            Cmd::Remove { user } => {
                let roster = admin::remove(&session, &user)?;
                if ctx.json {
                    ctx.print_json(&json!({ "removed": user, "roster_version": roster.version }))?;
                    return Ok(ExitCode::SUCCESS);
                }
                writeln!(out, "user {user} removed; roster version {}. Run `visitnotes admin rewrap` on a coordinator's device so their key no longer opens stored notes", roster.version)?;
            }
            Cmd::Rewrap => {
                let report = crate::ops::rewrap::rewrap_all(&session)?;
                // Why each refused note was refused, in words, from the alerts it left.
                let refusals: Vec<_> =
                    crate::ops::alerts::open(&session)?.into_iter().filter(|a| a.kind == "rewrap").collect();
                if ctx.json {
                    ctx.print_json(&json!({ "rewrapped": report.rewrapped, "roster_version": report.roster_version,
                        "not_readable": report.not_readable, "refused": report.refused, "refusals": refusals }))?;
                } else {
                    writeln!(
                        out,
                        "rewrapped {} notes to the readers of roster version {}; {} not readable here; {} refused",
                        report.rewrapped, report.roster_version, report.not_readable, report.refused
                    )?;
                    if report.not_readable > 0 {
                        writeln!(out, "  {} notes are not encrypted to this device: another coordinator who can read them must run `visitnotes admin rewrap` too", report.not_readable)?;
                    }
                    super::alerts::warn(ctx, &refusals);
                }
                if report.refused > 0 {
                    return Ok(ExitCode::from(super::EXIT_WARNINGS));
                }
            }
            Cmd::Units { units } => {
                let roster = admin::set_units(&session, units)?;
                if ctx.json {
                    ctx.print_json(&json!({ "units": roster.units, "roster_version": roster.version }))?;
                } else {
                    writeln!(out, "units: {}; roster version {}", roster.units.join(", "), roster.version)?;
                }
            }
            Cmd::Roster => {
                let roster = crate::ops::roster::refresh(&session)?;
                if ctx.json {
                    ctx.print_json(&roster)?;
                } else {
                    writeln!(
                        out,
                        "roster version {} signed by organisation key {}",
                        roster.version,
                        roster.org_key.fingerprint()
                    )?;
                    writeln!(out, "units: {}", roster.units.join(", "))?;
                    for m in &roster.members {
                        let roles: Vec<String> = m.roles.iter().map(|r| r.to_string()).collect();
                        writeln!(out, "{} {:<20} {:<20} {:?}", m.user_id, m.name, roles.join(","), m.status)?;
                        for d in &m.devices {
                            let state = match d.status {
                                DeviceStatus::Active => "active".to_owned(),
                                DeviceStatus::Revoked { trusted_through_seq, .. } => {
                                    format!("revoked (trusted through #{trusted_through_seq})")
                                }
                            };
                            writeln!(out, "    device {} {} {}", d.device_id, d.signing_key.fingerprint(), state)?;
                        }
                    }
                }
            }
            Cmd::Audit => {
                let entries = session.api()?.audit(&session.secrets.device, 0)?;
                if ctx.json {
                    ctx.print_json(&entries)?;
                } else {
                    for e in &entries {
                        writeln!(
                            out,
                            "{:>6} {} {:<9} {} {}",
                            e.seq,
                            e.at,
                            e.action,
                            e.actor.as_deref().unwrap_or("server"),
                            e.subject
                        )?;
                    }
                }
            }
            Cmd::ExportOrgKey { out: path } => {
                let passphrase = export_passphrase(true)?;
                admin::export_org_key(&session, &path, &passphrase)?;
                if ctx.json {
                    ctx.print_json(&json!({ "written": path }))?;
                } else {
                    writeln!(out, "organisation key written to {} (encrypted)", path.display())?;
                }
            }
            Cmd::ImportOrgKey { file } => {
                let passphrase = export_passphrase(false)?;
                admin::import_org_key(&mut session, &file, &passphrase)?;
                if ctx.json {
                    ctx.print_json(&json!({ "imported": true }))?;
                } else {
                    writeln!(out, "organisation key imported")?;
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn ask(question: &str) -> anyhow::Result<bool> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        anyhow::bail!("approving needs a terminal to confirm, or --all, or the device ids");
    }
    let mut out = std::io::stdout().lock();
    write!(out, "{question}")?;
    out.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
