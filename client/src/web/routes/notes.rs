//! A note: the form (new and edit), its draft, the page that shows it,
//! and deleting it (after a confirmation).
//!
//! Whatever the form is sent for (a concern group more or less, "keep as
//! draft", a mistake), what was typed is kept as a draft, sealed in the
//! local store, and shown again; only a valid note is sealed, and then the
//! draft goes.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Path};
use actix_web::HttpRequest;

use super::{ctx, error_words, flash, html, html_status, redirect, with_roles, with_session, Reply};

use crate::web::form::{self, Action, Errors, NoteForm, Resume, ResumeFollowUp};
use crate::web::templates::note::{self, join_names, FollowUpForm, FormPage, ShowPage};
use crate::web::templates::{pages, Ctx};
use crate::web::{lock, security, AppState};
use visitnotes_core::ops::follow_up::{self, EntryProblem, NewEntry};
use visitnotes_core::ops::{drafts, read, write};
use visitnotes_core::profile::Session;

/// Which form: a new note, or an edit of the note with this full id.
#[derive(Clone)]
enum Target {
    New,
    Edit(String),
}

impl Target {
    fn draft_key(&self) -> String {
        match self {
            Target::New => drafts::NEW_NOTE.to_owned(),
            Target::Edit(id) => drafts::edit_key(id),
        }
    }

    fn base(&self) -> String {
        match self {
            Target::New => "/notes/new".to_owned(),
            Target::Edit(id) => format!("/notes/{id}"),
        }
    }

    fn action(&self) -> String {
        match self {
            Target::New => "/notes/new".to_owned(),
            Target::Edit(id) => format!("/notes/{id}/edit"),
        }
    }
}

/// The units of the roster (the list the form offers).
fn units(session: &Session) -> Vec<String> {
    session.roster().map(|r| r.units).unwrap_or_default()
}

fn render_form(
    ctx: &Ctx,
    session: &Session,
    target: &Target,
    form: &NoteForm,
    errors: &Errors,
    draft_from: Option<String>,
) -> maud::Markup {
    let title = match target {
        Target::New => ctx.t("form-new-title"),
        Target::Edit(_) => ctx.t("form-edit-title"),
    };
    let units = units(session);
    note::form_page(
        ctx,
        &FormPage {
            title,
            action: target.action(),
            draft_url: format!("{}/draft", target.base()),
            discard_url: format!("{}/discard", target.base()),
            form,
            errors,
            units: &units,
            draft_from,
        },
    )
}

/// The form: the kept draft if there is one, else a blank form (new) or
/// the note as saved (edit).
fn form_get(ctx: Ctx, session: &Session, target: Target) -> Reply {
    let ctx = with_roles(ctx, session);
    let key = target.draft_key();
    match drafts::load::<NoteForm>(session, &key) {
        Ok(Some((at, form))) => {
            let when = visitnotes_core::display::local_datetime(at);
            return html(render_form(&ctx, session, &target, &form, &Errors::new(), Some(when)));
        }
        Ok(None) => {}
        Err(e) => return html(pages::error(&ctx, &error_words(ctx.lang, &e))),
    }
    let form = match &target {
        Target::New => NoteForm::blank(ctx.lang, visitnotes_core::dates::today()),
        Target::Edit(id) => match write::editable(session, id) {
            Ok(row) => NoteForm::from_note(row.note.as_ref().expect("editable notes are readable"), ctx.lang),
            Err(e) => return html(pages::error(&ctx, &not_editable(&ctx, &e))),
        },
    };
    html(render_form(&ctx, session, &target, &form, &Errors::new(), None))
}

