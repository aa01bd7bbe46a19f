//! A live note cannot be purged: a server that serves
//! the current revision of a note that was not deleted without its content
//! (as if retention had purged it) is named, and the reader never shows an
//! older revision as the current one; a replaced revision purged before
//! the retention period allows is named too.

use crate::harness::proxy::{is_pull, scene};
use crate::harness::*;

fn listed_ids(p: &Person) -> Vec<(String, u64)> {
    let run = p.run(&["--json", "note", "list"]);
    run.json()["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["note_id"].as_str().unwrap().to_owned(), n["revision"].as_u64().unwrap()))
        .collect()
}

#[test]
fn a_live_notes_current_version_served_as_purged_never_gives_way_to_an_older_one() {
    let (org, proxy) = scene(|o| &o.coordinator);
    let edited = org.leader_a.write(&["--unit", "Unit A", "--met", "1", "--summary", "the first version"]);
    org.leader_a.run(&["note", "edit", &edited, "--met", "2", "--summary", "the second version"]).ok();
    let single = org.leader_a.write(&["--unit", "Unit A", "--met", "3", "--summary", "the only version"]);
    org.leader_a.sync().ok();
    // The newest revision of the edited note, and the only one of the
    // other, served as if retention had purged them.
    let (e, s) = (edited.clone(), single.clone());
    proxy.tamper(move |path, v| {
        if is_pull(path) {
            for n in v["notes"].as_array_mut().unwrap() {
                let h = &n["sealed"]["header"];
                if h["note_id"] == e.as_str() && h["revision"] == 2 {
                    n["sealed"]["age"] = "".into();
                    n["withheld"] = "purged".into();
                } else if h["note_id"] == s.as_str() {
                    // Another excuse, which fits no coordinator.
                    n["sealed"]["age"] = "".into();
                    n["withheld"] = "metadata_only".into();
                }
            }
        }
    });
    let run = org.coordinator.sync();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("The server served the current version (revision 2) of the note of the visit on")
            && run.stderr.contains("Revision 1 is not shown in its place"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("The server served the current version (revision 1) of a note this device has not read"),
        "{}",
        run.stderr
    );
    let json = org.coordinator.run(&["--json", "note", "list"]);
    assert_eq!(json.code, 3);
    assert_eq!(json.alert_kinds(), ["purged_current", "purged_current"]);
    assert!(listed_ids(&org.coordinator).is_empty(), "neither is shown, least of all the first version");
    let shown = org.coordinator.run(&["note", "show", &edited]);
    assert_ne!(shown.code, 0);
    assert!(!shown.stdout.contains("the first version"), "{}", shown.stdout);
    assert!(shown.stdout.contains("cannot be read here: the server sent it without its content"), "{}", shown.stdout);
    // The server's "metadata only" is not repeated to a coordinator as the reason.
    let shown = org.coordinator.run(&["--json", "note", "show", &single]);
    assert_eq!(shown.json()["state"], "purged", "{}", shown.stdout);
    let report = org.coordinator.run(&["--json", "report", "--from", "2000-01-01", "--to", "2100-01-01"]);
    assert_eq!(report.code, 3, "{}", report.stderr);

    // The content served again: both read, the current version shown.
    proxy.honest();
    let run = org.coordinator.run(&["sync", "--from-start"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut listed = listed_ids(&org.coordinator);
    listed.sort();
    let mut expected = vec![(edited.clone(), 2), (single.clone(), 1)];
    expected.sort();
    assert_eq!(listed, expected);
}

#[test]
fn a_replaced_revision_purged_before_the_retention_period_is_named() {
    let org = Org::start();
    let early = org.leader_a.write(&["--unit", "Unit A", "--met", "1"]);
    org.leader_a.run(&["note", "edit", &early, "--met", "2"]).ok();
    let on_time = org.leader_a.write(&["--unit", "Unit B", "--met", "3"]);
    org.leader_a.run(&["note", "edit", &on_time, "--met", "4"]).ok();
    let deleted = org.leader_a.write(&["--unit", "Unit A", "--met", "5"]);
    org.leader_a.run(&["note", "delete", &deleted]).ok();
    org.leader_a.sync().ok();
    // The operator purges with a retention of 0 days. Revision 2 of
    // `on_time` was stored 31 days ago (its purge is allowed), `early`'s
    // just now (it is not); a deleted note is purged at once anyway.
    let db = org.cluster.db();
    let month_ago = chrono::Utc::now().timestamp() - 31 * 86_400;
    for (column, revision) in [("received_at", 2), ("superseded_at", 1)] {
        db.execute(
            &format!("UPDATE notes SET {column} = ?1 WHERE note_id = unhex(?2) AND revision = ?3"),
            rusqlite::params![month_ago, on_time, revision],
        )
        .unwrap();
    }
    let store = visitnotes_server::open_existing(&org.cluster.data()).unwrap();
    assert_eq!(visitnotes_server::purge(&store, 0).unwrap(), 2);

    let run = org.coordinator.sync();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("Revision 1 of the note of the visit on")
            && run.stderr.contains("by Leader A was purged less than 30 days after revision 2 replaced it"),
        "{}",
        run.stderr
    );
    let json = org.coordinator.run(&["--json", "alerts"]);
    let alerts = json.json()["alerts"].as_array().unwrap().clone();
    assert_eq!(alerts.len(), 1, "only the early purge: {alerts:?}");
    assert_eq!(
        (alerts[0]["kind"].as_str(), alerts[0]["note_id"].as_str()),
        (Some("early_purge"), Some(early.as_str()))
    );
    // The current versions are shown.
    let listed: Vec<String> = listed_ids(&org.coordinator).into_iter().map(|(id, _)| id).collect();
    assert!(listed.contains(&early) && listed.contains(&on_time) && !listed.contains(&deleted), "{listed:?}");
}
