//! The invites this administrator's device made and no one has used yet:
//! who was invited, with which role and name, and the enrolment secret
//! (sealed under the store key, the token's hash as associated data). When
//! the invited device enrols, the secret checks that the keys the server
//! passes on are the ones that device sent (`ops::admin::pending`), and the
//! role here, not the server's word, goes into the roster.

use rusqlite::{params, OptionalExtension};
use visitnotes_shared::roster::Role;
use zeroize::Zeroizing;

use super::{Store, StoreError};

/// An enrolment secret kept from `admin invite`.
pub struct KeptInvite {
    pub user_id: String,
    pub role: Role,
    pub name: String,
    pub secret: Zeroizing<[u8; 32]>,
}

impl Store {
    pub fn keep_invite(
        &self,
        token_hash: &str,
        user_id: &str,
        role: Role,
        name: &str,
        secret: &[u8; 32],
    ) -> Result<(), StoreError> {
        let sealed = self.seal(token_hash, secret);
        self.conn.execute(
            "INSERT INTO invites (token_hash, user_id, role, name, secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![token_hash, user_id, role.to_string(), name, sealed, chrono::Utc::now().timestamp()],
        )?;
        Ok(())
    }

    pub fn kept_invite(&self, token_hash: &str) -> Result<Option<KeptInvite>, StoreError> {
        let row: Option<(String, String, String, Vec<u8>)> = self
            .conn
            .query_row("SELECT user_id, role, name, secret FROM invites WHERE token_hash = ?1", [token_hash], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((user_id, role, name, sealed)) = row else { return Ok(None) };
        let role = role.parse().map_err(|_| StoreError::UnknownValue { what: "an invite's role", value: role })?;
        let plain = self.unseal(token_hash, &sealed)?;
        let secret: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Malformed { what: format!("the secret of the invite for {name}") })?;
        Ok(Some(KeptInvite { user_id, role, name, secret: Zeroizing::new(secret) }))
    }

    pub fn forget_invite(&self, token_hash: &str) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM invites WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }
}
