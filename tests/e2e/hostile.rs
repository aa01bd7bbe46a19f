//! A hostile server: a proxy between the real client and the real server
//! rewrites what the client receives. For each attack the client must
//! refuse with its specific error, show nothing as valid, store nothing as
//! valid, and upload nothing to the wrong readers.

use std::sync::{Arc, Mutex};

use crate::harness::proxy::{is_pull, scene, Proxy};
use crate::harness::*;
use serde_json::Value;
use visitnotes_shared::envelope::{open, seal, OpenContext, OpenError, SealParams, SealedNote};
use visitnotes_shared::roster::{Device, Member, Role, SignedRoster};
use visitnotes_shared::{DeviceKeys, NoteId, OrgKey, UserId};

fn server_note_count(org: &Org) -> i64 {
    org.cluster.number("SELECT COUNT(*) FROM notes")
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

/// The error code a `--json` run printed on stderr (its last line).
fn error_code(run: &Run) -> String {
    let last = run.stderr.lines().last().unwrap_or_default();
    let v: Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
    v["error"]["code"].as_str().unwrap_or_default().to_owned()
}

/// Guards the roster's signature check (`shared roster::SignedRoster::verify`,
/// `RosterError::BadSignature`) as the client applies it
/// (`core/src/ops/roster.rs::accept`): a reader added, or a reader's key
/// swapped, in the roster's body without the organisation key, under the
/// version the leader holds and under a higher one. The higher version
/// meets no other check, so only the signature stops it; each case must be
/// refused as a bad signature (`roster_refused`), not as equivocation.
#[test]
fn a_reader_key_added_or_swapped_is_refused() {
    let (org, proxy) = scene(|o| &o.leader_a);
    org.leader_a.write(&["--unit", "Unit A", "--met", "2"]);
    let held = org.leader_a.roster();
    let attacker = DeviceKeys::generate();
    let device = Device::active(&attacker);
    for (swap, higher) in [(false, false), (true, false), (false, true), (true, true)] {
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
                if higher {
                    roster.version += 1;
                }
                signed.body = roster.canonical_json();
                *v = serde_json::to_value(signed).unwrap();
            }
        });
        let run = org.leader_a.run(&["--json", "sync"]);
        assert_eq!(run.code, 1, "swap={swap} higher={higher}: {}", run.stderr);
        assert_eq!(error_code(&run), "roster_refused", "swap={swap} higher={higher}: {}", run.stderr);
        assert!(run.stderr.contains("signature does not verify"), "{}", run.stderr);
        assert_eq!(server_note_count(&org), 0);
        let kept = org.leader_a.roster();
        assert_eq!(kept, held, "swap={swap} higher={higher}: the roster held is unchanged");
    }
}

