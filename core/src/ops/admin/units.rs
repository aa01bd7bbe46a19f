//! The organisation's units, in the roster: added, retired (no longer
//! offered for new notes; notes that name one keep it) or replaced whole.

use serde::Serialize;
use visitnotes_shared::roster::Roster;

use super::{require_admin, require_admin_to_change};
use crate::error::ClientError;
use crate::profile::Session;

/// A change to the organisation's units.
pub enum UnitsEdit {
    Add(String),
    Remove(String),
    Replace(Vec<String>),
}

/// The units after an edit, and which were added and removed.
#[derive(Debug, Serialize)]
pub struct UnitsPlan {
    pub after: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// The version of the roster it signs.
    pub next_version: u64,
}

/// Why a units edit is refused before anything is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum UnitsRefusal {
    /// `unit` is one of the units already (compared without case).
    #[error("\"{unit}\" is one of the units already: nothing was signed")]
    AlreadyThere { unit: String },
    /// `unit` is not one of `units`, the units as they are.
    #[error("\"{unit}\" is not one of the units ({}): nothing was signed", .units.join(", "))]
    NotThere { unit: String, units: Vec<String> },
    /// No unit would be left, or one of them would be empty.
    #[error("keep at least one unit, none of them empty: nothing was signed")]
    NoneOrEmpty,
}

/// The units after `edit`, checked (or why the edit is refused); and which
/// were added and removed. Reads only.
pub fn plan_units(session: &Session, edit: UnitsEdit) -> Result<Result<UnitsPlan, UnitsRefusal>, ClientError> {
    let current = require_admin(session)?;
    Ok(plan(&current, edit))
}

fn plan(current: &Roster, edit: UnitsEdit) -> Result<UnitsPlan, UnitsRefusal> {
    let before = &current.units;
    let after: Vec<String> = match edit {
        UnitsEdit::Add(unit) => {
            if before.iter().any(|u| u.eq_ignore_ascii_case(unit.trim())) {
                return Err(UnitsRefusal::AlreadyThere { unit });
            }
            before.iter().cloned().chain([unit.trim().to_owned()]).collect()
        }
        UnitsEdit::Remove(unit) => {
            let Some(found) = before.iter().find(|u| u.eq_ignore_ascii_case(unit.trim())) else {
                return Err(UnitsRefusal::NotThere { unit, units: before.clone() });
            };
            before.iter().filter(|u| *u != found).cloned().collect()
        }
        UnitsEdit::Replace(units) => units.into_iter().map(|u| u.trim().to_owned()).collect(),
    };
    if after.is_empty() || after.iter().any(String::is_empty) {
        return Err(UnitsRefusal::NoneOrEmpty);
    }
    let added = after.iter().filter(|u| !before.contains(u)).cloned().collect();
    let removed = before.iter().filter(|u| !after.contains(u)).cloned().collect();
    Ok(UnitsPlan { after, added, removed, next_version: current.version + 1 })
}

/// Publishes the units of `plan`. A unit no longer listed is retired:
/// notes that name it keep it, it is only no longer offered.
pub fn set_units(session: &Session, plan: &UnitsPlan) -> Result<Roster, ClientError> {
    let current = require_admin_to_change(session)?;
    let mut next = current.clone();
    next.units = plan.after.clone();
    crate::ops::roster::publish(session, &current, next)
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::OrgKey;

    use super::*;

    fn roster(units: &[&str]) -> Roster {
        Roster {
            version: 4,
            org_key: OrgKey::generate().public(),
            issued_at: 0,
            expires_at: None,
            units: units.iter().map(|u| u.to_string()).collect(),
            members: vec![],
        }
    }

    #[test]
    fn an_edit_is_planned_or_refused_with_what_refused_it() {
        let r = roster(&["Unit A", "Unit B"]);
        let added = plan(&r, UnitsEdit::Add(" Unit C ".into())).unwrap();
        assert_eq!((added.added, added.next_version), (vec!["Unit C".to_owned()], 5));
        assert_eq!(
            plan(&r, UnitsEdit::Add("unit a".into())).unwrap_err(),
            UnitsRefusal::AlreadyThere { unit: "unit a".into() }
        );
        assert_eq!(
            plan(&r, UnitsEdit::Remove("Unit Z".into())).unwrap_err(),
            UnitsRefusal::NotThere { unit: "Unit Z".into(), units: vec!["Unit A".into(), "Unit B".into()] }
        );
        assert_eq!(plan(&r, UnitsEdit::Replace(vec![" ".into()])).unwrap_err(), UnitsRefusal::NoneOrEmpty);
        assert_eq!(
            plan(&roster(&["Unit A"]), UnitsEdit::Remove("unit a".into())).unwrap_err(),
            UnitsRefusal::NoneOrEmpty
        );
    }
}
