//! Roster freshness, end to end: rosters expire; an administrator's sync
//! signs the roster again in its last third; a leader whose newest roster
//! is expired is warned, exit 3, and the note is written and kept but its
//! upload held, until a fresh roster comes (then it is sealed again for
//! that roster's readers) or `sync --allow-expired-roster` (then the
//! warning is kept with the note).
//!
//! Rosters that expire within a test are signed with
//! `VISITNOTES_ROSTER_LIFETIME_SECS` on the administrator's command.

use crate::harness::*;

const LIFETIME: &str = "VISITNOTES_ROSTER_LIFETIME_SECS";

/// Publishes a roster (a new unit) that lives `secs` seconds; returns its version.
fn short_lived_roster(org: &Org, unit: &str, secs: u64) -> u64 {
    let secs = secs.to_string();
    let run = org.admin.run_env(&[(LIFETIME, &secs)], &["--json", "admin", "units", "add", unit, "--yes"]).ok();
    run.json()["roster_version"].as_u64().unwrap()
}

/// The newest roster `p` holds: (version, issued_at, expires_at).
fn roster_of(p: &Person) -> (u64, i64, i64) {
    let roster = p.roster();
    (roster.version, roster.issued_at, roster.expires_at())
}

/// (roster version, note id) of every note on the server.
fn server_notes(org: &Org) -> Vec<(u64, String)> {
    let db = org.cluster.db();
    let mut stmt = db.prepare("SELECT roster_version, hex(note_id) FROM notes ORDER BY seq").unwrap();
    stmt.query_map([], |r| Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?.to_lowercase())))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn an_administrators_sync_signs_the_roster_again_in_its_last_third() {
    let org = Org::start();
    let (_, issued, expires) = roster_of(&org.admin);
    assert_eq!(expires - issued, 30 * 86_400, "30 days by default");
    // A life of 0 seconds is no life: the default stands.
    short_lived_roster(&org, "Unit D", 0);
    let (_, issued, expires) = roster_of(&org.admin);
    assert_eq!(expires - issued, 30 * 86_400, "0 s is ignored");
    // A second administrator, enrolled and approved, whose device has not
    // synced yet: it does not hold the organisation key.
    let second = org.enrolled("Admin Two", "admin");

    let version = short_lived_roster(&org, "Unit C", 9);
    let (_, issued, expires) = roster_of(&org.admin);
    assert_eq!(expires - issued, 9);
    // Two thirds of its life left: not yet.
    let early = org.admin.run(&["--json", "sync"]).ok();
    assert!(early.json()["roster_renewed"].is_null(), "{}", early.stdout);
    assert_eq!(roster_of(&org.admin).0, version);

    // Less than a third left: signed again as the next version, 30 days long.
    sleep_past(issued + 6);
    // The administrator without the key cannot sign it, and is not told
    // it failed: signing is for a device that holds the key.
    let keyless = second.run(&["--json", "sync"]).ok();
    assert!(keyless.json()["roster_renewed"].is_null(), "{}", keyless.stdout);
    assert!(!keyless.stderr.contains("could not be signed again"), "{}", keyless.stderr);
    let renewed = org.admin.run(&["sync"]).ok();
    assert!(
        renewed.stdout.contains(&format!("signed the list of members again as version {}", version + 1)),
        "{}",
        renewed.stdout
    );
    let (now_version, issued, expires) = roster_of(&org.admin);
    assert_eq!((now_version, expires - issued), (version + 1, 30 * 86_400));
    let shown = org.admin.run(&["admin", "roster"]).ok();
    assert!(shown.stdout.contains("valid until"), "{}", shown.stdout);
    // Readers get it, and nothing is wrong.
    org.leader_a.sync().ok();
    assert_eq!(roster_of(&org.leader_a).0, version + 1);
}

