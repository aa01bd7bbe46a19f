//! Ed25519 keys (organisation and device) and their human-comparable
//! fingerprints.
//!
//! Secret halves stay in these types; what leaves them is either a public key
//! or, through `to_secret_string`, the material for the client's encrypted
//! key file (returned in a `Zeroizing` buffer).

use std::fmt;

use ring::signature::{self, Ed25519KeyPair, KeyPair};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::ids::DeviceId;

const B64: data_encoding::Encoding = data_encoding::BASE64;

/// A secret key could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key material is not valid: {0}")]
    Invalid(&'static str),
}

/// An Ed25519 public key, base64 on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VerifyingKey(pub [u8; 32]);

impl VerifyingKey {
    /// Checks an Ed25519 signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        signature::UnparsedPublicKey::new(&signature::ED25519, &self.0).verify(message, signature).is_ok()
    }

    /// The SHA-256 of the key: what an invite carries to pin the organisation key.
    pub fn digest(&self) -> [u8; 32] {
        crate::sha256(&self.0)
    }

    /// A fingerprint people can read to each other and compare.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }
}

impl TryFrom<String> for VerifyingKey {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        let bytes = B64.decode(value.as_bytes()).map_err(|_| "public key is not base64".to_owned())?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| "public key is not 32 bytes".to_owned())?;
        Ok(VerifyingKey(key))
    }
}

impl From<VerifyingKey> for String {
    fn from(key: VerifyingKey) -> String {
        B64.encode(&key.0)
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifyingKey({})", B64.encode(&self.0))
    }
}

/// A fingerprint of a public key (or of any public bytes): 160 bits of its
/// SHA-256 as eight groups of four base32 characters, e.g.
/// `K7QD 2MXA ...`. Base32 has no 0/O or 1/I confusion to trip over aloud.
pub fn fingerprint(public: &[u8]) -> String {
    let digest = crate::sha256(public);
    let text = data_encoding::BASE32_NOPAD.encode(&digest[..20]);
    text.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).expect("base32 is ASCII")).collect::<Vec<_>>().join(" ")
}

fn generate_pkcs8() -> Zeroizing<Vec<u8>> {
    let rng = ring::rand::SystemRandom::new();
    let doc = Ed25519KeyPair::generate_pkcs8(&rng).expect("the OS random source works");
    Zeroizing::new(doc.as_ref().to_vec())
}

/// An Ed25519 signing key: its PKCS#8 document (the seed and the public
/// key), zeroized when dropped, and the public key.
///
/// ring's `Ed25519KeyPair` cannot be zeroized (it holds the expanded secret
/// scalar and prefix and has no `Drop`), so none is kept: one is built from
/// the document for each signature and dropped right after. What remains
/// unwiped is the stack memory of that call (the 64 expanded bytes, until
/// later calls overwrite it); between signatures only the zeroizing
/// document holds the secret.
struct Signer {
    pkcs8: Zeroizing<Vec<u8>>,
    public: VerifyingKey,
}

impl Signer {
    fn generate() -> Self {
        Self::from_pkcs8(generate_pkcs8()).expect("a fresh key parses")
    }

    fn from_pkcs8(pkcs8: Zeroizing<Vec<u8>>) -> Result<Self, KeyError> {
        let pair = Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|_| KeyError::Invalid("not an Ed25519 PKCS#8 key"))?;
        let public = VerifyingKey(pair.public_key().as_ref().try_into().expect("Ed25519 public keys are 32 bytes"));
        Ok(Signer { pkcs8, public })
    }

    fn public(&self) -> VerifyingKey {
        self.public
    }

    fn sign(&self, message: &[u8]) -> [u8; 64] {
        let pair = Ed25519KeyPair::from_pkcs8(&self.pkcs8).expect("the document parsed when the key was made");
        pair.sign(message).as_ref().try_into().expect("Ed25519 signatures are 64 bytes")
    }
}

/// The secret halves of `Signer` and of an age identity (x25519-dalek's
/// `StaticSecret`, zeroized on drop) are all wiped when these keys are
/// dropped.
impl zeroize::ZeroizeOnDrop for OrgKey {}
impl zeroize::ZeroizeOnDrop for DeviceKeys {}

/// The organisation key: signs the roster. Lives encrypted on the
/// administrators' devices only.
pub struct OrgKey(Signer);

impl OrgKey {
    pub fn generate() -> Self {
        OrgKey(Signer::generate())
    }

