//! Request signing for the HTTP API.
//!
//! Every request after enrolment carries the device id, a timestamp, a random
//! nonce and an Ed25519 signature over a canonical string of method, path,
//! query, body hash, timestamp, nonce and device id. The context string
//! differs from the note signature's, so neither can stand in for the other.
//! The server rejects timestamps outside a skew window and remembers nonces
//! for that window, which makes a captured request useless to replay.

use crate::canonical::Canonical;
use crate::ids::DeviceId;
use crate::keys::{DeviceKeys, VerifyingKey};

const CONTEXT: &str = "visitnotes/request/v1";

pub const HEADER_DEVICE: &str = "x-visitnotes-device";
pub const HEADER_TIMESTAMP: &str = "x-visitnotes-timestamp";
pub const HEADER_NONCE: &str = "x-visitnotes-nonce";
pub const HEADER_SIGNATURE: &str = "x-visitnotes-signature";

/// How far a request's clock may be from the server's, in seconds.
pub const MAX_SKEW_SECS: i64 = 300;

/// The parts of a request that the signature covers.
#[derive(Debug, Clone)]
pub struct RequestParts<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// The raw query string, without `?`; empty if none.
    pub query: &'a str,
    pub body: &'a [u8],
}

/// The four authentication headers, ready to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeaders {
    pub device: String,
    pub timestamp: String,
    pub nonce: String,
    pub signature: String,
}

impl AuthHeaders {
    pub fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            (HEADER_DEVICE, &self.device),
            (HEADER_TIMESTAMP, &self.timestamp),
            (HEADER_NONCE, &self.nonce),
            (HEADER_SIGNATURE, &self.signature),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestAuthError {
    #[error("authentication headers are missing or malformed")]
    Malformed,
    #[error("the request's timestamp is outside the allowed clock skew: check this device's clock")]
    Skew,
    #[error("the request signature does not verify")]
    BadSignature,
}

fn message(parts: &RequestParts<'_>, timestamp: i64, nonce: &str, device: &str) -> Vec<u8> {
    Canonical::new(CONTEXT)
        .str(&parts.method.to_ascii_uppercase())
        .str(parts.path)
        .str(parts.query)
        .bytes(&crate::sha256(parts.body))
        .i64(timestamp)
        .str(nonce)
        .str(device)
        .finish()
}

/// Signs a request as `keys`' device at unix time `now`.
pub fn sign(keys: &DeviceKeys, parts: &RequestParts<'_>, now: i64) -> AuthHeaders {
    use ring::rand::SecureRandom;
    let mut nonce = [0u8; 16];
    ring::rand::SystemRandom::new().fill(&mut nonce).expect("the OS random source works");
    let nonce = crate::hex(&nonce);
    let device = keys.device_id().to_string();
    let signature = keys.sign(&message(parts, now, &nonce, &device));
    AuthHeaders { device, timestamp: now.to_string(), nonce, signature: data_encoding::BASE64.encode(&signature) }
}

/// The headers as parsed by the server, before it knows the device's key.
#[derive(Debug, Clone)]
pub struct ParsedAuth {
    pub device: DeviceId,
    pub timestamp: i64,
    pub nonce: String,
    signature: Vec<u8>,
}

impl ParsedAuth {
    /// Parses the four header values; any missing or malformed one fails.
    pub fn parse(
        device: Option<&str>,
        timestamp: Option<&str>,
        nonce: Option<&str>,
        signature: Option<&str>,
    ) -> Result<Self, RequestAuthError> {
        let (device, timestamp, nonce, signature) = match (device, timestamp, nonce, signature) {
            (Some(d), Some(t), Some(n), Some(s)) => (d, t, n, s),
            _ => return Err(RequestAuthError::Malformed),
        };
        let device = DeviceId::parse(device).map_err(|_| RequestAuthError::Malformed)?;
        let timestamp = timestamp.parse::<i64>().map_err(|_| RequestAuthError::Malformed)?;
        let nonce_ok = (16..=64).contains(&nonce.len()) && nonce.bytes().all(|b| b.is_ascii_alphanumeric());
        if !nonce_ok {
            return Err(RequestAuthError::Malformed);
        }
        let signature = data_encoding::BASE64.decode(signature.as_bytes()).map_err(|_| RequestAuthError::Malformed)?;
        Ok(ParsedAuth { device, timestamp, nonce: nonce.to_owned(), signature })
    }

