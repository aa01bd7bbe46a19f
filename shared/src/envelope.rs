//! The sealed envelope: a note padded, age-encrypted to the roster's readers,
//! and signed by the author's device.
//!
//! The device signs a header that binds the note id, revision, the hash of
//! the previous revision, the device's own sequence number, the roster
//! version, and the SHA-256 of both the whole age file and its payload. A
//! reader verifies all of it before decrypting anything; the plaintext
//! repeats the note id and revision, which must match the header.
//!
//! Only X25519 stanzas are accepted: a passphrase (scrypt) or plugin stanza is
//! refused by reading the header (`crate::age_header`) before age is asked to
//! do anything, so a hostile work factor costs nothing and no plugin binary is
//! ever looked up.
//!
//! Headers also carry `device_prev`, the hash of the same device's previous
//! sealed item (any note or tombstone; [`CHAIN_START`] for its first): a
//! device's items form one signed hash chain, which its signed heads
//! (`crate::head`) and coordinators' receipts (`crate::receipt`) name by
//! the hash of its newest header. A header with `device_prev` is signed
//! under the context `visitnotes/note/v2` and one without it (signed before
//! the chain existed) under `visitnotes/note/v1`, so old notes still verify
//! and a server that strips the field from a new header breaks its
//! signature.
//!
//! A note a coordinator rewrapped carries a [`Rewrap`] statement, verified
//! here with the rest of the note; `crate::rewrap` makes such notes.
//!
//! A coordinator's follow-up record on a concern (`crate::follow_up`) is
//! sealed the same way, as kind `follow_up`: its own id, revisions and
//! device sequence number, encrypted to the readers of the note's author
//! (`readers_for(note_author)`), whom the signed header names so that the
//! server can serve it to that author. Which note and concern it is about
//! is inside the ciphertext, filled to one size ([`FOLLOW_UP_FILL`]).
//! Readers refuse one signed by anyone but a coordinator.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use crate::age_header::{self, HeaderError, MAX_HEADER};
use crate::canonical::Canonical;
use crate::follow_up::{FollowUpError, FollowUpRecord};
use crate::ids::{DeviceId, NoteId, UserId};
use crate::keys::DeviceKeys;
use crate::note::{NoteError, VisitNote};
use crate::padding::{self, MAX_BUCKET};
use crate::roster::{DeviceStatus, Role, Roster};

mod rewrap_statement;

pub(crate) use rewrap_statement::may_rewrap;
pub use rewrap_statement::Rewrap;

const CONTEXT: &str = "visitnotes/note/v1";
/// The context of headers that carry `device_prev`.
const CONTEXT_CHAINED: &str = "visitnotes/note/v2";

/// The `device_prev` of a device's first sealed item: 32 zero bytes, hex.
pub const CHAIN_START: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Largest age file accepted: the largest padded note plus the STREAM tags
/// (16 bytes per 64 KiB chunk) and a generous header.
pub const MAX_AGE_BYTES: usize = MAX_BUCKET + MAX_BUCKET / 4096 + MAX_HEADER;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Note,
    /// A signed deletion: no age file, the server purges every revision.
    Tombstone,
    /// A coordinator's follow-up record on a concern of a note
    /// (`crate::follow_up`); never deleted, updated by new revisions.
    FollowUp,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::Tombstone => "tombstone",
            Kind::FollowUp => "follow_up",
        }
    }
}

/// What the author's device signs. Everything here is also what the server
/// may see as metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeHeader {
    pub kind: Kind,
    pub note_id: NoteId,
    pub revision: u64,
    /// `SealedNote::hash` of the previous revision, hex; none for revision 1.
    pub prev_hash: Option<String>,
    pub author: UserId,
    pub device_id: DeviceId,
    pub device_seq: u64,
    pub roster_version: u64,
    pub age_sha256: String,
    /// SHA-256 of the age payload (after the header), hex: stays the same when
    /// the file key is re-wrapped to other readers.
    pub payload_sha256: String,
    /// A follow-up record only: the author of the note it is about. The
    /// record is encrypted to that user's readers, and the server serves
    /// it to that user as well as to coordinators; which note it is about
    /// stays inside the ciphertext. Absent from notes and tombstones.
    #[serde(default)]
    pub note_author: Option<UserId>,
    /// `SealedNote::hash` of the same device's previous sealed item, hex;
    /// [`CHAIN_START`] for its first. None only in headers signed before
    /// the device chain existed (signed under the v1 context).
    #[serde(default)]
    pub device_prev: Option<String>,
}

