//! The alerts page the banner links to: every open alert of this device,
//! worded as `visitnotes alerts` words it (`ops::alerts`).

use actix_web::web::Data;
use actix_web::HttpRequest;

use super::{ctx, html, with_roles, with_session, Reply};
use crate::web::templates::alerts as template;
use crate::web::AppState;

pub async fn page(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    with_session(&state, move |session| html(template::page(&with_roles(ctx, session)))).await
}
