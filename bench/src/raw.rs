//! The floor: rusqlite alone, with the server's pragmas (WAL,
//! synchronous=FULL, 16 KiB pages, the same cache and checkpoint sizes),
//! inserting the same blobs and reading them back.

use std::time::Instant;

use rusqlite::{params, Connection};

fn open(dir: &std::path::Path) -> Connection {
    let conn = Connection::open(dir.join("raw.sqlite3")).expect("opens");
    visitnotes_server::db::configure(&conn, true).expect("pragmas");
    conn.execute_batch("CREATE TABLE IF NOT EXISTS notes (seq INTEGER PRIMARY KEY AUTOINCREMENT, note_id TEXT NOT NULL UNIQUE, age BLOB NOT NULL)")
        .expect("schema");
    conn
}

/// Inserts `blobs` in transactions of `batch`; returns notes per second.
pub fn insert(blobs: &[(String, Vec<u8>)], batch: usize) -> f64 {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut conn = open(dir.path());
    let start = Instant::now();
    for chunk in blobs.chunks(batch) {
        let tx = conn.transaction().expect("tx");
        {
            let mut stmt = tx.prepare_cached("INSERT INTO notes (note_id, age) VALUES (?1, ?2)").expect("prepare");
            for (id, age) in chunk {
                stmt.execute(params![id, age]).expect("insert");
            }
        }
        tx.commit().expect("commit");
    }
    blobs.len() as f64 / start.elapsed().as_secs_f64()
}

/// Inserts all, then reads them back in pages of `page`; returns notes per second of the read.
pub fn read_back(blobs: &[(String, Vec<u8>)], page: usize) -> f64 {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut conn = open(dir.path());
    let tx = conn.transaction().expect("tx");
    for (id, age) in blobs {
        tx.execute("INSERT INTO notes (note_id, age) VALUES (?1, ?2)", params![id, age]).expect("insert");
    }
    tx.commit().expect("commit");
    let start = Instant::now();
    let mut since = 0i64;
    let mut total = 0;
    loop {
        let mut stmt = conn
            .prepare_cached("SELECT seq, note_id, age FROM notes WHERE seq > ?1 ORDER BY seq LIMIT ?2")
            .expect("prepare");
        let rows: Vec<(i64, String, Vec<u8>)> = stmt
            .query_map(params![since, page as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect();
        if rows.is_empty() {
            break;
        }
        total += rows.len();
        since = rows.last().expect("a row").0;
        std::hint::black_box(rows);
    }
    total as f64 / start.elapsed().as_secs_f64()
}
