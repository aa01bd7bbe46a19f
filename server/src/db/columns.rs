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

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("stored note has a bad {what}"))
}

/// Reads a note id column.
pub fn note_id(r: &Row<'_>, i: usize) -> Result<NoteId, StoreError> {
    note_id_of(&r.get::<_, Vec<u8>>(i)?)
}

/// The note id stored as `value`.
pub fn note_id_of(value: &[u8]) -> Result<NoteId, StoreError> {
    NoteId::try_from(hex_of(value, 16, "note id")?).map_err(|_| corrupt("note id"))
}

/// The `HEADER` columns of one row as stored, whichever engine read them.
pub struct RawHeader {
    pub kind: i64,
    pub note_id: Vec<u8>,
    pub revision: u64,
    pub prev_hash: Option<Vec<u8>>,
    pub author: Vec<u8>,
    pub device_id: Vec<u8>,
    pub device_seq: u64,
    pub roster_version: u64,
    pub age_sha256: Vec<u8>,
    pub payload_sha256: Vec<u8>,
    pub note_author: Option<Vec<u8>>,
    pub device_prev: Option<Vec<u8>>,
}

/// `value` in hex, if it is `len` bytes long.
fn hex_of(value: &[u8], len: usize, what: &str) -> Result<String, StoreError> {
    if value.len() != len {
        return Err(corrupt(what));
    }
    Ok(visitnotes_shared::hex(value))
}

impl RawHeader {
    /// The signed header these columns hold.
    pub fn decode(self) -> Result<EnvelopeHeader, StoreError> {
        let kind = match self.kind {
            0 => Kind::Note,
            1 => Kind::Tombstone,
            2 => Kind::FollowUp,
            _ => return Err(corrupt("kind")),
        };
        let optional = |value: Option<Vec<u8>>, len, what| value.map(|v| hex_of(&v, len, what)).transpose();
        Ok(EnvelopeHeader {
            kind,
            note_id: NoteId::try_from(hex_of(&self.note_id, 16, "note id")?).map_err(|_| corrupt("note id"))?,
            revision: self.revision,
            prev_hash: optional(self.prev_hash, 32, "previous hash")?,
            author: UserId::try_from(hex_of(&self.author, 16, "author")?).map_err(|_| corrupt("author"))?,
            device_id: DeviceId::try_from(hex_of(&self.device_id, 16, "device id")?)
                .map_err(|_| corrupt("device id"))?,
            device_seq: self.device_seq,
            roster_version: self.roster_version,
            age_sha256: hex_of(&self.age_sha256, 32, "age hash")?,
            payload_sha256: hex_of(&self.payload_sha256, 32, "payload hash")?,
            note_author: optional(self.note_author, 16, "note author")?
                .map(|u| UserId::try_from(u).map_err(|_| corrupt("note author")))
                .transpose()?,
            device_prev: optional(self.device_prev, 32, "device chain hash")?,
        })
    }
}

/// Reads the signed header from the `HEADER` columns starting at `offset`.
pub fn header(r: &Row<'_>, offset: usize) -> Result<EnvelopeHeader, StoreError> {
    RawHeader {
        kind: r.get(offset)?,
        note_id: r.get(offset + 1)?,
        revision: r.get(offset + 2)?,
        prev_hash: r.get(offset + 3)?,
        author: r.get(offset + 4)?,
        device_id: r.get(offset + 5)?,
        device_seq: r.get(offset + 6)?,
        roster_version: r.get(offset + 7)?,
        age_sha256: r.get(offset + 8)?,
        payload_sha256: r.get(offset + 9)?,
        note_author: r.get(offset + 10)?,
        device_prev: r.get(offset + 11)?,
    }
    .decode()
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