fn form_post(
    state: &AppState,
    ctx: Ctx,
    session: &Session,
    target: Target,
    mut form: NoteForm,
    action: Action,
) -> Reply {
    let ctx = with_roles(ctx, session);
    let key = target.draft_key();
    let keep = |form: &NoteForm| drafts::save(session, &key, form);
    if action != Action::Save {
        form::apply(&mut form, action);
        if let Err(e) = keep(&form) {
            // A full disk, say: the form again, with what was typed and
            // why it was not kept, never a page without it.
            let errors = Errors::from([("form".to_owned(), error_words(ctx.lang, &e))]);
            return html(render_form(&ctx, session, &target, &form, &errors, None));
        }
        let mut ctx = ctx;
        if action == Action::Draft {
            ctx.flash = Some(ctx.t("draft-kept"));
        }
        return html(render_form(&ctx, session, &target, &form, &Errors::new(), None));
    }
    let refuse = |errors: Errors| {
        // Kept, so that leaving the page now loses nothing either.
        let _ = keep(&form);
        html_status(StatusCode::UNPROCESSABLE_ENTITY, render_form(&ctx, session, &target, &form, &errors, None))
    };
    let note = match form.to_note(&units(session), write::latest_visit_date(), ctx.lang) {
        Ok(note) => note,
        Err(errors) => return refuse(errors),
    };
    let saved = match &target {
        Target::New => write::create(session, &note).map(|id| (id.to_string(), 1)),
        Target::Edit(id) => write::edit(session, id, &note).map(|revision| (id.clone(), revision)),
    };
    match saved {
        Ok((id, revision)) => {
            let _ = drafts::discard(session, &key);
            let what = ctx.ta(
                "note-title",
                &[("date", &ctx.lang.long_date(note.visit_date)), ("units", &join_names(&ctx, &note.units))],
            );
            // The message travels in the session, not in the address.
            // Held back from upload (an expired list of members): the note
            // page says why and what to do.
            let held = matches!(read::held(session, &id, revision), Ok(Some(_)));
            flash(state, ctx.ta(if held { "note-saved-held" } else { "note-saved" }, &[("what", &what)]));
            redirect(&format!("/notes/{id}"))
        }
        Err(e) => refuse(Errors::from([("form".to_owned(), error_words(ctx.lang, &e))])),
    }
}

async fn post_form(state: Data<AppState>, req: HttpRequest, body: Bytes, target: Target) -> Reply {
    let posted = match security::posted(&state, &req, &body) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let (form, action) = form::from_pairs(&posted.pairs);
    drop(posted);
    let ctx = ctx(&state, &req);
    if !ctx.unlocked {
        return locked_meanwhile(&state, &ctx, target, form);
    }
    let shared = state.clone();
    with_session(&state, move |session| form_post(&shared, ctx, session, target, form, action)).await
}

/// A form sent after the profile locked itself (or was locked in another
/// tab): the unlock form, carrying what was typed back to the browser;
/// unlocking makes it a draft. Nothing typed is kept unsealed here.
fn locked_meanwhile(state: &AppState, ctx: &Ctx, target: Target, form: NoteForm) -> Reply {
    let resume = Resume { key: target.draft_key(), form };
    html(pages::unlock(ctx, state.idle.as_secs() / 60, None, Some(&resume)))
}

async fn keep_draft(state: Data<AppState>, req: HttpRequest, body: Bytes, target: Target) -> Reply {
    let posted = match security::posted(&state, &req, &body) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let (form, _) = form::from_pairs(&posted.pairs);
    drop(posted);
    let ctx = ctx(&state, &req);
    if !ctx.unlocked {
        // The script's save while locked: the page's next form post, or
        // the unlock form, carries it.
        return Reply::Page(StatusCode::FORBIDDEN, String::new());
    }
    with_session(&state, move |session| match drafts::save(session, &target.draft_key(), &form) {
        Ok(()) => Reply::NoContent,
        Err(_) => Reply::Failed,
    })
    .await
}

async fn discard_draft(state: Data<AppState>, req: HttpRequest, body: Bytes, target: Target) -> Reply {
    if let Err(refused) = security::posted(&state, &req, &body) {
        return refused;
    }
    let lang = security::lang(&state, &req);
    let to = target.action();
    let key = target.draft_key();
    let answer = with_session(&state, move |session| match drafts::discard(session, &key) {
        Ok(()) => Reply::NoContent,
        Err(_) => Reply::Failed,
    })
    .await;
    if matches!(answer, Reply::NoContent) {
        flash(&state, lang.t("draft-discarded"));
        return redirect(&to);
    }
    answer
}

pub async fn new_form(state: Data<AppState>, req: HttpRequest) -> Reply {
    let ctx = ctx(&state, &req);
    with_session(&state, move |session| form_get(ctx, session, Target::New)).await
}

pub async fn new_post(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    post_form(state, req, body, Target::New).await
}

pub async fn new_draft(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    keep_draft(state, req, body, Target::New).await
}

pub async fn new_discard(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    discard_draft(state, req, body, Target::New).await
}

pub async fn edit_form(state: Data<AppState>, req: HttpRequest, id: Path<String>) -> Reply {
    let ctx = ctx(&state, &req);
    let id = id.into_inner();
    with_session(&state, move |session| form_get(ctx, session, Target::Edit(id))).await
}

pub async fn edit_post(state: Data<AppState>, req: HttpRequest, id: Path<String>, body: Bytes) -> Reply {
    post_form(state, req, body, Target::Edit(id.into_inner())).await
}

