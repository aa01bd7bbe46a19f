//! Revocation of a device and removal of a person: each planned first (what
//! it will sign, or why it is refused), then signed only as the person saw
//! it confirmed.
//!
//! The refusals keep anyone from locking the organisation out: the device
//! in use, the person using it, the last administrator, the last
//! coordinator. A confirmation made on an older plan (a newer roster, or
//! a newer statement from the device, arrived meanwhile) signs nothing and
//! answers the plan as it is now.

use serde::Serialize;
use visitnotes_shared::head::SignedHead;
use visitnotes_shared::roster::{DeviceStatus, Member, MemberStatus, Role, Roster};
use visitnotes_shared::{DeviceId, UserId};

use super::{require_admin, require_admin_to_change, AdminError};
use crate::error::{ClientError, Unpublished};
use crate::ops::heads::{self, Evidence};
use crate::ops::resolve;
use crate::profile::Session;

/// Why a revocation or removal is refused before anything is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum Refusal {
    /// The device to revoke is the one in use: revoking it locks the
    /// administrator out. Another administrator's device may.
    #[error("this is the device you are using: revoking it would lock you out. Revoke it from another administrator's device")]
    ThisDevice,
    /// The person to remove is the one using this device. Another
    /// administrator may.
    #[error("{name} is you (this device): removing yourself would lock you out. Ask another administrator")]
    Yourself { name: String },
    /// The person to remove is the last active one with `role` (an
    /// administrator: nobody could change the roster; a coordinator:
    /// nobody could read the notes). Invite another first.
    #[error("{name} is the last {role}: removing them is refused, as {}. Invite another {role} first (`visitnotes admin invite --role {role}`)", last_of_why(*.role))]
    LastOf { name: String, role: Role },
}

/// What nobody could do without the last member of `role`.
fn last_of_why(role: Role) -> &'static str {
    match role {
        Role::Admin => "nobody could approve devices or change the roster any more",
        _ => "nobody could read the leaders' notes any more",
    }
}

/// What a confirmed revocation or removal did.
#[derive(Debug)]
pub enum Outcome<P> {
    /// Signed and published as `plan` said: the roster that says it.
    Signed { plan: P, roster: Roster },
    /// Something changed since the plan was shown: nothing was signed;
    /// this is what would be signed now, to show and confirm again.
    Stale(P),
    /// Refused before anything was signed.
    Refused(Refusal),
}

/// What a revocation will sign, shown before it is done.
#[derive(Debug, Serialize)]
pub struct RevokePlan {
    pub person: String,
    pub device_id: DeviceId,
    /// The name the device enrolled with.
    pub device_name: String,
    pub enrolled_at: Option<i64>,
    /// The device's newest item that a signature proves: its notes up to
    /// this number stay trusted, later ones are refused.
    pub trusted: Evidence,
    /// The last note the server says it holds from it (not trusted: shown
    /// when it says more than can be verified).
    pub server_last_seq: u64,
    /// The person keeps no active device after this.
    pub last_device: bool,
    /// The version of the roster it signs.
    pub next_version: u64,
}

/// Finds the device `query` names and what revoking it will sign, or why
/// that is refused (it is this device: an administrator who revokes it
/// locks themselves out). Reads only.
pub fn plan_revoke(session: &Session, query: &str) -> Result<Result<RevokePlan, Refusal>, ClientError> {
    let roster = require_admin(session)?;
    plan_revoke_in(session, &roster, query)
}

fn plan_revoke_in(session: &Session, roster: &Roster, query: &str) -> Result<Result<RevokePlan, Refusal>, ClientError> {
    let (member, device) = resolve::device(roster, query)?;
    if let Some(refusal) = revoke_refusal(session, &device.device_id) {
        return Ok(Err(refusal));
    }
    let users = session.api()?.users(&session.secrets.device)?;
    let info = users.iter().flat_map(|u| u.devices.iter()).find(|d| d.device_id == device.device_id);
    let others = member.devices.iter().filter(|d| d.device_id != device.device_id && d.status == DeviceStatus::Active);
    let heads = heads::verified_heads(session, roster)?;
    Ok(Ok(RevokePlan {
        person: member.name.clone(),
        device_id: device.device_id.clone(),
        device_name: info.map(|d| d.name.clone()).unwrap_or_default(),
        enrolled_at: info.map(|d| d.enrolled_at),
        trusted: heads::verified_last(session, &heads, &device.device_id)?,
        server_last_seq: info.map_or(0, |d| d.last_seq),
        last_device: others.count() == 0,
        next_version: roster.version + 1,
    }))
}

/// Revokes the device `device` names (its id, as the plan gave it) as its
/// plan showed it to the person who confirmed: its notes trusted through
/// number `trusted_seq`, in roster version `next_version`. On the server
/// at once, then in the roster, trusting its notes through the number the
/// plan verified (never the server's). A plan that is no longer so is
/// answered `Outcome::Stale`, and nothing is signed.
pub fn revoke(
    session: &Session,
    device: &str,
    trusted_seq: u64,
    next_version: u64,
) -> Result<Outcome<RevokePlan>, ClientError> {
    let current = require_admin_to_change(session)?;
    let plan = match plan_revoke_in(session, &current, device)? {
        Ok(plan) => plan,
        Err(refusal) => return Ok(Outcome::Refused(refusal)),
    };
    if plan.trusted.seq != trusted_seq || plan.next_version != next_version {
        return Ok(Outcome::Stale(plan));
    }
    let device = &plan.device_id;
    // The server's answer (the last number it holds) is not evidence.
    session.api()?.revoke(&session.secrets.device, device)?;
    let mut next = current.clone();
    if let Some(d) = next.members.iter_mut().flat_map(|m| m.devices.iter_mut()).find(|d| &d.device_id == device) {
        d.status = revoked(&plan.trusted, current.version);
    }
    let change = Unpublished::Revoked { person: plan.person.clone(), device_id: device.clone() };
    match crate::ops::roster::publish(session, &current, next) {
        Ok(roster) => Ok(Outcome::Signed { plan, roster }),
        Err(e) => Err(not_published(change)(e)),
    }
}

