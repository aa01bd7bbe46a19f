//! Advice as buttons: what an alert (or a page) says to do, as the button
//! or link that does it (`ops::alerts::Action`), and the question pages
//! before the two syncs that need one: from the start, and sending the
//! notes held back under an expired list of members.
//!
//! An action this profile may not take (a revocation on a volunteer's
//! device, say) shows nothing here: the alert's sentence already says who
//! to ask.

use maud::{html, Markup};
use visitnotes_core::ops::alerts::Action;
use visitnotes_shared::roster::Role;

use super::{csrf, page, Ctx};

/// The button or link for `action`, or nothing when this profile lacks
/// its role.
pub fn action(ctx: &Ctx, action: Action) -> Markup {
    if action.role().is_some_and(|role| !allowed(ctx, action, role)) {
        return html! {};
    }
    let post = |label: &str, id: &str| {
        html! {
            form method="post" action=(ctx.url("/sync")) class="advice" {
                (csrf(ctx))
                button type="submit" class="primary" data-action=(id) { (label) }
            }
        }
    };
    let link = |path: &str, label: &str, id: &str| {
        html! { p class="advice" { a class="button" href=(ctx.url(path)) data-action=(id) { (label) } } }
    };
    match action {
        Action::Sync => post(&ctx.t("sync-button"), "sync"),
        Action::AdminSync => post(&ctx.t("advice-admin-sync"), "admin-sync"),
        Action::SyncFromStart => link("/sync/from-start", &ctx.t("advice-sync-from-start"), "sync-from-start"),
        Action::SendHeld => link("/sync/send-held", &ctx.t("advice-send-held"), "send-held"),
        Action::Rewrap => link("/admin/rewrap", &ctx.t("advice-rewrap"), "rewrap"),
        Action::Revoke => link("/admin/roster", &ctx.t("advice-revoke"), "revoke"),
        Action::VerifyAudit => link("/admin/audit", &ctx.t("advice-verify-audit"), "verify-audit"),
        Action::ImportOrgKey => link("/admin/org-key", &ctx.t("advice-import-org-key"), "import-org-key"),
    }
}

/// Whether this profile may take `action` (`role` is what it needs; an
/// administrator may also open the Rewrap page).
fn allowed(ctx: &Ctx, action: Action, role: Role) -> bool {
    ctx.is(role) || (action == Action::Rewrap && ctx.is(Role::Admin))
}

/// The question before a sync from the start: what it does, how long it
/// may take, that nothing here is lost.
pub fn sync_from_start_question(ctx: &Ctx) -> Markup {
    let title = ctx.t("advice-from-start-title");
    let body = html! {
        h1 { (title) }
        p { (ctx.t("advice-from-start-what")) }
        p { (ctx.t("advice-from-start-kept")) }
        form method="post" action=(ctx.url("/sync/from-start")) {
            (csrf(ctx))
            p class="actions" {
                button type="submit" class="primary" id="sync-from-start" { (ctx.t("advice-from-start-button")) }
                a href=(ctx.url("/sync")) id="question-cancel" { (ctx.t("advice-cancel")) }
            }
        }
    };
    page(ctx, &title, body)
}

/// The question before sending the held notes as they are: it names the
/// risk (the expired list may still name a reader who was removed since).
pub fn send_held_question(ctx: &Ctx, held: u64, version: Option<u64>, expired: Option<String>) -> Markup {
    let title = ctx.t("advice-send-held-title");
    let body = html! {
        h1 { (title) }
        @if held == 0 {
            p class="flash" id="send-held-none" { (ctx.t("advice-send-held-none")) }
            p { a href=(ctx.url("/sync")) { (ctx.t("advice-cancel")) } }
        } @else {
            p { (ctx.tn("advice-send-held-what", held)) }
            @if let (Some(version), Some(expired)) = (version, expired) {
                p { (ctx.ta("advice-send-held-list", &[("version", &version.to_string()), ("expired", &expired)])) }
            }
            div class="warning" id="send-held-risk" role="note" {
                p { strong { (ctx.t("advice-send-held-risk-heading")) } }
                p { (ctx.t("advice-send-held-risk")) }
            }
            p { (ctx.t("advice-send-held-better")) }
            form method="post" action=(ctx.url("/sync/send-held")) {
                (csrf(ctx))
                p class="actions" {
                    button type="submit" class="danger" id="send-held" { (ctx.tn("advice-send-held-button", held)) }
                    a href=(ctx.url("/sync")) id="question-cancel" { (ctx.t("advice-cancel")) }
                }
            }
        }
    };
    page(ctx, &title, body)
}
