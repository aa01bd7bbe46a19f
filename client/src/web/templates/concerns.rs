//! The coordinators' concerns page: every concern across the notes here,
//! open first, then the gravest, then the longest open; each links to its
//! note and to the follow-up form under it there.

use maud::{html, Markup};
use visitnotes_shared::note::{FollowUp, Severity};

use super::note::join_names;
use super::{field_error, Ctx};
use crate::web::form::{code, Errors};
use crate::web::routes::ConcernsQuery;
use visitnotes_core::ops::follow_up::{ConcernLine, ConcernOverview};

/// For a profile that is not a coordinator's.
pub fn forbidden(ctx: &Ctx) -> Markup {
    let title = ctx.t("concerns-forbidden-title");
    super::page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            p { (ctx.t("concerns-forbidden-text")) }
            p { a href=(ctx.url("/")) { (ctx.t("nav-home")) } }
        },
    )
}

pub fn page(
    ctx: &Ctx,
    overview: &ConcernOverview,
    q: &ConcernsQuery,
    errors: &Errors,
    units: &[String],
    today: chrono::NaiveDate,
) -> Markup {
    let title = ctx.t("concerns-title");
    let filtered = !(q.severity.is_empty() && q.unit.is_empty() && q.from.is_empty() && q.to.is_empty());
    let body = html! {
        h1 { (title) }
        p class="hint" { (ctx.t("concerns-intro")) }
        @if overview.total == 0 {
            p id="concerns-none" class="flash" { (ctx.t("concerns-none")) }
        } @else {
            (filters(ctx, q, errors, units))
            @if overview.concerns.is_empty() {
                p id="concerns-none-shown" role="status" {
                    @if filtered { (ctx.t("concerns-none-filtered")) }
                    @else { (ctx.t("concerns-none-open")) }
                }
            } @else {
                p id="concerns-shown" role="status" { (ctx.tn("concerns-shown", overview.concerns.len() as u64)) }
                (table(ctx, &overview.concerns, today))
            }
        }
        @if !overview.apart.is_empty() {
            p class="hint" id="concerns-apart" { (ctx.tn("concerns-apart", overview.apart.len() as u64)) }
        }
    };
    super::page(ctx, &title, body)
}

fn filters(ctx: &Ctx, q: &ConcernsQuery, errors: &Errors, units: &[String]) -> Markup {
    let date = |id: &str, value: &str, label: &str| {
        let error = errors.get(id);
        html! {
            div class={ "field" @if error.is_some() { " has-error" } } {
                label for=(format!("concerns-{id}")) { (label) }
                input type="text" id=(format!("concerns-{id}")) name=(id) value=(value) autocomplete="off"
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=(format!("concerns-dates-hint{}", if error.is_some() { format!(" concerns-{id}-error") } else { String::new() }));
                (field_error(&format!("concerns-{id}"), error))
            }
        }
    };
    html! {
        form method="get" action=(ctx.url("/concerns")) class="filters" role="search" aria-labelledby="concerns-filters-heading" {
            h2 id="concerns-filters-heading" class="visually-hidden" { (ctx.t("concerns-filter-heading")) }
            p class="hint" id="concerns-dates-hint" { (ctx.t("filter-dates-hint")) }
            div class="row" {
                div class="field" {
                    label for="concerns-status" { (ctx.t("concerns-filter-status")) }
                    select id="concerns-status" name="status" {
                        option value="" { (ctx.t("concerns-filter-not-closed")) }
                        option value="all" selected[q.status == "all"] { (ctx.t("concerns-filter-all")) }
                    }
                }
                div class="field" {
                    label for="concerns-severity" { (ctx.t("concerns-filter-severity")) }
                    select id="concerns-severity" name="severity" {
                        option value="" { (ctx.t("filter-any")) }
                        @for s in Severity::ALL {
                            option value=(code(&s)) selected[q.severity == code(&s)] { (ctx.t(&format!("concerns-severity-{}", code(&s)))) }
                        }
                    }
                }
                div class="field" {
                    label for="concerns-unit" { (ctx.t("filter-unit")) }
                    select id="concerns-unit" name="unit" {
                        option value="" { (ctx.t("filter-any")) }
                        @for u in units {
                            option value=(u) selected[&q.unit == u] { (u) }
                        }
                    }
                }
                (date("from", &q.from, &ctx.t("filter-from")))
                (date("to", &q.to, &ctx.t("filter-to")))
            }
            div class="actions" {
                button type="submit" class="primary" id="concerns-apply" { (ctx.t("filter-apply")) }
                a href=(ctx.url("/concerns")) { (ctx.t("filter-clear")) }
            }
        }
    }
}

fn table(ctx: &Ctx, concerns: &[ConcernLine], today: chrono::NaiveDate) -> Markup {
    html! {
        div class="table-wrap" {
            table class="notes" id="concerns-table" {
                thead {
                    tr {
                        th scope="col" { (ctx.t("concerns-col-stands")) }
                        th scope="col" { (ctx.t("concerns-col-severity")) }
                        th scope="col" { (ctx.t("concerns-col-days")) }
                        th scope="col" { (ctx.t("concerns-col-concern")) }
                        th scope="col" { (ctx.t("col-units")) }
                        th scope="col" { (ctx.t("col-author")) }
                        th scope="col" { (ctx.t("concerns-col-follow-up")) }
                    }
                }
                tbody {
                    @for c in concerns {
                        @let i = c.concern - 1;
                        @let id = &c.note_id;
                        tr class="concern-row" data-status=(code(&c.status)) data-severity=(code(&c.severity)) {
                            td data-label=(ctx.t("concerns-col-stands")) {
                                (ctx.t(&format!("follow-up-{}", code(&c.status))))
                                @if let (Some(by), Some(since)) = (&c.by, c.since) {
                                    br; span class="hint" { (ctx.ta("concerns-stands-by", &[("date", &ctx.lang.long_date(since)), ("by", &by.to_string())])) }
                                } @else if let (FollowUp::Closed, Some(since)) = (c.status, c.since) {
                                    br; span class="hint" { (ctx.ta("concerns-stands-leader", &[("date", &ctx.lang.long_date(since))])) }
                                }
                            }
                            td data-label=(ctx.t("concerns-col-severity")) class={ "severity-" (code(&c.severity)) } {
                                (ctx.t(&format!("severity-{}", code(&c.severity))))
                            }
                            td data-label=(ctx.t("concerns-col-days")) { (ctx.tn("concerns-days", c.days_open(today) as u64)) }
                            td data-label=(ctx.t("concerns-col-concern")) {
                                a class="concern-note" href=(ctx.url(&format!("/notes/{id}#show-concern-{i}"))) {
                                    (ctx.ta("concerns-note-link", &[("number", &c.concern.to_string()), ("date", &ctx.lang.long_date(c.visit_date))]))
                                }
                            }
                            td data-label=(ctx.t("col-units")) { (join_names(ctx, &c.units)) }
                            td data-label=(ctx.t("col-author")) { (c.author) }
                            td data-label=(ctx.t("concerns-col-follow-up")) {
                                a class="concern-follow-up" href=(ctx.url(&format!("/notes/{id}#fu-{i}-form"))) { (ctx.t("concerns-record")) }
                            }
                        }
                    }
                }
            }
        }
    }
}
