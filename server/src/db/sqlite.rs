//! `SqliteStorage`: the `Storage` operations on the embedded SQLite store
//! (`Db`), today's default.
//!
//! SQLite is blocking: every method runs it on the blocking pool
//! (`spawn_blocking`, which is what `web::block` does), so it never holds
//! up an async thread.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::Connection;
use visitnotes_shared::api::{
    AuditEntry, EnrolRequest, EnrolResponse, OrgKeyGrant, PendingEnrolment, PullResponse, UploadResult, UserInfo,
};
use visitnotes_shared::audit::Checkpoint;
use visitnotes_shared::envelope::SealedNote;
use visitnotes_shared::head::SignedHead;
use visitnotes_shared::receipt::SignedReceipt;
use visitnotes_shared::roster::{Roster, SignedRoster};
use visitnotes_shared::{DeviceId, UserId};

use super::audit::AuditReport;
use super::directory::{self, DeviceRecord, NewInvite};
use super::heads;
use super::notes::{self, View};
use super::storage::{BackendKind, DeviceSnapshot, NewMember, Storage};
use super::upload_writer::{Upload, UploadWriter};
use super::{audit, now, org_key_grants, rosters, Db, Refusal, StoreError};

pub struct SqliteStorage {
    db: Arc<Db>,
    uploads: UploadWriter,
    /// The number of the last device snapshot handed out; taken only inside
    /// a write transaction, so the writer's lock orders it as the commits.
    generation: Arc<AtomicU64>,
    /// The store's random id (`db::store_id`), read once: it never changes.
    store_id: Arc<str>,
}

impl SqliteStorage {
    /// Starts the upload writer over `db`.
    pub fn start(db: Arc<Db>, quota_bytes: u64, upload_wait: Duration) -> Result<SqliteStorage, StoreError> {
        let store_id = db.read(super::store_id)?.into();
        let uploads = UploadWriter::start(db.clone(), quota_bytes, upload_wait).map_err(StoreError::WriterStart)?;
        Ok(SqliteStorage { db, uploads, generation: Arc::new(AtomicU64::new(0)), store_id })
    }

    /// Runs `f` over the database on the blocking pool.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Db, &AtomicU64) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (db, generation) = (self.db.clone(), self.generation.clone());
        tokio::task::spawn_blocking(move || f(&db, &generation)).await?
    }
}

#[async_trait]
impl Storage for SqliteStorage {
    fn kind(&self) -> BackendKind {
        BackendKind::Sqlite
    }

    fn load(&self) -> Result<(Option<SignedRoster>, DeviceSnapshot), StoreError> {
        let generation = self.generation.clone();
        self.db.write(|tx| Ok((rosters::latest(tx)?, snapshot(&generation, tx)?)))
    }

    /// Ok when the database answers a query.
    /// One process owns the file: nothing else changes it.
    async fn devices_generation(&self) -> Result<Option<u64>, StoreError> {
        Ok(None)
    }

