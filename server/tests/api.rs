//! The HTTP API against a real server on an ephemeral loopback port.

mod common;

use common::*;
use serde_json::json;
use visitnotes_server::settings::Settings;
use visitnotes_shared::api::{DeviceState, PendingEnrolment, PullResponse, UploadResponse, UserInfo, UserState};
use visitnotes_shared::envelope::{seal, seal_follow_up, seal_tombstone, SealParams, SealedNote};
use visitnotes_shared::follow_up::{FollowUpEntry, FollowUpRecord};
use visitnotes_shared::invite::Invite;
use visitnotes_shared::note::FollowUp;
use visitnotes_shared::roster::Roster;
use visitnotes_shared::roster::{DeviceStatus, Role};
use visitnotes_shared::{NoteId, UserId};

#[test]
fn health_metrics_openapi_and_org() {
    let org = Org::new();
    let base = org.base();
    assert_eq!(raw(&base, "GET", "/healthz", b"").value()["status"], "ok");
    let metrics = raw(&base, "GET", "/metrics", b"");
    assert_eq!((metrics.status, metrics.code().as_str()), (404, "not_found"), "off without a metrics_token");
    let doc = raw(&base, "GET", "/v1/openapi.json", b"").value();
    assert_eq!(doc["openapi"], "3.1.0");
    for route in visitnotes_server::http::routes::ROUTES {
        let (method, path) = (route.method, route.path);
        assert!(doc["paths"][path][method].is_object(), "{method} {path} is documented");
    }
    let info = raw(&base, "GET", "/v1/org", b"").value();
    assert_eq!(info["roster_version"], 1);
    assert_eq!(info["org_key"], serde_json::to_value(org.org.public()).unwrap());
}

