//! The administrator's pages, over the same `ops::admin`, `ops::roster`,
//! `ops::rewrap` and `ops::audit` functions as `visitnotes admin`: each
//! handler calls one operation and shows its typed result (or its error)
//! in the page's language. Every page answers 403 to a profile that is not
//! an administrator's; every change is a POST with the CSRF token, and what
//! cannot be undone (reject, revoke, remove, retire a unit, rewrap) is
//! asked first on a page of its own that names what will be signed.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Query};
use actix_web::HttpRequest;
use visitnotes_shared::roster::Role;
use visitnotes_shared::DeviceId;

use super::{ctx, error_words, flash, html, html_status, redirect, with_roles, with_session, with_session_mut, Reply};
use crate::web::templates::admin as tpl;
use crate::web::templates::Ctx;
use crate::web::{security, AppState};
use visitnotes_core::display::short;
use visitnotes_core::ops::admin::{self, NotApprovable, Occasion, Outcome, UnitsEdit};
use visitnotes_core::ops::{audit, rewrap, roster};
use visitnotes_core::profile::Session;
use visitnotes_core::ClientError;

type Params = Query<HashMap<String, String>>;

/// Runs `f` for an administrator's unlocked profile; anyone else gets 403.
pub(super) async fn as_admin<F>(state: &Data<AppState>, req: &HttpRequest, f: F) -> Reply
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

/// `as_admin` for an operation that changes the profile itself.
pub(super) async fn as_admin_mut<F>(state: &Data<AppState>, req: &HttpRequest, f: F) -> Reply
where
    F: FnOnce(Ctx, &mut Session) -> Reply + Send + 'static,
{
    let ctx = ctx(state, req);
    with_session_mut(state, move |session| {
        let ctx = with_roles(ctx, session);
        if !ctx.is(Role::Admin) {
            return html_status(StatusCode::FORBIDDEN, tpl::forbidden(&ctx));
        }
        f(ctx, session)
    })
    .await
}

/// A POST: the CSRF token checked first, then as `as_admin`.
pub(super) async fn post_as_admin<F>(state: &Data<AppState>, req: &HttpRequest, body: &Bytes, f: F) -> Reply
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

pub(super) fn field(posted: &security::Posted, name: &str) -> String {
    posted.get(name).unwrap_or("").trim().to_owned()
}

/// A number posted back from a confirmation page; one that does not read
/// as a number matches no plan (so the page is shown again).
fn number(posted: &security::Posted, name: &str) -> u64 {
    field(posted, name).parse().unwrap_or(u64::MAX)
}

fn param(params: &Params, name: &str) -> String {
    params.get(name).map_or_else(String::new, |v| v.trim().to_owned())
}

/// An operation that failed, on an administration page: in the page's
/// language, with the page to go back to.
fn failed(ctx: &Ctx, e: &ClientError, back: &str) -> Reply {
    html(tpl::failed(ctx, &error_words(ctx.lang, e), back))
}

/// GET /admin: the administration's upkeep (`admin::upkeep` when reading,
/// as before `visitnotes admin pending`: what the server says that no
/// signed roster says, to check, each with a link to the revocation or
/// removal page that asks first; the organisation key sealed to this
/// device, picked up; the reminder), pending enrolments and the invite
/// form.
///
/// Like every GET here it signs, publishes and uploads nothing: no roster
/// from the server's word, no grant of the organisation key, no head.
/// Grants missing are made by the approval and by a sync; this device's
/// head goes with every POST that changes something and every roster it
/// signs (`ops::admin`, `ops::roster::publish`).
pub async fn overview(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_admin_mut(&state, &req, |ctx, session| {
        let upkeep = match admin::upkeep(session, Occasion::Reading) {
            Ok(upkeep) => upkeep,
            Err(e) => return failed(&ctx, &e, "/"),
        };
        // Said on every visit while it holds, not once.
        let backup_missing = session
            .roster()
            .and_then(|roster| visitnotes_core::ops::org_key::backup_missing(session, &roster))
            .unwrap_or(false);
        match admin::pending(session) {
            Ok(candidates) => html(tpl::overview(&ctx, &candidates, &upkeep, backup_missing)),
            Err(e) => failed(&ctx, &e, "/"),
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
                match visitnotes_core::qr::svg(&code, visitnotes_core::qr::Svg::Inline) {
                    Ok(svg) => html(tpl::invite_made(&ctx, &name, role, &created, &code, &svg)),
                    Err(e) => html(tpl::failed(&ctx, &visitnotes_core::error::Chain(&e).to_string(), "/admin")),
                }
            }
            Err(e) => refuse(error_words(ctx.lang, &e)),
        }
    })
    .await
}

