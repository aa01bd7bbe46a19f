//! Coordinators' follow-up on concerns: recording what was done about one
//! (a follow-up record, sealed and signed like a note, beside the leader's
//! note, which stays as its leader wrote it), and reading where each
//! concern stands.
//!
//! Decisions:
//! - One record per entry: each time a coordinator records follow-up, a
//!   new record with a fresh random id, revision 1 and one entry. The
//!   server sees only that a coordinator wrote about one of a leader's
//!   notes, and when; not whether two records are about the same concern,
//!   nor how many steps a concern took. Readers gather the entries of all
//!   records on a concern after opening them. Records written by earlier
//!   versions (one per coordinator and concern, each revision repeating
//!   the entries before it) are still read: the newest revision of each.
//! - A concern is named by its number in the note and a digest of its
//!   description. A record follows its concern when a later revision of
//!   the note moves it; when the leader rewrites or drops it, the record
//!   is shown apart ("the concern has changed since") and not counted, so
//!   that a follow-up is never shown under a concern it was not about.
//! - Where a concern stands: the newest entry of all records on it (the
//!   latest date; of one date, the one recorded last). Without a record,
//!   the leader's own `follow_up` and `closed_on` in the note.
//! - A record on a note this device does not have (not synced yet, or not
//!   readable here) is kept and listed as "for a note not (yet) received".

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use visitnotes_shared::envelope::{seal_follow_up, Kind, SealParams};
use visitnotes_shared::follow_up::{self, FollowUpEntry, FollowUpRecord};
use visitnotes_shared::note::{Concern, FollowUp, Severity, VisitNote};
use visitnotes_shared::roster::{Role, Roster};
use visitnotes_shared::{NoteId, UserId};

use super::read::Person;
use crate::error::ClientError;
use crate::profile::Session;
use crate::store::{NoteRow, NoteStatus};

/// A concern chosen for follow-up: the newest revision of its note.
#[derive(Debug, Clone)]
pub struct Picked {
    pub row: NoteRow,
    pub note: VisitNote,
    /// From 1.
    pub number: u32,
}

impl Picked {
    pub fn concern(&self) -> &Concern {
        &self.note.concerns[self.number as usize - 1]
    }

    pub fn note_id(&self) -> &NoteId {
        &self.row.header().note_id
    }
}

/// What a coordinator says was done.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub status: FollowUp,
    pub date: NaiveDate,
    pub text: String,
}

/// What `record` stored (in the outbox until `sync`).
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    /// A fresh id for every entry.
    pub record_id: NoteId,
    /// Always 1: a record is never revised.
    pub revision: u64,
    pub note_id: NoteId,
    pub concern: u32,
    pub status: FollowUp,
    pub date: NaiveDate,
}

fn require_coordinator(session: &Session, roster: &Roster) -> Result<(), ClientError> {
    match roster.device(&session.config.device_id) {
        None => Err(ClientError::NotApproved),
        Some((member, _)) if member.roles.contains(&Role::Coordinator) => Ok(()),
        Some(_) => Err(ClientError::NotCoordinator),
    }
}

/// The concern `number` (from 1) of the note named by `note` (its id or
/// the first 6 or more characters, as for `note show`), for a coordinator
/// to record follow-up on.
pub fn pick(session: &Session, note: &str, number: u32) -> Result<Picked, ClientError> {
    require_coordinator(session, &session.roster()?)?;
    let row = super::read::latest_revision(session, note)?.ok_or_else(|| ClientError::NoSuchNote(note.to_owned()))?;
    if row.header().kind == Kind::Tombstone {
        return Err(FollowUpRefusal::NoteDeleted { note: note.to_owned() }.into());
    }
    if row.status == NoteStatus::Refused {
        return Err(FollowUpRefusal::NeverStored { note: note.to_owned() }.into());
    }
    let content = row.note.clone().ok_or_else(|| ClientError::NoSuchNote(note.to_owned()))?;
    let count = content.concerns.len();
    if number == 0 || number as usize > count {
        return Err(FollowUpRefusal::NoSuchConcern { note: note.to_owned(), number, count }.into());
    }
    Ok(Picked { row, note: content, number })
}

