//! The administrator's pages: invites, pending enrolments, the roster,
//! revocation and removal (each after a page that names what will be
//! signed), units, rewrap and the audit log.

use maud::{html, Markup, PreEscaped};
use visitnotes_shared::api::{InviteCreated, PendingEnrolment};
use visitnotes_shared::roster::{DeviceStatus, MemberStatus, Role};

use super::{csrf, page, Ctx};
use visitnotes_core::display::{local_datetime, short};
use visitnotes_core::ops::admin::{
    Approved, Candidate, Claim, Refusal, RemovePlan, RevokePlan, UnitsPlan, UnitsRefusal, Upkeep, Verdict,
};
use visitnotes_core::ops::audit::{Finding, LogEntry, Named, Verification};
use visitnotes_core::ops::heads::EvidenceSource;
use visitnotes_core::ops::org_key::{GrantRefused, Granted, GrantedBy, PickUp};
use visitnotes_core::ops::rewrap::RewrapReport;
use visitnotes_core::ops::roster::Overview;

use crate::web::routes::error_words;

/// The roles an invite offers, in this order.
pub const ROLES: [Role; 3] = [Role::Leader, Role::Coordinator, Role::Admin];

pub fn role_name(ctx: &Ctx, role: Role) -> String {
    ctx.t(&format!("admin-role-{role}"))
}

fn roles_text(ctx: &Ctx, roles: &[Role]) -> String {
    roles.iter().map(|r| role_name(ctx, *r)).collect::<Vec<_>>().join(", ")
}

/// The administration's own navigation, on each of its pages.
pub fn subnav(ctx: &Ctx) -> Markup {
    let links = [
        ("/admin", "admin-nav-overview"),
        ("/admin/roster", "admin-nav-roster"),
        ("/admin/units", "admin-nav-units"),
        ("/admin/rewrap", "admin-nav-rewrap"),
        ("/admin/audit", "admin-nav-audit"),
        ("/admin/org-key", "admin-nav-org-key"),
    ];
    if !ctx.is(Role::Admin) {
        // A coordinator's Rewrap page: the rest is not theirs.
        return html! {};
    }
    html! {
        nav class="subnav" aria-label=(ctx.t("admin-nav-label")) {
            ul {
                @for (href, id) in links {
                    li {
                        a href=(ctx.url(href)) aria-current=[(ctx.path == href).then_some("page")] { (ctx.t(id)) }
                    }
                }
            }
        }
    }
}

fn admin_page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    page(
        ctx,
        title,
        html! {
            (subnav(ctx))
            h1 { (title) }
            (body)
        },
    )
}

/// A page for someone who is not an administrator.
pub fn forbidden(ctx: &Ctx) -> Markup {
    let title = ctx.t("admin-forbidden-title");
    page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            p { (ctx.t("admin-forbidden-text")) }
            p { a href=(ctx.url("/")) { (ctx.t("nav-home")) } }
        },
    )
}

/// What went wrong, in words, on an administration page; `back` is the
/// app path of the page to go back to.
pub fn failed(ctx: &Ctx, message: &str, back: &str) -> Markup {
    let title = ctx.t("admin-failed-title");
    admin_page(
        ctx,
        &title,
        html! {
            div class="error-summary" role="alert" id="admin-error" { p { (message) } }
            p { a href=(ctx.url(back)) { (ctx.t("admin-back")) } }
        },
    )
}

/// A refusal before anything is signed, in the page's language.
pub fn refusal_text(ctx: &Ctx, refusal: &Refusal) -> String {
    crate::web::routes::refusal_words(ctx.lang, refusal)
}

pub fn refused(ctx: &Ctx, refusal: &Refusal) -> Markup {
    let title = ctx.t("admin-refused-title");
    admin_page(
        ctx,
        &title,
        html! {
            div class="error-summary" role="alert" id="admin-refused" { p { (refusal_text(ctx, refusal)) } }
            p { (ctx.t("admin-nothing-signed")) }
            p { a href=(ctx.url("/admin/roster")) { (ctx.t("admin-back-roster")) } }
        },
    )
}

/// A fingerprint in its groups, to read aloud and compare group by group
/// (also the enrolling device's own, on its waiting page).
pub fn fingerprint(text: &str, id: &str) -> Markup {
    html! {
        span class="fingerprint" id=(id) {
            @for group in text.split(' ') { span class="group" { (group) } " " }
        }
    }
}