/// A roster that could not be published after the server refused someone
/// already: `RosterNotPublished`, which says how to finish it (the same
/// command again; the server answers a second revocation or removal as it
/// did the first). A roster published whose head did not follow is said
/// as it is.
fn not_published(change: Unpublished) -> impl FnOnce(ClientError) -> ClientError {
    move |e| match e {
        e @ ClientError::HeadNotUploaded { .. } => e,
        e => ClientError::RosterNotPublished { change, source: Box::new(e) },
    }
}

/// The status of a device revoked with `trusted` as its last trusted item.
fn revoked(trusted: &Evidence, roster_version: u64) -> DeviceStatus {
    DeviceStatus::Revoked {
        trusted_through_seq: trusted.seq,
        trusted_through_hash: trusted.hash,
        active_through_roster: Some(roster_version),
    }
}

/// What a removal will sign.
#[derive(Debug, Serialize)]
pub struct RemovePlan {
    pub person: String,
    pub user_id: UserId,
    pub roles: Vec<Role>,
    /// Their active devices, revoked with them.
    pub devices: usize,
    /// The version of the roster it signs.
    pub next_version: u64,
}

/// Finds the person `query` names and what removing them will sign, or
/// why that is refused (the person using this device, the last
/// administrator, the last coordinator: without them nobody could change
/// the roster, or read the notes). Reads only.
pub fn plan_remove(session: &Session, query: &str) -> Result<Result<RemovePlan, Refusal>, ClientError> {
    let roster = require_admin(session)?;
    plan_remove_in(session, &roster, query)
}

fn plan_remove_in(session: &Session, roster: &Roster, query: &str) -> Result<Result<RemovePlan, Refusal>, ClientError> {
    let member = resolve::member(roster, query, false)?;
    if let Some(refusal) = remove_refusal(session, roster, member) {
        return Ok(Err(refusal));
    }
    Ok(Ok(RemovePlan {
        person: member.name.clone(),
        user_id: member.user_id.clone(),
        roles: member.roles.iter().copied().collect(),
        devices: member.devices.iter().filter(|d| d.status == DeviceStatus::Active).count(),
        next_version: roster.version + 1,
    }))
}

/// Whether revoking `device` is refused: it is the device in use.
fn revoke_refusal(session: &Session, device: &DeviceId) -> Option<Refusal> {
    (device == &session.config.device_id).then_some(Refusal::ThisDevice)
}

/// Whether removing `member` from `roster` is refused: it is the person
/// using this device, or the last active administrator or coordinator
/// (without them nobody could change the roster, or read the notes).
fn remove_refusal(session: &Session, roster: &Roster, member: &Member) -> Option<Refusal> {
    if member.devices.iter().any(|d| d.device_id == session.config.device_id) {
        return Some(Refusal::Yourself { name: member.name.clone() });
    }
    [Role::Admin, Role::Coordinator].into_iter().find_map(|role| {
        let others = roster
            .members
            .iter()
            .filter(|m| m.user_id != member.user_id && m.status == MemberStatus::Active && m.roles.contains(&role));
        (member.roles.contains(&role) && others.count() == 0)
            .then(|| Refusal::LastOf { name: member.name.clone(), role })
    })
}

/// Removes the person `person` names (their id, as the plan gave it) as
/// the plan showed it to the person who confirmed: in roster version
/// `next_version`. The server refuses their devices at once; the roster
/// marks them removed, so new notes are no longer encrypted to them. A
/// plan that is no longer so is answered `Outcome::Stale`, and nothing is
/// signed.
pub fn remove(session: &Session, person: &str, next_version: u64) -> Result<Outcome<RemovePlan>, ClientError> {
    let current = require_admin_to_change(session)?;
    let plan = match plan_remove_in(session, &current, person)? {
        Ok(plan) => plan,
        Err(refusal) => return Ok(Outcome::Refused(refusal)),
    };
    if plan.next_version != next_version {
        return Ok(Outcome::Stale(plan));
    }
    let user = &plan.user_id;
    let api = session.api()?;
    let heads = heads::verified_heads(session, &current)?;
    api.remove(&session.secrets.device, user)?;
    let mut next = current.clone();
    let member = next
        .members
        .iter_mut()
        .find(|m| &m.user_id == user)
        .ok_or_else(|| AdminError::MemberGone { person: plan.person.clone() })?;
    mark_removed(session, member, &heads, current.version)?;
    match crate::ops::roster::publish(session, &current, next) {
        Ok(roster) => Ok(Outcome::Signed { plan, roster }),
        Err(e) => Err(not_published(Unpublished::Removed { person: plan.person.clone() })(e)),
    }
}

/// Marks `member` removed and revokes their active devices, each trusted
/// through its newest item a signature proves (`heads::verified_last`).
fn mark_removed(
    session: &Session,
    member: &mut Member,
    heads: &[SignedHead],
    roster_version: u64,
) -> Result<(), ClientError> {
    member.status = MemberStatus::Removed;
    for device in &mut member.devices {
        if device.status == DeviceStatus::Active {
            device.status = revoked(&heads::verified_last(session, heads, &device.device_id)?, roster_version);
        }
    }
    Ok(())
}
