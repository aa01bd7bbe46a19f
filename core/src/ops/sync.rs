//! `sync`: check the roster, push the outbox, pull what is new, verify and
//! decrypt it, and say loudly what looked wrong; then, on an
//! administrator's device, the administration's upkeep. [`sync`] is the
//! one entry point every door calls (the command line, the web app's Sync
//! button), and it returns typed data ([`Synced`]): what went wrong is a
//! [`SyncWarning`], why the server seems restored a [`Restored`], each
//! worded by the door.
//!
//! On an administrator's device it also signs the roster again when less
//! than a third of its life is left, and signs a checkpoint of the
//! server's audit log (`super::audit`). Notes written under an expired
//! roster are sealed again under a fresh one, or stay held back while the
//! newest roster is expired (`super::expiry`).
//!
//! Safe to run again after any failure: uploads are idempotent on
//! (note id, revision), an outbox entry leaves only once the server has
//! acknowledged it, and the pull cursor moves only with stored pages.
//!
//! **A server restored from an older backup** is noticed here. The first
//! page of every pull comes before anything is pushed, and every page says
//! where the server stands (`StoreState`): its store id, its newest
//! sequence number, the revision at the cursor, and this device's last
//! stored device sequence number. The device remembers the store id and
//! the revision it pulled last (`cursor_item`: sequence number, note id,
//! revision, receive time). The server seems restored when the store id
//! changed, its newest number is below the cursor, the revision at the
//! cursor is not the one remembered (a restored server that took new
//! uploads since may have passed the old cursor with other notes; a note
//! uploaded again is received later, so even the same note at the same
//! number tells). Then:
//!
//! - the alert `restore` is recorded, the cursor goes back to 0, and the
//!   device pulls everything again by itself. Known revisions are skipped
//!   (`take`), nothing held here is dropped because the server lost it,
//!   and the alert is resolved once a pull has run to the end: the sync
//!   that noticed says WARNING and exits 3 (`SyncReport::restored`), the
//!   next one is clean, and a sync cut short leaves the alert open until
//!   one completes;
//! - whether or not that was noticed, the notes this device uploaded and the
//!   server no longer has (above the last device sequence number it
//!   reports) are uploaded again from the local store, the same bytes, in
//!   device order, before the outbox (which comes after them in that order,
//!   so the server, whose last number of this device is lower now, takes
//!   them), and reported by name and date; the ones that had to wait for a
//!   roster go up on a later sync without a second warning;
//! - a roster older than this device's (`roster::fetch`) is never used: an
//!   administrator's device publishes the newest one again; other devices
//!   warn, and what the server's older roster cannot check (notes sealed
//!   under a later one, and all after them) waits on the device.
//!
//! A hostile server can fake a restore; it gains nothing by it but a
//! warning and a full pull, which verifies everything again.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};
use visitnotes_shared::api::{PullResponse, SeqItem, StoreState, UploadBatchRef, UploadResponse};
use visitnotes_shared::envelope::{self, OpenContext, OpenError, Opened};
use visitnotes_shared::Roster;

use super::admin::Upkeep;
use crate::api::{acknowledged, ApiClientError, Prepared};
use crate::error::ClientError;
use crate::i18n::{Lang, Msg};
use crate::profile::Session;
use crate::store::{NoteRow, NoteStatus, StoredKind};

const PUSH_BATCH: usize = 100;
const PULL_PAGE: u32 = 500;

/// Store meta keys: the pull cursor, the revision pulled at it (`SeqItem`
/// as JSON), the server's store id.
const CURSOR: &str = "cursor";
const CURSOR_ITEM: &str = "cursor_item";
const SERVER_STORE: &str = "server_store";

