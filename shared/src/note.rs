//! The visit note: what a group leader records after a visit.
//!
//! Counts only, never names. The note carries a schema version; a reader
//! that meets a newer version than it knows refuses the note with a clear
//! error instead of dropping the fields it does not understand (unknown
//! fields are refused for the same reason).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Longest free text accepted in one field, in bytes.
pub const MAX_TEXT: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitNote {
    pub schema_version: u32,
    pub visit_date: NaiveDate,
    /// Units visited, from the organisation's list in the roster.
    pub units: Vec<String>,
    #[serde(deserialize_with = "count")]
    pub volunteers: u32,
    #[serde(deserialize_with = "count")]
    pub people_met: u32,
    #[serde(default)]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub themes: Vec<Theme>,
    /// Themes outside the closed list, in a few words each.
    #[serde(default)]
    pub other_themes: Vec<String>,
    #[serde(default)]
    pub concerns: Vec<Concern>,
    #[serde(default)]
    pub tracing_requests: TracingRequests,
    #[serde(default)]
    pub summary: String,
    /// BCP 47 language tag of the free text, e.g. `en` or `nb`.
    pub language: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Conversation,
    Games,
    Sports,
    Bingo,
    SharedEvent,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    PhysicalHealth,
    MentalHealth,
    SelfHarmOrSuicideRisk,
    HungerStrike,
    IsolationSecurityUnit,
    LockIn,
    BodySearch,
    PhoneAndInternetAccess,
    InformationAboutCase,
    DelegationInterviews,
    Food,
    FamilySeparation,
    Children,
    VulnerablePeople,
    PositiveChange,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Urgent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUp {
    Open,
    InProgress,
    Closed,
}

/// A code that names no value of a closed list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code:?} is not a {list}: use one of {known}")]
pub struct UnknownCode {
    pub list: &'static str,
    pub code: String,
    /// The codes of the list, comma-separated.
    pub known: String,
}

/// The closed lists' codes: `ALL` (in the order lists offer them),
/// `as_str` (the serde name, what a form sends and a catalogue keys its
/// words by) and `FromStr` (back from that name). One list per enum, so
/// that a variant without a code does not compile; the tests check each
/// code against serde's.
macro_rules! codes {
    ($ty:ident, $list:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: [$ty; [$($code),+].len()] = [$($ty::$variant),+];

            /// The serde name: `lock_in`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $code),+
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = UnknownCode;

            fn from_str(code: &str) -> Result<$ty, UnknownCode> {
                match code {
                    $($code => Ok($ty::$variant),)+
                    _ => Err(UnknownCode { list: $list, code: code.to_owned(), known: [$($code),+].join(", ") }),
                }
            }
        }
    };
}

codes!(Activity, "activity", {
    Conversation => "conversation",
    Games => "games",
    Sports => "sports",
    Bingo => "bingo",
    SharedEvent => "shared_event",
    Other => "other",
});

codes!(Theme, "theme", {
    PhysicalHealth => "physical_health",
    MentalHealth => "mental_health",
    SelfHarmOrSuicideRisk => "self_harm_or_suicide_risk",
    HungerStrike => "hunger_strike",
    IsolationSecurityUnit => "isolation_security_unit",
    LockIn => "lock_in",
    BodySearch => "body_search",
    PhoneAndInternetAccess => "phone_and_internet_access",
    InformationAboutCase => "information_about_case",
    DelegationInterviews => "delegation_interviews",
    Food => "food",
    FamilySeparation => "family_separation",
    Children => "children",
    VulnerablePeople => "vulnerable_people",
    PositiveChange => "positive_change",
    Other => "other",
});

codes!(Severity, "severity", {
    Low => "low",
    Medium => "medium",
    High => "high",
    Urgent => "urgent",
});

codes!(FollowUp, "follow-up status", {
    Open => "open",
    InProgress => "in_progress",
    Closed => "closed",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concern {
    pub severity: Severity,
    pub description: String,
    /// Whether the person concerned agreed to follow-up.
    pub consent_to_follow_up: bool,
    /// To whom the concern was reported (a role, not a name), if it was.
    #[serde(default)]
    pub reported_to: Option<String>,
    #[serde(default)]
    pub reported_on: Option<NaiveDate>,
    pub follow_up: FollowUp,
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TracingRequests {
    #[serde(deserialize_with = "count", default)]
    pub count: u32,
    /// What was asked, without names.
    #[serde(default)]
    pub note: String,
}

/// Counts are whole numbers of people: a negative one is refused with a
/// message a person can act on rather than serde's "expected u32".
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let value = i64::deserialize(d)?;
    u32::try_from(value).map_err(|_| {
        serde::de::Error::custom(if value < 0 {
            format!("a count cannot be negative (got {value})")
        } else {
            format!("a count of {value} is not plausible")
        })
    })
}

/// What is wrong with a note, in words for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error(
        "this note uses schema version {found}, but this program knows up to {supported}: update Visitnotes to read it"
    )]
    NewerSchema { found: u32, supported: u32 },
    #[error("the note is not valid: {0}")]
    Parse(String),
    #[error("the visit date {0} is in the future")]
    FutureDate(NaiveDate),
    #[error("the note is empty: give at least the units visited, who was met, or a summary")]
    Empty,
    #[error("no unit visited is given")]
    NoUnit,
    #[error("unit {unit:?} is not one of the organisation's units ({known})")]
    UnknownUnit { unit: String, known: String },
    #[error("{field} is longer than {MAX_TEXT} bytes")]
    TooLong { field: &'static str },
    #[error("the language tag {0:?} is not valid (use e.g. en or nb)")]
    Language(String),
    #[error("a concern has no description")]
    EmptyConcern,
}

