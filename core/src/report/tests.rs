//! Reports over the demo's fixed notes, checked against figures computed by hand.

use chrono::NaiveDate;
use visitnotes_shared::note::{Activity, FollowUp, Severity, Theme};

use super::aggregate::{ActivityCount, UnitCount};
use super::i18n::Lang;
use super::*;
use crate::i18n::Msg;

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
    let detail = Some("the note's signature does not verify".to_owned());
    vec![Excluded { note_id: "0badc0de".into(), reason: Exclusion::Rejected { detail } }]
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

/// A coordinator's record on the concern of note-1 (the leader wrote "in
/// progress"): still in progress, last followed up on 20 September.
fn follow_ups() -> aggregate::FollowUps {
    let recorded = aggregate::Recorded { status: FollowUp::InProgress, date: date(2026, 9, 20) };
    [(("note-1".to_owned(), 0), recorded)].into_iter().collect()
}

#[test]
fn a_coordinators_newest_record_decides_status_and_closure() {
    // note-1's concern (leader: in progress) closed by a coordinator on the
    // 24th, 7 days after the visit; note-2's (leader: closed the day after
    // the visit) reopened by a coordinator on 5 October.
    let overlay: aggregate::FollowUps = [
        (("note-1".to_owned(), 0), aggregate::Recorded { status: FollowUp::Closed, date: date(2026, 9, 24) }),
        (("note-2".to_owned(), 0), aggregate::Recorded { status: FollowUp::InProgress, date: date(2026, 10, 5) }),
    ]
    .into_iter()
    .collect();
    let r = aggregate_with(&notes(), &overlay, vec![], &options(false));
    let c = &r.concerns;
    assert_eq!((c.total, c.with_follow_up_record), (2, 2));
    assert_eq!(c.by_status.get(&FollowUp::Closed), Some(&1));
    assert_eq!(c.by_status.get(&FollowUp::InProgress), Some(&1));
    assert_eq!((c.days_to_closure.count, c.days_to_closure.median, c.days_to_closure.max), (1, Some(7.0), Some(7)));
    assert_eq!(c.open.len(), 1);
    let open = &c.open[0];
    assert_eq!((open.severity, open.date, open.status), (Severity::Urgent, date(2026, 10, 1), FollowUp::InProgress));
    assert_eq!(open.last_follow_up, Some(date(2026, 10, 5)));
    // Without records, the leaders' own statuses stand (the hand count above).
    let plain = aggregate(&notes(), vec![], &options(false));
    assert_eq!((plain.concerns.with_follow_up_record, plain.concerns.days_to_closure.median), (0, Some(1.0)));
    // A record on a concern index the note does not have changes nothing.
    let stray: aggregate::FollowUps =
        [(("note-1".to_owned(), 5), aggregate::Recorded { status: FollowUp::Closed, date: date(2026, 9, 24) })]
            .into_iter()
            .collect();
    assert_eq!(aggregate_with(&notes(), &stray, vec![], &options(false)), plain);
}

#[test]
fn markdown_snapshot() {
    let r = aggregate_with(&notes(), &follow_ups(), excluded(), &options(false));
    insta::assert_snapshot!("markdown_en", render(&r, Format::Markdown, Lang::En));
    insta::assert_snapshot!("markdown_nb", render(&r, Format::Markdown, Lang::Nb));
}

#[test]
fn csv_snapshot() {
    let r = aggregate(&notes(), vec![], &options(false));
    insta::assert_snapshot!("csv", render(&r, Format::Csv, Lang::En));
    insta::assert_snapshot!("csv_nb", render(&r, Format::Csv, Lang::Nb));
}

/// The CSV opens in a spreadsheet with æøå and in the report's language:
/// a byte-order mark first, headers and names as the report says them,
/// semicolons between cells in Norwegian (the spreadsheet's separator
/// there), no code words.
#[test]
fn the_csv_starts_with_a_byte_order_mark_and_speaks_the_reports_language() {
    let r = aggregate(&notes(), vec![], &options(false));
    let nb = render(&r, Format::Csv, Lang::Nb);
    assert!(nb.starts_with("\u{feff}\"Notat\";\"Besøksdato\";\"Avdelinger\";"), "{nb}");
    assert!(!nb.contains("visit_date") && !nb.contains("max_severity") && !nb.contains("phone_and_internet"), "{nb}");
    let en = render(&r, Format::Csv, Lang::En);
    assert!(en.starts_with("\u{feff}\"Note\",\"Visit date\","), "{en}");
}

