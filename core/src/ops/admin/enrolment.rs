//! Invites, the enrolments waiting for approval, and their approval or
//! rejection. An approval adds only enrolments whose MAC verifies against
//! the secret this device kept for the invite, then hands the organisation
//! key to the administrators' devices that lack it.

use visitnotes_shared::api::{CreateInvite, InviteCreated, PendingEnrolment};
use visitnotes_shared::enrol::{self, EnrolingKeys};
use visitnotes_shared::invite::Invite;
use visitnotes_shared::roster::{Device, DeviceStatus, Member, MemberStatus, Role, Roster};
use visitnotes_shared::{DeviceId, UserId};

use serde::Serialize;

use super::{require_admin, require_admin_to_change, AdminError};
use crate::display::{local_datetime, short};
use crate::error::ClientError;
use crate::ops::org_key::{self, Granted};
use crate::ops::resolve;
use crate::profile::Session;
use crate::store::StoredKind;

/// Creates an invite for a new member and keeps its enrolment secret in
/// the local store.
pub fn invite(
    session: &Session,
    role: Role,
    name: &str,
    days: Option<u32>,
) -> Result<(Invite, InviteCreated), ClientError> {
    require_admin_to_change(session)?;
    create_invite(session, role, name, None, days)
}

/// Creates an invite for another device of the member `query` names (a new
/// phone after a lost one): approved, it joins that member, so their notes
/// stay theirs. Returns the invite, and the member's name and role.
pub fn invite_device(
    session: &Session,
    query: &str,
    days: Option<u32>,
) -> Result<(Invite, InviteCreated, String, Role), ClientError> {
    let roster = require_admin_to_change(session)?;
    let member = resolve::member(&roster, query, false)?;
    // The role is kept with the invite for approval; the member keeps all theirs.
    let role = member.roles.iter().next().copied().ok_or_else(|| AdminError::NoRole { name: member.name.clone() })?;
    let (invite, created) = create_invite(session, role, &member.name, Some(member.user_id.clone()), days)?;
    Ok((invite, created, member.name.clone(), role))
}

fn create_invite(
    session: &Session,
    role: Role,
    name: &str,
    user_id: Option<UserId>,
    days: Option<u32>,
) -> Result<(Invite, InviteCreated), ClientError> {
    let invite = Invite::generate(&session.config.server_url, Some(session.config.org_key.digest()));
    let request =
        CreateInvite { token_hash: invite.token_hash(), role, name: name.to_owned(), user_id, expires_in_days: days };
    let created = session.api()?.create_invite(&session.secrets.device, &request)?;
    session.store.keep_invite(&invite.token_hash(), created.user_id.as_str(), role, name, &invite.secret)?;
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
                (if genuine { Verdict::Genuine } else { Verdict::Tampered }, Some(kept.role))
            }
        };
        if verdict == Verdict::Tampered {
            session.store.alert(
                StoredKind::Enrolment,
                enrolment.device_id.as_str(),
                &crate::ops::alerts::Detail::EnrolmentCodeMismatch.to_json(),
            )?;
        }
        out.push(Candidate { fingerprint: enrolment.signing_key.fingerprint(), enrolment, role, verdict });
    }
    // A tampered enrolment that is no longer pending (rejected, or gone
    // from the server) is no longer a danger.
    for alert in session.store.open_alerts()?.into_iter().filter(|a| a.kind == Some(StoredKind::Enrolment)) {
        if !out.iter().any(|c| c.enrolment.device_id.as_str() == alert.subject) {
            session.store.resolve_alerts(StoredKind::Enrolment, &alert.subject)?;
        }
    }
    Ok(out)
}

/// Why a device asked to be approved is not: nothing was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "why")]
pub enum NotApprovable {
    /// No enrolment of this device is pending (approved or rejected
    /// already, or gone from the server).
    #[error("device {} is no longer waiting for approval (approved or rejected meanwhile): nothing was approved. See `visitnotes admin pending`", short(.device_id.as_str()))]
    Gone { device_id: DeviceId },
    /// Its MAC does not verify: the keys were changed on the way. Reject it
    /// and make a new invite.
    #[error("{name} (device {}) REFUSED: its keys no longer match what the invited device sent: nothing was approved. Reject it and issue a new invite", short(.device_id.as_str()))]
    Tampered { name: String, device_id: DeviceId },
    /// Its invite was made on another administrator's device, which must
    /// approve it.
    #[error("{name} (device {}): their invite was made on another administrator's device, which must approve it: nothing was approved", short(.device_id.as_str()))]
    UnknownInvite { name: String, device_id: DeviceId },
}

