//! Fetching and checking the roster. The client keeps the highest version
//! it has verified and refuses a lower one, a foreign key, or a second,
//! different roster under a version it already holds.

use visitnotes_shared::roster::{Roster, SignedRoster};

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
    next.issued_at = chrono::Utc::now().timestamp();
    let signed = next.sign(org);
    session.api()?.publish_roster(&session.secrets.device, &signed)?;
    accept(session, &signed)
}
