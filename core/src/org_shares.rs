//! Shares of the organisation key on paper: the code on each share, its
//! checksum, and the printable text file it is written as (its QR code is
//! `crate::qr`'s).
//!
//! The splitting itself is Shamir's secret sharing over GF(256) from the
//! `blahaj` crate (a maintained fork of `sharks` with its coefficient fix,
//! RUSTSEC-2024-0398); this module only writes and reads the shares.
//!
//! A share code is `VNS1-` and 103 base32 characters (shown in groups of
//! four; case, spaces, dashes and line breaks do not matter) of 64 bytes:
//! version 1, threshold, number of shares, a random set id (the export it
//! belongs to), the organisation key's 20-byte fingerprint, the share (its
//! x, then 32 bytes: one per byte of the key's seed), and the first four
//! bytes of SHA-256 over all of that, which catches a mistyped character.

use data_encoding::BASE32_NOPAD;
use zeroize::Zeroizing;

pub const PREFIX: &str = "VNS1-";
const VERSION: u8 = 1;
const SEED_LEN: usize = 32;
const BODY_LEN: usize = 1 + 1 + 1 + 4 + 20 + 1 + SEED_LEN;
const CODE_LEN: usize = BODY_LEN + 4;

/// One decoded share.
#[derive(Clone)]
pub struct ShareCode {
    pub threshold: u8,
    pub count: u8,
    /// Random per export: shares of two exports do not combine.
    pub set_id: [u8; 4],
    /// The first 20 bytes of SHA-256 of the organisation's public key (the
    /// fingerprint people read).
    pub org_fingerprint: [u8; 20],
    /// The share as `blahaj` writes it: x, then the 32 y bytes.
    pub share: Zeroizing<Vec<u8>>,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ShareError {
    #[error("it holds no share code (a code starts with {PREFIX})")]
    NoCode,
    #[error(
        "its code is {0} characters long where a share code has 103 (after {PREFIX}): a part is missing or doubled"
    )]
    Length(usize),
    #[error("its code has a character that is not in a share code ({0:?}): only A-Z and 2-7 are used")]
    Character(char),
    #[error("its code does not check out (checksum): a character was mistyped or the paper is damaged. Check each group of four against the paper")]
    Checksum,
    #[error("it is a share of a later kind (version {0}): use a newer visitnotes")]
    Version(u8),
    #[error("it is damaged: it says {threshold} of {count} shares are needed")]
    Inconsistent { threshold: u8, count: u8 },
}

