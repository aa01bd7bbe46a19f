//! A coordinator's follow-up record on a concern: what was done about it
//! (status, date, a short text), kept apart from the leader's note, which
//! it never changes.
//!
//! A record is its own sealed item (`envelope::seal_follow_up`, kind
//! `follow_up`): a random id, signed by the coordinator's device in that
//! device's sequence, encrypted to the active coordinators and the note
//! author's devices, filled to one size. Everything that says which note
//! and which concern it is about lives here, inside the ciphertext; the
//! server sees only that a coordinator wrote something concerning one of
//! a user's notes (the signed header's `note_author`), and when.
//!
//! Clients write one record per entry: a fresh id, revision 1, one entry,
//! so that records on the same concern look to the server like records on
//! different ones. Readers gather the entries of every record on a
//! concern. Records written by earlier versions held one coordinator's
//! history on one concern, each revision repeating the entries before it
//! and adding one; they read the same way (the newest revision of each).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::NoteId;
use crate::note::{Concern, FollowUp};

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Longest text of one entry, in bytes: a short account, not a report.
pub const MAX_TEXT: usize = 2_000;

/// Most entries one record holds.
pub const MAX_ENTRIES: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRecord {
    pub schema_version: u32,
    /// The note the concern is in.
    pub note_id: NoteId,
    /// The revision of the note the coordinator read when recording.
    pub note_revision: u64,
    /// The concern's number in that revision, from 1, as `note show` lists them.
    pub concern: u32,
    /// SHA-256 (hex) of that concern's description ([`concern_digest`]):
    /// a later revision of the note that moves the concern is followed,
    /// one that rewrites or drops it is told apart instead of matched to
    /// whatever concern now has the number.
    pub concern_sha256: String,
    /// Oldest first; never empty.
    pub entries: Vec<FollowUpEntry>,
}

/// One step of the follow-up: where it stands, since when, and what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpEntry {
    pub status: FollowUp,
    /// The day it was done (or decided), on the coordinator's calendar.
    pub date: NaiveDate,
    /// What was done, without names.
    #[serde(default)]
    pub text: String,
    /// Unix seconds when it was recorded, by the recording device's clock:
    /// orders entries of the same date.
    pub recorded_at: i64,
}

/// What is wrong with a follow-up record, in words for the reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error(
        "this follow-up record uses schema version {found}, but this program knows up to {supported}: update Visitnotes to read it"
    )]
    NewerSchema { found: u32, supported: u32 },
    #[error("the follow-up record is not valid: {0}")]
    Parse(String),
    #[error("the follow-up record has no entry")]
    NoEntry,
    #[error("the follow-up record has more than {MAX_ENTRIES} entries")]
    TooManyEntries,
    #[error("a follow-up text is longer than {MAX_TEXT} bytes: keep it to a few sentences")]
    TooLong,
    #[error("the follow-up record names concern 0: concerns are numbered from 1")]
    ConcernZero,
    #[error("the follow-up record's concern digest is not a SHA-256 in hex")]
    BadDigest,
}

/// The digest a record keeps of the concern it is about.
pub fn concern_digest(concern: &Concern) -> String {
    crate::hex(&crate::sha256(concern.description.as_bytes()))
}

impl FollowUpRecord {
    /// Parses a record, refusing newer schema versions first so that the
    /// error names the real cause rather than an unknown field.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, FollowUpError> {
        let version = value
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| FollowUpError::Parse("no schema_version".into()))?;
        if version > u64::from(SCHEMA_VERSION) {
            return Err(FollowUpError::NewerSchema {
                found: u32::try_from(version).unwrap_or(u32::MAX),
                supported: SCHEMA_VERSION,
            });
        }
        let record: FollowUpRecord =
            serde_json::from_value(value.clone()).map_err(|e| FollowUpError::Parse(e.to_string()))?;
        record.validate()?;
        Ok(record)
    }

    /// The checks a record passes whoever reads it. Dates are checked by
    /// the writer, against its own calendar and the note's visit date.
    pub fn validate(&self) -> Result<(), FollowUpError> {
        if self.schema_version > SCHEMA_VERSION {
            return Err(FollowUpError::NewerSchema { found: self.schema_version, supported: SCHEMA_VERSION });
        }
        if self.concern == 0 {
            return Err(FollowUpError::ConcernZero);
        }
        let hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !hex(&self.concern_sha256) {
            return Err(FollowUpError::BadDigest);
        }
        if self.entries.is_empty() {
            return Err(FollowUpError::NoEntry);
        }
        if self.entries.len() > MAX_ENTRIES {
            return Err(FollowUpError::TooManyEntries);
        }
        if self.entries.iter().any(|e| e.text.len() > MAX_TEXT) {
            return Err(FollowUpError::TooLong);
        }
        Ok(())
    }

    /// The entry that says where the concern stands now by this record:
    /// the latest date, and of one date the one recorded last.
    pub fn current(&self) -> Option<&FollowUpEntry> {
        self.entries.iter().max_by_key(|e| (e.date, e.recorded_at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::Severity;

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

    fn record() -> FollowUpRecord {
        FollowUpRecord {
            schema_version: SCHEMA_VERSION,
            note_id: NoteId::random(),
            note_revision: 1,
            concern: 1,
            concern_sha256: concern_digest(&concern("asked to see a doctor")),
            entries: vec![
                FollowUpEntry { status: FollowUp::Closed, date: day(28), text: "seen".into(), recorded_at: 10 },
                // Recorded later, about an earlier day: not where it stands now.
                FollowUpEntry { status: FollowUp::InProgress, date: day(27), text: String::new(), recorded_at: 20 },
            ],
        }
    }

    #[test]
    fn the_latest_date_is_where_it_stands() {
        assert_eq!(record().current().unwrap().status, FollowUp::Closed);
        let mut same_day = record();
        same_day.entries[1].date = day(28);
        assert_eq!(same_day.current().unwrap().status, FollowUp::InProgress, "recorded last wins a tie");
    }

    #[test]
    fn json_round_trip_and_refusals() {
        let r = record();
        let value = serde_json::to_value(&r).unwrap();
        assert_eq!(FollowUpRecord::from_json(&value).unwrap(), r);

        let mut newer = value.clone();
        newer["schema_version"] = 2.into();
        newer["new_field"] = 1.into();
        assert_eq!(FollowUpRecord::from_json(&newer), Err(FollowUpError::NewerSchema { found: 2, supported: 1 }));
        let mut unknown = value.clone();
        unknown["names"] = "x".into();
        assert!(matches!(FollowUpRecord::from_json(&unknown), Err(FollowUpError::Parse(_))));

        let mut empty = r.clone();
        empty.entries.clear();
        assert_eq!(empty.validate(), Err(FollowUpError::NoEntry));
        let mut long = r.clone();
        long.entries[0].text = "x".repeat(MAX_TEXT + 1);
        assert_eq!(long.validate(), Err(FollowUpError::TooLong));
        let mut zero = r.clone();
        zero.concern = 0;
        assert_eq!(zero.validate(), Err(FollowUpError::ConcernZero));
        let mut digest = r;
        digest.concern_sha256 = "ABC".into();
        assert_eq!(digest.validate(), Err(FollowUpError::BadDigest));
    }

    #[test]
    fn the_digest_follows_the_description_only() {
        let mut a = concern("asked to see a doctor");
        let b = a.clone();
        a.severity = Severity::Urgent;
        assert_eq!(concern_digest(&a), concern_digest(&b));
        assert_ne!(concern_digest(&a), concern_digest(&concern("asked to see a lawyer")));
    }
}
