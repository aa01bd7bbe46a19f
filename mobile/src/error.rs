//! The errors that cross to the app: a few kinds an app acts on (unlock
//! first, the passphrase was wrong, wait for approval, try again when
//! online), each with its message in the person's language, worded by the
//! core from the catalogues (`visitnotes_core::error::error_words`), as
//! the web app words them.
//!
//! Flat for the bindings: Kotlin gets `VisitnotesException.Offline` and
//! the like, its `message` the words; the fields stay on the Rust side.

use visitnotes_core::api::ApiClientError;
use visitnotes_core::i18n::Lang;
use visitnotes_core::ClientError;

#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum VisitnotesError {
    /// The profile is locked: unlock it first.
    #[error("{message}")]
    Locked { message: String },
    /// This device has no profile yet: enrol it first.
    #[error("{message}")]
    NotEnrolled { message: String },
    /// The passphrase did not open the keys; nothing was changed.
    #[error("{message}")]
    WrongPassphrase { message: String },
    /// Enrolment stopped before the invite was used: fix what the message
    /// says and enrol again with the same invite.
    #[error("{message}")]
    InviteUnused { message: String },
    /// An administrator has not approved this device yet.
    #[error("{message}")]
    NotApproved { message: String },
    /// The server could not be reached, or the connection broke: nothing
    /// is lost, try again when online.
    #[error("{message}")]
    Offline { message: String },
    /// Anything else. `code`, the stable code `visitnotes --json` gives
    /// the same error, stays on the Rust side (for its tests and logs).
    #[error("{message}")]
    Failed { code: String, message: String },
}

impl VisitnotesError {
    /// `err`, worded in `lang`.
    pub(crate) fn of(lang: Lang, err: &ClientError) -> VisitnotesError {
        let message = visitnotes_core::error::error_words(lang, err);
        match err {
            ClientError::WrongPassphrase => VisitnotesError::WrongPassphrase { message },
            ClientError::NoProfile(_) => VisitnotesError::NotEnrolled { message },
            ClientError::InviteUnused(_) => VisitnotesError::InviteUnused { message },
            ClientError::NotApproved => VisitnotesError::NotApproved { message },
            ClientError::Api(ApiClientError::Unreachable { .. } | ApiClientError::Interrupted { .. }) => {
                VisitnotesError::Offline { message }
            }
            _ => VisitnotesError::Failed { code: err.code().to_owned(), message },
        }
    }

    pub(crate) fn locked(lang: Lang) -> VisitnotesError {
        VisitnotesError::Locked { message: lang.t("error-locked") }
    }
}
