//! Administrators' paths: nobody is locked out, nothing is irreversible by
//! accident, and what the server claims without a signed roster is warned
//! about, never signed. The real binary against the real server.

use crate::harness::*;

fn roster_json(p: &Person) -> serde_json::Value {
    p.run(&["--json", "admin", "roster"]).ok().json()
}

/// The state of `device` in the roster `p` fetches: "active" or "revoked".
fn device_state(p: &Person, device: &str) -> String {
    let roster = roster_json(p);
    for m in roster["members"].as_array().unwrap() {
        for d in m["devices"].as_array().unwrap() {
            if d["device_id"] == device {
                return d["status"]["state"].as_str().unwrap().to_owned();
            }
        }
    }
    panic!("device {device} not in the roster: {roster}")
}

#[test]
fn locking_out_is_refused_and_a_revocation_shows_what_it_signs_and_asks_first() {
    let org = Org::start();
    let own = org.admin.run(&["admin", "revoke", &org.admin.device_id()[..8], "--yes"]);
    assert_eq!(own.code, 1);
    assert!(own.stderr.contains("the device you are using"), "{}", own.stderr);
    let me = org.admin.run(&["admin", "remove", "Admin", "--yes"]);
    assert!(me.code == 1 && me.stderr.contains("lock you out"), "{}", me.stderr);
    let last = org.admin.run(&["admin", "remove", "Coordinator", "--yes"]);
    assert!(last.code == 1 && last.stderr.contains("last coordinator"), "{}", last.stderr);
    assert_eq!(device_state(&org.admin, &org.coordinator.device_id()), "active");

    // Without a terminal and without --yes: nothing changes, and --yes is named.
    org.leader_a.write(&["--unit", "Unit A", "--met", "2"]);
    org.leader_a.sync().ok();
    let unasked = org.admin.run(&["admin", "revoke", "Leader A"]);
    assert_eq!(unasked.code, 1);
    assert!(unasked.stderr.contains("--yes"), "{}", unasked.stderr);
    assert!(unasked.stdout.contains("revokes Leader A's device"), "{}", unasked.stdout);
    assert!(unasked.stdout.contains("up to number 1 stay trusted: it said so itself, signed 20"), "{}", unasked.stdout);
    org.leader_a.sync().ok();

    let done = org.admin.run(&["admin", "revoke", "Leader A", "--yes"]).ok();
    assert!(done.stdout.contains("Leader A's device"), "{}", done.stdout);
    assert!(done.stdout.contains("no active device left"), "{}", done.stdout);
    assert_eq!(device_state(&org.admin, &org.leader_a.device_id()), "revoked");
    assert_eq!(org.leader_a.sync().code, 1);

    // A second coordinator: now the first may be removed.
    org.enrolled("Coordinator Two", "coordinator");
    // An exact name wins over the start of another ("Coordinator Two").
    let removed = org.admin.run(&["admin", "remove", "Coordinator", "--yes"]).ok();
    assert!(removed.stdout.contains("Coordinator removed"), "{}", removed.stdout);
    let refused = org.admin.run(&["admin", "remove", "coordinator t", "--yes"]);
    assert!(refused.stderr.contains("Coordinator Two is the last coordinator"), "{}", refused.stderr);
}

