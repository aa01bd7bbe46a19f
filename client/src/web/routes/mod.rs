//! The routes, one file per area; every handler reaches the profile only
//! through `with_session` and the `ops` functions.
//!
//! The pages are served under the run's secret prefix (`web::security`):
//! `configure` lists them by app path (`/admin`), and the server mounts
//! them in a scope named after the prefix; `/start` alone is outside it.

mod admin;
mod alerts;
mod assets;
mod auth;
mod concerns;
mod enrol;
mod home;
mod notes;
mod org_key;
mod report;
mod sync;

pub use auth::start;
pub use concerns::ConcernsQuery;
pub use home::NotesQuery;
pub use report::{ReportQuery, DOWNLOADS};
pub use visitnotes_core::error::{error_words, refusal_words, units_refusal_words};

use actix_web::http::{header, StatusCode};
use actix_web::web::{self, Data};
use actix_web::{HttpRequest, HttpResponse};
use maud::Markup;

use super::templates::{pages, Ctx};
use super::{lock, security, AppState};
use visitnotes_core::profile::Session;

/// The pages, by app path: mounted under the prefix.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/unlock", web::post().to(auth::unlock))
        .route("/lock", web::post().to(auth::lock_now))
        .route("/lock-state", web::get().to(auth::lock_state))
        .route("/locked", web::get().to(auth::locked))
        .route("/lang", web::post().to(auth::lang))
        .route("/quit", web::get().to(auth::confirm_quit))
        .route("/quit", web::post().to(auth::quit))
        .route("/", web::get().to(home::home))
        // Enrolling this device, while there is no profile (`/` leads there).
        .route("/enrol", web::get().to(enrol::form))
        .route("/enrol", web::post().to(enrol::post))
        .route("/enrol/wait", web::get().to(enrol::wait))
        .route("/enrol/backup", web::get().to(enrol::backup))
        .route("/enrol/backup", web::post().to(enrol::make_shares))
        .route("/enrol/backup/done", web::post().to(enrol::shares_done))
        .route("/notes", web::get().to(home::notes))
        .route("/notes/new", web::get().to(notes::new_form))
        .route("/notes/new", web::post().to(notes::new_post))
        .route("/notes/new/draft", web::post().to(notes::new_draft))
        .route("/notes/new/discard", web::post().to(notes::new_discard))
        .route("/notes/{id}", web::get().to(notes::show))
        .route("/notes/{id}/edit", web::get().to(notes::edit_form))
        .route("/notes/{id}/edit", web::post().to(notes::edit_post))
        .route("/notes/{id}/draft", web::post().to(notes::edit_draft))
        .route("/notes/{id}/discard", web::post().to(notes::edit_discard))
        .route("/notes/{id}/delete", web::get().to(notes::confirm_delete))
        .route("/notes/{id}/delete", web::post().to(notes::delete))
        .route("/notes/{id}/concerns/{n}/follow-up", web::post().to(notes::record_follow_up))
        // The coordinator's report, and the alerts page the banner links to.
        .route("/report", web::get().to(report::page))
        .route("/report/download", web::get().to(report::download))
        .route("/alerts", web::get().to(alerts::page))
        // The coordinators' overview of concerns across all notes.
        .route("/concerns", web::get().to(concerns::page))
        .route("/sync", web::get().to(sync::page))
        .route("/sync", web::post().to(sync::start))
        // The syncs that ask first (advice as buttons).
        .route("/sync/from-start", web::get().to(sync::from_start_question))
        .route("/sync/from-start", web::post().to(sync::from_start))
        .route("/sync/send-held", web::get().to(sync::send_held_question))
        .route("/sync/send-held", web::post().to(sync::send_held))
        // The administrator's pages (403 for anyone else).
        .route("/admin", web::get().to(admin::overview))
        .route("/admin/invite", web::post().to(admin::invite))
        .route("/admin/approve", web::post().to(admin::approve))
        .route("/admin/reject", web::get().to(admin::confirm_reject))
        .route("/admin/reject", web::post().to(admin::reject))
        .route("/admin/roster", web::get().to(admin::roster))
        .route("/admin/revoke", web::get().to(admin::confirm_revoke))
        .route("/admin/revoke", web::post().to(admin::revoke))
        .route("/admin/remove", web::get().to(admin::confirm_remove))
        .route("/admin/remove", web::post().to(admin::remove))
        .route("/admin/units", web::get().to(admin::units))
        .route("/admin/units/add", web::post().to(admin::add_unit))
        .route("/admin/units/retire", web::get().to(admin::confirm_retire))
        .route("/admin/units/retire", web::post().to(admin::retire_unit))
        .route("/admin/rewrap", web::get().to(admin::rewrap_page))
        .route("/admin/rewrap", web::post().to(admin::rewrap))
        .route("/admin/audit", web::get().to(admin::audit))
        // Another device for a person already in the roster.
        .route("/admin/devices/new", web::get().to(admin::confirm_add_device))
        .route("/admin/devices/new", web::post().to(admin::add_device))
        // The organisation key's backup and recovery.
        .route("/admin/org-key", web::get().to(org_key::page))
        .route("/admin/org-key/export", web::post().to(org_key::export))
        .route("/admin/org-key/recover", web::post().to(org_key::recover))
        .route("/admin/org-key/import", web::post().to(org_key::import))
        .route("/assets/copy.js", web::get().to(assets::copy_script))
        .route("/assets/idle.js", web::get().to(assets::idle_script))
        .route("/assets/style.css", web::get().to(assets::style))
        .route("/assets/draft.js", web::get().to(assets::script))
        .default_service(web::to(not_found));
}

