//! `Signed`: the extractor every authenticated route takes. It reads the
//! body under the route's limit and checks the request's signature once,
//! and gives the handler the caller and the body that was signed.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};

use crate::error::ApiError;
use crate::http::auth::{self, Caller};
use crate::http::body;
use crate::state::AppState;

/// A request whose signature checked out. `BATCH` routes (note upload and
/// rewrap) take bodies up to `max_batch_bytes`, the others `max_body_bytes`.
pub struct Signed<const BATCH: bool = false> {
    pub caller: Caller,
    pub body: web::Bytes,
}

/// A signed request that carries a batch of notes.
pub type SignedBatch = Signed<true>;

impl<const BATCH: bool> FromRequest for Signed<BATCH> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| ApiError::Internal("the app state is not registered".into()))?;
            let limit = if BATCH { state.settings.max_batch_bytes } else { state.settings.max_body_bytes };
            let body = body::read(&req, payload, limit).await?;
            state.refresh().await?;
            let caller = auth::authenticate(&state, &req, &body)?;
            Ok(Signed { caller, body })
        })
    }
}
