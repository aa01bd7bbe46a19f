//! Every refusal of `open`, each produced by real tampering.

use std::io::Write;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::keys::{DeviceKeys, OrgKey};
use crate::note::{Activity, Theme, TracingRequests, SCHEMA_VERSION};
use crate::roster::{Member, Role};

struct World {
    roster: Roster,
    coordinator: DeviceKeys,
    leader: DeviceKeys,
    leader_laptop: DeviceKeys,
    other_leader: DeviceKeys,
}

fn member(name: &str, role: Role, keys: &[&DeviceKeys]) -> Member {
    Member::active(UserId::random(), name, &[role], keys)
}

fn world() -> World {
    let (coordinator, leader, leader_laptop, other_leader) =
        (DeviceKeys::generate(), DeviceKeys::generate(), DeviceKeys::generate(), DeviceKeys::generate());
    let roster = Roster {
        version: 2,
        org_key: OrgKey::generate().public(),
        issued_at: 0,
        expires_at: None,
        units: vec!["Unit A".into(), "Unit B".into()],
        members: vec![
            member("Coordinator", Role::Coordinator, &[&coordinator]),
            member("Leader", Role::Leader, &[&leader, &leader_laptop]),
            member("Other leader", Role::Leader, &[&other_leader]),
        ],
    };
    World { roster, coordinator, leader, leader_laptop, other_leader }
}

fn note(summary: &str) -> VisitNote {
    VisitNote {
        schema_version: SCHEMA_VERSION,
        visit_date: NaiveDate::from_ymd_opt(2026, 5, 2).unwrap(),
        units: vec!["Unit A".into()],
        volunteers: 3,
        people_met: 9,
        activities: vec![Activity::Conversation],
        themes: vec![Theme::Food],
        other_themes: vec![],
        concerns: vec![],
        tracing_requests: TracingRequests::default(),
        summary: summary.into(),
        language: "en".into(),
    }
}

fn params(revision: u64, seq: u64) -> SealParams {
    SealParams { note_id: NoteId::random(), revision, prev_hash: None, device_seq: seq }
}

fn ctx<'a>(w: &'a World, keys: &'a DeviceKeys) -> OpenContext<'a> {
    OpenContext { roster: &w.roster, identity: keys.age_identity(), seen_revision: None, seen_device_seq: None }
}

/// Re-signs a (tampered) envelope with `keys`, as an insider device could.
fn resign(mut sealed: SealedNote, keys: &DeviceKeys) -> SealedNote {
    sealed.header.age_sha256 = crate::hex(&crate::sha256(&sealed.age));
    if let Ok(header) = age_header::read(&sealed.age) {
        sealed.header.payload_sha256 = crate::hex(&crate::sha256(&sealed.age[header.payload_at..]));
    }
    sealed.signature = keys.sign(&sealed.header.signing_message()).to_vec();
    sealed
}

#[test]
fn readers_open_and_others_do_not() {
    let w = world();
    let sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
    for reader in [&w.coordinator, &w.leader, &w.leader_laptop] {
        match open(&sealed, &ctx(&w, reader)).unwrap() {
            Opened::Note { note: n, header } => {
                assert_eq!(*n, note("calm"));
                assert_eq!(header, sealed.header);
            }
            other => panic!("expected a note, got {other:?}"),
        }
    }
    assert_eq!(open(&sealed, &ctx(&w, &w.other_leader)), Err(OpenError::NotRecipient));
}

#[test]
fn wire_round_trip() {
    let w = world();
    let sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let back: SealedNote = serde_json::from_str(&serde_json::to_string(&sealed).unwrap()).unwrap();
    assert_eq!(back, sealed);
}

#[test]
fn notes_of_100_and_900_bytes_seal_to_the_same_length() {
    let w = world();
    // The summary is the part of a note that varies most in length.
    let short = note(&"a".repeat(100));
    let long = note(&"a".repeat(900));
    let a = seal(&short, &params(1, 1), &w.roster, &w.leader).unwrap();
    let b = seal(&long, &params(1, 2), &w.roster, &w.leader).unwrap();
    // The payload is exactly the bucket; the header differs only by age's
    // random "grease" stanza (at most a few hundred bytes of noise that has
    // nothing to do with the note).
    let payload = |s: &SealedNote| s.age.len() - age_header::read(&s.age).unwrap().payload_at;
    assert_eq!(payload(&a), payload(&b));
    assert_eq!(payload(&a), 16 + crate::padding::MIN_BUCKET + 16);
    assert!(a.age.len().abs_diff(b.age.len()) < 400);
}

