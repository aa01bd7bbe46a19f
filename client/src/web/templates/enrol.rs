//! Enrolling this device in the page: the form, the waiting page with the
//! device's fingerprint, the page of a refused enrolment, and the first
//! administrator's backup of the organisation key (shares to print, one
//! per printed page: the print style sheet in `assets/style.css`).

use maud::{html, Markup, PreEscaped};

use super::admin::fingerprint;
use super::{csrf, described_by, field_error, page, page_refresh_to, Ctx};
use crate::web::form::Errors;
use visitnotes_core::ops::org_key::Split;

/// Seconds between two checks of the waiting page (a meta refresh: no
/// script needed).
pub const WAIT_REFRESH: u32 = 5;

/// Overrides `WAIT_REFRESH` (tests only: a page that must not reload while
/// it is checked, or one that must move on at once).
pub const WAIT_REFRESH_ENV: &str = "VISITNOTES_UI_WAIT_SECONDS";

/// Checks after which the waiting page says what to do when no approval
/// comes (about a minute).
pub const WAIT_PATIENCE: u32 = 12;

/// The enrolment form as typed: everything but the passphrases, which are
/// never sent back to the browser.
#[derive(Debug, Default, Clone)]
pub struct Typed {
    pub invite: String,
    pub name: String,
    /// The units, one per line; shown (and asked for) only for a bootstrap
    /// invite.
    pub units: Option<String>,
}

/// A text field with its label, hint and error.
fn field(id: &str, label: &str, hint: &str, error: Option<&String>, input: Markup) -> Markup {
    html! {
        div class={ "field" @if error.is_some() { " has-error" } } {
            label for=(id) { (label) }
            p class="hint" id=(format!("{id}-hint")) { (hint) }
            (input)
            (field_error(id, error))
        }
    }
}

/// The enrolment form. `retype`: a form sent back, whose passphrase fields
/// are empty again (it says so). `local`: the errors are this device's
/// checks, so nothing was sent (a server's answer says its own).
pub fn form(ctx: &Ctx, typed: &Typed, errors: &Errors, retype: bool, local: bool) -> Markup {
    let title = ctx.t("enrol-title");
    let e = |id: &str| errors.get(id);
    let aria = |id: &str| described_by(id, true, errors.contains_key(id));
    let invalid = |id: &str| errors.contains_key(id).then_some("true");
    let body = html! {
        h1 { (title) }
        p { (ctx.t("enrol-intro")) }
        @if !errors.is_empty() {
            div class="error-summary" role="alert" tabindex="-1" id="errors" {
                @if local { h2 { (ctx.t("enrol-errors")) } }
                ul {
                    @for (id, message) in errors {
                        li { @if id == "form" { (message) } @else { a href=(format!("#{id}")) { (message) } } }
                    }
                }
            }
        }
        @if retype {
            p class="notice" id="enrol-retype" role="status" { (ctx.t("enrol-retype")) }
        }
        form method="post" action=(ctx.url("/enrol")) novalidate class="enrol-form" {
            (csrf(ctx))
            (field("invite", &ctx.t("enrol-invite"), &ctx.t("enrol-invite-hint"), e("invite"), html! {
                textarea id="invite" name="invite" rows="5" spellcheck="false" autocapitalize="off" autocomplete="off"
                    aria-describedby=[aria("invite")] aria-invalid=[invalid("invite")] { (typed.invite) }
            }))
            (field("name", &ctx.t("enrol-name"), &ctx.t("enrol-name-hint"), e("name"), html! {
                input type="text" id="name" name="name" value=(typed.name) autocomplete="name"
                    aria-describedby=[aria("name")] aria-invalid=[invalid("name")];
            }))
            @if let Some(units) = &typed.units {
                (field("units", &ctx.t("enrol-units"), &ctx.t("enrol-units-hint"), e("units"), html! {
                    textarea id="units" name="units" rows="5"
                        aria-describedby=[aria("units")] aria-invalid=[invalid("units")] { (units) }
                }))
            }
            (field("passphrase", &ctx.t("enrol-passphrase"), &ctx.t("enrol-passphrase-hint"), e("passphrase"), html! {
                input type="password" id="passphrase" name="passphrase" autocomplete="new-password"
                    aria-describedby=[aria("passphrase")] aria-invalid=[invalid("passphrase")];
            }))
            div class={ "field" @if e("passphrase_again").is_some() { " has-error" } } {
                label for="passphrase_again" { (ctx.t("enrol-passphrase-again")) }
                input type="password" id="passphrase_again" name="passphrase_again" autocomplete="new-password"
                    aria-describedby=[described_by("passphrase_again", false, e("passphrase_again").is_some())]
                    aria-invalid=[invalid("passphrase_again")];
                (field_error("passphrase_again", e("passphrase_again")))
            }
            button type="submit" class="primary" id="enrol" { (ctx.t("enrol-button")) }
        }
    };
    page(ctx, &title, body)
}

/// What the waiting page shows besides the fingerprint.
pub struct Waiting<'a> {
    pub name: &'a str,
    pub fingerprint: &'a str,
    /// How many times this page checked (from its address).
    pub checks: u32,
    /// Whether the page checks by itself (a meta refresh); a person can
    /// turn it off, and check with the button only.
    pub auto: bool,
    /// Why the server could not be asked this time, in words.
    pub unreached: Option<&'a str>,
}

/// The waiting page's address after `checks` checks.
fn wait_path(checks: u32, auto: bool) -> String {
    format!("/enrol/wait?checks={checks}{}", if auto { "" } else { "&auto=off" })
}

