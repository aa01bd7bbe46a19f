//! Builds a report from the local store: the latest verified revision of
//! every readable note, with the coordinators' follow-up records on its
//! concerns; anything that failed verification or cannot be read here is
//! listed as excluded, never counted. The options are checked once, here
//! (`options`), for every door.

use chrono::NaiveDate;
use visitnotes_shared::envelope::Kind;

use crate::error::ClientError;
use crate::profile::Session;
use crate::report::aggregate::{FollowUps, Recorded};
use crate::report::{self, Excluded, Exclusion, Options, Period, Report, Unresolved};
use crate::store::NoteStatus;

/// Why the options asked for make no report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionsError {
    #[error("the period ends on {to}, before it starts on {from}: give the first day as the start")]
    EndsBeforeStart { from: NaiveDate, to: NaiveDate },
}

/// The options of a report from `from` to `to` (both included), checked.
pub fn options(from: NaiveDate, to: NaiveDate, by: Period, include_text: bool) -> Result<Options, OptionsError> {
    if to < from {
        return Err(OptionsError::EndsBeforeStart { from, to });
    }
    Ok(Options { from, to, by, include_text })
}

/// The report over `options` (made by [`options`]).
pub fn build(session: &Session, options: &Options) -> Result<Report, ClientError> {
    // One pass over the store: every row is decrypted once.
    let rows = session.store.all_rows()?;
    // Read before the rows go to `latest_of`: a report made while alerts
    // are open carries them in its integrity section.
    let gaps = super::read::gaps(session)?;
    let integrity = super::alerts::open_from(session, &rows, &gaps)?
        .into_iter()
        .map(|a| Unresolved { what: a.what_msg, todo: a.todo_msg })
        .collect();
    let mut excluded: Vec<Excluded> = rows
        .iter()
        .filter_map(|r| {
            let follow_up = r.sealed.header.kind == Kind::FollowUp;
            let detail = r.reason.clone();
            let reason = match r.status {
                NoteStatus::Rejected if follow_up => Exclusion::FollowUpRejected { detail },
                NoteStatus::Rejected => Exclusion::Rejected { detail },
                NoteStatus::NotAddressed if follow_up => Exclusion::FollowUpNotAddressed,
                NoteStatus::NotAddressed => Exclusion::NotAddressed,
                _ => return None,
            };
            Some(Excluded { note_id: r.sealed.header.note_id.to_string(), reason })
        })
        .collect();
    // The newest entry of the follow-up records on each concern.
    let follow_ups: FollowUps = super::follow_up::link(&rows, None)
        .by_concern
        .into_iter()
        .filter_map(|((note, index), history)| {
            history.last().map(|e| ((note.to_string(), index), Recorded { status: e.status, date: e.date }))
        })
        .collect();
    let notes: Vec<(String, visitnotes_shared::VisitNote)> = super::read::latest_of(rows)
        .into_iter()
        .filter_map(|row| row.note.map(|n| (row.sealed.header.note_id.to_string(), n)))
        .collect();
    excluded.sort_by(|a, b| a.note_id.cmp(&b.note_id));
    excluded.dedup();
    let mut report = report::aggregate_with(&notes, &follow_ups, excluded, options);
    report.integrity = integrity;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one check of a report's period, for every door: a period that
    /// ends before it starts is refused, one day is a period.
    #[test]
    fn a_period_that_ends_before_it_starts_makes_no_report() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        assert_eq!(
            options(day(9), day(2), Period::Month, false).err(),
            Some(OptionsError::EndsBeforeStart { from: day(9), to: day(2) })
        );
        let one_day = options(day(2), day(2), Period::Year, true).unwrap();
        assert_eq!((one_day.from, one_day.to, one_day.by, one_day.include_text), (day(2), day(2), Period::Year, true));
    }
}
