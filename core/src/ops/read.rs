//! Reading the local store: the latest readable revision of every note,
//! filtered, and what looked suspicious; a note as the lists and the note
//! page show it (`list`, `show`): who wrote it, where it stands (sent, in
//! the outbox, held back, refused), which coordinators have received it,
//! and the warning kept with it. Both doors word these; nothing here is a
//! sentence.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use visitnotes_shared::envelope::Kind;
use visitnotes_shared::note::{Severity, Theme, VisitNote};
use visitnotes_shared::roster::{Role, Roster};
use visitnotes_shared::UserId;

use super::follow_up::{HistoryEntry, Unmatched};
use crate::error::ClientError;
use crate::profile::Session;
use crate::store::{NoteRow, NoteStatus};

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub unit: Option<String>,
    pub theme: Option<Theme>,
    /// Notes with a concern of at least this severity.
    pub min_severity: Option<Severity>,
    /// Notes written by this person (a user id).
    pub author: Option<String>,
}

impl Filter {
    /// Whether the note `row` holds passes every filter (a row without
    /// content passes none).
    pub fn matches(&self, row: &NoteRow) -> bool {
        let Some(note) = &row.note else { return false };
        self.from.is_none_or(|d| note.visit_date >= d)
            && self.to.is_none_or(|d| note.visit_date <= d)
            && self.unit.as_ref().is_none_or(|u| note.units.iter().any(|n| n.eq_ignore_ascii_case(u)))
            && self.theme.is_none_or(|t| note.themes.contains(&t))
            && self.min_severity.is_none_or(|s| note.concerns.iter().any(|c| c.severity >= s))
            && self.author.as_ref().is_none_or(|a| row.header().author.as_str() == a)
    }
}

/// Someone as the newest list of members here names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Person {
    Named(String),
    /// Someone the list does not name, by their id.
    Unknown(UserId),
}

impl Person {
    pub fn of(roster: Option<&Roster>, user: &UserId) -> Person {
        match roster.and_then(|r| r.member(user)) {
            Some(member) => Person::Named(member.name.clone()),
            None => Person::Unknown(user.clone()),
        }
    }
}

/// The name, or the short form of the id (`display::short`): how both
/// doors show a person.
impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Person::Named(name) => f.write_str(name),
            Person::Unknown(id) => f.write_str(crate::display::short(id.as_str())),
        }
    }
}

/// In JSON: the name, or the whole id.
impl Serialize for Person {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Person::Named(name) => serializer.serialize_str(name),
            Person::Unknown(id) => serializer.serialize_str(id.as_str()),
        }
    }
}

/// Where a revision stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Stored by the server.
    Synced,
    /// In this device's outbox until the next sync.
    Outbox,
    /// In the outbox, and held back from upload: sealed under a list of
    /// members that had expired (`ops::expiry`).
    HeldBack(Held),
    /// The server would not store it (kept here), for this reason.
    Refused(String),
}

/// Why a revision is held back: the expired list of members it was sealed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub roster_version: u64,
    /// When that list expired (Unix seconds), when it is here to tell.
    pub expired_at: Option<i64>,
}

/// A warning kept with a revision (`note show`, the note page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kept")]
pub enum Kept {
    /// Sent sealed under a list of members that had expired, because the
    /// sender chose to (`sync --allow-expired-roster`): encrypted to the
    /// readers that list names.
    SentUnderExpiredRoster {
        roster_version: u64,
        /// Unix seconds, when known.
        expired_at: Option<i64>,
        /// Unix seconds.
        sent_at: i64,
    },
    /// A warning an earlier version kept in words (English).
    #[serde(skip)]
    Words(String),
}

impl Kept {
    /// As the store keeps it.
    pub fn to_stored(&self) -> String {
        match self {
            Kept::Words(words) => words.clone(),
            kept => serde_json::to_string(kept).expect("a warning serialises"),
        }
    }

    pub fn from_stored(text: &str) -> Kept {
        serde_json::from_str(text).unwrap_or_else(|_| Kept::Words(text.to_owned()))
    }
}

