//! Values picked from a closed list (`--theme`, `--severity`, `--activity`,
//! `--role`, `--status`): clap learns the list from the enum itself, so shell
//! completions offer it and a wrong value is answered with the valid ones.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use visitnotes_core::vocabulary::{from_code, Code};
use visitnotes_shared::roster::Role;

pub const ROLES: [Role; 3] = Role::ALL;

/// A clap parser for one of `all`, by its code (`vocabulary`);
/// `mental-health` is taken for `mental_health`.
pub fn choice<T: Code>(all: &[T]) -> impl TypedValueParser<Value = T> {
    let values = all.iter().map(|v| {
        let name = v.code();
        let dashed = name.replace('_', "-");
        let value = PossibleValue::new(name);
        if dashed == name {
            value
        } else {
            value.alias(dashed)
        }
    });
    PossibleValuesParser::new(values).map(|s: String| from_code(&s.replace('-', "_")).expect("clap checked the value"))
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use visitnotes_shared::note::{Severity, Theme};

    use super::*;

    #[derive(Parser)]
    struct Args {
        #[arg(long, value_parser = choice(&Theme::ALL))]
        theme: Theme,
        #[arg(long, value_parser = choice(&Severity::ALL))]
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
