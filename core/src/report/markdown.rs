//! Markdown, ready to paste into a yearly report.
//!
//! Whatever was typed (unit names, concern descriptions, tracing notes,
//! summaries, names in alerts, reasons for leaving a note out) goes
//! through [`text`], so that it reads as typed and cannot add a heading,
//! a list, a table row or column, a link, an image or HTML to the report.

use std::fmt::Write;

use super::i18n::Labels;
use super::Report;

/// Characters escaped wherever they are: the backslash itself, code spans
/// (`` ` ``), emphasis and strike-through (`*`, `_`, `~`), links, images,
/// footnotes and task boxes (all need `[`), HTML and autolinks (`<`),
/// table cells (`|`), entities (`&`, so that `&lt;` reads as typed) and
/// maths (`$`, which some renderers read).
const ANYWHERE: [char; 11] = ['\\', '`', '*', '_', '~', '[', ']', '<', '|', '&', '$'];

/// Characters escaped when they come first, where they would start a
/// block: a heading (`#`), a quote (`>`), a list (`-`, `+`), a setext
/// underline or thematic break (`=`, `-`).
const AT_START: [char; 5] = ['#', '>', '-', '+', '='];

/// `typed` as Markdown text that shows what was typed and nothing more, in
/// a table cell or a list item alike: on one line (line breaks become
/// spaces), without the leading white space that would make it code, NUL
/// replaced, and with a backslash before every character that could give
/// it structure.
/// Every character escaped is ASCII punctuation, which CommonMark shows as
/// itself after a backslash.
pub fn text(typed: &str) -> String {
    let one_line = typed.split(['\r', '\n']).filter(|line| !line.is_empty()).collect::<Vec<_>>().join(" ");
    let trimmed = one_line.trim();
    // "1. " or "1) " at the start would begin a numbered list.
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = digits > 0 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')'));
    let mut out = String::with_capacity(trimmed.len() + 8);
    for (i, c) in trimmed.char_indices() {
        if ANYWHERE.contains(&c) || (i == 0 && AT_START.contains(&c)) || (numbered && i == digits) {
            out.push('\\');
        }
        // NUL as CommonMark says to read it (renderers differ otherwise).
        out.push(if c == '\0' { '\u{FFFD}' } else { c });
    }
    out
}

/// `items` as a list under the line before, the blank ones left out: an
/// empty item there would turn that line into a heading.
fn sub_items(s: &mut String, items: &[String]) {
    for item in items.iter().map(|i| text(i)).filter(|i| !i.is_empty()) {
        let _ = writeln!(s, "  - {item}");
    }
}

/// Units as one cell: each escaped, joined by commas.
fn units(units: &[String]) -> String {
    units.iter().map(|u| text(u)).collect::<Vec<_>>().join(", ")
}

pub fn render(r: &Report, l: &Labels) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", l.title);
    let _ = writeln!(s, "{}: {} – {}\n", l.period, l.day(r.from), l.day(r.to));
    // Whoever reads the figures must know first that they may be incomplete.
    if !r.excluded.is_empty() {
        let _ = writeln!(s, "## {}\n\n{}\n", l.excluded, l.excluded_note);
        for e in &r.excluded {
            let _ = writeln!(s, "- `{}`: {}", e.note_id, text(&l.exclusion(&e.reason)));
        }
        s.push('\n');
    }
    if !r.integrity.is_empty() {
        let _ = writeln!(s, "## {}\n\n{}\n", l.integrity, l.integrity_note);
        for alert in &r.integrity {
            let _ = writeln!(s, "- {}", text(&l.unresolved(alert)));
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
        let _ = writeln!(s, "| {} | {} |", text(&u.unit), u.visits);
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
        let _ = write!(s, "| {} | {} |", l.period_name(&p.label), p.visits);
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
                l.short_day(o.date),
                units(&o.units),
                l.follow_up(o.status),
                o.last_follow_up.map_or_else(|| "–".to_owned(), |d| l.short_day(d))
            );
            let _ = writeln!(s, "{}", o.description.as_ref().map(|d| format!(" {} |", text(d))).unwrap_or_default());
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
    sub_items(&mut s, &r.tracing.notes);

    let _ = writeln!(s, "\n## {}\n", l.positive);
    let _ = writeln!(s, "- {}: {}", l.positive_visits, r.positive.visits);
    sub_items(&mut s, &r.positive.summaries);

    if r.include_text {
        let _ = writeln!(s, "\n## {}\n", l.summaries);
        let mut any = false;
        for n in r.notes.iter().filter(|n| n.summary.as_ref().is_some_and(|t| !t.is_empty())) {
            any = true;
            let summary = text(n.summary.as_deref().unwrap_or_default());
            let _ = writeln!(s, "- {} ({}): {summary}", l.day(n.date), units(&n.units));
        }
        if !any {
            let _ = writeln!(s, "{}", l.none);
        }
    }

    s
}
