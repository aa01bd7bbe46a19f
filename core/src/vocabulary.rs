//! The closed lists as codes: the snake_case names (`lock_in`) that forms
//! send, the command line takes, catalogues key their words by, and
//! reports count by. The one place both doors and the core turn a value
//! of a closed list into its code and back.
//!
//! The codes are the values' serde names, kept next to each enum (`as_str`
//! in `visitnotes_shared::note` and `roster`, `tag` of a language, ...);
//! the tests here check every value against serde.

use visitnotes_shared::note::{Activity, FollowUp, Severity, Theme};
use visitnotes_shared::roster::Role;

use crate::i18n::Lang;
use crate::report::{Format, Period};

/// A value of a closed list, named by a code.
pub trait Code: Copy + PartialEq + Send + Sync + 'static {
    /// Every value, in the order a list offers them.
    const ALL: &'static [Self];

    /// The value's code: its serde name.
    fn code(self) -> &'static str;
}

/// The code of a closed-list value (`lock_in`): the form's value and the
/// catalogue's key.
pub fn code<T: Code>(value: &T) -> &'static str {
    value.code()
}

/// The closed-list value a code names, if any.
pub fn from_code<T: Code>(text: &str) -> Option<T> {
    T::ALL.iter().copied().find(|v| v.code() == text)
}

macro_rules! by {
    ($ty:ty, $name:ident) => {
        impl Code for $ty {
            const ALL: &'static [$ty] = &<$ty>::ALL;
            fn code(self) -> &'static str {
                self.$name()
            }
        }
    };
}

by!(Activity, as_str);
by!(Theme, as_str);
by!(Severity, as_str);
by!(FollowUp, as_str);
by!(Role, as_str);
by!(Period, as_str);
by!(Format, as_str);
by!(Lang, tag);

#[cfg(test)]
mod tests {
    use super::*;

    fn agrees_with_serde<T>()
    where
        T: Code + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
    {
        for &value in T::ALL {
            let code = code(&value);
            assert_eq!(serde_json::to_value(value).unwrap(), serde_json::Value::from(code), "{value:?}");
            assert_eq!(serde_json::from_value::<T>(code.into()).unwrap(), value, "{code}");
            assert_eq!(from_code::<T>(code), Some(value), "{code}");
        }
        assert_eq!(from_code::<T>("no such code"), None);
    }

    #[test]
    fn every_code_is_the_serde_name_of_its_value() {
        agrees_with_serde::<Activity>();
        agrees_with_serde::<Theme>();
        agrees_with_serde::<Severity>();
        agrees_with_serde::<FollowUp>();
        agrees_with_serde::<Role>();
        agrees_with_serde::<Period>();
        agrees_with_serde::<Format>();
        agrees_with_serde::<Lang>();
    }

    /// A role's code reads back by its own `FromStr` too.
    #[test]
    fn a_roles_code_reads_back_by_its_from_str() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }
}
