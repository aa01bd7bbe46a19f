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
use age_core::format::{FileKey, Stanza};
use age_core::secrecy::ExposeSecret;
use ring::{hkdf, hmac};
use serde::{Deserialize, Serialize};

use crate::canonical::Canonical;
use crate::envelope::{self, Kind, OpenError, SealedNote};
use crate::ids::DeviceId;
use crate::keys::DeviceKeys;
use crate::roster::{DeviceStatus, MemberStatus, Role, Roster};

const CONTEXT: &str = "visitnotes/rewrap/v1";
const B64: data_encoding::Encoding = data_encoding::BASE64_NOPAD;

/// The rewrapping device's statement: "this age file carries note X's
/// payload to the readers of roster version V".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rewrap {
    pub device_id: DeviceId,
    pub roster_version: u64,
    pub age_sha256: String,
    #[serde(with = "crate::b64")]
    pub signature: Vec<u8>,
}

impl Rewrap {
    /// What the rewrapping device signs: the note's own hash (which binds the
    /// author's header) and the new file's hash.
    pub fn signing_message(&self, note_hash: &[u8; 32]) -> Vec<u8> {
        Canonical::new(CONTEXT)
            .bytes(note_hash)
            .str(self.device_id.as_str())
            .u64(self.roster_version)
            .str(&self.age_sha256)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RewrapError {
    #[error("the note cannot be rewrapped: {0}")]
    Open(#[from] OpenError),
    #[error("a tombstone has nothing to rewrap")]
    Tombstone,
    #[error("only an active coordinator's device can rewrap notes")]
    NotAllowed,
    #[error("re-encrypting the file key failed: {0}")]
    Encrypt(String),
}

/// Checks a rewrap statement against the roster: the rewrapper is an active
/// coordinator's active device and signed this exact file.
pub fn verify(sealed: &SealedNote, rewrap: &Rewrap, roster: &Roster) -> Result<(), OpenError> {
    if crate::hex(&crate::sha256(&sealed.age)) != rewrap.age_sha256 {
        return Err(OpenError::BadSignature);
    }
    if rewrap.roster_version > roster.version {
        return Err(OpenError::StaleRoster { note: rewrap.roster_version, have: roster.version });
    }
    let (member, device) =
        roster.device(&rewrap.device_id).ok_or_else(|| OpenError::UnknownDevice(rewrap.device_id.clone()))?;
    if !device.signing_key.verify(&rewrap.signing_message(&sealed.hash()), &rewrap.signature) {
        return Err(OpenError::BadSignature);
    }
    let allowed = member.status == MemberStatus::Active
        && device.status == DeviceStatus::Active
        && member.roles.contains(&Role::Coordinator);
    if !allowed {
        return Err(OpenError::RevokedDevice(rewrap.device_id.clone()));
    }
    Ok(())
}

/// Re-encrypts `sealed`'s file key to the readers `roster` names for its
/// author, as `keys`' device, which must be able to open it.
pub fn rewrap(
    sealed: &SealedNote,
    identity: &age::x25519::Identity,
    roster: &Roster,
    keys: &DeviceKeys,
) -> Result<SealedNote, RewrapError> {
    if sealed.header.kind == Kind::Tombstone {
        return Err(RewrapError::Tombstone);
    }
    let allowed = roster.device(&keys.device_id()).is_some_and(|(m, d)| {
        m.status == MemberStatus::Active && d.status == DeviceStatus::Active && m.roles.contains(&Role::Coordinator)
    });
    if !allowed {
        return Err(RewrapError::NotAllowed);
    }
    envelope::verify(sealed, roster)?;
    let (stanzas, payload_at) = parse_header(&sealed.age)?;
    let file_key = identity
        .unwrap_stanzas(&stanzas)
        .ok_or(OpenError::NotRecipient)?
        .map_err(|e| OpenError::Malformed(e.to_string()))?;

    let mut new_stanzas = Vec::new();
    for reader in roster.readers_for(&sealed.header.author) {
        let recipient: age::x25519::Recipient =
            reader.age_recipient.parse().map_err(|_| RewrapError::Encrypt("a reader key is not valid".into()))?;
        let (mut wrapped, _) = recipient.wrap_file_key(&file_key).map_err(|e| RewrapError::Encrypt(e.to_string()))?;
        new_stanzas.append(&mut wrapped);
    }
    let mut age = write_header(&new_stanzas, &file_key);
    age.extend_from_slice(&sealed.age[payload_at..]);

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

/// The stanzas of an age v1 header and where its payload starts.
fn parse_header(age: &[u8]) -> Result<(Vec<Stanza>, usize), OpenError> {
    let malformed = |m: &str| OpenError::Malformed(format!("age header: {m}"));
    let text_end = age.windows(4).position(|w| w == b"\n---").ok_or_else(|| malformed("no MAC line"))?;
    let mac_line_end =
        age[text_end + 1..].iter().position(|&b| b == b'\n').ok_or_else(|| malformed("no end of MAC line"))?
            + text_end
            + 2;
    let text = std::str::from_utf8(&age[..text_end]).map_err(|_| malformed("not text"))?;
    let mut lines = text.lines();
    if lines.next() != Some("age-encryption.org/v1") {
        return Err(malformed("not an age v1 file"));
    }
    let mut stanzas: Vec<Stanza> = Vec::new();
    let mut body = String::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix("-> ") {
            if let Some(last) = stanzas.last_mut() {
                last.body = B64.decode(body.as_bytes()).map_err(|_| malformed("stanza body"))?;
            }
            body.clear();
            let mut words = rest.split(' ');
            let tag = words.next().unwrap_or_default().to_owned();
            stanzas.push(Stanza { tag, args: words.map(str::to_owned).collect(), body: Vec::new() });
        } else {
            body.push_str(line);
        }
    }
    if let Some(last) = stanzas.last_mut() {
        last.body = B64.decode(body.as_bytes()).map_err(|_| malformed("stanza body"))?;
    }
    Ok((stanzas, mac_line_end))
}

/// An age v1 header for `stanzas`, with its MAC under `file_key`.
fn write_header(stanzas: &[Stanza], file_key: &FileKey) -> Vec<u8> {
    let mut header = String::from("age-encryption.org/v1\n");
    for stanza in stanzas {
        header.push_str("-> ");
        header.push_str(&stanza.tag);
        for arg in &stanza.args {
            header.push(' ');
            header.push_str(arg);
        }
        header.push('\n');
        let body = B64.encode(&stanza.body);
        for chunk in body.as_bytes().chunks(64) {
            header.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
            header.push('\n');
        }
        // The last line of a body is always shorter than 64 columns.
        if body.len() % 64 == 0 {
            header.push('\n');
        }
    }
    header.push_str("---");
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &[]).extract(file_key.expose_secret());
    let key: hmac::Key = prk.expand(&[b"header"], hmac::HMAC_SHA256).expect("32 bytes is a valid length").into();
    let mac = hmac::sign(&key, header.as_bytes());
    header.push(' ');
    header.push_str(&B64.encode(mac.as_ref()));
    header.push('\n');
    header.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{open, seal, OpenContext, Opened, SealParams};
    use crate::ids::{NoteId, UserId};
    use crate::keys::OrgKey;
    use crate::note::{TracingRequests, VisitNote, SCHEMA_VERSION};
    use crate::roster::Member;

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
