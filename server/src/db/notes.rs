//! Sealed notes: idempotent upload, paged pull, retention.
//!
//! The server checks every upload against the roster (device signature,
//! hashes, author, stanza types) so that it never stores what a reader
//! would refuse; it cannot check anything inside the ciphertext.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use visitnotes_shared::api::{PullResponse, PulledNote, UploadResult};
use visitnotes_shared::envelope::{self, EnvelopeHeader, Kind, SealedNote};
use visitnotes_shared::{NoteId, Roster, UserId};

use super::{audit, now};
use crate::error::ApiError;

/// Who uploads, and the limits that apply.
pub struct Uploader<'a> {
    pub device_id: &'a str,
    pub user_id: &'a UserId,
    pub quota_bytes: u64,
}

fn kind_str(kind: Kind) -> &'static str {
    match kind {
        Kind::Note => "note",
        Kind::Tombstone => "tombstone",
    }
}

struct Existing {
    seq: u64,
    author: String,
    kind: String,
    note_hash: String,
    signature: Vec<u8>,
    age_sha256: String,
    header_matches: bool,
}

/// Checks every note of a batch against the roster as a reader would,
/// except for the note signature (see `envelope::verify_unsigned`): the
/// sending device, its standing, the author, the hashes and the stanza
/// types. CPU work, spread over the cores before the write lock is taken.
pub fn verify_batch(notes: &[SealedNote], roster: &Roster, device_id: &str) -> Result<(), ApiError> {
    let check = |sealed: &SealedNote| -> Result<(), ApiError> {
        let h = &sealed.header;
        let label = || format!("note {} revision {}", h.note_id, h.revision);
        if h.device_id.as_str() != device_id {
            return Err(ApiError::Forbidden(format!("{}: a device uploads only notes it signed itself", label())));
        }
        if sealed.rewrap.is_some() {
            return Err(ApiError::BadRequest(format!("{}: rewrapped notes go to /v1/notes/rewrap", label())));
        }
        envelope::verify_unsigned(sealed, roster).map_err(|e| ApiError::BadRequest(format!("{} refused: {e}", label())))
    };
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    // available_parallelism reads cgroup files on every call: ask once.
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let threads = cores.min(notes.len().div_ceil(16)).max(1);
    if threads == 1 {
        return notes.iter().try_for_each(check);
    }
    let per = notes.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> =
            notes.chunks(per).map(|chunk| scope.spawn(move || chunk.iter().try_for_each(check))).collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|_| Err(ApiError::Internal("a verifier panicked".into()))))
    })
}