/// Every row of every table, as text; the audit log's `download` entries
/// (a pull of notes is logged, by design) and the counter of its numbers
/// left out.
fn database_rows(org: &Org) -> Vec<String> {
    let db = rusqlite::Connection::open(org.data_dir().join("visitnotes.sqlite3")).unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for table in tables {
        let filter = if table == "audit" { " WHERE action != 'download'" } else { "" };
        let mut query = db.prepare(&format!("SELECT * FROM \"{table}\"{filter}")).unwrap();
        let columns = query.column_count();
        let rows = query
            .query_map([], |r| {
                let values: Vec<String> = (0..columns)
                    .map(|i| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                Ok(format!("{table}: {}", values.join(", ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// A GET changes nothing: every GET route, called by an administrator and
/// by a leader, leaves every table as it was (a pull of notes adds only
/// its `download` entry to the audit log).
#[test]
fn every_get_route_changes_nothing_but_the_audit_logs_download_entries() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let note = leader.seal_new(&org.roster, "a note to pull");
    assert_eq!(leader.upload(&[note]).status, 200);
    let before = database_rows(&org);
    let gets: Vec<&str> =
        visitnotes_server::http::routes::ROUTES.iter().filter(|r| r.method == "get").map(|r| r.path).collect();
    assert!(gets.len() >= 10, "{gets:?}");
    for path in &gets {
        assert!(!path.contains('{'), "{path}: a GET with a path parameter needs one here");
        for dev in [&org.admin, &leader] {
            let reply = dev.get(path);
            assert!(reply.status < 500, "{path}: {}", reply.status);
        }
    }
    let after = database_rows(&org);
    let changed: Vec<_> = after.iter().filter(|r| !before.contains(r)).collect();
    let gone: Vec<_> = before.iter().filter(|r| !after.contains(r)).collect();
    assert!(changed.is_empty() && gone.is_empty(), "new: {changed:#?}\ngone: {gone:#?}");
}

/// `/metrics` answers only the bearer token of the settings.
#[test]
fn metrics_need_the_token_from_the_settings() {
    let token = "0123456789abcdef0123456789abcdef-metrics";
    let settings = Settings {
        metrics_token: Some(visitnotes_server::settings::MetricsToken(token.into())),
        ..Settings::default()
    };
    let org = Org::with_settings(settings);
    let url = format!("{}/metrics", org.base());
    let get = |authorization: Option<&str>| {
        let mut req = agent().get(&url);
        if let Some(value) = authorization {
            req = req.header("authorization", value);
        }
        let mut response = req.call().unwrap();
        (response.status().as_u16(), response.body_mut().read_to_string().unwrap())
    };
    for refused in [None, Some("Bearer"), Some("Bearer 0123456789abcdef0123456789abcdef-metric"), Some(token)] {
        let (status, body) = get(refused);
        assert_eq!(status, 401, "{refused:?}: {body}");
        assert!(!body.contains("visitnotes_requests_total"), "{refused:?}");
    }
    let (status, body) = get(Some(&format!("Bearer {token}")));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("visitnotes_requests_total"), "{body}");
}

#[test]
fn unknown_routes_and_methods_get_json_errors() {
    let org = Org::new();
    let base = org.base();
    let r = raw(&base, "GET", "/v1/nothing/../../etc/passwd", b"");
    assert_eq!((r.status, r.code().as_str()), (404, "not_found"));
    let r = raw(&base, "DELETE", "/v1/notes", b"");
    assert_eq!((r.status, r.code().as_str()), (405, "method_not_allowed"));
}

#[test]
fn enrolment_errors() {
    let (server, _dir, invite) = start(Settings::default());
    let base = server.url();
    // A mistyped token, then the right one twice: single use.
    let mut wrong = invite.clone();
    wrong.token[0] ^= 1;
    assert_eq!(enrol_device(&base, &wrong, "Ada").1.code(), "invite_invalid");
    assert_eq!(enrol_device(&base, &invite, "Ada").1.status, 201);
    let again = enrol_device(&base, &invite, "Eve").1;
    assert_eq!((again.status, again.code().as_str()), (401, "invite_invalid"));
    // Malformed bodies.
    for body in [
        &b"{"[..],
        b"[]",
        b"{\"token\": 5}",
        b"\xff\xfe",
        b"{\"token\":\"00\",\"name\":\"x\",\"signing_key\":\"AA==\",\"age_recipient\":\"x\",\"mac\":\"\",\"extra\":1}",
    ] {
        let r = raw(&base, "POST", "/v1/enrol", body);
        assert_eq!((r.status, r.code().as_str()), (400, "bad_json"), "{}", String::from_utf8_lossy(body));
    }
}

#[test]
fn an_expired_invite_is_refused() {
    let mut org = Org::new();
    let invite = Invite::generate(&org.base(), None);
    let created = org.admin.post(
        "/v1/admin/invites",
        &json!({ "token_hash": invite.token_hash(), "role": "leader", "name": "Bo", "expires_in_days": 1 }),
    );
    assert_eq!(created.status, 201);
    let db = rusqlite::Connection::open(org.data_dir().join("visitnotes.sqlite3")).unwrap();
    db.execute("UPDATE invites SET expires_at = 0 WHERE token_hash = ?1", [invite.token_hash()]).unwrap();
    assert_eq!(enrol_device(&org.base(), &invite, "Bo").1.code(), "invite_invalid");
    let _ = org.add("Cy", &[Role::Leader]);
}

#[test]
fn bootstrap_roster_rules() {
    let (server, _dir, invite) = start(Settings::default());
    let base = server.url();
    let (keys, reply) = enrol_device(&base, &invite, "Ada");
    let enrolled: visitnotes_shared::api::EnrolResponse = reply.json();
    let admin = Dev { keys, user_id: enrolled.user_id, base: base.clone(), seq: 0 };
    // Pending and before any roster: reading the roster is a 404, notes are forbidden.
    assert_eq!(admin.get("/v1/roster").status, 404);
    assert_eq!(admin.get("/v1/notes").status, 403);
    let org = visitnotes_shared::OrgKey::generate();
    let mut roster = visitnotes_shared::Roster {
        version: 1,
        org_key: org.public(),
        issued_at: 0,
        expires_at: None,
        units: vec![],
        members: vec![member(&admin, "Ada", &[Role::Leader])],
    };
    // Not listing the publisher as an administrator: refused.
    let r = admin.call("PUT", "/v1/roster", serde_json::to_vec(&roster.sign(&org)).unwrap().as_slice());
    assert_eq!(r.status, 400);
    roster.members = vec![member(&admin, "Ada", &[Role::Admin])];
    roster.version = 2;
    let r = admin.call("PUT", "/v1/roster", serde_json::to_vec(&roster.sign(&org)).unwrap().as_slice());
    assert_eq!(r.status, 409, "the first roster is version 1");
    roster.version = 1;
    let mut bad = roster.sign(&org);
    bad.signature = roster.sign(&visitnotes_shared::OrgKey::generate()).signature;
    assert_eq!(admin.call("PUT", "/v1/roster", serde_json::to_vec(&bad).unwrap().as_slice()).status, 400);
    let r = admin.call("PUT", "/v1/roster", serde_json::to_vec(&roster.sign(&org)).unwrap().as_slice());
    assert_eq!(r.status, 200);
    let got: visitnotes_shared::SignedRoster = admin.get("/v1/roster").json();
    assert_eq!(got.verify(&org.public(), 1).unwrap().version, 1);
}

#[test]
fn roster_versions_and_keys() {
    let mut org = Org::new();
    let mut next = org.roster.clone();
    let r = org.admin.call("PUT", "/v1/roster", serde_json::to_vec(&next.sign(&org.org)).unwrap().as_slice());
    assert_eq!(r.status, 409, "the version in force again");
    next.version = 2;
    let foreign = visitnotes_shared::OrgKey::generate();
    next.org_key = foreign.public();
    let r = org.admin.call("PUT", "/v1/roster", serde_json::to_vec(&next.sign(&foreign)).unwrap().as_slice());
    assert_eq!(r.status, 400, "signed by another key");
    let leader = org.add("Bo", &[Role::Leader]);
    let r = leader.call("PUT", "/v1/roster", serde_json::to_vec(&org.roster.sign(&org.org)).unwrap().as_slice());
    assert_eq!(r.status, 403, "a leader cannot publish");
    // A later version the organisation signed, past the next one: what an
    // administrator's client publishes again to a server restored from an
    // older backup.
    let mut later = org.roster.clone();
    later.version += 5;
    let signed = later.sign(&org.org);
    let r = org.admin.call("PUT", "/v1/roster", serde_json::to_vec(&signed).unwrap().as_slice());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let got: visitnotes_shared::SignedRoster = leader.get("/v1/roster").json();
    assert_eq!(got, signed, "the same signed bytes");
    let r = org.admin.call("PUT", "/v1/roster", serde_json::to_vec(&org.roster.sign(&org.org)).unwrap().as_slice());
    assert_eq!(r.status, 400, "an older version after it: it went backwards");
}

#[test]
fn upload_is_idempotent_and_conflicts_are_409() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let note = leader.seal_new(&org.roster, "first");
    let first: UploadResponse = leader.upload(std::slice::from_ref(&note)).json();
    assert!(first.results[0].created);
    let again = leader.upload(std::slice::from_ref(&note));
    assert_eq!(again.status, 200);
    let again: UploadResponse = again.json();
    assert_eq!(again.results[0].seq, first.results[0].seq);
    assert!(!again.results[0].created);

    // Same (id, revision), other bytes.
    let params = SealParams { note_id: note.header.note_id.clone(), revision: 1, prev_hash: None, device_seq: 1 };
    let other = seal(&common::note("other"), &params, &org.roster, &leader.keys).unwrap();
    let r = leader.upload(&[other]);
    assert_eq!((r.status, r.code().as_str()), (409, "conflict"));

    // A revision 2 that does not follow revision 1, then one that does.
    let bad = seal(
        &common::note("edit"),
        &SealParams { note_id: note.header.note_id.clone(), revision: 2, prev_hash: Some([0; 32]), device_seq: 2 },
        &org.roster,
        &leader.keys,
    )
    .unwrap();
    assert_eq!(leader.upload(&[bad]).status, 409);
    let good = seal(
        &common::note("edit"),
        &SealParams { note_id: note.header.note_id.clone(), revision: 2, prev_hash: Some(note.hash()), device_seq: 3 },
        &org.roster,
        &leader.keys,
    )
    .unwrap();
    assert_eq!(leader.upload(&[good]).status, 200);
    // A reused device sequence number.
    leader.seq = 2;
    let reused = leader.seal_new(&org.roster, "reuse");
    assert_eq!(leader.upload(&[reused]).status, 409);
}

#[test]
fn a_batch_is_all_or_nothing() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let a = leader.seal_new(&org.roster, "a");
    let mut b = leader.seal_new(&org.roster, "b");
    b.age[200] ^= 1;
    let r = leader.upload(&[a.clone(), b]);
    assert_eq!(r.status, 400);
    let coord = org.add("Cy", &[Role::Coordinator]);
    let page: PullResponse = coord.get("/v1/notes?since=0").json();
    assert!(page.notes.is_empty(), "nothing of a refused batch is stored");
    assert_eq!(leader.upload(&[a]).status, 200);
}

#[test]
fn uploads_are_checked_against_the_roster() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let mut other = org.add("Cy", &[Role::Leader]);
    // A note signed by another device cannot be uploaded by this one.
    let theirs = other.seal_new(&org.roster, "theirs");
    assert_eq!(leader.upload(&[theirs]).status, 403);
    // Ciphertext that does not match its signed hash, a claimed author that
    // is not the device's user, a roster version the server never published.
    // (The note signature itself is for readers to check: see
    // envelope::verify_unsigned.)
    let mut n = leader.seal_new(&org.roster, "x");
    n.age[300] ^= 1;
    assert_eq!(leader.upload(&[n]).status, 400);
    let mut n = leader.seal_new(&org.roster, "x");
    n.header.author = other.user_id.clone();
    assert_eq!(leader.upload(&[n]).status, 400);
    let mut n = leader.seal_new(&org.roster, "x");
    n.header.roster_version = 99;
    assert_eq!(leader.upload(&[n]).status, 400);
    // Numbers past what the store holds (SQLite integers are signed) are
    // refused as the sender's mistake, not failed as the server's.
    for set in [|n: &mut SealedNote| n.header.device_seq = u64::MAX, |n: &mut SealedNote| n.header.revision = u64::MAX]
    {
        let mut n = leader.seal_new(&org.roster, "x");
        set(&mut n);
        let r = leader.upload(&[n]);
        assert_eq!((r.status, r.code().as_str()), (400, "bad_request"), "{}", String::from_utf8_lossy(&r.body));
    }
    // Empty batch, wrong types, unknown fields.
    assert_eq!(leader.post("/v1/notes", &json!({ "notes": [] })).status, 400);
    assert_eq!(leader.post("/v1/notes", &json!({ "notes": 5 })).code(), "bad_json");
    assert_eq!(leader.post("/v1/notes", &json!({ "notes": [], "x": 1 })).code(), "bad_json");
}

#[test]
fn who_sees_what() {
    let mut org = Org::new();
    let mut a = org.add("Leader A", &[Role::Leader]);
    let mut b = org.add("Leader B", &[Role::Leader]);
    let coord = org.add("Coordinator", &[Role::Coordinator]);
    let na = a.seal_new(&org.roster, "a");
    let nb = b.seal_new(&org.roster, "b");
    assert_eq!(a.upload(std::slice::from_ref(&na)).status, 200);
    assert_eq!(b.upload(std::slice::from_ref(&nb)).status, 200);

    let seen_by_a: PullResponse = a.get("/v1/notes?since=0").json();
    assert_eq!(seen_by_a.notes.len(), 1);
    assert_eq!(seen_by_a.notes[0].sealed, na);

    let seen_by_coord: PullResponse = coord.get("/v1/notes?since=0").json();
    assert_eq!(seen_by_coord.notes.len(), 2);
    assert!(seen_by_coord.notes.iter().all(|n| n.withheld.is_none() && !n.sealed.age.is_empty()));

    let seen_by_admin: PullResponse = org.admin.get("/v1/notes?since=0").json();
    assert_eq!(seen_by_admin.notes.len(), 2);
    assert!(seen_by_admin
        .notes
        .iter()
        .all(|n| n.withheld.as_deref() == Some("metadata_only") && n.sealed.age.is_empty()));
}

/// Every page says where the store stands, as the caller may see it: what
/// a client needs to notice a server restored from an older backup.
#[test]
fn pull_pages_say_where_the_store_stands() {
    let mut org = Org::new();
    let mut a = org.add("Leader A", &[Role::Leader]);
    let mut b = org.add("Leader B", &[Role::Leader]);
    let coord = org.add("Coordinator", &[Role::Coordinator]);
    let a1 = a.seal_new(&org.roster, "a1");
    let b1 = b.seal_new(&org.roster, "b1");
    let a2 = a.seal_new(&org.roster, "a2");
    for (who, note) in [(&a, &a1), (&b, &b1), (&a, &a2)] {
        assert_eq!(who.upload(std::slice::from_ref(note)).status, 200);
    }
    let page = |who: &common::Dev, since: u64| -> PullResponse { who.get(&format!("/v1/notes?since={since}")).json() };

    let all = page(&coord, 0);
    let (s1, s2, s3) = (all.notes[0].seq, all.notes[1].seq, all.notes[2].seq);
    assert_eq!(all.server.head, s3);
    assert_eq!(all.server.at_since, None, "nothing at 0");
    assert_eq!(all.server.device_seq, 0, "the coordinator's device stored nothing");
    let at = page(&coord, s2).server.at_since.unwrap();
    assert_eq!((at.seq, &at.note_id, at.revision), (s2, &b1.header.note_id, 1));
    assert_eq!(at.received_at, all.notes[1].received_at);

    // A leader: its own head, its own notes named, another's not.
    let mine = page(&a, 0);
    assert_eq!((mine.server.head, mine.server.device_seq), (s3, 2));
    assert_eq!(page(&a, s1).server.at_since.unwrap().note_id, a1.header.note_id);
    assert_eq!(page(&a, s2).server.at_since, None, "Leader B's note is not named to Leader A");
    let theirs = page(&b, 0);
    assert_eq!((theirs.server.head, theirs.server.device_seq), (s2, 1));
    assert_eq!(page(&b, s3).server.at_since, None);

    // One store id, for everybody (kept across restarts: `db::tests`).
    let id = all.server.store_id.clone();
    assert_eq!(id.len(), 32);
    assert_eq!(mine.server.store_id, id);
    assert_eq!(page(&org.admin, 0).server.store_id, id);
}

/// Revision `revision` of the follow-up record `record_id` on a concern of
/// a note by `note_author`, signed by `by` under `roster` (which may be one
/// of the signer's own making).
fn follow_up(
    by: &mut Dev,
    roster: &Roster,
    note_author: &UserId,
    record_id: &NoteId,
    revision: u64,
    prev: Option<[u8; 32]>,
) -> SealedNote {
    by.seq += 1;
    let record = FollowUpRecord {
        schema_version: 1,
        note_id: NoteId::random(),
        note_revision: 1,
        concern: 1,
        concern_sha256: "ab".repeat(32),
        entries: vec![FollowUpEntry {
            status: FollowUp::Closed,
            date: chrono::NaiveDate::from_ymd_opt(2026, 6, 2).unwrap(),
            text: "seen by a doctor".into(),
            recorded_at: 0,
        }],
    };
    let params = SealParams { note_id: record_id.clone(), revision, prev_hash: prev, device_seq: by.seq };
    // The server checks only that the chain starts at the device's first
    // item; readers check the rest.
    let chain = if by.seq == 1 { [0; 32] } else { [1; 32] };
    seal_follow_up(&record, note_author, &params, chain, roster, &by.keys).unwrap()
}

#[test]
fn follow_up_records_go_to_coordinators_and_the_notes_author_only() {
    let mut org = Org::new();
    let mut a = org.add("Leader A", &[Role::Leader]);
    let b = org.add("Leader B", &[Role::Leader]);
    let mut coord = org.add("Coordinator", &[Role::Coordinator]);
    let mut coord2 = org.add("Coordinator Two", &[Role::Coordinator]);
    let note = a.seal_new(&org.roster, "a");
    assert_eq!(a.upload(std::slice::from_ref(&note)).status, 200);
    let record_id = NoteId::random();
    let first = follow_up(&mut coord, &org.roster, &a.user_id, &record_id, 1, None);
    assert_eq!(coord.upload(std::slice::from_ref(&first)).status, 200);

    // The note's author gets its note and the record about it, in order, in pages.
    let seen_by_a: PullResponse = a.get("/v1/notes?since=0").json();
    let sealed = |page: &PullResponse| page.notes.iter().map(|n| n.sealed.clone()).collect::<Vec<_>>();
    assert_eq!(sealed(&seen_by_a), vec![note.clone(), first.clone()]);
    let page: PullResponse = a.get("/v1/notes?since=0&limit=1").json();
    assert_eq!((sealed(&page), page.more), (vec![note.clone()], true));
    let page: PullResponse = a.get(&format!("/v1/notes?since={}&limit=1", page.next)).json();
    assert_eq!((sealed(&page), page.more), (vec![first.clone()], false));
    // Another leader gets nothing; coordinators get both; an administrator
    // who is not a coordinator, the record's metadata only.
    let seen_by_b: PullResponse = b.get("/v1/notes?since=0").json();
    assert!(seen_by_b.notes.is_empty());
    let seen_by_coord2: PullResponse = coord2.get("/v1/notes?since=0").json();
    assert_eq!(sealed(&seen_by_coord2), vec![note.clone(), first.clone()]);
    let seen_by_admin: PullResponse = org.admin.get("/v1/notes?since=0").json();
    assert_eq!(seen_by_admin.notes[1].withheld.as_deref(), Some("metadata_only"));
    assert_eq!(seen_by_admin.notes[1].sealed.header.note_author.as_ref(), Some(&a.user_id));

    // A leader's device cannot upload one, even signed under a roster of
    // its own that calls it a coordinator.
    let mut claimed = org.roster.clone();
    claimed.members.iter_mut().find(|m| m.user_id == a.user_id).unwrap().roles.insert(Role::Coordinator);
    let a_user = a.user_id.clone();
    let forged = follow_up(&mut a, &claimed, &a_user, &NoteId::random(), 1, None);
    let r = a.upload(&[forged]);
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden"), "{}", String::from_utf8_lossy(&r.body));
    assert!(String::from_utf8_lossy(&r.body).contains("only a coordinator's device"));

    // The next revision: by its author only, about the same person's note,
    // and never a deletion.
    let by_other = follow_up(&mut coord2, &org.roster, &a.user_id, &record_id, 2, Some(first.hash()));
    assert_eq!(coord2.upload(&[by_other]).status, 403);
    let redirected = follow_up(&mut coord, &org.roster, &b.user_id, &record_id, 2, Some(first.hash()));
    let r = coord.upload(&[redirected]);
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    coord.seq += 1;
    let p =
        SealParams { note_id: record_id.clone(), revision: 2, prev_hash: Some(first.hash()), device_seq: coord.seq };
    let tomb = seal_tombstone(&p, &org.roster, &coord.keys).unwrap();
    assert_eq!(coord.upload(&[tomb]).status, 400);
    let second = follow_up(&mut coord, &org.roster, &a.user_id, &record_id, 2, Some(first.hash()));
    let r = coord.upload(std::slice::from_ref(&second));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let seen_by_a: PullResponse = a.get("/v1/notes?since=0").json();
    assert_eq!(sealed(&seen_by_a), vec![note, first, second]);

    // What the server keeps: the kind and the user it is also for, nothing of the note it is about.
    let db = rusqlite::Connection::open(org.data_dir().join("visitnotes.sqlite3")).unwrap();
    let (kind, also_for): (i64, String) = db
        .query_row(
            "SELECT kind, lower(hex(note_author)) FROM notes WHERE note_id = unhex(?1) AND revision = 2",
            [record_id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind, also_for.as_str()), (2, a.user_id.as_str()));
}

#[test]
fn pull_pages_with_a_cursor() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let notes: Vec<_> = (0..25).map(|i| leader.seal_new(&org.roster, &format!("n{i}"))).collect();
    assert_eq!(leader.upload(&notes).status, 200);
    let mut since = 0;
    let mut got = Vec::new();
    loop {
        let page: PullResponse = leader.get(&format!("/v1/notes?since={since}&limit=10")).json();
        got.extend(page.notes.iter().map(|n| n.sealed.clone()));
        since = page.next;
        if !page.more {
            break;
        }
    }
    assert_eq!(got, notes);
    assert_eq!(leader.get("/v1/notes?limit=0").status, 400);
    // A cursor past any sequence number the store can hold: nothing after it.
    let far: PullResponse = leader.get(&format!("/v1/notes?since={}", u64::MAX)).json();
    assert!(far.notes.is_empty() && !far.more && far.next == u64::MAX);
    let far = org.admin.get(&format!("/v1/admin/audit?since={}", u64::MAX));
    assert_eq!((far.status, far.value()), (200, json!([])));
    assert_eq!(leader.get("/v1/notes?limit=100000").status, 400);
    assert_eq!(leader.get("/v1/notes?since=-1").status, 400);
    assert_eq!(leader.get("/v1/notes?since=1%27%20OR%201=1").status, 400);
}

#[test]
fn tombstones_purge_and_retention() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let coord = org.add("Cy", &[Role::Coordinator]);
    let n1 = leader.seal_new(&org.roster, "v1");
    leader.upload(std::slice::from_ref(&n1));
    let n2 = seal(
        &common::note("v2"),
        &SealParams { note_id: n1.header.note_id.clone(), revision: 2, prev_hash: Some(n1.hash()), device_seq: 2 },
        &org.roster,
        &leader.keys,
    )
    .unwrap();
    leader.upload(std::slice::from_ref(&n2));
    // Retention of 0 days purges the superseded revision 1 only.
    let db = visitnotes_server::open_existing(&org.data_dir()).unwrap();
    assert_eq!(visitnotes_server::purge(&db, 0).unwrap(), 1);
    let page: PullResponse = coord.get("/v1/notes?since=0").json();
    assert_eq!(page.notes[0].withheld.as_deref(), Some("purged"));
    assert_eq!(page.notes[1].sealed, n2);

    // Only the author deletes.
    let p = SealParams { note_id: n1.header.note_id.clone(), revision: 3, prev_hash: Some(n2.hash()), device_seq: 3 };
    let tomb = seal_tombstone(&p, &org.roster, &leader.keys).unwrap();
    assert_eq!(leader.upload(&[tomb]).status, 200);
    let page: PullResponse = coord.get("/v1/notes?since=0").json();
    assert!(page.notes[..2].iter().all(|n| n.withheld.as_deref() == Some("purged")));
    let stored: i64 = rusqlite::Connection::open(org.data_dir().join("visitnotes.sqlite3"))
        .unwrap()
        .query_row("SELECT COUNT(*) FROM notes WHERE age IS NOT NULL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0);
}

/// Guards the nonce check (`state.fresh_nonce` in `http/auth.rs`): a GET,
/// an upload and an invite replayed byte for byte with their signature
/// headers get 401 and change nothing (the invite's replay would be stored
/// as a second audit entry or answered 409, the upload's answered 200); and
/// the signature's coverage of query and body, the skew window, the device
/// lookup.
#[test]
fn signed_requests_refuse_replay_tampering_and_strangers() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let base = org.base();
    let headers = signed_headers(&leader.keys, "GET", "/v1/notes?since=0", b"");
    assert_eq!(send_with(&base, "GET", "/v1/notes?since=0", b"", &headers).status, 200);
    let replay = send_with(&base, "GET", "/v1/notes?since=0", b"", &headers);
    assert_eq!((replay.status, replay.code().as_str()), (401, "unauthorized"));
    // State-changing requests, replayed byte for byte.
    let note = leader.seal_new(&org.roster, "once");
    let upload = json!({ "notes": [note] }).to_string();
    let headers = signed_headers(&leader.keys, "POST", "/v1/notes", upload.as_bytes());
    assert_eq!(send_with(&base, "POST", "/v1/notes", upload.as_bytes(), &headers).status, 200);
    let invite = Invite::generate(&base, Some(org.org.public().digest()));
    let create = serde_json::to_vec(&visitnotes_shared::api::CreateInvite {
        token_hash: invite.token_hash(),
        role: Role::Leader,
        name: "Di".into(),
        user_id: None,
        expires_in_days: None,
    })
    .unwrap();
    let invite_headers = signed_headers(&org.admin.keys, "POST", "/v1/admin/invites", &create);
    assert_eq!(send_with(&base, "POST", "/v1/admin/invites", &create, &invite_headers).status, 201);
    // (A pull is in the audit log too: pulled before the log is read.)
    let pulled_before = leader.get("/v1/notes?since=0").value()["notes"].clone();
    let audit_before = org.admin.get("/v1/admin/audit").value();
    for (path, body, headers) in
        [("/v1/notes", upload.as_bytes(), &headers), ("/v1/admin/invites", create.as_slice(), &invite_headers)]
    {
        let replay = send_with(&base, "POST", path, body, headers);
        assert_eq!((replay.status, replay.code().as_str()), (401, "unauthorized"), "{path} replayed");
    }
    assert_eq!(org.admin.get("/v1/admin/audit").value(), audit_before, "the replays left no trace");
    assert_eq!(leader.get("/v1/notes?since=0").value()["notes"], pulled_before, "nothing stored");
    // Signed for one query, sent with another.
    let headers = signed_headers(&leader.keys, "GET", "/v1/notes?since=0", b"");
    assert_eq!(send_with(&base, "GET", "/v1/notes?since=5", b"", &headers).status, 401);
    // A body other than the one signed.
    let headers = signed_headers(&leader.keys, "POST", "/v1/notes", b"{\"notes\":[]}");
    assert_eq!(send_with(&base, "POST", "/v1/notes", b"{\"notes\":[1]}", &headers).status, 401);
    // An old timestamp (outside the skew window), re-signed properly.
    let parts = visitnotes_shared::request::RequestParts { method: "GET", path: "/v1/notes", query: "", body: b"" };
    let old = visitnotes_shared::request::sign(&leader.keys, &parts, chrono::Utc::now().timestamp() - 3600);
    let old: Vec<_> = old.pairs().iter().map(|(k, v)| (*k, v.to_string())).collect();
    assert_eq!(send_with(&base, "GET", "/v1/notes", b"", &old).status, 401);
    // A device the server never enrolled, and no headers at all.
    let stranger = Dev {
        keys: visitnotes_shared::DeviceKeys::generate(),
        user_id: leader.user_id.clone(),
        base: base.clone(),
        seq: 0,
    };
    assert_eq!(stranger.get("/v1/notes").status, 401);
    assert_eq!(raw(&base, "GET", "/v1/notes", b"").status, 401);
    // Garbage header values.
    let garbage = vec![("x-visitnotes-device", "'; DROP TABLE notes; --".to_owned())];
    assert_eq!(send_with(&base, "GET", "/v1/notes", b"", &garbage).status, 401);
}

/// Guards the role check in `http/auth.rs`: a device gets its roles only
/// when the roster in force lists it, active, under an active member, with
/// the user the server enrolled it for. Listed under another user, it is
/// not a member (403 on a member's route); its member removed or the device
/// revoked in the roster, it is refused (401 or 403). (Found by
/// cargo-mutants: the check could be `true` with every test passing. The
/// key cannot differ: a roster whose device id is not its key's is
/// refused.)
#[test]
fn roles_come_only_from_the_rosters_entry_for_this_device_and_key() {
    type Change = fn(&mut visitnotes_shared::roster::Member);
    let changes: [(&str, Change); 3] = [
        ("another user", |m| m.user_id = UserId::random()),
        ("member removed", |m| m.status = visitnotes_shared::roster::MemberStatus::Removed),
        ("device revoked", |m| {
            m.devices[0].status = DeviceStatus::Revoked {
                trusted_through_seq: 0,
                trusted_through_hash: None,
                active_through_roster: None,
            }
        }),
    ];
    for (what, change) in changes {
        let mut org = Org::new();
        let leader = org.add("Bo", &[Role::Leader]);
        assert_eq!(leader.get("/v1/notes?since=0").status, 200, "{what}: a member first");
        let mut next = org.roster.clone();
        change(next.members.iter_mut().find(|m| m.user_id == leader.user_id || m.name == "Bo").unwrap());
        let published = org.publish(next);
        assert_eq!(published.status, 200, "{what}: {}", published.value());
        let refused = leader.get("/v1/notes?since=0");
        assert!([401, 403].contains(&refused.status), "{what}: {} {}", refused.status, refused.value());
    }
}

#[test]
fn a_revoked_device_is_refused_from_its_next_request() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let n = leader.seal_new(&org.roster, "x");
    assert_eq!(leader.upload(&[n]).status, 200);
    let r = org.admin.post(&format!("/v1/admin/devices/{}/revoke", leader.keys.device_id()), &json!({}));
    assert_eq!(r.status, 200);
    assert_eq!(r.value()["last_seq"], 1);
    let refused = leader.get("/v1/notes");
    assert_eq!((refused.status, refused.code().as_str()), (401, "unauthorized"));
    // The roster that follows keeps it revoked, with its first note trusted.
    let mut next = org.roster.clone();
    next.members
        .iter_mut()
        .flat_map(|m| m.devices.iter_mut())
        .filter(|d| d.device_id == leader.keys.device_id())
        .for_each(|d| {
            d.status = DeviceStatus::Revoked {
                trusted_through_seq: 1,
                trusted_through_hash: None,
                active_through_roster: None,
            };
        });
    assert_eq!(org.publish(next).status, 200);
    assert_eq!(leader.get("/v1/notes").status, 401);
    assert_eq!(org.admin.post("/v1/admin/devices/00000000000000000000000000000000/revoke", &json!({})).status, 404);
    assert_eq!(org.admin.post("/v1/admin/devices/nope/revoke", &json!({})).status, 400);
}

