//! The client library's errors, each worded to say what to do next.

use std::path::PathBuf;

use visitnotes_shared::envelope::SealError;
use visitnotes_shared::invite::InviteError;
use visitnotes_shared::note::NoteError;
use visitnotes_shared::roster::RosterError;

use crate::api::ApiClientError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("no Visitnotes profile in {0}: enrol this device first with `visitnotes enroll INVITE --name NAME`")]
    NoProfile(PathBuf),
    #[error("{0} already holds a Visitnotes profile: use another --home to enrol a second profile")]
    ProfileExists(PathBuf),
    #[error("cannot write in the profile folder {}: choose another with --home, or fix its permissions", .dir.display())]
    ProfileNotWritable {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
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
    #[error("the key file is damaged: {0}")]
    CorruptKeys(String),
    #[error(transparent)]
    Invite(#[from] InviteError),
    #[error("the server's organisation key ({found}) is not the one in the invite ({expected}): this may not be your organisation's server. Nothing was sent")]
    OrgKeyMismatch { expected: String, found: String },
    #[error("this server has an organisation already, but the invite is a bootstrap invite: ask your administrator for a new invite")]
    ServerHasOrg,
    #[error("this server has no organisation yet: the first administrator must enrol first")]
    ServerHasNoOrg,
    #[error(transparent)]
    Api(#[from] ApiClientError),
    #[error("the roster from the server was refused: {0}. Nothing was uploaded; tell your administrator")]
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
    #[error("the note could not be sealed: {0}")]
    Seal(#[from] SealError),
    #[error("this device's local store failed")]
    Store(#[from] StoreError),
    #[error("this needs the organisation key, which is on an administrator's device (see `visitnotes admin import-org-key`)")]
    NoOrgKey,
    #[error("no note {0} in the local store: run `visitnotes sync`, or check the id with `visitnotes note list`")]
    NoSuchNote(String),
    #[error("only the note's author can change it")]
    NotAuthor,
    #[error("only coordinators record follow-up on concerns: ask a coordinator, or tell them what was done")]
    NotCoordinator,
    #[error("the server would not store note {id} ({reason}); `visitnotes note show {id}` prints it, to write it again with `visitnotes note new --from FILE`")]
    NotStored { id: String, reason: String },
    #[error("\"{query}\" matches more than one {what}: {matches}. Give more of the name, or the id prefix shown")]
    Ambiguous { query: String, what: &'static str, matches: String },
    #[error(
        "no {what} matches \"{query}\": give a name or the start of an id as `visitnotes admin roster` shows them"
    )]
    NotFound { query: String, what: &'static str },
    #[error("the server refuses {what} already, but the new roster could not be published. Nothing is lost: do the same again to finish it (`{again}`, or the same page); until then administrators' devices warn that the server says more than the roster")]
    RosterNotPublished {
        what: String,
        /// The command that finishes it.
        again: String,
        #[source]
        source: Box<ClientError>,
    },
    #[error("roster version {version} is signed and published, but this device's signed statement naming it could not be uploaded: run `visitnotes sync` here soon, so that a member whom the server keeps on an older roster is warned")]
    HeadNotUploaded {
        version: u64,
        #[source]
        source: Box<ClientError>,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
}

impl ClientError {
    /// A stable snake_case code for this kind of error, for `--json`
    /// output (`{"error": {"code", "message"}}`): scripts match on it, so
    /// a code, once given, never changes meaning.
    pub fn code(&self) -> &'static str {
        match self {
            ClientError::NoProfile(_) => "no_profile",
            ClientError::ProfileExists(_) => "profile_exists",
            ClientError::ProfileNotWritable { .. } => "profile_not_writable",
            ClientError::InviteUnused(_) => "invite_unused",
            ClientError::WrongPassphrase => "wrong_passphrase",
            ClientError::NoPassphrase => "no_passphrase",
            ClientError::PassphraseMismatch => "passphrase_mismatch",
            ClientError::WeakPassphrase => "weak_passphrase",
            ClientError::CorruptKeys(_) => "corrupt_keys",
            ClientError::Invite(_) => "invalid_invite",
            ClientError::OrgKeyMismatch { .. } => "org_key_mismatch",
            ClientError::ServerHasOrg => "server_has_org",
            ClientError::ServerHasNoOrg => "server_has_no_org",
            ClientError::Api(e) => e.code(),
            ClientError::Roster(_) => "roster_refused",
            ClientError::RosterEquivocation(_) => "roster_equivocation",
            ClientError::NoRoster => "no_roster",
            ClientError::RosterExpired { .. } => "roster_expired",
            ClientError::NotApproved => "not_approved",
            ClientError::Note(_) => "invalid_note",
            ClientError::Seal(_) => "seal_failed",
            ClientError::Store(_) => "local_store",
            ClientError::NoOrgKey => "no_org_key",
            ClientError::NoSuchNote(_) => "no_such_note",
            ClientError::NotAuthor => "not_author",
            ClientError::NotCoordinator => "not_coordinator",
            ClientError::NotStored { .. } => "not_stored",
            ClientError::Ambiguous { .. } => "ambiguous",
            ClientError::NotFound { .. } => "not_found",
            ClientError::RosterNotPublished { .. } => "roster_not_published",
            ClientError::HeadNotUploaded { .. } => "head_not_uploaded",
            ClientError::Invalid(_) => "invalid",
            ClientError::Io { .. } => "io",
        }
    }

    pub fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ClientError {
        let what = what.into();
        move |source| ClientError::Io { what, source }
    }
}
