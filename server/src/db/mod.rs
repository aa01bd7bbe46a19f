//! The server's store. The HTTP routes reach it only through the `Storage`
//! trait (storage.rs): a small set of async operations in the store's own
//! terms (records, `StoreError`), so that the routes see no SQL,
//! connection or transaction. Two backends implement it, chosen by the
//! `database_url` setting (url.rs): SQLite (this module and its siblings,
//! the embedded default) and PostgreSQL (postgres/).
//!
//! The SQLite store: one writer connection, a few readers, WAL with
//! synchronous=FULL so that an acknowledged write survives a crash. Its
//! access is blocking; `SqliteStorage` (sqlite.rs) runs it on the blocking
//! pool, never on the async threads. Every write runs in one
//! `BEGIN IMMEDIATE` transaction, with its audit entry inside it.

pub mod audit;
pub mod backup;
mod columns;
pub mod directory;
pub mod error;
pub mod heads;
pub mod notes;
pub mod org_key_grants;
pub mod postgres;
pub mod rosters;
mod sqlite;
mod storage;
pub mod upload_writer;
pub mod url;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::{Migrations, M};

pub use error::{Refusal, StoreError};
pub use sqlite::{purge, SqliteStorage};
pub use storage::{BackendKind, DeviceSnapshot, NewMember, Storage};
pub use url::{DatabaseUrl, DatabaseUrlError, PgUrl};

/// The database file inside the data dir.
pub const DB_FILE: &str = "visitnotes.sqlite3";

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// WAL pages between automatic checkpoints: 4,000 16 KiB pages, 64 MiB
/// (SQLite's default is 1,000). Random note ids spread a batch's index
/// entries over many pages; checkpointing less often copies each such page
/// into the database file once for many commits instead of once for a few
/// (batch upload at 100,000 notes: 25k to 30k notes/s). The WAL file is cut
/// back to the same size after a checkpoint, and to nothing by `checkpoint`.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 4_000;
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;
const MAX_IDLE_READERS: usize = 8;

fn migration_list() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("../../../migrations/0001_init.sql")),
        M::up(include_str!("../../../migrations/0002_rewrap.sql")),
        M::up(include_str!("../../../migrations/0003_usage.sql")),
        M::up(include_str!("../../../migrations/0004_binary_notes.sql")),
        M::up(include_str!("../../../migrations/0005_store_id.sql")),
        M::up(include_str!("../../../migrations/0006_follow_ups.sql")),
        M::up(include_str!("../../../migrations/0007_audit_checkpoints.sql")),
        M::up(include_str!("../../../migrations/0008_org_key_grants.sql")),
        M::up(include_str!("../../../migrations/0009_device_heads.sql")),
        M::up(include_str!("../../../migrations/0010_receipts.sql")),
    ]
}

fn migrations() -> Migrations<'static> {
    Migrations::new(migration_list())
}

/// The schema version this build brings a database to (SQLite's
/// `user_version` after the last migration).
pub fn latest_schema_version() -> u32 {
    u32::try_from(migration_list().len()).unwrap_or(u32::MAX)
}

/// The schema version of the database on `conn` (0: none yet).
pub fn schema_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// A connection to the existing database file at `path` that does not
/// touch its schema, for `backup` to read a live store through. It is not
/// read-only on purpose: a read-only connection to a stopped server's
/// database leaves `-wal` and `-shm` files behind, owned by whoever ran
/// it; this one removes them when it closes, as the server does.
pub fn open_without_migrating(path: &Path) -> Result<Connection, StoreError> {
    connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE, None)
}

/// The schema version in a database file's header (SQLite's
/// `user_version`, bytes 60..64), read without opening it through SQLite:
/// `check` changes nothing and leaves no file behind. None when the file
/// is not an SQLite database.
pub fn schema_version_in_header(path: &Path) -> std::io::Result<Option<u32>> {
    use std::io::Read;
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path)?;
    if file.read(&mut header)? < header.len() || !header.starts_with(b"SQLite format 3\0") {
        return Ok(None);
    }
    Ok(Some(u32::from_be_bytes([header[60], header[61], header[62], header[63]])))
}

