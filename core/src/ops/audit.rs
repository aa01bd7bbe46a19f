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

use serde::{Deserialize, Serialize};
use visitnotes_shared::api::AuditEntry;
use visitnotes_shared::audit::{BreakReason, Broken, Chain, Checkpoint, Coverage};
use visitnotes_shared::roster::{DeviceStatus, Role};
use visitnotes_shared::{DeviceId, Roster, UserId};

use crate::display::short;
use crate::error::{self, ClientError};
use crate::i18n::{Arg, Lang, Msg};
use crate::profile::Session;
use crate::store::{StoreError, StoredKind};

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
            walk(Chain::new(), &entries).map_err(|b| vec![Finding::broken(b)])
        }
        Some(c) => {
            let entries = entries_after(session, c.entries - 1)?;
            match coverage(c, &entries, c.entries) {
                Coverage::Matches => {
                    let tail: Vec<_> = entries.into_iter().filter(|e| e.seq > c.entries).collect();
                    walk(Chain::after(c.entries, &c.head), &tail).map_err(|b| vec![Finding::broken(b)])
                }
                // Counted again over the whole log, to say how much is gone.
                _ => {
                    let all = entries_after(session, 0)?;
                    let checkpoint = Checked {
                        entries: c.entries,
                        signer: Signer::ThisDevice { name: session.config.name.clone() },
                        signed_at: c.signed_at,
                        kept: Kept::ThisDevice,
                    };
                    Err(vec![Finding::Compared { coverage: Compared::of(c, &coverage(c, &all, 1)), checkpoint }])
                }
            }
        }
    };
    let chain = match chain {
        Ok(chain) => chain,
        Err(found) => {
            session.store.alert(StoredKind::Audit, "", &alert_detail(&found))?;
            return Ok(None);
        }
    };
    session.store.resolve_alerts(StoredKind::Audit, "")?;
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

/// The part of the audit log a server restored from an older backup lost,
/// as `forget_after_restore` found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogRestored {
    /// The first and last of the entries gone, of the log this device had
    /// signed a checkpoint of.
    pub first_gone: u64,
    pub last_gone: u64,
    /// When this device signed that checkpoint (Unix seconds).
    pub signed_at: i64,
    /// The entries the log holds now, which chain intact (a new checkpoint
    /// is signed over them).
    pub entries: u64,
}

/// After this sync noticed a server restored from an older backup: the
/// audit log lost what came after the backup, so this device's checkpoint
/// over the longer log can never match again. When the log as it stands
/// chains intact from its first entry, the checkpoint is forgotten (the
/// next one is signed over the log as it is now), and what was lost is
/// returned; otherwise nothing changes and `checkpoint` raises the alert.
///
/// A server that only pretends to be restored to drop audit entries gets
/// this far only with the restore warning every device shows.
pub fn forget_after_restore(session: &Session) -> Result<Option<LogRestored>, ClientError> {
    let Some(local) = local_checkpoint(session)? else { return Ok(None) };
    let all = entries_after(session, 0)?;
    let Ok(chain) = walk(Chain::new(), &all) else { return Ok(None) };
    if all.iter().any(|e| e.seq == local.entries && e.hash == local.head) {
        return Ok(None);
    }
    let kept = all.iter().take_while(|e| e.seq < local.entries).count() as u64;
    session.store.forget_meta(LOCAL)?;
    Ok(Some(LogRestored {
        first_gone: kept + 1,
        last_gone: local.entries,
        signed_at: local.signed_at,
        entries: chain.entries(),
    }))
}

fn walk(mut chain: Chain, entries: &[AuditEntry]) -> Result<Chain, Broken> {
    for e in entries {
        chain.push(e)?;
    }
    Ok(chain)
}

/// What the audit alert keeps: the findings that broke the log, as JSON,
/// worded when the alert is shown (`alert_findings` reads it back).
fn alert_detail(broken: &[Finding]) -> String {
    serde_json::to_string(broken).expect("findings serialise")
}

