//! Signed device heads against a hostile server: a proxy between the real client and the real server holds back a
//! device's newest notes, a whole device, or a roster, or serves heads of
//! its own making. Each attack must end in a warning a person can act on,
//! and exit code 3.

use crate::harness::proxy::{is_pull, scene, Proxy};
use crate::harness::*;
use visitnotes_shared::head::{DeviceHead, SignedHead};
use visitnotes_shared::roster::SignedRoster;

/// A head for `p`'s device, signed with its own key, as the device could
/// have signed it at `signed_at`.
fn signed_head(p: &Person, last_seq: u64, chain_hash: &str, signed_at: i64) -> SignedHead {
    let session = p.unlock();
    DeviceHead {
        device_id: session.config.device_id.clone(),
        last_seq,
        chain_hash: chain_hash.to_owned(),
        roster_version: session.roster().unwrap().version,
        signed_at,
    }
    .sign(&session.secrets.device)
}

/// From now on the server serves `head` in place of the head of `device`.
fn serve_head_instead(proxy: &Proxy, device: &str, head: SignedHead) {
    let device = device.to_owned();
    proxy.tamper(move |path, v| {
        if path == "/v1/heads" {
            for h in v["heads"].as_array_mut().unwrap() {
                if h["head"]["device_id"] == device.as_str() {
                    *h = serde_json::to_value(&head).unwrap();
                }
            }
        }
    });
}

#[test]
fn the_newest_notes_held_back_are_named_by_the_devices_head() {
    let (org, proxy) = scene(|o| &o.coordinator);
    org.leader_a.write_and_sync(3);
    // The tail: note number 3, the newest, never reaches the coordinator.
    // Below the highest number it holds there is no gap to see.
    proxy.tamper(|path, v| {
        if is_pull(path) {
            v["notes"].as_array_mut().unwrap().retain(|n| n["sealed"]["header"]["device_seq"] != 3);
        }
    });
    let run = org.coordinator.sync();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("Leader A's device says it had sent notes up to number 3 by "), "{}", run.stderr);
    assert!(run.stderr.contains("but this device has only up to number 2: 1 note is missing"), "{}", run.stderr);
    let json = org.coordinator.run(&["--json", "note", "list"]);
    assert_eq!(json.code, 3);
    assert_eq!(json.json()["gaps"], serde_json::json!([]), "no gap shows it");
    assert_eq!(json.alert_kinds(), ["missing_notes"]);
    // The server serves it again: the warning ends.
    proxy.honest();
    let run = org.coordinator.run(&["sync", "--from-start"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_device_withheld_entirely_is_last_heard_from_then_named_by_its_head() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let b_user = org.leader_b.user_id();
    let b_device = org.leader_b.device_id();
    org.leader_b.write_and_sync(2);
    // Every note of Leader B held back, and of its heads only one from 20
    // days ago (before it wrote anything) served.
    let old = signed_head(
        &org.leader_b,
        0,
        visitnotes_shared::envelope::CHAIN_START,
        chrono::Utc::now().timestamp() - 20 * 86_400,
    );
    let (user, device) = (b_user.clone(), b_device.clone());
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            v["notes"].as_array_mut().unwrap().retain(|n| n["sealed"]["header"]["author"] != user.as_str());
        }
        if path == "/v1/heads" {
            for h in v["heads"].as_array_mut().unwrap() {
                if h["head"]["device_id"] == device.as_str() {
                    *h = serde_json::to_value(&old).unwrap();
                }
            }
        }
    });
    let run = org.coordinator.sync();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("Leader B's device was last heard from on "), "{}", run.stderr);
    let list = org.coordinator.run(&["--json", "note", "list"]);
    assert_eq!(list.code, 3);
    assert_eq!(list.alert_kinds(), ["silent_device"]);
    assert!(list.json()["notes"].as_array().unwrap().is_empty());

    // Its notes still held back, but its real head served: named outright.
    let user = b_user.clone();
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            v["notes"].as_array_mut().unwrap().retain(|n| n["sealed"]["header"]["author"] != user.as_str());
        }
    });
    let run = org.coordinator.sync();
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("Leader B's device says it had sent notes up to number 2")
            && run.stderr.contains("but this device has none of them: 2 notes are missing"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("last heard from"), "the newer head ends the silence: {}", run.stderr);
    proxy.honest();
    assert_eq!(org.coordinator.run(&["sync", "--from-start"]).code, 0);
}

