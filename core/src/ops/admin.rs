//! Administration from an administrator's device: invites (keeping the
//! enrolment secret), approval (checking each enrolment's MAC before its
//! keys go into the roster), revocation, removal, units, and the
//! organisation key's export and import.
//!
//! Only a person's decision is signed. What the server says that no
//! signed roster says (a member removed, a device revoked, an older
//! roster) is a `Claim` to show, never a roster to sign; doing what it
//! says goes through the same plan, refusals and confirmation as any other
//! change.
//!
//! Reading signs nothing: the functions the pages a GET shows and the
//! commands that only read use (`pending`, the plans, `claims`) fetch and
//! check, and sign, publish or upload nothing (`require_admin`). A change
//! a person asked for (`invite`, `approve`, `reject`, `revoke`, `remove`,
//! `set_units`) uploads this device's head first (`require_admin_to_change`),
//! and every roster it signs is followed at once by another head naming
//! the new version (`roster::publish`), so that a reader whom the server
//! keeps on the older roster is warned at its next sync. A GET page, or a
//! command that only reads, uploads no head: an administrator's device
//! that only reads stays heard from through its syncs.

use std::path::Path;

use age::secrecy::SecretString;
use serde::Serialize;
use visitnotes_shared::api::{CreateInvite, DeviceState, InviteCreated, PendingEnrolment, UserState};
use visitnotes_shared::enrol::{self, EnrolingKeys};
use visitnotes_shared::head::SignedHead;
use visitnotes_shared::invite::Invite;
use visitnotes_shared::roster::{Device, DeviceStatus, Member, MemberStatus, Role, Roster};
use visitnotes_shared::{DeviceId, OrgKey, UserId};

use super::heads::{self, Evidence};
use super::resolve;
use crate::display::{local_datetime, short};
use crate::error::ClientError;
use crate::profile::Session;
use crate::vault;

/// The roster in force, on an administrator's device (anything else is
/// refused). Reads only: nothing is signed, published or uploaded, so the
/// pages a GET shows and the commands that only read (`admin pending`, the
/// plans shown before a confirmation) use this.
fn require_admin(session: &Session) -> Result<Roster, ClientError> {
    let roster = super::roster::in_force(session)?;
    admin_only(session, roster)
}

/// `require_admin` before a change an administrator asked for: a server
/// behind this device gets the newest roster again (`roster::refresh`), and
/// this device's head is uploaded (an administrator's device may never
/// sync, and would otherwise fall silent for the others). A roster signed
/// after this is followed by another head naming it (`roster::publish`).
fn require_admin_to_change(session: &Session) -> Result<Roster, ClientError> {
    let roster = admin_only(session, super::roster::refresh(session)?)?;
    heads::publish_own(session)?;
    Ok(roster)
}

fn admin_only(session: &Session, roster: Roster) -> Result<Roster, ClientError> {
    if !super::roster::holds(&roster, session, Role::Admin) {
        return Err(ClientError::Invalid("this device is not an administrator's".into()));
    }
    Ok(roster)
}

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
    let role = member.roles.iter().next().copied().ok_or(ClientError::Invalid("the member has no role".into()))?;
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
    let current = require_admin_to_change(session)?;
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
}

/// Finds the device `query` names and what revoking it will sign. Refuses
/// this device: an administrator who revokes it locks themselves out.
pub fn plan_revoke(session: &Session, query: &str) -> Result<RevokePlan, ClientError> {
    let roster = require_admin(session)?;
    let (member, device) = resolve::device(&roster, query)?;
    if let Some(refusal) = revoke_refusal(session, &device.device_id) {
        return Err(ClientError::Invalid(refusal.to_string()));
    }
    let users = session.api()?.users(&session.secrets.device)?;
    let info = users.iter().flat_map(|u| u.devices.iter()).find(|d| d.device_id == device.device_id);
    let others = member.devices.iter().filter(|d| d.device_id != device.device_id && d.status == DeviceStatus::Active);
    let heads = heads::verified_heads(session, &roster)?;
    Ok(RevokePlan {
        person: member.name.clone(),
        device_id: device.device_id.clone(),
        device_name: info.map(|d| d.name.clone()).unwrap_or_default(),
        enrolled_at: info.map(|d| d.enrolled_at),
        trusted: heads::verified_last(session, &heads, &device.device_id)?,
        server_last_seq: info.map_or(0, |d| d.last_seq),
        last_device: others.count() == 0,
    })
}

/// Revokes a device on the server at once, then in the roster, trusting
/// its notes through the number the plan verified (never the server's).
pub fn revoke(session: &Session, plan: &RevokePlan) -> Result<Roster, ClientError> {
    let current = require_admin_to_change(session)?;
    let device = &plan.device_id;
    // The server's answer (the last number it holds) is not evidence.
    session.api()?.revoke(&session.secrets.device, device)?;
    let mut next = current.clone();
    let listed = next.members.iter_mut().flat_map(|m| m.devices.iter_mut()).find(|d| &d.device_id == device);
    match listed {
        Some(d) => d.status = revoked(&plan.trusted, current.version),
        None => return Ok(current),
    }
    let again = format!("visitnotes admin revoke {}", short(device.as_str()));
    super::roster::publish(session, &current, next).map_err(not_published(format!("{}'s device", plan.person), again))
}