fn verdict(ctx: &Ctx, c: &Candidate) -> Markup {
    let id = format!("verdict-{}", c.enrolment.device_id);
    html! {
        @match c.verdict {
            Verdict::Genuine => p class="verdict ok" id=(id) { (ctx.t("admin-verdict-genuine")) },
            Verdict::UnknownInvite => p class="notice" id=(id) { (ctx.t("admin-verdict-unknown")) },
            Verdict::Tampered => div class="danger-box" role="alert" id=(id) {
                p { strong { (ctx.t("admin-verdict-tampered")) } }
                p { (ctx.t("admin-verdict-tampered-todo")) }
            },
        }
    }
}

/// The administration's first page: what the upkeep found, whether the
/// organisation key still needs its backup, what waits for approval, and a
/// new invite.
pub fn overview(ctx: &Ctx, candidates: &[Candidate], upkeep: &Upkeep, backup_missing: bool) -> Markup {
    let title = ctx.t("admin-title");
    admin_page(
        ctx,
        &title,
        html! {
            (upkeep_said(ctx, upkeep, "admin-org-key"))
            @if backup_missing {
                div class="danger-box" id="org-key-backup-missing" {
                    p { (ctx.t("admin-backup-missing")) }
                    p { a href=(ctx.url("/enrol/backup")) id="org-key-backup-make" { (ctx.t("enrol-backup-make")) } }
                }
            }
            section aria-labelledby="pending-heading" {
                h2 id="pending-heading" { (ctx.tn("admin-pending-heading", candidates.len() as u64)) }
                @if candidates.is_empty() {
                    p id="pending-none" { (ctx.t("admin-pending-none")) }
                } @else {
                    p class="hint" { (ctx.t("admin-pending-hint")) }
                }
                @for c in candidates {
                    (candidate(ctx, c))
                }
            }
            section aria-labelledby="invite-heading" {
                h2 id="invite-heading" { (ctx.t("admin-invite-heading")) }
                (invite_form(ctx, None, "", None))
            }
        },
    )
}

/// What the server says that no signed roster says: each claim with who it
/// names, and the page that does it after the usual checks and question
/// (nothing of it is signed unasked). Nothing when there is none.
pub fn server_claims(ctx: &Ctx, claims: &[Claim]) -> Markup {
    if claims.is_empty() {
        return html! {};
    }
    html! {
        section class="danger-box" role="alert" id="admin-claims" aria-labelledby="claims-heading" {
            h2 id="claims-heading" { (ctx.t("admin-claims-heading")) }
            p { (ctx.t("admin-claims-intro")) }
            ul {
                @for claim in claims {
                    @match claim {
                        Claim::Removed { person, user_id } => li id=(format!("claim-{user_id}")) {
                            (ctx.ta("admin-claim-removed", &[("name", person)])) " "
                            a href=(ctx.url(&format!("/admin/remove?person={user_id}"))) { (ctx.ta("admin-claim-remove", &[("name", person)])) }
                        },
                        Claim::Revoked { person, device_id } => li id=(format!("claim-{device_id}")) {
                            (ctx.ta("admin-claim-revoked", &[("name", person), ("device", short(device_id.as_str()))])) " "
                            a href=(ctx.url(&format!("/admin/revoke?device={device_id}"))) { (ctx.t("admin-claim-revoke")) }
                        },
                        Claim::RosterBehind { served, held } => li id="claim-roster-behind" {
                            (ctx.ta("admin-claim-roster-behind", &[("served", &served.to_string()), ("held", &held.to_string())])) " "
                            a href=(ctx.url("/sync")) { (ctx.t("admin-claim-sync")) }
                        },
                    }
                }
            }
        }
    }
}

/// What the administration's upkeep found and did (`admin::upkeep`), on
/// its first page and after a sync: the server's claims, the organisation
/// key picked up (the paragraph `pick_up_id`) or refused, handed on or
/// not, and the reminder.
pub fn upkeep_said(ctx: &Ctx, upkeep: &Upkeep, pick_up_id: &str) -> Markup {
    html! {
        (server_claims(ctx, &upkeep.claims))
        @match &upkeep.org_key {
            Some(PickUp::Received { fingerprint, from }) => {
                @let from = granted_by(ctx, from);
                p class="flash" id=(pick_up_id) {
                    (ctx.ta("sync-org-key-received", &[("fingerprint", fingerprint), ("from", &from)]))
                }
            }
            Some(PickUp::Refused { why, .. }) => {
                @let why = grant_refused(ctx, why);
                p class="warning" id=(pick_up_id) { (ctx.ta("sync-org-key-refused", &[("why", &why)])) }
            }
            None => {}
        }
        @match &upkeep.granted {
            Ok(granted) => { @for to in granted { p { (granted_text(ctx, to)) } } }
            Err(e) => (not_granted(ctx, &error_words(ctx.lang, e))),
        }
        @if upkeep.remind_shares {
            p class="notice" id="org-key-reminder" { (ctx.t("admin-org-key-reminder")) }
        }
    }
}

