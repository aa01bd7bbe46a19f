//! What a person sees first: their notes, what waits in the outbox, and
//! when this device last synced.

use visitnotes_shared::roster::Role;

use crate::error::ClientError;
use crate::profile::Session;
use crate::store::NoteRow;

use super::read::{Filter, Listed};

/// Store key of the time of the last sync that finished (Unix seconds).
pub const LAST_SYNC: &str = "last_sync";

#[derive(Debug)]
pub struct Overview {
    pub name: String,
    /// The roles in the roster; empty before this device is approved.
    pub roles: Vec<Role>,
    /// This person's notes (newest revision each), newest visit first,
    /// with where each stands and which coordinators have received it.
    pub own: Vec<Listed>,
    /// Why the coordinators' receipts could not be read, when they could not.
    pub receipts_unreadable: Option<ClientError>,
    /// Revisions (notes, edits, deletions) waiting to be sent.
    pub outbox: usize,
    /// This device's notes the server would not store.
    pub not_uploaded: Vec<NoteRow>,
    /// Unix seconds of the last sync that finished, if any.
    pub last_sync: Option<i64>,
    /// Every readable note here (newest revision each), for readers.
    pub readable: usize,
    /// Note forms typed into and not saved yet, newest first.
    pub drafts: Vec<super::drafts::Waiting>,
}

pub fn overview(session: &Session) -> Result<Overview, ClientError> {
    let rows = session.store.all_rows()?;
    let not_uploaded = super::read::not_uploaded_of(&rows);
    let mine = Filter { author: Some(session.config.user_id.to_string()), ..Filter::default() };
    let listing = super::read::list_of(session, rows, &mine)?;
    let mut own = listing.notes;
    own.reverse();
    let roles = session
        .roster()
        .ok()
        .and_then(|r| r.device(&session.config.device_id).map(|(m, _)| m.roles.iter().copied().collect()))
        .unwrap_or_default();
    Ok(Overview {
        name: session.config.name.clone(),
        roles,
        own,
        receipts_unreadable: listing.receipts_unreadable,
        outbox: session.store.outbox()?.len(),
        not_uploaded,
        last_sync: session.store.meta(LAST_SYNC)?.and_then(|v| v.parse().ok()),
        readable: listing.total,
        drafts: super::drafts::waiting(session)?,
    })
}

/// Records that a sync finished now.
pub fn record_sync(session: &Session) -> Result<(), ClientError> {
    Ok(session.store.set_meta(LAST_SYNC, &chrono::Utc::now().timestamp().to_string())?)
}

/// Store key of the language picked in the web app (a BCP 47 tag).
pub const LANGUAGE: &str = "ui_language";

/// The language this person picked in the web app, if any.
pub fn language(session: &Session) -> Result<Option<String>, ClientError> {
    Ok(session.store.meta(LANGUAGE)?)
}

pub fn set_language(session: &Session, tag: &str) -> Result<(), ClientError> {
    Ok(session.store.set_meta(LANGUAGE, tag)?)
}

/// Below this much free space on the disk that holds the profile, the doors
/// warn before a person starts a note: a note that cannot be stored is
/// refused (`StoreError::DiskFull`), and a warning before the typing saves
/// typing in vain.
pub const LOW_DISK_BYTES: u64 = 64 * 1024 * 1024;

/// Overrides [`LOW_DISK_BYTES`] (tests only: a huge value makes any disk
/// look nearly full).
pub const LOW_DISK_ENV: &str = "VISITNOTES_LOW_DISK_BYTES";

/// The free bytes on the disk that holds `home` when they are below
/// [`LOW_DISK_BYTES`]; None when there is room or it cannot be told.
pub fn low_disk_space(home: &std::path::Path) -> Option<u64> {
    let threshold = std::env::var(LOW_DISK_ENV).ok().and_then(|v| v.parse().ok()).unwrap_or(LOW_DISK_BYTES);
    free_bytes(home).filter(|free| *free < threshold)
}

/// Free bytes for this user on the file system that holds `dir`.
#[cfg(unix)]
fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(dir).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

#[cfg(not(unix))]
fn free_bytes(_: &std::path::Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod disk_tests {
    use super::*;

    #[test]
    fn a_disk_with_room_gives_no_low_space_warning() {
        let dir = tempfile::tempdir().unwrap();
        let free = free_bytes(dir.path());
        assert!(free.is_some_and(|f| f > 0), "statvfs tells the free space");
        assert_eq!(low_disk_space(dir.path()), free.filter(|f| *f < LOW_DISK_BYTES));
        assert_eq!(low_disk_space(&dir.path().join("missing")), None);
    }
}
