//! Power cuts under load. The server runs in this process with its store
//! on the crash VFS (`crash_vfs`: writes not yet synced are lost, kept in
//! part or torn when the power goes). Uploaders send notes through the real
//! HTTP path and retry each until acknowledged; the power is cut at random
//! moments, the server stopped, the files given their fate, and the store
//! reopened. After every cut: `PRAGMA integrity_check` passes, every
//! acknowledged note is there once and byte for byte, note and audit
//! sequence numbers have no gap, each device's sequence has no gap, and the
//! audit chain verifies; on every tenth cut a coordinator's full pull
//! verifies every note against the roster.
//!
//! `VISITNOTES_POWER_CUTS` sets the number of cuts (default 200; try 2000),
//! `VISITNOTES_POWER_SEED` the seed of the cuts' timing and the files'
//! fates (a failure prints the seed of its cut). The moment a cut lands in
//! the server's work depends on the scheduler, so a replay is close to,
//! not exactly, the failing run.

mod common;

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use crash_vfs::{CrashVfs, Fate};
use rusqlite::{Connection, OpenFlags};
use visitnotes_server::db::audit::{self, ChainCheck};
use visitnotes_server::settings::Settings;
use visitnotes_shared::api::PullResponse;
use visitnotes_shared::roster::{Role, Roster};

/// (note id, revision) → SHA-256 of the age file the server acknowledged.
type Acked = Arc<Mutex<HashMap<(String, u64), String>>>;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A small seeded generator for the cuts' timing (SplitMix64).
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n.max(1)
    }
}

/// One upload attempt: Some(()) when the server acknowledged it. Any answer
/// but a success, a slow-down or a failing store is a bug.
fn try_upload(dev: &Dev, body: &[u8]) -> Option<()> {
    let headers = signed_headers(&dev.keys, "POST", "/v1/notes", body);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut req = agent.post(&format!("{}/v1/notes", dev.base));
    for (k, v) in &headers {
        req = req.header(*k, v);
    }
    let mut response = req.content_type("application/json").send(body).ok()?;
    let status = response.status().as_u16();
    let bytes = response.body_mut().read_to_vec().ok()?;
    assert!(matches!(status, 200 | 425 | 429 | 500 | 507), "status {status}: {}", String::from_utf8_lossy(&bytes));
    (status == 200).then_some(())
}

fn start_server(data: &std::path::Path, settings: &Settings, addr: SocketAddr) -> visitnotes_server::RunningServer {
    // The port of the server before the cut: the uploaders keep their URL.
    let mut tries = 0;
    let listener = loop {
        match TcpListener::bind(addr) {
            Ok(listener) => break listener,
            Err(e) if tries < 100 => {
                tries += 1;
                let _ = e;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("the port {addr} is not free again: {e}"),
        }
    };
    visitnotes_server::start(data, settings.clone(), listener).unwrap()
}

/// Cuts on one store: a fresh store after this many keeps each check (which
/// reads the whole store) short.
const CUTS_PER_STORE: u64 = 25;

#[test]
fn power_cuts_under_upload_load_lose_no_acknowledged_note() {
    let cuts = env_number("VISITNOTES_POWER_CUTS", 200);
    let seed = env_number("VISITNOTES_POWER_SEED", 1);
    let mut fates: HashMap<&'static str, usize> = HashMap::new();
    let mut acknowledged = 0;
    let mut first = 0;
    while first < cuts {
        let last = cuts.min(first + CUTS_PER_STORE);
        acknowledged += cut_one_store(seed, first..last, &mut fates);
        first = last;
    }
    println!("power test: {cuts} cuts, {acknowledged} notes acknowledged; unsynced files' fates: {fates:?}");
    for fate in ["dropped", "prefix", "torn"] {
        assert!(fates.get(fate).copied().unwrap_or(0) > 0, "no cut left a file {fate}: {fates:?}");
    }
}

/// Cuts numbered `cuts` on a fresh store under load; returns how many
/// notes were acknowledged.
fn cut_one_store(seed: u64, cuts: std::ops::Range<u64>, fates: &mut HashMap<&'static str, usize>) -> usize {
    let vfs = CrashVfs::register();
    // Checkpoints every second: the cuts also land in the WAL's copy back.
    let settings = Settings { sqlite_vfs: Some(vfs.name().to_owned()), purge_interval_secs: 1, ..Settings::default() };
    let mut org = Org::with_settings(settings.clone());
    let leaders: Vec<Dev> = (0..4).map(|i| org.add(&format!("Leader {i}"), &[Role::Leader])).collect();
    let coordinator = org.add("Coordinator", &[Role::Coordinator]);
    let (roster, data, addr) = (org.roster.clone(), org.data_dir(), org.server.addr);

    let acked: Acked = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let uploaders: Vec<_> = leaders
        .into_iter()
        .map(|mut dev| {
            let (acked, stop, roster) = (acked.clone(), stop.clone(), roster.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let note = dev.seal_new(&roster, "power cut");
                    let body = serde_json::to_vec(&serde_json::json!({ "notes": [note] })).unwrap();
                    // The same bytes until acknowledged: a retry never duplicates.
                    while try_upload(&dev, &body).is_none() {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    let key = (note.header.note_id.to_string(), note.header.revision);
                    acked.lock().unwrap().insert(key, visitnotes_shared::hex(&visitnotes_shared::sha256(&note.age)));
                }
            })
        })
        .collect();

    let mut timing = Seeded(seed.wrapping_add(cuts.start));
    let count = cuts.end - cuts.start;
    for cut in cuts.clone() {
        let cut_seed = seed.wrapping_mul(1_000_003).wrapping_add(cut);
        std::thread::sleep(Duration::from_millis(20 + timing.below(80)));
        // Half the cuts land just before a write or sync (inside a commit
        // or a checkpoint), the others wherever the clock says.
        if timing.below(2) == 0 {
            vfs.power_cut_before_op(1 + timing.below(30));
            let deadline = std::time::Instant::now() + Duration::from_secs(1);
            while vfs.is_powered() && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_micros(200));
            }
        }
        vfs.power_cut();
        org.server.halt();
        let snapshot = acked.lock().unwrap().clone();
        let report = vfs.power_on(cut_seed, Duration::from_secs(30)).unwrap();
        for (_, fate) in &report {
            *fates.entry(fate_name(fate)).or_default() += 1;
        }
        check_store(&vfs, &data, &snapshot, cut, cut_seed);
        org.server = start_server(&data, &settings, addr);
        if cut % 10 == 0 {
            check_full_pull(&coordinator, &roster, &snapshot, cut);
        }
    }
    stop.store(true, Ordering::Relaxed);
    for uploader in uploaders {
        uploader.join().unwrap();
    }
    let all = acked.lock().unwrap().clone();
    check_full_pull(&coordinator, &roster, &all, cuts.end);
    assert!(all.len() as u64 >= count, "uploads made progress between cuts");
    all.len()
}

