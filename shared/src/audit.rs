//! The server's audit log, as both sides check it: the hash chain, and
//! checkpoints of its head signed by an administrator's device.
//!
//! The chain alone cannot stop whoever holds the server's database: it can
//! drop the last entries, or edit one and compute every later hash again,
//! and the chain still links. A checkpoint fixes the chain's head at one
//! moment (entry count and hash) under an administrator's device signature,
//! which the server does not hold. Truncating or rewriting any entry it
//! covers is then found: the entry numbered `entries` is missing, or has
//! another hash. The administrator's client keeps its newest checkpoint
//! too, so dropping the server's checkpoints hides nothing from it.
//!
//! Entries written after the newest checkpoint are protected by the chain
//! only, until the next checkpoint (each administrator's sync makes one).

use serde::{Deserialize, Serialize};

use crate::api::AuditEntry;
use crate::canonical::Canonical;
use crate::ids::DeviceId;
use crate::keys::DeviceKeys;
use crate::roster::{DeviceStatus, MemberStatus, Role, Roster};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const ENTRY_CONTEXT: &str = "visitnotes/audit/v1";
const CHECKPOINT_CONTEXT: &str = "visitnotes/audit-checkpoint/v1";

/// The hash of one entry, hex: over the previous entry's hash and every
/// field of this one.
pub fn entry_hash(prev: &str, seq: u64, at: i64, actor: Option<&str>, action: &str, subject: &str) -> String {
    let message = Canonical::new(ENTRY_CONTEXT)
        .str(prev)
        .u64(seq)
        .i64(at)
        .str(actor.unwrap_or(""))
        .str(action)
        .str(subject)
        .finish();
    crate::hex(&crate::sha256(&message))
}

/// The first entry whose number, link or hash is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub seq: u64,
    pub reason: BreakReason,
}

/// Why an entry breaks the chain: typed, for each side to word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "why")]
pub enum BreakReason {
    /// Entry `seq` is missing before it.
    Missing { seq: u64 },
    /// It does not link to the entry before it.
    Unlinked,
    /// Its content does not match its hash (edited).
    Edited,
}

impl std::fmt::Display for BreakReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BreakReason::Missing { seq } => write!(f, "entry {seq} is missing"),
            BreakReason::Unlinked => f.write_str("it does not link to the entry before it"),
            BreakReason::Edited => f.write_str("its content does not match its hash (edited)"),
        }
    }
}

/// Walks the chain entry by entry (in order), from the first entry or from
/// a known entry onwards; no entry is kept in memory.
#[derive(Debug, Clone)]
pub struct Chain {
    prev: String,
    next_seq: u64,
}

impl Default for Chain {
    fn default() -> Self {
        Chain::new()
    }
}

impl Chain {
    /// A walk from the first entry.
    pub fn new() -> Chain {
        Chain { prev: GENESIS.to_owned(), next_seq: 1 }
    }

    /// A walk that continues after entry `seq`, whose hash is `hash` (a
    /// checkpoint already checked).
    pub fn after(seq: u64, hash: &str) -> Chain {
        Chain { prev: hash.to_owned(), next_seq: seq.saturating_add(1) }
    }

    /// Checks the next entry: its number, its link to the one before, and
    /// its hash over its content.
    pub fn push(&mut self, e: &AuditEntry) -> Result<(), Broken> {
        let broken = |reason| Err(Broken { seq: e.seq, reason });
        if e.seq != self.next_seq {
            return broken(BreakReason::Missing { seq: self.next_seq });
        }
        if e.prev_hash != self.prev {
            return broken(BreakReason::Unlinked);
        }
        if entry_hash(&self.prev, e.seq, e.at, e.actor.as_deref(), &e.action, &e.subject) != e.hash {
            return broken(BreakReason::Edited);
        }
        self.prev = e.hash.clone();
        self.next_seq += 1;
        Ok(())
    }

    /// The number of entries walked so far (counting those before `after`).
    pub fn entries(&self) -> u64 {
        self.next_seq - 1
    }

    /// The hash of the last entry walked.
    pub fn head(&self) -> &str {
        &self.prev
    }
}

