//! Fetching and checking the roster. The client keeps the highest version
//! it has verified and refuses a lower one, a foreign key, or a second,
//! different roster under a version it already holds.
//!
//! Every roster this client signs expires `lifetime()` after it was signed
//! (30 days); an administrator's sync signs it again as the next version
//! when less than a third of that is left (`renew_if_due`).

use visitnotes_shared::roster::{Role, Roster, SignedRoster, DEFAULT_LIFETIME_SECS};

use crate::error::ClientError;
use crate::profile::Session;

/// Fetches the server's roster, verifies it, stores it, and returns it.
pub fn refresh(session: &Session) -> Result<Roster, ClientError> {
    let signed = session.api()?.roster(&session.secrets.device)?;
    accept(session, &signed)
}

/// Verifies `signed` against the pinned key and what this device has seen.
pub fn accept(session: &Session, signed: &SignedRoster) -> Result<Roster, ClientError> {
    let highest = session.store.meta_u64("roster_version")?;
    let roster = match signed.verify(&session.config.org_key, highest) {
        Ok(roster) => roster,
        Err(e) => {
            session.store.alert("roster", "", &e.to_string())?;
            return Err(e.into());
        }
    };
    if let Some(stored) = session.store.roster_at(roster.version)? {
        if stored != *signed {
            session.store.alert("roster", "", &format!("two different rosters for version {}", roster.version))?;
            return Err(ClientError::RosterEquivocation(roster.version));
        }
    }
    session.store.save_roster(roster.version, signed)?;
    // A roster that verifies ends the alert about one that did not.
    session.store.resolve_alerts("roster", "")?;
    session.store.set_meta("roster_version", &roster.version.to_string())?;
    Ok(roster)
}

/// Signs `next` (its version set to current + 1) with the organisation key
/// and publishes it.
pub fn publish(session: &Session, current: &Roster, mut next: Roster) -> Result<Roster, ClientError> {
    let org = session.secrets.org_key.as_ref().ok_or(ClientError::NoOrgKey)?;
    if org.public() != session.config.org_key {
        return Err(ClientError::Invalid("the organisation key on this device is not the pinned one".into()));
    }
    next.version = current.version + 1;
    next.issued_at = now();
    next.expires_at = Some(next.issued_at.saturating_add(lifetime()));
    let signed = next.sign(org);
    session.api()?.publish_roster(&session.secrets.device, &signed)?;
    accept(session, &signed)
}

/// Overrides the life of the rosters this client signs, in seconds; for
/// tests only (rosters that expire within a test's run). Default: 30 days.
pub const LIFETIME_ENV: &str = "VISITNOTES_ROSTER_LIFETIME_SECS";

/// How long a roster signed now stays valid.
pub fn lifetime() -> i64 {
    std::env::var(LIFETIME_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&s: &i64| s > 0)
        .unwrap_or(DEFAULT_LIFETIME_SECS)
}

/// Unix seconds now: what roster expiry is measured against.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// On an administrator's device that holds the organisation key, signs
/// `current` again as the next version when less than a third of its life
/// is left, and publishes it; returns the new roster, or `None` when none
/// was due (or this device cannot sign one).
pub fn renew_if_due(session: &Session, current: &Roster) -> Result<Option<Roster>, ClientError> {
    let admin = current.device(&session.config.device_id).is_some_and(|(m, _)| m.roles.contains(&Role::Admin));
    if !admin || session.secrets.org_key.is_none() || !current.renewal_due(now()) {
        return Ok(None);
    }
    publish(session, current, current.clone()).map(Some)
}
