//! `PgStorage`: the `Storage` operations on a PostgreSQL database, with
//! `tokio-postgres` (hand-written SQL, explicit transactions) and a
//! `deadpool-postgres` pool.
//!
//! The backend runs its own small tokio runtime: every connection's task
//! lives there, whichever runtime a request comes from (actix runs one per
//! worker thread), and the upload writer's thread blocks on it for each
//! group. Every operation is one transaction (READ COMMITTED; the writers
//! that must follow one another take row locks, see ops.rs).
//!
//! The schema has its own migrations (migrations/postgres/NNNN_*.sql),
//! applied in one transaction that records the version in `schema_version`,
//! under an advisory lock so that two processes starting at once do not
//! both apply them.

mod ops;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;
use tokio_postgres::NoTls;
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
use super::directory::{DeviceRecord, NewInvite};
use super::notes::{self, Uploader, View};
use super::storage::{BackendKind, DeviceSnapshot, NewMember, Storage};
use super::upload_writer::{GroupStore, Rollback, Upload, UploadWriter};
use super::{now, PgUrl, Refusal, StoreError};

/// The migrations, in order; the schema version is how many are applied.
const MIGRATIONS: &[&str] = &[include_str!("../../../../migrations/postgres/0001_init.sql")];

/// The advisory lock key migrations run under ("visitnot" in ASCII).
const MIGRATION_LOCK: i64 = 0x7669_7369_746e_6f74;

/// Connections the pool opens at most, per server process.
const POOL_SIZE: usize = 16;
/// How long a request waits for a connection, or for one to be opened,
/// before it is answered 503: a database that is away is noticed quickly.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema version this build brings a database to.
pub fn latest_schema_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Why a PostgreSQL store cannot be opened: one line each, saying which.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot reach the PostgreSQL server of {url}: check that it runs and that the host and port are right")]
    Unreachable {
        url: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("PostgreSQL refused the user name or password in {url}")]
    Credentials {
        url: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("PostgreSQL has no database {database} ({url}): create it, e.g. `createdb -O USER {database}`")]
    NoDatabase {
        url: String,
        database: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("cannot connect to {url}")]
    Connect {
        url: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("the database {url} has schema version {found}, written by a newer visitnotes-server (this one serves up to {known}): run that version or a later one")]
    Newer { url: String, found: u32, known: u32 },
    #[error("the database {url} holds no Visitnotes store: run `visitnotes-server init` with this database_url first")]
    Empty { url: String },
    #[error("the database {url} holds a Visitnotes store already: `init` sets up an empty database only")]
    InUse { url: String },
    #[error("cannot bring the schema of {url} up to date")]
    Migrate {
        url: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("cannot start the PostgreSQL backend")]
    Runtime(#[source] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl OpenError {
    /// The connection error `source`, named by what went wrong.
    fn connecting(url: &PgUrl, source: tokio_postgres::Error) -> OpenError {
        let shown = url.to_string();
        match source.code() {
            Some(c) if *c == SqlState::INVALID_PASSWORD || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
                OpenError::Credentials { url: shown, source }
            }
            Some(c) if *c == SqlState::INVALID_CATALOG_NAME => {
                OpenError::NoDatabase { url: shown, database: url.database(), source }
            }
            Some(_) => OpenError::Connect { url: shown, source },
            // No answer from a server: refused, timed out, no such host or socket.
            None => OpenError::Unreachable { url: shown, source },
        }
    }
}

/// Whether opening may create the schema (`init`), or needs it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An empty database: create the schema. One with a store: refused.
    Create,
    /// A store set up by `init`: bring its schema up to date.
    Existing,
}

pub struct PgStorage {
    /// Declared last among what uses it: dropped after the pool and writer.
    handle: tokio::runtime::Handle,
    pool: Pool,
    uploads: UploadWriter,
    store_id: Arc<str>,
    _runtime: BackgroundRuntime,
}

/// The backend's runtime, shut down in the background when dropped: a
/// runtime may not be dropped inside another one, and `serve` opens (and
/// may fail to open) the store inside actix's.
struct BackgroundRuntime(Option<tokio::runtime::Runtime>);

