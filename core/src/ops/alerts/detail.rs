//! What a kept alert's detail says, as data: why a list of members, a
//! device's statement (head), a coordinator's receipt, an enrolment, a
//! rewrap or a handed-over organisation key was refused.
//!
//! The store keeps a [`Detail`] as JSON (`{"why": "roster_rollback",
//! "seen": 4, "got": 3}`), and `ops::alerts` words it from the catalogues
//! (`alert-detail-*`) in the reader's language. Older versions kept the
//! detail as English text: [`Detail::arg`] shows such a text as it was kept.

use serde::{Deserialize, Serialize};
use visitnotes_shared::head::HeadError;
use visitnotes_shared::receipt::ReceiptError;
use visitnotes_shared::rewrap::RewrapError;
use visitnotes_shared::roster::RosterError;

use crate::display::short;
use crate::error::Chain;
use crate::i18n::{Arg, Msg};
use crate::ops::org_key::{GrantRefused, GrantedBy};
use crate::ops::rejection::Rejection;

/// Why something an alert reports was refused. A code (`why`), once
/// given, never changes meaning: old stores keep them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Detail {
    /// The list's signature does not verify against the organisation key.
    RosterBadSignature,
    /// The list is signed by another key than the pinned one (fingerprints).
    RosterWrongKey { pinned: String, found: String },
    /// The list is older (`got`) than one already seen (`seen`).
    RosterRollback { seen: u64, got: u64 },
    /// The list does not read; `error` is the parser's reason, in English:
    /// kept, not shown (the catalogues say the same in both languages).
    RosterMalformed { error: String },
    /// Two different lists were served under one version.
    RosterTwoVersions { version: u64 },
    /// The server serves version `served` of the list, older than the
    /// version `held` that it took from this device.
    RosterServedOlder { held: u64, served: u64 },
    /// A device's statement names a device the list does not.
    HeadUnknownDevice { device: String },
    /// A device's statement does not verify.
    HeadBadSignature,
    /// A device's statement does not read (`error` as `RosterMalformed`'s).
    HeadMalformed { error: String },
    /// A receipt names a device the list does not.
    ReceiptUnknownDevice { device: String },
    /// A receipt is signed by a device that is not a coordinator's.
    ReceiptNotCoordinator { device: String },
    /// A receipt does not verify.
    ReceiptBadSignature,
    /// A receipt does not read (`error` as `RosterMalformed`'s).
    ReceiptMalformed { error: String },
    /// A receipt names, as note number `seq`, a note this device did not
    /// write under that number.
    ReceiptOtherNote { seq: u64 },
    /// An enrolment's code does not match its invite.
    EnrolmentCodeMismatch,
    /// The note to rewrap does not verify or does not open here; `reason`
    /// is the verifier's, as `ops::rejection` reads it.
    RewrapUnopened { reason: String },
    /// A deleted note (a tombstone) has nothing to rewrap.
    RewrapTombstone,
    /// This device is not an active coordinator's.
    RewrapNotAllowed,
    /// Re-encrypting failed (`error` as `RosterMalformed`'s).
    RewrapEncrypt { error: String },
    /// The key handed over does not open as an organisation key.
    GrantNotAKey { from: GrantFrom },
    /// The key handed over is another organisation's (fingerprints).
    GrantOtherKey { from: GrantFrom, found: String, expected: String },
}

/// Who handed an organisation key over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum GrantFrom {
    /// A member of the list, by name.
    Member { name: String },
    /// A device the list does not name.
    Device { device_id: String },
}

impl Detail {
    pub fn roster(e: &RosterError) -> Detail {
        match e {
            RosterError::BadSignature => Detail::RosterBadSignature,
            RosterError::WrongKey { pinned, found } => {
                Detail::RosterWrongKey { pinned: pinned.clone(), found: found.clone() }
            }
            RosterError::Rollback { seen, got } => Detail::RosterRollback { seen: *seen, got: *got },
            RosterError::Malformed(error) => Detail::RosterMalformed { error: error.clone() },
        }
    }

    pub fn head(e: &HeadError) -> Detail {
        match e {
            HeadError::UnknownDevice(device) => Detail::HeadUnknownDevice { device: device.as_str().to_owned() },
            HeadError::BadSignature => Detail::HeadBadSignature,
            HeadError::Malformed(error) => Detail::HeadMalformed { error: (*error).to_owned() },
        }
    }