#[test]
fn a_revocation_the_server_made_but_no_roster_says_is_warned_about_and_finished_by_doing_it_again() {
    let org = Org::start();
    let b = org.leader_b.device_id();
    let version = org.cluster.roster_version();
    // The server revokes, the publish never happens (as when the network
    // fails between the two requests).
    let session = org.admin.unlock();
    let api = session.api().unwrap();
    api.revoke(&session.secrets.device, &visitnotes_shared::DeviceId::parse(&b).unwrap()).unwrap();
    // The next admin command says so, and signs nothing.
    let warned = org.admin.run(&["admin", "pending"]).ok();
    assert!(
        warned.stderr.contains(&format!("WARNING: the server says Leader B's device {} was revoked", &b[..8])),
        "{}",
        warned.stderr
    );
    assert!(warned.stderr.contains(&format!("`visitnotes admin revoke {}`", &b[..8])), "{}", warned.stderr);
    assert_eq!(org.cluster.roster_version(), version, "no roster signed from the server's word");
    assert_eq!(device_state(&org.coordinator, &b), "active");
    // Doing it again finishes it: the server answers a second revocation
    // as the first, and the roster says it now.
    let done = org.admin.run(&["admin", "revoke", &b[..8], "--yes"]).ok();
    assert!(done.stdout.contains("Leader B's device"), "{}", done.stdout);
    assert_eq!(device_state(&org.coordinator, &b), "revoked");
    assert_eq!(org.cluster.roster_version(), version + 1);
    assert!(!org.admin.run(&["admin", "pending"]).ok().stderr.contains("WARNING"));

    // The same for a removal, warned about by `sync` on the administrator's device (exit 3).
    api.remove(&session.secrets.device, &org.leader_a.unlock().config.user_id).unwrap();
    let synced = org.admin.sync();
    assert_eq!(synced.code, 3, "{}", synced.stderr);
    assert!(synced.stderr.contains("WARNING: the server says Leader A was removed"), "{}", synced.stderr);
    assert!(synced.stderr.contains("`visitnotes admin remove \"Leader A\"`"), "{}", synced.stderr);
    assert_eq!(org.cluster.roster_version(), version + 1);
    org.admin.run(&["admin", "remove", "Leader A", "--yes"]).ok();
    let roster = roster_json(&org.coordinator);
    let member = roster["members"].as_array().unwrap().iter().find(|m| m["name"] == "Leader A").unwrap().clone();
    assert_eq!(member["status"], "removed");
    assert_eq!(org.admin.sync().code, 0, "nothing left to warn about");
}

/// A hostile server (its database edited) says the only coordinator was
/// removed and a leader's device revoked. A command that only reads, and
/// an administrator's sync, warn and name both; no roster is signed, and
/// doing what the server says meets the usual refusals.
#[test]
fn removals_and_revocations_made_up_by_the_server_are_warned_about_and_never_signed() {
    let org = Org::start();
    let version = org.cluster.roster_version();
    let db = org.cluster.db();
    db.execute("UPDATE users SET state = 'removed' WHERE name = 'Coordinator'", []).unwrap();
    db.execute(
        "UPDATE devices SET state = 'revoked' WHERE user_id = (SELECT user_id FROM users WHERE name = 'Leader B')",
        [],
    )
    .unwrap();
    let b = org.leader_b.device_id();
    let claimed = |stderr: &str| {
        assert!(stderr.contains("WARNING: the server says Coordinator was removed"), "{stderr}");
        assert!(stderr.contains(&format!("the server says Leader B's device {} was revoked", &b[..8])), "{stderr}");
        assert!(stderr.contains("no list of members signed by the organisation says so"), "{stderr}");
    };

    let pending = org.admin.run(&["admin", "pending"]).ok();
    claimed(&pending.stderr);
    assert_eq!(org.cluster.roster_version(), version, "a command that reads signs nothing");
    let listed = org.admin.run(&["admin", "roster"]).ok();
    claimed(&listed.stderr);
    let synced = org.admin.sync();
    assert_eq!(synced.code, 3, "{}", synced.stderr);
    claimed(&synced.stderr);
    assert_eq!(org.cluster.roster_version(), version, "an administrator's sync signs nothing of it");
    let roster = roster_json(&org.admin);
    let coordinator = roster["members"].as_array().unwrap().iter().find(|m| m["name"] == "Coordinator").unwrap();
    assert_eq!(coordinator["status"], "active", "{roster}");
    assert_eq!(device_state(&org.admin, &b), "active");

    // Doing what the server says goes through the usual checks: the last
    // coordinator is not removed.
    let refused = org.admin.run(&["admin", "remove", "Coordinator", "--yes"]);
    assert!(refused.code == 1 && refused.stderr.contains("Coordinator is the last coordinator"), "{}", refused.stderr);
    assert_eq!(org.cluster.roster_version(), version);
}

