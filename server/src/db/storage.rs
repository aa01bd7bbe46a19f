//! `Storage`: the operations the HTTP layer needs, and the only way it
//! reaches the store, whichever engine stands behind it.
//!
//! Each method takes and returns owned values in the store's own terms
//! (records, `StoreError`): no SQL, connection or transaction leaves a
//! backend, so a route never knows which one it talks to. Two implement it:
//! `sqlite::SqliteStorage` (the embedded default, one file in the data
//! directory) and `postgres::PgStorage` (a PostgreSQL database, chosen by
//! the `database_url` setting). The routes hold an `Arc<dyn Storage>`.

use std::sync::Arc;

use async_trait::async_trait;
use visitnotes_shared::api::{
    AuditEntry, EnrolRequest, EnrolResponse, OrgKeyGrant, PendingEnrolment, PullResponse, UploadResult, UserInfo,
};
use visitnotes_shared::audit::Checkpoint;
use visitnotes_shared::envelope::SealedNote;
use visitnotes_shared::head::SignedHead;
use visitnotes_shared::receipt::SignedReceipt;
use visitnotes_shared::roster::{Role, Roster, SignedRoster};
use visitnotes_shared::{DeviceId, UserId};

use super::audit::AuditReport;
use super::directory::DeviceRecord;
use super::upload_writer::Upload;
use super::StoreError;

/// The device directory as of one commit. Snapshots are numbered in the
/// order of the commits that produced them, so that of two read at about
/// the same time the older can be told from the newer (see
/// `state::Devices::install`).
#[derive(Debug, Clone, Default)]
pub struct DeviceSnapshot {
    pub generation: u64,
    pub devices: Vec<DeviceRecord>,
}

/// An invite to create: for a new member, or another device of `existing`.
pub struct NewMember {
    pub token_hash: String,
    pub user_id: UserId,
    /// The user exists already and must be active.
    pub existing: bool,
    pub role: Role,
    pub name: String,
    pub expires_at: i64,
}

/// What a backend is, for the log and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

/// The store's operations. Every write runs in one transaction with its
/// audit entry inside it; an answer that says "stored" comes after the
/// commit.
#[async_trait]
pub trait Storage: Send + Sync {
    fn kind(&self) -> BackendKind;

    /// The roster in force and the device directory, at startup (blocking:
    /// called before the server takes requests).
    fn load(&self) -> Result<(Option<SignedRoster>, DeviceSnapshot), StoreError>;

    /// The number of the newest device snapshot any process sharing this
    /// store has made (every change to the devices or the roster makes
    /// one); None when no other process can change the store (SQLite).
    async fn devices_generation(&self) -> Result<Option<u64>, StoreError>;

    /// The roster in force and the device directory as one snapshot, read
    /// without making a new number (`devices_generation` ahead of the one
    /// in memory: another process changed them).
    async fn reload(&self) -> Result<(Option<SignedRoster>, DeviceSnapshot), StoreError>;

    /// Ok when the database answers a query.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Whether any administrator has published a roster yet.
    async fn bootstrapped(&self) -> Result<bool, StoreError>;

    /// Makes every earlier unused bootstrap invite unusable and creates
    /// `invite` as the new one (for the first administrator).
    async fn issue_bootstrap_invite(&self, invite: NewMember) -> Result<(), StoreError>;

    async fn create_invite(&self, invite: NewMember, actor: DeviceId) -> Result<(), StoreError>;

    /// Registers a device with an invite token.
    async fn enrol(&self, request: EnrolRequest) -> Result<(EnrolResponse, DeviceSnapshot), StoreError>;

    /// Stores the organisation key sealed to `device` (an active device).
    async fn grant_org_key(&self, device: DeviceId, sealed: Vec<u8>, actor: DeviceId) -> Result<(), StoreError>;

    /// The organisation key sealed to `device`, if one waits for it.
    async fn org_key_grant(&self, device: DeviceId) -> Result<Option<OrgKeyGrant>, StoreError>;

