//! The pages, as compiled maud templates. Every text comes from the
//! catalogue of the page's language; maud escapes every value.
//!
//! Pages work without script: every action is a form with a submit
//! button; the scripts only do sooner what the page does anyway
//! (`assets/draft.js` keeps drafts while typing, `assets/idle.js` hides
//! the page when the idle lock is due).
//!
//! Every URL in a page is made by [`Ctx::url`] from an app path (`/admin`):
//! it puts the run's secret prefix in front (see `web::security`). A link
//! written by hand would miss it; the test below looks for one.

pub mod admin;
pub mod advice;
pub mod alerts;
pub mod concerns;
pub mod enrol;
pub mod note;
pub mod org_key;
pub mod pages;
pub mod report;

use maud::{html, Markup, DOCTYPE};
use visitnotes_shared::roster::Role;

use super::security::Prefix;
use visitnotes_core::i18n::Lang;

/// What every page needs to know about the request.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub csrf: String,
    /// The run's secret path prefix, in front of every URL (`url`).
    pub prefix: Prefix,
    /// What was just done, shown once at the top.
    pub flash: Option<String>,
    /// The app path of this page (without the prefix), for the language
    /// switch to come back to.
    pub path: String,
    /// The roles of the unlocked profile (empty while locked).
    pub roles: Vec<Role>,
    pub unlocked: bool,
    /// The open alerts of the unlocked profile, for the banner.
    pub alerts: Vec<visitnotes_core::ops::alerts::Alert>,
    /// Why the open alerts could not be read, when they could not: the
    /// banner then says so, since an empty list would say all is well.
    pub alerts_unreadable: Option<String>,
    /// The idle lock of this run: an unlocked page hides itself after it.
    pub idle: std::time::Duration,
    /// The free bytes on the profile's disk, when they are few: every
    /// page says so before anyone types a note that could not be stored.
    pub low_disk: Option<u64>,
}

impl Ctx {
    /// An administrator's unlocked page at `path`, for the templates'
    /// unit tests.
    #[cfg(test)]
    pub fn for_test(lang: Lang, path: &str) -> Ctx {
        Ctx {
            lang,
            csrf: String::new(),
            prefix: Prefix::random(),
            flash: None,
            path: path.into(),
            roles: vec![Role::Admin],
            unlocked: true,
            alerts: Vec::new(),
            alerts_unreadable: None,
            idle: crate::web::DEFAULT_IDLE,
            low_disk: None,
        }
    }

    /// The URL of the app path `path`: `/admin` → `/<prefix>/admin`.
    pub fn url(&self, path: &str) -> String {
        self.prefix.url(path)
    }

    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    pub fn ta(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.lang.ta(id, args)
    }

    pub fn tn(&self, id: &str, n: u64) -> String {
        self.lang.tn(id, n)
    }

    pub fn is(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.csrf); }
}

/// A page: header with the app's name, navigation, the language switch,
/// the Lock button and Quit; the flash message; `body`.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    layout(ctx, title, Reload::IdleLock, body)
}

/// A page that reloads itself every `refresh` seconds (sync progress,
/// without script).
pub fn page_with(ctx: &Ctx, title: &str, refresh: Option<u32>, body: Markup) -> Markup {
    layout(ctx, title, refresh.map_or(Reload::IdleLock, |seconds| Reload::Every(seconds.to_string())), body)
}

/// A page that goes to the app path `to` after `seconds` (a waiting page
/// that counts its checks in its address, without script).
pub fn page_refresh_to(ctx: &Ctx, title: &str, seconds: u32, to: &str, body: Markup) -> Markup {
    layout(ctx, title, Reload::Every(format!("{seconds};url={}", ctx.url(to))), body)
}

/// A page where a person types at length (the note form): without script
/// it does not reload itself at the idle lock, which would throw away
/// what was typed since the last button; a Save after the lock brings it
/// through the unlock page instead. With script, the draft is kept as it
/// is typed and the page hides itself like any other.
pub fn typing_page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    layout(ctx, title, Reload::ScriptOnly, body)
}

/// How an unlocked page goes away by itself.
enum Reload {
    /// The content of a meta refresh: every so many seconds, or to another
    /// page (progress and waiting pages).
    Every(String),
    /// To `/locked` once the idle lock is due: the unlock page then shows
    /// instead of the note on an unattended screen.
    IdleLock,
    /// As `IdleLock`, but only with script.
    ScriptOnly,
}

/// The app path `/locked?next=PATH` that a page goes to when the idle lock
/// is due: the unlock page once locked, this page again if not.
fn locked_url(ctx: &Ctx) -> String {
    let next: String = url::form_urlencoded::byte_serialize(ctx.path.as_bytes()).collect();
    format!("{}?next={next}", ctx.url("/locked"))
}

