//! Sealed notes: idempotent upload, paged pull, retention.
//!
//! The server checks every upload against the roster (device signature,
//! hashes, author, stanza types) so that it never stores what a reader
//! would refuse; it cannot check anything inside the ciphertext.
//!
//! Coordinators' follow-up records on concerns are stored here too (kind
//! `follow_up`), with the user whose note they are about (`note_author`,
//! from the signed header): they go to coordinators and to that user.
//! Only a coordinator's device may upload one; a record is never deleted
//! and its revisions keep its kind and its note author.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use visitnotes_shared::api::{PullResponse, PulledNote, SeqItem, StoreState, UploadResult};
use visitnotes_shared::envelope::{self, EnvelopeHeader, Kind, SealedNote};
use visitnotes_shared::roster::Role;
use visitnotes_shared::{Roster, UserId};

use super::columns::{self, bytes};
use super::{audit, now, Refusal, StoreError};
use crate::error::Chain;

/// Who uploads, and the limits that apply.
pub struct Uploader<'a> {
    pub device_id: &'a str,
    pub user_id: &'a UserId,
    pub quota_bytes: u64,
}

/// A revision the server holds already.
pub(crate) struct Existing {
    pub seq: u64,
    pub header: EnvelopeHeader,
    pub signature: Vec<u8>,
}

/// Checks every note of a batch against the roster as a reader would,
/// except for the note signature (see `envelope::verify_unsigned`): the
/// sending device, its standing, the author, the hashes and the stanza
/// types. CPU work, done before the batch goes to the writer; the client
/// keeps several batches in flight, so the cores check them side by side.
pub fn verify_batch(notes: &[SealedNote], roster: &Roster, device_id: &str) -> Result<(), Refusal> {
    notes.iter().try_for_each(|sealed| {
        let h = &sealed.header;
        let label = || format!("note {} revision {}", h.note_id, h.revision);
        if h.device_id.as_str() != device_id {
            return Err(Refusal::NotAllowed(format!("{}: a device uploads only notes it signed itself", label())));
        }
        if sealed.rewrap.is_some() {
            return Err(Refusal::Invalid(format!("{}: rewrapped notes go to /v1/notes/rewrap", label())));
        }
        if h.kind == Kind::FollowUp && !may_record_follow_up(roster, device_id) {
            return Err(Refusal::NotAllowed(format!(
                "{}: only a coordinator's device may record follow-up on concerns",
                label()
            )));
        }
        storable(h, &label())?;
        envelope::verify_unsigned(sealed, roster)
            .map_err(|e| Refusal::Invalid(format!("{} refused: {}", label(), Chain(&e))))
    })
}

/// Whether `device_id` is a device of a coordinator (readers check the
/// same of the record's signer; this refuses it before it is stored).
fn may_record_follow_up(roster: &Roster, device_id: &str) -> bool {
    roster
        .members
        .iter()
        .any(|m| m.roles.contains(&Role::Coordinator) && m.devices.iter().any(|d| d.device_id.as_str() == device_id))
}

/// SQLite integers are signed: a revision, sequence number or roster
/// version past i64::MAX would not bind (a failure of the server's), so it
/// is refused as the sender's mistake first.
pub(crate) fn storable(h: &EnvelopeHeader, label: &str) -> Result<(), Refusal> {
    let limit = i64::MAX.unsigned_abs();
    if h.revision > limit || h.device_seq > limit || h.roster_version > limit {
        return Err(Refusal::Invalid(format!("{label}: a revision or sequence number past {limit}")));
    }
    Ok(())
}

