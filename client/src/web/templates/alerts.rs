//! The alerts page: each open alert in words (what happened, since when,
//! which note, what to do), gravest first.

use maud::{html, Markup};

use super::Ctx;

pub fn page(ctx: &Ctx) -> Markup {
    let title = ctx.t("alerts-title");
    let mut alerts: Vec<_> = ctx.alerts.iter().collect();
    // Gravest first; otherwise in the order `visitnotes alerts` lists them.
    alerts.sort_by_key(|a| std::cmp::Reverse(a.gravity()));
    let body = html! {
        h1 { (title) }
        @if alerts.is_empty() {
            p class="flash" id="alerts-none" { (ctx.t("alerts-none")) }
        } @else {
            p { (ctx.tn("alerts-heading", alerts.len() as u64)) ". " (ctx.t("alerts-intro")) }
            ol class="alerts-list" id="alerts-list" {
                @for alert in &alerts {
                    li class=(format!("alert gravity-{}", alert.gravity())) {
                        p { strong { (alert.what) } }
                        @if let Some(since) = &alert.since {
                            p class="hint" { (ctx.ta("alerts-since", &[("when", since)])) }
                        }
                        @if let Some(id) = &alert.note_id {
                            p { a href=(format!("/notes/{id}")) { (ctx.t("alerts-see-note")) } }
                        }
                        p class="todo" { strong { (ctx.t("alerts-todo")) ": " } (alert.todo) }
                    }
                }
            }
        }
    };
    super::page(ctx, &title, body)
}
