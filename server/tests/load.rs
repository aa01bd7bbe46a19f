//! Load: 32 leaders uploading and pulling at once against the server
//! binary on loopback, for a bounded time (`VISITNOTES_LOAD_SECS`, default
//! 3). No 5xx, no database-busy error reaching a client, nothing lost; the
//! throughput and latency it saw are printed, not asserted (a shared
//! machine makes timings flaky).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::process::{organisation, ServerProcess};
use visitnotes_server::settings::Settings;
use visitnotes_shared::api::{PullResponse, UploadResponse};

#[test]
fn thirty_two_clients_at_once() {
    let secs: u64 = std::env::var("VISITNOTES_LOAD_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let invite = visitnotes_server::init(&data, &Settings::default()).unwrap();
    // The per-address limit is for the internet; here every client shares 127.0.0.1.
    let server = ServerProcess::spawn(
        &data,
        "127.0.0.1:0",
        &[("VISITNOTES_SERVER_RATE_PER_IP", "1000000"), ("VISITNOTES_SERVER_RATE_PER_DEVICE", "100000")],
    );
    let (_admin, _org, roster, leaders) = organisation(&server.base, &invite, 32);

    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let threads: Vec<_> = leaders
        .into_iter()
        .map(|mut dev| {
            let (latencies, acked, roster) = (latencies.clone(), acked.clone(), roster.clone());
            std::thread::spawn(move || {
                let mut cursor = 0;
                let mut mine = Vec::new();
                while Instant::now() < deadline {
                    let note = dev.seal_new(&roster, "load");
                    let t = Instant::now();
                    let reply = dev.upload(std::slice::from_ref(&note));
                    latencies.lock().unwrap().push(t.elapsed());
                    assert_eq!(reply.status, 200, "upload: {}", String::from_utf8_lossy(&reply.body));
                    let _: UploadResponse = reply.json();
                    mine.push(note.header.note_id.to_string());
                    let t = Instant::now();
                    let reply = dev.get(&format!("/v1/notes?since={cursor}&limit=100"));
                    latencies.lock().unwrap().push(t.elapsed());
                    assert_eq!(reply.status, 200, "pull: {}", String::from_utf8_lossy(&reply.body));
                    let page: PullResponse = reply.json();
                    cursor = page.next;
                }
                acked.lock().unwrap().extend(mine);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = started.elapsed();
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let acked = acked.lock().unwrap().clone();
    let db = rusqlite::Connection::open(data.join("visitnotes.sqlite3")).unwrap();
    let stored: i64 = db.query_row("SELECT COUNT(*) FROM notes", [], |r| r.get(0)).unwrap();
    println!(
        "load: 32 clients for {:.1} s: {} requests, {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms; {} uploads acknowledged, {stored} stored",
        elapsed.as_secs_f64(),
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        acked.len()
    );
    assert_eq!(stored as usize, acked.len(), "nothing lost, nothing extra");
    for id in &acked {
        let n: i64 = db.query_row("SELECT COUNT(*) FROM notes WHERE note_id = unhex(?1)", [id], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
    }
}
