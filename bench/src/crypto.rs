//! Seal and open cost per note, by number of readers.

use std::time::Instant;

use visitnotes_shared::envelope::{open, seal, OpenContext, SealParams};
use visitnotes_shared::roster::{Member, Role, Roster};
use visitnotes_shared::{DeviceKeys, NoteId, OrgKey, UserId};

use crate::fixtures::note_of_size;
use crate::stats::{repeat, Figures};

fn member(role: Role, keys: &DeviceKeys) -> Member {
    Member::active(UserId::random(), "m", &[role], &[keys])
}

pub fn run(figures: &mut Figures, iterations: usize, reps: usize) {
    let note = note_of_size(4000);
    for readers in [1usize, 5, 10] {
        let author = DeviceKeys::generate();
        let coordinators: Vec<DeviceKeys> = (1..readers).map(|_| DeviceKeys::generate()).collect();
        let mut members = vec![member(Role::Leader, &author)];
        members.extend(coordinators.iter().map(|k| member(Role::Coordinator, k)));
        let roster = Roster {
            version: 1,
            org_key: OrgKey::generate().public(),
            issued_at: 0,
            expires_at: None,
            units: vec![],
            members,
        };
        let params =
            |i: usize| SealParams { note_id: NoteId::random(), revision: 1, prev_hash: None, device_seq: i as u64 + 1 };
        let sealed = repeat(reps, || {
            let start = Instant::now();
            for i in 0..iterations {
                std::hint::black_box(seal(&note, &params(i), &roster, &author).expect("seals"));
            }
            start.elapsed().as_secs_f64() * 1e6 / iterations as f64
        });
        figures.add(format!("seal, 4 KB note, {readers} readers"), "us/note", sealed);
        let one = seal(&note, &params(0), &roster, &author).expect("seals");
        let reader = coordinators.last().unwrap_or(&author);
        let ctx = OpenContext {
            roster: &roster,
            identity: reader.age_identity(),
            seen_revision: None,
            seen_device_seq: None,
        };
        let opened = repeat(reps, || {
            let start = Instant::now();
            for _ in 0..iterations {
                std::hint::black_box(open(&one, &ctx).expect("opens"));
            }
            start.elapsed().as_secs_f64() * 1e6 / iterations as f64
        });
        figures.add(format!("open, 4 KB note, {readers} readers"), "us/note", opened);
    }
}
