//! `visitnotes-server backup` and `restore`, as an operator runs them: a
//! backup taken while 8 leaders upload without pause holds every note
//! acknowledged before it started, restores into an empty directory with an
//! intact audit chain, and the restored server serves those notes. Restore
//! checks the file first and refuses what it should.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::process::{organisation, ServerProcess};
use common::*;
use visitnotes_server::settings::Settings;
use visitnotes_shared::api::{PullResponse, UploadResponse};

fn server(args: &[&str], paths: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_visitnotes-server"));
    cmd.args(args).env_remove("VISITNOTES_SERVER_DATA");
    for (flag, path) in paths {
        cmd.arg(flag).arg(path);
    }
    cmd.output().unwrap()
}

fn text(out: &Output) -> String {
    format!("stdout:\n{}\nstderr:\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn sha(bytes: &[u8]) -> String {
    visitnotes_shared::hex(&visitnotes_shared::sha256(bytes))
}

/// An acknowledged upload: which leader, its sequence number, its age file's hash.
#[derive(Clone)]
struct Acked {
    leader: usize,
    seq: u64,
    sha256: String,
}

#[test]
fn a_backup_under_upload_load_restores_every_note_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let invite = visitnotes_server::init(&data, &Settings::default()).unwrap();
    let mut live = ServerProcess::spawn(&data, "127.0.0.1:0", &[]);
    let base = live.base.clone();
    let (_admin, _org, roster, leaders) = organisation(&base, &invite, 8);

    let acked: Arc<Mutex<HashMap<(String, u64), Acked>>> = Arc::default();
    let failures = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let uploaders: Vec<_> = leaders
        .into_iter()
        .enumerate()
        .map(|(i, mut dev)| {
            let (acked, failures, stop, roster) = (acked.clone(), failures.clone(), stop.clone(), roster.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let note = dev.seal_new(&roster, "backup under load");
                    let reply = dev.upload(std::slice::from_ref(&note));
                    if reply.status != 200 {
                        failures.fetch_add(1, Ordering::Relaxed);
                        dev.seq -= 1;
                        continue;
                    }
                    let answer: UploadResponse = reply.json();
                    let key = (note.header.note_id.to_string(), note.header.revision);
                    let entry = Acked { leader: i, seq: answer.results[0].seq, sha256: sha(&note.age) };
                    acked.lock().unwrap().insert(key, entry);
                }
                dev
            })
        })
        .collect();

    let waited = Instant::now();
    while acked.lock().unwrap().len() < 60 {
        assert!(waited.elapsed() < Duration::from_secs(60), "uploads make progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Everything acknowledged before the backup starts must be in it.
    let before = acked.lock().unwrap().clone();
    let out = dir.path().join("backups").join("nightly.sqlite3");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let backup = server(&["backup"], &[("--data", &data), ("--out", &out)]);
    let during = acked.lock().unwrap().len() - before.len();
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let leaders: Vec<Dev> = uploaders.into_iter().map(|t| t.join().unwrap()).collect();
    let after = acked.lock().unwrap().len();
    live.kill();
    assert!(backup.status.success(), "{}", text(&backup));
    let stdout = String::from_utf8_lossy(&backup.stdout);
    assert!(stdout.contains("backup written and checked") && stdout.contains("audit log       intact"), "{stdout}");
    assert_eq!(failures.load(Ordering::Relaxed), 0, "no upload failed while the backup ran");
    assert!(after > before.len(), "uploads went on around the backup");
    println!(
        "backup under load: {} uploads acknowledged before it, {during} while it ran, {after} in all",
        before.len()
    );

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{}.manifest.json", out.display())).unwrap()).unwrap();
    let highest_before = before.values().map(|a| a.seq).max().unwrap();
    assert!(manifest["highest_seq"].as_u64().unwrap() >= highest_before, "{manifest}");
    assert_eq!(manifest["sha256"].as_str().unwrap(), sha(&std::fs::read(&out).unwrap()));
    assert_eq!(manifest["bytes"].as_u64().unwrap(), std::fs::metadata(&out).unwrap().len());
    assert_eq!(manifest["schema_version"].as_u64().unwrap(), u64::from(visitnotes_server::db::latest_schema_version()));
    assert!(manifest["audit_head"].as_str().is_some_and(|h| h.len() == 64), "{manifest}");

    // The live data directory is not empty: refused, and left as it was.
    let listing = |d: &Path| -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    let live_files = listing(&data);
    let db_bytes = std::fs::read(data.join("visitnotes.sqlite3")).unwrap();
    let refused = server(&["restore"], &[("--from", &out), ("--data", &data)]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not empty"), "{}", text(&refused));
    assert_eq!(listing(&data), live_files);
    assert_eq!(std::fs::read(data.join("visitnotes.sqlite3")).unwrap(), db_bytes, "the live database is untouched");

    let restored = dir.path().join("restored");
    let run = server(&["restore"], &[("--from", &out), ("--data", &restored)]);
    assert!(run.status.success(), "{}", text(&run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("match its manifest") && stdout.contains("visitnotes sync"), "{stdout}");
    let verify = server(&["audit", "verify"], &[("--data", &restored)]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(String::from_utf8_lossy(&verify.stdout).contains("intact"));

    // In the restored file, byte for byte.
    let db = rusqlite::Connection::open(restored.join("visitnotes.sqlite3")).unwrap();
    let mut stmt = db.prepare("SELECT lower(hex(note_id)), revision, age FROM notes").unwrap();
    let stored: HashMap<(String, u64), String> = stmt
        .query_map([], |r| Ok(((r.get::<_, String>(0)?, r.get::<_, u64>(1)?), sha(&r.get::<_, Vec<u8>>(2)?))))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(stmt);
    drop(db);
    for (key, a) in &before {
        assert_eq!(stored.get(key), Some(&a.sha256), "note {key:?} acknowledged before the backup");
    }

    // And served by a server started on the restored directory: each
    // leader pulls its own notes.
    let again = ServerProcess::spawn(&restored, "127.0.0.1:0", &[]);
    assert_eq!(raw(&again.base, "GET", "/healthz", b"").status, 200);
    for (i, mut dev) in leaders.into_iter().enumerate() {
        dev.base = again.base.clone();
        let mut pulled: HashMap<(String, u64), String> = HashMap::new();
        let mut since = 0;
        loop {
            let reply = dev.get(&format!("/v1/notes?since={since}"));
            assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
            let page: PullResponse = reply.json();
            for n in &page.notes {
                pulled.insert((n.sealed.header.note_id.to_string(), n.sealed.header.revision), sha(&n.sealed.age));
            }
            since = page.next;
            if !page.more {
                break;
            }
        }
        for (key, a) in before.iter().filter(|(_, a)| a.leader == i) {
            assert_eq!(pulled.get(key), Some(&a.sha256), "leader {i} pulls {key:?} from the restored server");
        }
    }
}

/// A small store (an administrator and a roster) and its backup.
fn backed_up(dir: &Path) -> (PathBuf, PathBuf) {
    let org = Org::new();
    let data = org.data_dir();
    drop(org.server);
    let out = dir.join("b.sqlite3");
    let run = server(&["backup"], &[("--data", &data), ("--out", &out)]);
    assert!(run.status.success(), "{}", text(&run));
    // The org's temporary directory goes with it; keep the data alongside.
    let kept = dir.join("data");
    std::fs::create_dir_all(&kept).unwrap();
    std::fs::copy(data.join("visitnotes.sqlite3"), kept.join("visitnotes.sqlite3")).unwrap();
    (out, kept)
}

/// Restores `file` into a fresh directory; returns the output and whether
/// that directory exists afterwards.
fn try_restore(dir: &Path, file: &Path, extra: &[&str]) -> (Output, bool) {
    let target = dir.join("target");
    let mut args = vec!["restore"];
    args.extend_from_slice(extra);
    let out = server(&args, &[("--from", file), ("--data", &target)]);
    (out, target.exists())
}

fn refused(out: &Output, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(out));
    assert!(stderr.contains(why), "expected {why:?}: {}", text(out));
    assert!(stderr.contains("nothing was restored"), "{}", text(out));
}

#[test]
fn restore_checks_the_file_first_and_leaves_nothing_when_it_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let (good, data) = backed_up(dir.path());
    let bytes = std::fs::read(&good).unwrap();
    let manifest = std::fs::read(format!("{}.manifest.json", good.display())).unwrap();
    let variant = |name: &str, content: &[u8], with_manifest: bool| -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        if with_manifest {
            std::fs::write(format!("{}.manifest.json", path.display()), &manifest).unwrap();
        }
        path
    };

    // One flipped byte in the middle: the hash says so.
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 0x40;
    let (out, left) = try_restore(dir.path(), &variant("flipped.sqlite3", &flipped, true), &[]);
    refused(&out, "does not match its manifest: its SHA-256 differs");
    assert!(!left, "no directory left behind");

    // Cut short.
    let (out, left) = try_restore(dir.path(), &variant("short.sqlite3", &bytes[..bytes.len() / 2], true), &[]);
    refused(&out, "does not match its manifest");
    assert!(!left);

    // No manifest beside it.
    let (out, left) = try_restore(dir.path(), &variant("bare.sqlite3", &bytes, false), &[]);
    refused(&out, "--no-manifest");
    assert!(!left);

    // An audit entry edited, and the manifest made to fit the new bytes (or
    // left out): the chain still tells.
    let edited = variant("edited.sqlite3", &bytes, false);
    let conn = rusqlite::Connection::open(&edited).unwrap();
    conn.execute("UPDATE audit SET subject = 'nothing happened' WHERE seq = 2", []).unwrap();
    drop(conn);
    let (out, left) = try_restore(dir.path(), &edited, &["--no-manifest"]);
    refused(&out, "audit log in");
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken at entry 2"), "{}", text(&out));
    assert!(!left);
    let mut forged: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    let edited_bytes = std::fs::read(&edited).unwrap();
    forged["sha256"] = sha(&edited_bytes).into();
    forged["bytes"] = edited_bytes.len().into();
    std::fs::write(format!("{}.manifest.json", edited.display()), forged.to_string()).unwrap();
    let (out, left) = try_restore(dir.path(), &edited, &[]);
    refused(&out, "broken at entry 2");
    assert!(!left);

    // Not a database at all.
    let (out, left) = try_restore(dir.path(), &variant("notes.txt", b"not a database", false), &["--no-manifest"]);
    refused(&out, "not a Visitnotes database");
    assert!(!left);

    // Another backup's manifest: same schema, other facts.
    let other_dir = dir.path().join("other");
    std::fs::create_dir_all(&other_dir).unwrap();
    let (other, _) = backed_up(&other_dir);
    std::fs::copy(format!("{}.manifest.json", other.display()), format!("{}.manifest.json", good.display())).unwrap();
    let (out, left) = try_restore(dir.path(), &good, &[]);
    refused(&out, "does not match its manifest");
    assert!(!left);
    std::fs::write(format!("{}.manifest.json", good.display()), &manifest).unwrap();

    // The good one, into an empty directory that exists (as systemd's StateDirectory makes it).
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = server(&["restore"], &[("--from", &good), ("--data", &empty)]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read(empty.join("visitnotes.sqlite3")).unwrap(), bytes, "the very bytes backed up");
    let names: Vec<_> = std::fs::read_dir(&empty).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "nothing else left there: {names:?}");
    let _ = data;
}

