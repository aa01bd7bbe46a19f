//! A hostile server: a proxy between the real client and the real server
//! rewrites what the client receives. For each attack the client must
//! refuse with its specific error, show nothing as valid, store nothing as
//! valid, and upload nothing to the wrong readers.

mod harness;
mod proxy;

use std::sync::{Arc, Mutex};

use harness::*;
use proxy::Proxy;
use serde_json::Value;
use visitnotes_shared::envelope::{open, seal, OpenContext, OpenError, SealParams, SealedNote};
use visitnotes_shared::roster::{Device, Member, Role, SignedRoster};
use visitnotes_shared::{DeviceKeys, NoteId, OrgKey, UserId};

/// Points a person's profile at another server URL.
fn redirect(p: &Person, url: &str) {
    let path = p.home.join("profile.json");
    let mut profile: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    profile["server_url"] = Value::String(url.to_owned());
    std::fs::write(&path, profile.to_string()).unwrap();
}

/// An organisation whose `victim` talks to the server through a hostile proxy.
fn scene(victim: impl Fn(&Org) -> &Person) -> (Org, Proxy) {
    let org = Org::start();
    let proxy = Proxy::start(&format!("http://{}", org.cluster.addr));
    redirect(victim(&org), &proxy.url);
    (org, proxy)
}

fn is_pull(path: &str) -> bool {
    path.starts_with("/v1/notes")
}

fn server_note_count(org: &Org) -> i64 {
    org.cluster.db().query_row("SELECT COUNT(*) FROM notes", [], |r| r.get(0)).unwrap()
}

/// The ids `note list` shows as valid notes, and the ids it reports as rejected.
fn listed(p: &Person) -> (Vec<String>, Vec<String>) {
    let run = p.run(&["--json", "note", "list"]);
    let v = run.json();
    let ids =
        |key: &str| v[key].as_array().unwrap().iter().map(|n| n["note_id"].as_str().unwrap().to_owned()).collect();
    (ids("notes"), ids("rejected"))
}

/// Rejected (note id, reason) pairs of a `sync --json`.
fn rejected(run: &Run) -> Vec<(String, String)> {
    run.json()["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap().into(), r[1].as_str().unwrap().into()))
        .collect()
}

// ---- the roster ----

#[test]
fn a_roster_signed_by_another_key_is_refused_and_nothing_is_uploaded() {
    let (org, proxy) = scene(|o| &o.leader_a);
    org.leader_a.write(&["--unit", "Unit A", "--met", "2", "--summary", "stays here"]);
    let foreign = OrgKey::generate();
    proxy.tamper(move |path, v| {
        if path == "/v1/roster" {
            let signed: SignedRoster = serde_json::from_value(v.clone()).unwrap();
            let mut roster = signed.unverified().unwrap();
            roster.org_key = foreign.public();
            roster.version += 1;
            *v = serde_json::to_value(roster.sign(&foreign)).unwrap();
        }
    });
    let run = org.leader_a.sync();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not by this organisation's key"), "{}", run.stderr);
    assert_eq!(server_note_count(&org), 0, "nothing uploaded");
}

#[test]
fn a_reader_key_added_or_swapped_is_refused() {
    let (org, proxy) = scene(|o| &o.leader_a);
    org.leader_a.write(&["--unit", "Unit A", "--met", "2"]);
    let attacker = DeviceKeys::generate();
    let device = Device::active(&attacker);
    for swap in [false, true] {
        let device = device.clone();
        proxy.tamper(move |path, v| {
            if path == "/v1/roster" {
                let mut signed: SignedRoster = serde_json::from_value(v.clone()).unwrap();
                let mut roster = signed.unverified().unwrap();
                if swap {
                    let coordinator = roster.members.iter_mut().find(|m| m.roles.contains(&Role::Coordinator)).unwrap();
                    coordinator.devices[0].age_recipient = device.age_recipient.clone();
                } else {
                    let mut mallory = Member::active(UserId::random(), "Mallory", &[Role::Coordinator], &[]);
                    mallory.devices.push(device.clone());
                    roster.members.push(mallory);
                }
                signed.body = roster.canonical_json();
                *v = serde_json::to_value(signed).unwrap();
            }
        });
        let run = org.leader_a.sync();
        assert_eq!(run.code, 1, "swap={swap}");
        assert!(run.stderr.contains("signature does not verify"), "{}", run.stderr);
        assert_eq!(server_note_count(&org), 0);
    }
}

#[test]
fn an_older_roster_is_refused() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let first: SignedRoster = org
        .cluster
        .db()
        .query_row("SELECT body, signature FROM rosters WHERE version = 1", [], |r| {
            Ok(SignedRoster { body: r.get(0)?, signature: r.get(1)? })
        })
        .unwrap();
    proxy.tamper(move |path, v| {
        if path == "/v1/roster" {
            *v = serde_json::to_value(&first).unwrap();
        }
    });
    let held = org.coordinator.unlock().roster().unwrap().version;
    // Never used: a warning that stays (exit 3), the newer roster kept. It
    // is what a server restored from an older backup serves, so the sync
    // goes on under the roster this device holds.
    for _ in 0..2 {
        let run = org.coordinator.sync();
        assert_eq!(run.code, 3, "{}", run.stderr);
        assert!(run.stderr.contains("older list of members"), "{}", run.stderr);
        assert!(run.stderr.contains("version 1 of the list"), "{}", run.stderr);
        assert!(run.stdout.contains(&format!("roster version {held}")), "{}", run.stdout);
    }
    assert_eq!(org.coordinator.unlock().roster().unwrap().version, held);
}