/// Why follow-up cannot be recorded on a concern: the door's words for
/// each are in the catalogues (`follow-up-refused-*`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpRefusal {
    /// The note's author deleted it.
    #[error("note {note} was deleted by its author: nothing to follow up")]
    NoteDeleted { note: String },
    /// The server refused the note: nobody else has it.
    #[error("note {note} was never stored on the server (it refused it): follow up with its author")]
    NeverStored { note: String },
    /// `number` is not one of the note's `count` concerns.
    #[error("{}", no_such_concern(note, *count))]
    NoSuchConcern { note: String, number: u32, count: usize },
    /// The entry itself is wrong.
    #[error(transparent)]
    Entry(#[from] EntryProblem),
}

fn no_such_concern(note: &str, count: usize) -> String {
    match count {
        0 => format!("note {note} records no concern: nothing to follow up"),
        1 => format!("note {note} records one concern: give 1 as its number"),
        n => format!(
            "note {note} records {n} concerns: give a number from 1 to {n} (`visitnotes note show {note}` lists them)"
        ),
    }
}

impl FollowUpRefusal {
    /// The code for `--json` (see `ClientError::code`).
    pub fn code(&self) -> &'static str {
        match self {
            FollowUpRefusal::NoteDeleted { .. } => "note_deleted",
            FollowUpRefusal::NeverStored { .. } => "not_stored",
            FollowUpRefusal::NoSuchConcern { .. } => "no_such_concern",
            FollowUpRefusal::Entry(EntryProblem::Future(_)) => "future_date",
            FollowUpRefusal::Entry(EntryProblem::BeforeVisit { .. }) => "before_visit",
            FollowUpRefusal::Entry(EntryProblem::TooLong) => "too_long",
        }
    }
}

/// What is wrong with a follow-up entry, for a door to say at its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    #[error("the follow-up date {0} is in the future: give the day it was done")]
    Future(NaiveDate),
    #[error("the follow-up date {date} is before the visit ({visit}): give the day it was done")]
    BeforeVisit { date: NaiveDate, visit: NaiveDate },
    #[error("the text is longer than {} bytes: keep it to a few sentences", follow_up::MAX_TEXT)]
    TooLong,
}

/// Everything wrong with an entry on the picked concern: its day (when
/// the door could read one: `None` skips it) and its text. `record`
/// refuses an entry with any.
pub fn problems(picked: &Picked, date: Option<NaiveDate>, text: &str) -> Vec<EntryProblem> {
    let visit = picked.note.visit_date;
    let mut out = Vec::new();
    match date {
        Some(date) if date > super::write::latest_visit_date() => out.push(EntryProblem::Future(date)),
        Some(date) if date < visit => out.push(EntryProblem::BeforeVisit { date, visit }),
        _ => {}
    }
    if text.trim().len() > follow_up::MAX_TEXT {
        out.push(EntryProblem::TooLong);
    }
    out
}