/// The context of a page: language, CSRF token, the message left by the
/// last action (taken: it is shown once), whether the profile is unlocked.
fn ctx(state: &AppState, req: &HttpRequest) -> Ctx {
    let lang = security::lang(state, req);
    let (csrf, flash) = match lock(&state.browser).as_mut() {
        Some(b) => (b.csrf.clone(), b.flash.take()),
        None => (String::new(), None),
    };
    let path = state.prefix.strip(req.path()).unwrap_or("/").to_owned();
    let prefix = state.prefix.clone();
    let ctx = Ctx {
        lang,
        csrf,
        prefix,
        flash,
        path,
        roles: Vec::new(),
        unlocked: false,
        alerts: Vec::new(),
        alerts_unreadable: None,
        idle: state.idle,
        low_disk: visitnotes_core::ops::status::low_disk_space(&state.home),
    };
    // While a sync holds the profile, the page is built without waiting
    // for it (the sync page shows its progress meanwhile).
    match state.profile.try_lock() {
        Ok(guard) => match guard.as_ref() {
            Some(session) => roles_of(ctx, session),
            None => ctx,
        },
        Err(std::sync::TryLockError::Poisoned(poisoned)) => match poisoned.into_inner().as_ref() {
            Some(session) => roles_of(ctx, session),
            None => ctx,
        },
        Err(std::sync::TryLockError::WouldBlock) => Ctx { unlocked: true, ..ctx },
    }
}

/// The roles of the unlocked profile, for the navigation, and its open
/// alerts, for the banner every page shows (read from the store: called
/// on the blocking pool, by the handlers that hold the session).
fn with_roles(ctx: Ctx, session: &Session) -> Ctx {
    let mut ctx = roles_of(ctx, session);
    // A store that cannot be read must not look like "no warnings".
    match visitnotes_core::ops::alerts::open(session) {
        Ok(alerts) => ctx.alerts = alerts,
        Err(e) => ctx.alerts_unreadable = Some(error_words(ctx.lang, &e)),
    }
    ctx
}

/// The roles of the unlocked profile, for the navigation.
fn roles_of(mut ctx: Ctx, session: &Session) -> Ctx {
    ctx.unlocked = true;
    ctx.roles = session
        .roster()
        .ok()
        .and_then(|r| r.device(&session.config.device_id).map(|(m, _)| m.roles.iter().copied().collect()))
        .unwrap_or_default();
    ctx
}

/// What a handler answers. Built on the blocking pool (an `HttpResponse`
/// cannot travel between threads), turned into a response at the end.
pub enum Reply {
    Page(StatusCode, String),
    /// 303 See Other: after a POST, the page to show (a reload does not
    /// post again), by its app path; its `Location` is made by
    /// `security::location`, which sends anything but a page of this app
    /// to the home page.
    Redirect(String),
    NoContent,
    /// A file to save (a report export): `Content-Disposition: attachment`.
    Download {
        name: String,
        content_type: &'static str,
        body: Vec<u8>,
    },
    Failed,
}

impl Reply {
    pub fn into_response(self, state: &AppState) -> HttpResponse {
        match self {
            Reply::Page(status, body) => {
                HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body)
            }
            Reply::Redirect(to) => {
                HttpResponse::SeeOther().insert_header((header::LOCATION, security::location(state, &to))).finish()
            }
            Reply::NoContent => HttpResponse::NoContent().finish(),
            Reply::Download { name, content_type, body } => HttpResponse::Ok()
                .content_type(content_type)
                .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(body),
            Reply::Failed => HttpResponse::InternalServerError().finish(),
        }
    }
}

impl actix_web::Responder for Reply {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        let state = req.app_data::<Data<AppState>>().expect("the state is registered");
        self.into_response(state)
    }
}

fn html(markup: Markup) -> Reply {
    Reply::Page(StatusCode::OK, markup.into_string())
}

fn html_status(status: StatusCode, markup: Markup) -> Reply {
    Reply::Page(status, markup.into_string())
}

fn redirect(to: &str) -> Reply {
    Reply::Redirect(to.to_owned())
}

fn flash(state: &AppState, message: String) {
    if let Some(b) = lock(&state.browser).as_mut() {
        b.flash = Some(message);
    }
}

/// Runs `f` with the unlocked profile on the blocking pool (the store and
/// the sync server are reached by blocking calls); while locked, the
/// unlock form at `/`.
async fn with_session<F>(state: &Data<AppState>, f: F) -> Reply
where
    F: FnOnce(&Session) -> Reply + Send + 'static,
{
    with_session_mut(state, move |session| f(session)).await
}

/// `with_session` for an operation that changes the unlocked profile
/// itself (the organisation key picked up, in the administration's upkeep).
async fn with_session_mut<F>(state: &Data<AppState>, f: F) -> Reply
where
    F: FnOnce(&mut Session) -> Reply + Send + 'static,
{
    let state = state.clone();
    let answer = web::block(move || {
        let mut guard = lock(&state.profile);
        let answer = guard.as_mut().map(f);
        drop(guard);
        if answer.is_some() {
            state.touch();
        }
        answer
    })
    .await;
    match answer {
        Ok(Some(response)) => response,
        Ok(None) => redirect("/"),
        Err(_) => Reply::Failed,
    }
}

/// A path under the prefix that is no page (with the session: outside
/// the prefix, `security::not_here` answers).
async fn not_found(state: Data<AppState>, req: HttpRequest) -> Reply {
    html_status(StatusCode::NOT_FOUND, pages::not_found(&ctx(&state, &req)))
}
