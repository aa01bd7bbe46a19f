//! The device's secrets at rest: the device keys, the key of the local
//! store, and (on an administrator's device) the organisation key.
//!
//! They are kept in two age files in the profile folder:
//! - `secrets.age`: the secrets, encrypted to the profile's *file key* (an
//!   age X25519 key made for this profile);
//! - `keys.age`: the file key, encrypted under the person's passphrase with
//!   scrypt at an explicit work factor.
//!
//! Why two: the secrets change while the profile is open (the organisation
//! key is picked up during a sync, imported, or rebuilt from shares), and
//! saving them again must not need the passphrase, which is dropped (and
//! wiped) as soon as the keys are open. Encrypting to the file key needs
//! only its public half, and that is all an open profile keeps of it
//! ([`Vault`]): no secret beyond the ones in use stays in memory. (Keeping
//! the file key itself, or the passphrase, would have served too; both are
//! secrets that the public half does without.) Whoever could write
//! `secrets.age` in place of ours would need that public half, which is
//! never written down; they could change `profile.json` anyway.
//!
//! A `keys.age` written before holds the secrets themselves under the
//! passphrase; opening it moves them to these two files, while the
//! passphrase is at hand.
//!
//! The work factor is written into the file by age; it is chosen here, not
//! measured on the device, so that a fast attacker's machine gets no
//! discount from a slow phone. Reading accepts at most `MAX_LOG_N`, so a
//! tampered file cannot make us spin forever.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use visitnotes_shared::durable::{self, WriteOptions};
use visitnotes_shared::{DeviceKeys, OrgKey};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::ClientError;

/// scrypt N = 2^17 (128 MiB, about half a second on a laptop).
pub const DEFAULT_LOG_N: u8 = 17;
pub const MIN_LOG_N: u8 = 10;
pub const MAX_LOG_N: u8 = 22;