fn fate_name(fate: &Fate) -> &'static str {
    match fate {
        Fate::Dropped { .. } => "dropped",
        Fate::Prefix { .. } => "prefix",
        Fate::Torn { .. } => "torn",
    }
}

/// The store after a reboot, opened as the server opens it.
fn check_store(vfs: &CrashVfs, data: &std::path::Path, acked: &HashMap<(String, u64), String>, cut: u64, seed: u64) {
    let at = format!("after cut {cut} (seed {seed})");
    let path = data.join(visitnotes_server::db::DB_FILE);
    let db = Connection::open_with_flags_and_vfs(&path, OpenFlags::SQLITE_OPEN_READ_WRITE, vfs.name()).unwrap();
    let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok", "{at}");

    let mut stored: HashMap<(String, u64), String> = HashMap::new();
    let mut stmt = db.prepare("SELECT lower(hex(note_id)), revision, age FROM notes").unwrap();
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?, r.get::<_, Vec<u8>>(2)?))).unwrap();
    for row in rows {
        let (id, revision, age) = row.unwrap();
        let previous = stored.insert((id, revision), visitnotes_shared::hex(&visitnotes_shared::sha256(&age)));
        assert!(previous.is_none(), "a duplicate {at}");
    }
    drop(stmt);
    for (key, hash) in acked {
        assert_eq!(stored.get(key), Some(hash), "acknowledged note {key:?} lost or changed {at}");
    }
    for table in ["notes", "audit"] {
        let (count, first, last): (u64, Option<u64>, Option<u64>) = db
            .query_row(&format!("SELECT COUNT(*), MIN(seq), MAX(seq) FROM {table}"), [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        if count > 0 {
            assert_eq!((first, last), (Some(1), Some(count)), "{table} sequence numbers have a gap {at}");
        }
    }
    let gaps: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM (SELECT device_id FROM notes GROUP BY device_id
                                   HAVING COUNT(DISTINCT device_seq) != MAX(device_seq) OR COUNT(*) != MAX(device_seq))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(gaps, 0, "a device's sequence has a gap or a duplicate {at}");
    match audit::verify(&db).unwrap() {
        ChainCheck::Intact { .. } => {}
        broken => panic!("audit chain {at}: {broken:?}"),
    }
}

/// A coordinator's pull from 0: every acknowledged note, in sequence order
/// without a gap, each verifying against the roster.
fn check_full_pull(coordinator: &Dev, roster: &Roster, acked: &HashMap<(String, u64), String>, cut: u64) {
    let (mut since, mut seen, mut expected_seq) = (0, HashMap::new(), 1);
    loop {
        let page: PullResponse = coordinator.get(&format!("/v1/notes?since={since}&limit=1000")).json();
        for pulled in &page.notes {
            assert_eq!(pulled.seq, expected_seq, "the pull after cut {cut} skips a sequence number");
            expected_seq += 1;
            visitnotes_shared::envelope::verify(&pulled.sealed, roster)
                .unwrap_or_else(|e| panic!("note {} after cut {cut}: {e}", pulled.seq));
            let key = (pulled.sealed.header.note_id.to_string(), pulled.sealed.header.revision);
            seen.insert(key, visitnotes_shared::hex(&visitnotes_shared::sha256(&pulled.sealed.age)));
        }
        since = page.next;
        if !page.more {
            break;
        }
    }
    for (key, hash) in acked {
        assert_eq!(seen.get(key), Some(hash), "acknowledged note {key:?} missing from the pull after cut {cut}");
    }
}
