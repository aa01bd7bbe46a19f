//! The home page (or the unlock form while locked) and the list of notes.

use actix_web::web::Data;
use actix_web::HttpRequest;
use visitnotes_shared::roster::Roster;

use super::{ctx, html, with_roles, with_session, words, Reply};
use crate::ops::{alerts, read, receipts, status};
use crate::store::NoteRow;
use crate::web::templates::pages;
use crate::web::AppState;

/// The author of a note by name, from the roster.
pub fn author_name(roster: Option<&Roster>, row: &NoteRow) -> String {
    roster
        .and_then(|r| r.member(&row.header().author).map(|m| m.name.clone()))
        .unwrap_or_else(|| crate::cli::display::short(row.header().author.as_str()).to_owned())
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
            Err(e) => return html(pages::error(&ctx, &words(&e))),
        };
        let open = alerts::open(session).unwrap_or_default();
        let roster = session.roster().ok();
        // The same receipts as the "received by" of `visitnotes note list`.
        let delivery = roster.as_ref().and_then(|r| receipts::Delivery::load(session, r).ok());
        let received = |row: &NoteRow| {
            (row.header().author == session.config.user_id && row.status != "outbox")
                .then(|| delivery.as_ref().map(|d| d.received_by(row)).unwrap_or_default())
        };
        html(pages::home(&ctx, &overview, &open, &|row| author_name(roster.as_ref(), row), &received))
    })
    .await
}

/// Every note readable here, newest visit first (a coordinator's list).
pub async fn notes(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        let mut rows = match read::latest_notes(session) {
            Ok(rows) => rows,
            Err(e) => return html(pages::error(&ctx, &words(&e))),
        };
        rows.reverse();
        let open = alerts::open(session).unwrap_or_default();
        let roster = session.roster().ok();
        html(pages::notes_list(&ctx, &rows, &open, &|row| author_name(roster.as_ref(), row)))
    })
    .await
}
