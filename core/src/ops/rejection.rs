//! Why a note or follow-up record was refused, as the doors word it.
//!
//! The store keeps the reason as the verifier said it, in English (what
//! `visitnotes` prints and `--json` gives, and what older versions kept).
//! [`Rejection::read`] reads that text back as typed data, so that a page
//! in another language words it from the catalogues; a text it does not
//! know (a damaged note's details) stays as it was kept.

use visitnotes_shared::envelope::OpenError;

use crate::display::short;
use crate::i18n::{Arg, Msg};

/// A reason for refusing a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    BadSignature,
    UnknownDevice {
        device: String,
    },
    RevokedDevice {
        device: String,
    },
    AuthorMismatch,
    NotCoordinator {
        device: String,
    },
    IdMismatch,
    Rollback {
        revision: bool,
        seen: u64,
        got: u64,
    },
    StaleRoster {
        note: u64,
        have: u64,
    },
    ForbiddenStanza {
        stanza: String,
    },
    /// Signed by a revoked device, outside the history its revocation
    /// trusts (`ops::heads`).
    OutsideRevokedHistory {
        name: String,
        trusted_through: u64,
    },
    /// A text this version does not read: shown as kept.
    Text(String),
}

/// The English text `ops::heads` keeps for [`Rejection::OutsideRevokedHistory`].
pub fn outside_revoked_history(name: &str, trusted_through: u64) -> String {
    format!(
        "signed with the key of {name}'s device, which was revoked, but not part of the history the revocation \
         trusts (up to its note number {trusted_through})"
    )
}

impl Rejection {
    /// The reason as the store keeps it.
    pub fn read(text: &str) -> Rejection {
        Rejection::parse(text).unwrap_or_else(|| Rejection::Text(text.to_owned()))
    }

    fn parse(text: &str) -> Option<Rejection> {
        let num = |s: &str| s.trim().parse::<u64>().ok();
        let word = |s: &str| (!s.is_empty() && !s.contains(' ')).then(|| s.to_owned());
        if text == OpenError::BadSignature.to_string() {
            return Some(Rejection::BadSignature);
        }
        if text == OpenError::IdMismatch.to_string() {
            return Some(Rejection::IdMismatch);
        }
        if let Some(rest) = text.strip_prefix("the note is signed by device ") {
            if let Some(device) = rest.strip_suffix(", which is not in the roster") {
                return Some(Rejection::UnknownDevice { device: word(device)? });
            }
            let device = rest.strip_suffix(", which was revoked before it wrote this")?;
            return Some(Rejection::RevokedDevice { device: word(device)? });
        }
        if text.starts_with("the note names author ") && text.contains(", but its device belongs to ") {
            return Some(Rejection::AuthorMismatch);
        }
        if let Some(rest) = text.strip_prefix("the follow-up record is signed by device ") {
            let (device, _) = rest.split_once(", whose owner is not a coordinator")?;
            return Some(Rejection::NotCoordinator { device: word(device)? });
        }
        if let Some(rest) = text.strip_prefix("rollback: ") {
            let (what_got, seen) = rest.strip_suffix(", already seen")?.split_once(" is not above ")?;
            let (what, got) = what_got.rsplit_once(' ')?;
            return Some(Rejection::Rollback { revision: what == "revision", seen: num(seen)?, got: num(got)? });
        }
        if let Some(rest) = text.strip_prefix("the note was written under roster version ") {
            let (note, rest) = rest.split_once(", newer than this device's version ")?;
            let have = rest.strip_suffix(": sync the roster first")?;
            return Some(Rejection::StaleRoster { note: num(note)?, have: num(have)? });
        }
        if let Some(rest) = text.strip_prefix("the note is encrypted with a ") {
            let stanza = rest.strip_suffix(" stanza; only X25519 is accepted")?;
            return Some(Rejection::ForbiddenStanza { stanza: stanza.to_owned() });
        }
        if let Some(rest) = text.strip_prefix("signed with the key of ") {
            let (name, rest) = rest.split_once("'s device, which was revoked, but not part of the history")?;
            let n = rest.strip_prefix(" the revocation trusts (up to its note number ")?.strip_suffix(')')?;
            return Some(Rejection::OutsideRevokedHistory { name: name.to_owned(), trusted_through: num(n)? });
        }
        None
    }

