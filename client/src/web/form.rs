//! The note form as typed: every field kept as the person wrote it (text,
//! ticked boxes), so that a page with an error shows everything again, and
//! a draft holds what was typed even when it is not a valid note yet.
//!
//! `to_note` turns it into a `VisitNote`, with an error per field; the
//! note's own checks (`VisitNote::validate`, run again by `ops::write`)
//! come last, their error put next to the field it is about.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use visitnotes_shared::note::{
    Activity, Concern, FollowUp, NoteError, Severity, Theme, TracingRequests, VisitNote, SCHEMA_VERSION,
};

use visitnotes_core::i18n::Lang;

/// The most concern groups one form holds (a visit note has a few).
pub const MAX_CONCERNS: usize = 50;

pub use visitnotes_core::vocabulary::code;
use visitnotes_core::vocabulary::from_code;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoteForm {
    pub date: String,
    pub units: Vec<String>,
    pub volunteers: String,
    pub people_met: String,
    pub activities: Vec<String>,
    pub themes: Vec<String>,
    /// One theme outside the list per line.
    pub other_themes: String,
    pub concerns: Vec<ConcernForm>,
    pub tracing_count: String,
    pub tracing_note: String,
    pub summary: String,
    pub language: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConcernForm {
    pub severity: String,
    pub description: String,
    /// The person concerned agreed to follow-up.
    pub consent: bool,
    pub follow_up: String,
    pub reported_to: String,
    pub reported_on: String,
    pub closed_on: String,
}

impl ConcernForm {
    pub fn blank() -> ConcernForm {
        ConcernForm {
            severity: code(&Severity::Medium).into(),
            follow_up: code(&FollowUp::Open).into(),
            ..ConcernForm::default()
        }
    }
}

/// A note form sent while the profile was locked (the idle lock fired
/// while someone was typing): it travels back to the browser inside the
/// unlock form, not kept in this process unsealed, and becomes a draft
/// once the profile is unlocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    /// The draft's key: `new` or `edit:NOTE_ID`.
    pub key: String,
    pub form: NoteForm,
}

impl Resume {
    /// From the unlock form's hidden fields; none when absent or not ours.
    pub fn from_fields(key: Option<&str>, form: Option<&str>) -> Option<Resume> {
        let key = key?;
        let valid = key == visitnotes_core::ops::drafts::NEW_NOTE
            || key.strip_prefix("edit:").is_some_and(|id| {
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            });
        if !valid {
            return None;
        }
        Some(Resume { key: key.to_owned(), form: serde_json::from_str(form?).ok()? })
    }

    pub fn form_json(&self) -> String {
        serde_json::to_string(&self.form).expect("a form serialises")
    }

    /// The form's page, where the draft is offered.
    pub fn path(&self) -> String {
        match self.key.strip_prefix("edit:") {
            Some(id) => format!("/notes/{id}/edit"),
            None => "/notes/new".to_owned(),
        }
    }
}

/// A coordinator's follow-up form sent while the profile was locked: like
/// `Resume`, it travels back inside the unlock form, and once unlocked it
/// comes back filled in on the note page (kept in memory for that one
/// page, never written anywhere), to be checked and recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeFollowUp {
    pub note_id: String,
    /// The concern's number, from 1.
    pub concern: u32,
    pub status: String,
    pub date: String,
    pub text: String,
}

impl ResumeFollowUp {
    /// The unlock form's hidden fields (name, value).
    pub fn fields(&self) -> [(&'static str, String); 5] {
        [
            ("resume_fu_note", self.note_id.clone()),
            ("resume_fu_concern", self.concern.to_string()),
            ("resume_fu_status", self.status.clone()),
            ("resume_fu_date", self.date.clone()),
            ("resume_fu_text", self.text.clone()),
        ]
    }

    /// From the unlock form's hidden fields; none when absent or not ours.
    pub fn from_fields(get: &dyn Fn(&str) -> Option<String>) -> Option<ResumeFollowUp> {
        let note_id = get("resume_fu_note")?;
        let valid = !note_id.is_empty() && note_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let concern = get("resume_fu_concern")?.parse().ok().filter(|n| *n >= 1)?;
        valid.then(|| ResumeFollowUp {
            note_id,
            concern,
            status: get("resume_fu_status").unwrap_or_default(),
            date: get("resume_fu_date").unwrap_or_default(),
            text: get("resume_fu_text").unwrap_or_default(),
        })
    }

    /// The note page, at the concern's form.
    pub fn path(&self) -> String {
        format!("/notes/{}#show-concern-{}", self.note_id, self.concern - 1)
    }
}

/// What the submit button asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Seal the note.
    Save,
    /// Keep it as a draft and show the form again.
    Draft,
    AddConcern,
    RemoveConcern(usize),
}