#[derive(Debug, Default, Serialize)]
pub struct SyncReport {
    pub roster_version: u64,
    pub pushed: usize,
    pub pulled: usize,
    /// What the pull brought that others wrote, by person (in roster
    /// order of first arrival): what changed for this person, in words.
    pub received: Vec<ReceivedFrom>,
    /// Notes of ours the server refused (kept here, with the reason).
    pub refused_by_server: Vec<NotTaken>,
    /// Notes from the server that failed verification: (note id, reason),
    /// the reason as this device keeps it with the note (the verifier's
    /// words, or a `ChangedCopy` in English).
    pub rejected: Vec<(String, String)>,
    /// Notes not encrypted to this device (written before it joined).
    pub not_addressed: usize,
    /// Devices with missing sequence numbers: possible withholding.
    pub gaps: Vec<(String, Vec<u64>)>,
    /// Why the server seems restored from an older backup, when this sync
    /// noticed it (and pulled everything again).
    pub restored: Option<Restored>,
    /// Notes of this device the server had acknowledged and lost, uploaded
    /// again.
    pub reuploaded: Vec<Reuploaded>,
    /// Lost notes the server refused to take again. They stay on this
    /// device.
    pub not_reuploaded: Vec<NotTaken>,
    /// The roster version the server serves, when it is older than this
    /// device's.
    pub server_roster_behind: Option<u64>,
    /// Notes that wait on this device until the server has a roster as new
    /// as the one they were sealed under.
    pub waiting: usize,
    /// The older roster version the server had, when this administrator's
    /// device published the newest one again.
    pub republished_over: Option<u64>,
    /// Heads that did not verify: (device, reason).
    pub refused_heads: Vec<(String, String)>,
    /// Every unresolved alert after this sync, found now or before.
    pub alerts: Vec<super::alerts::Alert>,
    /// The roster version this administrator's device signed because the
    /// one in force was near its expiry.
    pub roster_renewed: Option<u64>,
    /// Notes written under an expired roster, sealed again under the fresh one.
    pub resealed: usize,
    /// Notes written under an expired roster and sent as they were
    /// (`--allow-expired-roster`).
    pub sent_under_expired_roster: usize,
    /// Notes kept on this device, not uploaded: written under an expired
    /// roster, and the newest roster is still expired.
    pub held: usize,
    /// The audit log entries this administrator's device signed a checkpoint of.
    pub audit_checkpoint: Option<u64>,
    /// What else went wrong without stopping the sync.
    pub warnings: Vec<SyncWarning>,
}

/// What one person's devices sent that this sync opened: their new notes,
/// changed notes, deleted notes and follow-up entries. Own revisions coming
/// back, and copies seen before, are not counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReceivedFrom {
    /// The name in the roster (the user id when the roster has none).
    pub name: String,
    pub new_notes: usize,
    pub changed_notes: usize,
    pub deleted_notes: usize,
    pub follow_ups: usize,
}

impl ReceivedFrom {
    /// "From Kari: 2 new notes, one follow-up entry." in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        let parts = [
            ("sync-received-new", self.new_notes),
            ("sync-received-changed", self.changed_notes),
            ("sync-received-deleted", self.deleted_notes),
            ("sync-received-follow-ups", self.follow_ups),
        ];
        let what: Vec<String> = parts.iter().filter(|(_, n)| *n > 0).map(|(id, n)| lang.tn(id, *n as u64)).collect();
        lang.ta("sync-received-from", &[("name", &self.name), ("what", &what.join(", "))])
    }
}

impl SyncReport {
    /// Counts one opened item of `author` (`what` picks the tally).
    fn received(&mut self, roster: &Roster, author: &visitnotes_shared::ids::UserId, what: fn(&mut ReceivedFrom)) {
        let name = roster.member(author).map_or_else(|| author.to_string(), |m| m.name.clone());
        let at = match self.received.iter().position(|r| r.name == name) {
            Some(at) => at,
            None => {
                self.received.push(ReceivedFrom { name, ..ReceivedFrom::default() });
                self.received.len() - 1
            }
        };
        what(&mut self.received[at]);
    }

    pub fn suspicious(&self) -> bool {
        !self.rejected.is_empty()
            || !self.gaps.is_empty()
            || !self.alerts.is_empty()
            || self.restored.is_some()
            || self.republished_over.is_some()
            || !self.not_reuploaded.is_empty()
            || self.held > 0
            || !self.warnings.is_empty()
    }
}

/// A note of this device the server would not take, with its answer (a
/// refusal: `ApiClientError::Refused`). As JSON, `[note id, the refusal's
/// message]`.
#[derive(Debug)]
pub struct NotTaken {
    pub note_id: String,
    pub error: ApiClientError,
}

impl Serialize for NotTaken {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.note_id, self.error.to_string()).serialize(serializer)
    }
}

/// Why the server seems restored from an older backup (or replaced): where
/// it stands against what this device remembers. As JSON (in `sync
/// --json`, and in the `restore` alert, which `ops::alerts` words from
/// there), `{"why": "ends_before", "head": 2, "cursor": 4}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Restored {
    /// It answers as another store than before (its database was replaced).
    OtherStore,
    /// It no longer holds any of the notes this device had read from it.
    Emptied,
    /// Its notes now end at number `head`, but this device had read up to
    /// number `cursor`.
    EndsBefore { head: u64, cursor: u64 },
    /// The note it now holds at number `cursor` is not the one this device
    /// read there.
    OtherNoteAt { cursor: u64 },
    /// It no longer holds the note this device read last (number `cursor`).
    LastReadGone { cursor: u64 },
}