#[test]
fn a_roster_held_back_is_named_by_the_heads_of_those_who_saw_it() {
    let (org, proxy) = scene(|o| &o.coordinator);
    // The coordinator's view stops at the current roster; the server keeps
    // serving it after the administrator revokes Leader B's device, and
    // holds back the administrator's heads too (the coordinator keeps the
    // older one it verified).
    let served: SignedRoster = org.coordinator.unlock().store.latest_roster().unwrap().unwrap();
    let old_version = org.coordinator.roster().version;
    let admin = org.admin.device_id();
    proxy.tamper(move |path, v| {
        if path == "/v1/roster" {
            *v = serde_json::to_value(&served).unwrap();
        }
        if path == "/v1/heads" {
            v["heads"].as_array_mut().unwrap().retain(|h| h["head"]["device_id"] != admin.as_str());
        }
    });
    org.admin.run(&["admin", "revoke", "Leader B", "--yes"]).ok();
    // Leader A syncs: its head says which roster it has seen.
    org.leader_a.sync().ok();
    let run = org.coordinator.sync();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_roster_held_back_named_by(&run, "Leader A", old_version);
    proxy.honest();
    assert_eq!(org.coordinator.sync().code, 0);
}

/// The warning that `who`'s device has seen the roster after
/// `old_version`, which the server holds back from this one.
fn assert_roster_held_back_named_by(run: &Run, who: &str, old_version: u64) {
    let expected = format!(
        "{who}'s device has seen version {} of the list of members, but the server gives this device only \
         version {old_version}",
        old_version + 1
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
}

/// The administrator's device uploads its head naming the new roster as
/// soon as it signs one: a reader whom the server keeps on the older
/// roster (still listing a revoked device as active) is warned at its very
/// next sync, though nobody else has synced since.
#[test]
fn a_revocation_held_back_from_a_reader_is_named_by_the_administrators_head_at_once() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let served: SignedRoster = org.coordinator.unlock().store.latest_roster().unwrap().unwrap();
    let old_version = org.coordinator.roster().version;
    proxy.tamper(move |path, v| {
        if path == "/v1/roster" {
            *v = serde_json::to_value(&served).unwrap();
        }
    });
    org.admin.run(&["admin", "revoke", "Leader B", "--yes"]).ok();
    // Nobody syncs in between: the administrator's own head names it.
    let run = org.coordinator.sync();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_roster_held_back_named_by(&run, "Admin", old_version);
    proxy.honest();
    assert_eq!(org.coordinator.sync().code, 0);
}

#[test]
fn heads_the_server_forges_or_forks_are_refused_or_named() {
    let (org, proxy) = scene(|o| &o.coordinator);
    org.leader_a.write_and_sync(2);
    org.coordinator.sync().ok();
    let a_device = org.leader_a.device_id();
    // A head altered after signing: refused, and said so.
    let mut forged = signed_head(&org.leader_a, 2, &"ab".repeat(32), chrono::Utc::now().timestamp() + 5);
    forged.head.last_seq = 9;
    serve_head_instead(&proxy, &a_device, forged);
    let run = org.coordinator.sync();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("The server served a statement in the name of Leader A's device that does not verify"),
        "{}",
        run.stderr
    );
    // A head the device really signed, naming another note as its number 2:
    // the device's history forked (a copy of its keys elsewhere).
    let fork = signed_head(&org.leader_a, 2, &"cd".repeat(32), chrono::Utc::now().timestamp() + 10);
    serve_head_instead(&proxy, &a_device, fork);
    let run = org.coordinator.sync();
    assert_eq!(run.code, 3);
    assert!(run.stderr.contains("Leader A's device signed its note number 2 as a different note"), "{}", run.stderr);
    assert!(!run.stderr.contains("does not verify"), "a verifying head ends the first warning: {}", run.stderr);
}

