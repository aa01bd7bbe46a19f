//! What the store answers when it does not do what was asked: a failure of
//! the engine (the cause kept as the error's source), or a refusal that the
//! stored data dictates (a conflict, a used-up quota, ...). The store picks
//! no HTTP status: `crate::error` maps these to responses.

use std::sync::Arc;

/// Why the store refused an operation: the caller's request does not fit
/// what is stored. The text says what, for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The input is malformed or breaks a rule that holds whatever is stored.
    #[error("{0}")]
    Invalid(String),
    /// The caller may not do this to what is stored (not the note's author, ...).
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    NotFound(String),
    /// It contradicts what is stored (an id taken, a revision missing, ...).
    #[error("{0}")]
    Conflict(String),
    /// The author's storage quota is used up.
    #[error("the storage quota of this user is used up")]
    Quota,
    /// An invite token that is unknown, used or expired: one answer for all.
    #[error("the invite is not valid: it may be mistyped, used already, or expired")]
    InviteInvalid,
    /// An upload whose earlier batch did not come in time.
    #[error("{0}")]
    NotYet(String),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error")]
    Db(#[from] rusqlite::Error),
    #[error("database migration failed")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("PostgreSQL error")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("no PostgreSQL connection")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The blocking task that ran the operation panicked or was cancelled.
    #[error("the storage worker failed")]
    Worker(#[from] tokio::task::JoinError),
    #[error("cannot start the upload writer")]
    WriterStart(#[source] std::io::Error),
    #[error("the upload writer has stopped")]
    WriterStopped,
    /// The commit that held this request's work failed; other requests of the
    /// same commit got the same cause.
    #[error("the commit of this request's group failed")]
    Group(#[source] Arc<StoreError>),
}

impl StoreError {
    /// Whether the disk under the store is full (SQLITE_FULL): nothing was
    /// stored, and the same request succeeds once there is room again.
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::Db(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull),
            StoreError::Group(cause) => cause.is_disk_full(),
            _ => false,
        }
    }

    /// Whether the database could not be reached or stopped answering
    /// (PostgreSQL stopped, restarting, not taking connections): nothing
    /// was stored, and the same request succeeds once it is back.
    pub fn is_unavailable(&self) -> bool {
        use deadpool_postgres::PoolError;
        match self {
            // No connection to be had: opening one failed, or took too long.
            StoreError::Pool(PoolError::Backend(_) | PoolError::Timeout(_)) => true,
            StoreError::Pool(_) => false,
            StoreError::Postgres(e) => postgres_away(e),
            StoreError::Group(cause) => cause.is_unavailable(),
            _ => false,
        }
    }
}

/// A PostgreSQL error that says the server went away, not that the query
/// was wrong: the connection closed or broke, or the server is shutting
/// down or starting (class 57P), or a connection exception (class 08).
fn postgres_away(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        Some(code) => {
            let code = code.code();
            code.starts_with("57P") || code.starts_with("08")
        }
        // No SQLSTATE: an I/O error on the connection.
        None => std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()),
    }
}