/// "The organisation key was sealed to Bea's device 1a2b3c4d5e6f …".
fn granted_text(ctx: &Ctx, granted: &Granted) -> String {
    ctx.ta("admin-org-key-granted", &[("name", &granted.person), ("device", short(granted.device_id.as_str()))])
}

/// The organisation key could not be handed on: why, and that the next
/// sync tries again.
fn not_granted(ctx: &Ctx, why: &str) -> Markup {
    html! {
        div class="warning" role="alert" id="admin-org-key-not-granted" {
            p { (ctx.t("admin-org-key-not-granted")) }
            p { (ctx.ta("admin-org-key-not-granted-why", &[("why", why)])) }
        }
    }
}

fn granted_by(ctx: &Ctx, by: &GrantedBy) -> String {
    match by {
        GrantedBy::Member { name } => name.clone(),
        GrantedBy::Device { device_id } => {
            ctx.ta("admin-org-key-from-device", &[("device", short(device_id.as_str()))])
        }
    }
}

fn grant_refused(ctx: &Ctx, why: &GrantRefused) -> String {
    match why {
        GrantRefused::NotAKey => ctx.t("admin-org-key-refused-not-a-key"),
        GrantRefused::OtherKey { found, expected } => {
            ctx.ta("admin-org-key-refused-other-key", &[("found", found), ("expected", expected)])
        }
    }
}

/// What an approval did, for the message on the next page: who is
/// approved, the roster version, and whom the organisation key went to.
pub fn approved_text(ctx: &Ctx, approved: &Approved, granted: &[Granted]) -> String {
    let names: Vec<&str> = approved.approved.iter().map(|c| c.enrolment.name.as_str()).collect();
    let version = approved.roster.version.to_string();
    let mut text = ctx.ta("admin-approved", &[("name", &names.join(", ")), ("version", &version)]);
    for to in granted {
        text.push(' ');
        text.push_str(&granted_text(ctx, to));
    }
    text
}

/// An approval whose organisation key could not be handed on: the
/// approval stands (said first), then why the key did not go, and what
/// happens next.
pub fn approved_without_key(ctx: &Ctx, approved: &Approved, why: &str) -> Markup {
    let names: Vec<&str> = approved.approved.iter().map(|c| c.enrolment.name.as_str()).collect();
    let title = ctx.ta("admin-approved-title", &[("name", &names.join(", "))]);
    admin_page(
        ctx,
        &title,
        html! {
            p role="status" id="admin-approved" { (approved_text(ctx, approved, &[])) }
            (not_granted(ctx, why))
            p { a href=(ctx.url("/admin")) { (ctx.t("admin-back")) } }
        },
    )
}

/// A units edit refused, in the page's language.
pub fn units_refusal_text(ctx: &Ctx, refusal: &UnitsRefusal) -> String {
    crate::web::routes::units_refusal_words(ctx.lang, refusal)
}

fn candidate(ctx: &Ctx, c: &Candidate) -> Markup {
    let e = &c.enrolment;
    let device = e.device_id.as_str();
    html! {
        article class={ "candidate" @if c.verdict == Verdict::Tampered { " tampered" } } id=(format!("pending-{device}")) {
            h3 { (e.name) }
            dl class="facts" {
                div { dt { (ctx.t("admin-col-role")) } dd { (c.role.map(|r| role_name(ctx, r)).unwrap_or_else(|| ctx.t("admin-role-unknown"))) } }
                div { dt { (ctx.t("admin-col-enrolled")) } dd { (local_datetime(e.enrolled_at)) } }
                @if e.invited_name != e.name {
                    div { dt { (ctx.t("admin-col-invited-as")) } dd { (e.invited_name) } }
                }
            }
            p class="fingerprint-label" { (ctx.t("admin-fingerprint")) }
            p { (fingerprint(&c.fingerprint, &format!("fingerprint-{device}"))) }
            p class="hint" { (ctx.t("admin-fingerprint-hint")) }
            (verdict(ctx, c))
            div class="actions" {
                @if c.verdict == Verdict::Genuine {
                    form method="post" action=(ctx.url("/admin/approve")) class="inline" {
                        (csrf(ctx))
                        input type="hidden" name="device" value=(device);
                        button type="submit" class="primary" id=(format!("approve-{device}")) {
                            (ctx.ta("admin-approve", &[("name", &e.name)]))
                        }
                    }
                }
                a class="button" href=(ctx.url(&format!("/admin/reject?device={device}"))) id=(format!("reject-{device}")) {
                    (ctx.ta("admin-reject", &[("name", &e.name)]))
                }
            }
        }
    }
}