    /// Checks the clock skew against `now`, then the signature against `key`.
    /// Nonce uniqueness is the caller's job: it needs memory across requests.
    pub fn verify(&self, key: &VerifyingKey, parts: &RequestParts<'_>, now: i64) -> Result<(), RequestAuthError> {
        // `abs_diff`: the timestamp is the client's, any i64, and a plain
        // subtraction overflows for one 2^63 seconds away from `now`.
        if self.timestamp.abs_diff(now) > MAX_SKEW_SECS.unsigned_abs() {
            return Err(RequestAuthError::Skew);
        }
        if !key.verify(&message(parts, self.timestamp, &self.nonce, self.device.as_str()), &self.signature) {
            return Err(RequestAuthError::BadSignature);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(h: &AuthHeaders) -> ParsedAuth {
        ParsedAuth::parse(Some(&h.device), Some(&h.timestamp), Some(&h.nonce), Some(&h.signature)).unwrap()
    }

    /// The headers a client sends are the four names with their values.
    /// (Found by cargo-mutants.)
    #[test]
    fn the_pairs_are_the_four_headers() {
        let parts = RequestParts { method: "GET", path: "/v1/notes", query: "", body: b"" };
        let h = sign(&DeviceKeys::generate(), &parts, 1_000);
        let pairs = h.pairs();
        let expected = [
            (HEADER_DEVICE, h.device.as_str()),
            (HEADER_TIMESTAMP, "1000"),
            (HEADER_NONCE, h.nonce.as_str()),
            (HEADER_SIGNATURE, h.signature.as_str()),
        ];
        assert_eq!(pairs, expected);
    }

    /// A nonce is 16 to 64 ASCII letters and digits, both at once: the
    /// right length with other characters, or the right characters at
    /// another length, is malformed. (Found by cargo-mutants.)
    #[test]
    fn a_nonce_needs_both_its_length_and_its_characters() {
        let h = sign(&DeviceKeys::generate(), &RequestParts { method: "GET", path: "/", query: "", body: b"" }, 1_000);
        for nonce in ["a".repeat(15), "a".repeat(65), "!".repeat(16), format!("{}-", "a".repeat(20))] {
            let parsed = ParsedAuth::parse(Some(&h.device), Some(&h.timestamp), Some(&nonce), Some(&h.signature));
            assert_eq!(parsed.err(), Some(RequestAuthError::Malformed), "{nonce}");
        }
        for nonce in ["a".repeat(16), "Z9".repeat(32)] {
            assert!(ParsedAuth::parse(Some(&h.device), Some(&h.timestamp), Some(&nonce), Some(&h.signature)).is_ok());
        }
    }

    #[test]
    fn sign_and_verify() {
        let keys = DeviceKeys::generate();
        let parts = RequestParts { method: "POST", path: "/v1/notes", query: "", body: b"{}" };
        let headers = sign(&keys, &parts, 1_000);
        let parsed = parse(&headers);
        assert_eq!(parsed.device, keys.device_id());
        assert_eq!(parsed.verify(&keys.signing_key(), &parts, 1_100), Ok(()));
        assert_eq!(parsed.verify(&keys.signing_key(), &parts, 1_000 + MAX_SKEW_SECS + 1), Err(RequestAuthError::Skew));

        for changed in [
            RequestParts { method: "PUT", ..parts.clone() },
            RequestParts { path: "/v1/roster", ..parts.clone() },
            RequestParts { query: "since=0", ..parts.clone() },
            RequestParts { body: b"{ }", ..parts.clone() },
        ] {
            assert_eq!(parsed.verify(&keys.signing_key(), &changed, 1_000), Err(RequestAuthError::BadSignature));
        }
        let other = DeviceKeys::generate();
        assert_eq!(parsed.verify(&other.signing_key(), &parts, 1_000), Err(RequestAuthError::BadSignature));
    }

    #[test]
    fn the_skew_window_is_inclusive_and_exact() {
        let keys = DeviceKeys::generate();
        let parts = RequestParts { method: "GET", path: "/v1/roster", query: "", body: b"" };
        let now = 1_700_000_000;
        for (timestamp, expected) in [
            (now - MAX_SKEW_SECS, Ok(())),
            (now + MAX_SKEW_SECS, Ok(())),
            (now - MAX_SKEW_SECS - 1, Err(RequestAuthError::Skew)),
            (now + MAX_SKEW_SECS + 1, Err(RequestAuthError::Skew)),
        ] {
            let parsed = parse(&sign(&keys, &parts, timestamp));
            assert_eq!(parsed.verify(&keys.signing_key(), &parts, now), expected, "{timestamp}");
        }
    }

    /// A timestamp as far from the server's clock as an i64 allows is a skew,
    /// not an overflow (a panic in debug builds, a wrap into the window in
    /// release ones).
    #[test]
    fn extreme_timestamps_are_skew_not_overflow() {
        let keys = DeviceKeys::generate();
        let parts = RequestParts { method: "GET", path: "/v1/roster", query: "", body: b"" };
        let now: i64 = 1_700_000_000;
        let far = [i64::MIN, i64::MAX, now + i64::MIN, now - i64::MAX, i64::MIN + 1];
        for timestamp in far {
            let headers = sign(&keys, &parts, timestamp);
            assert_eq!(headers.timestamp, timestamp.to_string());
            let parsed = parse(&headers);
            assert_eq!(parsed.timestamp, timestamp);
            assert_eq!(parsed.verify(&keys.signing_key(), &parts, now), Err(RequestAuthError::Skew), "{timestamp}");
        }
        // And a server clock at either end of the range against a request at the other.
        let parsed = parse(&sign(&keys, &parts, i64::MAX));
        assert_eq!(parsed.verify(&keys.signing_key(), &parts, i64::MIN), Err(RequestAuthError::Skew));
        let parsed = parse(&sign(&keys, &parts, i64::MIN));
        assert_eq!(parsed.verify(&keys.signing_key(), &parts, i64::MAX), Err(RequestAuthError::Skew));
        assert_eq!(parsed.verify(&keys.signing_key(), &parts, i64::MIN), Ok(()));
    }

    #[test]
    fn a_request_signature_is_not_a_note_signature() {
        // The contexts differ, so the signed bytes of a request never equal a
        // note header's signing message; check the prefixes directly.
        let parts = RequestParts { method: "GET", path: "/", query: "", body: b"" };
        let request = message(&parts, 0, "n", "d");
        let note_prefix = Canonical::new("visitnotes/note/v1").finish();
        assert!(!request.starts_with(&note_prefix));
    }

    #[test]
    fn malformed_headers() {
        assert_eq!(ParsedAuth::parse(None, Some("1"), Some("n"), Some("s")).unwrap_err(), RequestAuthError::Malformed);
        let keys = DeviceKeys::generate();
        let h = sign(&keys, &RequestParts { method: "GET", path: "/", query: "", body: b"" }, 5);
        assert!(ParsedAuth::parse(Some("x"), Some(&h.timestamp), Some(&h.nonce), Some(&h.signature)).is_err());
        assert!(ParsedAuth::parse(Some(&h.device), Some("soon"), Some(&h.nonce), Some(&h.signature)).is_err());
        assert!(ParsedAuth::parse(Some(&h.device), Some(&h.timestamp), Some("../x"), Some(&h.signature)).is_err());
    }
}
