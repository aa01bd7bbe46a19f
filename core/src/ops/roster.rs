//! Fetching and checking the roster. The client keeps the highest version
//! it has verified and refuses a lower one, a foreign key, or a second,
//! different roster under a version it already holds.
//!
//! A lower version that the organisation signed is what a server restored
//! from an older backup serves (or a server rolling the roster back): it is
//! never used, and nothing is encrypted under it. Every device records the
//! alert `roster_behind` (until the server serves a roster as new as the
//! one it holds) and goes on with the one it holds (see `ops::sync`). On a
//! sync, or before an administration command that changes something, an
//! administrator's device publishes the newest roster it holds again, the
//! signed bytes unchanged, so that the server and everybody catch up
//! (`refresh`, `fetch_and_republish`).
//!
//! Reading never publishes: the pages a GET shows and the commands that
//! only read take the roster in force with `in_force`, which fetches and
//! checks and publishes nothing.
//!
//! Every roster this client signs expires `lifetime()` after it was signed
//! (30 days); an administrator's sync signs it again as the next version
//! when less than a third of that is left (`renew_if_due`). Every roster it
//! signs is followed at once by this device's head naming its version
//! (`publish`).

use visitnotes_shared::roster::{Role, Roster, RosterError, SignedRoster, DEFAULT_LIFETIME_SECS};
use visitnotes_shared::DeviceId;

use crate::error::ClientError;
use crate::profile::Session;
use crate::store::StoredKind;

/// The server's roster next to this device's.
#[derive(Debug)]
pub enum Fetched {
    /// The server's roster verified and is stored: the roster in force.
    Current(Roster),
    /// The server served an older version, signed by the organisation, and
    /// this administrator's device published the newest one it holds again.
    Republished { roster: Roster, server_had: u64 },
    /// The server serves an older version, signed by the organisation, than
    /// this device holds: `ours` stays in force, the alert `roster_behind`
    /// is open.
    Behind { ours: Roster, server_version: u64 },
}

impl Fetched {
    /// The roster to verify and encrypt under: never the server's older one.
    pub fn roster(&self) -> &Roster {
        match self {
            Fetched::Current(roster) | Fetched::Republished { roster, .. } | Fetched::Behind { ours: roster, .. } => {
                roster
            }
        }
    }
}

/// Fetches the server's roster, verifies it, stores it, and returns it;
/// on an administrator's device a server behind it is given the newest
/// roster again first (`fetch_and_republish`). A server still behind this
/// device is an error here. For `sync` and the commands that change
/// something; reading takes `in_force`.
pub fn refresh(session: &Session) -> Result<Roster, ClientError> {
    match fetch_and_republish(session)? {
        Fetched::Current(roster) | Fetched::Republished { roster, .. } => Ok(roster),
        Fetched::Behind { ours, server_version } => {
            Err(RosterError::Rollback { seen: ours.version, got: server_version }.into())
        }
    }
}

/// The roster in force: the server's when it verifies and is as new as any
/// this device holds, else the newest held here (the alert `roster_behind`
/// open). Publishes nothing: what the pages a GET shows and the commands
/// that only read use.
pub fn in_force(session: &Session) -> Result<Roster, ClientError> {
    Ok(fetch(session)?.roster().clone())
}

/// The roster in force as the administration shows it.
#[derive(Debug)]
pub struct Overview {
    pub roster: Roster,
    /// Past its expiry: nothing is encrypted under it until an
    /// administrator's sync signs it again.
    pub expired: bool,
    /// This device, to mark in the list (and to offer no revocation of).
    pub this_device: DeviceId,
}

/// The roster in force, whether it expired, and this device. Reads only.
pub fn overview(session: &Session) -> Result<Overview, ClientError> {
    let roster = in_force(session)?;
    Ok(Overview { expired: roster.is_expired(now()), this_device: session.config.device_id.clone(), roster })
}

/// Fetches the server's roster and checks it; see `Fetched`. Never
/// publishes anything: a server behind this device is `Behind` here on
/// every device, an administrator's too.
pub fn fetch(session: &Session) -> Result<Fetched, ClientError> {
    let signed = session.api()?.roster(&session.secrets.device)?;
    let highest = session.store.meta_u64("roster_version")?;
    // Signed by the organisation, but older than what this device holds.
    let older = signed.verify(&session.config.org_key, 0).ok().filter(|r| r.version < highest);
    let Some(older) = older else { return accept(session, &signed).map(Fetched::Current) };
    let ours = session.roster()?;
    session.store.alert(
        StoredKind::RosterBehind,
        "",
        &format!("the server serves version {} of the list, this device holds version {}", older.version, ours.version),
    )?;
    Ok(Fetched::Behind { ours, server_version: older.version })
}

