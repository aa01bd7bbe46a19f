//! The client library's errors, each worded to say what to do next.

use std::path::PathBuf;

use visitnotes_shared::envelope::SealError;
use visitnotes_shared::invite::InviteError;
use visitnotes_shared::note::NoteError;
use visitnotes_shared::roster::RosterError;

use crate::api::ApiClientError;

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
    #[error("this device is not in the roster yet: ask an administrator to run `visitnotes admin approve`, then `visitnotes sync`")]
    NotApproved,
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error("the note could not be sealed: {0}")]
    Seal(#[from] SealError),
    #[error("local store: {0}")]
    Store(String),
    #[error("this needs the organisation key, which is on an administrator's device (see `visitnotes admin import-org-key`)")]
    NoOrgKey,
    #[error("no note {0} in the local store: run `visitnotes sync`, or check the id with `visitnotes note list`")]
    NoSuchNote(String),
    #[error("only the note's author can change it")]
    NotAuthor,
    #[error("{0}")]
    Invalid(String),
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
}

impl ClientError {
    pub fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ClientError {
        let what = what.into();
        move |source| ClientError::Io { what, source }
    }
}

impl From<rusqlite::Error> for ClientError {
    fn from(e: rusqlite::Error) -> Self {
        ClientError::Store(e.to_string())
    }
}

impl From<rusqlite_migration::Error> for ClientError {
    fn from(e: rusqlite_migration::Error) -> Self {
        ClientError::Store(e.to_string())
    }
}
