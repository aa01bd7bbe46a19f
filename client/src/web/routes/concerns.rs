//! `/concerns`: the coordinators' overview of the concerns across all
//! notes on this device (`ops::follow_up::overview`, as `visitnotes
//! concern list` reads them), open first, with filters in a GET form.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use actix_web::HttpRequest;
use visitnotes_shared::roster::Role;

use super::{ctx, error_words, html, html_status, with_roles, with_session, Reply};
use crate::web::form::Errors;
use crate::web::templates::{concerns as template, pages};
use crate::web::AppState;
use visitnotes_core::ops::follow_up::{self, ConcernFilter};
use visitnotes_core::vocabulary::from_code;

/// The filters of the concerns page, as typed into its GET form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConcernsQuery {
    /// "all" for closed concerns too; else only those not closed.
    pub status: String,
    pub severity: String,
    pub unit: String,
    pub from: String,
    pub to: String,
}

/// The filter the query asks for, with an error per field that could not
/// be read (a field in error does not filter).
fn filter_of(q: &ConcernsQuery, lang: visitnotes_core::i18n::Lang) -> (ConcernFilter, Errors) {
    let mut errors = Errors::new();
    let (from, to) = crate::web::form::period(&q.from, &q.to, None, lang, &mut errors);
    if from.zip(to).is_some_and(|(from, to)| to < from) {
        errors.insert("to".to_owned(), lang.t("filter-error-order"));
    }
    let unit = Some(q.unit.trim().to_owned()).filter(|u| !u.is_empty());
    let filter = ConcernFilter {
        closed: q.status == "all",
        min_severity: from_code(&q.severity),
        unit,
        from,
        to: to.filter(|_| !errors.contains_key("to")),
    };
    (filter, errors)
}

/// GET /concerns: for coordinators (403 for anyone else).
pub async fn page(state: Data<AppState>, req: HttpRequest, query: Query<ConcernsQuery>) -> Reply {
    let ctx = ctx(&state, &req);
    let query = query.into_inner();
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        if !ctx.is(Role::Coordinator) {
            return html_status(StatusCode::FORBIDDEN, template::forbidden(&ctx));
        }
        let (filter, errors) = filter_of(&query, ctx.lang);
        let today = visitnotes_core::dates::today();
        match follow_up::overview(session, &filter, today) {
            Ok(overview) => {
                let units = session.roster().map(|r| r.units).unwrap_or_default();
                html(template::page(&ctx, &overview, &query, &errors, &units, today))
            }
            Err(e) => html(pages::error(&ctx, &error_words(ctx.lang, &e))),
        }
    })
    .await
}