#[test]
fn a_rejected_enrolment_is_gone_and_an_approved_device_cannot_be_rejected() {
    let mut org = Org::new();
    let leader = org.add("Bo", &[Role::Leader]);
    let invite = Invite::generate(&org.base(), None);
    let created = org
        .admin
        .post("/v1/admin/invites", &json!({ "token_hash": invite.token_hash(), "role": "leader", "name": "Eve" }));
    assert_eq!(created.status, 201);
    let (keys, reply) = enrol_device(&org.base(), &invite, "Eve");
    assert_eq!(reply.status, 201);
    let pending: Vec<PendingEnrolment> = org.admin.get("/v1/admin/enrolments").json();
    assert_eq!(pending.len(), 1);
    let path = format!("/v1/admin/enrolments/{}/reject", keys.device_id());
    assert_eq!(org.admin.post(&path, &json!({})).status, 200);
    let pending: Vec<PendingEnrolment> = org.admin.get("/v1/admin/enrolments").json();
    assert!(pending.is_empty());
    // Rejected once: nothing left to reject; the invite stays used.
    assert_eq!(org.admin.post(&path, &json!({})).status, 404);
    assert_eq!(enrol_device(&org.base(), &invite, "Eve").1.code(), "invite_invalid");
    // An approved device is not a pending enrolment.
    let approved = format!("/v1/admin/enrolments/{}/reject", leader.keys.device_id());
    assert_eq!(org.admin.post(&approved, &json!({})).status, 404);
    assert_eq!(leader.get("/v1/notes").status, 200);
    let audit = org.admin.get("/v1/admin/audit").value();
    assert!(audit.as_array().unwrap().iter().any(|e| e["action"] == "reject"), "{audit}");
}

