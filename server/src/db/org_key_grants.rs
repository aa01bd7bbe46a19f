//! Grants of the organisation key to administrators' devices: age files
//! sealed by an administrator's client to the receiving device's key. The
//! server stores and hands them on; it cannot open them, and the receiving
//! client checks the key inside against the organisation key it pinned.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use visitnotes_shared::api::OrgKeyGrant;
use visitnotes_shared::DeviceId;

use super::{audit, now, Refusal, StoreError};

/// Stores (or replaces) the grant for `device`, an active device.
pub fn put(tx: &Transaction<'_>, device: &DeviceId, sealed: &[u8], actor: &DeviceId) -> Result<(), StoreError> {
    let active: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM devices WHERE device_id = ?1 AND state = 'active')")?
        .query_row([device.as_str()], |r| r.get(0))?;
    if !active {
        return Err(Refusal::NotFound(format!("no active device {device}")).into());
    }
    tx.prepare_cached(
        "INSERT INTO org_key_grants (device_id, sealed, granted_by, granted_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (device_id) DO UPDATE SET sealed = excluded.sealed, granted_by = excluded.granted_by,
                                               granted_at = excluded.granted_at",
    )?
    .execute(params![device.as_str(), sealed, actor.as_str(), now()])?;
    audit::append(tx, Some(actor.as_str()), "org_key_grant", &format!("device {device}"))?;
    Ok(())
}

/// The grant waiting for `device`, if any.
pub fn get(conn: &Connection, device: &DeviceId) -> Result<Option<OrgKeyGrant>, StoreError> {
    let row = conn
        .prepare_cached("SELECT sealed, granted_by, granted_at FROM org_key_grants WHERE device_id = ?1")?
        .query_row([device.as_str()], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))
        .optional()?;
    row.map(|(sealed, by, at)| {
        let granted_by = DeviceId::parse(&by).map_err(|e| StoreError::Corrupt(format!("org key grant: {e}")))?;
        Ok(OrgKeyGrant { sealed, granted_by, granted_at: at })
    })
    .transpose()
}

/// The devices that have a grant.
pub fn granted(conn: &Connection) -> Result<Vec<DeviceId>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT device_id FROM org_key_grants ORDER BY device_id")?;
    let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
    ids.map(|id| DeviceId::parse(&id?).map_err(|e| StoreError::Corrupt(format!("org key grant: {e}")))).collect()
}

/// Drops the grants of devices that are no longer active (revoked, or
/// their member removed): a grant is only for an administrator's device in use.
pub fn drop_inactive(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.prepare_cached(
        "DELETE FROM org_key_grants WHERE device_id IN (SELECT device_id FROM devices WHERE state != 'active')",
    )?
    .execute([])?;
    Ok(())
}
