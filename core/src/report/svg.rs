//! Small inline SVG charts for the HTML report: no scripts, no external
//! assets, printable.
//!
//! Every chart has a `viewBox` and `width="100%"`, no fixed size, so it
//! scales to the page (phone or A4). Text has no font metrics here, so its
//! width is estimated generously and margins, label columns and legends
//! are laid out from that estimate: labels are wrapped, never cut, and
//! legend entries each get their own row.

use std::fmt::Write;

const COLOURS: [&str; 8] = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7a8a", "#57606a"];

/// The viewBox width every chart is drawn in. Narrow, so that text stays
/// legible on a phone: on a 360 px screen a chart is about 330 px wide,
/// and `FONT` is drawn at 12.8 px; the stylesheet stops charts growing
/// past 1.5 times this on a wide page, where text would otherwise get huge.
pub const WIDTH: f64 = 360.0;
/// Font size of labels and values, in viewBox units.
const FONT: f64 = 14.0;
/// Estimated width of one character at `FONT` (wide enough for capitals
/// and Norwegian letters in a sans-serif font).
const CHAR: f64 = FONT * 0.62;
/// Labels longer than this wrap onto more lines.
const WRAP_CHARS: usize = 18;
const LINE: f64 = FONT + 3.0;

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR
}

/// Splits `text` into lines of at most `max` characters at spaces; a single
/// longer word keeps its own line whole.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn open(s: &mut String, title: &str, height: f64) {
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = escape(title)
    );
}

/// A horizontal bar chart of labelled values in one colour, with each
/// value written at the end of its bar.
pub fn bars(title: &str, items: &[(String, u32)], colour: usize) -> String {
    let colour = COLOURS[colour % COLOURS.len()];
    let items: Vec<(String, u32, &str)> = items.iter().map(|(l, v)| (l.clone(), *v, colour)).collect();
    hbars(title, &items)
}

/// Horizontal bars, each with its own colour. Labels sit in a column to the
/// left, wrapped to fit; the column is as wide as the longest line.
fn hbars(title: &str, items: &[(String, u32, &str)]) -> String {
    let labels: Vec<Vec<String>> = items.iter().map(|i| wrap(&i.0, WRAP_CHARS)).collect();
    let label_width = labels.iter().flatten().map(|l| text_width(l)).fold(0.0, f64::max);
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    let x0 = label_width + 12.0;
    // Room after the longest bar for its value.
    let span = WIDTH - x0 - text_width(&max.to_string()) - 12.0;
    let (pad, bar) = (6.0, 14.0);
    let rows: Vec<f64> = labels.iter().map(|l| (l.len() as f64 * LINE).max(bar) + 2.0 * pad).collect();
    let height = rows.iter().sum::<f64>().max(bar + 2.0 * pad) + 8.0;
    let mut s = String::new();
    open(&mut s, title, height);
    let mut y = 4.0;
    for ((label, value, colour), (lines, row)) in items.iter().zip(labels.iter().zip(&rows)) {
        let mid = y + row / 2.0;
        let first = mid - (lines.len() as f64 - 1.0) * LINE / 2.0 + FONT * 0.35;
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{first:.1}" font-size="{FONT}" text-anchor="end" fill="#333">"##,
            x0 - 6.0
        );
        for (k, line) in lines.iter().enumerate() {
            let dy = if k == 0 { 0.0 } else { LINE };
            let _ = write!(s, r#"<tspan x="{:.1}" dy="{dy}">{}</tspan>"#, x0 - 6.0, escape(line));
        }
        s.push_str("</text>");
        let w = span * f64::from(*value) / f64::from(max);
        let _ = write!(
            s,
            r#"<rect x="{x0:.1}" y="{:.1}" width="{w:.1}" height="{bar}" fill="{colour}"><title>{}: {value}</title></rect>"#,
            mid - bar / 2.0,
            escape(label)
        );
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="{FONT}" fill="#333">{value}</text>"##,
            x0 + w + 4.0,
            mid + FONT * 0.35
        );
        y += row;
    }
    let _ = write!(s, r##"<line x1="{x0:.1}" y1="2" x2="{x0:.1}" y2="{:.1}" stroke="#888"/>"##, height - 2.0);
    s.push_str("</svg>");
    s
}