/// What is wrong with a file of keys (`ClientError::CorruptKeys` names the
/// file and says what to do).
#[derive(Debug, thiserror::Error)]
pub enum KeysDamage {
    #[error("it is not an age-encrypted file")]
    NotAge(#[source] age::DecryptError),
    #[error("it is not encrypted under a passphrase")]
    NotPassphrase,
    #[error("its work factor is above 2^{MAX_LOG_N}, more than Visitnotes opens")]
    WorkFactor,
    #[error("the file key it holds is not valid")]
    BadFileKey,
    #[error("it does not open with the profile's file key")]
    NotFileKey,
    #[error("it does not hold a device's secrets as Visitnotes writes them")]
    Secrets(#[source] Option<Box<dyn std::error::Error + Send + Sync>>),
    #[error("its store key is not 32 bytes")]
    StoreKeyLength,
    #[error("it does not hold an organisation key")]
    NotAnOrgKey(#[source] Option<visitnotes_shared::keys::KeyError>),
}

impl KeysDamage {
    fn secrets(source: impl std::error::Error + Send + Sync + 'static) -> KeysDamage {
        KeysDamage::Secrets(Some(Box::new(source)))
    }
}

/// The device's secrets, in memory while the profile is open.
pub struct Secrets {
    pub device: DeviceKeys,
    pub store_key: Zeroizing<[u8; 32]>,
    pub org_key: Option<OrgKey>,
}

/// Every field wipes its secret when dropped: the device and organisation
/// keys (see `visitnotes_shared::keys`) and the store key (`Zeroizing`).
impl ZeroizeOnDrop for Secrets {}

/// The secrets as `secrets.age` (and a `keys.age` from before) hold them.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    device: String,
    store_key: String,
    org_key: Option<String>,
}

impl Zeroize for Stored {
    fn zeroize(&mut self) {
        self.device.zeroize();
        self.store_key.zeroize();
        self.org_key.zeroize();
    }
}

impl Drop for Stored {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Stored {}

/// What `keys.age` holds: the file key.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeysFile {
    file_key: String,
}

impl Drop for KeysFile {
    fn drop(&mut self) {
        self.file_key.zeroize();
    }
}

impl ZeroizeOnDrop for KeysFile {}

impl Secrets {
    pub fn generate() -> Secrets {
        use ring::rand::SecureRandom;
        let mut key = Zeroizing::new([0u8; 32]);
        ring::rand::SystemRandom::new().fill(&mut key[..]).expect("the OS random source works");
        Secrets { device: DeviceKeys::generate(), store_key: key, org_key: None }
    }

    fn to_plaintext(&self) -> Zeroizing<Vec<u8>> {
        let stored = Stored {
            device: self.device.to_secret_string().to_string(),
            store_key: data_encoding::BASE64.encode(&self.store_key[..]),
            org_key: self.org_key.as_ref().map(|k| k.to_secret_string().to_string()),
        };
        to_json(&stored)
    }

    fn from_plaintext(plaintext: &[u8]) -> Result<Secrets, KeysDamage> {
        let stored: Stored = serde_json::from_slice(plaintext).map_err(KeysDamage::secrets)?;
        let store_key =
            Zeroizing::new(data_encoding::BASE64.decode(stored.store_key.as_bytes()).map_err(KeysDamage::secrets)?);
        let mut key = Zeroizing::new([0u8; 32]);
        if store_key.len() != key.len() {
            return Err(KeysDamage::StoreKeyLength);
        }
        key.copy_from_slice(&store_key);
        Ok(Secrets {
            device: DeviceKeys::from_secret_string(&stored.device).map_err(KeysDamage::secrets)?,
            store_key: key,
            org_key: stored
                .org_key
                .as_deref()
                .map(OrgKey::from_secret_string)
                .transpose()
                .map_err(KeysDamage::secrets)?,
        })
    }
}

/// Where a profile's secrets are kept, and the public half of the file key
/// they are encrypted to: all that saving them again takes.
pub struct Vault {
    secrets: PathBuf,
    file_key: age::x25519::Recipient,
}

impl Vault {
    /// Writes `secrets` under a new file key, and the file key under
    /// `passphrase` (`secrets.age` first: `keys.age` never names a file
    /// key whose secrets are not written).
    pub fn create(
        keys: &Path,
        secrets_path: &Path,
        secrets: &Secrets,
        passphrase: &SecretString,
        log_n: u8,
    ) -> Result<Vault, ClientError> {
        let identity = age::x25519::Identity::generate();
        let vault = Vault { secrets: secrets_path.to_owned(), file_key: identity.to_public() };
        vault.save(secrets)?;
        let file = KeysFile { file_key: identity.to_string().expose_secret().to_owned() };
        let plaintext = to_json(&file);
        write_private(keys, &encrypt_with_passphrase(&plaintext, passphrase, log_n)?)?;
        Ok(vault)
    }

    /// Opens the secrets with `passphrase`. A `keys.age` from before (the
    /// secrets themselves under the passphrase) is moved to the two files,
    /// at the work factor `log_n`.
    pub fn open(
        keys: &Path,
        secrets_path: &Path,
        passphrase: &SecretString,
        log_n: u8,
    ) -> Result<(Vault, Secrets), ClientError> {
        let sealed = std::fs::read(keys).map_err(ClientError::read(keys))?;
        let plaintext = decrypt_with_passphrase(keys, &sealed, passphrase)?;
        let Ok(file) = serde_json::from_slice::<KeysFile>(&plaintext) else {
            let secrets = Secrets::from_plaintext(&plaintext).map_err(damaged(keys))?;
            let vault = Vault::create(keys, secrets_path, &secrets, passphrase, log_n)?;
            return Ok((vault, secrets));
        };
        let identity: age::x25519::Identity =
            file.file_key.parse().map_err(|_| damaged(keys)(KeysDamage::BadFileKey))?;
        let sealed = std::fs::read(secrets_path).map_err(ClientError::read(secrets_path))?;
        let secrets = decrypt_with_identity(&sealed, &identity)
            .and_then(|plaintext| Secrets::from_plaintext(&plaintext))
            .map_err(damaged(secrets_path))?;
        Ok((Vault { secrets: secrets_path.to_owned(), file_key: identity.to_public() }, secrets))
    }

    /// Writes `secrets` again (after the organisation key was added):
    /// encrypted to the file key, no passphrase needed.
    pub fn save(&self, secrets: &Secrets) -> Result<(), ClientError> {
        let plaintext = secrets.to_plaintext();
        let encryptor = age::Encryptor::with_recipients(std::iter::once(&self.file_key as &dyn age::Recipient))
            .map_err(ClientError::encrypt)?;
        write_private(&self.secrets, &seal(encryptor, &plaintext)?)
    }
}

/// Room for the plaintext of a key file (about 1 KiB) in one allocation:
/// a buffer that grew would leave unwiped copies where it was before.
const PLAINTEXT_ROOM: usize = 16 * 1024;

/// `value` as JSON, in a buffer that is wiped when dropped.
fn to_json(value: &impl Serialize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(PLAINTEXT_ROOM));
    serde_json::to_writer(&mut *out, value).expect("secrets serialise");
    out
}

/// `CorruptKeys` about `file`, for `map_err`.
fn damaged(file: &Path) -> impl FnOnce(KeysDamage) -> ClientError {
    let file = file.to_owned();
    move |damage| ClientError::CorruptKeys { file, damage }
}

/// `plaintext` through `encryptor`, in memory.
fn seal(encryptor: age::Encryptor, plaintext: &[u8]) -> Result<Vec<u8>, ClientError> {
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).map_err(ClientError::encrypt)?;
    writer.write_all(plaintext).map_err(ClientError::encrypt)?;
    writer.finish().map_err(ClientError::encrypt)?;
    Ok(out)
}