    /// The devices the organisation key was sealed to.
    async fn org_key_granted(&self) -> Result<Vec<DeviceId>, StoreError>;

    async fn pending(&self) -> Result<Vec<PendingEnrolment>, StoreError>;

    async fn users(&self) -> Result<Vec<UserInfo>, StoreError>;

    /// Revokes `device`; returns the highest sequence number stored from it.
    async fn revoke_device(&self, device: DeviceId, actor: DeviceId) -> Result<(u64, DeviceSnapshot), StoreError>;

    /// Deletes a pending (never approved) enrolment of `device`.
    async fn reject_enrolment(&self, device: DeviceId, actor: DeviceId) -> Result<DeviceSnapshot, StoreError>;

    async fn remove_user(&self, user: UserId, actor: DeviceId) -> Result<DeviceSnapshot, StoreError>;

    async fn audit(&self, since: u64, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;

    /// The whole audit chain checked, and the newest checkpoint against it.
    async fn audit_report(&self) -> Result<AuditReport, StoreError>;

    /// Checks `checkpoint` against `roster` and this log, and stores it.
    async fn add_checkpoint(
        &self,
        roster: Arc<Roster>,
        checkpoint: Checkpoint,
        actor: DeviceId,
    ) -> Result<(), StoreError>;

    async fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError>;

    async fn latest_roster(&self) -> Result<Option<SignedRoster>, StoreError>;

    /// Checks `signed` as the roster after `current` and stores it.
    async fn publish_roster(
        &self,
        current: Option<Arc<Roster>>,
        signed: SignedRoster,
        publisher: DeviceRecord,
    ) -> Result<(Roster, DeviceSnapshot), StoreError>;

    /// Upload batches waiting for their device's earlier batch.
    fn uploads_waiting(&self) -> u64;

    /// Checks a batch against `roster`, then stores it through the
    /// backend's group-commit upload writer: answered after the commit.
    async fn upload(&self, upload: Upload, roster: Arc<Roster>) -> Result<Vec<UploadResult>, StoreError>;

    /// Replaces stored ciphertext with `device`'s rewrapped files.
    async fn rewrap(&self, device: DeviceId, roster: Arc<Roster>, sealed: Vec<SealedNote>) -> Result<u64, StoreError>;

    /// A page of notes after `since` as `reader` may see them (only its own
    /// when `own_only`; metadata only of others' when `metadata_only`), with
    /// where the store stands for it (`StoreState`: what clients need to
    /// notice a restore), and an audit entry naming `device` when the page
    /// is not empty.
    #[allow(clippy::too_many_arguments)]
    async fn pull(
        &self,
        reader: UserId,
        own_only: bool,
        metadata_only: bool,
        device: DeviceId,
        since: u64,
        limit: u32,
    ) -> Result<PullResponse, StoreError>;

    /// Keeps `head` as its device's newest unless one signed later is kept.
    async fn put_head(&self, head: SignedHead) -> Result<bool, StoreError>;

    /// Every device's newest head.
    async fn heads(&self) -> Result<Vec<SignedHead>, StoreError>;

    /// Keeps coordinators' receipts, each with the user its device belongs to.
    async fn put_receipts(&self, receipts: Vec<(SignedReceipt, UserId)>) -> Result<u64, StoreError>;

    /// The receipts about `author`'s devices.
    async fn receipts_for(&self, author: UserId) -> Result<Vec<SignedReceipt>, StoreError>;

    /// Drops superseded ciphertext older than `retention_days`.
    async fn purge(&self, retention_days: u32) -> Result<u64, StoreError>;

    /// Free bytes on the local disk that holds the store; None when the
    /// store is not on this machine (PostgreSQL).
    fn free_bytes(&self) -> Option<std::io::Result<u64>>;

    /// The backend's periodic housekeeping (SQLite: fold the WAL back into
    /// the database). False when it was left for the next time.
    async fn maintain(&self) -> Result<bool, StoreError>;
}
