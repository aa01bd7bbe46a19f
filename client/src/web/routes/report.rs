//! The coordinator's report page: the options of `visitnotes report` in a
//! GET form, the report shown in the page (the report's own HTML, its
//! style from the app's style sheet), and each export format as a
//! download. The report is built by `ops::report`, as the command builds it.

use actix_web::web::{Data, Query};
use actix_web::HttpRequest;

use super::{ctx, error_words, html, html_status, with_roles, with_session, Reply};
use crate::web::form::Errors;
use crate::web::templates::{pages, report as template};
use crate::web::AppState;
use visitnotes_core::i18n::Lang;
use visitnotes_core::ops;
use visitnotes_core::report::{Format, Options, Period};

/// The report form as typed (kept as typed when it is refused).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    /// month, quarter or year.
    pub by: String,
    /// en or nb: the report's labels.
    pub lang: String,
    /// "1" when the free text is included.
    pub text: String,
    /// The download's format: markdown, html, csv or json.
    pub format: String,
}

impl ReportQuery {
    /// Whether the form was sent (else the page shows it with defaults).
    pub fn sent(&self) -> bool {
        !self.from.is_empty() || !self.to.is_empty()
    }

    /// The query of this report, for the download links (without `format`).
    pub fn link_query(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("from", &self.from), ("to", &self.to), ("by", &self.by), ("lang", &self.lang)] {
            out.append_pair(k, v.trim());
        }
        if self.include_text() {
            out.append_pair("text", "1");
        }
        out.finish()
    }

    pub fn include_text(&self) -> bool {
        !self.text.is_empty()
    }
}

/// The formats offered for download, with their file extension and type.
pub const DOWNLOADS: [(Format, &str, &str, &str); 5] = [
    (Format::Html, "html", "html", "text/html; charset=utf-8"),
    (Format::Markdown, "markdown", "md", "text/markdown; charset=utf-8"),
    (Format::Csv, "csv", "csv", "text/csv; charset=utf-8"),
    (Format::Xlsx, "xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (Format::Json, "json", "json", "application/json"),
];

/// The grouping the form names (by its code); month when none is given.
fn period(code: &str) -> Option<Period> {
    match code {
        "" => Some(Period::Month),
        code => visitnotes_core::vocabulary::from_code(code),
    }
}

/// The report's language: the one chosen, else the page's.
fn report_lang(code: &str, page: Lang) -> Lang {
    Lang::from_tag(code).unwrap_or(page)
}

/// The options of `visitnotes report` the form asks for, or an error per
/// field: two dates and a grouping read here, and the period checked by
/// `ops::report::options`, as for the command.
pub fn options(q: &ReportQuery, lang: Lang) -> Result<Options, Errors> {
    let mut errors = Errors::new();
    let (from, to) = crate::web::form::period(&q.from, &q.to, Some("report-error"), lang, &mut errors);
    let by = period(q.by.trim());
    if by.is_none() {
        errors.insert("by".to_owned(), lang.t("report-error-by"));
    }
    let (Some(from), Some(to), Some(by)) = (from, to, by) else { return Err(errors) };
    match ops::report::options(from, to, by, q.include_text()) {
        Ok(options) if errors.is_empty() => Ok(options),
        Ok(_) => Err(errors),
        Err(ops::report::OptionsError::EndsBeforeStart { .. }) => {
            errors.insert("to".to_owned(), lang.t("filter-error-order"));
            Err(errors)
        }
    }
}

/// The options from the form, or the form again (422) with each mistake
/// at its field and what was typed.
fn options_or_form(ctx: &crate::web::templates::Ctx, query: &ReportQuery) -> Result<Options, Reply> {
    options(query, ctx.lang).map_err(|errors| {
        html_status(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, template::page(ctx, query, &errors, None))
    })
}

/// `/report`: the form; once sent, the report below it with its downloads.
pub async fn page(state: Data<AppState>, req: HttpRequest, query: Query<ReportQuery>) -> Reply {
    let ctx = ctx(&state, &req);
    let mut query = query.into_inner();
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        if !query.sent() {
            // A first look: this year so far, by month, in the page's language.
            let today = visitnotes_core::dates::today();
            let first = chrono::NaiveDate::from_yo_opt(chrono::Datelike::year(&today), 1).unwrap_or(today);
            query.from = ctx.lang.input_date(first);
            query.to = ctx.lang.input_date(today);
            query.by = "month".into();
            query.lang = ctx.lang.tag().into();
            return html(template::page(&ctx, &query, &Errors::new(), None));
        }
        let options = match options_or_form(&ctx, &query) {
            Ok(options) => options,
            Err(form) => return form,
        };
        match visitnotes_core::ops::report::build(session, &options) {
            Ok(report) => {
                let labels = report_lang(&query.lang, ctx.lang).labels();
                let shown = template::Shown {
                    body: visitnotes_core::report::html::body(&report, labels),
                    lang: labels.lang,
                    visits: report.totals.visits,
                };
                html(template::page(&ctx, &query, &Errors::new(), Some(&shown)))
            }
            Err(e) => html(pages::error(&ctx, &error_words(ctx.lang, &e))),
        }
    })
    .await
}

/// `/report/download?...&format=`: the report as a file to save.
pub async fn download(state: Data<AppState>, req: HttpRequest, query: Query<ReportQuery>) -> Reply {
    let ctx = ctx(&state, &req);
    let query = query.into_inner();
    with_session(&state, move |session| {
        let ctx = with_roles(ctx, session);
        let Some(&(format, _, extension, content_type)) = DOWNLOADS.iter().find(|d| d.1 == query.format) else {
            return html_status(
                actix_web::http::StatusCode::NOT_FOUND,
                pages::error(&ctx, &ctx.t("report-error-format")),
            );
        };
        let options = match options_or_form(&ctx, &query) {
            Ok(options) => options,
            Err(form) => return form,
        };
        let report = match visitnotes_core::ops::report::build(session, &options) {
            Ok(report) => report,
            Err(e) => return html(pages::error(&ctx, &error_words(ctx.lang, &e))),
        };
        match visitnotes_core::report::render_bytes(&report, format, report_lang(&query.lang, ctx.lang)) {
            Ok(body) => Reply::Download {
                name: format!("visit-report-{}-{}.{extension}", options.from, options.to),
                content_type,
                body,
            },
            Err(_) => html(pages::error(&ctx, &ctx.t("report-error-xlsx"))),
        }
    })
    .await
}