/// The invite form, with what was typed and the error when it was refused.
pub fn invite_form(ctx: &Ctx, role: Option<Role>, name: &str, error: Option<&str>) -> Markup {
    html! {
        form method="post" action=(ctx.url("/admin/invite")) class="narrow" {
            (csrf(ctx))
            div class="field" {
                label for="invite-role" { (ctx.t("admin-invite-role")) }
                select id="invite-role" name="role" {
                    @for r in ROLES {
                        option value=(r.to_string()) selected[role == Some(r)] { (role_name(ctx, r)) }
                    }
                }
            }
            div class={ "field" @if error.is_some() { " has-error" } } {
                label for="invite-name" { (ctx.t("admin-invite-name")) }
                p class="hint" id="invite-name-hint" { (ctx.t("admin-invite-name-hint")) }
                input type="text" id="invite-name" name="name" value=(name) autocomplete="off"
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=(if error.is_some() { "invite-name-hint invite-name-error" } else { "invite-name-hint" });
                @if let Some(error) = error {
                    p class="field-error" id="invite-name-error" { (error) }
                }
            }
            button type="submit" class="primary" id="invite" { (ctx.t("admin-invite-button")) }
        }
    }
}

/// The invite just made: its code as selectable text with a copy button
/// (the script shows it), and as a QR code.
pub fn invite_made(ctx: &Ctx, name: &str, role: Role, created: &InviteCreated, code: &str, qr_svg: &str) -> Markup {
    invite_shown(ctx, name, role, created, code, qr_svg, false)
}

/// The invite for another device of the member `name` (`/admin/devices/new`),
/// shown as any invite.
pub fn device_invite_made(
    ctx: &Ctx,
    name: &str,
    role: Role,
    created: &InviteCreated,
    code: &str,
    qr_svg: &str,
) -> Markup {
    invite_shown(ctx, name, role, created, code, qr_svg, true)
}

fn invite_shown(
    ctx: &Ctx,
    name: &str,
    role: Role,
    created: &InviteCreated,
    code: &str,
    qr_svg: &str,
    device: bool,
) -> Markup {
    let title = ctx.ta("admin-invite-made-title", &[("name", name)]);
    admin_page(
        ctx,
        &title,
        html! {
            @if device {
                p id="device-invite-for" { strong { (ctx.ta("admin-device-invite-made", &[("name", name), ("until", &local_datetime(created.expires_at))])) } }
            } @else {
                p { (ctx.ta("admin-invite-made", &[("role", &role_name(ctx, role)), ("until", &local_datetime(created.expires_at))])) }
            }
            p { (ctx.t("admin-invite-give")) }
            div class="field invite-code" {
                label for="invite-code" { (ctx.t("admin-invite-code")) }
                textarea id="invite-code" readonly rows="3" spellcheck="false" { (code) }
                div class="actions" {
                    button type="button" class="secondary" id="copy-invite" hidden
                        data-copy="invite-code" data-copied=(ctx.t("admin-invite-copied")) { (ctx.t("admin-invite-copy")) }
                    span id="copy-status" role="status" {}
                }
            }
            p { (ctx.t("admin-invite-run")) }
            figure class="qr" {
                div role="img" aria-label=(ctx.t("admin-invite-qr-label")) { (PreEscaped(qr_svg)) }
                figcaption { (ctx.t("admin-invite-qr")) }
            }
            p { a href=(ctx.url("/admin")) { (ctx.t("admin-back")) } }
            script src=(ctx.url("/assets/copy.js")) defer {}
        },
    )
}

/// Before a pending enrolment is rejected.
pub fn confirm_reject(ctx: &Ctx, e: &PendingEnrolment) -> Markup {
    let title = ctx.ta("admin-reject-title", &[("name", &e.name)]);
    admin_page(
        ctx,
        &title,
        html! {
            p { (ctx.ta("admin-reject-explain", &[("name", &e.name), ("when", &local_datetime(e.enrolled_at))])) }
            form method="post" action=(ctx.url("/admin/reject")) {
                (csrf(ctx))
                input type="hidden" name="device" value=(e.device_id.as_str());
                div class="actions" {
                    button type="submit" class="danger" id="confirm-reject" { (ctx.t("admin-reject-confirm")) }
                    a href=(ctx.url("/admin")) { (ctx.t("admin-keep")) }
                }
            }
        },
    )
}

