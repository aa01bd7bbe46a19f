//! The closed lists of a note as codes: the snake_case names (`lock_in`)
//! that forms send, catalogues key their words by, and reports count by.
//! Shared by the core and both doors.

use serde::Serialize;
use visitnotes_shared::note::{FollowUp, Severity};

pub const SEVERITIES: [Severity; 4] = [Severity::Low, Severity::Medium, Severity::High, Severity::Urgent];
pub const FOLLOW_UPS: [FollowUp; 3] = [FollowUp::Open, FollowUp::InProgress, FollowUp::Closed];

/// The snake_case name of a closed-list value (`lock_in`): the form's
/// value and the catalogue's key.
pub fn code<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The closed-list value a code names, if any.
pub fn from_code<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}
