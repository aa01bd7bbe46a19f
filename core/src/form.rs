//! The note form as typed: every field kept as the person wrote it (text,
//! ticked boxes), so that a form with an error shows everything again, and
//! a draft holds what was typed even when it is not a valid note yet.
//! Every door that takes a note from a form (the web app, the phone
//! library) fills a `NoteForm` and asks `to_note`.
//!
//! `to_note` turns it into a `VisitNote`, or says everything that is wrong
//! at once, each in the person's language next to its field: what does
//! not read (a date, a count) and the note's own checks
//! (`VisitNote::problems`, run again by `ops::write` as `validate`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use visitnotes_shared::note::{
    Activity, Concern, FollowUp, NoteError, Severity, Theme, TracingRequests, VisitNote, SCHEMA_VERSION,
};

use crate::i18n::Lang;

/// The most concern groups one form holds (a visit note has a few).
pub const MAX_CONCERNS: usize = 50;

pub use crate::vocabulary::code;
use crate::vocabulary::from_code;

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
        crate::dates::parse(text)
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

    /// One more concern group, blank; false when the form holds the most.
    pub fn add_concern(&mut self) -> bool {
        let room = self.concerns.len() < MAX_CONCERNS;
        if room {
            self.concerns.push(ConcernForm::blank());
        }
        room
    }

    /// Removes concern group `index`; false when there is none.
    pub fn remove_concern(&mut self, index: usize) -> bool {
        let there = index < self.concerns.len();
        if there {
            self.concerns.remove(index);
        }
        there
    }

    /// The note, or what is wrong, field by field.
    pub fn to_note(&self, units: &[String], latest: chrono::NaiveDate, lang: Lang) -> Result<VisitNote, Errors> {
        let mut errors = Errors::new();
        let date = |field: &str, text: &str, errors: &mut Errors| -> Option<chrono::NaiveDate> {
            match crate::dates::parse(text) {
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
        // The note's own checks too, even when a field did not read: every
        // mistake is shown at once. A field that did not read keeps its
        // own message (its stand-in value could only add a confusing one).
        let unread = !errors.is_empty();
        for problem in note.problems(units, latest) {
            if unread && problem == NoteError::Empty {
                // A count that did not read stands in as 0: the note is
                // not empty, its field is wrong.
                continue;
            }
            place(&note, &problem, lang, &mut errors);
        }
        if errors.is_empty() {
            Ok(note)
        } else {
            Err(errors)
        }
    }
}

/// Puts one of the note's own problems next to the field it is about,
/// unless that field already has a message.
fn place(note: &VisitNote, error: &NoteError, lang: Lang, errors: &mut Errors) {
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
            insert(errors, "date".into(), lang.t("error-future-date"));
        }
        NoteError::Empty => {
            insert(errors, "form".into(), lang.t("error-empty-note"));
        }
        NoteError::NoUnit => {
            insert(errors, "units".into(), lang.t("error-no-unit"));
        }
        NoteError::UnknownUnit { unit, .. } => {
            insert(errors, "units".into(), lang.ta("error-unknown-unit", &[("unit", unit)]));
        }
        NoteError::TooLong { field } => {
            let text = lang.t("error-too-long");
            match *field {
                "summary" => {
                    insert(errors, "summary".into(), text);
                }
                "tracing note" => {
                    insert(errors, "tracing_note".into(), text);
                }
                _ => {
                    for f in concerns_where(&|c| c.description.len() > visitnotes_shared::note::MAX_TEXT) {
                        insert(errors, f, text.clone());
                    }
                }
            }
        }
        NoteError::Language(_) => {
            insert(errors, "language".into(), lang.t("error-language"));
        }
        NoteError::EmptyConcern => {
            for f in concerns_where(&|c| c.description.is_empty()) {
                insert(errors, f, lang.t("error-empty-concern"));
            }
        }
        NoteError::NewerSchema { .. } | NoteError::Parse(_) => {
            insert(errors, "form".into(), error.to_string());
        }
    }
}

fn insert(errors: &mut Errors, field: String, message: String) {
    errors.entry(field).or_insert(message);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// People met −1, a date in the future and no unit: three mistakes, all
    /// named in one answer, next to their fields, and nothing typed lost.
    #[test]
    fn every_mistake_is_shown_at_once() {
        let form = NoteForm {
            date: "01.01.2027".into(),
            people_met: "-1".into(),
            summary: "kept summary".into(),
            language: "en".into(),
            ..NoteForm::default()
        };
        let errors = form.to_note(&["Unit A".into()], day(2026, 11, 27), Lang::En).unwrap_err();
        let fields: Vec<_> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["date", "people_met", "units"], "{errors:?}");
        assert_eq!(form.summary, "kept summary");
    }

    /// A count that did not read is its field's mistake, not an empty note.
    #[test]
    fn an_unread_count_is_not_called_an_empty_note() {
        let form = NoteForm { date: "01.01.2026".into(), people_met: "many".into(), ..NoteForm::default() };
        let errors = form.to_note(&["Unit A".into()], day(2026, 11, 27), Lang::Nb).unwrap_err();
        assert_eq!(errors.keys().map(String::as_str).collect::<Vec<_>>(), ["people_met"], "{errors:?}");
    }

    #[test]
    fn concerns_are_added_and_removed() {
        let mut form = NoteForm::default();
        assert!(form.add_concern());
        assert!(form.add_concern());
        form.concerns[1].description = "second".into();
        assert!(form.remove_concern(0));
        assert_eq!(form.concerns.len(), 1);
        assert_eq!(form.concerns[0].description, "second");
        assert!(!form.remove_concern(9));
        form.concerns = vec![ConcernForm::blank(); MAX_CONCERNS];
        assert!(!form.add_concern());
    }
}