impl Action {
    pub fn parse(value: &str) -> Action {
        match value {
            "save" => Action::Save,
            "add_concern" => Action::AddConcern,
            _ => match value.strip_prefix("remove_concern_").and_then(|n| n.parse().ok()) {
                Some(n) => Action::RemoveConcern(n),
                // Enter in a text field, or anything unknown: keep
                // everything and show the form again, never seal by surprise.
                None => Action::Draft,
            },
        }
    }
}

/// A period typed as two dates, `from` and `to`, each read into its field
/// or its error put next to it. An empty field is `None`, and an error too
/// when the period is `required` (its message
/// `{missing_prefix}-{field}-missing`). Whether it ends before it starts
/// is for the caller: the report asks `ops::report::options`.
pub fn period(
    from: &str,
    to: &str,
    missing_prefix: Option<&str>,
    lang: Lang,
    errors: &mut Errors,
) -> (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) {
    let mut date = |field: &str, text: &str| {
        let text = text.trim();
        if text.is_empty() {
            if let Some(prefix) = missing_prefix {
                errors.insert(field.to_owned(), lang.t(&format!("{prefix}-{field}-missing")));
            }
            return None;
        }
        visitnotes_core::dates::parse(text)
            .map_err(|_| errors.insert(field.to_owned(), lang.ta("error-date", &[("value", text)])))
            .ok()
    };
    (date("from", from), date("to", to))
}

/// Errors by field name (`date`, `units`, `concern-0-description`, ...,
/// and `form` for the note as a whole), in the page's language.
pub type Errors = BTreeMap<String, String>;

impl NoteForm {
    /// A new note's form: today's date in the page's form, nothing else.
    pub fn blank(lang: Lang, today: chrono::NaiveDate) -> NoteForm {
        NoteForm { date: lang.input_date(today), language: lang.tag().to_owned(), ..NoteForm::default() }
    }

