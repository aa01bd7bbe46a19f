//! The home page (or the unlock form while locked) and the list of notes.

use actix_web::web::{Data, Query};
use actix_web::HttpRequest;
use visitnotes_shared::roster::Roster;

use super::{ctx, error_words, html, with_roles, with_session, Reply};
use crate::web::form::Errors;
use crate::web::templates::pages;
use crate::web::AppState;
use visitnotes_core::ops::{read, receipts, status};
use visitnotes_core::store::NoteRow;
use visitnotes_core::vocabulary::from_code;

/// The author of a note by name, from the roster.
pub fn author_name(roster: Option<&Roster>, row: &NoteRow) -> String {
    roster
        .and_then(|r| r.member(&row.header().author).map(|m| m.name.clone()))
        .unwrap_or_else(|| visitnotes_core::display::short(row.header().author.as_str()).to_owned())
}

pub async fn home(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    if !ctx.unlocked {
        return html(pages::unlock(&ctx, state.idle.as_secs() / 60, None, None));
    }
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        let overview = match status::overview(session) {
            Ok(o) => o,
            Err(e) => return html(pages::error(&ctx, &error_words(ctx.lang, &e))),
        };
        let roster = session.roster().ok();
        // The same receipts as the "received by" of `visitnotes note list`.
        let delivery = roster.as_ref().and_then(|r| receipts::Delivery::load(session, r).ok());
        let received = |row: &NoteRow| {
            (row.header().author == session.config.user_id && row.status != "outbox")
                .then(|| delivery.as_ref().map(|d| d.received_by(row)).unwrap_or_default())
        };
        html(pages::home(&ctx, &overview, &|row| author_name(roster.as_ref(), row), &received))
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

/// The filter the query asks for (`read::Filter`, as `note list` uses,
/// and the author), with an error per field that could not be read: a
/// field in error does not filter.
fn filter_of(q: &NotesQuery, lang: visitnotes_core::i18n::Lang) -> (read::Filter, Option<String>, Errors) {
    let mut errors = Errors::new();
    let (from, to) = crate::web::form::period(&q.from, &q.to, None, lang, &mut errors);
    let nonempty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = read::Filter {
        from,
        to: to.filter(|_| !errors.contains_key("to")),
        unit: nonempty(&q.unit),
        theme: from_code(&q.theme),
        min_severity: from_code(&q.severity),
    };
    (filter, nonempty(&q.author), errors)
}

/// Every note readable here, newest visit first (a coordinator's list),
/// filtered by period, unit, theme, severity and author.
pub async fn notes(state: Data<AppState>, req: HttpRequest, query: Query<NotesQuery>) -> Reply {
    let ctx = ctx(&state, &req);
    let query = query.into_inner();
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        let mut rows = match read::latest_notes(session) {
            Ok(rows) => rows,
            Err(e) => return html(pages::error(&ctx, &error_words(ctx.lang, &e))),
        };
        rows.reverse();
        let total = rows.len();
        let roster = session.roster().ok();
        // The people who wrote a note here, for the author filter.
        let mut authors: Vec<(String, String)> = Vec::new();
        for row in &rows {
            let id = row.header().author.to_string();
            if !authors.iter().any(|(a, _)| *a == id) {
                authors.push((id, author_name(roster.as_ref(), row)));
            }
        }
        authors.sort_by(|a, b| a.1.cmp(&b.1));
        let (filter, author, errors) = filter_of(&query, ctx.lang);
        rows.retain(|r| {
            r.note.as_ref().is_some_and(|n| filter.matches(n))
                && author.as_ref().is_none_or(|a| r.header().author.as_str() == a)
        });
        let units = roster.as_ref().map(|r| r.units.clone()).unwrap_or_default();
        let filters = pages::Filters { query: &query, errors: &errors, units: &units, authors: &authors, total };
        html(pages::notes_list(&ctx, &rows, &|row| author_name(roster.as_ref(), row), &filters))
    })
    .await
}
