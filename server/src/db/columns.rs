//! How a sealed note's header is kept in the `notes` table: ids and hashes
//! are lowercase hex on the wire and in the signed header, bytes in the
//! database (half the size, and smaller indexes).
//!
//! Both directions are exact: the header's fields are checked to be
//! canonical hex before they are stored (the signature covers the hex
//! text, so a header that did not round-trip would no longer verify).

use rusqlite::Row;
use visitnotes_shared::envelope::{EnvelopeHeader, Kind};
use visitnotes_shared::{DeviceId, NoteId, UserId};

use super::{Refusal, StoreError};

/// The header columns, in the order `header` reads them from `offset`.
pub const HEADER: &str = "kind, note_id, revision, prev_hash, author, device_id, device_seq, roster_version, \
                          age_sha256, payload_sha256, note_author, device_prev";

pub fn kind(kind: Kind) -> i64 {
    match kind {
        Kind::Note => 0,
        Kind::Tombstone => 1,
        Kind::FollowUp => 2,
    }
}

/// The bytes of a 32-character id, or of a 64-character hash.
pub fn bytes(hex: &str) -> Result<Vec<u8>, StoreError> {
    data_encoding::HEXLOWER
        .decode(hex.as_bytes())
        .map_err(|_| Refusal::Invalid(format!("{hex:?} is not lowercase hex")).into())
}

/// The hex form of an id column (16 bytes) or hash column (32 bytes).
fn hex(r: &Row<'_>, i: usize, len: usize) -> Result<String, StoreError> {
    let value: Vec<u8> = r.get(i)?;
    if value.len() != len {
        return Err(corrupt(&format!("{len}-byte column {i}")));
    }
    Ok(visitnotes_shared::hex(&value))
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("stored note has a bad {what}"))
}

/// Reads a note id column.
pub fn note_id(r: &Row<'_>, i: usize) -> Result<NoteId, StoreError> {
    NoteId::try_from(hex(r, i, 16)?).map_err(|_| corrupt("note id"))
}

/// Reads the signed header from the `HEADER` columns starting at `offset`.
pub fn header(r: &Row<'_>, offset: usize) -> Result<EnvelopeHeader, StoreError> {
    let kind = match r.get::<_, i64>(offset)? {
        0 => Kind::Note,
        1 => Kind::Tombstone,
        2 => Kind::FollowUp,
        _ => return Err(corrupt("kind")),
    };
    let note_id = note_id(r, offset + 1)?;
    let author = UserId::try_from(hex(r, offset + 4, 16)?).map_err(|_| corrupt("author"))?;
    let device_id = DeviceId::try_from(hex(r, offset + 5, 16)?).map_err(|_| corrupt("device id"))?;
    let prev_hash = match r.get_ref(offset + 3)? {
        rusqlite::types::ValueRef::Null => None,
        _ => Some(hex(r, offset + 3, 32)?),
    };
    let note_author = match r.get_ref(offset + 10)? {
        rusqlite::types::ValueRef::Null => None,
        _ => Some(UserId::try_from(hex(r, offset + 10, 16)?).map_err(|_| corrupt("note author"))?),
    };
    let device_prev = match r.get_ref(offset + 11)? {
        rusqlite::types::ValueRef::Null => None,
        _ => Some(hex(r, offset + 11, 32)?),
    };
    Ok(EnvelopeHeader {
        kind,
        note_id,
        revision: r.get(offset + 2)?,
        prev_hash,
        author,
        device_id,
        device_seq: r.get(offset + 6)?,
        roster_version: r.get(offset + 7)?,
        age_sha256: hex(r, offset + 8, 32)?,
        payload_sha256: hex(r, offset + 9, 32)?,
        note_author,
        device_prev,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_exact_both_ways() {
        assert_eq!(bytes("00ff").unwrap(), vec![0, 255]);
        // Upper case would decode to the same bytes and come back lower case:
        // refused, so that what is stored is what was signed.
        assert!(bytes("00FF").is_err());
        assert!(bytes("0g").is_err());
        assert!(bytes("abc").is_err());
    }
}
