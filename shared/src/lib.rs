//! The Visitnotes protocol, shared by the server and the client.
//!
//! Everything that both sides must agree on byte for byte lives here: the
//! visit note schema, the organisation-signed roster, the sealed envelope
//! (padded, age-encrypted, device-signed notes, and coordinators' follow-up
//! records on their concerns), enrolment primitives
//! (invite codes and the enrolment MAC), request signing for the HTTP API,
//! and the API's request and response types.
//!
//! The server only ever uses the verifying half of this crate; plaintext
//! exists only inside `envelope::seal` and `envelope::open` on a client.

#![forbid(unsafe_code)]

pub mod age_header;
pub mod api;
pub mod audit;
mod b64;
pub mod canonical;
pub mod durable;
pub mod enrol;
pub mod envelope;
pub mod follow_up;
pub mod fuzz;
pub mod head;
pub mod ids;
pub mod invite;
pub mod keys;
pub mod note;
pub mod padding;
pub mod receipt;
pub mod request;
pub mod rewrap;
pub mod roster;

pub use envelope::{
    open, seal, seal_follow_up, seal_tombstone, OpenContext, OpenError, Opened, SealError, SealParams, SealedNote,
};
pub use ids::{DeviceId, NoteId, UserId};
pub use keys::{DeviceKeys, OrgKey, VerifyingKey};
pub use note::VisitNote;
pub use roster::{Roster, SignedRoster};

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, data);
    digest.as_ref().try_into().expect("SHA-256 is 32 bytes")
}

/// Lowercase hex, used for hashes and ids on the wire.
pub fn hex(data: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(data)
}