#[test]
fn people_are_named_by_name_or_id_prefix_an_ambiguous_one_lists_the_matches_and_times_are_local() {
    let org = Org::start();
    let ambiguous = org.admin.run(&["admin", "revoke", "Leader", "--yes"]);
    assert_eq!(ambiguous.code, 1);
    assert!(ambiguous.stderr.contains("Leader A (leader"), "{}", ambiguous.stderr);
    assert!(ambiguous.stderr.contains("Leader B (leader"), "{}", ambiguous.stderr);
    let unknown = org.admin.run(&["admin", "remove", "Carla", "--yes"]);
    assert!(unknown.code == 1 && unknown.stderr.contains("no person matches \"Carla\""), "{}", unknown.stderr);
    let b = org.leader_b.device_id();
    org.admin.run(&["admin", "revoke", &b[..6], "--yes"]).ok();
    assert_eq!(device_state(&org.admin, &b), "revoked");

    let audit = org.admin.run(&["admin", "audit"]).ok();
    assert!(audit.stdout.contains("Leader B's device"), "{}", audit.stdout);
    let year = chrono::Local::now().format("%Y-").to_string();
    assert!(audit.stdout.contains(&year), "{}", audit.stdout);
    let now = chrono::Utc::now().timestamp().to_string();
    assert!(!audit.stdout.contains(&now[..6]), "no Unix seconds: {}", audit.stdout);
    let roster = org.admin.run(&["admin", "roster"]).ok();
    assert!(roster.stdout.contains(&year) && !roster.stdout.contains(&now[..6]), "{}", roster.stdout);
}

#[test]
fn units_are_added_and_retired_with_the_change_shown_and_old_notes_keep_theirs() {
    let org = Org::start();
    let id = org.leader_a.write(&["--unit", "Unit A", "--met", "2"]);
    org.leader_a.sync().ok();
    let unasked = org.admin.run(&["admin", "units", "add", "Unit C"]);
    assert!(unasked.code == 1 && unasked.stderr.contains("--yes"), "{}", unasked.stderr);
    assert!(unasked.stdout.contains("adds Unit C"), "{}", unasked.stdout);
    assert_eq!(org.admin.run(&["admin", "units"]).ok().stdout.trim(), "units: Unit A, Unit B");

    org.admin.run(&["admin", "units", "add", "Unit C", "--yes"]).ok();
    let retired = org.admin.run(&["admin", "units", "remove", "unit a", "--yes"]).ok();
    assert!(retired.stdout.contains("retires Unit A"), "{}", retired.stdout);
    assert_eq!(org.admin.run(&["admin", "units"]).ok().stdout.trim(), "units: Unit B, Unit C");
    let missing = org.admin.run(&["admin", "units", "remove", "Unit Z", "--yes"]);
    assert!(missing.code == 1 && missing.stderr.contains("Unit B, Unit C"), "{}", missing.stderr);
    // The whole list, as before.
    let replaced = org.admin.run(&["admin", "units", "Unit B", "Unit C", "Unit D", "--yes"]).ok();
    assert!(replaced.stdout.contains("adds Unit D"), "{}", replaced.stdout);

    // The old note keeps its unit; a new note may not use it.
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();
    let shown = org.coordinator.run(&["--json", "note", "show", &id]).ok().json();
    assert_eq!(shown["note"]["units"][0], "Unit A", "{shown}");
    let refused = org.leader_a.run(&["note", "new", "--unit", "Unit A", "--met", "1"]);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
}