impl Drop for BackgroundRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// Opens a connection for one task (migrations, `check`), on `handle`.
async fn connect_one(url: &PgUrl) -> Result<tokio_postgres::Client, OpenError> {
    let mut config: tokio_postgres::Config = url.secret().parse().map_err(|e| OpenError::connecting(url, e))?;
    config.connect_timeout(CONNECT_TIMEOUT);
    let (client, connection) = config.connect(NoTls).await.map_err(|e| OpenError::connecting(url, e))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "a PostgreSQL connection ended");
        }
    });
    Ok(client)
}

/// The schema version of the database `client` is connected to (0: none).
async fn schema_version(client: &impl tokio_postgres::GenericClient) -> Result<u32, tokio_postgres::Error> {
    let table: Option<String> = client.query_one("SELECT to_regclass('schema_version')::text", &[]).await?.get(0);
    if table.is_none() {
        return Ok(0);
    }
    let row = client.query_opt("SELECT version FROM schema_version", &[]).await?;
    Ok(row.map_or(0, |r| u32::try_from(r.get::<_, i32>(0)).unwrap_or(0)))
}

/// Checks the schema version and applies the migrations it lacks, all in
/// one transaction.
async fn migrate(client: &mut tokio_postgres::Client, url: &PgUrl, mode: Mode) -> Result<(), OpenError> {
    let failed = |source| OpenError::Migrate { url: url.to_string(), source };
    let tx = client.transaction().await.map_err(failed)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(failed)?;
    let found = schema_version(&tx).await.map_err(failed)?;
    let known = latest_schema_version();
    match (mode, found) {
        (_, found) if found > known => return Err(OpenError::Newer { url: url.to_string(), found, known }),
        (Mode::Existing, 0) => return Err(OpenError::Empty { url: url.to_string() }),
        (Mode::Create, found) if found > 0 => return Err(OpenError::InUse { url: url.to_string() }),
        _ => {}
    }
    if found == 0 {
        tx.batch_execute(
            "CREATE TABLE schema_version (one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), version INTEGER NOT NULL);
             INSERT INTO schema_version (version) VALUES (0);",
        )
        .await
        .map_err(failed)?;
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql).await.map_err(failed)?;
        tx.execute("UPDATE schema_version SET version = $1", &[&(i as i32 + 1)]).await.map_err(failed)?;
    }
    tx.commit().await.map_err(failed)
}

/// What `check` reports of a PostgreSQL store: connected, and its schema
/// version (changing nothing).
pub fn probe(url: &PgUrl) -> Result<u32, OpenError> {
    crate::block_on(async {
        let client = connect_one(url).await?;
        schema_version(&client).await.map_err(|source| OpenError::Connect { url: url.to_string(), source })
    })
}

impl PgStorage {
    /// Connects to `url`, checks or creates the schema (`mode`), and starts
    /// the upload writer.
    pub fn open(url: &PgUrl, mode: Mode, quota_bytes: u64, upload_wait: Duration) -> Result<PgStorage, OpenError> {
        let runtime = BackgroundRuntime(Some(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("postgres")
                .enable_all()
                .build()
                .map_err(OpenError::Runtime)?,
        ));
        let handle = runtime.0.as_ref().expect("just built").handle().clone();
        let opening = {
            let url = url.clone();
            handle.spawn(async move {
                let mut client = connect_one(&url).await?;
                migrate(&mut client, &url, mode).await?;
                let store_id: String = client
                    .query_one("SELECT id FROM store", &[])
                    .await
                    .map_err(|source| OpenError::Connect { url: url.to_string(), source })?
                    .get(0);
                Ok::<_, OpenError>(store_id)
            })
        };
        let store_id = crate::block_on(opening).map_err(StoreError::Worker)??;

        let mut config: tokio_postgres::Config = url.secret().parse().map_err(|e| OpenError::connecting(url, e))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| OpenError::Runtime(std::io::Error::other(e)))?;
        let writer = PgGroupStore { handle: handle.clone(), pool: pool.clone() };
        let uploads = UploadWriter::start(writer, quota_bytes, upload_wait).map_err(StoreError::WriterStart)?;
        Ok(PgStorage { handle, pool, uploads, store_id: store_id.into(), _runtime: runtime })
    }

    /// Runs `f` in one transaction on the backend's runtime, and commits if
    /// it returns Ok.
    async fn tx<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t deadpool_postgres::Transaction<'t>) -> ops::BoxFuture<'t, Result<T, StoreError>>
            + Send
            + 'static,
    {
        let pool = self.pool.clone();
        self.handle
            .spawn(async move {
                let mut client = pool.get().await?;
                let tx = client.transaction().await?;
                let value = f(&tx).await?;
                tx.commit().await?;
                Ok(value)
            })
            .await?
    }
}