#[test]
fn removing_a_user_revokes_every_device() {
    let mut org = Org::new();
    let leader = org.add("Bo", &[Role::Leader]);
    let r = org.admin.post(&format!("/v1/admin/users/{}/remove", leader.user_id), &json!({}));
    assert_eq!(r.status, 200);
    assert_eq!(leader.get("/v1/roster").status, 401);
    let users: Vec<UserInfo> = org.admin.get("/v1/admin/users").json();
    let bo = users.iter().find(|u| u.user_id == leader.user_id).unwrap();
    assert_eq!(bo.state, UserState::Removed);
    assert!(bo.devices.iter().all(|d| d.state == DeviceState::Revoked));
}

/// Every route against every role: what the design allows, and nothing else.
#[test]
fn role_by_route_matrix() {
    let mut org = Org::new();
    let leader = org.add("Leader", &[Role::Leader]);
    let coord = org.add("Coordinator", &[Role::Coordinator]);
    let pending = {
        let invite = Invite::generate(&org.base(), None);
        org.admin
            .post("/v1/admin/invites", &json!({ "token_hash": invite.token_hash(), "role": "leader", "name": "P" }));
        let (keys, reply) = enrol_device(&org.base(), &invite, "P");
        let user_id = reply.json::<visitnotes_shared::api::EnrolResponse>().user_id;
        Dev { keys, user_id, base: org.base(), seq: 0 }
    };
    let invite_body =
        || json!({ "token_hash": Invite::generate("http://x", None).token_hash(), "role": "leader", "name": "N" });
    // (route, [admin, coordinator, leader, pending]) expected statuses.
    type Call = Box<dyn Fn(&Dev) -> u16>;
    let routes: Vec<(&str, Call, [u16; 4])> = vec![
        ("GET /v1/roster", Box::new(|d: &Dev| d.get("/v1/roster").status), [200, 200, 200, 200]),
        ("GET /v1/notes", Box::new(|d: &Dev| d.get("/v1/notes").status), [200, 200, 200, 403]),
        ("GET /v1/heads", Box::new(|d: &Dev| d.get("/v1/heads").status), [200, 200, 200, 403]),
        ("GET /v1/receipts", Box::new(|d: &Dev| d.get("/v1/receipts").status), [200, 200, 200, 403]),
        (
            "POST /v1/admin/invites",
            Box::new(move |d: &Dev| d.post("/v1/admin/invites", &invite_body()).status),
            [201, 403, 403, 403],
        ),
        ("GET /v1/admin/enrolments", Box::new(|d: &Dev| d.get("/v1/admin/enrolments").status), [200, 403, 403, 403]),
        ("GET /v1/admin/users", Box::new(|d: &Dev| d.get("/v1/admin/users").status), [200, 403, 403, 403]),
        ("GET /v1/admin/audit", Box::new(|d: &Dev| d.get("/v1/admin/audit").status), [200, 403, 403, 403]),
        (
            "GET /v1/admin/audit/checkpoint",
            Box::new(|d: &Dev| d.get("/v1/admin/audit/checkpoint").status),
            [404, 403, 403, 403],
        ),
        (
            "POST /v1/admin/audit/checkpoint",
            Box::new(|d: &Dev| d.post("/v1/admin/audit/checkpoint", &json!({})).status),
            [400, 403, 403, 403],
        ),
        (
            "POST /v1/admin/devices/../revoke",
            Box::new(|d: &Dev| d.post("/v1/admin/devices/00000000000000000000000000000000/revoke", &json!({})).status),
            [404, 403, 403, 403],
        ),
        (
            "POST /v1/admin/enrolments/../reject",
            Box::new(|d: &Dev| {
                d.post("/v1/admin/enrolments/00000000000000000000000000000000/reject", &json!({})).status
            }),
            [404, 403, 403, 403],
        ),
        (
            "POST /v1/admin/users/../remove",
            Box::new(|d: &Dev| d.post("/v1/admin/users/00000000000000000000000000000000/remove", &json!({})).status),
            [404, 403, 403, 403],
        ),
    ];
    for (name, call, expected) in &routes {
        let got = [call(&org.admin), call(&coord), call(&leader), call(&pending)];
        assert_eq!(&got, expected, "{name} as [admin, coordinator, leader, pending]");
    }
    // Upload: members only. The pending device seals under a roster of its
    // own making that lists it; the server's roster does not.
    let mut pending = pending;
    let mut imagined = org.roster.clone();
    imagined.members.push(member(&pending, "P", &[Role::Leader]));
    let n = pending.seal_new(&imagined, "x");
    assert_eq!(pending.upload(&[n]).status, 403);
}

