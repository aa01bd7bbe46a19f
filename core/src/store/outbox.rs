//! The outbox: revisions written on this device that the server has not
//! stored yet, in the order they were written (the note rows hold them,
//! status `outbox`).
//!
//! A revision written while the newest roster here was expired is held
//! (`held_roster`: that roster's version) until a fresh roster comes, which
//! it is sealed again under, or until `sync --allow-expired-roster` sends it
//! as it is; then a warning is kept with the revision, for `note show`.

use rusqlite::{params, OptionalExtension};
use visitnotes_shared::envelope::{EnvelopeHeader, SealedNote};

use super::{Store, StoreError};

impl Store {
    pub fn add_to_outbox(&self, sealed: &SealedNote) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO outbox (note_id, revision) VALUES (?1, ?2)",
            params![sealed.header.note_id.as_str(), sealed.header.revision],
        )?;
        Ok(())
    }

    /// Outbox entries in the order they were written: (outbox id, sealed note).
    pub fn outbox(&self) -> Result<Vec<(i64, SealedNote)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT o.id, n.sealed FROM outbox o JOIN notes n ON n.note_id = o.note_id AND n.revision = o.revision ORDER BY o.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, sealed) = row?;
            let what = || format!("the envelope of outbox entry {id}");
            out.push((id, serde_json::from_slice(&sealed).map_err(StoreError::unreadable(what()))?));
        }
        Ok(out)
    }

    pub fn remove_from_outbox(&self, id: i64) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM outbox WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Holds the outbox entry of this revision back: it was sealed under
    /// roster `version`, which had expired.
    pub fn hold(&self, header: &EnvelopeHeader, version: u64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET held_roster = ?1 WHERE note_id = ?2 AND revision = ?3",
            params![version, header.note_id.as_str(), header.revision],
        )?;
        Ok(())
    }

    /// Ends the hold on an outbox entry (sealed again, or sent as it is).
    pub fn release(&self, id: i64) -> Result<(), StoreError> {
        self.conn.execute("UPDATE outbox SET held_roster = NULL WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The held outbox entries, in the order they were written: (outbox id,
    /// the expired roster version they were sealed under).
    pub fn held(&self) -> Result<Vec<(i64, u64)>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT id, held_roster FROM outbox WHERE held_roster IS NOT NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The expired roster version the outbox entry of this revision is held for, if it is held.
    pub fn held_for(&self, note_id: &str, revision: u64) -> Result<Option<u64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT held_roster FROM outbox WHERE note_id = ?1 AND revision = ?2",
                params![note_id, revision],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Keeps a warning with a revision (for `note show`).
    pub fn set_warning(&self, header: &EnvelopeHeader, warning: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE notes SET warning = ?1 WHERE note_id = ?2 AND revision = ?3",
            params![warning, header.note_id.as_str(), header.revision],
        )?;
        Ok(())
    }

    /// The warning kept with a revision, if any.
    pub fn warning(&self, note_id: &str, revision: u64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT warning FROM notes WHERE note_id = ?1 AND revision = ?2",
                params![note_id, revision],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }
}