// ---- notes ----

/// Leader A writes `n` notes and syncs; the coordinator (behind the proxy)
/// will pull them.
fn notes_by_leader_a(org: &Org, n: usize) -> Vec<String> {
    let ids = (0..n)
        .map(|i| org.leader_a.write(&["--unit", "Unit A", "--met", &i.to_string(), "--summary", &format!("note {i}")]))
        .collect();
    org.leader_a.sync().ok();
    ids
}

#[test]
fn a_note_injected_by_the_server_is_rejected() {
    let (org, proxy) = scene(|o| &o.coordinator);
    notes_by_leader_a(&org, 1);
    // The server makes a note with a key of its own, encrypted so the victim can even read it.
    let coordinator = org.coordinator.unlock();
    let mut roster = coordinator.roster().unwrap();
    let stranger = DeviceKeys::generate();
    roster.members.push(Member::active(UserId::random(), "server", &[Role::Leader], &[&stranger]));
    let params = SealParams { note_id: NoteId::random(), revision: 1, prev_hash: None, device_seq: 1 };
    let forged = seal(&harness_note("invented by the server"), &params, &roster, &stranger).unwrap();
    let forged_id = forged.header.note_id.to_string();
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            v["notes"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({ "seq": 9999, "received_at": 0, "sealed": forged }));
        }
    });
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3);
    let rejected = rejected(&run);
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].0, forged_id);
    assert!(rejected[0].1.contains("not in the roster"), "{}", rejected[0].1);
    let (valid, refused) = listed(&org.coordinator);
    assert_eq!(valid.len(), 1);
    assert!(!valid.contains(&forged_id) && refused.contains(&forged_id));
}

fn harness_note(summary: &str) -> visitnotes_shared::VisitNote {
    visitnotes_shared::VisitNote {
        schema_version: 1,
        visit_date: chrono_date(),
        units: vec!["Unit A".into()],
        volunteers: 1,
        people_met: 1,
        activities: vec![],
        themes: vec![],
        other_themes: vec![],
        concerns: vec![],
        tracing_requests: Default::default(),
        summary: summary.into(),
        language: "en".into(),
    }
}

fn chrono_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 5, 5).unwrap()
}