/// Stores a verified batch (see `verify_batch`) in the caller's
/// transaction: all of it or none.
pub fn upload(tx: &Transaction<'_>, who: &Uploader<'_>, notes: &[SealedNote]) -> Result<Vec<UploadResult>, StoreError> {
    let mut results = Vec::with_capacity(notes.len());
    let user = bytes(who.user_id.as_str())?;
    let device = bytes(who.device_id)?;
    let used: u64 = tx
        .prepare_cached("SELECT bytes FROM usage WHERE user_id = ?1")?
        .query_row([who.user_id.as_str()], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let mut added: u64 = 0;
    let at = now();
    // Seqs of one transaction are consecutive: there is one writer.
    let mut stored: Option<(u64, u64)> = None;
    let mut count = 0;
    // A batch comes from one device (checked in `verify_batch`): read its
    // last sequence number once, then track it.
    let mut last_seq = last_device_seq(tx, who.device_id)?;
    for sealed in notes {
        let h = &sealed.header;
        let label = format!("note {} revision {}", h.note_id, h.revision);
        let note_id = bytes(h.note_id.as_str())?;
        // Only an old sequence number or an edit can meet a stored revision.
        if h.device_seq <= last_seq || h.revision > 1 {
            if let Some(existing) = find(tx, &note_id, h.revision)? {
                results.push(idempotent(existing, sealed, &label)?);
                continue;
            }
        }
        check_history(tx, sealed, &note_id, &label, last_seq)?;

        let size = sealed.age.len() as u64;
        if used.saturating_add(added).saturating_add(size) > who.quota_bytes {
            return Err(Refusal::Quota.into());
        }
        let prev_hash = h.prev_hash.as_deref().map(bytes).transpose()?;
        // 32 bytes: `verify_batch` checked it is a hash in hex.
        let device_prev = h.device_prev.as_deref().map(bytes).transpose()?;
        let inserted = tx
            .prepare_cached(
                "INSERT INTO notes (note_id, revision, kind, author, device_id, device_seq, roster_version, prev_hash,
                                    age_sha256, payload_sha256, signature, age, size, received_at, note_author,
                                    device_prev)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                 ON CONFLICT (note_id, revision) DO NOTHING",
            )?
            .execute(params![
                note_id,
                h.revision,
                columns::kind(h.kind),
                user,
                device,
                h.device_seq,
                h.roster_version,
                prev_hash,
                bytes(&h.age_sha256)?,
                bytes(&h.payload_sha256)?,
                sealed.signature,
                (h.kind != Kind::Tombstone).then_some(&sealed.age[..]),
                size,
                at,
                h.note_author.as_ref().map(|u| bytes(u.as_str())).transpose()?,
                device_prev
            ])?;
        if inserted == 0 {
            // The id is taken (by other content: the same content has an old sequence number).
            let existing = find(tx, &note_id, h.revision)?
                .ok_or_else(|| StoreError::Corrupt("a conflict without a row".into()))?;
            results.push(idempotent(existing, sealed, &label)?);
            continue;
        }
        added += size;
        last_seq = h.device_seq;
        let seq = u64::try_from(tx.last_insert_rowid())
            .map_err(|_| StoreError::Corrupt("a negative sequence number".into()))?;
        if h.revision > 1 {
            tx.prepare_cached(
                "UPDATE notes SET superseded_at = ?1 WHERE note_id = ?2 AND revision < ?3 AND superseded_at IS NULL",
            )?
            .execute(params![at, note_id, h.revision])?;
        }
        if h.kind == Kind::Tombstone {
            // A deletion purges every revision's ciphertext at once.
            tx.execute("UPDATE notes SET age = NULL WHERE note_id = ?1", [&note_id])?;
            recount_usage(tx, h.author.as_str())?;
        }
        stored = Some((stored.map_or(seq, |(first, _)| first), seq));
        count += 1;
        results.push(UploadResult { note_id: h.note_id.clone(), revision: h.revision, seq, created: true });
    }
    if added > 0 {
        tx.prepare_cached(
            "INSERT INTO usage (user_id, bytes) VALUES (?1, ?2) ON CONFLICT (user_id) DO UPDATE SET bytes = bytes + excluded.bytes",
        )?
        .execute(params![who.user_id.as_str(), added])?;
    }
    if let Some((first, last)) = stored {
        // One entry per request; the seqs name the rows, which are never deleted.
        audit::append(tx, Some(who.device_id), "upload", &format!("{count} revisions, seq {first} to {last}"))?;
    }
    Ok(results)
}

/// The highest sequence number stored from `device_id` (0 for none).
pub fn last_device_seq(conn: &Connection, device_id: &str) -> Result<u64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(MAX(device_seq), 0) FROM notes WHERE device_id = ?1")?
        .query_row([bytes(device_id)?], |r| r.get(0))?)
}

/// The answer to a revision the server holds already: the same bytes get
/// the original sequence number; anything else is a conflict.
pub(crate) fn idempotent(existing: Existing, sealed: &SealedNote, label: &str) -> Result<UploadResult, StoreError> {
    if existing.header != sealed.header || existing.signature != sealed.signature {
        return Err(Refusal::Conflict(format!("{label} exists already with other content")).into());
    }
    Ok(UploadResult {
        note_id: sealed.header.note_id.clone(),
        revision: sealed.header.revision,
        seq: existing.seq,
        created: false,
    })
}

