//! The one error type at the HTTP boundary. Every variant maps to a status
//! and a stable code; the body is always JSON `{code, message}`. Internal
//! errors are logged with their cause and answered without it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use visitnotes_shared::api;

use crate::db::StoreError;

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
    #[error("internal error")]
    Internal(String),
}

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
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(%cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let ApiError::TooLarge(_) = self {
            // The rest of the body is not read: close rather than drain it.
            response.force_close();
        }
        response.json(api::ApiError { code: self.code().to_owned(), message: self.to_string() })
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(e.to_string())
    }
}