fn device_state(ctx: &Ctx, status: &DeviceStatus) -> Markup {
    html! {
        @match status {
            DeviceStatus::Active => span class="state ok" { (ctx.t("admin-device-active")) },
            DeviceStatus::Revoked { trusted_through_seq, active_through_roster, .. } => span class="state revoked" {
                (ctx.ta("admin-device-revoked", &[("seq", &trusted_through_seq.to_string())]))
                @if let Some(v) = active_through_roster {
                    " " (ctx.ta("admin-device-revoked-version", &[("version", &v.to_string())]))
                }
            },
        }
    }
}

/// The roster: version and expiry, then each person with their roles and devices.
pub fn roster(ctx: &Ctx, overview: &Overview) -> Markup {
    let (roster, expired, this_device) = (&overview.roster, overview.expired, overview.this_device.as_str());
    let title = ctx.t("admin-roster-title");
    // Active people first, by name; removed ones after them.
    let mut members: Vec<_> = roster.members.iter().collect();
    members
        .sort_by(|a, b| (a.status != MemberStatus::Active, &a.name).cmp(&(b.status != MemberStatus::Active, &b.name)));
    admin_page(
        ctx,
        &title,
        html! {
            p id="roster-version" {
                (ctx.ta("admin-roster-version", &[("version", &roster.version.to_string()), ("signed", &local_datetime(roster.issued_at))]))
                " "
                @if expired {
                    strong class="danger-text" { (ctx.ta("admin-roster-expired", &[("when", &local_datetime(roster.expires_at()))])) }
                } @else {
                    (ctx.ta("admin-roster-valid", &[("when", &local_datetime(roster.expires_at()))]))
                }
            }
            p class="hint" { (ctx.ta("admin-roster-org-key", &[("fingerprint", &roster.org_key.fingerprint())])) }
            @for m in members {
                @let removed = m.status != MemberStatus::Active;
                article class={ "member" @if removed { " removed" } } id=(format!("member-{}", m.user_id)) {
                    h2 {
                        (m.name)
                        @if removed { " " span class="state revoked" { (ctx.t("admin-member-removed")) } }
                    }
                    p { (roles_text(ctx, &m.roles.iter().copied().collect::<Vec<_>>())) }
                    ul class="devices" aria-label=(ctx.ta("admin-devices-of", &[("name", &m.name)])) {
                        @for d in &m.devices {
                            li id=(format!("device-{}", d.device_id)) {
                                dl class="facts" {
                                    div { dt { (ctx.t("admin-col-device")) } dd {
                                        (short(d.device_id.as_str()))
                                        @if d.device_id.as_str() == this_device { " " (ctx.t("admin-this-device")) }
                                    } }
                                    div { dt { (ctx.t("admin-fingerprint")) } dd { (fingerprint(&d.signing_key.fingerprint(), &format!("fp-{}", d.device_id))) } }
                                    div { dt { (ctx.t("admin-col-state")) } dd { (device_state(ctx, &d.status)) } }
                                }
                                @if d.status == DeviceStatus::Active && d.device_id.as_str() != this_device {
                                    a href=(ctx.url(&format!("/admin/revoke?device={}", d.device_id))) id=(format!("revoke-{}", d.device_id)) {
                                        (ctx.t("admin-revoke-link"))
                                        span class="visually-hidden" { " " (ctx.ta("admin-devices-of", &[("name", &m.name)])) }
                                    }
                                }
                            }
                        }
                    }
                    @if !removed {
                        p {
                            a href=(ctx.url(&format!("/admin/devices/new?user={}", m.user_id))) id=(format!("add-device-{}", m.user_id)) {
                                (ctx.ta("admin-add-device-link", &[("name", &m.name)]))
                            }
                        }
                    }
                    @if !removed && !m.devices.iter().any(|d| d.device_id.as_str() == this_device) {
                        p {
                            a href=(ctx.url(&format!("/admin/remove?person={}", m.user_id))) id=(format!("remove-{}", m.user_id)) {
                                (ctx.ta("admin-remove-link", &[("name", &m.name)]))
                            }
                        }
                    }
                }
            }
        },
    )
}

/// What a revocation trusts, in words.
fn trust_text(ctx: &Ctx, plan: &RevokePlan) -> String {
    let t = &plan.trusted;
    let mut text = match (t.seq, t.source, t.at) {
        (0, EvidenceSource::Head, Some(at)) => ctx.ta("admin-trust-none-head", &[("when", &local_datetime(at))]),
        (0, ..) => ctx.t("admin-trust-none"),
        (seq, EvidenceSource::Head, Some(at)) => {
            ctx.ta("admin-trust-head", &[("seq", &seq.to_string()), ("when", &local_datetime(at))])
        }
        (seq, _, Some(at)) => ctx.ta("admin-trust-note", &[("seq", &seq.to_string()), ("when", &local_datetime(at))]),
        (seq, ..) => ctx.ta("admin-trust-plain", &[("seq", &seq.to_string())]),
    };
    if plan.server_last_seq > t.seq {
        text.push(' ');
        text.push_str(&ctx.ta(
            "admin-trust-server-more",
            &[("server", &plan.server_last_seq.to_string()), ("seq", &t.seq.to_string())],
        ));
    }
    text
}