/// Recomputes a user's stored bytes (after ciphertext was dropped or replaced).
fn recount_usage(tx: &Transaction<'_>, user: &str) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO usage (user_id, bytes)
         VALUES (?1, (SELECT COALESCE(SUM(size), 0) FROM notes WHERE author = unhex(?1) AND age IS NOT NULL))
         ON CONFLICT (user_id) DO UPDATE SET bytes = excluded.bytes",
        [user],
    )?;
    Ok(())
}

/// The stored revision `revision` of the note with id bytes `note_id`.
fn find(tx: &Transaction<'_>, note_id: &[u8], revision: u64) -> Result<Option<Existing>, StoreError> {
    let sql = format!("SELECT seq, signature, {} FROM notes WHERE note_id = ?1 AND revision = ?2", columns::HEADER);
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![note_id, revision])?;
    let Some(row) = rows.next()? else { return Ok(None) };
    Ok(Some(Existing { seq: row.get(0)?, signature: row.get(1)?, header: columns::header(row, 2)? }))
}

/// A new revision must follow the one before it, by the same author, and
/// a device's sequence numbers only go up.
fn check_history(
    tx: &Transaction<'_>,
    sealed: &SealedNote,
    note_id: &[u8],
    label: &str,
    last_seq: u64,
) -> Result<(), StoreError> {
    let h = &sealed.header;
    if h.revision == 1 {
        // A taken id is caught by the insert (unique note id and revision):
        // revision 1 is stored before any other.
        if h.prev_hash.is_some() {
            return Err(Refusal::Invalid(format!("{label}: a first revision names no previous one")).into());
        }
    } else {
        // Revision 0 is refused by `verify_batch`; checked again rather than wrapped.
        let before = h.revision.checked_sub(1).ok_or_else(|| Refusal::Invalid(format!("{label}: revision 0")))?;
        let previous = find(tx, note_id, before)?
            .ok_or_else(|| Refusal::Conflict(format!("{label}: revision {before} is not on the server")))?;
        follows(&previous, h, label)?;
        let newer: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM notes WHERE note_id = ?1 AND revision > ?2)")?
            .query_row(params![note_id, h.revision], |r| r.get(0))?;
        if newer {
            return Err(Refusal::Conflict(format!("{label}: a later revision exists")).into());
        }
    }
    check_device_seq(h, label, last_seq)
}

/// A new revision `h` must follow `previous` (the revision before it):
/// the same author and kind of record, and its previous hash.
pub(crate) fn follows(previous: &Existing, h: &EnvelopeHeader, label: &str) -> Result<(), StoreError> {
    if previous.header.author != h.author {
        return Err(Refusal::NotAllowed(format!("{label}: only the note's author may change it")).into());
    }
    // A follow-up record is history: never deleted, never turned into a
    // note (nor a note into one), always about the same person's note.
    if (previous.header.kind == Kind::FollowUp) != (h.kind == Kind::FollowUp) {
        return Err(Refusal::Invalid(format!(
            "{label}: a follow-up record and a note cannot become one another, and a follow-up record is not deleted"
        ))
        .into());
    }
    if previous.header.note_author != h.note_author {
        return Err(Refusal::Invalid(format!("{label}: a follow-up record stays about the same note")).into());
    }
    if previous.header.kind == Kind::Tombstone {
        return Err(Refusal::Conflict(format!("{label}: the note was deleted")).into());
    }
    // `SealedNote::hash` of the previous revision: the SHA-256 of its signed header.
    let previous_hash = visitnotes_shared::hex(&visitnotes_shared::sha256(&previous.header.signing_message()));
    if h.prev_hash.as_deref() != Some(previous_hash.as_str()) {
        return Err(Refusal::Conflict(format!(
            "{label}: it does not follow revision {} (edited from another copy?)",
            h.revision - 1
        ))
        .into());
    }
    Ok(())
}

/// Refuses a device sequence number at or below the last one stored.
pub(crate) fn check_device_seq(h: &EnvelopeHeader, label: &str, last_seq: u64) -> Result<(), StoreError> {
    if h.device_seq <= last_seq {
        return Err(Refusal::Conflict(format!(
            "{label}: device sequence number {} is not above {last_seq}, the last one stored",
            h.device_seq
        ))
        .into());
    }
    Ok(())
}

