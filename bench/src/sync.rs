//! Sync through the real server: uploads (one client, batches, concurrent
//! clients), pulls (full and incremental), end to end with sealing and
//! opening, memory, and disk per ciphertext byte. Each figure is compared
//! with raw SQLite doing the same storage work.

use std::path::Path;
use std::time::Instant;

use visitnotes_core::api::{acknowledged, Api, ApiClientError, Prepared};
use visitnotes_core::profile::Session;
use visitnotes_shared::api::{UploadBatchRef, UploadResponse};
use visitnotes_shared::envelope::SealedNote;
use visitnotes_shared::DeviceKeys;

use crate::fixtures::{sealed_notes, Org};
use crate::raw;
use crate::stats::{repeat, Figures};

/// Uploads `notes` as `keys`'s device in requests of `batch`, the way the
/// client's push does (several requests in flight, each waiting on the one
/// before: `Api::pipelined`); notes/s.
fn upload(keys: &DeviceKeys, url: &str, notes: &[SealedNote], batch: usize) -> f64 {
    let api = Api::new(url).expect("HTTP client");
    let chunks: Vec<&[SealedNote]> = notes.chunks(batch).collect();
    let prepare =
        |chunk: &&[SealedNote], after| Prepared::upload(keys, &UploadBatchRef { notes: chunk.iter().collect() }, after);
    let last_seq = |chunk: &&[SealedNote]| chunk.last().map_or(0, |n| n.header.device_seq);
    let start = Instant::now();
    api.pipelined(&chunks, prepare, last_seq, |chunk, answer: Result<UploadResponse, _>| {
        acknowledged(chunk.iter(), answer?)?;
        Ok::<_, ApiClientError>(())
    })
    .expect("upload");
    notes.len() as f64 / start.elapsed().as_secs_f64()
}

/// Pulls everything from `since` in pages of `page`; (notes, seconds).
fn pull(session: &Session, url: &str, since: u64, page: u32, max: Option<usize>) -> (usize, f64) {
    let api = Api::new(url).expect("HTTP client");
    let start = Instant::now();
    let (mut cursor, mut total) = (since, 0);
    loop {
        let answer = api.pull(&session.secrets.device, cursor, page).expect("pull");
        total += answer.notes.len();
        cursor = answer.next;
        if !answer.more || max.is_some_and(|m| total >= m) {
            break;
        }
    }
    (total, start.elapsed().as_secs_f64())
}

fn blobs(notes: &[SealedNote]) -> Vec<(String, Vec<u8>)> {
    notes.iter().map(|n| (n.header.note_id.to_string(), n.age.clone())).collect()
}

pub struct Config<'a> {
    pub server_bin: &'a Path,
    pub reps: usize,
    pub sizes_n: Vec<usize>,
}

pub fn uploads(figures: &mut Figures, cfg: &Config<'_>) {
    for (label, content) in [("2 KB", 1500usize), ("4 KB", 3500usize)] {
        for &n in &cfg.sizes_n {
            for batch in [1usize, 100] {
                let org = Org::start(cfg.server_bin, 1).expect("org");
                let leader = &org.leaders[0];
                let roster = leader.roster().expect("roster");
                let sample = sealed_notes(leader, &roster, n, content, 1);
                let ciphertext = sample[0].age.len();
                let raw_name = format!("raw SQLite insert, {label}, batch {batch}, N={n}");
                figures.add(&raw_name, "notes/s", repeat(cfg.reps, || raw::insert(&blobs(&sample), batch)));
                drop(org);
                let rate = repeat(cfg.reps, || {
                    let org = Org::start(cfg.server_bin, 1).expect("org");
                    let leader = &org.leaders[0];
                    let notes = sealed_notes(leader, &leader.roster().expect("roster"), n, content, 1);
                    upload(&leader.secrets.device, &org.server.url, &notes, batch)
                });
                figures.add_vs(
                    format!("upload, one client, {label} ({ciphertext} B), batch {batch}, N={n}"),
                    "notes/s",
                    rate,
                    &raw_name,
                );
            }
        }
    }
}