#[test]
fn reject_removes_a_pending_enrolment_and_approve_all_refuses_a_failing_mac_with_exit_3() {
    let org = Org::start();
    org.pending("Eve", "leader");
    let pending = org.admin.run(&["admin", "pending"]).ok();
    assert!(pending.stdout.contains("Eve") && pending.stdout.contains("1 pending"), "{}", pending.stdout);
    let rejected = org.admin.run(&["admin", "reject", "Eve", "--yes"]).ok();
    assert!(rejected.stdout.contains("rejected the enrolment of Eve"), "{}", rejected.stdout);
    assert!(org.admin.run(&["admin", "pending"]).ok().stdout.contains("0 pending"));
    assert_eq!(org.admin.run(&["admin", "approve", "--all"]).ok().stdout.trim(), "nothing approved");

    // Keys changed on the way: the MAC fails; --all refuses it and exits 3.
    let mallory = org.pending("Mallory", "leader");
    org.cluster.db().execute("UPDATE devices SET mac = zeroblob(32) WHERE state = 'pending'", []).unwrap();
    let refused = org.admin.run(&["admin", "approve", "--all"]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(refused.stderr.contains("Mallory") && refused.stderr.contains("REFUSED"), "{}", refused.stderr);
    assert!(!org.admin.run(&["admin", "roster"]).ok().stdout.contains("Mallory"));
    org.admin.run(&["admin", "reject", &mallory.device_id()[..8], "--yes"]).ok();
    assert_eq!(org.admin.run(&["admin", "approve", "--all"]).code, 0);
}

#[test]
fn a_second_device_for_a_member_keeps_their_notes_theirs() {
    let org = Org::start();
    let id = org.leader_a.write(&["--unit", "Unit A", "--met", "2", "--summary", "before the new phone"]);
    org.leader_a.sync().ok();
    let phone = org.cluster.person("Leader A phone");
    let invite = org.admin.run(&["admin", "invite", "--device-for", "leader a"]).ok();
    assert!(invite.stdout.contains("Invite for Leader A as leader"), "{}", invite.stdout);
    phone.run(&["enroll", &invite.last_line(), "--name", "Leader A"]).ok();
    org.admin.run(&["admin", "approve", "--all"]).ok();
    let roster = roster_json(&org.admin);
    let members: Vec<_> = roster["members"].as_array().unwrap().iter().filter(|m| m["name"] == "Leader A").collect();
    assert_eq!(members.len(), 1, "one member, two devices: {roster}");
    assert_eq!(members[0]["devices"].as_array().unwrap().len(), 2);
    // The old device is lost: revoke it by id (by name it is ambiguous now).
    let by_name = org.admin.run(&["admin", "revoke", "Leader A", "--yes"]);
    assert!(by_name.code == 1 && by_name.stderr.contains("more than one device"), "{}", by_name.stderr);
    org.admin.run(&["admin", "revoke", &org.leader_a.device_id()[..8], "--yes"]).ok();
    // A coordinator's rewrap addresses the old notes to the new device too.
    org.coordinator.sync().ok();
    org.coordinator.run(&["admin", "rewrap"]).ok();
    phone.sync().ok();
    let shown = phone.run(&["--json", "note", "show", &id]).ok().json();
    assert_eq!(shown["note"]["summary"], "before the new phone");
    phone.run(&["note", "edit", &id, "--met", "3"]).ok();
    phone.sync().ok();
    org.coordinator.sync().ok();
    let shown = org.coordinator.run(&["--json", "note", "show", &id]).ok().json();
    assert_eq!((shown["revision"].as_u64(), shown["author_name"].as_str()), (Some(2), Some("Leader A")), "{shown}");
}

#[test]
fn the_org_key_export_keeps_files_import_needs_an_administrator_and_help_lists_the_environment() {
    let org = Org::start();
    let export = org.cluster.dir.path().join("org-key.age");
    std::fs::write(&export, "something precious").unwrap();
    let run = |p: &Person, args: &[&str]| p.run_env(&[("VISITNOTES_EXPORT_PASSPHRASE", "export passphrase 1")], args);
    let path = export.to_str().unwrap();
    let kept = run(&org.admin, &["admin", "export-org-key", "--out", path]);
    assert!(kept.code == 1 && kept.stderr.contains("--force"), "{}", kept.stderr);
    assert_eq!(std::fs::read_to_string(&export).unwrap(), "something precious");
    run(&org.admin, &["admin", "export-org-key", "--out", path, "--force"]).ok();
    assert!(std::fs::read(&export).unwrap().starts_with(b"age-encryption.org/v1"));

    let refused = run(&org.coordinator, &["admin", "import-org-key", path]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("Coordinator is not an administrator"), "{}", refused.stderr);
    assert!(org.coordinator.unlock().secrets.org_key.is_none());

    let help = Run::from(client().arg("--help").output().unwrap()).ok();
    let reference = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/commands.md")).unwrap();
    for var in [
        "VISITNOTES_HOME",
        "VISITNOTES_PASSPHRASE",
        "VISITNOTES_EXPORT_PASSPHRASE",
        "VISITNOTES_KDF_LOG_N",
        "VISUAL",
        "EDITOR",
        "LC_ALL",
        "LANG",
        "TZ",
    ] {
        assert!(help.stdout.contains(var), "{var} in --help: {}", help.stdout);
        assert!(reference.contains(&format!("`{var}`")), "{var} in docs/commands.md");
    }
}
