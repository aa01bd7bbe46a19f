//! Writing: a new note, an edit (the next revision), a deletion (a signed
//! tombstone). All of it works offline: the sealed note waits in the outbox
//! until `sync`. Written while the newest roster here is expired, it is
//! still sealed and kept, but held back from upload (`super::expiry`).

use visitnotes_shared::envelope::{seal_chained, seal_tombstone_chained, Kind, SealParams, SealedNote};
use visitnotes_shared::note::VisitNote;
use visitnotes_shared::{NoteId, Roster};

use crate::error::ClientError;
use crate::profile::Session;
use crate::store::{NoteRow, NoteStatus};

/// The latest visit date accepted: the writer's local today, with a day of
/// slack for a clock or time zone that is a little off.
pub fn latest_visit_date() -> chrono::NaiveDate {
    crate::dates::today() + chrono::Days::new(1)
}

/// Seals `note` as revision 1 of a new note and puts it in the outbox.
pub fn create(session: &Session, note: &VisitNote) -> Result<NoteId, ClientError> {
    let id = NoteId::random();
    store_revision(session, note, id.clone(), 1, None)?;
    Ok(id)
}

/// Seals `note` as the next revision of `id`.
pub fn edit(session: &Session, id: &str, note: &VisitNote) -> Result<u64, ClientError> {
    let latest = own_latest(session, id)?;
    let revision = latest.header().revision + 1;
    store_revision(session, note, latest.header().note_id.clone(), revision, Some(latest.sealed.hash()))?;
    Ok(revision)
}

/// Seals a tombstone for `id` and forgets its plaintext on this device.
pub fn delete(session: &Session, id: &str) -> Result<(), ClientError> {
    let latest = own_latest(session, id)?;
    let roster = session.roster()?;
    session.store.transaction(|store| -> Result<(), ClientError> {
        let params = SealParams {
            note_id: latest.header().note_id.clone(),
            revision: latest.header().revision + 1,
            prev_hash: Some(latest.sealed.hash()),
            device_seq: store.next_device_seq()?,
        };
        let device_prev = chain_tip(session, store)?;
        let sealed = seal_tombstone_chained(&params, device_prev, &roster, &session.secrets.device)?;
        store.put_note(&sealed, None, NoteStatus::Outbox, None, None)?;
        store.add_to_outbox(&sealed)?;
        hold_if_expired(store, &sealed, &roster)?;
        // A draft of an edit holds the note's text too.
        store.delete_draft(&super::drafts::edit_key(latest.header().note_id.as_str()))?;
        Ok(store.forget_plaintext(latest.header().note_id.as_str())?)
    })
}

/// The newest revision of one of this person's notes, to edit (both
/// doors ask this before showing the note to change): it must be theirs,
/// not deleted, and stored by the server (a refused note is written again
/// as a new one).
pub fn editable(session: &Session, id: &str) -> Result<NoteRow, ClientError> {
    let latest = own_latest(session, id)?;
    if latest.status == NoteStatus::Refused {
        return Err(ClientError::NotStored {
            id: id.to_owned(),
            reason: latest.reason.clone().unwrap_or_else(|| "no reason given".into()),
        });
    }
    if latest.note.is_none() {
        return Err(ClientError::NoSuchNote(id.to_owned()));
    }
    Ok(latest)
}

fn store_revision(
    session: &Session,
    note: &VisitNote,
    note_id: NoteId,
    revision: u64,
    prev_hash: Option<[u8; 32]>,
) -> Result<(), ClientError> {
    let roster = session.roster()?;
    if roster.device(&session.config.device_id).is_none() {
        return Err(ClientError::NotApproved);
    }
    note.validate(&roster.units, latest_visit_date())?;
    session.store.transaction(|store| -> Result<(), ClientError> {
        let params = SealParams { note_id, revision, prev_hash, device_seq: store.next_device_seq()? };
        let device_prev = chain_tip(session, store)?;
        let sealed: SealedNote = seal_chained(note, &params, device_prev, &roster, &session.secrets.device)?;
        store.put_note(&sealed, None, NoteStatus::Outbox, None, Some(note))?;
        store.add_to_outbox(&sealed)?;
        hold_if_expired(store, &sealed, &roster)
    })
}

/// Holds the new outbox entry back when `roster`, which sealed it, is
/// expired (notes and follow-up records alike: `super::expiry`).
pub(super) fn hold_if_expired(
    store: &crate::store::Store,
    sealed: &SealedNote,
    roster: &Roster,
) -> Result<(), ClientError> {
    if roster.is_expired(super::roster::now()) {
        store.hold(&sealed.header, roster.version)?;
    }
    Ok(())
}

/// The hash of this device's newest sealed item, which the next one names
/// (`EnvelopeHeader::device_prev`); 32 zero bytes before its first.
pub(super) fn chain_tip(session: &Session, store: &crate::store::Store) -> Result<[u8; 32], ClientError> {
    Ok(store.chain_tip(session.config.device_id.as_str())?.map_or([0; 32], |(_, hash)| hash))
}

/// The latest revision of one of this user's own notes, which must exist
/// and not be deleted.
fn own_latest(session: &Session, id: &str) -> Result<NoteRow, ClientError> {
    let latest = super::read::latest_revision(session, id)?.ok_or_else(|| ClientError::NoSuchNote(id.to_owned()))?;
    if latest.header().author != session.config.user_id {
        return Err(ClientError::NotAuthor);
    }
    if latest.header().kind == Kind::Tombstone {
        return Err(ClientError::NoteDeleted { id: id.to_owned() });
    }
    Ok(latest)
}