/// Stores a verified batch (see `verify_batch`) in the caller's
/// transaction: all of it or none.
pub fn upload(tx: &Transaction<'_>, who: &Uploader<'_>, notes: &[SealedNote]) -> Result<Vec<UploadResult>, ApiError> {
    let mut results = Vec::with_capacity(notes.len());
    let used: u64 = tx
        .prepare_cached("SELECT bytes FROM usage WHERE user_id = ?1")?
        .query_row([who.user_id.as_str()], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let mut added: u64 = 0;
    let at = now();
    let mut stored = Vec::new();
    // A batch comes from one device (checked in `verify_batch`): read its
    // last sequence number once, then track it.
    let mut last_seq: u64 = tx
        .prepare_cached("SELECT COALESCE(MAX(device_seq), 0) FROM notes WHERE device_id = ?1")?
        .query_row([who.device_id], |r| r.get(0))?;
    for sealed in notes {
        let h = &sealed.header;
        let label = format!("note {} revision {}", h.note_id, h.revision);
        // Only an old sequence number or an edit can meet a stored revision.
        if h.device_seq <= last_seq || h.revision > 1 {
            if let Some(existing) = find(tx, &h.note_id, h.revision, h)? {
                results.push(idempotent(existing, sealed, &label)?);
                continue;
            }
        }
        check_history(tx, sealed, &label, last_seq)?;

        let size = sealed.age.len() as u64;
        if used + added + size > who.quota_bytes {
            return Err(ApiError::QuotaExceeded);
        }
        let note_hash = visitnotes_shared::hex(&sealed.hash());
        let inserted = tx
            .prepare_cached(
                "INSERT INTO notes (note_id, revision, kind, author, device_id, device_seq, roster_version, prev_hash, note_hash,
                                    age_sha256, payload_sha256, signature, age, size, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 ON CONFLICT (note_id, revision) DO NOTHING",
            )?
            .execute(params![
                h.note_id.as_str(),
                h.revision,
                kind_str(h.kind),
                h.author.as_str(),
                h.device_id.as_str(),
                h.device_seq,
                h.roster_version,
                h.prev_hash,
                note_hash,
                h.age_sha256,
                h.payload_sha256,
                sealed.signature,
                (h.kind == Kind::Note).then_some(&sealed.age[..]),
                size,
                at
            ])?;
        if inserted == 0 {
            // The id is taken (by other content: the same content has an old sequence number).
            let existing = find(tx, &h.note_id, h.revision, h)?
                .ok_or_else(|| ApiError::Internal("conflict without a row".into()))?;
            results.push(idempotent(existing, sealed, &label)?);
            continue;
        }
        added += size;
        last_seq = h.device_seq;
        let seq = tx.last_insert_rowid() as u64;
        if h.revision > 1 {
            tx.prepare_cached(
                "UPDATE notes SET superseded_at = ?1 WHERE note_id = ?2 AND revision < ?3 AND superseded_at IS NULL",
            )?
            .execute(params![at, h.note_id.as_str(), h.revision])?;
        }
        if h.kind == Kind::Tombstone {
            // A deletion purges every revision's ciphertext at once.
            tx.execute("UPDATE notes SET age = NULL WHERE note_id = ?1", [h.note_id.as_str()])?;
            recount_usage(tx, h.author.as_str())?;
        }
        stored.push(format!("{} r{} #{seq}", h.note_id, h.revision));
        results.push(UploadResult { note_id: h.note_id.clone(), revision: h.revision, seq, created: true });
    }
    if added > 0 {
        tx.prepare_cached(
            "INSERT INTO usage (user_id, bytes) VALUES (?1, ?2) ON CONFLICT (user_id) DO UPDATE SET bytes = bytes + excluded.bytes",
        )?
        .execute(params![who.user_id.as_str(), added])?;
    }
    if !stored.is_empty() {
        // One entry per request, naming every revision it stored.
        audit::append(
            tx,
            Some(who.device_id),
            "upload",
            &format!("{} revisions: {}", stored.len(), stored.join(", ")),
        )?;
    }
    Ok(results)
}

/// The answer to a revision the server holds already: the same bytes get
/// the original sequence number; anything else is a conflict.
fn idempotent(existing: Existing, sealed: &SealedNote, label: &str) -> Result<UploadResult, ApiError> {
    let same = existing.header_matches
        && existing.signature == sealed.signature
        && existing.age_sha256 == sealed.header.age_sha256;
    if !same {
        return Err(ApiError::Conflict(format!("{label} exists already with other content")));
    }
    Ok(UploadResult {
        note_id: sealed.header.note_id.clone(),
        revision: sealed.header.revision,
        seq: existing.seq,
        created: false,
    })
}

/// Recomputes a user's stored bytes (after ciphertext was dropped or replaced).
fn recount_usage(tx: &Transaction<'_>, user: &str) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO usage (user_id, bytes)
         VALUES (?1, (SELECT COALESCE(SUM(size), 0) FROM notes WHERE author = ?1 AND age IS NOT NULL))
         ON CONFLICT (user_id) DO UPDATE SET bytes = excluded.bytes",
        [user],
    )?;
    Ok(())
}

fn find(
    tx: &Transaction<'_>,
    id: &NoteId,
    revision: u64,
    header: &EnvelopeHeader,
) -> Result<Option<Existing>, ApiError> {
    Ok(tx
        .prepare_cached(
            "SELECT seq, author, kind, note_hash, signature, age_sha256, device_id, device_seq, roster_version, prev_hash, payload_sha256
             FROM notes WHERE note_id = ?1 AND revision = ?2",
        )?
        .query_row(
            params![id.as_str(), revision],
            |r| {
                let header_matches = r.get::<_, String>(6)? == header.device_id.as_str()
                    && r.get::<_, u64>(7)? == header.device_seq
                    && r.get::<_, u64>(8)? == header.roster_version
                    && r.get::<_, Option<String>>(9)? == header.prev_hash
                    && r.get::<_, String>(10)? == header.payload_sha256
                    && r.get::<_, String>(2)? == kind_str(header.kind)
                    && r.get::<_, String>(1)? == header.author.as_str();
                Ok(Existing {
                    seq: r.get(0)?,
                    author: r.get(1)?,
                    kind: r.get(2)?,
                    note_hash: r.get(3)?,
                    signature: r.get(4)?,
                    age_sha256: r.get(5)?,
                    header_matches,
                })
            },
        )
        .optional()?)
}

