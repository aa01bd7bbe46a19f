//! `admin rewrap`: after a reader was removed, re-encrypt every stored note
//! (and follow-up record) to the current roster's readers, so the removed
//! key no longer opens the server's copies. Runs on a coordinator's device
//! (it must read the notes).

use serde::Serialize;
use visitnotes_shared::api::UploadBatch;
use visitnotes_shared::envelope::{Kind, OpenError};
use visitnotes_shared::rewrap::{self, RewrapError};
use visitnotes_shared::roster::Role;

use crate::error::ClientError;
use crate::profile::Session;
use crate::store::StoredKind;

const BATCH: usize = 100;
const PAGE: u32 = 500;

#[derive(Debug, Default, Serialize)]
pub struct RewrapReport {
    pub roster_version: u64,
    pub rewrapped: u64,
    /// Not encrypted to this device: another coordinator must rewrap them.
    pub not_readable: usize,
    /// Refused by verification (see the alerts).
    pub refused: usize,
}

pub fn rewrap_all(session: &Session) -> Result<RewrapReport, ClientError> {
    let roster = super::roster::refresh(session)?;
    // Rewrap exists to lock a removed reader out: under a roster a server
    // may have kept from being replaced, it could let one back in.
    if roster.is_expired(super::roster::now()) {
        return Err(ClientError::RosterExpired {
            version: roster.version,
            expired: super::alerts::local_time(roster.expires_at()),
        });
    }
    if !roster.device(&session.config.device_id).is_some_and(|(m, _)| m.roles.contains(&Role::Coordinator)) {
        return Err(super::admin::AdminError::RewrapNeedsCoordinator.into());
    }
    let keys = &session.secrets.device;
    let mut report = RewrapReport { roster_version: roster.version, ..RewrapReport::default() };
    let mut batch = Vec::new();
    let mut cursor = 0;
    loop {
        let page = session.api()?.pull(keys, cursor, PAGE)?;
        for pulled in page.notes.iter().filter(|p| p.withheld.is_none() && p.sealed.header.kind != Kind::Tombstone) {
            match rewrap::rewrap(&pulled.sealed, keys.age_identity(), &roster, keys) {
                Ok(sealed) => {
                    session.store.resolve_alerts(StoredKind::Rewrap, pulled.sealed.header.note_id.as_str())?;
                    batch.push(sealed)
                }
                Err(RewrapError::Open(OpenError::NotRecipient)) => report.not_readable += 1,
                Err(e) => {
                    report.refused += 1;
                    session.store.alert(
                        StoredKind::Rewrap,
                        pulled.sealed.header.note_id.as_str(),
                        &super::alerts::Detail::rewrap(&e).to_json(),
                    )?;
                }
            }
            if batch.len() == BATCH {
                report.rewrapped += send(session, std::mem::take(&mut batch))?;
            }
        }
        if !page.more {
            break;
        }
        cursor = page.next;
    }
    if !batch.is_empty() {
        report.rewrapped += send(session, batch)?;
    }
    Ok(report)
}

fn send(session: &Session, notes: Vec<visitnotes_shared::SealedNote>) -> Result<u64, ClientError> {
    Ok(session.api()?.rewrap(&session.secrets.device, &UploadBatch { notes })?)
}