#[test]
fn a_flipped_byte_anywhere_is_a_bad_signature() {
    let w = world();
    let sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
    // Every byte of the header region, then a stride through the payload.
    let positions = (0..300).chain((300..sealed.age.len()).step_by(97)).chain([sealed.age.len() - 1]);
    for at in positions {
        let mut tampered = sealed.clone();
        tampered.age[at] ^= 0x01;
        assert_eq!(open(&tampered, &ctx(&w, &w.coordinator)), Err(OpenError::BadSignature), "byte {at}");
    }
}

#[test]
fn truncated_or_extended_files_are_refused() {
    let w = world();
    let sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let mut short = sealed.clone();
    short.age.truncate(sealed.age.len() - 16);
    assert_eq!(open(&short, &ctx(&w, &w.coordinator)), Err(OpenError::BadSignature));
    let mut long = sealed.clone();
    long.age.extend_from_slice(b"more");
    assert_eq!(open(&long, &ctx(&w, &w.coordinator)), Err(OpenError::BadSignature));
    // The same, re-signed by the author: age itself now refuses it.
    let resigned = resign(short, &w.leader);
    assert!(matches!(open(&resigned, &ctx(&w, &w.coordinator)), Err(OpenError::Malformed(_))));
}

/// The size bound checked before any hashing (`MAX_AGE_BYTES`): the
/// largest padded note, its STREAM tags (16 bytes per 64 KiB chunk) and the
/// largest header the reader takes get past it (refused later, by the
/// hash); one byte more is refused as too large. (Found by cargo-mutants.)
#[test]
fn the_age_file_size_bound_is_the_largest_note_with_its_tags_and_header() {
    let w = world();
    let sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let largest = 1024 * 1024 + 16 * 16 + 64 * 1024;
    for (len, too_large) in [(largest, false), (largest + 1, true)] {
        let mut big = sealed.clone();
        big.age.resize(len, 0);
        let refused = verify(&big, &w.roster);
        let said = matches!(&refused, Err(OpenError::Malformed(m)) if m.contains("too large"));
        assert_eq!(said, too_large, "{len} bytes: {refused:?}");
    }
}

/// Revision and device sequence numbers start at 1, each on its own: a
/// note, a follow-up record or a tombstone with either at 0 is not sealed,
/// and a header with either at 0 is refused even when its author signed it. (Found by
/// cargo-mutants.)
#[test]
fn a_zero_revision_or_sequence_number_is_not_sealed() {
    let w = world();
    let leader = w.roster.members[1].user_id.clone();
    let r = record(&NoteId::random());
    for (revision, seq) in [(0, 1), (1, 0)] {
        let p = params(revision, seq);
        assert!(matches!(seal(&note("calm"), &p, &w.roster, &w.leader), Err(SealError::ZeroCounter)), "{p:?}");
        let follow_up = seal_follow_up(&r, &leader, &p, [0; 32], &w.roster, &w.coordinator);
        assert!(matches!(follow_up, Err(SealError::ZeroCounter)), "{p:?}");
        assert!(matches!(seal_tombstone(&p, &w.roster, &w.leader), Err(SealError::ZeroCounter)), "{p:?}");
        // Signed by its author all the same: refused by readers.
        let mut sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
        (sealed.header.revision, sealed.header.device_seq) = (revision, seq);
        let sealed = resign(sealed, &w.leader);
        let refused = verify(&sealed, &w.roster);
        assert!(matches!(&refused, Err(OpenError::Malformed(m)) if m.contains("zero")), "{p:?}: {refused:?}");
    }
}

/// `verify_header`, what a reader checks of a note whose ciphertext was
/// withheld or purged: the author's header passes; edited, signed by
/// another device, or under a roster that does not list its device, it is
/// refused. (Found by cargo-mutants.)
#[test]
fn a_header_alone_is_verified() {
    let w = world();
    let sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
    assert_eq!(verify_header(&sealed.header, &sealed.signature, &w.roster), Ok(()));
    let mut edited = sealed.header.clone();
    edited.revision = 2;
    assert_eq!(verify_header(&edited, &sealed.signature, &w.roster), Err(OpenError::BadSignature));
    let forged = w.other_leader.sign(&sealed.header.signing_message());
    assert_eq!(verify_header(&sealed.header, &forged, &w.roster), Err(OpenError::BadSignature));
    let mut without = w.roster.clone();
    without.members.remove(1);
    assert!(matches!(verify_header(&sealed.header, &sealed.signature, &without), Err(OpenError::UnknownDevice(_))));
}

