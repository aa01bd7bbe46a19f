//! The crash VFS on its own: it can lose acknowledged rows (a database that
//! never syncs does), and a database with the server's settings (WAL,
//! synchronous=FULL) loses none however the power is cut. Seeded: a failure
//! prints the seed, and `CRASH_VFS_SEED=n` replays that one cut.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crash_vfs::CrashVfs;
use rusqlite::{Connection, OpenFlags};

fn open(vfs: &CrashVfs, path: &std::path::Path, synchronous: &str) -> Connection {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
    let conn = Connection::open_with_flags_and_vfs(path, flags, vfs.name()).unwrap();
    conn.pragma_update(None, "page_size", 16384).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", synchronous).unwrap();
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)", []).unwrap();
    conn
}

/// Inserts rows on a thread, one transaction each (and a checkpoint now
/// and then), until the power is cut after `cut_after`; returns the ids
/// whose commit returned Ok. The cut comes after the first commit, however
/// slow the machine.
fn run_until_cut(
    vfs: &CrashVfs,
    path: &std::path::Path,
    synchronous: &str,
    first: i64,
    cut_after: Duration,
) -> Vec<i64> {
    let conn = open(vfs, path, synchronous);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acked, stop) = (acked.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut conn = conn;
            for id in first.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let tx = match conn.transaction() {
                    Ok(tx) => tx,
                    Err(_) => break,
                };
                let body = vec![(id % 251) as u8; 500 + (id as usize * 37) % 3000];
                if tx.execute("INSERT INTO t (id, body) VALUES (?1, ?2)", rusqlite::params![id, body]).is_err() {
                    break;
                }
                if tx.commit().is_err() {
                    break;
                }
                acked.lock().unwrap().push(id);
                if id % 50 == 0 {
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            }
            drop(conn);
        })
    };
    std::thread::sleep(cut_after);
    // On a loaded machine the writer may not have committed yet: a cut
    // before the first commit would prove nothing, so wait for one.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while acked.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    cut_soon(vfs, cut_after.subsec_micros() as u64 % 40);
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    let acked = acked.lock().unwrap().clone();
    acked
}

/// The rows after a reboot, and whether the database is intact.
fn after_reboot(vfs: &CrashVfs, path: &std::path::Path) -> (HashSet<i64>, String) {
    let conn = open(vfs, path, "FULL");
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    let mut stmt = conn.prepare("SELECT id, body FROM t ORDER BY id").unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .unwrap()
        .map(|row| row.unwrap())
        .inspect(|(id, body)| assert_eq!(body, &vec![(id % 251) as u8; 500 + (*id as usize * 37) % 3000], "row {id}"))
        .map(|(id, _)| id)
        .collect();
    (rows, integrity)
}

/// Cuts the power just before the `ops`-th write or sync from now (0: at
/// once), or after half a second if that many do not come.
fn cut_soon(vfs: &CrashVfs, ops: u64) {
    if ops > 0 {
        vfs.power_cut_before_op(ops);
        let deadline = std::time::Instant::now() + Duration::from_millis(500);
        while vfs.is_powered() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    vfs.power_cut();
}

fn seeds(default: u64) -> Vec<u64> {
    match std::env::var("CRASH_VFS_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(seed) => vec![seed],
        None => (0..default).collect(),
    }
}

#[test]
fn power_cut_loses_acknowledged_rows_of_a_database_that_never_syncs() {
    let mut lost_somewhere = false;
    for seed in seeds(10) {
        let vfs = CrashVfs::register();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let acked = run_until_cut(&vfs, &path, "OFF", 1, Duration::from_millis(30));
        assert!(!acked.is_empty(), "seed {seed}: rows were committed before the cut");
        vfs.power_on(seed, Duration::from_secs(10)).unwrap();
        // Nothing, when the table itself was lost or the file is no database.
        let rows: Vec<i64> = Connection::open_with_flags_and_vfs(&path, OpenFlags::SQLITE_OPEN_READ_WRITE, vfs.name())
            .and_then(|conn| conn.prepare("SELECT id FROM t")?.query_map([], |r| r.get(0))?.collect())
            .unwrap_or_default();
        lost_somewhere |= acked.iter().any(|id| !rows.contains(id));
    }
    assert!(lost_somewhere, "synchronous=OFF lost nothing: the crash VFS does not cut the power");
}

#[test]
fn power_cut_keeps_every_acknowledged_row_with_wal_and_full_sync() {
    let cuts: u64 = std::env::var("CRASH_VFS_CUTS").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let vfs = CrashVfs::register();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let mut all: Vec<i64> = Vec::new();
    let mut torn = 0;
    for seed in seeds(cuts) {
        let first = all.last().map_or(1, |last| last + 1_000);
        let acked = run_until_cut(&vfs, &path, "FULL", first, Duration::from_micros(2_000 + seed * 7919 % 20_000));
        all.extend(acked);
        let report = vfs.power_on(seed, Duration::from_secs(10)).unwrap();
        torn += report.iter().filter(|(_, fate)| matches!(fate, crash_vfs::Fate::Torn { .. })).count();
        let (rows, integrity) = after_reboot(&vfs, &path);
        assert_eq!(integrity, "ok", "cut {seed}");
        for id in &all {
            assert!(rows.contains(id), "cut {seed}: acknowledged row {id} lost (CRASH_VFS_SEED={seed} replays it)");
        }
    }
    assert!(torn > 0, "no cut tore a write: the test did not test tearing");
}

#[test]
fn a_full_disk_refuses_growth_with_sqlite_full_and_recovers_when_space_returns() {
    let vfs = CrashVfs::register();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let conn = open(&vfs, &path, "FULL");
    vfs.set_quota(Some(vfs.used_bytes() + 200_000));
    let body = vec![7u8; 4000];
    let mut stored = 0;
    let error = loop {
        match conn.execute("INSERT INTO t (body) VALUES (?1)", [&body]) {
            Ok(_) => stored += 1,
            Err(e) => break e,
        }
        assert!(stored < 1000, "the quota never bit");
    };
    assert_eq!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::DiskFull), "{error}");
    let count: i64 = conn.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0)).unwrap();
    assert_eq!(count, stored, "reads go on; what was stored stays");
    vfs.set_quota(None);
    conn.execute("INSERT INTO t (body) VALUES (?1)", [&body]).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}