/// Records `entry` on the picked concern, as a record of its own. Works
/// offline: the sealed record waits in the outbox until `sync`. The note
/// is not touched.
pub fn record(session: &Session, picked: &Picked, entry: NewEntry) -> Result<Recorded, ClientError> {
    let roster = session.roster()?;
    require_coordinator(session, &roster)?;
    if let Some(problem) = problems(picked, Some(entry.date), &entry.text).into_iter().next() {
        return Err(FollowUpRefusal::Entry(problem).into());
    }
    let text = entry.text.trim().to_owned();
    // Every entry is a record of its own: a fresh id, revision 1, nothing
    // before it. The server sees records about one leader's notes and
    // cannot tell which of them are about the same concern.
    let record_id = NoteId::random();
    let record = FollowUpRecord {
        schema_version: follow_up::SCHEMA_VERSION,
        note_id: picked.note_id().clone(),
        note_revision: picked.row.header().revision,
        concern: picked.number,
        concern_sha256: follow_up::concern_digest(picked.concern()),
        entries: vec![FollowUpEntry {
            status: entry.status,
            date: entry.date,
            text,
            recorded_at: chrono::Utc::now().timestamp(),
        }],
    };
    let note_author = picked.row.header().author.clone();
    session.store.transaction(|store| {
        let params = SealParams {
            note_id: record_id.clone(),
            revision: 1,
            prev_hash: None,
            device_seq: store.next_device_seq()?,
        };
        let device_prev = super::write::chain_tip(session, store)?;
        let sealed = seal_follow_up(&record, &note_author, &params, device_prev, &roster, &session.secrets.device)?;
        store.put_follow_up(&sealed, None, NoteStatus::Outbox, None, Some(&record))?;
        store.add_to_outbox(&sealed)?;
        super::write::hold_if_expired(store, &sealed, &roster)
    })?;
    Ok(Recorded {
        record_id,
        revision: 1,
        note_id: picked.note_id().clone(),
        concern: picked.number,
        status: entry.status,
        date: entry.date,
    })
}

/// The newest readable revision of every follow-up record (valid, or
/// waiting in this device's outbox), with its record.
fn latest_records(rows: &[NoteRow]) -> Vec<(NoteRow, FollowUpRecord)> {
    let mut latest: Vec<(NoteRow, FollowUpRecord)> = Vec::new();
    // Rows come in (id, revision) order: the last of an id is its newest.
    for row in rows
        .iter()
        .filter(|r| r.header().kind == Kind::FollowUp && matches!(r.status, NoteStatus::Valid | NoteStatus::Outbox))
    {
        let Some(record) = row.follow_up.clone() else { continue };
        match latest.last_mut() {
            Some((last, r)) if last.header().note_id == row.header().note_id => {
                *last = row.clone();
                *r = record;
            }
            _ => latest.push((row.clone(), record)),
        }
    }
    latest
}

/// One entry of a concern's follow-up history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// The coordinator who recorded it.
    pub by: Person,
    pub by_user: UserId,
    pub status: FollowUp,
    pub date: NaiveDate,
    pub text: String,
    /// Unix seconds when it was recorded (shown as a local date and time).
    pub recorded_at: i64,
    pub record_id: NoteId,
    /// The record's number in its device's sequence: orders the entries
    /// one device recorded within the same second, each in a record of
    /// its own.
    #[serde(skip)]
    pub device_seq: u64,
    /// Still in this device's outbox.
    pub pending: bool,
}

/// Why a follow-up record is not shown under a concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Apart {
    /// Its note is not on this device (not synced yet, or not readable here).
    NoteNotReceived,
    /// Its note was deleted by its author.
    NoteDeleted,
    /// The concern it was about was rewritten or removed in a later revision.
    ConcernChanged,
    /// It names a note whose author is not the one it was sent to.
    WrongAuthor,
}

/// A follow-up record that is not shown under any concern, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmatched {
    pub why: Apart,
    pub note_id: NoteId,
    /// The concern's number in `note_revision` of the note.
    pub concern: u32,
    pub note_revision: u64,
    /// Its current entry.
    pub entry: HistoryEntry,
}

/// Every follow-up record on this device, placed under its concern.
#[derive(Debug, Clone, Default)]
pub struct FollowUps {
    /// (note id, concern index from 0) → its history, oldest first.
    pub by_concern: BTreeMap<(NoteId, usize), Vec<HistoryEntry>>,
    pub apart: Vec<Unmatched>,
}

impl FollowUps {
    /// The history of concern `index` (from 0) of `note`, oldest first.
    pub fn history(&self, note: &NoteId, index: usize) -> &[HistoryEntry] {
        self.by_concern.get(&(note.clone(), index)).map(Vec::as_slice).unwrap_or_default()
    }

