//! Coordinators' follow-up records on concerns, with the real client against the real server: who gets them, what they
//! change (the report, `concern list`, `note show`) and what they do not
//! (the leader's note); a leader can neither record one nor pass one off.

use crate::harness::proxy::Proxy;
use crate::harness::*;
use serde_json::Value;
use visitnotes_shared::envelope::{seal_follow_up, Kind, SealParams};
use visitnotes_shared::follow_up::{concern_digest, FollowUpEntry, FollowUpRecord};
use visitnotes_shared::note::FollowUp;
use visitnotes_shared::roster::Role;
use visitnotes_shared::NoteId;

/// The follow-up records in a person's local store: the newest revision of each.
fn records_held(p: &Person) -> Vec<FollowUpRecord> {
    let mut held: std::collections::BTreeMap<String, FollowUpRecord> = Default::default();
    for row in p.unlock().store.all_rows().unwrap() {
        if let Some(record) = row.follow_up {
            held.insert(row.sealed.header.note_id.to_string(), record);
        }
    }
    held.into_values().collect()
}

#[test]
fn a_follow_up_reaches_the_coordinators_and_the_author_and_closes_the_concern_in_reports() {
    let org = Org::start();
    let second = org.add_member("Second Coordinator", "coordinator");
    // Everyone learns of the second coordinator first: notes are encrypted
    // to the coordinators of the writer's roster.
    for p in [&org.leader_a, &org.leader_b, &org.coordinator] {
        p.sync().ok();
    }
    let a_note = org.leader_a.write(&TWO_CONCERNS);
    let b_note =
        org.leader_b.write(&["--date", "2026-03-03", "--unit", "Unit B", "--met", "2", "--concern", "high:lock-in"]);
    org.leader_a.sync().ok();
    org.leader_b.sync().ok();
    org.coordinator.sync().ok();

    let listed = org.coordinator.run(&["--json", "concern", "list"]).ok().json();
    let concerns = listed["concerns"].as_array().unwrap();
    assert_eq!(concerns.len(), 3, "{listed}");
    assert_eq!(
        (&concerns[0]["note_id"], &concerns[0]["concern"], &concerns[0]["severity"]),
        (&Value::from(a_note.as_str()), &Value::from(1), &Value::from("urgent"))
    );
    assert_eq!(
        (&concerns[0]["status"], &concerns[0]["by"], &concerns[0]["author"]),
        (&"open".into(), &Value::Null, &"Leader A".into())
    );

    // First a record on leader B's note: leader A never gets that number
    // of the coordinator's device sequence, and must not take it for a gap.
    org.coordinator
        .run(&["concern", "follow-up", &b_note[..8], "1", "--status", "in-progress", "--date", "2026-03-04"])
        .ok();
    let first = org
        .coordinator
        .run(&[
            "--json",
            "concern",
            "follow-up",
            &a_note[..8],
            "1",
            "--status",
            "in-progress",
            "--date",
            "03.03.2026",
            "--text",
            "Asked the health service",
        ])
        .ok()
        .json();
    assert_eq!((&first["revision"], &first["state"]), (&Value::from(1), &Value::from("outbox")));
    let closed = org.coordinator.run(&[
        "concern",
        "follow-up",
        &a_note,
        "1",
        "--status",
        "closed",
        "--date",
        "05/03/2026",
        "--text",
        "Seen by a doctor",
    ]);
    let said = closed.ok().stdout;
    assert!(
        said.contains("concern 1 (urgent) of the note of the visit on 2026-03-02 to Unit A by Leader A is closed as of 2026-03-05")
            && said.contains("the note itself is unchanged"),
        "{said}"
    );
    org.coordinator.sync().ok();

    // The server holds three records and the notes as they were written:
    // one row per note, none of the text.
    assert_eq!(org.cluster.number("SELECT COUNT(*) FROM notes WHERE kind = 2"), 3);
    assert_eq!(org.cluster.number("SELECT COUNT(*) FROM notes WHERE kind = 0"), 2);
    assert!(!contains(&all_bytes(&org.cluster.data()), "Seen by a doctor"));

    // The second coordinator sees the history under the concern; the note is unchanged.
    second.sync().ok();
    let shown = second.run(&["--json", "note", "show", &a_note]).ok().json();
    assert_eq!(shown["revision"], 1);
    assert_eq!(
        (&shown["note"]["concerns"][0]["follow_up"], &shown["note"]["concerns"][0]["closed_on"]),
        (&"open".into(), &Value::Null)
    );
    let follow_ups = shown["follow_ups"].as_array().unwrap();
    assert_eq!(follow_ups.len(), 1, "{shown}");
    assert_eq!(follow_ups[0]["concern"], 1);
    assert_eq!(follow_ups[0]["history"].as_array().unwrap().len(), 2);
    let current = &follow_ups[0]["current"];
    assert_eq!(
        (&current["status"], &current["date"], &current["by"]),
        (&"closed".into(), &"2026-03-05".into(), &"Coordinator".into())
    );
    let text = second.run(&["note", "show", &a_note]).ok().stdout;
    assert!(text.contains("# Follow-up recorded by coordinators"), "{text}");
    assert!(text.contains("closed on 2026-03-05 by Coordinator") && text.contains(": Seen by a doctor"), "{text}");

    // The note's author sees it too, without a gap warning.
    let synced = org.leader_a.run(&["--json", "sync"]);
    assert_eq!(synced.code, 0, "{}{}", synced.stdout, synced.stderr);
    assert_eq!(synced.json()["gaps"], serde_json::json!([]));
    // Its cursor now stands on a coordinator's record: the server counts
    // that record among what the leader may see, so the next sync does not
    // take the store for one restored from an older backup.
    let again = org.leader_a.run(&["sync"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(!again.stderr.contains("restored"), "{}", again.stderr);
    let shown = org.leader_a.run(&["--json", "note", "show", &a_note[..8]]).ok().json();
    assert_eq!(shown["follow_ups"][0]["current"]["status"], "closed");
    // Two records, one per entry, both about the note.
    let held = records_held(&org.leader_a);
    assert_eq!(held.len(), 2);
    assert!(held.iter().all(|r| r.note_id.as_str() == a_note && r.entries.len() == 1), "{held:?}");

    // Another leader gets only the record on its own note.
    org.leader_b.sync().ok();
    let held = records_held(&org.leader_b);
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].note_id.as_str(), b_note);
    let listed = org.leader_b.run(&["--json", "concern", "list"]).ok().json();
    assert_eq!(listed["concerns"][0]["status"], "in_progress");
    assert_eq!(listed["concerns"][0]["by"], "Coordinator");

    // The report counts the concern closed, 3 days after the visit.
    let report = second.run(&["--json", "report", "--from", "2026-01-01", "--to", "2026-12-31"]).ok().json();
    let c = &report["concerns"];
    assert_eq!(c["by_status"], serde_json::json!({ "open": 1, "in_progress": 1, "closed": 1 }));
    assert_eq!(c["days_to_closure"], serde_json::json!({ "count": 1, "median": 3.0, "max": 3 }));
    assert_eq!(c["with_follow_up_record"], 2);
    // `concern list` shows what is not closed; --all the closed one too.
    let open = second.run(&["--json", "concern", "list"]).ok().json();
    assert_eq!(open["concerns"].as_array().unwrap().len(), 2);
    let all = second.run(&["concern", "list", "--all"]).ok().stdout;
    assert!(all.contains("closed on 2026-03-05 by Coordinator") && all.contains("3 concerns"), "{all}");
}

