//! Entry points for fuzzing every parser that reads untrusted bytes: the
//! `cargo fuzz` targets in fuzz/ call these, and the test below runs each
//! over seeds and thousands of mutations of them on every `cargo test`.
//! None may panic, whatever the input.

use std::sync::OnceLock;

use crate::envelope::{open, OpenContext, SealedNote};
use crate::roster::{Member, Role, Roster, SignedRoster};
use crate::{api, invite, note, DeviceKeys, OrgKey, UserId, VerifyingKey};

struct World {
    roster: Roster,
    keys: DeviceKeys,
    org: OrgKey,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let keys = DeviceKeys::generate();
        let org = OrgKey::generate();
        let member = Member::active(UserId::random(), "fuzz", &[Role::Coordinator], &[&keys]);
        let roster = Roster {
            version: 1,
            org_key: org.public(),
            issued_at: 0,
            expires_at: None,
            units: vec![],
            members: vec![member],
        };
        World { roster, keys, org }
    })
}

/// A sealed note (JSON) opened by a reader.
pub fn open_envelope(data: &[u8]) {
    let w = world();
    if let Ok(sealed) = serde_json::from_slice::<SealedNote>(data) {
        let ctx = OpenContext {
            roster: &w.roster,
            identity: w.keys.age_identity(),
            seen_revision: None,
            seen_device_seq: None,
        };
        let _ = open(&sealed, &ctx);
    }
}

/// An age header, read directly: through `open_envelope` a mutated file
/// never gets past the signed hashes to the header reader.
pub fn age_header(data: &[u8]) {
    if let Ok(header) = crate::age_header::read(data) {
        assert!(header.payload_at <= data.len().min(crate::age_header::MAX_HEADER));
        assert!(!header.stanzas.is_empty());
    }
}

/// An invite code.
pub fn invite_decode(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = invite::Invite::decode(text);
    }
}

/// A signed roster verified against a pinned key.
pub fn signed_roster(data: &[u8]) {
    if let Ok(signed) = serde_json::from_slice::<SignedRoster>(data) {
        let _ = signed.verify(&world().org.public(), 0);
        let _ = signed.verify(&VerifyingKey([7; 32]), 0);
    }
}

/// Every request body the server parses, and a visit note.
pub fn request_bodies(data: &[u8]) {
    let _ = serde_json::from_slice::<api::EnrolRequest>(data);
    let _ = serde_json::from_slice::<api::CreateInvite>(data);
    if let Ok(batch) = serde_json::from_slice::<api::UploadBatch>(data) {
        for sealed in &batch.notes {
            let _ = crate::envelope::verify(sealed, &world().roster);
        }
    }
    if let Ok(batch) = postcard::from_bytes::<api::UploadBatch>(data) {
        for sealed in &batch.notes {
            let _ = crate::envelope::verify(sealed, &world().roster);
        }
    }
    let _ = postcard::from_bytes::<api::PullResponse>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = note::VisitNote::from_json(text);
    }
}

/// Seeds: one valid input of each kind.
pub fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let w = world();
    let visit = note::VisitNote {
        schema_version: note::SCHEMA_VERSION,
        visit_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 2).expect("valid"),
        units: vec!["A".into()],
        volunteers: 2,
        people_met: 3,
        activities: vec![note::Activity::Bingo],
        themes: vec![note::Theme::Food],
        other_themes: vec![],
        concerns: vec![],
        tracing_requests: note::TracingRequests::default(),
        summary: "seed".into(),
        language: "en".into(),
    };
    let params = crate::SealParams { note_id: crate::NoteId::random(), revision: 1, prev_hash: None, device_seq: 1 };
    let sealed = crate::seal(&visit, &params, &w.roster, &w.keys).expect("seals");
    let sealed_age = sealed.age.clone();
    let invite = invite::Invite::generate("https://visits.example.org", Some([3; 32])).encode();
    vec![
        ("open_envelope", serde_json::to_vec(&sealed).expect("json")),
        ("invite_decode", invite.into_bytes()),
        ("signed_roster", serde_json::to_vec(&w.roster.sign(&w.org)).expect("json")),
        ("request_bodies", serde_json::to_vec(&api::UploadBatch { notes: vec![sealed] }).expect("json")),
        ("request_bodies", serde_json::to_vec(&visit).expect("json")),
        ("request_bodies", postcard::to_stdvec(&api::UploadBatch { notes: vec![] }).expect("postcard")),
        ("age_header", sealed_age),
    ]
}

pub fn target(name: &str) -> fn(&[u8]) {
    match name {
        "open_envelope" => open_envelope,
        "invite_decode" => invite_decode,
        "signed_roster" => signed_roster,
        "age_header" => age_header,
        _ => request_bodies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift: deterministic, so a failure replays.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
        let mut data = seed.to_vec();
        for _ in 0..=rng.below(4) {
            match rng.below(5) {
                0 if !data.is_empty() => {
                    let i = rng.below(data.len());
                    data[i] ^= 1 << rng.below(8);
                }
                1 if !data.is_empty() => data.truncate(rng.below(data.len())),
                2 => {
                    let i = rng.below(data.len() + 1);
                    data.insert(i, rng.next() as u8);
                }
                3 if !data.is_empty() => {
                    let i = rng.below(data.len());
                    data.remove(i);
                }
                _ => {
                    let i = rng.below(data.len() + 1);
                    let interesting: [&[u8]; 6] =
                        [b"\"", b"{}", b"-1", b"99999999999999999999", b"\\u0000", b"age-encryption.org/v1\n-> scrypt"];
                    let pick = interesting[rng.below(interesting.len())];
                    data.splice(i..i, pick.iter().copied());
                }
            }
        }
        data
    }

    /// Writes the seeds to fuzz/seeds/TARGET/ for `cargo fuzz` (run by hand).
    #[test]
    #[ignore = "writes files: run with --ignored to refresh fuzz/seeds"]
    fn write_fuzz_seeds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds");
        for (i, (name, seed)) in seeds().into_iter().enumerate() {
            std::fs::create_dir_all(dir.join(name)).unwrap();
            std::fs::write(dir.join(name).join(format!("seed-{i}")), seed).unwrap();
        }
    }

    /// Counted in TESTING.md: seeds x mutations per target.
    pub const MUTATIONS: usize = 3000;

    #[test]
    fn every_fuzz_target_survives_its_corpus_and_mutations() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut runs = 0;
        for (name, seed) in seeds() {
            let run = target(name);
            run(&seed);
            for _ in 0..MUTATIONS {
                run(&mutate(&seed, &mut rng));
                runs += 1;
            }
        }
        // The seed files under fuzz/seeds, when present (cargo fuzz's corpus).
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds");
        if let Ok(targets) = std::fs::read_dir(&dir) {
            for t in targets.flatten() {
                let run = target(&t.file_name().to_string_lossy());
                for file in std::fs::read_dir(t.path()).into_iter().flatten().flatten() {
                    run(&std::fs::read(file.path()).unwrap_or_default());
                    runs += 1;
                }
            }
        }
        assert!(runs >= 5 * MUTATIONS);
    }
}
