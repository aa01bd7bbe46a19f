//! Signed device heads: "device D has sealed items up to sequence number N,
//! the newest with header hash H; it knows roster version V; signed at T".
//!
//! A device signs and uploads its head on every sync; the server keeps the
//! newest per device and serves them to every member. A reader compares a
//! head with what it holds: a head that names notes the reader does not
//! have exposes a server that withholds a device's newest notes (which no
//! gap shows), a head older than a set time says when the device was last
//! heard from, and a roster version above the one the server serves
//! exposes a withheld roster. Heads are metadata the server sees: device
//! id, a sequence number, a hash, a roster version and a time; no note id.

use serde::{Deserialize, Serialize};

use crate::canonical::Canonical;
use crate::envelope::{is_hash_hex, CHAIN_START};
use crate::ids::DeviceId;
use crate::keys::DeviceKeys;
use crate::roster::{Member, Roster};

const CONTEXT: &str = "visitnotes/head/v1";

/// What a device states about its own chain of sealed items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceHead {
    pub device_id: DeviceId,
    /// The device's newest sealed item the server acknowledged (or refused);
    /// 0 before its first.
    pub last_seq: u64,
    /// `SealedNote::hash` of that item, hex; [`CHAIN_START`] for none.
    pub chain_hash: String,
    /// The newest roster version the device has verified.
    pub roster_version: u64,
    /// Unix seconds, the device's clock.
    pub signed_at: i64,
}

/// A head as it travels: the statement and the device's signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedHead {
    pub head: DeviceHead,
    #[serde(with = "crate::b64")]
    pub signature: Vec<u8>,
}

/// `GET /v1/heads`: the newest head of every device that sent one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heads {
    pub heads: Vec<SignedHead>,
}

/// A `SealedNote::hash` (the SHA-256 of a signed header) where it must be
/// `Copy`: in the roster's device status. Lowercase hex on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChainHash(pub [u8; 32]);

impl ChainHash {
    /// Reads a lowercase hex hash (as hashes are signed).
    pub fn parse(hex: &str) -> Option<ChainHash> {
        if !is_hash_hex(hex) {
            return None;
        }
        let bytes = data_encoding::HEXLOWER.decode(hex.as_bytes()).ok()?;
        Some(ChainHash(bytes.try_into().ok()?))
    }

    pub fn hex(&self) -> String {
        crate::hex(&self.0)
    }
}

impl std::fmt::Debug for ChainHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChainHash({})", self.hex())
    }
}

impl std::fmt::Display for ChainHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.hex())
    }
}

impl Serialize for ChainHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.hex())
    }
}

impl<'de> Deserialize<'de> for ChainHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ChainHash::parse(&text).ok_or_else(|| serde::de::Error::custom("not a SHA-256 in lowercase hex"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeadError {
    #[error("the head names device {0}, which is not in the roster")]
    UnknownDevice(DeviceId),
    #[error("the head's signature does not verify: it was altered or forged")]
    BadSignature,
    #[error("the head is malformed: {0}")]
    Malformed(&'static str),
}

impl DeviceHead {
    pub fn signing_message(&self) -> Vec<u8> {
        Canonical::new(CONTEXT)
            .str(self.device_id.as_str())
            .u64(self.last_seq)
            .str(&self.chain_hash)
            .u64(self.roster_version)
            .i64(self.signed_at)
            .finish()
    }

    /// Signs the head with the device's key; `device_id` must be that key's.
    pub fn sign(self, keys: &DeviceKeys) -> SignedHead {
        let signature = keys.sign(&self.signing_message()).to_vec();
        SignedHead { head: self, signature }
    }
}

impl SignedHead {
    /// Checks the signature with the device's key in `roster` and returns
    /// the member the device belongs to. A revoked device's key still
    /// verifies (what it signed may be the evidence for its revocation);
    /// readers decide what a revoked device's head may say.
    pub fn verify<'r>(&self, roster: &'r Roster) -> Result<&'r Member, HeadError> {
        let head = &self.head;
        let (member, device) =
            roster.device(&head.device_id).ok_or_else(|| HeadError::UnknownDevice(head.device_id.clone()))?;
        if !device.signing_key.verify(&head.signing_message(), &self.signature) {
            return Err(HeadError::BadSignature);
        }
        if !is_hash_hex(&head.chain_hash) {
            return Err(HeadError::Malformed("the chain hash is not 64 lowercase hex digits"));
        }
        if (head.last_seq == 0) != (head.chain_hash == CHAIN_START) {
            return Err(HeadError::Malformed("the chain hash does not match the sequence number"));
        }
        Ok(member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::OrgKey;
    use crate::roster::tests::member;
    use crate::roster::Role;

    fn roster(keys: &DeviceKeys) -> Roster {
        let org = OrgKey::generate();
        Roster {
            version: 2,
            org_key: org.public(),
            issued_at: 0,
            expires_at: None,
            units: vec![],
            members: vec![member("Bo", &[Role::Leader], &[keys])],
        }
    }

    fn head(keys: &DeviceKeys) -> DeviceHead {
        DeviceHead {
            device_id: keys.device_id(),
            last_seq: 3,
            chain_hash: "ab".repeat(32),
            roster_version: 2,
            signed_at: 1_700_000_000,
        }
    }

    #[test]
    fn a_head_verifies_and_each_change_breaks_it() {
        let keys = DeviceKeys::generate();
        let roster = roster(&keys);
        let signed = head(&keys).sign(&keys);
        assert_eq!(signed.verify(&roster).unwrap().name, "Bo");
        let wire: SignedHead = serde_json::from_str(&serde_json::to_string(&signed).unwrap()).unwrap();
        assert_eq!(wire, signed);
        for change in [
            (|h: &mut DeviceHead| h.last_seq = 4) as fn(&mut DeviceHead),
            |h| h.chain_hash = "cd".repeat(32),
            |h| h.roster_version = 9,
            |h| h.signed_at += 1,
        ] {
            let mut changed = signed.clone();
            change(&mut changed.head);
            assert_eq!(changed.verify(&roster), Err(HeadError::BadSignature));
        }
        let stranger = DeviceKeys::generate();
        let foreign = DeviceHead { device_id: stranger.device_id(), ..head(&keys) }.sign(&stranger);
        assert!(matches!(foreign.verify(&roster), Err(HeadError::UnknownDevice(_))));
        // Signed by the device, but a chain hash that cannot be one.
        let odd = DeviceHead { chain_hash: "AB".repeat(32), ..head(&keys) }.sign(&keys);
        assert!(matches!(odd.verify(&roster), Err(HeadError::Malformed(_))));
        let empty = DeviceHead { last_seq: 0, ..head(&keys) }.sign(&keys);
        assert!(matches!(empty.verify(&roster), Err(HeadError::Malformed(_))));
    }

    #[test]
    fn a_head_is_never_a_note_signature() {
        let keys = DeviceKeys::generate();
        let message = head(&keys).signing_message();
        assert!(message.starts_with(&Canonical::new(CONTEXT).finish()));
    }
}