impl Restored {
    /// The reason as a message of the catalogues (`restored-*`), for every
    /// door and the alert.
    pub fn msg(&self) -> Msg {
        match *self {
            Restored::OtherStore => Msg::new("restored-other-store"),
            Restored::Emptied => Msg::new("restored-emptied"),
            Restored::EndsBefore { head, cursor } => {
                Msg::new("restored-ends-before").arg("head", head).arg("cursor", cursor)
            }
            Restored::OtherNoteAt { cursor } => Msg::new("restored-other-note").arg("cursor", cursor),
            Restored::LastReadGone { cursor } => Msg::new("restored-last-read-gone").arg("cursor", cursor),
        }
    }
}

/// Why a copy of a revision this device has seen before is refused: kept
/// in the `swap` alert as this JSON (`ops::alerts` words it from there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum ChangedCopy {
    /// The server now serves another signed header or signature for it.
    OtherContent,
    /// The copy served now does not verify: `error` is the verifier's
    /// reason.
    Damaged { error: String },
}

impl ChangedCopy {
    /// The reason as a message of the catalogues (`changed-copy-*`).
    pub fn msg(&self) -> Msg {
        match self {
            ChangedCopy::OtherContent => Msg::new("changed-copy-other-content"),
            // Inside a sentence: without a full stop of its own.
            // The verifier's reason, worded as `ops::rejection` reads it.
            ChangedCopy::Damaged { error } => Msg::new("changed-copy-damaged")
                .arg("error", super::rejection::Rejection::read(error.trim_end_matches('.')).arg()),
        }
    }
}

/// What went wrong without stopping the sync. The errors are kept as they
/// came, for each door to word (with their causes) in its language. As
/// JSON, `{"warning": "no_audit_checkpoint", "error": {"code", "message"}}`
/// (the error as `--json` gives one).
#[derive(Debug, Serialize)]
#[serde(tag = "warning", rename_all = "snake_case")]
pub enum SyncWarning {
    /// The list of members is near its expiry and this administrator's
    /// device could not sign it again; the next sync tries again.
    RosterNotRenewed {
        #[serde(serialize_with = "error_json")]
        error: ClientError,
    },
    /// The server was restored with its audit log: this device's
    /// checkpoint over the longer log is forgotten, and a new one signed.
    AuditLogRestored(super::audit::LogRestored),
    /// No checkpoint of the server's audit log was signed.
    NoAuditCheckpoint {
        #[serde(serialize_with = "error_json")]
        error: ClientError,
    },
    /// The sync was done, but the administration's upkeep after it
    /// (`admin::upkeep`) failed; the next sync tries again.
    UpkeepFailed {
        #[serde(serialize_with = "error_json")]
        error: ClientError,
    },
}

/// An error in JSON as `--json` gives one: its stable code
/// (`ClientError::code`) and its message.
fn error_json<S: Serializer>(error: &ClientError, serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Error<'a> {
        code: &'a str,
        message: String,
    }
    Error { code: error.code(), message: error.to_string() }.serialize(serializer)
}

/// What a sync did, and the administration's upkeep that followed it.
#[derive(Debug, Default)]
pub struct Synced {
    pub report: SyncReport,
    /// On an administrator's device, what the upkeep found and did (the
    /// server's claims, the organisation key picked up and handed on);
    /// empty on other devices, and when it failed (a warning says so).
    pub upkeep: Upkeep,
}

impl Synced {
    /// Something here is a warning (exit 3 on the command line).
    pub fn warns(&self) -> bool {
        self.report.suspicious() || self.upkeep.warns()
    }
}

/// A note uploaded again: what a person needs to recognise it.
#[derive(Debug, Clone, Serialize)]
pub struct Reuploaded {
    pub note_id: String,
    pub revision: u64,
    /// None for a deletion, or a note this device cannot read.
    pub visit_date: Option<NaiveDate>,
    pub units: Vec<String>,
    pub deleted: bool,
}

impl Reuploaded {
    fn of(row: &NoteRow) -> Reuploaded {
        let h = row.header();
        Reuploaded {
            note_id: h.note_id.to_string(),
            revision: h.revision,
            visit_date: row.note.as_ref().map(|n| n.visit_date),
            units: row.note.as_ref().map(|n| n.units.clone()).unwrap_or_default(),
            deleted: h.kind == envelope::Kind::Tombstone,
        }
    }
}

/// How to sync.
#[derive(Debug, Default, Clone, Copy)]
pub struct SyncOptions {
    /// Pull everything again.
    pub from_start: bool,
    /// Upload notes written under an expired roster as they are.
    pub allow_expired_roster: bool,
}