    /// Where the concern stands by the coordinators' records: the newest entry.
    pub fn current(&self, note: &NoteId, index: usize) -> Option<&HistoryEntry> {
        self.history(note, index).last()
    }

    /// The records on `note` that are not under any of its concerns.
    pub fn apart_for<'a>(&'a self, note: &'a NoteId) -> impl Iterator<Item = &'a Unmatched> + 'a {
        self.apart.iter().filter(move |u| &u.note_id == note)
    }
}

/// The order of a concern's history: by date, then by when recorded (to
/// the second, then by the recording device's sequence). The entries of a
/// record written by an earlier version share its number and keep their
/// order (the sort is stable).
fn order(e: &HistoryEntry) -> (NaiveDate, i64, u64, &str) {
    (e.date, e.recorded_at, e.device_seq, e.record_id.as_str())
}

/// Places every follow-up record in `rows` (as the store gives them)
/// under the concern it is about. Pure: `roster` only names people.
pub fn link(rows: &[NoteRow], roster: Option<&Roster>) -> FollowUps {
    // The newest accepted revision of every note (a tombstone included).
    let mut notes: BTreeMap<&NoteId, &NoteRow> = BTreeMap::new();
    for row in rows
        .iter()
        .filter(|r| r.header().kind != Kind::FollowUp && matches!(r.status, NoteStatus::Valid | NoteStatus::Outbox))
    {
        notes.insert(&row.header().note_id, row);
    }
    let mut out = FollowUps::default();
    // Records not under a concern, with the digest of the concern each is about.
    let mut apart_from: Vec<(String, Unmatched)> = Vec::new();
    for (row, record) in latest_records(rows) {
        let h = row.header();
        let entry = |e: &FollowUpEntry| HistoryEntry {
            by: Person::of(roster, &h.author),
            by_user: h.author.clone(),
            status: e.status,
            date: e.date,
            text: e.text.clone(),
            recorded_at: e.recorded_at,
            record_id: h.note_id.clone(),
            device_seq: h.device_seq,
            pending: row.status == NoteStatus::Outbox,
        };
        let apart = |why| Unmatched {
            why,
            note_id: record.note_id.clone(),
            concern: record.concern,
            note_revision: record.note_revision,
            entry: record.current().map(entry).expect("a record has an entry (checked when opened)"),
        };
        let note = notes.get(&record.note_id);
        let concerns = match note {
            None => {
                apart_from.push((record.concern_sha256.clone(), apart(Apart::NoteNotReceived)));
                continue;
            }
            Some(n) if n.header().kind == Kind::Tombstone => {
                apart_from.push((record.concern_sha256.clone(), apart(Apart::NoteDeleted)));
                continue;
            }
            Some(n) if Some(&n.header().author) != h.note_author.as_ref() => {
                apart_from.push((record.concern_sha256.clone(), apart(Apart::WrongAuthor)));
                continue;
            }
            Some(n) => match &n.note {
                Some(content) => &content.concerns,
                None => {
                    apart_from.push((record.concern_sha256.clone(), apart(Apart::NoteNotReceived)));
                    continue;
                }
            },
        };
        let digest = |i: usize| concerns.get(i).map(follow_up::concern_digest);
        let at_number = (record.concern as usize).checked_sub(1);
        let index = at_number
            .filter(|&i| digest(i).as_ref() == Some(&record.concern_sha256))
            .or_else(|| (0..concerns.len()).find(|&i| digest(i).as_ref() == Some(&record.concern_sha256)));
        let Some(index) = index else {
            apart_from.push((record.concern_sha256.clone(), apart(Apart::ConcernChanged)));
            continue;
        };
        out.by_concern.entry((record.note_id.clone(), index)).or_default().extend(record.entries.iter().map(entry));
    }
    for history in out.by_concern.values_mut() {
        history.sort_by(|a, b| order(a).cmp(&order(b)));
    }
    // Said once per coordinator, concern and reason, with the newest entry,
    // however many records (one per entry) that coordinator wrote on it.
    let key = |(digest, u): &(String, Unmatched)| (u.note_id.clone(), digest.clone(), u.entry.by_user.clone(), u.why);
    apart_from.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| order(&a.1.entry).cmp(&order(&b.1.entry))));
    let mut kept: Vec<(String, Unmatched)> = Vec::new();
    for item in apart_from {
        match kept.last_mut() {
            Some(last) if key(last) == key(&item) => *last = item,
            _ => kept.push(item),
        }
    }
    out.apart = kept.into_iter().map(|(_, u)| u).collect();
    out
}

