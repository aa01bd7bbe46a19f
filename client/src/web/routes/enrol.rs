//! Enrolling this device in the page, while there is no profile: the
//! form, the wait for an administrator's approval, and the first
//! administrator's backup of the organisation key. Every step calls
//! `ops::enroll` and `ops::org_key`, as `visitnotes enroll` and
//! `visitnotes admin export-org-key --shares` do.
//!
//! Everything that can be checked on this device is checked before the
//! one-time invite is sent to the server (`post`): a mistake here never
//! spends it. The passphrases are never sent back to the browser; the rest
//! of what was typed always is.

use actix_web::web::{self, Bytes, Data, Query};
use actix_web::HttpRequest;
use age::secrecy::{ExposeSecret, SecretString};

use super::{ctx, error_words, flash, html, redirect, with_session, with_session_mut, Reply};
use crate::web::form::Errors;
use crate::web::templates::enrol::{self as tpl, Typed, Waiting};
use crate::web::{lock, security, AppState};
use visitnotes_core::error::invite_problem;
use visitnotes_core::ops::enroll::{self, Approval};
use visitnotes_core::ops::{org_key, sync};
use visitnotes_core::{profile, ClientError};
use visitnotes_shared::invite::Invite;

/// The most shares the page makes (the command line takes up to 255).
const MAX_SHARES: u8 = 20;

/// Held while this process enrols (there is one profile per process).
static ENROLLING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `GET /enrol`: the form; filled with the invite of a `visitnotes:` link
/// when one was handed over (taken: it is filled in once).
pub async fn form(state: Data<AppState>, req: HttpRequest) -> Reply {
    if profile::exists(&state.home) {
        return redirect("/");
    }
    let ctx = ctx(&state, &req);
    let invite = lock(&state.invite).take().unwrap_or_default();
    // A first administrator's invite asks for the units at once.
    let units = Invite::decode(&invite).ok().filter(enroll::is_bootstrap).map(|_| suggestions(ctx.lang));
    let typed = Typed { invite, name: String::new(), units };
    html(tpl::form(&ctx, &typed, &Errors::new(), false, true))
}

/// The units suggested to a new organisation, one per line.
fn suggestions(lang: visitnotes_core::i18n::Lang) -> String {
    enroll::suggested_units(lang).join("\n")
}

/// `POST /enrol`: checks everything here, then enrols; the profile stays
/// unlocked (the person just typed the passphrase).
pub async fn post(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let posted = match security::posted(&state, &req, &body) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    if profile::exists(&state.home) {
        return redirect("/");
    }
    let ctx = ctx(&state, &req);
    let mut typed = Typed {
        invite: posted.get("invite").unwrap_or("").to_owned(),
        name: posted.get("name").unwrap_or("").trim().to_owned(),
        units: posted.get("units").map(str::to_owned),
    };
    let passphrase = SecretString::from(posted.get("passphrase").unwrap_or("").to_owned());
    let again = SecretString::from(posted.get("passphrase_again").unwrap_or("").to_owned());
    // The form wipes itself when dropped, the body here: the passphrase
    // is then only in `passphrase` and `again`, wiped when dropped.
    drop(posted);
    super::auth::wipe(body);

    let mut errors = Errors::new();
    if typed.name.is_empty() {
        errors.insert("name".into(), ctx.t("enrol-error-name"));
    }
    let invite = match typed.invite.trim() {
        "" => {
            errors.insert("invite".into(), ctx.t("enrol-error-invite-empty"));
            None
        }
        text => match Invite::decode(text) {
            Ok(invite) => Some(invite),
            Err(e) => {
                errors.insert("invite".into(), ctx.t(invite_problem(&e)));
                None
            }
        },
    };
    if visitnotes_core::vault::check_new_passphrase(&passphrase).is_err() {
        errors.insert("passphrase".into(), ctx.t("enrol-error-weak"));
    }
    if passphrase.expose_secret() != again.expose_secret() {
        errors.insert("passphrase_again".into(), ctx.t("enrol-error-mismatch"));
    }
    drop(again);
    let bootstrap = invite.as_ref().is_some_and(enroll::is_bootstrap);
    let units: Vec<String> = match &typed.units {
        Some(text) if bootstrap => text.lines().map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    if bootstrap && typed.units.is_none() {
        // Not seen yet: the form shows the suggestions to check first.
        typed.units = Some(suggestions(ctx.lang));
        errors.insert("units".into(), ctx.t("enrol-units-check"));
    } else if bootstrap && units.is_empty() {
        errors.insert("units".into(), ctx.t("enrol-error-units"));
    } else if !bootstrap && invite.is_some() {
        typed.units = None;
    }
    // The profile folder too, with the rest: every mistake at once.
    if invite.is_some() {
        let (home, code) = (state.home.clone(), typed.invite.clone());
        match web::block(move || enroll::check_local(&home, &code)).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                errors.insert("form".into(), error_words(ctx.lang, &e));
            }
            Err(_) => return Reply::Failed,
        }
    }
    if !errors.is_empty() {
        return html(tpl::form(&ctx, &typed, &errors, true, true));
    }

    let home = state.home.clone();
    let code = typed.invite.clone();
    let name = typed.name.clone();
    let kdf_log_n = std::env::var(crate::cli::KDF_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(visitnotes_core::vault::DEFAULT_LOG_N);
    // `enroll` checks the passphrase and the profile folder (check_local)
    // again, before the invite is sent.
    // One enrolment at a time: a form sent twice (a double click) waits
    // for the first, then finds the profile it made.
    let enrolled = web::block(move || {
        let _one = lock(&ENROLLING);
        if profile::exists(&home) {
            return Ok(None);
        }
        let options = enroll::Options { invite: &code, name: &name, units, kdf_log_n };
        enroll::enroll(&home, options, passphrase).map(Some)
    })
    .await;
    match enrolled {
        Ok(Ok(None)) => redirect("/"),
        Ok(Ok(Some(enrolled))) => {
            *lock(&state.profile) = Some(enrolled.session);
            state.touch();
            redirect(if enrolled.bootstrap { "/enrol/backup" } else { "/enrol/wait" })
        }
        Ok(Err(e)) => {
            let mut errors = Errors::new();
            // What the invite decides is said at the invite.
            let at = match &e {
                ClientError::Api(api) if api.status() == Some(401) => "invite",
                ClientError::ServerHasOrg => "invite",
                _ => "form",
            };
            errors.insert(at.into(), error_words(ctx.lang, &e));
            let local = matches!(e, ClientError::InviteUnused(_));
            html(tpl::form(&ctx, &typed, &errors, true, local))
        }
        Err(_) => Reply::Failed,
    }
}