/// Guards the equivocation check of `core/src/ops/roster.rs::accept`
/// (`ClientError::RosterEquivocation`): under the version the leader
/// already holds, the server serves a roster with another reader in it,
/// signed with the organisation key (a stolen key, or a second signing by
/// an administrator's device). Its signature verifies and its version is
/// not older, so only the comparison with the roster held refuses it.
#[test]
fn the_same_roster_version_with_other_content_is_refused_as_equivocation() {
    let (org, proxy) = scene(|o| &o.leader_a);
    org.leader_a.write(&["--unit", "Unit A", "--met", "2"]);
    let held = org.leader_a.roster();
    let held_signed = org.leader_a.unlock().store.roster_at(held.version).unwrap().unwrap();
    let org_key = org.admin.unlock().secrets.org_key.take().unwrap();
    let attacker = DeviceKeys::generate();
    let mut other = held.clone();
    other.members.push(Member::active(UserId::random(), "Mallory", &[Role::Coordinator], &[&attacker]));
    let other = other.sign(&org_key);
    assert_eq!(other.verify(&org_key.public(), held.version).unwrap().version, held.version, "it verifies");
    proxy.tamper(move |path, v| {
        if path == "/v1/roster" {
            *v = serde_json::to_value(&other).unwrap();
        }
    });
    for _ in 0..2 {
        let run = org.leader_a.run(&["--json", "sync"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(error_code(&run), "roster_equivocation", "{}", run.stderr);
        assert!(run.stderr.contains(&format!("two different rosters as version {}", held.version)), "{}", run.stderr);
        assert_eq!(server_note_count(&org), 0, "nothing uploaded");
    }
    let leader = org.leader_a.unlock();
    assert_eq!(leader.store.roster_at(held.version).unwrap().unwrap(), held_signed, "the roster held is kept");
    assert!(
        leader.store.open_alerts().unwrap().iter().any(|a| a.kind == Some(visitnotes_core::store::StoredKind::Roster)),
        "an alert stays open"
    );
}

/// Roster version 1 as the server stores it, signed: what a server
/// restored from its first backup would serve.
fn first_roster(org: &Org) -> SignedRoster {
    org.cluster
        .db()
        .query_row("SELECT body, signature FROM rosters WHERE version = 1", [], |r| {
            Ok(SignedRoster { body: r.get(0)?, signature: r.get(1)? })
        })
        .unwrap()
}

#[test]
fn an_older_roster_is_refused() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let first = first_roster(&org);
    proxy.tamper(move |path, v| {
        if path == "/v1/roster" {
            *v = serde_json::to_value(&first).unwrap();
        }
    });
    let held = org.coordinator.roster().version;
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
    assert_eq!(org.coordinator.roster().version, held);
}

/// A server that lost the newest roster (served older): an administrator's
/// command that only reads says so and publishes nothing, uploads nothing;
/// a command that changes something publishes the newest roster again,
/// unchanged, before its change.
#[test]
fn an_older_roster_is_only_warned_about_by_an_administrators_commands_that_read() {
    let (org, proxy) = scene(|o| &o.admin);
    let first = first_roster(&org);
    // Served until the newest comes back.
    let seen = proxy.seen.clone();
    proxy.tamper(move |path, v| {
        let given_back = seen.lock().unwrap().iter().any(|r| r == "PUT /v1/roster");
        if path == "/v1/roster" && !given_back {
            *v = serde_json::to_value(&first).unwrap();
        }
    });
    let held = org.admin.roster().version;
    // The server (which in truth has it) takes the newest back once.
    let mut taken = false;
    proxy.intercept(move |method, path| {
        let take = method == "PUT" && path == "/v1/roster" && !taken;
        taken |= take;
        take.then(|| (200, serde_json::json!({ "version": held })))
    });
    let writes = || {
        let seen = proxy.seen.lock().unwrap();
        seen.iter().filter(|r| !r.starts_with("GET ")).cloned().collect::<Vec<_>>()
    };
    for args in [&["admin", "pending"][..], &["admin", "roster"], &["admin", "units"], &["admin", "audit", "--verify"]]
    {
        let run = org.admin.run(args).ok();
        assert!(
            run.stderr.contains(&format!(
                "WARNING: the server serves version 1 of the list of members, older than version {held} on this device"
            )),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("nothing was published"), "{}", run.stderr);
    }
    assert_eq!(writes(), Vec::<String>::new(), "a command that reads sends nothing but GETs");
    assert_eq!(org.admin.roster().version, held);

    let added = org.admin.run(&["admin", "units", "add", "Unit C", "--yes"]).ok();
    assert!(added.stdout.contains(&format!("published roster version {}", held + 1)), "{}", added.stdout);
    let writes = writes();
    assert_eq!(
        writes.iter().filter(|r| *r == "PUT /v1/roster").count(),
        2,
        "the newest again, then the new one: {writes:?}"
    );
}

// ---- notes ----

#[test]
fn a_note_injected_by_the_server_is_rejected() {
    let (org, proxy) = scene(|o| &o.coordinator);
    org.leader_a.write_and_sync(1);
    // The server makes a note with a key of its own, encrypted so the victim can even read it.
    let coordinator = org.coordinator.unlock();
    let mut roster = coordinator.roster().unwrap();
    let stranger = DeviceKeys::generate();
    roster.members.push(Member::active(UserId::random(), "server", &[Role::Leader], &[&stranger]));
    let params = SealParams { note_id: NoteId::random(), revision: 1, prev_hash: None, device_seq: 1 };
    let forged = seal(&visit_note("invented by the server"), &params, &roster, &stranger).unwrap();
    let forged_id = forged.header.note_id.to_string();
    proxy.serve_also(forged);
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

#[test]
fn a_coordinator_cannot_pass_off_a_note_as_a_leaders() {
    let (org, proxy) = scene(|o| &o.leader_a);
    let real = org.leader_a.write_and_sync(1);
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
            seal(&visit_note("not what the leader wrote"), &params, &roster, &coordinator.secrets.device).unwrap();
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
    let ids = org.leader_a.write_and_sync(2);
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
    let ids = org.leader_a.write_and_sync(3);
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
    let ids = org.leader_a.write_and_sync(3);
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

/// `sealed` with `age` in place of its age file, signed again by its
/// author's device (the hash of the file fits the header): what only the
/// author, or a thief of its key, could make.
fn signed_by_author(sealed: &SealedNote, age: &[u8], author: &DeviceKeys) -> SealedNote {
    let mut copy = SealedNote { age: age.to_vec(), ..sealed.clone() };
    copy.header.age_sha256 = visitnotes_shared::hex(&visitnotes_shared::sha256(age));
    copy.signature = author.sign(&copy.header.signing_message()).to_vec();
    copy
}

/// Guards the hashes the author signs (`shared envelope::check_file`) and
/// the stanza check of the age-header reader (`shared age_header::read`,
/// `OpenError::ForbiddenStanza`): every damage a server can make is refused
/// as a bad signature; a passphrase (scrypt, work factor 2^40) or plugin
/// stanza under the author's own signature gets past the hashes and must
/// be refused by the stanza check, with its own error, before age is asked
/// to do any work (with the check removed, age is handed the file and the
/// error is another one).
#[test]
fn damaged_age_files_are_rejected_each_with_its_error() {
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
    let leader = org.leader_a.unlock();
    let honest: SealedNote = leader.store.all_rows().unwrap().remove(0).sealed;
    assert!(honest.age.len() > 2 * (64 * 1024 + 16), "three chunks: {}", honest.age.len());

    // Each damage, checked on its own: the specific error.
    let coordinator = org.coordinator.unlock();
    let roster = leader.roster().unwrap();
    let ctx = OpenContext {
        roster: &roster,
        identity: coordinator.secrets.device.age_identity(),
        seen_revision: None,
        seen_device_seq: None,
    };
    let copies = damaged_copies(&honest);
    assert!(copies.len() >= 7);
    for (what, age) in &copies {
        let damaged = SealedNote { age: age.clone(), ..honest.clone() };
        assert_eq!(open(&damaged, &ctx), Err(OpenError::BadSignature), "{what}");
    }
    // The forbidden stanzas again, signed by the author: the stanza check
    // is the first to refuse them.
    let stanzas: Vec<(&str, SealedNote)> = copies
        .iter()
        .filter_map(|(what, age)| {
            match *what {
                "scrypt stanza with work factor 2^40" => Some("scrypt"),
                "plugin stanza" => Some("yubikey"),
                _ => None,
            }
            .map(|tag| (tag, signed_by_author(&honest, age, &leader.secrets.device)))
        })
        .collect();
    assert_eq!(stanzas.len(), 2);
    for (tag, sealed) in &stanzas {
        assert_eq!(open(sealed, &ctx), Err(OpenError::ForbiddenStanza(tag.to_string())), "{tag}");
    }
    drop((coordinator, leader));

    // And through the client: every damaged copy served, none accepted,
    // the signed stanzas refused as such.
    let mut served: Vec<SealedNote> =
        copies.iter().map(|(_, age)| SealedNote { age: age.clone(), ..honest.clone() }).collect();
    served.extend(stanzas.iter().map(|(_, s)| s.clone()));
    let count = served.len();
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            let notes = v["notes"].as_array_mut().unwrap();
            if let Some(first) = notes.first().cloned() {
                notes.clear();
                for (i, sealed) in served.iter().enumerate() {
                    let mut copy = first.clone();
                    copy["seq"] = (100 + i).into();
                    copy["sealed"] = serde_json::to_value(sealed).unwrap();
                    notes.push(copy);
                }
            }
        }
    });
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3);
    let rejected = rejected(&run);
    assert_eq!(rejected.len(), count, "{rejected:?}");
    for tag in ["scrypt", "yubikey"] {
        let said = format!("a {tag} stanza; only X25519 is accepted");
        assert!(rejected.iter().any(|(_, r)| r.contains(&said)), "{said}: {rejected:?}");
    }
    let (valid, _) = listed(&org.coordinator);
    assert!(valid.is_empty());
    println!(
        "hostile: {} damaged age files refused: {}, and the scrypt and plugin stanzas signed by the author",
        copies.len(),
        copies.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
    );
}

