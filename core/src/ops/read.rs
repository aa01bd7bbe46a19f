//! Reading the local store: the latest readable revision of every note,
//! filtered, and what looked suspicious.

use chrono::NaiveDate;
use visitnotes_shared::envelope::Kind;
use visitnotes_shared::note::{Severity, Theme, VisitNote};
use visitnotes_shared::roster::Role;

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
}

impl Filter {
    pub fn matches(&self, note: &VisitNote) -> bool {
        self.from.is_none_or(|d| note.visit_date >= d)
            && self.to.is_none_or(|d| note.visit_date <= d)
            && self.unit.as_ref().is_none_or(|u| note.units.iter().any(|n| n.eq_ignore_ascii_case(u)))
            && self.theme.is_none_or(|t| note.themes.contains(&t))
            && self.min_severity.is_none_or(|s| note.concerns.iter().any(|c| c.severity >= s))
    }
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
        .filter(|r| {
            matches!(r.status, NoteStatus::Valid | NoteStatus::Outbox | NoteStatus::Refused | NoteStatus::Withheld)
        })
        .filter(|r| r.header().kind != Kind::FollowUp)
        .collect();
    newest_of_one_note(id, rows)
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

/// Every stored revision whose note id starts with `id`, at least 6
/// characters of it: fewer would match notes nobody meant.
fn rows_of_prefix(session: &Session, id: &str) -> Result<Vec<NoteRow>, ClientError> {
    if id.len() < 6 {
        return Err(ClientError::Invalid("give at least 6 characters of the note id".into()));
    }
    Ok(session.store.rows_with_prefix(id)?)
}

/// The newest of `rows` when they are all revisions of one note; an error
/// saying how many notes the prefix `id` matches when they are not.
fn newest_of_one_note(id: &str, rows: Vec<NoteRow>) -> Result<Option<NoteRow>, ClientError> {
    let ids: std::collections::BTreeSet<_> = rows.iter().map(|r| r.header().note_id.clone()).collect();
    if ids.len() > 1 {
        return Err(ClientError::Invalid(format!("{id} matches {} notes: give more of the id", ids.len())));
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
