//! Liveness, metrics and the API description.

use actix_web::{web, HttpResponse};

use crate::error::ApiError;
use crate::http::blocking;
use crate::state::AppState;

pub const OPENAPI: &str = include_str!("../../openapi.json");

/// Ok when the database answers.
pub async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let db = state.db.clone();
    blocking(move || db.read(|conn| Ok::<_, ApiError>(conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })))
}

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(state.metrics.render())
}

pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(OPENAPI)
}