impl EnvelopeHeader {
    pub fn signing_message(&self) -> Vec<u8> {
        let context = if self.device_prev.is_some() { CONTEXT_CHAINED } else { CONTEXT };
        let mut message = Canonical::new(context);
        message
            .str(self.kind.as_str())
            .str(self.note_id.as_str())
            .u64(self.revision)
            .str(self.prev_hash.as_deref().unwrap_or(""))
            .str(self.author.as_str())
            .str(self.device_id.as_str())
            .u64(self.device_seq)
            .u64(self.roster_version)
            .str(&self.age_sha256)
            .str(&self.payload_sha256);
        // Each only when present, so that headers signed before the field
        // existed still verify; a header that gains or loses one no longer
        // does. The chained context always carries `device_prev` first.
        if let Some(device_prev) = &self.device_prev {
            message.str(device_prev);
        }
        if let Some(note_author) = &self.note_author {
            message.str(note_author.as_str());
        }
        message.finish()
    }

    /// The user whose readers the file is encrypted to
    /// (`Roster::readers_for`): a note's author, or for a follow-up record
    /// the author of the note it is about.
    pub fn readers_of(&self) -> &UserId {
        self.note_author.as_ref().unwrap_or(&self.author)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedNote {
    pub header: EnvelopeHeader,
    #[serde(with = "crate::b64")]
    pub signature: Vec<u8>,
    /// The age file; empty for a tombstone.
    #[serde(with = "crate::b64")]
    pub age: Vec<u8>,
    /// Present when a coordinator re-encrypted the file key to a newer
    /// roster's readers (`rewrap`): then `age` is that device's file, with
    /// the author's payload.
    #[serde(default)]
    pub rewrap: Option<Rewrap>,
}

impl SealedNote {
    /// The hash a later revision names as its `prev_hash`.
    pub fn hash(&self) -> [u8; 32] {
        crate::sha256(&self.header.signing_message())
    }
}

/// Where the new revision sits in its note's history and its device's sequence.
#[derive(Debug, Clone)]
pub struct SealParams {
    pub note_id: NoteId,
    pub revision: u64,
    pub prev_hash: Option<[u8; 32]>,
    pub device_seq: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error(
        "this device is not an active device in roster version {0}: ask an administrator to approve or restore it"
    )]
    NotInRoster(u64),
    #[error("only coordinators record follow-up on concerns")]
    NotCoordinator,
    #[error("the note's author is not in roster version {0}: sync, then try again")]
    UnknownNoteAuthor(u64),
    #[error("revision and sequence numbers start at 1")]
    ZeroCounter,
    #[error(transparent)]
    Padding(#[from] padding::PaddingError),
    #[error("the roster lists a reader key that is not valid")]
    BadRecipient,
    #[error("encryption failed: {0}")]
    Encrypt(String),
    #[error("age wrote a header that cannot be read back")]
    Header(#[source] HeaderError),
}

/// Why a sealed note was refused. Each is a different story for the person
/// reading: a forgery, a stale view, or a note not meant for them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("the note's signature does not verify: it was altered or forged")]
    BadSignature,
    #[error("the note is signed by device {0}, which is not in the roster")]
    UnknownDevice(DeviceId),
    #[error("the note is signed by device {0}, which was revoked before it wrote this")]
    RevokedDevice(DeviceId),
    #[error("the note names author {claimed}, but its device belongs to {actual}")]
    AuthorMismatch { claimed: UserId, actual: UserId },
    #[error(
        "the follow-up record is signed by device {0}, whose owner is not a coordinator: only coordinators record follow-up"
    )]
    NotCoordinator(DeviceId),
    #[error("the note's content does not match its envelope (note id or revision differ): notes were swapped")]
    IdMismatch,
    #[error("rollback: {what} {got} is not above {seen}, already seen")]
    Rollback { what: &'static str, seen: u64, got: u64 },
    #[error("this device is not among the note's readers")]
    NotRecipient,
    #[error("the note was written under roster version {note}, newer than this device's version {have}: sync the roster first")]
    StaleRoster { note: u64, have: u64 },
    #[error("the note is encrypted with a {0} stanza; only X25519 is accepted")]
    ForbiddenStanza(String),
    #[error("the note is malformed: its age header does not read")]
    Header(#[source] HeaderError),
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error(transparent)]
    FollowUp(#[from] FollowUpError),
    #[error("the note is malformed: {0}")]
    Malformed(String),
}

impl From<HeaderError> for OpenError {
    /// A forbidden stanza is its own story for the reader; any other header
    /// fault is a malformed note.
    fn from(e: HeaderError) -> Self {
        match e {
            HeaderError::ForbiddenStanza(tag) => OpenError::ForbiddenStanza(tag),
            other => OpenError::Header(other),
        }
    }
}

/// What the reader has: the verified roster, its identity, and what it has
/// already seen of this note and this device (for rollback detection).
pub struct OpenContext<'a> {
    pub roster: &'a Roster,
    pub identity: &'a age::x25519::Identity,
    pub seen_revision: Option<u64>,
    pub seen_device_seq: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Note { header: EnvelopeHeader, note: Box<VisitNote> },
    Tombstone { header: EnvelopeHeader },
    FollowUp { header: EnvelopeHeader, record: Box<FollowUpRecord> },
}

impl Opened {
    pub fn header(&self) -> &EnvelopeHeader {
        match self {
            Opened::Note { header, .. } | Opened::Tombstone { header } | Opened::FollowUp { header, .. } => header,
        }
    }
}

/// What the padded plaintext holds: the note (or the follow-up record),
/// and its id and revision again.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Inner {
    note_id: NoteId,
    revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow_up: Option<serde_json::Value>,
}

