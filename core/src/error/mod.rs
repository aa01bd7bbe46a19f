//! The client library's errors, each worded to say what to do next.
//!
//! Every error is typed: its fields carry the data (names, ids, counts),
//! its English message says what failed and what to do, and a door that
//! speaks another language words it from the fields, from the catalogues
//! (`error_words`: the web app's pages, the phone library). A cause is
//! kept as the error's `source()`, never copied into its message:
//! [`Chain`] prints an error with its causes, each once.
//!
//! `ClientError` is what every operation returns. The refusals of one
//! domain are an enum of their own beside the code that refuses
//! (`ops::follow_up::FollowUpRefusal`, `ops::read::IdPrefixError`,
//! `ops::admin::AdminError`, `ops::org_key::OrgKeyError`), carried by one
//! variant here.

mod chain;
#[cfg(test)]
mod tests;
mod words;

pub use chain::Chain;
pub use words::{error_words, invite_problem, refusal_words, sync_warning_words, units_refusal_words};

use std::path::PathBuf;

use visitnotes_shared::envelope::SealError;
use visitnotes_shared::invite::InviteError;
use visitnotes_shared::note::NoteError;
use visitnotes_shared::roster::RosterError;
use visitnotes_shared::DeviceId;

use crate::api::ApiClientError;
use crate::display::short;
use crate::ops::admin::AdminError;
use crate::ops::follow_up::FollowUpRefusal;
use crate::ops::org_key::OrgKeyError;
use crate::ops::read::IdPrefixError;
use crate::store::StoreError;
use crate::vault::KeysDamage;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("no Visitnotes profile in {0}: enrol this device first: run `visitnotes ui` and paste your invite in the page (or `visitnotes enroll INVITE --name NAME`)")]
    NoProfile(PathBuf),
    #[error("{0} already holds a Visitnotes profile: use another --home to enrol a second profile")]
    ProfileExists(PathBuf),
    #[error("cannot write in the profile folder {}: choose another with --home, or fix its permissions", .dir.display())]
    ProfileNotWritable {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("this computer names no home folder to keep the profile in: give one with --home DIR")]
    NoHome,
    #[error("the profile's settings ({}) are damaged: restore the profile folder from a backup, or enrol this device again in a new one", .path.display())]
    ProfileDamaged {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("enrolment stopped before the invite was used: fix what is said below, then run the same command again")]
    InviteUnused(#[source] Box<ClientError>),
    #[error("wrong passphrase: nothing was changed")]
    WrongPassphrase,
    #[error("no passphrase: set VISITNOTES_PASSPHRASE, use --passphrase-file, or run in a terminal to be asked")]
    NoPassphrase,
    #[error("the passphrases do not match")]
    PassphraseMismatch,
    #[error("a passphrase must be at least 8 characters: choose a longer one")]
    WeakPassphrase,
    /// A file of keys that does not read: the profile's, or an exported
    /// organisation key.
    #[error("the key file {} is damaged, and nothing was changed: restore it from a backup (an exported organisation key: export it again)", .file.display())]
    CorruptKeys {
        file: PathBuf,
        #[source]
        damage: KeysDamage,
    },
    #[error(transparent)]
    Invite(#[from] InviteError),
    #[error("the server's organisation key ({found}) is not the one in the invite ({expected}): this may not be your organisation's server. Nothing was sent")]
    OrgKeyMismatch { expected: String, found: String },
    #[error("this server has an organisation already, but the invite is a bootstrap invite: ask your administrator for a new invite")]
    ServerHasOrg,
    #[error("this server has no organisation yet: the first administrator must enrol first")]
    ServerHasNoOrg,
    #[error("the server enrolled device {} where this device is {}: it may not be your organisation's server. Nothing was kept here: tell your administrator", short(.found.as_str()), short(.expected.as_str()))]
    OtherDeviceEnrolled { expected: DeviceId, found: DeviceId },
    #[error(transparent)]
    Api(#[from] ApiClientError),
    #[error("the roster from the server was refused, and nothing was uploaded: tell your administrator")]
    Roster(#[from] RosterError),
    #[error("the server presented two different rosters as version {0}: it may be compromised. Nothing was uploaded; tell your administrator")]
    RosterEquivocation(u64),
    #[error("this device has no roster yet: run `visitnotes sync` once it has been approved")]
    NoRoster,
    #[error("the newest list of members (version {version}) expired on {expired}: encrypting to it could give a removed reader the notes. Ask an administrator to run `visitnotes sync` (it signs a fresh list), then run this again")]
    RosterExpired { version: u64, expired: String },
    #[error("this device is not in the roster yet: ask an administrator to run `visitnotes admin approve`, then `visitnotes sync`")]
    NotApproved,
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error("the note could not be sealed, and nothing was saved")]
    Seal(#[from] SealError),
    #[error("encrypting in memory failed, and nothing was written: try again, and if it fails again tell whoever supports your Visitnotes")]
    Encrypt(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("this device's local store failed")]
    Store(#[from] StoreError),
    #[error("this needs the organisation key, which is on an administrator's device (see `visitnotes admin import-org-key`)")]
    NoOrgKey,
    #[error("no note {0} in the local store: run `visitnotes sync`, or check the id with `visitnotes note list`")]
    NoSuchNote(String),
    #[error(transparent)]
    IdPrefix(#[from] IdPrefixError),
    #[error("note {id} was deleted: there is nothing left to change")]
    NoteDeleted { id: String },
    #[error("only the note's author can change it")]
    NotAuthor,
    #[error("only coordinators record follow-up on concerns: ask a coordinator, or tell them what was done")]
    NotCoordinator,
    #[error(transparent)]
    FollowUp(#[from] FollowUpRefusal),
    #[error("the server would not store note {id} ({reason}); `visitnotes note show {id}` prints it, to write it again with `visitnotes note new --from FILE`")]
    NotStored { id: String, reason: String },
    #[error("\"{query}\" matches more than one {what}: {matches}. Give more of the name, or the id prefix shown")]
    Ambiguous { query: String, what: &'static str, matches: String },
    #[error(
        "no {what} matches \"{query}\": give a name or the start of an id as `visitnotes admin roster` shows them"
    )]
    NotFound { query: String, what: &'static str },
    #[error(transparent)]
    Admin(#[from] AdminError),
    #[error(transparent)]
    OrgKey(#[from] OrgKeyError),
    #[error("the server refuses {} already, but the new roster could not be published. Nothing is lost: do the same again to finish it (`{}`, or the same page); until then administrators' devices warn that the server says more than the roster", .change.what(), .change.again())]
    RosterNotPublished {
        change: Unpublished,
        #[source]
        source: Box<ClientError>,
    },
    #[error("roster version {version} is signed and published, but this device's signed statement naming it could not be uploaded: run `visitnotes sync` here soon, so that a member whom the server keeps on an older roster is warned")]
    HeadNotUploaded {
        version: u64,
        #[source]
        source: Box<ClientError>,
    },
    #[error("{}", .action.words(.path))]
    Io {
        action: FileAction,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What was being done to a file when the system refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    Read,
    Write,
    /// Making a folder (with its parents).
    CreateFolder,
}

impl FileAction {
    fn words(self, path: &std::path::Path) -> String {
        let path = path.display();
        match self {
            FileAction::Read => format!("cannot read {path}: check that it is there and that you may read it"),
            FileAction::Write => format!(
                "cannot write {path}: check that its folder is there, that you may write in it, and that the disk has \
                 room"
            ),
            FileAction::CreateFolder => {
                format!("cannot create the folder {path}: check that you may write where it goes, or choose another")
            }
        }
    }
}

/// A revocation or removal the server made but whose roster could not be
/// published: who it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpublished {
    /// A device revoked.
    Revoked { person: String, device_id: DeviceId },
    /// A member removed.
    Removed { person: String },
}

impl Unpublished {
    /// Whom the server refuses, in words.
    fn what(&self) -> String {
        match self {
            Unpublished::Revoked { person, .. } => format!("{person}'s device"),
            Unpublished::Removed { person } => person.clone(),
        }
    }

    /// The command that finishes it.
    pub fn again(&self) -> String {
        match self {
            Unpublished::Revoked { device_id, .. } => format!("visitnotes admin revoke {}", short(device_id.as_str())),
            Unpublished::Removed { person } => format!("visitnotes admin remove \"{person}\""),
        }
    }
}

impl ClientError {
    /// A stable snake_case code for this kind of error, for `--json`
    /// output (`{"error": {"code", "message"}}`): scripts match on it, so
    /// a code, once given, never changes meaning. Kinds that mean the same
    /// to a script share one (`not_approved`, `not_admin`, `note_deleted`,
    /// `ambiguous`); `invalid` is kept for arguments that are wrong
    /// whatever the organisation's state (a threshold out of range, an id
    /// too short, nothing given).
    pub fn code(&self) -> &'static str {
        match self {
            ClientError::NoProfile(_) => "no_profile",
            ClientError::ProfileExists(_) => "profile_exists",
            ClientError::ProfileNotWritable { .. } => "profile_not_writable",
            ClientError::NoHome => "no_home",
            ClientError::ProfileDamaged { .. } => "profile_damaged",
            ClientError::InviteUnused(_) => "invite_unused",
            ClientError::WrongPassphrase => "wrong_passphrase",
            ClientError::NoPassphrase => "no_passphrase",
            ClientError::PassphraseMismatch => "passphrase_mismatch",
            ClientError::WeakPassphrase => "weak_passphrase",
            ClientError::CorruptKeys { .. } => "corrupt_keys",
            ClientError::Invite(_) => "invalid_invite",
            ClientError::OrgKeyMismatch { .. } => "org_key_mismatch",
            ClientError::ServerHasOrg => "server_has_org",
            ClientError::ServerHasNoOrg => "server_has_no_org",
            ClientError::OtherDeviceEnrolled { .. } => "other_device_enrolled",
            ClientError::Api(e) => e.code(),
            ClientError::Roster(_) => "roster_refused",
            ClientError::RosterEquivocation(_) => "roster_equivocation",
            ClientError::NoRoster => "no_roster",
            ClientError::RosterExpired { .. } => "roster_expired",
            ClientError::NotApproved => "not_approved",
            ClientError::Note(_) => "invalid_note",
            ClientError::Seal(_) => "seal_failed",
            ClientError::Encrypt(_) => "encrypt_failed",
            ClientError::Store(crate::store::StoreError::DiskFull(_)) => "local_disk_full",
            ClientError::Store(_) => "local_store",
            ClientError::NoOrgKey => "no_org_key",
            ClientError::NoSuchNote(_) => "no_such_note",
            ClientError::IdPrefix(e) => e.code(),
            ClientError::NoteDeleted { .. } => "note_deleted",
            ClientError::NotAuthor => "not_author",
            ClientError::NotCoordinator => "not_coordinator",
            ClientError::FollowUp(e) => e.code(),
            ClientError::NotStored { .. } => "not_stored",
            ClientError::Ambiguous { .. } => "ambiguous",
            ClientError::NotFound { .. } => "not_found",
            ClientError::Admin(e) => e.code(),
            ClientError::OrgKey(e) => e.code(),
            ClientError::RosterNotPublished { .. } => "roster_not_published",
            ClientError::HeadNotUploaded { .. } => "head_not_uploaded",
            ClientError::Io { .. } => "io",
        }
    }

    /// `Io` reading `path`, for `map_err`.
    pub fn read(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ClientError {
        Self::io(FileAction::Read, path)
    }

    /// `Io` writing `path`, for `map_err`.
    pub fn write(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ClientError {
        Self::io(FileAction::Write, path)
    }

    /// `Io` creating the folder `path`, for `map_err`.
    pub fn create_folder(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ClientError {
        Self::io(FileAction::CreateFolder, path)
    }

    fn io(action: FileAction, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ClientError {
        let path = path.into();
        move |source| ClientError::Io { action, path, source }
    }

    /// `Encrypt`, for `map_err`.
    pub fn encrypt(source: impl std::error::Error + Send + Sync + 'static) -> ClientError {
        ClientError::Encrypt(Box::new(source))
    }
}