#[derive(serde::Deserialize)]
pub struct WaitQuery {
    #[serde(default)]
    checks: u32,
    /// `off`: the page does not check by itself.
    #[serde(default)]
    auto: String,
}

/// `GET /enrol/wait`: asks the server whether this device was approved;
/// once it is, syncs and goes home. Unlocked first when locked (`/`).
pub async fn wait(state: Data<AppState>, req: HttpRequest, query: Query<WaitQuery>) -> Reply {
    if !profile::exists(&state.home) {
        return redirect("/enrol");
    }
    let ctx = ctx(&state, &req);
    let (checks, auto) = (query.checks, query.auto != "off");
    let for_flash = state.clone();
    let home = state.home.display().to_string();
    with_session_mut(&state, move |session| {
        let fingerprint = session.secrets.device.signing_key().fingerprint();
        let waiting = |unreached: Option<&str>| {
            let w = Waiting { name: &session.config.name, fingerprint: &fingerprint, checks, auto, unreached };
            html(tpl::wait(&ctx, &w))
        };
        match enroll::approval(session) {
            Ok(Approval::Waiting) => waiting(None),
            Ok(Approval::Refused) => html(tpl::refused(&ctx, &home)),
            Err(e) => waiting(Some(&error_words(ctx.lang, &e))),
            Ok(Approval::Approved) => {
                // As `visitnotes sync`: the roster, the notes, and the
                // keys of what this person may read.
                let said = match sync::sync(session, sync::SyncOptions::default(), &|_, _| {}) {
                    Ok(_) => ctx.t("enrol-approved"),
                    Err(e) => ctx.ta("enrol-approved-unsynced", &[("reason", &error_words(ctx.lang, &e))]),
                };
                flash(&for_flash, said);
                redirect("/")
            }
        }
    })
    .await
}

/// `GET /enrol/backup`: the first administrator's page after enrolling.
pub async fn backup(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    with_session(&state, move |session| {
        if session.secrets.org_key.is_none() {
            return redirect("/");
        }
        html(tpl::backup(&ctx, "5", "3", None))
    })
    .await
}

/// `POST /enrol/backup`: the shares, shown once, to print.
pub async fn make_shares(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let posted = match security::posted(&state, &req, &body) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let ctx = ctx(&state, &req);
    let count_text = posted.get("count").unwrap_or("").trim().to_owned();
    let threshold_text = posted.get("threshold").unwrap_or("").trim().to_owned();
    let numbers = count_text.parse::<u8>().ok().zip(threshold_text.parse::<u8>().ok());
    with_session(&state, move |session| {
        if session.secrets.org_key.is_none() {
            return redirect("/");
        }
        let Some((count, threshold)) = numbers.filter(|(c, t)| (2..=MAX_SHARES).contains(c) && (2..=*c).contains(t))
        else {
            let error = ctx.t("enrol-backup-error-numbers");
            return html(tpl::backup(&ctx, &count_text, &threshold_text, Some(&error)));
        };
        // The page names no file: its QR codes are in it.
        match org_key::split(session, count, threshold, visitnotes_core::qr::Svg::Inline, &|_| String::new()) {
            Ok(split) => html(tpl::shares(&ctx, &split)),
            Err(e) => html(tpl::backup(&ctx, &count_text, &threshold_text, Some(&error_words(ctx.lang, &e)))),
        }
    })
    .await
}

/// `POST /enrol/backup/done`: the shares are printed; the administration
/// stops reminding.
pub async fn shares_done(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    if let Err(refused) = security::posted(&state, &req, &body) {
        return refused;
    }
    let ctx = ctx(&state, &req);
    let for_flash = state.clone();
    with_session(&state, move |session| {
        let said = match org_key::shares_made(session) {
            Ok(()) => ctx.t("enrol-shares-recorded"),
            Err(e) => error_words(ctx.lang, &e),
        };
        flash(&for_flash, said);
        redirect("/")
    })
    .await
}