/// The findings an audit alert kept; `None` for an alert an older version
/// kept as English text (shown as it is).
pub fn alert_findings(detail: &str) -> Option<Vec<Finding>> {
    serde_json::from_str(detail).ok()
}

/// What `admin audit --verify` found.
#[derive(Debug, Serialize)]
pub struct Verification {
    /// Entries in the server's log.
    pub entries: u64,
    pub broken: bool,
    /// What each check found, in order.
    pub findings: Vec<Finding>,
}

/// One check of `verify` and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "finding")]
pub enum Finding {
    /// The chain of the server's `entries` entries is intact.
    ChainIntact { entries: u64 },
    /// Entry `seq` breaks the chain, for `reason`.
    ChainBroken { seq: u64, reason: BreakReason },
    /// The server holds no checkpoint.
    NoServerCheckpoint,
    /// The server's newest checkpoint names a roster version this device
    /// does not have: it was not checked.
    ServerCheckpointUnchecked { roster_version: u64 },
    /// The server's newest checkpoint does not verify (broken).
    ServerCheckpointInvalid { error: String },
    /// No checkpoint to compare with yet (an administrator's sync signs one).
    NoCheckpointYet,
    /// How the log compares with a signed checkpoint (broken unless it matches).
    Compared { checkpoint: Checked, coverage: Compared },
}

impl Finding {
    fn broken(b: Broken) -> Finding {
        Finding::ChainBroken { seq: b.seq, reason: b.reason }
    }

    /// The finding as a message of the catalogues.
    pub fn msg(&self) -> Msg {
        match self {
            Finding::ChainIntact { entries } => Msg::new("admin-audit-finding-chain-intact").arg("n", *entries),
            Finding::ChainBroken { seq, reason } => {
                let why = match reason {
                    BreakReason::Missing { seq } => Msg::new("admin-audit-break-missing").arg("seq", *seq),
                    BreakReason::Unlinked => Msg::new("admin-audit-break-unlinked"),
                    BreakReason::Edited => Msg::new("admin-audit-break-edited"),
                };
                Msg::new("admin-audit-finding-chain-broken").arg("seq", *seq).arg("reason", why)
            }
            Finding::NoServerCheckpoint => Msg::new("admin-audit-finding-no-server-checkpoint"),
            Finding::ServerCheckpointUnchecked { roster_version } => {
                Msg::new("admin-audit-finding-server-unchecked").arg("version", *roster_version)
            }
            Finding::ServerCheckpointInvalid { error } => {
                Msg::new("admin-audit-finding-server-invalid").arg("error", error.as_str())
            }
            Finding::NoCheckpointYet => Msg::new("admin-audit-finding-none-yet"),
            Finding::Compared { checkpoint: c, coverage } => {
                let signer = match &c.signer {
                    Signer::ThisDevice { name } => {
                        Arg::Msg(Msg::new("admin-audit-signer-this-device").arg("name", name.as_str()))
                    }
                    Signer::Member { name } => Arg::Text(name.clone()),
                    Signer::Device { device_id } => Arg::Text(device_id.to_string()),
                };
                let which = Msg::new(match c.kept {
                    Kept::ThisDevice => "admin-audit-kept-here",
                    Kept::ServerNewest => "admin-audit-kept-server",
                });
                let msg = |id| {
                    Msg::new(id)
                        .arg("entries", c.entries)
                        .arg("signer", signer.clone())
                        .arg("when", Arg::Time(c.signed_at))
                        .arg("which", which.clone())
                };
                match coverage {
                    Compared::Matches => msg("admin-audit-finding-matches"),
                    Compared::EntryRemoved => msg("admin-audit-finding-removed"),
                    Compared::Truncated { have } => {
                        msg("admin-audit-finding-truncated").arg("have", *have).arg("from", have + 1)
                    }
                    Compared::Rewritten => msg("admin-audit-finding-rewritten"),
                }
            }
        }
    }

    /// Whether this finding makes the log broken.
    pub fn is_broken(&self) -> bool {
        match self {
            Finding::ChainBroken { .. } | Finding::ServerCheckpointInvalid { .. } => true,
            Finding::Compared { coverage, .. } => *coverage != Compared::Matches,
            _ => false,
        }
    }
}

