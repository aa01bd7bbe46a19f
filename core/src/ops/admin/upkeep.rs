//! What an administrator's device does before anything else in the
//! administration, and after its sync, whichever door asks: the one
//! `upkeep` the command line runs before each `admin` command, the web
//! app on the administration's first page, and `ops::sync::sync`.
//!
//! - what the server says that no signed roster says (`claims`): shown,
//!   never signed;
//! - the organisation key another administrator sealed to this device,
//!   picked up (`org_key::pick_up`);
//! - the key handed on to administrators' devices that lack it
//!   (`org_key::grant_missing`), but only on an occasion that changes
//!   something anyway (a command that changes something, a sync): reading
//!   hands nothing to the server;
//! - the reminder, once, that the key is on this device only.

use serde::Serialize;
use visitnotes_shared::api::{DeviceState, UserState};
use visitnotes_shared::roster::{DeviceStatus, MemberStatus, Role};
use visitnotes_shared::{DeviceId, UserId};

use crate::error::ClientError;
use crate::ops::org_key::{self, Granted, PickUp};
use crate::ops::roster;
use crate::profile::Session;

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
    let fetched = roster::fetch(session)?;
    let roster = fetched.roster();
    if !roster::holds(roster, session, Role::Admin) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    if let roster::Fetched::Behind { ours, server_version } = &fetched {
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

/// When the upkeep runs, which decides what it may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// Before a command that only reads, or on a page a GET shows: hands
    /// nothing to the server.
    Reading,
    /// Before a command that changes something (after its confirmation, a
    /// roster is signed): also hands the organisation key on.
    Changing,
    /// After an administrator's sync: hands the key on, and leaves the
    /// reminder to the administration.
    Synced,
}

/// What the upkeep found and did.
#[derive(Debug)]
pub struct Upkeep {
    /// What the server says that no signed roster says: to show, nothing
    /// of it signed.
    pub claims: Vec<Claim>,
    /// The organisation key sealed to this device, picked up or refused.
    pub org_key: Option<PickUp>,
    /// The administrators' devices the organisation key was sealed to now,
    /// or why that failed (nothing else depends on it: the next occasion
    /// tries again). Always empty when reading.
    pub granted: Result<Vec<Granted>, ClientError>,
    /// Remind, this once, that the organisation key is on this device only
    /// and no shares of it were made (`org_key::take_reminder`).
    pub remind_shares: bool,
}

impl Upkeep {
    /// Something here is a warning (exit 3 on the command line): a claim
    /// of the server to check, or an organisation key handed over and
    /// refused.
    pub fn warns(&self) -> bool {
        !self.claims.is_empty() || matches!(self.org_key, Some(PickUp::Refused { .. }))
    }

    /// Nothing to tell but good news: no warning, and the organisation key
    /// handed on wherever it was missing.
    pub fn all_well(&self) -> bool {
        !self.warns() && self.granted.is_ok()
    }
}

impl Default for Upkeep {
    fn default() -> Self {
        Upkeep { claims: Vec::new(), org_key: None, granted: Ok(Vec::new()), remind_shares: false }
    }
}

/// The administration's upkeep on this device (see the module): nothing
/// on a device that is not an administrator's. A claim that cannot be
/// fetched, or a grant that cannot be picked up, is an error; a grant that
/// cannot be handed on is said in `Upkeep::granted`.
pub fn upkeep(session: &mut Session, occasion: Occasion) -> Result<Upkeep, ClientError> {
    // The sync has just fetched the roster: no need to ask the server again
    // on a device that is not an administrator's.
    if occasion == Occasion::Synced && !session.is(Role::Admin).unwrap_or(false) {
        return Ok(Upkeep::default());
    }
    let claims = claims(session)?;
    let org_key = org_key::pick_up(session)?;
    let Ok(roster) = session.roster() else { return Ok(Upkeep { claims, org_key, ..Upkeep::default() }) };
    let granted = match occasion {
        Occasion::Reading => Ok(Vec::new()),
        Occasion::Changing | Occasion::Synced => org_key::grant_missing(session, &roster),
    };
    let remind_shares = occasion != Occasion::Synced && org_key::take_reminder(session, &roster)?;
    Ok(Upkeep { claims, org_key, granted, remind_shares })
}