/// A new revision must follow the one before it, by the same author, and
/// a device's sequence numbers only go up.
fn check_history(tx: &Transaction<'_>, sealed: &SealedNote, label: &str, last_seq: u64) -> Result<(), ApiError> {
    let h = &sealed.header;
    if h.revision == 1 {
        // A taken id is caught by the insert (unique note id and revision):
        // revision 1 is stored before any other.
        if h.prev_hash.is_some() {
            return Err(ApiError::BadRequest(format!("{label}: a first revision names no previous one")));
        }
    } else {
        let previous = find(tx, &h.note_id, h.revision - 1, h)?
            .ok_or_else(|| ApiError::Conflict(format!("{label}: revision {} is not on the server", h.revision - 1)))?;
        if previous.author != h.author.as_str() {
            return Err(ApiError::Forbidden(format!("{label}: only the note's author may change it")));
        }
        if previous.kind == "tombstone" {
            return Err(ApiError::Conflict(format!("{label}: the note was deleted")));
        }
        if h.prev_hash.as_deref() != Some(previous.note_hash.as_str()) {
            return Err(ApiError::Conflict(format!(
                "{label}: it does not follow revision {} (edited from another copy?)",
                h.revision - 1
            )));
        }
        let newer: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM notes WHERE note_id = ?1 AND revision > ?2)")?
            .query_row(params![h.note_id.as_str(), h.revision], |r| r.get(0))?;
        if newer {
            return Err(ApiError::Conflict(format!("{label}: a later revision exists")));
        }
    }
    if h.device_seq <= last_seq {
        return Err(ApiError::Conflict(format!(
            "{label}: device sequence number {} is not above {last_seq}, the last one stored",
            h.device_seq
        )));
    }
    Ok(())
}

/// Which notes a caller sees, and whether it gets their ciphertext.
pub struct View<'a> {
    /// Only this author's notes (a leader), or all (a coordinator, an administrator).
    pub author: Option<&'a UserId>,
    /// Metadata only for notes by others than `reader` (an administrator
    /// who is not a coordinator).
    pub metadata_only: bool,
    pub reader: &'a UserId,
}

pub fn pull(conn: &Connection, view: &View<'_>, since: u64, limit: u32) -> Result<PullResponse, ApiError> {
    const COLUMNS: &str = "seq, received_at, kind, note_id, revision, prev_hash, author, device_id, device_seq,
                           roster_version, age_sha256, payload_sha256, signature, age, rewrap";
    let fetch = limit as i64 + 1;
    let mut notes = Vec::with_capacity(limit as usize);
    let mut push = |row: &Row<'_>| -> rusqlite::Result<()> {
        notes.push(pulled(row, view)?);
        Ok(())
    };
    match view.author {
        Some(author) => {
            let sql = format!("SELECT {COLUMNS} FROM notes WHERE author = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![author.as_str(), since, fetch])?;
            while let Some(row) = rows.next()? {
                push(row)?;
            }
        }
        None => {
            let sql = format!("SELECT {COLUMNS} FROM notes WHERE seq > ?1 ORDER BY seq LIMIT ?2");
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![since, fetch])?;
            while let Some(row) = rows.next()? {
                push(row)?;
            }
        }
    }
    let notes = notes.into_iter().collect::<Result<Vec<_>, ApiError>>()?;
    let more = notes.len() > limit as usize;
    let mut notes = notes;
    notes.truncate(limit as usize);
    let next = notes.last().map_or(since, |n| n.seq);
    Ok(PullResponse { notes, next, more })
}