/// A signed checkpoint the log was compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// The entries it covers (1 to this).
    pub entries: u64,
    pub signer: Signer,
    /// Unix seconds.
    pub signed_at: i64,
    pub kept: Kept,
}

/// Who signed a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "signer")]
pub enum Signer {
    /// This device, of the member `name`.
    ThisDevice { name: String },
    /// A member's device in the roster the checkpoint names.
    Member { name: String },
    /// A device that roster does not list.
    Device { device_id: DeviceId },
}

/// Where a checkpoint was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    /// The newest this device signed, kept here.
    ThisDevice,
    /// The server's newest.
    ServerNewest,
}

/// How the log compares with a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "coverage")]
pub enum Compared {
    /// Entries 1 to the checkpoint's have the hash it signed.
    Matches,
    /// The entry it covers was removed (later ones are there).
    EntryRemoved,
    /// The log has only `have` entries: the ones after were removed.
    Truncated { have: u64 },
    /// The entry it covers has another hash: it, or one before it, was
    /// changed and the chain computed again.
    Rewritten,
}

impl Compared {
    fn of(c: &Checkpoint, coverage: &Coverage) -> Compared {
        match coverage {
            Coverage::Matches => Compared::Matches,
            Coverage::Truncated { have } if *have >= c.entries => Compared::EntryRemoved,
            Coverage::Truncated { have } => Compared::Truncated { have: *have },
            Coverage::Rewritten { .. } => Compared::Rewritten,
        }
    }
}

/// Fetches the whole log, checks its chain from the first entry, and
/// compares it with this device's newest checkpoint and with the server's.
/// A broken log is an alert (kind `audit`) until a check finds it intact.
pub fn verify(session: &Session) -> Result<Verification, ClientError> {
    // Reads only (the audit page is a GET): nothing is published.
    let roster = super::roster::in_force(session)?;
    if !is_admin(session, &roster) {
        return Err(super::admin::AdminError::NotAdmin.into());
    }
    let entries = entries_after(session, 0)?;
    let mut findings = Vec::new();
    let last = entries.last().map_or(0, |e| e.seq);
    match walk(Chain::new(), &entries) {
        Ok(chain) => findings.push(Finding::ChainIntact { entries: chain.entries() }),
        Err(b) => findings.push(Finding::broken(b)),
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
        checked.push((local, Signer::ThisDevice { name: session.config.name.clone() }, Kept::ThisDevice));
    }
    match session.api()?.audit_checkpoint(&session.secrets.device)? {
        None => findings.push(Finding::NoServerCheckpoint),
        Some(server) => match name(&server) {
            Err(version) => findings.push(Finding::ServerCheckpointUnchecked { roster_version: version }),
            Ok(signer_roster) => match server.verify(&signer_roster) {
                Err(e) => {
                    let error = error::Chain(&e).to_string();
                    findings.push(Finding::ServerCheckpointInvalid { error });
                }
                Ok(()) => {
                    let signer = match signer_roster.device(&server.device_id) {
                        Some((m, _)) => Signer::Member { name: m.name.clone() },
                        None => Signer::Device { device_id: server.device_id.clone() },
                    };
                    checked.push((server, signer, Kept::ServerNewest));
                }
            },
        },
    }
    if checked.is_empty() {
        findings.push(Finding::NoCheckpointYet);
    }
    for (c, signer, kept) in checked {
        let coverage = coverage(&c, &entries, 1);
        let checkpoint = Checked { entries: c.entries, signer, signed_at: c.signed_at, kept };
        findings.push(Finding::Compared { coverage: Compared::of(&c, &coverage), checkpoint });
    }
    let broken = findings.iter().any(Finding::is_broken);
    if broken {
        let broken: Vec<Finding> = findings.iter().filter(|f| f.is_broken()).cloned().collect();
        session.store.alert(StoredKind::Audit, "", &alert_detail(&broken))?;
    } else {
        session.store.resolve_alerts(StoredKind::Audit, "")?;
    }
    Ok(Verification { entries: last, broken, findings })
}