/// Whether this person's note has reached the coordinators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Received {
    /// The coordinators who signed a receipt for it, by name (none yet: empty).
    By(Vec<String>),
    /// The receipts could not be read (`Listing::receipts_unreadable` says why).
    Unknown,
}

/// A note as a list shows it: its newest revision.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The revision (with its content: a list holds readable notes only).
    pub row: NoteRow,
    pub author: Person,
    pub state: State,
    /// For this person's own notes that were sent; none for the rest.
    pub received: Option<Received>,
    /// The warning kept with this revision, if any.
    pub kept: Option<Kept>,
}

impl Listed {
    pub fn note(&self) -> &VisitNote {
        self.row.note.as_ref().expect("a listed note has content")
    }
}

/// The notes here, filtered.
#[derive(Debug)]
pub struct Listing {
    /// The notes that pass the filter, oldest visit first.
    pub notes: Vec<Listed>,
    /// How many notes there are before filtering.
    pub total: usize,
    /// Everyone who wrote a note here (for a filter by author), by name.
    pub authors: Vec<(UserId, Person)>,
    /// Why the coordinators' receipts could not be read, when they could
    /// not: then every `received` is `Unknown`.
    pub receipts_unreadable: Option<ClientError>,
}

/// Every readable note here that passes `filter`, as `note list` and the
/// notes pages show them.
pub fn list(session: &Session, filter: &Filter) -> Result<Listing, ClientError> {
    list_of(session, session.store.all_rows()?, filter)
}

/// `list` over rows already read (in note id, revision order).
pub fn list_of(session: &Session, rows: Vec<NoteRow>, filter: &Filter) -> Result<Listing, ClientError> {
    let latest = latest_of(rows);
    let total = latest.len();
    let roster = session.roster().ok();
    let mut authors: Vec<(UserId, Person)> = Vec::new();
    for row in &latest {
        let id = &row.header().author;
        if !authors.iter().any(|(a, _)| a == id) {
            authors.push((id.clone(), Person::of(roster.as_ref(), id)));
        }
    }
    authors.sort_by_key(|(_, person)| person.to_string());
    // Which coordinators have received this person's own notes.
    let delivery = roster.as_ref().map(|r| super::receipts::Delivery::load(session, r)).transpose();
    let me = &session.config.user_id;
    let mut notes = Vec::new();
    for row in latest.into_iter().filter(|r| filter.matches(r)) {
        let state = state_of(session, &row)?;
        let sent = &row.header().author == me && !matches!(state, State::Outbox | State::HeldBack(_));
        let received = sent.then(|| match &delivery {
            Ok(delivery) => Received::By(delivery.as_ref().map(|d| d.received_by(&row)).unwrap_or_default()),
            Err(_) => Received::Unknown,
        });
        let h = row.header();
        let kept = session.store.warning(h.note_id.as_str(), h.revision)?.map(|w| Kept::from_stored(&w));
        notes.push(Listed { author: Person::of(roster.as_ref(), &h.author), state, received, kept, row });
    }
    Ok(Listing { notes, total, authors, receipts_unreadable: delivery.err() })
}

/// Where `row` stands.
pub fn state_of(session: &Session, row: &NoteRow) -> Result<State, ClientError> {
    Ok(match row.status {
        NoteStatus::Outbox => match held(session, row.header().note_id.as_str(), row.header().revision)? {
            Some(held) => State::HeldBack(held),
            None => State::Outbox,
        },
        NoteStatus::Refused => State::Refused(row.reason.clone().unwrap_or_default()),
        _ => State::Synced,
    })
}

/// Why this revision is held back from upload, if it is.
pub fn held(session: &Session, note_id: &str, revision: u64) -> Result<Option<Held>, ClientError> {
    let Some(version) = session.store.held_for(note_id, revision)? else { return Ok(None) };
    Ok(Some(Held { roster_version: version, expired_at: expiry_of(session, version) }))
}

/// When the list of members `version` held here expires (Unix seconds).
pub(super) fn expiry_of(session: &Session, version: u64) -> Option<i64> {
    let signed = session.store.roster_at(version).ok().flatten()?;
    signed.unverified().ok().map(|r| r.expires_at())
}