pub struct Db {
    path: PathBuf,
    /// The SQLite VFS every connection opens with (None: the default).
    vfs: Option<String>,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl Db {
    /// Opens (creating if needed) the database in `data_dir` and brings its
    /// schema up to date.
    pub fn open(data_dir: &Path) -> Result<Db, StoreError> {
        Db::open_with_vfs(data_dir, None)
    }

    /// `open`, every connection through the SQLite VFS named `vfs` (tests
    /// open the store on a crash VFS: `Settings::sqlite_vfs`).
    pub fn open_with_vfs(data_dir: &Path, vfs: Option<&str>) -> Result<Db, StoreError> {
        Db::open_file(&data_dir.join(DB_FILE), vfs)
    }

    /// `open_with_vfs` of the database file at `path` (`database_url =
    /// "sqlite:PATH"`).
    pub fn open_file(path: &Path, vfs: Option<&str>) -> Result<Db, StoreError> {
        let path = path.to_path_buf();
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let mut writer = connect(&path, flags, vfs)?;
        migrations().to_latest(&mut writer)?;
        let vfs = vfs.map(str::to_owned);
        Ok(Db { path, vfs, writer: Mutex::new(writer), readers: Mutex::new(Vec::new()) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one immediate transaction and commits if it returns Ok.
    pub fn write<T, E: From<StoreError>>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E> {
        let mut conn = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Copies the WAL into the database file and truncates it, if no reader
    /// is in the middle of it (then it is left for the next time). Returns
    /// whether it completed.
    pub fn checkpoint(&self) -> Result<bool, StoreError> {
        let conn = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        Ok(busy == 0)
    }

    /// Runs `f` on a reader connection (WAL: it sees the last commit).
    pub fn read<T, E: From<StoreError>>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => connect(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY, self.vfs.as_deref())?,
        };
        let result = f(&conn);
        let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if readers.len() < MAX_IDLE_READERS {
            readers.push(conn);
        }
        result
    }
}

impl Drop for Db {
    /// Readers first: the last connection to close folds the WAL back and
    /// removes the -wal and -shm files, which only the writer may do.
    fn drop(&mut self) {
        self.readers.get_mut().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

fn connect(path: &Path, flags: OpenFlags, vfs: Option<&str>) -> Result<Connection, StoreError> {
    let flags = flags | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match vfs {
        Some(vfs) => Connection::open_with_flags_and_vfs(path, flags, vfs)?,
        None => Connection::open_with_flags(path, flags)?,
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;
    configure(&conn, !flags.contains(OpenFlags::SQLITE_OPEN_READ_ONLY))?;
    Ok(conn)
}

/// The server's pragmas; public so that the benchmark's raw SQLite baseline
/// runs with exactly the same.
pub fn configure(conn: &Connection, writable: bool) -> Result<(), rusqlite::Error> {
    if writable {
        // 16 KiB pages hold six 2.5 KB sealed notes with little waste (4 KiB
        // pages hold one); it only takes effect when the file is created.
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
    }
    // Plans that do not depend on bound values: otherwise SQLite (built with
    // STAT4) recompiles a cached statement each time a value it peeked at,
    // such as a page's LIMIT, is bound again.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    // 8 MiB of page cache per connection: reads go through the memory map,
    // and a larger cache mostly kept ciphertext pages that were written
    // once (32 MiB cost ~20 MB of resident memory, no speed).
    conn.pragma_update(None, "cache_size", -8192)?;
    conn.pragma_update(None, "mmap_size", 268_435_456)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Statement journals stay in memory, not in temporary files: with a
    // savepoint per upload batch they had made a one-note commit 489 µs
    // instead of 339 (the writer no longer uses savepoints, but statements
    // that change many rows still journal).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "foreign_keys", "ON")
}

/// The store's random id (migration 0005): it tells clients this store
/// from another one.
pub fn store_id(conn: &Connection) -> Result<String, StoreError> {
    Ok(conn.query_row("SELECT id FROM store", [], |r| r.get(0))?)
}

/// Unix seconds now.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    /// Notes stored before ids and hashes became bytes read back the same.
    #[test]
    fn the_binary_notes_migration_keeps_every_field() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 3).unwrap();
        let (id, user, device) = ("0123456789abcdef0123456789abcdef", "a".repeat(32), "b".repeat(32));
        let (prev, age_hash, payload_hash) = ("c".repeat(64), "d".repeat(64), "e".repeat(64));
        conn.execute(
            "INSERT INTO notes (seq, note_id, revision, kind, author, device_id, device_seq, roster_version, prev_hash,
                                note_hash, age_sha256, payload_sha256, signature, age, size, received_at)
             VALUES (41, ?1, 2, 'tombstone', ?2, ?3, 7, 3, ?4, ?4, ?5, ?6, x'0102', NULL, 0, 1700000000)",
            rusqlite::params![id, user, device, prev, age_hash, payload_hash],
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();

        let sql = format!("SELECT seq, signature, {} FROM notes", columns::HEADER);
        let (seq, signature, header) = conn
            .query_row(&sql, [], |r| Ok((r.get::<_, u64>(0)?, r.get::<_, Vec<u8>>(1)?, columns::header(r, 2))))
            .unwrap();
        let header = header.unwrap();
        assert_eq!((seq, signature), (41, vec![1, 2]));
        assert_eq!(header.kind, visitnotes_shared::envelope::Kind::Tombstone);
        assert_eq!((header.note_id.as_str(), header.revision), (id, 2));
        assert_eq!((header.author.as_str(), header.device_id.as_str()), (user.as_str(), device.as_str()));
        assert_eq!((header.device_seq, header.roster_version), (7, 3));
        assert_eq!(header.prev_hash.as_deref(), Some(prev.as_str()));
        assert_eq!((header.age_sha256, header.payload_sha256), (age_hash, payload_hash));
        // Without AUTOINCREMENT the next row still comes after every earlier one.
        conn.execute(
            "INSERT INTO notes (note_id, revision, kind, author, device_id, device_seq, roster_version, age_sha256,
                                payload_sha256, signature, size, received_at)
             VALUES (x'00', 1, 0, x'00', x'00', 8, 3, x'00', x'00', x'00', 0, 0)",
            [],
        )
        .unwrap();
        assert_eq!(conn.last_insert_rowid(), 42);
    }

    #[test]
    fn each_store_gets_its_own_id_once() {
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let id = |dir: &Path| Db::open(dir).unwrap().read(store_id).unwrap();
        let first = id(one.path());
        assert_eq!(first.len(), 32);
        assert!(first.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{first}");
        assert_eq!(id(one.path()), first, "kept across opens");
        assert_ne!(id(two.path()), first, "another store, another id");
    }

    #[test]
    fn the_header_tells_the_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        assert!(db.checkpoint().unwrap());
        let version = schema_version_in_header(db.path()).unwrap();
        assert_eq!(version, Some(latest_schema_version()));
        let other = dir.path().join("other");
        std::fs::write(&other, [0u8; 200]).unwrap();
        assert_eq!(schema_version_in_header(&other).unwrap(), None);
    }

    #[test]
    fn checkpoint_empties_the_wal() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        db.write(|tx| audit::append(tx, None, "test", "x")).unwrap();
        let wal = || std::fs::metadata(dir.path().join(format!("{DB_FILE}-wal"))).unwrap().len();
        assert!(wal() > 0);
        assert!(db.checkpoint().unwrap());
        assert_eq!(wal(), 0);
        let entries = db.read(|conn| audit::list(conn, 0, 10)).unwrap();
        assert_eq!(entries.len(), 1, "the entry is in the database file now");
    }

    #[test]
    fn wal_and_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        // Read on the writer connection, where the settings matter.
        let pragma = |name: &str| -> rusqlite::types::Value {
            db.write(|tx| tx.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)).map_err(StoreError::from)).unwrap()
        };
        use rusqlite::types::Value::{Integer, Text};
        assert_eq!(pragma("journal_mode"), Text("wal".into()));
        assert_eq!(pragma("synchronous"), Integer(2), "FULL");
        assert_eq!(pragma("temp_store"), Integer(2), "MEMORY");
        assert_eq!(pragma("wal_autocheckpoint"), Integer(WAL_AUTOCHECKPOINT_PAGES));
        assert_eq!(pragma("journal_size_limit"), Integer(WAL_SIZE_LIMIT));
    }
}