#[test]
fn a_leader_under_an_expired_roster_writes_and_keeps_the_note_but_holds_the_upload() {
    let org = Org::start();
    let expired = short_lived_roster(&org, "Unit C", 8);
    for p in [&org.leader_a, &org.leader_b, &org.coordinator] {
        p.sync().ok();
        assert_eq!(roster_of(p).0, expired);
    }
    let (_, issued, expires) = roster_of(&org.leader_a);
    // Fails at once, not after 30 days, if the short life was not honoured.
    assert_eq!(expires - issued, 8);
    sleep_past(expires);

    // Written, sealed and kept; the upload is held, with why and what to do.
    let written = org.leader_a.run(&["note", "new", "--unit", "Unit C", "--met", "3", "--summary", "after expiry"]);
    assert_eq!(written.code, 3, "{}", written.stderr);
    assert!(written.stdout.contains("saved note"), "{}", written.stdout);
    assert!(
        written
            .stderr
            .contains("WARNING: The note is saved and sealed on this device, but it will not be uploaded yet")
            && written.stderr.contains(&format!("(version {expired}) expired on"))
            && written.stderr.contains("--allow-expired-roster"),
        "{}",
        written.stderr
    );
    let listed = org.leader_a.run(&["note", "list"]);
    assert_eq!(listed.code, 3);
    assert!(listed.stdout.contains("(held back: expired list of members)"), "{}", listed.stdout);
    let synced = org.leader_a.sync();
    assert_eq!(synced.code, 3, "{}", synced.stderr);
    assert!(synced.stdout.contains("1 note kept on this device and not uploaded"), "{}", synced.stdout);
    assert!(
        synced.stderr.contains(&format!("The newest list of members this device could get (version {expired}, signed"))
            && synced.stderr.contains("1 note written since is kept here, sealed, and not uploaded")
            && synced.stderr.contains("Ask an administrator to open Visitnotes and press Sync now")
            && synced.stderr.contains("To send the held notes as they are: visitnotes sync --allow-expired-roster"),
        "{}",
        synced.stderr
    );
    assert!(server_notes(&org).is_empty(), "nothing uploaded");
    let alerts = org.leader_a.run(&["--json", "alerts"]);
    assert_eq!(alerts.code, 3);
    assert_eq!(alerts.json()["alerts"][0]["kind"], "roster_expired");

    // Leader B sends it anyway: uploaded as it was, the warning kept with it.
    let b_id = org.leader_b.write_expecting(3, &["--unit", "Unit A", "--met", "1", "--summary", "sent anyway"]);
    let sent = org.leader_b.run(&["sync", "--allow-expired-roster"]);
    assert_eq!(sent.code, 3, "still expired: {}", sent.stderr);
    assert!(sent.stdout.contains("1 note written under an expired list of members sent as written"), "{}", sent.stdout);
    assert_eq!(server_notes(&org), vec![(expired, b_id.clone())]);
    let shown = org.leader_b.run(&["note", "show", &b_id]);
    assert_eq!(shown.code, 3);
    assert!(
        shown.stderr.contains(&format!("Sealed under the list of members version {expired}, which had expired on"))
            && shown.stderr.contains("because `visitnotes sync --allow-expired-roster` was given"),
        "{}",
        shown.stderr
    );

    // A coordinator does not re-encrypt notes to an expired roster.
    let rewrap = org.coordinator.run(&["--json", "admin", "rewrap"]);
    assert_eq!(rewrap.code, 1);
    assert!(rewrap.stderr.contains("roster_expired") && rewrap.stderr.contains("expired on"), "{}", rewrap.stderr);

    // The administrator's sync signs a fresh roster; leader A's note is
    // sealed again under it and uploaded; the warnings end.
    let renewed = org.admin.run(&["--json", "sync"]).ok();
    let fresh = renewed.json()["roster_renewed"].as_u64().unwrap();
    assert_eq!(fresh, expired + 1);
    let synced = org.leader_a.sync().ok();
    assert!(
        synced.stdout.contains("1 note written under an expired list of members sealed again"),
        "{}",
        synced.stdout
    );
    let on_server = server_notes(&org);
    assert_eq!(on_server.len(), 2);
    assert_eq!(on_server[1].0, fresh, "sealed again under the fresh roster");
    org.leader_a.run(&["alerts"]).ok();
    org.coordinator.sync().ok();
    let coordinator = org.coordinator.run(&["--json", "note", "list"]).ok();
    let listed = coordinator.json();
    let summaries: Vec<&str> =
        listed["notes"].as_array().unwrap().iter().map(|n| n["note"]["summary"].as_str().unwrap()).collect();
    assert!(summaries.contains(&"after expiry") && summaries.contains(&"sent anyway"), "{summaries:?}");
    // The kept warning stays with the note; once leader B has the fresh
    // roster, nothing is unresolved any more.
    org.leader_b.sync().ok();
    let shown = org.leader_b.run(&["note", "show", &b_id]).ok();
    assert!(shown.stderr.contains("--allow-expired-roster"), "{}", shown.stderr);
}

trait WriteExpecting {
    fn write_expecting(&self, code: i32, extra: &[&str]) -> String;
}

impl WriteExpecting for Person {
    /// Writes a note from flags, expecting exit `code`; returns its id.
    fn write_expecting(&self, code: i32, extra: &[&str]) -> String {
        let mut args = vec!["--json", "note", "new"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(run.code, code, "{}", run.stderr);
        assert!(run.json()["held"].is_string(), "{}", run.stdout);
        run.json()["note_id"].as_str().unwrap().to_owned()
    }
}
