//! Backups of a live store, and restoring one into an empty data dir.
//!
//! A backup is one SQLite file made with `VACUUM INTO` on its own
//! connection: one read transaction, so one consistent snapshot, while the
//! server goes on committing uploads (WAL: readers never block the writer).
//! Beside it goes a manifest, `FILE.manifest.json`: when, which schema, the
//! highest sequence number, the audit head, the store id, and the file's
//! size and SHA-256. A backup is only reported done once the copy is on
//! disk (fsync), passes `integrity_check`, its audit chain verifies and
//! ends in an entry the live chain holds with the same hash.
//!
//! Restoring checks the file first (manifest, hash, integrity, audit chain,
//! schema version) on the very bytes it installs, and only into an empty
//! directory: it never overwrites a server's data.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use visitnotes_shared::durable::{self, WriteOptions};

use super::audit::{self, ChainCheck};
use super::{StoreError, DB_FILE};

/// What the name of a backup's manifest adds to the backup's.
pub const MANIFEST_SUFFIX: &str = ".manifest.json";
const MANIFEST_FORMAT: u32 = 1;
/// What the name of a backup being written (or restored) adds.
const PARTIAL_SUFFIX: &str = ".partial";

/// What a backup holds, written beside it and checked on restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    /// When the snapshot was taken (Unix seconds, UTC).
    pub created_at: i64,
    /// The `visitnotes-server` that took it.
    pub server_version: String,
    pub schema_version: u32,
    pub store_id: String,
    /// The server's highest sequence number in the backup (0: no notes).
    pub highest_seq: u64,
    /// Stored revisions (rows), tombstones included.
    pub revisions: u64,
    pub audit_entries: u64,
    /// The hash of the last audit entry (None: an empty log).
    pub audit_head: Option<String>,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} holds no Visitnotes database: give the server's data directory (the one `serve --data` uses)")]
    NoDatabase(String),
    #[error("{0} exists already: choose another name (backups are never overwritten)")]
    Exists(String),
    #[error("cannot {what} {path}")]
    Io {
        what: &'static str,
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not empty (it holds {found}): restore into a new, empty directory. To replace a server's data, stop the server, move its data directory aside, and restore into the emptied path")]
    NotEmpty { path: String, found: String },
    #[error("{manifest} is missing: a backup made by `visitnotes-server backup` has its manifest beside it. Put it back, or pass --no-manifest to restore a database checked on its own (integrity and audit chain, without the hash)")]
    NoManifest { manifest: String },
    #[error("{manifest} is not a backup manifest")]
    BadManifest {
        manifest: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("{file} does not match its manifest: {what}. The file is damaged, or the manifest belongs to another backup: use another backup")]
    Mismatch { file: String, what: String },
    #[error("{file} is not a Visitnotes database ({detail}): use another file")]
    NotAStore { file: String, detail: String },
    #[error("{file} fails SQLite's integrity check: {detail}. Use another backup")]
    Integrity { file: String, detail: String },
    #[error("the audit log in {file} is broken at entry {seq}: {reason}. Use another backup, and keep this one for an investigation")]
    AuditBroken { file: String, seq: u64, reason: String },
    #[error("the backup's last audit entry ({seq}) is not the live server's entry {seq}: the copy is not a snapshot of this store. Nothing was kept; run the backup again, and run `visitnotes-server audit verify` on the server")]
    NotThisChain { seq: u64 },
    #[error("{file} was written by a newer visitnotes-server (schema version {found}; this one knows up to {known}): restore it with that version or a later one")]
    NewerSchema { file: String, found: u32, known: u32 },
    #[error("cannot read {file}")]
    Store {
        file: String,
        #[source]
        source: StoreError,
    },
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BackupError {
    let path = shown(path);
    move |source| BackupError::Io { what, path, source }
}

/// The manifest's path for the backup at `file`.
pub fn manifest_path(file: &Path) -> PathBuf {
    with_suffix(file, MANIFEST_SUFFIX)
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The facts a backup's manifest records, read from a database.
struct Facts {
    schema_version: u32,
    store_id: String,
    highest_seq: u64,
    revisions: u64,
    audit_entries: u64,
    audit_head: Option<(u64, String)>,
}

/// Opens a database file nobody else writes (a backup, a file being
/// restored): read-only and immutable, so SQLite makes no `-wal` or
/// `-shm` file beside it and takes no lock.
fn open_immutable(path: &Path) -> Result<Connection, BackupError> {
    let store = |source| BackupError::Store { file: shown(path), source };
    let uri = format!("file:{}?immutable=1", uri_path(path));
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri, flags).map_err(|e| store(StoreError::Db(e)))
}

/// `path` for a `file:` URI: everything but unreserved characters and `/`
/// percent-encoded (`?`, `#` and `%` would otherwise end or change it).
fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = String::new();
    for byte in absolute.as_os_str().as_encoded_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(char::from(*byte)),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Checks a database file the way a restore needs it: a Visitnotes store,
/// not from a newer server, `integrity_check` ok, the audit chain intact.
/// Returns what its manifest would say.
fn inspect(file: &Path, conn: &Connection) -> Result<Facts, BackupError> {
    let name = shown(file);
    let store = |source: rusqlite::Error| BackupError::Store { file: name.clone(), source: StoreError::Db(source) };
    let not_a_store = |detail: String| BackupError::NotAStore { file: name.clone(), detail };
    // A file that is not SQLite at all fails here, on its first page.
    let schema_version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| not_a_store(format!("SQLite cannot read it: {e}")))?;
    let known = super::latest_schema_version();
    if schema_version > known {
        return Err(BackupError::NewerSchema { file: name.clone(), found: schema_version, known });
    }
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check(20)")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(|e| BackupError::Integrity { file: name.clone(), detail: e.to_string() })?;
    if problems != ["ok"] {
        return Err(BackupError::Integrity { file: name.clone(), detail: problems.join("; ") });
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(store)?;
    for table in ["notes", "audit", "rosters", "devices", "store"] {
        if !tables.iter().any(|t| t == table) {
            return Err(not_a_store(format!("it has no {table} table")));
        }
    }
    match audit::verify(conn).map_err(|source| BackupError::Store { file: name.clone(), source })? {
        ChainCheck::Intact { .. } => {}
        ChainCheck::Broken { seq, reason } => return Err(BackupError::AuditBroken { file: name.clone(), seq, reason }),
    }
    let store_id = super::store_id(conn).map_err(|source| BackupError::Store { file: name.clone(), source })?;
    let (highest_seq, revisions): (u64, u64) = conn
        .query_row("SELECT COALESCE(MAX(seq), 0), COUNT(*) FROM notes", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(store)?;
    let audit_entries: u64 = conn.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0)).map_err(store)?;
    let audit_head = conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(store)?;
    Ok(Facts { schema_version, store_id, highest_seq, revisions, audit_entries, audit_head })
}

