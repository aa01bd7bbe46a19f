//! A profile: one enrolled device's files in one directory.
//!
//! - `profile.json`: public facts (server, ids, the pinned organisation key);
//! - `keys.age`: the file key of `secrets.age`, under the passphrase;
//! - `secrets.age`: the secrets (`vault::Secrets`), under the file key;
//! - `store.sqlite3`: the local store, its plaintext sealed under the store key.
//!
//! The directory is the platform's data dir unless `--home` or
//! `VISITNOTES_HOME` names another; it is created mode 0700.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use age::secrecy::SecretString;
use serde::{Deserialize, Serialize};
use visitnotes_shared::roster::{Role, Roster};
use visitnotes_shared::{DeviceId, UserId, VerifyingKey};

use crate::api::{Api, ApiClientError};
use crate::error::ClientError;
use crate::store::Store;
use crate::vault::{self, Secrets, Vault};

pub const PROFILE_FILE: &str = "profile.json";
pub const KEYS_FILE: &str = "keys.age";
pub const SECRETS_FILE: &str = "secrets.age";
pub const STORE_FILE: &str = "store.sqlite3";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    pub server_url: String,
    pub device_id: DeviceId,
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
    /// The organisation key pinned at enrolment.
    pub org_key: VerifyingKey,
    /// scrypt work factor of keys.age.
    pub kdf_log_n: u8,
}

/// The default profile directory of this platform.
pub fn default_home() -> Result<PathBuf, ClientError> {
    directories::ProjectDirs::from("org", "Visitnotes", "visitnotes")
        .map(|d| d.data_dir().to_owned())
        .ok_or(ClientError::NoHome)
}

pub fn exists(home: &Path) -> bool {
    home.join(PROFILE_FILE).is_file()
}

/// Creates the profile directory, mode 0700 on unix (elsewhere it inherits
/// the permissions of the user's data directory).
pub fn create_dir(home: &Path) -> Result<(), ClientError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(home).map_err(ClientError::create_folder(home))?;
    // An existing directory keeps its mode through `create`: set it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(home, std::fs::Permissions::from_mode(0o700))
            .map_err(ClientError::create_folder(home))?;
    }
    Ok(())
}

/// An unlocked profile: keys in memory, store open.
///
/// The passphrase is not kept: it opens the keys and is dropped (wiped)
/// when `create` or `unlock` returns. What saving the secrets again takes
/// (after the organisation key was picked up, imported or rebuilt) is the
/// public half of the profile's file key, in `vault` (see `crate::vault`).
/// Dropping the session (Lock, the idle lock, exit) wipes the secrets.
pub struct Session {
    pub home: PathBuf,
    pub config: ProfileConfig,
    pub secrets: Secrets,
    pub store: Store,
    vault: Vault,
    /// Built on first use (most commands never reach the server), then
    /// reused, so that its connections are.
    api: OnceLock<Api>,
}

impl Session {
    /// Writes a new profile and opens it.
    pub fn create(
        home: &Path,
        config: ProfileConfig,
        secrets: Secrets,
        passphrase: SecretString,
    ) -> Result<Session, ClientError> {
        if exists(home) {
            return Err(ClientError::ProfileExists(home.to_owned()));
        }
        create_dir(home)?;
        let vault =
            Vault::create(&home.join(KEYS_FILE), &home.join(SECRETS_FILE), &secrets, &passphrase, config.kdf_log_n)?;
        drop(passphrase);
        let store = Store::open(&home.join(STORE_FILE), &secrets.store_key)?;
        let session = Session { home: home.to_owned(), config, secrets, store, vault, api: OnceLock::new() };
        session.save_config()?;
        Ok(session)
    }

    pub fn unlock(home: &Path, passphrase: SecretString) -> Result<Session, ClientError> {
        if !exists(home) {
            return Err(ClientError::NoProfile(home.to_owned()));
        }
        let path = home.join(PROFILE_FILE);
        let text = std::fs::read_to_string(&path).map_err(ClientError::read(&path))?;
        let config: ProfileConfig =
            serde_json::from_str(&text).map_err(|source| ClientError::ProfileDamaged { path, source })?;
        let (vault, secrets) =
            Vault::open(&home.join(KEYS_FILE), &home.join(SECRETS_FILE), &passphrase, config.kdf_log_n)?;
        drop(passphrase);
        let store = Store::open(&home.join(STORE_FILE), &secrets.store_key)?;
        Ok(Session { home: home.to_owned(), config, secrets, store, vault, api: OnceLock::new() })
    }

    pub fn save_config(&self) -> Result<(), ClientError> {
        let text = serde_json::to_string_pretty(&self.config).expect("the profile serialises");
        vault::write_private(&self.home.join(PROFILE_FILE), text.as_bytes())
    }

    /// Writes the secrets again (after the organisation key was added),
    /// without the passphrase.
    pub fn save_secrets(&self) -> Result<(), ClientError> {
        self.vault.save(&self.secrets)
    }

    /// The client for this profile's server, one per session.
    pub fn api(&self) -> Result<&Api, ApiClientError> {
        if let Some(api) = self.api.get() {
            return Ok(api);
        }
        let api = Api::new(&self.config.server_url)?;
        Ok(self.api.get_or_init(|| api))
    }

    /// The newest roster this device has verified.
    pub fn roster(&self) -> Result<Roster, ClientError> {
        let signed = self.store.latest_roster()?.ok_or(ClientError::NoRoster)?;
        Ok(signed.verify(&self.config.org_key, 0)?)
    }

    pub fn is(&self, role: Role) -> Result<bool, ClientError> {
        let roster = self.roster()?;
        Ok(roster.device(&self.config.device_id).is_some_and(|(m, _)| m.roles.contains(&role)))
    }
}
