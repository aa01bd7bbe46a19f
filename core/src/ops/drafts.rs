//! Drafts: what was typed into a note form and not sealed yet, kept in
//! the local store under the store key (never in clear on disk), one per
//! form, until the note is saved or the draft discarded.

use serde::de::DeserializeOwned;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::ClientError;
use crate::profile::Session;
use crate::store::StoreError;

/// The draft of a new note.
pub const NEW_NOTE: &str = "new";

/// The draft of an edit of `note_id` (the full id).
pub fn edit_key(note_id: &str) -> String {
    format!("edit:{note_id}")
}

/// A draft waiting to be finished: the form it belongs to and when it
/// was last kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// `None` for a new note, else the note being changed (full id).
    pub note_id: Option<String>,
    /// Unix seconds.
    pub saved_at: i64,
}

/// The drafts waiting, newest first.
pub fn waiting(session: &Session) -> Result<Vec<Waiting>, ClientError> {
    let keys = session.store.draft_keys()?;
    Ok(keys
        .into_iter()
        .map(|(key, saved_at)| Waiting { note_id: key.strip_prefix("edit:").map(str::to_owned), saved_at })
        .collect())
}

pub fn save<T: Serialize>(session: &Session, key: &str, draft: &T) -> Result<(), ClientError> {
    let bytes = Zeroizing::new(serde_json::to_vec(draft).expect("a draft serialises"));
    Ok(session.store.put_draft(key, &bytes)?)
}

/// The draft under `key` and when it was saved (Unix seconds). One that
/// no longer reads as a `T` (written by another version) is reported as
/// an error rather than dropped: it may hold what someone typed.
pub fn load<T: DeserializeOwned>(session: &Session, key: &str) -> Result<Option<(i64, T)>, ClientError> {
    let Some((at, bytes)) = session.store.draft(key)? else { return Ok(None) };
    let draft = serde_json::from_slice(&bytes).map_err(StoreError::unreadable(format!("the draft {key}")))?;
    Ok(Some((at, draft)))
}

pub fn discard(session: &Session, key: &str) -> Result<(), ClientError> {
    Ok(session.store.delete_draft(key)?)
}
