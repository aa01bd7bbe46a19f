//! Reports over the demo's fixed notes, checked against figures computed by hand.

use chrono::NaiveDate;
use visitnotes_shared::note::{Activity, FollowUp, Severity, Theme};

use super::aggregate::{ActivityCount, UnitCount};
use super::i18n::Lang;
use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn notes() -> Vec<(String, visitnotes_shared::VisitNote)> {
    crate::samples::sample_notes().into_iter().enumerate().map(|(i, n)| (format!("note-{i}"), n)).collect()
}

fn options(include_text: bool) -> Options {
    Options { from: date(2026, 9, 1), to: date(2026, 10, 31), by: Period::Month, include_text }
}

fn excluded() -> Vec<Excluded> {
    vec![Excluded { note_id: "0badc0de".into(), reason: "the note's signature does not verify".into() }]
}

#[test]
fn figures_match_a_hand_count() {
    let r = aggregate(&notes(), vec![], &options(false));
    assert_eq!((r.totals.visits, r.totals.volunteers, r.totals.people_met, r.totals.shared_events), (4, 14, 44, 1));
    let unit = |u: &str, visits| UnitCount { unit: u.into(), visits };
    assert_eq!(
        r.units,
        vec![unit("Men's unit A", 2), unit("Men's unit B", 1), unit("Security unit", 1), unit("Women's unit", 1)]
    );
    let act = |activity, visits| ActivityCount { activity, visits };
    assert_eq!(
        r.activities,
        vec![
            act(Activity::Conversation, 3),
            act(Activity::Games, 1),
            act(Activity::Sports, 1),
            act(Activity::Bingo, 1),
            act(Activity::SharedEvent, 1)
        ]
    );
    assert_eq!(r.themes.len(), 10);
    assert!(r.themes.iter().all(|t| t.visits == 1 && (t.share - 0.25).abs() < 1e-9));
    let periods: Vec<(&str, u32)> = r.periods.iter().map(|p| (p.label.as_str(), p.visits)).collect();
    assert_eq!(periods, vec![("2026-09", 2), ("2026-10", 2)]);
    assert_eq!(r.periods[1].themes.get(&Theme::LockIn), Some(&1));

    let c = &r.concerns;
    assert_eq!(c.total, 2);
    assert_eq!(c.by_severity.get(&Severity::High), Some(&1));
    assert_eq!(c.by_severity.get(&Severity::Urgent), Some(&1));
    assert_eq!(c.by_status.get(&FollowUp::InProgress), Some(&1));
    assert_eq!(c.by_status.get(&FollowUp::Closed), Some(&1));
    assert_eq!((c.days_to_report.count, c.days_to_report.median, c.days_to_report.max), (2, Some(0.0), Some(0)));
    assert_eq!((c.days_to_closure.count, c.days_to_closure.median, c.days_to_closure.max), (1, Some(1.0), Some(1)));
    assert_eq!(c.open.len(), 1);
    assert_eq!((c.open[0].severity, c.open[0].date), (Severity::High, date(2026, 9, 17)));
    assert_eq!(c.open[0].description, None, "no free text unless asked");
    assert_eq!((r.tracing.requests, r.tracing.visits_with_requests), (1, 1));
    assert!(r.tracing.notes.is_empty());
    assert_eq!(r.positive.visits, 1);
    assert!(r.notes.iter().all(|n| n.summary.is_none()));
}

#[test]
fn periods_and_the_date_range() {
    let quarter = aggregate(&notes(), vec![], &Options { by: Period::Quarter, ..options(false) });
    let labels: Vec<(&str, u32)> = quarter.periods.iter().map(|p| (p.label.as_str(), p.visits)).collect();
    assert_eq!(labels, vec![("2026-Q3", 2), ("2026-Q4", 2)]);
    let september = aggregate(&notes(), vec![], &Options { to: date(2026, 9, 30), ..options(false) });
    assert_eq!(september.totals.visits, 2);
    assert_eq!(september.concerns.total, 1);
    let empty = aggregate(&[], vec![], &options(false));
    assert_eq!(empty.totals.visits, 0);
    assert_eq!(empty.periods.len(), 2, "empty periods are still listed");
}

#[test]
fn free_text_only_when_asked() {
    let plain = aggregate(&notes(), excluded(), &options(false));
    let with_text = aggregate(&notes(), excluded(), &options(true));
    let secret = "has not slept for days";
    for format in [Format::Markdown, Format::Html, Format::Csv, Format::Json] {
        assert!(!render(&plain, format, Lang::En).contains(secret), "{format:?} without --include-text");
    }
    assert!(render(&with_text, Format::Markdown, Lang::En).contains(secret));
    assert!(render(&with_text, Format::Csv, Lang::En).contains("Bingo in the common room"));
}

#[test]
fn markdown_snapshot() {
    let r = aggregate(&notes(), excluded(), &options(false));
    insta::assert_snapshot!("markdown_en", render(&r, Format::Markdown, Lang::En));
    insta::assert_snapshot!("markdown_nb", render(&r, Format::Markdown, Lang::Nb));
}

#[test]
fn csv_snapshot() {
    let r = aggregate(&notes(), vec![], &options(false));
    insta::assert_snapshot!("csv", render(&r, Format::Csv, Lang::En));
}

#[test]
fn html_is_well_formed_with_one_svg_per_chart() {
    let r = aggregate(&notes(), excluded(), &options(true));
    let html = render(&r, Format::Html, Lang::Nb);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), "self-contained");
    // Parse everything after the doctype as XML: every element closed, every entity escaped.
    let body = html.split_once('\n').unwrap().1;
    let mut reader = quick_xml::Reader::from_str(body);
    let mut svgs = 0;
    let mut depth = 0i32;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) => {
                depth += 1;
                if e.name().as_ref() == b"svg" {
                    svgs += 1;
                }
            }
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "balanced");
    assert_eq!(svgs, 3, "visits per period, themes over time, concerns by severity");
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(html.contains("Besøksrapport"));
    assert!(html.contains("0badc0de"), "excluded notes are listed");
}
