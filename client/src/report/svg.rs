//! Small inline SVG charts for the HTML report: no scripts, no external
//! assets, printable.

use std::fmt::Write;

const COLOURS: [&str; 8] = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7a8a", "#57606a"];

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// A vertical bar chart of labelled values.
pub fn bars(title: &str, items: &[(String, u32)], colour: usize) -> String {
    let (width, height, left, bottom, top) = (640.0, 240.0, 40.0, 50.0, 24.0);
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1) as f64;
    let slot = (width - left - 10.0) / items.len().max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = escape(title)
    );
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#888"/>"##,
        y = height - bottom,
        x2 = width - 10.0
    );
    let _ = write!(s, r##"<text x="4" y="{}" font-size="11" fill="#555">{}</text>"##, top, max as u32);
    for (i, (label, value)) in items.iter().enumerate() {
        let h = (height - bottom - top) * f64::from(*value) / max;
        let x = left + slot * i as f64 + slot * 0.15;
        let y = height - bottom - h;
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{c}"><title>{l}: {value}</title></rect>"#,
            w = slot * 0.7,
            c = COLOURS[colour % COLOURS.len()],
            l = escape(label)
        );
        let _ = write!(
            s,
            r##"<text x="{cx:.1}" y="{ty:.1}" font-size="10" text-anchor="end" transform="rotate(-35 {cx:.1} {ty:.1})" fill="#333">{l}</text>"##,
            cx = x + slot * 0.35,
            ty = height - bottom + 14.0,
            l = escape(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// A line per series over the same labelled points, with a legend.
pub fn lines(title: &str, points: &[String], series: &[(String, Vec<u32>)]) -> String {
    let (width, height, left, bottom, top) = (640.0, 260.0, 40.0, 70.0, 24.0);
    let max = series.iter().flat_map(|s| s.1.iter().copied()).max().unwrap_or(0).max(1) as f64;
    let step = if points.len() > 1 { (width - left - 20.0) / (points.len() - 1) as f64 } else { 0.0 };
    let x_of = |i: usize| left + 10.0 + step * i as f64;
    let y_of = |v: u32| height - bottom - (height - bottom - top) * f64::from(v) / max;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = escape(title)
    );
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#888"/>"##,
        y = height - bottom,
        x2 = width - 10.0
    );
    let _ = write!(s, r##"<text x="4" y="{}" font-size="11" fill="#555">{}</text>"##, top, max as u32);
    for (i, label) in points.iter().enumerate() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#333">{}</text>"##,
            x_of(i),
            height - bottom + 14.0,
            escape(label)
        );
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
        let lx = left + (k % 3) as f64 * 200.0;
        let ly = height - 30.0 + (k / 3) as f64 * 14.0;
        let _ = write!(s, r#"<rect x="{lx}" y="{:.1}" width="10" height="10" fill="{colour}"/>"#, ly - 9.0);
        let _ =
            write!(s, r##"<text x="{:.1}" y="{ly:.1}" font-size="11" fill="#333">{}</text>"##, lx + 14.0, escape(name));
    }
    s.push_str("</svg>");
    s
}