/// The notes kept here, sealed and not sent, because the newest list of
/// members here is expired (what a sync with `allow_expired_roster` would
/// send as it is), and that list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBack {
    /// How many notes are held back.
    pub notes: u64,
    /// The newest list of members here: its version and when it expired.
    pub roster: Option<(u64, i64)>,
}

/// What a sync with `allow_expired_roster` would send as it is.
pub fn held_back(session: &Session) -> Result<HeldBack, ClientError> {
    let notes = session.store.held()?.len() as u64;
    let roster = session.roster().ok().map(|r| (r.version, r.expires_at()));
    Ok(HeldBack { notes, roster })
}

/// Progress callback: (done, total if known).
pub type Progress<'a> = &'a dyn Fn(u64, Option<u64>);

/// Syncs (see the module), then, on an administrator's device, runs the
/// administration's upkeep (`admin::upkeep`, the same as before an
/// administration command): what the server says that the roster does not
/// (shown, never signed), the organisation key picked up when it was
/// sealed to this device, and handed on to administrators' devices that
/// lack it (a grant that failed at approval is made here, by the sync a
/// person started, not by a page they read). A key received ends the
/// alert of a grant refused before, so the alerts are read again then.
///
/// An upkeep that fails does not undo the sync: it is a warning
/// (`SyncWarning::UpkeepFailed`), and the next sync tries again.
pub fn sync(session: &mut Session, options: SyncOptions, progress: Progress<'_>) -> Result<Synced, ClientError> {
    let mut report = exchange(session, options, progress)?;
    let upkeep = match super::admin::upkeep(session, super::admin::Occasion::Synced) {
        Ok(upkeep) => upkeep,
        Err(error) => {
            report.warnings.push(SyncWarning::UpkeepFailed { error });
            Upkeep::default()
        }
    };
    if matches!(upkeep.org_key, Some(super::org_key::PickUp::Received { .. })) {
        report.alerts = super::alerts::open(session)?;
    }
    Ok(Synced { report, upkeep })
}

/// The sync itself: the roster, the push, the pull, heads, receipts,
/// revocations and, on an administrator's device, the audit checkpoint.
fn exchange(session: &Session, options: SyncOptions, progress: Progress<'_>) -> Result<SyncReport, ClientError> {
    // The roster first: nothing is encrypted to or uploaded under a roster
    // that fails verification, or under one older than this device's.
    let fetched = super::roster::fetch_and_republish(session)?;
    let mut report = SyncReport::default();
    let server_roster = match &fetched {
        super::roster::Fetched::Current(_) => None,
        super::roster::Fetched::Republished { server_had, .. } => {
            report.republished_over = Some(*server_had);
            None
        }
        super::roster::Fetched::Behind { server_version, .. } => {
            report.server_roster_behind = Some(*server_version);
            Some(*server_version)
        }
    };
    let mut roster = fetched.roster().clone();
    // An administrator's device keeps it from expiring. A refusal does not
    // stop the sync: the notes still go, and the person is told.
    match super::roster::renew_if_due(session, &roster) {
        Ok(Some(renewed)) => {
            report.roster_renewed = Some(renewed.version);
            roster = renewed;
        }
        Ok(None) => {}
        // Signed and published; the head naming it goes with this sync's
        // exchange below.
        Err(ClientError::HeadNotUploaded { version, .. }) => {
            report.roster_renewed = Some(version);
            roster = session.roster()?;
        }
        Err(error) => report.warnings.push(SyncWarning::RosterNotRenewed { error }),
    }
    report.roster_version = roster.version;
    let store = &session.store;
    if options.from_start {
        store.set_meta(CURSOR, "0")?;
        store.forget_meta(CURSOR_ITEM)?;
    }
    if !roster.is_expired(super::roster::now()) {
        report.resealed = super::expiry::reseal_held(session, &roster)?;
    } else if options.allow_expired_roster {
        report.sent_under_expired_roster = super::expiry::release_held(session)?;
    }
    // The first page before pushing: it says what the server lost.
    let cursor = store.meta_u64(CURSOR)?;
    let first = session.api()?.pull(&session.secrets.device, cursor, PULL_PAGE)?;
    let lost = store.acknowledged_after(session.config.device_id.as_str(), first.server.device_seq)?;
    let first = match restored(session, cursor, &first.server)? {
        Some(why) => {
            start_again(session, why, &first.server.store_id)?;
            report.restored = Some(why);
            None
        }
        None => Some(first),
    };
    push(session, lost, server_roster, &mut report)?;
    pull(session, &roster, first, &mut report, progress)?;
    // After the push, so that this device's head names what the server holds.
    report.refused_heads = super::heads::exchange(session, &roster)?.refused;
    report.rejected.extend(super::heads::apply_revocations(session, &roster)?);
    super::receipts::exchange(session, &roster)?;
    report.gaps = super::read::gaps(session)?;
    if super::audit::is_admin(session, &roster) {
        if report.restored.is_some() {
            report.warnings.extend(super::audit::forget_after_restore(session)?.map(SyncWarning::AuditLogRestored));
        }
        match super::audit::checkpoint(session, &roster) {
            Ok(entries) => report.audit_checkpoint = entries,
            Err(error) => report.warnings.push(SyncWarning::NoAuditCheckpoint { error }),
        }
    }
    report.alerts = super::alerts::open_from(session, &store.all_rows()?, &report.gaps)?;
    super::status::record_sync(session)?;
    Ok(report)
}