/// Periods read as people write them, with the plural rules and month
/// names of the report's language.
#[test]
fn periods_read_as_people_write_them() {
    let (en, nb) = (Lang::En.labels(), Lang::Nb.labels());
    assert_eq!(en.period_name("2026-Q4"), "Q4 2026");
    assert_eq!(nb.period_name("2026-Q4"), "4. kvartal 2026");
    assert_eq!(en.period_name("2026-12"), "December 2026");
    assert_eq!(nb.period_name("2026-12"), "desember 2026");
    assert_eq!(nb.period_name("2026"), "2026");
    let by_quarter = Options { by: Period::Quarter, ..options(false) };
    let html = render(&aggregate(&notes(), vec![], &by_quarter), Format::Html, Lang::Nb);
    assert!(html.contains("3. kvartal 2026") && html.contains("4. kvartal 2026") && !html.contains("2026-Q"), "{html}");
    let md = render(&aggregate(&notes(), vec![], &options(false)), Format::Markdown, Lang::Nb);
    assert!(md.contains("| september 2026 |") && md.contains("1. september 2026 – 31. oktober 2026"), "{md}");
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

/// Half a year of visits to units with long names: 150 notes over six
/// months, one concern closed and one open, hunger strike raised once
/// (under 1 %).
fn many_notes() -> Vec<(String, visitnotes_shared::VisitNote)> {
    let units =
        ["Avdeling for enslige mindreårige asylsøkere (nordfløyen)", "Men's unit A", "Isolasjon / sikkerhetsavdeling"];
    let themes = [Theme::PhoneAndInternetAccess, Theme::Food, Theme::InformationAboutCase, Theme::MentalHealth];
    let mut base = crate::samples::sample_notes().remove(0);
    base.concerns.clear();
    base.tracing_requests = Default::default();
    (0..150u32)
        .map(|i| {
            let mut n = base.clone();
            n.visit_date = date(2026, 1 + i % 6, 1 + i % 28);
            n.units = vec![units[(i % 3) as usize].to_owned()];
            n.themes = vec![themes[(i % 4) as usize], themes[((i / 4) % 4) as usize]];
            n.summary = format!("Visit number {i}.");
            if i == 7 {
                n.themes.push(Theme::HungerStrike);
            }
            if i == 10 || i == 11 {
                n.concerns.push(visitnotes_shared::note::Concern {
                    severity: if i == 10 { Severity::Urgent } else { Severity::Medium },
                    description: "A concern.".into(),
                    consent_to_follow_up: true,
                    reported_to: Some("duty officer".into()),
                    reported_on: Some(n.visit_date),
                    follow_up: if i == 10 { FollowUp::Closed } else { FollowUp::Open },
                    closed_on: (i == 10).then(|| n.visit_date + chrono::Duration::days(3)),
                });
            }
            (format!("note-{i:03}"), n)
        })
        .collect()
}

fn half_year(include_text: bool) -> Options {
    Options { from: date(2026, 1, 1), to: date(2026, 6, 30), by: Period::Month, include_text }
}

/// The opening tags of every `<svg>` in `html`.
fn svg_tags(html: &str) -> Vec<&str> {
    html.match_indices("<svg").map(|(at, _)| &html[at..at + html[at..].find('>').unwrap()]).collect()
}

/// The chart whose accessible name is `title`.
fn chart<'a>(html: &'a str, title: &str) -> &'a str {
    let start = html.find(&format!("aria-label=\"{title}")).unwrap_or_else(|| panic!("no chart {title}"));
    &html[start..start + html[start..].find("</svg>").unwrap()]
}

#[test]
fn shares_under_one_percent_are_not_shown_as_zero() {
    let r = aggregate(&many_notes(), vec![], &half_year(false));
    let hunger = r.themes.iter().find(|t| t.theme == Theme::HungerStrike).unwrap();
    assert!(hunger.share > 0.0 && hunger.share < 0.01);
    for lang in [Lang::En, Lang::Nb] {
        let md = render(&r, Format::Markdown, lang);
        let label = lang.labels().theme(Theme::HungerStrike);
        assert!(md.contains(&format!("| {label} | 1 | < 1 % |")), "{md}");
        assert!(!md.contains("| 0 % |"));
        let html = render(&r, Format::Html, lang);
        assert!(
            html.contains("<td class=\"n\" data-label=\"") && html.contains("\">1</td><td data-label=\""),
            "{html}"
        );
        assert!(html.contains("\">&lt; 1 %</td>"), "{html}");
    }
    let en = Lang::En.labels();
    assert_eq!(
        [0.0, 0.004, 0.006, 0.5, 0.994, 0.996, 1.0].map(|s| en.percent(s)),
        ["0 %", "< 1 %", "< 1 %", "50 %", "> 99 %", "> 99 %", "100 %"]
    );
}