#[test]
fn a_coordinator_cannot_pass_off_a_note_as_a_leaders() {
    let (org, proxy) = scene(|o| &o.leader_a);
    let real = notes_by_leader_a(&org, 1);
    // The coordinator (an insider) re-encrypts a note of its own making and
    // presents it as leader A's: with leader A's device id, or with its own
    // device but leader A as the author.
    let coordinator = org.coordinator.unlock();
    let leader = org.leader_a.unlock();
    let roster = coordinator.roster().unwrap();
    let mut forgeries = Vec::new();
    for claim_device in [true, false] {
        let params = SealParams { note_id: NoteId::random(), revision: 1, prev_hash: None, device_seq: 50 };
        let mut sealed =
            seal(&harness_note("not what the leader wrote"), &params, &roster, &coordinator.secrets.device).unwrap();
        sealed.header.author = leader.config.user_id.clone();
        if claim_device {
            sealed.header.device_id = leader.config.device_id.clone();
        }
        sealed.signature = coordinator.secrets.device.sign(&sealed.header.signing_message()).to_vec();
        forgeries.push(sealed);
    }
    let injected: Vec<String> = forgeries.iter().map(|s| s.header.note_id.to_string()).collect();
    proxy.tamper(move |path, v| {
        if is_pull(path) && path.contains("since=0") {
            for (i, f) in forgeries.iter().enumerate() {
                v["notes"]
                    .as_array_mut()
                    .unwrap()
                    .push(serde_json::json!({ "seq": 9000 + i, "received_at": 0, "sealed": f }));
            }
        }
    });
    // The leader's own pull (it sees its notes; here, two more claiming to be its own).
    org.leader_a.run(&["sync", "--from-start"]);
    let run = org.leader_a.run(&["--json", "note", "list"]);
    assert_eq!(run.code, 3);
    let v = run.json();
    let reasons: Vec<String> =
        v["rejected"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap().to_owned()).collect();
    assert!(reasons.iter().any(|r| r.contains("signature does not verify")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("belongs to")), "author mismatch: {reasons:?}");
    let valid: Vec<&str> = v["notes"].as_array().unwrap().iter().map(|n| n["note_id"].as_str().unwrap()).collect();
    assert_eq!(valid, real.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(injected.iter().all(|i| !valid.contains(&i.as_str())));
}

#[test]
fn swapped_ciphertexts_are_rejected() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let ids = notes_by_leader_a(&org, 2);
    proxy.tamper(|path, v| {
        if is_pull(path) {
            let notes = v["notes"].as_array_mut().unwrap();
            if notes.len() == 2 {
                let a = notes[0]["sealed"]["age"].take();
                let b = notes[1]["sealed"]["age"].take();
                notes[0]["sealed"]["age"] = b;
                notes[1]["sealed"]["age"] = a;
            }
        }
    });
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3);
    let rejected = rejected(&run);
    assert_eq!(rejected.len(), 2);
    assert!(rejected.iter().all(|(_, r)| r.contains("signature does not verify")));
    let (valid, refused) = listed(&org.coordinator);
    assert!(valid.is_empty());
    assert!(ids.iter().all(|id| refused.contains(id)));
}

#[test]
fn an_older_revision_served_after_a_newer_one_is_a_rollback() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let id = org.leader_a.write(&["--unit", "Unit A", "--met", "1"]);
    org.leader_a.run(&["note", "edit", &id, "--met", "2"]).ok();
    org.leader_a.sync().ok();
    let held: Arc<Mutex<Option<Value>>> = Arc::new(Mutex::new(None));
    let keep = held.clone();
    proxy.tamper(move |path, v| {
        if !is_pull(path) {
            return;
        }
        let notes = v["notes"].as_array_mut().unwrap();
        if let Some(pos) = notes.iter().position(|n| n["sealed"]["header"]["revision"] == 1) {
            // First pull: hold revision 1 back.
            *keep.lock().unwrap() = Some(notes.remove(pos));
        } else if let Some(mut old) = keep.lock().unwrap().take() {
            // Later: serve it as if it were new.
            old["seq"] = 99999.into();
            notes.push(old);
        }
    });
    // Revision 1 held back: its sequence number is missing, which is reported.
    assert_eq!(org.coordinator.sync().code, 3);
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3);
    let rejected = rejected(&run);
    assert!(rejected[0].1.contains("rollback: revision 1 is not above 2"), "{rejected:?}");
    // Shown, and exit 3 while the rolled-back copy is an open alert.
    let shown = org.coordinator.run(&["--json", "note", "show", &id]);
    assert_eq!(shown.code, 3, "{}", shown.stderr);
    assert_eq!(shown.json()["revision"], 2);
}

#[test]
fn a_withheld_note_shows_as_a_gap() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let ids = notes_by_leader_a(&org, 3);
    let withheld = ids[1].clone();
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            v["notes"].as_array_mut().unwrap().retain(|n| n["sealed"]["header"]["note_id"] != withheld.as_str());
        }
    });
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3);
    let gaps = &run.json()["gaps"];
    assert_eq!(gaps[0][1], serde_json::json!([2]), "{gaps}");
    let list = org.coordinator.run(&["note", "list"]);
    assert_eq!(list.code, 3);
    assert!(
        list.stderr.contains("missing on this device (numbers 2)") && list.stderr.contains("Leader A"),
        "{}",
        list.stderr
    );
}

#[test]
fn edited_metadata_is_rejected() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let ids = notes_by_leader_a(&org, 3);
    let other_user = org.leader_b.unlock().config.user_id.to_string();
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            for n in v["notes"].as_array_mut().unwrap() {
                let h = &mut n["sealed"]["header"];
                match h["device_seq"].as_u64() {
                    Some(1) => h["revision"] = 7.into(),
                    Some(2) => h["author"] = other_user.clone().into(),
                    _ => h["roster_version"] = 1.into(),
                }
            }
        }
    });
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3);
    let rejected = rejected(&run);
    assert_eq!(rejected.len(), 3);
    assert!(rejected.iter().all(|(_, r)| r.contains("signature does not verify")), "{rejected:?}");
    let (valid, _) = listed(&org.coordinator);
    assert!(valid.is_empty() && ids.len() == 3);
}

