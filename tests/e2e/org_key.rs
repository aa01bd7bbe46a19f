//! The organisation key survives a lost laptop. A second
//! administrator's device gets it through the server (sealed to its age
//! key, which the server cannot open) and signs rosters; shares on paper
//! rebuild it from any 3 of 5 on an enrolled device, and 2, another
//! organisation's, another export's or a mistyped share are refused; the
//! only administrator is reminded once. The real server, the real binary.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::harness::*;

fn org_key_of(person: &Person) -> Option<String> {
    person.unlock().secrets.org_key.map(|k| k.public().fingerprint())
}

fn pinned(person: &Person) -> String {
    person.unlock().config.org_key.fingerprint()
}

#[test]
fn a_second_administrator_gets_the_organisation_key_through_the_server_and_signs_rosters() {
    let org = Org::start();
    let bea = org.pending("Bea", "admin");
    let approved = org.admin.run(&["admin", "approve", "--all"]).ok();
    assert!(approved.stderr.contains("sealed to Bea's device"), "{approved}");
    assert_eq!(org.cluster.number("SELECT COUNT(*) FROM org_key_grants"), 1);

    // The server holds the grant and cannot open it: the key appears in none of its files.
    let (secret, seed) = {
        let session = org.admin.unlock();
        let key = session.secrets.org_key.as_ref().unwrap();
        (key.to_secret_string().to_string(), key.seed().to_vec())
    };
    let server_files = all_bytes(&org.cluster.data());
    assert!(!contains(&server_files, &secret), "the organisation key in the server's files");
    assert!(!server_files.windows(seed.len()).any(|w| w == seed.as_slice()), "its seed in the server's files");

    assert_eq!(org_key_of(&bea), None, "not before Bea's device picked it up");
    let synced = bea.sync();
    assert_eq!(synced.code, 0, "{synced}");
    assert!(synced.stderr.contains("handed over by Admin is on this device now"), "{synced}");
    assert_eq!(org_key_of(&bea), Some(pinned(&bea)), "the pinned organisation key");
    let again = bea.sync().ok();
    assert!(!again.stderr.contains("organisation key"), "once: {}", again);

    // Bea signs a roster: she invites and approves a leader.
    let cy = org.cluster.person("Cy");
    cy.enroll(&invite(&bea, "leader", "Cy")).ok();
    let by_bea = bea.run(&["admin", "approve", "--all"]).ok();
    assert!(by_bea.stdout.contains("approved Cy"), "{by_bea}");
    cy.sync().ok();
    cy.write(&["--unit", "Unit A", "--met", "2", "--summary", "from Cy"]);
    cy.sync().ok();
    let roster = org.admin.run(&["--json", "admin", "roster"]).ok().json();
    let names: Vec<&str> = roster["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Cy") && names.contains(&"Bea"), "{names:?}");
    let read = org.coordinator.sync();
    assert_eq!(read.code, 0, "the coordinator verifies the roster Bea signed: {}", read);

    // Revoking Bea's device drops its grant on the server.
    let bea_device = bea.device_id();
    let grant_of_bea = || -> i64 {
        org.cluster
            .db()
            .query_row("SELECT COUNT(*) FROM org_key_grants WHERE device_id = ?1", [&bea_device], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(grant_of_bea(), 1);
    org.admin.run(&["admin", "revoke", &bea_device[..12], "--yes"]).ok();
    assert_eq!(grant_of_bea(), 0);
}

/// The server refuses to store grants (a trigger in its database fails
/// each). The approval stands and says the key did not go, and why; a
/// command that changes something, and the administrator's sync, say so
/// too and do what they were asked (a server that refuses grants cannot
/// hold up a revocation); a command that only reads hands nothing over.
/// Once the server takes grants again, the next sync hands the key over.
#[test]
fn a_grant_the_server_refuses_is_said_and_holds_up_nothing_and_the_next_sync_makes_it() {
    let org = Org::start();
    let bea = org.pending("Bea", "admin");
    let db = org.cluster.db();
    db.execute_batch(
        "CREATE TRIGGER refuse_grants BEFORE INSERT ON org_key_grants BEGIN SELECT RAISE(ABORT, 'no grants'); END;",
    )
    .unwrap();
    let approved = org.admin.run(&["admin", "approve", "--all"]);
    assert_eq!(approved.code, 0, "{}", approved);
    assert!(approved.stdout.contains("approved Bea") && approved.stdout.contains("published roster version"));
    assert!(
        approved
            .stderr
            .contains("note: the organisation key could not be handed to the new administrator's device yet"),
        "{}",
        approved
    );
    assert_eq!(org.cluster.number("SELECT COUNT(*) FROM org_key_grants"), 0);

    let read = org.admin.run(&["admin", "pending"]).ok();
    assert!(!read.stderr.contains("organisation key"), "reading hands nothing over: {}", read);
    let revoked = org.admin.run(&["admin", "revoke", "Leader B", "--yes"]);
    assert_eq!(revoked.code, 0, "{}", revoked);
    assert!(revoked.stdout.contains("Leader B's device"), "{}", revoked);
    assert!(revoked.stderr.contains("could not be handed to the administrators' devices that lack it"));
    let synced = org.admin.sync();
    assert_eq!(synced.code, 0, "{}", synced);
    assert!(synced.stdout.contains("synced:"), "{}", synced);
    assert!(synced.stderr.contains("the next `visitnotes sync` here tries again"), "{}", synced);
    assert_eq!(org.cluster.number("SELECT COUNT(*) FROM org_key_grants"), 0);

    db.execute_batch("DROP TRIGGER refuse_grants;").unwrap();
    let synced = org.admin.sync().ok();
    assert!(synced.stderr.contains("the organisation key was sealed to Bea's device"), "{}", synced);
    assert_eq!(org.cluster.number("SELECT COUNT(*) FROM org_key_grants"), 1);
    assert!(bea.sync().ok().stderr.contains("handed over by Admin is on this device now"));
    assert_eq!(org_key_of(&bea), Some(pinned(&bea)));
}

#[test]
fn a_grant_that_is_not_the_organisation_key_is_refused_and_stays_an_alert() {
    let org = Org::start();
    let bea = org.pending("Bea", "admin");
    org.admin.run(&["admin", "approve", "--all"]).ok();
    // The server (or whoever edits its database) swaps the grant for another
    // key, sealed to Bea's device so that it opens.
    let (device, recipient) = {
        let s = bea.unlock();
        (s.config.device_id.to_string(), s.secrets.device.age_recipient())
    };
    let foreign = visitnotes_shared::OrgKey::generate();
    let recipient: age::x25519::Recipient = recipient.parse().unwrap();
    let mut sealed = Vec::new();
    let mut writer = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .unwrap()
        .wrap_output(&mut sealed)
        .unwrap();
    write!(writer, "visitnotes/org-key-grant/v1\n{}", foreign.to_secret_string().as_str()).unwrap();
    writer.finish().unwrap();
    org.cluster
        .db()
        .execute("UPDATE org_key_grants SET sealed = ?1 WHERE device_id = ?2", rusqlite::params![sealed, device])
        .unwrap();

    for _ in 0..2 {
        let synced = bea.sync();
        assert_eq!(synced.code, 3, "{synced}");
        assert!(
            synced.stderr.contains("WARNING: the organisation key the server handed over was refused"),
            "{}",
            synced
        );
        assert!(synced.stderr.contains(&foreign.public().fingerprint()), "names the key it got: {}", synced);
    }
    assert_eq!(org_key_of(&bea), None, "nothing kept");
    let alerts = bea.run(&["--json", "alerts"]);
    assert_eq!(alerts.code, 3);
    assert!(
        alerts.json()["alerts"].as_array().unwrap().iter().any(|a| a["kind"] == "org_key_grant"),
        "{}",
        alerts.stdout
    );

    // A grant that checks out (the administrator's sync hands it over
    // again; a command that only reads does not) ends it.
    org.cluster.db().execute("DELETE FROM org_key_grants", []).unwrap();
    org.admin.run(&["admin", "roster"]).ok();
    assert_eq!(bea.sync().code, 3, "still refused: nothing was handed over by reading");
    let handed = org.admin.sync().ok();
    assert!(handed.stderr.contains("the organisation key was sealed to Bea's device"), "{}", handed.stderr);
    let fixed = bea.sync();
    assert_eq!(fixed.code, 0, "{fixed}");
    assert_eq!(org_key_of(&bea), Some(pinned(&bea)));
    assert_eq!(bea.run(&["alerts"]).code, 0);
}

/// The share files of an export into `dir`: share-N-of-5.txt, N = 1..=5.
fn share_files(dir: &Path) -> Vec<PathBuf> {
    (1..=5).map(|n| dir.join(format!("share-{n}-of-5.txt"))).collect()
}

fn export_shares(person: &Person, dir: &Path) -> Run {
    person.run(&["admin", "export-org-key", "--shares", "5", "--threshold", "3", "--out", dir.to_str().unwrap()])
}

/// The code printed on a share file, as a person would type it in.
fn code_of(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let start = text.find("VNS1-").unwrap();
    text[start..].lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect::<Vec<_>>().join(" ")
}

fn recover(person: &Person, shares: &[&str]) -> Run {
    let mut args = vec!["admin", "recover-org-key"];
    args.extend_from_slice(shares);
    person.run(&args)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn any_three_shares_rebuild_the_key_on_an_enrolled_device_and_wrong_shares_are_refused() {
    let org = Org::start();
    let dir = org.cluster.dir.path().join("shares");
    let exported = export_shares(&org.admin, &dir);
    assert_eq!(exported.code, 0, "{exported}");
    let files = share_files(&dir);
    let fingerprint = pinned(&org.admin);
    for (i, file) in files.iter().enumerate() {
        let page = std::fs::read_to_string(file).unwrap();
        assert!(page.contains(&format!("SHARE {} OF 5", i + 1)) && page.contains("Any 3 of the 5"), "{page}");
        assert!(page.contains(&format!("Organisation key fingerprint: {fingerprint}")), "{page}");
        let svg = std::fs::read_to_string(file.with_extension("svg")).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"), "a QR code as SVG");
        #[cfg(unix)]
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(file).unwrap().permissions()) & 0o777,
            0o600
        );
    }
    let again = export_shares(&org.admin, &dir);
    assert_eq!(again.code, 1, "shares are never overwritten: {}", again);

    // The administrator's laptop is lost; the coordinator's device is enrolled.
    let coord = &org.coordinator;
    let two = recover(coord, &[s(&files[0]), s(&files[1])]);
    assert_eq!(two.code, 1, "{two}");
    assert!(two.stderr.contains("2 different share(s) given") && two.stderr.contains("3 are needed"), "{two}");
    let same_twice = recover(coord, &[s(&files[0]), s(&files[0]), s(&files[1])]);
    assert_eq!(same_twice.code, 1, "{same_twice}");
    assert!(same_twice.stderr.contains("3 are needed"), "{same_twice}");

    let code = code_of(&files[2]);
    let at = code.len() / 2;
    let swapped = if code.as_bytes()[at] == b'A' { 'B' } else { 'A' };
    let typo = format!("{}{swapped}{}", &code[..at], &code[at + 1..]);
    let mistyped = recover(coord, &[s(&files[0]), s(&files[1]), &typo]);
    assert_eq!(mistyped.code, 1, "{mistyped}");
    assert!(mistyped.stderr.contains("does not check out"), "{mistyped}");

    let other = Cluster::start();
    let stranger = other.person("Stranger");
    stranger.run(&["enroll", &other.bootstrap, "--name", "Stranger", "--unit", "Unit A"]).ok();
    let other_dir = other.dir.path().join("shares");
    export_shares(&stranger, &other_dir).ok();
    let theirs = share_files(&other_dir);
    let foreign = recover(coord, &[s(&files[0]), s(&files[1]), s(&theirs[2])]);
    assert_eq!(foreign.code, 1, "{foreign}");
    assert!(foreign.stderr.contains("belongs to another organisation"), "{foreign}");
    let all_foreign = recover(coord, &[s(&theirs[0]), s(&theirs[1]), s(&theirs[2])]);
    assert_eq!(all_foreign.code, 1, "three shares of another organisation: {}", all_foreign);
    assert!(all_foreign.stderr.contains("belongs to another organisation"), "{all_foreign}");

    let second_set = org.cluster.dir.path().join("shares-again");
    export_shares(&org.admin, &second_set).ok();
    let mixed = recover(coord, &[s(&files[0]), s(&files[1]), s(&share_files(&second_set)[2])]);
    assert_eq!(mixed.code, 1, "{mixed}");
    assert!(mixed.stderr.contains("another set of shares"), "{mixed}");
    assert_eq!(org_key_of(coord), None, "nothing rebuilt by any of these");

    // Any three: two files and one code typed in.
    let typed = code_of(&files[4]).to_lowercase();
    let rebuilt = recover(coord, &[s(&files[1]), &typed, s(&files[3])]);
    assert_eq!(rebuilt.code, 0, "{rebuilt}");
    assert!(rebuilt.stdout.contains("rebuilt from 3 shares"), "{rebuilt}");
    assert!(rebuilt.stdout.contains("Coordinator is an administrator now"), "{rebuilt}");
    assert_eq!(org_key_of(coord), Some(fingerprint));

    // The coordinator's device signs the next roster; everyone accepts it.
    let units = coord.run(&["admin", "units", "add", "Unit C", "--yes"]);
    assert_eq!(units.code, 0, "{units}");
    let listed = org.admin.run(&["--json", "admin", "units"]).ok();
    assert!(listed.json()["units"].as_array().unwrap().iter().any(|u| u == "Unit C"), "{}", listed.stdout);
    org.leader_a.sync().ok();
}

