//! The enrolment MAC: how an administrator knows that the keys the server
//! shows for a pending device are the keys that device sent.
//!
//! The new device MACs its public keys with the invite's enrolment secret,
//! which the server never sees; the administrator's client, which kept the
//! secret when it made the invite, checks the MAC before it signs the keys
//! into the roster. A server that swaps the keys cannot make a valid MAC.

use ring::hmac;

use crate::canonical::Canonical;
use crate::keys::VerifyingKey;

/// The public half of an enrolling device, as bound by the MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolingKeys<'a> {
    pub token_hash: &'a str,
    pub name: &'a str,
    pub signing_key: &'a VerifyingKey,
    pub age_recipient: &'a str,
}

fn message(keys: &EnrolingKeys<'_>) -> Vec<u8> {
    Canonical::new("visitnotes/enrol/v1")
        .str(keys.token_hash)
        .str(keys.name)
        .bytes(&keys.signing_key.0)
        .str(keys.age_recipient)
        .finish()
}

/// HMAC-SHA-256 of the keys under the enrolment secret.
pub fn mac(secret: &[u8; 32], keys: &EnrolingKeys<'_>) -> Vec<u8> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    hmac::sign(&key, &message(keys)).as_ref().to_vec()
}

/// Constant-time check of a MAC.
pub fn verify_mac(secret: &[u8; 32], keys: &EnrolingKeys<'_>, tag: &[u8]) -> bool {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    hmac::verify(&key, &message(keys), tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::DeviceKeys;

    #[test]
    fn swapped_keys_are_caught() {
        let secret = [9u8; 32];
        let (device, server_keys) = (DeviceKeys::generate(), DeviceKeys::generate());
        let (sk, rcpt) = (device.signing_key(), device.age_recipient());
        let keys = EnrolingKeys { token_hash: "t", name: "Ada", signing_key: &sk, age_recipient: &rcpt };
        let tag = mac(&secret, &keys);
        assert!(verify_mac(&secret, &keys, &tag));

        let swapped_sk = server_keys.signing_key();
        let swapped = EnrolingKeys { signing_key: &swapped_sk, ..keys.clone() };
        assert!(!verify_mac(&secret, &swapped, &tag));
        let other_rcpt = server_keys.age_recipient();
        let swapped = EnrolingKeys { age_recipient: &other_rcpt, ..keys.clone() };
        assert!(!verify_mac(&secret, &swapped, &tag));
        assert!(!verify_mac(&[8u8; 32], &keys, &tag));
    }
}
