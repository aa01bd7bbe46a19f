//! One self-contained, printable HTML file with inline SVG charts.

use std::fmt::Write;

use super::i18n::Labels;
use super::svg::{self, escape};
use super::Report;

// A phone shows the page at its own width (the viewport meta). On a
// narrow screen a table of three columns or more reflows, a row into lines
// of "header: value"; any table still too wide scrolls sideways inside its
// own box rather than widen the page; no word breaks inside. Charts fill
// the page up to 1.5 times their drawing size (svg::WIDTH), which keeps
// their text at 12 px or more from a 360 px screen up.
const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;color:#222;\
line-height:1.4;-webkit-text-size-adjust:100%;text-size-adjust:100%}\
table{border-collapse:collapse;margin:0.5em 0 1.5em;display:block;max-width:100%;overflow-x:auto}\
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;overflow-wrap:normal;word-break:normal;hyphens:manual}\
td.n{text-align:right}h1,h2{page-break-after:avoid}h1{font-size:1.6em}\
svg{display:block;width:100%;max-width:540px;height:auto}\
section.warn{border:2px solid #b00;padding:0 1em;margin:1em 0}\
@media(max-width:480px){body{margin:1em auto;padding:0 0.75em}\
table.wide,table.wide tbody,table.wide tr,table.wide td{display:block}\
table.wide thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\
table.wide tr{border-top:1px solid #ccc;padding:4px 0}table.wide{border-bottom:1px solid #ccc}\
table.wide td{border:none;display:grid;grid-template-columns:9em 1fr;gap:0 0.5em;text-align:left;padding:2px 4px}\
table.wide td::before{content:attr(data-label);font-weight:600}}\
@media print{body{margin:0}section{page-break-inside:avoid}}";

/// A table of counts, or the word "none" rather than headers alone.
fn table_or_none(s: &mut String, l: &Labels, head: &[&str], rows: Vec<Vec<String>>) {
    if rows.is_empty() {
        let _ = write!(s, "<p>{}</p>", escape(l.none));
    } else {
        table(s, head, rows);
    }
}

/// A table; an empty `head` gives none (no empty header row). A table of
/// three columns or more is `wide`: on a narrow screen each row reflows
/// into lines of "header: value" (each cell's `data-label`).
fn table(s: &mut String, head: &[&str], rows: Vec<Vec<String>>) {
    let wide = head.len() >= 3;
    s.push_str(if wide { "<table class=\"wide\">" } else { "<table>" });
    if !head.is_empty() {
        s.push_str("<thead><tr>");
        for h in head {
            let _ = write!(s, "<th>{}</th>", escape(h));
        }
        s.push_str("</tr></thead>");
    }
    s.push_str("<tbody>");
    for row in rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class =
                if i > 0 && cell.chars().next().is_some_and(|c| c.is_ascii_digit()) { " class=\"n\"" } else { "" };
            let label = match head.get(i) {
                Some(h) if wide => format!(" data-label=\"{}\"", escape(h)),
                _ => String::new(),
            };
            let _ = write!(s, "<td{class}{label}>{}</td>", escape(cell));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
}

/// Notes left out and open integrity alerts come first, in a box: whoever
/// reads the figures must know first that they may be incomplete.
fn warnings(s: &mut String, r: &Report, l: &Labels) {
    if !r.excluded.is_empty() {
        let _ =
            write!(s, "<section class=\"warn\"><h2>{}</h2><p>{}</p><ul>", escape(l.excluded), escape(l.excluded_note));
        for e in &r.excluded {
            let _ = write!(s, "<li><code>{}</code>: {}</li>", escape(&e.note_id), escape(&l.exclusion(&e.reason)));
        }
        s.push_str("</ul></section>");
    }
    if !r.integrity.is_empty() {
        let _ = write!(
            s,
            "<section class=\"warn\"><h2>{}</h2><p>{}</p><ul>",
            escape(l.integrity),
            escape(l.integrity_note)
        );
        for alert in &r.integrity {
            let _ = write!(s, "<li>{}</li>", escape(&l.unresolved(alert)));
        }
        s.push_str("</ul></section>");
    }
}

pub fn render(r: &Report, l: &Labels) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"/>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\
         <title>{} {} – {}</title><style>{STYLE}</style></head><body>",
        l.lang,
        escape(l.title),
        escape(&l.day(r.from)),
        escape(&l.day(r.to))
    );
    s.push_str(&body(r, l));
    s.push_str("</body></html>\n");
    s
}