/// POST /admin/approve: one pending device whose MAC verifies; the
/// organisation key then goes to administrators' devices that lack it.
/// When that fails, the approval stands and the page says so (and what
/// happens next) instead of the usual message.
pub async fn approve(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let gone = || html(tpl::failed(&ctx, &ctx.t("admin-pending-gone"), "/admin"));
        let Ok(device) = DeviceId::parse(&field(posted, "device")) else { return gone() };
        let approved = match admin::approve(session, &[device]) {
            Ok(Ok(approved)) => approved,
            Ok(Err(NotApprovable::Gone { .. })) => return gone(),
            Ok(Err(NotApprovable::Tampered { .. })) => {
                return html(tpl::failed(&ctx, &ctx.t("admin-verdict-tampered-todo"), "/admin"))
            }
            Ok(Err(NotApprovable::UnknownInvite { .. })) => {
                return html(tpl::failed(&ctx, &ctx.t("admin-verdict-unknown"), "/admin"))
            }
            Err(e) => return failed(&ctx, &e, "/admin"),
        };
        match &approved.org_key {
            Ok(granted) => {
                flash(&st, tpl::approved_text(&ctx, &approved, granted));
                redirect("/admin")
            }
            Err(e) => html(tpl::approved_without_key(&ctx, &approved, &error_words(ctx.lang, e))),
        }
    })
    .await
}

/// GET /admin/reject?device=ID: asks first.
pub async fn confirm_reject(state: Data<AppState>, req: HttpRequest, params: Params) -> Reply {
    let device = param(&params, "device");
    as_admin(&state, &req, move |ctx, session| match admin::pending_enrolment(session, &device) {
        Ok(Some(e)) => html(tpl::confirm_reject(&ctx, &e)),
        Ok(None) => html(tpl::failed(&ctx, &ctx.t("admin-pending-gone"), "/admin")),
        Err(e) => failed(&ctx, &e, "/admin"),
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
            Err(e) => failed(&ctx, &e, "/admin"),
        }
    })
    .await
}

/// GET /admin/roster
pub async fn roster(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_admin(&state, &req, |ctx, session| match roster::overview(session) {
        Ok(overview) => html(tpl::roster(&ctx, &overview)),
        Err(e) => failed(&ctx, &e, "/admin"),
    })
    .await
}

/// GET /admin/revoke?device=ID: what will be signed, or why it is refused.
pub async fn confirm_revoke(state: Data<AppState>, req: HttpRequest, params: Params) -> Reply {
    let device = param(&params, "device");
    as_admin(&state, &req, move |ctx, session| match admin::plan_revoke(session, &device) {
        Ok(Ok(plan)) => html(tpl::confirm_revoke(&ctx, &plan, false)),
        Ok(Err(refusal)) => html_status(StatusCode::CONFLICT, tpl::refused(&ctx, &refusal)),
        Err(e) => failed(&ctx, &e, "/admin/roster"),
    })
    .await
}

/// POST /admin/revoke: signs what the confirmation page named (the number
/// trusted through, the roster version); when something changed since (a
/// newer head, another roster), that page again, with what it signs now.
pub async fn revoke(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let device = field(posted, "device");
        match admin::revoke(session, &device, number(posted, "seq"), number(posted, "version")) {
            Ok(Outcome::Signed { plan, roster }) => {
                let version = roster.version.to_string();
                let args =
                    [("name", plan.person.as_str()), ("device", short(plan.device_id.as_str())), ("version", &version)];
                flash(&st, ctx.ta("admin-revoked", &args));
                redirect("/admin/roster")
            }
            Ok(Outcome::Stale(plan)) => html(tpl::confirm_revoke(&ctx, &plan, true)),
            Ok(Outcome::Refused(refusal)) => html_status(StatusCode::CONFLICT, tpl::refused(&ctx, &refusal)),
            Err(e) => failed(&ctx, &e, "/admin/roster"),
        }
    })
    .await
}

