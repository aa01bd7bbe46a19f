//! The one-time token, the session cookie, unlocking and locking, the
//! language switch, and Quit.

use actix_web::web::{self, Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};
use age::secrecy::SecretString;

use super::{ctx, error_words, flash, html, redirect, Reply};
use crate::web::form::{Resume, ResumeFollowUp};
use crate::web::templates::pages;
use crate::web::{lock, security, AppState, Browser};
use visitnotes_core::i18n::Lang;
use visitnotes_core::profile::Session;
use visitnotes_core::ClientError;

/// `/start?token=...`: the printed address, the one path outside the
/// prefix. The token works once; it is exchanged for the session cookie,
/// scoped to the prefix, and the browser is sent on to the home page under
/// the prefix, so that the token leaves the address bar. A wrong or spent
/// token gets the 404 of any path outside the prefix.
pub async fn start(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    let sent = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find_map(|(name, value)| (name == "token").then_some(value))
        .unwrap_or_default();
    let valid = {
        let mut token = lock(&state.start_token);
        let valid = token.as_deref().is_some_and(|t| security::same_secret(t, &sent));
        if valid {
            *token = None;
        }
        valid
    };
    if !valid {
        return security::not_here();
    }
    let cookie_value = security::random_token();
    *lock(&state.browser) = Some(Browser {
        cookie: cookie_value.clone(),
        csrf: security::random_token(),
        lang: None,
        flash: None,
        follow_up: None,
    });
    let cookie = security::session_cookie(&state.prefix, &cookie_value);
    let mut response = redirect("/").into_response(&state);
    response.headers_mut().insert(
        actix_web::http::header::SET_COOKIE,
        actix_web::http::header::HeaderValue::from_str(&cookie).expect("a token is a valid header value"),
    );
    response
}

pub async fn unlock(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let posted = match security::posted(&state, &req, &body) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    if lock(&state.profile).is_some() || !visitnotes_core::profile::exists(&state.home) {
        return redirect("/");
    }
    let passphrase = SecretString::from(posted.get("passphrase").unwrap_or("").to_owned());
    let resume = Resume::from_fields(posted.get("resume_key"), posted.get("resume_form"));
    let follow_up = ResumeFollowUp::from_fields(&|name| posted.get(name).map(str::to_owned));
    // The form wipes itself when dropped; the body it was read from is
    // wiped here. The passphrase is then only in `passphrase`, which
    // `Session::unlock` drops (wiped) once the keys are open.
    drop(posted);
    wipe(body);
    let home = state.home.clone();
    let kept = resume.clone();
    // Unlocks; a note form sent while locked becomes the draft it would
    // have been, so that the form page offers it again.
    let opened = web::block(move || -> Result<Session, ClientError> {
        let session = Session::unlock(&home, passphrase)?;
        if let Some(resume) = &kept {
            visitnotes_core::ops::drafts::save(&session, &resume.key, &resume.form)?;
        }
        Ok(session)
    })
    .await;
    let ctx = ctx(&state, &req);
    let idle = state.idle.as_secs() / 60;
    match opened {
        Ok(Ok(session)) => {
            // A device no roster lists yet goes on to the wait for its
            // approval (the page that was open when the idle lock or a
            // restart came).
            let waiting = resume.is_none() && visitnotes_core::ops::enroll::awaits_approval(&session);
            // The language picked in an earlier run, unless one was
            // picked in this one.
            let kept = visitnotes_core::ops::status::language(&session).ok().flatten().and_then(|t| Lang::from_tag(&t));
            if let (Some(kept), Some(browser)) = (kept, lock(&state.browser).as_mut()) {
                browser.lang.get_or_insert(kept);
            }
            *lock(&state.profile) = Some(session);
            state.touch();
            if let Some(follow_up) = follow_up {
                // Back on the note page, in its form, to be recorded.
                let to = follow_up.path();
                if let Some(browser) = lock(&state.browser).as_mut() {
                    browser.follow_up = Some(follow_up);
                    browser.flash = Some(ctx.t("unlock-follow-up-back"));
                }
                return redirect(&to);
            }
            if waiting {
                return redirect("/enrol/wait");
            }
            redirect(&resume.map_or_else(|| "/".to_owned(), |r| r.path()))
        }
        Ok(Err(ClientError::WrongPassphrase)) => {
            html(pages::unlock_with(&ctx, idle, Some(&ctx.t("unlock-wrong")), resume.as_ref(), follow_up.as_ref()))
        }
        Ok(Err(e)) => {
            html(pages::unlock_with(&ctx, idle, Some(&error_words(ctx.lang, &e)), resume.as_ref(), follow_up.as_ref()))
        }
        Err(_) => Reply::Failed,
    }
}