/// Encrypts and signs `note` as the given revision, to the readers that
/// `roster` names for this device's user.
pub fn seal(
    note: &VisitNote,
    params: &SealParams,
    roster: &Roster,
    author: &DeviceKeys,
) -> Result<SealedNote, SealError> {
    seal_with_prev(note, params, None, roster, author)
}

/// `seal`, naming the hash of this device's previous sealed item
/// (`SealedNote::hash`; 32 zero bytes for its first): what clients write.
pub fn seal_chained(
    note: &VisitNote,
    params: &SealParams,
    device_prev: [u8; 32],
    roster: &Roster,
    author: &DeviceKeys,
) -> Result<SealedNote, SealError> {
    seal_with_prev(note, params, Some(device_prev), roster, author)
}

fn seal_with_prev(
    note: &VisitNote,
    params: &SealParams,
    device_prev: Option<[u8; 32]>,
    roster: &Roster,
    author: &DeviceKeys,
) -> Result<SealedNote, SealError> {
    let user = author_in_roster(roster, author)?;
    if params.revision == 0 || params.device_seq == 0 {
        return Err(SealError::ZeroCounter);
    }
    let inner = Inner {
        note_id: params.note_id.clone(),
        revision: params.revision,
        note: Some(serde_json::to_value(note).expect("a note serialises")),
        follow_up: None,
    };
    let (age_file, payload_at) = encrypt(&inner, 0, roster, &user)?;
    Ok(sign(Kind::Note, params, device_prev, user, None, roster.version, author, age_file, payload_at))
}

/// Encrypts and signs a coordinator's follow-up `record` as the given
/// revision, to the readers of `note_author` (the author of the note it is
/// about): the active coordinators and that author's devices.
pub fn seal_follow_up(
    record: &FollowUpRecord,
    note_author: &UserId,
    params: &SealParams,
    device_prev: [u8; 32],
    roster: &Roster,
    coordinator: &DeviceKeys,
) -> Result<SealedNote, SealError> {
    let user = author_in_roster(roster, coordinator)?;
    if !roster.member(&user).is_some_and(|m| m.roles.contains(&Role::Coordinator)) {
        return Err(SealError::NotCoordinator);
    }
    if roster.member(note_author).is_none() {
        return Err(SealError::UnknownNoteAuthor(roster.version));
    }
    if params.revision == 0 || params.device_seq == 0 {
        return Err(SealError::ZeroCounter);
    }
    let inner = Inner {
        note_id: params.note_id.clone(),
        revision: params.revision,
        note: None,
        follow_up: Some(serde_json::to_value(record).expect("a record serialises")),
    };
    let (age_file, payload_at) = encrypt(&inner, FOLLOW_UP_FILL, roster, note_author)?;
    let note_author = Some(note_author.clone());
    Ok(sign(
        Kind::FollowUp,
        params,
        Some(device_prev),
        user,
        note_author,
        roster.version,
        coordinator,
        age_file,
        payload_at,
    ))
}

