//! A full disk under the server: its store on the crash VFS with a quota
//! (a small disk, without root or a real file system to fill). Uploads are
//! answered 507 `storage_full` with what the operator must do, reads go on,
//! nothing acknowledged is lost, and uploads work again by themselves once
//! there is room. `/metrics` tells the free space of the data directory.

mod common;

use common::*;
use crash_vfs::CrashVfs;
use visitnotes_server::settings::Settings;
use visitnotes_shared::api::PullResponse;
use visitnotes_shared::roster::Role;

#[test]
fn a_full_disk_answers_uploads_507_keeps_reads_and_recovers_by_itself() {
    let vfs = CrashVfs::register();
    let settings = with_metrics(Settings { sqlite_vfs: Some(vfs.name().to_owned()), ..Settings::default() });
    let mut org = Org::with_settings(settings);
    let mut leader = org.add("Bo", &[Role::Leader]);
    let coordinator = org.add("Cy", &[Role::Coordinator]);
    let mut acked = Vec::new();
    for i in 0..3 {
        let note = leader.seal_new(&org.roster, &format!("before {i}"));
        assert_eq!(leader.upload(std::slice::from_ref(&note)).status, 200);
        acked.push(note);
    }

    vfs.set_quota(Some(vfs.used_bytes() + 64 * 1024));
    let refused = loop {
        let note = leader.seal_new(&org.roster, "while filling");
        let reply = leader.upload(std::slice::from_ref(&note));
        match reply.status {
            200 => acked.push(note),
            507 => break (note, reply),
            other => panic!("{other}: {}", String::from_utf8_lossy(&reply.body)),
        }
        assert!(acked.len() < 500, "the quota never bit");
    };
    let (refused, reply) = refused;
    assert_eq!(reply.code(), "storage_full");
    let message = reply.value()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("disk is full") && message.contains("operator must free space"), "{message}");

    // Reads go on: the roster, the audit log, the notes.
    assert_eq!(coordinator.get("/v1/roster").status, 200);
    // A pull writes one small audit entry: it fits where the refused
    // upload's frames had been (the WAL had grown for them).
    let page: PullResponse = coordinator.get("/v1/notes?since=0&limit=1000").json();
    assert_eq!(page.notes.len(), acked.len(), "every acknowledged note is served while the disk is full");
    assert_eq!(org.admin.get("/v1/admin/audit?since=0").status, 200);
    let metrics = raw_metrics(&org.base());
    assert!(metrics.contains("\nvisitnotes_data_dir_free_bytes "), "{metrics}");

    // Room again: the refused note goes in, with no restart.
    vfs.set_quota(None);
    let reply = leader.upload(std::slice::from_ref(&refused));
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    acked.push(refused);
    let page: PullResponse = coordinator.get("/v1/notes?since=0&limit=1000").json();
    for note in &acked {
        let found = page.notes.iter().filter(|p| p.sealed.header.note_id == note.header.note_id).count();
        assert_eq!(found, 1, "acknowledged note {} is there once", note.header.note_id);
    }
    assert_eq!(page.notes.len(), acked.len(), "nothing else was stored");
}

fn raw_metrics(base: &str) -> String {
    let mut response = agent()
        .get(&format!("{base}/metrics"))
        .header("authorization", &format!("Bearer {METRICS_TOKEN}"))
        .call()
        .unwrap();
    response.body_mut().read_to_string().unwrap()
}