#[test]
fn the_only_administrator_is_reminded_once_unless_shares_were_made() {
    let cluster = Cluster::start();
    let admin = cluster.person("Admin");
    admin.run(&["enroll", &cluster.bootstrap, "--name", "Admin", "--unit", "Unit A"]).ok();
    let first = admin.run(&["admin", "units"]).ok();
    assert!(first.stderr.contains("the organisation key is on this device only"), "{first}");
    assert!(first.stderr.contains("export-org-key --shares 5 --threshold 3"), "{first}");
    let second = admin.run(&["admin", "units"]).ok();
    assert!(!second.stderr.contains("on this device only"), "once: {}", second);

    let other = Cluster::start();
    let careful = other.person("Careful");
    careful.run(&["enroll", &other.bootstrap, "--name", "Careful", "--unit", "Unit A"]).ok();
    export_shares(&careful, &other.dir.path().join("shares")).ok();
    let after = careful.run(&["admin", "units"]).ok();
    assert!(!after.stderr.contains("on this device only"), "shares were made: {}", after);
}

/// Shares exported into a folder other users may write in (mode 1777,
/// like /tmp), where another user planted each share's temp name of
/// before (`share-N-of-5.tmp`, theirs, mode 0666) and keeps a hard link
/// to it elsewhere: no share reaches their links, each share file is the
/// administrator's own (mode 0600, one link), the folder keeps its mode,
/// and the export warns that others may open it.
#[cfg(unix)]
#[test]
fn shares_exported_into_a_shared_folder_reach_no_planted_file_and_leave_its_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let org = Org::start();
    let dir = org.cluster.dir.path().join("shared");
    let kept = org.cluster.dir.path().join("kept-by-them");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
    std::fs::create_dir(&kept).unwrap();
    for n in 1..=5 {
        let planted = dir.join(format!("share-{n}-of-5.tmp"));
        std::fs::write(&planted, "").unwrap();
        std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o666)).unwrap();
        std::os::unix::fs::chown(&planted, Some(65534), Some(65534)).expect("chown to another user needs root");
        std::fs::hard_link(&planted, kept.join(format!("{n}"))).unwrap();
    }

    let exported = export_shares(&org.admin, &dir);
    assert_eq!(exported.code, 0, "{exported}");
    assert!(
        exported.stderr.contains(&format!("WARNING: other users of this computer may open {}", dir.display()))
            && exported.stderr.contains("mode 1777"),
        "{}",
        exported
    );
    assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o7777, 0o1777, "the folder was not chmodded");
    for n in 1..=5 {
        assert_eq!(std::fs::read_to_string(kept.join(format!("{n}"))).unwrap(), "", "share {n} leaked");
    }
    let uid = std::fs::metadata(&org.admin.home).unwrap().uid();
    for file in share_files(&dir).iter().flat_map(|f| [f.clone(), f.with_extension("svg")]) {
        let meta = std::fs::symlink_metadata(&file).unwrap();
        assert!(meta.is_file(), "{}", file.display());
        assert_eq!((meta.mode() & 0o777, meta.uid(), meta.nlink()), (0o600, uid, 1), "{}", file.display());
    }
    let page = std::fs::read_to_string(&share_files(&dir)[0]).unwrap();
    assert!(page.contains("SHARE 1 OF 5"), "{page}");
}