/// How long the JSON of every follow-up record is made, with trailing
/// white space (which every reader's JSON parser skips), before padding:
/// all of the 4 KiB bucket. A record of one entry takes some 350 bytes
/// besides its text, so it fits with any text of up to
/// `follow_up::MAX_TEXT` bytes whose JSON escapes (quotes, backslashes and
/// line breaks take two bytes, other control characters six) add less
/// than about 1,700: records are the same size whatever their text, and
/// the server cannot tell a short entry from a long one.
pub const FOLLOW_UP_FILL: usize = 2 * padding::MIN_BUCKET - 4;

/// Serialises `inner` (filled with trailing spaces to `fill` bytes when
/// shorter), pads it and encrypts it to `roster.readers_for(readers_of)`;
/// returns the age file and where its payload starts.
fn encrypt(inner: &Inner, fill: usize, roster: &Roster, readers_of: &UserId) -> Result<(Vec<u8>, usize), SealError> {
    // Room for the fill up front: growing the buffer would leave a copy of
    // the plaintext behind in the allocator.
    let mut plaintext = zeroize::Zeroizing::new(Vec::with_capacity(fill.max(1024)));
    serde_json::to_writer(&mut *plaintext, inner).expect("a note serialises");
    if plaintext.len() < fill {
        plaintext.resize(fill, b' ');
    }
    let padded = zeroize::Zeroizing::new(padding::pad(&plaintext)?);

    let recipients = roster
        .readers_for(readers_of)
        .into_iter()
        .map(|d| d.age_recipient.parse::<age::x25519::Recipient>().map_err(|_| SealError::BadRecipient))
        .collect::<Result<Vec<_>, _>>()?;
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|e| SealError::Encrypt(e.to_string()))?;
    let mut age_file = Vec::with_capacity(padded.len() + 1024);
    let mut writer = encryptor.wrap_output(&mut age_file).map_err(|e| SealError::Encrypt(e.to_string()))?;
    writer.write_all(&padded).map_err(|e| SealError::Encrypt(e.to_string()))?;
    writer.finish().map_err(|e| SealError::Encrypt(e.to_string()))?;

    let payload_at = age_header::read(&age_file).map_err(SealError::Header)?.payload_at;
    Ok((age_file, payload_at))
}

/// A signed deletion of `params.note_id`, as its next revision.
pub fn seal_tombstone(params: &SealParams, roster: &Roster, author: &DeviceKeys) -> Result<SealedNote, SealError> {
    tombstone_with_prev(params, None, roster, author)
}

/// `seal_tombstone` in the device chain (see `seal_chained`).
pub fn seal_tombstone_chained(
    params: &SealParams,
    device_prev: [u8; 32],
    roster: &Roster,
    author: &DeviceKeys,
) -> Result<SealedNote, SealError> {
    tombstone_with_prev(params, Some(device_prev), roster, author)
}

fn tombstone_with_prev(
    params: &SealParams,
    device_prev: Option<[u8; 32]>,
    roster: &Roster,
    author: &DeviceKeys,
) -> Result<SealedNote, SealError> {
    let user = author_in_roster(roster, author)?;
    if params.revision == 0 || params.device_seq == 0 {
        return Err(SealError::ZeroCounter);
    }
    Ok(sign(Kind::Tombstone, params, device_prev, user, None, roster.version, author, Vec::new(), 0))
}

fn author_in_roster(roster: &Roster, author: &DeviceKeys) -> Result<UserId, SealError> {
    match roster.device(&author.device_id()) {
        Some((member, device)) if device.status == DeviceStatus::Active => Ok(member.user_id.clone()),
        _ => Err(SealError::NotInRoster(roster.version)),
    }
}