/// Before a revocation: exactly what will be signed.
pub fn confirm_revoke(ctx: &Ctx, plan: &RevokePlan, changed: bool) -> Markup {
    let next_version = plan.next_version;
    let title = ctx.ta("admin-revoke-title", &[("name", &plan.person)]);
    let device = plan.device_id.as_str();
    admin_page(
        ctx,
        &title,
        html! {
            @if changed { p class="warning" role="alert" { (ctx.t("admin-plan-changed")) } }
            p { (ctx.t("admin-will-sign")) }
            dl class="plan" id="revoke-plan" {
                div { dt { (ctx.t("admin-plan-person")) } dd { (plan.person) } }
                div { dt { (ctx.t("admin-col-device")) } dd {
                    (short(device))
                    @if !plan.device_name.is_empty() && plan.device_name != plan.person { " (" (plan.device_name) ")" }
                    @if let Some(at) = plan.enrolled_at { ", " (ctx.ta("admin-plan-enrolled", &[("when", &local_datetime(at))])) }
                } }
                div { dt { (ctx.t("admin-plan-trusted")) } dd id="revoke-trusted" { (trust_text(ctx, plan)) } }
                div { dt { (ctx.t("admin-plan-version")) } dd id="revoke-version" { (next_version) } }
            }
            p { (ctx.t("admin-revoke-explain")) }
            @if plan.last_device {
                p class="warning" { (ctx.ta("admin-revoke-last-device", &[("name", &plan.person)])) }
            }
            form method="post" action=(ctx.url("/admin/revoke")) {
                (csrf(ctx))
                input type="hidden" name="device" value=(device);
                input type="hidden" name="seq" value=(plan.trusted.seq);
                input type="hidden" name="version" value=(next_version);
                div class="actions" {
                    button type="submit" class="danger" id="confirm-revoke" { (ctx.t("admin-revoke-confirm")) }
                    a href=(ctx.url("/admin/roster")) { (ctx.t("admin-keep")) }
                }
            }
        },
    )
}

/// Before a removal: exactly what will be signed.
pub fn confirm_remove(ctx: &Ctx, plan: &RemovePlan, changed: bool) -> Markup {
    let next_version = plan.next_version;
    let title = ctx.ta("admin-remove-title", &[("name", &plan.person)]);
    admin_page(
        ctx,
        &title,
        html! {
            @if changed { p class="warning" role="alert" { (ctx.t("admin-plan-changed")) } }
            p { (ctx.t("admin-will-sign")) }
            dl class="plan" id="remove-plan" {
                div { dt { (ctx.t("admin-plan-person")) } dd { (plan.person) } }
                div { dt { (ctx.t("admin-col-role")) } dd { (roles_text(ctx, &plan.roles)) } }
                div { dt { (ctx.t("admin-plan-devices")) } dd { (ctx.tn("admin-plan-devices-n", plan.devices as u64)) } }
                div { dt { (ctx.t("admin-plan-version")) } dd id="remove-version" { (next_version) } }
            }
            p { (ctx.t("admin-remove-explain")) }
            form method="post" action=(ctx.url("/admin/remove")) {
                (csrf(ctx))
                input type="hidden" name="person" value=(plan.user_id.as_str());
                input type="hidden" name="version" value=(next_version);
                div class="actions" {
                    button type="submit" class="danger" id="confirm-remove" { (ctx.t("admin-remove-confirm")) }
                    a href=(ctx.url("/admin/roster")) { (ctx.t("admin-keep")) }
                }
            }
        },
    )
}

