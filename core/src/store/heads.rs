//! What this device knows of other devices' progress: the newest verified
//! signed head of each device (`ops::heads`), when it first watched each
//! device (for "never heard from"), coordinators' signed receipts about
//! this user's devices (`ops::receipts`), and when the server stored each
//! revision (the time it gave when the revision was pulled, or when it
//! acknowledged this device's own upload).
//!
//! Heads and receipts are kept as the signed JSON, verified before they are
//! put here; a later-signed one replaces an earlier one, never the reverse.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::{Store, StoreError};

impl Store {
    /// Keeps `body` (a verified SignedHead) as `device`'s head unless one
    /// signed later is kept. Returns whether it was kept.
    pub fn put_head(&self, device: &str, last_seq: u64, signed_at: i64, body: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "INSERT INTO heads (device_id, last_seq, signed_at, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (device_id) DO UPDATE SET last_seq = excluded.last_seq, signed_at = excluded.signed_at,
                body = excluded.body
             WHERE excluded.signed_at >= heads.signed_at",
            params![device, last_seq, signed_at, body],
        )? > 0)
    }

    /// Every kept head: (device id, SignedHead JSON).
    pub fn heads(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT device_id, body FROM heads ORDER BY device_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When this device first watched `device` (recorded now if never).
    pub fn watch_device(&self, device: &str, now: i64) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO watched_devices (device_id, first_seen) VALUES (?1, ?2)",
            params![device, now],
        )?;
        Ok(self
            .conn
            .query_row("SELECT first_seen FROM watched_devices WHERE device_id = ?1", [device], |r| r.get(0))?)
    }

    /// When this device first watched `device`, if it has.
    pub fn first_watched(&self, device: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT first_seen FROM watched_devices WHERE device_id = ?1", [device], |r| r.get(0))
            .optional()?)
    }

    /// Keeps a verified receipt unless a later one from the same reader
    /// about the same device is kept. Returns whether it was kept.
    pub fn put_receipt(&self, reader: &str, device: &str, signed_at: i64, body: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "INSERT INTO receipts (reader, device_id, signed_at, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (reader, device_id) DO UPDATE SET signed_at = excluded.signed_at, body = excluded.body
             WHERE excluded.signed_at >= receipts.signed_at",
            params![reader, device, signed_at, body],
        )? > 0)
    }

    /// Every kept receipt, as SignedReceipt JSON.
    pub fn receipts(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT body FROM receipts ORDER BY device_id, reader")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When the server stored a revision (or acknowledged this device's
    /// upload); the first time recorded stays.
    pub fn set_received_at(&self, note_id: &str, revision: u64, at: i64) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE notes SET received_at = COALESCE(received_at, ?1) WHERE note_id = ?2 AND revision = ?3",
            )?
            .execute(params![at, note_id, revision])?;
        Ok(())
    }

    /// When each held revision (of `author`'s notes, or everyone's) was
    /// stored by the server: (note id, revision) → time.
    pub fn received_times(&self, author: Option<&str>) -> Result<HashMap<(String, u64), i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT note_id, revision, received_at FROM notes WHERE received_at IS NOT NULL
             AND (?1 IS NULL OR author = ?1)",
        )?;
        let rows =
            stmt.query_map([author], |r| Ok(((r.get::<_, String>(0)?, r.get::<_, u64>(1)?), r.get::<_, i64>(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