/// A piece of a text of the server's (an audit entry's actor or subject),
/// with the ids of the roster's people and devices named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "part")]
pub enum Named {
    Text {
        text: String,
    },
    Person {
        name: String,
        user_id: UserId,
    },
    /// A device (the word "device" before its id is part of this).
    Device {
        name: String,
        device_id: DeviceId,
    },
}

/// `text` in pieces: each user or device id of `roster` named.
pub fn name_ids(roster: &Roster, text: &str) -> Vec<Named> {
    let mut ids: Vec<(&str, Named)> = Vec::new();
    for m in &roster.members {
        ids.push((m.user_id.as_str(), Named::Person { name: m.name.clone(), user_id: m.user_id.clone() }));
        for d in &m.devices {
            ids.push((d.device_id.as_str(), Named::Device { name: m.name.clone(), device_id: d.device_id.clone() }));
        }
    }
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        // The first id in what is left (the longer one where two start there).
        let next = ids
            .iter()
            .filter_map(|(id, named)| rest.find(id).map(|at| (at, std::cmp::Reverse(id.len()), *id, named)))
            .min_by_key(|(at, len, ..)| (*at, *len));
        let Some((at, _, id, named)) = next else { break };
        let mut before = &rest[..at];
        if matches!(named, Named::Device { .. }) {
            // "device ID" says "device" once.
            before = before.strip_suffix("device ").unwrap_or(before);
        }
        if !before.is_empty() {
            out.push(Named::Text { text: before.to_owned() });
        }
        out.push(named.clone());
        rest = &rest[at + id.len()..];
    }
    if !rest.is_empty() {
        out.push(Named::Text { text: rest.to_owned() });
    }
    out
}

impl Named {
    /// This piece as a value of a message: a person or device named in
    /// `lang`, a text as it is.
    pub fn arg(&self) -> Arg {
        match self {
            Named::Text { text } => Arg::Text(text.clone()),
            Named::Person { name, user_id } => {
                Arg::Msg(Msg::new("admin-audit-person").arg("name", name.as_str()).arg("id", short(user_id.as_str())))
            }
            Named::Device { name, device_id } => Arg::Msg(
                Msg::new("admin-audit-device").arg("name", name.as_str()).arg("device", short(device_id.as_str())),
            ),
        }
    }

    /// Pieces in `lang`, one after the other.
    pub fn render_all(parts: &[Named], lang: Lang) -> String {
        parts
            .iter()
            .map(|part| match part.arg() {
                Arg::Msg(msg) => msg.render(lang),
                Arg::Text(text) => text,
                _ => unreachable!("a piece is a text or a message"),
            })
            .collect()
    }
}

/// What an audit entry is about, read from the server's text of it (the
/// text is part of the log's hash chain, so the server keeps writing it
/// as it always has): typed, with the roster's people and devices named,
/// to be worded in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "detail")]
pub enum Detail {
    /// A roster published; `after` when versions were skipped (published
    /// again after a restore).
    Roster { version: u64, after: Option<u64> },
    /// Revisions uploaded or downloaded, the server's numbers `first` to `last`.
    Revisions { count: u64, first: u64, last: u64 },
    /// Revisions encrypted again.
    Rewrapped { count: u64 },
    /// Superseded revisions purged.
    Purged { count: u64 },
    /// An invite made; `bootstrap` for the first administrator's.
    Invite { user: Named, role: Role, bootstrap: bool },
    /// A device enrolled for a member in a role.
    Enrolled { device: Named, user: Named, role: Role },
    /// A device revoked or rejected, or handed the organisation key.
    Device { device: Named },
    /// A device put back from the roster after a restore.
    RestoredDevice { device: Named, user: Named },
    /// A member removed.
    User { user: Named },
    /// A checkpoint signed over entries 1 to `entries`.
    Checkpoint { entries: u64 },
    /// A text this version does not read, as the server wrote it (ids named).
    Text { parts: Vec<Named> },
}

