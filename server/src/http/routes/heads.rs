//! Signed device heads: each device uploads its own; every member reads
//! all of them (`visitnotes_shared::head`). Coordinators' receipts: each
//! coordinator's device uploads its own; each member reads those about
//! its own devices (`visitnotes_shared::receipt`).

use actix_web::{web, HttpResponse};
use visitnotes_shared::head::{Heads, SignedHead};
use visitnotes_shared::receipt::Receipts;
use visitnotes_shared::roster::Role;

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

/// Most receipts in one upload: one per device of the organisation.
const MAX_RECEIPTS: usize = 10_000;

/// `POST /v1/receipts`: a coordinator's device's own receipts, signed by it.
pub async fn put_receipts(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    let caller = signed.caller;
    caller.require(Role::Coordinator)?;
    let batch: Receipts = body::json(&signed.body)?;
    if batch.receipts.is_empty() || batch.receipts.len() > MAX_RECEIPTS {
        return Err(ApiError::BadRequest(format!("1 to {MAX_RECEIPTS} receipts at once")));
    }
    let roster = state.roster().ok_or_else(|| ApiError::Forbidden("no roster has been published yet".into()))?;
    let mut checked = Vec::with_capacity(batch.receipts.len());
    for receipt in batch.receipts {
        if &receipt.receipt.reader != caller.device_id() {
            return Err(ApiError::Forbidden("a device uploads only its own receipts".into()));
        }
        receipt.verify(&roster).map_err(|e| ApiError::BadRequest(format!("receipt refused: {e}")))?;
        let (author, _) = roster.device(&receipt.receipt.device_id).expect("verified: the device is listed");
        checked.push((receipt, author.user_id.clone()));
    }
    let stored = state.storage.put_receipts(checked).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "stored": stored })))
}

/// `GET /v1/receipts`: the receipts about the caller's own devices.
pub async fn receipts(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    signed.caller.require_member()?;
    let receipts = state.storage.receipts_for(signed.caller.user_id().clone()).await?;
    Ok(HttpResponse::Ok().json(Receipts { receipts }))
}
