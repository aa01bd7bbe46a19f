//! The home page (or the unlock form while locked) and the list of notes.

use actix_web::web::{Data, Query};
use actix_web::HttpRequest;

use super::{ctx, error_words, html, redirect, with_roles, with_session, Reply};
use crate::web::form::Errors;
use crate::web::templates::pages;
use crate::web::AppState;
use visitnotes_core::ops::{read, status};
use visitnotes_core::vocabulary::from_code;

/// The home page; while there is no profile, the enrolment form.
pub async fn home(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    if !ctx.unlocked && !visitnotes_core::profile::exists(&state.home) {
        return redirect("/enrol");
    }
    if !ctx.unlocked {
        return html(pages::unlock(&ctx, state.idle.as_secs() / 60, None, None));
    }
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        match status::overview(session) {
            Ok(overview) => {
                // The same receipts as the "received by" of `visitnotes note
                // list`; when they cannot be read, the page says so.
                let unreadable = overview.receipts_unreadable.as_ref().map(|e| error_words(ctx.lang, e));
                html(pages::home(&ctx, &overview, unreadable.as_deref()))
            }
            Err(e) => html(pages::error(&ctx, &error_words(ctx.lang, &e))),
        }
    })
    .await
}

/// The filters of the notes list, as typed into its GET form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NotesQuery {
    pub from: String,
    pub to: String,
    pub unit: String,
    pub theme: String,
    pub severity: String,
    pub author: String,
}

/// The filter the query asks for (`read::Filter`, as `note list` uses),
/// with an error per field that could not be read: a field in error does
/// not filter.
fn filter_of(q: &NotesQuery, lang: visitnotes_core::i18n::Lang) -> (read::Filter, Errors) {
    let mut errors = Errors::new();
    let (from, to) = crate::web::form::period(&q.from, &q.to, None, lang, &mut errors);
    if from.zip(to).is_some_and(|(from, to)| to < from) {
        errors.insert("to".to_owned(), lang.t("filter-error-order"));
    }
    let nonempty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = read::Filter {
        from,
        to: to.filter(|_| !errors.contains_key("to")),
        unit: nonempty(&q.unit),
        theme: from_code(&q.theme),
        min_severity: from_code(&q.severity),
        author: nonempty(&q.author),
    };
    (filter, errors)
}

/// Every note readable here, newest visit first (a coordinator's list),
/// filtered by period, unit, theme, severity and author.
pub async fn notes(state: Data<AppState>, req: HttpRequest, query: Query<NotesQuery>) -> Reply {
    let ctx = ctx(&state, &req);
    let query = query.into_inner();
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        let (filter, errors) = filter_of(&query, ctx.lang);
        let mut listing = match read::list(session, &filter) {
            Ok(listing) => listing,
            Err(e) => return html(pages::error(&ctx, &error_words(ctx.lang, &e))),
        };
        listing.notes.reverse();
        let units = session.roster().map(|r| r.units).unwrap_or_default();
        let authors: Vec<(String, String)> =
            listing.authors.iter().map(|(id, person)| (id.to_string(), person.to_string())).collect();
        let filters =
            pages::Filters { query: &query, errors: &errors, units: &units, authors: &authors, total: listing.total };
        html(pages::notes_list(&ctx, &listing.notes, &filters))
    })
    .await
}