/// One concern as `concern list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConcernLine {
    pub note_id: NoteId,
    /// From 1, as `note show` lists them.
    pub concern: u32,
    pub visit_date: NaiveDate,
    pub units: Vec<String>,
    /// The note's author.
    pub author: Person,
    pub severity: Severity,
    /// Where it stands: the newest coordinator's entry, else the leader's note.
    pub status: FollowUp,
    /// The coordinator who recorded `status`; none when it is the leader's.
    pub by: Option<Person>,
    /// The date of that entry (or the leader's closing date).
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ConcernList {
    pub concerns: Vec<ConcernLine>,
    /// Follow-up records not shown under a concern, and why.
    pub apart: Vec<Unmatched>,
}

/// Every concern of the notes on this device (only those not closed,
/// unless `closed`), most severe first, then oldest; and the follow-up
/// records that are not under any of them.
pub fn list(session: &Session, closed: bool) -> Result<ConcernList, ClientError> {
    let rows = session.store.all_rows()?;
    let roster = session.roster().ok();
    let follow_ups = link(&rows, roster.as_ref());
    let mut concerns = Vec::new();
    for row in super::read::latest_of(rows) {
        let Some(note) = &row.note else { continue };
        let id = &row.header().note_id;
        for (i, c) in note.concerns.iter().enumerate() {
            let (status, by, since) = match follow_ups.current(id, i) {
                Some(e) => (e.status, Some(e.by.clone()), Some(e.date)),
                None => (c.follow_up, None, c.closed_on.filter(|_| c.follow_up == FollowUp::Closed)),
            };
            if status == FollowUp::Closed && !closed {
                continue;
            }
            concerns.push(ConcernLine {
                note_id: id.clone(),
                concern: i as u32 + 1,
                visit_date: note.visit_date,
                units: note.units.clone(),
                author: Person::of(roster.as_ref(), &row.header().author),
                severity: c.severity,
                status,
                by,
                since,
            });
        }
    }
    concerns.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then(a.visit_date.cmp(&b.visit_date)).then(a.note_id.cmp(&b.note_id))
    });
    Ok(ConcernList { concerns, apart: follow_ups.apart })
}

/// Which concerns the coordinators' overview shows (`overview`).
#[derive(Debug, Clone, Default)]
pub struct ConcernFilter {
    /// Closed concerns too.
    pub closed: bool,
    /// Only concerns of at least this severity.
    pub min_severity: Option<Severity>,
    /// Only concerns of notes about this unit.
    pub unit: Option<String>,
    /// Only concerns of visits on or after this day.
    pub from: Option<NaiveDate>,
    /// Only concerns of visits on or before this day.
    pub to: Option<NaiveDate>,
}

impl ConcernFilter {
    fn matches(&self, c: &ConcernLine) -> bool {
        (self.closed || c.status != FollowUp::Closed)
            && self.min_severity.is_none_or(|s| c.severity >= s)
            && self.unit.as_ref().is_none_or(|u| c.units.iter().any(|n| n.eq_ignore_ascii_case(u)))
            && self.from.is_none_or(|d| c.visit_date >= d)
            && self.to.is_none_or(|d| c.visit_date <= d)
    }
}