#[test]
fn oversize_bodies_are_413() {
    let settings = Settings { max_batch_bytes: 64 * 1024, ..Settings::default() };
    let mut org = Org::with_settings(settings);
    let leader = org.add("Bo", &[Role::Leader]);
    let big = vec![b' '; 65 * 1024];
    let r = leader.call("POST", "/v1/notes", &big);
    assert_eq!((r.status, r.code().as_str()), (413, "too_large"));
    let r = raw(&org.base(), "POST", "/v1/enrol", &vec![b'x'; 5 * 1024 * 1024]);
    assert_eq!(r.status, 413);
}

#[test]
fn a_chunked_body_is_cut_off_at_the_limit() {
    let org = Org::new();
    let (answer, sent) = common::process::send_chunked(&org.server.addr.to_string(), "POST", "/v1/enrol", 1 << 30);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(sent < 1 << 30, "the server stopped reading before 1 GiB");
}

#[test]
fn rate_limits_answer_429() {
    let settings = Settings { rate_per_device: 5, ..Settings::default() };
    let mut org = Org::with_settings(settings);
    let leader = org.add("Bo", &[Role::Leader]);
    let statuses: Vec<u16> = (0..40).map(|_| leader.get("/v1/notes").status).collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429), "{statuses:?}");
}