impl Detail {
    /// The detail of the entry `action`, `subject` as the server wrote it.
    pub fn read(roster: Option<&Roster>, action: &str, subject: &str) -> Detail {
        Detail::parse(roster, action, subject).unwrap_or_else(|| Detail::Text {
            parts: match roster {
                Some(roster) => name_ids(roster, subject),
                None => vec![Named::Text { text: subject.to_owned() }],
            },
        })
    }

    fn parse(roster: Option<&Roster>, action: &str, subject: &str) -> Option<Detail> {
        fn one_word(s: &str) -> Option<&str> {
            (!s.is_empty() && !s.contains(' ')).then_some(s)
        }
        let num = |s: &str| s.trim().parse::<u64>().ok();
        let user = |id: &str| {
            let found = roster.and_then(|r| r.members.iter().find(|m| m.user_id.as_str() == id));
            match found {
                Some(m) => Named::Person { name: m.name.clone(), user_id: m.user_id.clone() },
                None => Named::Text { text: id.to_owned() },
            }
        };
        let device = |id: &str| {
            let found = roster.and_then(|r| {
                r.members.iter().find_map(|m| m.devices.iter().find(|d| d.device_id.as_str() == id).map(|d| (m, d)))
            });
            match found {
                Some((m, d)) => Named::Device { name: m.name.clone(), device_id: d.device_id.clone() },
                None => Named::Text { text: id.to_owned() },
            }
        };
        Some(match action {
            "roster" => {
                let rest = subject.strip_prefix("version ")?;
                match rest.split_once(" (after version ") {
                    None => Detail::Roster { version: num(rest)?, after: None },
                    Some((version, after)) => {
                        let after = after.split_once(':')?.0;
                        Detail::Roster { version: num(version)?, after: Some(num(after)?) }
                    }
                }
            }
            "upload" | "download" => {
                let (count, range) = subject.split_once(" revisions, seq ")?;
                let (first, last) = range.split_once(" to ")?;
                Detail::Revisions { count: num(count)?, first: num(first)?, last: num(last)? }
            }
            "rewrap" => Detail::Rewrapped { count: num(subject.strip_suffix(" revisions")?)? },
            "purge" => Detail::Purged { count: num(subject.strip_suffix(" superseded revisions")?)? },
            "invite" => {
                let rest = subject.strip_prefix("user ")?;
                let (rest, bootstrap) = match rest.strip_suffix(" (bootstrap)") {
                    Some(rest) => (rest, true),
                    None => (rest, false),
                };
                let (id, role) = rest.split_once(" role ")?;
                Detail::Invite { user: user(one_word(id)?), role: role.parse().ok()?, bootstrap }
            }
            "enrol" => {
                let rest = subject.strip_prefix("device ")?;
                let (dev, rest) = rest.split_once(" for user ")?;
                let (id, role) = rest.split_once(" as ")?;
                Detail::Enrolled { device: device(one_word(dev)?), user: user(one_word(id)?), role: role.parse().ok()? }
            }
            "revoke" | "reject" | "org_key_grant" => {
                Detail::Device { device: device(one_word(subject.strip_prefix("device ")?)?) }
            }
            "restore" => {
                let rest = subject.strip_prefix("device ")?.strip_suffix(" from the roster")?;
                let (dev, id) = rest.split_once(" of user ")?;
                Detail::RestoredDevice { device: device(one_word(dev)?), user: user(one_word(id)?) }
            }
            "remove" => Detail::User { user: user(one_word(subject.strip_prefix("user ")?)?) },
            "checkpoint" => {
                Detail::Checkpoint { entries: num(subject.strip_prefix("entries 1 to ")?.strip_suffix(" signed")?)? }
            }
            _ => return None,
        })
    }

