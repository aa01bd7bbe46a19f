//! Enrolment: make the device keys, check the organisation key against the
//! invite, register with the server. The first administrator (bootstrap
//! invite) also creates the organisation key and publishes roster 1.

use std::path::Path;

use age::secrecy::SecretString;
use visitnotes_shared::api::EnrolRequest;
use visitnotes_shared::enrol::{self, EnrolingKeys};
use visitnotes_shared::invite::Invite;
use visitnotes_shared::roster::{Member, Role, Roster};
use visitnotes_shared::OrgKey;

use crate::api::Api;
use crate::error::ClientError;
use crate::i18n::Lang;
use crate::profile::{self, ProfileConfig, Session};
use crate::vault::{self, Secrets};

/// The catalogue messages of the units suggested to a new organisation.
const SUGGESTED_UNITS: [&str; 4] = [
    "enrol-unit-suggestion-men",
    "enrol-unit-suggestion-women",
    "enrol-unit-suggestion-extra",
    "enrol-unit-suggestion-security",
];

/// The units suggested to a new organisation, in `lang`: the first
/// administrator keeps or changes them when enrolling, and any
/// administrator later with `visitnotes admin units`.
pub fn suggested_units(lang: Lang) -> Vec<String> {
    SUGGESTED_UNITS.iter().map(|id| lang.t(id)).collect()
}

/// Whether `invite` is the first administrator's (bootstrap) invite: it
/// pins no organisation key, since the enrolling device makes it.
pub fn is_bootstrap(invite: &Invite) -> bool {
    invite.org_key_digest.is_none()
}

/// Where this device stands after enrolling, as the server and the roster
/// tell it (`approval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// The roster lists this device as active.
    Approved,
    /// The server knows the device; no roster lists it yet.
    Waiting,
    /// The server no longer knows the device: its enrolment was rejected
    /// (or the device revoked) and it needs a new invite.
    Refused,
}

/// Whether no roster this device holds lists it yet: enrolled, and not
/// seen approved (read here only; `approval` asks the server).
pub fn awaits_approval(session: &Session) -> bool {
    match session.roster() {
        Ok(roster) => roster.device(&session.config.device_id).is_none(),
        Err(ClientError::NoRoster) => true,
        // A roster that does not read is said where it is used.
        Err(_) => false,
    }
}

/// Asks the server whether an administrator approved this device yet: the
/// same roster fetch `visitnotes sync` starts with. A waiting device may
/// read the roster; a rejected one is deleted on the server, which then
/// refuses its signed requests (401).
pub fn approval(session: &Session) -> Result<Approval, ClientError> {
    use visitnotes_shared::roster::DeviceStatus;
    let roster = match super::roster::fetch(session) {
        Ok(fetched) => fetched.roster().clone(),
        Err(ClientError::Api(e)) if e.status() == Some(401) => return Ok(Approval::Refused),
        // No roster signed yet is an organisation still being set up.
        Err(e) => return Err(e),
    };
    Ok(match roster.device(&session.config.device_id) {
        Some((_, device)) if device.status == DeviceStatus::Active => Approval::Approved,
        Some(_) => Approval::Refused,
        None => Approval::Waiting,
    })
}

pub struct Options<'a> {
    pub invite: &'a str,
    pub name: &'a str,
    /// Units of a new organisation (bootstrap only; none: the suggestions
    /// in English).
    pub units: Vec<String>,
    pub kdf_log_n: u8,
}

pub struct Enrolled {
    pub session: Session,
    pub bootstrap: bool,
}

/// Checks what can be checked on this device before the one-time invite is
/// spent: the invite reads, there is no profile yet, and the profile folder
/// can be written.
pub fn check_local(home: &Path, invite: &str) -> Result<Invite, ClientError> {
    let invite = Invite::decode(invite)?;
    if profile::exists(home) {
        return Err(ClientError::ProfileExists(home.to_owned()));
    }
    let not_writable = |source| ClientError::ProfileNotWritable { dir: home.to_owned(), source };
    profile::create_dir(home).map_err(|e| match e {
        ClientError::Io { source, .. } => not_writable(source),
        other => other,
    })?;
    // A fresh file of a random name, gone when dropped: never one that
    // someone else could have planted there.
    tempfile::NamedTempFile::new_in(home).map_err(not_writable)?;
    Ok(invite)
}