/// The units: each with a Retire button (after a confirmation), and a form to add one.
pub fn units(ctx: &Ctx, units: &[String], typed: &str, error: Option<&str>) -> Markup {
    let title = ctx.t("admin-units-title");
    admin_page(
        ctx,
        &title,
        html! {
            p class="hint" { (ctx.t("admin-units-hint")) }
            ul class="units" id="units" {
                @for (i, unit) in units.iter().enumerate() {
                    li {
                        span { (unit) }
                        " "
                        a href=(ctx.url(&format!("/admin/units/retire?unit={}", url_encode(unit)))) id=(format!("retire-{i}")) {
                            (ctx.t("admin-units-retire"))
                            span class="visually-hidden" { " " (unit) }
                        }
                    }
                }
            }
            form method="post" action=(ctx.url("/admin/units/add")) class="narrow" {
                (csrf(ctx))
                div class={ "field" @if error.is_some() { " has-error" } } {
                    label for="unit" { (ctx.t("admin-units-new")) }
                    input type="text" id="unit" name="unit" value=(typed) autocomplete="off"
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| "unit-error")];
                    @if let Some(error) = error { p class="field-error" id="unit-error" { (error) } }
                }
                button type="submit" class="primary" id="add-unit" { (ctx.t("admin-units-add")) }
            }
        },
    )
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Before a unit is retired.
pub fn confirm_retire(ctx: &Ctx, unit: &str, plan: &UnitsPlan) -> Markup {
    let (after, next_version) = (&plan.after, plan.next_version);
    let title = ctx.ta("admin-retire-title", &[("unit", unit)]);
    admin_page(
        ctx,
        &title,
        html! {
            p { (ctx.ta("admin-retire-explain", &[("unit", unit), ("after", &after.join(", ")), ("version", &next_version.to_string())])) }
            form method="post" action=(ctx.url("/admin/units/retire")) {
                (csrf(ctx))
                input type="hidden" name="unit" value=(unit);
                div class="actions" {
                    button type="submit" class="danger" id="confirm-retire" { (ctx.t("admin-retire-confirm")) }
                    a href=(ctx.url("/admin/units")) { (ctx.t("admin-keep")) }
                }
            }
        },
    )
}

/// Rewrap: what it does, a confirmation button, and the result in words.
pub fn rewrap(ctx: &Ctx, coordinator: bool, result: Option<Result<&RewrapReport, &str>>) -> Markup {
    let title = ctx.t("admin-rewrap-title");
    admin_page(
        ctx,
        &title,
        html! {
            @match result {
                Some(Ok(report)) => div role="status" id="rewrap-result" {
                    p { (ctx.tn("admin-rewrap-done", report.rewrapped)) " " (ctx.ta("admin-rewrap-version", &[("version", &report.roster_version.to_string())])) }
                    @if report.not_readable > 0 { p class="warning" { (ctx.tn("admin-rewrap-not-readable", report.not_readable as u64)) } }
                    @if report.refused > 0 { p class="warning" { (ctx.tn("admin-rewrap-refused", report.refused as u64)) } }
                },
                Some(Err(message)) => div class="error-summary" role="alert" id="rewrap-error" { p { (message) } },
                None => {},
            }
            p { (ctx.t("admin-rewrap-explain")) }
            @if coordinator {
                form method="post" action=(ctx.url("/admin/rewrap")) {
                    (csrf(ctx))
                    div class="field rewrap-confirm" {
                        div class="choice" {
                            input type="checkbox" id="rewrap-sure" name="sure" value="yes" required;
                            label for="rewrap-sure" { (ctx.t("admin-rewrap-sure")) }
                        }
                    }
                    button type="submit" class="primary" id="rewrap" { (ctx.t("admin-rewrap-button")) }
                }
            } @else {
                p class="notice" id="rewrap-not-coordinator" { (ctx.t("admin-rewrap-not-coordinator")) }
            }
        },
    )
}

