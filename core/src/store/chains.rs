//! Each device's chain as held here: every device numbers what it signs
//! (notes, tombstones, follow-up records) 1, 2, 3, ... and links each item
//! to the one before by hash. These queries read the note rows by device
//! and number: for gaps, this device's own next link, the newest item of a
//! device a head or receipt is checked against.
//!
//! Which rows count depends on the question, by status (`NoteStatus`):
//! "accepted" is what verified here (`valid`, `withheld`, `not_addressed`);
//! "held" adds this device's own `outbox`; gaps count `refused` too (a
//! refused item of this device is here, so no gap).

use rusqlite::{params, OptionalExtension};
use visitnotes_shared::envelope::{EnvelopeHeader, SealedNote};

use super::{Store, StoreError};

/// A device and the items of it held here: (sequence number, hash hex), ascending.
pub type DeviceItems = (String, Vec<(u64, String)>);

impl Store {
    /// Highest sequence number accepted from a device.
    pub fn max_device_seq(&self, device_id: &str) -> Result<Option<u64>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT MAX(device_seq) FROM notes WHERE device_id = ?1 AND status IN ('valid', 'outbox', 'withheld', 'not_addressed')",
            [device_id],
            |r| r.get(0),
        )?)
    }

    /// Every device's accepted sequence numbers, for gap detection. A note
    /// of this device that the server refused is no gap: it is here.
    pub fn device_seqs(&self) -> Result<Vec<(String, Vec<u64>)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT device_id, device_seq FROM notes WHERE status IN ('valid', 'outbox', 'withheld', 'not_addressed', 'refused') ORDER BY device_id, device_seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?;
        let mut out: Vec<(String, Vec<u64>)> = Vec::new();
        for row in rows {
            let (device, seq) = row?;
            match out.last_mut() {
                Some((d, seqs)) if *d == device => seqs.push(seq),
                _ => out.push((device, vec![seq])),
            }
        }
        Ok(out)
    }

    /// The sequence number and `SealedNote::hash` of `device`'s newest item
    /// held here (any status), for this device's own chain.
    pub fn chain_tip(&self, device: &str) -> Result<Option<(u64, [u8; 32])>, StoreError> {
        self.tip(
            device,
            "SELECT device_seq, note_hash FROM notes WHERE device_id = ?1 ORDER BY device_seq DESC LIMIT 1",
        )
    }

    /// `chain_tip` of the items the server acknowledged: what this
    /// device's head names (one it refused never reaches a reader).
    pub fn sent_tip(&self, device: &str) -> Result<Option<(u64, [u8; 32])>, StoreError> {
        self.tip(
            device,
            "SELECT device_seq, note_hash FROM notes WHERE device_id = ?1 AND status = 'valid'
             ORDER BY device_seq DESC LIMIT 1",
        )
    }

    fn tip(&self, device: &str, sql: &str) -> Result<Option<(u64, [u8; 32])>, StoreError> {
        let row: Option<(u64, String)> =
            self.conn.prepare_cached(sql)?.query_row([device], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        row.map(|(seq, hash)| {
            let bytes = data_encoding::HEXLOWER
                .decode(hash.as_bytes())
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| StoreError::Malformed { what: format!("the hash of item {seq} of device {device}") })?;
            Ok((seq, bytes))
        })
        .transpose()
    }

    /// The highest sequence number of `device` held here in any state, and
    /// the hash of each held item at `seq` (accepted ones only).
    pub fn device_held(&self, device: &str, seq: u64) -> Result<(u64, Option<String>), StoreError> {
        let max: Option<u64> =
            self.conn.query_row("SELECT MAX(device_seq) FROM notes WHERE device_id = ?1", [device], |r| r.get(0))?;
        let hash: Option<String> = self
            .conn
            .query_row(
                "SELECT note_hash FROM notes WHERE device_id = ?1 AND device_seq = ?2
                 AND status IN ('valid', 'outbox', 'withheld', 'not_addressed') LIMIT 1",
                params![device, seq],
                |r| r.get(0),
            )
            .optional()?;
        Ok((max.unwrap_or(0), hash))
    }

    /// `device`'s newest item accepted here (its signature verified):
    /// (sequence number, `SealedNote::hash` hex, when the server stored it).
    pub fn accepted_tip(&self, device: &str) -> Result<Option<(u64, String, Option<i64>)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT device_seq, note_hash, received_at FROM notes WHERE device_id = ?1
                 AND status IN ('valid', 'withheld', 'not_addressed') ORDER BY device_seq DESC LIMIT 1",
                [device],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// `device`'s accepted items numbered up to `through`, newest first:
    /// (sequence number, hash hex, the signed header).
    pub fn accepted_chain(&self, device: &str, through: u64) -> Result<Vec<(u64, String, EnvelopeHeader)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT device_seq, note_hash, sealed FROM notes WHERE device_id = ?1 AND device_seq <= ?2
             AND status IN ('valid', 'withheld', 'not_addressed') ORDER BY device_seq DESC",
        )?;
        let rows = stmt.query_map(params![device, through], |r| {
            Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, hash, sealed) = row?;
            let sealed: SealedNote = serde_json::from_slice(&sealed)
                .map_err(StoreError::unreadable(format!("the envelope of item {seq} of device {device}")))?;
            out.push((seq, hash, sealed.header));
        }
        Ok(out)
    }

    /// The items received of each device: (device, [(sequence number,
    /// hash hex)] ascending), counting every item whose signed header was
    /// accepted, for coordinators' receipts.
    pub fn received_items(&self) -> Result<Vec<DeviceItems>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT device_id, device_seq, note_hash FROM notes
             WHERE status IN ('valid', 'withheld', 'not_addressed') ORDER BY device_id, device_seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?, r.get::<_, String>(2)?)))?;
        let mut out: Vec<DeviceItems> = Vec::new();
        for row in rows {
            let (device, seq, hash) = row?;
            match out.last_mut() {
                Some((d, items)) if *d == device => items.push((seq, hash)),
                _ => out.push((device, vec![(seq, hash)])),
            }
        }
        Ok(out)
    }
}
