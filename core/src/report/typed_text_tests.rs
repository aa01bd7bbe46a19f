//! What a leader types cannot take over an export: no cell of the CSV can
//! start a formula, and nothing typed adds structure (a heading, a list, a
//! table row or column, a link, HTML) to the Markdown. Checked by
//! property over any text, and case by case.

use chrono::NaiveDate;
use proptest::prelude::*;
use pulldown_cmark::{Event, Options as Md, Parser};
use visitnotes_shared::note::{Theme, TracingRequests, VisitNote};

use super::i18n::Lang;
use super::*;
use crate::i18n::Msg;

/// How many typed values `report_with` places.
const TYPED: usize = 8;

/// A report over two notes in which every value a person types is one of
/// `typed`: two units, the summary (of a visit with a positive change, so
/// listed twice), the tracing note, the concern's description, and the
/// reason a note was left out and an alert line (which name people).
fn report_with(typed: &[String; TYPED]) -> Report {
    let mut first = crate::samples::sample_notes().remove(1);
    first.units = vec![typed[0].clone(), typed[1].clone()];
    first.summary = typed[2].clone();
    first.tracing_requests = TracingRequests { count: 1, note: typed[3].clone() };
    first.concerns[0].description = typed[4].clone();
    first.themes.push(Theme::PositiveChange);
    let mut second: VisitNote = first.clone();
    second.units = vec![typed[1].clone()];
    second.summary = typed[5].clone();
    let notes = vec![("note-1".to_owned(), first), ("note-2".to_owned(), second)];
    let day = |d| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
    let options = Options { from: day(1), to: day(30), by: Period::Month, include_text: true };
    let excluded =
        vec![Excluded { note_id: "0badc0de".into(), reason: Exclusion::Rejected { detail: Some(typed[6].clone()) } }];
    let mut report = aggregate(&notes, excluded, &options);
    // An alert naming a person as they were typed into the roster.
    let person = typed[7].as_str();
    report.integrity = vec![Unresolved {
        what: Msg::new("alert-gap").arg("n", 1u64).arg("person", person).arg("numbers", "3"),
        todo: Msg::new("alert-gap-todo").arg("person", person),
    }];
    report
}

/// Text that tries everything: the characters that mean something to a
/// spreadsheet, to CSV or to Markdown, white space and line breaks, and
/// anything else.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => prop::sample::select(vec![
            "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "\0", " ", "  ", "    ", ",", ";", "\"", "'", "|", "#",
            ">", "*", "_", "~", "`", "```", "[", "]", "(", ")", "!", "<", "&", "$", "\\", ":", "1.", "2)", "---",
            "===", "＝", "＠", "a", "x y", "http://e.example", "[x](http://e.example)", "![i](x.png)", "<b>",
            "&lt;", "&#124;", "[^1]", "[ ]", "| a | b |", "|---|---|", "# h", "> q", "- i", "=1+1", "@SUM(A1)",
            "-2+3", "=HYPERLINK(\"http://e.example\")",
        ])
        .prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop::collection::vec(pieces, 0..8).prop_map(|p| p.concat())
}

fn typed_values() -> impl Strategy<Value = [String; TYPED]> {
    prop::array::uniform8(hostile())
}

// ---- CSV ----

/// Whether a spreadsheet could read `cell` as a formula: it starts with
/// tab, carriage return or NUL, or with `=`, `+`, `-`, `@` (or their
/// full-width forms) after any white space and quotes.
fn formula_like(cell: &str) -> bool {
    cell.starts_with(['\t', '\r', '\0'])
        || cell
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\0' || c == '"')
            .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
}

