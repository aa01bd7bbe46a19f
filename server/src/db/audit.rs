//! The audit log: every state change, hash-chained so that an edited,
//! removed or reordered row is found by `audit verify`; and the checkpoints
//! administrators' devices sign over its head, so that entries dropped from
//! the end, or rewritten with the chain computed again, are found too
//! (`visitnotes_shared::audit`).

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use visitnotes_shared::api::AuditEntry;
use visitnotes_shared::audit::{entry_hash, Chain, Checkpoint, Coverage, GENESIS};
use visitnotes_shared::roster::{Roster, SignedRoster};

use super::{Refusal, StoreError};

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
    let rows = stmt.query_map(params![since, limit], entry)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One row of `SELECT seq, at, actor, action, subject, prev_hash, hash`.
fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        subject: r.get(4)?,
        prev_hash: r.get(5)?,
        hash: r.get(6)?,
    })
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
    let mut chain = Chain::new();
    while let Some(r) = rows.next()? {
        let entry = entry(r)?;
        if let Err(broken) = chain.push(&entry) {
            return Ok(ChainCheck::Broken { seq: broken.seq, reason: broken.reason.to_string() });
        }
    }
    Ok(ChainCheck::Intact { entries: chain.entries() })
}

/// Stores `checkpoint`, sent by `device`, after checking it: signed by that
/// device as an administrator's in `roster` (the roster in force), and
/// naming an entry this log has, with that hash. A checkpoint older than
/// the newest stored is refused, so that the newest stays the newest.
pub fn add_checkpoint(
    tx: &Transaction<'_>,
    roster: &Roster,
    checkpoint: &Checkpoint,
    device: &str,
) -> Result<(), StoreError> {
    let head = hash_at(tx, checkpoint.entries)?;
    let newest = latest_checkpoint(tx)?.map(|c| c.entries);
    check_new_checkpoint(roster, checkpoint, device, head.as_deref(), newest)?;
    tx.execute(
        "INSERT INTO audit_checkpoints (entries, head, signed_at, device_id, roster_version, signature, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            checkpoint.entries,
            checkpoint.head,
            checkpoint.signed_at,
            checkpoint.device_id.as_str(),
            checkpoint.roster_version,
            checkpoint.signature,
            super::now()
        ],
    )?;
    append(tx, Some(device), "checkpoint", &format!("entries 1 to {} signed", checkpoint.entries))
}

/// The newest stored checkpoint.
pub fn latest_checkpoint(conn: &Connection) -> Result<Option<Checkpoint>, StoreError> {
    let row = conn
        .query_row(
            "SELECT entries, head, signed_at, device_id, roster_version, signature FROM audit_checkpoints
             ORDER BY entries DESC, id DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get::<_, u64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, u64>(4)?,
                    r.get::<_, Vec<u8>>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((entries, head, signed_at, device, roster_version, signature)) = row else { return Ok(None) };
    let device_id = visitnotes_shared::DeviceId::parse(&device)
        .map_err(|e| StoreError::Corrupt(format!("a checkpoint's device id: {e}")))?;
    Ok(Some(Checkpoint { entries, head, signed_at, device_id, roster_version, signature }))
}

fn hash_at(conn: &Connection, seq: u64) -> Result<Option<String>, StoreError> {
    let seq = i64::try_from(seq).unwrap_or(i64::MAX);
    Ok(conn.query_row("SELECT hash FROM audit WHERE seq = ?1", [seq], |r| r.get(0)).optional()?)
}

/// What `audit verify` found: the chain, and the newest checkpoint.
#[derive(Debug, PartialEq, Eq)]
pub struct AuditReport {
    pub chain: ChainCheck,
    /// The number of the last entry.
    pub last: u64,
    pub checkpoint: Option<CheckpointFinding>,
}

/// The newest checkpoint, who signed it, and how the log compares with it.
#[derive(Debug, PartialEq, Eq)]
pub struct CheckpointFinding {
    pub checkpoint: Checkpoint,
    /// The administrator's name in the roster the checkpoint names (or the
    /// device id, when that roster is not here).
    pub signer: String,
    pub verdict: CheckpointVerdict,
}

#[derive(Debug, PartialEq, Eq)]
pub enum CheckpointVerdict {
    Covered(Coverage),
    /// The checkpoint itself does not verify: the stored checkpoint, or the
    /// roster it names, was changed.
    BadSignature(String),
}

impl AuditReport {
    /// Whether anything is wrong: `audit verify` then exits 2.
    pub fn broken(&self) -> bool {
        matches!(self.chain, ChainCheck::Broken { .. })
            || self.checkpoint.as_ref().is_some_and(|c| c.verdict != CheckpointVerdict::Covered(Coverage::Matches))
    }

    /// The report in words, one finding a line, times as local dates.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![match &self.chain {
            ChainCheck::Intact { entries } => format!("audit log chain intact: {entries} entries"),
            ChainCheck::Broken { seq, reason } => format!("audit log BROKEN at entry {seq}: {reason}"),
        }];
        let Some(found) = &self.checkpoint else {
            out.push(
                "no signed checkpoint yet: an administrator's `visitnotes sync` signs one; entries dropped from \
                 the end or rewritten are found from then on"
                    .into(),
            );
            return out;
        };
        let c = &found.checkpoint;
        let signed = format!("the checkpoint {} signed on {}", found.signer, local_datetime(c.signed_at));
        out.push(match &found.verdict {
            CheckpointVerdict::Covered(Coverage::Matches) => format!("entries 1 to {} match {signed}", c.entries),
            CheckpointVerdict::Covered(Coverage::Truncated { have }) if *have >= c.entries => {
                format!("audit log BROKEN: entry {}, which {signed} covers, was removed", c.entries)
            }
            CheckpointVerdict::Covered(Coverage::Truncated { have }) => format!(
                "audit log BROKEN: TRUNCATED: {signed} covers {} entries, the log has {have}: entries {} to {} were removed",
                c.entries,
                have + 1,
                c.entries
            ),
            CheckpointVerdict::Covered(Coverage::Rewritten { .. }) => format!(
                "audit log BROKEN: REWRITTEN: entry {} does not have the hash in {signed}: it, or an entry before it, \
                 was changed and the chain computed again",
                c.entries
            ),
            CheckpointVerdict::BadSignature(why) => {
                format!("audit log BROKEN: the newest checkpoint (of {} entries) does not verify: {why}", c.entries)
            }
        });
        out
    }
}

