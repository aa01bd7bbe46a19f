//! The age v1 header: read into its stanzas and MAC, and written anew.
//!
//! This is the one place that looks inside an age file's header. The
//! envelope reads it to find where the payload starts (whose hash the author
//! signs) and to refuse stanza types before age is asked to do anything;
//! rewrap reads it to unwrap the file key and writes a new one for other
//! readers. The stanza grammar is age-core's own reader and writer, so what
//! is accepted here is what age accepts, byte for byte.
//!
//! Reading is bounded and strict on purpose: only `X25519` stanzas and
//! age's `*-grease` stanzas pass, so a passphrase (scrypt) stanza with a
//! hostile work factor, or a plugin stanza that would make age look for a
//! plugin binary, is refused before any work is done; and a header may not
//! exceed [`MAX_HEADER`] bytes.

use age_core::format::{read::legacy_age_stanza, write::age_stanza, FileKey, Stanza};
use age_core::secrecy::ExposeSecret;
use ring::hmac;

/// The largest header accepted. Real headers are a few hundred bytes per
/// reader; a roster with a hundred readers stays far below this.
pub const MAX_HEADER: usize = 64 * 1024;

const MAGIC: &[u8] = b"age-encryption.org/v1\n";
const MAC_PREFIX: &[u8] = b"--- ";
/// The MAC line covers the header up to and including these bytes.
const MAC_TAG: &[u8] = b"---";
/// HMAC-SHA256 is 32 bytes: 43 characters of unpadded base64.
const ENCODED_MAC_LEN: usize = 43;
/// Longest stanza tag quoted back in an error: the tag is attacker-chosen.
const MAX_QUOTED_TAG: usize = 64;

const B64: data_encoding::Encoding = data_encoding::BASE64_NOPAD;

/// A parsed age v1 header.
#[derive(Debug, PartialEq, Eq)]
pub struct Header {
    /// The recipient stanzas, in file order; all `X25519` or grease.
    pub stanzas: Vec<Stanza>,
    /// The header MAC (age checks it when it decrypts).
    pub mac: [u8; 32],
    /// Where the payload starts: the header's length in bytes.
    pub payload_at: usize,
}

/// Why a header was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("not an age v1 file")]
    NotAgeV1,
    #[error("the header is longer than {MAX_HEADER} bytes")]
    TooLarge,
    #[error("the header ends before its MAC line")]
    Truncated,
    #[error("recipient stanza {0} is malformed")]
    BadStanza(usize),
    #[error("no recipient stanza")]
    NoStanza,
    #[error("the MAC line is malformed")]
    BadMac,
    /// A stanza type other than X25519 (or grease); holds its tag, cut short.
    #[error("a {0} stanza; only X25519 is accepted")]
    ForbiddenStanza(String),
}

/// Whether a stanza of this type may be handed to age. age adds "grease"
/// stanzas of random `*-grease` types that every decoder ignores.
fn allowed(tag: &str) -> bool {
    tag == "X25519" || tag.ends_with("-grease")
}

/// Reads the header at the start of `age`. Each stanza's type is checked as
/// soon as its first line is read, before its body is decoded.
pub fn read(age: &[u8]) -> Result<Header, HeaderError> {
    if !age.starts_with(MAGIC) {
        return Err(HeaderError::NotAgeV1);
    }
    // Anything past the cap is not looked at; running into the cap is the
    // header being too large, running into the end of the file is truncation.
    let capped = &age[..age.len().min(MAX_HEADER)];
    let cut_short = || if age.len() > MAX_HEADER { HeaderError::TooLarge } else { HeaderError::Truncated };

    let mut rest = &capped[MAGIC.len()..];
    let mut stanzas = Vec::new();
    while !rest.starts_with(MAC_TAG) {
        // The file ends inside the `---`; the stanza reader would call that malformed.
        if !rest.is_empty() && MAC_TAG.starts_with(rest) {
            return Err(cut_short());
        }
        match legacy_age_stanza(rest) {
            Ok((after, stanza)) => {
                if !allowed(stanza.tag) {
                    return Err(HeaderError::ForbiddenStanza(stanza.tag.chars().take(MAX_QUOTED_TAG).collect()));
                }
                stanzas.push(Stanza::from(stanza));
                rest = after;
            }
            Err(nom::Err::Incomplete(_)) => return Err(cut_short()),
            Err(_) => return Err(HeaderError::BadStanza(stanzas.len() + 1)),
        }
    }
    if stanzas.is_empty() {
        return Err(HeaderError::NoStanza);
    }

    let line_len = MAC_PREFIX.len() + ENCODED_MAC_LEN + 1;
    let Some(line) = rest.get(..line_len) else {
        // A prefix of a well-formed MAC line is a truncation; anything else is not.
        let well_formed_so_far = rest.len() < MAC_PREFIX.len() || rest.starts_with(MAC_PREFIX);
        return Err(if well_formed_so_far { cut_short() } else { HeaderError::BadMac });
    };
    let encoded = line.strip_prefix(MAC_PREFIX).and_then(|l| l.strip_suffix(b"\n")).ok_or(HeaderError::BadMac)?;
    let mut mac = [0u8; 32];
    match B64.decode_len(encoded.len()) {
        Ok(32) => B64.decode_mut(encoded, &mut mac).map_err(|_| HeaderError::BadMac)?,
        _ => return Err(HeaderError::BadMac),
    };
    let payload_at = capped.len() - rest.len() + line_len;
    Ok(Header { stanzas, mac, payload_at })
}

/// Writes an age v1 header for `stanzas`, with its MAC under `file_key`, as
/// age itself writes one: `HMAC-SHA256(HKDF-SHA256(file_key, "header"), …)`
/// over everything up to and including the `---` of the MAC line.
pub fn write(stanzas: &[Stanza], file_key: &FileKey) -> Vec<u8> {
    let mut header = MAGIC.to_vec();
    for stanza in stanzas {
        header = cookie_factory::gen_simple(age_stanza(&stanza.tag, &stanza.args, &stanza.body), header)
            .expect("writing to a Vec cannot fail");
    }
    header.extend_from_slice(MAC_TAG);
    let mac_key = age_core::primitives::hkdf(&[], b"header", file_key.expose_secret());
    let mac = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &mac_key), &header);
    header.push(b' ');
    header.extend_from_slice(B64.encode(mac.as_ref()).as_bytes());
    header.push(b'\n');
    header
}

#[cfg(test)]
mod tests;