/// The upload writer's side of the pool: one transaction per group, under
/// the notes' lock, blocking the writer's thread on the backend's runtime.
struct PgGroupStore {
    handle: tokio::runtime::Handle,
    pool: Pool,
}

impl GroupStore for PgGroupStore {
    fn last_device_seq(&mut self, device: &DeviceId) -> Result<u64, StoreError> {
        let (pool, device) = (self.pool.clone(), device.clone());
        self.handle.block_on(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let seq = ops::last_device_seq(&tx, device.as_str()).await?;
            tx.commit().await?;
            Ok(seq)
        })
    }

    fn store_group(&mut self, group: &[&Upload], quota_bytes: u64) -> Result<Vec<Vec<UploadResult>>, Rollback> {
        let pool = self.pool.clone();
        self.handle.block_on(async move {
            let mut client = pool.get().await.map_err(StoreError::from)?;
            let tx = client.transaction().await.map_err(StoreError::from)?;
            let mut seq = ops::lock_notes(&tx).await?;
            let mut results = Vec::with_capacity(group.len());
            for (i, upload) in group.iter().enumerate() {
                let who = Uploader { device_id: upload.device_id.as_str(), user_id: &upload.user_id, quota_bytes };
                let stored =
                    ops::upload(&tx, &who, &upload.notes, &mut seq).await.map_err(|e| Rollback::Batch(i, e))?;
                results.push(stored);
            }
            ops::set_notes_counter(&tx, seq).await?;
            tx.commit().await.map_err(StoreError::from)?;
            Ok(results)
        })
    }
}

/// `Box::pin(async move { ... })` for `PgStorage::tx`.
macro_rules! in_tx {
    ($self:ident, |$tx:ident| $body:expr) => {
        $self.tx(move |$tx| Box::pin(async move { $body })).await
    };
}

#[async_trait]
impl Storage for PgStorage {
    fn kind(&self) -> BackendKind {
        BackendKind::Postgres
    }

    fn load(&self) -> Result<(Option<SignedRoster>, DeviceSnapshot), StoreError> {
        crate::block_on(async { in_tx!(self, |tx| Ok((ops::latest_roster(tx).await?, ops::snapshot(tx).await?))) })
    }

    async fn devices_generation(&self) -> Result<Option<u64>, StoreError> {
        in_tx!(self, |tx| Ok(Some(ops::devices_generation(tx).await?)))
    }

    async fn reload(&self) -> Result<(Option<SignedRoster>, DeviceSnapshot), StoreError> {
        in_tx!(self, |tx| {
            // One snapshot for the number, the roster and the devices.
            tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").await?;
            let generation = ops::devices_generation(tx).await?;
            let roster = ops::latest_roster(tx).await?;
            let devices = ops::load_devices(tx).await?;
            Ok((roster, DeviceSnapshot { generation, devices }))
        })
    }