/// What the server checks of an upload (`verify_unsigned`): everything
/// `verify` checks but the signatures (every reader checks those): an age
/// file that is not the one hashed (by the author, or by the rewrap
/// statement), an unlisted device, a rewrapped tombstone are refused; a wrong signature is not looked at. (Found by
/// cargo-mutants.)
#[test]
fn the_servers_check_is_verify_without_the_signatures() {
    let w = world();
    let sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
    assert_eq!(verify_unsigned(&sealed, &w.roster), Ok(()));
    let mut unsigned = sealed.clone();
    unsigned.signature = vec![0; 64];
    assert_eq!(verify_unsigned(&unsigned, &w.roster), Ok(()));
    assert_eq!(verify(&unsigned, &w.roster), Err(OpenError::BadSignature));
    let mut edited = sealed.clone();
    let last = edited.age.len() - 1;
    edited.age[last] ^= 1;
    assert_eq!(verify_unsigned(&edited, &w.roster), Err(OpenError::BadSignature));
    let mut without = w.roster.clone();
    without.members.remove(1);
    assert!(matches!(verify_unsigned(&sealed, &without), Err(OpenError::UnknownDevice(_))));
    // Rewrapped: the new file against the statement's hash.
    let rewrapped = crate::rewrap::rewrap(&sealed, w.coordinator.age_identity(), &w.roster, &w.coordinator).unwrap();
    assert_eq!(verify_unsigned(&rewrapped, &w.roster), Ok(()));
    let mut edited = rewrapped.clone();
    let last = edited.age.len() - 1;
    edited.age[last] ^= 1;
    assert_eq!(verify_unsigned(&edited, &w.roster), Err(OpenError::BadSignature));
    // Only the header's MAC changed (the payload and its hash as they
    // were, the header still readable): the statement's hash alone says so.
    let mut edited = rewrapped.clone();
    let mac = edited.age.windows(4).position(|w| w == b"--- ").unwrap() + 4;
    edited.age[mac] = if edited.age[mac] == b'A' { b'B' } else { b'A' };
    assert_eq!(verify_unsigned(&edited, &w.roster), Err(OpenError::BadSignature));
    let mut tomb = seal_tombstone(&params(2, 2), &w.roster, &w.leader).unwrap();
    tomb.rewrap = Some(Rewrap {
        device_id: w.coordinator.device_id(),
        roster_version: w.roster.version,
        age_sha256: crate::hex(&crate::sha256(b"")),
        signature: vec![0; 64],
    });
    for refused in [verify(&tomb, &w.roster), verify_unsigned(&tomb, &w.roster)] {
        assert!(matches!(&refused, Err(OpenError::Malformed(m)) if m.contains("rewrapped tombstone")), "{refused:?}");
    }
}

/// A rewrap statement's signature covers the file it vouches for: moved
/// onto another rewrapped file of the same note (its hash put in), it is
/// refused. (Found by cargo-mutants.)
#[test]
fn a_rewrap_statement_signs_its_own_file() {
    let w = world();
    let sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let rewrap = || crate::rewrap::rewrap(&sealed, w.coordinator.age_identity(), &w.roster, &w.coordinator).unwrap();
    let (first, second) = (rewrap(), rewrap());
    assert_eq!(verify(&first, &w.roster), Ok(()));
    let mut statement = first.rewrap.clone().unwrap();
    statement.age_sha256 = second.rewrap.as_ref().unwrap().age_sha256.clone();
    let moved = SealedNote { rewrap: Some(statement), ..second };
    let refused = verify(&moved, &w.roster);
    assert!(refused.is_err(), "{refused:?}");
}

