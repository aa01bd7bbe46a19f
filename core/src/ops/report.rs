//! Builds a report from the local store: the latest verified revision of
//! every readable note, with the coordinators' follow-up records on its
//! concerns; anything that failed verification or cannot be read here is
//! listed as excluded, never counted.

use visitnotes_shared::envelope::Kind;

use crate::error::ClientError;
use crate::profile::Session;
use crate::report::aggregate::{FollowUps, Recorded};
use crate::report::{self, Excluded, Options, Report};
use crate::store::NoteStatus;

pub fn build(session: &Session, options: &Options) -> Result<Report, ClientError> {
    // One pass over the store: every row is decrypted once.
    let rows = session.store.all_rows()?;
    // Read before the rows go to `latest_of`: a report made while alerts
    // are open carries them in its integrity section.
    let gaps = super::read::gaps(session)?;
    let integrity = super::alerts::open_from(session, &rows, &gaps)?.iter().map(|a| a.line()).collect();
    let mut excluded: Vec<Excluded> = rows
        .iter()
        .filter_map(|r| {
            let reason = match r.status {
                NoteStatus::Rejected if r.sealed.header.kind == Kind::FollowUp => format!(
                    "a coordinator's follow-up record that failed verification, not used: {}",
                    r.reason.as_deref().unwrap_or("no reason recorded")
                ),
                NoteStatus::Rejected => r.reason.clone().unwrap_or_else(|| "failed verification".into()),
                NoteStatus::NotAddressed if r.sealed.header.kind == Kind::FollowUp => {
                    "a coordinator's follow-up record not encrypted to this device, not used (ask for a rewrap, then \
                     sync --from-start)"
                        .into()
                }
                NoteStatus::NotAddressed => {
                    "not encrypted to this device (ask for a rewrap, then sync --from-start)".into()
                }
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