impl VisitNote {
    /// A blank note of the current schema for `visit_date`, in English:
    /// what a template or the quick flags start from.
    pub fn blank(visit_date: NaiveDate) -> VisitNote {
        VisitNote {
            schema_version: SCHEMA_VERSION,
            visit_date,
            units: vec![],
            volunteers: 0,
            people_met: 0,
            activities: vec![],
            themes: vec![],
            other_themes: vec![],
            concerns: vec![],
            tracing_requests: TracingRequests::default(),
            summary: String::new(),
            language: "en".into(),
        }
    }

    /// Parses a note from JSON, refusing newer schema versions first so the
    /// error names the real cause rather than an unknown field.
    pub fn from_json(text: &str) -> Result<Self, NoteError> {
        #[derive(Deserialize)]
        struct Version {
            schema_version: u32,
        }
        let version: Version =
            serde_json::from_str(text).map_err(|e| NoteError::Parse(format!("no schema_version: {e}")))?;
        if version.schema_version > SCHEMA_VERSION {
            return Err(NoteError::NewerSchema { found: version.schema_version, supported: SCHEMA_VERSION });
        }
        serde_json::from_str(text).map_err(|e| NoteError::Parse(e.to_string()))
    }

    /// Checks the note against common sense and the organisation's unit list.
    /// `today` is passed in so the check is testable and uses the writer's clock.
    pub fn validate(&self, units: &[String], today: NaiveDate) -> Result<(), NoteError> {
        match self.problems(units, today).into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Everything wrong with the note, in the order `validate` reports it:
    /// a form shows them all at once instead of one per attempt. A newer
    /// schema, or an empty note, is the one problem given (the rest would
    /// only repeat it).
    pub fn problems(&self, units: &[String], today: NaiveDate) -> Vec<NoteError> {
        if self.schema_version > SCHEMA_VERSION {
            return vec![NoteError::NewerSchema { found: self.schema_version, supported: SCHEMA_VERSION }];
        }
        let mut problems = Vec::new();
        if self.visit_date > today {
            problems.push(NoteError::FutureDate(self.visit_date));
        }
        let empty = self.units.is_empty()
            && self.people_met == 0
            && self.activities.is_empty()
            && self.themes.is_empty()
            && self.concerns.is_empty()
            && self.summary.trim().is_empty();
        if empty {
            problems.push(NoteError::Empty);
            return problems;
        }
        if self.units.is_empty() {
            problems.push(NoteError::NoUnit);
        }
        if !units.is_empty() {
            for unit in self.units.iter().filter(|u| !units.contains(u)) {
                problems.push(NoteError::UnknownUnit { unit: unit.clone(), known: units.join(", ") });
            }
        }
        let texts = [("summary", &self.summary), ("tracing note", &self.tracing_requests.note)];
        for (field, text) in texts {
            if text.len() > MAX_TEXT {
                problems.push(NoteError::TooLong { field });
            }
        }
        if self.concerns.iter().any(|c| c.description.trim().is_empty()) {
            problems.push(NoteError::EmptyConcern);
        }
        if self.concerns.iter().any(|c| c.description.len() > MAX_TEXT) {
            problems.push(NoteError::TooLong { field: "concern description" });
        }
        let lang_ok = (2..=35).contains(&self.language.len())
            && self.language.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !lang_ok {
            problems.push(NoteError::Language(self.language.clone()));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> VisitNote {
        VisitNote {
            schema_version: SCHEMA_VERSION,
            visit_date: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
            units: vec!["Unit A".into()],
            volunteers: 4,
            people_met: 11,
            activities: vec![Activity::Conversation, Activity::Bingo],
            themes: vec![Theme::Food, Theme::PhoneAndInternetAccess],
            other_themes: vec![],
            concerns: vec![],
            tracing_requests: TracingRequests::default(),
            summary: "Calm visit.".into(),
            language: "en".into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn json_round_trip() {
        let note = sample();
        let text = serde_json::to_string(&note).unwrap();
        assert_eq!(VisitNote::from_json(&text).unwrap(), note);
    }

    #[test]
    fn newer_schema_is_a_clear_error() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["schema_version"] = 2.into();
        value["new_field"] = "x".into();
        let err = VisitNote::from_json(&value.to_string()).unwrap_err();
        assert_eq!(err, NoteError::NewerSchema { found: 2, supported: 1 });
    }

    #[test]
    fn unknown_field_is_refused() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["names"] = "x".into();
        assert!(matches!(VisitNote::from_json(&value.to_string()), Err(NoteError::Parse(_))));
    }

    #[test]
    fn negative_count_says_so() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["people_met"] = (-3).into();
        let err = VisitNote::from_json(&value.to_string()).unwrap_err().to_string();
        assert!(err.contains("cannot be negative"), "{err}");
    }

    /// Every value of each closed list: its code is serde's name for it,
    /// and reads back as the same value (by `FromStr` and by serde).
    fn codes_agree_with_serde<T>(all: &[T], as_str: fn(T) -> &'static str)
    where
        T: Copy + std::fmt::Debug + PartialEq + Serialize + serde::de::DeserializeOwned + std::str::FromStr,
        <T as std::str::FromStr>::Err: std::fmt::Debug,
    {
        for &value in all {
            let code = as_str(value);
            assert_eq!(serde_json::to_value(value).unwrap(), serde_json::Value::from(code), "{value:?}");
            assert_eq!(code.parse::<T>().unwrap(), value, "{code}");
            assert_eq!(serde_json::from_value::<T>(code.into()).unwrap(), value, "{code}");
        }
        let codes: std::collections::BTreeSet<_> = all.iter().map(|v| as_str(*v)).collect();
        assert_eq!(codes.len(), all.len(), "each code names one value");
    }

    #[test]
    fn every_closed_list_code_is_its_serde_name_both_ways() {
        codes_agree_with_serde(&Activity::ALL, Activity::as_str);
        codes_agree_with_serde(&Theme::ALL, Theme::as_str);
        codes_agree_with_serde(&Severity::ALL, Severity::as_str);
        codes_agree_with_serde(&FollowUp::ALL, FollowUp::as_str);
        let wrong = "lock-in".parse::<Theme>().unwrap_err().to_string();
        assert!(wrong.contains("\"lock-in\" is not a theme") && wrong.contains("lock_in"), "{wrong}");
    }

    #[test]
    fn validation() {
        let units = vec!["Unit A".to_owned(), "Unit B".to_owned()];
        assert_eq!(sample().validate(&units, today()), Ok(()));

        let mut future = sample();
        future.visit_date = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert!(matches!(future.validate(&units, today()), Err(NoteError::FutureDate(_))));

        let mut empty = sample();
        empty.units.clear();
        empty.people_met = 0;
        empty.activities.clear();
        empty.themes.clear();
        empty.summary.clear();
        assert_eq!(empty.validate(&units, today()), Err(NoteError::Empty));

        let mut unknown = sample();
        unknown.units = vec!["Unit Z".into()];
        assert!(matches!(unknown.validate(&units, today()), Err(NoteError::UnknownUnit { .. })));

        let mut bad_concern = sample();
        bad_concern.concerns.push(Concern {
            severity: Severity::High,
            description: " ".into(),
            consent_to_follow_up: true,
            reported_to: None,
            reported_on: None,
            follow_up: FollowUp::Open,
            closed_on: None,
        });
        assert_eq!(bad_concern.validate(&units, today()), Err(NoteError::EmptyConcern));
    }

    /// A form shows every mistake at once: each check that fails is listed,
    /// in the order `validate` gives the first.
    #[test]
    fn every_problem_is_listed_not_only_the_first() {
        let units = vec!["Unit A".to_owned()];
        let mut note = sample();
        note.visit_date = today() + chrono::Days::new(3);
        note.units = vec!["Unit Z".into()];
        note.language = "?".into();
        note.concerns.push(Concern {
            severity: Severity::Low,
            description: String::new(),
            consent_to_follow_up: false,
            reported_to: None,
            reported_on: None,
            follow_up: FollowUp::Open,
            closed_on: None,
        });
        let problems = note.problems(&units, today());
        assert_eq!(
            problems,
            vec![
                NoteError::FutureDate(note.visit_date),
                NoteError::UnknownUnit { unit: "Unit Z".into(), known: "Unit A".into() },
                NoteError::EmptyConcern,
                NoteError::Language("?".into()),
            ]
        );
        assert_eq!(note.validate(&units, today()), Err(problems[0].clone()));
        assert!(sample().problems(&units, today()).is_empty());
    }
}