/// One note as `note show` and the note page show it.
// Made once per page or command: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Shown {
    Note(ShownNote),
    /// Held here without content that can be shown, and why.
    Unshown {
        row: NoteRow,
        author: Person,
        why: Unshown,
    },
}

#[derive(Debug, Clone)]
pub struct ShownNote {
    pub row: NoteRow,
    pub note: VisitNote,
    pub author: Person,
    pub state: State,
    /// The warning kept with this revision, if any.
    pub kept: Option<Kept>,
    /// The reader wrote it, and it is stored: they may change or delete it.
    pub editable: bool,
    /// The reader is a coordinator, and the note is stored: they may
    /// record follow-up on its concerns.
    pub can_follow_up: bool,
    /// Each concern's follow-up history (by index), oldest first.
    pub histories: Vec<Vec<HistoryEntry>>,
    /// Follow-up records on this note that sit under none of its concerns.
    pub apart: Vec<Unmatched>,
}

/// The newest revision of the note `id` names (6 or more characters of
/// it) held here, with what goes with it; none when there is none.
pub fn show(session: &Session, id: &str) -> Result<Option<Shown>, ClientError> {
    let Some(row) = held_revision(session, id)? else { return Ok(None) };
    let roster = session.roster().ok();
    let author = Person::of(roster.as_ref(), &row.header().author);
    let Some(note) = row.note.clone() else {
        let why = Unshown::of(session, &row);
        return Ok(Some(Shown::Unshown { row, author, why }));
    };
    let follow_ups = super::follow_up::link(&session.store.all_rows()?, roster.as_ref());
    let h = row.header();
    let histories = (0..note.concerns.len()).map(|i| follow_ups.history(&h.note_id, i).to_vec()).collect();
    let apart = follow_ups.apart_for(&h.note_id).cloned().collect();
    let kept = session.store.warning(h.note_id.as_str(), h.revision)?.map(|w| Kept::from_stored(&w));
    let stored = row.status != NoteStatus::Refused;
    let coordinator = roster.as_ref().is_some_and(|r| super::roster::holds(r, session, Role::Coordinator));
    Ok(Some(Shown::Note(ShownNote {
        state: state_of(session, &row)?,
        editable: stored && h.author == session.config.user_id,
        can_follow_up: stored && coordinator,
        author,
        kept,
        histories,
        apart,
        note,
        row,
    })))
}

/// The newest revision of each note (one row per note id), deleted ones
/// left out. Rows that failed verification are never returned as notes.
/// A note whose newest revision came without its content (`withheld`) is
/// left out too: an older revision is never shown as the current one
/// (`ops::retention` warns about it).
pub fn latest_notes(session: &Session) -> Result<Vec<NoteRow>, ClientError> {
    Ok(latest_of(session.store.all_rows()?))
}

/// `latest_notes` over rows already read (in note id, revision order).
pub fn latest_of(rows: Vec<NoteRow>) -> Vec<NoteRow> {
    let mut latest: Vec<NoteRow> = Vec::new();
    for row in
        rows.into_iter().filter(|r| matches!(r.status, NoteStatus::Valid | NoteStatus::Outbox | NoteStatus::Withheld))
    {
        match latest.last_mut() {
            Some(last) if last.header().note_id == row.header().note_id => *last = row,
            _ => latest.push(row),
        }
    }
    latest.retain(|r| r.header().kind == Kind::Note && r.note.is_some());
    latest.sort_by(|a, b| {
        let (da, db) = (a.note.as_ref().map(|n| n.visit_date), b.note.as_ref().map(|n| n.visit_date));
        da.cmp(&db).then_with(|| a.header().note_id.cmp(&b.header().note_id))
    });
    latest
}

/// The newest accepted revision of one note (a tombstone included, or one
/// whose content was withheld), or one the server refused (kept here with
/// the reason); an id prefix of at least 6 characters is enough.
/// Follow-up records are not notes.
pub fn latest_revision(session: &Session, id: &str) -> Result<Option<NoteRow>, ClientError> {
    let rows = rows_of_prefix(session, id)?
        .into_iter()
        .filter(has_a_page)
        .filter(|r| r.header().kind != Kind::FollowUp)
        .collect();
    newest_of_one_note(id, rows)
}

