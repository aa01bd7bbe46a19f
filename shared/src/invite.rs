//! Invite codes: what an administrator hands a new member, out of band.
//!
//! An invite carries the server URL, a one-time token (the server keeps only
//! its hash), an enrolment secret (the server never sees it) and the SHA-256
//! of the organisation key, which the new device pins. The bootstrap invite
//! printed by `visitnotes-server init` has no organisation key yet: the first
//! administrator's device creates it.
//!
//! Text form: `VN1-` and base32 of the fields plus a 4-byte checksum, so a
//! mistyped or truncated code is caught before anything is sent.

use crate::canonical::Canonical;

const PREFIX: &str = "VN1-";
const VERSION: u8 = 1;
const FLAG_ORG_KEY: u8 = 1;
const MAX_URL: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub server_url: String,
    pub token: [u8; 16],
    pub secret: [u8; 32],
    /// SHA-256 of the organisation's public key; none in the bootstrap invite.
    pub org_key_digest: Option<[u8; 32]>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    #[error("this is not a Visitnotes invite (it should start with {PREFIX})")]
    NotAnInvite,
    #[error("this invite was made by a newer Visitnotes (format {0}): update this program")]
    UnsupportedVersion(u8),
    #[error("the invite is damaged: copy it again, whole")]
    BadChecksum,
    #[error("the invite is incomplete or damaged: copy it again, whole")]
    Malformed,
    #[error("the invite's server address is not an http(s) URL")]
    BadUrl,
}

impl Invite {
    /// A fresh invite with a random token and secret.
    pub fn generate(server_url: &str, org_key_digest: Option<[u8; 32]>) -> Self {
        use ring::rand::SecureRandom;
        let rng = ring::rand::SystemRandom::new();
        let mut token = [0u8; 16];
        let mut secret = [0u8; 32];
        rng.fill(&mut token).expect("the OS random source works");
        rng.fill(&mut secret).expect("the OS random source works");
        Invite { server_url: server_url.trim_end_matches('/').to_owned(), token, secret, org_key_digest }
    }

    /// What the server stores and looks invites up by.
    pub fn token_hash(&self) -> String {
        token_hash(&self.token)
    }

    pub fn encode(&self) -> String {
        let mut payload = vec![VERSION, if self.org_key_digest.is_some() { FLAG_ORG_KEY } else { 0 }];
        payload.extend_from_slice(&self.token);
        payload.extend_from_slice(&self.secret);
        if let Some(digest) = &self.org_key_digest {
            payload.extend_from_slice(digest);
        }
        payload.extend_from_slice(self.server_url.as_bytes());
        let checksum = checksum(&payload);
        payload.extend_from_slice(&checksum);
        format!("{PREFIX}{}", data_encoding::BASE32_NOPAD.encode(&payload))
    }

    pub fn decode(text: &str) -> Result<Self, InviteError> {
        let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let body = cleaned.strip_prefix(PREFIX).ok_or(InviteError::NotAnInvite)?;
        let bytes =
            data_encoding::BASE32_NOPAD.decode(body.replace('-', "").as_bytes()).map_err(|_| InviteError::Malformed)?;
        if bytes.len() < 2 + 16 + 32 + 4 {
            return Err(InviteError::Malformed);
        }
        let (payload, check) = bytes.split_at(bytes.len() - 4);
        if payload[0] != VERSION {
            return Err(InviteError::UnsupportedVersion(payload[0]));
        }
        if checksum(payload) != check {
            return Err(InviteError::BadChecksum);
        }
        let flags = payload[1];
        if flags & !FLAG_ORG_KEY != 0 {
            return Err(InviteError::Malformed);
        }
        let mut rest = &payload[2..];
        let mut take = |n: usize| -> Result<&[u8], InviteError> {
            if rest.len() < n {
                return Err(InviteError::Malformed);
            }
            let (head, tail) = rest.split_at(n);
            rest = tail;
            Ok(head)
        };
        let token: [u8; 16] = take(16)?.try_into().expect("16 bytes");
        let secret: [u8; 32] = take(32)?.try_into().expect("32 bytes");
        let org_key_digest =
            if flags & FLAG_ORG_KEY != 0 { Some(take(32)?.try_into().expect("32 bytes")) } else { None };
        let url = std::str::from_utf8(rest).map_err(|_| InviteError::BadUrl)?;
        let url_ok = (url.starts_with("http://") || url.starts_with("https://"))
            && url.len() <= MAX_URL
            && !url.chars().any(|c| c.is_whitespace() || c.is_control());
        if !url_ok {
            return Err(InviteError::BadUrl);
        }
        Ok(Invite { server_url: url.to_owned(), token, secret, org_key_digest })
    }
}