#[test]
fn backups_are_never_overwritten_and_out_dir_keeps_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let (good, data) = backed_up(dir.path());
    let again = server(&["backup"], &[("--data", &data), ("--out", &good)]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"), "{}", text(&again));

    let nightly = dir.path().join("nightly");
    std::fs::create_dir_all(&nightly).unwrap();
    for old in ["visitnotes-20200101T000000Z.sqlite3", "visitnotes-20200102T000000Z.sqlite3"] {
        std::fs::copy(&good, nightly.join(old)).unwrap();
        std::fs::write(nightly.join(format!("{old}.manifest.json")), "{}").unwrap();
    }
    std::fs::write(nightly.join("notes.txt"), "an operator's file").unwrap();
    let run = server(&["backup", "--keep", "2"], &[("--data", &data), ("--out-dir", &nightly)]);
    assert!(run.status.success(), "{}", text(&run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("removed the older backup") && stdout.contains("20200101T000000Z"), "{stdout}");
    let mut names: Vec<String> =
        std::fs::read_dir(&nightly).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}");
    assert_eq!(names[0], "notes.txt");
    assert_eq!(names[1], "visitnotes-20200102T000000Z.sqlite3");
    assert!(names[3].starts_with("visitnotes-20") && names[3].ends_with("Z.sqlite3"), "{names:?}");
    assert!(names[4].ends_with(".sqlite3.manifest.json"), "{names:?}");

    let missing = server(&["backup"], &[("--data", &dir.path().join("nowhere")), ("--out", &dir.path().join("x"))]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("holds no Visitnotes database"), "{}", text(&missing));
}