#[test]
fn a_follow_up_for_a_note_not_received_is_kept_and_said() {
    let org = Org::start();
    let note = org.leader_a.write(&["--date", "2026-03-02", "--unit", "Unit A", "--met", "1", "--concern", "high:x"]);
    org.leader_a.sync().ok();
    // A coordinator who joins now: the note is not encrypted to it (until a
    // rewrap); the record, written after it joined, is.
    let late = org.add_member("Late Coordinator", "coordinator");
    org.coordinator.sync().ok();
    org.coordinator.run(&["concern", "follow-up", &note, "1", "--status", "closed", "--date", "2026-03-02"]).ok();
    org.coordinator.sync().ok();
    late.sync().ok();
    let listed = late.run(&["--json", "concern", "list"]).ok().json();
    assert_eq!(listed["concerns"], serde_json::json!([]));
    assert_eq!(listed["follow_ups_apart"][0]["why"], "note_not_received", "{listed}");
    let text = late.run(&["concern", "list"]).ok().stdout;
    assert!(text.contains("for a note not (yet) received on this device"), "{text}");
}

#[test]
fn a_leader_cannot_record_a_follow_up_nor_pass_one_off() {
    let org = Org::start();
    let proxy = Proxy::start(&org.cluster);
    proxy.divert(&org.coordinator);
    let note = org.leader_a.write(&["--date", "2026-03-02", "--unit", "Unit A", "--met", "1", "--concern", "urgent:x"]);
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();

    // The client refuses a leader, with its own error code.
    let refused = org.leader_a.run(&["concern", "follow-up", &note, "1", "--status", "closed"]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("only coordinators record follow-up"), "{}", refused.stderr);
    let refused = org.leader_b.run(&["--json", "concern", "follow-up", &note, "1", "--status", "closed"]);
    assert!(refused.stderr.contains("\"not_coordinator\""), "{}", refused.stderr);

    // Leader B makes one anyway, closing leader A's concern, signed under a
    // roster of its own that calls it a coordinator.
    let b = org.leader_b.unlock();
    let concern = org.leader_a.unlock().store.all_rows().unwrap()[0].note.clone().unwrap().concerns[0].clone();
    let a_user = org.leader_a.unlock().config.user_id;
    let mut roster = b.roster().unwrap();
    roster.members.iter_mut().find(|m| m.user_id == b.config.user_id).unwrap().roles.insert(Role::Coordinator);
    let record = FollowUpRecord {
        schema_version: 1,
        note_id: NoteId::parse(&note).unwrap(),
        note_revision: 1,
        concern: 1,
        concern_sha256: concern_digest(&concern),
        entries: vec![FollowUpEntry {
            status: FollowUp::Closed,
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            text: "nothing to do".into(),
            recorded_at: 0,
        }],
    };
    let params = SealParams { note_id: NoteId::random(), revision: 1, prev_hash: None, device_seq: 1 };
    let forged = seal_follow_up(&record, &a_user, &params, [0; 32], &roster, &b.secrets.device).unwrap();
    assert_eq!(forged.header.kind, Kind::FollowUp);
    // The server refuses it from leader B's device.
    let err = b.api().unwrap().upload(&b.secrets.device, &[&forged], None).unwrap_err();
    assert_eq!(err.status(), Some(403), "{err}");
    assert_eq!(org.cluster.number("SELECT COUNT(*) FROM notes WHERE kind = 2"), 0);

    // A server that serves it anyway: the coordinator rejects it.
    let forged_id = forged.header.note_id.to_string();
    proxy.serve_also(forged);
    let run = org.coordinator.run(&["--json", "sync"]);
    proxy.honest();
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    let rejected = run.json()["rejected"].clone();
    assert_eq!(rejected[0][0], forged_id.as_str(), "{rejected}");
    assert!(rejected[0][1].as_str().unwrap().contains("not a coordinator"), "{rejected}");

    // Not shown, not counted, and said: the concern stays open.
    let listed = org.coordinator.run(&["--json", "concern", "list"]);
    assert_eq!(listed.code, 3);
    let listed = listed.json();
    assert_eq!((&listed["concerns"][0]["status"], &listed["concerns"][0]["by"]), (&"open".into(), &Value::Null));
    assert!(
        listed["alerts"].as_array().unwrap().iter().any(|a| a["kind"] == "rejected_follow_up"
            && a["what"].as_str().unwrap().contains("signed as Leader B on a note by Leader A")),
        "{listed}"
    );
    let report = org.coordinator.run(&["--json", "report", "--from", "2026-01-01", "--to", "2026-12-31"]);
    assert_eq!(report.code, 3);
    let report = report.json();
    assert_eq!(report["concerns"]["by_status"], serde_json::json!({ "open": 1 }));
    assert_eq!(report["concerns"]["with_follow_up_record"], 0);
    assert!(report["excluded"][0]["reason"].as_str().unwrap().contains("follow-up record"), "{report}");
    // And the note on the server is the one its leader wrote.
    assert_eq!(org.cluster.number("SELECT COUNT(*) FROM notes"), 1);
}

