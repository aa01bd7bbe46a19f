//! Enrolment: a new device presents an invite token and its public keys.

use actix_web::{web, HttpRequest, HttpResponse};
use visitnotes_shared::api::{EnrolRequest, OrgInfo};

use crate::db::directory;
use crate::error::ApiError;
use crate::http::{blocking, body};
use crate::state::{AppState, Metrics};

/// The organisation key, for a new device to compare with its invite.
pub async fn org(state: web::Data<AppState>) -> HttpResponse {
    let roster = state.roster();
    HttpResponse::Ok()
        .json(OrgInfo { org_key: roster.as_ref().map(|r| r.org_key), roster_version: roster.map_or(0, |r| r.version) })
}

pub async fn enrol(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(&req, payload, state.settings.max_body_bytes).await?;
    let request: EnrolRequest = body::json(&bytes)?;
    let db = state.db.clone();
    let (response, _record) = blocking(move || db.write(|tx| directory::enrol(tx, &request))).await?;
    state.reload_devices()?;
    Metrics::inc(&state.metrics.enrolments);
    tracing::info!(device = %response.device_id, role = %response.role, "device enrolled");
    Ok(HttpResponse::Created().json(response))
}
