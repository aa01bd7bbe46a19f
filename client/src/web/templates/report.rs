//! The report page: the form (period, grouping, language, free text or
//! not), the downloads, and the report itself.

use maud::{html, Markup, PreEscaped};

use super::{field_error, Ctx};
use crate::web::form::Errors;
use crate::web::routes::{ReportQuery, DOWNLOADS};
use visitnotes_core::i18n::Lang;

/// A report to show below the form.
pub struct Shown {
    /// The report's own HTML (`report::html::body`), escaped where it
    /// was made.
    pub body: String,
    /// The language of its labels.
    pub lang: &'static str,
    pub visits: u32,
}

pub fn page(ctx: &Ctx, q: &ReportQuery, errors: &Errors, shown: Option<&Shown>) -> Markup {
    let title = ctx.t("report-title");
    let date = |id: &str, value: &str, label: &str| {
        let error = errors.get(id);
        let field = format!("report-{id}");
        html! {
            div class={ "field" @if error.is_some() { " has-error" } } {
                label for=(field) { (label) }
                input type="text" id=(field) name=(id) value=(value) autocomplete="off" inputmode="numeric"
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=(if error.is_some() { format!("report-dates-hint {field}-error") } else { "report-dates-hint".to_owned() });
                (field_error(&field, error))
            }
        }
    };
    let by = if q.by.is_empty() { "month" } else { q.by.as_str() };
    let lang = Lang::from_tag(&q.lang).unwrap_or(ctx.lang);
    let by_error = errors.get("by");
    let body = html! {
        h1 { (title) }
        p { (ctx.t("report-intro")) }
        form method="get" action=(ctx.url("/report")) class="filters report-form" aria-labelledby="report-form-heading" novalidate {
            h2 id="report-form-heading" class="visually-hidden" { (ctx.t("report-form-heading")) }
            p class="hint" id="report-dates-hint" { (ctx.t("report-dates-hint")) }
            div class="row" {
                (date("from", &q.from, &ctx.t("report-from")))
                (date("to", &q.to, &ctx.t("report-to")))
                div class={ "field" @if by_error.is_some() { " has-error" } } {
                    label for="report-by" { (ctx.t("report-by")) }
                    select id="report-by" name="by" aria-describedby=[by_error.map(|_| "report-by-error")] {
                        @for code in ["month", "quarter", "year"] {
                            option value=(code) selected[by == code] { (ctx.t(&format!("report-by-{code}"))) }
                        }
                    }
                    (field_error("report-by", by_error))
                }
                div class="field" {
                    label for="report-lang" { (ctx.t("report-lang")) }
                    select id="report-lang" name="lang" {
                        @for l in Lang::ALL {
                            option value=(l.tag()) lang=(l.tag()) selected[l == lang] { (l.own_name()) }
                        }
                    }
                }
            }
            div class="choice" {
                input type="checkbox" id="report-text" name="text" value="1" checked[q.include_text()]
                    aria-describedby="report-text-hint";
                label for="report-text" {
                    span class="name" { (ctx.t("report-text")) }
                    span class="hint" id="report-text-hint" { (ctx.t("report-text-hint")) }
                }
            }
            div class="actions" {
                button type="submit" class="primary" id="report-show" { (ctx.t("report-show")) }
            }
        }
        @if let Some(shown) = shown {
            section class="downloads" aria-labelledby="report-downloads-heading" {
                h2 id="report-downloads-heading" { (ctx.t("report-downloads")) }
                @if q.include_text() {
                    p class="warning" { (ctx.t("report-text-warning")) }
                }
                ul class="download-list" {
                    @for (_, code, _, _) in DOWNLOADS {
                        li {
                            a href=(ctx.url(&format!("/report/download?{}&format={code}", q.link_query()))) id=(format!("report-download-{code}")) download {
                                (ctx.t(&format!("report-format-{code}")))
                            }
                        }
                    }
                }
                p class="hint" id="report-csv-layout" {
                    @let separator = if shown.lang == "nb" { "report-separator-semicolon" } else { "report-separator-comma" };
                    (ctx.ta("report-format-csv-layout", &[("separator", &ctx.t(separator))]))
                }
            }
            p class="visually-hidden" role="status" { (ctx.tn("report-shown", u64::from(shown.visits))) }
            article class="report" lang=(shown.lang) id="report" {
                (PreEscaped(&shown.body))
            }
        }
    };
    super::page(ctx, &title, body)
}