fn decrypt_with_identity(sealed: &[u8], identity: &age::x25519::Identity) -> Result<Zeroizing<Vec<u8>>, KeysDamage> {
    let decryptor = age::Decryptor::new_buffered(sealed).map_err(KeysDamage::NotAge)?;
    let mut reader =
        decryptor.decrypt(std::iter::once(identity as &dyn age::Identity)).map_err(|_| KeysDamage::NotFileKey)?;
    let mut plaintext = Zeroizing::new(Vec::with_capacity(PLAINTEXT_ROOM));
    reader.read_to_end(&mut plaintext).map_err(|_| KeysDamage::NotFileKey)?;
    Ok(plaintext)
}

pub fn encrypt_with_passphrase(plaintext: &[u8], passphrase: &SecretString, log_n: u8) -> Result<Vec<u8>, ClientError> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(log_n.clamp(MIN_LOG_N, MAX_LOG_N));
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(ClientError::encrypt)?;
    seal(encryptor, plaintext)
}

/// `sealed`, read from `file`, opened with `passphrase`.
pub fn decrypt_with_passphrase(
    file: &Path,
    sealed: &[u8],
    passphrase: &SecretString,
) -> Result<Zeroizing<Vec<u8>>, ClientError> {
    let decryptor = age::Decryptor::new_buffered(sealed).map_err(|e| damaged(file)(KeysDamage::NotAge(e)))?;
    if !decryptor.is_scrypt() {
        return Err(damaged(file)(KeysDamage::NotPassphrase));
    }
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(MAX_LOG_N);
    let mut reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::ExcessiveWork { .. } => damaged(file)(KeysDamage::WorkFactor),
        _ => ClientError::WrongPassphrase,
    })?;
    let mut plaintext = Zeroizing::new(Vec::with_capacity(PLAINTEXT_ROOM));
    reader.read_to_end(&mut plaintext).map_err(|_| ClientError::WrongPassphrase)?;
    Ok(plaintext)
}

/// Writes `bytes` to `path` so that only this user can read them, and
/// never through a name someone else could have made first: a new file
/// with a random name is created exclusively in the same folder (mode 0600
/// on unix; elsewhere the folder's permissions), written, synced, then
/// renamed over `path`, and the folder synced
/// (`visitnotes_shared::durable::write_file`). A file or link planted
/// beside `path` (a `NAME.tmp`, a hard link to it) is never opened; a
/// symbolic link at `path` itself is replaced, not followed.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ClientError> {
    let options = WriteOptions { private: true, no_clobber: false };
    durable::write_file(path, bytes, options).map_err(ClientError::write(path))
}

