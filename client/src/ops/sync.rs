//! `sync`: check the roster, push the outbox, pull what is new, verify and
//! decrypt it, and say loudly what looked wrong.
//!
//! Safe to run again after any failure: uploads are idempotent on
//! (note id, revision), an outbox entry leaves only once the server has
//! acknowledged it, and the pull cursor moves only with stored pages.

use serde::Serialize;
use visitnotes_shared::api::{UploadBatchRef, UploadResponse};
use visitnotes_shared::envelope::{self, OpenContext, OpenError, Opened};
use visitnotes_shared::Roster;

use crate::api::{acknowledged, Prepared};
use crate::error::ClientError;
use crate::profile::Session;

const PUSH_BATCH: usize = 100;
const PULL_PAGE: u32 = 500;

#[derive(Debug, Default, Serialize)]
pub struct SyncReport {
    pub roster_version: u64,
    pub pushed: usize,
    pub pulled: usize,
    /// Notes of ours the server refused: (note id, reason).
    pub refused_by_server: Vec<(String, String)>,
    /// Notes from the server that failed verification: (note id, reason).
    pub rejected: Vec<(String, String)>,
    /// Notes not encrypted to this device (written before it joined).
    pub not_addressed: usize,
    /// Devices with missing sequence numbers: possible withholding.
    pub gaps: Vec<(String, Vec<u64>)>,
    /// Heads that did not verify: (device, reason).
    pub refused_heads: Vec<(String, String)>,
    /// Every unresolved alert after this sync, found now or before.
    pub alerts: Vec<super::alerts::Alert>,
}

impl SyncReport {
    pub fn suspicious(&self) -> bool {
        !self.rejected.is_empty() || !self.gaps.is_empty() || !self.alerts.is_empty()
    }
}

/// Progress callback: (done, total if known).
pub type Progress<'a> = &'a dyn Fn(u64, Option<u64>);

/// `from_start` pulls everything again (after a rewrap made notes readable
/// that were not addressed to this device); what is known is skipped.
pub fn sync(session: &Session, from_start: bool, progress: Progress<'_>) -> Result<SyncReport, ClientError> {
    // The roster first: nothing is encrypted to or uploaded under a roster
    // that fails verification.
    let roster = super::roster::refresh(session)?;
    if from_start {
        session.store.set_meta("cursor", "0")?;
    }
    let mut report = SyncReport { roster_version: roster.version, ..SyncReport::default() };
    push(session, &mut report)?;
    pull(session, &roster, &mut report, progress)?;
    // After the push, so that this device's head names what the server holds.
    report.refused_heads = super::heads::exchange(session, &roster)?.refused;
    report.rejected.extend(super::heads::apply_revocations(session, &roster)?);
    super::receipts::exchange(session, &roster)?;
    report.gaps = super::read::gaps(session)?;
    report.alerts = super::alerts::open_from(session, &session.store.all_rows()?, &report.gaps)?;
    Ok(report)
}

fn push(session: &Session, report: &mut SyncReport) -> Result<(), ClientError> {
    let outbox = session.store.outbox()?;
    let chunks: Vec<_> = outbox.chunks(PUSH_BATCH).collect();
    let keys = &session.secrets.device;
    let prepare = |chunk: &&[(i64, envelope::SealedNote)], after| {
        let batch = UploadBatchRef { notes: chunk.iter().map(|(_, n)| n).collect() };
        Prepared::upload(keys, &batch, after)
    };
    let last_seq = |chunk: &&[(i64, envelope::SealedNote)]| chunk.last().map_or(0, |(_, n)| n.header.device_seq);
    session.api()?.pipelined(&chunks, prepare, last_seq, |chunk, answer: Result<UploadResponse, _>| {
        match answer.and_then(|response| acknowledged(chunk.iter().map(|(_, n)| n), response)) {
            Ok(results) => session.store.transaction(|store| {
                let now = chrono::Utc::now().timestamp();
                for ((id, sealed), result) in chunk.iter().zip(&results) {
                    store.set_status(&sealed.header, "valid", None, Some(result.seq))?;
                    store.set_received_at(sealed.header.note_id.as_str(), sealed.header.revision, now)?;
                    store.remove_from_outbox(*id)?;
                }
                Ok(())
            })?,
            // A refused batch: send its notes one by one, so that one bad
            // note does not hold back the others.
            Err(e) if matches!(e.status(), Some(400 | 403 | 409)) => {
                for entry in *chunk {
                    push_one(session, entry, report)?;
                }
                return Ok(());
            }
            Err(e) => return Err(ClientError::from(e)),
        }
        report.pushed += chunk.len();
        Ok(())
    })
}

