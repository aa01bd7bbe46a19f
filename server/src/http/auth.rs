//! Authentication of signed requests, and the caller's roles.
//!
//! Every failure (missing headers, unknown device, revoked device, clock
//! skew, bad signature, replayed nonce) is the same 401, so that a probe
//! learns nothing about which devices exist.

use std::collections::BTreeSet;

use actix_web::HttpRequest;
use visitnotes_shared::request::{self, ParsedAuth, RequestParts};
use visitnotes_shared::roster::{DeviceStatus, MemberStatus, Role};
use visitnotes_shared::{DeviceId, UserId};

use crate::db::directory::{DeviceRecord, DeviceState};
use crate::error::ApiError;
use crate::state::{AppState, Metrics};

/// An authenticated device and what the roster lets it do.
#[derive(Debug, Clone)]
pub struct Caller {
    pub device: DeviceRecord,
    /// Roles from the roster in force; empty while the device is pending.
    pub roles: BTreeSet<Role>,
}

impl Caller {
    pub fn device_id(&self) -> &DeviceId {
        &self.device.device_id
    }

    pub fn user_id(&self) -> &UserId {
        &self.device.user_id
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Refuses callers that the roster does not list as active.
    pub fn require_member(&self) -> Result<(), ApiError> {
        if self.roles.is_empty() {
            return Err(ApiError::Forbidden(
                "this device is not yet in the roster: ask an administrator to approve it".into(),
            ));
        }
        Ok(())
    }

    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if !self.has(role) {
            return Err(ApiError::Forbidden(format!("this needs the {role} role")));
        }
        Ok(())
    }
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

pub fn authenticate(state: &AppState, req: &HttpRequest, body: &[u8]) -> Result<Caller, ApiError> {
    let result = check(state, req, body);
    if let Err(ApiError::Unauthorized) = result {
        Metrics::inc(&state.metrics.auth_failures);
    }
    result
}

fn check(state: &AppState, req: &HttpRequest, body: &[u8]) -> Result<Caller, ApiError> {
    let parsed = ParsedAuth::parse(
        header(req, request::HEADER_DEVICE),
        header(req, request::HEADER_TIMESTAMP),
        header(req, request::HEADER_NONCE),
        header(req, request::HEADER_SIGNATURE),
    )
    .map_err(|_| ApiError::Unauthorized)?;
    let device = state.device(&parsed.device).ok_or(ApiError::Unauthorized)?;
    if device.state == DeviceState::Revoked {
        return Err(ApiError::Unauthorized);
    }
    let parts = RequestParts { method: req.method().as_str(), path: req.path(), query: req.query_string(), body };
    let now = crate::db::now();
    parsed.verify(&device.signing_key, &parts, now).map_err(|_| ApiError::Unauthorized)?;
    if !state.fresh_nonce(&parsed.device, &parsed.nonce, now) {
        return Err(ApiError::Unauthorized);
    }
    if state.device_limiter.check_key(&parsed.device).is_err() {
        Metrics::inc(&state.metrics.rate_limited);
        return Err(ApiError::RateLimited);
    }
    let roles = match state.roster() {
        Some(roster) => match roster.device(&device.device_id) {
            Some((member, listed))
                if member.status == MemberStatus::Active
                    && listed.status == DeviceStatus::Active
                    && member.user_id == device.user_id
                    && listed.signing_key == device.signing_key =>
            {
                member.roles.clone()
            }
            _ => BTreeSet::new(),
        },
        None => BTreeSet::new(),
    };
    Ok(Caller { device, roles })
}
