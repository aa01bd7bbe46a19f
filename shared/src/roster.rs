//! The roster: who belongs to the organisation, in which roles, with which
//! devices. Signed by the organisation key; its version only goes up.
//!
//! The signed form carries the exact bytes that were signed (`body`), so a
//! verifier never has to re-create them; it still checks that they are the
//! canonical encoding, so one roster has exactly one valid byte string.
//!
//! A roster expires (`expires_at`): a server that keeps serving an old
//! roster (one from before a coordinator was removed, say) can do so only
//! until then; after it, readers and writers warn, and notes written under
//! it are held back from upload. An administrator's client signs the same
//! roster again as the next version when less than a third of its life is
//! left (`renewal_due`).

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use crate::canonical::Canonical;
use crate::ids::{DeviceId, UserId};
use crate::keys::{OrgKey, VerifyingKey};

const CONTEXT: &str = "visitnotes/roster/v1";
const B64: data_encoding::Encoding = data_encoding::BASE64;

/// Largest roster accepted, in bytes of JSON.
pub const MAX_ROSTER_BYTES: usize = 4 * 1024 * 1024;

/// How long a roster is valid after it was signed, unless it says
/// otherwise: 30 days.
pub const DEFAULT_LIFETIME_SECS: i64 = 30 * 86_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Leader,
    Coordinator,
    Admin,
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "leader" => Ok(Role::Leader),
            "coordinator" => Ok(Role::Coordinator),
            "admin" => Ok(Role::Admin),
            other => Err(format!("unknown role {other:?}: use leader, coordinator or admin")),
        }
    }
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Leader, Role::Coordinator, Role::Admin];

    /// The serde name: `coordinator`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Active,
    Revoked,
    Removed,
}

/// A device is active, or revoked; notes it signed up to and including
/// `trusted_through_seq` stay valid, anything later is refused. The
/// administrator's client takes that number from evidence it verified (the
/// device's signed head, or the signed header of its newest note), never
/// from the server's word, and records the hash of that item
/// (`trusted_through_hash`): a reader then trusts a note numbered up to it
/// only when the device's signed chain leads from it to that hash. Likewise the rewrap statements
/// it signed naming roster version `active_through_roster` or earlier
/// (while it was active) stay valid: notes a removed coordinator rewrapped
/// stay readable and can be rewrapped again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case", deny_unknown_fields)]
pub enum DeviceStatus {
    Active,
    Revoked {
        trusted_through_seq: u64,
        /// `SealedNote::hash` of the device's item `trusted_through_seq`.
        /// Absent in rosters signed before it was recorded, and when the
        /// device had sent nothing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trusted_through_hash: Option<crate::head::ChainHash>,
        /// The last roster version in which the device was active. Absent
        /// in rosters signed before it was recorded: then none of its
        /// rewrap statements verifies any more, as before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        active_through_roster: Option<u64>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub device_id: DeviceId,
    pub signing_key: VerifyingKey,
    /// age X25519 recipient, `age1...`.
    pub age_recipient: String,
    pub status: DeviceStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub user_id: UserId,
    pub name: String,
    pub roles: BTreeSet<Role>,
    pub status: MemberStatus,
    pub devices: Vec<Device>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    pub version: u64,
    /// The organisation key that signs this roster.
    pub org_key: VerifyingKey,
    /// Unix seconds when an administrator signed it.
    pub issued_at: i64,
    /// Unix seconds after which it is expired. Absent in rosters signed
    /// before rosters expired: those expire `DEFAULT_LIFETIME_SECS` after
    /// `issued_at` (never "not at all": an old roster a server kept serving
    /// for ever would be the freeze this field is there to end). Absent
    /// means absent from the signed bytes too, so those rosters still verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// The organisation's units, offered when writing a note.
    pub units: Vec<String>,
    pub members: Vec<Member>,
}

/// The roster as it travels: the signed bytes and the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedRoster {
    /// Canonical JSON of the `Roster`.
    pub body: String,
    /// Base64 Ed25519 signature by the organisation key.
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("the roster's signature does not verify: it was not signed by the organisation key")]
    BadSignature,
    #[error("the roster is signed by key {found}, not by this organisation's key {pinned}")]
    WrongKey { pinned: String, found: String },
    #[error("the roster went backwards: version {got} is older than version {seen} already seen")]
    Rollback { seen: u64, got: u64 },
    #[error("the roster is malformed: {0}")]
    Malformed(String),
}

fn signing_message(body: &str) -> Vec<u8> {
    Canonical::new(CONTEXT).str(body).finish()
}

