//! Alerts and machine-readable output, through the real server and the
//! real `visitnotes` binary: warnings that stay until resolved, rewrap
//! after a coordinator who had rewrapped is removed, and `--json` errors.

use crate::harness::*;

/// Everything the coordinator runs that reads the store shows the alert,
/// every time, and exits 3.
fn assert_alert_shown(org: &Org, note_id: &str) {
    for args in [&["note", "list"][..], &["sync"], &["alerts"]] {
        let run = org.coordinator.run(args);
        assert_eq!(run.code, 3, "{args:?} exits 3 while the alert is open: {}", run.stderr);
        let text = format!("{}{}", run.stdout, run.stderr);
        assert!(text.contains("Leader A"), "{args:?} names the person: {text}");
        assert!(text.contains(&note_id[..12]), "{args:?} names the note: {text}");
    }
    let show = org.coordinator.run(&["note", "show", note_id]);
    assert_eq!(show.code, 3, "{}", show.stderr);
    assert!(show.stdout.contains("REJECTED") && show.stdout.contains("signature"), "{}", show.stdout);
    assert!(!show.stderr.contains("run `visitnotes sync`, or check the id"), "{}", show.stderr);
    let report = org.coordinator.run(&["report", "--from", "2026-01-01", "--to", "2026-12-31"]);
    assert_eq!(report.code, 3);
    assert!(report.stdout.contains("## Integrity warnings"), "{}", report.stdout);
    assert!(report.stdout.contains("Leader A"), "{}", report.stdout);
}