    /// The detail in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        // A person or device the roster does not name: said so.
        let user = |n: &Named| match n {
            Named::Text { text } => Arg::Msg(Msg::new("alert-someone").arg("id", text.as_str())),
            named => named.arg(),
        };
        let device = |n: &Named| match n {
            Named::Text { text } => Arg::Msg(Msg::new("alert-unknown-device").arg("id", text.as_str())),
            named => named.arg(),
        };
        let msg = match self {
            Detail::Roster { version, after: None } => Msg::new("admin-audit-detail-roster").arg("version", *version),
            Detail::Roster { version, after: Some(after) } => {
                Msg::new("admin-audit-detail-roster-after").arg("version", *version).arg("after", *after)
            }
            Detail::Revisions { count, first, last } => {
                Msg::new("admin-audit-detail-revisions").arg("count", *count).arg("first", *first).arg("last", *last)
            }
            Detail::Rewrapped { count } => Msg::new("admin-audit-detail-rewrapped").arg("count", *count),
            Detail::Purged { count } => Msg::new("admin-audit-detail-purged").arg("count", *count),
            Detail::Invite { user: u, role, bootstrap } => Msg::new("admin-audit-detail-invite")
                .arg("user", user(u))
                .arg("role", role.as_str())
                .arg("bootstrap", if *bootstrap { "yes" } else { "no" }),
            Detail::Enrolled { device: d, user: u, role } => Msg::new("admin-audit-detail-enrolled")
                .arg("device", device(d))
                .arg("user", user(u))
                .arg("role", role.as_str()),
            Detail::Device { device: d } => Msg::new("admin-audit-detail-device").arg("device", device(d)),
            Detail::RestoredDevice { device: d, user: u } => {
                Msg::new("admin-audit-detail-restored").arg("device", device(d)).arg("user", user(u))
            }
            Detail::User { user: u } => Msg::new("admin-audit-detail-user").arg("user", user(u)),
            Detail::Checkpoint { entries } => Msg::new("admin-audit-detail-checkpoint").arg("entries", *entries),
            Detail::Text { parts } => return Named::render_all(parts, lang),
        };
        msg.render(lang)
    }
}

/// An audit log entry, its actor and detail with the roster's ids named.
#[derive(Debug, Serialize)]
pub struct LogEntry {
    pub entry: AuditEntry,
    /// None: the server itself.
    pub actor: Option<Vec<Named>>,
    pub detail: Detail,
}