/// SHA-256 of a file, read in pieces, and its length.
fn hash_file(path: &Path) -> Result<(String, u64), BackupError> {
    let mut file = File::open(path).map_err(io("read", path))?;
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io("read", path))?;
        if n == 0 {
            break;
        }
        context.update(&buf[..n]);
        len += n as u64;
    }
    Ok((visitnotes_shared::hex(context.finish().as_ref()), len))
}

/// Flushes `path` (a file or a directory) to disk.
fn sync_path(path: &Path) -> Result<(), BackupError> {
    File::open(path).and_then(|f| f.sync_all()).map_err(io("flush to disk", path))
}

/// Removes a file that this module wrote and did not finish; a failure to
/// remove it is left for the operator (its name says what it is).
fn discard(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Takes a consistent copy of the store in `data_dir` into `out` while the
/// server may be serving, writes its manifest beside it, and returns the
/// manifest once the copy has been checked.
pub fn backup(data_dir: &Path, out: &Path) -> Result<Manifest, BackupError> {
    let live_path = data_dir.join(DB_FILE);
    if !live_path.is_file() {
        return Err(BackupError::NoDatabase(shown(data_dir)));
    }
    let manifest_file = manifest_path(out);
    for path in [out, manifest_file.as_path()] {
        if path.exists() {
            return Err(BackupError::Exists(shown(path)));
        }
    }
    let partial = with_suffix(out, PARTIAL_SUFFIX);
    // A .partial file is only ever one of ours that an earlier run left.
    discard(&partial);
    let live = super::open_without_migrating(&live_path)
        .map_err(|source| BackupError::Store { file: shown(&live_path), source })?;
    let target = partial.to_str().ok_or_else(|| BackupError::Io {
        what: "write to",
        path: shown(&partial),
        source: std::io::Error::other("the path is not valid UTF-8"),
    })?;
    let created_at = super::now();
    if let Err(e) = live.execute("VACUUM INTO ?1", [target]) {
        discard(&partial);
        return Err(BackupError::Store { file: shown(&live_path), source: StoreError::Db(e) });
    }
    let checked = check_copy(&live, &partial, created_at);
    drop(live);
    let manifest = match checked {
        Ok(manifest) => manifest,
        Err(e) => {
            discard(&partial);
            return Err(e);
        }
    };
    let written = write_manifest(&manifest_file, &manifest)
        .and_then(|()| durable::rename(&partial, out).map_err(io("rename the finished backup to", out)));
    if let Err(e) = written {
        discard(&partial);
        discard(&manifest_file);
        return Err(e);
    }
    Ok(manifest)
}

/// The copy at `partial`: flushed, checked, and linked to the live chain.
fn check_copy(live: &Connection, partial: &Path, created_at: i64) -> Result<Manifest, BackupError> {
    sync_path(partial)?;
    let facts = inspect(partial, &open_immutable(partial)?)?;
    if let Some((seq, hash)) = &facts.audit_head {
        let live_hash: Option<String> = live
            .query_row("SELECT hash FROM audit WHERE seq = ?1", [seq], |r| r.get(0))
            .optional()
            .map_err(|e| BackupError::Store { file: "the live database".into(), source: StoreError::Db(e) })?;
        if live_hash.as_ref() != Some(hash) {
            return Err(BackupError::NotThisChain { seq: *seq });
        }
    }
    let (sha256, bytes) = hash_file(partial)?;
    Ok(Manifest {
        format: MANIFEST_FORMAT,
        created_at,
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version: facts.schema_version,
        store_id: facts.store_id,
        highest_seq: facts.highest_seq,
        revisions: facts.revisions,
        audit_entries: facts.audit_entries,
        audit_head: facts.audit_head.map(|(_, hash)| hash),
        bytes,
        sha256,
    })
}

fn write_manifest(path: &Path, manifest: &Manifest) -> Result<(), BackupError> {
    let mut text = serde_json::to_string_pretty(manifest).expect("a manifest serialises");
    text.push('\n');
    let options = WriteOptions { private: false, no_clobber: true };
    durable::write_file(path, text.as_bytes(), options).map_err(io("write", path))
}

/// Reads the manifest beside the backup `file`.
pub fn read_manifest(file: &Path) -> Result<Manifest, BackupError> {
    let path = manifest_path(file);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackupError::NoManifest { manifest: shown(&path) })
        }
        Err(e) => return Err(io("read", &path)(e)),
    };
    serde_json::from_str(&text).map_err(|source| BackupError::BadManifest { manifest: shown(&path), source })
}

