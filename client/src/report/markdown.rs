//! Markdown, ready to paste into a yearly report.

use std::fmt::Write;

use super::i18n::Labels;
use super::Report;

pub fn render(r: &Report, l: &Labels) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", l.title);
    let _ = writeln!(s, "{}: {} – {}\n", l.period, r.from, r.to);
    // Whoever reads the figures must know first that they may be incomplete.
    if !r.excluded.is_empty() {
        let _ = writeln!(s, "## {}\n\n{}\n", l.excluded, l.excluded_note);
        for e in &r.excluded {
            let _ = writeln!(s, "- `{}`: {}", e.note_id, e.reason);
        }
        s.push('\n');
    }
    if !r.integrity.is_empty() {
        let _ = writeln!(s, "## {}\n\n{}\n", l.integrity, l.integrity_note);
        for line in &r.integrity {
            let _ = writeln!(s, "- {line}");
        }
        s.push('\n');
    }

    let _ = writeln!(s, "## {}\n", l.totals);
    let _ = writeln!(s, "| {} | {} |\n|---|---:|", l.figure, l.count);
    let _ = writeln!(s, "| {} | {} |", l.visits, r.totals.visits);
    let _ = writeln!(s, "| {} | {} |", l.volunteers, r.totals.volunteers);
    let _ = writeln!(s, "| {} | {} |", l.people_met, r.totals.people_met);
    let _ = writeln!(s, "| {} | {} |\n", l.shared_events, r.totals.shared_events);

    let _ = writeln!(s, "## {}\n", l.units);
    let _ = writeln!(s, "| {} | {} |\n|---|---:|", l.unit, l.visits);
    for u in &r.units {
        let _ = writeln!(s, "| {} | {} |", u.unit, u.visits);
    }

    let _ = writeln!(s, "\n## {}\n", l.activities);
    let _ = writeln!(s, "| {} | {} |\n|---|---:|", l.activity, l.visits);
    for a in &r.activities {
        let _ = writeln!(s, "| {} | {} |", l.activity(a.activity), a.visits);
    }

    let _ = writeln!(s, "\n## {}\n", l.themes);
    let _ = writeln!(s, "| {} | {} | {} |\n|---|---:|---:|", l.theme, l.visits, l.share);
    for t in &r.themes {
        let _ = writeln!(s, "| {} | {} | {} |", l.theme(t.theme), t.visits, l.percent(t.share));
    }

    let _ = writeln!(s, "\n## {}\n", l.themes_over_time);
    let top: Vec<_> = r.themes.iter().take(6).map(|t| t.theme).collect();
    let _ = write!(s, "| {} | {} |", l.period, l.visits);
    for t in &top {
        let _ = write!(s, " {} |", l.theme(*t));
    }
    let _ = writeln!(s, "\n|---|---:|{}", "---:|".repeat(top.len()));
    for p in &r.periods {
        let _ = write!(s, "| {} | {} |", p.label, p.visits);
        for t in &top {
            let _ = write!(s, " {} |", p.themes.get(t).copied().unwrap_or(0));
        }
        let _ = writeln!(s);
    }

    let c = &r.concerns;
    let _ = writeln!(s, "\n## {}\n", l.concerns);
    let _ = writeln!(s, "| {} | {} |\n|---|---:|", l.severity, l.count);
    for (severity, n) in c.by_severity.iter().rev() {
        let _ = writeln!(s, "| {} | {} |", l.severity(*severity), n);
    }
    let _ = writeln!(s, "\n| {} | {} |\n|---|---:|", l.status, l.count);
    for (status, n) in &c.by_status {
        let _ = writeln!(s, "| {} | {} |", l.follow_up(*status), n);
    }
    let _ = writeln!(s, "\n- {}: {}", l.days_to_report, l.days(&c.days_to_report, l.no_reported_concerns));
    let _ = writeln!(s, "- {}: {}", l.days_to_closure, l.days(&c.days_to_closure, l.no_closed_concerns));
    let _ = writeln!(s, "- {}: {} {} {}", l.with_follow_up_record, c.with_follow_up_record, l.of, c.total);
    let _ = writeln!(s, "\n### {}\n", l.open_concerns);
    if c.open.is_empty() {
        let _ = writeln!(s, "{}", l.none);
    } else {
        let with_text = r.include_text;
        let _ = write!(s, "| {} | {} | {} | {} | {} |", l.severity, l.date, l.unit, l.status, l.last_follow_up);
        let _ = writeln!(s, "{}", if with_text { format!(" {} |", l.description) } else { String::new() });
        let _ = writeln!(s, "|---|---|---|---|---|{}", if with_text { "---|" } else { "" });
        for o in &c.open {
            let _ = write!(
                s,
                "| {} | {} | {} | {} | {} |",
                l.severity(o.severity),
                o.date,
                o.units.join(", "),
                l.follow_up(o.status),
                o.last_follow_up.map_or_else(|| "–".to_owned(), |d| d.to_string())
            );
            let _ = writeln!(
                s,
                "{}",
                o.description.as_ref().map(|d| format!(" {} |", d.replace('|', "/"))).unwrap_or_default()
            );
        }
    }

    let _ = writeln!(s, "\n## {}\n", l.tracing);
    let _ = writeln!(
        s,
        "- {}: {} ({} {})",
        l.tracing_requests,
        r.tracing.requests,
        r.tracing.visits_with_requests,
        l.visits.to_lowercase()
    );
    for n in &r.tracing.notes {
        let _ = writeln!(s, "  - {n}");
    }

    let _ = writeln!(s, "\n## {}\n", l.positive);
    let _ = writeln!(s, "- {}: {}", l.positive_visits, r.positive.visits);
    for summary in &r.positive.summaries {
        let _ = writeln!(s, "  - {summary}");
    }

    if r.include_text {
        let _ = writeln!(s, "\n## {}\n", l.summaries);
        let mut any = false;
        for n in r.notes.iter().filter(|n| n.summary.as_ref().is_some_and(|t| !t.is_empty())) {
            any = true;
            let text = n.summary.as_deref().unwrap_or_default().replace('\n', " ");
            let _ = writeln!(s, "- {} ({}): {text}", n.date, n.units.join(", "));
        }
        if !any {
            let _ = writeln!(s, "{}", l.none);
        }
    }

    s
}
