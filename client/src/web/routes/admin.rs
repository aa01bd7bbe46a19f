//! The administrator's pages, over the same `ops::admin`, `ops::rewrap`
//! and `ops::audit` functions as `visitnotes admin`. Every page answers
//! 403 to a profile that is not an administrator's; every change is a
//! POST with the CSRF token, and what cannot be undone (reject, revoke,
//! remove, retire a unit, rewrap) is asked first on a page of its own
//! that names what will be signed.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Query};
use actix_web::HttpRequest;
use visitnotes_shared::roster::{Role, Roster};

use super::{ctx, flash, html, html_status, redirect, with_roles, with_session, words, Reply};
use crate::web::templates::admin as tpl;
use crate::web::templates::Ctx;
use crate::web::{security, AppState};
use visitnotes_core::display::short;
use visitnotes_core::ops::admin::{self, UnitsEdit, Verdict};
use visitnotes_core::ops::{org_key, resolve};
use visitnotes_core::profile::Session;

type Params = Query<HashMap<String, String>>;

/// Runs `f` for an administrator's unlocked profile; anyone else gets 403.
async fn as_admin<F>(state: &Data<AppState>, req: &HttpRequest, f: F) -> Reply
where
    F: FnOnce(Ctx, &Session) -> Reply + Send + 'static,
{
    as_one_of(state, req, &[Role::Admin], f).await
}

/// Runs `f` for a profile with one of `roles`; anyone else gets 403.
async fn as_one_of<F>(state: &Data<AppState>, req: &HttpRequest, roles: &'static [Role], f: F) -> Reply
where
    F: FnOnce(Ctx, &Session) -> Reply + Send + 'static,
{
    let ctx = ctx(state, req);
    with_session(state, move |session| {
        let ctx = with_roles(ctx, session);
        if !roles.iter().any(|r| ctx.is(*r)) {
            return html_status(StatusCode::FORBIDDEN, tpl::forbidden(&ctx));
        }
        f(ctx, session)
    })
    .await
}

/// A POST: the CSRF token checked first, then as `as_admin`.
async fn post_as_admin<F>(state: &Data<AppState>, req: &HttpRequest, body: &Bytes, f: F) -> Reply
where
    F: FnOnce(Ctx, &Session, &security::Posted) -> Reply + Send + 'static,
{
    post_as_one_of(state, req, body, &[Role::Admin], f).await
}

async fn post_as_one_of<F>(
    state: &Data<AppState>,
    req: &HttpRequest,
    body: &Bytes,
    roles: &'static [Role],
    f: F,
) -> Reply
where
    F: FnOnce(Ctx, &Session, &security::Posted) -> Reply + Send + 'static,
{
    let posted = match security::posted(state, req, body) {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    as_one_of(state, req, roles, move |ctx, session| f(ctx, session, &posted)).await
}

/// Rewrap runs on a coordinator's device: its page is for administrators
/// (who find it in the administration) and coordinators.
const REWRAP_ROLES: &[Role] = &[Role::Admin, Role::Coordinator];

fn field(posted: &security::Posted, name: &str) -> String {
    posted.get(name).unwrap_or("").trim().to_owned()
}

fn param(params: &Params, name: &str) -> String {
    params.get(name).map(|v| v.trim().to_owned()).unwrap_or_default()
}

/// GET /admin: what the server says that no signed roster says (to check,
/// each with a link to the revocation or removal page that asks first),
/// pending enrolments and the invite form.
///
/// Like every GET here it signs, publishes and uploads nothing: no roster
/// from the server's word, no grant of the organisation key, no head.
/// Grants missing are made by the approval and by a sync; this device's
/// head goes with every POST that changes something and every roster it
/// signs (`ops::admin`, `ops::roster::publish`).
pub async fn overview(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_admin(&state, &req, |ctx, session| {
        let claims = match admin::claims(session) {
            Ok(claims) => claims,
            Err(e) => return html(tpl::failed(&ctx, &words(&e), "/")),
        };
        match admin::pending(session) {
            Ok(candidates) => html(tpl::overview(&ctx, &candidates, &claims)),
            Err(e) => html(tpl::failed(&ctx, &words(&e), "/")),
        }
    })
    .await
}

/// POST /admin/invite: the code and its QR code, shown once.
pub async fn invite(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    post_as_admin(&state, &req, &body, |ctx, session, posted| {
        let name = field(posted, "name");
        let role: Option<Role> = posted.get("role").and_then(|r| r.parse().ok());
        let refuse = |error: String| {
            let page = crate::web::templates::page(
                &ctx,
                &ctx.t("admin-invite-heading"),
                maud::html! {
                    h1 { (ctx.t("admin-invite-heading")) }
                    (tpl::invite_form(&ctx, role, &name, Some(&error)))
                },
            );
            html_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        };
        let Some(role) = role else { return refuse(ctx.t("admin-invite-error-role")) };
        if name.is_empty() {
            return refuse(ctx.t("admin-invite-error-name"));
        }
        match admin::invite(session, role, &name, None) {
            Ok((invite, created)) => {
                let code = invite.encode();
                match qr_svg(&code) {
                    Ok(svg) => html(tpl::invite_made(&ctx, &name, role, &created, &code, &svg)),
                    Err(e) => html(tpl::failed(&ctx, &e.to_string(), "/admin")),
                }
            }
            Err(e) => refuse(words(&e)),
        }
    })
    .await
}

/// The invite code as an SVG QR code, to put inline in the page.
fn qr_svg(code: &str) -> Result<String, qrcode::types::QrError> {
    let qr = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)?;
    let svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build();
    // Inline in HTML, neither the XML declaration nor the namespace (a
    // URL, though never fetched) has a place.
    let svg = match svg.find("<svg") {
        Some(at) => &svg[at..],
        None => &svg,
    };
    Ok(svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1))
}