    async fn reload(&self) -> Result<(Option<SignedRoster>, DeviceSnapshot), StoreError> {
        let generation = self.generation.clone();
        self.run(move |db, _| db.write(|tx| Ok((rosters::latest(tx)?, snapshot(&generation, tx)?)))).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.run(|db, _| db.read(|conn| Ok(conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)).map(drop)?))).await
    }

    async fn bootstrapped(&self) -> Result<bool, StoreError> {
        self.run(|db, _| db.read(directory::bootstrapped)).await
    }

    async fn issue_bootstrap_invite(&self, invite: NewMember) -> Result<(), StoreError> {
        self.run(move |db, _| {
            db.write(|tx| {
                directory::expire_bootstrap_invites(tx)?;
                let new = NewInvite {
                    token_hash: &invite.token_hash,
                    user_id: &invite.user_id,
                    role: invite.role,
                    name: &invite.name,
                    bootstrap: true,
                    expires_at: invite.expires_at,
                };
                directory::create_invite(tx, &new, None)
            })
        })
        .await
    }

    async fn create_invite(&self, invite: NewMember, actor: DeviceId) -> Result<(), StoreError> {
        self.run(move |db, _| {
            db.write(|tx| {
                if invite.existing && !directory::active_user(tx, &invite.user_id)? {
                    return Err(Refusal::NotFound(format!("no active user {}", invite.user_id)).into());
                }
                let new = NewInvite {
                    token_hash: &invite.token_hash,
                    user_id: &invite.user_id,
                    role: invite.role,
                    name: &invite.name,
                    bootstrap: false,
                    expires_at: invite.expires_at,
                };
                directory::create_invite(tx, &new, Some(actor.as_str()))
            })
        })
        .await
    }

    /// Registers a device with an invite token.
    async fn enrol(&self, request: EnrolRequest) -> Result<(EnrolResponse, DeviceSnapshot), StoreError> {
        self.run(move |db, generation| {
            db.write(|tx| {
                let (response, _record) = directory::enrol(tx, &request)?;
                Ok((response, snapshot(generation, tx)?))
            })
        })
        .await
    }

    /// Stores the organisation key sealed to `device` (an active device).
    async fn grant_org_key(&self, device: DeviceId, sealed: Vec<u8>, actor: DeviceId) -> Result<(), StoreError> {
        self.run(move |db, _| db.write(|tx| org_key_grants::put(tx, &device, &sealed, &actor))).await
    }

    /// The organisation key sealed to `device`, if one waits for it.
    async fn org_key_grant(&self, device: DeviceId) -> Result<Option<OrgKeyGrant>, StoreError> {
        self.run(move |db, _| db.read(|conn| org_key_grants::get(conn, &device))).await
    }

    /// The devices the organisation key was sealed to.
    async fn org_key_granted(&self) -> Result<Vec<DeviceId>, StoreError> {
        self.run(|db, _| db.read(org_key_grants::granted)).await
    }

    async fn pending(&self) -> Result<Vec<PendingEnrolment>, StoreError> {
        self.run(|db, _| db.read(directory::pending)).await
    }

    async fn users(&self) -> Result<Vec<UserInfo>, StoreError> {
        self.run(|db, _| db.read(directory::users)).await
    }

    /// Revokes `device`; returns the highest sequence number stored from it.
    async fn revoke_device(&self, device: DeviceId, actor: DeviceId) -> Result<(u64, DeviceSnapshot), StoreError> {
        self.run(move |db, generation| {
            db.write(|tx| {
                let last = directory::revoke_device(tx, &device, actor.as_str())?;
                Ok((last, snapshot(generation, tx)?))
            })
        })
        .await
    }

    /// Deletes a pending (never approved) enrolment of `device`.
    async fn reject_enrolment(&self, device: DeviceId, actor: DeviceId) -> Result<DeviceSnapshot, StoreError> {
        self.run(move |db, generation| {
            db.write(|tx| {
                directory::reject_enrolment(tx, &device, actor.as_str())?;
                snapshot(generation, tx)
            })
        })
        .await
    }

    async fn remove_user(&self, user: UserId, actor: DeviceId) -> Result<DeviceSnapshot, StoreError> {
        self.run(move |db, generation| {
            db.write(|tx| {
                directory::remove_user(tx, &user, actor.as_str())?;
                snapshot(generation, tx)
            })
        })
        .await
    }

    async fn audit(&self, since: u64, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        self.run(move |db, _| db.read(|conn| audit::list(conn, since, limit))).await
    }

    /// Checks `checkpoint` against `roster` and this log, and stores it.
    async fn add_checkpoint(
        &self,
        roster: Arc<Roster>,
        checkpoint: Checkpoint,
        actor: DeviceId,
    ) -> Result<(), StoreError> {
        self.run(move |db, _| db.write(|tx| audit::add_checkpoint(tx, &roster, &checkpoint, actor.as_str()))).await
    }

    async fn audit_report(&self) -> Result<AuditReport, StoreError> {
        self.run(|db, _| db.read(audit::check)).await
    }

    async fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        self.run(|db, _| db.read(audit::latest_checkpoint)).await
    }

    async fn latest_roster(&self) -> Result<Option<SignedRoster>, StoreError> {
        self.run(|db, _| db.read(rosters::latest)).await
    }

    /// Checks `signed` as the roster after `current` and stores it.
    async fn publish_roster(
        &self,
        current: Option<Arc<Roster>>,
        signed: SignedRoster,
        publisher: DeviceRecord,
    ) -> Result<(Roster, DeviceSnapshot), StoreError> {
        self.run(move |db, generation| {
            db.write(|tx| {
                let roster = rosters::publish(tx, current.as_deref(), &signed, &publisher)?;
                Ok((roster, snapshot(generation, tx)?))
            })
        })
        .await
    }

    /// Upload batches waiting for their device's earlier batch.
    fn uploads_waiting(&self) -> u64 {
        self.uploads.waiting()
    }

    /// Checks a batch against `roster` (on the blocking pool, so that it is
    /// checked while the writer stores the batch before it), then stores it
    /// through the upload writer.
    async fn upload(&self, upload: Upload, roster: Arc<Roster>) -> Result<Vec<UploadResult>, StoreError> {
        let checked = tokio::task::spawn_blocking(move || {
            notes::verify_batch(&upload.notes, &roster, upload.device_id.as_str())?;
            Ok::<_, StoreError>(upload)
        })
        .await??;
        self.uploads.store(checked).await
    }

    /// Replaces stored ciphertext with `device`'s rewrapped files.
    async fn rewrap(&self, device: DeviceId, roster: Arc<Roster>, sealed: Vec<SealedNote>) -> Result<u64, StoreError> {
        self.run(move |db, _| db.write(|tx| notes::rewrap(tx, device.as_str(), &roster, &sealed))).await
    }

    /// A page of notes after `since` as `reader` may see them (only its own
    /// when `own_only`; metadata only of others' when `metadata_only`), with
    /// where the store stands for it (`StoreState`: what clients need to
    /// notice a restore), and an audit entry naming `device` when the page
    /// is not empty.
    async fn pull(
        &self,
        reader: UserId,
        own_only: bool,
        metadata_only: bool,
        device: DeviceId,
        since: u64,
        limit: u32,
    ) -> Result<PullResponse, StoreError> {
        let store_id = self.store_id.clone();
        self.run(move |db, _| {
            let view =
                View { author: own_only.then_some(&reader), metadata_only, reader: &reader, device: device.as_str() };
            let page = db.read(|conn| notes::pull(conn, &view, &store_id, since, limit))?;
            if !page.notes.is_empty() {
                let subject =
                    format!("{} revisions, seq {} to {}", page.notes.len(), since.saturating_add(1), page.next);
                db.write(|tx| audit::append(tx, Some(device.as_str()), "download", &subject))?;
            }
            Ok(page)
        })
        .await
    }

    /// Keeps `head` as its device's newest unless one signed later is kept.
    async fn put_head(&self, head: SignedHead) -> Result<bool, StoreError> {
        self.run(move |db, _| db.write(|tx| heads::put(tx, &head))).await
    }

    /// Every device's newest head.
    async fn heads(&self) -> Result<Vec<SignedHead>, StoreError> {
        self.run(|db, _| db.read(heads::list)).await
    }

    /// Keeps coordinators' receipts, each with the user its device belongs to.
    async fn put_receipts(&self, receipts: Vec<(SignedReceipt, UserId)>) -> Result<u64, StoreError> {
        self.run(move |db, _| db.write(|tx| heads::put_receipts(tx, &receipts))).await
    }

    /// The receipts about `author`'s devices.
    async fn receipts_for(&self, author: UserId) -> Result<Vec<SignedReceipt>, StoreError> {
        self.run(move |db, _| db.read(|conn| heads::receipts_for(conn, &author))).await
    }

    /// Drops superseded ciphertext older than `retention_days`.
    async fn purge(&self, retention_days: u32) -> Result<u64, StoreError> {
        self.run(move |db, _| purge(db, retention_days)).await
    }

    /// Free bytes on the disk that holds the store (statvfs of its directory).
    fn free_bytes(&self) -> Option<std::io::Result<u64>> {
        let dir = self.db.path().parent().unwrap_or(std::path::Path::new("."));
        Some(crate::check::free_bytes(dir))
    }

    /// Folds the WAL back into the database; false if readers kept it.
    async fn maintain(&self) -> Result<bool, StoreError> {
        self.run(|db, _| db.checkpoint()).await
    }
}

