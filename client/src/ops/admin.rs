//! Administration from an administrator's device: invites (keeping the
//! enrolment secret), approval (checking each enrolment's MAC before its
//! keys go into the roster), revocation, removal, units, and the
//! organisation key's export and import.

use std::path::Path;

use age::secrecy::SecretString;
use serde::Serialize;
use visitnotes_shared::api::{CreateInvite, InviteCreated, PendingEnrolment};
use visitnotes_shared::enrol::{self, EnrolingKeys};
use visitnotes_shared::invite::Invite;
use visitnotes_shared::roster::{Device, DeviceStatus, Member, MemberStatus, Role, Roster};
use visitnotes_shared::{DeviceId, OrgKey, UserId};

use crate::error::ClientError;
use crate::profile::Session;
use crate::vault;

fn require_admin(session: &Session) -> Result<Roster, ClientError> {
    let roster = super::roster::refresh(session)?;
    let is_admin = roster.device(&session.config.device_id).is_some_and(|(m, _)| m.roles.contains(&Role::Admin));
    if !is_admin {
        return Err(ClientError::Invalid("this device is not an administrator's".into()));
    }
    Ok(roster)
}

/// Creates an invite and keeps its enrolment secret in the local store.
pub fn invite(
    session: &Session,
    role: Role,
    name: &str,
    days: Option<u32>,
) -> Result<(Invite, InviteCreated), ClientError> {
    require_admin(session)?;
    let invite = Invite::generate(&session.config.server_url, Some(session.config.org_key.digest()));
    let request = CreateInvite {
        token_hash: invite.token_hash(),
        role,
        name: name.to_owned(),
        user_id: None,
        expires_in_days: days,
    };
    let created = session.api()?.create_invite(&session.secrets.device, &request)?;
    session.store.keep_invite(
        &invite.token_hash(),
        created.user_id.as_str(),
        &role.to_string(),
        name,
        &invite.secret,
    )?;
    Ok((invite, created))
}

/// A pending enrolment and what the check of its MAC found.
#[derive(Debug, Serialize)]
pub struct Candidate {
    pub enrolment: PendingEnrolment,
    pub fingerprint: String,
    /// The role and name this device's administrators gave the invite.
    pub role: Option<Role>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The MAC verifies: these are the keys the invited device sent.
    Genuine,
    /// No secret for this invite here (made on another administrator's device).
    UnknownInvite,
    /// The MAC does not verify: the keys were changed on the way. Refuse.
    Tampered,
}

pub fn pending(session: &Session) -> Result<Vec<Candidate>, ClientError> {
    require_admin(session)?;
    let list = session.api()?.enrolments(&session.secrets.device)?;
    let mut out = Vec::new();
    for enrolment in list {
        let kept = session.store.kept_invite(&enrolment.token_hash)?;
        let (verdict, role) = match &kept {
            None => (Verdict::UnknownInvite, None),
            Some(kept) => {
                let keys = EnrolingKeys {
                    token_hash: &enrolment.token_hash,
                    name: &enrolment.name,
                    signing_key: &enrolment.signing_key,
                    age_recipient: &enrolment.age_recipient,
                };
                let genuine = enrol::verify_mac(&kept.secret, &keys, &enrolment.mac)
                    && kept.user_id == enrolment.user_id.as_str()
                    && DeviceId::from_signing_key(&enrolment.signing_key.0) == enrolment.device_id;
                (if genuine { Verdict::Genuine } else { Verdict::Tampered }, kept.role.parse().ok())
            }
        };
        if verdict == Verdict::Tampered {
            session.store.alert(
                "enrolment",
                enrolment.device_id.as_str(),
                "its enrolment code does not match the invite",
            )?;
        }
        out.push(Candidate { fingerprint: enrolment.signing_key.fingerprint(), enrolment, role, verdict });
    }
    // A tampered enrolment that is no longer pending (rejected, or gone
    // from the server) is no longer a danger.
    for alert in session.store.open_alerts()?.into_iter().filter(|a| a.kind == "enrolment") {
        if !out.iter().any(|c| c.enrolment.device_id.as_str() == alert.subject) {
            session.store.resolve_alerts("enrolment", &alert.subject)?;
        }
    }
    Ok(out)
}