/// POST /admin/approve: one pending device whose MAC verifies.
pub async fn approve(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let device = field(posted, "device");
        let candidates = match admin::pending(session) {
            Ok(c) => c,
            Err(e) => return html(tpl::failed(&ctx, &words(&e), "/admin")),
        };
        let Some(chosen) = candidates.into_iter().find(|c| c.enrolment.device_id.as_str() == device) else {
            return html(tpl::failed(&ctx, &ctx.t("admin-pending-gone"), "/admin"));
        };
        let name = chosen.enrolment.name.clone();
        match chosen.verdict {
            Verdict::Genuine => {}
            Verdict::Tampered => return html(tpl::failed(&ctx, &ctx.t("admin-verdict-tampered-todo"), "/admin")),
            Verdict::UnknownInvite => return html(tpl::failed(&ctx, &ctx.t("admin-verdict-unknown"), "/admin")),
        }
        match admin::approve(session, &[chosen]) {
            Ok(roster) => {
                let mut text = ctx.ta("admin-approved", &[("name", &name), ("version", &roster.version.to_string())]);
                // An administrator approved: the organisation key goes to their device.
                for to in org_key::grant_missing(session, &roster).unwrap_or_default() {
                    text.push(' ');
                    text.push_str(&ctx.ta("admin-org-key-granted", &[("to", &to)]));
                }
                flash(&st, text);
                redirect("/admin")
            }
            Err(e) => html(tpl::failed(&ctx, &words(&e), "/admin")),
        }
    })
    .await
}

/// GET /admin/reject?device=ID: asks first.
pub async fn confirm_reject(state: Data<AppState>, req: HttpRequest, params: Params) -> Reply {
    let device = param(&params, "device");
    as_admin(&state, &req, move |ctx, session| {
        let list = match session.api().and_then(|api| api.enrolments(&session.secrets.device)) {
            Ok(list) => list,
            Err(e) => return html(tpl::failed(&ctx, &words(&e), "/admin")),
        };
        match list.iter().find(|e| e.device_id.as_str() == device) {
            Some(e) => html(tpl::confirm_reject(&ctx, e)),
            None => html(tpl::failed(&ctx, &ctx.t("admin-pending-gone"), "/admin")),
        }
    })
    .await
}

/// POST /admin/reject
pub async fn reject(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let device = field(posted, "device");
        if device.is_empty() {
            return html(tpl::failed(&ctx, &ctx.t("admin-pending-gone"), "/admin"));
        }
        match admin::reject(session, &device) {
            Ok(rejected) => {
                flash(&st, ctx.ta("admin-rejected", &[("name", &rejected.name)]));
                redirect("/admin")
            }
            Err(e) => html(tpl::failed(&ctx, &words(&e), "/admin")),
        }
    })
    .await
}