/// The server's audit log, oldest first, named by the roster this device
/// holds (ids stay as they are when it holds none). Reads only.
pub fn log(session: &Session) -> Result<Vec<LogEntry>, ClientError> {
    let entries = session.api()?.audit(&session.secrets.device, 0)?;
    let roster = session.roster().ok();
    let named = |text: &str| match &roster {
        Some(roster) => name_ids(roster, text),
        None => vec![Named::Text { text: text.to_owned() }],
    };
    Ok(entries
        .into_iter()
        .map(|entry| LogEntry {
            actor: entry.actor.as_deref().map(named),
            detail: Detail::read(roster.as_ref(), &entry.action, &entry.subject),
            entry,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::roster::{Member, Role};
    use visitnotes_shared::{DeviceKeys, OrgKey};

    use super::*;

    /// A list of members with only `member` on it.
    fn roster_of(member: Member) -> Roster {
        Roster {
            version: 1,
            org_key: OrgKey::generate().public(),
            issued_at: 0,
            expires_at: None,
            units: vec![],
            members: vec![member],
        }
    }

    #[test]
    fn ids_in_a_text_are_named_and_the_word_device_is_said_once() {
        let keys = DeviceKeys::generate();
        let bea = Member::active(UserId::random(), "Bea", &[Role::Admin], &[&keys]);
        let (user, device) = (bea.user_id.clone(), keys.device_id());
        let roster = roster_of(bea);
        let text = format!("device {device} of {user}, then {device}.");
        let person = Named::Person { name: "Bea".into(), user_id: user.clone() };
        let named_device = Named::Device { name: "Bea".into(), device_id: device.clone() };
        assert_eq!(
            name_ids(&roster, &text),
            vec![
                named_device.clone(),
                Named::Text { text: " of ".into() },
                person,
                Named::Text { text: ", then ".into() },
                named_device,
                Named::Text { text: ".".into() },
            ]
        );
        assert_eq!(name_ids(&roster, "nothing"), vec![Named::Text { text: "nothing".into() }]);
    }

    /// The audit alert keeps what broke as data, worded in the reader's
    /// language when shown; an alert an older version kept as English text
    /// is not read as data (it is shown as it was kept).
    #[test]
    fn an_audit_alert_keeps_its_findings_as_data_and_old_text_stays_text() {
        let found = vec![
            Finding::ChainBroken { seq: 4, reason: BreakReason::Missing { seq: 3 } },
            Finding::Compared {
                checkpoint: Checked {
                    entries: 12,
                    signer: Signer::ThisDevice { name: "Siri".into() },
                    signed_at: 0,
                    kept: Kept::ThisDevice,
                },
                coverage: Compared::Truncated { have: 1 },
            },
        ];
        let kept = alert_findings(&alert_detail(&found)).expect("read back");
        assert_eq!(kept, found);
        let nb: Vec<String> = kept.iter().map(|f| f.msg().render(Lang::Nb)).collect();
        assert_eq!(nb[0], "BRUTT: oppføring 4 er brutt: oppføring 3 mangler");
        assert!(nb[1].contains("dekker 12 oppføringer, serverens logg har nå 1: oppføring 2 til 12"), "{}", nb[1]);
        assert_eq!(alert_findings("entry 4 is broken: entry 3 is missing"), None);
    }

    /// Each text the server writes in its log reads as typed data, worded
    /// in each language with plurals; a text this version does not know
    /// stays as the server wrote it.
    #[test]
    fn the_servers_audit_texts_read_as_typed_details_in_each_language() {
        let keys = DeviceKeys::generate();
        let kari = Member::active(UserId::random(), "Kari", &[Role::Coordinator], &[&keys]);
        let (user, device) = (kari.user_id.clone(), keys.device_id());
        let roster = roster_of(kari);
        let read = |action: &str, subject: &str| Detail::read(Some(&roster), action, subject);
        let cases = [
            (
                read("download", "1 revisions, seq 2 to 2"),
                "one revision, numbers 2 to 2",
                "én revisjon, nummer 2 til 2",
            ),
            (read("upload", "3 revisions, seq 4 to 6"), "3 revisions, numbers 4 to 6", "3 revisjoner, nummer 4 til 6"),
            (read("roster", "version 7"), "version 7", "versjon 7"),
            (
                read("roster", "version 9 (after version 7: published again after a restore?)"),
                "version 9 (after version 7: published again after a restore?)",
                "versjon 9 (etter versjon 7: publisert på nytt etter en gjenoppretting?)",
            ),
            (
                read("invite", &format!("user {user} role coordinator")),
                &format!("Kari ({}) as coordinator", short(user.as_str())),
                &format!("Kari ({}) som koordinator", short(user.as_str())),
            ),
            (
                read("invite", "user 0123456789abcdef role admin (bootstrap)"),
                "someone not in the list of members (0123456789abcdef) as administrator, the first administrator",
                "en som ikke står på medlemslisten (0123456789abcdef) som administrator, den første administratoren",
            ),
            (
                read("enrol", &format!("device {device} for user {user} as coordinator")),
                &format!("Kari's device {} for Kari ({}) as coordinator", short(device.as_str()), short(user.as_str())),
                &format!(
                    "enheten {} til Kari for Kari ({}) som koordinator",
                    short(device.as_str()),
                    short(user.as_str())
                ),
            ),
            (read("rewrap", "1 revisions"), "one revision", "én revisjon"),
            (read("purge", "2 superseded revisions"), "2 superseded revisions", "2 erstattede revisjoner"),
            (read("checkpoint", "entries 1 to 12 signed"), "entries 1 to 12 signed", "oppføring 1 til 12 signert"),
            (read("something_new", "as the server said"), "as the server said", "as the server said"),
        ];
        for (detail, en, nb) in cases {
            assert!(!matches!(detail, Detail::Text { .. }) || en == "as the server said", "{detail:?} was not read");
            assert_eq!(detail.render(Lang::En), en);
            assert_eq!(detail.render(Lang::Nb), nb);
        }
        assert_eq!(
            read("revoke", &format!("device {device}")),
            Detail::Device { device: Named::Device { name: "Kari".into(), device_id: device.clone() } }
        );
    }
}
