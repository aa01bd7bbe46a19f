//! The note form as the browser sends it: `from_pairs` reads the posted
//! fields into the core's `NoteForm` (which checks it) and the button that
//! was pressed; `Resume` and `ResumeFollowUp` carry a form sent while the
//! profile was locked back through the unlock page.

use std::collections::BTreeMap;

pub use visitnotes_core::form::{code, period, ConcernForm, Errors, NoteForm, MAX_CONCERNS};

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

/// Applies an action that changes the form itself (a concern group more
/// or less); true when it did.
pub fn apply(form: &mut NoteForm, action: Action) -> bool {
    match action {
        Action::AddConcern => form.add_concern(),
        Action::RemoveConcern(i) => form.remove_concern(i),
        Action::Save | Action::Draft => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use visitnotes_core::i18n::Lang;
    use visitnotes_shared::note::{Severity, Theme};

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_filled_form_is_the_note() {
        let (form, action) = from_pairs(&pairs(&[
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
        let (form, _) = from_pairs(&pairs(&[
            ("date", "31.02.2026"),
            ("unit", "Unit A"),
            ("volunteers", "-2"),
            ("people_met", "many"),
            ("concern-0-severity", "high"),
            ("concern-0-description", "kept text"),
            ("concern-0-reported_on", "yesterday"),
            ("summary", "kept summary"),
            ("language", "en"),
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
        apply(&mut form, Action::AddConcern);
        let errors = form.to_note(&["Unit A".into()], day(2026, 11, 27), Lang::En).unwrap_err();
        assert!(errors.contains_key("concern-0-description"), "{errors:?}");
    }

    #[test]
    fn concerns_are_added_and_removed_by_button() {
        let mut form = NoteForm::default();
        assert!(apply(&mut form, Action::AddConcern));
        assert!(apply(&mut form, Action::AddConcern));
        form.concerns[1].description = "second".into();
        assert!(apply(&mut form, Action::parse("remove_concern_0")));
        assert_eq!(form.concerns.len(), 1);
        assert_eq!(form.concerns[0].description, "second");
        assert!(!apply(&mut form, Action::parse("remove_concern_9")));
        assert_eq!(Action::parse("anything"), Action::Draft);
        assert!(!apply(&mut form, Action::Save));
    }
}