/// A roster that could not be published after the server refused someone
/// already: `RosterNotPublished`, which says how to finish it (the same
/// command again; the server answers a second revocation or removal as it
/// did the first). A roster published whose head did not follow is said
/// as it is.
fn not_published(what: String, again: String) -> impl FnOnce(ClientError) -> ClientError {
    move |e| match e {
        e @ ClientError::HeadNotUploaded { .. } => e,
        e => ClientError::RosterNotPublished { what, again, source: Box::new(e) },
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
}

/// Finds the person `query` names. Refuses the person using this device,
/// the last administrator and the last coordinator: without them nobody
/// could change the roster, or read the notes.
pub fn plan_remove(session: &Session, query: &str) -> Result<RemovePlan, ClientError> {
    let roster = require_admin(session)?;
    let member = resolve::member(&roster, query, false)?;
    if let Some(refusal) = remove_refusal(session, &roster, member) {
        return Err(ClientError::Invalid(refusal.to_string()));
    }
    Ok(RemovePlan {
        person: member.name.clone(),
        user_id: member.user_id.clone(),
        roles: member.roles.iter().copied().collect(),
        devices: member.devices.iter().filter(|d| d.status == DeviceStatus::Active).count(),
    })
}

/// Why a revocation or removal is refused before anything is signed: the
/// CLI says it in these words, the web app in the page's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("this is the device you are using: revoking it would lock you out. Revoke it from another administrator's device")]
    ThisDevice,
    #[error("{name} is you (this device): removing yourself would lock you out. Ask another administrator")]
    Yourself { name: String },
    #[error("{name} is the last {role}: removing them is refused, as {}. Invite another {role} first (`visitnotes admin invite --role {role}`)", last_why(.role))]
    LastOf { name: String, role: Role },
}

fn last_why(role: &Role) -> &'static str {
    match role {
        Role::Admin => "nobody could approve devices or change the roster any more",
        _ => "nobody could read the leaders' notes any more",
    }
}

/// Whether revoking `device` is refused: it is the device in use.
pub fn revoke_refusal(session: &Session, device: &DeviceId) -> Option<Refusal> {
    (device == &session.config.device_id).then_some(Refusal::ThisDevice)
}