/// `fetch`; then, when the server is behind and this is an administrator's
/// device that holds the organisation key, publishes the newest roster it
/// holds again. That signs nothing: the bytes are the ones the organisation
/// signed, which the server had or should have had. For `sync` and the
/// commands that change something, never for reading.
pub fn fetch_and_republish(session: &Session) -> Result<Fetched, ClientError> {
    let fetched = fetch(session)?;
    let Fetched::Behind { ours, server_version } = fetched else { return Ok(fetched) };
    if session.secrets.org_key.is_none() || !holds(&ours, session, Role::Admin) {
        return Ok(Fetched::Behind { ours, server_version });
    }
    let newest = session.store.latest_roster()?.ok_or(ClientError::NoRoster)?;
    session.api()?.publish_roster(&session.secrets.device, &newest)?;
    // A server that says it took the roster and still serves the older
    // one withholds it (a roster freeze), whatever it answered.
    let served = session.api()?.roster(&session.secrets.device)?;
    let served = served.verify(&session.config.org_key, 0).map(|r| r.version).unwrap_or(0);
    if served < ours.version {
        let e = RosterError::Rollback { seen: ours.version, got: served };
        let detail = super::alerts::Detail::RosterServedOlder { held: ours.version, served };
        session.store.alert(StoredKind::RosterBehind, "", &detail.to_json())?;
        return Err(e.into());
    }
    let roster = accept(session, &newest)?;
    Ok(Fetched::Republished { roster, server_had: server_version })
}

/// Whether this device's member has `role` in `roster`.
pub(super) fn holds(roster: &Roster, session: &Session, role: Role) -> bool {
    roster.device(&session.config.device_id).is_some_and(|(m, _)| m.roles.contains(&role))
}

/// Verifies `signed` against the pinned key and what this device has seen.
pub fn accept(session: &Session, signed: &SignedRoster) -> Result<Roster, ClientError> {
    let highest = session.store.meta_u64("roster_version")?;
    let roster = match signed.verify(&session.config.org_key, highest) {
        Ok(roster) => roster,
        Err(e) => {
            session.store.alert(StoredKind::Roster, "", &super::alerts::Detail::roster(&e).to_json())?;
            return Err(e.into());
        }
    };
    if let Some(stored) = session.store.roster_at(roster.version)? {
        if stored != *signed {
            let detail = super::alerts::Detail::RosterTwoVersions { version: roster.version };
            session.store.alert(StoredKind::Roster, "", &detail.to_json())?;
            return Err(ClientError::RosterEquivocation(roster.version));
        }
    }
    session.store.save_roster(roster.version, signed)?;
    // A roster that verifies ends the alert about one that did not, and
    // (as new as any seen) the one about a server behind this device.
    session.store.resolve_alerts(StoredKind::Roster, "")?;
    session.store.resolve_alerts(StoredKind::RosterBehind, "")?;
    session.store.set_meta("roster_version", &roster.version.to_string())?;
    Ok(roster)
}

/// Signs `next` (its version set to current + 1) with the organisation key,
/// publishes it, and uploads this device's head naming it. Every roster
/// this client signs goes through here, so that no caller forgets the head.
pub fn publish(session: &Session, current: &Roster, mut next: Roster) -> Result<Roster, ClientError> {
    let org = session.secrets.org_key.as_ref().ok_or(ClientError::NoOrgKey)?;
    if org.public() != session.config.org_key {
        return Err(super::org_key::OrgKeyError::NotPinned.into());
    }
    next.version = current.version + 1;
    next.issued_at = now();
    next.expires_at = Some(next.issued_at.saturating_add(lifetime()));
    let signed = next.sign(org);
    session.api()?.publish_roster(&session.secrets.device, &signed)?;
    let roster = accept(session, &signed)?;
    // This device's head names the new version at once: a reader whom the
    // server keeps on the older roster (one that still lists a revoked
    // device as active) is warned at its own next sync, without waiting
    // for this device's (`heads::alerts`, "roster withheld").
    super::heads::publish_own(session)
        .map_err(|e| ClientError::HeadNotUploaded { version: roster.version, source: Box::new(e) })?;
    Ok(roster)
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
