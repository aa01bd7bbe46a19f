//! The store's own tests: profiles made by earlier versions open and read
//! back, statuses round-trip, and sealed rows refuse to open where they do
//! not belong.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use visitnotes_shared::envelope::{EnvelopeHeader, Kind, SealedNote};
use visitnotes_shared::roster::Role;
use visitnotes_shared::{DeviceId, NoteId, UserId};

use super::migrations::migrations;
use super::*;

/// The key the fixture's sealed values are sealed under.
const FIXTURE_KEY: [u8; 32] = [7; 32];
/// A store as the first six migrations made it, with a row of every kind.
const AT_VERSION_6: &str = include_str!("fixtures/profile-at-version-6.sql");

/// A store file made from `sql`, as SQLite would have left it.
fn file_from(sql: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    Connection::open(&path).unwrap().execute_batch(sql).unwrap();
    (dir, path)
}

fn layout(conn: &Connection) -> Vec<(String, String, Option<String>)> {
    let mut stmt = conn.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

fn user_version(path: &Path) -> u32 {
    Connection::open(path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

fn sealed(kind: Kind, note_id: &NoteId, revision: u64, device_seq: u64) -> SealedNote {
    let header = EnvelopeHeader {
        kind,
        note_id: note_id.clone(),
        revision,
        prev_hash: None,
        author: UserId::parse(&"a".repeat(32)).unwrap(),
        device_id: DeviceId::parse(&"d".repeat(32)).unwrap(),
        device_seq,
        roster_version: 1,
        age_sha256: "0".repeat(64),
        payload_sha256: "1".repeat(64),
        note_author: None,
        device_prev: None,
    };
    SealedNote { header, signature: vec![1], age: vec![2], rewrap: None }
}

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store.sqlite3"), &FIXTURE_KEY).unwrap();
    (dir, store)
}

#[test]
fn migrations_are_valid() {
    migrations().validate().unwrap();
}

/// The migrations a profile has run are never changed: a store made today
/// has, table by table, the layout profiles made before have.
#[test]
fn a_new_store_has_the_layout_of_a_profile_made_before() {
    let (_dir, old) = file_from(AT_VERSION_6);
    let mut new = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut new, 6).unwrap();
    assert_eq!(layout(&new), layout(&Connection::open(old).unwrap()));
}

/// A profile made at schema version 6 opens with this version, is brought
/// up to date, and every row of it reads back as it was written.
#[test]
fn a_profile_made_at_version_6_opens_and_reads_back() {
    let (_dir, path) = file_from(AT_VERSION_6);
    let store = Store::open(&path, &FIXTURE_KEY).unwrap();
    drop(store);
    assert_eq!(user_version(&path) as usize, super::migrations::LATEST, "brought up to this version");
    let store = Store::open(&path, &FIXTURE_KEY).unwrap();

    let rows = store.all_rows().unwrap();
    let statuses: Vec<_> = rows.iter().map(|r| (&r.header().note_id.as_str()[..1], r.status)).collect();
    use NoteStatus::*;
    let expected = [
        ("1", Valid),
        ("1", Outbox),
        ("2", Valid),
        ("3", Rejected),
        ("4", NotAddressed),
        ("5", Withheld),
        ("6", Refused),
    ];
    assert_eq!(statuses, expected);
    let summaries: Vec<_> = rows.iter().filter_map(|r| r.note.as_ref()).map(|n| n.summary.as_str()).collect();
    assert_eq!(summaries, ["fixture note, revision 1", "fixture note, revision 2"]);
    assert_eq!(rows[0].server_seq, Some(11));
    let record = rows[2].follow_up.as_ref().expect("the follow-up record opens");
    assert_eq!(record.entries[0].text, "fixture follow-up");
    let reasons: Vec<_> = rows.iter().map(|r| r.reason.as_deref()).collect();
    assert_eq!(reasons, [None, None, None, Some("bad signature"), None, Some("metadata_only"), Some("quota")]);
    assert_eq!(rows[6].header().kind, Kind::Tombstone);

    let outbox = store.outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!((outbox[0].0, outbox[0].1.header.revision), (1, 2));
    assert_eq!(store.held().unwrap(), [(1, 1)]);
    let first = "1".repeat(32);
    assert_eq!(store.warning(&first, 2).unwrap().as_deref(), Some("sent under an expired roster"));
    assert_eq!(store.received_times(None).unwrap().get(&(first, 1)), Some(&1_772_000_000));

    let device = "d".repeat(32);
    assert_eq!(store.chain_tip(&device).unwrap().map(|(seq, _)| seq), Some(7));
    assert_eq!(store.accepted_tip(&device).unwrap().map(|(seq, ..)| seq), Some(6));
    assert_eq!(store.device_seqs().unwrap(), [(device.clone(), vec![1, 2, 3, 5, 6, 7])]);
    assert_eq!(store.heads().unwrap(), [(device, "{\"head\":1}".to_owned())]);
    assert_eq!(store.first_watched(&"f".repeat(32)).unwrap(), Some(1_772_000_000));
    assert_eq!(store.receipts().unwrap(), ["{\"receipt\":1}"]);

    let alerts = store.open_alerts().unwrap();
    assert_eq!(
        alerts.iter().map(|a| a.kind).collect::<Vec<_>>(),
        [Some(StoredKind::Roster)],
        "the resolved one stays closed"
    );
    let invite = store.kept_invite(&"e".repeat(64)).unwrap().expect("the invite is kept");
    assert_eq!((invite.role, invite.name.as_str(), *invite.secret), (Role::Coordinator, "Kari", [9; 32]));
    let (_, draft) = store.draft("new").unwrap().expect("the draft is kept");
    assert_eq!(draft.as_slice(), b"{\"summary\":\"typed, not sent\"}");
    assert_eq!(store.meta_u64("device_seq").unwrap(), 7);
    assert_eq!(store.meta("language").unwrap().as_deref(), Some("nb"));
    assert_eq!(store.latest_roster().unwrap().map(|r| r.signature), Some("c2lnbmVk".to_owned()));
}

/// From the first layout: alerts about rejected notes are closed (the rows
/// are their alerts now), a changed copy's alert gets its note as subject.
#[test]
fn alerts_kept_before_subjects_existed_are_closed_or_given_their_subject() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    let mut conn = Connection::open(&path).unwrap();
    migrations().to_version(&mut conn, 1).unwrap();
    conn.execute_batch(
        "INSERT INTO alerts (at, kind, detail) VALUES (1, 'note', 'a note failed verification');
         INSERT INTO alerts (at, kind, detail) VALUES (2, 'swap', 'ID revision 2: different content');",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path, &FIXTURE_KEY).unwrap();
    let open: Vec<_> = store.open_alerts().unwrap().into_iter().map(|a| (a.kind, a.subject)).collect();
    assert_eq!(open, [(Some(StoredKind::Swap), "ID revision 2".to_owned())]);
}

#[test]
fn a_store_left_by_a_newer_version_is_refused_as_such() {
    let (_dir, path) = file_from(&format!("{AT_VERSION_6}\nPRAGMA user_version = 99;"));
    let err = Store::open(&path, &FIXTURE_KEY).err().expect("refused");
    assert!(matches!(err, StoreError::NewerLayout(_)), "{err:?}");
    assert_eq!(user_version(&path), 99, "left as it was");
}

/// Each status is stored and shown by one name, which reads back.
#[test]
fn every_status_reads_back_by_its_name() {
    let (_dir, store) = new_store();
    for (i, status) in NoteStatus::ALL.into_iter().enumerate() {
        assert_eq!(status.as_str().parse::<NoteStatus>().unwrap(), status);
        assert_eq!(serde_json::to_value(status).unwrap(), status.as_str(), "--json shows the stored name");
        let seq = i as u64 + 1;
        store.put_note(&sealed(Kind::Note, &NoteId::random(), 1, seq), None, status, None, None).unwrap();
    }
    let mut stored: Vec<_> = store.all_rows().unwrap().into_iter().map(|r| (r.header().device_seq, r.status)).collect();
    stored.sort_by_key(|(seq, _)| *seq);
    assert_eq!(stored.into_iter().map(|(_, s)| s).collect::<Vec<_>>(), NoteStatus::ALL);
}

#[test]
fn a_status_this_version_does_not_know_is_an_error_that_names_it() {
    let (dir, store) = new_store();
    store.put_note(&sealed(Kind::Note, &NoteId::random(), 1, 1), None, NoteStatus::Valid, None, None).unwrap();
    Connection::open(dir.path().join("store.sqlite3"))
        .unwrap()
        .execute("UPDATE notes SET status = 'archived'", [])
        .unwrap();
    let err = store.all_rows().unwrap_err();
    assert!(matches!(&err, StoreError::UnknownValue { value, .. } if value == "archived"), "{err:?}");
}

/// A note's plaintext is sealed to its row: copied onto another note it
/// does not open, and cut short it is told apart from a wrong key.
#[test]
fn a_sealed_plaintext_opens_only_in_its_own_row() {
    let (dir, store) = new_store();
    let (a, b) = (NoteId::random(), NoteId::random());
    let mut note = visitnotes_shared::note::VisitNote::blank(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    note.summary = "sealed to its row".into();
    store.put_note(&sealed(Kind::Note, &a, 1, 1), None, NoteStatus::Valid, None, Some(&note)).unwrap();
    store.put_note(&sealed(Kind::Note, &b, 1, 2), None, NoteStatus::Valid, None, None).unwrap();
    assert_eq!(store.rows_with_prefix(a.as_str()).unwrap()[0].note.as_ref().unwrap().summary, "sealed to its row");

    let raw = Connection::open(dir.path().join("store.sqlite3")).unwrap();
    raw.execute(
        "UPDATE notes SET plain = (SELECT plain FROM notes WHERE note_id = ?1) WHERE note_id = ?2",
        [a.as_str(), b.as_str()],
    )
    .unwrap();
    let err = store.rows_with_prefix(b.as_str()).unwrap_err();
    assert!(matches!(&err, StoreError::Undecryptable { row } if *row == format!("{b}:1")), "{err:?}");

    raw.execute("UPDATE notes SET plain = x'0102' WHERE note_id = ?1", [a.as_str()]).unwrap();
    let err = store.rows_with_prefix(a.as_str()).unwrap_err();
    assert!(matches!(err, StoreError::Truncated { .. }), "{err:?}");

    let other_key = Store::open(&dir.path().join("store.sqlite3"), &[8; 32]).unwrap();
    raw.execute("UPDATE notes SET plain = NULL WHERE note_id = ?1", [b.as_str()]).unwrap();
    store.put_note(&sealed(Kind::Note, &b, 1, 2), None, NoteStatus::Valid, None, Some(&note)).unwrap();
    let err = other_key.rows_with_prefix(b.as_str()).unwrap_err();
    assert!(matches!(err, StoreError::Undecryptable { .. }), "{err:?}");
}

/// A transaction whose work fails leaves none of it.
#[test]
fn a_failed_transaction_leaves_nothing() {
    let (_dir, store) = new_store();
    let failed: Result<(), StoreError> = store.transaction(|s| {
        s.set_meta("device_seq", "5")?;
        Err(StoreError::Malformed { what: "anything".into() })
    });
    assert!(failed.is_err());
    assert_eq!(store.meta("device_seq").unwrap(), None);
    store.transaction(|s| s.set_meta("device_seq", "5")).unwrap();
    assert_eq!(store.meta_u64("device_seq").unwrap(), 5);
}

/// Each kind of kept alert has its own code, read back as that kind; a
/// code this version does not know reads as none.
#[test]
fn every_kept_alert_kind_reads_back_from_its_code() {
    let codes: Vec<&str> = StoredKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(
        codes,
        [
            "roster",
            "roster_behind",
            "swap",
            "rewrap",
            "restore",
            "audit",
            "head",
            "receipt",
            "enrolment",
            "org_key_grant"
        ]
    );
    for kind in StoredKind::ALL {
        assert_eq!(StoredKind::from_code(kind.code()), Some(kind));
    }
    assert_eq!(StoredKind::from_code("note"), None);
}

/// Power cuts while notes are written and sealed (each with its outbox
/// entry, in one transaction) and while a sync takes them out of the
/// outbox: on the crash VFS, the cut lands just before a random write or
/// sync. After each cut the store is intact, every note whose write
/// returned Ok (acknowledged to the person) is there and opens, and the
/// outbox holds each such note once unless its removal was acknowledged:
/// the next sync resumes without a duplicate or a loss.
/// `VISITNOTES_POWER_CUTS` sets the number of cuts (default 60).
#[test]
fn power_cuts_while_writing_and_syncing_keep_every_sealed_note_and_the_outbox() {
    use std::collections::HashSet;
    let cuts: u64 = std::env::var("VISITNOTES_POWER_CUTS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let vfs = crash_vfs::CrashVfs::register();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    let mut note = visitnotes_shared::note::VisitNote::blank(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    note.summary = "kept through a power cut".into();
    let (mut written, mut sent): (Vec<NoteId>, HashSet<String>) = (Vec::new(), HashSet::new());
    let mut seq = 0;
    for cut in 0..cuts {
        let store = Store::open_with_vfs(&path, &FIXTURE_KEY, Some(vfs.name())).unwrap();
        vfs.power_cut_before_op(1 + (cut * 7919) % 60);
        // Write and sync until the power goes. The operation the cut
        // interrupts may or may not have been kept: its note is in doubt.
        let mut in_doubt = None;
        for step in 0.. {
            let outcome = if step % 3 == 2 {
                // A sync: the oldest outbox entry was uploaded.
                let Some((id, sealed)) = store.outbox().ok().and_then(|o| o.into_iter().next()) else { continue };
                let note_id = sealed.header.note_id.to_string();
                in_doubt = Some(note_id.clone());
                store.transaction(|s| s.remove_from_outbox(id)).map(|()| Some(note_id))
            } else {
                seq += 1;
                let id = NoteId::random();
                let sealed = sealed(Kind::Note, &id, 1, seq);
                in_doubt = Some(id.to_string());
                store
                    .transaction(|s| {
                        s.put_note(&sealed, None, NoteStatus::Valid, None, Some(&note))?;
                        s.add_to_outbox(&sealed)
                    })
                    .map(|()| {
                        written.push(id);
                        None
                    })
            };
            match outcome {
                Ok(Some(id)) => {
                    sent.insert(id);
                }
                Ok(None) => {}
                Err(_) => break,
            }
            assert!(step < 100_000, "the power never went");
        }
        drop(store);
        vfs.power_on(cut, std::time::Duration::from_secs(10)).unwrap();

        let store = Store::open_with_vfs(&path, &FIXTURE_KEY, Some(vfs.name())).unwrap();
        let integrity: String = store.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok", "after cut {cut}");
        let rows = store.all_rows().unwrap();
        let stored: HashSet<String> = rows.iter().map(|r| r.sealed.header.note_id.to_string()).collect();
        assert!(rows.iter().all(|r| r.note.as_ref().is_some_and(|n| n.summary == note.summary)), "after cut {cut}");
        let outbox: Vec<String> =
            store.outbox().unwrap().into_iter().map(|(_, s)| s.header.note_id.to_string()).collect();
        assert_eq!(
            outbox.iter().collect::<HashSet<_>>().len(),
            outbox.len(),
            "a duplicate in the outbox after cut {cut}"
        );
        for id in &written {
            let id = id.to_string();
            assert!(stored.contains(&id), "note {id} lost after cut {cut}");
            if in_doubt.as_ref() != Some(&id) {
                assert_eq!(outbox.contains(&id), !sent.contains(&id), "note {id}'s outbox entry after cut {cut}");
            }
        }
        // The interrupted removal, when it was kept after all, counts as sent.
        if let Some(id) = in_doubt.filter(|id| stored.contains(id) && !outbox.contains(id)) {
            sent.insert(id);
        }
    }
    assert!(written.len() as u64 > cuts, "notes were written between cuts");
}

/// A device whose disk fills (the crash VFS's quota) while notes are
/// written: the write that does not fit fails as `StoreError::DiskFull`,
/// is not kept in part (neither the note nor its outbox entry), every
/// note written before it is there and opens, and once there is room again
/// the same note is taken without reopening the store.
#[test]
fn a_full_disk_refuses_the_note_that_does_not_fit_and_keeps_every_other() {
    let vfs = crash_vfs::CrashVfs::register();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_vfs(&dir.path().join("store.sqlite3"), &FIXTURE_KEY, Some(vfs.name())).unwrap();
    let mut note = visitnotes_shared::note::VisitNote::blank(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    note.summary = "x".repeat(8_000);
    vfs.set_quota(Some(vfs.used_bytes() + 256 * 1024));
    let write = |seq: u64| {
        let id = NoteId::random();
        let sealed = sealed(Kind::Note, &id, 1, seq);
        store
            .transaction(|s| {
                s.put_note(&sealed, None, NoteStatus::Valid, None, Some(&note))?;
                s.add_to_outbox(&sealed)
            })
            .map(|()| id)
    };
    let mut written = Vec::new();
    let refused = loop {
        match write(written.len() as u64 + 1) {
            Ok(id) => written.push(id),
            Err(e) => break e,
        }
        assert!(written.len() < 1_000, "the disk never filled");
    };
    assert!(matches!(refused, StoreError::DiskFull(_)), "{refused:?}");
    assert!(!written.is_empty(), "notes fitted before the disk filled");
    let rows = store.all_rows().unwrap();
    let stored: Vec<String> = rows.iter().map(|r| r.sealed.header.note_id.to_string()).collect();
    assert_eq!(stored.len(), written.len(), "the refused note was not kept in part");
    assert!(written.iter().all(|id| stored.contains(&id.to_string())));
    assert!(rows.iter().all(|r| r.note.as_ref().is_some_and(|n| n.summary == note.summary)));
    assert_eq!(store.outbox().unwrap().len(), written.len());

    vfs.set_quota(None);
    write(written.len() as u64 + 1).expect("taken once there is room");
    assert_eq!(store.all_rows().unwrap().len(), written.len() + 1);
    let integrity: String = store.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}