impl Roster {
    /// The canonical bytes: members sorted by user id, devices by device id,
    /// units as given.
    pub fn canonical_json(&self) -> String {
        let mut sorted = self.clone();
        sorted.members.sort_by(|a, b| a.user_id.cmp(&b.user_id));
        for member in &mut sorted.members {
            member.devices.sort_by(|a, b| a.device_id.cmp(&b.device_id));
        }
        serde_json::to_string(&sorted).expect("a roster serialises")
    }

    pub fn sign(&self, org: &OrgKey) -> SignedRoster {
        let body = self.canonical_json();
        let signature = org.sign(&signing_message(&body));
        SignedRoster { body, signature: B64.encode(&signature) }
    }

    /// Unix seconds after which this roster is expired.
    pub fn expires_at(&self) -> i64 {
        self.expires_at.unwrap_or_else(|| self.issued_at.saturating_add(DEFAULT_LIFETIME_SECS))
    }

    /// Whether it is expired at `now` (Unix seconds).
    pub fn is_expired(&self, now: i64) -> bool {
        now >= self.expires_at()
    }

    /// Whether an administrator should sign it again at `now`: less than a
    /// third of its life (from `issued_at` to `expires_at`) is left.
    pub fn renewal_due(&self, now: i64) -> bool {
        let life = i128::from(self.expires_at()) - i128::from(self.issued_at);
        let left = i128::from(self.expires_at()) - i128::from(now);
        left * 3 < life
    }

    pub fn member(&self, user: &UserId) -> Option<&Member> {
        self.members.iter().find(|m| &m.user_id == user)
    }

    /// The device and the member it belongs to.
    pub fn device(&self, device: &DeviceId) -> Option<(&Member, &Device)> {
        self.members.iter().find_map(|m| m.devices.iter().find(|d| &d.device_id == device).map(|d| (m, d)))
    }

    /// The devices a new note by `author` is encrypted to: every active device
    /// of every active coordinator, plus the author's own active devices.
    pub fn readers_for(&self, author: &UserId) -> Vec<&Device> {
        let mut readers: Vec<&Device> = self
            .members
            .iter()
            .filter(|m| m.status == MemberStatus::Active)
            .filter(|m| m.roles.contains(&Role::Coordinator) || &m.user_id == author)
            .flat_map(|m| m.devices.iter())
            .filter(|d| d.status == DeviceStatus::Active)
            .collect();
        readers.sort_by(|a, b| a.device_id.cmp(&b.device_id));
        readers.dedup_by(|a, b| a.device_id == b.device_id);
        readers
    }

    /// Structural checks a signature cannot give: unique ids, ids that match
    /// keys, recipients that parse.
    fn check_structure(&self) -> Result<(), RosterError> {
        let bad = |m: &str| Err(RosterError::Malformed(m.to_owned()));
        if self.version == 0 {
            return bad("version 0");
        }
        if self.expires_at.is_some_and(|at| at <= self.issued_at) {
            return bad("it expires before it was signed");
        }
        let mut users = HashSet::new();
        let mut devices = HashSet::new();
        for member in &self.members {
            if !users.insert(&member.user_id) {
                return bad("a user id appears twice");
            }
            if member.roles.is_empty() {
                return bad("a member has no role");
            }
            for device in &member.devices {
                if !devices.insert(&device.device_id) {
                    return bad("a device id appears twice");
                }
                if device.device_id != DeviceId::from_signing_key(&device.signing_key.0) {
                    return bad("a device id does not match its signing key");
                }
                if device.age_recipient.parse::<age::x25519::Recipient>().is_err() {
                    return bad("a device's age recipient is not an X25519 recipient");
                }
            }
        }
        Ok(())
    }
}

impl Device {
    /// An active device with the keys' public halves.
    pub fn active(keys: &crate::keys::DeviceKeys) -> Device {
        Device {
            device_id: keys.device_id(),
            signing_key: keys.signing_key(),
            age_recipient: keys.age_recipient(),
            status: DeviceStatus::Active,
        }
    }
}

impl Member {
    /// An active member with the given roles and active devices.
    pub fn active(user_id: UserId, name: &str, roles: &[Role], devices: &[&crate::keys::DeviceKeys]) -> Member {
        Member {
            user_id,
            name: name.to_owned(),
            roles: roles.iter().copied().collect(),
            status: MemberStatus::Active,
            devices: devices.iter().map(|k| Device::active(k)).collect(),
        }
    }
}

