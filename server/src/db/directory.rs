//! Invites, users and devices: who may enrol, who has, and in which state.
//!
//! The server's own states (pending, active, revoked) decide who may talk
//! to it; what a device may read and write is decided by the signed roster.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use visitnotes_shared::api::{DeviceInfo, EnrolRequest, EnrolResponse, PendingEnrolment, UserInfo};
use visitnotes_shared::invite::token_hash;
use visitnotes_shared::roster::{DeviceStatus, MemberStatus, Role, Roster};
use visitnotes_shared::{DeviceId, UserId, VerifyingKey};

use super::{audit, notes, now, Refusal, StoreError};

const MAX_NAME: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceState {
    Pending,
    Active,
    Revoked,
}

impl DeviceState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceState::Pending => "pending",
            DeviceState::Active => "active",
            DeviceState::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> DeviceState {
        match s {
            "pending" => DeviceState::Pending,
            "active" => DeviceState::Active,
            _ => DeviceState::Revoked,
        }
    }
}

/// What the server needs about a device to authenticate its requests.
#[derive(Debug, Clone)]
pub struct DeviceRecord {
    pub device_id: DeviceId,
    pub user_id: UserId,
    pub signing_key: VerifyingKey,
    pub state: DeviceState,
    /// Enrolled with the bootstrap invite: may publish roster version 1.
    pub bootstrap: bool,
}

pub(crate) fn parse_role(s: &str) -> Result<Role, StoreError> {
    s.parse().map_err(|e: String| StoreError::Corrupt(format!("stored role: {e}")))
}

pub(crate) fn parse_user(s: String) -> Result<UserId, StoreError> {
    UserId::try_from(s).map_err(|e| StoreError::Corrupt(format!("stored user id: {e}")))
}

pub(crate) fn parse_device(s: String) -> Result<DeviceId, StoreError> {
    DeviceId::try_from(s).map_err(|e| StoreError::Corrupt(format!("stored device id: {e}")))
}

pub fn check_name(name: &str) -> Result<(), StoreError> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.len() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(
            Refusal::Invalid(format!("a name must be 1 to {MAX_NAME} characters, without control characters")).into()
        );
    }
    Ok(())
}

pub struct NewInvite<'a> {
    pub token_hash: &'a str,
    pub user_id: &'a UserId,
    pub role: Role,
    pub name: &'a str,
    pub bootstrap: bool,
    pub expires_at: i64,
}

pub fn create_invite(tx: &Transaction<'_>, invite: &NewInvite<'_>, actor: Option<&str>) -> Result<(), StoreError> {
    check_invite(invite)?;
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO invites (token_hash, user_id, role, name, bootstrap, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            invite.token_hash,
            invite.user_id.as_str(),
            invite.role.to_string(),
            invite.name,
            invite.bootstrap,
            now(),
            invite.expires_at
        ],
    )?;
    if inserted == 0 {
        return Err(Refusal::Conflict("an invite with this token exists already".into()).into());
    }
    audit::append(tx, actor, "invite", &invite_subject(invite))?;
    Ok(())
}

/// The audit entry's subject for creating `invite`.
pub fn invite_subject(invite: &NewInvite<'_>) -> String {
    format!("user {} role {}{}", invite.user_id, invite.role, if invite.bootstrap { " (bootstrap)" } else { "" })
}

/// Refuses an invite whose name or token hash is not well formed.
pub fn check_invite(invite: &NewInvite<'_>) -> Result<(), StoreError> {
    check_name(invite.name)?;
    // Lowercase, as `Invite::token_hash` writes it and enrolment looks it
    // up: an uppercase hash would make an invite no one can use.
    let well_formed = invite.token_hash.len() == 64
        && invite.token_hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !well_formed {
        return Err(Refusal::Invalid("token_hash must be 64 lowercase hex characters".into()).into());
    }
    Ok(())
}

