//! Alerts kept until what they report is resolved: a roster that did not
//! verify, a changed copy of a revision, a refused rewrap, a forged head or
//! receipt, a tampered enrolment, ... (`ops::alerts` words them).
//!
//! `kind` says what an alert is about and `subject` which one (a note
//! revision, a device, or empty for the roster): the same trouble seen again
//! is one alert, and its end resolves it. Resolved alerts stay, closed.

use rusqlite::params;

use super::{Store, StoreError};

/// What a kept alert is about. The store keeps its code (`code`);
/// `ops::alerts` words each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredKind {
    /// The roster the server served was refused.
    Roster,
    /// The server serves an older roster than this device holds.
    RosterBehind,
    /// The server served another copy of a revision seen before (subject:
    /// "NOTE_ID revision N").
    Swap,
    /// A note could not be rewrapped (subject: its note id).
    Rewrap,
    /// The server seems restored from an older backup.
    Restore,
    /// The server's audit log does not match what this device signed.
    Audit,
    /// A device's head did not verify (subject: the device).
    Head,
    /// A coordinator's receipt did not verify (subject: "READER_DEVICE DEVICE").
    Receipt,
    /// An enrolment's code does not match its invite (subject: the device).
    Enrolment,
    /// The organisation key the server handed over was refused.
    OrgKeyGrant,
}

impl StoredKind {
    pub const ALL: [StoredKind; 10] = [
        StoredKind::Roster,
        StoredKind::RosterBehind,
        StoredKind::Swap,
        StoredKind::Rewrap,
        StoredKind::Restore,
        StoredKind::Audit,
        StoredKind::Head,
        StoredKind::Receipt,
        StoredKind::Enrolment,
        StoredKind::OrgKeyGrant,
    ];

    /// The code the store keeps: never changes meaning once given.
    pub const fn code(self) -> &'static str {
        match self {
            StoredKind::Roster => "roster",
            StoredKind::RosterBehind => "roster_behind",
            StoredKind::Swap => "swap",
            StoredKind::Rewrap => "rewrap",
            StoredKind::Restore => "restore",
            StoredKind::Audit => "audit",
            StoredKind::Head => "head",
            StoredKind::Receipt => "receipt",
            StoredKind::Enrolment => "enrolment",
            StoredKind::OrgKeyGrant => "org_key_grant",
        }
    }

    pub fn from_code(code: &str) -> Option<StoredKind> {
        StoredKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// An alert kept in the store until it is resolved.
#[derive(Debug, Clone)]
pub struct StoredAlert {
    /// Unix seconds when it was first seen.
    pub at: i64,
    /// None for a code this version does not know (kept by a newer one).
    pub kind: Option<StoredKind>,
    pub subject: String,
    pub detail: String,
}

impl Store {
    /// Records an alert about `subject`, unless one about it is still open.
    pub fn alert(&self, kind: StoredKind, subject: &str, detail: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO alerts (at, kind, subject, detail)
             SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS
                (SELECT 1 FROM alerts WHERE kind = ?2 AND subject = ?3 AND resolved_at IS NULL)",
            params![chrono::Utc::now().timestamp(), kind.code(), subject, detail],
        )?;
        Ok(())
    }

    /// Closes the open alerts of `kind` about `subject`: what they reported is over.
    pub fn resolve_alerts(&self, kind: StoredKind, subject: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE alerts SET resolved_at = ?1 WHERE kind = ?2 AND subject = ?3 AND resolved_at IS NULL",
            params![chrono::Utc::now().timestamp(), kind.code(), subject],
        )?;
        Ok(())
    }

    /// The alerts not resolved yet, oldest first.
    pub fn open_alerts(&self) -> Result<Vec<StoredAlert>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT at, kind, subject, detail FROM alerts WHERE resolved_at IS NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(1)?;
            Ok(StoredAlert { at: r.get(0)?, kind: StoredKind::from_code(&kind), subject: r.get(2)?, detail: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
