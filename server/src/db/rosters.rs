//! Storage of the signed roster. The server checks the organisation's
//! signature and that the version goes up by one; it keeps every version.

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
    let invalid = |e: visitnotes_shared::roster::RosterError| Refusal::Invalid(format!("roster refused: {e}"));
    let roster = match current {
        Some(current) => {
            let next = signed.verify(&current.org_key, current.version).map_err(invalid)?;
            let expected = current
                .version
                .checked_add(1)
                .ok_or_else(|| Refusal::Conflict("the roster version is at its limit".into()))?;
            if next.version != expected {
                return Err(Refusal::Conflict(format!(
                    "the roster must be version {}, not {}: fetch the current roster and try again",
                    expected, next.version
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
    tx.execute(
        "INSERT INTO rosters (version, body, signature, published_at, published_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![roster.version, signed.body, signed.signature, now(), publisher.device_id.as_str()],
    )?;
    directory::apply_roster(tx, &roster)?;
    audit::append(tx, Some(publisher.device_id.as_str()), "roster", &format!("version {}", roster.version))?;
    Ok(roster)
}