/// An administrator's device's signature over the audit log's head: the
/// number of entries and the hash of the last one, at `signed_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Entries 1 to `entries` are covered.
    pub entries: u64,
    /// The hash of entry number `entries`, hex.
    pub head: String,
    /// Unix seconds when it was signed.
    pub signed_at: i64,
    /// The administrator's device that signed it.
    pub device_id: DeviceId,
    /// The roster version in which that device was an active administrator's.
    pub roster_version: u64,
    /// Ed25519 by the device's signing key, base64.
    #[serde(with = "crate::b64")]
    pub signature: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("it names roster version {named}, but was checked against version {have}")]
    WrongRoster { named: u64, have: u64 },
    #[error("device {0} is not an active administrator's device in the roster it names")]
    NotAnAdministrator(DeviceId),
    #[error("its signature does not verify: it was not signed by the administrator's device it names")]
    BadSignature,
    #[error("it covers no entry")]
    Empty,
}

/// What comparing a log with a checkpoint found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Entry number `entries` has the signed hash.
    Matches,
    /// The log has only `have` entries: the ones after were removed.
    Truncated { have: u64 },
    /// Entry number `entries` has another hash: it, or one before it, was
    /// rewritten (and the chain computed again).
    Rewritten { found: String },
}

impl Checkpoint {
    fn signing_message(&self) -> Vec<u8> {
        Canonical::new(CHECKPOINT_CONTEXT)
            .u64(self.entries)
            .str(&self.head)
            .i64(self.signed_at)
            .str(self.device_id.as_str())
            .u64(self.roster_version)
            .finish()
    }

    /// Signs the head (`entries`, `head`) as `keys`' device, an
    /// administrator's in `roster_version`.
    pub fn sign(entries: u64, head: &str, signed_at: i64, roster_version: u64, keys: &DeviceKeys) -> Checkpoint {
        let mut checkpoint = Checkpoint {
            entries,
            head: head.to_owned(),
            signed_at,
            device_id: keys.device_id(),
            roster_version,
            signature: Vec::new(),
        };
        checkpoint.signature = keys.sign(&checkpoint.signing_message()).to_vec();
        checkpoint
    }

    /// Checks the signature against `roster`, which must be the version the
    /// checkpoint names: its device must be an active device of an active
    /// administrator there (a device revoked later keeps its checkpoints).
    pub fn verify(&self, roster: &Roster) -> Result<(), CheckpointError> {
        if roster.version != self.roster_version {
            return Err(CheckpointError::WrongRoster { named: self.roster_version, have: roster.version });
        }
        if self.entries == 0 {
            return Err(CheckpointError::Empty);
        }
        let admin = roster.device(&self.device_id).filter(|(m, d)| {
            m.status == MemberStatus::Active && m.roles.contains(&Role::Admin) && d.status == DeviceStatus::Active
        });
        let Some((_, device)) = admin else {
            return Err(CheckpointError::NotAnAdministrator(self.device_id.clone()));
        };
        if !device.signing_key.verify(&self.signing_message(), &self.signature) {
            return Err(CheckpointError::BadSignature);
        }
        Ok(())
    }

    /// Compares the checkpoint with a log of `have` entries in which entry
    /// number `self.entries` has the hash `found` (none when it is missing).
    pub fn compare(&self, have: u64, found: Option<&str>) -> Coverage {
        match found {
            Some(hash) if hash == self.head => Coverage::Matches,
            Some(hash) => Coverage::Rewritten { found: hash.to_owned() },
            None => Coverage::Truncated { have },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::keys::OrgKey;
    use crate::roster::Member;

    fn log(n: u64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let subject = format!("thing {seq}");
                let hash = entry_hash(&prev, seq, 1_000 + seq as i64, Some("dev"), "upload", &subject);
                AuditEntry {
                    seq,
                    at: 1_000 + seq as i64,
                    actor: Some("dev".into()),
                    action: "upload".into(),
                    subject,
                    prev_hash: std::mem::replace(&mut prev, hash.clone()),
                    hash,
                }
            })
            .collect()
    }

    fn walk(entries: &[AuditEntry]) -> Result<Chain, Broken> {
        let mut chain = Chain::new();
        for e in entries {
            chain.push(e)?;
        }
        Ok(chain)
    }

    fn roster_with(admin: &DeviceKeys, leader: &DeviceKeys) -> Roster {
        Roster {
            version: 3,
            org_key: OrgKey::generate().public(),
            issued_at: 0,
            expires_at: None,
            units: vec![],
            members: vec![
                Member::active(UserId::random(), "Ada", &[Role::Admin], &[admin]),
                Member::active(UserId::random(), "Bo", &[Role::Leader], &[leader]),
            ],
        }
    }