#[allow(clippy::too_many_arguments)]
fn sign(
    kind: Kind,
    params: &SealParams,
    device_prev: Option<[u8; 32]>,
    author: UserId,
    note_author: Option<UserId>,
    roster_version: u64,
    keys: &DeviceKeys,
    age: Vec<u8>,
    payload_at: usize,
) -> SealedNote {
    let header = EnvelopeHeader {
        kind,
        note_id: params.note_id.clone(),
        revision: params.revision,
        prev_hash: params.prev_hash.map(|h| crate::hex(&h)),
        author,
        device_id: keys.device_id(),
        device_seq: params.device_seq,
        roster_version,
        age_sha256: crate::hex(&crate::sha256(&age)),
        payload_sha256: crate::hex(&crate::sha256(&age[payload_at..])),
        note_author,
        device_prev: device_prev.map(|h| crate::hex(&h)),
    };
    let signature = keys.sign(&header.signing_message()).to_vec();
    SealedNote { header, signature, age, rewrap: None }
}

/// Checks the signature over the header and the signer's standing in the
/// roster, without looking at the age file: all a reader can check of a
/// note whose ciphertext the server withheld or purged.
pub fn verify_header(header: &EnvelopeHeader, signature: &[u8], roster: &Roster) -> Result<(), OpenError> {
    check_header(header, Some(signature), roster)
}

fn check_header(header: &EnvelopeHeader, signature: Option<&[u8]>, roster: &Roster) -> Result<(), OpenError> {
    if header.roster_version > roster.version {
        return Err(OpenError::StaleRoster { note: header.roster_version, have: roster.version });
    }
    let (member, device) =
        roster.device(&header.device_id).ok_or_else(|| OpenError::UnknownDevice(header.device_id.clone()))?;
    if let Some(signature) = signature {
        if !device.signing_key.verify(&header.signing_message(), signature) {
            return Err(OpenError::BadSignature);
        }
    }
    if let DeviceStatus::Revoked { trusted_through_seq, .. } = device.status {
        if header.device_seq > trusted_through_seq {
            return Err(OpenError::RevokedDevice(header.device_id.clone()));
        }
    }
    if member.user_id != header.author {
        return Err(OpenError::AuthorMismatch { claimed: header.author.clone(), actual: member.user_id.clone() });
    }
    match (header.kind, &header.note_author) {
        (Kind::FollowUp, None) => return Err(OpenError::Malformed("a follow-up record names no note author".into())),
        (Kind::FollowUp, Some(note_author)) => {
            // Whoever the member is now: a coordinator removed later keeps
            // the records made before, as its notes (`trusted_through_seq`).
            if !member.roles.contains(&Role::Coordinator) {
                return Err(OpenError::NotCoordinator(header.device_id.clone()));
            }
            if roster.member(note_author).is_none() {
                return Err(OpenError::Malformed("a follow-up record about someone not in the roster".into()));
            }
        }
        (_, Some(_)) => return Err(OpenError::Malformed("only a follow-up record names a note author".into())),
        (_, None) => {}
    }
    if header.revision == 0 || header.device_seq == 0 {
        return Err(OpenError::Malformed("zero revision or sequence number".into()));
    }
    if let Some(device_prev) = &header.device_prev {
        if !is_hash_hex(device_prev) {
            return Err(OpenError::Malformed("the device chain hash is not 64 lowercase hex digits".into()));
        }
        if (header.device_seq == 1) != (device_prev == CHAIN_START) {
            return Err(OpenError::Malformed("the device chain does not start at the device's first item".into()));
        }
    }
    Ok(())
}

/// Whether `text` is a SHA-256 in lowercase hex, as hashes are signed.
pub fn is_hash_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks the signature and metadata of a sealed note against the roster,
/// without decrypting: the first half of `open`.
pub fn verify(sealed: &SealedNote, roster: &Roster) -> Result<(), OpenError> {
    check_header(&sealed.header, Some(&sealed.signature), roster)?;
    check_file(sealed, roster, true)
}