/// GET /admin/roster
pub async fn roster(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_admin(&state, &req, |ctx, session| match visitnotes_core::ops::roster::in_force(session) {
        Ok(roster) => {
            let expired = roster.is_expired(visitnotes_core::ops::roster::now());
            html(tpl::roster(&ctx, &roster, expired, session.config.device_id.as_str()))
        }
        Err(e) => html(tpl::failed(&ctx, &words(&e), "/admin")),
    })
    .await
}

/// The version the next roster will have.
fn next_version(session: &Session) -> u64 {
    session.roster().map_or(0, |r| r.version) + 1
}

/// The roster as this device holds it, for the checks before a plan.
fn local_roster(session: &Session) -> Result<Roster, String> {
    session.roster().map_err(|e| words(&e))
}

/// GET /admin/revoke?device=ID: what will be signed.
pub async fn confirm_revoke(state: Data<AppState>, req: HttpRequest, params: Params) -> Reply {
    let device = param(&params, "device");
    as_admin(&state, &req, move |ctx, session| revoke_plan_page(&ctx, session, &device, false)).await
}

fn revoke_plan_page(ctx: &Ctx, session: &Session, device: &str, changed: bool) -> Reply {
    let roster = match local_roster(session) {
        Ok(r) => r,
        Err(e) => return html(tpl::failed(ctx, &e, "/admin/roster")),
    };
    if let Ok((_, d)) = resolve::device(&roster, device) {
        if let Some(refusal) = admin::revoke_refusal(session, &d.device_id) {
            return html_status(StatusCode::CONFLICT, tpl::refused(ctx, &refusal));
        }
    }
    match admin::plan_revoke(session, device) {
        Ok(plan) => html(tpl::confirm_revoke(ctx, &plan, next_version(session), changed)),
        Err(e) => html(tpl::failed(ctx, &words(&e), "/admin/roster")),
    }
}

/// POST /admin/revoke: signs what the confirmation page named; when
/// something changed since (a newer head, another roster), that page again.
pub async fn revoke(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let device = field(posted, "device");
        let plan = match admin::plan_revoke(session, &device) {
            Ok(plan) => plan,
            Err(_) => return revoke_plan_page(&ctx, session, &device, false),
        };
        let version = next_version(session);
        if field(posted, "seq") != plan.trusted.seq.to_string() || field(posted, "version") != version.to_string() {
            return revoke_plan_page(&ctx, session, &device, true);
        }
        match admin::revoke(session, &plan) {
            Ok(roster) => {
                flash(
                    &st,
                    ctx.ta(
                        "admin-revoked",
                        &[
                            ("name", &plan.person),
                            ("device", short(plan.device_id.as_str())),
                            ("version", &roster.version.to_string()),
                        ],
                    ),
                );
                redirect("/admin/roster")
            }
            Err(e) => html(tpl::failed(&ctx, &words(&e), "/admin/roster")),
        }
    })
    .await
}

/// GET /admin/remove?person=ID: what will be signed.
pub async fn confirm_remove(state: Data<AppState>, req: HttpRequest, params: Params) -> Reply {
    let person = param(&params, "person");
    as_admin(&state, &req, move |ctx, session| remove_plan_page(&ctx, session, &person, false)).await
}

fn remove_plan_page(ctx: &Ctx, session: &Session, person: &str, changed: bool) -> Reply {
    let roster = match local_roster(session) {
        Ok(r) => r,
        Err(e) => return html(tpl::failed(ctx, &e, "/admin/roster")),
    };
    if let Ok(member) = resolve::member(&roster, person, false) {
        if let Some(refusal) = admin::remove_refusal(session, &roster, member) {
            return html_status(StatusCode::CONFLICT, tpl::refused(ctx, &refusal));
        }
    }
    match admin::plan_remove(session, person) {
        Ok(plan) => html(tpl::confirm_remove(ctx, &plan, next_version(session), changed)),
        Err(e) => html(tpl::failed(ctx, &words(&e), "/admin/roster")),
    }
}

/// POST /admin/remove
pub async fn remove(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let person = field(posted, "person");
        let plan = match admin::plan_remove(session, &person) {
            Ok(plan) => plan,
            Err(_) => return remove_plan_page(&ctx, session, &person, false),
        };
        if field(posted, "version") != next_version(session).to_string() {
            return remove_plan_page(&ctx, session, &person, true);
        }
        match admin::remove(session, &plan) {
            Ok(roster) => {
                flash(
                    &st,
                    ctx.ta("admin-removed", &[("name", &plan.person), ("version", &roster.version.to_string())]),
                );
                redirect("/admin/roster")
            }
            Err(e) => html(tpl::failed(&ctx, &words(&e), "/admin/roster")),
        }
    })
    .await
}