impl ConcernLine {
    /// How many days the concern has been open on `today`: since its
    /// visit, until it was closed (when that day is known) or today.
    pub fn days_open(&self, today: NaiveDate) -> i64 {
        let until = match (self.status, self.since) {
            (FollowUp::Closed, Some(closed)) => closed,
            _ => today,
        };
        (until - self.visit_date).num_days().max(0)
    }
}

/// The coordinators' overview of concerns (`overview`).
#[derive(Debug, Clone, Default)]
pub struct ConcernOverview {
    /// Open first, then in progress, then closed; within each, the most
    /// severe first, then the longest open.
    pub concerns: Vec<ConcernLine>,
    /// How many concerns there are before filtering (closed ones included).
    pub total: usize,
    pub apart: Vec<Unmatched>,
}

/// Every concern on this device that passes `filter`, in the order a
/// coordinator works through them: open first, then by severity, then by
/// days open (on `today`).
pub fn overview(session: &Session, filter: &ConcernFilter, today: NaiveDate) -> Result<ConcernOverview, ClientError> {
    let listed = list(session, true)?;
    let total = listed.concerns.len();
    let mut concerns: Vec<ConcernLine> = listed.concerns.into_iter().filter(|c| filter.matches(c)).collect();
    let stage = |s: FollowUp| match s {
        FollowUp::Open => 0,
        FollowUp::InProgress => 1,
        FollowUp::Closed => 2,
    };
    concerns.sort_by(|a, b| {
        stage(a.status)
            .cmp(&stage(b.status))
            .then(b.severity.cmp(&a.severity))
            .then(b.days_open(today).cmp(&a.days_open(today)))
            .then(a.note_id.cmp(&b.note_id))
            .then(a.concern.cmp(&b.concern))
    });
    Ok(ConcernOverview { concerns, total, apart: listed.apart })
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::envelope::{EnvelopeHeader, SealedNote};
    use visitnotes_shared::note::SCHEMA_VERSION;
    use visitnotes_shared::DeviceId;

    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn concern(text: &str) -> Concern {
        Concern {
            severity: Severity::High,
            description: text.into(),
            consent_to_follow_up: true,
            reported_to: None,
            reported_on: None,
            follow_up: FollowUp::Open,
            closed_on: None,
        }
    }

    fn row(kind: Kind, id: &NoteId, revision: u64, author: &UserId, note_author: Option<&UserId>) -> NoteRow {
        let header = EnvelopeHeader {
            kind,
            note_id: id.clone(),
            revision,
            prev_hash: None,
            author: author.clone(),
            device_id: DeviceId::from_signing_key(&[1; 32]),
            device_seq: revision,
            roster_version: 1,
            age_sha256: String::new(),
            payload_sha256: String::new(),
            note_author: note_author.cloned(),
            device_prev: None,
        };
        NoteRow {
            sealed: SealedNote { header, signature: vec![], age: vec![], rewrap: None },
            server_seq: None,
            status: NoteStatus::Valid,
            reason: None,
            note: None,
            follow_up: None,
        }
    }

    fn note_row(id: &NoteId, revision: u64, author: &UserId, concerns: Vec<Concern>) -> NoteRow {
        let mut note = VisitNote::blank(day(2));
        note.units = vec!["Unit A".into()];
        note.schema_version = SCHEMA_VERSION;
        note.concerns = concerns;
        NoteRow { note: Some(note), ..row(Kind::Note, id, revision, author, None) }
    }

    fn record_row(
        by: &UserId,
        note_author: &UserId,
        note: &NoteId,
        number: u32,
        about: &Concern,
        entries: &[(FollowUp, u32, i64)],
    ) -> NoteRow {
        let record = FollowUpRecord {
            schema_version: follow_up::SCHEMA_VERSION,
            note_id: note.clone(),
            note_revision: 1,
            concern: number,
            concern_sha256: follow_up::concern_digest(about),
            entries: entries
                .iter()
                .map(|&(status, d, at)| FollowUpEntry { status, date: day(d), text: String::new(), recorded_at: at })
                .collect(),
        };
        NoteRow { follow_up: Some(record), ..row(Kind::FollowUp, &NoteId::random(), 1, by, Some(note_author)) }
    }

    #[test]
    fn records_are_placed_under_their_concern_and_the_newest_entry_wins() {
        let (leader, cora, carl) = (UserId::random(), UserId::random(), UserId::random());
        let (doctor, food) = (concern("asked to see a doctor"), concern("no food after 18:00"));
        let id = NoteId::random();
        // The leader moved the doctor concern to second place in revision 2.
        let rows = vec![
            note_row(&id, 1, &leader, vec![doctor.clone()]),
            note_row(&id, 2, &leader, vec![food.clone(), doctor.clone()]),
            record_row(&cora, &leader, &id, 1, &doctor, &[(FollowUp::InProgress, 3, 10), (FollowUp::Closed, 5, 20)]),
            // Recorded later by another coordinator, about an earlier day.
            record_row(&carl, &leader, &id, 1, &doctor, &[(FollowUp::InProgress, 4, 30)]),
        ];
        let linked = link(&rows, None);
        let history = linked.history(&id, 1);
        assert_eq!(history.iter().map(|e| e.date).collect::<Vec<_>>(), vec![day(3), day(4), day(5)]);
        assert_eq!(linked.current(&id, 1).map(|e| e.status), Some(FollowUp::Closed));
        assert!(linked.history(&id, 0).is_empty(), "not under the concern that now has number 1");
        assert!(linked.apart.is_empty());
    }

    #[test]
    fn records_that_fit_no_concern_are_kept_apart() {
        let (leader, other, cora) = (UserId::random(), UserId::random(), UserId::random());
        let doctor = concern("asked to see a doctor");
        let (rewritten, deleted, elsewhere, missing) =
            (NoteId::random(), NoteId::random(), NoteId::random(), NoteId::random());
        let mut rows = vec![
            note_row(&rewritten, 1, &leader, vec![concern("asked to see a doctor today")]),
            note_row(&deleted, 1, &leader, vec![doctor.clone()]),
            row(Kind::Tombstone, &deleted, 2, &leader, None),
            note_row(&elsewhere, 1, &other, vec![doctor.clone()]),
        ];
        let entries = [(FollowUp::Closed, 5, 1)];
        rows.push(record_row(&cora, &leader, &rewritten, 1, &doctor, &entries));
        rows.push(record_row(&cora, &leader, &deleted, 1, &doctor, &entries));
        rows.push(record_row(&cora, &leader, &elsewhere, 1, &doctor, &entries));
        rows.push(record_row(&cora, &leader, &missing, 1, &doctor, &entries));
        // Two more entries on the missing note's concern, each a record: one
        // by the same coordinator, one by another.
        let carl = UserId::random();
        rows.push(record_row(&cora, &leader, &missing, 1, &doctor, &[(FollowUp::InProgress, 6, 2)]));
        rows.push(record_row(&carl, &leader, &missing, 1, &doctor, &[(FollowUp::Open, 4, 3)]));
        // The store gives rows in (id, revision) order.
        rows.sort_by(|a, b| {
            (&a.header().note_id, a.header().revision).cmp(&(&b.header().note_id, b.header().revision))
        });
        let linked = link(&rows, None);
        assert!(linked.by_concern.is_empty());
        let why = |id: &NoteId| linked.apart_for(id).map(|u| u.why).collect::<Vec<_>>();
        assert_eq!(why(&rewritten), vec![Apart::ConcernChanged]);
        assert_eq!(why(&deleted), vec![Apart::NoteDeleted]);
        assert_eq!(why(&elsewhere), vec![Apart::WrongAuthor]);
        // Once per coordinator, with that coordinator's newest entry.
        let mut said: Vec<_> =
            linked.apart_for(&missing).map(|u| (u.why, u.entry.by_user.clone(), u.entry.date)).collect();
        said.sort();
        let mut expected = vec![(Apart::NoteNotReceived, cora, day(6)), (Apart::NoteNotReceived, carl, day(4))];
        expected.sort();
        assert_eq!(said, expected);
    }

    #[test]
    fn of_two_entries_recorded_in_the_same_second_the_later_one_stands() {
        let (leader, cora) = (UserId::random(), UserId::random());
        let doctor = concern("asked to see a doctor");
        let id = NoteId::random();
        let entry = |status, seq, record: &str| {
            let mut row = record_row(&cora, &leader, &id, 1, &doctor, &[(status, 5, 100)]);
            row.sealed.header.note_id = NoteId::parse(&record.repeat(32)).unwrap();
            row.sealed.header.device_seq = seq;
            row
        };
        // The later one (higher in the device's sequence) has the lower id.
        let rows = vec![
            note_row(&id, 1, &leader, vec![doctor.clone()]),
            entry(FollowUp::Closed, 8, "0"),
            entry(FollowUp::InProgress, 7, "f"),
        ];
        let linked = link(&rows, None);
        assert_eq!(linked.current(&id, 0).map(|e| e.status), Some(FollowUp::Closed));
    }

    #[test]
    fn records_of_earlier_versions_read_with_one_entry_records() {
        let (leader, cora, carl) = (UserId::random(), UserId::random(), UserId::random());
        let doctor = concern("asked to see a doctor");
        let id = NoteId::random();
        // Written by an earlier version: one record, a revision per entry.
        let old = record_row(&cora, &leader, &id, 1, &doctor, &[(FollowUp::InProgress, 3, 1)]);
        let mut old_second =
            record_row(&cora, &leader, &id, 1, &doctor, &[(FollowUp::InProgress, 3, 1), (FollowUp::Open, 4, 2)]);
        old_second.sealed.header.note_id = old.header().note_id.clone();
        old_second.sealed.header.revision = 2;
        // Written now: a record per entry.
        let new = [
            record_row(&cora, &leader, &id, 1, &doctor, &[(FollowUp::InProgress, 5, 3)]),
            record_row(&carl, &leader, &id, 1, &doctor, &[(FollowUp::Closed, 6, 4)]),
        ];
        let mut rows = vec![note_row(&id, 1, &leader, vec![doctor]), old, old_second];
        rows.extend(new);
        rows.sort_by(|a, b| {
            (&a.header().note_id, a.header().revision).cmp(&(&b.header().note_id, b.header().revision))
        });
        let linked = link(&rows, None);
        let days: Vec<_> = linked.history(&id, 0).iter().map(|e| e.date).collect();
        assert_eq!(days, vec![day(3), day(4), day(5), day(6)]);
        assert_eq!(linked.current(&id, 0).map(|e| e.status), Some(FollowUp::Closed));
    }

    #[test]
    fn only_the_newest_revision_of_a_record_counts() {
        let (leader, cora) = (UserId::random(), UserId::random());
        let doctor = concern("asked to see a doctor");
        let id = NoteId::random();
        let first = record_row(&cora, &leader, &id, 1, &doctor, &[(FollowUp::Closed, 5, 1)]);
        let mut second =
            record_row(&cora, &leader, &id, 1, &doctor, &[(FollowUp::Closed, 5, 1), (FollowUp::Open, 6, 2)]);
        second.sealed.header.note_id = first.header().note_id.clone();
        second.sealed.header.revision = 2;
        let rows = vec![note_row(&id, 1, &leader, vec![doctor]), first, second];
        let linked = link(&rows, None);
        assert_eq!(linked.history(&id, 0).len(), 2, "revision 2 repeats the entry of revision 1");
        assert_eq!(linked.current(&id, 0).map(|e| e.status), Some(FollowUp::Open), "reopened");
    }
}