    /// The form of a saved note, for an edit.
    pub fn from_note(note: &VisitNote, lang: Lang) -> NoteForm {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| lang.input_date(d)).unwrap_or_default();
        NoteForm {
            date: lang.input_date(note.visit_date),
            units: note.units.clone(),
            volunteers: note.volunteers.to_string(),
            people_met: note.people_met.to_string(),
            activities: note.activities.iter().map(|a| code(a).to_owned()).collect(),
            themes: note.themes.iter().map(|t| code(t).to_owned()).collect(),
            other_themes: note.other_themes.join("\n"),
            concerns: note
                .concerns
                .iter()
                .map(|c| ConcernForm {
                    severity: code(&c.severity).into(),
                    description: c.description.clone(),
                    consent: c.consent_to_follow_up,
                    follow_up: code(&c.follow_up).into(),
                    reported_to: c.reported_to.clone().unwrap_or_default(),
                    reported_on: date(c.reported_on),
                    closed_on: date(c.closed_on),
                })
                .collect(),
            tracing_count: note.tracing_requests.count.to_string(),
            tracing_note: note.tracing_requests.note.clone(),
            summary: note.summary.clone(),
            language: note.language.clone(),
        }
    }

    /// The form from posted `name=value` pairs; the action asked for.
    pub fn from_pairs(pairs: &[(String, String)]) -> (NoteForm, Action) {
        let mut form = NoteForm::default();
        let mut action = Action::Draft;
        let mut concerns: BTreeMap<usize, ConcernForm> = BTreeMap::new();
        for (name, value) in pairs {
            match name.as_str() {
                "date" => form.date = value.clone(),
                "unit" => form.units.push(value.clone()),
                "volunteers" => form.volunteers = value.clone(),
                "people_met" => form.people_met = value.clone(),
                "activity" => form.activities.push(value.clone()),
                "theme" => form.themes.push(value.clone()),
                "other_themes" => form.other_themes = value.clone(),
                "tracing_count" => form.tracing_count = value.clone(),
                "tracing_note" => form.tracing_note = value.clone(),
                "summary" => form.summary = value.clone(),
                "language" => form.language = value.clone(),
                "action" => action = Action::parse(value),
                other => {
                    let Some((index, field)) = other.strip_prefix("concern-").and_then(|r| r.split_once('-')) else {
                        continue;
                    };
                    let Some(index) = index.parse::<usize>().ok().filter(|i| *i < MAX_CONCERNS) else { continue };
                    let concern = concerns.entry(index).or_default();
                    match field {
                        "severity" => concern.severity = value.clone(),
                        "description" => concern.description = value.clone(),
                        "consent" => concern.consent = true,
                        "follow_up" => concern.follow_up = value.clone(),
                        "reported_to" => concern.reported_to = value.clone(),
                        "reported_on" => concern.reported_on = value.clone(),
                        "closed_on" => concern.closed_on = value.clone(),
                        _ => {}
                    }
                }
            }
        }
        form.concerns = concerns.into_values().collect();
        (form, action)
    }

    /// Applies an action that changes the form itself (a concern group
    /// more or less); true when it did.
    pub fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::AddConcern if self.concerns.len() < MAX_CONCERNS => {
                self.concerns.push(ConcernForm::blank());
                true
            }
            Action::RemoveConcern(i) if i < self.concerns.len() => {
                self.concerns.remove(i);
                true
            }
            _ => false,
        }
    }

    /// The note, or what is wrong, field by field.
    pub fn to_note(&self, units: &[String], latest: chrono::NaiveDate, lang: Lang) -> Result<VisitNote, Errors> {
        let mut errors = Errors::new();
        let date = |field: &str, text: &str, errors: &mut Errors| -> Option<chrono::NaiveDate> {
            match visitnotes_core::dates::parse(text) {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.insert(field.to_owned(), lang.ta("error-date", &[("value", text.trim())]));
                    None
                }
            }
        };
        let count = |field: &str, text: &str, errors: &mut Errors| -> u32 {
            let text = text.trim();
            if text.is_empty() {
                return 0;
            }
            match text.parse::<i64>() {
                Ok(n) if n < 0 => {
                    errors.insert(field.to_owned(), lang.t("error-count-negative"));
                    0
                }
                Ok(n) => u32::try_from(n).unwrap_or_else(|_| {
                    errors.insert(field.to_owned(), lang.t("error-count-implausible"));
                    0
                }),
                Err(_) => {
                    errors.insert(field.to_owned(), lang.ta("error-count", &[("value", text)]));
                    0
                }
            }
        };
        let visit_date = date("date", &self.date, &mut errors);
        let volunteers = count("volunteers", &self.volunteers, &mut errors);
        let people_met = count("people_met", &self.people_met, &mut errors);
        let tracing_count = count("tracing_count", &self.tracing_count, &mut errors);
        let activities: Vec<Activity> = self.activities.iter().filter_map(|a| from_code(a)).collect();
        let themes: Vec<Theme> = self.themes.iter().filter_map(|t| from_code(t)).collect();
        let mut concerns = Vec::new();
        for (i, c) in self.concerns.iter().enumerate() {
            let field = |name: &str| format!("concern-{i}-{name}");
            let optional_date = |name: &str, text: &str, errors: &mut Errors| {
                if text.trim().is_empty() {
                    None
                } else {
                    date(&field(name), text, errors)
                }
            };
            let reported_on = optional_date("reported_on", &c.reported_on, &mut errors);
            let closed_on = optional_date("closed_on", &c.closed_on, &mut errors);
            let severity = from_code(&c.severity).unwrap_or_else(|| {
                errors.insert(field("severity"), lang.t("error-severity"));
                Severity::Medium
            });
            let follow_up = from_code(&c.follow_up).unwrap_or(FollowUp::Open);
            concerns.push(Concern {
                severity,
                description: c.description.trim().to_owned(),
                consent_to_follow_up: c.consent,
                reported_to: Some(c.reported_to.trim().to_owned()).filter(|s| !s.is_empty()),
                reported_on,
                follow_up,
                closed_on,
            });
        }
        let note = VisitNote {
            schema_version: SCHEMA_VERSION,
            visit_date: visit_date.unwrap_or(latest),
            units: self.units.clone(),
            volunteers,
            people_met,
            activities,
            themes,
            other_themes: self
                .other_themes
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            concerns,
            tracing_requests: TracingRequests { count: tracing_count, note: self.tracing_note.trim().to_owned() },
            summary: self.summary.trim().to_owned(),
            language: self.language.trim().to_owned(),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        match note.validate(units, latest) {
            Ok(()) => Ok(note),
            Err(e) => {
                self.place(&note, &e, lang, &mut errors);
                Err(errors)
            }
        }
    }

    /// Puts the note's own error next to the field it is about.
    fn place(&self, note: &VisitNote, error: &NoteError, lang: Lang, errors: &mut Errors) {
        let concerns_where = |bad: &dyn Fn(&Concern) -> bool| -> Vec<String> {
            note.concerns
                .iter()
                .enumerate()
                .filter(|(_, c)| bad(c))
                .map(|(i, _)| format!("concern-{i}-description"))
                .collect()
        };
        match error {
            NoteError::FutureDate(_) => {
                errors.insert("date".into(), lang.t("error-future-date"));
            }
            NoteError::Empty => {
                errors.insert("form".into(), lang.t("error-empty-note"));
            }
            NoteError::NoUnit => {
                errors.insert("units".into(), lang.t("error-no-unit"));
            }
            NoteError::UnknownUnit { unit, .. } => {
                errors.insert("units".into(), lang.ta("error-unknown-unit", &[("unit", unit)]));
            }
            NoteError::TooLong { field } => {
                let text = lang.t("error-too-long");
                match *field {
                    "summary" => {
                        errors.insert("summary".into(), text);
                    }
                    "tracing note" => {
                        errors.insert("tracing_note".into(), text);
                    }
                    _ => {
                        for f in concerns_where(&|c| c.description.len() > visitnotes_shared::note::MAX_TEXT) {
                            errors.insert(f, text.clone());
                        }
                    }
                }
            }
            NoteError::Language(_) => {
                errors.insert("language".into(), lang.t("error-language"));
            }
            NoteError::EmptyConcern => {
                for f in concerns_where(&|c| c.description.is_empty()) {
                    errors.insert(f, lang.t("error-empty-concern"));
                }
            }
            NoteError::NewerSchema { .. } | NoteError::Parse(_) => {
                errors.insert("form".into(), error.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_filled_form_is_the_note() {
        let (form, action) = NoteForm::from_pairs(&pairs(&[
            ("date", "03.03.2026"),
            ("unit", "Unit A"),
            ("volunteers", "3"),
            ("people_met", " 7 "),
            ("activity", "bingo"),
            ("theme", "lock_in"),
            ("theme", "food"),
            ("concern-0-severity", "high"),
            ("concern-0-description", "asked to see a doctor"),
            ("concern-0-consent", "yes"),
            ("concern-0-follow_up", "open"),
            ("summary", "Calm"),
            ("language", "en"),
            ("action", "save"),
        ]));
        assert_eq!(action, Action::Save);
        let note = form.to_note(&["Unit A".into()], day(2026, 11, 27), Lang::En).unwrap();
        assert_eq!(note.visit_date, day(2026, 3, 3));
        assert_eq!((note.volunteers, note.people_met), (3, 7));
        assert_eq!(note.themes, vec![Theme::LockIn, Theme::Food]);
        assert_eq!(note.concerns[0].severity, Severity::High);
        assert!(note.concerns[0].consent_to_follow_up);
        // And back: the edit form shows the same.
        let again = NoteForm::from_note(&note, Lang::En).to_note(&["Unit A".into()], day(2026, 11, 27), Lang::En);
        assert_eq!(again.unwrap(), note);
    }

    #[test]
    fn each_mistake_is_named_at_its_field_and_nothing_is_dropped() {
        let (form, _) = NoteForm::from_pairs(&pairs(&[
            ("date", "31.02.2026"),
            ("unit", "Unit A"),
            ("volunteers", "-2"),
            ("people_met", "many"),
            ("concern-0-severity", "high"),
            ("concern-0-description", "kept text"),
            ("concern-0-reported_on", "yesterday"),
            ("summary", "kept summary"),
        ]));
        let errors = form.to_note(&["Unit A".into()], day(2026, 11, 27), Lang::En).unwrap_err();
        let fields: Vec<_> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["concern-0-reported_on", "date", "people_met", "volunteers"]);
        assert!(errors["date"].contains("31.02.2026"), "{}", errors["date"]);
        assert_eq!(form.summary, "kept summary");
        assert_eq!(form.concerns[0].description, "kept text");
    }

    #[test]
    fn the_notes_own_checks_land_next_to_their_field() {
        let form = NoteForm { date: "01.01.2027".into(), units: vec!["Unit A".into()], ..NoteForm::default() };
        let errors = form.to_note(&["Unit A".into()], day(2026, 11, 27), Lang::Nb).unwrap_err();
        assert!(errors.contains_key("date"), "{errors:?}");
        let mut form = NoteForm { date: "01.01.2026".into(), people_met: "3".into(), ..NoteForm::default() };
        form.language = "en".into();
        let errors = form.to_note(&["Unit A".into()], day(2026, 11, 27), Lang::En).unwrap_err();
        assert!(errors.contains_key("units"), "{errors:?}");
        form.units = vec!["Unit A".into()];
        form.apply(Action::AddConcern);
        let errors = form.to_note(&["Unit A".into()], day(2026, 11, 27), Lang::En).unwrap_err();
        assert!(errors.contains_key("concern-0-description"), "{errors:?}");
    }

    #[test]
    fn concerns_are_added_and_removed_by_button() {
        let mut form = NoteForm::default();
        assert!(form.apply(Action::AddConcern));
        assert!(form.apply(Action::AddConcern));
        form.concerns[1].description = "second".into();
        assert!(form.apply(Action::parse("remove_concern_0")));
        assert_eq!(form.concerns.len(), 1);
        assert_eq!(form.concerns[0].description, "second");
        assert!(!form.apply(Action::parse("remove_concern_9")));
        assert_eq!(Action::parse("anything"), Action::Draft);
    }
}
