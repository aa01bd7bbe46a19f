//! Builds a report from the local store: the latest verified revision of
//! every readable note; anything that failed verification or cannot be
//! read here is listed as excluded, never counted.

use crate::error::ClientError;
use crate::profile::Session;
use crate::report::{self, Excluded, Options, Report};

pub fn build(session: &Session, options: &Options) -> Result<Report, ClientError> {
    let notes: Vec<(String, visitnotes_shared::VisitNote)> = super::read::latest_notes(session)?
        .into_iter()
        .filter_map(|row| row.note.map(|n| (row.sealed.header.note_id.to_string(), n)))
        .collect();
    let mut excluded: Vec<Excluded> = super::read::refused(session)?
        .into_iter()
        .map(|r| Excluded {
            note_id: r.sealed.header.note_id.to_string(),
            reason: r.reason.unwrap_or_else(|| "failed verification".into()),
        })
        .collect();
    for row in session.store.all_rows()? {
        if row.status == "not_addressed" {
            excluded.push(Excluded {
                note_id: row.sealed.header.note_id.to_string(),
                reason: "not encrypted to this device (ask for a rewrap, then sync --from-start)".into(),
            });
        }
    }
    excluded.sort_by(|a, b| a.note_id.cmp(&b.note_id));
    excluded.dedup();
    Ok(report::aggregate(&notes, excluded, options))
}
