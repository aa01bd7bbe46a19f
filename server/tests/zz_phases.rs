mod common;
use common::*;
use std::time::Instant;
use visitnotes_shared::roster::Role;

#[test]
#[ignore]
fn phases() {
    let mut org = Org::new();
    let mut leader = org.add("L", &[Role::Leader]);
    let db = visitnotes_server::open_existing(&org.data_dir()).unwrap();
    let (mut tparse, mut tverify, mut twrite) = (0.0, 0.0, 0.0);
    let batches = 30;
    for _ in 0..batches {
        let notes: Vec<_> = (0..100).map(|_| leader.seal_new(&org.roster, "x")).collect();
        let body = serde_json::to_vec(&serde_json::json!({ "notes": notes })).unwrap();
        let t = Instant::now();
        let batch: visitnotes_shared::api::UploadBatch = serde_json::from_slice(&body).unwrap();
        tparse += t.elapsed().as_secs_f64();
        let t = Instant::now();
        visitnotes_server::db::notes::verify_batch(&batch.notes, &org.roster, leader.keys.device_id().as_str()).unwrap();
        tverify += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let did = leader.keys.device_id();
        let who = visitnotes_server::db::notes::Uploader { device_id: did.as_str(), user_id: &leader.user_id, quota_bytes: u64::MAX };
        db.write(|tx| visitnotes_server::db::notes::upload(tx, &who, &batch.notes)).unwrap();
        twrite += t.elapsed().as_secs_f64();
    }
    println!("per batch of 100: parse {:.2} ms, verify {:.2} ms, write {:.2} ms", tparse * 1e3 / batches as f64, tverify * 1e3 / batches as f64, twrite * 1e3 / batches as f64);
}

#[test]
#[ignore]
fn pull_phases() {
    let mut org = Org::new();
    let mut leader = org.add("L", &[Role::Leader]);
    let coord = org.add("C", &[Role::Coordinator]);
    for _ in 0..10 {
        let notes: Vec<_> = (0..100).map(|_| leader.seal_new(&org.roster, "x")).collect();
        assert_eq!(leader.upload(&notes).status, 200);
    }
    let db = visitnotes_server::open_existing(&org.data_dir()).unwrap();
    let view = visitnotes_server::db::notes::View { author: None, metadata_only: false, reader: &coord.user_id };
    let t = Instant::now();
    let page = db.read(|c| visitnotes_server::db::notes::pull(c, &view, 0, 1000)).unwrap();
    let read = t.elapsed();
    let t = Instant::now();
    let bytes = serde_json::to_vec(&page).unwrap();
    let ser = t.elapsed();
    let t = Instant::now();
    let back: visitnotes_shared::api::PullResponse = serde_json::from_slice(&bytes).unwrap();
    let de = t.elapsed();
    let t = Instant::now();
    let r = coord.get("/v1/notes?since=0&limit=1000");
    let http = t.elapsed();
    println!("1000 notes: read {read:?}, serialise {ser:?} ({} bytes), parse {de:?}, http get {http:?} ({} bytes)", bytes.len(), r.body.len());
    assert_eq!(back.notes.len(), 1000);
}
