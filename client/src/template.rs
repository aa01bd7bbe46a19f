//! The note template people edit: TOML with comments that list the choices.
//! Parsing refuses a newer schema version first, then unknown keys, so a
//! typo is an error rather than a silently dropped field.

use std::io::{BufRead, Write};

use visitnotes_shared::note::{Activity, NoteError, Theme, VisitNote, SCHEMA_VERSION};

fn snake<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A commented template, filled with `note` (or an empty note for today).
pub fn render(note: Option<&VisitNote>, units: &[String]) -> String {
    let today = chrono::Utc::now().date_naive();
    let empty = VisitNote::blank(today);
    let note = note.unwrap_or(&empty);
    let body = toml::to_string(note).expect("a note serialises as TOML");
    let activities: Vec<String> = Activity::ALL.iter().map(snake).collect();
    let themes: Vec<String> = Theme::ALL.iter().map(snake).collect();
    format!(
        "# Visit note. Lines starting with # are ignored. Numbers only: never write a name.\n\
         # units: one or more of: {}\n\
         # activities: {}\n\
         # themes: {}\n\
         # A concern is a block like this (severity: low, medium, high, urgent;\n\
         # follow_up: open, in_progress, closed):\n\
         #   [[concerns]]\n\
         #   severity = \"high\"\n\
         #   description = \"what, without names\"\n\
         #   consent_to_follow_up = true\n\
         #   reported_to = \"centre health service\"\n\
         #   reported_on = \"{today}\"\n\
         #   follow_up = \"open\"\n\
         \n{body}",
        units.join(", "),
        activities.join(", "),
        themes.join(", "),
    )
}

/// Parses a filled-in template (TOML) or a JSON note.
pub fn parse(text: &str) -> Result<VisitNote, NoteError> {
    if text.trim_start().starts_with('{') {
        return VisitNote::from_json(text);
    }
    let value: toml::Value = toml::from_str(text).map_err(|e| NoteError::Parse(e.to_string()))?;
    let version = value.get("schema_version").and_then(|v| v.as_integer()).unwrap_or(i64::from(SCHEMA_VERSION));
    if version > i64::from(SCHEMA_VERSION) {
        return Err(NoteError::NewerSchema { found: version as u32, supported: SCHEMA_VERSION });
    }
    let mut table = value;
    if let Some(t) = table.as_table_mut() {
        t.entry("schema_version").or_insert(toml::Value::Integer(i64::from(SCHEMA_VERSION)));
    }
    table.try_into().map_err(|e: toml::de::Error| NoteError::Parse(e.to_string()))
}

/// Asks for a note question by question, for when no editor is set.
pub fn ask(input: &mut dyn BufRead, out: &mut dyn Write, units: &[String]) -> Result<VisitNote, NoteError> {
    let mut line = |question: &str| -> String {
        let _ = write!(out, "{question}: ");
        let _ = out.flush();
        let mut answer = String::new();
        let _ = input.read_line(&mut answer);
        answer.trim().to_owned()
    };
    let list =
        |s: String| -> Vec<String> { s.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect() };
    let date = line("Visit date (YYYY-MM-DD, empty for today)");
    let units_answer = list(line(&format!("Units visited, comma-separated ({})", units.join(", "))));
    let volunteers = line("Number of volunteers");
    let met = line("Number of people met");
    let activities =
        list(line("Activities, comma-separated (conversation, games, sports, bingo, shared_event, other)"));
    let themes = list(line("Themes, comma-separated (e.g. food, mental_health, lock_in; empty for none)"));
    let summary = line("Summary (one line, no names)");
    let mut doc = toml::Table::new();
    let today = chrono::Utc::now().date_naive().to_string();
    doc.insert("visit_date".into(), toml::Value::String(if date.is_empty() { today } else { date }));
    doc.insert("units".into(), toml::Value::Array(units_answer.into_iter().map(toml::Value::String).collect()));
    for (key, value) in [("volunteers", volunteers), ("people_met", met)] {
        let n: i64 = value.parse().map_err(|_| NoteError::Parse(format!("{key}: {value:?} is not a number")))?;
        doc.insert(key.into(), toml::Value::Integer(n));
    }
    doc.insert("activities".into(), toml::Value::Array(activities.into_iter().map(toml::Value::String).collect()));
    doc.insert("themes".into(), toml::Value::Array(themes.into_iter().map(toml::Value::String).collect()));
    doc.insert("summary".into(), toml::Value::String(summary));
    doc.insert("language".into(), toml::Value::String("en".into()));
    parse(&toml::to_string(&doc).expect("a table serialises"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses_back() {
        let units = vec!["Unit A".to_owned()];
        let text = render(None, &units);
        let note = parse(&text).unwrap();
        assert_eq!(note.schema_version, SCHEMA_VERSION);
        assert!(note.units.is_empty());
    }

    #[test]
    fn typos_and_newer_versions_are_refused() {
        let text = render(None, &[]).replace("volunteers = 0", "volunters = 0");
        assert!(matches!(parse(&text), Err(NoteError::Parse(_))));
        let newer = render(None, &[]).replace("schema_version = 1", "schema_version = 9");
        assert!(matches!(parse(&newer), Err(NoteError::NewerSchema { found: 9, .. })));
        let negative = render(None, &[]).replace("people_met = 0", "people_met = -2");
        assert!(parse(&negative).unwrap_err().to_string().contains("negative"));
    }

    #[test]
    fn questions() {
        let answers = "2026-01-02\nUnit A, Unit B\n3\n12\nconversation, bingo\nfood\nCalm.\n";
        let mut out = Vec::new();
        let note = ask(&mut answers.as_bytes(), &mut out, &[]).unwrap();
        assert_eq!(note.units, vec!["Unit A", "Unit B"]);
        assert_eq!(note.people_met, 12);
        assert_eq!(note.themes, vec![Theme::Food]);
    }
}