    pub fn receipt(e: &ReceiptError) -> Detail {
        match e {
            ReceiptError::UnknownDevice(device) => Detail::ReceiptUnknownDevice { device: device.as_str().to_owned() },
            ReceiptError::NotCoordinator(device) => {
                Detail::ReceiptNotCoordinator { device: device.as_str().to_owned() }
            }
            ReceiptError::BadSignature => Detail::ReceiptBadSignature,
            ReceiptError::Malformed(error) => Detail::ReceiptMalformed { error: (*error).to_owned() },
        }
    }

    pub fn rewrap(e: &RewrapError) -> Detail {
        match e {
            RewrapError::Open(open) => Detail::RewrapUnopened { reason: Chain(open).to_string() },
            RewrapError::Tombstone => Detail::RewrapTombstone,
            RewrapError::NotAllowed => Detail::RewrapNotAllowed,
            RewrapError::Encrypt(error) => Detail::RewrapEncrypt { error: error.clone() },
        }
    }

    pub fn grant(from: &GrantedBy, why: &GrantRefused) -> Detail {
        let from = match from {
            GrantedBy::Member { name } => GrantFrom::Member { name: name.clone() },
            GrantedBy::Device { device_id } => GrantFrom::Device { device_id: device_id.as_str().to_owned() },
        };
        match why {
            GrantRefused::NotAKey => Detail::GrantNotAKey { from },
            GrantRefused::OtherKey { found, expected } => {
                Detail::GrantOtherKey { from, found: found.clone(), expected: expected.clone() }
            }
        }
    }

    /// As the store keeps it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a detail serialises")
    }

    /// A kept detail as a value of a message: worded from the catalogues,
    /// or, as an older version kept it, the text as it was (without its
    /// full stop: it stands inside a sentence).
    pub fn arg(kept: &str) -> Arg {
        match serde_json::from_str::<Detail>(kept) {
            Ok(detail) => detail.msg().into(),
            Err(_) => kept.trim_end_matches('.').into(),
        }
    }

    /// The detail as a message of the catalogues (`alert-detail-*`).
    pub fn msg(&self) -> Msg {
        let device = |id: &str| short(id).to_owned();
        match self {
            Detail::RosterBadSignature => Msg::new("alert-detail-roster-bad-signature"),
            Detail::RosterWrongKey { pinned, found } => {
                Msg::new("alert-detail-roster-wrong-key").arg("pinned", pinned.as_str()).arg("found", found.as_str())
            }
            Detail::RosterRollback { seen, got } => {
                Msg::new("alert-detail-roster-rollback").arg("seen", *seen).arg("got", *got)
            }
            Detail::RosterMalformed { .. } => Msg::new("alert-detail-roster-malformed"),
            Detail::RosterTwoVersions { version } => {
                Msg::new("alert-detail-roster-two-versions").arg("version", *version)
            }
            Detail::RosterServedOlder { held, served } => {
                Msg::new("alert-detail-roster-served-older").arg("held", *held).arg("served", *served)
            }
            Detail::HeadUnknownDevice { device: d } => {
                Msg::new("alert-detail-head-unknown-device").arg("device", device(d))
            }
            Detail::HeadBadSignature => Msg::new("alert-detail-head-bad-signature"),
            Detail::HeadMalformed { .. } => Msg::new("alert-detail-head-malformed"),
            Detail::ReceiptUnknownDevice { device: d } => {
                Msg::new("alert-detail-receipt-unknown-device").arg("device", device(d))
            }
            Detail::ReceiptNotCoordinator { device: d } => {
                Msg::new("alert-detail-receipt-not-coordinator").arg("device", device(d))
            }
            Detail::ReceiptBadSignature => Msg::new("alert-detail-receipt-bad-signature"),
            Detail::ReceiptMalformed { .. } => Msg::new("alert-detail-receipt-malformed"),
            Detail::ReceiptOtherNote { seq } => Msg::new("alert-detail-receipt-other-note").arg("seq", *seq),
            Detail::EnrolmentCodeMismatch => Msg::new("alert-detail-enrolment-code"),
            Detail::RewrapUnopened { reason } => {
                Msg::new("alert-detail-rewrap-unopened").arg("reason", Rejection::read(reason).arg())
            }
            Detail::RewrapTombstone => Msg::new("alert-detail-rewrap-tombstone"),
            Detail::RewrapNotAllowed => Msg::new("alert-detail-rewrap-not-allowed"),
            Detail::RewrapEncrypt { .. } => Msg::new("alert-detail-rewrap-encrypt"),
            Detail::GrantNotAKey { from } => Msg::new("alert-detail-grant-not-a-key").arg("from", from.arg()),
            Detail::GrantOtherKey { from, found, expected } => Msg::new("alert-detail-grant-other-key")
                .arg("from", from.arg())
                .arg("found", found.as_str())
                .arg("expected", expected.as_str()),
        }
    }
}