/// Checks the chain and the newest checkpoint.
pub fn check(conn: &Connection) -> Result<AuditReport, StoreError> {
    let chain = verify(conn)?;
    let last: u64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit", [], |r| r.get(0))?;
    let Some(checkpoint) = latest_checkpoint(conn)? else {
        return Ok(AuditReport { chain, last, checkpoint: None });
    };
    let roster = |v: u64| -> Result<Option<SignedRoster>, StoreError> {
        Ok(conn
            .query_row("SELECT body, signature FROM rosters WHERE version = ?1", [v], |r| {
                Ok(SignedRoster { body: r.get(0)?, signature: r.get(1)? })
            })
            .optional()?)
    };
    let (first, named) = (roster(1)?, roster(checkpoint.roster_version)?);
    let head = hash_at(conn, checkpoint.entries)?;
    Ok(AuditReport { chain, last, checkpoint: Some(finding(checkpoint, first, named, last, head.as_deref())) })
}

/// What the newest checkpoint says of a log of `last` entries whose entry
/// `checkpoint.entries` has the hash `head`: `first` and `named` are the
/// stored rosters of version 1 and of the version the checkpoint names.
pub fn finding(
    checkpoint: Checkpoint,
    first: Option<SignedRoster>,
    named: Option<SignedRoster>,
    last: u64,
    head: Option<&str>,
) -> CheckpointFinding {
    let (signer, signature) = match signer_roster(first, named, checkpoint.roster_version) {
        Ok(roster) => {
            let name = roster
                .device(&checkpoint.device_id)
                .map_or_else(|| checkpoint.device_id.to_string(), |(m, _)| m.name.clone());
            (name, checkpoint.verify(&roster).map_err(|e| e.to_string()))
        }
        Err(why) => (checkpoint.device_id.to_string(), Err(why)),
    };
    let verdict = match signature {
        Ok(()) => CheckpointVerdict::Covered(checkpoint.compare(last, head)),
        Err(why) => CheckpointVerdict::BadSignature(why),
    };
    CheckpointFinding { checkpoint, signer, verdict }
}

/// The roster of `version` (`named`), verified against the organisation
/// key of version 1 (`first`: the key the server took at bootstrap); or why not.
fn signer_roster(first: Option<SignedRoster>, named: Option<SignedRoster>, version: u64) -> Result<Roster, String> {
    let Some(first) = first.and_then(|s| s.unverified().ok()) else {
        return Err("there is no first roster to take the organisation key from".into());
    };
    let Some(signed) = named else {
        return Err(format!("roster version {version}, which it names, is not stored"));
    };
    signed.verify(&first.org_key, 0).map_err(|e| format!("roster version {version}, which it names: {e}"))
}