/// Overwrites a request body with zeros; true when it could. actix-web
/// hands the handler the only reference to the buffer it collected the
/// body in, so it can be written; were it shared, it would only be freed.
/// (The connection's read buffer, which the body passed through, is not
/// ours to wipe: actix-web reuses it for the next request.)
pub(super) fn wipe(body: Bytes) -> bool {
    match body.try_into_mut() {
        Ok(mut owned) => {
            zeroize::Zeroize::zeroize(&mut owned[..]);
            true
        }
        Err(_) => false,
    }
}

pub async fn lock_now(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    if let Err(refused) = security::posted(&state, &req, &body) {
        return refused;
    }
    state.lock_profile();
    let lang = security::lang(&state, &req);
    flash(&state, lang.t("locked-flash"));
    redirect("/")
}

/// `/lock-state`: for `idle.js`, "locked", or "open SECONDS" until the
/// idle lock is due. Asking is no use of the app: it would keep the
/// profile open for as long as a page stays on screen.
pub async fn lock_state(state: Data<AppState>) -> HttpResponse {
    let open = match state.profile.try_lock() {
        Ok(profile) => profile.is_some(),
        Err(std::sync::TryLockError::Poisoned(profile)) => profile.into_inner().is_some(),
        // A sync holds the profile: open, and in use.
        Err(std::sync::TryLockError::WouldBlock) => true,
    };
    let text = if open {
        format!("open {}", state.idle.saturating_sub(lock(&state.last_used).elapsed()).as_secs())
    } else {
        "locked".to_owned()
    };
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").insert_header(("Cache-Control", "no-store")).body(text)
}

/// `/locked?next=PATH`: where an unlocked page goes by itself once the
/// idle lock is due. Locked: the unlock page, which shows nothing of any
/// note. Still open (another tab kept it in use): back to the page. No use
/// of the app by itself.
pub async fn locked(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    if ctx.unlocked {
        let next = url::form_urlencoded::parse(req.query_string().as_bytes())
            .find_map(|(name, value)| (name == "next").then(|| value.into_owned()))
            .filter(|next| !next.starts_with("/locked"))
            .unwrap_or_else(|| "/".to_owned());
        // `Reply::Redirect` sends only to a page of this app.
        return redirect(&next);
    }
    flash(&state, ctx.t("locked-idle-flash"));
    redirect("/")
}

/// Quit, the question: what stops and what is kept.
pub async fn confirm_quit(state: Data<AppState>, req: HttpRequest) -> Reply {
    html(pages::confirm_quit(&ctx(&state, &req)))
}

/// Quit: drops the keys and stops this program (`AppState::quit`); the
/// last page says how to open it again. Later launches meanwhile wait
/// for the next instance.
pub async fn quit(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    if let Err(refused) = security::posted(&state, &req, &body) {
        return refused;
    }
    let lang = security::lang(&state, &req);
    state.quit();
    html(crate::web::templates::bare(lang, &state.prefix, &lang.t("quit-stopped-title"), &lang.t("quit-stopped-text")))
}

/// The language switch: the page comes back in the language picked.
pub async fn lang(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let posted = match security::posted(&state, &req, &body) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let picked = posted.get("lang").and_then(Lang::from_tag);
    if let (Some(picked), Some(browser)) = (picked, lock(&state.browser).as_mut()) {
        browser.lang = Some(picked);
    }
    // Kept in the profile too, while it is unlocked: the next run starts
    // in the language picked.
    if let Some(picked) = picked {
        if let Ok(profile) = state.profile.try_lock() {
            if let Some(session) = profile.as_ref() {
                let _ = visitnotes_core::ops::status::set_language(session, picked.tag());
            }
        }
    }
    // Only a page of this app, else the home page: the redirect's
    // `Location` is checked (`security::location`).
    redirect(posted.get("back").unwrap_or("/"))
}

#[cfg(test)]
mod tests {
    use actix_web::{test, web, App, HttpResponse};

    /// The body a form is posted in reaches the handler unshared, so the
    /// unlock handler's wipe of the passphrase's body does happen.
    #[actix_web::test]
    async fn a_posted_body_is_the_handlers_alone_and_is_wiped() {
        let app = test::init_service(App::new().route(
            "/unlock",
            web::post().to(|body: web::Bytes| async move {
                HttpResponse::Ok().body(if super::wipe(body) { "wiped" } else { "shared" })
            }),
        ))
        .await;
        let req = test::TestRequest::post()
            .uri("/unlock")
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload("csrf=abc&passphrase=correct+horse+battery")
            .to_request();
        assert_eq!(test::call_and_read_body(&app, req).await, "wiped");
    }
}