/// The ways a server can damage an age file: truncation at each chunk
/// boundary, reordered chunks, appended bytes, a bad header MAC, a
/// passphrase stanza with a huge work factor, a plugin stanza.
fn damaged_copies(sealed: &SealedNote) -> Vec<(&'static str, Vec<u8>)> {
    const CHUNK: usize = 64 * 1024 + 16;
    let age = &sealed.age;
    let header_end = age.windows(4).position(|w| w == b"\n---").unwrap() + 1;
    let payload = header_end + age[header_end..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let chunks = payload + 16;
    let mut out = Vec::new();
    let mut boundary = chunks + CHUNK;
    while boundary < age.len() {
        out.push(("truncated at a chunk boundary", age[..boundary].to_vec()));
        boundary += CHUNK;
    }
    let mut reordered = age[..chunks].to_vec();
    reordered.extend_from_slice(&age[chunks + CHUNK..chunks + 2 * CHUNK]);
    reordered.extend_from_slice(&age[chunks..chunks + CHUNK]);
    reordered.extend_from_slice(&age[chunks + 2 * CHUNK..]);
    out.push(("chunks reordered", reordered));
    let mut appended = age.clone();
    appended.extend_from_slice(b"more bytes");
    out.push(("bytes appended", appended));
    let mut bad_mac = age.clone();
    bad_mac[header_end + 5] ^= 0x01;
    out.push(("bad header MAC", bad_mac));
    let text = String::from_utf8_lossy(&age[..header_end]).into_owned();
    let stanza_line = text.lines().find(|l| l.starts_with("-> X25519")).unwrap().to_owned();
    let scrypt = text.replacen(&stanza_line, "-> scrypt c2FsdHNhbHRzYWx0c2FsdA 40", 1);
    out.push(("scrypt stanza with work factor 2^40", [scrypt.as_bytes(), &age[header_end..]].concat()));
    let plugin = text.replacen(&stanza_line, "-> yubikey AAAA", 1);
    out.push(("plugin stanza", [plugin.as_bytes(), &age[header_end..]].concat()));
    out
}

#[test]
fn damaged_age_files_are_rejected_fast() {
    let (org, proxy) = scene(|o| &o.coordinator);
    // A note of three STREAM chunks: long concern descriptions.
    let long = "x".repeat(19_000);
    let concerns: Vec<String> = (0..7).map(|i| format!("high:{i}{long}")).collect();
    let mut args = vec!["--unit", "Unit A", "--met", "1"];
    for c in &concerns {
        args.extend(["--concern", c.as_str()]);
    }
    org.leader_a.write(&args);
    org.leader_a.sync().ok();
    let honest: SealedNote = {
        let leader = org.leader_a.unlock();
        leader.store.all_rows().unwrap().remove(0).sealed
    };
    assert!(honest.age.len() > 2 * (64 * 1024 + 16), "three chunks: {}", honest.age.len());

    // Each damage, checked on its own: the specific error, and fast.
    let coordinator = org.coordinator.unlock();
    let roster = org.leader_a.unlock().roster().unwrap();
    let ctx = OpenContext {
        roster: &roster,
        identity: coordinator.secrets.device.age_identity(),
        seen_revision: None,
        seen_device_seq: None,
    };
    let copies = damaged_copies(&honest);
    assert!(copies.len() >= 7);
    for (what, age) in &copies {
        let started = std::time::Instant::now();
        let damaged = SealedNote { age: age.clone(), ..honest.clone() };
        assert_eq!(open(&damaged, &ctx), Err(OpenError::BadSignature), "{what}");
        assert!(started.elapsed().as_secs() < 2, "{what} took {:?}", started.elapsed());
    }
    drop(coordinator);

    // And through the client: every damaged copy served, none accepted.
    let served = copies.clone();
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            let notes = v["notes"].as_array_mut().unwrap();
            if let Some(first) = notes.first().cloned() {
                notes.clear();
                for (i, (_, age)) in served.iter().enumerate() {
                    let mut copy = first.clone();
                    copy["seq"] = (100 + i).into();
                    copy["sealed"]["age"] = data_encoding::BASE64.encode(age).into();
                    notes.push(copy);
                }
            }
        }
    });
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3);
    assert_eq!(rejected(&run).len(), copies.len());
    let (valid, _) = listed(&org.coordinator);
    assert!(valid.is_empty());
    println!(
        "hostile: {} damaged age files refused: {}",
        copies.len(),
        copies.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
    );
}