/// Which notes a caller sees, and whether it gets their ciphertext.
pub struct View<'a> {
    /// Only this author's notes and the follow-up records about them (a
    /// leader), or all (a coordinator, an administrator).
    pub author: Option<&'a UserId>,
    /// Metadata only for notes by others than `reader` (an administrator
    /// who is not a coordinator).
    pub metadata_only: bool,
    pub reader: &'a UserId,
    /// The calling device, whose last stored sequence number the page reports.
    pub device: &'a str,
}

/// A page of the notes after `since` that `view` may see, with where the
/// store (`store_id`) stands.
pub fn pull(
    conn: &Connection,
    view: &View<'_>,
    store_id: &str,
    since: u64,
    limit: u32,
) -> Result<PullResponse, StoreError> {
    // SQLite integers are signed: no row has a seq past i64::MAX, and a
    // larger cursor would not bind.
    let after = since.min(i64::MAX.unsigned_abs());
    let columns = format!("seq, received_at, signature, age, rewrap, {}", columns::HEADER);
    let fetch = limit as i64 + 1;
    let mut notes = Vec::with_capacity(limit as usize);
    let mut collect = |mut rows: rusqlite::Rows<'_>| -> Result<(), StoreError> {
        while let Some(row) = rows.next()? {
            notes.push(pulled(row, view)?);
        }
        Ok(())
    };
    match view.author {
        Some(author) => {
            // Two ordered index walks, merged: the author's own rows, and
            // the follow-up records about the author's notes (a partial
            // index, empty for most). A coordinator's record on their own
            // note is in both: kept once.
            let author = bytes(author.as_str())?;
            for key in ["author", "note_author"] {
                let sql = format!("SELECT {columns} FROM notes WHERE {key} = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
                let mut stmt = conn.prepare_cached(&sql)?;
                collect(stmt.query(params![author, after, fetch])?)?;
            }
            notes.sort_by_key(|n| n.seq);
            notes.dedup_by_key(|n| n.seq);
        }
        None => {
            let sql = format!("SELECT {columns} FROM notes WHERE seq > ?1 ORDER BY seq LIMIT ?2");
            let mut stmt = conn.prepare_cached(&sql)?;
            collect(stmt.query(params![after, fetch])?)?;
        }
    }
    let more = notes.len() > limit as usize;
    notes.truncate(limit as usize);
    let next = notes.last().map_or(since, |n| n.seq);
    let server = store_state(conn, view, store_id, after)?;
    Ok(PullResponse { notes, next, more, server })
}

/// Where the store stands, as `view` may see it (what `pull` would give
/// it: for a leader, its own rows and the follow-up records about its
/// notes): a few indexed lookups.
fn store_state(conn: &Connection, view: &View<'_>, store_id: &str, since: u64) -> Result<StoreState, StoreError> {
    let author = view.author.map(|a| bytes(a.as_str())).transpose()?;
    let head: u64 = match &author {
        Some(author) => {
            let mut head = 0;
            for key in ["author", "note_author"] {
                let sql = format!("SELECT COALESCE(MAX(seq), 0) FROM notes WHERE {key} = ?1");
                head = head.max(conn.prepare_cached(&sql)?.query_row([author], |r| r.get(0))?);
            }
            head
        }
        None => conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM notes")?.query_row([], |r| r.get(0))?,
    };
    let at_since = if since == 0 {
        None
    } else {
        let mut stmt = conn
            .prepare_cached("SELECT note_id, revision, received_at, author, note_author FROM notes WHERE seq = ?1")?;
        let mut rows = stmt.query([since])?;
        let visible = |row: &Row<'_>| -> rusqlite::Result<bool> {
            Ok(match &author {
                None => true,
                Some(a) => *a == row.get::<_, Vec<u8>>(3)? || Some(a) == row.get::<_, Option<Vec<u8>>>(4)?.as_ref(),
            })
        };
        match rows.next()? {
            // A revision the caller may not pull is not named to it.
            Some(row) if visible(row)? => Some(SeqItem {
                seq: since,
                note_id: columns::note_id(row, 0)?,
                revision: row.get(1)?,
                received_at: row.get(2)?,
            }),
            _ => None,
        }
    };
    let device_seq = last_device_seq(conn, view.device)?;
    Ok(StoreState { store_id: store_id.to_owned(), head, at_since, device_seq })
}

