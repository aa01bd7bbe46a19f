//! `visitnotes admin ...`

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_shared::roster::{DeviceStatus, Role};
use visitnotes_shared::DeviceId;

use visitnotes_core::display::{local_datetime, short};
use visitnotes_core::ops::admin::{self, UnitsEdit, Verdict};
use visitnotes_core::ops::org_key;
use visitnotes_core::ops::resolve::describe_member;
use visitnotes_core::profile::Session;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Create an invite; its code is the last line printed.
    Invite {
        /// The new member's role.
        #[arg(
            long,
            required_unless_present = "device_for",
            conflicts_with = "device_for",
            value_parser = super::choices::choice(&super::choices::ROLES)
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
    /// Delete a pending enrolment that will not be approved (its invite stays used).
    Reject {
        /// The device: its name or the start of its id, as `admin pending` shows them.
        device: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Revoke a lost device; the notes it sent before stay trusted.
    Revoke {
        /// The device: the start of its id, or the name of a person with one active device.
        device: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Remove a person and all their devices.
    Remove {
        /// The person: their name or the start of their id.
        person: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Show the roster.
    Roster,
    /// Show the server's audit log; with --verify, check it against the signed checkpoints.
    Audit {
        /// Recompute the chain from the first entry and compare it with the checkpoint this device signed
        /// last and the server's newest; exit 3 if entries were removed or rewritten.
        #[arg(long)]
        verify: bool,
    },
    /// Re-encrypt the server's notes to the current readers (after removing one); on a coordinator's device.
    Rewrap,
    /// Show, add, remove or replace the organisation's units.
    Units(UnitsCmd),
    /// Write the organisation key, encrypted under a new passphrase, to a file;
    /// or, with --shares and --threshold, split it into shares to print.
    #[command(after_help = "Examples:
  visitnotes admin export-org-key --shares 5 --threshold 3 --out ~/org-key-shares
      writes share-1-of-5.txt ... share-5-of-5.txt (and a QR code .svg each): print each,
      hand them to 5 different people; any 3 rebuild the key (`admin recover-org-key`)
  visitnotes admin export-org-key --out org-key.age
      one file, encrypted under a passphrase you choose (`admin import-org-key`)")]
    ExportOrgKey {
        /// The file to write; with --shares, the directory for the share files.
        #[arg(long, value_name = "FILE|DIR")]
        out: PathBuf,
        /// Overwrite FILE if it exists (shares are never overwritten).
        #[arg(long, conflicts_with = "shares")]
        force: bool,
        /// Split the key into this many shares (2 to 255), each a printable text file with a QR code.
        #[arg(long, value_name = "N", requires = "threshold", value_parser = clap::value_parser!(u8).range(2..))]
        shares: Option<u8>,
        /// How many shares rebuild the key (2 to N).
        #[arg(long, value_name = "K", requires = "shares", value_parser = clap::value_parser!(u8).range(2..))]
        threshold: Option<u8>,
    },
    /// Read an exported organisation key onto this administrator's device.
    ImportOrgKey { file: PathBuf },
    /// Rebuild the organisation key on this device from shares (files, or codes in quotes); its member becomes an administrator.
    RecoverOrgKey {
        /// Share files (share-N-of-M.txt) or share codes (VNS1-...); as many as the threshold.
        #[arg(required = true, value_name = "SHARE")]
        shares: Vec<String>,
    },
}

/// `admin units`: without arguments, the list; `add`, `remove`, or the
/// whole new list.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct UnitsCmd {
    #[command(subcommand)]
    action: Option<UnitsAction>,
    /// The whole new list of units (replaces the current one).
    units: Vec<String>,
    /// Do not ask for confirmation.
    #[arg(long, global = true)]
    yes: bool,
}

#[derive(clap::Subcommand)]
pub enum UnitsAction {
    /// Add a unit.
    Add { unit: String },
    /// Retire a unit: no longer offered for new notes; notes that name it keep it.
    Remove { unit: String },
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
        return Err(visitnotes_core::ClientError::PassphraseMismatch.into());
    }
    Ok(first.into())
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        let mut session = ctx.unlock()?;
        let mut out = std::io::stdout().lock();
        // First what the server says that no signed roster says, to check
        // (a revocation an earlier command left half done, or a server
        // lying): warned about, never signed. (Not for the organisation
        // key's export and import: they work on this device alone, also
        // offline.)
        if !matches!(self, Cmd::ExportOrgKey { .. } | Cmd::ImportOrgKey { .. } | Cmd::RecoverOrgKey { .. }) {
            warn_claims(&admin::claims(&session)?)?;
            org_key_upkeep(&mut session, self.changes())?;
        }
        match self {
            Cmd::Invite { role, name, days, device_for } => {
                let (invite, created, name, role) = match (device_for, role, name) {
                    (Some(person), _, _) => admin::invite_device(&session, &person, days)?,
                    (None, Some(role), Some(name)) => {
                        let (invite, created) = admin::invite(&session, role, &name, days)?;
                        (invite, created, name, role)
                    }
                    _ => anyhow::bail!("give --role and --name for a new member, or --device-for PERSON"),
                };
                if ctx.json {
                    ctx.print_json(&json!({ "user_id": created.user_id, "expires_at": created.expires_at, "invite": invite.encode() }))?;
                } else {
                    writeln!(
                        out,
                        "Invite for {name} as {role}, valid until {}, usable once.",
                        local_datetime(created.expires_at)
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
                }
            }
            Cmd::Approve { all, devices } => return approve(ctx, &session, &mut out, all, &devices),
            Cmd::Reject { device, yes } => {
                let plan_text = format!("This deletes the pending enrolment \"{device}\": it can no longer be approved, they will need a new invite.");
                if !confirm(ctx, yes, &plan_text, "Reject it?")? {
                    writeln!(out, "nothing rejected")?;
                    return Ok(ExitCode::SUCCESS);
                }
                let rejected = admin::reject(&session, &device)?;
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
            }
            Cmd::Revoke { device, yes } => {
                let plan = admin::plan_revoke(&session, &device)?;
                let label = if plan.device_name.is_empty() || plan.device_name == plan.person {
                    String::new()
                } else {
                    format!(" \"{}\"", plan.device_name)
                };
                let enrolled =
                    plan.enrolled_at.map(|at| format!(", enrolled {}", local_datetime(at))).unwrap_or_default();
                let last = revoke_trust_text(&plan);
                let warn = if plan.last_device {
                    format!("\n{} will have no active device left: invite a new one with `visitnotes admin invite --device-for \"{}\"`.", plan.person, plan.person)
                } else {
                    String::new()
                };
                let plan_text = format!(
                    "This signs a roster that revokes {}'s device{label} {}{enrolled}: the server refuses it from now on, and {last}.{warn}",
                    plan.person,
                    short(plan.device_id.as_str())
                );
                if !confirm(ctx, yes, &plan_text, "Revoke it?")? {
                    writeln!(out, "nothing revoked")?;
                    return Ok(ExitCode::SUCCESS);
                }
                let roster = admin::revoke(&session, &plan)?;
                if ctx.json {
                    ctx.print_json(&json!({ "revoked": plan.device_id, "person": plan.person, "trusted_through_seq": plan.trusted.seq, "trusted": plan.trusted, "server_last_seq": plan.server_last_seq, "roster_version": roster.version }))?;
                } else {
                    writeln!(
                        out,
                        "{}'s device {} is revoked; published roster version {}",
                        plan.person,
                        short(plan.device_id.as_str()),
                        roster.version
                    )?;
                }
            }
            Cmd::Remove { person, yes } => {
                let plan = admin::plan_remove(&session, &person)?;
                let roles: Vec<String> = plan.roles.iter().map(|r| r.to_string()).collect();
                let plan_text = format!(
                    "This signs a roster that removes {} ({}) and revokes their {} active device(s); notes they sent before stay trusted.",
                    plan.person,
                    roles.join(" and "),
                    plan.devices
                );
                if !confirm(ctx, yes, &plan_text, "Remove them?")? {
                    writeln!(out, "nobody removed")?;
                    return Ok(ExitCode::SUCCESS);
                }
                let roster = admin::remove(&session, &plan)?;
                if ctx.json {
                    ctx.print_json(
                        &json!({ "removed": plan.user_id, "person": plan.person, "roster_version": roster.version }),
                    )?;
                    return Ok(ExitCode::SUCCESS);
                }
                writeln!(out, "{} removed; published roster version {}. Run `visitnotes admin rewrap` on a coordinator's device so their key no longer opens stored notes", plan.person, roster.version)?;
            }
            Cmd::Rewrap => {
                let report = visitnotes_core::ops::rewrap::rewrap_all(&session)?;
                // Why each refused note was refused, in words, from the alerts it left.
                let refusals: Vec<_> =
                    visitnotes_core::ops::alerts::open(&session)?.into_iter().filter(|a| a.kind == "rewrap").collect();
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
            Cmd::Units(cmd) => return cmd.run(ctx, &session, &mut out),
            Cmd::Roster => {
                let roster = visitnotes_core::ops::roster::in_force(&session)?;
                if ctx.json {
                    ctx.print_json(&roster)?;
                } else {
                    writeln!(
                        out,
                        "roster version {} signed {} by organisation key {}, {} {}",
                        roster.version,
                        local_datetime(roster.issued_at),
                        roster.org_key.fingerprint(),
                        if roster.is_expired(visitnotes_core::ops::roster::now()) {
                            "EXPIRED on"
                        } else {
                            "valid until"
                        },
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
                            writeln!(
                                out,
                                "    device {}  fingerprint {}  {state}",
                                short(d.device_id.as_str()),
                                d.signing_key.fingerprint()
                            )?;
                        }
                    }
                }
            }
            Cmd::Audit { verify: true } => {
                let found = visitnotes_core::ops::audit::verify(&session)?;
                if ctx.json {
                    ctx.print_json(&found)?;
                } else {
                    for line in &found.findings {
                        writeln!(out, "{line}")?;
                    }
                    writeln!(
                        out,
                        "{}",
                        if found.broken {
                            "The audit log is BROKEN: tell the server's operator; `visitnotes alerts` keeps the warning until it is intact again."
                        } else {
                            "The audit log is intact."
                        }
                    )?;
                }
                if found.broken {
                    return Ok(ExitCode::from(super::EXIT_WARNINGS));
                }
            }
            Cmd::Audit { verify: false } => {
                let entries = session.api()?.audit(&session.secrets.device, 0)?;
                if ctx.json {
                    ctx.print_json(&entries)?;
                } else {
                    let roster = session.roster().ok();
                    let words = |text: &str| {
                        roster.as_ref().map_or(text.to_owned(), |r| visitnotes_core::ops::audit::names_for_ids(r, text))
                    };
                    for e in &entries {
                        writeln!(
                            out,
                            "{:>6} {} {:<9} {:<28} {}",
                            e.seq,
                            local_datetime(e.at),
                            e.action,
                            e.actor.as_deref().map_or("server".to_owned(), words),
                            words(&e.subject)
                        )?;
                    }
                }
            }
            Cmd::ExportOrgKey { out: dir, shares: Some(count), threshold: Some(threshold), .. } => {
                let exported = org_key::export_shares(&session, count, threshold, &dir)?;
                if ctx.json {
                    ctx.print_json(&exported)?;
                } else {
                    writeln!(
                        out,
                        "The organisation key (fingerprint {}) is split into {count} shares; any {threshold} rebuild it:",
                        exported.fingerprint
                    )?;
                    for file in &exported.files {
                        writeln!(out, "  {} (and its QR code, .svg)", file.display())?;
                    }
                    writeln!(out, "Print each share, hand them to {count} different people to keep apart, then delete these files and empty the bin: with {threshold} of them anyone can sign a list of members.")?;
                }
                if let Some(mode) = exported.folder_open_to_others {
                    eprintln!(
                        "WARNING: other users of this computer may open {} (mode {mode:o}); it was left as it is. The share files in it are readable by you only; delete them once printed.",
                        dir.display()
                    );
                }
            }
            Cmd::ExportOrgKey { out: path, force, .. } => {
                if path.exists() && !force {
                    anyhow::bail!(
                        "{} exists already and was left as it is: choose another file, or add --force to overwrite it",
                        path.display()
                    );
                }
                let passphrase = export_passphrase(true)?;
                admin::export_org_key(&session, &path, &passphrase)?;
                if ctx.json {
                    ctx.print_json(&json!({ "written": path }))?;
                } else {
                    writeln!(out, "organisation key written to {} (encrypted)", path.display())?;
                }
            }
            Cmd::RecoverOrgKey { shares } => {
                let recovered = org_key::recover(&mut session, &shares)?;
                if ctx.json {
                    ctx.print_json(&recovered)?;
                } else if recovered.already_held {
                    writeln!(out, "the {} shares rebuild the organisation key (fingerprint {}), which this device holds already: nothing changed", recovered.shares_used, recovered.fingerprint)?;
                } else {
                    writeln!(out, "organisation key rebuilt from {} shares and kept on this device (fingerprint {}): this device can sign the list of members again", recovered.shares_used, recovered.fingerprint)?;
                }
                if let Some((name, version)) = &recovered.made_admin {
                    if !ctx.json {
                        writeln!(out, "{name} is an administrator now (published roster version {version}). Next: invite a new device for each administrator whose device was lost (`visitnotes admin invite --device-for NAME`), approve it, and revoke the lost one (`visitnotes admin revoke`)")?;
                    }
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

impl Cmd {
    /// Whether this command changes something on the server (or may: a
    /// revocation, a removal, a units edit, each after its confirmation).
    /// The ones that only read (`pending`, `roster`, `audit`, the units
    /// listed) sign and upload nothing.
    fn changes(&self) -> bool {
        match self {
            Cmd::Pending | Cmd::Roster | Cmd::Audit { .. } => false,
            Cmd::Units(units) => units.action.is_some() || !units.units.is_empty(),
            _ => true,
        }
    }
}

/// What the server says that no signed roster says, one WARNING each on
/// stderr (under --json too), naming who and what to do. Nothing of it is
/// signed: the administrator checks, and finishes a change they made
/// themselves by running it again (with its usual checks and question).
pub fn warn_claims(claims: &[admin::Claim]) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    for claim in claims {
        writeln!(err, "WARNING: {}", claim_words(claim))?;
    }
    Ok(())
}

/// One claim of the server, in words: what it says, that no signed roster
/// says it, and what to do.
pub fn claim_words(claim: &admin::Claim) -> String {
    const UNSIGNED: &str = "but no list of members signed by the organisation says so, and nothing was signed";
    const IF_NOBODY: &str =
        "If nobody did, the server is not telling the truth: do not sign it, and tell the server's operator.";
    match claim {
        admin::Claim::Removed { person, .. } => format!(
            "the server says {person} was removed, {UNSIGNED}. If an administrator removed them and the list was \
             not published, finish it: `visitnotes admin remove \"{person}\"` (it shows what it signs and asks \
             first). {IF_NOBODY}"
        ),
        admin::Claim::Revoked { person, device_id } => format!(
            "the server says {person}'s device {} was revoked, {UNSIGNED}. If an administrator revoked it and the \
             list was not published, finish it: `visitnotes admin revoke {}` (it shows what it signs and asks \
             first). {IF_NOBODY}",
            short(device_id.as_str()),
            short(device_id.as_str())
        ),
        admin::Claim::RosterBehind { served, held } => format!(
            "the server serves version {served} of the list of members, older than version {held} on this device \
             (restored from an older backup, or holding the newer one back); nothing was published. `visitnotes \
             sync` here publishes version {held} again, unchanged."
        ),
    }
}

/// Before an `admin` command: picks up the organisation key sealed to this
/// device; before one that `changes` something, hands it to
/// administrators' devices that lack it; and reminds once while it is on
/// this device only. Said on stderr (under --json too).
fn org_key_upkeep(session: &mut Session, changes: bool) -> anyhow::Result<()> {
    let mut err = std::io::stderr();
    match org_key::pick_up(session)? {
        Some(org_key::PickUp::Received { fingerprint, from }) => writeln!(
            err,
            "note: the organisation key (fingerprint {fingerprint}) handed over by {from} is on this device now: it can sign the list of members."
        )?,
        Some(org_key::PickUp::Refused { why }) => writeln!(
            err,
            "WARNING: the organisation key the server handed over was refused, {why}. It was not kept; tell another administrator (`visitnotes alerts` keeps this warning)."
        )?,
        None => {}
    }
    let Ok(roster) = session.roster() else { return Ok(()) };
    if changes {
        for to in org_key::grant_missing(session, &roster)? {
            writeln!(err, "note: the organisation key was sealed to {to} (an administrator's), for it to pick up.")?;
        }
    }
    if let Some(text) = org_key::reminder(session, &roster)? {
        writeln!(err, "note: {text}.")?;
    }
    Ok(())
}

impl UnitsCmd {
    fn run(self, ctx: &super::Context, session: &Session, out: &mut impl Write) -> anyhow::Result<ExitCode> {
        let edit = match (self.action, self.units) {
            (Some(UnitsAction::Add { unit }), _) => UnitsEdit::Add(unit),
            (Some(UnitsAction::Remove { unit }), _) => UnitsEdit::Remove(unit),
            (None, units) if !units.is_empty() => UnitsEdit::Replace(units),
            (None, _) => {
                let roster = visitnotes_core::ops::roster::in_force(session)?;
                if ctx.json {
                    ctx.print_json(&json!({ "units": roster.units, "roster_version": roster.version }))?;
                } else {
                    writeln!(out, "units: {}", roster.units.join(", "))?;
                }
                return Ok(ExitCode::SUCCESS);
            }
        };
        let plan = admin::plan_units(session, edit)?;
        if plan.added.is_empty() && plan.removed.is_empty() {
            writeln!(out, "the units are already {}: nothing to publish", plan.after.join(", "))?;
            return Ok(ExitCode::SUCCESS);
        }
        let mut change = Vec::new();
        if !plan.added.is_empty() {
            change.push(format!("adds {}", plan.added.join(", ")));
        }
        if !plan.removed.is_empty() {
            change.push(format!(
                "retires {} (no longer offered for new notes; notes that name it keep it)",
                plan.removed.join(", ")
            ));
        }
        let plan_text =
            format!("This signs a roster that {}. The units will be: {}.", change.join(" and "), plan.after.join(", "));
        if !confirm(ctx, self.yes, &plan_text, "Publish it?")? {
            writeln!(out, "nothing published; the units stay as they were")?;
            return Ok(ExitCode::SUCCESS);
        }
        let roster = admin::set_units(session, &plan)?;
        if ctx.json {
            ctx.print_json(&json!({ "units": roster.units, "added": plan.added, "removed": plan.removed, "roster_version": roster.version }))?;
        } else {
            writeln!(
                out,
                "units: {}; {}; published roster version {}",
                roster.units.join(", "),
                change.join(" and "),
                roster.version
            )?;
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// Approves pending enrolments; exits 3 when it refused one whose MAC fails.
fn approve(
    ctx: &super::Context,
    session: &Session,
    out: &mut impl Write,
    all: bool,
    devices: &[DeviceId],
) -> anyhow::Result<ExitCode> {
    let candidates = admin::pending(session)?;
    let mut chosen = Vec::new();
    let mut refused = false;
    for c in candidates {
        let wanted = all || devices.contains(&c.enrolment.device_id);
        if c.verdict == Verdict::Tampered {
            refused = true;
            writeln!(std::io::stderr(), "WARNING: {} (device {}) REFUSED: its keys do not match what the invited device sent (enrolment MAC fails): someone may have changed them on the way. Do not approve it: run `visitnotes admin reject {}` and issue a new invite.", c.enrolment.name, short(c.enrolment.device_id.as_str()), short(c.enrolment.device_id.as_str()))?;
            continue;
        }
        if c.verdict == Verdict::UnknownInvite {
            if wanted || !ctx.json {
                writeln!(
                    std::io::stderr(),
                    "skipped {} (device {}): their invite was made on another administrator's device, which must approve it",
                    c.enrolment.name,
                    short(c.enrolment.device_id.as_str())
                )?;
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
    let code = if refused { ExitCode::from(super::EXIT_WARNINGS) } else { ExitCode::SUCCESS };
    if chosen.is_empty() {
        if ctx.json {
            ctx.print_json(&json!({ "approved": [] }))?;
        } else {
            writeln!(out, "nothing approved")?;
        }
        return Ok(code);
    }
    let roster = admin::approve(session, &chosen)?;
    // An administrator approved: the organisation key goes to their device.
    let granted = match org_key::grant_missing(session, &roster) {
        Ok(granted) => granted,
        Err(e) => {
            writeln!(std::io::stderr(), "note: the organisation key could not be handed to the new administrator's device yet ({e}); the next `visitnotes admin` command here tries again.")?;
            Vec::new()
        }
    };
    for to in &granted {
        writeln!(std::io::stderr(), "note: the organisation key was sealed to {to} (an administrator's), for it to pick up: their next `visitnotes sync` takes it.")?;
    }
    if ctx.json {
        ctx.print_json(&json!({ "roster_version": roster.version, "approved": chosen.iter().map(|c| &c.enrolment.device_id).collect::<Vec<_>>(), "refused": refused }))?;
    } else {
        for c in &chosen {
            writeln!(
                out,
                "approved {} (device {}), fingerprint {}",
                c.enrolment.name,
                short(c.enrolment.device_id.as_str()),
                c.fingerprint
            )?;
        }
        writeln!(out, "published roster version {}", roster.version)?;
    }
    Ok(code)
}

fn verdict_words(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Genuine => "keys check out",
        Verdict::UnknownInvite => "invited from another administrator's device",
        Verdict::Tampered => "KEYS CHANGED ON THE WAY: reject it",
    }
}

/// Prints what will be signed (on stderr under --json), then asks
/// `question` on the terminal; `yes` answers it. Without a terminal (a
/// script) it refuses, naming --yes, rather than guess.
fn confirm(ctx: &super::Context, yes: bool, plan: &str, question: &str) -> anyhow::Result<bool> {
    if ctx.json {
        writeln!(std::io::stderr(), "{plan}")?;
    } else {
        writeln!(std::io::stdout(), "{plan}")?;
    }
    if yes {
        return Ok(true);
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        anyhow::bail!(
            "this needs a confirmation and there is no terminal to ask it on; nothing was changed. Run it in a terminal, or add --yes"
        );
    }
    ask(&format!("{question} [y/N] "))
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

/// What a revocation trusts, in words: the number, what proves it and its
/// date, and what the server claimed beyond it.
fn revoke_trust_text(plan: &admin::RevokePlan) -> String {
    use visitnotes_core::ops::heads::EvidenceSource;
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