/// What an approval did.
#[derive(Debug)]
pub struct Approved {
    /// The enrolments now in the roster.
    pub approved: Vec<Candidate>,
    /// The roster published with them.
    pub roster: Roster,
    /// The administrators' devices the organisation key was sealed to
    /// after it (a new administrator's among them), or why that failed:
    /// the approval stands either way, and the next administration command
    /// that changes something, or this device's next sync, tries again.
    pub org_key: Result<Vec<Granted>, ClientError>,
}

/// Approves the pending enrolments of `devices`: checks each again (it
/// must be pending, its MAC verified against this device's record of the
/// invite), adds them to the next roster with the role of that record (not
/// the server's), publishes it, and seals the organisation key to the
/// administrators' devices that lack it. Any device that cannot be
/// approved refuses the whole approval, and nothing is signed.
pub fn approve(session: &Session, devices: &[DeviceId]) -> Result<Result<Approved, NotApprovable>, ClientError> {
    if devices.is_empty() {
        return Err(AdminError::NothingChosen.into());
    }
    let mut candidates = pending(session)?;
    let mut chosen = Vec::new();
    for device in devices {
        let Some(at) = candidates.iter().position(|c| &c.enrolment.device_id == device) else {
            return Ok(Err(NotApprovable::Gone { device_id: device.clone() }));
        };
        let candidate = candidates.swap_remove(at);
        let (name, device_id) = (candidate.enrolment.name.clone(), device.clone());
        match candidate.verdict {
            Verdict::Genuine => chosen.push(candidate),
            Verdict::Tampered => return Ok(Err(NotApprovable::Tampered { name, device_id })),
            Verdict::UnknownInvite => return Ok(Err(NotApprovable::UnknownInvite { name, device_id })),
        }
    }
    let current = require_admin_to_change(session)?;
    let mut next = current.clone();
    for candidate in &chosen {
        let e = &candidate.enrolment;
        let role =
            candidate.role.ok_or_else(|| AdminError::InviteWithoutRole { name: candidate.enrolment.name.clone() })?;
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
    let roster = super::super::roster::publish(session, &current, next)?;
    for candidate in &chosen {
        session.store.forget_invite(&candidate.enrolment.token_hash)?;
    }
    // An administrator approved: the organisation key goes to their device.
    let org_key = org_key::grant_missing(session, &roster);
    Ok(Ok(Approved { approved: chosen, roster, org_key }))
}

/// The pending enrolment `query` names (its name, or the start of its
/// device id), as the page that asks before a rejection shows it; None
/// when none is pending under it.
pub fn pending_enrolment(session: &Session, query: &str) -> Result<Option<PendingEnrolment>, ClientError> {
    require_admin(session)?;
    match pick_pending(session, query) {
        Ok(found) => Ok(Some(found)),
        Err(ClientError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

fn pick_pending(session: &Session, query: &str) -> Result<PendingEnrolment, ClientError> {
    let list = session.api()?.enrolments(&session.secrets.device)?;
    let items: Vec<(&str, &str, &PendingEnrolment)> =
        list.iter().map(|e| (e.name.as_str(), e.device_id.as_str(), e)).collect();
    let found = resolve::pick(query, "pending enrolment", items, |e| {
        format!("{} (device {}, enrolled {})", e.name, short(e.device_id.as_str()), local_datetime(e.enrolled_at))
    })?;
    Ok(found.clone())
}

/// Deletes a pending enrolment (by device id prefix or name) on the server.
pub fn reject(session: &Session, query: &str) -> Result<PendingEnrolment, ClientError> {
    require_admin_to_change(session)?;
    let found = pick_pending(session, query)?;
    session.api()?.reject(&session.secrets.device, &found.device_id)?;
    session.store.forget_invite(&found.token_hash)?;
    Ok(found)
}