/// Full and incremental pulls over a store of `n` notes (2 KB), and disk use.
pub fn pulls_and_disk(figures: &mut Figures, cfg: &Config<'_>) {
    let mut incremental_costs = Vec::new();
    for &n in &cfg.sizes_n {
        let org = Org::start(cfg.server_bin, 1).expect("org");
        let leader = &org.leaders[0];
        let notes = sealed_notes(leader, &leader.roster().expect("roster"), n, 1500, 1);
        upload(&leader.secrets.device, &org.server.url, &notes, 100);
        for page in [100u32, 1000] {
            let raw_name = format!("raw SQLite read back, pages of {page}, N={n}");
            figures.add(&raw_name, "notes/s", repeat(cfg.reps, || raw::read_back(&blobs(&notes), page as usize)));
            let rate = repeat(cfg.reps, || {
                let (got, secs) = pull(&org.coordinator, &org.server.url, 0, page, None);
                assert_eq!(got, n);
                got as f64 / secs
            });
            figures.add_vs(format!("full pull, pages of {page}, N={n}"), "notes/s", rate, &raw_name);
        }
        let latest = n as u64;
        let cost = repeat(cfg.reps.max(5), || {
            let (got, secs) = pull(&org.coordinator, &org.server.url, latest.saturating_sub(100), 100, Some(100));
            assert!(got <= 100);
            secs * 1000.0
        });
        incremental_costs.push(cost.0);
        figures.add(format!("incremental pull of the last 100, N={n}"), "ms", cost);

        // Disk: database + WAL after a checkpoint, per ciphertext byte.
        let ciphertext: usize = notes.iter().map(|n| n.age.len()).sum();
        let conn = rusqlite::Connection::open(org.server.data.join("visitnotes.sqlite3")).expect("opens");
        let _: (i64, i64, i64) = conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("checkpoint");
        let size = |f: &str| std::fs::metadata(org.server.data.join(f)).map(|m| m.len()).unwrap_or(0);
        let disk = size("visitnotes.sqlite3") + size("visitnotes.sqlite3-wal");
        let ratio = disk as f64 / ciphertext as f64;
        figures.add(format!("disk (database + WAL) per ciphertext byte, N={n}"), "x", (ratio, ratio, ratio));
    }
    if incremental_costs.len() == 2 {
        let ratio = incremental_costs[1] / incremental_costs[0];
        figures.add("incremental pull cost, largest N / smallest N", "x", (ratio, ratio, ratio));
    }
}

/// `clients` leaders (1, 2, 4 and 8 in a full run) uploading at once
/// (batches of 100); server memory.
pub fn concurrency(figures: &mut Figures, cfg: &Config<'_>, total: usize, clients: &[usize]) {
    let idle = Org::start(cfg.server_bin, 1).expect("org");
    let rss = idle.server.memory_kb("VmRSS") as f64 / 1024.0;
    figures.add("server RSS, idle after setup", "MB", (rss, rss, rss));
    drop(idle);
    for &clients in clients {
        let mut peak = 0.0f64;
        let rate = repeat(cfg.reps, || {
            let org = Org::start(cfg.server_bin, clients).expect("org");
            let per = total / clients;
            let work: Vec<Vec<SealedNote>> =
                org.leaders.iter().map(|l| sealed_notes(l, &l.roster().expect("roster"), per, 1500, 1)).collect();
            let start = Instant::now();
            std::thread::scope(|s| {
                for (leader, notes) in org.leaders.iter().zip(&work) {
                    let (url, keys) = (org.server.url.clone(), &leader.secrets.device);
                    s.spawn(move || upload(keys, &url, notes, 100));
                }
            });
            let secs = start.elapsed().as_secs_f64();
            peak = peak.max(org.server.memory_kb("VmHWM") as f64 / 1024.0);
            (per * clients) as f64 / secs
        });
        figures.add(format!("upload, {clients} concurrent clients, batch 100, 2 KB"), "notes/s", rate);
        if clients == 8 {
            figures.add("server peak RSS, 8 clients", "MB", (peak, peak, peak));
        }
    }
}

/// Through the client library: seal + upload, and pull + verify + open + store.
pub fn end_to_end(figures: &mut Figures, cfg: &Config<'_>, n: usize) {
    let noop = |_: u64, _: Option<u64>| {};
    let mut pulled_rate = Vec::new();
    let rate = repeat(cfg.reps, || {
        let mut org = Org::start(cfg.server_bin, 1).expect("org");
        let options = visitnotes_core::ops::sync::SyncOptions::default();
        let leader = &mut org.leaders[0];
        let note = crate::fixtures::note_of_size(1500);
        let start = Instant::now();
        for _ in 0..n {
            visitnotes_core::ops::write::create(leader, &note).expect("writes");
        }
        let report = visitnotes_core::ops::sync::sync(leader, options, &noop).expect("syncs").report;
        assert_eq!(report.pushed, n);
        let up = n as f64 / start.elapsed().as_secs_f64();
        let start = Instant::now();
        let report = visitnotes_core::ops::sync::sync(&mut org.coordinator, options, &noop).expect("syncs").report;
        assert_eq!(report.pulled, n);
        pulled_rate.push(n as f64 / start.elapsed().as_secs_f64());
        up
    });
    figures.add(format!("end to end: seal + store + upload, N={n}"), "notes/s", rate);
    pulled_rate.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    let p = (pulled_rate[pulled_rate.len() / 2], pulled_rate[0], pulled_rate[pulled_rate.len() - 1]);
    figures.add(format!("end to end: pull + verify + open + store, N={n}"), "notes/s", p);
}