// ---- roster freeze ----

/// The server withholds the roster that removed a coordinator: it answers
/// the administrator's removal and publication as if it took them, and
/// serves the roster before it for ever. Until that roster expires the
/// leader keeps encrypting to the removed coordinator, who keeps reading
/// (the freeze window); after, the leader's notes stay on the leader's
/// device and both see the warning, exit 3. The administrator's own sync
/// notices at once: the server went backwards.
#[test]
fn a_frozen_roster_expires_for_the_leader_and_the_removed_coordinator() {
    let org = Org::start();
    let other = org.add_member("Coordinator Two", "coordinator");
    let proxy = Proxy::start(&org.cluster);
    for p in [&org.admin, &org.leader_a, &org.coordinator] {
        proxy.divert(p);
    }
    // The roster the server will freeze on: short-lived, for the test.
    org.admin.run_env(&[("VISITNOTES_ROSTER_LIFETIME_SECS", "20")], &["admin", "units", "add", "Unit C", "--yes"]).ok();
    for p in [&org.leader_a, &org.coordinator, &other] {
        p.sync().ok();
    }
    let frozen = org.leader_a.roster().version;

    // The removal never reaches the server.
    proxy.intercept(move |method, path| match (method, path) {
        ("PUT", "/v1/roster") => Some((200, serde_json::json!({ "version": frozen + 1 }))),
        ("POST", p) if p.ends_with("/remove") => Some((200, serde_json::json!({}))),
        _ => None,
    });
    let removed = org.admin.run(&["admin", "remove", "Coordinator", "--yes"]).ok();
    assert!(removed.stdout.contains(&format!("published roster version {}", frozen + 1)), "{}", removed.stdout);

    // Within the window: the leader's note still goes to the removed
    // coordinator; both are warned at once, by the administrator's head
    // naming the version the server holds back (exit 3).
    let during = org.leader_a.write(&["--unit", "Unit A", "--met", "2", "--summary", "during the freeze"]);
    for p in [&org.leader_a, &org.coordinator] {
        let synced = p.sync();
        assert_eq!(synced.code, 3, "{}", synced.stderr);
        let named = format!("Admin's device has seen version {} of the list of members", frozen + 1);
        assert!(synced.stderr.contains(&named), "{}", synced.stderr);
    }
    let (read, _) = listed(&org.coordinator);
    assert!(read.contains(&during), "the freeze works until the roster expires");
    // The administrator notices at once.
    let admin_sync = org.admin.sync();
    assert_eq!(admin_sync.code, 1);
    assert!(admin_sync.stderr.contains("went backwards"), "{}", admin_sync.stderr);

    let expires = org.leader_a.roster().expires_at();
    // Fails at once, not after 30 days, if the short life was not honoured.
    assert!(expires - chrono::Utc::now().timestamp() <= 20, "the roster lives the 20 s it was signed for");
    sleep_past(expires);
    let notes_before = server_note_count(&org);
    // The leader: the note is written and kept, not uploaded; warned, exit 3.
    let written = org.leader_a.run(&["note", "new", "--unit", "Unit A", "--met", "4", "--summary", "after expiry"]);
    assert_eq!(written.code, 3, "{}", written.stderr);
    assert!(written.stderr.contains("will not be uploaded yet"), "{}", written.stderr);
    let synced = org.leader_a.sync();
    assert_eq!(synced.code, 3, "{}", synced.stderr);
    assert!(
        synced.stderr.contains(&format!("list of members this device could get (version {frozen}"))
            && synced.stderr.contains("expired on")
            && synced.stderr.contains("may be holding back a newer list"),
        "{}",
        synced.stderr
    );
    assert_eq!(server_note_count(&org), notes_before, "nothing more for the removed coordinator to read");
    // The removed coordinator: warned too, exit 3, on sync and when reading.
    let synced = org.coordinator.sync();
    assert_eq!(synced.code, 3, "{}", synced.stderr);
    assert!(synced.stderr.contains(&format!("(version {frozen}, signed")) && synced.stderr.contains("expired on"));
    let list = org.coordinator.run(&["note", "list"]);
    assert_eq!(list.code, 3);
    assert!(list.stderr.contains("expired on"), "{}", list.stderr);
}

