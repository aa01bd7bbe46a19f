//! The local store: SQLite on the device, with every note's plaintext
//! sealed under the store key (ChaCha20-Poly1305, the note id and revision
//! as associated data, so a row cannot be moved to another note).
//!
//! What is stored in clear is what the server also sees: ids, revisions,
//! authors, sequence numbers, the signed roster and sealed (age) envelopes.
//!
//! One `Store` holds the connection and the store key; its methods are
//! kept in one file per concern, and nothing outside this folder sees SQL:
//!
//! - `notes`: note and follow-up rows, their status (`NoteStatus`), and
//!   forgetting a deleted note's plaintext;
//! - `chains`: each device's numbered chain as held here (tips, gaps, the
//!   items receipts and heads speak of);
//! - `outbox`: what waits to be uploaded, what is held back for an expired
//!   roster, and the warning kept with a revision sent anyway;
//! - `rosters`: the signed rosters seen;
//! - `heads`: device heads, watched devices, coordinators' receipts, and
//!   when the server stored each revision;
//! - `alerts`: alerts kept until what they report is resolved;
//! - `invites`: enrolment secrets of invites this administrator made;
//! - `drafts`: the web app's unsent forms;
//! - `meta`: small named values (this device's sequence number, ...);
//! - `migrations`: the file's layout, version by version;
//! - `error`: `StoreError`, what failed and what to do.

mod alerts;
mod chains;
mod drafts;
pub mod error;
mod heads;
mod invites;
mod meta;
mod migrations;
mod notes;
mod outbox;
mod rosters;

use std::path::Path;

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use rusqlite::Connection;
use zeroize::Zeroizing;

pub use alerts::{StoredAlert, StoredKind};
pub use chains::DeviceItems;
pub use drafts::KeptDraft;
pub use error::StoreError;
pub use invites::KeptInvite;
pub use notes::{NoteRow, NoteStatus};

/// The AEAD tag ChaCha20-Poly1305 appends.
const TAG_LEN: usize = 16;

pub struct Store {
    conn: Connection,
    /// The store key, wiped when the store is dropped. ring's AEAD key
    /// cannot be wiped, so one is built for each seal and open instead of
    /// kept (its copy lives on the stack for that call).
    key: Zeroizing<[u8; 32]>,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its layout
    /// up to this version's.
    pub fn open(path: &Path, key: &[u8; 32]) -> Result<Store, StoreError> {
        Store::open_with_vfs(path, key, None)
    }

    /// `open` through the SQLite VFS named `vfs` (None: the default): the
    /// power-cut tests open the store on their crash VFS.
    pub(crate) fn open_with_vfs(path: &Path, key: &[u8; 32], vfs: Option<&str>) -> Result<Store, StoreError> {
        let mut conn = match vfs {
            Some(vfs) => Connection::open_with_flags_and_vfs(path, rusqlite::OpenFlags::default(), vfs)?,
            None => Connection::open(path)?,
        };
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrations::migrations().to_latest(&mut conn)?;
        Ok(Store { conn, key: Zeroizing::new(*key) })
    }

    /// Runs `f` in one transaction: all of its writes, or none.
    pub fn transaction<T, E: From<StoreError>>(&self, f: impl FnOnce(&Store) -> Result<T, E>) -> Result<T, E> {
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(StoreError::from)?;
        match f(self) {
            Ok(v) => {
                self.conn.execute_batch("COMMIT").map_err(StoreError::from)?;
                Ok(v)
            }
            Err(e) => {
                // The error that stopped `f` is the one to report; a failed
                // rollback leaves nothing committed either.
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn aead(&self) -> LessSafeKey {
        LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &self.key[..]).expect("32-byte key"))
    }

    /// `plaintext` sealed under the store key: nonce, ciphertext, tag. `aad`
    /// names the row, so that a sealed value moved to another row does not open.
    fn seal(&self, aad: &str, plaintext: &[u8]) -> Vec<u8> {
        use ring::rand::SecureRandom;
        let mut nonce = [0u8; NONCE_LEN];
        ring::rand::SystemRandom::new().fill(&mut nonce).expect("the OS random source works");
        // Room for the tag up front: a Vec that grew would leave a copy of
        // the plaintext behind in the memory it gave up.
        let mut buf = Zeroizing::new(Vec::with_capacity(plaintext.len() + TAG_LEN));
        buf.extend_from_slice(plaintext);
        self.aead()
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad.as_bytes()), &mut *buf)
            .expect("sealing cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        out
    }

    /// Opens what `seal` sealed for the row `aad`.
    fn unseal(&self, aad: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return Err(StoreError::Truncated { row: aad.to_owned() });
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).expect("NONCE_LEN bytes");
        let mut buf = Zeroizing::new(ciphertext.to_vec());
        let len = self
            .aead()
            .open_in_place(nonce, Aad::from(aad.as_bytes()), &mut buf)
            .map_err(|_| StoreError::Undecryptable { row: aad.to_owned() })?
            .len();
        buf.truncate(len);
        Ok(buf)
    }
}

#[cfg(test)]
mod tests;