#[test]
fn statistics_with_nothing_to_measure_say_so() {
    // September only: one concern, open, reported the same day; nothing closed.
    let r = aggregate(&notes(), vec![], &Options { to: date(2026, 9, 30), ..options(false) });
    assert_eq!(r.concerns.days_to_closure.count, 0);
    for (lang, closed) in
        [(Lang::En, "no closed concerns to measure"), (Lang::Nb, "ingen avsluttede bekymringer å måle")]
    {
        for format in [Format::Markdown, Format::Html] {
            let text = render(&r, format, lang);
            assert!(text.contains(closed), "{lang:?} {format:?}");
            assert!(text.contains(&format!("{} 0, {} 0 (n = 1)", lang.labels().median, lang.labels().max)));
        }
    }
    let none = aggregate(&[], vec![], &options(false));
    for (lang, reported) in
        [(Lang::En, "no reported concerns to measure"), (Lang::Nb, "ingen meldte bekymringer å måle")]
    {
        for format in [Format::Markdown, Format::Html] {
            let text = render(&none, format, lang);
            assert!(text.contains(reported), "{lang:?} {format:?}");
            assert!(!text.contains(lang.labels().median), "{lang:?} {format:?}: no median of nothing");
        }
    }
    let json: serde_json::Value = serde_json::from_str(&render(&none, Format::Json, Lang::En)).unwrap();
    assert_eq!(json["concerns"]["days_to_closure"], serde_json::json!({"count": 0, "median": null, "max": null}));
}

#[test]
fn charts_scale_to_the_page() {
    let r = aggregate(&many_notes(), vec![], &half_year(false));
    let html = render(&r, Format::Html, Lang::Nb);
    let tags = svg_tags(&html);
    assert_eq!(tags.len(), 3);
    for tag in tags {
        assert!(tag.contains("viewBox=\"0 0 "), "{tag}");
        assert!(tag.contains(" width=\"100%\""), "{tag}");
        assert!(!tag.contains(" height="), "{tag}");
        assert!(!tag.contains(" width=\"") || tag.matches(" width=\"").count() == 1, "{tag}");
    }
    assert!(html.contains("svg{display:block;width:100%;max-width:540px;height:auto}"));
    assert!(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"));
    // No word breaks inside a table cell: a column is as wide as its longest word.
    assert!(html.contains("overflow-wrap:normal;word-break:normal") && !html.contains("break-word"));
}

#[test]
fn long_labels_wrap_whole_and_legend_entries_get_a_row_each() {
    let r = aggregate(&many_notes(), vec![], &half_year(false));
    let html = render(&r, Format::Html, Lang::Nb);
    // Every theme of the chart is named in full in its legend, each on its own line.
    let over_time = chart(&html, "Temaer over tid");
    let legend_ys: Vec<&str> = r
        .themes
        .iter()
        .take(6)
        .map(|t| {
            let name = Lang::Nb.labels().theme(t.theme);
            let at = over_time.find(&format!(">{}</text>", svg::escape(name))).unwrap_or_else(|| panic!("{name}"));
            let tag = &over_time[over_time[..at].rfind("<text").unwrap()..at];
            tag.split("y=\"").nth(1).unwrap().split('"').next().unwrap()
        })
        .collect();
    let mut distinct = legend_ys.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), legend_ys.len(), "legend rows overlap: {legend_ys:?}");

    // A long label is wrapped at spaces, every word kept.
    let long = "Avdeling for enslige mindreårige asylsøkere (nordfløyen)";
    let bars = svg::bars("t", &[(long.to_owned(), 3)], 0);
    let lines: Vec<&str> =
        bars.split("<tspan").skip(1).map(|t| t.split_once('>').unwrap().1.split('<').next().unwrap()).collect();
    assert!(lines.len() > 1, "{bars}");
    assert_eq!(lines.join(" "), long);
    assert!(bars.contains(">3</text>"), "the value is written");
}

#[test]
fn a_one_period_chart_shows_its_values() {
    let october = Options { from: date(2026, 10, 1), to: date(2026, 10, 31), ..options(false) };
    let r = aggregate(&notes(), vec![], &october);
    assert_eq!(r.periods.len(), 1);
    let html = render(&r, Format::Html, Lang::En);
    let over_time = chart(&html, "Themes over time");
    assert!(!over_time.contains("<polyline"), "no line through a single point");
    for t in r.themes.iter().take(6) {
        let name = Lang::En.labels().theme(t.theme);
        assert!(over_time.contains(&svg::escape(name)), "{name}");
        assert!(over_time.contains(&format!("{}: 1</title>", svg::escape(name))), "{name}");
    }
    assert!(over_time.contains(">1</text>"), "values are written next to their bars");
    let visits = chart(&html, "Visits per period");
    assert!(visits.contains("October 2026") && visits.contains(">2</text>"), "{visits}");
}