/// Refuses `checkpoint`, sent by `device`, unless it is that device's,
/// names the roster in force and is signed by an administrator's device in
/// it; `head` is this log's hash of the entry it names (None: no such
/// entry), `newest` the entries of the newest checkpoint stored.
pub fn check_new_checkpoint(
    roster: &Roster,
    checkpoint: &Checkpoint,
    device: &str,
    head: Option<&str>,
    newest: Option<u64>,
) -> Result<(), StoreError> {
    if checkpoint.device_id.as_str() != device {
        return Err(Refusal::NotAllowed("a device sends only the checkpoints it signed itself".into()).into());
    }
    if checkpoint.roster_version != roster.version {
        return Err(Refusal::Conflict(format!(
            "the checkpoint names roster version {}, the roster in force is version {}: sync and sign it again",
            checkpoint.roster_version, roster.version
        ))
        .into());
    }
    checkpoint.verify(roster).map_err(|e| Refusal::Invalid(format!("checkpoint refused: {e}")))?;
    match head {
        Some(hash) if hash == checkpoint.head => {}
        Some(_) => {
            return Err(Refusal::Conflict(format!(
                "entry {} of the audit log here does not have the hash the checkpoint names",
                checkpoint.entries
            ))
            .into())
        }
        None => return Err(Refusal::Conflict(format!("the audit log here has no entry {}", checkpoint.entries)).into()),
    }
    if let Some(newest) = newest {
        if newest > checkpoint.entries {
            return Err(Refusal::Conflict(format!("a newer checkpoint (of {newest} entries) is stored already")).into());
        }
    }
    Ok(())
}