// ---- the audit log ----

/// An organisation whose administrator signed a checkpoint of the audit
/// log, with entries after it; returns the entries it covers.
fn checkpointed_org() -> (Org, u64) {
    let org = Org::start();
    org.leader_a.write_and_sync(2);
    let synced = org.admin.run(&["--json", "sync"]).ok();
    let covered = synced.json()["audit_checkpoint"].as_u64().expect("the administrator's sync signs a checkpoint");
    let verified = org.admin.run(&["admin", "audit", "--verify"]).ok();
    assert!(
        verified.stdout.contains(&format!("entries 1 to {covered} match the checkpoint Admin (this device) signed on"))
            && verified.stdout.contains("(the server's newest)"),
        "{}",
        verified.stdout
    );
    org.leader_a.write_and_sync(1);
    (org, covered)
}

/// What `visitnotes-server audit verify` reports (its library half; the
/// binary's exit code 2 is checked in server/tests/cli.rs).
fn server_audit_verify(org: &Org) -> visitnotes_server::db::audit::AuditReport {
    let db = visitnotes_server::open_existing(&org.cluster.data()).unwrap();
    db.read(visitnotes_server::db::audit::check).unwrap()
}

/// The server's operator drops the log's last entries (the chain of the
/// rest is intact) and, for the client, the stored checkpoints too.
#[test]
fn an_audit_log_cut_short_is_found_by_the_server_and_the_administrator() {
    let (mut org, covered) = checkpointed_org();
    org.cluster.stop();
    org.cluster.db().execute("DELETE FROM audit WHERE seq > ?1", [covered - 3]).unwrap();
    let report = server_audit_verify(&org);
    assert!(report.broken(), "{:?}", report.lines());
    let lines = report.lines().join("\n");
    assert!(lines.contains("chain intact"), "the chain alone is fooled: {lines}");
    assert!(
        lines.contains("TRUNCATED")
            && lines.contains(&format!("entries {} to {covered} were removed", covered - 2))
            && lines.contains("Admin signed on"),
        "{lines}"
    );

    // Without the server's checkpoints, the administrator's copy still tells.
    org.cluster.db().execute("DELETE FROM audit_checkpoints", []).unwrap();
    assert!(!server_audit_verify(&org).broken(), "the server alone can no longer tell");
    org.cluster.restart();
    let verified = org.admin.run(&["admin", "audit", "--verify"]);
    assert_eq!(verified.code, 3, "{}", verified.stdout);
    assert!(
        verified.stdout.contains("BROKEN: TRUNCATED: the checkpoint Admin (this device) signed on")
            && verified.stdout.contains(&format!("covers {covered} entries, the server's log now has {}", covered - 3))
            && verified.stdout.contains("the server holds no checkpoint"),
        "{}",
        verified.stdout
    );
    // An alert until the log is intact again; no checkpoint is signed over it.
    let synced = org.admin.run(&["sync"]);
    assert_eq!(synced.code, 3);
    assert!(synced.stderr.contains("The server's audit log does not match what was signed"), "{}", synced.stderr);
    assert!(!synced.stdout.contains("signed a checkpoint"), "{}", synced.stdout);
    assert_eq!(org.admin.run(&["alerts"]).code, 3);
    let stored: i64 = org.cluster.db().query_row("SELECT COUNT(*) FROM audit_checkpoints", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 0);
}