/// GET /admin/remove?person=ID: what will be signed, or why it is refused.
pub async fn confirm_remove(state: Data<AppState>, req: HttpRequest, params: Params) -> Reply {
    let person = param(&params, "person");
    as_admin(&state, &req, move |ctx, session| match admin::plan_remove(session, &person) {
        Ok(Ok(plan)) => html(tpl::confirm_remove(&ctx, &plan, false)),
        Ok(Err(refusal)) => html_status(StatusCode::CONFLICT, tpl::refused(&ctx, &refusal)),
        Err(e) => failed(&ctx, &e, "/admin/roster"),
    })
    .await
}

/// POST /admin/remove: signs what the confirmation page named; when the
/// roster changed since, that page again.
pub async fn remove(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let person = field(posted, "person");
        match admin::remove(session, &person, number(posted, "version")) {
            Ok(Outcome::Signed { plan, roster }) => {
                let version = roster.version.to_string();
                flash(&st, ctx.ta("admin-removed", &[("name", &plan.person), ("version", &version)]));
                redirect("/admin/roster")
            }
            Ok(Outcome::Stale(plan)) => html(tpl::confirm_remove(&ctx, &plan, true)),
            Ok(Outcome::Refused(refusal)) => html_status(StatusCode::CONFLICT, tpl::refused(&ctx, &refusal)),
            Err(e) => failed(&ctx, &e, "/admin/roster"),
        }
    })
    .await
}

/// GET /admin/units
pub async fn units(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_admin(&state, &req, |ctx, session| match roster::in_force(session) {
        Ok(roster) => html(tpl::units(&ctx, &roster.units, "", None)),
        Err(e) => failed(&ctx, &e, "/admin"),
    })
    .await
}

/// POST /admin/units/add: a refused unit comes back in its field.
pub async fn add_unit(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let unit = field(posted, "unit");
        let refuse = |error: String| match session.roster() {
            Ok(roster) => {
                html_status(StatusCode::UNPROCESSABLE_ENTITY, tpl::units(&ctx, &roster.units, &unit, Some(&error)))
            }
            Err(e) => failed(&ctx, &e, "/admin/units"),
        };
        if unit.is_empty() {
            return refuse(ctx.t("admin-units-error-empty"));
        }
        let plan = match admin::plan_units(session, UnitsEdit::Add(unit.clone())) {
            Ok(Ok(plan)) => plan,
            Ok(Err(refusal)) => return refuse(tpl::units_refusal_text(&ctx, &refusal)),
            Err(e) => return refuse(error_words(ctx.lang, &e)),
        };
        match admin::set_units(session, &plan) {
            Ok(roster) => {
                flash(&st, ctx.ta("admin-unit-added", &[("unit", &unit), ("version", &roster.version.to_string())]));
                redirect("/admin/units")
            }
            Err(e) => refuse(error_words(ctx.lang, &e)),
        }
    })
    .await
}

/// GET /admin/units/retire?unit=NAME: asks first.
pub async fn confirm_retire(state: Data<AppState>, req: HttpRequest, params: Params) -> Reply {
    let unit = param(&params, "unit");
    as_admin(&state, &req, move |ctx, session| match admin::plan_units(session, UnitsEdit::Remove(unit.clone())) {
        Ok(Ok(plan)) => html(tpl::confirm_retire(&ctx, &unit, &plan)),
        Ok(Err(refusal)) => html(tpl::failed(&ctx, &tpl::units_refusal_text(&ctx, &refusal), "/admin/units")),
        Err(e) => failed(&ctx, &e, "/admin/units"),
    })
    .await
}

