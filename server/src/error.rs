//! The one error type at the HTTP boundary. Every variant maps to a status
//! and a stable code; the body is always JSON `{code, message}`. Internal
//! errors are logged with their cause and answered without it.
//!
//! The store's errors (`StoreError`, `Refusal`) become responses here, in
//! one `From`: the store itself picks no status.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use visitnotes_shared::api;

use crate::db::{Refusal, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("the request body is not valid: {0}")]
    BadJson(String),
    /// One answer for every authentication failure, so that a caller cannot
    /// tell a revoked device from a bad signature or a replay.
    #[error("the request is not authenticated")]
    Unauthorized,
    #[error("the invite is not valid: it may be mistyped, used already, or expired")]
    InviteInvalid,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("this route does not take that method")]
    MethodNotAllowed,
    #[error("{0}")]
    TooLarge(String),
    #[error("the storage quota of this user is used up")]
    QuotaExceeded,
    #[error("too many requests: slow down and retry")]
    RateLimited,
    #[error("{0}")]
    TooEarly(String),
    /// The disk under the store is full: nothing was stored. The cause goes
    /// to the log; the answer says who must act.
    #[error("the server's disk is full: nothing was stored. Its operator must free space on the disk of the server's data directory (or move it to a larger one); the server takes uploads again by itself then")]
    StorageFull(#[source] Box<StoreError>),
    /// The database cannot be reached (PostgreSQL stopped, restarting,
    /// or not taking connections): nothing was stored or lost. Answered 503
    /// with `Retry-After`; the server reconnects by itself.
    #[error(
        "the server's database is unavailable: nothing was stored, and nothing was lost. Try again in a few seconds"
    )]
    Unavailable(#[source] Box<StoreError>),
    /// The cause goes to the log, never into the response.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// How long a client is asked to wait after a 503 (a database restart
/// takes a few seconds; the pool gives up on a connection after five).
pub const RETRY_AFTER_SECS: u64 = 5;

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::BadJson(_) => "bad_json",
            ApiError::Unauthorized => "unauthorized",
            ApiError::InviteInvalid => "invite_invalid",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::TooLarge(_) => "too_large",
            ApiError::QuotaExceeded => "quota_exceeded",
            ApiError::RateLimited => "rate_limited",
            ApiError::TooEarly(_) => "too_early",
            ApiError::StorageFull(_) => "storage_full",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::BadJson(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::InviteInvalid => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) | ApiError::QuotaExceeded => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ApiError::TooEarly(_) => StatusCode::from_u16(425).expect("425 is a status code"),
            ApiError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(cause = %Chain(cause.as_ref()), "internal error"),
            ApiError::StorageFull(cause) => {
                tracing::error!(cause = %Chain(cause.as_ref()), "the disk is full: free space in the data directory")
            }
            ApiError::Unavailable(cause) => {
                tracing::warn!(cause = %Chain(cause.as_ref()), "the database is unavailable: answered 503")
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        if let ApiError::Unavailable(_) = self {
            response.insert_header((actix_web::http::header::RETRY_AFTER, RETRY_AFTER_SECS.to_string()));
        }
        if let ApiError::TooLarge(_) = self {
            // The rest of the body is not read: close rather than drain it.
            response.force_close();
        }
        response.json(api::ApiError { code: self.code().to_owned(), message: self.to_string() })
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(refusal) => refusal.into(),
            full if full.is_disk_full() => ApiError::StorageFull(Box::new(full)),
            away if away.is_unavailable() => ApiError::Unavailable(Box::new(away)),
            other => ApiError::Internal(Box::new(other)),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Invalid(m) => ApiError::BadRequest(m),
            Refusal::NotAllowed(m) => ApiError::Forbidden(m),
            Refusal::NotFound(m) => ApiError::NotFound(m),
            Refusal::Conflict(m) => ApiError::Conflict(m),
            Refusal::Quota => ApiError::QuotaExceeded,
            Refusal::InviteInvalid => ApiError::InviteInvalid,
            Refusal::NotYet(m) => ApiError::TooEarly(m),
        }
    }
}

/// An error and its causes: the server's one way of printing an error.
/// `{}` puts them on one line (`a: b: c`), for the log and for a finding;
/// `{:#}` puts each cause on its own line, for the command line.
pub struct Chain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            if f.alternate() {
                write!(f, "\n  caused by: {cause}")?;
            } else {
                write!(f, ": {cause}")?;
            }
            source = cause.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_line_keeps_every_cause() {
        let sqlite = rusqlite::Error::InvalidColumnName("x".into());
        let api = ApiError::from(StoreError::Group(std::sync::Arc::new(StoreError::Db(sqlite))));
        let line = Chain(&api).to_string();
        assert_eq!(
            line,
            "internal error: the commit of this request's group failed: database error: Invalid column name: x"
        );
        assert_eq!(api.to_string(), "internal error", "the response does not show it");
        assert_eq!(
            format!("{:#}", Chain(&api)),
            "internal error\n  caused by: the commit of this request's group failed\n  caused by: database error\n  caused by: Invalid column name: x"
        );
    }

    #[test]
    fn a_full_disk_is_507_storage_full_not_an_internal_error() {
        let full = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None);
        let api = ApiError::from(StoreError::Group(std::sync::Arc::new(StoreError::Db(full))));
        assert_eq!((api.status_code().as_u16(), api.code()), (507, "storage_full"));
        assert!(api.to_string().contains("operator must free space"), "{api}");
        let other = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR), None);
        assert_eq!(ApiError::from(StoreError::Db(other)).code(), "internal");
    }

    #[test]
    fn refusals_keep_their_kind() {
        let api = ApiError::from(StoreError::Refused(Refusal::Quota));
        assert_eq!(api.status_code(), StatusCode::PAYLOAD_TOO_LARGE);
        let api = ApiError::from(StoreError::Refused(Refusal::NotYet("wait".into())));
        assert_eq!((api.status_code().as_u16(), api.to_string()), (425, "wait".to_owned()));
    }
}