/// The server's operator edits an entry the checkpoint covers and computes
/// every later hash again: the chain links, the checkpoint does not match.
#[test]
fn an_audit_log_rewritten_and_chained_again_is_found_by_the_server_and_the_administrator() {
    let (mut org, covered) = checkpointed_org();
    org.cluster.stop();
    {
        let db = org.cluster.db();
        let mut rows: Vec<(u64, i64, Option<String>, String, String)> = db
            .prepare("SELECT seq, at, actor, action, subject FROM audit ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows[1].4 = "nothing happened".into();
        let mut prev = visitnotes_shared::audit::GENESIS.to_owned();
        for (seq, at, actor, action, subject) in &rows {
            let hash = visitnotes_shared::audit::entry_hash(&prev, *seq, *at, actor.as_deref(), action, subject);
            db.execute(
                "UPDATE audit SET subject = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
                rusqlite::params![subject, prev, hash, seq],
            )
            .unwrap();
            prev = hash;
        }
    }
    let report = server_audit_verify(&org);
    let lines = report.lines().join("\n");
    assert!(report.broken() && lines.contains("chain intact"), "{lines}");
    assert!(
        lines.contains(&format!("REWRITTEN: entry {covered} does not have the hash in the checkpoint Admin signed on")),
        "{lines}"
    );

    org.cluster.restart();
    let verified = org.admin.run(&["admin", "audit", "--verify"]);
    assert_eq!(verified.code, 3, "{}", verified.stdout);
    assert!(verified.stdout.contains("the chain of the server's"), "{}", verified.stdout);
    assert!(
        verified.stdout.contains(&format!(
            "BROKEN: REWRITTEN: entry {covered} no longer has the hash in the checkpoint Admin (this device) signed on"
        )) && verified.stdout.contains("(kept on this device)")
            && verified.stdout.contains("(the server's newest)"),
        "{}",
        verified.stdout
    );
    let alerts = org.admin.run(&["--json", "alerts"]);
    assert_eq!(alerts.code, 3);
    assert!(alerts.json()["alerts"].as_array().unwrap().iter().any(|a| a["kind"] == "audit"), "{}", alerts.stdout);
}

// ---- enrolment ----

/// Guards the administrator's check of a pending enrolment's MAC
/// (`core/src/ops/admin.rs::pending`, `Verdict::Tampered`, and
/// `approve` refusing anything not `Genuine`): the server swaps the keys of
/// a pending enrolment (the reader key alone, or both keys with a device
/// id to match) for keys of its own. `admin pending` must say tampered,
/// `admin approve --all` must refuse it (exit 3) and publish nothing: the
/// roster stays as it was and holds neither the attacker's keys nor the
/// invited person; the tampering stays an alert while the enrolment is
/// pending (the mutant `==` to `!=` in `pending`'s resolve dropped it).
#[test]
fn keys_swapped_in_a_pending_enrolment_are_refused_by_the_administrator() {
    let (org, proxy) = scene(|o| &o.admin);
    org.pending("Eve", "coordinator");
    let before = org.cluster.roster_version();
    let held = org.admin.roster();
    let attacker = DeviceKeys::generate();
    let (device_id, signing_key, recipient) = (attacker.device_id(), attacker.signing_key(), attacker.age_recipient());
    for both in [false, true] {
        let (swapped_id, recipient) = (device_id.clone(), recipient.clone());
        proxy.tamper(move |path, v| {
            if path == "/v1/admin/enrolments" {
                for e in v.as_array_mut().unwrap() {
                    e["age_recipient"] = recipient.clone().into();
                    if both {
                        e["signing_key"] = serde_json::to_value(signing_key).unwrap();
                        e["device_id"] = serde_json::to_value(&swapped_id).unwrap();
                    }
                }
            }
        });
        let pending = org.admin.run(&["--json", "admin", "pending"]).ok().json();
        let verdicts: Vec<&str> = pending.as_array().unwrap().iter().map(|c| c["verdict"].as_str().unwrap()).collect();
        assert_eq!(verdicts, ["tampered"], "both={both}: {pending}");
        // The tampering stays an alert while the enrolment is pending
        // (guards the resolve in `pending`, which drops only the alerts of
        // enrolments no longer listed).
        let alerts = org.admin.run(&["--json", "alerts"]).json();
        let enrolment_alerts = alerts["alerts"].as_array().unwrap().iter().filter(|a| a["kind"] == "enrolment").count();
        assert_eq!(enrolment_alerts, 1, "both={both}: {alerts}");
        let refused = org.admin.run(&["--json", "admin", "approve", "--all"]);
        assert_eq!(refused.code, 3, "both={both}: {}", refused.stderr);
        assert!(refused.stderr.contains("Eve") && refused.stderr.contains("REFUSED"), "{}", refused.stderr);
        assert_eq!(refused.json()["approved"], serde_json::json!([]), "{}", refused.stdout);
        assert_eq!(org.cluster.roster_version(), before, "both={both}: no roster published");
        let roster = org.admin.roster();
        assert_eq!(roster, held, "both={both}: the administrator's roster is unchanged");
        assert!(roster.members.iter().all(|m| m.name != "Eve"));
        assert!(roster.device(&device_id).is_none());
    }
    // The honest server's answer checks out: the test's refusal came from the swap.
    proxy.honest();
    let pending = org.admin.run(&["--json", "admin", "pending"]).ok().json();
    assert_eq!(pending[0]["verdict"], "genuine", "{pending}");
}