/// As [`write_private`], for a file that must not replace one already
/// there (a share of the organisation key): an existing `path` is an error
/// and is left as it is.
pub fn write_private_new(path: &Path, bytes: &[u8]) -> Result<(), ClientError> {
    let options = WriteOptions { private: true, no_clobber: true };
    durable::write_file(path, bytes, options).map_err(ClientError::write(path))
}

/// Makes `dir`, a folder the person named for files only they may read,
/// mode 0700 (with any missing parents) when it does not exist. One that
/// exists is theirs and keeps its mode; when other users may open it, its
/// mode is returned so that the door can say so.
pub fn private_out_dir(dir: &Path) -> Result<Option<u32>, ClientError> {
    if dir.is_dir() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir).map_err(ClientError::read(dir))?.permissions().mode() & 0o7777;
            return Ok((mode & 0o077 != 0).then_some(mode));
        }
        #[cfg(not(unix))]
        return Ok(None);
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(ClientError::create_folder(dir))?;
    Ok(None)
}

/// Whether `passphrase` is acceptable for a new key file.
pub fn check_new_passphrase(passphrase: &SecretString) -> Result<(), ClientError> {
    if passphrase.expose_secret().chars().count() < 8 {
        return Err(ClientError::WeakPassphrase);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passphrase() -> SecretString {
        SecretString::from("correct horse battery".to_owned())
    }

    fn paths(dir: &Path) -> (PathBuf, PathBuf) {
        (dir.join("keys.age"), dir.join("secrets.age"))
    }

    /// Saving the secrets again (the organisation key added) needs no
    /// passphrase and leaves `keys.age` as it was; they open with the
    /// passphrase, and only with it.
    #[test]
    fn the_secrets_are_saved_again_without_the_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let (keys, secrets_path) = paths(dir.path());
        let mut secrets = Secrets::generate();
        let vault = Vault::create(&keys, &secrets_path, &secrets, &passphrase(), MIN_LOG_N).unwrap();
        let sealed_key = std::fs::read(&keys).unwrap();
        let org = OrgKey::generate();
        let org_public = org.public();
        secrets.org_key = Some(org);
        vault.save(&secrets).unwrap();
        assert_eq!(std::fs::read(&keys).unwrap(), sealed_key, "keys.age is not written again");

        let (_, opened) = Vault::open(&keys, &secrets_path, &passphrase(), MIN_LOG_N).unwrap();
        assert_eq!(opened.device.device_id(), secrets.device.device_id());
        assert_eq!(*opened.store_key, *secrets.store_key);
        assert_eq!(opened.org_key.map(|k| k.public()), Some(org_public));
        let wrong = Vault::open(&keys, &secrets_path, &SecretString::from("not it at all".to_owned()), MIN_LOG_N);
        assert!(matches!(wrong, Err(ClientError::WrongPassphrase)));
    }

    /// A `keys.age` as written before (the secrets themselves under the
    /// passphrase) opens, and is moved to the file key and `secrets.age`.
    #[test]
    fn a_keys_file_from_before_opens_and_is_moved_to_the_file_key() {
        let dir = tempfile::tempdir().unwrap();
        let (keys, secrets_path) = paths(dir.path());
        let mut secrets = Secrets::generate();
        secrets.org_key = Some(OrgKey::generate());
        std::fs::write(&keys, encrypt_with_passphrase(&secrets.to_plaintext(), &passphrase(), MIN_LOG_N).unwrap())
            .unwrap();

        let (vault, opened) = Vault::open(&keys, &secrets_path, &passphrase(), MIN_LOG_N).unwrap();
        assert_eq!(opened.device.device_id(), secrets.device.device_id());
        assert_eq!(*opened.store_key, *secrets.store_key);
        let plain = decrypt_with_passphrase(&keys, &std::fs::read(&keys).unwrap(), &passphrase()).unwrap();
        assert!(serde_json::from_slice::<KeysFile>(&plain).is_ok(), "keys.age now holds the file key");
        assert!(secrets_path.is_file());
        vault.save(&opened).unwrap();
        let (_, again) = Vault::open(&keys, &secrets_path, &passphrase(), MIN_LOG_N).unwrap();
        assert_eq!(again.device.device_id(), secrets.device.device_id());
        assert!(again.org_key.is_some());
    }

    /// What holds the secrets wipes them when dropped: the stored form
    /// (checked by wiping it), and, as types, the keys and the file key.
    #[test]
    fn what_holds_the_secrets_wipes_them_when_dropped() {
        fn wiped_on_drop<T: ZeroizeOnDrop>() {}
        wiped_on_drop::<Secrets>();
        wiped_on_drop::<Stored>();
        wiped_on_drop::<KeysFile>();
        wiped_on_drop::<DeviceKeys>();
        wiped_on_drop::<OrgKey>();
        wiped_on_drop::<SecretString>();

        let mut secrets = Secrets::generate();
        secrets.org_key = Some(OrgKey::generate());
        let mut stored: Stored = serde_json::from_slice(&secrets.to_plaintext()).unwrap();
        assert!(!stored.device.is_empty() && !stored.store_key.is_empty() && stored.org_key.is_some());
        stored.zeroize();
        assert!(stored.device.is_empty() && stored.store_key.is_empty() && stored.org_key.is_none());
    }
}

