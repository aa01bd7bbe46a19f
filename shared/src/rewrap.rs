//! Rewrap: re-encrypt a note's file key to the current roster's readers,
//! so that a removed coordinator's key no longer opens the server's copy.
//!
//! Only the age header changes: the payload, and with it the author's
//! signature over the payload hash, stays as written. The rewrapping
//! device (an active coordinator, who could read the note anyway) signs
//! the new file's hash; readers check both signatures and that the payload
//! is still the author's.

use age::Identity as _;
use age::Recipient as _;

use crate::age_header;
use crate::envelope::{self, may_rewrap, Kind, OpenError, SealedNote};
use crate::keys::DeviceKeys;
use crate::roster::Roster;

/// The statement a rewrapped note carries; defined, and verified, with the
/// envelope.
pub use crate::envelope::Rewrap;

#[derive(Debug, thiserror::Error)]
pub enum RewrapError {
    #[error("the note cannot be rewrapped, as it does not verify or does not open here")]
    Open(#[from] OpenError),
    #[error("a tombstone has nothing to rewrap")]
    Tombstone,
    #[error("only an active coordinator's device can rewrap notes")]
    NotAllowed,
    #[error("re-encrypting the file key failed: {0}")]
    Encrypt(String),
}

/// Re-encrypts `sealed`'s file key to the readers `roster` names for its
/// author (for a follow-up record, the author of the note it is about), as
/// `keys`' device, which must be able to open it.
pub fn rewrap(
    sealed: &SealedNote,
    identity: &age::x25519::Identity,
    roster: &Roster,
    keys: &DeviceKeys,
) -> Result<SealedNote, RewrapError> {
    if sealed.header.kind == Kind::Tombstone {
        return Err(RewrapError::Tombstone);
    }
    if !may_rewrap(roster, &keys.device_id()) {
        return Err(RewrapError::NotAllowed);
    }
    envelope::verify(sealed, roster)?;
    // `verify` read this header already: it is X25519 stanzas only.
    let header = age_header::read(&sealed.age).map_err(OpenError::from)?;
    let file_key = identity
        .unwrap_stanzas(&header.stanzas)
        .ok_or(OpenError::NotRecipient)?
        .map_err(|e| OpenError::Malformed(e.to_string()))?;

    let mut new_stanzas = Vec::new();
    for reader in roster.readers_for(sealed.header.readers_of()) {
        let recipient: age::x25519::Recipient =
            reader.age_recipient.parse().map_err(|_| RewrapError::Encrypt("a reader key is not valid".into()))?;
        let (mut wrapped, _) = recipient.wrap_file_key(&file_key).map_err(|e| RewrapError::Encrypt(e.to_string()))?;
        new_stanzas.append(&mut wrapped);
    }
    let mut age = age_header::write(&new_stanzas, &file_key);
    age.extend_from_slice(&sealed.age[header.payload_at..]);

    let mut statement = Rewrap {
        device_id: keys.device_id(),
        roster_version: roster.version,
        age_sha256: crate::hex(&crate::sha256(&age)),
        signature: Vec::new(),
    };
    let mut out = SealedNote { header: sealed.header.clone(), signature: sealed.signature.clone(), age, rewrap: None };
    statement.signature = keys.sign(&statement.signing_message(&out.hash())).to_vec();
    out.rewrap = Some(statement);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{open, seal, OpenContext, Opened, SealParams};
    use crate::ids::{NoteId, UserId};
    use crate::keys::OrgKey;
    use crate::note::{TracingRequests, VisitNote, SCHEMA_VERSION};
    use crate::roster::{Member, MemberStatus, Role};

    fn member(role: Role, keys: &DeviceKeys) -> Member {
        Member::active(UserId::random(), "x", &[role], &[keys])
    }

    fn note() -> VisitNote {
        VisitNote {
            schema_version: SCHEMA_VERSION,
            visit_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            units: vec!["A".into()],
            volunteers: 1,
            people_met: 2,
            activities: vec![],
            themes: vec![],
            other_themes: vec![],
            concerns: vec![],
            tracing_requests: TracingRequests::default(),
            summary: "rewrap me".into(),
            language: "en".into(),
        }
    }

    fn can_open(sealed: &SealedNote, roster: &Roster, keys: &DeviceKeys) -> Result<Opened, OpenError> {
        open(sealed, &OpenContext { roster, identity: keys.age_identity(), seen_revision: None, seen_device_seq: None })
    }

    #[test]
    fn a_removed_coordinator_cannot_open_the_rewrapped_file() {
        let (a, b, leader) = (DeviceKeys::generate(), DeviceKeys::generate(), DeviceKeys::generate());
        let mut roster = Roster {
            version: 1,
            org_key: OrgKey::generate().public(),
            issued_at: 0,
            expires_at: None,
            units: vec![],
            members: vec![member(Role::Coordinator, &a), member(Role::Coordinator, &b), member(Role::Leader, &leader)],
        };
        let params = SealParams { note_id: NoteId::random(), revision: 1, prev_hash: None, device_seq: 1 };
        let sealed = seal(&note(), &params, &roster, &leader).unwrap();
        assert!(can_open(&sealed, &roster, &b).is_ok());

        roster.version = 2;
        roster.members[1].status = MemberStatus::Removed;
        let rewrapped = rewrap(&sealed, a.age_identity(), &roster, &a).unwrap();
        assert_eq!(rewrapped.header, sealed.header);
        assert_ne!(rewrapped.age, sealed.age);
        for reader in [&a, &leader] {
            match can_open(&rewrapped, &roster, reader).unwrap() {
                Opened::Note { note: n, .. } => assert_eq!(*n, note()),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(can_open(&rewrapped, &roster, &b).unwrap_err(), OpenError::NotRecipient);
        // The wire form round-trips.
        let wire: SealedNote = serde_json::from_str(&serde_json::to_string(&rewrapped).unwrap()).unwrap();
        assert_eq!(wire, rewrapped);

        // A flipped byte, or another payload, is refused.
        let mut flipped = rewrapped.clone();
        let last = flipped.age.len() - 1;
        flipped.age[last] ^= 1;
        assert_eq!(can_open(&flipped, &roster, &a).unwrap_err(), OpenError::BadSignature);

        // A leader cannot rewrap, nor pass off a statement of its own.
        assert!(matches!(rewrap(&sealed, leader.age_identity(), &roster, &leader), Err(RewrapError::NotAllowed)));
        let mut forged = rewrapped.clone();
        let statement = forged.rewrap.as_mut().unwrap();
        statement.device_id = leader.device_id();
        statement.signature = leader.sign(&statement.signing_message(&sealed.hash())).to_vec();
        assert_eq!(can_open(&forged, &roster, &a).unwrap_err(), OpenError::RevokedDevice(leader.device_id()));

        // A coordinator cannot change the content: the payload is the author's.
        let other = seal(&note(), &SealParams { device_seq: 2, ..params }, &roster, &leader).unwrap();
        let mut swapped = rewrap(&other, a.age_identity(), &roster, &a).unwrap();
        swapped.header = sealed.header.clone();
        swapped.signature = sealed.signature.clone();
        let statement = swapped.rewrap.as_mut().unwrap();
        statement.signature = a.sign(&statement.signing_message(&sealed.hash())).to_vec();
        assert_eq!(can_open(&swapped, &roster, &a).unwrap_err(), OpenError::BadSignature);
    }
}