pub async fn edit_draft(state: Data<AppState>, req: HttpRequest, id: Path<String>, body: Bytes) -> Reply {
    keep_draft(state, req, body, Target::Edit(id.into_inner())).await
}

pub async fn edit_discard(state: Data<AppState>, req: HttpRequest, id: Path<String>, body: Bytes) -> Reply {
    discard_draft(state, req, body, Target::Edit(id.into_inner())).await
}

/// Why a note held here shows no content, in words.
fn unshown_words(ctx: &Ctx, why: &read::Unshown, author: &read::Person) -> String {
    let author = author.to_string();
    let author = ("author", author.as_str());
    match why {
        read::Unshown::Deleted => ctx.ta("note-unshown-deleted", &[author]),
        read::Unshown::Rejected(reason) => {
            let reason = visitnotes_core::ops::rejection::Rejection::read(reason).words(ctx.lang);
            ctx.ta("note-unshown-rejected", &[author, ("reason", &reason)])
        }
        read::Unshown::NotAddressed => ctx.ta("note-unshown-not-addressed", &[author]),
        read::Unshown::MetadataOnly => ctx.ta("note-unshown-metadata-only", &[author]),
        read::Unshown::Purged => ctx.ta("note-unshown-purged", &[author]),
    }
}

/// The note page; `typed` is a refused follow-up form, shown again with
/// its errors.
fn show_page(ctx: Ctx, session: &Session, id: &str, typed: Option<&FollowUpForm>) -> Reply {
    let ctx = with_roles(ctx, session);
    // The same note, warnings and follow-up as `note show`.
    let shown = match read::show(session, id) {
        Ok(Some(read::Shown::Note(shown))) => shown,
        Ok(Some(read::Shown::Unshown { author, why, .. })) => {
            return html_status(StatusCode::NOT_FOUND, pages::note_unshown(&ctx, &unshown_words(&ctx, &why, &author)))
        }
        Ok(None) => return html_status(StatusCode::NOT_FOUND, pages::error(&ctx, &ctx.t("note-not-found"))),
        Err(e) => return html(pages::error(&ctx, &error_words(ctx.lang, &e))),
    };
    let mut warnings = Vec::new();
    if let read::State::HeldBack(held) = &shown.state {
        warnings.push(("note-held", pages::held_words(&ctx, held)));
    }
    if let Some(kept) = &shown.kept {
        warnings.push(("note-kept", pages::kept_words(&ctx, kept)));
    }
    let refused = typed.is_some_and(|t| !t.errors.is_empty());
    let status = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    html_status(
        status,
        note::show_page(
            &ctx,
            &ShowPage {
                note_id: shown.row.header().note_id.as_str(),
                note: &shown.note,
                author: shown.author.to_string(),
                revision: shown.row.header().revision,
                state: pages::state_words(&ctx, &shown.state),
                warnings,
                own: shown.editable,
                histories: shown.histories.iter().map(Vec::as_slice).collect(),
                apart: shown.apart.iter().collect(),
                can_follow_up: shown.can_follow_up,
                typed,
            },
        ),
    )
}

pub async fn show(state: Data<AppState>, req: HttpRequest, id: Path<String>) -> Reply {
    let ctx = ctx(&state, &req);
    let id = id.into_inner();
    // A follow-up form sent while locked, back after unlocking.
    let typed = if ctx.unlocked {
        lock(&state.browser).as_mut().and_then(|b| b.follow_up.take_if(|f| f.note_id == id)).map(|f| FollowUpForm {
            concern: (f.concern as usize).saturating_sub(1),
            status: f.status,
            date: f.date,
            text: f.text,
            errors: Errors::new(),
        })
    } else {
        None
    };
    with_session(&state, move |session| show_page(ctx, session, &id, typed.as_ref())).await
}

