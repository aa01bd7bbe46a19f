//! Canary: a unique string written into notes (and into a coordinator's
//! follow-up record on one) must not appear in any file of the server's
//! data dir, in the server's logs (at trace level), in any
//! URL, in the client's output while syncing and listing, or in the
//! client's local store on disk (encrypted at rest). Nor may any secret of
//! the organisation (invite tokens, enrolment secrets, every profile's
//! private keys and store key, the organisation key), in any usual
//! encoding, appear in the server's files, logs or URLs.

use crate::harness::proxy::Proxy;
use crate::harness::*;

#[test]
fn a_canary_leaks_nowhere() {
    let capture = logs::capture();
    let org = Org::start();
    let proxy = Proxy::start(&org.cluster);
    for p in [&org.leader_a, &org.coordinator] {
        proxy.divert(p);
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

    let logs = capture.logs();
    assert!(logs.len() > 1000, "the server logged at trace level");
    let urls = proxy.seen.lock().unwrap().join("\n");
    assert!(urls.contains("/v1/notes"), "{urls}");
    let places = [
        ("server data dir", all_bytes(&org.cluster.data())),
        ("server backup", std::fs::read(org.cluster.backup("canary-backup")).unwrap()),
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
    // No secret reaches the server: not its files (database, WAL, a backup),
    // its logs, nor a URL.
    let secrets = secrets_of(&org);
    assert_eq!(secrets.len(), 4 * 3 + 4 * 6 + 2, "every secret of 4 invites and 4 profiles");
    for (place, bytes) in &places[..4] {
        for (what, secret) in &secrets {
            for form in forms(secret) {
                assert!(!holds(bytes, &form), "{what} is in the {place} (as {:?})", String::from_utf8_lossy(&form));
            }
        }
    }
    println!(
        "canary: absent from {} places ({} bytes searched); {} secrets in 7 forms each absent from the server's files, backup, logs and URLs",
        places.len(),
        places.iter().map(|p| p.1.len()).sum::<usize>(),
        secrets.len()
    );
}

/// Every secret of the organisation, named: each invite's token and
/// enrolment secret, and of each profile the device's signing key (its
/// PKCS#8 document and its seed), its age identity (text and the raw
/// scalar), its store key, and the organisation key where it is held.
fn secrets_of(org: &Org) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (i, text) in org.invites.iter().enumerate() {
        let invite = visitnotes_shared::invite::Invite::decode(text).unwrap();
        out.push((format!("invite {i}"), text.as_bytes().to_vec()));
        out.push((format!("invite {i}'s token"), invite.token.to_vec()));
        out.push((format!("invite {i}'s enrolment secret"), invite.secret.to_vec()));
    }
    for p in [&org.admin, &org.coordinator, &org.leader_a, &org.leader_b] {
        let session = p.unlock();
        let keys: serde_json::Value = serde_json::from_str(&session.secrets.device.to_secret_string()).unwrap();
        let pkcs8 = data_encoding::BASE64.decode(keys["signing_pkcs8"].as_str().unwrap().as_bytes()).unwrap();
        let identity = keys["age_identity"].as_str().unwrap();
        out.push((format!("{}'s signing key", p.name), pkcs8.clone()));
        out.push((format!("{}'s signing key seed", p.name), pkcs8[16..48].to_vec()));
        out.push((format!("{}'s age identity", p.name), identity.as_bytes().to_vec()));
        out.push((format!("{}'s age identity (lower case)", p.name), identity.to_lowercase().into_bytes()));
        out.push((format!("{}'s age identity (raw)", p.name), bech32_data(identity)));
        out.push((format!("{}'s store key", p.name), session.secrets.store_key.to_vec()));
        if let Some(key) = &session.secrets.org_key {
            let pkcs8 = data_encoding::BASE64.decode(key.to_secret_string().as_bytes()).unwrap();
            out.push(("the organisation key".into(), pkcs8));
            out.push(("the organisation key's seed".into(), key.seed().to_vec()));
        }
    }
    out
}

/// The data bytes of a bech32 string (an age identity), checksum dropped.
fn bech32_data(text: &str) -> Vec<u8> {
    const CHARSET: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let text = text.to_lowercase();
    let data = &text[text.rfind('1').unwrap() + 1..];
    let values: Vec<u32> = data[..data.len() - 6].chars().map(|c| CHARSET.find(c).unwrap() as u32).collect();
    let (mut acc, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for v in values {
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    assert_eq!(out.len(), 32, "an X25519 scalar");
    out
}

/// `secret` as it could be written down: raw, hex in both cases, base64
/// standard and URL-safe, padded or not.
fn forms(secret: &[u8]) -> Vec<Vec<u8>> {
    use data_encoding::{BASE64, BASE64URL, BASE64URL_NOPAD, BASE64_NOPAD, HEXLOWER, HEXUPPER};
    let mut out = vec![secret.to_vec()];
    for e in [HEXLOWER, HEXUPPER, BASE64, BASE64_NOPAD, BASE64URL, BASE64URL_NOPAD] {
        out.push(e.encode(secret).into_bytes());
    }
    out
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, _)) = needle.split_first() else { return true };
    haystack.windows(needle.len()).any(|w| w[0] == first && w == needle)
}
