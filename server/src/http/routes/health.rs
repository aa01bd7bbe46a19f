//! Liveness, metrics and the API description.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::state::AppState;

pub const OPENAPI: &str = include_str!("../../openapi.json");

/// Ok when the database answers.
pub async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.storage.ping().await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })))
}

/// The counters, for a collector that sends the `metrics_token` of the
/// settings as a bearer token; off (404) when none is set.
pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let Some(token) = &state.settings.metrics_token else {
        return Err(ApiError::NotFound(
            "metrics are off on this server: its operator sets metrics_token in the settings to turn them on".into(),
        ));
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if !given.is_some_and(|given| token.matches(given)) {
        return Err(ApiError::Unauthorized);
    }
    let mut body = state.metrics.render();
    body.push_str(&format!(
        "# HELP visitnotes_uploads_waiting Upload batches waiting for their device's earlier batch\n\
         # TYPE visitnotes_uploads_waiting gauge\nvisitnotes_uploads_waiting {}\n",
        state.storage.uploads_waiting()
    ));
    // Uploads fail with 507 storage_full when this reaches 0: alert well before.
    if let Some(Ok(free)) = state.storage.free_bytes() {
        body.push_str(&format!(
            "# HELP visitnotes_data_dir_free_bytes Free bytes on the disk that holds the data directory\n\
             # TYPE visitnotes_data_dir_free_bytes gauge\nvisitnotes_data_dir_free_bytes {free}\n"
        ));
    }
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(body))
}

pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(OPENAPI)
}