fn layout(ctx: &Ctx, title: &str, reload: Reload, body: Markup) -> Markup {
    let timed = matches!(reload, Reload::Every(_));
    // A few seconds after the lock is due: the lock's own timer ticks.
    let hide_after = ctx.idle.as_secs() + 3;
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @match &reload {
                    Reload::Every(content) => { meta http-equiv="refresh" content=(content); }
                    // Honoured only without script: with it, `idle.js`
                    // asks first whether the lock really fell (another tab
                    // may have kept the profile open).
                    Reload::IdleLock if ctx.unlocked => {
                        noscript { meta http-equiv="refresh" content=(format!("{hide_after};url={}", locked_url(ctx))); }
                    }
                    Reload::IdleLock | Reload::ScriptOnly => {}
                }
                title { (title) " – " (ctx.t("app-name")) }
                link rel="stylesheet" href=(ctx.url("/assets/style.css"));
                script src=(ctx.url("/assets/draft.js")) defer {}
                @if ctx.unlocked && !timed {
                    script src=(ctx.url("/assets/idle.js")) defer {}
                }
            }
            body data-idle-seconds=[(ctx.unlocked && !timed).then_some(hide_after)]
                data-lock-state=[ctx.unlocked.then(|| ctx.url("/lock-state"))]
                data-locked=[ctx.unlocked.then(|| locked_url(ctx))] {
                a class="skip" href="#main" { (ctx.t("skip-to-content")) }
                header class="top" {
                    div class="bar" {
                        a class="brand" href=(ctx.url("/")) { (ctx.t("app-name")) }
                        @if ctx.unlocked {
                            nav aria-label=(ctx.t("nav-label")) {
                                ul {
                                    li { a href=(ctx.url("/")) { (ctx.t("nav-home")) } }
                                    @if ctx.is(Role::Leader) {
                                        li { a href=(ctx.url("/notes/new")) { (ctx.t("nav-new-note")) } }
                                    }
                                    @if ctx.is(Role::Coordinator) {
                                        li { a href=(ctx.url("/notes")) { (ctx.t("nav-notes")) } }
                                        li { a href=(ctx.url("/report")) { (ctx.t("nav-report")) } }
                                        li { a href=(ctx.url("/concerns")) id="nav-concerns" { (ctx.t("nav-concerns")) } }
                                    }
                                    @if ctx.is(Role::Admin) {
                                        li { a href=(ctx.url("/admin")) id="nav-admin" { (ctx.t("nav-admin")) } }
                                    } @else if ctx.is(Role::Coordinator) {
                                        li { a href=(ctx.url("/admin/rewrap")) id="nav-rewrap" { (ctx.t("admin-nav-rewrap")) } }
                                    }
                                }
                            }
                        }
                        div class="tools" {
                            form method="post" action=(ctx.url("/lang")) class="inline" {
                                (csrf(ctx))
                                input type="hidden" name="back" value=(ctx.path);
                                @for other in Lang::ALL.iter().filter(|l| **l != ctx.lang) {
                                    button type="submit" name="lang" value=(other.tag()) lang=(other.tag()) class="link" {
                                        (other.own_name())
                                    }
                                }
                            }
                            @if ctx.unlocked {
                                form method="post" action=(ctx.url("/sync")) class="inline" {
                                    (csrf(ctx))
                                    button type="submit" class="secondary" { (ctx.t("sync-button")) }
                                }
                                form method="post" action=(ctx.url("/lock")) class="inline" {
                                    (csrf(ctx))
                                    button type="submit" class="secondary" { (ctx.t("lock-button")) }
                                }
                            }
                            a href=(ctx.url("/quit")) id="nav-quit" class="quit" { (ctx.t("quit-button")) }
                        }
                    }
                }
                main id="main" {
                    @if let Some(flash) = &ctx.flash {
                        p class="flash" role="status" { (flash) }
                    }
                    @if let Some(free) = ctx.low_disk {
                        p class="warning" role="alert" id="low-disk" {
                            (ctx.ta("low-disk", &[("mb", &(free / 1_000_000).to_string())]))
                        }
                    }
                    @if ctx.unlocked && ctx.path != "/alerts" {
                        (alerts_banner(ctx))
                    }
                    (body)
                }
                footer {
                    p { (ctx.t("footer-local")) }
                }
            }
        }
    }
}