    async fn ping(&self) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            tx.query_one("SELECT 1", &[]).await?;
            Ok(())
        })
    }

    async fn bootstrapped(&self) -> Result<bool, StoreError> {
        in_tx!(self, |tx| ops::bootstrapped(tx).await)
    }

    async fn issue_bootstrap_invite(&self, invite: NewMember) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            ops::expire_bootstrap_invites(tx).await?;
            let new = NewInvite {
                token_hash: &invite.token_hash,
                user_id: &invite.user_id,
                role: invite.role,
                name: &invite.name,
                bootstrap: true,
                expires_at: invite.expires_at,
            };
            ops::create_invite(tx, &new, None).await
        })
    }

    async fn create_invite(&self, invite: NewMember, actor: DeviceId) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            if invite.existing && !ops::active_user(tx, &invite.user_id).await? {
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
            ops::create_invite(tx, &new, Some(actor.as_str())).await
        })
    }

    async fn enrol(&self, request: EnrolRequest) -> Result<(EnrolResponse, DeviceSnapshot), StoreError> {
        in_tx!(self, |tx| {
            let response = ops::enrol(tx, &request).await?;
            Ok((response, ops::snapshot(tx).await?))
        })
    }

    async fn grant_org_key(&self, device: DeviceId, sealed: Vec<u8>, actor: DeviceId) -> Result<(), StoreError> {
        in_tx!(self, |tx| ops::put_grant(tx, &device, &sealed, &actor).await)
    }

    async fn org_key_grant(&self, device: DeviceId) -> Result<Option<OrgKeyGrant>, StoreError> {
        in_tx!(self, |tx| ops::get_grant(tx, &device).await)
    }

    async fn org_key_granted(&self) -> Result<Vec<DeviceId>, StoreError> {
        in_tx!(self, |tx| ops::granted(tx).await)
    }

    async fn pending(&self) -> Result<Vec<PendingEnrolment>, StoreError> {
        in_tx!(self, |tx| ops::pending(tx).await)
    }

    async fn users(&self) -> Result<Vec<UserInfo>, StoreError> {
        in_tx!(self, |tx| ops::users(tx).await)
    }

    async fn revoke_device(&self, device: DeviceId, actor: DeviceId) -> Result<(u64, DeviceSnapshot), StoreError> {
        in_tx!(self, |tx| {
            let last = ops::revoke_device(tx, &device, actor.as_str()).await?;
            Ok((last, ops::snapshot(tx).await?))
        })
    }

    async fn reject_enrolment(&self, device: DeviceId, actor: DeviceId) -> Result<DeviceSnapshot, StoreError> {
        in_tx!(self, |tx| {
            ops::reject_enrolment(tx, &device, actor.as_str()).await?;
            ops::snapshot(tx).await
        })
    }

    async fn remove_user(&self, user: UserId, actor: DeviceId) -> Result<DeviceSnapshot, StoreError> {
        in_tx!(self, |tx| {
            ops::remove_user(tx, &user, actor.as_str()).await?;
            ops::snapshot(tx).await
        })
    }

    async fn audit(&self, since: u64, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        in_tx!(self, |tx| ops::audit_list(tx, since, limit).await)
    }

    async fn audit_report(&self) -> Result<AuditReport, StoreError> {
        in_tx!(self, |tx| ops::audit_report(tx).await)
    }

    async fn add_checkpoint(
        &self,
        roster: Arc<Roster>,
        checkpoint: Checkpoint,
        actor: DeviceId,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| ops::add_checkpoint(tx, &roster, &checkpoint, actor.as_str()).await)
    }

    async fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        in_tx!(self, |tx| ops::latest_checkpoint(tx).await)
    }

    async fn latest_roster(&self) -> Result<Option<SignedRoster>, StoreError> {
        in_tx!(self, |tx| ops::latest_roster(tx).await)
    }

    async fn publish_roster(
        &self,
        current: Option<Arc<Roster>>,
        signed: SignedRoster,
        publisher: DeviceRecord,
    ) -> Result<(Roster, DeviceSnapshot), StoreError> {
        in_tx!(self, |tx| {
            let roster = ops::publish_roster(tx, current.as_deref(), &signed, &publisher).await?;
            Ok((roster, ops::snapshot(tx).await?))
        })
    }

    fn uploads_waiting(&self) -> u64 {
        self.uploads.waiting()
    }

    async fn upload(&self, upload: Upload, roster: Arc<Roster>) -> Result<Vec<UploadResult>, StoreError> {
        let checked = tokio::task::spawn_blocking(move || {
            notes::verify_batch(&upload.notes, &roster, upload.device_id.as_str())?;
            Ok::<_, StoreError>(upload)
        })
        .await??;
        self.uploads.store(checked).await
    }

    async fn rewrap(&self, device: DeviceId, roster: Arc<Roster>, sealed: Vec<SealedNote>) -> Result<u64, StoreError> {
        in_tx!(self, |tx| {
            ops::lock_notes(tx).await?;
            ops::rewrap(tx, device.as_str(), &roster, &sealed).await
        })
    }

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
        in_tx!(self, |tx| {
            let view =
                View { author: own_only.then_some(&reader), metadata_only, reader: &reader, device: device.as_str() };
            let page = ops::pull(tx, &view, &store_id, since, limit).await?;
            if !page.notes.is_empty() {
                let subject =
                    format!("{} revisions, seq {} to {}", page.notes.len(), since.saturating_add(1), page.next);
                ops::append(tx, Some(device.as_str()), "download", &subject).await?;
            }
            Ok(page)
        })
    }

    async fn put_head(&self, head: SignedHead) -> Result<bool, StoreError> {
        in_tx!(self, |tx| ops::put_head(tx, &head).await)
    }

    async fn heads(&self) -> Result<Vec<SignedHead>, StoreError> {
        in_tx!(self, |tx| ops::heads(tx).await)
    }

    async fn put_receipts(&self, receipts: Vec<(SignedReceipt, UserId)>) -> Result<u64, StoreError> {
        in_tx!(self, |tx| ops::put_receipts(tx, &receipts).await)
    }

    async fn receipts_for(&self, author: UserId) -> Result<Vec<SignedReceipt>, StoreError> {
        in_tx!(self, |tx| ops::receipts_for(tx, &author).await)
    }

    async fn purge(&self, retention_days: u32) -> Result<u64, StoreError> {
        let cutoff = now() - i64::from(retention_days) * 86_400;
        in_tx!(self, |tx| {
            ops::lock_notes(tx).await?;
            ops::purge(tx, cutoff).await
        })
    }

    fn free_bytes(&self) -> Option<std::io::Result<u64>> {
        None
    }

    /// PostgreSQL's autovacuum keeps the tables: nothing to do here.
    async fn maintain(&self) -> Result<bool, StoreError> {
        Ok(true)
    }
}

