//! The Sync button: the sync runs in the background; its page shows the
//! progress (reloading itself each second, no script needed) and then
//! the result in words. Two syncs ask first, on a page that says what
//! they do: from the start (`SyncOptions::from_start`, as `sync
//! --from-start`), and sending the notes held back under an expired list
//! of members as they are (`allow_expired_roster`, as `sync
//! --allow-expired-roster`): its question names the risk.

use actix_web::web::{Bytes, Data};
use actix_web::HttpRequest;

use super::{ctx, error_words, html, redirect, with_roles, with_session, Reply};
use crate::web::templates::{self, advice, pages};
use crate::web::{lock, security, AppState, SyncState};
use visitnotes_core::i18n::Lang;
use visitnotes_core::ops;

pub async fn page(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    let sync = lock(&state.sync);
    html(pages::sync(&ctx, &sync))
}

pub async fn start(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    run(state, req, body, ops::sync::SyncOptions::default())
}

/// GET /sync/from-start: what a sync from the start does, and its button.
pub async fn from_start_question(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    with_session(&state, move |session| html(advice::sync_from_start_question(&with_roles(ctx, session)))).await
}

/// POST /sync/from-start: every note asked for again and checked again.
pub async fn from_start(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    run(state, req, body, ops::sync::SyncOptions { from_start: true, ..Default::default() })
}

/// GET /sync/send-held: how many notes are held, under which list, and
/// the risk of sending them as they are.
pub async fn send_held_question(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        match ops::sync::held_back(session) {
            Ok(held) => {
                let version = held.roster.map(|(v, _)| v);
                let expired = held.roster.map(|(_, at)| ctx.lang.local_time(at));
                html(advice::send_held_question(&ctx, held.notes, version, expired))
            }
            Err(e) => html(templates::bare(
                ctx.lang,
                &ctx.prefix,
                &ctx.t("advice-send-held-title"),
                &error_words(ctx.lang, &e),
            )),
        }
    })
    .await
}

/// POST /sync/send-held: a sync that sends the held notes as they are
/// (each keeps a warning that says so).
pub async fn send_held(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    run(state, req, body, ops::sync::SyncOptions { allow_expired_roster: true, ..Default::default() })
}

/// Starts a sync with `options` in the background and shows its page.
fn run(state: Data<AppState>, req: HttpRequest, body: Bytes, options: ops::sync::SyncOptions) -> Reply {
    if let Err(refused) = security::posted(&state, &req, &body) {
        return refused;
    }
    {
        let mut sync = lock(&state.sync);
        if matches!(*sync, SyncState::Running { .. }) {
            return redirect("/sync");
        }
        if lock(&state.profile).is_none() {
            return redirect("/");
        }
        *sync = SyncState::Running { pulled: 0 };
    }
    let state = state.into_inner();
    std::thread::spawn(move || {
        let outcome = {
            let mut guard = lock(&state.profile);
            match guard.as_mut() {
                None => Err(Lang::ALL.map(|lang| lang.t("sync-locked"))),
                Some(session) => {
                    let progress = |done: u64, _total: Option<u64>| {
                        if let SyncState::Running { pulled } = &mut *lock(&state.sync) {
                            *pulled = done;
                        }
                    };
                    // As `visitnotes sync` does: the sync, then on an
                    // administrator's device the administration's upkeep.
                    ops::sync::sync(session, options, &progress)
                        .map_err(|e| Lang::ALL.map(|lang| error_words(lang, &e)))
                }
            }
        };
        state.touch();
        *lock(&state.sync) = SyncState::Done { at: chrono::Utc::now().timestamp(), outcome: outcome.map(Box::new) };
    });
    redirect("/sync")
}