/// Everything `verify` checks except the note's signature: what the server
/// checks of an upload. The request's own signature already proves which
/// device sent it, and every reader verifies the note's signature before
/// opening it; checking it on the server too would halve upload throughput
/// (see BENCHMARKS.md) without protecting anyone.
pub fn verify_unsigned(sealed: &SealedNote, roster: &Roster) -> Result<(), OpenError> {
    check_header(&sealed.header, None, roster)?;
    check_file(sealed, roster, false)
}

fn check_file(sealed: &SealedNote, roster: &Roster, signatures: bool) -> Result<(), OpenError> {
    let header = &sealed.header;
    if sealed.age.len() > MAX_AGE_BYTES {
        return Err(OpenError::Malformed("the age file is too large".into()));
    }
    // The signatures cover the hashes; bytes that do not match them were changed.
    match &sealed.rewrap {
        None if crate::hex(&crate::sha256(&sealed.age)) != header.age_sha256 => return Err(OpenError::BadSignature),
        None => {}
        Some(_) if header.kind == Kind::Tombstone => return Err(OpenError::Malformed("a rewrapped tombstone".into())),
        Some(rewrap) if signatures => rewrap_statement::verify(sealed, rewrap, roster)?,
        Some(rewrap) if crate::hex(&crate::sha256(&sealed.age)) != rewrap.age_sha256 => {
            return Err(OpenError::BadSignature)
        }
        Some(_) => {}
    }
    match header.kind {
        Kind::Tombstone if !sealed.age.is_empty() => Err(OpenError::Malformed("a tombstone carries data".into())),
        Kind::Tombstone => Ok(()),
        Kind::Note | Kind::FollowUp => {
            // Refuses any stanza but X25519 (and grease) before age sees the file.
            let payload_at = age_header::read(&sealed.age)?.payload_at;
            if crate::hex(&crate::sha256(&sealed.age[payload_at..])) != header.payload_sha256 {
                return Err(OpenError::BadSignature);
            }
            Ok(())
        }
    }
}

/// Verifies, then decrypts. Returns the whole note or an error, never part
/// of a note.
pub fn open(sealed: &SealedNote, ctx: &OpenContext<'_>) -> Result<Opened, OpenError> {
    verify(sealed, ctx.roster)?;
    let header = &sealed.header;
    if let Some(seen) = ctx.seen_revision {
        if header.revision <= seen {
            return Err(OpenError::Rollback { what: "revision", seen, got: header.revision });
        }
    }
    if let Some(seen) = ctx.seen_device_seq {
        if header.device_seq <= seen {
            return Err(OpenError::Rollback { what: "device sequence number", seen, got: header.device_seq });
        }
    }
    if header.kind == Kind::Tombstone {
        return Ok(Opened::Tombstone { header: header.clone() });
    }

    let decryptor = age::Decryptor::new_buffered(&sealed.age[..]).map_err(|e| OpenError::Malformed(e.to_string()))?;
    let mut reader = decryptor.decrypt(std::iter::once(ctx.identity as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => OpenError::NotRecipient,
        other => OpenError::Malformed(other.to_string()),
    })?;
    let mut padded = zeroize::Zeroizing::new(Vec::with_capacity(sealed.age.len()));
    reader.read_to_end(&mut padded).map_err(|e| OpenError::Malformed(e.to_string()))?;
    let content = padding::unpad(&padded).map_err(|e| OpenError::Malformed(e.to_string()))?;
    let inner: Inner = serde_json::from_slice(content).map_err(|e| OpenError::Malformed(e.to_string()))?;
    if inner.note_id != header.note_id || inner.revision != header.revision {
        return Err(OpenError::IdMismatch);
    }
    // The signed kind says what the plaintext must be.
    match (header.kind, inner.note, inner.follow_up) {
        (Kind::Note, Some(note), None) => {
            let note = VisitNote::from_json(&note.to_string())?;
            Ok(Opened::Note { header: header.clone(), note: Box::new(note) })
        }
        (Kind::FollowUp, None, Some(record)) => {
            let record = FollowUpRecord::from_json(&record)?;
            Ok(Opened::FollowUp { header: header.clone(), record: Box::new(record) })
        }
        _ => Err(OpenError::Malformed(format!("the content is not a {}", header.kind.as_str().replace('_', "-")))),
    }
}

#[cfg(test)]
mod tests;
