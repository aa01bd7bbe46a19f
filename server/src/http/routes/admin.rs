//! Administration: invites, pending enrolments, users and devices,
//! revocation, removal, the audit log and its signed checkpoints.
//! Administrators only.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use visitnotes_shared::api::{CreateInvite, GrantOrgKey, InviteCreated};
use visitnotes_shared::audit::Checkpoint;
use visitnotes_shared::roster::{DeviceStatus, MemberStatus, Role};
use visitnotes_shared::{DeviceId, UserId};

use crate::db::{now, NewMember};
use crate::error::ApiError;
use crate::http::auth::Caller;
use crate::http::body;
use crate::http::signed::Signed;
use crate::state::AppState;

fn admin(signed: &Signed) -> Result<&Caller, ApiError> {
    signed.caller.require(Role::Admin)?;
    Ok(&signed.caller)
}

pub async fn create_invite(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    let caller = admin(&signed)?;
    let invite: CreateInvite = body::json(&signed.body)?;
    let days = invite.expires_in_days.unwrap_or(state.settings.invite_days);
    if !(1..=90).contains(&days) {
        return Err(ApiError::BadRequest("an invite expires after 1 to 90 days".into()));
    }
    let expires_at = now() + i64::from(days) * 86_400;
    let new = NewMember {
        existing: invite.user_id.is_some(),
        user_id: invite.user_id.unwrap_or_else(UserId::random),
        token_hash: invite.token_hash,
        role: invite.role,
        name: invite.name,
        expires_at,
    };
    let response = InviteCreated { user_id: new.user_id.clone(), expires_at };
    state.storage.create_invite(new, caller.device_id().clone()).await?;
    Ok(HttpResponse::Created().json(response))
}

pub async fn enrolments(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    admin(&signed)?;
    Ok(HttpResponse::Ok().json(state.storage.pending().await?))
}

pub async fn users(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    admin(&signed)?;
    Ok(HttpResponse::Ok().json(state.storage.users().await?))
}

pub async fn revoke(
    state: web::Data<AppState>,
    signed: Signed,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let caller = admin(&signed)?;
    let device = DeviceId::parse(&path).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let (last_seq, devices) = state.storage.revoke_device(device.clone(), caller.device_id().clone()).await?;
    state.install_devices(devices);
    tracing::info!(%device, "device revoked");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "device_id": device, "last_seq": last_seq })))
}

/// Deletes a pending enrolment an administrator does not approve.
pub async fn reject(
    state: web::Data<AppState>,
    signed: Signed,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let caller = admin(&signed)?;
    let device = DeviceId::parse(&path).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let devices = state.storage.reject_enrolment(device.clone(), caller.device_id().clone()).await?;
    state.install_devices(devices);
    tracing::info!(%device, "enrolment rejected");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "device_id": device })))
}

pub async fn remove(
    state: web::Data<AppState>,
    signed: Signed,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let caller = admin(&signed)?;
    let user = UserId::parse(&path).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let devices = state.storage.remove_user(user.clone(), caller.device_id().clone()).await?;
    state.install_devices(devices);
    tracing::info!(%user, "user removed");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "user_id": user })))
}

/// The largest sealed organisation key taken: an age header with one
/// X25519 stanza and a short payload is a few hundred bytes.
const MAX_GRANT_BYTES: usize = 4096;

/// Stores the organisation key sealed by an administrator's client to
/// another administrator's device, for that device to pick up. The server
/// cannot open it; it checks that the receiving device is an active
/// administrator's in the roster in force, and that it is an age file
/// with X25519 stanzas only.
pub async fn grant_org_key(
    state: web::Data<AppState>,
    signed: Signed,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let caller = admin(&signed)?;
    let device = DeviceId::parse(&path).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let grant: GrantOrgKey = body::json(&signed.body)?;
    if grant.sealed.is_empty() || grant.sealed.len() > MAX_GRANT_BYTES {
        return Err(ApiError::BadRequest(format!("a sealed organisation key is 1 to {MAX_GRANT_BYTES} bytes")));
    }
    visitnotes_shared::age_header::read(&grant.sealed).map_err(|e| {
        ApiError::BadRequest(format!("the sealed organisation key is not an age file for X25519 keys: {e}"))
    })?;
    let roster = state.roster().ok_or_else(|| ApiError::Conflict("no roster yet".into()))?;
    let is_admin_device = roster.device(&device).is_some_and(|(member, listed)| {
        member.status == MemberStatus::Active
            && listed.status == DeviceStatus::Active
            && member.roles.contains(&Role::Admin)
    });
    if !is_admin_device {
        return Err(ApiError::Forbidden(format!(
            "device {device} is not an active administrator's device in the roster in force: the organisation key goes to administrators only"
        )));
    }
    state.storage.grant_org_key(device.clone(), grant.sealed, caller.device_id().clone()).await?;
    tracing::info!(%device, "organisation key granted");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "device_id": device })))
}

/// The devices the organisation key has been sealed to (and not revoked since).
pub async fn org_key_grants(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    admin(&signed)?;
    Ok(HttpResponse::Ok().json(state.storage.org_key_granted().await?))
}

/// The organisation key sealed to the calling administrator's device.
pub async fn my_org_key_grant(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    let caller = admin(&signed)?;
    match state.storage.org_key_grant(caller.device_id().clone()).await? {
        Some(grant) => Ok(HttpResponse::Ok().json(grant)),
        None => Err(ApiError::NotFound("no organisation key was sealed to this device".into())),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u32>,
}

pub async fn audit(state: web::Data<AppState>, signed: Signed, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    admin(&signed)?;
    let query = web::Query::<AuditQuery>::from_query(req.query_string())
        .map_err(|e| ApiError::BadRequest(format!("bad query: {e}")))?
        .into_inner();
    let limit = query.limit.unwrap_or(1000).clamp(1, 10_000);
    Ok(HttpResponse::Ok().json(state.storage.audit(query.since, limit).await?))
}

/// The newest checkpoint of the audit log; 404 before the first.
pub async fn checkpoint(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    admin(&signed)?;
    match state.storage.latest_checkpoint().await? {
        Some(checkpoint) => Ok(HttpResponse::Ok().json(checkpoint)),
        None => Err(ApiError::NotFound("no checkpoint of the audit log has been signed yet".into())),
    }
}

/// Stores a checkpoint the calling administrator's device signed over the
/// log's head, after checking its signature against the roster in force
/// and its hash against the log.
pub async fn add_checkpoint(state: web::Data<AppState>, signed: Signed) -> Result<HttpResponse, ApiError> {
    let caller = admin(&signed)?;
    let checkpoint: Checkpoint = body::json(&signed.body)?;
    let roster = state.roster().ok_or_else(|| ApiError::Conflict("no roster has been published yet".into()))?;
    let entries = checkpoint.entries;
    state.storage.add_checkpoint(roster, checkpoint, caller.device_id().clone()).await?;
    tracing::info!(entries, "audit checkpoint stored");
    Ok(HttpResponse::Created().json(serde_json::json!({ "entries": entries })))
}
