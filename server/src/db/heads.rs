//! Signed device heads: the newest per device, served to every member;
//! and coordinators' signed receipts, the newest per coordinator's device
//! and author's device, served to the author.
//!
//! The route checks a head's signature against the roster before it gets
//! here (`visitnotes_shared::head`); the store keeps, per device, the head
//! with the latest signed time, so that a retried upload or a late one
//! never replaces a newer head.

use rusqlite::{params, Connection, Transaction};
use visitnotes_shared::head::SignedHead;
use visitnotes_shared::receipt::SignedReceipt;
use visitnotes_shared::UserId;

use super::columns::bytes;
use super::{now, StoreError};

/// Stores `signed` unless the device has a head signed later. Returns
/// whether it was stored. No audit entry: heads come with every sync and
/// change nothing a reader relies on but themselves, which are signed.
pub fn put(tx: &Transaction<'_>, signed: &SignedHead) -> Result<bool, StoreError> {
    let head = &signed.head;
    let body = serde_json::to_string(signed).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let changed = tx
        .prepare_cached(
            "INSERT INTO heads (device_id, last_seq, signed_at, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (device_id) DO UPDATE SET
                last_seq = excluded.last_seq, signed_at = excluded.signed_at, body = excluded.body,
                received_at = excluded.received_at
             WHERE excluded.signed_at >= heads.signed_at",
        )?
        .execute(params![
            bytes(head.device_id.as_str())?,
            head.last_seq.min(i64::MAX.unsigned_abs()),
            head.signed_at,
            body,
            now()
        ])?;
    Ok(changed > 0)
}

/// Every device's newest head.
pub fn list(conn: &Connection) -> Result<Vec<SignedHead>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT body FROM heads ORDER BY device_id")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for body in rows {
        out.push(serde_json::from_str(&body?).map_err(|_| StoreError::Corrupt("a stored head".into()))?);
    }
    Ok(out)
}

/// Stores `receipts` (verified by the route), each naming the user of the
/// device it is about, unless the same coordinator's device has a later
/// receipt about the same device. Returns how many were stored.
pub fn put_receipts(tx: &Transaction<'_>, receipts: &[(SignedReceipt, UserId)]) -> Result<u64, StoreError> {
    let mut stored = 0;
    for (signed, author) in receipts {
        let r = &signed.receipt;
        let body = serde_json::to_string(signed).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        stored += tx
            .prepare_cached(
                "INSERT INTO receipts (reader, device_id, author, through_seq, signed_at, body, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (reader, device_id) DO UPDATE SET
                    author = excluded.author, through_seq = excluded.through_seq, signed_at = excluded.signed_at,
                    body = excluded.body, received_at = excluded.received_at
                 WHERE excluded.signed_at >= receipts.signed_at",
            )?
            .execute(params![
                bytes(r.reader.as_str())?,
                bytes(r.device_id.as_str())?,
                bytes(author.as_str())?,
                r.through_seq.min(i64::MAX.unsigned_abs()),
                r.signed_at,
                body,
                now()
            ])? as u64;
    }
    Ok(stored)
}

/// The newest receipts about the devices of `author`.
pub fn receipts_for(conn: &Connection, author: &UserId) -> Result<Vec<SignedReceipt>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT body FROM receipts WHERE author = ?1 ORDER BY device_id, reader")?;
    let rows = stmt.query_map([bytes(author.as_str())?], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for body in rows {
        out.push(serde_json::from_str(&body?).map_err(|_| StoreError::Corrupt("a stored receipt".into()))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::head::DeviceHead;
    use visitnotes_shared::DeviceKeys;

    use super::*;
    use crate::db::Db;

    #[test]
    fn an_older_head_never_replaces_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let keys = DeviceKeys::generate();
        let head = |seq: u64, at: i64| {
            DeviceHead {
                device_id: keys.device_id(),
                last_seq: seq,
                chain_hash: "ab".repeat(32),
                roster_version: 1,
                signed_at: at,
            }
            .sign(&keys)
        };
        assert!(db.write(|tx| put(tx, &head(5, 200))).unwrap());
        assert!(!db.write(|tx| put(tx, &head(4, 100))).unwrap());
        assert!(db.write(|tx| put(tx, &head(6, 300))).unwrap());
        let stored = db.read(list).unwrap();
        assert_eq!(stored, vec![head(6, 300)]);
    }
}
