//! The note form as the app holds it: a typed record that maps one to one
//! onto the core's `visitnotes_core::form::NoteForm`, which checks it and
//! turns it into a note (every mistake at once, each next to its field,
//! in the person's language). Counts and dates stay as typed, so that a
//! form with a mistake comes back with everything the person wrote.
//!
//! What the form offers (units from the list of members, activities and
//! themes with their labels and explanations) is [`Choices`], from the
//! roster and the catalogues.

use visitnotes_core::form::{ConcernForm, NoteForm};
use visitnotes_core::i18n::Lang;
use visitnotes_core::vocabulary::{code, from_code};
use visitnotes_shared::note::{self, Activity, Theme};

/// How serious a concern is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Severity {
    Low,
    Medium,
    High,
    Urgent,
}

/// Where the follow-up of a concern stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum FollowUpStatus {
    Open,
    InProgress,
    Closed,
}

impl From<note::Severity> for Severity {
    fn from(s: note::Severity) -> Severity {
        match s {
            note::Severity::Low => Severity::Low,
            note::Severity::Medium => Severity::Medium,
            note::Severity::High => Severity::High,
            note::Severity::Urgent => Severity::Urgent,
        }
    }
}

impl From<Severity> for note::Severity {
    fn from(s: Severity) -> note::Severity {
        match s {
            Severity::Low => note::Severity::Low,
            Severity::Medium => note::Severity::Medium,
            Severity::High => note::Severity::High,
            Severity::Urgent => note::Severity::Urgent,
        }
    }
}

impl From<note::FollowUp> for FollowUpStatus {
    fn from(s: note::FollowUp) -> FollowUpStatus {
        match s {
            note::FollowUp::Open => FollowUpStatus::Open,
            note::FollowUp::InProgress => FollowUpStatus::InProgress,
            note::FollowUp::Closed => FollowUpStatus::Closed,
        }
    }
}

impl From<FollowUpStatus> for note::FollowUp {
    fn from(s: FollowUpStatus) -> note::FollowUp {
        match s {
            FollowUpStatus::Open => note::FollowUp::Open,
            FollowUpStatus::InProgress => note::FollowUp::InProgress,
            FollowUpStatus::Closed => note::FollowUp::Closed,
        }
    }
}

/// A visit note as typed. `activities` and `themes` hold the codes
/// [`Choices`] offers; dates are typed as the person's language writes
/// them (27/11/2026, 27.11.2026) or as 2026-11-27.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct NoteFormRecord {
    pub date: String,
    pub units: Vec<String>,
    pub volunteers: String,
    pub people_met: String,
    pub activities: Vec<String>,
    pub themes: Vec<String>,
    /// One theme outside the list per line.
    pub other_themes: String,
    pub concerns: Vec<ConcernFormRecord>,
    pub tracing_count: String,
    pub tracing_note: String,
    pub summary: String,
    /// The language the note is written in (a BCP 47 tag).
    pub language: String,
}

/// One concern raised in a visit.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConcernFormRecord {
    pub severity: Severity,
    /// What happened, without names.
    pub description: String,
    /// The person concerned agreed to follow-up.
    pub consent: bool,
    pub follow_up: FollowUpStatus,
    pub reported_to: String,
    pub reported_on: String,
    pub closed_on: String,
}

/// A mistake in the form, next to its field: `date`, `units`,
/// `volunteers`, `people_met`, `tracing_count`, `tracing_note`, `summary`,
/// `language`, `concern-N-description` (N from 0), ..., or `form` for the
/// note as a whole.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// What saving a form did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SaveOutcome {
    /// Sealed and in the outbox until the next sync.
    Saved { note_id: String },
    /// Not saved: every mistake, each next to its field. The form is kept
    /// as its draft.
    Invalid { errors: Vec<FieldError> },
}

/// One value of a closed list: its code (what the form holds), its label
/// and what it means, in the person's language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Choice {
    pub code: String,
    pub label: String,
    pub explanation: String,
}

/// What a note form offers.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Choices {
    /// The units of the newest list of members held here.
    pub units: Vec<String>,
    pub activities: Vec<Choice>,
    pub themes: Vec<Choice>,
    /// The labels of the severities, in the order of [`Severity`].
    pub severities: Vec<String>,
    /// The labels of the follow-up statuses, in the order of [`FollowUpStatus`].
    pub follow_up_statuses: Vec<String>,
}

impl Choices {
    pub(crate) fn new(units: Vec<String>, lang: Lang) -> Choices {
        let choice = |prefix: &str, c: &str| Choice {
            code: c.to_owned(),
            label: lang.t(&format!("{prefix}-{c}")),
            explanation: lang.t(&format!("{prefix}-{c}-hint")),
        };
        Choices {
            units,
            activities: Activity::ALL.iter().map(|a| choice("activity", code(a))).collect(),
            themes: Theme::ALL.iter().map(|t| choice("theme", code(t))).collect(),
            severities: note::Severity::ALL.iter().map(|s| severity_label(lang, (*s).into())).collect(),
            follow_up_statuses: note::FollowUp::ALL.iter().map(|s| status_label(lang, (*s).into())).collect(),
        }
    }
}

