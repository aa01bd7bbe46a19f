//! Dates as people type them: one parser for the flags, the questions and
//! the template, so `27.11.2026` works wherever `2026-11-27` does.

use chrono::{Datelike as _, NaiveDate};

/// The accepted forms, for error messages.
pub const FORMS: &str = "YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY, e.g. 2026-11-27, 27.11.2026 or 27/11/2026";

/// A date that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date: write it as {FORMS}")]
pub struct BadDate(pub String);

/// Reads a date in one of the [`FORMS`].
pub fn parse(text: &str) -> Result<NaiveDate, BadDate> {
    let text = text.trim();
    ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
        .iter()
        // A four-digit year only: chrono's %Y would read "27.11.26" as the year 26.
        .filter_map(|format| {
            NaiveDate::parse_from_str(text, format).ok().filter(|d| (1000..=9999).contains(&d.year_ce().1))
        })
        .next()
        .ok_or_else(|| BadDate(text.to_owned()))
}

/// Today on this machine's calendar: a visit on a Monday evening in
/// Oslo is a Monday visit, whatever UTC says.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_forms_and_nothing_else() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        for text in ["2026-11-27", "27.11.2026", "27/11/2026", " 27.11.2026 "] {
            assert_eq!(parse(text), Ok(day), "{text}");
        }
        for text in ["27.11.26", "11/27/2026", "2026-13-01", "tomorrow", ""] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains("DD.MM.YYYY"), "{text}: {err}");
        }
    }
}
