//! Random identifiers: notes, users and devices.
//!
//! Note and user ids are 128 random bits; a device id is derived from the
//! device's signing key, so that a server cannot pair a known id with a key
//! of its own choosing. All are 32 lowercase hex characters on the wire.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An id string is not 32 lowercase hex characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} id {value:?}: expected 32 lowercase hex characters")]
pub struct InvalidId {
    pub kind: &'static str,
    pub value: String,
}

fn check(kind: &'static str, value: &str) -> Result<(), InvalidId> {
    let ok = value.len() == 32 && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(InvalidId { kind, value: value.chars().take(64).collect() })
    }
}

fn random_hex() -> String {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new().fill(&mut bytes).expect("the OS random source works");
    crate::hex(&bytes)
}

macro_rules! id_type {
    ($name:ident, $kind:literal) => {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(value: &str) -> Result<Self, InvalidId> {
                check($kind, value)?;
                Ok(Self(value.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(value: String) -> Result<Self, InvalidId> {
                check($kind, &value)?;
                Ok(Self(value))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, InvalidId> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(NoteId, "note");
id_type!(UserId, "user");
id_type!(DeviceId, "device");

impl NoteId {
    pub fn random() -> Self {
        Self(random_hex())
    }
}

impl UserId {
    pub fn random() -> Self {
        Self(random_hex())
    }
}

impl DeviceId {
    /// The id of the device whose Ed25519 signing key is `signing_key`.
    pub fn from_signing_key(signing_key: &[u8; 32]) -> Self {
        let digest =
            crate::sha256(&crate::canonical::Canonical::new("visitnotes/device-id/v1").bytes(signing_key).finish());
        Self(crate::hex(&digest[..16]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_checks_form() {
        assert!(NoteId::parse("0123456789abcdef0123456789abcdef").is_ok());
        assert!(NoteId::parse("0123456789ABCDEF0123456789abcdef").is_err());
        assert!(NoteId::parse("../../etc/passwd").is_err());
        assert!(serde_json::from_str::<UserId>("\"xyz\"").is_err());
        assert_ne!(NoteId::random(), NoteId::random());
    }
}
