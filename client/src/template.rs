//! The note template people edit: TOML with comments that list the choices.
//! Parsing refuses a newer schema version first, then unknown keys, so a
//! typo is an error rather than a silently dropped field.

use visitnotes_shared::note::{Activity, NoteError, Theme, VisitNote, SCHEMA_VERSION};

/// A commented template, filled with `note` (or an empty note for today).
pub fn render(note: Option<&VisitNote>, units: &[String]) -> String {
    let today = visitnotes_core::dates::today();
    let empty = VisitNote::blank(today);
    let note = note.unwrap_or(&empty);
    let body = toml::to_string(note).expect("a note serialises as TOML");
    let activities: Vec<String> = Activity::ALL.iter().map(|a| a.as_str().to_owned()).collect();
    let themes: Vec<String> = Theme::ALL.iter().map(|t| t.as_str().to_owned()).collect();
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
        normalise_date(t, "visit_date")?;
        if let Some(toml::Value::Array(concerns)) = t.get_mut("concerns") {
            for concern in concerns.iter_mut().filter_map(toml::Value::as_table_mut) {
                normalise_date(concern, "reported_on")?;
                normalise_date(concern, "closed_on")?;
            }
        }
    }
    table.try_into().map_err(|e: toml::de::Error| NoteError::Parse(e.to_string()))
}

/// Rewrites a date written as `27.11.2026` or `27/11/2026` (a string, or
/// a bare TOML date) to the ISO form the note's schema reads.
fn normalise_date(table: &mut toml::Table, key: &str) -> Result<(), NoteError> {
    let text = match table.get(key) {
        Some(toml::Value::String(text)) => text.clone(),
        Some(toml::Value::Datetime(date)) => date.to_string(),
        _ => return Ok(()),
    };
    let date = visitnotes_core::dates::parse(&text).map_err(|e| NoteError::Parse(format!("{key}: {e}")))?;
    table.insert(key.to_owned(), toml::Value::String(date.to_string()));
    Ok(())
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
    fn dates_in_the_template_take_the_usual_forms() {
        let text = render(None, &[]);
        let line = text.lines().find(|l| l.starts_with("visit_date")).unwrap().to_owned();
        let note = parse(&text.replace(&line, "visit_date = \"27.11.2026\"")).unwrap();
        assert_eq!(note.visit_date.to_string(), "2026-11-27");
        let err = parse(&text.replace(&line, "visit_date = \"11-27-2026\"")).unwrap_err().to_string();
        assert!(err.contains("DD.MM.YYYY"), "{err}");
    }
}