fn push_one(
    session: &Session,
    (id, sealed): &(i64, envelope::SealedNote),
    report: &mut SyncReport,
) -> Result<(), ClientError> {
    match session.api()?.upload(&session.secrets.device, &[sealed], None) {
        Ok(results) => {
            // `upload` checked that there is one result, for this note.
            let seq = results.first().map(|r| r.seq);
            session.store.set_status(&sealed.header, "valid", None, seq)?;
            let now = chrono::Utc::now().timestamp();
            session.store.set_received_at(sealed.header.note_id.as_str(), sealed.header.revision, now)?;
            session.store.remove_from_outbox(*id)?;
            report.pushed += 1;
        }
        Err(e) if matches!(e.status(), Some(400 | 403 | 409)) => {
            // Kept locally, with the reason: the writer decides what to do.
            let reason = e.to_string();
            session.store.set_status(&sealed.header, "refused", Some(&reason), None)?;
            session.store.remove_from_outbox(*id)?;
            report.refused_by_server.push((sealed.header.note_id.to_string(), reason));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

fn pull(
    session: &Session,
    roster: &Roster,
    report: &mut SyncReport,
    progress: Progress<'_>,
) -> Result<(), ClientError> {
    let mut cursor = session.store.meta_u64("cursor")?;
    loop {
        let page = session.api()?.pull(&session.secrets.device, cursor, PULL_PAGE)?;
        session.store.transaction(|store| {
            for pulled in &page.notes {
                take(session, roster, pulled, report)?;
                let h = &pulled.sealed.header;
                store.set_received_at(h.note_id.as_str(), h.revision, pulled.received_at)?;
            }
            store.set_meta("cursor", &page.next.to_string())
        })?;
        report.pulled += page.notes.len();
        progress(report.pulled as u64, None);
        if !page.more || page.next == cursor {
            break;
        }
        cursor = page.next;
    }
    Ok(())
}

/// Verifies and stores one pulled revision.
fn take(
    session: &Session,
    roster: &Roster,
    pulled: &visitnotes_shared::api::PulledNote,
    report: &mut SyncReport,
) -> Result<(), ClientError> {
    let store = &session.store;
    let sealed = &pulled.sealed;
    let h = &sealed.header;
    let label = format!("{} revision {}", h.note_id, h.revision);
    // A revision seen before (our own upload coming back, a page pulled
    // again, a rewrapped copy): keep what we verified; look at the new copy
    // only to report tampering, or to read it if it was rewrapped for us.
    let mut reopening = false;
    if let Some((known, status)) = store.sealed_with_status(h.note_id.as_str(), h.revision)? {
        let same_signed = known.header == sealed.header && known.signature == sealed.signature;
        let problem = if status == "rejected" {
            // Verified again from scratch below: a copy that now verifies
            // (the right one served again, a roster that caught up) ends
            // the alert.
            reopening = true;
            None
        } else if status == "withheld" && same_signed && pulled.withheld.is_none() {
            // Its content, withheld before, is served now: open it.
            reopening = true;
            None
        } else if !same_signed {
            Some("the server now serves different content for a revision already seen".to_owned())
        } else if known.age == sealed.age && known.rewrap == sealed.rewrap || pulled.withheld.is_some() {
            // The copy seen before is served again: an earlier swap is over.
            store.resolve_alerts("swap", &label)?;
            return Ok(());
        } else if status == "not_addressed" && sealed.rewrap.is_some() {
            reopening = true;
            None
        } else {
            envelope::verify(sealed, roster).err().map(|e| format!("a damaged copy of a revision already seen: {e}"))
        };
        if let Some(reason) = problem {
            store.alert("swap", &label, &reason)?;
            report.rejected.push((h.note_id.to_string(), reason));
            return Ok(());
        }
        if !reopening {
            return Ok(());
        }
    }
    if let Some(why) = &pulled.withheld {
        // No ciphertext to open: check the signed header, keep the metadata.
        return match envelope::verify_header(h, &sealed.signature, roster) {
            Ok(()) => store.put_note(sealed, Some(pulled.seq), "withheld", Some(why), None),
            Err(e) => reject(session, sealed, pulled.seq, &e, report),
        };
    }
    // A revision already accepted under the same signed header is no rollback.
    let (seen_revision, seen_device_seq) = if reopening {
        (None, None)
    } else {
        (store.max_valid_revision(h.note_id.as_str())?, store.max_device_seq(h.device_id.as_str())?)
    };
    let ctx = OpenContext { roster, identity: session.secrets.device.age_identity(), seen_revision, seen_device_seq };
    match envelope::open(sealed, &ctx) {
        Ok(Opened::Note { note, .. }) => store.put_note(sealed, Some(pulled.seq), "valid", None, Some(&note)),
        Ok(Opened::Tombstone { .. }) => {
            store.put_note(sealed, Some(pulled.seq), "valid", None, None)?;
            store.forget_plaintext(h.note_id.as_str())
        }
        Err(OpenError::NotRecipient) => {
            report.not_addressed += 1;
            if reopening {
                return Ok(());
            }
            store.put_note(sealed, Some(pulled.seq), "not_addressed", None, None)
        }
        Err(e) => reject(session, sealed, pulled.seq, &e, report),
    }
}

fn reject(
    session: &Session,
    sealed: &envelope::SealedNote,
    seq: u64,
    error: &OpenError,
    report: &mut SyncReport,
) -> Result<(), ClientError> {
    let reason = error.to_string();
    // Stored as rejected (never as a note), so it is shown, not hidden: the
    // rejected row is the alert, until the revision verifies.
    session.store.put_note(sealed, Some(seq), "rejected", Some(&reason), None)?;
    report.rejected.push((sealed.header.note_id.to_string(), reason));
    Ok(())
}