#[cfg(all(test, unix))]
mod private_files {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    use super::*;

    fn uid() -> u32 {
        rustix::process::getuid().as_raw()
    }

    /// Another user's `NAME.tmp` (theirs, mode 0644) with a hard link to it
    /// that they keep elsewhere, and a `NAME.tmp` that is a symbolic link
    /// to someone's file: what is written reaches neither, and the file
    /// written is this user's own, mode 0600, with one link.
    #[test]
    fn a_planted_tmp_file_its_hard_link_or_a_symlink_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let planted = out.join("share-1-of-3.tmp");
        std::fs::write(&planted, "").unwrap();
        std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::chown(&planted, Some(65534), Some(65534)).unwrap();
        let theirs = dir.path().join("kept-by-them");
        std::fs::hard_link(&planted, &theirs).unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "the victim's own").unwrap();
        std::os::unix::fs::symlink(&victim, out.join("keys.tmp")).unwrap();

        for name in ["share-1-of-3.txt", "keys.age"] {
            write_private(&out.join(name), b"SECRET").unwrap();
            let meta = std::fs::symlink_metadata(out.join(name)).unwrap();
            assert!(meta.is_file(), "{name}");
            assert_eq!((meta.mode() & 0o777, meta.uid(), meta.nlink()), (0o600, uid(), 1), "{name}");
            assert_eq!(std::fs::read(out.join(name)).unwrap(), b"SECRET");
        }
        assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "", "nothing reached the other user's link");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "the victim's own");
        // Only what was planted is left beside the files written.
        let mut names: Vec<String> =
            std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["keys.age", "keys.tmp", "share-1-of-3.tmp", "share-1-of-3.txt"]);
    }

    /// A symbolic link where the file goes is replaced by the file, and
    /// what it pointed to is left alone.
    #[test]
    fn a_symlink_at_the_path_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "the victim's own").unwrap();
        let path = dir.path().join("profile.json");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        write_private(&path, b"{}").unwrap();
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "the victim's own");
    }

    #[test]
    fn a_new_private_file_never_replaces_one_that_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("share-1-of-3.txt");
        std::fs::write(&path, "the first set").unwrap();
        assert!(write_private_new(&path, b"the second set").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "the first set");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file is left");
    }

    /// A folder the person named keeps its mode (and is reported when
    /// others may open it); a new one is made 0700.
    #[test]
    fn a_named_folder_keeps_its_mode_and_a_new_one_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("shared");
        std::fs::create_dir(&theirs).unwrap();
        std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(private_out_dir(&theirs).unwrap(), Some(0o755));
        assert_eq!(std::fs::metadata(&theirs).unwrap().mode() & 0o777, 0o755);
        std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o711)).unwrap();
        assert_eq!(private_out_dir(&theirs).unwrap(), Some(0o711));
        std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o700)).unwrap();
        assert_eq!(private_out_dir(&theirs).unwrap(), None);

        let new = dir.path().join("a/b");
        assert_eq!(private_out_dir(&new).unwrap(), None);
        for made in [dir.path().join("a"), new] {
            assert_eq!(std::fs::metadata(&made).unwrap().mode() & 0o777, 0o700, "{}", made.display());
        }
    }
}
