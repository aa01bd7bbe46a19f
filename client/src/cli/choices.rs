//! Values picked from a fixed list (`--theme`, `--severity`, `--activity`,
//! `--role`): clap learns the list, so shell completions offer it and a
//! wrong value is answered with the valid ones.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};

pub const THEMES: [&str; 16] = [
    "physical_health",
    "mental_health",
    "self_harm_or_suicide_risk",
    "hunger_strike",
    "isolation_security_unit",
    "lock_in",
    "body_search",
    "phone_and_internet_access",
    "information_about_case",
    "delegation_interviews",
    "food",
    "family_separation",
    "children",
    "vulnerable_people",
    "positive_change",
    "other",
];
pub const SEVERITIES: [&str; 4] = ["low", "medium", "high", "urgent"];
pub const ACTIVITIES: [&str; 6] = ["conversation", "games", "sports", "bingo", "shared_event", "other"];
pub const ROLES: [&str; 3] = ["leader", "coordinator", "admin"];

/// Parses one of `names` (its serde name; `-` may stand for `_`) into `T`.
#[derive(Clone)]
pub struct Choices<T> {
    names: &'static [&'static str],
    _value: std::marker::PhantomData<fn() -> T>,
}

pub fn choices<T>(names: &'static [&'static str]) -> Choices<T> {
    Choices { names, _value: std::marker::PhantomData }
}

impl<T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static> TypedValueParser for Choices<T> {
    type Value = T;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<T, clap::Error> {
        let given = value.to_string_lossy();
        let name = given.trim().to_lowercase().replace('-', "_");
        if self.names.contains(&name.as_str()) {
            if let Ok(v) = serde_json::from_value(serde_json::Value::String(name)) {
                return Ok(v);
            }
        }
        let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        if let Some(arg) = arg {
            err.insert(ContextKind::InvalidArg, ContextValue::String(arg.to_string()));
        }
        err.insert(ContextKind::InvalidValue, ContextValue::String(given.into_owned()));
        err.insert(
            ContextKind::ValidValue,
            ContextValue::Strings(self.names.iter().map(|s| (*s).to_owned()).collect()),
        );
        Err(err)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().map(|n| PossibleValue::new(*n))))
    }
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::note::{Activity, Severity, Theme};
    use visitnotes_shared::roster::Role;

    use super::*;

    fn names<T: serde::Serialize>(all: &[T]) -> Vec<String> {
        all.iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn the_lists_are_the_enums() {
        assert_eq!(names(&Theme::ALL), THEMES);
        assert_eq!(names(&Activity::ALL), ACTIVITIES);
        assert_eq!(names(&[Severity::Low, Severity::Medium, Severity::High, Severity::Urgent]), SEVERITIES);
        assert_eq!(names(&[Role::Leader, Role::Coordinator, Role::Admin]), ROLES);
    }
}