/// The device's fingerprint, large, to read aloud; a page that checks the
/// server every few seconds by itself (unless turned off), and a Check
/// again button.
pub fn wait(ctx: &Ctx, w: &Waiting<'_>) -> Markup {
    let title = ctx.t("enrol-wait-title");
    let next = w.checks.saturating_add(1);
    let body = html! {
        h1 { (title) }
        p { (ctx.ta("enrol-wait-intro", &[("name", w.name)])) }
        p { (ctx.t("enrol-wait-read")) }
        div class="fingerprint-large" role="group" aria-label=(ctx.t("enrol-wait-fingerprint")) {
            (fingerprint(w.fingerprint, "device-fingerprint"))
        }
        @if let Some(reason) = w.unreached {
            p class="notice" id="enrol-wait-unreached" role="status" { (ctx.ta("enrol-wait-not-reached", &[("reason", reason)])) }
        }
        @if w.checks >= WAIT_PATIENCE {
            p class="notice" id="enrol-wait-still" role="status" { (ctx.t("enrol-wait-still")) }
        }
        form method="get" action=(ctx.url("/enrol/wait")) class="actions" {
            input type="hidden" name="checks" value=(next);
            @if !w.auto { input type="hidden" name="auto" value="off"; }
            button type="submit" class="primary" id="check-again" { (ctx.t("enrol-wait-check")) }
            @if w.auto {
                a href=(ctx.url(&wait_path(w.checks, false))) id="wait-auto-off" { (ctx.t("enrol-wait-auto-off")) }
            } @else {
                a href=(ctx.url(&wait_path(w.checks, true))) id="wait-auto-on" { (ctx.t("enrol-wait-auto-on")) }
            }
        }
        p class="hint" { (ctx.t(if w.auto { "enrol-wait-checking" } else { "enrol-wait-manual" })) }
    };
    if !w.auto {
        return page(ctx, &title, body);
    }
    let refresh = std::env::var(WAIT_REFRESH_ENV).ok().and_then(|s| s.parse().ok()).unwrap_or(WAIT_REFRESH);
    page_refresh_to(ctx, &title, refresh, &wait_path(next, true), body)
}

/// The server refuses this device: rejected, or revoked.
pub fn refused(ctx: &Ctx, home: &str) -> Markup {
    let title = ctx.t("enrol-refused-title");
    page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            p class="danger-box" role="alert" id="enrol-refused" { (ctx.ta("enrol-refused", &[("home", home)])) }
        },
    )
}

/// The first administrator's page after enrolling: why the organisation
/// key must be backed up, the shares to make, and Later.
pub fn backup(ctx: &Ctx, count: &str, threshold: &str, error: Option<&str>) -> Markup {
    let title = ctx.t("enrol-backup-title");
    let body = html! {
        h1 { (title) }
        div class="danger-box" id="enrol-backup-only-copy" {
            p { strong { (ctx.t("enrol-backup-intro")) } }
            p { (ctx.t("enrol-backup-risk")) }
        }
        p { (ctx.t("enrol-backup-how")) }
        @if let Some(error) = error {
            div class="error-summary" role="alert" id="errors" { p { (error) } }
        }
        form method="post" action=(ctx.url("/enrol/backup")) class="narrow" {
            (csrf(ctx))
            div class="field" {
                label for="count" { (ctx.t("enrol-backup-count")) }
                input type="number" id="count" name="count" min="2" max="20" value=(count);
            }
            div class="field" {
                label for="threshold" { (ctx.t("enrol-backup-threshold")) }
                input type="number" id="threshold" name="threshold" min="2" max="20" value=(threshold);
            }
            button type="submit" class="primary" id="make-shares" { (ctx.t("enrol-backup-make")) }
        }
        p { a href=(ctx.url("/")) id="backup-later" { (ctx.t("enrol-backup-later")) } }
        p class="hint" { (ctx.t("enrol-backup-later-hint")) }
    };
    page(ctx, &title, body)
}

/// The shares, each a section that prints on a page of its own, with what
/// to do with it; then the button that records them as made.
pub fn shares(ctx: &Ctx, split: &Split) -> Markup {
    let title = ctx.t("enrol-shares-title");
    let (count, threshold) = (split.count.to_string(), split.threshold.to_string());
    let body = html! {
        div class="screen-only" {
            h1 { (title) }
            p { (ctx.ta("enrol-shares-intro", &[("count", &count), ("threshold", &threshold), ("fingerprint", &split.fingerprint)])) }
            p { (ctx.t("enrol-shares-print")) }
            p { (ctx.ta("enrol-shares-rebuild", &[("threshold", &threshold)])) }
        }
        @for share in &split.shares {
            @let n = share.number.to_string();
            section class="share" id=(format!("share-{n}")) aria-labelledby=(format!("share-{n}-heading")) {
                h2 id=(format!("share-{n}-heading")) { (ctx.ta("enrol-share-heading", &[("n", &n), ("count", &count)])) }
                p { (ctx.ta("enrol-share-explain", &[("threshold", &threshold), ("count", &count), ("fingerprint", &split.fingerprint)])) }
                p class="kept-by" { (ctx.t("enrol-share-kept-by")) " ______________________________" }
                h3 { (ctx.ta("enrol-share-code", &[("set", &split.set)])) }
                p class="share-code" { (share.code.as_str()) }
                figure class="qr" {
                    div role="img" aria-label=(ctx.ta("enrol-share-qr", &[("n", &n)])) { (PreEscaped(share.qr_svg.as_str())) }
                }
            }
        }
        form method="post" action=(ctx.url("/enrol/backup/done")) class="screen-only" {
            (csrf(ctx))
            p class="hint" { (ctx.t("enrol-shares-done-hint")) }
            button type="submit" class="primary" id="shares-done" { (ctx.t("enrol-shares-done")) }
        }
    };
    page(ctx, &title, body)
}
