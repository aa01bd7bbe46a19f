//! CSV: the report's notes, one row per note (the data every table of
//! the report is counted from; the tables themselves are the sheets of
//! the `.xlsx` export); free text only with `--include-text`.
//!
//! A spreadsheet opening the file takes a cell that starts with `=`, `+`,
//! `-` or `@` for a formula, and a leader types some of what lands here
//! (unit names, summaries): a planted formula would run on the
//! coordinator's computer. OWASP's rule against CSV injection, as applied
//! here:
//! - every cell that is not a plain number is quoted (and its quotes
//!   doubled), so that a `,` or `;` in it starts no new cell;
//! - a single quote `'` goes before every cell that could start a formula
//!   ([`neutralise`]), also after leading white space or quotes, which
//!   some spreadsheets skip before looking;
//! - and the same before every part of a cell that follows a `,`, `;`,
//!   tab or line break: a spreadsheet that splits at the other separator
//!   (one set to Norwegian splits at `;`) or reads quotes differently
//!   would make that part a cell of its own.
//!
//! Numbers are counts, never negative: they are written as they are and
//! stay numbers. The JSON export is data, not read as formulas; the HTML
//! and Markdown exports escape typed text their own way.

use super::i18n::{Labels, Lang};
use super::Report;

/// What makes a spreadsheet read a cell as a formula when it comes first:
/// OWASP's `=`, `+`, `-`, `@`, and the full-width forms of these four,
/// which some spreadsheets take for the ASCII ones.
const SIGNS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// Where a spreadsheet may start a new cell inside what was written as one.
const BREAKS: [char; 5] = [',', ';', '\t', '\r', '\n'];

/// Whether a cell (or a part of one) starting with `part` could be read as
/// a formula: it starts with tab, carriage return (OWASP lists both) or NUL
/// (as the ASVS adds), or one of [`SIGNS`] follows any white space, NUL
/// and quotes, which some spreadsheets drop before looking. The same after
/// quotes and spaces alone, which a reader that splits the cell elsewhere
/// may drop too.
fn starts_formula(part: &str) -> bool {
    let unquoted = part.trim_start_matches(|c: char| c == '"' || (c.is_whitespace() && c != '\t' && c != '\r'));
    let bare = unquoted.trim_start_matches(|c: char| c == '"' || c == '\0' || c.is_whitespace());
    unquoted.starts_with(['\t', '\r', '\0']) || bare.starts_with(SIGNS)
}

/// `cell`, with a single quote `'` before it, and after every `,`, `;`,
/// tab and line break in it, where what follows could start a formula
/// (see the module's documentation). Nothing else changes: a cell that
/// cannot start one comes back as it was.
pub fn neutralise(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len() + 1);
    if starts_formula(cell) {
        out.push('\'');
    }
    for (i, c) in cell.char_indices() {
        out.push(c);
        if BREAKS.contains(&c) && starts_formula(&cell[i + c.len_utf8()..]) {
            out.push('\'');
        }
    }
    out
}

/// Starts the file: Excel reads a CSV without it as the computer's old
/// code page, and shows æøå garbled.
pub const BOM: char = '\u{feff}';

/// The cell separator: a comma in English; a semicolon in Norwegian, as a
/// spreadsheet set to Norwegian expects (the comma is its decimal sign).
pub fn delimiter(labels: &Labels) -> u8 {
    match labels.language() {
        Lang::En => b',',
        Lang::Nb => b';',
    }
}

/// The notes of the report, one row per note, in the report's language:
/// headers and names of activities, themes and severities as the report
/// shows them, visit dates as YYYY-MM-DD (which spreadsheets read as dates
/// in every language), counts as plain numbers. Lists in a cell are joined
/// by "; ". The file starts with a byte-order mark (UTF-8).
/// The headers of the table of notes (the CSV, and the notes sheet of the
/// workbook), in the report's language; the summary only when the report
/// includes free text.
pub(super) fn note_columns(r: &Report, l: &Labels) -> Vec<String> {
    let mut names = vec![
        "note",
        "visit-date",
        "units",
        "volunteers",
        "people-met",
        "activities",
        "themes",
        "concerns",
        "max-severity",
        "tracing-requests",
    ];
    if r.include_text {
        names.push("summary");
    }
    names.into_iter().map(|name| l.column(name)).collect()
}

pub fn render(r: &Report, l: &Labels) -> String {
    // Quotes around every cell that does not parse as a number.
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter(l))
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(Vec::new());
    let header = note_columns(r, l);
    writer.write_record(header.iter().map(|cell| neutralise(cell))).expect("writing to memory");
    for n in &r.notes {
        let mut row = vec![
            n.note_id.clone(),
            n.date.to_string(),
            n.units.join("; "),
            n.volunteers.to_string(),
            n.people_met.to_string(),
            n.activities.iter().map(|a| l.activity(*a)).collect::<Vec<_>>().join("; "),
            n.themes.iter().map(|t| l.theme(*t)).collect::<Vec<_>>().join("; "),
            n.concerns.to_string(),
            n.max_severity.map(|s| l.severity(s).to_owned()).unwrap_or_default(),
            n.tracing_requests.to_string(),
        ];
        if let Some(summary) = &n.summary {
            row.push(summary.clone());
        }
        writer.write_record(row.iter().map(|cell| neutralise(cell))).expect("writing to memory");
    }
    let body = String::from_utf8(writer.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 fields");
    format!("{BOM}{body}")
}
