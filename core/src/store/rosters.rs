//! The signed rosters this device has seen, by version. They are kept as
//! the organisation key signed them (body and signature); `ops::roster`
//! verifies one before it is saved, and again when it is used.

use rusqlite::{params, OptionalExtension};
use visitnotes_shared::roster::SignedRoster;

use super::{Store, StoreError};

impl Store {
    pub fn latest_roster(&self) -> Result<Option<SignedRoster>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT body, signature FROM rosters ORDER BY version DESC LIMIT 1", [], |r| {
                Ok(SignedRoster { body: r.get(0)?, signature: r.get(1)? })
            })
            .optional()?)
    }

    pub fn roster_at(&self, version: u64) -> Result<Option<SignedRoster>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT body, signature FROM rosters WHERE version = ?1", [version], |r| {
                Ok(SignedRoster { body: r.get(0)?, signature: r.get(1)? })
            })
            .optional()?)
    }

    /// Keeps the roster of `version`, unless one of that version is kept:
    /// the first one seen stays (two different ones are the server's doing).
    pub fn save_roster(&self, version: u64, signed: &SignedRoster) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO rosters (version, body, signature) VALUES (?1, ?2, ?3)",
            params![version, signed.body, signed.signature],
        )?;
        Ok(())
    }
}
