//! The store's operations in PostgreSQL's SQL, each inside the caller's
//! transaction: the same tables and meaning as the SQLite modules beside
//! this one (`super::super::{notes, directory, audit, ...}`), whose checks
//! that need no database they share.
//!
//! Writers that must follow one another take a row lock first, so that
//! several connections and several server processes keep the SQLite
//! store's guarantees: `counters.notes` for the notes (gap-free sequence
//! numbers in commit order), `audit_head` for the audit chain,
//! `counters.devices` for the device snapshots' numbers. Locks are always
//! taken in that order (notes, audit, devices), so writers do not deadlock.

use deadpool_postgres::Transaction;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;
use visitnotes_shared::api::{
    AuditEntry, DeviceInfo, EnrolRequest, EnrolResponse, OrgKeyGrant, PendingEnrolment, PullResponse, PulledNote,
    SeqItem, StoreState, UploadResult, UserInfo,
};
use visitnotes_shared::audit::{entry_hash, Chain, Checkpoint, GENESIS};
use visitnotes_shared::envelope::{self, Kind, SealedNote};
use visitnotes_shared::head::SignedHead;
use visitnotes_shared::invite::token_hash;
use visitnotes_shared::receipt::SignedReceipt;
use visitnotes_shared::roster::{DeviceStatus, MemberStatus, Role, Roster, SignedRoster};
use visitnotes_shared::{DeviceId, UserId, VerifyingKey};

use crate::db::audit::{self, AuditReport, ChainCheck};
use crate::db::columns::{self, bytes, RawHeader};
use crate::db::directory::{self, parse_device, parse_role, parse_user, DeviceRecord, DeviceState, NewInvite};
use crate::db::notes::{self, Existing, Uploader, View};
use crate::db::storage::DeviceSnapshot;
use crate::db::{now, rosters, Refusal, StoreError};
use crate::error::Chain as ErrorChain;

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

async fn query(tx: &Transaction<'_>, sql: &str, params: Params<'_>) -> Result<Vec<Row>, StoreError> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.query(&statement, params).await?)
}

async fn query_opt(tx: &Transaction<'_>, sql: &str, params: Params<'_>) -> Result<Option<Row>, StoreError> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.query_opt(&statement, params).await?)
}

async fn query_one(tx: &Transaction<'_>, sql: &str, params: Params<'_>) -> Result<Row, StoreError> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.query_one(&statement, params).await?)
}

async fn execute(tx: &Transaction<'_>, sql: &str, params: Params<'_>) -> Result<u64, StoreError> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&statement, params).await?)
}

/// A u64 as a BIGINT (values past i64::MAX are refused before they get here).
fn int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A BIGINT that must not be negative.
fn nat(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("a negative number ({value}) where none can be")))
}

// ---- audit -------------------------------------------------------------

/// Appends an entry inside the caller's transaction (locks the chain's head).
pub async fn append(tx: &Transaction<'_>, actor: Option<&str>, action: &str, subject: &str) -> Result<(), StoreError> {
    let head = query_one(tx, "SELECT seq, hash FROM audit_head WHERE one FOR UPDATE", &[]).await?;
    let (last, prev): (i64, String) = (head.get(0), head.get(1));
    let seq = nat(last)? + 1;
    let prev = if last == 0 { GENESIS.to_owned() } else { prev };
    let at = now();
    let hash = entry_hash(&prev, seq, at, actor, action, subject);
    execute(
        tx,
        "INSERT INTO audit (seq, at, actor, action, subject, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[&int(seq), &at, &actor, &action, &subject, &prev, &hash],
    )
    .await?;
    execute(tx, "UPDATE audit_head SET seq = $1, hash = $2 WHERE one", &[&int(seq), &hash]).await?;
    Ok(())
}

fn entry(r: &Row) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: nat(r.get(0))?,
        at: r.get(1),
        actor: r.get(2),
        action: r.get(3),
        subject: r.get(4),
        prev_hash: r.get(5),
        hash: r.get(6),
    })
}

pub async fn audit_list(tx: &Transaction<'_>, since: u64, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = query(
        tx,
        "SELECT seq, at, actor, action, subject, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2",
        &[&int(since), &i64::from(limit)],
    )
    .await?;
    rows.iter().map(entry).collect()
}

async fn hash_at(tx: &Transaction<'_>, seq: u64) -> Result<Option<String>, StoreError> {
    Ok(query_opt(tx, "SELECT hash FROM audit WHERE seq = $1", &[&int(seq)]).await?.map(|r| r.get(0)))
}

pub async fn latest_checkpoint(tx: &Transaction<'_>) -> Result<Option<Checkpoint>, StoreError> {
    let row = query_opt(
        tx,
        "SELECT entries, head, signed_at, device_id, roster_version, signature FROM audit_checkpoints
         ORDER BY entries DESC, id DESC LIMIT 1",
        &[],
    )
    .await?;
    let Some(r) = row else { return Ok(None) };
    let device_id = DeviceId::parse(r.get::<_, &str>(3))
        .map_err(|e| StoreError::Corrupt(format!("a checkpoint's device id: {e}")))?;
    Ok(Some(Checkpoint {
        entries: nat(r.get(0))?,
        head: r.get(1),
        signed_at: r.get(2),
        device_id,
        roster_version: nat(r.get(4))?,
        signature: r.get(5),
    }))
}

