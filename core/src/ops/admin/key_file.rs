//! The organisation key written to a file, encrypted under a passphrase,
//! and read back onto another administrator's device (the shares on paper
//! are `ops::org_key`'s).

use std::path::Path;

use age::secrecy::SecretString;
use visitnotes_shared::roster::Role;
use visitnotes_shared::OrgKey;

use crate::error::ClientError;
use crate::ops::org_key::OrgKeyError;
use crate::profile::Session;
use crate::vault::{self, KeysDamage};

/// Writes the organisation key, encrypted under `passphrase`, to `path`.
pub fn export_org_key(session: &Session, path: &Path, passphrase: &SecretString) -> Result<(), ClientError> {
    let sealed = seal_org_key(session, passphrase)?;
    vault::write_private(path, &sealed)
}

/// The organisation key encrypted under `passphrase` (checked as a new
/// passphrase is), as `export_org_key` writes it: for a door that hands
/// the file over itself (the web app's download).
pub fn seal_org_key(session: &Session, passphrase: &SecretString) -> Result<Vec<u8>, ClientError> {
    let org = session.secrets.org_key.as_ref().ok_or(ClientError::NoOrgKey)?;
    vault::check_new_passphrase(passphrase)?;
    vault::encrypt_with_passphrase(org.to_secret_string().as_bytes(), passphrase, vault::DEFAULT_LOG_N)
}

/// Reads an exported organisation key; it must be the key this device pinned.
pub fn import_org_key(session: &mut Session, path: &Path, passphrase: &SecretString) -> Result<(), ClientError> {
    let sealed = std::fs::read(path).map_err(ClientError::read(path))?;
    import_org_key_from(session, path, &sealed, passphrase)
}

/// Whether `sealed` looks like a file `seal_org_key` wrote: an age file
/// encrypted under a passphrase (not opened: that takes the passphrase,
/// and seconds of work). For a door to say at once that a file chosen is
/// not one, along with anything else amiss.
pub fn is_key_file(sealed: &[u8]) -> bool {
    age::Decryptor::new_buffered(sealed).is_ok_and(|d| d.is_scrypt())
}

/// `import_org_key` of a file's bytes that a door read itself (the web
/// app's upload); `path` names it in errors.
pub fn import_org_key_from(
    session: &mut Session,
    path: &Path,
    sealed: &[u8],
    passphrase: &SecretString,
) -> Result<(), ClientError> {
    check_may_import(session)?;
    let plain = vault::decrypt_with_passphrase(path, sealed, passphrase)?;
    let damaged = |source| ClientError::CorruptKeys { file: path.to_owned(), damage: KeysDamage::NotAnOrgKey(source) };
    let text = std::str::from_utf8(&plain).map_err(|_| damaged(None))?;
    let org = OrgKey::from_secret_string(text).map_err(|e| damaged(Some(e)))?;
    if org.public() != session.config.org_key {
        return Err(ClientError::OrgKeyMismatch {
            expected: session.config.org_key.fingerprint(),
            found: org.public().fingerprint(),
        });
    }
    session.secrets.org_key = Some(org);
    session.save_secrets()?;
    Ok(session.store.resolve_alerts(crate::store::StoredKind::OrgKeyGrant, "")?)
}

/// An import is for an administrator's device the roster lists.
fn check_may_import(session: &Session) -> Result<(), ClientError> {
    // The key signs rosters; on a device whose member may not administer,
    // it would be a copy to lose and no use.
    let roster = crate::ops::roster::in_force(session).or_else(|_| session.roster())?;
    match roster.device(&session.config.device_id) {
        Some((member, _)) if member.roles.contains(&Role::Admin) => {}
        Some((member, _)) => return Err(OrgKeyError::ImportNotAdmin { name: member.name.clone() }.into()),
        None => return Err(OrgKeyError::ImportNotInRoster.into()),
    }
    Ok(())
}