pub(crate) fn severity_label(lang: Lang, severity: Severity) -> String {
    lang.t(&format!("severity-{}", code(&note::Severity::from(severity))))
}

pub(crate) fn status_label(lang: Lang, status: FollowUpStatus) -> String {
    lang.t(&format!("follow-up-{}", code(&note::FollowUp::from(status))))
}

impl From<NoteFormRecord> for NoteForm {
    fn from(r: NoteFormRecord) -> NoteForm {
        NoteForm {
            date: r.date,
            units: r.units,
            volunteers: r.volunteers,
            people_met: r.people_met,
            activities: r.activities,
            themes: r.themes,
            other_themes: r.other_themes,
            concerns: r
                .concerns
                .into_iter()
                .map(|c| ConcernForm {
                    severity: code(&note::Severity::from(c.severity)).to_owned(),
                    description: c.description,
                    consent: c.consent,
                    follow_up: code(&note::FollowUp::from(c.follow_up)).to_owned(),
                    reported_to: c.reported_to,
                    reported_on: c.reported_on,
                    closed_on: c.closed_on,
                })
                .collect(),
            tracing_count: r.tracing_count,
            tracing_note: r.tracing_note,
            summary: r.summary,
            language: r.language,
        }
    }
}

impl From<NoteForm> for NoteFormRecord {
    fn from(f: NoteForm) -> NoteFormRecord {
        NoteFormRecord {
            date: f.date,
            units: f.units,
            volunteers: f.volunteers,
            people_met: f.people_met,
            activities: f.activities,
            themes: f.themes,
            other_themes: f.other_themes,
            concerns: f
                .concerns
                .into_iter()
                .map(|c| ConcernFormRecord {
                    // A code no value has (a draft of another version):
                    // the form's own default, as a new concern has.
                    severity: from_code::<note::Severity>(&c.severity).unwrap_or(note::Severity::Medium).into(),
                    description: c.description,
                    consent: c.consent,
                    follow_up: from_code::<note::FollowUp>(&c.follow_up).unwrap_or(note::FollowUp::Open).into(),
                    reported_to: c.reported_to,
                    reported_on: c.reported_on,
                    closed_on: c.closed_on,
                })
                .collect(),
            tracing_count: f.tracing_count,
            tracing_note: f.tracing_note,
            summary: f.summary,
            language: f.language,
        }
    }
}

/// The core's errors by field, as a list.
pub(crate) fn field_errors(errors: visitnotes_core::form::Errors) -> Vec<FieldError> {
    errors.into_iter().map(|(field, message)| FieldError { field, message }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record and the core's form hold the same: nothing typed is
    /// lost on the way to the core and back.
    #[test]
    fn a_form_goes_to_the_core_and_back_unchanged() {
        let record = NoteFormRecord {
            date: "27.11.2026".into(),
            units: vec!["Unit A".into()],
            volunteers: "two".into(),
            people_met: "-1".into(),
            activities: vec!["games".into()],
            themes: vec!["lock_in".into()],
            other_themes: "a\nb".into(),
            concerns: vec![ConcernFormRecord {
                severity: Severity::Urgent,
                description: "asked for a doctor".into(),
                consent: true,
                follow_up: FollowUpStatus::InProgress,
                reported_to: "the nurse".into(),
                reported_on: "26.11.2026".into(),
                closed_on: String::new(),
            }],
            tracing_count: "1".into(),
            tracing_note: "t".into(),
            summary: "s".into(),
            language: "nb".into(),
        };
        let form = NoteForm::from(record.clone());
        assert_eq!(form.concerns[0].severity, "urgent");
        assert_eq!(form.concerns[0].follow_up, "in_progress");
        assert_eq!(NoteFormRecord::from(form), record);
    }

    #[test]
    fn every_choice_has_its_label_and_explanation_in_each_language() {
        for lang in Lang::ALL {
            let choices = Choices::new(vec![], lang);
            // A text missing from a catalogue shows as its id.
            let ids = |c: &Choice| [format!("activity-{}", c.code), format!("theme-{}", c.code)];
            for c in choices.activities.iter().chain(&choices.themes) {
                assert!(!ids(c).contains(&c.label), "{lang:?}: {c:?}");
                assert!(!c.explanation.ends_with("-hint") && !c.explanation.is_empty(), "{lang:?}: {c:?}");
            }
            assert_eq!(choices.severities.len(), 4);
            assert!(!choices.follow_up_statuses.iter().any(|s| s.starts_with("follow-up-")));
        }
    }
}
