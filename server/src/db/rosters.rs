//! Storage of the signed roster. The server checks the organisation's
//! signature and that the version goes up; it keeps every version it got.
//!
//! Administrators' clients publish the next version (current + 1). A
//! higher one is accepted too, when the organisation signed it: after the
//! server was restored from an older backup, an administrator's client
//! publishes the newest roster it holds again, unchanged, so that the
//! server catches up with what every device has seen (client
//! `ops::roster::fetch`). It lists the devices enrolled after the backup,
//! which the restored server then knows again (`directory::apply_roster`).

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use visitnotes_shared::roster::{Role, Roster, SignedRoster};

use super::{audit, directory, now, Refusal, StoreError};

pub fn latest(conn: &Connection) -> Result<Option<SignedRoster>, StoreError> {
    Ok(conn
        .query_row("SELECT body, signature FROM rosters ORDER BY version DESC LIMIT 1", [], |r| {
            Ok(SignedRoster { body: r.get(0)?, signature: r.get(1)? })
        })
        .optional()?)
}

/// Checks `signed` as the next roster and stores it. `current` is the roster
/// now in force (none before bootstrap); `publisher` the device publishing.
pub fn publish(
    tx: &Transaction<'_>,
    current: Option<&Roster>,
    signed: &SignedRoster,
    publisher: &directory::DeviceRecord,
) -> Result<Roster, StoreError> {
    let roster = check_next(current, signed, publisher)?;
    tx.execute(
        "INSERT INTO rosters (version, body, signature, published_at, published_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![roster.version, signed.body, signed.signature, now(), publisher.device_id.as_str()],
    )?;
    directory::apply_roster(tx, &roster)?;
    audit::append(tx, Some(publisher.device_id.as_str()), "roster", &audit_subject(current, &roster))?;
    Ok(roster)
}

/// `signed`, checked as the roster after `current` (see `publish`).
pub fn check_next(
    current: Option<&Roster>,
    signed: &SignedRoster,
    publisher: &directory::DeviceRecord,
) -> Result<Roster, StoreError> {
    let invalid = |e: visitnotes_shared::roster::RosterError| Refusal::Invalid(format!("roster refused: {e}"));
    let roster = match current {
        Some(current) => {
            let next = signed.verify(&current.org_key, current.version).map_err(invalid)?;
            if next.version <= current.version {
                return Err(Refusal::Conflict(format!(
                    "the roster must be version {} or later, not {}: fetch the current roster and try again",
                    current.version.saturating_add(1),
                    next.version
                ))
                .into());
            }
            next
        }
        None => {
            // Bootstrap: the first administrator's device creates the
            // organisation key and names itself an active administrator.
            let claimed = signed.unverified().map_err(invalid)?;
            let first = signed.verify(&claimed.org_key, 0).map_err(invalid)?;
            if first.version != 1 {
                return Err(Refusal::Conflict("the first roster must be version 1".into()).into());
            }
            let lists_publisher = first.device(&publisher.device_id).is_some_and(|(m, d)| {
                m.user_id == publisher.user_id
                    && m.roles.contains(&Role::Admin)
                    && d.signing_key == publisher.signing_key
            });
            if !lists_publisher {
                return Err(Refusal::Invalid(
                    "the first roster must list the publishing device as an administrator".into(),
                )
                .into());
            }
            first
        }
    };
    Ok(roster)
}

/// The audit entry's subject for publishing `roster` after `current`.
pub fn audit_subject(current: Option<&Roster>, roster: &Roster) -> String {
    match current {
        Some(current) if roster.version > current.version + 1 => {
            format!("version {} (after version {}: published again after a restore?)", roster.version, current.version)
        }
        _ => format!("version {}", roster.version),
    }
}