#[test]
fn totals_have_no_empty_header_row() {
    let r = aggregate(&notes(), vec![], &options(false));
    let html = render(&r, Format::Html, Lang::En);
    assert!(!html.contains("<th></th>"), "{html}");
    let md = render(&r, Format::Markdown, Lang::En);
    assert!(!md.contains("| | |"), "{md}");
    assert!(md.contains("| Figure | Count |"));
}

#[test]
fn include_text_puts_visit_summaries_in_every_format() {
    let summary = "Football in the yard; the new evening phone hour is appreciated.";
    let other = "Short visit through the hatch; lock-in since the weekend.";
    let with_text = aggregate(&notes(), vec![], &options(true));
    let plain = aggregate(&notes(), vec![], &options(false));
    for format in [Format::Markdown, Format::Html, Format::Csv, Format::Json] {
        let text = render(&with_text, format, Lang::En);
        let escaped = if format == Format::Html { svg::escape(other) } else { other.to_owned() };
        assert!(text.contains(summary) && text.contains(&escaped), "{format:?}");
        let text = render(&plain, format, Lang::En);
        assert!(!text.contains(summary) && !text.contains(other), "{format:?} without --include-text");
    }
    let md = render(&with_text, Format::Markdown, Lang::Nb);
    assert!(
        md.contains(&format!("## Sammendrag\n\n- 3. september 2026 (Men's unit A): {}", "Bingo in the common room"))
    );
}

#[test]
fn the_format_follows_the_file_name_unless_given() {
    use std::path::Path;
    let choose = |flag, out: Option<&str>| Format::choose(flag, out.map(Path::new));
    assert_eq!(choose(None, None), Ok(Format::Markdown));
    assert_eq!(choose(None, Some("x.html")), Ok(Format::Html));
    assert_eq!(choose(None, Some("x.HTM")), Ok(Format::Html));
    assert_eq!(choose(None, Some("dir.d/x.md")), Ok(Format::Markdown));
    assert_eq!(choose(None, Some("x.markdown")), Ok(Format::Markdown));
    assert_eq!(choose(None, Some("x.csv")), Ok(Format::Csv));
    assert_eq!(choose(None, Some("x.json")), Ok(Format::Json));
    assert_eq!(choose(Some(Format::Csv), None), Ok(Format::Csv));
    assert_eq!(choose(Some(Format::Html), Some("x.html")), Ok(Format::Html));
    assert_eq!(choose(Some(Format::Markdown), Some("notes.txt")), Ok(Format::Markdown));
    let unknown = choose(None, Some("report.txt")).unwrap_err().to_string();
    assert!(unknown.contains("report.txt") && unknown.contains(".html") && unknown.contains("--format"), "{unknown}");
    assert!(choose(None, Some("report")).is_err());
    let mismatch = choose(Some(Format::Csv), Some("r.html")).unwrap_err().to_string();
    assert!(mismatch.contains("--format csv") && mismatch.contains("r.html"), "{mismatch}");
}

/// Notes left out for each reason, and an alert open when the report
/// was made.
fn with_warnings() -> Report {
    let excluded = vec![
        Excluded {
            note_id: "0badc0de".into(),
            reason: Exclusion::Rejected { detail: Some("the note's signature does not verify".into()) },
        },
        Excluded { note_id: "1badc0de".into(), reason: Exclusion::Rejected { detail: None } },
        Excluded { note_id: "2badc0de".into(), reason: Exclusion::FollowUpRejected { detail: None } },
        Excluded { note_id: "3badc0de".into(), reason: Exclusion::NotAddressed },
        Excluded { note_id: "4badc0de".into(), reason: Exclusion::FollowUpNotAddressed },
    ];
    let mut r = aggregate(&notes(), excluded, &options(false));
    r.integrity = vec![Unresolved {
        what: Msg::new("alert-gap").arg("n", 2u64).arg("person", "Leader A").arg("numbers", "3, 4"),
        todo: Msg::new("alert-gap-todo").arg("person", "Leader A"),
    }];
    r
}