/// GET /admin/units
pub async fn units(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_admin(&state, &req, |ctx, session| match visitnotes_core::ops::roster::in_force(session) {
        Ok(roster) => html(tpl::units(&ctx, &roster.units, "", None)),
        Err(e) => html(tpl::failed(&ctx, &words(&e), "/admin")),
    })
    .await
}

/// POST /admin/units/add: a refused unit comes back in its field.
pub async fn add_unit(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let unit = field(posted, "unit");
        let refuse = |error: String| {
            let units = session.roster().map(|r| r.units).unwrap_or_default();
            html_status(StatusCode::UNPROCESSABLE_ENTITY, tpl::units(&ctx, &units, &unit, Some(&error)))
        };
        if unit.is_empty() {
            return refuse(ctx.t("admin-units-error-empty"));
        }
        let plan = match admin::plan_units(session, UnitsEdit::Add(unit.clone())) {
            Ok(plan) => plan,
            Err(e) => return refuse(words(&e)),
        };
        match admin::set_units(session, &plan) {
            Ok(roster) => {
                flash(&st, ctx.ta("admin-unit-added", &[("unit", &unit), ("version", &roster.version.to_string())]));
                redirect("/admin/units")
            }
            Err(e) => refuse(words(&e)),
        }
    })
    .await
}

/// GET /admin/units/retire?unit=NAME: asks first.
pub async fn confirm_retire(state: Data<AppState>, req: HttpRequest, params: Params) -> Reply {
    let unit = param(&params, "unit");
    as_admin(&state, &req, move |ctx, session| match admin::plan_units(session, UnitsEdit::Remove(unit.clone())) {
        Ok(plan) => html(tpl::confirm_retire(&ctx, &unit, &plan.after, next_version(session))),
        Err(e) => html(tpl::failed(&ctx, &words(&e), "/admin/units")),
    })
    .await
}

/// POST /admin/units/retire
pub async fn retire_unit(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let unit = field(posted, "unit");
        let done = admin::plan_units(session, UnitsEdit::Remove(unit.clone()))
            .and_then(|plan| admin::set_units(session, &plan));
        match done {
            Ok(roster) => {
                flash(&st, ctx.ta("admin-unit-retired", &[("unit", &unit), ("version", &roster.version.to_string())]));
                redirect("/admin/units")
            }
            Err(e) => html(tpl::failed(&ctx, &words(&e), "/admin/units")),
        }
    })
    .await
}

fn is_coordinator(session: &Session) -> bool {
    session.is(Role::Coordinator).unwrap_or(false)
}

/// GET /admin/rewrap: what it does, and the button.
pub async fn rewrap_page(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_one_of(&state, &req, REWRAP_ROLES, |ctx, session| html(tpl::rewrap(&ctx, is_coordinator(session), None))).await
}

/// POST /admin/rewrap: the result in words.
pub async fn rewrap(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    post_as_one_of(&state, &req, &body, REWRAP_ROLES, |ctx, session, posted| {
        let coordinator = is_coordinator(session);
        if posted.get("sure") != Some("yes") {
            return html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                tpl::rewrap(&ctx, coordinator, Some(Err(&ctx.t("admin-rewrap-not-sure")))),
            );
        }
        match visitnotes_core::ops::rewrap::rewrap_all(session) {
            Ok(report) => html(tpl::rewrap(&ctx, coordinator, Some(Ok(&report)))),
            Err(e) => html(tpl::rewrap(&ctx, coordinator, Some(Err(&words(&e))))),
        }
    })
    .await
}

/// GET /admin/audit: the log, newest first, checked against the signed checkpoints.
pub async fn audit(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_admin(&state, &req, |ctx, session| {
        let entries = match session.api().and_then(|api| api.audit(&session.secrets.device, 0)) {
            Ok(entries) => entries,
            Err(e) => return html(tpl::failed(&ctx, &words(&e), "/admin")),
        };
        let check = visitnotes_core::ops::audit::verify(session).map_err(|e| words(&e));
        let roster = session.roster().ok();
        let names = |text: &str| {
            roster.as_ref().map_or(text.to_owned(), |r| visitnotes_core::ops::audit::names_for_ids(r, text))
        };
        html(tpl::audit(&ctx, &entries, &names, check.as_ref().map_err(String::as_str)))
    })
    .await
}