pub fn enroll(home: &Path, opts: Options<'_>, passphrase: SecretString) -> Result<Enrolled, ClientError> {
    // Everything local first: the server spends the invite on the first
    // enrolment it accepts, and a device that fails after that is locked out.
    let local = vault::check_new_passphrase(&passphrase).and_then(|()| check_local(home, opts.invite));
    let invite = local.map_err(|e| ClientError::InviteUnused(Box::new(e)))?;
    let api = Api::new(&invite.server_url)?;
    let org_info = api.org()?;
    // Pin before sending anything: a server that is not the organisation's
    // learns nothing, not even the device's public keys.
    match (&invite.org_key_digest, &org_info.org_key) {
        (Some(expected), Some(found)) if &found.digest() == expected => {}
        (Some(expected), Some(found)) => {
            return Err(ClientError::OrgKeyMismatch {
                expected: visitnotes_shared::keys::fingerprint(expected),
                found: found.fingerprint(),
            })
        }
        (Some(_), None) => return Err(ClientError::ServerHasNoOrg),
        (None, Some(_)) => return Err(ClientError::ServerHasOrg),
        (None, None) => {}
    }

    let secrets = Secrets::generate();
    let keys = &secrets.device;
    let (signing_key, age_recipient) = (keys.signing_key(), keys.age_recipient());
    let token_hash = invite.token_hash();
    let mac = enrol::mac(
        &invite.secret,
        &EnrolingKeys {
            token_hash: &token_hash,
            name: opts.name,
            signing_key: &signing_key,
            age_recipient: &age_recipient,
        },
    );
    let request = EnrolRequest {
        token: visitnotes_shared::hex(&invite.token),
        name: opts.name.to_owned(),
        signing_key,
        age_recipient: age_recipient.clone(),
        mac,
    };
    let enrolled = api.enrol(&request)?;
    if enrolled.device_id != keys.device_id() {
        return Err(ClientError::OtherDeviceEnrolled { expected: keys.device_id(), found: enrolled.device_id });
    }

    let mut secrets = secrets;
    let org_key = match org_info.org_key {
        Some(key) => key,
        None => {
            let org = OrgKey::generate();
            let public = org.public();
            secrets.org_key = Some(org);
            public
        }
    };
    let config = ProfileConfig {
        server_url: invite.server_url.clone(),
        device_id: enrolled.device_id.clone(),
        user_id: enrolled.user_id.clone(),
        name: opts.name.to_owned(),
        role: enrolled.role,
        org_key,
        kdf_log_n: opts.kdf_log_n,
    };
    let session = Session::create(home, config, secrets, passphrase)?;
    if enrolled.bootstrap {
        publish_first_roster(&session, opts.units)?;
    }
    Ok(Enrolled { session, bootstrap: enrolled.bootstrap })
}

fn publish_first_roster(session: &Session, units: Vec<String>) -> Result<(), ClientError> {
    let org = session.secrets.org_key.as_ref().ok_or(ClientError::NoOrgKey)?;
    let keys = &session.secrets.device;
    let units = if units.is_empty() { suggested_units(Lang::En) } else { units };
    let issued_at = super::roster::now();
    let roster = Roster {
        version: 1,
        org_key: org.public(),
        issued_at,
        expires_at: Some(issued_at.saturating_add(super::roster::lifetime())),
        units,
        members: vec![Member::active(session.config.user_id.clone(), &session.config.name, &[Role::Admin], &[keys])],
    };
    let signed = roster.sign(org);
    session.api()?.publish_roster(keys, &signed)?;
    super::roster::accept(session, &signed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The units a new organisation is offered come from each catalogue:
    /// four, none empty, none a message id, in Norwegian not English.
    #[test]
    fn the_suggested_units_are_in_each_language() {
        let (en, nb) = (suggested_units(Lang::En), suggested_units(Lang::Nb));
        for units in [&en, &nb] {
            assert_eq!(units.len(), 4, "{units:?}");
            assert!(units.iter().all(|u| !u.trim().is_empty() && !u.starts_with("enrol-")), "{units:?}");
        }
        assert_eq!(en[0], "Men's unit");
        assert!(en.iter().zip(&nb).all(|(e, n)| e != n), "{nb:?}");
    }
}
