//! The alerts page: each open alert in words (what happened, since when,
//! which note, what to do), gravest first.

use maud::{html, Markup};

use super::Ctx;

/// An operation's sentence, begun with a capital (the operations start
/// some with a note's name: "a note this device has not read ..."), its
/// `commands` shown as code.
pub fn sentence(text: &str) -> Markup {
    let mut chars = text.chars();
    let text: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

pub fn page(ctx: &Ctx) -> Markup {
    let title = ctx.t("alerts-title");
    let mut alerts: Vec<_> = ctx.alerts.iter().collect();
    // Gravest first; otherwise in the order `visitnotes alerts` lists them.
    alerts.sort_by_key(|a| std::cmp::Reverse(a.gravity()));
    let body = html! {
        h1 { (title) }
        @if let Some(why) = &ctx.alerts_unreadable {
            div class="alerts" id="alerts-unreadable" role="alert" {
                h2 { (ctx.t("alerts-unreadable-heading")) }
                p { (ctx.ta("alerts-unreadable", &[("error", why)])) }
            }
        } @else if alerts.is_empty() {
            p class="flash" id="alerts-none" { (ctx.t("alerts-none")) }
        } @else {
            p { (ctx.tn("alerts-heading", alerts.len() as u64)) ". " (ctx.t("alerts-intro")) }
            ol class="alerts-list" id="alerts-list" {
                @for alert in &alerts {
                    li class=(format!("alert gravity-{}", alert.gravity())) {
                        p { strong { (sentence(&alert.what_in(ctx.lang))) } }
                        @if let Some(since) = alert.since_in(ctx.lang) {
                            p class="hint" { (ctx.ta("alerts-since", &[("when", &since)])) }
                        }
                        // A note that failed verification has no page to see.
                        @if let Some(id) = alert.note_id.as_ref().filter(|_| alert.note_page) {
                            p { a href=(ctx.url(&format!("/notes/{id}"))) { (ctx.t("alerts-see-note")) } }
                        }
                        p class="todo" { strong { (ctx.t("alerts-todo")) ": " } (sentence(&alert.todo_in(ctx.lang))) }
                        @for action in &alert.actions {
                            (super::advice::action(ctx, *action))
                        }
                    }
                }
            }
        }
    };
    super::page(ctx, &title, body)
}
