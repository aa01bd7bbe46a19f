//! The signed roster: any enrolled device may read it; administrators
//! publish the next version (and a device that rebuilt the organisation
//! key from its shares, the version that makes it an administrator).

use actix_web::{web, HttpResponse};
use visitnotes_shared::roster::{DeviceStatus, MemberStatus, Role, SignedRoster};

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

/// Publishes the next roster. The caller must be an administrator in the
/// roster in force, or (the recovery of a lost organisation key from its
/// shares, `visitnotes admin recover-org-key`) an active administrator in
/// the roster it publishes, which must verify under the organisation key
/// like any other: holding that key is what makes an administrator.
pub async fn put(state: web::Data<AppState>, request: Signed) -> Result<HttpResponse, ApiError> {
    let caller = request.caller;
    let current = state.roster();
    // Parsed before the role check, which may need it; a caller who may not
    // publish hears that, whatever it sent.
    let parsed: Result<SignedRoster, ApiError> = body::json(&request.body);
    match &current {
        Some(_) if caller.has(Role::Admin) => {}
        Some(current) => {
            let next = parsed.as_ref().ok().and_then(|signed| signed.verify(&current.org_key, current.version).ok());
            let makes_caller_admin = next.is_some_and(|next| {
                next.device(caller.device_id()).is_some_and(|(m, d)| {
                    m.user_id == *caller.user_id()
                        && m.status == MemberStatus::Active
                        && d.status == DeviceStatus::Active
                        && m.roles.contains(&Role::Admin)
                })
            });
            if !makes_caller_admin {
                caller.require(Role::Admin)?;
            }
        }
        None if caller.device.bootstrap => {}
        None => {
            return Err(ApiError::Forbidden("only the bootstrap administrator may publish the first roster".into()))
        }
    }
    let signed = parsed?;
    let (roster, devices) = state.storage.publish_roster(current, signed, caller.device).await?;
    let version = roster.version;
    state.set_roster(roster);
    state.install_devices(devices);
    tracing::info!(version, "roster published");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "version": version })))
}
