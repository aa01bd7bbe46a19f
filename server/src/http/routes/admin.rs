//! Administration: invites, pending enrolments, users and devices,
//! revocation, removal, and the audit log. Administrators only.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use visitnotes_shared::api::{CreateInvite, InviteCreated};
use visitnotes_shared::roster::Role;
use visitnotes_shared::{DeviceId, UserId};

use crate::db::directory::{self, NewInvite};
use crate::db::{audit, now};
use crate::error::ApiError;
use crate::http::auth::{self, Caller};
use crate::http::{blocking, body};
use crate::state::AppState;

fn admin(state: &AppState, req: &HttpRequest, body: &[u8]) -> Result<Caller, ApiError> {
    let caller = auth::authenticate(state, req, body)?;
    caller.require(Role::Admin)?;
    Ok(caller)
}

pub async fn create_invite(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(&req, payload, state.settings.max_body_bytes).await?;
    let caller = admin(&state, &req, &bytes)?;
    let invite: CreateInvite = body::json(&bytes)?;
    let days = invite.expires_in_days.unwrap_or(state.settings.invite_days);
    if !(1..=90).contains(&days) {
        return Err(ApiError::BadRequest("an invite expires after 1 to 90 days".into()));
    }
    let expires_at = now() + i64::from(days) * 86_400;
    let user_id = invite.user_id.clone().unwrap_or_else(UserId::random);
    let db = state.db.clone();
    let response = InviteCreated { user_id: user_id.clone(), expires_at };
    blocking(move || {
        db.write(|tx| {
            if let Some(existing) = &invite.user_id {
                let known: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM users WHERE user_id = ?1 AND state = 'active')",
                    [existing.as_str()],
                    |r| r.get(0),
                )?;
                if !known {
                    return Err(ApiError::NotFound(format!("no active user {existing}")));
                }
            }
            let new = NewInvite {
                token_hash: &invite.token_hash,
                user_id: &user_id,
                role: invite.role,
                name: &invite.name,
                bootstrap: false,
                expires_at,
            };
            directory::create_invite(tx, &new, Some(caller.device_id().as_str()))
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(response))
}

pub async fn enrolments(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    admin(&state, &req, b"")?;
    let db = state.db.clone();
    Ok(HttpResponse::Ok().json(blocking(move || db.read(directory::pending)).await?))
}

pub async fn users(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    admin(&state, &req, b"")?;
    let db = state.db.clone();
    Ok(HttpResponse::Ok().json(blocking(move || db.read(directory::users)).await?))
}

pub async fn revoke(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(&req, payload, state.settings.max_body_bytes).await?;
    let caller = admin(&state, &req, &bytes)?;
    let device = DeviceId::parse(&path).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let db = state.db.clone();
    let target = device.clone();
    let last_seq =
        blocking(move || db.write(|tx| directory::revoke_device(tx, &target, caller.device_id().as_str()))).await?;
    state.reload_devices()?;
    tracing::info!(%device, "device revoked");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "device_id": device, "last_seq": last_seq })))
}

pub async fn remove(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(&req, payload, state.settings.max_body_bytes).await?;
    let caller = admin(&state, &req, &bytes)?;
    let user = UserId::parse(&path).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let db = state.db.clone();
    let target = user.clone();
    blocking(move || db.write(|tx| directory::remove_user(tx, &target, caller.device_id().as_str()))).await?;
    state.reload_devices()?;
    tracing::info!(%user, "user removed");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "user_id": user })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u32>,
}

pub async fn audit(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    admin(&state, &req, b"")?;
    let query = web::Query::<AuditQuery>::from_query(req.query_string())
        .map_err(|e| ApiError::BadRequest(format!("bad query: {e}")))?
        .into_inner();
    let limit = query.limit.unwrap_or(1000).clamp(1, 10_000);
    let db = state.db.clone();
    let entries =
        blocking(move || db.read(|conn| audit::list(conn, query.since, limit).map_err(ApiError::from))).await?;
    Ok(HttpResponse::Ok().json(entries))
}
