//! The signed roster: any enrolled device may read it; administrators
//! publish the next version.

use actix_web::{web, HttpResponse};
use visitnotes_shared::roster::{Role, SignedRoster};

use crate::error::ApiError;
use crate::http::body;
use crate::http::signed::Signed;
use crate::state::AppState;

pub async fn get(state: web::Data<AppState>, _signed: Signed) -> Result<HttpResponse, ApiError> {
    match state.storage.latest_roster().await? {
        Some(signed) => Ok(HttpResponse::Ok().json(signed)),
        None => Err(ApiError::NotFound("no roster has been published yet".into())),
    }
}

pub async fn put(state: web::Data<AppState>, request: Signed) -> Result<HttpResponse, ApiError> {
    let caller = request.caller;
    let current = state.roster();
    match &current {
        Some(_) => caller.require(Role::Admin)?,
        None if caller.device.bootstrap => {}
        None => {
            return Err(ApiError::Forbidden("only the bootstrap administrator may publish the first roster".into()))
        }
    }
    let signed: SignedRoster = body::json(&request.body)?;
    let (roster, devices) = state.storage.publish_roster(current, signed, caller.device).await?;
    let version = roster.version;
    state.set_roster(roster);
    state.install_devices(devices);
    tracing::info!(version, "roster published");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "version": version })))
}
