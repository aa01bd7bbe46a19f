//! The Sync button: the sync runs in the background; its page shows the
//! progress (reloading itself each second, no script needed) and then
//! the result in words.

use actix_web::web::{Bytes, Data};
use actix_web::HttpRequest;

use super::{ctx, error_words, html, redirect, Reply};
use crate::web::templates::pages;
use crate::web::{lock, security, AppState, SyncState};
use visitnotes_core::i18n::Lang;
use visitnotes_core::ops;

pub async fn page(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    let sync = lock(&state.sync);
    html(pages::sync(&ctx, &sync))
}

pub async fn start(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
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
                    ops::sync::sync(session, ops::sync::SyncOptions::default(), &progress)
                        .map_err(|e| Lang::ALL.map(|lang| error_words(lang, &e)))
                }
            }
        };
        state.touch();
        *lock(&state.sync) = SyncState::Done { at: chrono::Utc::now().timestamp(), outcome: outcome.map(Box::new) };
    });
    redirect("/sync")
}