/// Whether `user` is a member the server has not removed.
pub fn active_user(conn: &Connection, user: &UserId) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE user_id = ?1 AND state = 'active')",
        [user.as_str()],
        |r| r.get(0),
    )?)
}

/// Makes every unused bootstrap invite unusable.
pub fn expire_bootstrap_invites(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("UPDATE invites SET used_at = ?1 WHERE bootstrap = 1 AND used_at IS NULL", [now()])?;
    Ok(())
}

/// Whether any administrator has published a roster yet.
pub fn bootstrapped(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM rosters)", [], |r| r.get(0))?)
}

/// Registers a device with an invite token. The invite is used up in the
/// same transaction, so a token enrols exactly one device.
pub fn enrol(tx: &Transaction<'_>, req: &EnrolRequest) -> Result<(EnrolResponse, DeviceRecord), StoreError> {
    let token = data_encoding::HEXLOWER_PERMISSIVE.decode(req.token.as_bytes()).map_err(|_| Refusal::InviteInvalid)?;
    let hash = token_hash(&token);
    let invite: Option<(String, String, String, bool, i64, Option<i64>)> = tx
        .query_row(
            "SELECT user_id, role, name, bootstrap, expires_at, used_at FROM invites WHERE token_hash = ?1",
            [&hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let Some((user_id, role, invited_name, bootstrap, expires_at, used_at)) = invite else {
        return Err(Refusal::InviteInvalid.into());
    };
    let at = now();
    if used_at.is_some() || expires_at < at {
        return Err(Refusal::InviteInvalid.into());
    }
    check_enrolment(req)?;
    let device_id = DeviceId::from_signing_key(&req.signing_key.0);
    let exists: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM devices WHERE device_id = ?1)", [device_id.as_str()], |r| r.get(0))?;
    if exists {
        return Err(Refusal::Conflict("this device is enrolled already".into()).into());
    }
    tx.execute("UPDATE invites SET used_at = ?1 WHERE token_hash = ?2", params![at, hash])?;
    tx.execute(
        "INSERT OR IGNORE INTO users (user_id, name, role, state, created_at) VALUES (?1, ?2, ?3, 'active', ?4)",
        params![user_id, invited_name, role, at],
    )?;
    tx.execute(
        "INSERT INTO devices (device_id, user_id, name, signing_key, age_recipient, mac, token_hash, bootstrap, state, enrolled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9)",
        params![device_id.as_str(), user_id, req.name, &req.signing_key.0[..], req.age_recipient, req.mac, hash, bootstrap, at],
    )?;
    audit::append(tx, Some(device_id.as_str()), "enrol", &format!("device {device_id} for user {user_id} as {role}"))?;
    let user_id = parse_user(user_id)?;
    let record = DeviceRecord {
        device_id: device_id.clone(),
        user_id: user_id.clone(),
        signing_key: req.signing_key,
        state: DeviceState::Pending,
        bootstrap,
    };
    Ok((EnrolResponse { device_id, user_id, role: parse_role(&role)?, bootstrap }, record))
}

/// Refuses an enrolment whose name, age recipient or MAC is not well formed.
pub fn check_enrolment(req: &EnrolRequest) -> Result<(), StoreError> {
    check_name(&req.name)?;
    if req.age_recipient.parse::<age::x25519::Recipient>().is_err() {
        return Err(Refusal::Invalid("age_recipient is not an age X25519 recipient".into()).into());
    }
    if req.mac.len() != 32 {
        return Err(Refusal::Invalid("mac must be 32 bytes".into()).into());
    }
    Ok(())
}

pub fn load_devices(conn: &Connection) -> Result<Vec<DeviceRecord>, StoreError> {
    let mut stmt = conn.prepare("SELECT device_id, user_id, signing_key, state, bootstrap FROM devices")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?, r.get::<_, String>(3)?, r.get(4)?))
    })?;
    let mut devices = Vec::new();
    for row in rows {
        let (device_id, user_id, key, state, bootstrap) = row?;
        let key: [u8; 32] =
            key.try_into().map_err(|_| StoreError::Corrupt("stored signing key is not 32 bytes".into()))?;
        devices.push(DeviceRecord {
            device_id: parse_device(device_id)?,
            user_id: parse_user(user_id)?,
            signing_key: VerifyingKey(key),
            state: DeviceState::parse(&state),
            bootstrap,
        });
    }
    Ok(devices)
}