    /// The reason as a value of a message: worded from the catalogues, or
    /// the text as kept.
    pub fn arg(&self) -> Arg {
        let device = |id: &str| short(id).to_owned();
        let msg = match self {
            Rejection::BadSignature => Msg::new("reject-bad-signature"),
            Rejection::UnknownDevice { device: d } => Msg::new("reject-unknown-device").arg("device", device(d)),
            Rejection::RevokedDevice { device: d } => Msg::new("reject-revoked-device").arg("device", device(d)),
            Rejection::AuthorMismatch => Msg::new("reject-author-mismatch"),
            Rejection::NotCoordinator { device: d } => Msg::new("reject-not-coordinator").arg("device", device(d)),
            Rejection::IdMismatch => Msg::new("reject-id-mismatch"),
            Rejection::Rollback { revision, seen, got } => Msg::new("reject-rollback")
                .arg("what", if *revision { "revision" } else { "seq" })
                .arg("seen", *seen)
                .arg("got", *got),
            Rejection::StaleRoster { note, have } => {
                Msg::new("reject-stale-roster").arg("note", *note).arg("have", *have)
            }
            Rejection::ForbiddenStanza { stanza } => Msg::new("reject-forbidden-stanza").arg("stanza", stanza.as_str()),
            Rejection::OutsideRevokedHistory { name, trusted_through } => {
                Msg::new("reject-outside-revoked-history").arg("name", name.as_str()).arg("seq", *trusted_through)
            }
            Rejection::Text(text) => return Arg::Text(text.clone()),
        };
        Arg::Msg(msg)
    }

    /// The reason in `lang`.
    pub fn words(&self, lang: crate::i18n::Lang) -> String {
        match self.arg() {
            Arg::Msg(msg) => msg.render(lang),
            Arg::Text(text) => text,
            _ => unreachable!("a reason is a message or a text"),
        }
    }
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::{DeviceKeys, UserId};

    use super::*;
    use crate::i18n::Lang;

    /// Every reason the verifier gives reads back as typed data (the
    /// verifier's own words, so a change there fails here), and is worded
    /// in Norwegian without English; a text not known stays as kept.
    #[test]
    fn the_verifiers_reasons_read_back_typed_and_worded_in_norwegian() {
        let device = DeviceKeys::generate().device_id();
        let chain = |e: OpenError| crate::error::Chain(&e).to_string();
        let cases = [
            chain(OpenError::BadSignature),
            chain(OpenError::UnknownDevice(device.clone())),
            chain(OpenError::RevokedDevice(device.clone())),
            chain(OpenError::AuthorMismatch { claimed: UserId::random(), actual: UserId::random() }),
            chain(OpenError::NotCoordinator(device.clone())),
            chain(OpenError::IdMismatch),
            chain(OpenError::Rollback { what: "revision", seen: 3, got: 2 }),
            chain(OpenError::Rollback { what: "device sequence number", seen: 3, got: 2 }),
            chain(OpenError::StaleRoster { note: 5, have: 4 }),
            chain(OpenError::ForbiddenStanza("scrypt".into())),
            outside_revoked_history("Ola Hansen", 7),
        ];
        for text in cases {
            let read = Rejection::read(&text);
            assert!(!matches!(read, Rejection::Text(_)), "not read: {text}");
            let nb = read.words(Lang::Nb);
            for english in ["the ", " is ", "device", "'s "] {
                assert!(!nb.contains(english), "{nb}");
            }
            assert_ne!(read.words(Lang::En), "", "{text}");
        }
        assert_eq!(
            Rejection::read(&outside_revoked_history("Ola Hansen", 7)).words(Lang::Nb),
            "signert med nøkkelen til enheten til Ola Hansen, som er trukket tilbake, men ikke del av historikken \
             tilbaketrekkingen stoler på (til og med notat nummer 7)"
        );
        assert_eq!(Rejection::read("something else").words(Lang::Nb), "something else");
    }
}