/// A line per series over the same labelled points, with a marker on every
/// value and a legend below, one entry per row. With a single point there
/// is no line to draw: the series are shown as bars instead.
pub fn lines(title: &str, points: &[String], series: &[(String, Vec<u32>)]) -> String {
    if points.len() <= 1 {
        let items: Vec<(String, u32, &str)> = series
            .iter()
            .enumerate()
            .map(|(k, (name, values))| (name.clone(), values.first().copied().unwrap_or(0), COLOURS[k % COLOURS.len()]))
            .collect();
        let title = match points.first() {
            Some(point) => format!("{title} ({point})"),
            None => title.to_owned(),
        };
        return hbars(&title, &items);
    }
    let max = series.iter().flat_map(|s| s.1.iter().copied()).max().unwrap_or(0).max(1);
    let label_width = points.iter().map(|p| text_width(p)).fold(0.0, f64::max);
    let axis_width = text_width(&max.to_string()) + 8.0;
    // Point labels stand upright if they fit between points, else they are
    // turned 45° and the margins grow to hold them.
    let upright_step = (WIDTH - axis_width - label_width) / (points.len() - 1) as f64;
    let upright = upright_step >= label_width + 6.0;
    let diagonal = label_width * std::f64::consts::FRAC_1_SQRT_2;
    let (left, right, below) = if upright {
        (axis_width + label_width / 2.0, label_width / 2.0 + 4.0, FONT + 8.0)
    } else {
        (axis_width.max(diagonal + 4.0), 12.0, diagonal + FONT + 8.0)
    };
    let (top, plot) = (12.0, 180.0);
    let step = (WIDTH - left - right) / (points.len() - 1) as f64;
    let x_of = |i: usize| left + step * i as f64;
    let y_of = |v: u32| top + plot - plot * f64::from(v) / f64::from(max);
    let legend_top = top + plot + below + 8.0;
    let height = legend_top + series.len() as f64 * (LINE + 4.0) + 4.0;

    let mut s = String::new();
    open(&mut s, title, height);
    for v in [0, max] {
        let _ = write!(
            s,
            r##"<line x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{}"/><text x="{:.1}" y="{:.1}" font-size="{FONT}" text-anchor="end" fill="#555">{v}</text>"##,
            WIDTH - right,
            if v == 0 { "#888" } else { "#ddd" },
            left - 6.0,
            y_of(v) + FONT * 0.35,
            y = y_of(v)
        );
    }
    for (i, label) in points.iter().enumerate() {
        let (x, y) = (x_of(i), top + plot + FONT + 4.0);
        if upright {
            let _ = write!(
                s,
                r##"<text x="{x:.1}" y="{y:.1}" font-size="{FONT}" text-anchor="middle" fill="#333">{}</text>"##,
                escape(label)
            );
        } else {
            let _ = write!(
                s,
                r##"<text x="{x:.1}" y="{y:.1}" font-size="{FONT}" text-anchor="end" transform="rotate(-45 {x:.1} {y:.1})" fill="#333">{}</text>"##,
                escape(label)
            );
        }
    }
    for (k, (name, values)) in series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let path: Vec<String> =
            values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x_of(i), y_of(*v))).collect();
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"><title>{}</title></polyline>"#,
            path.join(" "),
            escape(name)
        );
        for (i, v) in values.iter().enumerate() {
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"><title>{}, {}: {v}</title></circle>"#,
                x_of(i),
                y_of(*v),
                escape(name),
                escape(points.get(i).map_or("", String::as_str))
            );
        }
        let ly = legend_top + k as f64 * (LINE + 4.0);
        let _ = write!(s, r#"<rect x="{left:.1}" y="{ly:.1}" width="10" height="10" fill="{colour}"/>"#);
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="{FONT}" fill="#333">{}</text>"##,
            left + 16.0,
            ly + 10.0,
            escape(name)
        );
    }
    s.push_str("</svg>");
    s
}