pub fn pending(conn: &Connection) -> Result<Vec<PendingEnrolment>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT d.device_id, d.user_id, u.role, u.name, d.name, d.token_hash, d.signing_key, d.age_recipient, d.mac, d.enrolled_at
         FROM devices d JOIN users u ON u.user_id = d.user_id
         WHERE d.state = 'pending' AND u.state = 'active' ORDER BY d.enrolled_at",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Vec<u8>>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, Vec<u8>>(8)?,
            r.get::<_, i64>(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (device_id, user_id, role, invited_name, name, token_hash, key, age_recipient, mac, enrolled_at) = row?;
        let key: [u8; 32] =
            key.try_into().map_err(|_| StoreError::Corrupt("stored signing key is not 32 bytes".into()))?;
        out.push(PendingEnrolment {
            device_id: parse_device(device_id)?,
            user_id: parse_user(user_id)?,
            role: parse_role(&role)?,
            invited_name,
            name,
            token_hash,
            signing_key: VerifyingKey(key),
            age_recipient,
            mac,
            enrolled_at,
        });
    }
    Ok(out)
}

pub fn users(conn: &Connection) -> Result<Vec<UserInfo>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT u.user_id, u.name, u.role, u.state,
                COALESCE((SELECT bytes FROM usage WHERE usage.user_id = u.user_id), 0)
         FROM users u ORDER BY u.created_at, u.user_id",
    )?;
    let mut devices = conn.prepare(
        "SELECT d.device_id, d.state, d.enrolled_at,
                (SELECT COALESCE(MAX(n.device_seq), 0) FROM notes n WHERE n.device_id = unhex(d.device_id)),
                d.name,
                (SELECT MAX(n.received_at) FROM notes n WHERE n.device_id = unhex(d.device_id))
         FROM devices d WHERE d.user_id = ?1 ORDER BY d.enrolled_at",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, u64>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (user_id, name, role, state, stored) = row?;
        let device_rows = devices.query_map([&user_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, u64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<i64>>(5)?,
            ))
        })?;
        let mut user_devices = Vec::new();
        for d in device_rows {
            let (device_id, state, enrolled_at, last_seq, name, last_at) = d?;
            user_devices.push(DeviceInfo {
                device_id: parse_device(device_id)?,
                state: state.into(),
                enrolled_at,
                last_seq,
                name,
                last_at,
            });
        }
        out.push(UserInfo {
            user_id: parse_user(user_id)?,
            name,
            role: parse_role(&role)?,
            state: state.into(),
            devices: user_devices,
            stored_bytes: stored,
        });
    }
    Ok(out)
}

/// Refuses the device from its next request on. Returns the highest device
/// sequence number the server holds from it, for the roster's
/// `trusted_through_seq`. A device revoked already gets the same answer: an
/// administrator finishes a revocation whose roster was not published by
/// running it again.
pub fn revoke_device(tx: &Transaction<'_>, device: &DeviceId, actor: &str) -> Result<u64, StoreError> {
    let changed = tx.execute("UPDATE devices SET state = 'revoked' WHERE device_id = ?1", [device.as_str()])?;
    if changed == 0 {
        return Err(Refusal::NotFound(format!("no device {device}")).into());
    }
    let last = notes::last_device_seq(tx, device.as_str())?;
    super::org_key_grants::drop_inactive(tx)?;
    audit::append(tx, Some(actor), "revoke", &format!("device {device}"))?;
    Ok(last)
}

