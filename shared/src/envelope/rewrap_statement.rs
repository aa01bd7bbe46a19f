//! The rewrap statement a sealed note may carry, and its verification.
//!
//! It lives with the envelope because verifying a sealed note means
//! verifying all of it, statement included; making a rewrap is
//! `crate::rewrap`'s job, which depends on this module, not the other way.

use serde::{Deserialize, Serialize};

use super::{OpenError, SealedNote};
use crate::canonical::Canonical;
use crate::ids::DeviceId;
use crate::roster::{DeviceStatus, MemberStatus, Role, Roster};

const CONTEXT: &str = "visitnotes/rewrap/v1";

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

/// Checks a rewrap statement against the roster: the rewrapper signed this
/// exact file, and was an active coordinator's active device at the roster
/// version the statement names. A coordinator removed later (or a device
/// revoked later) keeps the statements it made while active: the roster
/// records the last version in which it was active, and a statement that
/// names a later version is refused. (A device's key that leaks after its
/// removal could still sign a statement naming an old version; the server
/// refuses rewrap uploads from a revoked device, and such a file still has
/// to carry the author's signed payload, so it can change who can read a
/// note, not what it says.)
pub(super) fn verify(sealed: &SealedNote, rewrap: &Rewrap, roster: &Roster) -> Result<(), OpenError> {
    if crate::hex(&crate::sha256(&sealed.age)) != rewrap.age_sha256 {
        return Err(OpenError::BadSignature);
    }
    if rewrap.roster_version > roster.version {
        return Err(OpenError::StaleRoster { note: rewrap.roster_version, have: roster.version });
    }
    let (_, device) =
        roster.device(&rewrap.device_id).ok_or_else(|| OpenError::UnknownDevice(rewrap.device_id.clone()))?;
    if !device.signing_key.verify(&rewrap.signing_message(&sealed.hash()), &rewrap.signature) {
        return Err(OpenError::BadSignature);
    }
    if !may_rewrap(roster, &rewrap.device_id) && !rewrapped_while_active(roster, rewrap) {
        return Err(OpenError::RevokedDevice(rewrap.device_id.clone()));
    }
    Ok(())
}

/// Whether `rewrap` was made by a coordinator's device since revoked or
/// removed, naming a roster version in which that device was still active.
fn rewrapped_while_active(roster: &Roster, rewrap: &Rewrap) -> bool {
    roster.device(&rewrap.device_id).is_some_and(|(m, d)| {
        m.roles.contains(&Role::Coordinator)
            && matches!(
                d.status,
                DeviceStatus::Revoked { active_through_roster: Some(last), .. } if rewrap.roster_version <= last
            )
    })
}

/// Whether `device` may rewrap notes under `roster`: an active device of an
/// active coordinator.
pub(crate) fn may_rewrap(roster: &Roster, device: &DeviceId) -> bool {
    roster.device(device).is_some_and(|(m, d)| {
        m.status == MemberStatus::Active && d.status == DeviceStatus::Active && m.roles.contains(&Role::Coordinator)
    })
}