/// A database of its own on a PostgreSQL server, created empty and dropped
/// (with any connection left to it) when this is dropped: what each test
/// on PostgreSQL runs against.
pub struct ScratchDatabase {
    admin: PgUrl,
    name: String,
    url: PgUrl,
}

impl ScratchDatabase {
    /// Creates `t_<random>` through `admin` (a URL of a user who may create
    /// databases).
    pub fn create(admin: &PgUrl) -> Result<ScratchDatabase, OpenError> {
        let name = format!("t_{}", visitnotes_shared::hex(&rand_bytes()));
        let sql = format!("CREATE DATABASE {name}");
        crate::block_on(async {
            let client = connect_one(admin).await?;
            client.batch_execute(&sql).await.map_err(|source| OpenError::Connect { url: admin.to_string(), source })
        })?;
        Ok(ScratchDatabase { admin: admin.clone(), url: admin.with_database(&name), name })
    }

    pub fn url(&self) -> &PgUrl {
        &self.url
    }
}

fn rand_bytes() -> [u8; 8] {
    let mut bytes = [0u8; 8];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).expect("random bytes");
    bytes
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let dropped = crate::block_on(async {
            let client = connect_one(&self.admin).await?;
            client
                .batch_execute(&sql)
                .await
                .map_err(|source| OpenError::Connect { url: self.admin.to_string(), source })
        });
        if let Err(e) = dropped {
            tracing::warn!(database = %self.name, error = %crate::error::Chain(&e), "cannot drop a scratch database");
        }
    }
}