impl GrantFrom {
    fn arg(&self) -> Arg {
        match self {
            GrantFrom::Member { name } => name.as_str().into(),
            GrantFrom::Device { device_id } => Msg::new("alert-unknown-device").arg("id", short(device_id)).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::envelope::OpenError;
    use visitnotes_shared::DeviceKeys;

    use super::*;
    use crate::i18n::Lang;

    /// One detail of every kind, as the checks that find them make them.
    pub(crate) fn every_detail() -> Vec<Detail> {
        let device = DeviceKeys::generate().device_id();
        let member = GrantedBy::Member { name: "Siri Berg".into() };
        let unknown = GrantedBy::Device { device_id: device.clone() };
        vec![
            Detail::roster(&RosterError::BadSignature),
            Detail::roster(&RosterError::WrongKey { pinned: "ab:cd".into(), found: "ef:01".into() }),
            Detail::roster(&RosterError::Rollback { seen: 4, got: 3 }),
            Detail::roster(&RosterError::Malformed("expected value at line 1".into())),
            Detail::RosterTwoVersions { version: 5 },
            Detail::RosterServedOlder { held: 5, served: 4 },
            Detail::head(&HeadError::UnknownDevice(device.clone())),
            Detail::head(&HeadError::BadSignature),
            Detail::head(&HeadError::Malformed("the chain hash is not 64 lowercase hex digits")),
            Detail::receipt(&ReceiptError::UnknownDevice(device.clone())),
            Detail::receipt(&ReceiptError::NotCoordinator(device.clone())),
            Detail::receipt(&ReceiptError::BadSignature),
            Detail::receipt(&ReceiptError::Malformed("the chain hash is not 64 lowercase hex digits")),
            Detail::ReceiptOtherNote { seq: 7 },
            Detail::EnrolmentCodeMismatch,
            Detail::rewrap(&RewrapError::Open(OpenError::BadSignature)),
            Detail::rewrap(&RewrapError::Tombstone),
            Detail::rewrap(&RewrapError::NotAllowed),
            Detail::rewrap(&RewrapError::Encrypt("a reader key is not valid".into())),
            Detail::grant(&member, &GrantRefused::NotAKey),
            Detail::grant(&unknown, &GrantRefused::OtherKey { found: "ef:01".into(), expected: "ab:cd".into() }),
        ]
    }

    /// Each detail comes back from the store as it was kept, and reads in
    /// Norwegian without English; a text kept by an older version shows as
    /// it was.
    #[test]
    fn every_kept_detail_reads_back_and_in_norwegian() {
        for detail in every_detail() {
            let kept = detail.to_json();
            assert_eq!(serde_json::from_str::<Detail>(&kept).unwrap(), detail);
            let Arg::Msg(msg) = Detail::arg(&kept) else { panic!("not read back: {kept}") };
            let nb = msg.render(Lang::Nb);
            let en = msg.render(Lang::En);
            assert!(!nb.is_empty() && !en.is_empty() && nb != en, "{kept}: {nb}");
            for english in ["the ", " is ", "device", "'s ", "line", "hex", "key is", "not "] {
                assert!(!nb.contains(english), "{kept}: {nb}");
            }
            assert!(!nb.contains('{') && !en.contains('{'), "{nb} / {en}");
        }
        assert_eq!(
            Detail::arg("two different rosters for version 3."),
            Arg::Text("two different rosters for version 3".into()),
            "an older version's text, as kept"
        );
    }
}