#[test]
fn quota_per_user() {
    let settings = Settings { quota_bytes_per_user: 4_000, ..Settings::default() };
    let mut org = Org::with_settings(settings);
    let mut leader = org.add("Bo", &[Role::Leader]);
    let a = leader.seal_new(&org.roster, "a");
    assert_eq!(leader.upload(&[a]).status, 200);
    let b = leader.seal_new(&org.roster, "b");
    let r = leader.upload(&[b]);
    assert_eq!((r.status, r.code().as_str()), (413, "quota_exceeded"));
}

#[test]
fn the_audit_log_records_state_changes() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let n = leader.seal_new(&org.roster, "x");
    leader.upload(&[n]);
    let entries: Vec<visitnotes_shared::api::AuditEntry> = org.admin.get("/v1/admin/audit").json();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for action in ["invite", "enrol", "roster", "upload"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let page: Vec<visitnotes_shared::api::AuditEntry> = org.admin.get("/v1/admin/audit?since=2&limit=1").json();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].seq, 3);
}

/// An administrator's device signs the log's head; the server keeps the
/// checkpoint only if it fits its log and the roster in force.
#[test]
fn an_audit_checkpoint_is_stored_when_it_fits_the_log() {
    use visitnotes_shared::api::AuditEntry;
    use visitnotes_shared::audit::Checkpoint;
    let mut org = Org::new();
    let leader = org.add("Bo", &[Role::Leader]);
    let entries: Vec<AuditEntry> = org.admin.get("/v1/admin/audit").json();
    let last = entries.last().unwrap();
    let sign = |keys: &visitnotes_shared::DeviceKeys, entries: u64, head: &str, version: u64| {
        serde_json::to_value(Checkpoint::sign(entries, head, 1_790_000_000, version, keys)).unwrap()
    };
    let version = org.roster.version;
    // Not the head's hash, an entry the log does not have, a stale roster
    // version, a leader's device: refused.
    let wrong_hash =
        org.admin.post("/v1/admin/audit/checkpoint", &sign(&org.admin.keys, last.seq, &entries[0].hash, version));
    assert_eq!((wrong_hash.status, wrong_hash.code().as_str()), (409, "conflict"));
    let beyond =
        org.admin.post("/v1/admin/audit/checkpoint", &sign(&org.admin.keys, last.seq + 5, &last.hash, version));
    assert_eq!(beyond.status, 409);
    let stale = org.admin.post("/v1/admin/audit/checkpoint", &sign(&org.admin.keys, last.seq, &last.hash, version - 1));
    assert_eq!(stale.status, 409);
    assert_eq!(
        leader.post("/v1/admin/audit/checkpoint", &sign(&leader.keys, last.seq, &last.hash, version)).status,
        403
    );
    let mut forged: Checkpoint = serde_json::from_value(sign(&org.admin.keys, last.seq, &last.hash, version)).unwrap();
    forged.signed_at += 1;
    let forged = org.admin.post("/v1/admin/audit/checkpoint", &serde_json::to_value(&forged).unwrap());
    assert_eq!((forged.status, forged.code().as_str()), (400, "bad_request"));

    let good = sign(&org.admin.keys, last.seq, &last.hash, version);
    let stored = org.admin.post("/v1/admin/audit/checkpoint", &good);
    assert_eq!(stored.status, 201, "{}", String::from_utf8_lossy(&stored.body));
    assert_eq!(stored.value()["entries"], last.seq);
    assert_eq!(org.admin.get("/v1/admin/audit/checkpoint").value(), good);
    // Storing it is an entry of its own.
    let after: Vec<AuditEntry> = org.admin.get(&format!("/v1/admin/audit?since={}", last.seq)).json();
    assert_eq!(
        (after[0].action.as_str(), after[0].subject.as_str()),
        ("checkpoint", &*format!("entries 1 to {} signed", last.seq))
    );
}