    #[test]
    fn the_chain_names_the_first_broken_entry() {
        let entries = log(5);
        let chain = walk(&entries).unwrap();
        assert_eq!((chain.entries(), chain.head()), (5, entries[4].hash.as_str()));

        let mut edited = entries.clone();
        edited[2].subject = "nothing".into();
        assert_eq!(walk(&edited).unwrap_err().seq, 3);

        let mut removed = entries.clone();
        removed.remove(1);
        assert_eq!(walk(&removed).unwrap_err(), Broken { seq: 3, reason: BreakReason::Missing { seq: 2 } });

        // Continuing after a known entry.
        let mut tail = Chain::after(3, &entries[2].hash);
        tail.push(&entries[3]).unwrap();
        tail.push(&entries[4]).unwrap();
        assert_eq!(tail.entries(), 5);
    }

    #[test]
    fn a_checkpoint_finds_truncation_and_rewriting_that_the_chain_does_not() {
        let admin = DeviceKeys::generate();
        let entries = log(6);
        let checkpoint = Checkpoint::sign(5, &entries[4].hash, 2_000, 3, &admin);
        let found = |log: &[AuditEntry]| log.iter().find(|e| e.seq == 5).map(|e| e.hash.clone());
        assert_eq!(checkpoint.compare(6, found(&entries).as_deref()), Coverage::Matches);

        // Truncated: the chain of what is left is intact; the checkpoint is not.
        let truncated = &entries[..3];
        assert!(walk(truncated).is_ok());
        assert_eq!(checkpoint.compare(3, found(truncated).as_deref()), Coverage::Truncated { have: 3 });

        // Rewritten: entry 2 edited and every later hash computed again.
        let mut rechained = entries.clone();
        rechained[1].subject = "nothing happened".into();
        for i in 1..rechained.len() {
            let prev = rechained[i - 1].hash.clone();
            let e = &mut rechained[i];
            e.prev_hash = prev;
            e.hash = entry_hash(&e.prev_hash, e.seq, e.at, e.actor.as_deref(), &e.action, &e.subject);
        }
        assert!(walk(&rechained).is_ok(), "the chain alone is fooled");
        assert!(matches!(checkpoint.compare(6, found(&rechained).as_deref()), Coverage::Rewritten { .. }));
    }

    #[test]
    fn only_an_administrators_device_signs_a_checkpoint() {
        let (admin, leader) = (DeviceKeys::generate(), DeviceKeys::generate());
        let roster = roster_with(&admin, &leader);
        let good = Checkpoint::sign(5, "ab", 2_000, 3, &admin);
        assert_eq!(good.verify(&roster), Ok(()));
        // It travels as JSON.
        let back: Checkpoint = serde_json::from_str(&serde_json::to_string(&good).unwrap()).unwrap();
        assert_eq!(back.verify(&roster), Ok(()));

        let mut edited = good.clone();
        edited.entries = 4;
        assert_eq!(edited.verify(&roster), Err(CheckpointError::BadSignature));
        let mut moved = good.clone();
        moved.head = "cd".into();
        assert_eq!(moved.verify(&roster), Err(CheckpointError::BadSignature));

        let by_leader = Checkpoint::sign(5, "ab", 2_000, 3, &leader);
        assert_eq!(by_leader.verify(&roster), Err(CheckpointError::NotAnAdministrator(leader.device_id())));
        let stranger = Checkpoint::sign(5, "ab", 2_000, 3, &DeviceKeys::generate());
        assert!(matches!(stranger.verify(&roster), Err(CheckpointError::NotAnAdministrator(_))));
        assert!(matches!(
            Checkpoint::sign(5, "ab", 2_000, 2, &admin).verify(&roster),
            Err(CheckpointError::WrongRoster { named: 2, have: 3 })
        ));
        assert_eq!(Checkpoint::sign(0, GENESIS, 2_000, 3, &admin).verify(&roster), Err(CheckpointError::Empty));

        // Checked against a roster in which the device is revoked: refused
        // (a checkpoint names the version in which its device was active).
        let mut revoked = roster.clone();
        revoked.members[0].devices[0].status = DeviceStatus::Revoked {
            trusted_through_seq: 0,
            trusted_through_hash: None,
            active_through_roster: Some(2),
        };
        assert!(matches!(good.verify(&revoked), Err(CheckpointError::NotAnAdministrator(_))));
    }
}
