//! The HTTP layer: actix-web routes over the store, which they reach only
//! through `db::Storage`. Signed routes take the `signed::Signed` extractor.

pub mod auth;
pub mod body;
pub mod routes;
pub mod signed;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::{web, App, HttpResponse, HttpServer};

use crate::error::ApiError;
use crate::state::{AppState, Metrics};

/// Threads of each worker's blocking pool (actix's default: 512 / workers).
const BLOCKING_THREADS: usize = 4;

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound("no such route".into()))
}

/// Builds the server on `listener`, with TLS when `tls` is given.
pub fn server(
    listener: TcpListener,
    state: Arc<AppState>,
    tls: Option<rustls::ServerConfig>,
) -> std::io::Result<Server> {
    let data = web::Data::from(state);
    let factory = move || {
        App::new()
            .app_data(data.clone())
            .wrap(actix_web::middleware::from_fn(observe))
            .configure(routes::configure)
            .default_service(web::to(not_found))
    };
    // The blocking pool runs CPU work (upload checks) and SQLite reads: a few
    // threads per worker keep the cores busy; a burst of requests would
    // otherwise start hundreds.
    let builder = HttpServer::new(factory).shutdown_timeout(5).worker_max_blocking_threads(BLOCKING_THREADS);
    let builder = match tls {
        Some(config) => builder.listen_rustls_0_23(listener, config)?,
        None => builder.listen(listener)?,
    };
    Ok(builder.run())
}

/// Per-address rate limit, counters, and one log line per request (method,
/// path, status, time: never a body, a header value or a query value).
async fn observe(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err(ApiError::Internal("the app state is not registered".into()).into());
    };
    Metrics::inc(&state.metrics.requests);
    if let Some(ip) = req.peer_addr().map(|a| a.ip()) {
        if state.ip_limiter.check_key(&ip).is_err() {
            Metrics::inc(&state.metrics.rate_limited);
            let response = actix_web::ResponseError::error_response(&ApiError::RateLimited);
            Metrics::inc(&state.metrics.responses_4xx);
            return Ok(req.into_response(response));
        }
    }
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.match_pattern().unwrap_or_else(|| "(unmatched)".into());
    let response = next.call(req).await?.map_into_boxed_body();
    let status = response.status();
    let counter = match status.as_u16() {
        200..=299 => &state.metrics.responses_2xx,
        400..=499 => &state.metrics.responses_4xx,
        _ => &state.metrics.responses_5xx,
    };
    Metrics::inc(counter);
    tracing::info!(%method, path, status = status.as_u16(), ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX), "request");
    Ok(response)
}