/// What a restore installed.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The backup's manifest; None when restored with `--no-manifest`.
    pub manifest: Option<Manifest>,
    pub schema_version: u32,
    pub highest_seq: u64,
    pub revisions: u64,
    pub audit_entries: u64,
}

/// Restores the backup `file` into `data_dir`, which must be empty or not
/// exist. With `use_manifest`, the file must match its manifest (size,
/// SHA-256, and the facts it records); in any case it must be a Visitnotes
/// store that passes `integrity_check` and whose audit chain verifies.
/// The checks run on the copy that is installed; nothing is left behind
/// when one fails.
pub fn restore(file: &Path, data_dir: &Path, use_manifest: bool) -> Result<Restored, BackupError> {
    if let Ok(entries) = std::fs::read_dir(data_dir) {
        let mut found: Vec<String> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        if !found.is_empty() {
            found.sort();
            let more = found.len().saturating_sub(3);
            found.truncate(3);
            let mut found = found.join(", ");
            if more > 0 {
                found.push_str(&format!(" and {more} more"));
            }
            return Err(BackupError::NotEmpty { path: shown(data_dir), found });
        }
    }
    if !file.is_file() {
        return Err(BackupError::Io {
            what: "read",
            path: shown(file),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let manifest = if use_manifest { Some(read_manifest(file)?) } else { None };
    let created = !data_dir.exists();
    crate::create_private_dir(data_dir).map_err(|e| match e {
        crate::SetupError::Io { source, .. } => io("create", data_dir)(source),
        other => {
            BackupError::Io { what: "create", path: shown(data_dir), source: std::io::Error::other(other.to_string()) }
        }
    })?;
    let target = data_dir.join(DB_FILE);
    let partial = with_suffix(&target, PARTIAL_SUFFIX);
    let result = install(file, &partial, &target, manifest.as_ref());
    if result.is_err() {
        discard(&partial);
        if created {
            let _ = std::fs::remove_dir(data_dir);
        }
    }
    let facts = result?;
    Ok(Restored {
        manifest,
        schema_version: facts.schema_version,
        highest_seq: facts.highest_seq,
        revisions: facts.revisions,
        audit_entries: facts.audit_entries,
    })
}

/// Copies `file` to `partial`, checks the copy, and renames it to `target`.
fn install(file: &Path, partial: &Path, target: &Path, manifest: Option<&Manifest>) -> Result<Facts, BackupError> {
    std::fs::copy(file, partial).map_err(io("copy the backup to", partial))?;
    sync_path(partial)?;
    let copy = shown(file);
    let mismatch = |what: String| BackupError::Mismatch { file: copy.clone(), what };
    if let Some(m) = manifest {
        let (sha256, bytes) = hash_file(partial)?;
        if bytes != m.bytes {
            return Err(mismatch(format!("it is {bytes} bytes, the manifest says {}", m.bytes)));
        }
        if sha256 != m.sha256 {
            return Err(mismatch("its SHA-256 differs from the manifest's".into()));
        }
    }
    let facts = {
        let conn = open_immutable(partial)?;
        let facts = inspect(file, &conn)?;
        drop(conn);
        facts
    };
    if let Some(m) = manifest {
        let head = facts.audit_head.as_ref().map(|(_, hash)| hash);
        let checks = [
            (facts.schema_version == m.schema_version, "schema version"),
            (facts.store_id == m.store_id, "store id"),
            (facts.highest_seq == m.highest_seq, "highest sequence number"),
            (facts.audit_entries == m.audit_entries, "number of audit entries"),
            (head == m.audit_head.as_ref(), "audit head"),
        ];
        if let Some((_, what)) = checks.iter().find(|(ok, _)| !ok) {
            return Err(mismatch(format!("its {what} differs from the manifest's")));
        }
    }
    durable::rename(partial, target).map_err(io("rename the restored database to", target))?;
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn store_with_entries(n: usize) -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        for i in 0..n {
            db.write(|tx| audit::append(tx, Some("dev"), "test", &format!("entry {i}"))).unwrap();
        }
        (dir, db)
    }

    #[test]
    fn a_backup_restores_with_its_manifest() {
        let (dir, _db) = store_with_entries(3);
        let out = dir.path().join("copy.sqlite3");
        let manifest = backup(dir.path(), &out).unwrap();
        assert_eq!((manifest.audit_entries, manifest.schema_version), (3, crate::db::latest_schema_version()));
        assert_eq!(read_manifest(&out).unwrap(), manifest);
        assert!(matches!(backup(dir.path(), &out), Err(BackupError::Exists(_))), "never overwritten");
        let target = dir.path().join("restored");
        let restored = restore(&out, &target, true).unwrap();
        assert_eq!(restored.audit_entries, 3);
        let db = Db::open(&target).unwrap();
        assert_eq!(db.read(audit::verify).unwrap(), ChainCheck::Intact { entries: 3 });
    }

    #[test]
    fn uri_paths_escape_what_would_end_the_path() {
        assert!(uri_path(Path::new("/a b/c?d#e%f.sqlite3")).ends_with("/a%20b/c%3Fd%23e%25f.sqlite3"));
    }
}