// ---- revocation ----

/// A note sealed with `p`'s device key after `p`'s store's newest item, as
/// a thief holding a copy of the key could: numbered `seq`, chained to `prev`.
fn thief_note(p: &Person, seq: u64, prev: [u8; 32], summary: &str) -> visitnotes_shared::SealedNote {
    use visitnotes_shared::envelope::{seal_chained, SealParams};
    let session = p.unlock();
    let roster = session.roster().unwrap();
    let note = visit_note(summary);
    let params =
        SealParams { note_id: visitnotes_shared::NoteId::random(), revision: 1, prev_hash: None, device_seq: seq };
    seal_chained(&note, &params, prev, &roster, &session.secrets.device).unwrap()
}

/// `p`'s own notes, oldest first, as its store holds them.
fn own_notes(p: &Person) -> Vec<visitnotes_shared::SealedNote> {
    let mut rows: Vec<_> = p.unlock().store.all_rows().unwrap().into_iter().map(|r| r.sealed).collect();
    rows.sort_by_key(|s| s.header.device_seq);
    rows
}

/// A coordinator who joins now and pulls everything for the first time,
/// through the hostile server.
fn late_coordinator(org: &Org, proxy: &Proxy) -> Person {
    let late = org.enrolled("Late Coordinator", "coordinator");
    proxy.divert(&late);
    late
}

/// The server serves `stolen` in the place of `real` from now on.
fn serve_instead(proxy: &Proxy, real: &visitnotes_shared::SealedNote, stolen: visitnotes_shared::SealedNote) {
    let real = real.header.note_id.to_string();
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            for n in v["notes"].as_array_mut().unwrap() {
                if n["sealed"]["header"]["note_id"] == real.as_str() {
                    n["sealed"] = serde_json::to_value(&stolen).unwrap();
                }
            }
        }
    });
}

#[test]
fn a_revocation_trusts_only_the_number_the_device_signed_not_the_servers() {
    let (org, proxy) = scene(|o| &o.coordinator);
    proxy.divert(&org.admin);
    org.leader_b.write_and_sync(2);
    let b_device = org.leader_b.device_id();
    // The server claims Leader B's device sent 1,000 notes: a thief's
    // later notes would all be trusted if the revocation believed it.
    let device = b_device.clone();
    proxy.tamper(move |path, v| {
        if path == "/v1/admin/users" {
            for u in v.as_array_mut().unwrap() {
                for d in u["devices"].as_array_mut().unwrap() {
                    if d["device_id"] == device.as_str() {
                        d["last_seq"] = 1000.into();
                    }
                }
            }
        }
    });
    let plan = org.admin.run(&["admin", "revoke", "Leader B"]);
    assert_eq!(plan.code, 1, "asks first");
    assert!(
        plan.stdout.contains("its notes up to number 2 stay trusted: it said so itself, signed 20"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains(
            "The server says it holds notes up to number 1000, but nothing the device signed shows more than 2"
        ),
        "{}",
        plan.stdout
    );
    let done = org.admin.run(&["--json", "admin", "revoke", "Leader B", "--yes"]).ok();
    assert_eq!(done.json()["trusted_through_seq"], 2);
    let roster = org.admin.roster();
    let (_, device) = roster.device(&visitnotes_shared::DeviceId::parse(&b_device).unwrap()).unwrap();
    let notes = own_notes(&org.leader_b);
    match device.status {
        visitnotes_shared::roster::DeviceStatus::Revoked { trusted_through_seq, trusted_through_hash, .. } => {
            assert_eq!(trusted_through_seq, 2);
            assert_eq!(trusted_through_hash.map(|h| h.0), Some(notes[1].hash()));
        }
        other => panic!("{other:?}"),
    }

    // The thief writes note number 3 with the device's key; the server serves it.
    let stolen = thief_note(&org.leader_b, 3, notes[1].hash(), "written by the thief");
    let stolen_id = stolen.header.note_id.to_string();
    proxy.serve_also(stolen);
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3);
    let rejected = run.json()["rejected"].clone();
    assert_eq!(rejected[0][0], stolen_id.as_str(), "{rejected}");
    assert!(rejected[0][1].as_str().unwrap().contains("revoked before it wrote this"), "{rejected}");
    let list = org.coordinator.run(&["note", "list"]);
    assert_eq!(list.code, 3);
    assert!(list.stderr.contains("failed verification"), "{}", list.stderr);
}

