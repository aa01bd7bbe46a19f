//! Upload and pull of sealed notes.
//!
//! Leaders see their own notes; coordinators see all; an administrator who
//! is not a coordinator sees metadata only.

use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use visitnotes_shared::api::{UploadBatch, UploadResponse};
use visitnotes_shared::roster::Role;
use visitnotes_shared::DeviceId;

use crate::db::audit;
use crate::db::notes::{self, Uploader, View};
use crate::error::ApiError;
use crate::http::auth::{self, Caller};
use crate::http::{blocking, body};
use crate::state::{AppState, Metrics};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// Store this batch only once the device's notes up to this sequence
    /// number are stored: a client with two batches in flight sends the
    /// second with `after`, so that they are stored in the device's order
    /// (a reader refuses a lower sequence number after a higher one).
    after: Option<u64>,
}

pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(&req, payload, state.settings.max_batch_bytes).await?;
    let caller = auth::authenticate(&state, &req, &bytes)?;
    caller.require_member()?;
    let query = web::Query::<UploadQuery>::from_query(req.query_string())
        .map_err(|e| ApiError::BadRequest(format!("bad query: {e}")))?
        .into_inner();
    let batch: UploadBatch = body::json_or_postcard(&req, &bytes)?;
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
    let (device, last_seq) = (caller.device_id().clone(), batch.notes.iter().map(|n| n.header.device_seq).max());
    let check =
        move || notes::verify_batch(&batch.notes, &roster, caller.device_id().as_str()).map(|()| (batch, caller));
    let db = state.db.clone();
    let quota = state.settings.quota_bytes_per_user;
    let store = move |(batch, caller): (UploadBatch, Caller)| {
        let who = Uploader { device_id: caller.device_id().as_str(), user_id: caller.user_id(), quota_bytes: quota };
        db.write(|tx| notes::upload(tx, &who, &batch.notes))
    };
    let results = match query.after {
        None => blocking(move || store(check()?)).await?,
        Some(after) => {
            // Checked before waiting, so that this batch's checks overlap the
            // write of the one before it.
            let checked = blocking(check).await?;
            wait_for(&state, checked.1.device_id(), after).await?;
            blocking(move || store(checked)).await?
        }
    };
    state.stored_up_to(&device, last_seq.unwrap_or(0));
    Metrics::add(&state.metrics.notes_stored, results.iter().filter(|r| r.created).count() as u64);
    Ok(HttpResponse::Ok().json(UploadResponse { results }))
}

/// Waits until `device`'s notes up to sequence number `after` are stored,
/// or answers 425 after `upload_wait_ms` (the batch before it failed or
/// never came: the client sends this one again once it knows).
async fn wait_for(state: &AppState, device: &DeviceId, after: u64) -> Result<(), ApiError> {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(state.settings.upload_wait_ms);
    loop {
        // Registered before the check, so that a store in between still wakes us.
        let stored = state.next_store();
        tokio::pin!(stored);
        stored.as_mut().enable();
        let last = match state.stored_seq(device) {
            Some(last) => last,
            None => {
                let (db, id) = (state.db.clone(), device.clone());
                let last = blocking(move || db.read(|conn| notes::last_device_seq(conn, id.as_str()))).await?;
                state.stored_up_to(device, last);
                last
            }
        };
        if last >= after {
            return Ok(());
        }
        if tokio::time::timeout_at(deadline, stored).await.is_err() {
            return Err(ApiError::TooEarly(format!(
                "this device's sequence number {after} is not stored yet (stored up to {last}): \
                 send this batch again once the one before it is answered"
            )));
        }
    }
}

/// Coordinators replace stored ciphertext with files rewrapped to the
/// current readers (after a reader was removed).
pub async fn rewrap(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(&req, payload, state.settings.max_batch_bytes).await?;
    let caller = auth::authenticate(&state, &req, &bytes)?;
    caller.require(Role::Coordinator)?;
    let batch: UploadBatch = body::json(&bytes)?;
    let roster = state.roster().ok_or_else(|| ApiError::Forbidden("no roster has been published yet".into()))?;
    let db = state.db.clone();
    let replaced =
        blocking(move || db.write(|tx| notes::rewrap(tx, caller.device_id().as_str(), &roster, &batch.notes))).await?;
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

pub async fn pull(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let caller = auth::authenticate(&state, &req, b"")?;
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
    let coordinator = caller.has(Role::Coordinator);
    let admin = caller.has(Role::Admin);
    let db = state.db.clone();
    let response = blocking(move || {
        let author = (!coordinator && !admin).then(|| caller.user_id().clone());
        let view = View { author: author.as_ref(), metadata_only: !coordinator && admin, reader: caller.user_id() };
        let page = db.read(|conn| notes::pull(conn, &view, query.since, limit))?;
        if !page.notes.is_empty() {
            let subject = format!("{} revisions, seq {} to {}", page.notes.len(), query.since + 1, page.next);
            db.write(|tx| {
                audit::append(tx, Some(caller.device_id().as_str()), "download", &subject).map_err(ApiError::from)
            })?;
        }
        Ok(page)
    })
    .await?;
    Metrics::add(&state.metrics.notes_pulled, response.notes.len() as u64);
    if binary {
        let body = postcard::to_stdvec(&response).map_err(|e| ApiError::Internal(e.to_string()))?;
        return Ok(HttpResponse::Ok().content_type(visitnotes_shared::api::POSTCARD).body(body));
    }
    Ok(HttpResponse::Ok().json(response))
}
