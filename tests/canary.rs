//! Canary: a unique string written into notes (and into a coordinator's
//! follow-up record on one) must not appear in any file of the server's
//! data dir, in the server's logs (at trace level), in any
//! URL, in the client's output while syncing and listing, or in the
//! client's local store on disk (encrypted at rest).

mod harness;
mod proxy;

use std::io::Write;
use std::sync::{Arc, Mutex};

use harness::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_canary_leaks_nowhere() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).init();

    let org = Org::start();
    let proxy = proxy::Proxy::start(&format!("http://{}", org.cluster.addr));
    for p in [&org.leader_a, &org.coordinator] {
        let path = p.home.join("profile.json");
        let mut profile: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        profile["server_url"] = proxy.url.clone().into();
        std::fs::write(&path, profile.to_string()).unwrap();
    }
    let canary = "CANARY-e1b0c6f2-lock-in-unit-9";
    let concern = format!("high:{canary} concern");
    let id = org.leader_a.write(&["--unit", "Unit A", "--met", "3", "--summary", canary, "--concern", &concern]);
    org.leader_a.run(&["note", "edit", &id, "--summary", &format!("{canary} edited")]).ok();
    // A coordinator's follow-up record on the concern carries it too.
    let follow_up = format!("{canary} followed up");
    let mut output = Vec::new();
    for run in [
        org.leader_a.run(&["sync"]),
        org.coordinator.run(&["sync"]),
        org.coordinator.run(&["concern", "follow-up", &id, "1", "--status", "closed", "--text", &follow_up]),
        org.coordinator.run(&["sync"]),
        org.leader_a.run(&["sync"]),
        org.leader_a.run(&["concern", "list", "--all"]),
        org.coordinator.run(&["note", "list"]),
        org.coordinator.run(&["--json", "sync"]),
        org.coordinator.run(&["report", "--from", "2020-01-01", "--to", "2030-12-31"]),
        org.coordinator.run(&["report", "--from", "2020-01-01", "--to", "2030-12-31", "--format", "csv"]),
    ] {
        assert!(run.code == 0, "{}", run.stderr);
        output.extend(run.stdout.into_bytes());
        output.extend(run.stderr.into_bytes());
    }
    // The coordinator can read it (the canary is real), but nothing else shows it.
    let shown = org.coordinator.run(&["--json", "note", "show", &id]).ok();
    assert!(shown.stdout.contains(canary));
    let shown = org.leader_a.run(&["note", "show", &id]).ok();
    assert!(shown.stdout.contains(&follow_up), "the note's author reads the follow-up: {}", shown.stdout);

    let logs = logs.0.lock().unwrap().clone();
    assert!(logs.len() > 1000, "the server logged at trace level");
    let urls = proxy.seen.lock().unwrap().join("\n");
    assert!(urls.contains("/v1/notes"), "{urls}");
    let places = [
        ("server data dir", all_bytes(&org.cluster.data())),
        ("server logs", logs),
        ("URLs", urls.into_bytes()),
        ("client output", output),
        ("leader's store", all_bytes(&org.leader_a.home)),
        ("coordinator's store", all_bytes(&org.coordinator.home)),
    ];
    for (place, bytes) in &places {
        assert!(!contains(bytes, canary), "the canary is in the {place}");
        assert!(!contains(bytes, "e1b0c6f2"), "part of the canary is in the {place}");
    }
    println!(
        "canary: absent from {} places ({} bytes searched)",
        places.len(),
        places.iter().map(|p| p.1.len()).sum::<usize>()
    );
}
