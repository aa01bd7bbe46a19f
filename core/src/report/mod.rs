//! Reports for the humanitarian dialogue and the yearly report, computed on
//! the coordinator's device from decrypted notes; nothing goes to the
//! server. Free text (summaries, concern descriptions, tracing notes) is
//! left out unless asked for, so a report can be shared without quoting
//! anyone. Notes that failed verification are never counted: they are
//! listed as excluded.

pub mod aggregate;
pub mod csv;
pub mod format;
pub mod html;
pub mod i18n;
pub mod markdown;
pub mod svg;
pub mod xlsx;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::i18n::{Lang, Msg};
use crate::ops::rejection::Rejection;

pub use aggregate::{aggregate, aggregate_with, Report};
pub use format::{Format, FormatError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
    Year,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Month, Period::Quarter, Period::Year];

    /// The serde name: `quarter` (`--by`'s value).
    pub const fn as_str(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// The label of the period that holds `date`: 2026-09, 2026-Q3, 2026.
    pub fn label(self, date: NaiveDate) -> String {
        match self {
            Period::Month => format!("{}-{:02}", date.year(), date.month()),
            Period::Quarter => format!("{}-Q{}", date.year(), (date.month() - 1) / 3 + 1),
            Period::Year => date.year().to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Period,
    pub include_text: bool,
}

/// A note that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub note_id: String,
    /// As JSON, in the words of the English catalogue.
    #[serde(serialize_with = "in_english")]
    pub reason: Exclusion,
}

/// Why a note was left out of a report, worded in the report's language
/// (`i18n::Labels::exclusion`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    /// It failed verification; `detail` is the reason this device
    /// recorded when it refused it (the verifier's words).
    Rejected { detail: Option<String> },
    /// A coordinator's follow-up record that failed verification, not used.
    FollowUpRejected { detail: Option<String> },
    /// Not encrypted to this device (written before it joined).
    NotAddressed,
    /// A coordinator's follow-up record not encrypted to this device, not
    /// used.
    FollowUpNotAddressed,
}

impl Exclusion {
    /// The reason as a message of the catalogues (`report-excluded-*`).
    pub fn msg(&self) -> Msg {
        match self {
            Exclusion::Rejected { detail: Some(detail) } => {
                Msg::new("report-excluded-rejected").arg("detail", Rejection::read(detail).arg())
            }
            Exclusion::Rejected { detail: None } => Msg::new("report-excluded-rejected-unexplained"),
            Exclusion::FollowUpRejected { detail } => {
                let detail = match detail {
                    Some(detail) => Rejection::read(detail).arg(),
                    None => Msg::new("alert-no-reason").into(),
                };
                Msg::new("report-excluded-follow-up-rejected").arg("detail", detail)
            }
            Exclusion::NotAddressed => Msg::new("report-excluded-not-addressed"),
            Exclusion::FollowUpNotAddressed => Msg::new("report-excluded-follow-up-not-addressed"),
        }
    }
}

/// An alert that was open on the device when the report was made
/// (`ops::alerts`): what happened and what to do, worded in the report's
/// language (`i18n::Labels::unresolved`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct Unresolved {
    pub what: Msg,
    pub todo: Msg,
}

impl Unresolved {
    /// One line: what happened, then what to do (as `visitnotes alerts`
    /// words an alert).
    pub fn line(&self, lang: Lang) -> String {
        format!("{} {}", self.what.render(lang), self.todo.render(lang))
    }
}

/// As JSON, the line in English.
impl From<Unresolved> for String {
    fn from(unresolved: Unresolved) -> String {
        unresolved.line(Lang::En)
    }
}

fn in_english<S: serde::Serializer>(why: &Exclusion, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&why.msg().render(Lang::En))
}

/// Renders `report` in a text `format` with `lang`'s labels; `None` for
/// the Excel workbook, which is bytes (`render_bytes`).
pub fn render_text(report: &Report, format: Format, lang: i18n::Lang) -> Option<String> {
    let labels = lang.labels();
    Some(match format {
        Format::Markdown => markdown::render(report, labels),
        Format::Html => html::render(report, labels),
        Format::Csv => csv::render(report, labels),
        Format::Json => serde_json::to_string_pretty(report).expect("a report serialises") + "\n",
        Format::Xlsx => return None,
    })
}

/// Renders `report` in a text format with `lang`'s labels (the tests' and
/// previews' shorthand; the Excel workbook gives the bytes' lossy text).
pub fn render(report: &Report, format: Format, lang: i18n::Lang) -> String {
    match render_text(report, format, lang) {
        Some(text) => text,
        None => String::from_utf8_lossy(&render_bytes(report, format, lang).unwrap_or_default()).into_owned(),
    }
}

/// The report in `format` as the file's bytes, what the doors save.
pub fn render_bytes(report: &Report, format: Format, lang: i18n::Lang) -> Result<Vec<u8>, XlsxFailed> {
    match render_text(report, format, lang) {
        Some(text) => Ok(text.into_bytes()),
        None => xlsx::render(report, lang.labels()).map_err(XlsxFailed),
    }
}

/// The Excel workbook could not be written (a limit of the format, such as
/// a cell longer than Excel takes).
#[derive(Debug, thiserror::Error)]
#[error("the Excel workbook could not be made: save the report in another format")]
pub struct XlsxFailed(#[source] pub rust_xlsxwriter::XlsxError);

#[cfg(test)]
mod tests;
#[cfg(test)]
mod typed_text_tests;
