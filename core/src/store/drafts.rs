//! Drafts of the web app's note form: what was typed and not yet saved as
//! a note, one per form (`new`, `edit:NOTE_ID`), sealed under the store key
//! like a note ("draft:KEY" as associated data), so that a closed tab or an
//! idle lock loses nothing. `ops::drafts` gives them their shape.

use rusqlite::{params, OptionalExtension};
use zeroize::Zeroizing;

use super::{Store, StoreError};

/// A draft as kept: Unix seconds when saved, and its plaintext.
pub type KeptDraft = (i64, Zeroizing<Vec<u8>>);

fn aad(key: &str) -> String {
    format!("draft:{key}")
}

impl Store {
    /// Keeps a draft (sealed, the key as associated data) under `key`.
    pub fn put_draft(&self, key: &str, plaintext: &[u8]) -> Result<(), StoreError> {
        let sealed = self.seal(&aad(key), plaintext);
        self.conn.execute(
            "INSERT INTO drafts (key, updated_at, sealed) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET updated_at = ?2, sealed = ?3",
            params![key, chrono::Utc::now().timestamp(), sealed],
        )?;
        Ok(())
    }

    /// The draft kept under `key`: when it was saved, and its plaintext.
    pub fn draft(&self, key: &str) -> Result<Option<KeptDraft>, StoreError> {
        let row: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row("SELECT updated_at, sealed FROM drafts WHERE key = ?1", [key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(at, sealed)| Ok((at, self.unseal(&aad(key), &sealed)?))).transpose()
    }

    /// The keys of the drafts kept and when each was saved, newest first
    /// (nothing is unsealed).
    pub fn draft_keys(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut statement = self.conn.prepare("SELECT key, updated_at FROM drafts ORDER BY updated_at DESC, key")?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn delete_draft(&self, key: &str) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM drafts WHERE key = ?1", [key])?;
        Ok(())
    }
}