/// Why the server seems restored from an older backup (or replaced), judged
/// by where it stands (`state`, from a page pulled since `cursor`) against
/// what this device remembers; None when nothing says so.
fn restored(session: &Session, cursor: u64, state: &StoreState) -> Result<Option<Restored>, ClientError> {
    let store = &session.store;
    if store.meta(SERVER_STORE)?.is_some_and(|known| known != state.store_id) {
        return Ok(Some(Restored::OtherStore));
    }
    if cursor == 0 {
        return Ok(None);
    }
    if state.head == 0 {
        return Ok(Some(Restored::Emptied));
    }
    if state.head < cursor {
        return Ok(Some(Restored::EndsBefore { head: state.head, cursor }));
    }
    // Remembered since this version of the client; until then, nothing to compare.
    let Some(known) = store.meta(CURSOR_ITEM)?.and_then(|text| serde_json::from_str::<SeqItem>(&text).ok()) else {
        return Ok(None);
    };
    match &state.at_since {
        Some(item) if *item == known => {}
        Some(_) => return Ok(Some(Restored::OtherNoteAt { cursor })),
        None => return Ok(Some(Restored::LastReadGone { cursor })),
    }
    Ok(None)
}

/// Records the alert (its detail: `why` as JSON) and sends the cursor back
/// to the start; `store_id` is the server's store from now on.
fn start_again(session: &Session, why: Restored, store_id: &str) -> Result<(), ClientError> {
    let detail = serde_json::to_string(&why).expect("a reason serialises");
    Ok(session.store.transaction(|store| {
        store.alert(StoredKind::Restore, "", &detail)?;
        store.set_meta(CURSOR, "0")?;
        store.forget_meta(CURSOR_ITEM)?;
        store.set_meta(SERVER_STORE, store_id)
    })?)
}

/// One note to send: an outbox entry (its id), or a note the server lost
/// (none).
type Entry = (Option<i64>, NoteRow);

/// Uploads what the server lost of this device's (`lost`), then the outbox,
/// in the device's order; with `server_roster` (the server's roster is
/// older than this device's), only what that roster can check.
fn push(
    session: &Session,
    lost: Vec<NoteRow>,
    server_roster: Option<u64>,
    report: &mut SyncReport,
) -> Result<(), ClientError> {
    let mut entries: Vec<Entry> = lost.into_iter().map(|row| (None, row)).collect();
    let mut outbox = session.store.outbox()?;
    // A held entry, and every one after it (a device's notes reach the
    // server in its order), waits.
    if let Some(&(first_held, _)) = session.store.held()?.first() {
        report.held = outbox.iter().filter(|(id, _)| *id >= first_held).count();
        outbox.retain(|(id, _)| *id < first_held);
    }
    for (id, sealed) in outbox {
        entries.push((
            Some(id),
            NoteRow { sealed, server_seq: None, status: NoteStatus::Outbox, reason: None, note: None, follow_up: None },
        ));
    }
    if let Some(version) = server_roster {
        // A device's roster versions only go up: what waits is a tail.
        let ready = entries.iter().position(|(_, row)| row.header().roster_version > version).unwrap_or(entries.len());
        report.waiting = entries.len() - ready;
        entries.truncate(ready);
    }
    let chunks: Vec<_> = entries.chunks(PUSH_BATCH).collect();
    let keys = &session.secrets.device;
    let prepare = |chunk: &&[Entry], after| {
        let batch = UploadBatchRef { notes: chunk.iter().map(|(_, row)| &row.sealed).collect() };
        Prepared::upload(keys, &batch, after)
    };
    let last_seq = |chunk: &&[Entry]| chunk.last().map_or(0, |(_, row)| row.header().device_seq);
    session.api()?.pipelined(&chunks, prepare, last_seq, |chunk, answer: Result<UploadResponse, _>| {
        match answer.and_then(|response| acknowledged(chunk.iter().map(|(_, row)| &row.sealed), response)) {
            Ok(results) => session.store.transaction(|store| -> Result<(), ClientError> {
                let now = chrono::Utc::now().timestamp();
                for ((id, row), result) in chunk.iter().zip(&results) {
                    store.set_status(row.header(), NoteStatus::Valid, None, Some(result.seq))?;
                    store.set_received_at(row.header().note_id.as_str(), row.header().revision, now)?;
                    if let Some(id) = id {
                        store.remove_from_outbox(*id)?;
                    }
                }
                Ok(())
            })?,
            // A refused batch: send its notes one by one, so that one bad
            // note does not hold back the others.
            Err(e) if matches!(e.status(), Some(400 | 403 | 409)) => {
                for entry in *chunk {
                    push_one(session, entry, report)?;
                }
                return Ok(());
            }
            Err(e) => return Err(ClientError::from(e)),
        }
        for (id, row) in *chunk {
            match id {
                Some(_) => report.pushed += 1,
                None => report.reuploaded.push(Reuploaded::of(row)),
            }
        }
        Ok(())
    })
}