/// Records a coordinator's follow-up on concern `n` (from 1) of a note,
/// with `ops::follow_up` as `visitnotes concern follow-up` does. A mistake
/// shows the note page again with the error next to the field and what
/// was typed.
pub async fn record_follow_up(
    state: Data<AppState>,
    req: HttpRequest,
    path: Path<(String, u32)>,
    body: Bytes,
) -> Reply {
    let posted = match security::posted(&state, &req, &body) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let (id, number) = path.into_inner();
    let field = |name: &str| posted.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut typed = FollowUpForm {
        concern: (number as usize).saturating_sub(1),
        status: field("status"),
        date: field("date"),
        text: field("text"),
        errors: Errors::new(),
    };
    drop(posted);
    let ctx = ctx(&state, &req);
    if !ctx.unlocked {
        // Locked meanwhile (the idle lock): what was typed goes back inside
        // the unlock form, as a note form does, and comes back after it.
        let follow_up =
            ResumeFollowUp { note_id: id, concern: number, status: typed.status, date: typed.date, text: typed.text };
        return html(pages::unlock_with(&ctx, state.idle.as_secs() / 60, None, None, Some(&follow_up)));
    }
    let shared = state.clone();
    with_session(&state, move |session| {
        let lang = ctx.lang;
        let picked = match follow_up::pick(session, &id, number) {
            Ok(p) => p,
            Err(e) => {
                return html({
                    let ctx = with_roles(ctx, session);
                    pages::error(&ctx, &error_words(ctx.lang, &e))
                })
            }
        };
        let status = visitnotes_core::vocabulary::from_code::<visitnotes_shared::note::FollowUp>(&typed.status);
        let date = visitnotes_core::dates::parse(&typed.date).ok();
        let mut errors = Errors::new();
        if date.is_none() {
            errors.insert("date".into(), lang.ta("error-date", &[("value", typed.date.trim())]));
        }
        if status.is_none() {
            errors.insert("form".into(), lang.t("follow-up-error-status"));
        }
        // The same checks as `record` makes, each said at its field.
        for problem in follow_up::problems(&picked, date, &typed.text) {
            let (field, words) = match problem {
                EntryProblem::Future(d) => ("date", lang.ta("follow-up-error-future", &[("date", &lang.long_date(d))])),
                EntryProblem::BeforeVisit { date, visit } => (
                    "date",
                    lang.ta(
                        "follow-up-error-before-visit",
                        &[("date", &lang.long_date(date)), ("visit", &lang.long_date(visit))],
                    ),
                ),
                EntryProblem::TooLong => {
                    let max = visitnotes_core::i18n::FluentValue::from(visitnotes_shared::follow_up::MAX_TEXT);
                    ("text", lang.tv("follow-up-error-long", vec![("max", max)]))
                }
            };
            errors.insert(field.into(), words);
        }
        let (Some(status), Some(date), true) = (status, date, errors.is_empty()) else {
            typed.errors = errors;
            return show_page(ctx, session, &id, Some(&typed));
        };
        let entry = NewEntry { status, date, text: typed.text.clone() };
        match follow_up::record(session, &picked, entry) {
            Ok(recorded) => {
                flash(&shared, lang.ta("follow-up-saved", &[("n", &recorded.concern.to_string())]));
                redirect(&format!("/notes/{}#show-concern-{}", recorded.note_id, recorded.concern - 1))
            }
            Err(e) => {
                typed.errors = Errors::from([("form".to_owned(), error_words(ctx.lang, &e))]);
                show_page(ctx, session, &id, Some(&typed))
            }
        }
    })
    .await
}

pub async fn confirm_delete(state: Data<AppState>, req: HttpRequest, id: Path<String>) -> Reply {
    let ctx = ctx(&state, &req);
    let id = id.into_inner();
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        match write::editable(session, &id) {
            Ok(row) => html(pages::confirm_delete(
                &ctx,
                row.header().note_id.as_str(),
                row.note.as_ref().expect("editable notes are readable"),
            )),
            Err(e) => html(pages::error(&ctx, &not_editable(&ctx, &e))),
        }
    })
    .await
}

/// Why a note cannot be changed or deleted here, in the page's words.
fn not_editable(ctx: &Ctx, error: &visitnotes_core::ClientError) -> String {
    match error {
        visitnotes_core::ClientError::NotStored { reason, .. } => ctx.ta("note-not-stored", &[("reason", reason)]),
        visitnotes_core::ClientError::NotAuthor => ctx.t("note-not-author"),
        visitnotes_core::ClientError::NoSuchNote(_) => ctx.t("note-not-found"),
        other => error_words(ctx.lang, other),
    }
}

pub async fn delete(state: Data<AppState>, req: HttpRequest, id: Path<String>, body: Bytes) -> Reply {
    if let Err(refused) = security::posted(&state, &req, &body) {
        return refused;
    }
    let ctx = ctx(&state, &req);
    let id = id.into_inner();
    let lang = ctx.lang;
    let answer = with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        match write::delete(session, &id) {
            Ok(()) => Reply::NoContent,
            Err(e) => html(pages::error(&ctx, &error_words(ctx.lang, &e))),
        }
    })
    .await;
    if matches!(answer, Reply::NoContent) {
        flash(&state, lang.t("note-deleted"));
        return redirect("/");
    }
    answer
}
