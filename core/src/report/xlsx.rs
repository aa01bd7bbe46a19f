//! The report as an Excel workbook (`.xlsx`): one sheet per table of the
//! report, in the report's language (sheet names and headers from the
//! same labels as the HTML), counts as numbers, shares as percentages and
//! dates as dates, so that a spreadsheet sorts and sums them as they are.
//!
//! Text is written as text cells, never as formulas: a unit name or a
//! summary that starts with `=` stays the text typed.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::i18n::Labels;
use super::Report;

/// One cell of a sheet.
enum Cell {
    Text(String),
    Number(f64),
    /// A share of 1, shown as a percentage.
    Share(f64),
    Date(chrono::NaiveDate),
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Number(f64::from(n))
    }
}

/// A sheet: its name, its header row, its rows.
struct Sheet {
    name: String,
    head: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

fn sheet(name: &str, head: &[&str], rows: Vec<Vec<Cell>>) -> Sheet {
    Sheet { name: name.to_owned(), head: head.iter().map(|h| (*h).to_owned()).collect(), rows }
}

/// The sheets of the report, in the order the report shows its tables.
fn sheets(r: &Report, l: &Labels) -> Vec<Sheet> {
    let mut out = vec![
        sheet(
            l.totals,
            &[l.figure, l.count],
            vec![
                vec![l.visits.into(), r.totals.visits.into()],
                vec![l.volunteers.into(), r.totals.volunteers.into()],
                vec![l.people_met.into(), r.totals.people_met.into()],
                vec![l.shared_events.into(), r.totals.shared_events.into()],
            ],
        ),
        sheet(
            l.visits_per_period,
            &[l.period, l.visits],
            r.periods.iter().map(|p| vec![l.period_name(&p.label).into(), p.visits.into()]).collect(),
        ),
        sheet(
            l.units,
            &[l.unit, l.visits],
            r.units.iter().map(|u| vec![u.unit.as_str().into(), u.visits.into()]).collect(),
        ),
        sheet(
            l.activities,
            &[l.activity, l.visits],
            r.activities.iter().map(|a| vec![l.activity(a.activity).into(), a.visits.into()]).collect(),
        ),
        sheet(
            l.themes,
            &[l.theme, l.visits, l.share],
            r.themes.iter().map(|t| vec![l.theme(t.theme).into(), t.visits.into(), Cell::Share(t.share)]).collect(),
        ),
    ];
    let mut head = vec![l.period, l.visits];
    head.extend(r.themes.iter().map(|t| l.theme(t.theme)));
    out.push(sheet(
        l.themes_over_time,
        &head,
        r.periods
            .iter()
            .map(|p| {
                let mut row: Vec<Cell> = vec![l.period_name(&p.label).into(), p.visits.into()];
                row.extend(r.themes.iter().map(|t| p.themes.get(&t.theme).copied().unwrap_or(0).into()));
                row
            })
            .collect(),
    ));
    let c = &r.concerns;
    out.push(sheet(
        l.concerns_by_severity,
        &[l.severity, l.count],
        c.by_severity.iter().rev().map(|(s, n)| vec![l.severity(*s).into(), (*n).into()]).collect(),
    ));
    out.push(sheet(
        l.by_status,
        &[l.status, l.count],
        c.by_status.iter().map(|(s, n)| vec![l.follow_up(*s).into(), (*n).into()]).collect(),
    ));
    let mut head = vec![l.severity, l.date, l.unit, l.status, l.last_follow_up];
    if r.include_text {
        head.push(l.description);
    }
    out.push(sheet(
        l.open_concerns,
        &head,
        c.open
            .iter()
            .map(|o| {
                let mut row = vec![
                    l.severity(o.severity).into(),
                    Cell::Date(o.date),
                    o.units.join(", ").into(),
                    l.follow_up(o.status).into(),
                    o.last_follow_up.map_or(Cell::Empty, Cell::Date),
                ];
                if let Some(text) = &o.description {
                    row.push(text.as_str().into());
                }
                row
            })
            .collect(),
    ));
    out.push(Sheet {
        name: l.column("notes-sheet"),
        head: super::csv::note_columns(r, l),
        rows: r
            .notes
            .iter()
            .map(|n| {
                let mut row = vec![
                    n.note_id.as_str().into(),
                    Cell::Date(n.date),
                    n.units.join("; ").into(),
                    n.volunteers.into(),
                    n.people_met.into(),
                    n.activities.iter().map(|a| l.activity(*a)).collect::<Vec<_>>().join("; ").into(),
                    n.themes.iter().map(|t| l.theme(*t)).collect::<Vec<_>>().join("; ").into(),
                    n.concerns.into(),
                    n.max_severity.map_or(Cell::Empty, |s| l.severity(s).into()),
                    n.tracing_requests.into(),
                ];
                if let Some(summary) = &n.summary {
                    row.push(summary.as_str().into());
                }
                row
            })
            .collect(),
    });
    if !r.excluded.is_empty() {
        out.push(sheet(
            l.excluded,
            &[l.column("note").as_str(), l.excluded],
            r.excluded.iter().map(|e| vec![e.note_id.as_str().into(), l.exclusion(&e.reason).into()]).collect(),
        ));
    }
    if !r.integrity.is_empty() {
        out.push(sheet(
            l.integrity,
            &[l.integrity],
            r.integrity.iter().map(|a| vec![l.unresolved(a).into()]).collect(),
        ));
    }
    out
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`,
/// and not the name of a sheet before it.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).take(31).collect();
    let mut candidate = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        let suffix = format!(" {n}");
        candidate = clean.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        n += 1;
    }
    candidate
}

fn write_sheet(ws: &mut Worksheet, s: &Sheet, bold: &Format, date: &Format, share: &Format) -> Result<(), XlsxError> {
    for (col, h) in s.head.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, h, bold)?;
    }
    for (i, row) in s.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(text) => {
                    ws.write_string(r, col, text)?;
                }
                Cell::Number(n) => {
                    ws.write_number(r, col, *n)?;
                }
                Cell::Share(x) => {
                    ws.write_number_with_format(r, col, *x, share)?;
                }
                Cell::Date(d) => {
                    use chrono::Datelike as _;
                    let day = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, col, &day, date)?;
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    Ok(())
}

/// The workbook's bytes.
pub fn render(r: &Report, l: &Labels) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format(l.column("date-format"));
    let share = Format::new().set_num_format("0%");
    let mut taken = Vec::new();
    for s in sheets(r, l) {
        let name = sheet_name(&s.name, &taken);
        let ws = book.add_worksheet();
        ws.set_name(&name)?;
        write_sheet(ws, &s, &bold, &date, &share)?;
        taken.push(name);
    }
    book.save_to_buffer()
}
