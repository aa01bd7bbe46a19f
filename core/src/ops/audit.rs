//! Checkpoints of the server's audit log, on administrators' devices.
//!
//! Each administrator's sync checks the log's new entries against the
//! checkpoint this device signed last (the entry it covers must still have
//! the hash it signed, and the new entries must chain on from it), then
//! signs the new head and stores the checkpoint on the server and here.
//! `visitnotes admin audit --verify` checks the whole log from its first
//! entry against this device's checkpoint and the server's newest one.
//!
//! The copy kept here is what makes it hold against the server's operator:
//! dropping the server's checkpoints (or the whole log's tail) does not
//! change what this device signed. A log found broken is an alert (kind
//! `audit`) until a check finds it intact again, and no checkpoint is
//! signed over it meanwhile: that would bless the rewritten log.

use serde::Serialize;
use visitnotes_shared::api::AuditEntry;
use visitnotes_shared::audit::{Chain, Checkpoint, Coverage};
use visitnotes_shared::roster::{DeviceStatus, Role};
use visitnotes_shared::Roster;

use crate::display::{local_datetime, short};
use crate::error::ClientError;
use crate::profile::Session;
use crate::store::StoreError;

/// Where this device keeps its newest checkpoint (the store's meta table).
const LOCAL: &str = "audit_checkpoint";
const PAGE: u32 = 10_000;

/// Whether this device is an active administrator's in `roster`.
pub fn is_admin(session: &Session, roster: &Roster) -> bool {
    roster
        .device(&session.config.device_id)
        .is_some_and(|(m, d)| m.roles.contains(&Role::Admin) && d.status == DeviceStatus::Active)
}

/// The checkpoint this device signed last.
pub fn local_checkpoint(session: &Session) -> Result<Option<Checkpoint>, ClientError> {
    let Some(json) = session.store.meta(LOCAL)? else { return Ok(None) };
    Ok(Some(serde_json::from_str(&json).map_err(StoreError::unreadable("this device's audit checkpoint"))?))
}

/// The log's entries after entry `since`, every page.
fn entries_after(session: &Session, since: u64) -> Result<Vec<AuditEntry>, ClientError> {
    let mut out: Vec<AuditEntry> = Vec::new();
    loop {
        let after = out.last().map_or(since, |e| e.seq);
        let page = session.api()?.audit_page(&session.secrets.device, after, PAGE)?;
        let full = page.len() == PAGE as usize;
        // A page that does not go forward would loop for ever: stop.
        if page.first().is_some_and(|e| e.seq <= after) {
            out.extend(page);
            break;
        }
        out.extend(page);
        if !full {
            break;
        }
    }
    Ok(out)
}

/// How `entries` compare with `checkpoint`: the entry it covers is among
/// them (or the log ends before it).
fn coverage(checkpoint: &Checkpoint, entries: &[AuditEntry], first: u64) -> Coverage {
    let have = entries.last().map_or(first.saturating_sub(1), |e| e.seq);
    let found = entries.iter().find(|e| e.seq == checkpoint.entries).map(|e| e.hash.as_str());
    checkpoint.compare(have, found)
}

/// On an administrator's sync: checks what the log gained since this
/// device's last checkpoint, and signs a checkpoint of its new head.
/// Returns the number of entries signed; `None` when the log is broken (an
/// alert says how) or has no entries.
pub fn checkpoint(session: &Session, roster: &Roster) -> Result<Option<u64>, ClientError> {
    let local = local_checkpoint(session)?;
    let chain = match &local {
        None => {
            let entries = entries_after(session, 0)?;
            walk(Chain::new(), &entries)
        }
        Some(c) => {
            let entries = entries_after(session, c.entries - 1)?;
            match coverage(c, &entries, c.entries) {
                Coverage::Matches => {
                    let tail: Vec<_> = entries.into_iter().filter(|e| e.seq > c.entries).collect();
                    walk(Chain::after(c.entries, &c.head), &tail)
                }
                // Counted again over the whole log, to say how much is gone.
                _ => {
                    let all = entries_after(session, 0)?;
                    Err(describe(c, &this_device(session), &coverage(c, &all, 1)))
                }
            }
        }
    };
    let chain = match chain {
        Ok(chain) => chain,
        Err(why) => {
            session.store.alert("audit", "", &why)?;
            return Ok(None);
        }
    };
    session.store.resolve_alerts("audit", "")?;
    if chain.entries() == 0 || local.as_ref().is_some_and(|c| c.entries == chain.entries()) {
        return Ok(None);
    }
    let signed =
        Checkpoint::sign(chain.entries(), chain.head(), super::roster::now(), roster.version, &session.secrets.device);
    // Kept here first: it is what this device checked, whatever the server
    // does with it.
    session.store.set_meta(LOCAL, &serde_json::to_string(&signed).expect("a checkpoint serialises"))?;
    session.api()?.add_audit_checkpoint(&session.secrets.device, &signed)?;
    Ok(Some(signed.entries))
}

/// After this sync noticed a server restored from an older backup: the
/// audit log lost what came after the backup, so this device's checkpoint
/// over the longer log can never match again. When the log as it stands
/// chains intact from its first entry, the checkpoint is forgotten (the
/// next one is signed over the log as it is now) and a sentence says what
/// was lost; otherwise nothing changes and `checkpoint` raises the alert.
///
/// A server that only pretends to be restored to drop audit entries gets
/// this far only with the restore warning every device shows.
pub fn forget_after_restore(session: &Session) -> Result<Option<String>, ClientError> {
    let Some(local) = local_checkpoint(session)? else { return Ok(None) };
    let all = entries_after(session, 0)?;
    let Ok(chain) = walk(Chain::new(), &all) else { return Ok(None) };
    if all.iter().any(|e| e.seq == local.entries && e.hash == local.head) {
        return Ok(None);
    }
    let kept = all.iter().take_while(|e| e.seq < local.entries).count();
    session.store.forget_meta(LOCAL)?;
    Ok(Some(format!(
        "the server's audit log was restored with it: entries {} to {} of the log this device had signed a \
         checkpoint of ({}) are gone, the {} entries the log holds now chain intact, and a new checkpoint is \
         signed over them",
        kept + 1,
        local.entries,
        local_datetime(local.signed_at),
        chain.entries()
    )))
}