/// The audit log, newest first, with names and local dates, and whether it verifies.
pub fn audit(ctx: &Ctx, log: &[LogEntry], check: Result<&Verification, &str>) -> Markup {
    let title = ctx.t("admin-audit-title");
    admin_page(
        ctx,
        &title,
        html! {
            @match check {
                Ok(v) if !v.broken => div class="flash" role="status" id="audit-verdict" {
                    p { strong { (ctx.t("admin-audit-intact")) } }
                    ul { @for f in &v.findings { li { (finding_text(ctx, f)) } } }
                },
                Ok(v) => div class="danger-box" role="alert" id="audit-verdict" {
                    p { strong { (ctx.t("admin-audit-broken")) } }
                    ul { @for f in &v.findings { li { (finding_text(ctx, f)) } } }
                },
                Err(message) => div class="warning" id="audit-verdict" { p { (ctx.ta("admin-audit-unchecked", &[("why", message)])) } },
            }
            // The checkpoint is signed by an administrator's sync, as
            // `visitnotes sync` signs it: offered when there is none yet.
            @if check.is_ok_and(|v| v.findings.iter().any(|f| matches!(f, Finding::NoCheckpointYet))) {
                form method="post" action=(ctx.url("/sync")) id="audit-checkpoint" {
                    (csrf(ctx))
                    p class="actions" {
                        button type="submit" class="primary" id="sign-checkpoint" { (ctx.t("advice-checkpoint")) }
                    }
                    p class="hint" { (ctx.t("advice-checkpoint-hint")) }
                }
            }
            @if log.is_empty() {
                p { (ctx.t("admin-audit-empty")) }
            } @else {
                div class="table-wrap" {
                    table class="notes audit" id="audit-log" {
                        thead { tr {
                            th scope="col" { (ctx.t("admin-audit-col-seq")) }
                            th scope="col" { (ctx.t("admin-audit-col-when")) }
                            th scope="col" { (ctx.t("admin-audit-col-action")) }
                            th scope="col" { (ctx.t("admin-audit-col-who")) }
                            th scope="col" { (ctx.t("admin-audit-col-what")) }
                        } }
                        tbody {
                            @for e in log.iter().rev() {
                                @let who = e.actor.as_deref().map_or_else(|| ctx.t("admin-audit-server"), |a| named(ctx, a));
                                tr {
                                    td data-label=(ctx.t("admin-audit-col-seq")) { (e.entry.seq) }
                                    td class="when" data-label=(ctx.t("admin-audit-col-when")) { (ctx.lang.local_time(e.entry.at)) }
                                    td data-label=(ctx.t("admin-audit-col-action")) { (action_name(ctx, &e.entry.action)) }
                                    td data-label=(ctx.t("admin-audit-col-who")) { (who) }
                                    td data-label=(ctx.t("admin-audit-col-what")) { (e.detail.render(ctx.lang)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A text of the server's with the roster's people and devices named.
fn named(ctx: &Ctx, parts: &[Named]) -> String {
    Named::render_all(parts, ctx.lang)
}

/// One finding of the audit log's check.
fn finding_text(ctx: &Ctx, finding: &Finding) -> String {
    finding.msg().render(ctx.lang)
}

/// An audit action in words; one the catalogue does not know, as the server wrote it.
fn action_name(ctx: &Ctx, action: &str) -> String {
    let id = format!("admin-audit-action-{}", action.replace('_', "-"));
    let text = ctx.t(&id);
    if text == id {
        action.to_owned()
    } else {
        text
    }
}

/// Before an invite for another device of `name` is made: what it will
/// be able to do once approved.
pub fn confirm_add_device(ctx: &Ctx, user: &str, name: &str) -> Markup {
    let title = ctx.ta("admin-add-device-title", &[("name", name)]);
    admin_page(
        ctx,
        &title,
        html! {
            p { (ctx.ta("admin-add-device-explain", &[("name", name)])) }
            p { (ctx.t("admin-add-device-lost")) }
            form method="post" action=(ctx.url("/admin/devices/new")) {
                (csrf(ctx))
                input type="hidden" name="user" value=(user);
                div class="actions" {
                    button type="submit" class="primary" id="confirm-add-device" { (ctx.ta("admin-add-device-confirm", &[("name", name)])) }
                    a href=(ctx.url("/admin/roster")) { (ctx.t("admin-back")) }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use visitnotes_core::i18n::Lang;
    use visitnotes_shared::DeviceKeys;

    use super::*;

    fn ctx(lang: Lang) -> Ctx {
        Ctx::for_test(lang, "/admin")
    }

    /// The devices the organisation key went to, a grant refused and the
    /// reminder, in each page's language: on a Norwegian page no English
    /// is left of them.
    #[test]
    fn the_organisation_keys_upkeep_is_said_in_the_pages_language() {
        let device = DeviceKeys::generate().device_id();
        let upkeep = Upkeep {
            claims: Vec::new(),
            org_key: Some(PickUp::Refused {
                from: GrantedBy::Device { device_id: device.clone() },
                why: GrantRefused::NotAKey,
            }),
            granted: Ok(vec![Granted { person: "Bea".into(), device_id: device.clone() }]),
            remind_shares: true,
        };
        let short = short(device.as_str());
        let nb = upkeep_said(&ctx(Lang::Nb), &upkeep, "org-key").into_string();
        assert!(nb.contains(&format!("Organisasjonsnøkkelen ble forseglet til enheten {short} til Bea")), "{nb}");
        assert!(nb.contains("den lar seg ikke åpne som en organisasjonsnøkkel"), "{nb}");
        assert!(nb.contains("Organisasjonsnøkkelen finnes bare på denne enheten"), "{nb}");
        for english in ["device", "sealed", "organisation", " key "] {
            assert!(!nb.contains(english), "{english}: {nb}");
        }
        let en = upkeep_said(&ctx(Lang::En), &upkeep, "org-key").into_string();
        assert!(en.contains(&format!("The organisation key was sealed to Bea's device {short}")), "{en}");
    }
}
