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

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

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
    pub reason: String,
}

/// Renders `report` in `format` with `lang`'s labels.
pub fn render(report: &Report, format: Format, lang: i18n::Lang) -> String {
    let labels = lang.labels();
    match format {
        Format::Markdown => markdown::render(report, labels),
        Format::Html => html::render(report, labels),
        Format::Csv => csv::render(report, labels),
        Format::Json => serde_json::to_string_pretty(report).expect("a report serialises") + "\n",
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod typed_text_tests;