/// What the server stores of a follow-up record, less what differs for
/// every record anyway (its id, hashes, signature, device sequence number,
/// times, and the random part of the age header).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct StoredRecord {
    revision: i64,
    names_a_previous_revision: bool,
    replaced_by_a_later_one: bool,
    coordinator: String,
    device: String,
    roster_version: i64,
    /// The size of its encrypted payload.
    payload: usize,
}

/// What the server stores of the follow-up records about `author`'s notes,
/// sorted, and how many distinct record ids they have.
fn server_view_of_records_about(org: &Org, author: &Person) -> (Vec<StoredRecord>, i64) {
    let user = author.user_id();
    let db = org.cluster.db();
    let mut stmt = db
        .prepare(
            "SELECT revision, prev_hash IS NOT NULL, superseded_at IS NOT NULL, hex(author), hex(device_id),
                    roster_version, age
             FROM notes WHERE kind = 2 AND note_author = unhex(?1)",
        )
        .unwrap();
    let mut rows: Vec<StoredRecord> = stmt
        .query_map([&user], |r| {
            let age: Vec<u8> = r.get(6)?;
            Ok(StoredRecord {
                revision: r.get(0)?,
                names_a_previous_revision: r.get(1)?,
                replaced_by_a_later_one: r.get(2)?,
                coordinator: r.get(3)?,
                device: r.get(4)?,
                roster_version: r.get(5)?,
                payload: age.len() - visitnotes_shared::age_header::read(&age).unwrap().payload_at,
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.sort();
    let ids = db
        .query_row(
            "SELECT COUNT(DISTINCT note_id) FROM notes WHERE kind = 2 AND note_author = unhex(?1)",
            [&user],
            |r| r.get(0),
        )
        .unwrap();
    (rows, ids)
}

#[test]
fn two_steps_on_one_concern_look_to_the_server_like_one_step_on_each_of_two() {
    let org = Org::start();
    let one = org.leader_a.write(&[
        "--date",
        "2026-03-02",
        "--unit",
        "Unit A",
        "--met",
        "3",
        "--concern",
        "high:asked for a doctor",
    ]);
    let two = org.leader_b.write(&[
        "--date",
        "2026-03-03",
        "--unit",
        "Unit B",
        "--met",
        "4",
        "--concern",
        "high:no soap",
        "--concern",
        "low:no phone in the evening",
    ]);
    org.leader_a.sync().ok();
    org.leader_b.sync().ok();
    org.coordinator.sync().ok();
    let follow_up = |note: &str, concern: &str, status: &str, text: &str| {
        org.coordinator
            .run(&["concern", "follow-up", note, concern, "--status", status, "--date", "2026-03-05", "--text", text])
            .ok();
    };
    // Leader A's one concern: asked, then closed, with a long account.
    follow_up(&one, "1", "in-progress", "Asked");
    follow_up(&one, "1", "closed", &"Seen by a doctor, who will come back next week. ".repeat(38));
    // Leader B's two concerns: one step each.
    follow_up(&two, "1", "closed", "Soap came");
    follow_up(&two, "2", "in-progress", "Asked the director about the phone hours");
    org.coordinator.sync().ok();

    let about_a = server_view_of_records_about(&org, &org.leader_a);
    let about_b = server_view_of_records_about(&org, &org.leader_b);
    assert_eq!(about_a.0.len(), 2, "{about_a:?}");
    assert_eq!(about_a, about_b, "the server tells the two apart");
    assert_eq!(about_a.1, 2, "two records, two ids");

    // Each leader's device puts the entries under the right concern.
    org.leader_a.sync().ok();
    org.leader_b.sync().ok();
    let shown = org.leader_a.run(&["--json", "note", "show", &one]).ok().json();
    let follow_ups = shown["follow_ups"].as_array().unwrap();
    assert_eq!(follow_ups.len(), 1, "{shown}");
    assert_eq!((&follow_ups[0]["concern"], &follow_ups[0]["current"]["status"]), (&Value::from(1), &"closed".into()));
    assert_eq!(follow_ups[0]["history"].as_array().unwrap().len(), 2);
    let shown = org.leader_b.run(&["--json", "note", "show", &two]).ok().json();
    let follow_ups = shown["follow_ups"].as_array().unwrap();
    let placed: Vec<(i64, usize)> =
        follow_ups.iter().map(|f| (f["concern"].as_i64().unwrap(), f["history"].as_array().unwrap().len())).collect();
    assert_eq!(placed, vec![(1, 1), (2, 1)], "{shown}");
}
