//! The audit log: every state change, hash-chained so that an edited,
//! removed or reordered row is found by `audit verify`.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use visitnotes_shared::api::AuditEntry;
use visitnotes_shared::canonical::Canonical;

use super::StoreError;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn entry_hash(prev: &str, seq: u64, at: i64, actor: Option<&str>, action: &str, subject: &str) -> String {
    let message = Canonical::new("visitnotes/audit/v1")
        .str(prev)
        .u64(seq)
        .i64(at)
        .str(actor.unwrap_or(""))
        .str(action)
        .str(subject)
        .finish();
    visitnotes_shared::hex(&visitnotes_shared::sha256(&message))
}

/// Appends an entry inside the caller's transaction.
pub fn append(tx: &Transaction<'_>, actor: Option<&str>, action: &str, subject: &str) -> Result<(), StoreError> {
    let last: Option<(u64, String)> = tx
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = super::now();
    let hash = entry_hash(&prev, seq, at, actor, action, subject);
    tx.prepare_cached(
        "INSERT INTO audit (seq, at, actor, action, subject, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![seq, at, actor, action, subject, prev, hash])?;
    Ok(())
}

pub fn list(conn: &Connection, since: u64, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, actor, action, subject, prev_hash, hash FROM audit WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    // No entry has a seq past i64::MAX (SQLite integers are signed).
    let since = since.min(i64::MAX.unsigned_abs());
    let rows = stmt.query_map(params![since, limit], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            subject: r.get(4)?,
            prev_hash: r.get(5)?,
            hash: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The outcome of checking the whole chain.
#[derive(Debug, PartialEq, Eq)]
pub enum ChainCheck {
    Intact {
        entries: u64,
    },
    /// The first entry whose hash, link or position is wrong.
    Broken {
        seq: u64,
        reason: String,
    },
}

pub fn verify(conn: &Connection) -> Result<ChainCheck, StoreError> {
    let mut stmt = conn.prepare("SELECT seq, at, actor, action, subject, prev_hash, hash FROM audit ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1u64;
    while let Some(r) = rows.next()? {
        let seq: u64 = r.get(0)?;
        let actor: Option<String> = r.get(2)?;
        let (action, subject): (String, String) = (r.get(3)?, r.get(4)?);
        let (prev_hash, hash): (String, String) = (r.get(5)?, r.get(6)?);
        let broken = |reason: &str| Ok(ChainCheck::Broken { seq, reason: reason.to_owned() });
        if seq != expected_seq {
            return broken(&format!("entry {expected_seq} is missing"));
        }
        if prev_hash != prev {
            return broken("does not link to the entry before it");
        }
        if entry_hash(&prev, seq, r.get(1)?, actor.as_deref(), &action, &subject) != hash {
            return broken("its content does not match its hash (edited)");
        }
        prev = hash;
        expected_seq += 1;
    }
    Ok(ChainCheck::Intact { entries: expected_seq - 1 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[test]
    fn an_edited_row_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        for i in 0..5 {
            db.write(|tx| append(tx, Some("dev"), "upload", &format!("note {i}"))).unwrap();
        }
        assert_eq!(db.read(verify).unwrap(), ChainCheck::Intact { entries: 5 });
        db.write(|tx| tx.execute("UPDATE audit SET subject = 'note x' WHERE seq = 3", []).map_err(StoreError::from))
            .unwrap();
        assert!(matches!(db.read(verify).unwrap(), ChainCheck::Broken { seq: 3, .. }));
    }

    #[test]
    fn a_removed_row_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        for i in 0..4 {
            db.write(|tx| append(tx, None, "upload", &format!("note {i}"))).unwrap();
        }
        db.write(|tx| tx.execute("DELETE FROM audit WHERE seq = 2", []).map_err(StoreError::from)).unwrap();
        assert!(matches!(db.read(verify).unwrap(), ChainCheck::Broken { seq: 3, .. }));
    }
}