#[test]
fn uploads_in_the_binary_form() {
    let mut org = Org::new();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let note = leader.seal_new(&org.roster, "binary");
    let post = |body: &[u8]| {
        let headers = signed_headers(&leader.keys, "POST", "/v1/notes", body);
        let mut req = agent().post(&format!("{}/v1/notes", org.base()));
        for (k, v) in &headers {
            req = req.header(*k, v);
        }
        let mut response = req.content_type(visitnotes_shared::api::POSTCARD).send(body).unwrap();
        (response.status().as_u16(), response.body_mut().read_to_string().unwrap())
    };
    let body = postcard::to_stdvec(&visitnotes_shared::api::UploadBatch { notes: vec![note.clone()] }).unwrap();
    let (status, answer) = post(&body);
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = post(b"\x01\x02not postcard");
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("bad_json"));
    // And it pulls back identical, in either form.
    let coord = org.add("Cy", &[Role::Coordinator]);
    let page: PullResponse = coord.get("/v1/notes?since=0").json();
    assert_eq!(page.notes[0].sealed, note);
    let binary = coord.get("/v1/notes?since=0&format=postcard");
    let page: PullResponse = postcard::from_bytes(&binary.body).unwrap();
    assert_eq!(page.notes[0].sealed, note);
    assert_eq!(coord.get("/v1/notes?format=xml").status, 400);
}

/// A client with batches in flight sends each with `after`: the
/// server stores it only once the first is stored, in the device's order
/// (stored first, seq 3 would make the first batch's 1 and 2 a conflict).
/// Guards the writer's `after` check (`take_ready`): the later batch is
/// seen waiting in the writer (`visitnotes_uploads_waiting`) before the
/// first is sent, so it arrives first on any machine.
#[test]
fn an_upload_sent_after_an_earlier_batch_waits_for_it() {
    let mut org = Org::with_settings(with_metrics(Settings { upload_wait_ms: 60_000, ..Settings::default() }));
    let mut leader = org.add("Bo", &[Role::Leader]);
    let first = [leader.seal_new(&org.roster, "1"), leader.seal_new(&org.roster, "2")];
    let second = json!({ "notes": [leader.seal_new(&org.roster, "3")] }).to_string();
    let (leader, base) = (&leader, org.base());
    std::thread::scope(|s| {
        let waiting = s.spawn(|| leader.call("POST", "/v1/notes?after=2", second.as_bytes()));
        wait_for_metric(&base, "visitnotes_uploads_waiting", 1);
        let first = leader.upload(&first);
        assert_eq!(first.status, 200, "{}", first.value());
        let waiting = waiting.join().unwrap();
        assert_eq!(waiting.status, 200, "{}", waiting.value());
        let (first, second): (UploadResponse, UploadResponse) = (first.json(), waiting.json());
        assert!(second.results[0].seq > first.results[1].seq);
    });
}

#[test]
fn an_upload_whose_earlier_batch_never_comes_is_too_early() {
    let mut org = Org::with_settings(Settings { upload_wait_ms: 200, ..Settings::default() });
    let mut leader = org.add("Bo", &[Role::Leader]);
    let note = leader.seal_new(&org.roster, "1");
    let body = json!({ "notes": [note] }).to_string();
    let r = leader.call("POST", "/v1/notes?after=5", body.as_bytes());
    assert_eq!((r.status, r.code().as_str()), (400, "bad_request"), "after must be below the batch");
    let r = leader.call("POST", "/v1/notes?after=0", body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.value());
    let _never_sent = leader.seal_new(&org.roster, "2");
    let next = json!({ "notes": [leader.seal_new(&org.roster, "3")] }).to_string();
    let r = leader.call("POST", "/v1/notes?after=2", next.as_bytes());
    assert_eq!((r.status, r.code().as_str()), (425, "too_early"));
    let message = r.value()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("stored up to 1"), "{message}");
    // Sent again without waiting on the batch that never came, it is stored.
    assert_eq!(leader.call("POST", "/v1/notes", next.as_bytes()).status, 200);
}

#[test]
fn a_batch_refused_in_a_shared_commit_takes_only_its_own_followers_with_it() {
    let mut org = Org::with_settings(with_metrics(Settings { upload_wait_ms: 2_000, ..Settings::default() }));
    let mut leader = org.add("Bo", &[Role::Leader]);
    let first = [leader.seal_new(&org.roster, "1"), leader.seal_new(&org.roster, "2")];
    // Sequence number 3 reuses note 1's id with other content: refused
    // only when it is written, after note 1.
    let params = SealParams { note_id: first[0].header.note_id.clone(), revision: 1, prev_hash: None, device_seq: 3 };
    let clash = seal(&common::note("other"), &params, &org.roster, &leader.keys).unwrap();
    leader.seq = 3;
    let fourth = leader.seal_new(&org.roster, "4");
    let body = |notes: &[SealedNote]| json!({ "notes": notes }).to_string();
    let (clash, fourth) = (body(&[clash]), body(&[fourth]));
    let (leader, base) = (&leader, org.base());
    std::thread::scope(|s| {
        // Both wait for the first batch (seen waiting in the writer before
        // it is sent); then the writer takes all three into one commit, in
        // the device's order.
        let third = s.spawn(|| leader.call("POST", "/v1/notes?after=2", clash.as_bytes()));
        let fourth = s.spawn(|| leader.call("POST", "/v1/notes?after=3", fourth.as_bytes()));
        wait_for_metric(&base, "visitnotes_uploads_waiting", 2);
        let first = leader.upload(&first);
        assert_eq!(first.status, 200, "{}", first.value());
        let (third, fourth) = (third.join().unwrap(), fourth.join().unwrap());
        assert_eq!((third.status, third.code().as_str()), (409, "conflict"));
        assert_eq!((fourth.status, fourth.code().as_str()), (425, "too_early"), "it waited on the refused batch");
    });
    let coord = org.add("Cy", &[Role::Coordinator]);
    let page: PullResponse = coord.get("/v1/notes?since=0").json();
    let stored: Vec<u64> = page.notes.iter().map(|n| n.sealed.header.device_seq).collect();
    assert_eq!(stored, [1, 2], "the first batch is stored, nothing of the refused one or the one after it");
}

/// Organisation key grants go to active administrators' devices only, from
/// administrators only, as age files; each device gets its own.
#[test]
fn org_key_grants_go_from_administrators_to_administrators_devices() {
    let mut org = Org::new();
    let admin2 = org.add("Bea", &[Role::Admin]);
    let leader = org.add("Bo", &[Role::Leader]);
    let put = |who: &Dev, target: &Dev, sealed: &[u8]| {
        let path = format!("/v1/admin/org-key-grants/{}", target.keys.device_id());
        who.call("PUT", &path, json!({ "sealed": data_encoding::BASE64.encode(sealed) }).to_string().as_bytes())
    };
    let for_bea = sealed_to(&admin2.keys.age_recipient(), b"sealed org key");
    let for_bo = sealed_to(&leader.keys.age_recipient(), b"sealed org key");

    assert_eq!(admin2.get("/v1/org-key-grant").status, 404, "none yet");
    let r = put(&org.admin, &leader, &for_bo);
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden"), "not to a leader's device");
    let r = put(&leader, &admin2, &for_bea);
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden"), "not from a leader");
    let r = put(&org.admin, &admin2, b"not an age file");
    assert_eq!((r.status, r.code().as_str()), (400, "bad_request"));
    let r = put(&org.admin, &admin2, &vec![b'x'; 5000]);
    assert_eq!(r.status, 400, "too large");

    assert_eq!(put(&org.admin, &admin2, &for_bea).status, 200);
    let granted: Vec<String> = org.admin.get("/v1/admin/org-key-grants").json();
    assert_eq!(granted, [admin2.keys.device_id().to_string()]);
    let grant: visitnotes_shared::api::OrgKeyGrant = admin2.get("/v1/org-key-grant").json();
    assert_eq!((grant.sealed, grant.granted_by), (for_bea, org.admin.keys.device_id()));
    assert_eq!(org.admin.get("/v1/org-key-grant").status, 404, "each device gets its own");
    assert_eq!(leader.get("/v1/org-key-grant").status, 403);
    assert_eq!(leader.get("/v1/admin/org-key-grants").status, 403);
}