/// Purges superseded ciphertext older than the retention period (blocking).
pub fn purge(db: &Db, retention_days: u32) -> Result<u64, StoreError> {
    let cutoff = now() - i64::from(retention_days) * 86_400;
    db.write(|tx| notes::purge(tx, cutoff))
}

/// The devices as `conn` sees them, numbered. Called inside a write
/// transaction only: the writer's lock makes the numbers follow the commits.
fn snapshot(generation: &AtomicU64, conn: &Connection) -> Result<DeviceSnapshot, StoreError> {
    let devices = directory::load_devices(conn)?;
    Ok(DeviceSnapshot { generation: generation.fetch_add(1, Ordering::SeqCst) + 1, devices })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writers on many threads: the snapshot numbers follow the commits'
    /// order (the audit entries' seqs), so the newest commit's snapshot is
    /// the one with the highest number.
    #[test]
    fn snapshot_numbers_follow_the_commits() {
        let dir = tempfile::tempdir().unwrap();
        let db = Arc::new(Db::open(dir.path()).unwrap());
        let generation = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (db, generation) = (db.clone(), generation.clone());
                std::thread::spawn(move || {
                    (0..25)
                        .map(|_| {
                            db.write(|tx| {
                                audit::append(tx, None, "test", "x")?;
                                let seq: u64 = tx.query_row("SELECT MAX(seq) FROM audit", [], |r| r.get(0))?;
                                Ok::<_, StoreError>((seq, snapshot(&generation, tx)?.generation))
                            })
                            .unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut commits: Vec<(u64, u64)> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
        commits.sort();
        assert_eq!(commits.len(), 100);
        assert!(commits.windows(2).all(|w| w[0].1 < w[1].1), "{commits:?}");
    }
}
