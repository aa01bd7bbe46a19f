//! Reading request bodies under a limit, while they stream in: a 1 GB
//! chunked upload is refused after `limit` bytes, not buffered.

use actix_web::error::PayloadError;
use actix_web::{web, HttpRequest};
use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Room made up front for a body of declared length: enough for a batch of
/// notes in one allocation, not enough for a false Content-Length to cost
/// much memory before a byte has arrived.
const RESERVE_AT_MOST: usize = 1024 * 1024;

/// The body of `req`, refused once it passes `limit` bytes.
pub async fn read(
    req: &HttpRequest,
    mut payload: impl Stream<Item = Result<web::Bytes, PayloadError>> + Unpin,
    limit: usize,
) -> Result<web::Bytes, ApiError> {
    let too_large = || ApiError::TooLarge(format!("the request body is larger than {limit} bytes"));
    let mut declared = 0;
    if let Some(length) = req.headers().get(actix_web::http::header::CONTENT_LENGTH) {
        declared = length
            .to_str()
            .ok()
            .and_then(|l| l.parse().ok())
            .ok_or_else(|| ApiError::BadRequest("bad Content-Length".into()))?;
        if declared > limit {
            return Err(too_large());
        }
    }
    let mut body = web::BytesMut::with_capacity(declared.min(RESERVE_AT_MOST));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("the request body could not be read: {e}")))?;
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadJson(e.to_string()))
}

/// JSON, or postcard when the request says `Content-Type:
/// application/x-visitnotes-postcard` (uploads in the binary form carry the
/// ciphertext as raw bytes instead of base64).
pub fn json_or_postcard<T: DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> Result<T, ApiError> {
    let binary = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.to_str().is_ok_and(|v| v.starts_with(visitnotes_shared::api::POSTCARD)));
    if binary {
        return postcard::from_bytes(body).map_err(|e| ApiError::BadJson(format!("postcard: {e}")));
    }
    json(body)
}
