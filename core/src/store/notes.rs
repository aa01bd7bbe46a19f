//! Note rows: every revision of a note this device holds, with where it
//! stands (`NoteStatus`), the sealed envelope as the server has it, and the
//! plaintext when this device could read it, sealed under the store key
//! with "NOTE_ID:REVISION" as associated data.
//!
//! Coordinators' follow-up records on concerns are rows of the same table
//! (kind `follow_up`, in their device's sequence like notes), their record
//! sealed under the store key as a note's plaintext is.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use visitnotes_shared::envelope::{EnvelopeHeader, Kind, SealedNote};
use visitnotes_shared::follow_up::FollowUpRecord;
use visitnotes_shared::note::VisitNote;
use zeroize::Zeroizing;

use super::{Store, StoreError};

/// Where a stored revision stands, as this device knows it. Kept in
/// `notes.status` as its snake_case name (`as_str`, and the serde name the
/// CLI's `--json` shows as `state`): a name, once stored, never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteStatus {
    /// Verified here and stored by the server: pulled, or this device's own
    /// upload acknowledged.
    Valid,
    /// Written on this device and not yet stored by the server (held back
    /// too, while the roster is expired).
    Outbox,
    /// Pulled, but it failed verification: kept as the alert it is, never
    /// shown as a note. `reason` says what failed.
    Rejected,
    /// Verified, but not encrypted to this device: it cannot read it.
    NotAddressed,
    /// Verified, but the server holds its content back: `reason` says why
    /// (`metadata_only`, or purged under retention).
    Withheld,
    /// This device's own revision that the server would not store: `reason`
    /// says why; kept so that it can be written again.
    Refused,
}

impl NoteStatus {
    pub const ALL: [NoteStatus; 6] = [
        NoteStatus::Valid,
        NoteStatus::Outbox,
        NoteStatus::Rejected,
        NoteStatus::NotAddressed,
        NoteStatus::Withheld,
        NoteStatus::Refused,
    ];

    /// The name stored, and shown by `--json`.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteStatus::Valid => "valid",
            NoteStatus::Outbox => "outbox",
            NoteStatus::Rejected => "rejected",
            NoteStatus::NotAddressed => "not_addressed",
            NoteStatus::Withheld => "withheld",
            NoteStatus::Refused => "refused",
        }
    }
}

impl std::str::FromStr for NoteStatus {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, StoreError> {
        NoteStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| StoreError::UnknownValue { what: "a note's status", value: s.to_owned() })
    }
}

impl std::fmt::Display for NoteStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A note row as the rest of the client sees it.
#[derive(Debug, Clone)]
pub struct NoteRow {
    pub sealed: SealedNote,
    pub server_seq: Option<u64>,
    pub status: NoteStatus,
    pub reason: Option<String>,
    pub note: Option<VisitNote>,
    /// The record, for a follow-up record this device could read (then
    /// `note` is none).
    pub follow_up: Option<FollowUpRecord>,
}

impl NoteRow {
    pub fn header(&self) -> &EnvelopeHeader {
        &self.sealed.header
    }
}

/// The associated data a row's plaintext is sealed with, and the row's
/// name in errors.
fn row_name(note_id: &str, revision: u64) -> String {
    format!("{note_id}:{revision}")
}

fn read_sealed(bytes: &[u8], note_id: &str, revision: u64) -> Result<SealedNote, StoreError> {
    serde_json::from_slice(bytes)
        .map_err(StoreError::unreadable(format!("the envelope of note {note_id} revision {revision}")))
}

impl Store {
    /// Stores a note revision. `note` is the plaintext when this device could read it.
    pub fn put_note(
        &self,
        sealed: &SealedNote,
        server_seq: Option<u64>,
        status: NoteStatus,
        reason: Option<&str>,
        note: Option<&VisitNote>,
    ) -> Result<(), StoreError> {
        let json = note.map(|n| Zeroizing::new(serde_json::to_vec(n).expect("a note serialises")));
        self.put_row(sealed, server_seq, status, reason, json.as_deref().map(Vec::as_slice))
    }

    /// Stores a revision of a follow-up record. `record` is the plaintext
    /// when this device could read it.
    pub fn put_follow_up(
        &self,
        sealed: &SealedNote,
        server_seq: Option<u64>,
        status: NoteStatus,
        reason: Option<&str>,
        record: Option<&FollowUpRecord>,
    ) -> Result<(), StoreError> {
        let json = record.map(|r| Zeroizing::new(serde_json::to_vec(r).expect("a record serialises")));
        self.put_row(sealed, server_seq, status, reason, json.as_deref().map(Vec::as_slice))
    }