/// POST /admin/units/retire
pub async fn retire_unit(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let st = state.clone();
    post_as_admin(&state, &req, &body, move |ctx, session, posted| {
        let unit = field(posted, "unit");
        let plan = match admin::plan_units(session, UnitsEdit::Remove(unit.clone())) {
            Ok(Ok(plan)) => plan,
            Ok(Err(refusal)) => {
                return html(tpl::failed(&ctx, &tpl::units_refusal_text(&ctx, &refusal), "/admin/units"))
            }
            Err(e) => return failed(&ctx, &e, "/admin/units"),
        };
        match admin::set_units(session, &plan) {
            Ok(roster) => {
                flash(&st, ctx.ta("admin-unit-retired", &[("unit", &unit), ("version", &roster.version.to_string())]));
                redirect("/admin/units")
            }
            Err(e) => failed(&ctx, &e, "/admin/units"),
        }
    })
    .await
}

/// GET /admin/rewrap: what it does, and the button.
pub async fn rewrap_page(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_one_of(&state, &req, REWRAP_ROLES, |ctx, _| {
        let coordinator = ctx.is(Role::Coordinator);
        html(tpl::rewrap(&ctx, coordinator, None))
    })
    .await
}

/// POST /admin/rewrap: the result in words.
pub async fn rewrap(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    post_as_one_of(&state, &req, &body, REWRAP_ROLES, |ctx, session, posted| {
        let coordinator = ctx.is(Role::Coordinator);
        if posted.get("sure") != Some("yes") {
            return html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                tpl::rewrap(&ctx, coordinator, Some(Err(&ctx.t("admin-rewrap-not-sure")))),
            );
        }
        match rewrap::rewrap_all(session) {
            Ok(report) => html(tpl::rewrap(&ctx, coordinator, Some(Ok(&report)))),
            Err(e) => html(tpl::rewrap(&ctx, coordinator, Some(Err(&error_words(ctx.lang, &e))))),
        }
    })
    .await
}

/// GET /admin/audit: the log, newest first, checked against the signed checkpoints.
pub async fn audit(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_admin(&state, &req, |ctx, session| {
        let log = match audit::log(session) {
            Ok(log) => log,
            Err(e) => return failed(&ctx, &e, "/admin"),
        };
        let check = audit::verify(session).map_err(|e| error_words(ctx.lang, &e));
        html(tpl::audit(&ctx, &log, check.as_ref().map_err(String::as_str)))
    })
    .await
}

/// The active member `user` (a user id) names, or the page that says the
/// roster has nobody so.
fn member_named(ctx: &Ctx, session: &Session, user: &str) -> Result<(String, String), Reply> {
    let roster = session.roster().map_err(|e| failed(ctx, &e, "/admin/roster"))?;
    roster
        .members
        .iter()
        .find(|m| m.user_id.as_str() == user && m.status == visitnotes_shared::roster::MemberStatus::Active)
        .map(|m| (m.user_id.to_string(), m.name.clone()))
        .ok_or_else(|| html(tpl::failed(ctx, &ctx.t("admin-add-device-nobody"), "/admin/roster")))
}

/// GET /admin/devices/new?user=ID: asks before an invite for another
/// device of that person is made (`visitnotes admin invite --device-for`).
pub async fn confirm_add_device(state: Data<AppState>, req: HttpRequest, params: Params) -> Reply {
    let user = param(&params, "user");
    as_admin(&state, &req, move |ctx, session| match member_named(&ctx, session, &user) {
        Ok((user, name)) => html(tpl::confirm_add_device(&ctx, &user, &name)),
        Err(reply) => reply,
    })
    .await
}

/// POST /admin/devices/new: the invite for another device of the person,
/// shown as any invite (code, QR code, copy button).
pub async fn add_device(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    post_as_admin(&state, &req, &body, |ctx, session, posted| {
        let (user, _) = match member_named(&ctx, session, &field(posted, "user")) {
            Ok(found) => found,
            Err(reply) => return reply,
        };
        match admin::invite_device(session, &user, None) {
            Ok((invite, created, name, role)) => {
                let code = invite.encode();
                match visitnotes_core::qr::svg(&code, visitnotes_core::qr::Svg::Inline) {
                    Ok(svg) => html(tpl::device_invite_made(&ctx, &name, role, &created, &code, &svg)),
                    Err(e) => html(tpl::failed(&ctx, &visitnotes_core::error::Chain(&e).to_string(), "/admin/roster")),
                }
            }
            Err(e) => failed(&ctx, &e, "/admin/roster"),
        }
    })
    .await
}