fn pulled(r: &Row<'_>, view: &View<'_>) -> rusqlite::Result<Result<PulledNote, ApiError>> {
    let corrupt = |what: &str| ApiError::Internal(format!("stored note has a bad {what}"));
    let kind = match r.get::<_, String>(2)?.as_str() {
        "note" => Kind::Note,
        _ => Kind::Tombstone,
    };
    let metadata_only = view.metadata_only && r.get::<_, String>(6)? != view.reader.as_str();
    let age: Option<Vec<u8>> = if metadata_only { None } else { r.get(13)? };
    let withheld = match (&age, kind) {
        (_, Kind::Tombstone) => None,
        (Some(_), _) => None,
        (None, _) if metadata_only => Some("metadata_only".to_owned()),
        (None, _) => Some("purged".to_owned()),
    };
    let Ok(note_id) = NoteId::try_from(r.get::<_, String>(3)?) else { return Ok(Err(corrupt("note id"))) };
    let Ok(author) = UserId::try_from(r.get::<_, String>(6)?) else { return Ok(Err(corrupt("author"))) };
    let Ok(device_id) = r.get::<_, String>(7)?.parse() else { return Ok(Err(corrupt("device id"))) };
    let header = EnvelopeHeader {
        kind,
        note_id,
        revision: r.get(4)?,
        prev_hash: r.get(5)?,
        author,
        device_id,
        device_seq: r.get(8)?,
        roster_version: r.get(9)?,
        age_sha256: r.get(10)?,
        payload_sha256: r.get(11)?,
    };
    let rewrap = match r.get::<_, Option<String>>(14)? {
        Some(_) if metadata_only => None,
        Some(text) => match serde_json::from_str(&text) {
            Ok(rewrap) => Some(rewrap),
            Err(_) => return Ok(Err(corrupt("rewrap"))),
        },
        None => None,
    };
    Ok(Ok(PulledNote {
        seq: r.get(0)?,
        received_at: r.get(1)?,
        withheld,
        sealed: SealedNote { header, signature: r.get(12)?, age: age.unwrap_or_default(), rewrap },
    }))
}

/// Replaces stored ciphertext with coordinators' rewrapped files. Each must
/// be a revision the server holds, with the same signed header, rewrapped
/// by the calling device; purged ciphertext stays purged. Returns how many
/// were replaced.
pub fn rewrap(tx: &Transaction<'_>, device_id: &str, roster: &Roster, notes: &[SealedNote]) -> Result<u64, ApiError> {
    let mut replaced = 0;
    for sealed in notes {
        let h = &sealed.header;
        let label = format!("note {} revision {}", h.note_id, h.revision);
        let Some(statement) = &sealed.rewrap else {
            return Err(ApiError::BadRequest(format!("{label}: no rewrap statement")));
        };
        if statement.device_id.as_str() != device_id {
            return Err(ApiError::Forbidden(format!("{label}: a device submits only its own rewraps")));
        }
        envelope::verify(sealed, roster).map_err(|e| ApiError::BadRequest(format!("{label} refused: {e}")))?;
        let existing =
            find(tx, &h.note_id, h.revision, h)?.ok_or_else(|| ApiError::NotFound(format!("{label} is not stored")))?;
        if !existing.header_matches || existing.signature != sealed.signature {
            return Err(ApiError::Conflict(format!("{label}: the signed header differs from the stored one")));
        }
        let size = sealed.age.len() as u64;
        let text = serde_json::to_string(statement).expect("a rewrap serialises");
        replaced += tx.execute(
            "UPDATE notes SET age = ?1, rewrap = ?2, size = ?3 WHERE note_id = ?4 AND revision = ?5 AND age IS NOT NULL",
            params![sealed.age, text, size, h.note_id.as_str(), h.revision],
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
pub fn purge(tx: &Transaction<'_>, cutoff: i64) -> Result<u64, ApiError> {
    let purged = tx.execute(
        "UPDATE notes SET age = NULL WHERE age IS NOT NULL AND superseded_at IS NOT NULL AND superseded_at <= ?1",
        [cutoff],
    )? as u64;
    if purged > 0 {
        tx.execute(
            "UPDATE usage SET bytes = (SELECT COALESCE(SUM(size), 0) FROM notes WHERE author = usage.user_id AND age IS NOT NULL)",
            [],
        )?;
        audit::append(tx, None, "purge", &format!("{purged} superseded revisions"))?;
    }
    Ok(purged)
}