impl ShareCode {
    /// The code as printed: the prefix, then groups of four.
    pub fn encode(&self) -> String {
        let mut bytes = Zeroizing::new(Vec::with_capacity(CODE_LEN));
        bytes.push(VERSION);
        bytes.push(self.threshold);
        bytes.push(self.count);
        bytes.extend_from_slice(&self.set_id);
        bytes.extend_from_slice(&self.org_fingerprint);
        bytes.extend_from_slice(&self.share);
        let sum = visitnotes_shared::sha256(&bytes);
        bytes.extend_from_slice(&sum[..4]);
        let text = Zeroizing::new(BASE32_NOPAD.encode(&bytes));
        let groups: Vec<&str> =
            text.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).expect("base32 is ASCII")).collect();
        format!("{PREFIX}{}", groups.join(" "))
    }

    /// Reads a code as typed or printed: case, spaces, dashes and line
    /// breaks do not matter.
    pub fn decode(text: &str) -> Result<ShareCode, ShareError> {
        let compact: Zeroizing<String> =
            Zeroizing::new(text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase());
        let body = compact.strip_prefix(&PREFIX[..PREFIX.len() - 1]).ok_or(ShareError::NoCode)?;
        if let Some(bad) = body.chars().find(|c| !matches!(c, 'A'..='Z' | '2'..='7')) {
            return Err(ShareError::Character(bad));
        }
        let expected = (CODE_LEN * 8).div_ceil(5);
        if body.len() != expected {
            return Err(ShareError::Length(body.len()));
        }
        let bytes = Zeroizing::new(BASE32_NOPAD.decode(body.as_bytes()).map_err(|_| ShareError::Checksum)?);
        let (content, sum) = bytes.split_at(BODY_LEN);
        if visitnotes_shared::sha256(content)[..4] != *sum {
            return Err(ShareError::Checksum);
        }
        if content[0] != VERSION {
            return Err(ShareError::Version(content[0]));
        }
        let (threshold, count) = (content[1], content[2]);
        if threshold < 2 || count < threshold {
            return Err(ShareError::Inconsistent { threshold, count });
        }
        Ok(ShareCode {
            threshold,
            count,
            set_id: content[3..7].try_into().expect("4 bytes"),
            org_fingerprint: content[7..27].try_into().expect("20 bytes"),
            share: Zeroizing::new(content[27..].to_vec()),
        })
    }

    /// The share's number (its x, 1 to 255).
    pub fn number(&self) -> u8 {
        self.share[0]
    }

    /// The code read from a share's text file (or from any text that holds
    /// one): from the prefix to the first empty line.
    pub fn from_text(text: &str) -> Result<ShareCode, ShareError> {
        // Found in `text` itself, ignoring ASCII case only: upper-casing
        // the whole text first would move the code wherever a letter before
        // it changes length (`ﬁ` becomes `FI`), and slice the wrong bytes.
        // The prefix is ASCII, so where it starts is a character boundary.
        let start = text
            .as_bytes()
            .windows(PREFIX.len())
            .position(|w| w.eq_ignore_ascii_case(PREFIX.as_bytes()))
            .ok_or(ShareError::NoCode)?;
        let code: String = text[start..].lines().take_while(|l| !l.trim().is_empty()).collect::<Vec<_>>().join(" ");
        ShareCode::decode(&code)
    }
}

/// The fingerprint bytes of an organisation key, as a share carries them.
pub fn org_fingerprint(org_key: &visitnotes_shared::VerifyingKey) -> [u8; 20] {
    org_key.digest()[..20].try_into().expect("20 bytes")
}

/// The fingerprint as people read it (eight groups of four), from its bytes.
pub fn fingerprint_text(bytes: &[u8; 20]) -> String {
    let text = BASE32_NOPAD.encode(bytes);
    text.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).expect("base32 is ASCII")).collect::<Vec<_>>().join(" ")
}

/// What a share's printed page says besides its code.
pub struct Page<'a> {
    pub organisation_fingerprint: &'a str,
    pub made_by: &'a str,
    pub made_on: &'a str,
    pub svg_name: &'a str,
}