#[test]
fn a_revocation_applies_by_the_devices_chain_not_by_its_numbers_alone() {
    let (org, proxy) = scene(|o| &o.coordinator);
    org.leader_b.write_and_sync(2);
    org.admin.run(&["admin", "revoke", "Leader B", "--yes"]).ok();
    let late = late_coordinator(&org, &proxy);
    // The thief signs another note as number 2 (within the trusted
    // numbers), and the server serves it instead of the real number 2.
    let notes = own_notes(&org.leader_b);
    let stolen = thief_note(&org.leader_b, 2, notes[0].hash(), "not what Leader B wrote");
    let stolen_id = stolen.header.note_id.to_string();
    serve_instead(&proxy, &notes[1], stolen);
    let run = late.run(&["--json", "sync"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let rejected = run.json()["rejected"].clone();
    assert_eq!(rejected[0][0], stolen_id.as_str(), "{rejected}");
    assert!(rejected[0][1].as_str().unwrap().contains("not part of the history the revocation trusts"), "{rejected}");
    let text = late.run(&["alerts"]);
    assert_eq!(text.code, 3);
    assert!(
        text.stdout.contains("not part of the history the revocation trusts (up to its note number 2)"),
        "{}",
        text.stdout
    );
    // Leader B's first note was sealed before this coordinator joined: held
    // here, but said to be unreadable, not refused or missing.
    let first = late.run(&["--json", "note", "show", &notes[0].header.note_id.to_string()]);
    assert_eq!(first.json()["state"], "not_addressed", "{}", first.stdout);
    let first = late.run(&["note", "show", &notes[0].header.note_id.to_string()]);
    assert!(
        first.stdout.contains("cannot be read here: it is not encrypted to this device")
            && first.stdout.contains("`visitnotes admin rewrap`"),
        "{}",
        first.stdout
    );
    // Shown as refused, with the reason (`ops::read::unshown_revision`), not as "no note".
    let shown = late.run(&["--json", "note", "show", &stolen_id]);
    assert_eq!(shown.code, 3, "{}", shown.stderr);
    assert_eq!(shown.json()["state"], "rejected");
    assert!(shown.json()["reason"].as_str().unwrap().contains("not part of the history"), "{}", shown.stdout);
}

/// Guards whose heads a device watches (`ops::heads::watched`: a leader
/// only its own user's devices, and only members still active): another
/// leader's head names notes this leader never receives, which must not
/// read as notes missing here. (A mutation run found that widening the
/// filter, `&&` to `||`, failed no test.)
#[test]
fn a_leader_is_not_warned_about_another_leaders_notes() {
    let org = Org::start();
    org.leader_b.write_and_sync(2);
    let run = org.leader_a.run(&["--json", "sync"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alerts = org.leader_a.run(&["--json", "alerts"]);
    assert!(alerts.alert_kinds().is_empty(), "{}", alerts.stdout);
    // The coordinator, who reads every note, holds both and is not warned either.
    let run = org.coordinator.sync();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Guards which devices a reader watches and when one counts as silent
/// (`ops::heads::watched` and `alerts`): with `VISITNOTES_SILENT_DAYS=0`
/// every watched device is "last heard from" as soon as its head is a
/// second old, counted in days (not seconds); a revoked device is no
/// longer watched (its silence is expected), nor is this device itself.
/// (Mutants in both functions survived the other tests.)
#[test]
fn a_revoked_device_and_this_one_are_not_watched_and_silence_counts_in_days() {
    let org = Org::start();
    org.leader_a.write_and_sync(1);
    org.leader_b.write_and_sync(1);
    org.admin.run(&["admin", "revoke", "Leader B", "--yes"]).ok();
    org.coordinator.sync();
    // A head signed in this very second is not silent yet, even at 0 days.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let silent = [("VISITNOTES_SILENT_DAYS", "0")];
    let alerts = org.coordinator.run_env(&silent, &["--json", "alerts"]).json();
    let named: Vec<(String, String)> = alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["kind"].as_str().unwrap().to_owned(), a["person"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert!(named.contains(&("silent_device".into(), "Leader A".into())), "{alerts}");
    assert!(named.iter().all(|(_, who)| who != "Leader B" && who != "Coordinator"), "{alerts}");
}

/// Guards the silence of a device never heard from (`ops::heads::alerts`,
/// the branch without any head): counted from when this device first
/// watched it, in days, against `VISITNOTES_SILENT_DAYS` (14 by default).
/// (Mutants of that comparison survived the other tests.)
#[test]
fn a_device_never_heard_from_is_named_once_watched_for_the_silent_days() {
    let org = Org::start();
    let nina = org.enrolled("Nina", "leader");
    // Nina's device never syncs: no head of hers ever reaches anyone.
    org.coordinator.sync();
    let ninas = |alerts: &serde_json::Value| -> Vec<serde_json::Value> {
        alerts["alerts"].as_array().unwrap().iter().filter(|a| a["person"] == "Nina").cloned().collect()
    };
    let now = org.coordinator.run(&["--json", "alerts"]).json();
    assert!(ninas(&now).is_empty(), "watched since just now: not silent yet: {now}");
    // 13 days on: not yet. 15 days on: silent since this device began
    // watching it.
    assert!(ninas(&org.coordinator.alerts_in(13)).is_empty());
    let later = ninas(&org.coordinator.alerts_in(15));
    assert_eq!(later.len(), 1, "{later:?}");
    assert_eq!(later[0]["kind"], "silent_device");
    let first = org.coordinator.unlock().store.first_watched(&nina.device_id()).unwrap().expect("watched");
    assert_eq!(later[0]["since"], visitnotes_core::ops::alerts::local_time(first).as_str(), "{later:?}");
}

/// The plan `admin revoke NAME` shows before it asks (exit code 1).
fn revoke_plan(admin: &Person, name: &str) -> String {
    let plan = admin.run(&["admin", "revoke", name]);
    assert_eq!(plan.code, 1, "asks first: {}", plan.stderr);
    plan.stdout
}

/// Guards which proof a revocation trusts (`ops::heads::verified_last`):
/// the device's signed head or the signed header of its newest note held
/// here, whichever numbers higher, and the head when both name the same
/// number. A server that holds back one of the two cannot lower the
/// number: it would have to hold back both. Then guards how a reader
/// applies that revocation (`ops::heads::apply_revocations`): when the
/// trusted number itself is held back, the notes below it cannot be
/// followed along the chain and stay as they are, not refused.
/// (A mutation run found that changing either comparison failed no test.)
#[test]
fn a_revocation_trusts_the_higher_of_the_devices_head_and_its_newest_note() {
    let (org, proxy) = scene(|o| &o.coordinator);
    proxy.divert(&org.admin);
    let b_device = org.leader_b.device_id();
    org.leader_b.write_and_sync(2);
    assert_eq!(org.admin.sync().code, 0);
    // Head and newest note both say 2: the head is what the plan names.
    let plan = revoke_plan(&org.admin, "Leader B");
    assert!(plan.contains("its notes up to number 2 stay trusted: it said so itself, signed "), "{plan}");

    // Note 3 reaches the server, which serves it but keeps serving the
    // device's older head (number 2): the note proves more.
    let notes = own_notes(&org.leader_b);
    let stale =
        signed_head(&org.leader_b, 2, &visitnotes_shared::hex(&notes[1].hash()), chrono::Utc::now().timestamp());
    org.leader_b.write_and_sync(1);
    serve_head_instead(&proxy, &b_device, stale);
    assert_eq!(org.admin.sync().code, 0);
    let plan = revoke_plan(&org.admin, "Leader B");
    assert!(
        plan.contains("its notes up to number 3 stay trusted: the newest this device verified, stored by the server "),
        "{plan}"
    );

    // The reverse: note 4 held back from the administrator, the head that
    // names it served. The head proves more.
    org.leader_b.write_and_sync(1);
    proxy.tamper(|path, v| {
        if is_pull(path) {
            v["notes"].as_array_mut().unwrap().retain(|n| n["sealed"]["header"]["device_seq"] != 4);
        }
    });
    let run = org.admin.sync();
    assert_eq!(run.code, 3, "note 4 is missing here: {}", run.stderr);
    let plan = revoke_plan(&org.admin, "Leader B");
    assert!(plan.contains("its notes up to number 4 stay trusted: it said so itself, signed "), "{plan}");
    let done = org.admin.run(&["--json", "admin", "revoke", "Leader B", "--yes"]).ok();
    let fourth = own_notes(&org.leader_b)[3].hash();
    assert_eq!(done.json()["trusted"]["seq"], 4);
    assert_eq!(done.json()["trusted"]["hash"], visitnotes_shared::hex(&fourth).as_str());

    // Note 4 still held back: the administrator cannot follow the chain
    // down from it, and keeps notes 1 to 3 rather than refusing them.
    let run = org.admin.run(&["--json", "sync"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(run.json()["rejected"], serde_json::json!([]), "{}", run.stdout);
    let kept = org.admin.unlock().store.accepted_tip(&b_device).unwrap().map(|(seq, ..)| seq);
    assert_eq!(kept, Some(3));
}

/// Guards the record of a revoked device that had sent nothing
/// (`ops::heads::verified_last`, and `DeviceStatus::Revoked`'s contract):
/// its own head says number 0, so no note of it is trusted and no hash is
/// recorded (not the chain's start). (A mutation run found that recording
/// the chain's start failed no test.)
#[test]
fn a_device_that_sent_nothing_is_revoked_with_no_hash_to_trust() {
    let org = Org::start();
    let plan = revoke_plan(&org.admin, "Leader A");
    assert!(plan.contains("it says it had sent no notes by "), "{plan}");
    let done = org.admin.run(&["--json", "admin", "revoke", "Leader A", "--yes"]).ok();
    assert_eq!(done.json()["trusted"]["seq"], 0);
    assert_eq!(done.json()["trusted"]["source"], "head");
    assert_eq!(done.json()["trusted"]["hash"], serde_json::Value::Null, "{}", done.stdout);
    let a_device = visitnotes_shared::DeviceId::parse(&org.leader_a.device_id()).unwrap();
    let roster = org.admin.roster();
    match &roster.device(&a_device).unwrap().1.status {
        visitnotes_shared::roster::DeviceStatus::Revoked {
            trusted_through_seq: 0, trusted_through_hash: None, ..
        } => {}
        other => panic!("{other:?}"),
    }
}

/// Guards how a reader follows a revoked device's chain down from the
/// trusted item (`ops::heads::apply_revocations`), number by number: a
/// thief's note served instead of a real one below the trusted number
/// (signed with the device's key, chained as the real one was) is
/// refused, because the real note above it names another hash. (A
/// mutation run found that losing the chain after its first step failed
/// no test.)
#[test]
fn a_thiefs_note_below_the_trusted_number_is_refused_by_following_the_chain() {
    let (org, proxy) = scene(|o| &o.coordinator);
    org.leader_b.write_and_sync(3);
    let done = org.admin.run(&["--json", "admin", "revoke", "Leader B", "--yes"]).ok();
    assert_eq!(done.json()["trusted"]["seq"], 3);
    let late = late_coordinator(&org, &proxy);
    // The thief signs another note 1 and the server serves it instead of
    // Leader B's first note.
    let notes = own_notes(&org.leader_b);
    let stolen = thief_note(&org.leader_b, 1, [0; 32], "not Leader B's first note");
    let stolen_id = stolen.header.note_id.to_string();
    serve_instead(&proxy, &notes[0], stolen);
    let run = late.run(&["--json", "sync"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(run.json()["rejected"].as_array().unwrap().len(), 1, "{}", run.stdout);
    assert_eq!(run.json()["rejected"][0][0], stolen_id.as_str(), "{}", run.stdout);
    // Leader B's real notes 2 and 3 stay.
    let kept: Vec<u64> = late
        .unlock()
        .store
        .accepted_chain(&org.leader_b.device_id(), 3)
        .unwrap()
        .into_iter()
        .map(|(seq, ..)| seq)
        .collect();
    assert_eq!(kept, [3, 2]);
}

/// Guards the same walk when two items share the trusted number: the
/// server serves a thief's note 2 where the real one was, then the real
/// one as if its content were purged (a withheld copy is checked by its
/// signed header only), so the coordinator holds both. The chain names the
/// real one by its hash; the thief's is refused whichever of the two is
/// read first.
#[test]
fn a_thiefs_note_beside_the_real_one_under_the_trusted_number_is_refused() {
    let (org, proxy) = scene(|o| &o.coordinator);
    org.leader_b.write_and_sync(2);
    let done = org.admin.run(&["--json", "admin", "revoke", "Leader B", "--yes"]).ok();
    assert_eq!(done.json()["trusted"]["seq"], 2);
    let notes = own_notes(&org.leader_b);
    let stolen = thief_note(&org.leader_b, 2, notes[0].hash(), "a second note 2");
    let stolen_id = stolen.header.note_id.to_string();
    let mut real = serde_json::to_value(&notes[1]).unwrap();
    real["age"] = "".into();
    let real_id = notes[1].header.note_id.to_string();
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            let served = v["notes"].as_array_mut().unwrap();
            for n in served.iter_mut() {
                if n["sealed"]["header"]["note_id"] == real_id.as_str() {
                    n["sealed"] = serde_json::to_value(&stolen).unwrap();
                }
            }
            served.push(serde_json::json!({ "seq": 9999, "received_at": 0, "sealed": real, "withheld": "purged" }));
        }
    });
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let refused: Vec<String> =
        run.json()["rejected"].as_array().unwrap().iter().map(|r| r[0].as_str().unwrap().to_owned()).collect();
    assert_eq!(refused, [stolen_id], "{}", run.stdout);
    let kept: Vec<String> = org
        .coordinator
        .unlock()
        .store
        .accepted_chain(&org.leader_b.device_id(), 2)
        .unwrap()
        .into_iter()
        .map(|(_, _, header)| header.note_id.to_string())
        .collect();
    assert_eq!(kept, [notes[1].header.note_id.to_string(), notes[0].header.note_id.to_string()], "{}", run.stdout);
}

/// Guards the rollback check when a refused copy is served again
/// (`ops::sync::take`): a copy is checked afresh then (the right one
/// served again ends the alert), but not beside another item its device
/// signed under the same number and accepted here. A second note 2 signed
/// with Leader A's key (a copy of it) came first; the real note 2, refused
/// as a rollback, stays refused when served again, and the alert open.
#[test]
fn a_copy_refused_as_a_rollback_stays_refused_when_served_again() {
    let (org, proxy) = scene(|o| &o.coordinator);
    org.leader_a.write_and_sync(2);
    let notes = own_notes(&org.leader_a);
    let forged = thief_note(&org.leader_a, 2, notes[0].hash(), "a second note 2");
    let real = notes[1].clone();
    let real_id = real.header.note_id.to_string();
    let first = real_id.clone();
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            let served = v["notes"].as_array_mut().unwrap();
            for n in served.iter_mut() {
                if n["sealed"]["header"]["note_id"] == first.as_str() {
                    n["sealed"] = serde_json::to_value(&forged).unwrap();
                }
            }
            for seq in [9998, 9999] {
                served.push(serde_json::json!({ "seq": seq, "received_at": 0, "sealed": real }));
            }
        }
    });
    let run = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let rejected = run.json()["rejected"].clone();
    assert_eq!(rejected.as_array().unwrap().len(), 1, "{rejected}");
    assert_eq!(rejected[0][0], real_id.as_str(), "{rejected}");
    assert!(rejected[0][1].as_str().unwrap().contains("rollback"), "{rejected}");
    let shown = org.coordinator.run(&["--json", "note", "show", &real_id]);
    assert_eq!(shown.json()["state"], "rejected", "{}", shown.stdout);
}