impl SignedRoster {
    /// Verifies the roster against the pinned organisation key and the
    /// highest version this verifier has seen, and returns it.
    pub fn verify(&self, pinned: &VerifyingKey, highest_seen: u64) -> Result<Roster, RosterError> {
        if self.body.len() > MAX_ROSTER_BYTES {
            return Err(RosterError::Malformed("too large".into()));
        }
        let roster: Result<Roster, _> = serde_json::from_str(&self.body);
        // Name a foreign key as such: it is the likely attack, and the fix
        // (check which server this is) differs from a corrupted signature.
        if let Ok(roster) = &roster {
            if &roster.org_key != pinned {
                return Err(RosterError::WrongKey {
                    pinned: pinned.fingerprint(),
                    found: roster.org_key.fingerprint(),
                });
            }
        }
        let signature = B64.decode(self.signature.as_bytes()).map_err(|_| RosterError::BadSignature)?;
        if !pinned.verify(&signing_message(&self.body), &signature) {
            return Err(RosterError::BadSignature);
        }
        let roster = roster.map_err(|e| RosterError::Malformed(e.to_string()))?;
        if roster.canonical_json() != self.body {
            return Err(RosterError::Malformed("not in canonical form".into()));
        }
        roster.check_structure()?;
        if roster.version < highest_seen {
            return Err(RosterError::Rollback { seen: highest_seen, got: roster.version });
        }
        Ok(roster)
    }