fn this_device(session: &Session) -> String {
    format!("{} (this device)", session.config.name)
}

fn walk(mut chain: Chain, entries: &[AuditEntry]) -> Result<Chain, String> {
    for e in entries {
        chain.push(e).map_err(|b| format!("entry {} is broken: {}", b.seq, b.reason))?;
    }
    Ok(chain)
}

/// A broken coverage in words, naming who signed the checkpoint and when.
fn describe(c: &Checkpoint, signer: &str, broken: &Coverage) -> String {
    let signed = format!("the checkpoint {signer} signed on {}", local_datetime(c.signed_at));
    match broken {
        Coverage::Matches => format!("entries 1 to {} match {signed}", c.entries),
        Coverage::Truncated { have } if *have >= c.entries => {
            format!("entry {}, which {signed} covers, was removed", c.entries)
        }
        Coverage::Truncated { have } => format!(
            "TRUNCATED: {signed} covers {} entries, the server's log now has {have}: entries {} to {} were removed",
            c.entries,
            have + 1,
            c.entries
        ),
        Coverage::Rewritten { .. } => format!(
            "REWRITTEN: entry {} no longer has the hash in {signed}: it, or an entry before it, was changed and the \
             chain computed again",
            c.entries
        ),
    }
}

/// What `admin audit --verify` found.
#[derive(Debug, Serialize)]
pub struct Verification {
    /// Entries in the server's log.
    pub entries: u64,
    pub broken: bool,
    /// One finding a line, for people.
    pub findings: Vec<String>,
}

/// Fetches the whole log, checks its chain from the first entry, and
/// compares it with this device's newest checkpoint and with the server's.
pub fn verify(session: &Session) -> Result<Verification, ClientError> {
    // Reads only (the audit page is a GET): nothing is published.
    let roster = super::roster::in_force(session)?;
    if !is_admin(session, &roster) {
        return Err(ClientError::Invalid("this device is not an administrator's".into()));
    }
    let entries = entries_after(session, 0)?;
    let mut findings = Vec::new();
    let mut broken = false;
    let last = entries.last().map_or(0, |e| e.seq);
    match walk(Chain::new(), &entries) {
        Ok(chain) => findings.push(format!("the chain of the server's {} entries is intact", chain.entries())),
        Err(why) => {
            broken = true;
            findings.push(format!("BROKEN: {why}"));
        }
    }
    let name = |c: &Checkpoint| {
        session
            .store
            .roster_at(c.roster_version)
            .ok()
            .flatten()
            .and_then(|s| s.verify(&session.config.org_key, 0).ok())
            .ok_or(c.roster_version)
    };
    let mut checked = Vec::new();
    if let Some(local) = local_checkpoint(session)? {
        let signer = this_device(session);
        checked.push((local, signer, "kept on this device"));
    }
    match session.api()?.audit_checkpoint(&session.secrets.device)? {
        None => findings.push("the server holds no checkpoint".into()),
        Some(server) => match name(&server) {
            Err(version) => findings.push(format!(
                "the server's newest checkpoint names roster version {version}, which this device does not have: \
                 it was not checked"
            )),
            Ok(signer_roster) => match server.verify(&signer_roster) {
                Err(e) => {
                    broken = true;
                    findings.push(format!("BROKEN: the server's newest checkpoint does not verify: {e}"));
                }
                Ok(()) => {
                    let signer = signer_roster
                        .device(&server.device_id)
                        .map_or_else(|| server.device_id.to_string(), |(m, _)| m.name.clone());
                    checked.push((server, signer, "the server's newest"));
                }
            },
        },
    }
    if checked.is_empty() {
        findings
            .push("no signed checkpoint to compare with yet: an administrator's `visitnotes sync` signs one".into());
    }
    for (c, signer, which) in &checked {
        match coverage(c, &entries, 1) {
            Coverage::Matches => findings.push(format!(
                "entries 1 to {} match the checkpoint {signer} signed on {} ({which})",
                c.entries,
                local_datetime(c.signed_at)
            )),
            bad => {
                broken = true;
                findings.push(format!("BROKEN: {} ({which})", describe(c, signer, &bad)));
            }
        }
    }
    if broken {
        let what: Vec<&str> = findings.iter().filter_map(|f| f.strip_prefix("BROKEN: ")).collect();
        session.store.alert("audit", "", &what.join("; "))?;
    } else {
        session.store.resolve_alerts("audit", "")?;
    }
    Ok(Verification { entries: last, broken, findings })
}

/// `text` with each user or device id of the roster replaced by the name.
pub fn names_for_ids(roster: &Roster, text: &str) -> String {
    let mut text = text.to_owned();
    for m in &roster.members {
        text = text.replace(m.user_id.as_str(), &format!("{} ({})", m.name, short(m.user_id.as_str())));
        for d in &m.devices {
            let named = format!("{}'s device {}", m.name, short(d.device_id.as_str()));
            // "device ID" says "device" once.
            text = text.replace(&format!("device {}", d.device_id), &named).replace(d.device_id.as_str(), &named);
        }
    }
    text
}
