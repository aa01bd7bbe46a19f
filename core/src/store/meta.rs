//! Small named values of this device, in clear: the sequence number of the
//! last item it signed (`device_seq`), the highest roster version seen,
//! where sync is in the server's log and which server store that was, the
//! chosen language, when it last synced, the audit checkpoint it signed
//! last, and the like. Each name belongs to the operation that uses it.

use super::{Store, StoreError};
use rusqlite::OptionalExtension;

impl Store {
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            [key, value],
        )?;
        Ok(())
    }

    pub fn forget_meta(&self, key: &str) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM meta WHERE key = ?1", [key])?;
        Ok(())
    }

    /// A value kept as a number; 0 when there is none (or it is not one).
    pub fn meta_u64(&self, key: &str) -> Result<u64, StoreError> {
        Ok(self.meta(key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// The next sequence number for a note signed by this device.
    pub fn next_device_seq(&self) -> Result<u64, StoreError> {
        let next = self.meta_u64("device_seq")? + 1;
        self.set_meta("device_seq", &next.to_string())?;
        Ok(next)
    }
}
