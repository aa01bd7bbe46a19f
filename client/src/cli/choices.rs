//! Values picked from a closed list (`--theme`, `--severity`, `--activity`,
//! `--role`, `--status`): clap learns the list from the enum itself, so shell
//! completions offer it and a wrong value is answered with the valid ones.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use visitnotes_shared::note::{FollowUp, Severity};
use visitnotes_shared::roster::Role;

pub const SEVERITIES: [Severity; 4] = [Severity::Low, Severity::Medium, Severity::High, Severity::Urgent];
pub const FOLLOW_UPS: [FollowUp; 3] = [FollowUp::Open, FollowUp::InProgress, FollowUp::Closed];
pub const ROLES: [Role; 3] = [Role::Leader, Role::Coordinator, Role::Admin];

/// A clap parser for one of `all`, by its serde name; `mental-health` is
/// taken for `mental_health`.
pub fn choice<T>(all: &[T]) -> impl TypedValueParser<Value = T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    let values = all.iter().map(|v| {
        let name = serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let dashed = name.replace('_', "-");
        let value = PossibleValue::new(name.clone());
        if dashed == name {
            value
        } else {
            value.alias(dashed)
        }
    });
    PossibleValuesParser::new(values).map(|s: String| {
        serde_json::from_value(serde_json::Value::String(s.replace('-', "_"))).expect("clap checked the value")
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use visitnotes_shared::note::Theme;

    use super::*;

    #[derive(Parser)]
    struct Args {
        #[arg(long, value_parser = choice(&Theme::ALL))]
        theme: Theme,
        #[arg(long, value_parser = choice(&SEVERITIES))]
        severity: Option<Severity>,
    }

    #[test]
    fn a_value_is_read_by_its_name_or_with_dashes() {
        assert_eq!(Args::try_parse_from(["x", "--theme", "lock_in"]).unwrap().theme, Theme::LockIn);
        assert_eq!(Args::try_parse_from(["x", "--theme", "lock-in"]).unwrap().theme, Theme::LockIn);
    }

    #[test]
    fn a_wrong_value_names_the_valid_ones() {
        let err = Args::try_parse_from(["x", "--theme", "food", "--severity", "severe"]).err().unwrap().to_string();
        for name in ["low", "medium", "high", "urgent"] {
            assert!(err.contains(name), "{err}");
        }
    }
}