pub async fn add_checkpoint(
    tx: &Transaction<'_>,
    roster: &Roster,
    checkpoint: &Checkpoint,
    device: &str,
) -> Result<(), StoreError> {
    let head = hash_at(tx, checkpoint.entries).await?;
    let newest = latest_checkpoint(tx).await?.map(|c| c.entries);
    audit::check_new_checkpoint(roster, checkpoint, device, head.as_deref(), newest)?;
    execute(
        tx,
        "INSERT INTO audit_checkpoints (entries, head, signed_at, device_id, roster_version, signature, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &int(checkpoint.entries),
            &checkpoint.head,
            &checkpoint.signed_at,
            &checkpoint.device_id.as_str(),
            &int(checkpoint.roster_version),
            &checkpoint.signature,
            &now(),
        ],
    )
    .await?;
    append(tx, Some(device), "checkpoint", &format!("entries 1 to {} signed", checkpoint.entries)).await
}

async fn roster_at(tx: &Transaction<'_>, version: u64) -> Result<Option<SignedRoster>, StoreError> {
    let row = query_opt(tx, "SELECT body, signature FROM rosters WHERE version = $1", &[&int(version)]).await?;
    Ok(row.map(|r| SignedRoster { body: r.get(0), signature: r.get(1) }))
}

/// The whole chain checked, and the newest checkpoint against it.
pub async fn audit_report(tx: &Transaction<'_>) -> Result<AuditReport, StoreError> {
    let rows = tx.query("SELECT seq, at, actor, action, subject, prev_hash, hash FROM audit ORDER BY seq", &[]).await?;
    let mut chain = Chain::new();
    let mut check = None;
    let mut last = 0;
    for row in &rows {
        let entry = entry(row)?;
        last = entry.seq;
        if check.is_none() {
            if let Err(broken) = chain.push(&entry) {
                check = Some(ChainCheck::Broken { seq: broken.seq, reason: broken.reason.to_string() });
            }
        }
    }
    let chain = check.unwrap_or(ChainCheck::Intact { entries: chain.entries() });
    let Some(checkpoint) = latest_checkpoint(tx).await? else {
        return Ok(AuditReport { chain, last, checkpoint: None });
    };
    let (first, named) = (roster_at(tx, 1).await?, roster_at(tx, checkpoint.roster_version).await?);
    let head = hash_at(tx, checkpoint.entries).await?;
    Ok(AuditReport { chain, last, checkpoint: Some(audit::finding(checkpoint, first, named, last, head.as_deref())) })
}

// ---- directory ---------------------------------------------------------

/// The devices as of this transaction, numbered by `counters.devices`
/// (locked until the commit: the numbers follow the commits' order, across
/// processes too). Called last in a write transaction.
pub async fn snapshot(tx: &Transaction<'_>) -> Result<DeviceSnapshot, StoreError> {
    let generation =
        query_one(tx, "UPDATE counters SET value = value + 1 WHERE name = 'devices' RETURNING value", &[]).await?;
    let devices = load_devices(tx).await?;
    Ok(DeviceSnapshot { generation: nat(generation.get(0))?, devices })
}

/// The last snapshot number given, by any process.
pub async fn devices_generation(tx: &Transaction<'_>) -> Result<u64, StoreError> {
    nat(query_one(tx, "SELECT value FROM counters WHERE name = 'devices'", &[]).await?.get(0))
}

pub async fn load_devices(tx: &Transaction<'_>) -> Result<Vec<DeviceRecord>, StoreError> {
    let rows = query(tx, "SELECT device_id, user_id, signing_key, state, bootstrap FROM devices", &[]).await?;
    rows.iter()
        .map(|r| {
            let key: [u8; 32] = r
                .get::<_, Vec<u8>>(2)
                .try_into()
                .map_err(|_| StoreError::Corrupt("stored signing key is not 32 bytes".into()))?;
            Ok(DeviceRecord {
                device_id: parse_device(r.get(0))?,
                user_id: parse_user(r.get(1))?,
                signing_key: VerifyingKey(key),
                state: DeviceState::parse(r.get(3)),
                bootstrap: r.get(4),
            })
        })
        .collect()
}

pub async fn create_invite(
    tx: &Transaction<'_>,
    invite: &NewInvite<'_>,
    actor: Option<&str>,
) -> Result<(), StoreError> {
    directory::check_invite(invite)?;
    let inserted = execute(
        tx,
        "INSERT INTO invites (token_hash, user_id, role, name, bootstrap, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        &[
            &invite.token_hash,
            &invite.user_id.as_str(),
            &invite.role.to_string(),
            &invite.name,
            &invite.bootstrap,
            &now(),
            &invite.expires_at,
        ],
    )
    .await?;
    if inserted == 0 {
        return Err(Refusal::Conflict("an invite with this token exists already".into()).into());
    }
    append(tx, actor, "invite", &directory::invite_subject(invite)).await
}

pub async fn active_user(tx: &Transaction<'_>, user: &UserId) -> Result<bool, StoreError> {
    let row =
        query_one(tx, "SELECT EXISTS (SELECT 1 FROM users WHERE user_id = $1 AND state = 'active')", &[&user.as_str()])
            .await?;
    Ok(row.get(0))
}

