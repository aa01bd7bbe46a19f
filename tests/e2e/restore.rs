//! A server restored from an older backup is noticed, and gets back what
//! it lost.
//! The real server, backed up while it serves and restored on the same
//! address; the real `visitnotes` binary on each person's device.

use crate::harness::*;

/// Writes a note with a visit date and a unit; returns its id.
fn note(person: &Person, date: &str, unit: &str) -> String {
    person.write(&["--date", date, "--unit", unit, "--met", "2", "--summary", "restore test"])
}

/// The ids of the notes `person` lists (readable, not deleted).
fn listed(person: &Person) -> Vec<String> {
    let run = person.run(&["--json", "note", "list"]);
    assert!(run.code == 0 || run.code == 3, "{}", run.stderr);
    let list = run.json();
    let mut ids: Vec<String> =
        list["notes"].as_array().unwrap().iter().map(|n| n["note_id"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    ids
}

fn sorted(ids: &[&String]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|s| (*s).clone()).collect();
    ids.sort();
    ids
}

/// The note ids the server holds.
fn on_server(cluster: &Cluster) -> Vec<String> {
    let db = cluster.db();
    let mut stmt = db.prepare("SELECT DISTINCT lower(hex(note_id)) FROM notes ORDER BY 1").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_server_restored_from_an_older_backup_is_noticed_and_gets_back_what_it_lost() {
    let mut org = Org::start();
    let a1 = note(&org.leader_a, "2026-10-02", "Unit A");
    let a2 = note(&org.leader_a, "2026-10-09", "Unit B");
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();
    let backup = org.cluster.backup("before");
    let old_roster = org.cluster.roster_version();

    // After the backup: notes under the same roster, then a new member and
    // a note under the newer roster.
    let a3 = note(&org.leader_a, "2026-10-16", "Unit A");
    let a4 = note(&org.leader_a, "2026-10-23", "Unit A");
    let a5 = note(&org.leader_a, "2026-10-27", "Unit B");
    org.leader_a.sync().ok();
    let b1 = note(&org.leader_b, "2026-10-20", "Unit B");
    org.leader_b.sync().ok();
    let leader_c = org.add_member("Leader C", "leader");
    let c1 = note(&leader_c, "2026-10-25", "Unit A");
    leader_c.sync().ok();
    // The administrator's sync signs a checkpoint of the audit log as it
    // is now, past what the backup holds.
    org.admin.sync().ok();
    org.leader_a.sync().ok();
    let a6 = note(&org.leader_a, "2026-10-30", "Unit A");
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();
    let everything = sorted(&[&a1, &a2, &a3, &a4, &a5, &a6, &b1, &c1]);
    assert_eq!(listed(&org.coordinator), everything);
    let new_roster = org.cluster.roster_version();
    assert!(new_roster > old_roster);

    org.cluster.restore(&backup);
    assert_eq!(on_server(&org.cluster), sorted(&[&a1, &a2]), "the backup holds only the first two");
    assert_eq!(org.cluster.roster_version(), old_roster);

    // Leader A before any administrator: the server's roster is older, so
    // what it can check goes up again (A3 to A5), A6 (sealed under the
    // newer roster) waits; a WARNING and exit 3.
    let first = org.leader_a.sync();
    assert_eq!(first.code, 3, "{first}");
    assert!(first.stderr.contains("restored from an older backup"), "{first}");
    assert!(first.stderr.contains("older list of members"), "{first}");
    assert!(
        first.stderr.contains("administrator to open Visitnotes and press Sync now")
            && first.stderr.contains("On an administrator's device: visitnotes sync"),
        "{first}"
    );
    assert!(
        first.stdout.contains("3 notes the server had lost were uploaded again: visit 16 Oct 2026 to Unit A; visit 23 Oct 2026 to Unit A; visit 27 Oct 2026 to Unit B"),
        "{}",
        first
    );
    assert!(first.stdout.contains("1 note waits on this device"), "{first}");
    assert_eq!(on_server(&org.cluster), sorted(&[&a1, &a2, &a3, &a4, &a5]));
    assert_eq!(listed(&org.leader_a), sorted(&[&a1, &a2, &a3, &a4, &a5, &a6]), "nothing dropped on the device");
    assert_eq!(org.leader_a.run(&["alerts"]).code, 3, "the older roster stays an alert");
    assert_eq!(org.leader_a.unlock().roster().unwrap().version, new_roster, "notes are sealed under the newer one");

    // The administrator's sync publishes the newest roster again, unchanged.
    let admin = org.admin.sync();
    assert_eq!(admin.code, 3, "{admin}");
    assert!(admin.stderr.contains("published the current one"), "{admin}");
    // Its audit checkpoint covered entries the backup does not hold: said
    // once, and signed again over the log as it is (the last loop below
    // syncs it clean).
    assert!(admin.stderr.contains("audit log was restored with it"), "{admin}");
    assert_eq!(org.cluster.roster_version(), new_roster);
    let signed = |db: &rusqlite::Connection| -> (String, String) {
        db.query_row("SELECT body, signature FROM rosters WHERE version = ?1", [new_roster], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    };
    let held = org.admin.unlock().store.latest_roster().unwrap().unwrap();
    assert_eq!(signed(&org.cluster.db()), (held.body, held.signature), "the same signed bytes");

    // Leader A again: A6 goes up now, without a second warning.
    let again = org.leader_a.sync();
    assert_eq!(again.code, 0, "{again}");
    assert!(
        again.stdout.contains("1 note the server had lost was uploaded again: visit 30 Oct 2026 to Unit A"),
        "{}",
        again
    );

    // Leader C enrolled after the backup: the republished roster brought
    // the device back, and its note goes up again.
    let c = leader_c.sync();
    assert_eq!(c.code, 3, "{c}");
    assert!(c.stdout.contains("1 note the server had lost was uploaded again: visit 25 Oct 2026 to Unit A"), "{}", c);
    let b = org.leader_b.sync();
    assert_eq!(b.code, 3, "{b}");
    assert!(b.stdout.contains("visit 20 Oct 2026 to Unit B"), "{b}");
    assert_eq!(on_server(&org.cluster), everything, "the server has every note again");

    // The coordinator: WARNING and exit 3 once, everything kept, then clean.
    let coordinator = org.coordinator.sync();
    assert_eq!(coordinator.code, 3, "{coordinator}");
    assert!(coordinator.stderr.contains("WARNING: The server seems to have been restored"), "{coordinator}");
    assert!(coordinator.stderr.contains("pulled everything again"), "{coordinator}");
    assert_eq!(listed(&org.coordinator), everything);
    let clean = org.coordinator.sync();
    assert_eq!(clean.code, 0, "{clean}");
    assert!(!clean.stderr.contains("WARNING"), "{clean}");
    assert!(org.coordinator.run(&["alerts"]).ok().stdout.contains("No alerts"));
    assert_eq!(listed(&org.coordinator), everything);
    for person in [&org.leader_a, &org.leader_b, &leader_c, &org.admin] {
        let run = person.sync();
        assert_eq!(run.code, 0, "{}: {}", person.name, run);
    }
}

#[test]
fn a_restored_server_that_took_new_notes_past_the_old_cursor_is_noticed() {
    let mut org = Org::start();
    let a1 = note(&org.leader_a, "2026-10-01", "Unit A");
    let a2 = note(&org.leader_a, "2026-10-02", "Unit A");
    org.leader_a.sync().ok();
    let backup = org.cluster.backup("before");
    let a3 = note(&org.leader_a, "2026-10-03", "Unit B");
    let a4 = note(&org.leader_a, "2026-10-04", "Unit B");
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();
    let cursor = org.cluster.db().query_row("SELECT MAX(seq) FROM notes", [], |r| r.get::<_, u64>(0)).unwrap();

    org.cluster.restore(&backup);
    // Leader B writes first: the restored server numbers these notes from
    // where the backup ended, past the coordinator's cursor; the ones at
    // or below it would never come with a pull since the cursor.
    let b: Vec<String> = (1..=3).map(|day| note(&org.leader_b, &format!("2026-10-1{day}"), "Unit A")).collect();
    org.leader_b.sync().ok();
    let head = org.cluster.db().query_row("SELECT MAX(seq) FROM notes", [], |r| r.get::<_, u64>(0)).unwrap();
    assert!(head > cursor, "the new notes pass the old cursor ({head} > {cursor})");
    let below: String = org
        .cluster
        .db()
        .query_row("SELECT lower(hex(note_id)) FROM notes WHERE seq = ?1", [cursor - 1], |r| r.get(0))
        .unwrap();
    assert!(b.contains(&below), "a note of Leader B's sits below the old cursor");

    let first = org.coordinator.sync();
    assert_eq!(first.code, 3, "{first}");
    assert!(first.stderr.contains("restored from an older backup"), "{first}");
    assert!(first.stderr.contains("is not the one this device read there"), "{first}");
    let all = sorted(&[&a1, &a2, &a3, &a4, &b[0], &b[1], &b[2]]);
    assert_eq!(listed(&org.coordinator), all, "Leader B's notes below the old cursor too, and A3, A4 kept");
    let json = org.coordinator.run(&["--json", "alerts"]).ok().json();
    assert_eq!(json["alerts"].as_array().unwrap().len(), 0, "resolved by the full pull: {json}");

    let leader = org.leader_a.sync();
    assert_eq!(leader.code, 3, "{leader}");
    assert!(leader.stdout.contains("2 notes the server had lost were uploaded again"), "{leader}");
    let clean = org.coordinator.sync();
    assert_eq!(clean.code, 0, "{clean}");
    assert_eq!(listed(&org.coordinator), all);
    assert_eq!(on_server(&org.cluster), all);
}

#[test]
fn a_server_answering_as_another_store_is_noticed() {
    let mut org = Org::start();
    let a1 = note(&org.leader_a, "2026-09-01", "Unit A");
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();
    // The same notes under another store's identity (a database rebuilt
    // from an export, say): nothing in the sequence tells, the id does.
    org.cluster.stop();
    org.cluster.db().execute("UPDATE store SET id = ?1", ["0123456789abcdef0123456789abcdef"]).unwrap();
    org.cluster.restart();
    let first = org.coordinator.sync();
    assert_eq!(first.code, 3, "{first}");
    assert!(first.stderr.contains("another store than before"), "{first}");
    assert_eq!(listed(&org.coordinator), vec![a1]);
    let clean = org.coordinator.sync();
    assert_eq!(clean.code, 0, "{clean}");
}