    /// Reads the roster without checking anything: for display of a roster
    /// that failed verification, and for the server, which checks only the
    /// signature (`verify`) but must not trust the content for decisions.
    pub fn unverified(&self) -> Result<Roster, RosterError> {
        serde_json::from_str(&self.body).map_err(|e| RosterError::Malformed(e.to_string()))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::keys::DeviceKeys;

    /// A roster of up to 4 MiB of JSON is read; one byte more is refused
    /// as too large before it is parsed. (Found by cargo-mutants.)
    #[test]
    fn a_roster_body_of_up_to_four_mib_is_read() {
        let pinned = OrgKey::generate().public();
        for (len, too_large) in [(4 * 1024 * 1024, false), (4 * 1024 * 1024 + 1, true)] {
            let signed = SignedRoster { body: " ".repeat(len), signature: String::new() };
            let refused = signed.verify(&pinned, 0);
            let said = matches!(&refused, Err(RosterError::Malformed(m)) if m == "too large");
            assert_eq!(said, too_large, "{len} bytes: {refused:?}");
        }
    }

    /// Roles are named as the API and the messages name them.
    #[test]
    fn roles_have_their_names() {
        let names: Vec<String> = [Role::Leader, Role::Coordinator, Role::Admin].iter().map(Role::to_string).collect();
        assert_eq!(names, ["leader", "coordinator", "admin"]);
    }

    pub fn member(name: &str, roles: &[Role], keys: &[&DeviceKeys]) -> Member {
        Member::active(UserId::random(), name, roles, keys)
    }

    fn roster(org: &OrgKey, version: u64) -> Roster {
        let a = DeviceKeys::generate();
        let b = DeviceKeys::generate();
        Roster {
            version,
            org_key: org.public(),
            issued_at: 1_700_000_000,
            expires_at: Some(1_700_000_000 + DEFAULT_LIFETIME_SECS),
            units: vec!["Unit A".into()],
            members: vec![
                member("Ada", &[Role::Admin, Role::Coordinator], &[&a]),
                member("Bo", &[Role::Leader], &[&b]),
            ],
        }
    }

    #[test]
    fn sign_and_verify() {
        let org = OrgKey::generate();
        let r = roster(&org, 3);
        let signed = r.sign(&org);
        let back = signed.verify(&org.public(), 3).unwrap();
        assert_eq!(back.canonical_json(), r.canonical_json());
        // The signed form survives JSON transport.
        let wire: SignedRoster = serde_json::from_str(&serde_json::to_string(&signed).unwrap()).unwrap();
        assert!(wire.verify(&org.public(), 0).is_ok());
    }

    #[test]
    fn canonical_bytes_do_not_depend_on_order() {
        let org = OrgKey::generate();
        let r = roster(&org, 1);
        let mut reversed = r.clone();
        reversed.members.reverse();
        assert_eq!(r.canonical_json(), reversed.canonical_json());
    }

    #[test]
    fn each_failure_has_its_error() {
        let org = OrgKey::generate();
        let other = OrgKey::generate();
        let signed = roster(&org, 5).sign(&org);

        let mut tampered = signed.clone();
        tampered.body = tampered.body.replace("Bo", "Bx");
        assert_eq!(tampered.verify(&org.public(), 0), Err(RosterError::BadSignature));

        let foreign = roster(&other, 5).sign(&other);
        assert!(matches!(foreign.verify(&org.public(), 0), Err(RosterError::WrongKey { .. })));

        // Signed by another key but claiming ours.
        let mut claims_ours = roster(&org, 5).sign(&other);
        claims_ours.signature = roster(&org, 5).sign(&other).signature;
        assert_eq!(claims_ours.verify(&org.public(), 0), Err(RosterError::BadSignature));

        assert_eq!(signed.verify(&org.public(), 6), Err(RosterError::Rollback { seen: 6, got: 5 }));

        let garbage = SignedRoster { body: "{".into(), signature: signed.signature.clone() };
        assert_eq!(garbage.verify(&org.public(), 0), Err(RosterError::BadSignature));

        // Signed, but not canonical (extra spaces): refused as malformed.
        let r = roster(&org, 5);
        let body = serde_json::to_string_pretty(&r).unwrap();
        let sig = org.sign(&signing_message(&body));
        let pretty = SignedRoster { body, signature: B64.encode(&sig) };
        assert!(matches!(pretty.verify(&org.public(), 0), Err(RosterError::Malformed(_))));
    }

    #[test]
    fn a_roster_expires_and_is_due_for_renewal_in_its_last_third() {
        let org = OrgKey::generate();
        let mut r = roster(&org, 2);
        r.issued_at = 1_000;
        r.expires_at = Some(1_000 + 300);
        assert_eq!(r.expires_at(), 1_300);
        assert!(!r.is_expired(1_299) && r.is_expired(1_300) && r.is_expired(i64::MAX));
        // 300 s of life: due once less than 100 s are left.
        assert!(!r.renewal_due(1_000) && !r.renewal_due(1_200));
        assert!(r.renewal_due(1_201) && r.renewal_due(1_300) && r.renewal_due(i64::MAX));
        assert!(!r.renewal_due(i64::MIN), "no overflow");
        // The expiry is signed: changing it breaks the signature.
        let signed = r.sign(&org);
        let mut tampered = signed.clone();
        tampered.body = tampered.body.replace("\"expires_at\":1300", "\"expires_at\":9999999999");
        assert_ne!(tampered.body, signed.body);
        assert_eq!(tampered.verify(&org.public(), 0), Err(RosterError::BadSignature));
        // A roster that expires before it was signed is refused.
        r.expires_at = Some(1_000);
        assert!(matches!(r.sign(&org).verify(&org.public(), 0), Err(RosterError::Malformed(_))));
    }

    /// Rosters signed before `expires_at` existed still verify, byte for
    /// byte, and expire 30 days after they were signed.
    #[test]
    fn a_roster_without_expiry_verifies_and_expires_after_thirty_days() {
        let org = OrgKey::generate();
        let mut r = roster(&org, 4);
        r.expires_at = None;
        let signed = r.sign(&org);
        assert!(!signed.body.contains("expires_at"), "{}", signed.body);
        let back = signed.verify(&org.public(), 0).unwrap();
        assert_eq!(back.expires_at, None);
        assert_eq!(back.expires_at(), r.issued_at + 30 * 86_400);
        assert!(back.is_expired(r.issued_at + 30 * 86_400));
        assert!(!back.is_expired(r.issued_at + 30 * 86_400 - 1));
        // An issued_at near the end of time does not overflow.
        r.issued_at = i64::MAX - 5;
        assert_eq!(r.expires_at(), i64::MAX);
    }

    #[test]
    fn readers_are_coordinators_and_the_author() {
        let org = OrgKey::generate();
        let (coord, leader, other) = (DeviceKeys::generate(), DeviceKeys::generate(), DeviceKeys::generate());
        let mut r = roster(&org, 1);
        r.members = vec![
            member("C", &[Role::Coordinator], &[&coord]),
            member("L", &[Role::Leader], &[&leader]),
            member("O", &[Role::Leader], &[&other]),
        ];
        let author = r.members[1].user_id.clone();
        let readers: Vec<_> = r.readers_for(&author).iter().map(|d| d.device_id.clone()).collect();
        assert_eq!(readers.len(), 2);
        assert!(readers.contains(&coord.device_id()));
        assert!(readers.contains(&leader.device_id()));
        r.members[0].status = MemberStatus::Removed;
        assert_eq!(r.readers_for(&author).len(), 1);
    }
}