/// A device whose member is not an administrator may publish a roster
/// that makes it one only when the organisation key signed it (the
/// recovery from shares); any other roster from it is refused.
#[test]
fn a_roster_making_its_publisher_an_administrator_needs_the_organisation_key() {
    let mut org = Org::new();
    let coord = org.add("Cy", &[Role::Coordinator]);
    let mut promoted = org.roster.clone();
    promoted.version += 1;
    for m in promoted.members.iter_mut().filter(|m| m.user_id == coord.user_id) {
        m.roles.insert(Role::Admin);
    }
    let forged = visitnotes_shared::OrgKey::generate();
    let r = coord.call("PUT", "/v1/roster", serde_json::to_vec(&promoted.sign(&forged)).unwrap().as_slice());
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden"), "signed by another key");
    let r = coord.call("PUT", "/v1/roster", b"{}");
    assert_eq!(r.status, 403, "garbage from a non-administrator: forbidden, not parsed");
    let mut not_promoted = org.roster.clone();
    not_promoted.version += 1;
    let r = coord.call("PUT", "/v1/roster", serde_json::to_vec(&not_promoted.sign(&org.org)).unwrap().as_slice());
    assert_eq!(r.status, 403, "an org-signed roster that does not make it an administrator");
    let r = coord.call("PUT", "/v1/roster", serde_json::to_vec(&promoted.sign(&org.org)).unwrap().as_slice());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(coord.get("/v1/admin/users").status, 200, "an administrator now");
}

/// Heads: each device uploads its own, signed; every member reads them all;
/// an older head never replaces a newer one.
#[test]
fn device_heads_are_signed_by_their_device_and_served_to_every_member() {
    use visitnotes_shared::envelope::CHAIN_START;
    use visitnotes_shared::head::{DeviceHead, Heads};
    let mut org = Org::new();
    let leader = org.add("Leader", &[Role::Leader]);
    let coord = org.add("Coordinator", &[Role::Coordinator]);
    let head = |dev: &Dev, seq: u64, at: i64| DeviceHead {
        device_id: dev.keys.device_id(),
        last_seq: seq,
        chain_hash: if seq == 0 { CHAIN_START.to_owned() } else { "ab".repeat(32) },
        roster_version: org.roster.version,
        signed_at: at,
    };
    let now = chrono::Utc::now().timestamp();
    let ok = leader.post("/v1/heads", &serde_json::to_value(head(&leader, 4, now).sign(&leader.keys)).unwrap());
    assert_eq!(ok.status, 200, "{:?}", ok.value());
    // Another device's head, even correctly signed by it, is refused from this one.
    let theirs = serde_json::to_value(head(&coord, 1, now).sign(&coord.keys)).unwrap();
    assert_eq!(leader.post("/v1/heads", &theirs).status, 403);
    // Altered after signing, or signed by another key.
    let mut altered = head(&leader, 5, now).sign(&leader.keys);
    altered.head.last_seq = 9;
    assert_eq!(leader.post("/v1/heads", &serde_json::to_value(&altered).unwrap()).status, 400);
    let foreign = head(&leader, 5, now).sign(&coord.keys);
    assert_eq!(leader.post("/v1/heads", &serde_json::to_value(&foreign).unwrap()).status, 400);
    // Older than the one kept: answered, not kept.
    let older = leader.post("/v1/heads", &serde_json::to_value(head(&leader, 3, now - 60).sign(&leader.keys)).unwrap());
    assert_eq!(older.value()["stored"], false);
    let served: Heads = coord.get("/v1/heads").json();
    assert_eq!(served.heads, vec![head(&leader, 4, now).sign(&leader.keys)]);
    let as_leader: Heads = leader.get("/v1/heads").json();
    assert_eq!(as_leader, served);
}

/// Receipts: only a coordinator's device uploads, only its own, signed;
/// each member is served the receipts about its own devices only.
#[test]
fn receipts_come_from_coordinators_and_go_to_the_author() {
    use visitnotes_shared::receipt::{Receipt, Receipts};
    let mut org = Org::new();
    let leader = org.add("Leader", &[Role::Leader]);
    let other = org.add("Other", &[Role::Leader]);
    let coord = org.add("Coordinator", &[Role::Coordinator]);
    let receipt = |reader: &Dev, about: &Dev| Receipt {
        reader: reader.keys.device_id(),
        device_id: about.keys.device_id(),
        through_seq: 3,
        missing: vec![2],
        chain_hash: "ab".repeat(32),
        roster_version: org.roster.version,
        signed_at: chrono::Utc::now().timestamp(),
    };
    let body =
        |r: Vec<visitnotes_shared::receipt::SignedReceipt>| serde_json::to_value(Receipts { receipts: r }).unwrap();
    let good = receipt(&coord, &leader).sign(&coord.keys);
    let ok = coord.post("/v1/receipts", &body(vec![good.clone()]));
    assert_eq!((ok.status, ok.value()["stored"].as_u64()), (200, Some(1)));
    // A leader cannot vouch for delivery, even of its own notes.
    assert_eq!(leader.post("/v1/receipts", &body(vec![receipt(&leader, &other).sign(&leader.keys)])).status, 403);
    // Another device's receipt from this one; an altered one.
    assert_eq!(coord.post("/v1/receipts", &body(vec![receipt(&leader, &other).sign(&leader.keys)])).status, 403);
    let mut altered = receipt(&coord, &other).sign(&coord.keys);
    altered.receipt.missing.clear();
    assert_eq!(coord.post("/v1/receipts", &body(vec![altered])).status, 400);
    let served: Receipts = leader.get("/v1/receipts").json();
    assert_eq!(served.receipts, vec![good]);
    let none: Receipts = other.get("/v1/receipts").json();
    assert!(none.receipts.is_empty());
}

// The same stories on PostgreSQL (`VISITNOTES_TEST_POSTGRES_URL`): all but
// the four that read the SQLite file itself (every_get_route_changes_nothing_
// but_the_audit_logs_download_entries, an_expired_invite_is_refused,
// follow_up_records_go_to_coordinators_and_the_notes_author_only,
// tombstones_purge_and_retention).
visitnotes_server::on_postgres_too!(
    health_metrics_openapi_and_org,
    metrics_need_the_token_from_the_settings,
    unknown_routes_and_methods_get_json_errors,
    enrolment_errors,
    bootstrap_roster_rules,
    roster_versions_and_keys,
    upload_is_idempotent_and_conflicts_are_409,
    a_batch_is_all_or_nothing,
    uploads_are_checked_against_the_roster,
    who_sees_what,
    pull_pages_say_where_the_store_stands,
    pull_pages_with_a_cursor,
    signed_requests_refuse_replay_tampering_and_strangers,
    roles_come_only_from_the_rosters_entry_for_this_device_and_key,
    a_revoked_device_is_refused_from_its_next_request,
    a_rejected_enrolment_is_gone_and_an_approved_device_cannot_be_rejected,
    removing_a_user_revokes_every_device,
    role_by_route_matrix,
    oversize_bodies_are_413,
    a_chunked_body_is_cut_off_at_the_limit,
    rate_limits_answer_429,
    quota_per_user,
    the_audit_log_records_state_changes,
    an_audit_checkpoint_is_stored_when_it_fits_the_log,
    uploads_in_the_binary_form,
    an_upload_sent_after_an_earlier_batch_waits_for_it,
    an_upload_whose_earlier_batch_never_comes_is_too_early,
    a_batch_refused_in_a_shared_commit_takes_only_its_own_followers_with_it,
    org_key_grants_go_from_administrators_to_administrators_devices,
    a_roster_making_its_publisher_an_administrator_needs_the_organisation_key,
    device_heads_are_signed_by_their_device_and_served_to_every_member,
    receipts_come_from_coordinators_and_go_to_the_author,
);
