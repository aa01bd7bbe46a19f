//! The routes, one module per area, and the one table that both serves
//! them (`configure`) and lists them (for the test that checks the OpenAPI
//! document covers every route).

pub mod admin;
pub mod enrol;
pub mod heads;
pub mod health;
pub mod notes;
pub mod roster;

use actix_web::web;

use crate::error::ApiError;

/// One method on one path, and the handler that answers it.
pub struct Route {
    /// Lower case, as in the OpenAPI document.
    pub method: &'static str,
    pub path: &'static str,
    handler: fn() -> actix_web::Route,
}

/// Every route the server answers.
pub const ROUTES: &[Route] = &[
    Route { method: "get", path: "/healthz", handler: || web::get().to(health::healthz) },
    Route { method: "get", path: "/metrics", handler: || web::get().to(health::metrics) },
    Route { method: "get", path: "/v1/openapi.json", handler: || web::get().to(health::openapi) },
    Route { method: "get", path: "/v1/org", handler: || web::get().to(enrol::org) },
    Route { method: "post", path: "/v1/enrol", handler: || web::post().to(enrol::enrol) },
    Route { method: "get", path: "/v1/roster", handler: || web::get().to(roster::get) },
    Route { method: "put", path: "/v1/roster", handler: || web::put().to(roster::put) },
    Route { method: "get", path: "/v1/notes", handler: || web::get().to(notes::pull) },
    Route { method: "post", path: "/v1/notes", handler: || web::post().to(notes::upload) },
    Route { method: "post", path: "/v1/notes/rewrap", handler: || web::post().to(notes::rewrap) },
    Route { method: "get", path: "/v1/heads", handler: || web::get().to(heads::list) },
    Route { method: "post", path: "/v1/heads", handler: || web::post().to(heads::put) },
    Route { method: "get", path: "/v1/receipts", handler: || web::get().to(heads::receipts) },
    Route { method: "post", path: "/v1/receipts", handler: || web::post().to(heads::put_receipts) },
    Route { method: "post", path: "/v1/admin/invites", handler: || web::post().to(admin::create_invite) },
    Route { method: "get", path: "/v1/admin/enrolments", handler: || web::get().to(admin::enrolments) },
    Route { method: "get", path: "/v1/admin/users", handler: || web::get().to(admin::users) },
    Route { method: "post", path: "/v1/admin/devices/{device_id}/revoke", handler: || web::post().to(admin::revoke) },
    Route {
        method: "post",
        path: "/v1/admin/enrolments/{device_id}/reject",
        handler: || web::post().to(admin::reject),
    },
    Route { method: "post", path: "/v1/admin/users/{user_id}/remove", handler: || web::post().to(admin::remove) },
    Route { method: "get", path: "/v1/admin/audit", handler: || web::get().to(admin::audit) },
    Route { method: "get", path: "/v1/admin/audit/checkpoint", handler: || web::get().to(admin::checkpoint) },
    Route { method: "post", path: "/v1/admin/audit/checkpoint", handler: || web::post().to(admin::add_checkpoint) },
    Route {
        method: "put",
        path: "/v1/admin/org-key-grants/{device_id}",
        handler: || web::put().to(admin::grant_org_key),
    },
    Route { method: "get", path: "/v1/admin/org-key-grants", handler: || web::get().to(admin::org_key_grants) },
    Route { method: "get", path: "/v1/org-key-grant", handler: || web::get().to(admin::my_org_key_grant) },
];

/// Registers `ROUTES`: one resource per path with all its methods, and a
/// JSON 405 for any other method on it.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let mut paths: Vec<&str> = Vec::new();
    for route in ROUTES {
        if !paths.contains(&route.path) {
            paths.push(route.path);
        }
    }
    for path in paths {
        let resource = ROUTES
            .iter()
            .filter(|route| route.path == path)
            .fold(web::resource(path), |resource, route| resource.route((route.handler)()));
        cfg.service(resource.default_service(web::to(method_not_allowed)));
    }
}

async fn method_not_allowed() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed)
}
