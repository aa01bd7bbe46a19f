//! Writing under an expired roster: the note is written, sealed and kept,
//! but its upload is held back.
//!
//! A roster expires so that a server cannot keep serving an old one for
//! ever (the one before a coordinator was removed: leaders would keep
//! encrypting to that coordinator). Writing is never refused (nothing
//! typed waits unsealed): a note written while the newest roster here is
//! expired is sealed under it and held in the outbox. When a fresh roster
//! comes (`sync`), held notes are sealed again under it, for its readers,
//! and uploaded; `sync --allow-expired-roster` uploads them as they are
//! and keeps a warning with each (`read::Kept`: `note show` and the note
//! page show it; `read::Held` says why a note is held back).
//!
//! Sealing a held note again is safe: it was never sent (the hold stops
//! the push at it), so no server holds other bytes for its id and
//! revision. It keeps its note id, revision and sequence number; a later
//! revision in the outbox that names it is sealed again too, naming the
//! new copy. A held note deleted before it was sent has no plaintext left
//! to seal again: it goes as it was written, and its tombstone after it
//! (the server drops its ciphertext when the tombstone comes).

use std::collections::{HashMap, HashSet};

use visitnotes_shared::envelope::{
    seal, seal_chained, seal_follow_up, seal_tombstone, seal_tombstone_chained, Kind, SealError, SealParams,
};
use visitnotes_shared::Roster;

use super::read::Kept;
use super::roster::now;
use crate::error::ClientError;
use crate::profile::Session;
use crate::store::{NoteStatus, StoreError};

/// Seals the held outbox entries again under `roster`, which is fresh, and
/// ends their hold. Returns how many were sealed again. An entry that
/// cannot be sealed under it (this device is no longer in it) stays held.
pub fn reseal_held(session: &Session, roster: &Roster) -> Result<usize, ClientError> {
    let held: HashSet<i64> = session.store.held()?.into_iter().map(|(id, _)| id).collect();
    if held.is_empty() {
        return Ok(0);
    }
    let keys = &session.secrets.device;
    session.store.transaction(|store| {
        // Old hash (hex) of each entry sealed again -> its new hash.
        let mut renamed: HashMap<String, [u8; 32]> = HashMap::new();
        let mut count = 0;
        for (id, sealed) in store.outbox()? {
            let h = &sealed.header;
            let new_prev = h.prev_hash.as_ref().and_then(|p| renamed.get(p)).copied();
            // The device chain: an item after one sealed again names the new copy.
            let new_device_prev = h.device_prev.as_ref().and_then(|p| renamed.get(p)).copied();
            if !held.contains(&id) && new_prev.is_none() && new_device_prev.is_none() {
                continue;
            }
            let device_prev = match (new_device_prev, &h.device_prev) {
                (Some(new), _) => Some(new),
                (None, Some(old)) => Some(parse_hash(old)?),
                (None, None) => None,
            };
            let prev_hash = match (new_prev, &h.prev_hash) {
                (Some(new), _) => Some(new),
                (None, Some(old)) => Some(parse_hash(old)?),
                (None, None) => None,
            };
            let params =
                SealParams { note_id: h.note_id.clone(), revision: h.revision, prev_hash, device_seq: h.device_seq };
            let row =
                store.rows_with_prefix(h.note_id.as_str())?.into_iter().find(|r| r.header().revision == h.revision);
            let (plain, record) = row.map_or((None, None), |r| (r.note, r.follow_up));
            let resealed = match (h.kind, &plain, &record, &h.note_author) {
                (Kind::Tombstone, ..) => match device_prev {
                    Some(chain) => seal_tombstone_chained(&params, chain, roster, keys),
                    None => seal_tombstone(&params, roster, keys),
                },
                (Kind::Note, Some(note), ..) => match device_prev {
                    Some(chain) => seal_chained(note, &params, chain, roster, keys),
                    None => seal(note, &params, roster, keys),
                },
                (Kind::FollowUp, _, Some(record), Some(author)) => {
                    seal_follow_up(record, author, &params, device_prev.unwrap_or([0; 32]), roster, keys)
                }
                // Deleted before it was sent, or nothing left here to seal
                // again: it goes as it is (see above).
                _ => {
                    store.release(id)?;
                    continue;
                }
            };
            match resealed {
                Ok(new) if h.kind == Kind::FollowUp => {
                    store.put_follow_up(&new, None, NoteStatus::Outbox, None, record.as_ref())?;
                    store.release(id)?;
                    renamed.insert(visitnotes_shared::hex(&sealed.hash()), new.hash());
                    count += 1;
                }
                Ok(new) => {
                    store.put_note(&new, None, NoteStatus::Outbox, None, plain.as_ref())?;
                    store.release(id)?;
                    renamed.insert(visitnotes_shared::hex(&sealed.hash()), new.hash());
                    count += 1;
                }
                Err(SealError::NotInRoster(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(count)
    })
}

/// For `sync --allow-expired-roster`: ends the hold of every held entry,
/// keeping with each a warning that it was sent sealed under an expired
/// roster. Returns how many.
pub fn release_held(session: &Session) -> Result<usize, ClientError> {
    let held = session.store.held()?;
    if held.is_empty() {
        return Ok(0);
    }
    let outbox: HashMap<i64, _> = session.store.outbox()?.into_iter().collect();
    let sent_at = now();
    session.store.transaction(|store| {
        for (id, version) in &held {
            if let Some(sealed) = outbox.get(id) {
                let kept = Kept::SentUnderExpiredRoster {
                    roster_version: *version,
                    expired_at: super::read::expiry_of(session, *version),
                    sent_at,
                };
                store.set_warning(&sealed.header, &kept.to_stored())?;
            }
            store.release(*id)?;
        }
        Ok(held.len())
    })
}

fn parse_hash(hex: &str) -> Result<[u8; 32], ClientError> {
    data_encoding::HEXLOWER
        .decode(hex.as_bytes())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| StoreError::Malformed { what: format!("the hash {hex} an outbox entry names") }.into())
}
