//! The signed roster: any enrolled device may read it; administrators
//! publish the next version.

use actix_web::{web, HttpRequest, HttpResponse};
use visitnotes_shared::roster::{Role, SignedRoster};

use crate::db::rosters;
use crate::error::ApiError;
use crate::http::{auth, blocking, body};
use crate::state::AppState;

pub async fn get(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    auth::authenticate(&state, &req, b"")?;
    let db = state.db.clone();
    match blocking(move || db.read(rosters::latest)).await? {
        Some(signed) => Ok(HttpResponse::Ok().json(signed)),
        None => Err(ApiError::NotFound("no roster has been published yet".into())),
    }
}

pub async fn put(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(&req, payload, state.settings.max_body_bytes).await?;
    let caller = auth::authenticate(&state, &req, &bytes)?;
    let current = state.roster();
    match &current {
        Some(_) => caller.require(Role::Admin)?,
        None if caller.device.bootstrap => {}
        None => {
            return Err(ApiError::Forbidden("only the bootstrap administrator may publish the first roster".into()))
        }
    }
    let signed: SignedRoster = body::json(&bytes)?;
    let db = state.db.clone();
    let publisher = caller.device.clone();
    let roster = blocking(move || db.write(|tx| rosters::publish(tx, current.as_deref(), &signed, &publisher))).await?;
    let version = roster.version;
    state.set_roster(roster);
    state.reload_devices()?;
    tracing::info!(version, "roster published");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "version": version })))
}
