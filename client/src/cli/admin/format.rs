//! What several `admin` commands (and `visitnotes sync`) print, in one
//! place: the server's claims, the organisation key's upkeep, the
//! plans that changed before their confirmation.

use std::io::Write;

use visitnotes_core::display::short;
use visitnotes_core::error::Chain;
use visitnotes_core::ops::admin::{Claim, Upkeep};
use visitnotes_core::ops::org_key::{GrantRefused, Granted, GrantedBy, PickUp};

/// Where the upkeep ran: its words differ a little.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// Before an `admin` command.
    AdminCommand,
    /// After `visitnotes sync` (which lists the open alerts itself).
    Sync,
}

/// The upkeep on standard error (under --json too): one WARNING per claim
/// of the server, the organisation key picked up or refused, handed on
/// (or not, and when it is tried again), and the reminder.
pub fn say_upkeep(upkeep: &Upkeep, after: After) -> std::io::Result<()> {
    warn_claims(&upkeep.claims)?;
    let mut err = std::io::stderr().lock();
    match &upkeep.org_key {
        Some(PickUp::Received { fingerprint, from }) => writeln!(
            err,
            "note: the organisation key (fingerprint {fingerprint}) handed over by {} is on this device now: it can \
             sign the list of members.",
            granted_by(from)
        )?,
        Some(PickUp::Refused { why, .. }) => {
            let alerts = match after {
                After::AdminCommand => " (`visitnotes alerts` keeps this warning)",
                After::Sync => "",
            };
            writeln!(
                err,
                "WARNING: the organisation key the server handed over was refused, {}. It was not kept; tell another \
                 administrator{alerts}.",
                grant_refused(why)
            )?
        }
        None => {}
    }
    match &upkeep.granted {
        Ok(granted) => {
            for to in granted {
                writeln!(
                    err,
                    "note: the organisation key was sealed to {} (an administrator's), for it to pick up.",
                    granted_to(to)
                )?;
            }
        }
        Err(e) => writeln!(
            err,
            "note: the organisation key could not be handed to the administrators' devices that lack it ({}); {}",
            Chain(e),
            match after {
                After::AdminCommand => "the next `visitnotes admin` command that changes something here tries again.",
                After::Sync => "the next `visitnotes sync` here tries again.",
            }
        )?,
    }
    if upkeep.remind_shares {
        writeln!(
            err,
            "note: the organisation key is on this device only, and no shares of it were made. If this device is lost \
             or breaks, nobody can change the list of members again. Split it into shares to print and hand to \
             different people: `visitnotes admin export-org-key --shares 5 --threshold 3 --out DIR` (or approve a \
             second administrator, whose device gets the key). This reminder is shown once."
        )?;
    }
    Ok(())
}

/// What the server says that no signed roster says, one WARNING each on
/// stderr (under --json too), naming who and what to do. Nothing of it is
/// signed: the administrator checks, and finishes a change they made
/// themselves by running it again (with its usual checks and question).
pub fn warn_claims(claims: &[Claim]) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    for claim in claims {
        writeln!(err, "WARNING: {}", claim_words(claim))?;
    }
    Ok(())
}

/// One claim of the server, in words: what it says, that no signed roster
/// says it, and what to do.
pub fn claim_words(claim: &Claim) -> String {
    const UNSIGNED: &str = "but no list of members signed by the organisation says so, and nothing was signed";
    const IF_NOBODY: &str =
        "If nobody did, the server is not telling the truth: do not sign it, and tell the server's operator.";
    match claim {
        Claim::Removed { person, .. } => format!(
            "the server says {person} was removed, {UNSIGNED}. If an administrator removed them and the list was \
             not published, finish it: `visitnotes admin remove \"{person}\"` (it shows what it signs and asks \
             first). {IF_NOBODY}"
        ),
        Claim::Revoked { person, device_id } => {
            let device = short(device_id.as_str());
            format!(
                "the server says {person}'s device {device} was revoked, {UNSIGNED}. If an administrator revoked it \
                 and the list was not published, finish it: `visitnotes admin revoke {device}` (it shows what it \
                 signs and asks first). {IF_NOBODY}"
            )
        }
        Claim::RosterBehind { served, held } => format!(
            "the server serves version {served} of the list of members, older than version {held} on this device \
             (restored from an older backup, or holding the newer one back); nothing was published. `visitnotes \
             sync` here publishes version {held} again, unchanged."
        ),
    }
}

/// "Bea's device 1a2b3c4d5e6f": a device the organisation key was sealed to.
pub fn granted_to(granted: &Granted) -> String {
    format!("{}'s device {}", granted.person, short(granted.device_id.as_str()))
}

/// Who sealed a grant: their name, or the device the roster does not list.
fn granted_by(by: &GrantedBy) -> String {
    match by {
        GrantedBy::Member { name } => name.clone(),
        GrantedBy::Device { device_id } => format!("device {}", short(device_id.as_str())),
    }
}

fn grant_refused(why: &GrantRefused) -> String {
    match why {
        GrantRefused::NotAKey => "it does not open with this device's key as an organisation key".to_owned(),
        GrantRefused::OtherKey { found, expected } => {
            format!("it is the key with fingerprint {found}, not this organisation's ({expected})")
        }
    }
}

/// Said before the plan again when it changed between the plan shown and
/// its confirmation.
pub const PLAN_CHANGED: &str =
    "Something changed since (a newer list of members, or a newer statement from the device): nothing was signed. \
     This is what it signs now.";

/// How many times a plan that changed before its confirmation is shown
/// and asked again; then `KEEPS_CHANGING`.
pub const ASK_AT_MOST: u32 = 3;

pub const KEEPS_CHANGING: &str = "what this would sign changed each time before it was confirmed (the server keeps \
                                  answering differently): nothing was signed. Run it again later";
