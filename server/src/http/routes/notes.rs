//! Upload and pull of sealed notes.
//!
//! Leaders see their own notes and coordinators' follow-up records about
//! them; coordinators see all; an administrator who is not a coordinator
//! sees metadata only (in full what is theirs). Only coordinators' devices
//! upload follow-up records.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use visitnotes_shared::api::{UploadBatch, UploadResponse};
use visitnotes_shared::roster::Role;

use crate::db::upload_writer::Upload;
use crate::error::ApiError;
use crate::http::body;
use crate::http::signed::{Signed, SignedBatch};
use crate::state::{AppState, Metrics};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// Store this batch only once the device's notes up to this sequence
    /// number are stored: a client with several batches in flight sends
    /// each with `after` = the last of the one before, so that they are
    /// stored in the device's order (a reader refuses a lower sequence
    /// number after a higher one).
    after: Option<u64>,
}

pub async fn upload(
    state: web::Data<AppState>,
    signed: SignedBatch,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let SignedBatch { caller, body: bytes } = signed;
    caller.require_member()?;
    let query = web::Query::<UploadQuery>::from_query(req.query_string())
        .map_err(|e| ApiError::BadRequest(format!("bad query: {e}")))?
        .into_inner();
    let batch: UploadBatch = body::json_or_postcard(&req, &bytes)?;
    // Parsed: the body's copy of the notes is not needed while this batch
    // waits for the writer (a client keeps several in flight).
    drop(bytes);
    if batch.notes.is_empty() {
        return Err(ApiError::BadRequest("the batch holds no notes".into()));
    }
    if let Some(big) = batch.notes.iter().find(|n| n.age.len() > state.settings.max_note_bytes) {
        return Err(ApiError::TooLarge(format!(
            "note {} is larger than {} bytes",
            big.header.note_id, state.settings.max_note_bytes
        )));
    }
    let roster = state.roster().ok_or_else(|| ApiError::Forbidden("no roster has been published yet".into()))?;
    if let Some(after) = query.after.filter(|&after| batch.notes.iter().any(|n| n.header.device_seq <= after)) {
        return Err(ApiError::BadRequest(format!("after={after}: the batch holds sequence numbers up to it")));
    }
    let (device_id, user_id) = (caller.device_id().clone(), caller.user_id().clone());
    let upload = Upload { device_id, user_id, after: query.after, notes: batch.notes };
    let results = state.storage.upload(upload, roster).await?;
    Metrics::add(&state.metrics.notes_stored, results.iter().filter(|r| r.created).count() as u64);
    Ok(HttpResponse::Ok().json(UploadResponse { results }))
}

/// Coordinators replace stored ciphertext with files rewrapped to the
/// current readers (after a reader was removed).
pub async fn rewrap(state: web::Data<AppState>, signed: SignedBatch) -> Result<HttpResponse, ApiError> {
    signed.caller.require(Role::Coordinator)?;
    let batch: UploadBatch = body::json(&signed.body)?;
    if batch.notes.is_empty() {
        return Err(ApiError::BadRequest("the batch holds no notes".into()));
    }
    let roster = state.roster().ok_or_else(|| ApiError::Forbidden("no roster has been published yet".into()))?;
    let replaced = state.storage.rewrap(signed.caller.device_id().clone(), roster, batch.notes).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "replaced": replaced })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u32>,
    /// `postcard` for the binary form, else JSON.
    format: Option<String>,
}

pub async fn pull(state: web::Data<AppState>, signed: Signed, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let caller = signed.caller;
    caller.require_member()?;
    let query = web::Query::<PullQuery>::from_query(req.query_string())
        .map_err(|e| ApiError::BadRequest(format!("bad query: {e}")))?
        .into_inner();
    let limit = query.limit.unwrap_or(100);
    let binary = match query.format.as_deref() {
        None | Some("json") => false,
        Some("postcard") => true,
        Some(other) => return Err(ApiError::BadRequest(format!("unknown format {other:?}: use json or postcard"))),
    };
    if limit == 0 || limit > state.settings.max_page {
        return Err(ApiError::BadRequest(format!("limit must be 1 to {}", state.settings.max_page)));
    }
    // Leaders see their own notes and the follow-up records about them; an
    // administrator who is not a coordinator sees others' as metadata only.
    let coordinator = caller.has(Role::Coordinator);
    let admin = caller.has(Role::Admin);
    let (reader, device) = (caller.user_id().clone(), caller.device_id().clone());
    let response =
        state.storage.pull(reader, !coordinator && !admin, !coordinator && admin, device, query.since, limit).await?;
    Metrics::add(&state.metrics.notes_pulled, response.notes.len() as u64);
    if binary {
        let body = postcard::to_stdvec(&response).map_err(|e| ApiError::Internal(Box::new(e)))?;
        return Ok(HttpResponse::Ok().content_type(visitnotes_shared::api::POSTCARD).body(body));
    }
    Ok(HttpResponse::Ok().json(response))
}