/// A Norwegian report says why each note was left out and what the open
/// alerts were in Norwegian, in Markdown and HTML alike (the verifier's
/// own reason stays as it was recorded); an English one as `visitnotes
/// report` always said it; the JSON keeps the English.
#[test]
fn excluded_notes_and_integrity_warnings_are_in_the_reports_language() {
    let r = with_warnings();
    for format in [Format::Markdown, Format::Html] {
        let nb = render(&r, format, Lang::Nb);
        for said in [
            "feilet verifisering: the note",
            "feilet verifisering</li>",
            "en oppfølging fra en koordinator som feilet verifisering, ikke brukt: ingen grunn registrert",
            "ikke kryptert til denne enheten (be om at notatene krypteres på nytt",
            "en oppfølging fra en koordinator som ikke er kryptert til denne enheten",
            "2 notater av Leader A mangler på denne enheten (nummer 3, 4).",
        ] {
            let said = if format == Format::Markdown { said.replace("</li>", "\n") } else { said.to_owned() };
            assert!(nb.contains(&said), "{format:?}: {said}\n{nb}");
        }
        for english in ["failed verification", "not encrypted", "follow-up record", "missing on this device", "rewrap"]
        {
            assert!(!nb.contains(english), "{format:?}: {english}\n{nb}");
        }
    }
    let en = render(&r, Format::Markdown, Lang::En);
    for said in [
        "- `0badc0de`: the note's signature does not verify\n",
        "- `1badc0de`: failed verification\n",
        "- `2badc0de`: a coordinator's follow-up record that failed verification, not used: no reason recorded\n",
        "- `3badc0de`: not encrypted to this device (ask for a rewrap, then sync --from-start)\n",
        "- 2 notes by Leader A are missing on this device (numbers 3, 4).",
    ] {
        assert!(en.contains(said), "{said}\n{en}");
    }
    let json: serde_json::Value = serde_json::from_str(&render(&r, Format::Json, Lang::Nb)).unwrap();
    assert_eq!(
        json["excluded"][3]["reason"],
        "not encrypted to this device (ask for a rewrap, then sync --from-start)"
    );
    assert!(json["integrity"][0].as_str().unwrap().starts_with("2 notes by Leader A are missing"), "{json}");
}

/// The parts of an .xlsx file named, as text.
fn xlsx_parts(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an .xlsx is a zip");
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().to_owned(), text)
        })
        .collect()
}

/// The Excel workbook has one sheet per table of the report, named and
/// headed in the report's language; counts are numbers and visit dates
/// are dates (Excel's day numbers with a date format), not text.
#[test]
fn the_xlsx_has_a_sheet_per_table_in_the_reports_language_with_numbers_and_dates() {
    let r = aggregate(&notes(), excluded(), &options(false));
    let bytes = super::render_bytes(&r, Format::Xlsx, Lang::Nb).unwrap();
    let parts = xlsx_parts(&bytes);
    let book = &parts["xl/workbook.xml"];
    for name in ["Totalt", "Besøk per periode", "Avdelinger besøkt", "Temaer tatt opp", "Åpne bekymringer", "Notater"]
    {
        assert!(book.contains(&format!("name=\"{name}\"")), "{name}: {book}");
    }
    let strings = &parts["xl/sharedStrings.xml"];
    assert!(strings.contains("Besøksdato") && strings.contains("september 2026"), "{strings}");
    assert!(!strings.contains("visit_date") && !strings.contains("2026-09"), "{strings}");
    // The notes' sheet: its second row is note-0, visited 3 September 2026.
    let at = book.split("<sheet ").position(|s| s.starts_with("name=\"Notater\"")).unwrap();
    let notes = &parts[&format!("xl/worksheets/sheet{at}.xml")];
    assert!(book.contains("name=\"Utelatte notater\""), "the notes left out: {book}");
    let day = (date(2026, 9, 3) - date(1899, 12, 30)).num_days();
    let row = notes.split("<row r=\"2\"").nth(1).unwrap().split("</row>").next().unwrap();
    assert!(row.contains(&format!("<v>{day}</v>")), "the visit date as a date: {row}");
    assert!(row.contains("<c r=\"D2\"><v>4</v></c>"), "volunteers as a number: {row}");
    // What a leader typed is a text cell, never a formula.
    let mut planted = r.clone();
    planted.units[0].unit = "=HYPERLINK(\"http://x.example\",\"klikk\")".into();
    let parts = xlsx_parts(&super::render_bytes(&planted, Format::Xlsx, Lang::Nb).unwrap());
    assert!(parts.values().all(|xml| !xml.contains("<f>")), "no formula in any sheet");
    assert!(parts["xl/sharedStrings.xml"].contains("=HYPERLINK("), "kept as text");
    let en = xlsx_parts(&super::render_bytes(&r, Format::Xlsx, Lang::En).unwrap());
    assert!(en["xl/workbook.xml"].contains("name=\"Totals\""), "{}", en["xl/workbook.xml"]);
}