/// Adds the given genuine candidates to the next roster and publishes it.
/// The role comes from this device's record of the invite, not from the server.
pub fn approve(session: &Session, chosen: &[Candidate]) -> Result<Roster, ClientError> {
    let current = require_admin(session)?;
    let mut next = current.clone();
    for candidate in chosen {
        if candidate.verdict != Verdict::Genuine {
            return Err(ClientError::Invalid(format!(
                "device {} cannot be approved: its enrolment is not verified ({:?})",
                candidate.enrolment.device_id, candidate.verdict
            )));
        }
        let e = &candidate.enrolment;
        let role = candidate.role.ok_or_else(|| ClientError::Invalid("the kept invite has no role".into()))?;
        let device = Device {
            device_id: e.device_id.clone(),
            signing_key: e.signing_key,
            age_recipient: e.age_recipient.clone(),
            status: DeviceStatus::Active,
        };
        match next.members.iter_mut().find(|m| m.user_id == e.user_id) {
            Some(member) => member.devices.push(device),
            None => next.members.push(Member {
                user_id: e.user_id.clone(),
                name: e.name.clone(),
                roles: [role].into_iter().collect(),
                status: MemberStatus::Active,
                devices: vec![device],
            }),
        }
    }
    let published = super::roster::publish(session, &current, next)?;
    for candidate in chosen {
        session.store.forget_invite(&candidate.enrolment.token_hash)?;
    }
    Ok(published)
}

/// Revokes a device on the server at once, then in the roster, trusting
/// the notes it had already uploaded.
pub fn revoke(session: &Session, device: &DeviceId) -> Result<Roster, ClientError> {
    let current = require_admin(session)?;
    let last_seq = session.api()?.revoke(&session.secrets.device, device)?;
    let mut next = current.clone();
    let listed = next.members.iter_mut().flat_map(|m| m.devices.iter_mut()).find(|d| &d.device_id == device);
    match listed {
        Some(d) => {
            d.status =
                DeviceStatus::Revoked { trusted_through_seq: last_seq, active_through_roster: Some(current.version) }
        }
        None => return Ok(current),
    }
    super::roster::publish(session, &current, next)
}

/// Removes a user: the server refuses their devices at once; the roster
/// marks them removed, so new notes are no longer encrypted to them.
pub fn remove(session: &Session, user: &UserId) -> Result<Roster, ClientError> {
    let current = require_admin(session)?;
    let api = session.api()?;
    let users = api.users(&session.secrets.device)?;
    api.remove(&session.secrets.device, user)?;
    let mut next = current.clone();
    let member = next
        .members
        .iter_mut()
        .find(|m| &m.user_id == user)
        .ok_or_else(|| ClientError::Invalid(format!("user {user} is not in the roster")))?;
    member.status = MemberStatus::Removed;
    let info = users.iter().find(|u| &u.user_id == user);
    for device in &mut member.devices {
        let last_seq =
            info.and_then(|u| u.devices.iter().find(|d| d.device_id == device.device_id)).map_or(0, |d| d.last_seq);
        if device.status == DeviceStatus::Active {
            device.status =
                DeviceStatus::Revoked { trusted_through_seq: last_seq, active_through_roster: Some(current.version) };
        }
    }
    super::roster::publish(session, &current, next)
}

/// Replaces the organisation's list of units.
pub fn set_units(session: &Session, units: Vec<String>) -> Result<Roster, ClientError> {
    let current = require_admin(session)?;
    if units.is_empty() || units.iter().any(|u| u.trim().is_empty()) {
        return Err(ClientError::Invalid("give at least one unit, none of them empty".into()));
    }
    let mut next = current.clone();
    next.units = units;
    super::roster::publish(session, &current, next)
}

/// Writes the organisation key, encrypted under `passphrase`, to `path`.
pub fn export_org_key(session: &Session, path: &Path, passphrase: &SecretString) -> Result<(), ClientError> {
    let org = session.secrets.org_key.as_ref().ok_or(ClientError::NoOrgKey)?;
    vault::check_new_passphrase(passphrase)?;
    let sealed = vault::encrypt_with_passphrase(org.to_secret_string().as_bytes(), passphrase, vault::DEFAULT_LOG_N)?;
    vault::write_private(path, &sealed)
}

/// Reads an exported organisation key; it must be the key this device pinned.
pub fn import_org_key(session: &mut Session, path: &Path, passphrase: &SecretString) -> Result<(), ClientError> {
    let sealed = std::fs::read(path).map_err(ClientError::io(format!("cannot read {}", path.display())))?;
    let plain = vault::decrypt_with_passphrase(&sealed, passphrase)?;
    let text = std::str::from_utf8(&plain).map_err(|_| ClientError::CorruptKeys("not an exported key".into()))?;
    let org = OrgKey::from_secret_string(text).map_err(|e| ClientError::CorruptKeys(e.to_string()))?;
    if org.public() != session.config.org_key {
        return Err(ClientError::OrgKeyMismatch {
            expected: session.config.org_key.fingerprint(),
            found: org.public().fingerprint(),
        });
    }
    session.secrets.org_key = Some(org);
    session.save_secrets()
}