/// Every cell of `csv` as a CSV reader splitting at `delimiter` reads it.
fn cells(csv: &str, delimiter: u8) -> Vec<Vec<String>> {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Every cell of `csv` as a program that ignores quotes reads it, splitting
/// at any of `,`, `;`, tab and line breaks.
fn naive_cells(csv: &str) -> Vec<&str> {
    csv.split([',', ';', '\t', '\r', '\n']).collect()
}

fn assert_no_formula(csv: &str) {
    for (how, row) in cells(csv, b',').into_iter().chain(cells(csv, b';')).enumerate() {
        for cell in row {
            assert!(!formula_like(&cell), "{how}: {cell:?} in\n{csv}");
        }
    }
    for cell in naive_cells(csv) {
        assert!(!formula_like(cell), "split without quotes: {cell:?} in\n{csv}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Whatever is typed, no cell starts a formula however the file is
    /// split, each note stays one row of eleven cells, the counts stay
    /// numbers and the text reads as typed (a `'` added at most).
    #[test]
    fn no_typed_text_starts_a_formula_in_any_csv_cell(typed in typed_values()) {
        let report = report_with(&typed);
        let csv = render(&report, Format::Csv, Lang::En);
        assert_no_formula(&csv);
        let rows = cells(&csv, b',');
        prop_assert_eq!(rows.len(), 1 + report.notes.len());
        for (row, note) in rows[1..].iter().zip(&report.notes) {
            prop_assert_eq!(row.len(), 11);
            prop_assert_eq!(&row[0], &note.note_id);
            for (at, count) in [(3, note.volunteers), (4, note.people_met), (7, note.concerns), (9, note.tracing_requests)] {
                prop_assert_eq!(row[at].parse::<u32>().ok(), Some(count));
            }
            let unquote = |s: &str| s.replace('\'', "");
            prop_assert_eq!(unquote(&row[2]), unquote(&note.units.join("; ")));
            prop_assert_eq!(unquote(&row[10]), unquote(note.summary.as_deref().unwrap()));
        }
    }

    /// Whatever is typed, the Markdown has the structure of the same report
    /// with plain words typed, and shows each value as typed (on one line).
    #[test]
    fn no_typed_text_adds_structure_to_the_markdown(typed in typed_values()) {
        let plain = plain_like(&typed);
        for lang in [Lang::En, Lang::Nb] {
            let md = render(&report_with(&typed), Format::Markdown, lang);
            let expected = render(&report_with(&plain), Format::Markdown, lang);
            prop_assert_eq!(structure(&md), structure(&expected), "{}", md);
            let shown = shown_text(&md);
            for value in &typed {
                let one_line = as_shown(value);
                prop_assert!(shown.contains(&one_line), "{:?} not shown as typed in\n{}", one_line, md);
            }
        }
    }
}

#[test]
fn the_csv_neutraliser_by_example() {
    use super::csv::neutralise;
    for (typed, written) in [
        ("=1+1", "'=1+1"),
        ("+47 22 00 00 00", "'+47 22 00 00 00"),
        ("-2", "'-2"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t'=1"),
        ("\rx", "'\rx"),
        ("  =1", "'  =1"),
        ("\"=1\"", "'\"=1\""),
        ("＝1", "'＝1"),
        ("Men's unit A", "Men's unit A"),
        ("Unit A;=HYPERLINK(\"x\")", "Unit A;'=HYPERLINK(\"x\")"),
        ("fine, -3 degrees", "fine,' -3 degrees"),
        ("line one\n@two", "line one\n'@two"),
        ("a-b=c", "a-b=c"),
        ("2026-09-03", "2026-09-03"),
        ("14", "14"),
        ("", ""),
    ] {
        assert_eq!(neutralise(typed), written, "{typed:?}");
    }
}

#[test]
fn csv_counts_are_unquoted_numbers_and_text_is_quoted() {
    let notes = crate::samples::sample_notes().into_iter().enumerate().map(|(i, n)| (format!("note-{i}"), n));
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let options = Options { from: day(9, 1), to: day(10, 31), by: Period::Month, include_text: true };
    let csv = render(&aggregate(&notes.collect::<Vec<_>>(), vec![], &options), Format::Csv, Lang::En);
    let first = csv.lines().nth(1).unwrap();
    assert!(
        first.starts_with("\"note-0\",\"2026-09-03\",\"Men's unit A\",4,14,\"Conversation; Bingo\",")
            && first.contains(",0,\"\",1,\"Bingo in the common room; several"),
        "{first}"
    );
}

// ---- Markdown ----

/// Every typed value replaced by a word that means nothing to Markdown,
/// keeping which values are equal, which are empty and which show as
/// nothing (blank).
fn plain_like(typed: &[String; TYPED]) -> [String; TYPED] {
    std::array::from_fn(|i| {
        let first = typed.iter().position(|t| t == &typed[i]).unwrap();
        if typed[i].is_empty() {
            // Left out where empty text is (a tracing note, a summary).
            String::new()
        } else if as_shown(&typed[i]).is_empty() {
            " ".repeat(first + 1)
        } else {
            format!("value{first}")
        }
    })
}

/// `typed` as a reader sees it: on one line, without white space around it
/// (and NUL replaced, as CommonMark says).
fn as_shown(typed: &str) -> String {
    let one_line = typed.split(['\r', '\n']).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    one_line.trim().replace('\0', "\u{FFFD}")
}

/// What a renderer supporting GitHub's Markdown (and maths) makes of it.
fn parse(md: &str) -> Parser<'_> {
    let options = Md::ENABLE_TABLES
        | Md::ENABLE_STRIKETHROUGH
        | Md::ENABLE_TASKLISTS
        | Md::ENABLE_FOOTNOTES
        | Md::ENABLE_GFM
        | Md::ENABLE_MATH;
    Parser::new_ext(md, options)
}

/// Everything but the text: each block, table row and cell, list item,
/// link, image, piece of HTML, code, emphasis, line break.
fn structure(md: &str) -> Vec<String> {
    parse(md)
        .filter(|e| !matches!(e, Event::Text(_)))
        .map(|e| match e {
            // Only what kind of code or HTML, not what it says.
            Event::Code(_) => "code".to_owned(),
            Event::Html(_) | Event::InlineHtml(_) => "html".to_owned(),
            other => format!("{other:?}"),
        })
        .collect()
}

/// The text of each cell, item, heading and paragraph, one per line.
fn shown_text(md: &str) -> String {
    let mut out = String::new();
    for event in parse(md) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::End(_) => out.push('\n'),
            _ => {}
        }
    }
    out
}

#[test]
fn the_markdown_escaper_by_example() {
    use super::markdown::text;
    for (typed, written) in [
        ("# Not a heading", "\\# Not a heading"),
        ("> not a quote", "\\> not a quote"),
        ("- not an item", "\\- not an item"),
        ("+ nor this", "\\+ nor this"),
        ("* nor this", "\\* nor this"),
        ("12. not numbered", "12\\. not numbered"),
        ("3) nor this", "3\\) nor this"),
        ("`code`", "\\`code\\`"),
        ("[a link](http://e.example)", "\\[a link\\](http://e.example)"),
        ("![an image](x.png)", "!\\[an image\\](x.png)"),
        ("<script>", "\\<script>"),
        ("a | b", "a \\| b"),
        ("*bold* _it_ ~~s~~", "\\*bold\\* \\_it\\_ \\~\\~s\\~\\~"),
        ("two\nlines\r\nthree", "two lines three"),
        ("back\\slash", "back\\\\slash"),
        ("&lt; $x$", "\\&lt; \\$x\\$"),
        ("    indented", "indented"),
        ("Men's unit A (north), 2nd floor - east", "Men's unit A (north), 2nd floor - east"),
        ("2026 was fine. 1. and 2.", "2026 was fine. 1. and 2."),
    ] {
        assert_eq!(text(typed), written, "{typed:?}");
    }
}

#[test]
fn a_blank_tracing_note_or_summary_does_not_make_a_heading() {
    let mut typed: [String; TYPED] = std::array::from_fn(|i| format!("value{i}"));
    typed[2] = "  ".into();
    typed[3] = "\n".into();
    let md = render(&report_with(&typed), Format::Markdown, Lang::En);
    let headings = |md: &str| structure(md).iter().filter(|e| e.starts_with("Start(Heading")).count();
    let plain: [String; TYPED] = std::array::from_fn(|i| format!("value{i}"));
    assert_eq!(headings(&md), headings(&render(&report_with(&plain), Format::Markdown, Lang::En)), "{md}");
}