/// Deletes a device that enrolled but was never approved (its invite stays
/// used: a new one is needed). An approved or revoked device is not pending
/// and is refused here.
pub fn reject_enrolment(tx: &Transaction<'_>, device: &DeviceId, actor: &str) -> Result<(), StoreError> {
    let deleted = tx.execute("DELETE FROM devices WHERE device_id = ?1 AND state = 'pending'", [device.as_str()])?;
    if deleted == 0 {
        return Err(Refusal::NotFound(format!("no pending enrolment of device {device}")).into());
    }
    audit::append(tx, Some(actor), "reject", &format!("device {device}"))?;
    Ok(())
}

/// Adds `device` of `member` from the roster, unless the server knows it.
fn restore_device(
    tx: &Transaction<'_>,
    member: &visitnotes_shared::roster::Member,
    device: &visitnotes_shared::roster::Device,
) -> Result<(), StoreError> {
    let known: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM devices WHERE device_id = ?1)")?
        .query_row([device.device_id.as_str()], |r| r.get(0))?;
    if known {
        return Ok(());
    }
    let at = now();
    let role = member.roles.iter().next_back().copied().unwrap_or(Role::Leader);
    tx.execute(
        "INSERT OR IGNORE INTO users (user_id, name, role, state, created_at) VALUES (?1, ?2, ?3, 'active', ?4)",
        params![member.user_id.as_str(), member.name, role.to_string(), at],
    )?;
    // No invite and no MAC: the organisation's signature on the roster
    // stands for both.
    tx.execute(
        "INSERT INTO devices (device_id, user_id, name, signing_key, age_recipient, mac, token_hash, bootstrap, state, enrolled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, x'', '', 0, 'active', ?6)",
        params![
            device.device_id.as_str(),
            member.user_id.as_str(),
            member.name,
            &device.signing_key.0[..],
            device.age_recipient,
            at
        ],
    )?;
    let subject = format!("device {} of user {} from the roster", device.device_id, member.user_id);
    audit::append(tx, None, "restore", &subject)?;
    Ok(())
}

/// Marks a user removed and revokes all their devices; a user removed
/// already gets the same answer (a removal run again to finish it).
pub fn remove_user(tx: &Transaction<'_>, user: &UserId, actor: &str) -> Result<(), StoreError> {
    let changed = tx.execute("UPDATE users SET state = 'removed' WHERE user_id = ?1", [user.as_str()])?;
    if changed == 0 {
        return Err(Refusal::NotFound(format!("no user {user}")).into());
    }
    tx.execute("UPDATE devices SET state = 'revoked' WHERE user_id = ?1", [user.as_str()])?;
    super::org_key_grants::drop_inactive(tx)?;
    audit::append(tx, Some(actor), "remove", &format!("user {user}"))?;
    Ok(())
}

/// Brings the server's device states in line with a newly published roster:
/// listed active devices become active, revoked ones revoked. A device the
/// server revoked stays revoked whatever the roster says.
///
/// An active device the server does not know is added from the roster (its
/// keys, its member's name and role): a server restored from an older
/// backup learns again the devices enrolled after it, when an
/// administrator's client publishes the newest roster again. Nothing else
/// can add one: a roster is signed by the organisation key, which signs
/// only devices whose enrolment an administrator checked.
pub fn apply_roster(tx: &Transaction<'_>, roster: &Roster) -> Result<(), StoreError> {
    for member in &roster.members {
        if member.status != MemberStatus::Active {
            tx.execute("UPDATE users SET state = 'removed' WHERE user_id = ?1", [member.user_id.as_str()])?;
        }
        for device in &member.devices {
            let active = member.status == MemberStatus::Active && device.status == DeviceStatus::Active;
            if active {
                restore_device(tx, member, device)?;
            }
            let state = if active { DeviceState::Active } else { DeviceState::Revoked };
            tx.execute(
                "UPDATE devices SET state = ?1 WHERE device_id = ?2 AND state != 'revoked'",
                params![state.as_str(), device.device_id.as_str()],
            )?;
        }
    }
    super::org_key_grants::drop_inactive(tx)
}
