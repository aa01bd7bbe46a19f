//! Coordinators' signed delivery receipts: "this coordinator's device holds
//! every item of device D up to number N but these missing ones, the
//! newest with header hash H; it knows roster version V; signed at T".
//! (Missing numbers are normally none; a note the server refused from its
//! author stays missing for everyone, and must not stop the receipts of
//! the notes after it.)
//!
//! A coordinator's client signs one receipt per device after each pull and
//! uploads them; a leader's client fetches the receipts about its own
//! devices and shows, per note, which coordinators have received it, and
//! warns when a note has waited too long for any. A server that hides a
//! note from the coordinators is exposed to its author. Receipts are
//! metadata the server sees: two device ids, a number, a hash, a roster
//! version and a time; no note id.

use serde::{Deserialize, Serialize};

use crate::canonical::Canonical;
use crate::envelope::is_hash_hex;
use crate::ids::DeviceId;
use crate::keys::DeviceKeys;
use crate::roster::{Member, Role, Roster};

const CONTEXT: &str = "visitnotes/receipt/v1";

/// Most missing numbers one receipt lists; a reader missing more states a
/// lower `through_seq` instead.
pub const MAX_MISSING: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// The coordinator's device that signs.
    pub reader: DeviceId,
    /// The device whose items were received.
    pub device_id: DeviceId,
    /// Every item of `device_id` numbered 1 to this was received, but `missing`.
    pub through_seq: u64,
    /// Numbers below `through_seq` not received, ascending; at most [`MAX_MISSING`].
    pub missing: Vec<u64>,
    /// `SealedNote::hash` of item `through_seq`, hex.
    pub chain_hash: String,
    pub roster_version: u64,
    /// Unix seconds, the reader's clock.
    pub signed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedReceipt {
    pub receipt: Receipt,
    #[serde(with = "crate::b64")]
    pub signature: Vec<u8>,
}

/// `POST /v1/receipts` and `GET /v1/receipts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipts {
    pub receipts: Vec<SignedReceipt>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("the receipt names device {0}, which is not in the roster")]
    UnknownDevice(DeviceId),
    #[error("the receipt is signed by device {0}, which is not a coordinator's")]
    NotCoordinator(DeviceId),
    #[error("the receipt's signature does not verify: it was altered or forged")]
    BadSignature,
    #[error("the receipt is malformed: {0}")]
    Malformed(&'static str),
}

impl Receipt {
    pub fn signing_message(&self) -> Vec<u8> {
        let mut message = Canonical::new(CONTEXT);
        message
            .str(self.reader.as_str())
            .str(self.device_id.as_str())
            .u64(self.through_seq)
            .str(&self.chain_hash)
            .u64(self.roster_version)
            .i64(self.signed_at)
            .u64(self.missing.len() as u64);
        for seq in &self.missing {
            message.u64(*seq);
        }
        message.finish()
    }

    /// Whether item `seq` of the device is among those received.
    pub fn covers(&self, seq: u64) -> bool {
        seq >= 1 && seq <= self.through_seq && self.missing.binary_search(&seq).is_err()
    }

    /// Signs with the reader's key; `reader` must be that key's device.
    pub fn sign(self, keys: &DeviceKeys) -> SignedReceipt {
        let signature = keys.sign(&self.signing_message()).to_vec();
        SignedReceipt { receipt: self, signature }
    }
}

impl SignedReceipt {
    /// Checks the signature with the reader's key in `roster`, that the
    /// reader is a coordinator's device and that the device it names is
    /// listed; returns the coordinator.
    pub fn verify<'r>(&self, roster: &'r Roster) -> Result<&'r Member, ReceiptError> {
        let r = &self.receipt;
        let (member, device) = roster.device(&r.reader).ok_or_else(|| ReceiptError::UnknownDevice(r.reader.clone()))?;
        if !device.signing_key.verify(&r.signing_message(), &self.signature) {
            return Err(ReceiptError::BadSignature);
        }
        if !member.roles.contains(&Role::Coordinator) {
            return Err(ReceiptError::NotCoordinator(r.reader.clone()));
        }
        if roster.device(&r.device_id).is_none() {
            return Err(ReceiptError::UnknownDevice(r.device_id.clone()));
        }
        if r.through_seq == 0 || !is_hash_hex(&r.chain_hash) {
            return Err(ReceiptError::Malformed("no item, or a chain hash that is not 64 lowercase hex digits"));
        }
        let ascending = r.missing.windows(2).all(|w| w[0] < w[1]);
        let in_range = r.missing.iter().all(|&m| m >= 1 && m < r.through_seq);
        if r.missing.len() > MAX_MISSING || !ascending || !in_range {
            return Err(ReceiptError::Malformed("its missing numbers are not ascending numbers below the last"));
        }
        Ok(member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::OrgKey;
    use crate::roster::tests::member;

    #[test]
    fn a_receipt_verifies_only_from_a_coordinator_and_unaltered() {
        let (coordinator, leader) = (DeviceKeys::generate(), DeviceKeys::generate());
        let roster = Roster {
            version: 3,
            org_key: OrgKey::generate().public(),
            issued_at: 0,
            expires_at: None,
            units: vec![],
            members: vec![
                member("Cy", &[Role::Coordinator], &[&coordinator]),
                member("Bo", &[Role::Leader], &[&leader]),
            ],
        };
        let receipt = |reader: &DeviceKeys| Receipt {
            reader: reader.device_id(),
            device_id: leader.device_id(),
            through_seq: 7,
            missing: vec![3],
            chain_hash: "ab".repeat(32),
            roster_version: 3,
            signed_at: 1_700_000_000,
        };
        let signed = receipt(&coordinator).sign(&coordinator);
        assert_eq!(signed.verify(&roster).unwrap().name, "Cy");
        assert!(signed.receipt.covers(7) && signed.receipt.covers(2) && !signed.receipt.covers(3));
        assert!(!signed.receipt.covers(8) && !signed.receipt.covers(0));
        let mut raised = signed.clone();
        raised.receipt.through_seq = 8;
        assert_eq!(raised.verify(&roster), Err(ReceiptError::BadSignature));
        let mut filled = signed.clone();
        filled.receipt.missing.clear();
        assert_eq!(filled.verify(&roster), Err(ReceiptError::BadSignature));
        let odd = Receipt { missing: vec![7], ..receipt(&coordinator) }.sign(&coordinator);
        assert!(matches!(odd.verify(&roster), Err(ReceiptError::Malformed(_))));
        // A leader cannot vouch for delivery.
        let by_leader = receipt(&leader).sign(&leader);
        assert!(matches!(by_leader.verify(&roster), Err(ReceiptError::NotCoordinator(_))));
        // Not a head's or a note's signature either.
        assert!(receipt(&coordinator).signing_message().starts_with(&Canonical::new(CONTEXT).finish()));
    }
}
