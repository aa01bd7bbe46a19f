//! Why an administration command cannot go on. The refusals of a person's
//! decision (`Refusal`, `UnitsRefusal`, `NotApprovable`) are data the
//! doors show beside the plan; a door that stops on one makes it an
//! `AdminError`, so that `--json` gives it its code.

use super::{NotApprovable, Refusal, UnitsRefusal};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    /// The device in use is no active administrator's in the roster.
    #[error("this device is not an administrator's: run administration on an administrator's device")]
    NotAdmin,
    /// `admin rewrap` on a device that cannot read the notes.
    #[error("rewrap runs on a coordinator's device, which can read the notes: run it there")]
    RewrapNeedsCoordinator,
    /// An invite for another device of `name`, who holds no role.
    #[error("{name} holds no role in the roster, so another device of theirs would have none: invite them as a new member with `visitnotes admin invite --role ROLE --name NAME`")]
    NoRole { name: String },
    /// An approval of no device.
    #[error("no device was chosen to approve: name one that `visitnotes admin pending` lists")]
    NothingChosen,
    /// The invite kept on this device for `name`'s enrolment names no role.
    #[error("the invite this device kept for {name} names no role: reject the enrolment and make a new invite. Nothing was approved")]
    InviteWithoutRole { name: String },
    /// The member to remove left the roster between the plan and its
    /// confirmation.
    #[error("{person} is not in the roster: nothing was signed. See `visitnotes admin roster`")]
    MemberGone { person: String },
    /// A revocation of a member with no active device.
    #[error("{name} has no active device: nothing to revoke")]
    NoActiveDevice { name: String },
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Units(#[from] UnitsRefusal),
    #[error(transparent)]
    NotApprovable(#[from] NotApprovable),
}

impl AdminError {
    /// The code for `--json` (see `ClientError::code`).
    pub fn code(&self) -> &'static str {
        match self {
            AdminError::NotAdmin => "not_admin",
            AdminError::RewrapNeedsCoordinator => "not_coordinator",
            AdminError::NoRole { .. } => "no_role",
            AdminError::NothingChosen => "invalid",
            AdminError::InviteWithoutRole { .. } => "invite_without_role",
            AdminError::MemberGone { .. } => "member_gone",
            AdminError::NoActiveDevice { .. } => "no_active_device",
            AdminError::Refused(Refusal::ThisDevice) => "revoke_this_device",
            AdminError::Refused(Refusal::Yourself { .. }) => "remove_yourself",
            AdminError::Refused(Refusal::LastOf { .. }) => "last_of_role",
            AdminError::Units(UnitsRefusal::AlreadyThere { .. }) => "unit_exists",
            AdminError::Units(UnitsRefusal::NotThere { .. }) => "no_such_unit",
            AdminError::Units(UnitsRefusal::NoneOrEmpty) => "no_units",
            AdminError::NotApprovable(NotApprovable::Gone { .. }) => "not_pending",
            AdminError::NotApprovable(NotApprovable::Tampered { .. }) => "enrolment_tampered",
            AdminError::NotApprovable(NotApprovable::UnknownInvite { .. }) => "invite_made_elsewhere",
        }
    }
}

impl From<Refusal> for crate::ClientError {
    fn from(refusal: Refusal) -> Self {
        AdminError::from(refusal).into()
    }
}

impl From<UnitsRefusal> for crate::ClientError {
    fn from(refusal: UnitsRefusal) -> Self {
        AdminError::from(refusal).into()
    }
}

impl From<NotApprovable> for crate::ClientError {
    fn from(why: NotApprovable) -> Self {
        AdminError::from(why).into()
    }
}