/// A rewrap statement stays valid under later rosters, also once its
/// coordinator's device is revoked, for the versions it was active in; a
/// statement naming a later version than it was active in, one naming a
/// version the reader has not got, or one by a leader's device (revoked
/// or not) is refused. (Found by cargo-mutants.)
#[test]
fn rewrap_statements_under_later_rosters_and_revocations() {
    let w = world();
    let sealed = seal(&note("calm"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let rewrapped = crate::rewrap::rewrap(&sealed, w.coordinator.age_identity(), &w.roster, &w.coordinator).unwrap();
    let revoked = DeviceStatus::Revoked {
        trusted_through_seq: 0,
        trusted_through_hash: None,
        active_through_roster: Some(w.roster.version),
    };
    let mut later = w.roster.clone();
    later.version += 1;
    assert_eq!(verify(&rewrapped, &later), Ok(()), "under a later roster");
    let mut older = w.roster.clone();
    older.version -= 1;
    assert!(matches!(verify(&rewrapped, &older), Err(OpenError::StaleRoster { .. })), "a roster the reader lacks");
    later.members[0].devices[0].status = revoked;
    assert_eq!(verify(&rewrapped, &later), Ok(()), "made while its device was active");
    let mut after = w.roster.clone();
    after.version += 2;
    after.members[0].devices[0].status = revoked;
    let too_late = crate::rewrap::rewrap(
        &sealed,
        w.coordinator.age_identity(),
        &{
            let mut active = after.clone();
            active.members[0].devices[0].status = DeviceStatus::Active;
            active
        },
        &w.coordinator,
    )
    .unwrap();
    assert!(matches!(verify(&too_late, &after), Err(OpenError::RevokedDevice(_))), "named a version after it");
    // A leader's device signing a statement, while listed as a revoked
    // device active through that version: not a coordinator's.
    let mut by_leader = rewrapped.clone();
    let mut statement = by_leader.rewrap.take().unwrap();
    statement.device_id = w.leader.device_id();
    statement.signature = w.leader.sign(&statement.signing_message(&by_leader.hash())).to_vec();
    by_leader.rewrap = Some(statement);
    let mut leader_revoked = w.roster.clone();
    leader_revoked.version += 1;
    leader_revoked.members[1].devices[0].status = revoked;
    assert!(verify(&by_leader, &leader_revoked).is_err());
}

#[test]
fn swapped_ciphertexts_are_a_bad_signature() {
    let w = world();
    let a = seal(&note("a"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let b = seal(&note("b"), &params(1, 1), &w.roster, &w.other_leader).unwrap();
    let mut swapped = a.clone();
    swapped.age = b.age.clone();
    assert_eq!(open(&swapped, &ctx(&w, &w.coordinator)), Err(OpenError::BadSignature));
}

#[test]
fn edited_metadata_is_a_bad_signature() {
    let w = world();
    let sealed = seal(&note("calm"), &params(3, 7), &w.roster, &w.leader).unwrap();
    let edits: [fn(&mut EnvelopeHeader); 5] = [
        |h| h.note_id = NoteId::random(),
        |h| h.revision += 1,
        |h| h.roster_version -= 1,
        |h| h.device_seq += 1,
        |h| h.prev_hash = Some("00".repeat(32)),
    ];
    for edit in edits {
        let mut tampered = sealed.clone();
        edit(&mut tampered.header);
        assert_eq!(open(&tampered, &ctx(&w, &w.coordinator)), Err(OpenError::BadSignature));
    }
}

#[test]
fn content_of_another_note_under_a_valid_signature_is_an_id_mismatch() {
    let w = world();
    let a = seal(&note("a"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let b = seal(&note("b"), &params(1, 2), &w.roster, &w.leader).unwrap();
    let mut swapped = a.clone();
    swapped.age = b.age.clone();
    let swapped = resign(swapped, &w.leader);
    assert_eq!(open(&swapped, &ctx(&w, &w.coordinator)), Err(OpenError::IdMismatch));
}

#[test]
fn unlisted_and_revoked_devices() {
    let mut w = world();
    let stranger = DeviceKeys::generate();
    let sealed = seal(&note("x"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let mut forged = sealed.clone();
    forged.header.device_id = stranger.device_id();
    let forged = resign(forged, &stranger);
    assert_eq!(open(&forged, &ctx(&w, &w.coordinator)), Err(OpenError::UnknownDevice(stranger.device_id())));

    // Signing with an unlisted key but naming a listed device.
    let impostor = resign(sealed.clone(), &stranger);
    assert_eq!(open(&impostor, &ctx(&w, &w.coordinator)), Err(OpenError::BadSignature));

    let early = seal(&note("before"), &params(1, 4), &w.roster, &w.leader).unwrap();
    let late = seal(&note("after"), &params(1, 5), &w.roster, &w.leader).unwrap();
    w.roster.members[1].devices[0].status =
        DeviceStatus::Revoked { trusted_through_seq: 4, trusted_through_hash: None, active_through_roster: None };
    assert!(open(&early, &ctx(&w, &w.coordinator)).is_ok());
    assert_eq!(open(&late, &ctx(&w, &w.coordinator)), Err(OpenError::RevokedDevice(w.leader.device_id())));
    // And a revoked device cannot seal any more.
    assert!(matches!(seal(&note("x"), &params(1, 6), &w.roster, &w.leader), Err(SealError::NotInRoster(2))));
}

#[test]
fn a_device_claiming_another_author() {
    let w = world();
    let mut sealed = seal(&note("x"), &params(1, 1), &w.roster, &w.leader).unwrap();
    sealed.header.author = w.roster.members[2].user_id.clone();
    let sealed = resign(sealed, &w.leader);
    assert!(matches!(open(&sealed, &ctx(&w, &w.coordinator)), Err(OpenError::AuthorMismatch { .. })));
}

#[test]
fn an_older_roster_is_stale() {
    let w = world();
    let sealed = seal(&note("x"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let mut old = w.roster.clone();
    old.version = 1;
    let ctx = OpenContext {
        roster: &old,
        identity: w.coordinator.age_identity(),
        seen_revision: None,
        seen_device_seq: None,
    };
    assert_eq!(open(&sealed, &ctx), Err(OpenError::StaleRoster { note: 2, have: 1 }));
}

#[test]
fn rollbacks_are_refused() {
    let w = world();
    let sealed = seal(&note("x"), &params(2, 5), &w.roster, &w.leader).unwrap();
    let base = ctx(&w, &w.coordinator);
    let seen_rev = OpenContext { seen_revision: Some(2), ..base };
    assert_eq!(open(&sealed, &seen_rev), Err(OpenError::Rollback { what: "revision", seen: 2, got: 2 }));
    let base = ctx(&w, &w.coordinator);
    let seen_seq = OpenContext { seen_device_seq: Some(6), ..base };
    assert!(matches!(open(&sealed, &seen_seq), Err(OpenError::Rollback { what: "device sequence number", .. })));
    let base = ctx(&w, &w.coordinator);
    let fine = OpenContext { seen_revision: Some(1), seen_device_seq: Some(4), ..base };
    assert!(open(&sealed, &fine).is_ok());
}

fn passphrase_age(plaintext: &[u8], log_n: u8) -> Vec<u8> {
    let mut recipient = age::scrypt::Recipient::new("hunter2".to_owned().into());
    recipient.set_work_factor(log_n);
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).unwrap();
    writer.write_all(plaintext).unwrap();
    writer.finish().unwrap();
    out
}

/// Guards the stanza check of the age-header reader (`age_header::read`)
/// as `open` applies it: a scrypt stanza of work factor 2^40 under the
/// author's signature is refused as a forbidden stanza, before age is
/// handed the file (with the check removed, age refuses it with another
/// error). No time bound: the x25519 identity never runs scrypt, so one
/// could not fail.
#[test]
fn a_passphrase_stanza_is_refused_before_any_work() {
    let w = world();
    let mut sealed = seal(&note("x"), &params(1, 1), &w.roster, &w.leader).unwrap();
    // A work factor of 2^40 would take days; refusal must not depend on it.
    sealed.age = passphrase_age(b"anything", 10);
    let text = String::from_utf8_lossy(&sealed.age).into_owned();
    let huge = text.replacen(" 10\n", " 40\n", 1);
    sealed.age = huge.into_bytes();
    let sealed = resign(sealed, &w.leader);
    assert_eq!(open(&sealed, &ctx(&w, &w.coordinator)), Err(OpenError::ForbiddenStanza("scrypt".into())));
}

#[test]
fn a_plugin_stanza_is_refused() {
    let w = world();
    let mut sealed = seal(&note("x"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let text = String::from_utf8_lossy(&sealed.age).into_owned();
    sealed.age = text.replacen("-> X25519", "-> yubikey", 1).into_bytes();
    let sealed = resign(sealed, &w.leader);
    assert_eq!(open(&sealed, &ctx(&w, &w.coordinator)), Err(OpenError::ForbiddenStanza("yubikey".into())));
}

#[test]
fn garbage_under_a_valid_signature_is_malformed() {
    let w = world();
    let mut sealed = seal(&note("x"), &params(1, 1), &w.roster, &w.leader).unwrap();
    sealed.age = b"not an age file".to_vec();
    let sealed = resign(sealed, &w.leader);
    assert_eq!(open(&sealed, &ctx(&w, &w.coordinator)), Err(OpenError::Header(HeaderError::NotAgeV1)));
}

#[test]
fn a_newer_schema_inside_is_named() {
    let w = world();
    let mut newer = note("x");
    newer.schema_version = SCHEMA_VERSION + 1;
    let sealed = seal(&newer, &params(1, 1), &w.roster, &w.leader).unwrap();
    assert_eq!(
        open(&sealed, &ctx(&w, &w.coordinator)),
        Err(OpenError::Note(NoteError::NewerSchema { found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION }))
    );
}

#[test]
fn tombstones_verify_and_carry_no_data() {
    let w = world();
    let first = seal(&note("x"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let p =
        SealParams { note_id: first.header.note_id.clone(), revision: 2, prev_hash: Some(first.hash()), device_seq: 2 };
    let tomb = seal_tombstone(&p, &w.roster, &w.leader).unwrap();
    assert!(matches!(open(&tomb, &ctx(&w, &w.coordinator)), Ok(Opened::Tombstone { .. })));
    let mut stuffed = tomb.clone();
    stuffed.age = first.age.clone();
    let stuffed = resign(stuffed, &w.leader);
    assert!(matches!(open(&stuffed, &ctx(&w, &w.coordinator)), Err(OpenError::Malformed(_))));
}

fn arb_note() -> impl Strategy<Value = VisitNote> {
    (
        0i64..3000,
        prop::sample::subsequence(vec!["Unit A".to_owned(), "Unit B".to_owned()], 1..=2),
        0u32..50,
        0u32..200,
        prop::sample::subsequence(Activity::ALL.to_vec(), 0..=6),
        prop::sample::subsequence(Theme::ALL.to_vec(), 0..=16),
        ".{0,300}",
        0u32..5,
    )
        .prop_map(|(days, units, volunteers, met, activities, themes, summary, tracing)| VisitNote {
            schema_version: SCHEMA_VERSION,
            visit_date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(days as u64),
            units,
            volunteers,
            people_met: met,
            activities,
            themes,
            other_themes: vec![],
            concerns: vec![],
            tracing_requests: TracingRequests { count: tracing, note: String::new() },
            summary,
            language: "nb".into(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_valid_note_opens_identical_for_readers_only(n in arb_note()) {
        let w = world();
        let sealed = seal(&n, &params(1, 1), &w.roster, &w.leader).unwrap();
        for reader in [&w.coordinator, &w.leader, &w.leader_laptop] {
            match open(&sealed, &ctx(&w, reader)) {
                Ok(Opened::Note { note, .. }) => prop_assert_eq!(&*note, &n),
                other => prop_assert!(false, "reader could not open: {:?}", other),
            }
        }
        prop_assert_eq!(open(&sealed, &ctx(&w, &w.other_leader)), Err(OpenError::NotRecipient));
    }

    #[test]
    fn any_single_byte_change_is_refused(at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let w = world();
        let sealed = seal(&note("x"), &params(1, 1), &w.roster, &w.leader).unwrap();
        let mut tampered = sealed.clone();
        let i = at.index(tampered.age.len());
        tampered.age[i] ^= 1 << bit;
        prop_assert_eq!(open(&tampered, &ctx(&w, &w.coordinator)), Err(OpenError::BadSignature));
    }
}

/// An insider (the author's own device) signing a damaged age file: the
/// signature holds, so age itself must refuse every kind of damage.
#[test]
fn damage_signed_by_the_author_is_refused_by_age() {
    const CHUNK: usize = 64 * 1024 + 16;
    let w = world();
    let sealed = seal(&note(&"y".repeat(150_000)), &params(1, 1), &w.roster, &w.leader).unwrap();
    let payload = age_header::read(&sealed.age).unwrap().payload_at;
    let chunks = payload + 16;
    assert!(sealed.age.len() > chunks + 2 * CHUNK);
    let age = &sealed.age;
    let mut variants: Vec<(&str, Vec<u8>)> = vec![
        ("truncated at the first chunk boundary", age[..chunks + CHUNK].to_vec()),
        ("truncated at the second chunk boundary", age[..chunks + 2 * CHUNK].to_vec()),
        ("bytes appended", [age.as_slice(), b"tail"].concat()),
    ];
    let mut reordered = age[..chunks].to_vec();
    reordered.extend_from_slice(&age[chunks + CHUNK..chunks + 2 * CHUNK]);
    reordered.extend_from_slice(&age[chunks..chunks + CHUNK]);
    reordered.extend_from_slice(&age[chunks + 2 * CHUNK..]);
    variants.push(("chunks reordered", reordered));
    let mut bad_mac = age.clone();
    bad_mac[payload - 3] ^= 0x01;
    variants.push(("bad header MAC", bad_mac));
    for (what, damaged) in variants {
        let resigned = resign(SealedNote { age: damaged, ..sealed.clone() }, &w.leader);
        // A flipped MAC character may no longer be base64: then the header
        // reader refuses it before age does.
        let refused = open(&resigned, &ctx(&w, &w.coordinator));
        assert!(matches!(refused, Err(OpenError::Malformed(_) | OpenError::Header(_))), "{what}");
    }
}

// ---- follow-up records ----

fn record(note_id: &NoteId) -> FollowUpRecord {
    FollowUpRecord {
        schema_version: crate::follow_up::SCHEMA_VERSION,
        note_id: note_id.clone(),
        note_revision: 1,
        concern: 1,
        concern_sha256: "ab".repeat(32),
        entries: vec![crate::follow_up::FollowUpEntry {
            status: crate::note::FollowUp::Closed,
            date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
            text: "seen by a doctor".into(),
            recorded_at: 1_790_000_000,
        }],
    }
}

/// The coordinator's follow-up record on a note by `w.leader`.
fn follow_up(w: &World) -> (FollowUpRecord, SealedNote) {
    let leader = w.roster.members[1].user_id.clone();
    let r = record(&NoteId::random());
    let sealed = seal_follow_up(&r, &leader, &params(1, 1), [0; 32], &w.roster, &w.coordinator).unwrap();
    (r, sealed)
}

#[test]
fn a_follow_up_opens_for_coordinators_and_the_notes_author_only() {
    let w = world();
    let (r, sealed) = follow_up(&w);
    assert_eq!(sealed.header.kind, Kind::FollowUp);
    assert_eq!(sealed.header.author, w.roster.members[0].user_id, "signed as the coordinator");
    assert_eq!(sealed.header.note_author.as_ref(), Some(&w.roster.members[1].user_id));
    assert_eq!(sealed.header.readers_of(), &w.roster.members[1].user_id);
    for reader in [&w.coordinator, &w.leader, &w.leader_laptop] {
        match open(&sealed, &ctx(&w, reader)).unwrap() {
            Opened::FollowUp { record: got, .. } => assert_eq!(*got, r),
            other => panic!("expected a follow-up record, got {other:?}"),
        }
    }
    assert_eq!(open(&sealed, &ctx(&w, &w.other_leader)), Err(OpenError::NotRecipient));
    let back: SealedNote = serde_json::from_str(&serde_json::to_string(&sealed).unwrap()).unwrap();
    assert_eq!(back, sealed);
    // Filled to the 4 KiB bucket: the size says nothing about the text.
    let payload = sealed.age.len() - age_header::read(&sealed.age).unwrap().payload_at;
    assert_eq!(payload, 16 + 2 * crate::padding::MIN_BUCKET + 16);

    // Rewrapped, it still goes to the note author's readers.
    let rewrapped = crate::rewrap::rewrap(&sealed, w.coordinator.age_identity(), &w.roster, &w.coordinator).unwrap();
    assert!(matches!(open(&rewrapped, &ctx(&w, &w.leader)), Ok(Opened::FollowUp { .. })));
}

#[test]
fn follow_up_records_are_one_size_whatever_their_text() {
    let w = world();
    let leader = w.roster.members[1].user_id.clone();
    let payload = |text: String| {
        let mut r = record(&NoteId::random());
        r.entries[0].text = text;
        let sealed = seal_follow_up(&r, &leader, &params(1, 1), [0; 32], &w.roster, &w.coordinator).unwrap();
        match open(&sealed, &ctx(&w, &w.leader)).unwrap() {
            Opened::FollowUp { record, .. } => assert_eq!(*record, r, "the fill is not part of the record"),
            other => panic!("expected a follow-up record, got {other:?}"),
        }
        sealed.age.len() - age_header::read(&sealed.age).unwrap().payload_at
    };
    let longest = crate::follow_up::MAX_TEXT;
    let sizes = [
        payload(String::new()),
        payload("seen".into()),
        payload("ø".repeat(longest / 2)),
        payload("a\"b\n".repeat(longest / 4)),
        payload("x".repeat(longest)),
    ];
    assert!(sizes.iter().all(|&s| s == 16 + 2 * crate::padding::MIN_BUCKET + 16), "{sizes:?}");
}

#[test]
fn only_a_coordinator_may_sign_a_follow_up() {
    let w = world();
    let leader = w.roster.members[1].user_id.clone();
    let r = record(&NoteId::random());
    assert!(matches!(
        seal_follow_up(&r, &leader, &params(1, 1), [0; 32], &w.roster, &w.leader),
        Err(SealError::NotCoordinator)
    ));
    assert!(matches!(
        seal_follow_up(&r, &UserId::random(), &params(1, 1), [0; 32], &w.roster, &w.coordinator),
        Err(SealError::UnknownNoteAuthor(2))
    ));
    // A leader's device that seals one anyway (under a roster of its own
    // making that calls it a coordinator): every reader refuses it.
    let mut claimed = w.roster.clone();
    claimed.members[1].roles.insert(Role::Coordinator);
    let forged = seal_follow_up(&r, &leader, &params(1, 1), [0; 32], &claimed, &w.leader).unwrap();
    for reader in [&w.coordinator, &w.leader] {
        assert_eq!(open(&forged, &ctx(&w, reader)), Err(OpenError::NotCoordinator(w.leader.device_id())));
    }
    assert_eq!(verify(&forged, &w.roster), Err(OpenError::NotCoordinator(w.leader.device_id())));
}

#[test]
fn the_note_author_and_the_kind_are_signed() {
    let w = world();
    let (_, sealed) = follow_up(&w);
    let other = w.roster.members[2].user_id.clone();
    for edit in ["note author changed", "note author removed", "kind changed"] {
        let mut tampered = sealed.clone();
        match edit {
            "note author changed" => tampered.header.note_author = Some(other.clone()),
            "note author removed" => tampered.header.note_author = None,
            _ => tampered.header.kind = Kind::Note,
        }
        assert_eq!(open(&tampered, &ctx(&w, &w.leader)), Err(OpenError::BadSignature), "{edit}");
    }
    let sealed_note = seal(&note("x"), &params(1, 2), &w.roster, &w.leader).unwrap();
    let mut redirected = sealed_note.clone();
    redirected.header.note_author = Some(w.roster.members[2].user_id.clone());
    assert_eq!(open(&redirected, &ctx(&w, &w.coordinator)), Err(OpenError::BadSignature));

    // Re-signed by the coordinator (an insider): still refused.
    let malformed = |sealed: SealedNote| {
        let resigned = resign(sealed, &w.coordinator);
        matches!(open(&resigned, &ctx(&w, &w.coordinator)), Err(OpenError::Malformed(_)))
    };
    let mut no_author = sealed.clone();
    no_author.header.note_author = None;
    assert!(malformed(no_author), "a follow-up record names the note's author");
    let mut as_note = sealed.clone();
    as_note.header.kind = Kind::Note;
    assert!(malformed(as_note.clone()), "a note names no note author");
    as_note.header.note_author = None;
    assert!(malformed(as_note), "a record's content under a note's header");
    let own_note = seal(&note("x"), &params(1, 3), &w.roster, &w.coordinator).unwrap();
    let mut as_record = own_note;
    as_record.header.kind = Kind::FollowUp;
    as_record.header.note_author = Some(w.roster.members[1].user_id.clone());
    assert!(malformed(as_record), "a note's content under a record's header");
}

#[test]
fn a_note_header_signs_the_same_bytes_as_before_follow_ups() {
    // Notes signed before `note_author` existed must still verify: a
    // header without it signs exactly the ten fields it always did.
    let w = world();
    let sealed = seal(&note("x"), &params(1, 1), &w.roster, &w.leader).unwrap();
    let h = &sealed.header;
    let before = Canonical::new(CONTEXT)
        .str("note")
        .str(h.note_id.as_str())
        .u64(h.revision)
        .str("")
        .str(h.author.as_str())
        .str(h.device_id.as_str())
        .u64(h.device_seq)
        .u64(h.roster_version)
        .str(&h.age_sha256)
        .str(&h.payload_sha256)
        .finish();
    assert_eq!(h.signing_message(), before);
    let json = serde_json::to_value(&sealed).unwrap();
    let mut old = json.clone();
    old["header"].as_object_mut().unwrap().remove("note_author");
    assert_eq!(serde_json::from_value::<SealedNote>(old).unwrap(), sealed, "a header without the field still reads");
}

#[test]
fn chained_headers_verify_and_the_chain_cannot_be_stripped_or_moved() {
    let w = world();
    let first = seal_chained(&note("one"), &params(1, 1), [0; 32], &w.roster, &w.leader).unwrap();
    assert_eq!(first.header.device_prev.as_deref(), Some(CHAIN_START));
    let second = seal_chained(&note("two"), &params(1, 2), first.hash(), &w.roster, &w.leader).unwrap();
    assert_eq!(second.header.device_prev, Some(crate::hex(&first.hash())));
    assert!(open(&first, &ctx(&w, &w.coordinator)).is_ok());
    assert!(open(&second, &ctx(&w, &w.coordinator)).is_ok());
    // Unchained headers (signed before the chain existed) still verify.
    let old = seal(&note("old"), &params(1, 3), &w.roster, &w.leader).unwrap();
    assert_eq!(old.header.device_prev, None);
    assert!(open(&old, &ctx(&w, &w.coordinator)).is_ok());
    // Stripped: the message falls back to the v1 context and no longer verifies.
    let mut stripped = second.clone();
    stripped.header.device_prev = None;
    assert_eq!(verify(&stripped, &w.roster), Err(OpenError::BadSignature));
    // Pointed elsewhere: a bad signature too.
    let mut moved = second.clone();
    moved.header.device_prev = Some("ab".repeat(32));
    assert_eq!(verify(&moved, &w.roster), Err(OpenError::BadSignature));
    // Signed by the device, but malformed: not hex, or a chain that restarts.
    let restart = seal_chained(&note("x"), &params(1, 4), [0; 32], &w.roster, &w.leader).unwrap();
    assert!(matches!(verify(&restart, &w.roster), Err(OpenError::Malformed(_))));
    let mut upper = second.clone();
    upper.header.device_prev = upper.header.device_prev.map(|h| h.to_uppercase());
    let upper = resign(upper, &w.leader);
    assert!(matches!(verify(&upper, &w.roster), Err(OpenError::Malformed(_))));
    // Tombstones are links of the same chain.
    let p =
        SealParams { note_id: first.header.note_id.clone(), revision: 2, prev_hash: Some(first.hash()), device_seq: 3 };
    let tomb = seal_tombstone_chained(&p, second.hash(), &w.roster, &w.leader).unwrap();
    assert!(verify(&tomb, &w.roster).is_ok());
    // Postcard (the binary wire form) carries the field.
    let back: SealedNote = postcard::from_bytes(&postcard::to_stdvec(&second).unwrap()).unwrap();
    assert_eq!(back, second);
}
