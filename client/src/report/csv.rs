//! CSV: one row per note; free text only with `--include-text`.

use super::i18n::Labels;
use super::Report;

fn snake<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

pub fn render(r: &Report, _labels: &Labels) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "note_id",
        "visit_date",
        "units",
        "volunteers",
        "people_met",
        "activities",
        "themes",
        "concerns",
        "max_severity",
        "tracing_requests",
    ];
    if r.include_text {
        header.push("summary");
    }
    writer.write_record(&header).expect("writing to memory");
    for n in &r.notes {
        let mut row = vec![
            n.note_id.clone(),
            n.date.to_string(),
            n.units.join(";"),
            n.volunteers.to_string(),
            n.people_met.to_string(),
            n.activities.iter().map(snake).collect::<Vec<_>>().join(";"),
            n.themes.iter().map(snake).collect::<Vec<_>>().join(";"),
            n.concerns.to_string(),
            n.max_severity.map(|s| snake(&s)).unwrap_or_default(),
            n.tracing_requests.to_string(),
        ];
        if let Some(summary) = &n.summary {
            row.push(summary.clone());
        }
        writer.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 fields")
}