/// Whether `row` can be the revision a note's page shows: accepted here,
/// waiting to be sent, refused by the server (kept with its reason), or
/// sent without its content (said why on the page). Rejected and
/// unaddressed revisions are never shown as the note (`unshown_revision`).
pub(super) fn has_a_page(row: &NoteRow) -> bool {
    matches!(row.status, NoteStatus::Valid | NoteStatus::Outbox | NoteStatus::Refused | NoteStatus::Withheld)
}

/// The newest revision of one note held here but not shown: it failed
/// verification here, or it is not encrypted to this device. For `note
/// show` to say which, instead of "no such note".
fn unshown_revision(session: &Session, id: &str) -> Result<Option<NoteRow>, ClientError> {
    let rows = rows_of_prefix(session, id)?
        .into_iter()
        .filter(|r| {
            matches!(r.status, NoteStatus::Rejected | NoteStatus::NotAddressed) && r.header().kind != Kind::FollowUp
        })
        .collect();
    newest_of_one_note(id, rows)
}

/// The newest revision of one note held here, shown or not: what `note
/// show` and the note page show, or say why they cannot.
pub fn held_revision(session: &Session, id: &str) -> Result<Option<NoteRow>, ClientError> {
    match latest_revision(session, id)? {
        Some(row) => Ok(Some(row)),
        None => unshown_revision(session, id),
    }
}

/// Why a note held here shows no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unshown {
    /// Deleted by its author.
    Deleted,
    /// It failed verification here, for this reason.
    Rejected(String),
    /// Not encrypted to this device: written before this device became one
    /// of its readers.
    NotAddressed,
    /// This device is sent only the signed details of other people's
    /// notes: an administrator's device that is not a coordinator's.
    MetadataOnly,
    /// The server sent it without its content, saying it was removed
    /// (retention) or, to a device that should get it, that it sends this
    /// device metadata only: the server's word, warned about in the alerts.
    Purged,
}

impl Unshown {
    /// Why `row`, a row without content, shows none. "Metadata only" is
    /// taken from the server only where this device's role explains it,
    /// as `ops::retention` does.
    pub fn of(session: &Session, row: &NoteRow) -> Unshown {
        let coordinator = session.roster().ok().is_some_and(|r| super::roster::holds(&r, session, Role::Coordinator));
        let metadata_only = !coordinator && row.header().author != session.config.user_id;
        match row.status {
            NoteStatus::Rejected => {
                Unshown::Rejected(row.reason.clone().unwrap_or_else(|| "no reason recorded".into()))
            }
            NoteStatus::NotAddressed => Unshown::NotAddressed,
            NoteStatus::Withheld if metadata_only && row.reason.as_deref() == Some("metadata_only") => {
                Unshown::MetadataOnly
            }
            NoteStatus::Withheld => Unshown::Purged,
            // Otherwise only a deletion (a tombstone) is kept without
            // content: deleting a note forgets its plaintext here.
            _ => Unshown::Deleted,
        }
    }
}

/// The shortest start of a note id that names a note.
pub const MIN_PREFIX: usize = 6;

/// Why the start of a note id names no one note.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdPrefixError {
    /// Fewer than `MIN_PREFIX` characters: it would match notes nobody meant.
    #[error("give at least {MIN_PREFIX} characters of the note id (\"{given}\" is too short)")]
    TooShort { given: String },
    /// The start of `notes` different notes' ids.
    #[error("{prefix} matches {notes} notes: give more of the id")]
    Ambiguous { prefix: String, notes: usize },
}

impl IdPrefixError {
    /// The code for `--json` (see `ClientError::code`).
    pub fn code(&self) -> &'static str {
        match self {
            IdPrefixError::TooShort { .. } => "invalid",
            IdPrefixError::Ambiguous { .. } => "ambiguous",
        }
    }
}

/// Every stored revision whose note id starts with `id`, at least
/// `MIN_PREFIX` characters of it: fewer would match notes nobody meant.
fn rows_of_prefix(session: &Session, id: &str) -> Result<Vec<NoteRow>, ClientError> {
    if id.len() < MIN_PREFIX {
        return Err(IdPrefixError::TooShort { given: id.to_owned() }.into());
    }
    Ok(session.store.rows_with_prefix(id)?)
}