/// What `render` puts in `<body>`: the report without its page and its
/// style sheet, for showing inside another page (the web app's report
/// page, whose Content-Security-Policy allows no inline `<style>`).
pub fn body(r: &Report, l: &Labels) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<h1>{}</h1><p>{}: {} – {}</p>",
        escape(l.title),
        escape(l.period),
        escape(&l.day(r.from)),
        escape(&l.day(r.to))
    );
    warnings(&mut s, r, l);

    let _ = write!(s, "<section><h2>{}</h2>", escape(l.totals));
    table(
        &mut s,
        &[],
        vec![
            vec![l.visits.into(), r.totals.visits.to_string()],
            vec![l.volunteers.into(), r.totals.volunteers.to_string()],
            vec![l.people_met.into(), r.totals.people_met.to_string()],
            vec![l.shared_events.into(), r.totals.shared_events.to_string()],
        ],
    );
    let per_period: Vec<(String, u32)> = r.periods.iter().map(|p| (l.period_name(&p.label), p.visits)).collect();
    let _ = write!(
        s,
        "<h3>{}</h3>{}</section>",
        escape(l.visits_per_period),
        svg::bars(l.visits_per_period, &per_period, 0)
    );

    let _ = write!(s, "<section><h2>{}</h2>", escape(l.units));
    table_or_none(
        &mut s,
        l,
        &[l.unit, l.visits],
        r.units.iter().map(|u| vec![u.unit.clone(), u.visits.to_string()]).collect(),
    );
    let _ = write!(s, "<h2>{}</h2>", escape(l.activities));
    table_or_none(
        &mut s,
        l,
        &[l.activity, l.visits],
        r.activities.iter().map(|a| vec![l.activity(a.activity).into(), a.visits.to_string()]).collect(),
    );
    s.push_str("</section>");

    let _ = write!(s, "<section><h2>{}</h2>", escape(l.themes));
    table_or_none(
        &mut s,
        l,
        &[l.theme, l.visits, l.share],
        r.themes.iter().map(|t| vec![l.theme(t.theme).into(), t.visits.to_string(), l.percent(t.share)]).collect(),
    );
    let points: Vec<String> = r.periods.iter().map(|p| l.period_name(&p.label)).collect();
    let series: Vec<(String, Vec<u32>)> = r
        .themes
        .iter()
        .take(6)
        .map(|t| {
            (
                l.theme(t.theme).to_owned(),
                r.periods.iter().map(|p| p.themes.get(&t.theme).copied().unwrap_or(0)).collect(),
            )
        })
        .collect();
    let _ = write!(
        s,
        "<h3>{}</h3>{}</section>",
        escape(l.themes_over_time),
        svg::lines(l.themes_over_time, &points, &series)
    );

    let c = &r.concerns;
    let _ = write!(s, "<section><h2>{}</h2>", escape(l.concerns));
    let by_severity: Vec<(String, u32)> =
        c.by_severity.iter().rev().map(|(sev, n)| (l.severity(*sev).to_owned(), *n)).collect();
    let _ = write!(s, "<h3>{}</h3>", escape(l.concerns_by_severity));
    if by_severity.is_empty() {
        let _ = write!(s, "<p>{}</p>", escape(l.none));
    } else {
        s.push_str(&svg::bars(l.concerns_by_severity, &by_severity, 1));
    }
    let _ = write!(s, "<h3>{}</h3>", escape(l.by_status));
    table(
        &mut s,
        &[l.status, l.count],
        c.by_status.iter().map(|(st, n)| vec![l.follow_up(*st).into(), n.to_string()]).collect(),
    );
    table(
        &mut s,
        &[],
        vec![
            vec![l.days_to_report.into(), l.days(&c.days_to_report, l.no_reported_concerns)],
            vec![l.days_to_closure.into(), l.days(&c.days_to_closure, l.no_closed_concerns)],
            vec![l.with_follow_up_record.into(), format!("{} {} {}", c.with_follow_up_record, l.of, c.total)],
        ],
    );
    let _ = write!(s, "<h3>{}</h3>", escape(l.open_concerns));
    if c.open.is_empty() {
        let _ = write!(s, "<p>{}</p>", escape(l.none));
    }
    let mut head = vec![l.severity, l.date, l.unit, l.status, l.last_follow_up];
    if r.include_text {
        head.push(l.description);
    }
    let rows = c
        .open
        .iter()
        .map(|o| {
            let mut row = vec![
                l.severity(o.severity).into(),
                l.short_day(o.date),
                o.units.join(", "),
                l.follow_up(o.status).into(),
                o.last_follow_up.map_or_else(|| "–".to_owned(), |d| l.short_day(d)),
            ];
            row.extend(o.description.clone());
            row
        })
        .collect();
    if !c.open.is_empty() {
        table(&mut s, &head, rows);
    }
    s.push_str("</section>");

    let _ = write!(
        s,
        "<section><h2>{}</h2><p>{}: {} ({} {})</p>",
        escape(l.tracing),
        escape(l.tracing_requests),
        r.tracing.requests,
        r.tracing.visits_with_requests,
        escape(&l.visits.to_lowercase())
    );
    for n in &r.tracing.notes {
        let _ = write!(s, "<p>{}</p>", escape(n));
    }
    let _ = write!(s, "<h2>{}</h2><p>{}: {}</p>", escape(l.positive), escape(l.positive_visits), r.positive.visits);
    for summary in &r.positive.summaries {
        let _ = write!(s, "<p>{}</p>", escape(summary));
    }
    s.push_str("</section>");
    if r.include_text {
        let _ = write!(s, "<section><h2>{}</h2>", escape(l.summaries));
        let rows: Vec<Vec<String>> = r
            .notes
            .iter()
            .filter_map(|n| {
                let text = n.summary.as_ref().filter(|t| !t.is_empty())?;
                Some(vec![n.date.to_string(), n.units.join(", "), text.clone()])
            })
            .collect();
        if rows.is_empty() {
            let _ = write!(s, "<p>{}</p>", escape(l.none));
        } else {
            table(&mut s, &[l.date, l.unit, l.summaries], rows);
        }
        s.push_str("</section>");
    }
    s
}
