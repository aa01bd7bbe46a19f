//! Administration from an administrator's device: invites (keeping the
//! enrolment secret), approval (checking each enrolment's MAC before its
//! keys go into the roster, then handing the organisation key to new
//! administrators' devices), revocation, removal, units, the upkeep every
//! door runs first, and the organisation key's export and import.
//!
//! Every function returns typed data: a person's decision refused before
//! anything is signed is a `Refusal` (or a `UnitsRefusal`, a
//! `NotApprovable`), never a sentence; the doors word it (each is an
//! error too, with an English message, for a door that stops on it).
//!
//! Only a person's decision is signed. What the server says that no
//! signed roster says (a member removed, a device revoked, an older
//! roster) is a `Claim` to show, never a roster to sign; doing what it
//! says goes through the same plan, refusals and confirmation as any other
//! change.
//!
//! Reading signs nothing: the functions the pages a GET shows and the
//! commands that only read use (`pending`, the plans, `claims`, `upkeep`
//! when reading) fetch and check, and sign, publish or upload nothing
//! (`require_admin`). A change a person asked for (`invite`, `approve`,
//! `reject`, `revoke`, `remove`, `set_units`) uploads this device's head
//! first (`require_admin_to_change`), and every roster it signs is
//! followed at once by another head naming the new version
//! (`roster::publish`), so that a reader whom the server keeps on the
//! older roster is warned at its next sync. A GET page, or a command that
//! only reads, uploads no head: an administrator's device that only reads
//! stays heard from through its syncs.
//!
//! - `enrolment`: invites, pending enrolments, approval, rejection;
//! - `change`: revocation and removal, each planned, refused or confirmed;
//! - `units`: the organisation's units;
//! - `upkeep`: what the server claims, and the organisation key picked up,
//!   handed on and reminded of, before an administration command, on the
//!   administration's first page and after an administrator's sync;
//! - `key_file`: the organisation key written to and read from a file;
//! - `error`: why a command cannot go on (`AdminError`), the refusals
//!   among it.

mod change;
mod enrolment;
mod error;
mod key_file;
mod units;
mod upkeep;

pub use change::{plan_remove, plan_revoke, remove, revoke, Outcome, Refusal, RemovePlan, RevokePlan};
pub use enrolment::{
    approve, invite, invite_device, pending, pending_enrolment, reject, Approved, Candidate, NotApprovable, Verdict,
};
pub use error::AdminError;
pub use key_file::{export_org_key, import_org_key, import_org_key_from, is_key_file, seal_org_key};
pub use units::{plan_units, set_units, UnitsEdit, UnitsPlan, UnitsRefusal};
pub use upkeep::{claims, upkeep, Claim, Occasion, Upkeep};

use visitnotes_shared::roster::{Role, Roster};

use super::heads;
use crate::error::ClientError;
use crate::profile::Session;

/// The roster in force, on an administrator's device (anything else is
/// refused). Reads only: nothing is signed, published or uploaded, so the
/// pages a GET shows and the commands that only read (`admin pending`, the
/// plans shown before a confirmation) use this.
fn require_admin(session: &Session) -> Result<Roster, ClientError> {
    let roster = super::roster::in_force(session)?;
    admin_only(session, roster)
}

/// `require_admin` before a change an administrator asked for: a server
/// behind this device gets the newest roster again (`roster::refresh`), and
/// this device's head is uploaded (an administrator's device may never
/// sync, and would otherwise fall silent for the others). A roster signed
/// after this is followed by another head naming it (`roster::publish`).
fn require_admin_to_change(session: &Session) -> Result<Roster, ClientError> {
    let roster = admin_only(session, super::roster::refresh(session)?)?;
    heads::publish_own(session)?;
    Ok(roster)
}

fn admin_only(session: &Session, roster: Roster) -> Result<Roster, ClientError> {
    if !super::roster::holds(&roster, session, Role::Admin) {
        return Err(AdminError::NotAdmin.into());
    }
    Ok(roster)
}