/// One row of `pull`'s query as the caller may see it.
fn pulled(r: &Row<'_>, view: &View<'_>) -> Result<PulledNote, StoreError> {
    let header = columns::header(r, 5)?;
    let metadata_only =
        view.metadata_only && header.author != *view.reader && header.note_author.as_ref() != Some(view.reader);
    let age: Option<Vec<u8>> = if metadata_only { None } else { r.get(3)? };
    let withheld = match (&age, header.kind) {
        (_, Kind::Tombstone) | (Some(_), _) => None,
        (None, _) if metadata_only => Some("metadata_only".to_owned()),
        (None, _) => Some("purged".to_owned()),
    };
    let rewrap = match r.get::<_, Option<String>>(4)? {
        Some(_) if metadata_only => None,
        Some(text) => {
            Some(serde_json::from_str(&text).map_err(|_| StoreError::Corrupt("stored note has a bad rewrap".into()))?)
        }
        None => None,
    };
    Ok(PulledNote {
        seq: r.get(0)?,
        received_at: r.get(1)?,
        withheld,
        sealed: SealedNote { header, signature: r.get(2)?, age: age.unwrap_or_default(), rewrap },
    })
}

/// Replaces stored ciphertext with coordinators' rewrapped files. Each must
/// be a revision the server holds, with the same signed header, rewrapped
/// by the calling device; purged ciphertext stays purged. Returns how many
/// were replaced.
pub fn rewrap(tx: &Transaction<'_>, device_id: &str, roster: &Roster, notes: &[SealedNote]) -> Result<u64, StoreError> {
    let mut replaced = 0;
    for sealed in notes {
        let h = &sealed.header;
        let label = format!("note {} revision {}", h.note_id, h.revision);
        let Some(statement) = &sealed.rewrap else {
            return Err(Refusal::Invalid(format!("{label}: no rewrap statement")).into());
        };
        if statement.device_id.as_str() != device_id {
            return Err(Refusal::NotAllowed(format!("{label}: a device submits only its own rewraps")).into());
        }
        storable(h, &label)?;
        envelope::verify(sealed, roster).map_err(|e| Refusal::Invalid(format!("{label} refused: {}", Chain(&e))))?;
        let note_id = bytes(h.note_id.as_str())?;
        let existing =
            find(tx, &note_id, h.revision)?.ok_or_else(|| Refusal::NotFound(format!("{label} is not stored")))?;
        if existing.header != *h || existing.signature != sealed.signature {
            return Err(Refusal::Conflict(format!("{label}: the signed header differs from the stored one")).into());
        }
        let size = sealed.age.len() as u64;
        let text = serde_json::to_string(statement)
            .map_err(|e| Refusal::Invalid(format!("{label}: the rewrap statement cannot be stored: {e}")))?;
        replaced += tx.execute(
            "UPDATE notes SET age = ?1, rewrap = ?2, size = ?3 WHERE note_id = ?4 AND revision = ?5 AND age IS NOT NULL",
            params![sealed.age, text, size, note_id, h.revision],
        )? as u64;
    }
    let mut authors: Vec<&str> = notes.iter().map(|n| n.header.author.as_str()).collect();
    authors.sort_unstable();
    authors.dedup();
    for author in authors {
        recount_usage(tx, author)?;
    }
    audit::append(tx, Some(device_id), "rewrap", &format!("{replaced} revisions"))?;
    Ok(replaced)
}

/// Drops the ciphertext of revisions superseded before `cutoff` (unix
/// seconds). Returns how many were purged.
pub fn purge(tx: &Transaction<'_>, cutoff: i64) -> Result<u64, StoreError> {
    let purged = tx.execute(
        "UPDATE notes SET age = NULL WHERE age IS NOT NULL AND superseded_at IS NOT NULL AND superseded_at <= ?1",
        [cutoff],
    )? as u64;
    if purged > 0 {
        tx.execute(
            "UPDATE usage SET bytes = (SELECT COALESCE(SUM(size), 0) FROM notes WHERE author = unhex(usage.user_id) AND age IS NOT NULL)",
            [],
        )?;
        audit::append(tx, None, "purge", &format!("{purged} superseded revisions"))?;
    }
    Ok(purged)
}