/// The newest of `rows` when they are all revisions of one note; an error
/// saying how many notes the prefix `id` matches when they are not.
fn newest_of_one_note(id: &str, rows: Vec<NoteRow>) -> Result<Option<NoteRow>, ClientError> {
    let ids: std::collections::BTreeSet<_> = rows.iter().map(|r| r.header().note_id.clone()).collect();
    if ids.len() > 1 {
        return Err(IdPrefixError::Ambiguous { prefix: id.to_owned(), notes: ids.len() }.into());
    }
    Ok(rows.into_iter().max_by_key(|r| r.header().revision))
}

/// Rows that were refused (failed verification), for `note list` and
/// reports to show loudly.
pub fn refused_of(rows: &[NoteRow]) -> Vec<NoteRow> {
    rows.iter().filter(|r| r.status == NoteStatus::Rejected).cloned().collect()
}

/// This device's notes that the server would not store (kept here with
/// its reason), for `note list` to show.
pub fn not_uploaded_of(rows: &[NoteRow]) -> Vec<NoteRow> {
    rows.iter().filter(|r| r.status == NoteStatus::Refused).cloned().collect()
}

/// Gaps in each device's sequence numbers: (device, missing numbers).
///
/// Only of the devices whose every item this device is served: a leader
/// gets a coordinator's follow-up records on the leader's own notes, not
/// the rest of that coordinator's sequence, so a leader checks only the
/// devices of its own user (as before follow-up records, all it got).
/// Coordinators and administrators are served every device's sequence.
pub fn gaps(session: &Session) -> Result<Vec<(String, Vec<u64>)>, ClientError> {
    let roster = session.roster().ok();
    let me = &session.config.user_id;
    let sees_all = roster.as_ref().and_then(|r| r.member(me)).is_none_or(|m| {
        m.roles.contains(&visitnotes_shared::roster::Role::Coordinator)
            || m.roles.contains(&visitnotes_shared::roster::Role::Admin)
    });
    let mine = |device: &str| {
        let owner = roster.as_ref().zip(visitnotes_shared::DeviceId::parse(device).ok());
        owner.and_then(|(r, id)| r.device(&id).map(|(m, _)| &m.user_id == me)).unwrap_or(false)
    };
    let mut out = Vec::new();
    for (device, seqs) in session.store.device_seqs()? {
        if !sees_all && !mine(&device) {
            continue;
        }
        let max = seqs.last().copied().unwrap_or(0);
        let present: std::collections::BTreeSet<u64> = seqs.into_iter().collect();
        let missing: Vec<u64> = (1..=max).filter(|s| !present.contains(s)).collect();
        if !missing.is_empty() {
            out.push((device, missing));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_warning_reads_back_typed_and_an_older_one_in_its_words() {
        let kept =
            Kept::SentUnderExpiredRoster { roster_version: 7, expired_at: Some(1_790_000_000), sent_at: 1_790_000_100 };
        assert_eq!(Kept::from_stored(&kept.to_stored()), kept);
        let older = "Sealed under the list of members version 7, which had expired on 21 September 2026 14:13, ...";
        assert_eq!(Kept::from_stored(older), Kept::Words(older.to_owned()));
        assert_eq!(Kept::Words(older.to_owned()).to_stored(), older);
    }

    #[test]
    fn someone_the_list_does_not_name_is_shown_by_the_short_id_and_given_whole_in_json() {
        let id = UserId::random();
        let unknown = Person::of(None, &id);
        assert_eq!(unknown, Person::Unknown(id.clone()));
        assert_eq!(unknown.to_string(), crate::display::short(id.as_str()));
        assert_eq!(serde_json::to_value(&unknown).unwrap(), serde_json::Value::from(id.as_str()));
        let named = Person::Named("Leader A".into());
        assert_eq!((named.to_string(), serde_json::to_value(&named).unwrap()), ("Leader A".into(), "Leader A".into()));
    }
}
