//! The device's secrets at rest: the device keys, the key of the local
//! store, and (on an administrator's device) the organisation key, in one
//! age file encrypted under the user's passphrase with scrypt at an
//! explicit work factor.
//!
//! The work factor is written into the file by age; it is chosen here, not
//! measured on the device, so that a fast attacker's machine gets no
//! discount from a slow phone. Reading accepts at most `MAX_LOG_N`, so a
//! tampered file cannot make us spin forever.

use std::io::{Read, Write};
use std::path::Path;

use age::secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use visitnotes_shared::{DeviceKeys, OrgKey};
use zeroize::Zeroizing;

use crate::error::ClientError;

/// scrypt N = 2^17 (128 MiB, about half a second on a laptop).
pub const DEFAULT_LOG_N: u8 = 17;
pub const MIN_LOG_N: u8 = 10;
pub const MAX_LOG_N: u8 = 22;

pub struct Secrets {
    pub device: DeviceKeys,
    pub store_key: Zeroizing<[u8; 32]>,
    pub org_key: Option<OrgKey>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    device: String,
    store_key: String,
    org_key: Option<String>,
}

impl Secrets {
    pub fn generate() -> Secrets {
        use ring::rand::SecureRandom;
        let mut key = Zeroizing::new([0u8; 32]);
        ring::rand::SystemRandom::new().fill(&mut key[..]).expect("the OS random source works");
        Secrets { device: DeviceKeys::generate(), store_key: key, org_key: None }
    }

    /// Encrypts under `passphrase` and writes `path` atomically, mode 0600.
    pub fn save(&self, path: &Path, passphrase: &SecretString, log_n: u8) -> Result<(), ClientError> {
        let stored = Stored {
            device: self.device.to_secret_string().to_string(),
            store_key: data_encoding::BASE64.encode(&self.store_key[..]),
            org_key: self.org_key.as_ref().map(|k| k.to_secret_string().to_string()),
        };
        let plaintext = Zeroizing::new(serde_json::to_vec(&stored).expect("secrets serialise"));
        let sealed = encrypt_with_passphrase(&plaintext, passphrase, log_n)?;
        write_private(path, &sealed)
    }

    pub fn load(path: &Path, passphrase: &SecretString) -> Result<Secrets, ClientError> {
        let sealed = std::fs::read(path).map_err(ClientError::io(format!("cannot read {}", path.display())))?;
        let plaintext = decrypt_with_passphrase(&sealed, passphrase)?;
        let stored: Stored = serde_json::from_slice(&plaintext).map_err(|e| ClientError::CorruptKeys(e.to_string()))?;
        let stored_key = Zeroizing::new(
            data_encoding::BASE64
                .decode(stored.store_key.as_bytes())
                .map_err(|e| ClientError::CorruptKeys(e.to_string()))?,
        );
        let store_key: [u8; 32] =
            stored_key.as_slice().try_into().map_err(|_| ClientError::CorruptKeys("store key length".into()))?;
        Ok(Secrets {
            device: DeviceKeys::from_secret_string(&stored.device)
                .map_err(|e| ClientError::CorruptKeys(e.to_string()))?,
            store_key: Zeroizing::new(store_key),
            org_key: stored
                .org_key
                .map(|k| OrgKey::from_secret_string(&k))
                .transpose()
                .map_err(|e| ClientError::CorruptKeys(e.to_string()))?,
        })
    }
}

pub fn encrypt_with_passphrase(plaintext: &[u8], passphrase: &SecretString, log_n: u8) -> Result<Vec<u8>, ClientError> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(log_n.clamp(MIN_LOG_N, MAX_LOG_N));
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| ClientError::Invalid(e.to_string()))?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).map_err(ClientError::io("encrypting"))?;
    writer.write_all(plaintext).map_err(ClientError::io("encrypting"))?;
    writer.finish().map_err(ClientError::io("encrypting"))?;
    Ok(out)
}

pub fn decrypt_with_passphrase(sealed: &[u8], passphrase: &SecretString) -> Result<Zeroizing<Vec<u8>>, ClientError> {
    let decryptor = age::Decryptor::new_buffered(sealed).map_err(|e| ClientError::CorruptKeys(e.to_string()))?;
    if !decryptor.is_scrypt() {
        return Err(ClientError::CorruptKeys("not a passphrase-encrypted file".into()));
    }
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(MAX_LOG_N);
    let mut reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::ExcessiveWork { .. } => ClientError::CorruptKeys("its work factor is too high".into()),
        _ => ClientError::WrongPassphrase,
    })?;
    let mut plaintext = Zeroizing::new(Vec::new());
    reader.read_to_end(&mut plaintext).map_err(|_| ClientError::WrongPassphrase)?;
    Ok(plaintext)
}

/// Writes `bytes` to `path` through a temporary file and a rename, mode
/// 0600 on unix (elsewhere the permissions of the directory it is in).
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ClientError> {
    let tmp = path.with_extension("tmp");
    let what = || format!("cannot write {}", path.display());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(ClientError::io(what()))?;
    file.write_all(bytes).and_then(|_| file.sync_all()).map_err(ClientError::io(what()))?;
    std::fs::rename(&tmp, path).map_err(ClientError::io(what()))
}

/// Whether `passphrase` is acceptable for a new key file.
pub fn check_new_passphrase(passphrase: &SecretString) -> Result<(), ClientError> {
    if passphrase.expose_secret().chars().count() < 8 {
        return Err(ClientError::WeakPassphrase);
    }
    Ok(())
}