/// Hex SHA-256 of an invite token, as the server stores it.
pub fn token_hash(token: &[u8]) -> String {
    crate::hex(&crate::sha256(&Canonical::new("visitnotes/invite-token/v1").bytes(token).finish()))
}

fn checksum(payload: &[u8]) -> [u8; 4] {
    let digest = crate::sha256(&Canonical::new("visitnotes/invite/v1").bytes(payload).finish());
    digest[..4].try_into().expect("4 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server address with a space or a control character in it is
    /// refused, each on its own. (Found by cargo-mutants.)
    #[test]
    fn an_address_with_a_space_or_a_control_character_is_refused() {
        for url in ["https://visits example.org", "https://visits.example.org\u{7}", "https://visits.example.org\n"] {
            let invite = Invite { server_url: url.into(), token: [1; 16], secret: [2; 32], org_key_digest: None };
            assert_eq!(Invite::decode(&invite.encode()), Err(InviteError::BadUrl), "{url:?}");
        }
    }

    /// A code whose checksum is right but whose organisation key digest is
    /// cut short is malformed, not a panic. (Found by cargo-mutants.)
    #[test]
    fn a_digest_cut_short_under_a_good_checksum_is_malformed() {
        let mut payload = vec![VERSION, FLAG_ORG_KEY];
        payload.extend_from_slice(&[1; 16]);
        payload.extend_from_slice(&[2; 32]);
        payload.extend_from_slice(&[3; 10]);
        let check = checksum(&payload);
        payload.extend_from_slice(&check);
        let code = format!("{PREFIX}{}", data_encoding::BASE32_NOPAD.encode(&payload));
        assert_eq!(Invite::decode(&code), Err(InviteError::Malformed));
    }

    /// The server looks an invite up by the hash of the token the invite
    /// carries: the invite's `token_hash` is that hash (64 lowercase hex
    /// digits of SHA-256 under the invite-token context, which server and
    /// clients must share), another invite's differs. (Found by
    /// cargo-mutants.)
    #[test]
    fn the_token_hash_is_the_hash_of_the_token() {
        let invite = Invite::generate("https://visits.example.org", None);
        let hash = invite.token_hash();
        assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{hash}");
        let under_its_context = Canonical::new("visitnotes/invite-token/v1").bytes(&invite.token).finish();
        assert_eq!(hash, crate::hex(&crate::sha256(&under_its_context)));
        assert_ne!(hash, crate::hex(&crate::sha256(&invite.token)), "domain-separated");
        assert_ne!(invite.token_hash(), Invite::generate("https://visits.example.org", None).token_hash());
    }

    #[test]
    fn round_trip_with_and_without_org_key() {
        for digest in [None, Some([7u8; 32])] {
            let invite = Invite::generate("https://visits.example.org/", digest);
            assert_eq!(invite.server_url, "https://visits.example.org");
            let text = invite.encode();
            assert!(text.starts_with("VN1-"));
            assert_eq!(Invite::decode(&text).unwrap(), invite);
            // Forgiving of case and of line breaks from a mail client.
            let mangled = format!("  {}\n{} ", &text[..40].to_lowercase(), &text[40..]);
            assert_eq!(Invite::decode(&mangled).unwrap(), invite);
        }
    }

    #[test]
    fn damage_is_caught() {
        let text = Invite::generate("http://127.0.0.1:8080", Some([1; 32])).encode();
        let mut chars: Vec<char> = text.chars().collect();
        chars[20] = if chars[20] == 'A' { 'B' } else { 'A' };
        let flipped: String = chars.into_iter().collect();
        assert_eq!(Invite::decode(&flipped), Err(InviteError::BadChecksum));
        assert!(Invite::decode(&text[..30]).is_err());
        assert_eq!(Invite::decode("hello"), Err(InviteError::NotAnInvite));
        assert_eq!(Invite::decode("VN1-!!!"), Err(InviteError::Malformed));
    }

    #[test]
    fn newer_version_is_named() {
        let mut payload = vec![2u8, 0];
        payload.extend_from_slice(&[0; 60]);
        let text = format!("VN1-{}", data_encoding::BASE32_NOPAD.encode(&payload));
        assert_eq!(Invite::decode(&text), Err(InviteError::UnsupportedVersion(2)));
    }

    #[test]
    fn bad_url_is_refused() {
        let mut invite = Invite::generate("http://x", None);
        invite.server_url = "file:///etc/passwd".into();
        assert_eq!(Invite::decode(&invite.encode()), Err(InviteError::BadUrl));
    }
}
