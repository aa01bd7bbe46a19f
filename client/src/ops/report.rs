//! Builds a report from the local store: the latest verified revision of
//! every readable note; anything that failed verification or cannot be
//! read here is listed as excluded, never counted.

use crate::error::ClientError;
use crate::profile::Session;
use crate::report::{self, Excluded, Options, Report};

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
            let reason = match r.status.as_str() {
                "rejected" => r.reason.clone().unwrap_or_else(|| "failed verification".into()),
                "not_addressed" => "not encrypted to this device (ask for a rewrap, then sync --from-start)".into(),
                _ => return None,
            };
            Some(Excluded { note_id: r.sealed.header.note_id.to_string(), reason })
        })
        .collect();
    let notes: Vec<(String, visitnotes_shared::VisitNote)> = super::read::latest_of(rows)
        .into_iter()
        .filter_map(|row| row.note.map(|n| (row.sealed.header.note_id.to_string(), n)))
        .collect();
    excluded.sort_by(|a, b| a.note_id.cmp(&b.note_id));
    excluded.dedup();
    let mut report = report::aggregate(&notes, excluded, options);
    report.integrity = integrity;
    Ok(report)
}