/// The banner of every page while alerts are open: how many, the gravest
/// in words, and a link to the alerts page.
fn alerts_banner(ctx: &Ctx) -> Markup {
    html! {
        @if let Some(why) = &ctx.alerts_unreadable {
            section class="alerts" id="alerts-banner" aria-labelledby="alerts-banner-heading" {
                h2 id="alerts-banner-heading" { (ctx.t("alerts-unreadable-heading")) }
                p { (ctx.ta("alerts-unreadable", &[("error", why)])) }
            }
        } @else if let Some(worst) = visitnotes_core::ops::alerts::most_serious(&ctx.alerts) {
            section class="alerts" id="alerts-banner" aria-labelledby="alerts-banner-heading" {
                h2 id="alerts-banner-heading" { (ctx.tn("alerts-heading", ctx.alerts.len() as u64)) }
                p { strong { (ctx.t("alerts-most-serious")) } " " (alerts::sentence(&worst.what_in(ctx.lang))) }
                p { a class="alerts-link" href=(ctx.url("/alerts")) id="alerts-link" { (ctx.t("alerts-details")) } }
            }
        }
    }
}

/// A page with only a title and a text, for refusals (no session, no
/// navigation).
pub fn bare(lang: Lang, prefix: &Prefix, title: &str, text: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (lang.t("app-name")) }
                link rel="stylesheet" href=(prefix.url("/assets/style.css"));
            }
            body {
                main id="main" {
                    h1 { (title) }
                    p { (text) }
                }
            }
        }
    }
}

/// An error next to a field, tied to it by id for screen readers.
pub fn field_error(id: &str, error: Option<&String>) -> Markup {
    html! {
        @if let Some(message) = error {
            p class="field-error" id=(format!("{id}-error")) { (message) }
        }
    }
}

/// `aria-describedby` for a field: its hint and its error, when present.
pub fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[cfg(test)]
mod tests {
    /// Every URL attribute of every template is made by `Ctx::url` (or,
    /// on the bare page, `Prefix::url`), or is a link within the page: a
    /// URL written by hand would leave the prefix, and the session.
    #[test]
    fn every_url_in_a_template_goes_under_the_prefix() {
        let sources = [
            ("mod.rs", include_str!("mod.rs")),
            ("admin.rs", include_str!("admin.rs")),
            ("alerts.rs", include_str!("alerts.rs")),
            ("concerns.rs", include_str!("concerns.rs")),
            ("enrol.rs", include_str!("enrol.rs")),
            ("note.rs", include_str!("note.rs")),
            ("org_key.rs", include_str!("org_key.rs")),
            ("pages.rs", include_str!("pages.rs")),
            ("report.rs", include_str!("report.rs")),
        ];
        let mut found = 0;
        for (file, source) in sources {
            for attribute in ["href", "src", "action", "formaction", "data-draft"] {
                let written = format!(" {attribute}=");
                for (at, _) in source.match_indices(&written) {
                    let value = &source[at + written.len()..];
                    let made =
                        ["(ctx.url(", "(prefix.url(", "\"#", "(format!(\"#"].iter().any(|ok| value.starts_with(ok));
                    assert!(made, "{file}: {attribute}={}", value.lines().next().unwrap_or(""));
                    found += 1;
                }
            }
        }
        assert!(found > 50, "the URLs of the templates were found ({found})");
    }

    /// The style sheet's colours, as `--name: #rrggbb;` in `:root`.
    fn colour(name: &str) -> [f64; 3] {
        let css = include_str!("../assets/style.css");
        let at = css.find(&format!("--{name}:")).unwrap_or_else(|| panic!("no --{name}"));
        let hex = css[at..].split('#').nth(1).unwrap();
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
        [channel(0), channel(2), channel(4)].map(|c| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        })
    }

    fn luminance(rgb: [f64; 3]) -> f64 {
        0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    }

    fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// WCAG 2.1 AA: 4.5:1 for text, 3:1 for borders of controls.
    #[test]
    fn the_colours_meet_wcag_aa() {
        let white = [1.0, 1.0, 1.0];
        for (fg, bg) in [
            ("text", "white"),
            ("muted", "white"),
            ("muted", "soft"),
            ("accent", "white"),
            ("accent-dark", "white"),
            ("danger", "white"),
            ("ok", "white"),
            ("text", "warn-bg"),
        ] {
            let bg = if bg == "white" { white } else { colour(bg) };
            let ratio = contrast(colour(fg), bg);
            assert!(ratio >= 4.5, "--{fg} on its background: {ratio:.2}");
        }
        for button in ["accent", "accent-dark", "danger"] {
            assert!(contrast(white, colour(button)) >= 4.5, "white text on --{button}");
        }
        assert!(contrast(colour("line"), white) >= 3.0, "the borders of fields");
    }
}