/// Whether removing `member` from `roster` is refused: it is the person
/// using this device, or the last active administrator or coordinator
/// (without them nobody could change the roster, or read the notes).
pub fn remove_refusal(session: &Session, roster: &Roster, member: &Member) -> Option<Refusal> {
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

/// Removes a user: the server refuses their devices at once; the roster
/// marks them removed, so new notes are no longer encrypted to them.
pub fn remove(session: &Session, plan: &RemovePlan) -> Result<Roster, ClientError> {
    let current = require_admin_to_change(session)?;
    let user = &plan.user_id;
    let api = session.api()?;
    let heads = heads::verified_heads(session, &current)?;
    api.remove(&session.secrets.device, user)?;
    let mut next = current.clone();
    let member = next
        .members
        .iter_mut()
        .find(|m| &m.user_id == user)
        .ok_or_else(|| ClientError::Invalid(format!("{} is not in the roster", plan.person)))?;
    mark_removed(session, member, &heads, current.version)?;
    let again = format!("visitnotes admin remove \"{}\"", plan.person);
    super::roster::publish(session, &current, next).map_err(not_published(plan.person.clone(), again))
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

/// What the server says that no roster signed by the organisation says:
/// for an administrator to check, never signed from the server's word. A
/// revocation or removal an earlier command could not publish shows up
/// here too; the administrator finishes it by doing the same again
/// (`plan_revoke`/`revoke`, `plan_remove`/`remove`: the same refusals and
/// confirmation as any other). A server that makes them up is lying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "claim")]
pub enum Claim {
    /// The server lists `person` as removed; the roster in force has them active.
    Removed { person: String, user_id: UserId },
    /// The server lists this device of `person` as revoked; the roster in
    /// force has it active.
    Revoked { person: String, device_id: DeviceId },
    /// The server serves roster version `served`, older than the version
    /// `held` here (restored from an older backup, or holding the newer
    /// one back). A sync on an administrator's device publishes the held
    /// one again, unchanged.
    RosterBehind { served: u64, held: u64 },
}

/// On an administrator's device, what the server says that the roster in
/// force does not (`Claim`); empty on any other device. Reads only: it
/// signs, publishes and uploads nothing, whatever the server says.
pub fn claims(session: &Session) -> Result<Vec<Claim>, ClientError> {
    let fetched = super::roster::fetch(session)?;
    let roster = fetched.roster();
    if !super::roster::holds(roster, session, Role::Admin) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    if let super::roster::Fetched::Behind { ours, server_version } = &fetched {
        out.push(Claim::RosterBehind { served: *server_version, held: ours.version });
    }
    let users = session.api()?.users(&session.secrets.device)?;
    for member in roster.members.iter().filter(|m| m.status == MemberStatus::Active) {
        let Some(info) = users.iter().find(|u| u.user_id == member.user_id) else { continue };
        if info.state == UserState::Removed {
            out.push(Claim::Removed { person: member.name.clone(), user_id: member.user_id.clone() });
            continue;
        }
        for device in member.devices.iter().filter(|d| d.status == DeviceStatus::Active) {
            let revoked =
                info.devices.iter().any(|d| d.device_id == device.device_id && d.state == DeviceState::Revoked);
            if revoked {
                out.push(Claim::Revoked { person: member.name.clone(), device_id: device.device_id.clone() });
            }
        }
    }
    Ok(out)
}

/// A change to the organisation's units.
pub enum UnitsEdit {
    Add(String),
    Remove(String),
    Replace(Vec<String>),
}

/// The units after `edit`, checked; and which were added and removed.
pub fn plan_units(session: &Session, edit: UnitsEdit) -> Result<UnitsPlan, ClientError> {
    let current = require_admin(session)?;
    let before = current.units.clone();
    let after: Vec<String> = match edit {
        UnitsEdit::Add(unit) => {
            if before.iter().any(|u| u.eq_ignore_ascii_case(unit.trim())) {
                return Err(ClientError::Invalid(format!("\"{unit}\" is one of the units already")));
            }
            before.iter().cloned().chain([unit.trim().to_owned()]).collect()
        }
        UnitsEdit::Remove(unit) => {
            let Some(found) = before.iter().find(|u| u.eq_ignore_ascii_case(unit.trim())) else {
                return Err(ClientError::Invalid(format!(
                    "\"{unit}\" is not one of the units ({})",
                    before.join(", ")
                )));
            };
            before.iter().filter(|u| *u != found).cloned().collect()
        }
        UnitsEdit::Replace(units) => units.into_iter().map(|u| u.trim().to_owned()).collect(),
    };
    if after.is_empty() || after.iter().any(|u: &String| u.is_empty()) {
        return Err(ClientError::Invalid("keep at least one unit, none of them empty".into()));
    }
    let added = after.iter().filter(|u| !before.contains(u)).cloned().collect();
    let removed = before.iter().filter(|u| !after.contains(u)).cloned().collect();
    Ok(UnitsPlan { after, added, removed })
}

#[derive(Debug, Serialize)]
pub struct UnitsPlan {
    pub after: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// Publishes the units of `plan`. A unit no longer listed is retired:
/// notes that name it keep it, it is only no longer offered.
pub fn set_units(session: &Session, plan: &UnitsPlan) -> Result<Roster, ClientError> {
    let current = require_admin_to_change(session)?;
    let mut next = current.clone();
    next.units = plan.after.clone();
    super::roster::publish(session, &current, next)
}

/// Deletes a pending enrolment (by device id prefix or name) on the server.
pub fn reject(session: &Session, query: &str) -> Result<PendingEnrolment, ClientError> {
    require_admin_to_change(session)?;
    let api = session.api()?;
    let list = api.enrolments(&session.secrets.device)?;
    let items: Vec<(&str, &str, &PendingEnrolment)> =
        list.iter().map(|e| (e.name.as_str(), e.device_id.as_str(), e)).collect();
    let found = resolve::pick(query, "pending enrolment", items, |e| {
        format!("{} (device {}, enrolled {})", e.name, short(e.device_id.as_str()), local_datetime(e.enrolled_at))
    })?
    .clone();
    api.reject(&session.secrets.device, &found.device_id)?;
    session.store.forget_invite(&found.token_hash)?;
    Ok(found)
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
    // The key signs rosters; on a device whose member may not administer,
    // it would be a copy to lose and no use.
    let roster = super::roster::in_force(session).or_else(|_| session.roster())?;
    match roster.device(&session.config.device_id) {
        Some((member, _)) if member.roles.contains(&Role::Admin) => {}
        Some((member, _)) => {
            return Err(ClientError::Invalid(format!(
                "{} is not an administrator in the roster: the organisation key belongs only on administrators' devices. Nothing was imported",
                member.name
            )))
        }
        None => {
            return Err(ClientError::Invalid(
                "this device is not in the roster yet: ask an administrator to approve it, run `visitnotes sync`, then import the key. Nothing was imported".into(),
            ))
        }
    }
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
    session.save_secrets()?;
    Ok(session.store.resolve_alerts(super::org_key::GRANT_ALERT, "")?)
}