/// The printable text of one share.
pub fn page(code: &ShareCode, page: &Page<'_>) -> String {
    let (n, k, total) = (code.number(), code.threshold, code.count);
    let encoded = Zeroizing::new(code.encode());
    // Six groups of four to a line, so that it fits any page and can be read out.
    let body = encoded.strip_prefix(PREFIX).expect("encode writes the prefix");
    let groups: Vec<&str> = body.split(' ').collect();
    let mut lines = Vec::new();
    for (i, chunk) in groups.chunks(6).enumerate() {
        let lead = if i == 0 { PREFIX } else { "     " };
        lines.push(format!("    {lead}{}", chunk.join(" ")));
    }
    let title = format!("VISITNOTES ORGANISATION KEY - SHARE {n} OF {total}");
    format!(
        "{title}
{underline}

Organisation key fingerprint: {fp}
Any {k} of the {total} shares rebuild the organisation key; fewer tell nothing about it.
Made on {made_on} by {made_by} (set {set}).

Kept by: ________________________________   Since: ______________

WHAT IT IS FOR
The organisation key signs the list of members: who may write and who may
read the visit notes. It lives on the administrators' devices. If they are
all lost, {k} people holding shares come together, and an administrator runs,
on a device enrolled in the organisation,

    visitnotes admin recover-org-key SHARE SHARE ...

with each SHARE a share's text file, or its code below typed in quotes.

HOW TO KEEP IT
On paper, in a place of your own, away from the other shares: anyone
holding {k} shares can sign a list of members for the organisation. Do not
photograph it, scan it or keep it in e-mail or a shared folder. When a new
set of shares is made, destroy this one. If it is lost or seen by someone
else, tell an administrator: they make a new set.

SHARE CODE (letters A-Z and digits 2-7; spaces and line breaks do not matter)

{code}

The QR code in {svg} holds the same code.
",
        underline = "=".repeat(title.len()),
        fp = page.organisation_fingerprint,
        made_on = page.made_on,
        made_by = page.made_by,
        set = data_encoding::HEXUPPER.encode(&code.set_id),
        code = lines.join("\n"),
        svg = page.svg_name,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ShareCode {
        ShareCode {
            threshold: 3,
            count: 5,
            set_id: [1, 2, 3, 4],
            org_fingerprint: [7; 20],
            share: Zeroizing::new((1..=33).collect()),
        }
    }

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = sample().encode();
        assert!(code.starts_with(PREFIX));
        let back = ShareCode::decode(&code).unwrap();
        assert_eq!((back.threshold, back.count, back.set_id, back.number()), (3, 5, [1, 2, 3, 4], 1));
        assert_eq!(*back.share, *sample().share);
        let sloppy = code.to_lowercase().replace(' ', "\n  ");
        assert!(ShareCode::decode(&sloppy).is_ok());
    }

    #[test]
    fn every_mistyped_character_is_caught() {
        let code = sample().encode();
        let body_start = PREFIX.len();
        for (i, c) in code.char_indices().skip(body_start).filter(|(_, c)| *c != ' ') {
            let other = if c == 'A' { 'B' } else { 'A' };
            let typo = format!("{}{other}{}", &code[..i], &code[i + 1..]);
            let err = ShareCode::decode(&typo).err();
            assert!(
                matches!(err, Some(ShareError::Checksum)),
                "a typo at {i} is refused as a checksum failure: {:?}",
                err
            );
        }
        assert_eq!(ShareCode::decode(&code.replacen(' ', "ABCD ", 1)).err(), Some(ShareError::Length(107)));
        assert_eq!(ShareCode::decode(&code.replace('A', "8")).err(), Some(ShareError::Character('8')));
        assert_eq!(ShareCode::decode("VN1-ABCD").err(), Some(ShareError::NoCode));
    }

    /// Letters whose upper case is longer or shorter than they are
    /// (`ﬁ` is `FI`, `ı` is `I`, `ŉ` is `ʼN`) before a code typed in lower
    /// case: the code is still found and read whole.
    #[test]
    fn a_code_after_text_that_changes_length_in_upper_case_is_read_whole() {
        let code = sample().encode();
        for before in ["Til Åse og ﬁnn: ", "Kjære ıı, ", "ŉŉŉ ", "ﬁﬁﬁﬁﬁﬁ ıııı\n\n"] {
            let text = format!("{before}{}\n\nKept by: Åse\n", code.to_lowercase());
            let back = ShareCode::from_text(&text).unwrap_or_else(|e| panic!("{before:?}: {e}"));
            assert_eq!(*back.share, *sample().share, "{before:?}");
        }
        assert_eq!(ShareCode::from_text("ﬁﬁ ıı VNS1").err(), Some(ShareError::NoCode));
    }

    #[test]
    fn the_page_holds_the_code_and_the_qr_is_svg() {
        let code = sample();
        let page = page(
            &code,
            &Page { organisation_fingerprint: "AAAA", made_by: "Ada", made_on: "1 May 2026", svg_name: "x.svg" },
        );
        assert!(page.contains("SHARE 1 OF 5") && page.contains("Any 3 of the 5"));
        let back = ShareCode::from_text(&page).unwrap();
        assert_eq!(*back.share, *code.share);
        let svg = crate::qr::svg(&code.encode(), crate::qr::Svg::File).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