pub async fn expire_bootstrap_invites(tx: &Transaction<'_>) -> Result<(), StoreError> {
    execute(tx, "UPDATE invites SET used_at = $1 WHERE bootstrap AND used_at IS NULL", &[&now()]).await?;
    Ok(())
}

pub async fn bootstrapped(tx: &Transaction<'_>) -> Result<bool, StoreError> {
    Ok(query_one(tx, "SELECT EXISTS (SELECT 1 FROM rosters)", &[]).await?.get(0))
}

pub async fn enrol(tx: &Transaction<'_>, req: &EnrolRequest) -> Result<EnrolResponse, StoreError> {
    let token = data_encoding::HEXLOWER_PERMISSIVE.decode(req.token.as_bytes()).map_err(|_| Refusal::InviteInvalid)?;
    let hash = token_hash(&token);
    // Locked: of two enrolments with one token, the second waits and finds it used.
    let invite = query_opt(
        tx,
        "SELECT user_id, role, name, bootstrap, expires_at, used_at FROM invites WHERE token_hash = $1 FOR UPDATE",
        &[&hash],
    )
    .await?;
    let Some(invite) = invite else { return Err(Refusal::InviteInvalid.into()) };
    let (user_id, role, invited_name, bootstrap, expires_at, used_at): (
        String,
        String,
        String,
        bool,
        i64,
        Option<i64>,
    ) = (invite.get(0), invite.get(1), invite.get(2), invite.get(3), invite.get(4), invite.get(5));
    let at = now();
    if used_at.is_some() || expires_at < at {
        return Err(Refusal::InviteInvalid.into());
    }
    directory::check_enrolment(req)?;
    let device_id = DeviceId::from_signing_key(&req.signing_key.0);
    let exists: bool =
        query_one(tx, "SELECT EXISTS (SELECT 1 FROM devices WHERE device_id = $1)", &[&device_id.as_str()])
            .await?
            .get(0);
    if exists {
        return Err(Refusal::Conflict("this device is enrolled already".into()).into());
    }
    execute(tx, "UPDATE invites SET used_at = $1 WHERE token_hash = $2", &[&at, &hash]).await?;
    execute(
        tx,
        "INSERT INTO users (user_id, name, role, state, created_at) VALUES ($1, $2, $3, 'active', $4)
         ON CONFLICT DO NOTHING",
        &[&user_id, &invited_name, &role, &at],
    )
    .await?;
    execute(
        tx,
        "INSERT INTO devices (device_id, user_id, name, signing_key, age_recipient, mac, token_hash, bootstrap, state, enrolled_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)",
        &[
            &device_id.as_str(),
            &user_id,
            &req.name,
            &&req.signing_key.0[..],
            &req.age_recipient,
            &req.mac,
            &hash,
            &bootstrap,
            &at,
        ],
    )
    .await?;
    append(tx, Some(device_id.as_str()), "enrol", &format!("device {device_id} for user {user_id} as {role}")).await?;
    Ok(EnrolResponse { device_id, user_id: parse_user(user_id)?, role: parse_role(&role)?, bootstrap })
}

pub async fn pending(tx: &Transaction<'_>) -> Result<Vec<PendingEnrolment>, StoreError> {
    let rows = query(
        tx,
        "SELECT d.device_id, d.user_id, u.role, u.name, d.name, d.token_hash, d.signing_key, d.age_recipient, d.mac, d.enrolled_at
         FROM devices d JOIN users u ON u.user_id = d.user_id
         WHERE d.state = 'pending' AND u.state = 'active' ORDER BY d.enrolled_at",
        &[],
    )
    .await?;
    rows.iter()
        .map(|r| {
            let key: [u8; 32] = r
                .get::<_, Vec<u8>>(6)
                .try_into()
                .map_err(|_| StoreError::Corrupt("stored signing key is not 32 bytes".into()))?;
            Ok(PendingEnrolment {
                device_id: parse_device(r.get(0))?,
                user_id: parse_user(r.get(1))?,
                role: parse_role(r.get(2))?,
                invited_name: r.get(3),
                name: r.get(4),
                token_hash: r.get(5),
                signing_key: VerifyingKey(key),
                age_recipient: r.get(7),
                mac: r.get(8),
                enrolled_at: r.get(9),
            })
        })
        .collect()
}