    pub fn public(&self) -> VerifyingKey {
        self.0.public()
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message)
    }

    /// The secret key as text, for the client's encrypted key store.
    pub fn to_secret_string(&self) -> Zeroizing<String> {
        Zeroizing::new(B64.encode(&self.0.pkcs8))
    }

    pub fn from_secret_string(text: &str) -> Result<Self, KeyError> {
        let pkcs8 =
            B64.decode(text.trim().as_bytes()).map_err(|_| KeyError::Invalid("organisation key is not base64"))?;
        Ok(OrgKey(Signer::from_pkcs8(Zeroizing::new(pkcs8))?))
    }

    /// The 32-byte Ed25519 seed the key is made from: all of the secret,
    /// the shortest form to split into shares on paper.
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        let pkcs8 = &self.0.pkcs8;
        let mut seed = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&pkcs8[PKCS8_SEED.clone()]);
        seed
    }

    /// The key made from `seed`, in the same PKCS#8 v2 form `generate`
    /// stores (ring's document: a fixed prefix, the seed, a fixed middle,
    /// the public key).
    pub fn from_seed(seed: &[u8; 32]) -> Result<Self, KeyError> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed).map_err(|_| KeyError::Invalid("not an Ed25519 seed"))?;
        let mut pkcs8 = Zeroizing::new(Vec::with_capacity(83));
        pkcs8.extend_from_slice(&PKCS8_V2_PREFIX);
        pkcs8.extend_from_slice(seed);
        pkcs8.extend_from_slice(&PKCS8_V2_MIDDLE);
        pkcs8.extend_from_slice(pair.public_key().as_ref());
        Ok(OrgKey(Signer::from_pkcs8(pkcs8)?))
    }
}

/// The PKCS#8 v2 (RFC 5958) document of an Ed25519 key as ring writes it:
/// `PREFIX || seed || MIDDLE || public key`.
const PKCS8_V2_PREFIX: [u8; 16] =
    [0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
const PKCS8_V2_MIDDLE: [u8; 3] = [0x81, 0x21, 0x00];
const PKCS8_SEED: std::ops::Range<usize> = 16..48;

/// A device's two key pairs: Ed25519 to sign notes and requests, age X25519
/// to receive notes. Made on the device; the secret halves never leave it.
pub struct DeviceKeys {
    signer: Signer,
    age: age::x25519::Identity,
}

#[derive(Serialize, Deserialize)]
struct StoredDeviceKeys {
    signing_pkcs8: String,
    age_identity: String,
}

/// Both fields are secrets: wiped when dropped.
impl Drop for StoredDeviceKeys {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        self.signing_pkcs8.zeroize();
        self.age_identity.zeroize();
    }
}

impl DeviceKeys {
    pub fn generate() -> Self {
        DeviceKeys { signer: Signer::generate(), age: age::x25519::Identity::generate() }
    }

    pub fn signing_key(&self) -> VerifyingKey {
        self.signer.public()
    }

    pub fn device_id(&self) -> DeviceId {
        DeviceId::from_signing_key(&self.signing_key().0)
    }

    /// The age recipient (`age1...`) that notes for this device are encrypted to.
    pub fn age_recipient(&self) -> String {
        self.age.to_public().to_string()
    }

    pub fn age_identity(&self) -> &age::x25519::Identity {
        &self.age
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signer.sign(message)
    }

    /// Both secret keys as one text, for the client's encrypted key store.
    pub fn to_secret_string(&self) -> Zeroizing<String> {
        use age::secrecy::ExposeSecret;
        let stored = StoredDeviceKeys {
            signing_pkcs8: B64.encode(&self.signer.pkcs8),
            age_identity: self.age.to_string().expose_secret().to_owned(),
        };
        Zeroizing::new(serde_json::to_string(&stored).expect("keys serialise"))
    }

    pub fn from_secret_string(text: &str) -> Result<Self, KeyError> {
        let stored: StoredDeviceKeys =
            serde_json::from_str(text).map_err(|_| KeyError::Invalid("device key file is not valid"))?;
        let pkcs8 = Zeroizing::new(
            B64.decode(stored.signing_pkcs8.as_bytes())
                .map_err(|_| KeyError::Invalid("device signing key is not base64"))?,
        );
        let age = stored
            .age_identity
            .parse::<age::x25519::Identity>()
            .map_err(|_| KeyError::Invalid("device age identity is not valid"))?;
        Ok(DeviceKeys { signer: Signer::from_pkcs8(pkcs8)?, age })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_grouped_and_stable() {
        let fp = fingerprint(b"abc");
        assert_eq!(fp.split(' ').count(), 8);
        assert_eq!(fp, fingerprint(b"abc"));
        assert_ne!(fp, fingerprint(b"abd"));
    }

    #[test]
    fn device_keys_round_trip() {
        let keys = DeviceKeys::generate();
        let again = DeviceKeys::from_secret_string(&keys.to_secret_string()).unwrap();
        assert_eq!(keys.signing_key(), again.signing_key());
        assert_eq!(keys.age_recipient(), again.age_recipient());
        let sig = again.sign(b"m");
        assert!(keys.signing_key().verify(b"m", &sig));
        assert!(!keys.signing_key().verify(b"n", &sig));
    }

    /// The seed round trip gives the very document ring made: the layout
    /// of `from_seed` is ring's.
    #[test]
    fn org_key_from_its_seed_is_the_same_key_byte_for_byte() {
        for _ in 0..20 {
            let org = OrgKey::generate();
            let again = OrgKey::from_seed(&org.seed()).unwrap();
            assert_eq!(*again.to_secret_string(), *org.to_secret_string());
            assert_eq!(again.public(), org.public());
            assert!(org.public().verify(b"m", &again.sign(b"m")));
        }
    }

    #[test]
    fn org_key_round_trip() {
        let org = OrgKey::generate();
        let again = OrgKey::from_secret_string(&org.to_secret_string()).unwrap();
        assert_eq!(org.public(), again.public());
    }
}
