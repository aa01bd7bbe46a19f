//! Alerts kept until what they report is resolved: a roster that did not
//! verify, a changed copy of a revision, a refused rewrap, a forged head or
//! receipt, a tampered enrolment, ... (`ops::alerts` words them).
//!
//! `kind` says what an alert is about and `subject` which one (a note
//! revision, a device, or empty for the roster): the same trouble seen again
//! is one alert, and its end resolves it. Resolved alerts stay, closed.

use rusqlite::params;

use super::{Store, StoreError};

/// An alert kept in the store until it is resolved.
#[derive(Debug, Clone)]
pub struct StoredAlert {
    /// Unix seconds when it was first seen.
    pub at: i64,
    pub kind: String,
    pub subject: String,
    pub detail: String,
}

impl Store {
    /// Records an alert about `subject`, unless one about it is still open.
    pub fn alert(&self, kind: &str, subject: &str, detail: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO alerts (at, kind, subject, detail)
             SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS
                (SELECT 1 FROM alerts WHERE kind = ?2 AND subject = ?3 AND resolved_at IS NULL)",
            params![chrono::Utc::now().timestamp(), kind, subject, detail],
        )?;
        Ok(())
    }

    /// Closes the open alerts of `kind` about `subject`: what they reported is over.
    pub fn resolve_alerts(&self, kind: &str, subject: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE alerts SET resolved_at = ?1 WHERE kind = ?2 AND subject = ?3 AND resolved_at IS NULL",
            params![chrono::Utc::now().timestamp(), kind, subject],
        )?;
        Ok(())
    }

    /// The alerts not resolved yet, oldest first.
    pub fn open_alerts(&self) -> Result<Vec<StoredAlert>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT at, kind, subject, detail FROM alerts WHERE resolved_at IS NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredAlert { at: r.get(0)?, kind: r.get(1)?, subject: r.get(2)?, detail: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