    /// Inserts the revision, or updates what a later look at it learnt (a
    /// server sequence number and plaintext once known are kept).
    fn put_row(
        &self,
        sealed: &SealedNote,
        server_seq: Option<u64>,
        status: NoteStatus,
        reason: Option<&str>,
        json: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        let h = &sealed.header;
        let plain = json.map(|json| self.seal(&row_name(h.note_id.as_str(), h.revision), json));
        let kind = match h.kind {
            Kind::Note => "note",
            Kind::Tombstone => "tombstone",
            Kind::FollowUp => "follow_up",
        };
        self.conn.execute(
            "INSERT INTO notes (note_id, revision, kind, author, device_id, device_seq, server_seq, status, reason, note_hash, sealed, plain)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (note_id, revision) DO UPDATE SET
                server_seq = COALESCE(excluded.server_seq, server_seq), status = excluded.status, reason = excluded.reason,
                sealed = excluded.sealed, plain = COALESCE(excluded.plain, plain), note_hash = excluded.note_hash",
            params![
                h.note_id.as_str(),
                h.revision,
                kind,
                h.author.as_str(),
                h.device_id.as_str(),
                h.device_seq,
                server_seq,
                status.as_str(),
                reason,
                visitnotes_shared::hex(&sealed.hash()),
                serde_json::to_vec(sealed).expect("a sealed note serialises"),
                plain
            ],
        )?;
        Ok(())
    }

    pub fn set_status(
        &self,
        header: &EnvelopeHeader,
        status: NoteStatus,
        reason: Option<&str>,
        server_seq: Option<u64>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE notes SET status = ?1, reason = ?2, server_seq = COALESCE(?3, server_seq) WHERE note_id = ?4 AND revision = ?5",
            params![status.as_str(), reason, server_seq, header.note_id.as_str(), header.revision],
        )?;
        Ok(())
    }

    /// The stored revision, if any, as its sealed form.
    pub fn sealed(&self, note_id: &str, revision: u64) -> Result<Option<SealedNote>, StoreError> {
        Ok(self.sealed_with_status(note_id, revision)?.map(|(sealed, _)| sealed))
    }

    /// The stored revision and its status.
    pub fn sealed_with_status(
        &self,
        note_id: &str,
        revision: u64,
    ) -> Result<Option<(SealedNote, NoteStatus)>, StoreError> {
        let row: Option<(Vec<u8>, String)> = self
            .conn
            .query_row(
                "SELECT sealed, status FROM notes WHERE note_id = ?1 AND revision = ?2",
                params![note_id, revision],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(bytes, status)| Ok((read_sealed(&bytes, note_id, revision)?, status.parse()?))).transpose()
    }

    /// Highest revision stored for a note that was accepted as valid.
    pub fn max_valid_revision(&self, note_id: &str) -> Result<Option<u64>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT MAX(revision) FROM notes WHERE note_id = ?1 AND status IN ('valid', 'outbox', 'withheld', 'not_addressed')",
            [note_id],
            |r| r.get(0),
        )?)
    }

    /// Every stored revision, with plaintext where this device has it.
    pub fn all_rows(&self) -> Result<Vec<NoteRow>, StoreError> {
        self.rows_with_prefix("")
    }

    /// The stored revisions of the notes whose id starts with `prefix`.
    pub fn rows_with_prefix(&self, prefix: &str) -> Result<Vec<NoteRow>, StoreError> {
        self.rows_where("substr(note_id, 1, length(?1)) = ?1 ORDER BY note_id, revision", params![prefix])
    }

    /// The notes of `device_id` that the server acknowledged, above device
    /// sequence number `device_seq`, in the device's order: what a server
    /// restored from an older backup lost of this device's.
    pub fn acknowledged_after(&self, device_id: &str, device_seq: u64) -> Result<Vec<NoteRow>, StoreError> {
        self.rows_where(
            "device_id = ?1 AND device_seq > ?2 AND status = 'valid' AND server_seq IS NOT NULL ORDER BY device_seq",
            params![device_id, device_seq],
        )
    }

    /// Note rows, `condition` being the end of the query (WHERE ...).
    fn rows_where(&self, condition: &str, params: impl rusqlite::Params) -> Result<Vec<NoteRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT sealed, server_seq, status, reason, plain, note_id, revision, kind FROM notes WHERE {condition}"
        ))?;
        let rows = stmt.query_map(params, |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, Option<u64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<Vec<u8>>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, u64>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (sealed, server_seq, status, reason, plain, note_id, revision, kind) = row?;
            let (mut note, mut follow_up) = (None, None);
            if let Some(p) = plain {
                let bytes = self.unseal(&row_name(&note_id, revision), &p)?;
                let what = || format!("the plaintext of note {note_id} revision {revision}");
                if kind == "follow_up" {
                    follow_up = Some(serde_json::from_slice(&bytes).map_err(StoreError::unreadable(what()))?);
                } else {
                    note = Some(serde_json::from_slice(&bytes).map_err(StoreError::unreadable(what()))?);
                }
            }
            let sealed = read_sealed(&sealed, &note_id, revision)?;
            out.push(NoteRow { sealed, server_seq, status: status.parse()?, reason, note, follow_up });
        }
        Ok(out)
    }

    /// Drops the plaintext of every revision of a deleted note.
    pub fn forget_plaintext(&self, note_id: &str) -> Result<(), StoreError> {
        self.conn.execute("UPDATE notes SET plain = NULL WHERE note_id = ?1", [note_id])?;
        Ok(())
    }
}