fn push_one(session: &Session, (id, row): &Entry, report: &mut SyncReport) -> Result<(), ClientError> {
    let sealed = &row.sealed;
    match session.api()?.upload(&session.secrets.device, &[sealed], None) {
        Ok(results) => {
            // `upload` checked that there is one result, for this note.
            let seq = results.first().map(|r| r.seq);
            session.store.set_status(&sealed.header, NoteStatus::Valid, None, seq)?;
            let now = chrono::Utc::now().timestamp();
            session.store.set_received_at(sealed.header.note_id.as_str(), sealed.header.revision, now)?;
            match id {
                Some(id) => {
                    session.store.remove_from_outbox(*id)?;
                    report.pushed += 1;
                }
                None => report.reuploaded.push(Reuploaded::of(row)),
            }
        }
        Err(error) if matches!(error.status(), Some(400 | 403 | 409)) => {
            let refused = NotTaken { note_id: sealed.header.note_id.to_string(), error };
            match id {
                // Kept locally, with the reason: the writer decides what to do.
                Some(id) => {
                    let reason = refused.error.to_string();
                    session.store.set_status(&sealed.header, NoteStatus::Refused, Some(&reason), None)?;
                    session.store.remove_from_outbox(*id)?;
                    report.refused_by_server.push(refused);
                }
                // A note readers may hold already: it stays as it is here.
                None => report.not_reuploaded.push(refused),
            }
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// Pulls from the cursor to the end, starting with `first` when it was
/// pulled already. Every page is checked for a restore; one noticed here
/// (the server restored while this sync ran) starts the pull again, once.
fn pull(
    session: &Session,
    roster: &Roster,
    mut first: Option<PullResponse>,
    report: &mut SyncReport,
    progress: Progress<'_>,
) -> Result<(), ClientError> {
    let mut started_again = report.restored.is_some();
    // The first page came before the push: what was pushed comes back after it.
    let mut again_after_push = first.is_some() && (report.pushed > 0 || !report.reuploaded.is_empty());
    let mut cursor = session.store.meta_u64(CURSOR)?;
    loop {
        let page = match first.take() {
            Some(page) => page,
            None => session.api()?.pull(&session.secrets.device, cursor, PULL_PAGE)?,
        };
        if let Some(why) = restored(session, cursor, &page.server)? {
            if started_again {
                // Twice in one sync: the alert stays open for the next one.
                report.restored.get_or_insert(why);
                return Ok(());
            }
            started_again = true;
            start_again(session, why, &page.server.store_id)?;
            report.restored = Some(why);
            cursor = 0;
            continue;
        }
        session.store.transaction(|store| -> Result<(), ClientError> {
            for pulled in &page.notes {
                take(session, roster, pulled, report)?;
                let h = &pulled.sealed.header;
                store.set_received_at(h.note_id.as_str(), h.revision, pulled.received_at)?;
            }
            store.set_meta(CURSOR, &page.next.to_string())?;
            let at_cursor = match page.notes.last() {
                Some(last) => Some(SeqItem {
                    seq: last.seq,
                    note_id: last.sealed.header.note_id.clone(),
                    revision: last.sealed.header.revision,
                    received_at: last.received_at,
                }),
                // Nothing new: what the server has at the cursor, if this
                // device has not remembered it yet (a client before this version).
                None if store.meta(CURSOR_ITEM)?.is_none() => page.server.at_since.clone(),
                None => None,
            };
            if let Some(item) = at_cursor {
                store.set_meta(CURSOR_ITEM, &serde_json::to_string(&item).expect("a SeqItem serialises"))?;
            }
            Ok(store.set_meta(SERVER_STORE, &page.server.store_id)?)
        })?;
        report.pulled += page.notes.len();
        progress(report.pulled as u64, None);
        if (!page.more || page.next == cursor) && !std::mem::take(&mut again_after_push) {
            break;
        }
        cursor = page.next;
    }
    // Pulled to the end: a restore noticed now or before is dealt with.
    Ok(session.store.resolve_alerts(StoredKind::Restore, "")?)
}

/// Verifies and stores one pulled revision.
fn take(
    session: &Session,
    roster: &Roster,
    pulled: &visitnotes_shared::api::PulledNote,
    report: &mut SyncReport,
) -> Result<(), ClientError> {
    let store = &session.store;
    let sealed = &pulled.sealed;
    let h = &sealed.header;
    let label = format!("{} revision {}", h.note_id, h.revision);
    // A revision seen before (our own upload coming back, a page pulled
    // again, a rewrapped copy): keep what we verified; look at the new copy
    // only to report tampering, or to read it if it was rewrapped for us.
    let mut reopening = false;
    if let Some((known, status)) = store.sealed_with_status(h.note_id.as_str(), h.revision)? {
        let same_signed = known.header == sealed.header && known.signature == sealed.signature;
        let problem = if status == NoteStatus::Rejected {
            // Verified again from scratch below: a copy that now verifies
            // (the right one served again, a roster that caught up) ends
            // the alert. But not beside another item its device signed
            // under the same number and accepted here: that one came first
            // (a rollback served again, or a fork), and this stays refused.
            let (_, held) = store.device_held(h.device_id.as_str(), h.device_seq)?;
            if held.is_some_and(|hash| hash != visitnotes_shared::hex(&sealed.hash())) {
                return Ok(());
            }
            reopening = true;
            None
        } else if status == NoteStatus::Withheld && same_signed && pulled.withheld.is_none() {
            // Its content, withheld before, is served now: open it.
            reopening = true;
            None
        } else if !same_signed {
            Some(ChangedCopy::OtherContent)
        } else if known.age == sealed.age && known.rewrap == sealed.rewrap || pulled.withheld.is_some() {
            // The copy seen before is served again: an earlier swap is over.
            store.resolve_alerts(StoredKind::Swap, &label)?;
            return Ok(());
        } else if status == NoteStatus::NotAddressed && sealed.rewrap.is_some() {
            reopening = true;
            None
        } else {
            envelope::verify(sealed, roster)
                .err()
                .map(|e| ChangedCopy::Damaged { error: crate::error::Chain(&e).to_string() })
        };
        if let Some(why) = problem {
            store.alert(StoredKind::Swap, &label, &serde_json::to_string(&why).expect("a reason serialises"))?;
            report.rejected.push((h.note_id.to_string(), why.msg().render(Lang::En)));
            return Ok(());
        }
        if !reopening {
            return Ok(());
        }
    }
    if let Some(why) = &pulled.withheld {
        // No ciphertext to open: check the signed header, keep the metadata.
        return match envelope::verify_header(h, &sealed.signature, roster) {
            Ok(()) => Ok(store.put_note(sealed, Some(pulled.seq), NoteStatus::Withheld, Some(why), None)?),
            Err(e) => reject(session, sealed, pulled.seq, &e, report),
        };
    }
    // A revision already accepted under the same signed header is no rollback.
    let (seen_revision, seen_device_seq) = if reopening {
        (None, None)
    } else {
        (store.max_valid_revision(h.note_id.as_str())?, store.max_device_seq(h.device_id.as_str())?)
    };
    let ctx = OpenContext { roster, identity: session.secrets.device.age_identity(), seen_revision, seen_device_seq };
    // Another person's item, opened now for the first time: counted for
    // the sync's "what changed" in words.
    let theirs = h.author != session.config.user_id;
    match envelope::open(sealed, &ctx) {
        Ok(Opened::Note { note, .. }) => {
            store.put_note(sealed, Some(pulled.seq), NoteStatus::Valid, None, Some(&note))?;
            if theirs {
                let tally: fn(&mut ReceivedFrom) =
                    if h.revision == 1 { |r| r.new_notes += 1 } else { |r| r.changed_notes += 1 };
                report.received(roster, &h.author, tally);
            }
            Ok(())
        }
        Ok(Opened::FollowUp { record, .. }) => {
            store.put_follow_up(sealed, Some(pulled.seq), NoteStatus::Valid, None, Some(&record))?;
            if theirs {
                report.received(roster, &h.author, |r| r.follow_ups += 1);
            }
            Ok(())
        }
        Ok(Opened::Tombstone { .. }) => {
            if theirs {
                report.received(roster, &h.author, |r| r.deleted_notes += 1);
            }
            store.put_note(sealed, Some(pulled.seq), NoteStatus::Valid, None, None)?;
            Ok(store.forget_plaintext(h.note_id.as_str())?)
        }
        Err(OpenError::NotRecipient) => {
            report.not_addressed += 1;
            if reopening {
                return Ok(());
            }
            Ok(store.put_note(sealed, Some(pulled.seq), NoteStatus::NotAddressed, None, None)?)
        }
        Err(e) => reject(session, sealed, pulled.seq, &e, report),
    }
}

fn reject(
    session: &Session,
    sealed: &envelope::SealedNote,
    seq: u64,
    error: &OpenError,
    report: &mut SyncReport,
) -> Result<(), ClientError> {
    let reason = crate::error::Chain(error).to_string();
    // Stored as rejected (never as a note), so it is shown, not hidden: the
    // rejected row is the alert, until the revision verifies.
    session.store.put_note(sealed, Some(seq), NoteStatus::Rejected, Some(&reason), None)?;
    report.rejected.push((sealed.header.note_id.to_string(), reason));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Why the server seems restored reads in English as `visitnotes sync`
    /// has always said it, and in Norwegian on a Norwegian page.
    #[test]
    fn why_a_server_seems_restored_is_worded_in_each_language() {
        let why = Restored::EndsBefore { head: 2, cursor: 40 };
        assert_eq!(
            why.msg().render(Lang::En),
            "its notes now end at number 2, but this device had already read up to number 40"
        );
        assert_eq!(
            why.msg().render(Lang::Nb),
            "notatene dens slutter nå ved nummer 2, men denne enheten hadde allerede hentet til nummer 40"
        );
        for why in [
            Restored::OtherStore,
            Restored::Emptied,
            Restored::EndsBefore { head: 1, cursor: 3 },
            Restored::OtherNoteAt { cursor: 3 },
            Restored::LastReadGone { cursor: 3 },
        ] {
            for lang in Lang::ALL {
                let text = why.msg().render(lang);
                assert!(!text.starts_with("restored-") && !text.contains('{'), "{lang:?}: {text}");
            }
            // Kept in the alert as JSON, and read back from there.
            let kept = serde_json::to_string(&why).unwrap();
            assert_eq!(serde_json::from_str::<Restored>(&kept).unwrap(), why);
        }
    }

    /// Why a copy seen before is refused reads in English as before (in
    /// `sync --json` and the alert), in Norwegian on a Norwegian page, and
    /// comes back from the alert's JSON.
    #[test]
    fn why_a_changed_copy_is_refused_is_worded_in_each_language() {
        let other = ChangedCopy::OtherContent;
        assert_eq!(other.msg().render(Lang::En), "the server now serves different content for a revision already seen");
        assert_eq!(other.msg().render(Lang::Nb), "serveren leverer nå et annet innhold for en versjon som er sett før");
        let damaged = ChangedCopy::Damaged { error: "the signature does not verify.".into() };
        assert_eq!(
            damaged.msg().render(Lang::En),
            "a damaged copy of a revision already seen: the signature does not verify"
        );
        assert!(damaged.msg().render(Lang::Nb).starts_with("en skadet kopi av en versjon som er sett før: "));
        for why in [other, damaged] {
            let kept = serde_json::to_string(&why).unwrap();
            assert_eq!(serde_json::from_str::<ChangedCopy>(&kept).unwrap(), why);
        }
    }

    /// `sync --json` gives the warnings and the reason as data: a code,
    /// their figures, and an error as `--json` gives one.
    #[test]
    fn the_warnings_are_data_in_json() {
        let refused = || {
            ClientError::Api(ApiClientError::Refused { status: 503, code: "busy".into(), message: "try later".into() })
        };
        let report = SyncReport {
            restored: Some(Restored::OtherNoteAt { cursor: 7 }),
            warnings: vec![
                SyncWarning::NoAuditCheckpoint { error: refused() },
                SyncWarning::AuditLogRestored(super::super::audit::LogRestored {
                    first_gone: 5,
                    last_gone: 9,
                    signed_at: 1_767_225_600,
                    entries: 4,
                }),
            ],
            ..SyncReport::default()
        };
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["restored"], serde_json::json!({ "why": "other_note_at", "cursor": 7 }));
        assert_eq!(
            json["warnings"],
            serde_json::json!([
                {
                    "warning": "no_audit_checkpoint",
                    "error": { "code": refused().code(), "message": refused().to_string() }
                },
                { "warning": "audit_log_restored", "first_gone": 5, "last_gone": 9, "signed_at": 1_767_225_600, "entries": 4 }
            ])
        );
    }
}