#[test]
fn a_rejected_note_stays_an_alert_until_it_verifies() {
    let org = Org::start();
    let id =
        org.leader_a.write(&["--date", "2026-03-02", "--unit", "Unit A", "--met", "5", "--summary", "secret words"]);
    org.leader_a.sync().ok();
    // The server changes the note's signature before the coordinator pulls it.
    let original = org.cluster.forge_first_signature();

    let synced = org.coordinator.run(&["--json", "sync"]);
    assert_eq!(synced.code, 3, "{}", synced.stderr);
    let alerts = &synced.json()["alerts"];
    assert_eq!(alerts.as_array().unwrap().len(), 1, "{alerts}");
    assert_eq!(alerts[0]["kind"], "rejected_note");
    assert_eq!(alerts[0]["person"], "Leader A");
    assert!(alerts[0]["todo"].as_str().unwrap().contains("administrator"));
    // Not only the sync that found it: every later command, twice over.
    assert_alert_shown(&org, &id);
    assert_alert_shown(&org, &id);
    let listed = org.coordinator.run(&["--json", "alerts"]).json();
    assert!(!listed.to_string().contains("secret words"), "an alert never carries a note's text");

    // The server serves the right copy again: checked again from the
    // start, the note verifies and the alert is over.
    org.cluster.restore_first_signature(&original);
    let again = org.coordinator.run(&["sync", "--from-start"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let list = org.coordinator.run(&["note", "list"]).ok();
    assert!(list.stdout.contains(&id[..12]) && !list.stderr.contains("WARNING"), "{}", list.stderr);
    let alerts = org.coordinator.run(&["alerts"]).ok();
    assert!(alerts.stdout.contains("No alerts"), "{}", alerts.stdout);
    org.coordinator.run(&["note", "show", &id]).ok();
}

#[test]
fn a_refused_roster_is_an_alert_until_a_roster_verifies() {
    let org = Org::start();
    // The server presents a roster signed by another organisation key.
    let foreign = org.cluster.plant_roster_of_another_key(org.leader_a.roster());
    let synced = org.leader_a.run(&["sync"]);
    assert_eq!(synced.code, 1, "the sync stops: {}", synced.stderr);
    // Later commands that do not ask the server still say so, and exit 3.
    for _ in 0..2 {
        let listed = org.leader_a.run(&["note", "list"]);
        assert_eq!(listed.code, 3, "{}", listed.stderr);
        assert!(listed.stderr.contains("list of members from the server was refused"), "{}", listed.stderr);
    }
    let alerts = org.leader_a.run(&["--json", "alerts"]).json();
    assert_eq!(alerts["alerts"][0]["kind"], "roster");
    assert!(alerts["alerts"][0]["since"].is_string());

    // The server serves the right roster again: the alert is over.
    org.cluster.db().execute("DELETE FROM rosters WHERE version = ?1", [foreign]).unwrap();
    org.leader_a.sync().ok();
    let listed = org.leader_a.run(&["note", "list"]).ok();
    assert!(!listed.stderr.contains("WARNING"), "{}", listed.stderr);
}

#[test]
fn notes_rewrapped_by_a_removed_coordinator_stay_readable_and_rewrappable() {
    let org = Org::start();
    let second = org.add_member("Coordinator Two", "coordinator");
    org.leader_a.sync().ok();
    org.leader_a.write_and_sync(2);
    // The second coordinator rewraps: the server's copies carry its statement.
    let report = second.run(&["--json", "admin", "rewrap"]).ok().json();
    assert_eq!(report["rewrapped"], 2);

    org.admin.run(&["admin", "remove", &second.user_id(), "--yes"]).ok();
    // Readers still verify the copies it rewrapped while active.
    let pulled = org.coordinator.run(&["--json", "sync", "--from-start"]).ok().json();
    assert_eq!(pulled["rejected"].as_array().unwrap().len(), 0, "{pulled}");
    assert_eq!(org.coordinator.run(&["--json", "note", "list"]).ok().json()["notes"].as_array().unwrap().len(), 2);
    // And the remaining coordinator rewraps them away from the removed key.
    let report = org.coordinator.run(&["--json", "admin", "rewrap"]).ok().json();
    assert_eq!((report["rewrapped"].as_u64(), report["refused"].as_u64()), (Some(2), Some(0)), "{report}");

    let removed = second.unlock();
    let identity = removed.secrets.device.age_identity();
    let ages = org.cluster.age_files();
    assert_eq!(ages.len(), 2);
    for age in &ages {
        let header = visitnotes_shared::age_header::read(age).unwrap();
        assert!(
            age::Identity::unwrap_stanzas(identity, &header.stanzas).is_none(),
            "no stanza of the server's copy opens with the removed coordinator's key"
        );
    }
    let leader = org.leader_a.run(&["--json", "sync", "--from-start"]).ok().json();
    assert_eq!(leader["rejected"].as_array().unwrap().len(), 0, "{leader}");
}

/// The `--json` error of `args` run by `person`: exit 1, one JSON object
/// on standard error; its code.
fn json_error_code(person: &Person, args: &[&str]) -> String {
    let run = person.run(&[&["--json"][..], args].concat());
    assert_eq!(run.code, 1, "{args:?}: {run}");
    let error: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap_or_else(|e| panic!("{e}: {run}"));
    assert!(!error["error"]["message"].as_str().unwrap_or_default().is_empty(), "{error}");
    error["error"]["code"].as_str().unwrap_or_default().to_owned()
}

/// Each refusal has a code of its own under `--json`, for a script to
/// match on; `invalid` is left for arguments wrong whatever the state.
#[test]
fn json_errors_name_each_refusal_by_its_own_code() {
    let org = Org::start();
    let concerned = org.leader_a.write(&["--unit", "Unit A", "--met", "1", "--concern", "low:no soap"]);
    let deleted = org.leader_a.write(&["--unit", "Unit A", "--met", "2", "--concern", "low:cold cells"]);
    org.leader_a.sync().ok();
    org.leader_a.run(&["note", "delete", &deleted]).ok();
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();
    let follow_up = |id: &str, n: &str| {
        json_error_code(&org.coordinator, &["concern", "follow-up", id, n, "--status", "closed", "--text", "done"])
    };
    let codes = [
        (follow_up(&deleted, "1"), "note_deleted"),
        (follow_up(&concerned, "2"), "no_such_concern"),
        (json_error_code(&org.leader_a, &["note", "delete", &deleted]), "note_deleted"),
        (json_error_code(&org.coordinator, &["note", "show", "abc"]), "invalid"),
        (json_error_code(&org.leader_a, &["admin", "pending"]), "not_admin"),
        (json_error_code(&org.admin, &["admin", "units", "add", "unit a", "--yes"]), "unit_exists"),
        (json_error_code(&org.admin, &["admin", "units", "remove", "Unit Z", "--yes"]), "no_such_unit"),
        (json_error_code(&org.admin, &["admin", "remove", "Coordinator", "--yes"]), "last_of_role"),
        (json_error_code(&org.admin, &["admin", "remove", "Admin", "--yes"]), "remove_yourself"),
        (
            json_error_code(
                &org.admin,
                &["admin", "export-org-key", "--shares", "3", "--threshold", "4", "--out", "x"],
            ),
            "invalid",
        ),
    ];
    for (code, expected) in codes {
        assert_eq!(code, expected);
    }
}

#[test]
fn json_errors_are_json_and_completions_offer_the_values() {
    let org = Org::start();
    let missing = org.coordinator.run(&["--json", "note", "show", "abcdef123456"]);
    assert_eq!(missing.code, 1);
    let error: serde_json::Value = serde_json::from_str(missing.stderr.trim()).expect("JSON on stderr");
    assert_eq!(error["error"]["code"], "no_such_note");
    assert!(error["error"]["message"].as_str().unwrap().contains("abcdef123456"));

    let usage = org.coordinator.run(&["--json", "note", "list", "--severity", "severe"]);
    assert_eq!(usage.code, 2, "a usage error keeps its exit code");
    let error: serde_json::Value = serde_json::from_str(usage.stderr.trim()).expect("JSON on stderr");
    assert_eq!(error["error"]["code"], "usage");
    let message = error["error"]["message"].as_str().unwrap();
    for valid in ["low", "medium", "high", "urgent"] {
        assert!(message.contains(valid), "{message}");
    }
    let wrong = org.leader_a.run_with("not the passphrase", &["--json", "note", "list"]);
    assert_eq!(wrong.code, 1);
    let error: serde_json::Value = serde_json::from_str(wrong.stderr.trim()).expect("JSON on stderr");
    assert_eq!(error["error"]["code"], "wrong_passphrase");

    // Every command prints something under --json.
    let id = org.leader_a.write(&["--unit", "Unit A", "--met", "1"]);
    let deleted = org.leader_a.run(&["--json", "note", "delete", &id]).ok().json();
    assert_eq!(deleted["state"], "deleted");
    let alerts = org.leader_a.run(&["--json", "alerts"]).ok().json();
    assert_eq!(alerts["alerts"].as_array().unwrap().len(), 0);

    let bash = client().args(["completions", "bash"]).output().unwrap();
    let script = String::from_utf8(bash.stdout).unwrap();
    for value in ["mental_health", "urgent", "coordinator", "markdown"] {
        assert!(script.contains(value), "completions offer {value}");
    }
}
