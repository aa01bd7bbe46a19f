//! Signed device heads: each device uploads its own; every member reads
//! all of them (`visitnotes_shared::head`).

use actix_web::{web, HttpResponse};
use visitnotes_shared::head::{Heads, SignedHead};

use crate::error::ApiError;
use crate::http::body;
use crate::http::signed::Signed;
use crate::state::AppState;

/// `POST /v1/heads`: the caller's own head, signed by it.
pub async fn put(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    let caller = signed.caller;
    caller.require_member()?;
    let head: SignedHead = body::json(&signed.body)?;
    if &head.head.device_id != caller.device_id() {
        return Err(ApiError::Forbidden("a device uploads only its own head".into()));
    }
    let roster = state.roster().ok_or_else(|| ApiError::Forbidden("no roster has been published yet".into()))?;
    head.verify(&roster).map_err(|e| ApiError::BadRequest(format!("head refused: {e}")))?;
    let stored = state.storage.put_head(head).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "stored": stored })))
}

/// `GET /v1/heads`: the newest head of every device.
pub async fn list(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    signed.caller.require_member()?;
    Ok(HttpResponse::Ok().json(Heads { heads: state.storage.heads().await? }))
}
