//! Enrolment: a new device presents an invite token and its public keys.

use actix_web::{web, HttpRequest, HttpResponse};
use visitnotes_shared::api::{EnrolRequest, OrgInfo};

use crate::error::ApiError;
use crate::http::body;
use crate::state::{AppState, Metrics};

/// The organisation key, for a new device to compare with its invite.
pub async fn org(state: web::Data<AppState>) -> HttpResponse {
    let roster = state.roster();
    HttpResponse::Ok()
        .json(OrgInfo { org_key: roster.as_ref().map(|r| r.org_key), roster_version: roster.map_or(0, |r| r.version) })
}

/// Unsigned (the device is not known yet), so it reads its body itself.
pub async fn enrol(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(&req, payload, state.settings.max_body_bytes).await?;
    let request: EnrolRequest = body::json(&bytes)?;
    let (response, devices) = state.storage.enrol(request).await?;
    state.install_devices(devices);
    Metrics::inc(&state.metrics.enrolments);
    tracing::info!(device = %response.device_id, role = %response.role, "device enrolled");
    Ok(HttpResponse::Created().json(response))
}