pub async fn users(tx: &Transaction<'_>) -> Result<Vec<UserInfo>, StoreError> {
    let users = query(
        tx,
        "SELECT u.user_id, u.name, u.role, u.state,
                COALESCE((SELECT bytes FROM usage WHERE usage.user_id = u.user_id), 0)
         FROM users u ORDER BY u.created_at, u.user_id",
        &[],
    )
    .await?;
    let mut out = Vec::with_capacity(users.len());
    for u in &users {
        let user_id: String = u.get(0);
        let devices = query(
            tx,
            "SELECT d.device_id, d.state, d.enrolled_at,
                    (SELECT COALESCE(MAX(n.device_seq), 0) FROM notes n WHERE n.device_id = decode(d.device_id, 'hex')),
                    d.name,
                    (SELECT MAX(n.received_at) FROM notes n WHERE n.device_id = decode(d.device_id, 'hex'))
             FROM devices d WHERE d.user_id = $1 ORDER BY d.enrolled_at",
            &[&user_id],
        )
        .await?;
        let devices = devices
            .iter()
            .map(|d| {
                Ok(DeviceInfo {
                    device_id: parse_device(d.get(0))?,
                    state: d.get::<_, String>(1).into(),
                    enrolled_at: d.get(2),
                    last_seq: nat(d.get(3))?,
                    name: d.get(4),
                    last_at: d.get(5),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(UserInfo {
            user_id: parse_user(user_id)?,
            name: u.get(1),
            role: parse_role(u.get(2))?,
            state: u.get::<_, String>(3).into(),
            devices,
            stored_bytes: nat(u.get(4))?,
        });
    }
    Ok(out)
}

async fn drop_inactive_grants(tx: &Transaction<'_>) -> Result<(), StoreError> {
    execute(
        tx,
        "DELETE FROM org_key_grants WHERE device_id IN (SELECT device_id FROM devices WHERE state != 'active')",
        &[],
    )
    .await?;
    Ok(())
}

pub async fn revoke_device(tx: &Transaction<'_>, device: &DeviceId, actor: &str) -> Result<u64, StoreError> {
    let changed = execute(tx, "UPDATE devices SET state = 'revoked' WHERE device_id = $1", &[&device.as_str()]).await?;
    if changed == 0 {
        return Err(Refusal::NotFound(format!("no device {device}")).into());
    }
    let last = last_device_seq(tx, device.as_str()).await?;
    drop_inactive_grants(tx).await?;
    append(tx, Some(actor), "revoke", &format!("device {device}")).await?;
    Ok(last)
}

pub async fn reject_enrolment(tx: &Transaction<'_>, device: &DeviceId, actor: &str) -> Result<(), StoreError> {
    let deleted =
        execute(tx, "DELETE FROM devices WHERE device_id = $1 AND state = 'pending'", &[&device.as_str()]).await?;
    if deleted == 0 {
        return Err(Refusal::NotFound(format!("no pending enrolment of device {device}")).into());
    }
    append(tx, Some(actor), "reject", &format!("device {device}")).await
}

pub async fn remove_user(tx: &Transaction<'_>, user: &UserId, actor: &str) -> Result<(), StoreError> {
    let changed = execute(tx, "UPDATE users SET state = 'removed' WHERE user_id = $1", &[&user.as_str()]).await?;
    if changed == 0 {
        return Err(Refusal::NotFound(format!("no user {user}")).into());
    }
    execute(tx, "UPDATE devices SET state = 'revoked' WHERE user_id = $1", &[&user.as_str()]).await?;
    drop_inactive_grants(tx).await?;
    append(tx, Some(actor), "remove", &format!("user {user}")).await
}

/// See `directory::apply_roster`.
async fn apply_roster(tx: &Transaction<'_>, roster: &Roster) -> Result<(), StoreError> {
    for member in &roster.members {
        if member.status != MemberStatus::Active {
            execute(tx, "UPDATE users SET state = 'removed' WHERE user_id = $1", &[&member.user_id.as_str()]).await?;
        }
        for device in &member.devices {
            let active = member.status == MemberStatus::Active && device.status == DeviceStatus::Active;
            if active {
                restore_device(tx, member, device).await?;
            }
            let state = if active { DeviceState::Active } else { DeviceState::Revoked };
            execute(
                tx,
                "UPDATE devices SET state = $1 WHERE device_id = $2 AND state != 'revoked'",
                &[&state.as_str(), &device.device_id.as_str()],
            )
            .await?;
        }
    }
    drop_inactive_grants(tx).await
}

/// See `directory::restore_device`.
async fn restore_device(
    tx: &Transaction<'_>,
    member: &visitnotes_shared::roster::Member,
    device: &visitnotes_shared::roster::Device,
) -> Result<(), StoreError> {
    let known: bool =
        query_one(tx, "SELECT EXISTS (SELECT 1 FROM devices WHERE device_id = $1)", &[&device.device_id.as_str()])
            .await?
            .get(0);
    if known {
        return Ok(());
    }
    let at = now();
    let role = member.roles.iter().next_back().copied().unwrap_or(Role::Leader);
    execute(
        tx,
        "INSERT INTO users (user_id, name, role, state, created_at) VALUES ($1, $2, $3, 'active', $4)
         ON CONFLICT DO NOTHING",
        &[&member.user_id.as_str(), &member.name, &role.to_string(), &at],
    )
    .await?;
    execute(
        tx,
        "INSERT INTO devices (device_id, user_id, name, signing_key, age_recipient, mac, token_hash, bootstrap, state, enrolled_at)
         VALUES ($1, $2, $3, $4, $5, ''::bytea, '', FALSE, 'active', $6)",
        &[
            &device.device_id.as_str(),
            &member.user_id.as_str(),
            &member.name,
            &&device.signing_key.0[..],
            &device.age_recipient,
            &at,
        ],
    )
    .await?;
    let subject = format!("device {} of user {} from the roster", device.device_id, member.user_id);
    append(tx, None, "restore", &subject).await
}

// ---- rosters -----------------------------------------------------------

pub async fn latest_roster(tx: &Transaction<'_>) -> Result<Option<SignedRoster>, StoreError> {
    let row = query_opt(tx, "SELECT body, signature FROM rosters ORDER BY version DESC LIMIT 1", &[]).await?;
    Ok(row.map(|r| SignedRoster { body: r.get(0), signature: r.get(1) }))
}

pub async fn publish_roster(
    tx: &Transaction<'_>,
    current: Option<&Roster>,
    signed: &SignedRoster,
    publisher: &DeviceRecord,
) -> Result<Roster, StoreError> {
    let roster = rosters::check_next(current, signed, publisher)?;
    let inserted = execute(
        tx,
        "INSERT INTO rosters (version, body, signature, published_at, published_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING",
        &[&int(roster.version), &signed.body, &signed.signature, &now(), &publisher.device_id.as_str()],
    )
    .await?;
    if inserted == 0 {
        // Another server process published this version first.
        return Err(Refusal::Conflict(format!(
            "roster version {} is published already: fetch the current roster and try again",
            roster.version
        ))
        .into());
    }
    apply_roster(tx, &roster).await?;
    append(tx, Some(publisher.device_id.as_str()), "roster", &rosters::audit_subject(current, &roster)).await?;
    Ok(roster)
}

// ---- org key grants ----------------------------------------------------

pub async fn put_grant(
    tx: &Transaction<'_>,
    device: &DeviceId,
    sealed: &[u8],
    actor: &DeviceId,
) -> Result<(), StoreError> {
    let active: bool = query_one(
        tx,
        "SELECT EXISTS (SELECT 1 FROM devices WHERE device_id = $1 AND state = 'active')",
        &[&device.as_str()],
    )
    .await?
    .get(0);
    if !active {
        return Err(Refusal::NotFound(format!("no active device {device}")).into());
    }
    execute(
        tx,
        "INSERT INTO org_key_grants (device_id, sealed, granted_by, granted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (device_id) DO UPDATE SET sealed = excluded.sealed, granted_by = excluded.granted_by,
                                               granted_at = excluded.granted_at",
        &[&device.as_str(), &sealed, &actor.as_str(), &now()],
    )
    .await?;
    append(tx, Some(actor.as_str()), "org_key_grant", &format!("device {device}")).await
}

pub async fn get_grant(tx: &Transaction<'_>, device: &DeviceId) -> Result<Option<OrgKeyGrant>, StoreError> {
    let row = query_opt(
        tx,
        "SELECT sealed, granted_by, granted_at FROM org_key_grants WHERE device_id = $1",
        &[&device.as_str()],
    )
    .await?;
    row.map(|r| {
        let granted_by =
            DeviceId::parse(r.get::<_, &str>(1)).map_err(|e| StoreError::Corrupt(format!("org key grant: {e}")))?;
        Ok(OrgKeyGrant { sealed: r.get(0), granted_by, granted_at: r.get(2) })
    })
    .transpose()
}

pub async fn granted(tx: &Transaction<'_>) -> Result<Vec<DeviceId>, StoreError> {
    let rows = query(tx, "SELECT device_id FROM org_key_grants ORDER BY device_id", &[]).await?;
    rows.iter()
        .map(|r| DeviceId::parse(r.get::<_, &str>(0)).map_err(|e| StoreError::Corrupt(format!("org key grant: {e}"))))
        .collect()
}

// ---- heads and receipts ------------------------------------------------

pub async fn put_head(tx: &Transaction<'_>, signed: &SignedHead) -> Result<bool, StoreError> {
    let head = &signed.head;
    let body = serde_json::to_string(signed).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let changed = execute(
        tx,
        "INSERT INTO heads (device_id, last_seq, signed_at, body, received_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (device_id) DO UPDATE SET
            last_seq = excluded.last_seq, signed_at = excluded.signed_at, body = excluded.body,
            received_at = excluded.received_at
         WHERE excluded.signed_at >= heads.signed_at",
        &[&bytes(head.device_id.as_str())?, &int(head.last_seq), &head.signed_at, &body, &now()],
    )
    .await?;
    Ok(changed > 0)
}

pub async fn heads(tx: &Transaction<'_>) -> Result<Vec<SignedHead>, StoreError> {
    let rows = query(tx, "SELECT body FROM heads ORDER BY device_id", &[]).await?;
    rows.iter()
        .map(|r| serde_json::from_str(r.get(0)).map_err(|_| StoreError::Corrupt("a stored head".into())))
        .collect()
}

pub async fn put_receipts(tx: &Transaction<'_>, receipts: &[(SignedReceipt, UserId)]) -> Result<u64, StoreError> {
    let mut stored = 0;
    for (signed, author) in receipts {
        let r = &signed.receipt;
        let body = serde_json::to_string(signed).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        stored += execute(
            tx,
            "INSERT INTO receipts (reader, device_id, author, through_seq, signed_at, body, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (reader, device_id) DO UPDATE SET
                author = excluded.author, through_seq = excluded.through_seq, signed_at = excluded.signed_at,
                body = excluded.body, received_at = excluded.received_at
             WHERE excluded.signed_at >= receipts.signed_at",
            &[
                &bytes(r.reader.as_str())?,
                &bytes(r.device_id.as_str())?,
                &bytes(author.as_str())?,
                &int(r.through_seq),
                &r.signed_at,
                &body,
                &now(),
            ],
        )
        .await?;
    }
    Ok(stored)
}

pub async fn receipts_for(tx: &Transaction<'_>, author: &UserId) -> Result<Vec<SignedReceipt>, StoreError> {
    let rows = query(
        tx,
        "SELECT body FROM receipts WHERE author = $1 ORDER BY device_id, reader",
        &[&bytes(author.as_str())?],
    )
    .await?;
    rows.iter()
        .map(|r| serde_json::from_str(r.get(0)).map_err(|_| StoreError::Corrupt("a stored receipt".into())))
        .collect()
}

// ---- notes -------------------------------------------------------------

/// The header columns from `offset` on (`columns::HEADER`'s order).
fn header(r: &Row, offset: usize) -> Result<envelope::EnvelopeHeader, StoreError> {
    RawHeader {
        kind: i64::from(r.get::<_, i16>(offset)),
        note_id: r.get(offset + 1),
        revision: nat(r.get(offset + 2))?,
        prev_hash: r.get(offset + 3),
        author: r.get(offset + 4),
        device_id: r.get(offset + 5),
        device_seq: nat(r.get(offset + 6))?,
        roster_version: nat(r.get(offset + 7))?,
        age_sha256: r.get(offset + 8),
        payload_sha256: r.get(offset + 9),
        note_author: r.get(offset + 10),
        device_prev: r.get(offset + 11),
    }
    .decode()
}

pub async fn last_device_seq(tx: &Transaction<'_>, device_id: &str) -> Result<u64, StoreError> {
    let row = query_one(
        tx,
        "SELECT COALESCE(MAX(device_seq), 0)::BIGINT FROM notes WHERE device_id = $1",
        &[&bytes(device_id)?],
    )
    .await?;
    nat(row.get(0))
}

async fn find(tx: &Transaction<'_>, note_id: &[u8], revision: u64) -> Result<Option<Existing>, StoreError> {
    let sql = format!("SELECT seq, signature, {} FROM notes WHERE note_id = $1 AND revision = $2", columns::HEADER);
    let Some(row) = query_opt(tx, &sql, &[&note_id, &int(revision)]).await? else { return Ok(None) };
    Ok(Some(Existing { seq: nat(row.get(0))?, signature: row.get(1), header: header(&row, 2)? }))
}

/// Takes the notes' lock: the upload writers of every connection and
/// process store one group after another, as SQLite's single writer does.
pub async fn lock_notes(tx: &Transaction<'_>) -> Result<u64, StoreError> {
    nat(query_one(tx, "SELECT value FROM counters WHERE name = 'notes' FOR UPDATE", &[]).await?.get(0))
}

/// Stores a verified batch (see `notes::verify_batch`) in the caller's
/// transaction, which holds the notes' lock (`lock_notes`); `seq` is the
/// last sequence number given, advanced for each revision stored.
pub async fn upload(
    tx: &Transaction<'_>,
    who: &Uploader<'_>,
    batch: &[SealedNote],
    seq: &mut u64,
) -> Result<Vec<UploadResult>, StoreError> {
    let mut results = Vec::with_capacity(batch.len());
    let user = bytes(who.user_id.as_str())?;
    let device = bytes(who.device_id)?;
    let used = query_opt(tx, "SELECT bytes FROM usage WHERE user_id = $1", &[&who.user_id.as_str()])
        .await?
        .map(|r| nat(r.get(0)))
        .transpose()?
        .unwrap_or(0);
    let mut added: u64 = 0;
    let at = now();
    let mut stored: Option<(u64, u64)> = None;
    let mut count = 0;
    let mut last_seq = last_device_seq(tx, who.device_id).await?;
    for sealed in batch {
        let h = &sealed.header;
        let label = format!("note {} revision {}", h.note_id, h.revision);
        let note_id = bytes(h.note_id.as_str())?;
        if h.device_seq <= last_seq || h.revision > 1 {
            if let Some(existing) = find(tx, &note_id, h.revision).await? {
                results.push(notes::idempotent(existing, sealed, &label)?);
                continue;
            }
        }
        if h.revision == 1 {
            if h.prev_hash.is_some() {
                return Err(Refusal::Invalid(format!("{label}: a first revision names no previous one")).into());
            }
        } else {
            let before = h.revision.checked_sub(1).ok_or_else(|| Refusal::Invalid(format!("{label}: revision 0")))?;
            let previous = find(tx, &note_id, before)
                .await?
                .ok_or_else(|| Refusal::Conflict(format!("{label}: revision {before} is not on the server")))?;
            notes::follows(&previous, h, &label)?;
            let newer: bool = query_one(
                tx,
                "SELECT EXISTS (SELECT 1 FROM notes WHERE note_id = $1 AND revision > $2)",
                &[&note_id, &int(h.revision)],
            )
            .await?
            .get(0);
            if newer {
                return Err(Refusal::Conflict(format!("{label}: a later revision exists")).into());
            }
        }
        notes::check_device_seq(h, &label, last_seq)?;

        let size = sealed.age.len() as u64;
        if used.saturating_add(added).saturating_add(size) > who.quota_bytes {
            return Err(Refusal::Quota.into());
        }
        let prev_hash = h.prev_hash.as_deref().map(bytes).transpose()?;
        let device_prev = h.device_prev.as_deref().map(bytes).transpose()?;
        let next = *seq + 1;
        let inserted = execute(
            tx,
            "INSERT INTO notes (seq, note_id, revision, kind, author, device_id, device_seq, roster_version, prev_hash,
                                age_sha256, payload_sha256, signature, age, size, received_at, note_author, device_prev)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
             ON CONFLICT (note_id, revision) DO NOTHING",
            &[
                &int(next),
                &note_id,
                &int(h.revision),
                &(columns::kind(h.kind) as i16),
                &user,
                &device,
                &int(h.device_seq),
                &int(h.roster_version),
                &prev_hash,
                &bytes(&h.age_sha256)?,
                &bytes(&h.payload_sha256)?,
                &sealed.signature,
                &(h.kind != Kind::Tombstone).then_some(&sealed.age[..]),
                &int(size),
                &at,
                &h.note_author.as_ref().map(|u| bytes(u.as_str())).transpose()?,
                &device_prev,
            ],
        )
        .await?;
        if inserted == 0 {
            let existing = find(tx, &note_id, h.revision)
                .await?
                .ok_or_else(|| StoreError::Corrupt("a conflict without a row".into()))?;
            results.push(notes::idempotent(existing, sealed, &label)?);
            continue;
        }
        *seq = next;
        added += size;
        last_seq = h.device_seq;
        if h.revision > 1 {
            execute(
                tx,
                "UPDATE notes SET superseded_at = $1 WHERE note_id = $2 AND revision < $3 AND superseded_at IS NULL",
                &[&at, &note_id, &int(h.revision)],
            )
            .await?;
        }
        if h.kind == Kind::Tombstone {
            execute(tx, "UPDATE notes SET age = NULL WHERE note_id = $1", &[&note_id]).await?;
            recount_usage(tx, h.author.as_str()).await?;
        }
        stored = Some((stored.map_or(next, |(first, _)| first), next));
        count += 1;
        results.push(UploadResult { note_id: h.note_id.clone(), revision: h.revision, seq: next, created: true });
    }
    if added > 0 {
        execute(
            tx,
            "INSERT INTO usage (user_id, bytes) VALUES ($1, $2)
             ON CONFLICT (user_id) DO UPDATE SET bytes = usage.bytes + excluded.bytes",
            &[&who.user_id.as_str(), &int(added)],
        )
        .await?;
    }
    if let Some((first, last)) = stored {
        append(tx, Some(who.device_id), "upload", &format!("{count} revisions, seq {first} to {last}")).await?;
    }
    Ok(results)
}

/// Records the last sequence number given, with the notes' lock still held.
pub async fn set_notes_counter(tx: &Transaction<'_>, seq: u64) -> Result<(), StoreError> {
    execute(tx, "UPDATE counters SET value = $1 WHERE name = 'notes'", &[&int(seq)]).await?;
    Ok(())
}

async fn recount_usage(tx: &Transaction<'_>, user: &str) -> Result<(), StoreError> {
    execute(
        tx,
        "INSERT INTO usage (user_id, bytes)
         VALUES ($1, (SELECT COALESCE(SUM(size), 0)::BIGINT FROM notes WHERE author = decode($1, 'hex') AND age IS NOT NULL))
         ON CONFLICT (user_id) DO UPDATE SET bytes = excluded.bytes",
        &[&user],
    )
    .await?;
    Ok(())
}

pub async fn pull(
    tx: &Transaction<'_>,
    view: &View<'_>,
    store_id: &str,
    since: u64,
    limit: u32,
) -> Result<PullResponse, StoreError> {
    let after = int(since);
    let columns = format!("seq, received_at, signature, age, rewrap, {}", columns::HEADER);
    let fetch = i64::from(limit) + 1;
    let mut notes = Vec::with_capacity(limit as usize);
    match view.author {
        Some(author) => {
            let author = bytes(author.as_str())?;
            for key in ["author", "note_author"] {
                let sql = format!("SELECT {columns} FROM notes WHERE {key} = $1 AND seq > $2 ORDER BY seq LIMIT $3");
                for row in query(tx, &sql, &[&author, &after, &fetch]).await? {
                    notes.push(pulled(&row, view)?);
                }
            }
            notes.sort_by_key(|n: &PulledNote| n.seq);
            notes.dedup_by_key(|n| n.seq);
        }
        None => {
            let sql = format!("SELECT {columns} FROM notes WHERE seq > $1 ORDER BY seq LIMIT $2");
            for row in query(tx, &sql, &[&after, &fetch]).await? {
                notes.push(pulled(&row, view)?);
            }
        }
    }
    let more = notes.len() > limit as usize;
    notes.truncate(limit as usize);
    let next = notes.last().map_or(since, |n| n.seq);
    let server = store_state(tx, view, store_id, since).await?;
    Ok(PullResponse { notes, next, more, server })
}

async fn store_state(
    tx: &Transaction<'_>,
    view: &View<'_>,
    store_id: &str,
    since: u64,
) -> Result<StoreState, StoreError> {
    let author = view.author.map(|a| bytes(a.as_str())).transpose()?;
    let head = match &author {
        Some(author) => {
            let mut head = 0;
            for key in ["author", "note_author"] {
                let sql = format!("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM notes WHERE {key} = $1");
                head = head.max(nat(query_one(tx, &sql, &[author]).await?.get(0))?);
            }
            head
        }
        None => nat(query_one(tx, "SELECT COALESCE(MAX(seq), 0)::BIGINT FROM notes", &[]).await?.get(0))?,
    };
    let at_since = if since == 0 {
        None
    } else {
        let row = query_opt(
            tx,
            "SELECT note_id, revision, received_at, author, note_author FROM notes WHERE seq = $1",
            &[&int(since)],
        )
        .await?;
        match row {
            Some(row) => {
                let visible = match &author {
                    None => true,
                    Some(a) => *a == row.get::<_, Vec<u8>>(3) || Some(a) == row.get::<_, Option<Vec<u8>>>(4).as_ref(),
                };
                if visible {
                    Some(SeqItem {
                        seq: since,
                        note_id: columns::note_id_of(row.get(0))?,
                        revision: nat(row.get(1))?,
                        received_at: row.get(2),
                    })
                } else {
                    None
                }
            }
            None => None,
        }
    };
    let device_seq = last_device_seq(tx, view.device).await?;
    Ok(StoreState { store_id: store_id.to_owned(), head, at_since, device_seq })
}

/// See `notes::pulled`.
fn pulled(r: &Row, view: &View<'_>) -> Result<PulledNote, StoreError> {
    let header = header(r, 5)?;
    let metadata_only =
        view.metadata_only && header.author != *view.reader && header.note_author.as_ref() != Some(view.reader);
    let age: Option<Vec<u8>> = if metadata_only { None } else { r.get(3) };
    let withheld = match (&age, header.kind) {
        (_, Kind::Tombstone) | (Some(_), _) => None,
        (None, _) if metadata_only => Some("metadata_only".to_owned()),
        (None, _) => Some("purged".to_owned()),
    };
    let rewrap = match r.get::<_, Option<String>>(4) {
        Some(_) if metadata_only => None,
        Some(text) => {
            Some(serde_json::from_str(&text).map_err(|_| StoreError::Corrupt("stored note has a bad rewrap".into()))?)
        }
        None => None,
    };
    Ok(PulledNote {
        seq: nat(r.get(0))?,
        received_at: r.get(1),
        withheld,
        sealed: SealedNote { header, signature: r.get(2), age: age.unwrap_or_default(), rewrap },
    })
}

/// See `notes::rewrap`.
pub async fn rewrap(
    tx: &Transaction<'_>,
    device_id: &str,
    roster: &Roster,
    batch: &[SealedNote],
) -> Result<u64, StoreError> {
    let mut replaced = 0;
    for sealed in batch {
        let h = &sealed.header;
        let label = format!("note {} revision {}", h.note_id, h.revision);
        let Some(statement) = &sealed.rewrap else {
            return Err(Refusal::Invalid(format!("{label}: no rewrap statement")).into());
        };
        if statement.device_id.as_str() != device_id {
            return Err(Refusal::NotAllowed(format!("{label}: a device submits only its own rewraps")).into());
        }
        notes::storable(h, &label)?;
        envelope::verify(sealed, roster)
            .map_err(|e| Refusal::Invalid(format!("{label} refused: {}", ErrorChain(&e))))?;
        let note_id = bytes(h.note_id.as_str())?;
        let existing =
            find(tx, &note_id, h.revision).await?.ok_or_else(|| Refusal::NotFound(format!("{label} is not stored")))?;
        if existing.header != *h || existing.signature != sealed.signature {
            return Err(Refusal::Conflict(format!("{label}: the signed header differs from the stored one")).into());
        }
        let size = sealed.age.len() as u64;
        let text = serde_json::to_string(statement)
            .map_err(|e| Refusal::Invalid(format!("{label}: the rewrap statement cannot be stored: {e}")))?;
        replaced += execute(
            tx,
            "UPDATE notes SET age = $1, rewrap = $2, size = $3 WHERE note_id = $4 AND revision = $5 AND age IS NOT NULL",
            &[&sealed.age, &text, &int(size), &note_id, &int(h.revision)],
        )
        .await?;
    }
    let mut authors: Vec<&str> = batch.iter().map(|n| n.header.author.as_str()).collect();
    authors.sort_unstable();
    authors.dedup();
    for author in authors {
        recount_usage(tx, author).await?;
    }
    append(tx, Some(device_id), "rewrap", &format!("{replaced} revisions")).await?;
    Ok(replaced)
}

pub async fn purge(tx: &Transaction<'_>, cutoff: i64) -> Result<u64, StoreError> {
    let purged = execute(
        tx,
        "UPDATE notes SET age = NULL WHERE age IS NOT NULL AND superseded_at IS NOT NULL AND superseded_at <= $1",
        &[&cutoff],
    )
    .await?;
    if purged > 0 {
        execute(
            tx,
            "UPDATE usage SET bytes = (SELECT COALESCE(SUM(size), 0)::BIGINT FROM notes
                                       WHERE author = decode(usage.user_id, 'hex') AND age IS NOT NULL)",
            &[],
        )
        .await?;
        append(tx, None, "purge", &format!("{purged} superseded revisions")).await?;
    }
    Ok(purged)
}

/// A boxed future borrowing the transaction (`PgStorage::tx`).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
