//! The `/v1` routes, one module per area.

pub mod admin;
pub mod enrol;
pub mod health;
pub mod notes;
pub mod roster;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/metrics", web::get().to(health::metrics))
        .route("/v1/openapi.json", web::get().to(health::openapi))
        .route("/v1/org", web::get().to(enrol::org))
        .route("/v1/enrol", web::post().to(enrol::enrol))
        .service(
            web::resource("/v1/roster").get(roster::get).put(roster::put).default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/notes")
                .get(notes::pull)
                .post(notes::upload)
                .default_service(web::to(method_not_allowed)),
        )
        .route("/v1/notes/rewrap", web::post().to(notes::rewrap))
        .route("/v1/admin/invites", web::post().to(admin::create_invite))
        .route("/v1/admin/enrolments", web::get().to(admin::enrolments))
        .route("/v1/admin/users", web::get().to(admin::users))
        .route("/v1/admin/devices/{device_id}/revoke", web::post().to(admin::revoke))
        .route("/v1/admin/users/{user_id}/remove", web::post().to(admin::remove))
        .route("/v1/admin/audit", web::get().to(admin::audit));
}

async fn method_not_allowed() -> Result<actix_web::HttpResponse, crate::error::ApiError> {
    Err(crate::error::ApiError::MethodNotAllowed)
}

/// Every route, for the test that checks the OpenAPI document covers them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/metrics"),
    ("get", "/v1/openapi.json"),
    ("get", "/v1/org"),
    ("post", "/v1/enrol"),
    ("get", "/v1/roster"),
    ("put", "/v1/roster"),
    ("get", "/v1/notes"),
    ("post", "/v1/notes"),
    ("post", "/v1/notes/rewrap"),
    ("post", "/v1/admin/invites"),
    ("get", "/v1/admin/enrolments"),
    ("get", "/v1/admin/users"),
    ("post", "/v1/admin/devices/{device_id}/revoke"),
    ("post", "/v1/admin/users/{user_id}/remove"),
    ("get", "/v1/admin/audit"),
];