fn local_datetime(unix: i64) -> String {
    use chrono::TimeZone;
    chrono::Local
        .timestamp_opt(unix, 0)
        .single()
        .map_or_else(|| format!("(time {unix})"), |t| t.format("%Y-%m-%d %H:%M").to_string())
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

    use visitnotes_shared::roster::{Member, Role};
    use visitnotes_shared::{DeviceKeys, OrgKey, UserId};

    /// A log of `n` entries and roster version 1 naming "Ada" as the
    /// administrator of `admin`'s device.
    fn log_with_roster(n: usize, admin: &DeviceKeys) -> (tempfile::TempDir, Db, Roster) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        for i in 0..n {
            db.write(|tx| append(tx, Some("dev"), "upload", &format!("note {i}"))).unwrap();
        }
        let org = OrgKey::generate();
        let roster = Roster {
            version: 1,
            org_key: org.public(),
            issued_at: 1_700_000_000,
            expires_at: None,
            units: vec![],
            members: vec![Member::active(UserId::random(), "Ada", &[Role::Admin], &[admin])],
        };
        let signed = roster.sign(&org);
        db.write(|tx| {
            tx.execute(
                "INSERT INTO rosters (version, body, signature, published_at, published_by) VALUES (1, ?1, ?2, 0, 'x')",
                params![signed.body, signed.signature],
            )
            .map_err(StoreError::from)
        })
        .unwrap();
        (dir, db, roster)
    }

    fn head(db: &Db, seq: u64) -> String {
        db.read(|conn| hash_at(conn, seq)).unwrap().unwrap()
    }

    fn sign_head(db: &Db, admin: &DeviceKeys, entries: u64) -> Checkpoint {
        Checkpoint::sign(entries, &head(db, entries), 1_790_000_000, 1, admin)
    }

    fn verdict(db: &Db) -> CheckpointVerdict {
        db.read(check).unwrap().checkpoint.unwrap().verdict
    }

    #[test]
    fn a_checkpoint_is_stored_only_when_it_fits_this_log() {
        let admin = DeviceKeys::generate();
        let (_dir, db, roster) = log_with_roster(6, &admin);
        let me = admin.device_id();
        let add = |c: &Checkpoint, device: &str| db.write(|tx| add_checkpoint(tx, &roster, c, device));
        let refusal = |r: Result<(), StoreError>| match r {
            Err(StoreError::Refused(refusal)) => refusal,
            other => panic!("{other:?}"),
        };
        let good = sign_head(&db, &admin, 6);
        assert!(matches!(refusal(add(&good, "someone else")), Refusal::NotAllowed(_)));
        let mut wrong_head = good.clone();
        wrong_head.head = head(&db, 5);
        assert!(matches!(refusal(add(&wrong_head, me.as_str())), Refusal::Invalid(_)), "the signature covers the head");
        let future = Checkpoint::sign(99, &head(&db, 6), 1_790_000_000, 1, &admin);
        assert!(matches!(refusal(add(&future, me.as_str())), Refusal::Conflict(m) if m.contains("no entry 99")));
        let other_hash = Checkpoint::sign(6, &head(&db, 5), 1_790_000_000, 1, &admin);
        assert!(matches!(refusal(add(&other_hash, me.as_str())), Refusal::Conflict(m) if m.contains("hash")));
        let stale_roster = Checkpoint::sign(6, &head(&db, 6), 1_790_000_000, 2, &admin);
        assert!(matches!(refusal(add(&stale_roster, me.as_str())), Refusal::Conflict(m) if m.contains("version 2")));
        let by_stranger = sign_head(&db, &DeviceKeys::generate(), 6);
        assert!(matches!(
            refusal(db.write(|tx| add_checkpoint(tx, &roster, &by_stranger, by_stranger.device_id.as_str()))),
            Refusal::Invalid(_)
        ));

        add(&good, me.as_str()).unwrap();
        // Storing it is an entry of its own.
        let report = db.read(check).unwrap();
        assert_eq!(report.chain, ChainCheck::Intact { entries: 7 });
        assert!(!report.broken(), "{:?}", report.lines());
        assert_eq!(report.checkpoint.as_ref().unwrap().signer, "Ada");
        assert!(
            report.lines()[1].starts_with("entries 1 to 6 match the checkpoint Ada signed on "),
            "{:?}",
            report.lines()
        );
        // An older one after it is refused; the newest stays.
        assert!(matches!(refusal(add(&sign_head(&db, &admin, 3), me.as_str())), Refusal::Conflict(_)));
        add(&sign_head(&db, &admin, 7), me.as_str()).unwrap();
        assert_eq!(db.read(latest_checkpoint).unwrap().unwrap().entries, 7);
    }

    /// A log of 6 entries with a checkpoint over them (and a 7th entry,
    /// the checkpoint's own).
    fn checkpointed() -> (tempfile::TempDir, Db) {
        let admin = DeviceKeys::generate();
        let (dir, db, roster) = log_with_roster(6, &admin);
        let checkpoint = sign_head(&db, &admin, 6);
        db.write(|tx| add_checkpoint(tx, &roster, &checkpoint, admin.device_id().as_str())).unwrap();
        assert_eq!(verdict(&db), CheckpointVerdict::Covered(Coverage::Matches));
        (dir, db)
    }

    fn sql(db: &Db, q: &str) {
        db.write(|tx| tx.execute_batch(q).map_err(StoreError::from)).unwrap();
    }

    #[test]
    fn truncation_behind_a_checkpoint_is_found() {
        let (_dir, db) = checkpointed();
        // The last three entries dropped: the chain of the rest is intact.
        sql(&db, "DELETE FROM audit WHERE seq > 4");
        let report = db.read(check).unwrap();
        assert_eq!(report.chain, ChainCheck::Intact { entries: 4 });
        assert_eq!(
            report.checkpoint.as_ref().unwrap().verdict,
            CheckpointVerdict::Covered(Coverage::Truncated { have: 4 })
        );
        assert!(report.broken());
        let line = &report.lines()[1];
        assert!(
            line.contains("TRUNCATED") && line.contains("Ada") && line.contains("entries 5 to 6 were removed"),
            "{line}"
        );
    }

    #[test]
    fn rewriting_behind_a_checkpoint_is_found() {
        let (_dir, db) = checkpointed();
        // Entry 2 edited and the chain computed again from there.
        let entries = db.read(|conn| list(conn, 0, 100)).unwrap();
        let mut prev = entries[0].hash.clone();
        for e in &entries[1..] {
            let subject = if e.seq == 2 { "nothing happened".to_owned() } else { e.subject.clone() };
            let hash = entry_hash(&prev, e.seq, e.at, e.actor.as_deref(), &e.action, &subject);
            db.write(|tx| {
                tx.execute(
                    "UPDATE audit SET subject = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
                    params![subject, prev, hash, e.seq],
                )
                .map_err(StoreError::from)
            })
            .unwrap();
            prev = hash;
        }
        let report = db.read(check).unwrap();
        assert_eq!(report.chain, ChainCheck::Intact { entries: 7 }, "the chain alone is fooled");
        assert!(matches!(
            report.checkpoint.as_ref().unwrap().verdict,
            CheckpointVerdict::Covered(Coverage::Rewritten { .. })
        ));
        assert!(report.broken() && report.lines()[1].contains("REWRITTEN"), "{:?}", report.lines());

        // A checkpoint edited to fit: its signature fails.
        sql(&db, &format!("UPDATE audit_checkpoints SET head = '{}'", head(&db, 6)));
        assert!(matches!(verdict(&db), CheckpointVerdict::BadSignature(_)));
    }
}
