//! Delivery receipts (issue 14, item 2): a leader sees which coordinators
//! have received each note, and is warned when one has waited too long for
//! any (3 days; 1 day with an urgent concern): a server that hides a note
//! from the coordinators is exposed to its author. Receipts the server
//! forges do not count.

use crate::harness::proxy::{is_pull, scene};
use crate::harness::*;
use serde_json::Value;

/// (note id, the names of the coordinators who received it) for each note listed.
fn received(p: &Person) -> Vec<(String, Value)> {
    let run = p.run(&["--json", "note", "list"]);
    run.json()["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["note_id"].as_str().unwrap().to_owned(), n["received_by"].clone()))
        .collect()
}

/// Makes `p`'s device believe it sent note `id` `days` days ago.
fn sent_days_ago(p: &Person, id: &str, days: i64) {
    let store = rusqlite::Connection::open(p.home.join("store.sqlite3")).unwrap();
    let at = chrono::Utc::now().timestamp() - days * 86_400;
    let changed =
        store.execute("UPDATE notes SET received_at = ?1 WHERE note_id = ?2", rusqlite::params![at, id]).unwrap();
    assert_eq!(changed, 1);
}

/// The notes `p`'s `alerts` names as waiting too long for a receipt, with `env` set.
fn no_receipt_notes(p: &Person, env: &[(&str, &str)]) -> Vec<String> {
    let json = p.run_env(env, &["--json", "alerts"]).json();
    json["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "no_receipt")
        .map(|a| a["note_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_leader_sees_which_coordinators_received_each_note() {
    let org = Org::start();
    let second = org.add_member("Coordinator Two", "coordinator");
    let calm = org.leader_a.write(&["--unit", "Unit A", "--met", "1"]);
    let urgent = org.leader_a.write(&["--unit", "Unit A", "--met", "2", "--concern", "urgent:consent:needs a doctor"]);
    org.leader_a.sync().ok();
    let sorted = |mut v: Vec<(String, Value)>| {
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let received = |p: &Person| sorted(received(p));
    let nobody = serde_json::json!([]);
    assert_eq!(received(&org.leader_a), sorted(vec![(calm.clone(), nobody.clone()), (urgent.clone(), nobody)]));
    let list = org.leader_a.run(&["note", "list"]).ok();
    assert!(list.stdout.contains("(no coordinator has confirmed it yet)"), "{}", list.stdout);

    org.coordinator.sync().ok();
    org.leader_a.sync().ok();
    let one = serde_json::json!(["Coordinator"]);
    assert_eq!(received(&org.leader_a), sorted(vec![(calm.clone(), one.clone()), (urgent.clone(), one)]));
    second.sync().ok();
    org.leader_a.sync().ok();
    let both = serde_json::json!(["Coordinator", "Coordinator Two"]);
    assert_eq!(received(&org.leader_a), sorted(vec![(calm, both.clone()), (urgent, both)]));
    let list = org.leader_a.run(&["note", "list"]).ok();
    assert!(list.stdout.contains("Leader A (received by Coordinator, Coordinator Two)"), "{}", list.stdout);
    // Only the author sees it: others' notes carry no delivery.
    let coordinator = org.coordinator.run(&["--json", "note", "list"]).ok();
    assert!(coordinator.json()["notes"].as_array().unwrap().iter().all(|n| n["received_by"].is_null()));
}

#[test]
fn a_note_hidden_from_the_coordinators_warns_its_author_in_time() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let delivered = org.leader_a.write(&["--unit", "Unit A", "--met", "3"]);
    let normal = org.leader_a.write(&["--unit", "Unit A", "--met", "1"]);
    let urgent = org.leader_a.write(&["--unit", "Unit A", "--met", "2", "--concern", "urgent:consent:needs a doctor"]);
    let recent = org.leader_a.write(&["--unit", "Unit B", "--met", "4"]);
    org.leader_a.sync().ok();
    // The server keeps the newest three from the coordinator (held back and
    // released later, an older one would be refused as a rollback).
    let hidden = [normal.clone(), urgent.clone(), recent.clone()];
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            v["notes"]
                .as_array_mut()
                .unwrap()
                .retain(|n| !hidden.iter().any(|id| n["sealed"]["header"]["note_id"] == id.as_str()));
        }
    });
    org.coordinator.sync();
    // Time passes: 4 days since `normal` and `delivered` were sent, 2 since
    // `urgent` and `recent`.
    for (id, days) in [(&normal, 4), (&delivered, 4), (&urgent, 2), (&recent, 2)] {
        sent_days_ago(&org.leader_a, id, days);
    }
    let run = org.leader_a.sync();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("No coordinator has confirmed receiving the note of the visit on").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(", with an urgent concern, sent on")
            && run.stderr.contains("pass on the urgent concern another way now"),
        "{}",
        run.stderr
    );
    let mut warned = no_receipt_notes(&org.leader_a, &[]);
    warned.sort();
    let mut expected = vec![normal.clone(), urgent.clone()];
    expected.sort();
    assert_eq!(warned, expected, "not `delivered` (received), not `recent` (2 days, not urgent)");
    // Urgent notes may wait 3 days where so set, counted in days: the 2-day-old one is not late.
    let warned = no_receipt_notes(&org.leader_a, &[("VISITNOTES_URGENT_RECEIPT_DAYS", "3")]);
    assert_eq!(warned, std::slice::from_ref(&normal));
    let list = org.leader_a.run(&["note", "list"]);
    assert_eq!(list.code, 3);
    assert!(list.stdout.contains("(received by Coordinator)"), "{}", list.stdout);

    // The server forges a receipt that covers everything, with the right
    // hash of the newest note (it knows every header): it does not count.
    let newest = org.leader_a.unlock().store.chain_tip(&org.leader_a.unlock().config.device_id.to_string()).unwrap();
    let (through, hash) = newest.map(|(seq, hash)| (seq, visitnotes_shared::hex(&hash))).unwrap();
    assert_eq!(through, 4);
    proxy.divert(&org.leader_a);
    proxy.tamper(move |path, v| {
        if path == "/v1/receipts" {
            for r in v["receipts"].as_array_mut().unwrap() {
                r["receipt"]["through_seq"] = through.into();
                r["receipt"]["chain_hash"] = hash.clone().into();
            }
        }
    });
    let run = org.leader_a.sync();
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("The server served a delivery receipt in the name of Coordinator that was refused"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("No coordinator has confirmed receiving").count(), 2, "{}", run.stderr);

    // The server stops hiding: the coordinator gets them, the warnings end.
    proxy.honest();
    org.coordinator.run(&["sync", "--from-start"]).ok();
    let run = org.leader_a.sync();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Guards who can confirm a note (`ops::receipts::alerts`): only another
/// active member's active device with the coordinator role. The only
/// coordinator's own note waits for nobody and is not warned about, however
/// old; once another coordinator is enrolled (here one that never syncs),
/// it is. (A mutation run found that widening "another coordinator" to
/// anyone failed no test.)
#[test]
fn the_only_coordinators_own_note_is_not_warned_about_until_another_coordinator_joins() {
    let org = Org::start();
    let own = org.coordinator.write(&["--unit", "Unit A", "--met", "1"]);
    org.coordinator.sync().ok();
    org.leader_a.sync().ok();
    sent_days_ago(&org.coordinator, &own, 4);
    let kinds = |p: &Person| p.run(&["--json", "alerts"]).alert_kinds();
    assert!(kinds(&org.coordinator).is_empty(), "nobody else can confirm it yet");

    org.enrolled("Coordinator Two", "coordinator");
    org.coordinator.sync();
    assert_eq!(kinds(&org.coordinator), ["no_receipt"]);
}

/// Which notes wait for a receipt (`ops::receipts::alerts` over
/// `read::latest_of`): the current revision of a note, not a deletion: a
/// note its author deleted before any coordinator received it is not
/// warned about.
#[test]
fn a_deleted_note_does_not_wait_for_a_receipt() {
    let org = Org::start();
    let kept = org.leader_a.write(&["--unit", "Unit A", "--met", "1"]);
    let gone = org.leader_a.write(&["--unit", "Unit A", "--met", "2"]);
    org.leader_a.sync().ok();
    org.leader_a.run(&["note", "delete", &gone]).ok();
    org.leader_a.sync().ok();
    // No coordinator syncs; 4 days pass.
    let store = rusqlite::Connection::open(org.leader_a.home.join("store.sqlite3")).unwrap();
    store.execute("UPDATE notes SET received_at = ?1", [chrono::Utc::now().timestamp() - 4 * 86_400]).unwrap();
    assert_eq!(no_receipt_notes(&org.leader_a, &[]), [kept]);
}
