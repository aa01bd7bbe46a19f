//! What the app shows: records made from the core's typed answers, with
//! the words (states, dates, names, alerts) already in the person's
//! language from the catalogues, next to the typed values an app sorts or
//! colours by.

use crate::form::{FollowUpStatus, NoteFormRecord, Severity};

/// What enrolment did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Enrolment {
    pub name: String,
    /// The role the invite gave (`leader`, `coordinator`, `admin`).
    pub role: String,
    /// This device's fingerprint, to read aloud to the administrator who
    /// approves it.
    pub device_fingerprint: String,
    /// The organisation key's fingerprint, pinned on this device.
    pub organisation_fingerprint: String,
    /// The first administrator of a new organisation (then there is no
    /// approval to wait for).
    pub first_administrator: bool,
    /// What to do next, in words.
    pub next: String,
}

/// Whether this device is approved.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Approval {
    pub approved: bool,
    /// The roles the list of members gives this person (codes); empty
    /// while waiting.
    pub roles: Vec<String>,
    /// Where it stands, in words.
    pub words: String,
}

/// Where a note stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum NoteState {
    /// Stored by the server.
    Synced,
    /// In the outbox until the next sync.
    Outbox,
    /// In the outbox, held back: sealed under an expired list of members.
    HeldBack,
    /// The server would not store it (kept on this device).
    Refused { reason: String },
}

/// One of this person's notes, as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NoteSummary {
    pub note_id: String,
    pub revision: u64,
    /// The visit's date, as the person's language writes it in full.
    pub visit_date: String,
    /// ISO 8601 (YYYY-MM-DD), to sort by.
    pub visit_date_iso: String,
    pub units: Vec<String>,
    pub concerns: u32,
    pub state: NoteState,
    /// The state in words.
    pub state_words: String,
    /// The coordinators who confirmed receiving it (empty: none yet, or
    /// not sent yet).
    pub received_by: Vec<String>,
    /// Who received it, in words ("Received by Kari", "No coordinator has
    /// confirmed it yet"); empty while it waits to be sent.
    pub received_words: String,
}

/// The home screen: this person's notes and what waits.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MyNotes {
    pub name: String,
    /// The device is in the list of members.
    pub approved: bool,
    /// Newest visit first.
    pub notes: Vec<NoteSummary>,
    /// Revisions waiting to be sent.
    pub outbox: u32,
    /// The last sync that finished, as a local date and time; empty if none.
    pub last_sync: String,
    /// Note forms typed into and not saved yet, newest first.
    pub drafts: Vec<DraftInfo>,
    /// Why the coordinators' receipts could not be read, when they could not.
    pub receipts_unreadable: Option<String>,
}

/// A note form kept as a draft.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DraftInfo {
    /// None for a new note, else the note being changed.
    pub note_id: Option<String>,
    /// When it was last kept, as a local date and time.
    pub saved_at: String,
    pub saved_at_unix: i64,
}

/// One coordinator's entry in a concern's follow-up history.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FollowUpEntry {
    /// The coordinator who recorded it.
    pub by: String,
    pub status: FollowUpStatus,
    pub status_label: String,
    /// The day it was done, in full.
    pub date: String,
    pub text: String,
    /// When it was recorded, as a local date and time.
    pub recorded_at: String,
}

/// One concern of a note with its follow-up, oldest entry first.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConcernView {
    /// From 1, as the other doors number them.
    pub number: u32,
    pub severity: Severity,
    pub severity_label: String,
    pub description: String,
    /// Where it stands now: the newest coordinator's entry, else the note.
    pub status: FollowUpStatus,
    pub status_label: String,
    pub follow_ups: Vec<FollowUpEntry>,
}

/// One note in full.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NoteDetail {
    pub summary: NoteSummary,
    /// The note as its form holds it (to show, or to edit).
    pub form: NoteFormRecord,
    pub concerns: Vec<ConcernView>,
    /// This person wrote it and the server stored it: it can be changed
    /// or deleted.
    pub editable: bool,
}

/// An alert: something that looked wrong and is not resolved yet. Nobody
/// dismisses one; it ends by itself once the trouble is fixed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AlertView {
    /// Its stable code (`no_receipt`, `gap`, ...).
    pub kind: String,
    /// 3 for what may be tampering, 2 for what may be withholding, 1 for the rest.
    pub gravity: u8,
    pub note_id: Option<String>,
    /// What happened, in words.
    pub what: String,
    /// What to do about it.
    pub todo: String,
    /// When it was first seen, as a local date and time, when known.
    pub since: Option<String>,
}

/// What a sync did, in words.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncSummary {
    pub pushed: u64,
    pub pulled: u64,
    /// What came from whom ("From Kari: one follow-up entry.").
    pub received: Vec<String>,
    /// What went wrong without stopping the sync, one sentence each.
    pub warnings: Vec<String>,
    /// Every open alert after the sync.
    pub alerts: Vec<AlertView>,
}
