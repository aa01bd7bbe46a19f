//! Crash consistency: 16 uploaders with retries while the server binary is
//! killed with SIGKILL at random moments and restarted. After every restart:
//! the database is intact, every acknowledged upload is there byte for byte,
//! retries made no duplicates, and the audit chain verifies.
//!
//! `VISITNOTES_CRASH_KILLS` sets the number of kills (default 20; try 1000).

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::process::{organisation, random_below, ServerProcess};
use common::*;
use visitnotes_server::settings::Settings;
use visitnotes_shared::api::UploadResponse;

/// (note id, revision) → SHA-256 of the age file the server acknowledged.
type Acked = Arc<Mutex<HashMap<(String, u64), String>>>;

fn try_upload(base: &str, dev: &Dev, body: &[u8]) -> Option<UploadResponse> {
    let headers = signed_headers(&dev.keys, "POST", "/v1/notes", body);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut req = agent.post(&format!("{base}/v1/notes"));
    for (k, v) in &headers {
        req = req.header(*k, v);
    }
    let mut response = req.content_type("application/json").send(body).ok()?;
    let status = response.status().as_u16();
    let bytes = response.body_mut().read_to_vec().ok()?;
    assert!(status == 200 || status == 429, "status {status}: {}", String::from_utf8_lossy(&bytes));
    (status == 200).then(|| serde_json::from_slice(&bytes).unwrap())
}

#[test]
fn acknowledged_uploads_survive_sigkill() {
    let kills: usize = std::env::var("VISITNOTES_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let settings = backend_settings(Settings::default());
    let invite = visitnotes_server::init(&data, &settings).unwrap();
    let env = backend_env(&settings);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut server = ServerProcess::spawn(&data, "127.0.0.1:0", &env);
    let base = server.base.clone();
    let listen = base.trim_start_matches("http://").to_owned();
    let (_admin, _org, roster, leaders) = organisation(&base, &invite, 16);

    let acked: Acked = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let attempts = Arc::new(Mutex::new(0u64));
    let threads: Vec<_> = leaders
        .into_iter()
        .map(|mut dev| {
            let (acked, stop, roster, base, attempts) =
                (acked.clone(), stop.clone(), roster.clone(), base.clone(), attempts.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let note = dev.seal_new(&roster, "crash test");
                    let body = serde_json::to_vec(&serde_json::json!({ "notes": [note] })).unwrap();
                    // Retry the same bytes until acknowledged: a retry must never duplicate.
                    loop {
                        *attempts.lock().unwrap() += 1;
                        if let Some(answer) = try_upload(&base, &dev, &body) {
                            let key = (note.header.note_id.to_string(), note.header.revision);
                            acked
                                .lock()
                                .unwrap()
                                .insert(key, visitnotes_shared::hex(&visitnotes_shared::sha256(&note.age)));
                            assert_eq!(answer.results.len(), 1);
                            break;
                        }
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
            })
        })
        .collect();

    for kill in 0..kills {
        std::thread::sleep(Duration::from_millis(50 + random_below(250)));
        server.kill();
        let snapshot = acked.lock().unwrap().clone();
        check(&data, &settings, &snapshot, kill);
        server = ServerProcess::spawn(&data, &listen, &env);
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    server.kill();
    let all = acked.lock().unwrap().clone();
    check(&data, &settings, &all, kills);
    let stored = stored_notes(&data, &settings).len();
    println!(
        "crash test: {kills} SIGKILLs survived; {} uploads acknowledged, {stored} stored, {} attempts with retries",
        all.len(),
        attempts.lock().unwrap()
    );
    assert!(all.len() >= kills, "uploads made progress between kills");
}

/// One stored revision: note id (hex), revision, SHA-256 of its age file,
/// device id (hex), device sequence number, server sequence number.
type StoredNote = (String, u64, String, String, u64, u64);

/// Every stored revision, from the store `settings` name.
fn stored_notes(data: &std::path::Path, settings: &Settings) -> Vec<StoredNote> {
    let sha = |age: &[u8]| visitnotes_shared::hex(&visitnotes_shared::sha256(age));
    if let Some(url) = &settings.database_url {
        let url = url.0.clone();
        return visitnotes_server::block_on(async move {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            let rows = client
                .query("SELECT note_id, revision, age, device_id, device_seq, seq FROM notes ORDER BY seq", &[])
                .await
                .unwrap();
            rows.iter()
                .map(|r| {
                    let u = |i| r.get::<_, i64>(i) as u64;
                    let hex = |i| visitnotes_shared::hex(&r.get::<_, Vec<u8>>(i));
                    (hex(0), u(1), sha(&r.get::<_, Vec<u8>>(2)), hex(3), u(4), u(5))
                })
                .collect()
        });
    }
    let db = rusqlite::Connection::open(data.join("visitnotes.sqlite3")).unwrap();
    let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let mut stmt =
        db.prepare("SELECT note_id, revision, age, device_id, device_seq, seq FROM notes ORDER BY seq").unwrap();
    let rows = stmt
        .query_map([], |r| {
            let hex = |i| r.get::<_, Vec<u8>>(i).map(|b| visitnotes_shared::hex(&b));
            Ok((hex(0)?, r.get(1)?, sha(&r.get::<_, Vec<u8>>(2)?), hex(3)?, r.get(4)?, r.get(5)?))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// The store after a kill: intact (SQLite's `integrity_check`), holding
/// every acknowledged upload byte for byte, no duplicates, sequence numbers
/// without a gap, and an audit chain that verifies.
fn check(data: &std::path::Path, settings: &Settings, acked: &HashMap<(String, u64), String>, kill: usize) {
    let notes = stored_notes(data, settings);
    let mut stored: HashMap<(String, u64), String> = HashMap::new();
    let mut device_seqs = std::collections::HashSet::new();
    for (i, (id, revision, age, device, device_seq, seq)) in notes.into_iter().enumerate() {
        assert_eq!(seq, i as u64 + 1, "sequence numbers without a gap after kill {kill}");
        assert!(device_seqs.insert((device, device_seq)), "a device's sequence number twice after kill {kill}");
        let previous = stored.insert((id, revision), age);
        assert!(previous.is_none(), "a duplicate after kill {kill}");
    }
    for (key, hash) in acked {
        assert_eq!(stored.get(key), Some(hash), "acknowledged upload {key:?} lost or changed after kill {kill}");
    }
    let mut verify = std::process::Command::new(env!("CARGO_BIN_EXE_visitnotes-server"));
    verify.args(["audit", "verify", "--data"]).arg(data);
    for (k, v) in backend_env(settings) {
        verify.env(k, v);
    }
    let verify = verify.output().unwrap();
    assert!(verify.status.success(), "audit chain after kill {kill}: {}", String::from_utf8_lossy(&verify.stdout));
}

// The same on PostgreSQL (`VISITNOTES_TEST_POSTGRES_URL`): the server
// process killed, the database kept running.
visitnotes_server::on_postgres_too!(acknowledged_uploads_survive_sigkill);
