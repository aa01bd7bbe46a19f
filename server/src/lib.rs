//! Visitnotes server: a blind store of signed, encrypted visit notes.
//!
//! It holds ciphertext and the metadata listed in THREAT_MODEL.md ("Server
//! database or backups"), checks every request's device signature and every
//! upload's sender, author, hashes and stanzas against the
//! organisation-signed roster, and never has a key that opens a note. Built
//! as a library so that tests and the client's demo run the real server on
//! a loopback listener; `main.rs` is a thin command line over it (see
//! docs/architecture.md).

#![forbid(unsafe_code)]

pub mod check;
pub mod db;
pub mod error;
pub mod http;
pub mod settings;
pub mod state;
#[doc(hidden)]
pub mod testing;
pub mod tls;

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use visitnotes_shared::invite::Invite;
use visitnotes_shared::roster::Role;
use visitnotes_shared::UserId;

use crate::db::postgres::{Mode as PgMode, PgStorage};
use crate::db::{DatabaseUrl, Db, NewMember, SqliteStorage, Storage, StoreError};
use crate::error::Chain;
use crate::settings::Settings;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("{0} exists and is not empty: it may hold a server already. Use another directory, or --reissue-bootstrap to get a new first-administrator invite")]
    DataDirInUse(String),
    #[error("{0} holds no Visitnotes database: run `visitnotes-server init --data {1}` first")]
    NoDatabase(String, String),
    #[error("an administrator has already set up this server: new members are invited with `visitnotes admin invite`")]
    AlreadyBootstrapped,
    #[error("cannot create {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the settings name no usable database")]
    DatabaseUrl(#[from] db::DatabaseUrlError),
    #[error("{what} works on the SQLite backend only; this server's store is {url}")]
    SqliteOnly { what: &'static str, url: String },
    #[error(transparent)]
    Postgres(#[from] db::postgres::OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
}

/// Creates the data dir (mode 0700) and the store (the SQLite file in it,
/// or the schema in the PostgreSQL database `database_url` names), and
/// returns the bootstrap invite for the first administrator.
pub fn init(data_dir: &Path, settings: &Settings) -> Result<Invite, SetupError> {
    let shown = data_dir.display().to_string();
    let url = settings.database(data_dir)?;
    // The data dir of a PostgreSQL store holds only settings: it may have
    // its server.toml already (the database refuses a second init).
    let in_use = std::fs::read_dir(data_dir).map(|mut entries| entries.next().is_some()).unwrap_or(false);
    if in_use && matches!(url, DatabaseUrl::Sqlite(_)) {
        return Err(SetupError::DataDirInUse(shown));
    }
    create_private_dir(data_dir)?;
    let storage = open_url(&url, data_dir, settings, Open::Create)?;
    issue_bootstrap_invite(storage.as_ref(), settings)
}

/// A fresh bootstrap invite for a server no administrator has set up yet;
/// earlier unused bootstrap invites stop working.
pub fn reissue_bootstrap(data_dir: &Path, settings: &Settings) -> Result<Invite, SetupError> {
    let storage = open_store(data_dir, settings)?;
    if block_on(storage.bootstrapped())? {
        return Err(SetupError::AlreadyBootstrapped);
    }
    issue_bootstrap_invite(storage.as_ref(), settings)
}

fn issue_bootstrap_invite(storage: &dyn Storage, settings: &Settings) -> Result<Invite, SetupError> {
    let invite = Invite::generate(&settings.public_url(), None);
    let new = NewMember {
        token_hash: invite.token_hash(),
        user_id: UserId::random(),
        existing: false,
        role: Role::Admin,
        name: "first administrator".into(),
        expires_at: db::now() + i64::from(settings.invite_days) * 86_400,
    };
    block_on(storage.issue_bootstrap_invite(new))?;
    Ok(invite)
}

/// Opens the SQLite database of an initialised data dir (tests and the
/// SQLite-only commands).
pub fn open_existing(data_dir: &Path) -> Result<Db, SetupError> {
    let path = data_dir.join(db::DB_FILE);
    if !path.is_file() {
        return Err(SetupError::NoDatabase(path.display().to_string(), data_dir.display().to_string()));
    }
    Ok(Db::open_file(&path, None)?)
}

/// Whether opening a store may create it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Create,
    Existing,
}

/// The store the settings name (`database_url`), which must have been
/// set up with `init`: its schema brought up to date, its upload writer
/// started.
pub fn open_store(data_dir: &Path, settings: &Settings) -> Result<Arc<dyn Storage>, SetupError> {
    open_url(&settings.database(data_dir)?, data_dir, settings, Open::Existing)
}

fn open_url(
    url: &DatabaseUrl,
    data_dir: &Path,
    settings: &Settings,
    open: Open,
) -> Result<Arc<dyn Storage>, SetupError> {
    let wait = Duration::from_millis(settings.upload_wait_ms);
    let quota = settings.quota_bytes_per_user;
    match url {
        DatabaseUrl::Sqlite(path) => {
            if open == Open::Existing && !path.is_file() {
                return Err(SetupError::NoDatabase(path.display().to_string(), data_dir.display().to_string()));
            }
            let db = Arc::new(Db::open_file(path, settings.sqlite_vfs.as_deref())?);
            Ok(Arc::new(SqliteStorage::start(db, quota, wait)?))
        }
        DatabaseUrl::Postgres(url) => {
            let mode = if open == Open::Create { PgMode::Create } else { PgMode::Existing };
            Ok(Arc::new(PgStorage::open(url, mode, quota, wait)?))
        }
    }
}

/// Runs `future` to its end from synchronous code, on a thread of its own
/// with a small runtime: it works inside another runtime as well as
/// outside one (the command line, tests, the demo).
pub fn block_on<F>(future: F) -> F::Output
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for one task")
                    .block_on(future)
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The data dir, readable by its owner only (on Unix; elsewhere the
/// directory's inherited permissions apply).
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), SetupError> {
    let io = |source| SetupError::Io { path: dir.display().to_string(), source };
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(io)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).map_err(io)
    }
}

/// A server running on its own thread, as tests and the demo use it.
pub struct RunningServer {
    pub addr: SocketAddr,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops gracefully and waits for the thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    /// Stops at once, in-flight requests dropped (as when the machine
    /// dies; the power-cut test), and waits for the thread. Through a
    /// borrow, for an owner that starts another server in this one's place;
    /// once stopped, a no-op.
    pub fn halt(&mut self) {
        self.stop_and_wait(false);
    }

    fn shutdown(&mut self) {
        self.stop_and_wait(true);
    }

    fn stop_and_wait(&mut self, graceful: bool) {
        if let Some(thread) = self.thread.take() {
            let handle = self.handle.clone();
            // The stop future runs on its own small runtime: the server's
            // runtime lives on the server's thread.
            let _ = std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(graceful))).join();
            let _ = thread.join();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts the server on `listener` in a background thread.
pub fn start(data_dir: &Path, settings: Settings, listener: TcpListener) -> Result<RunningServer, SetupError> {
    let storage = open_store(data_dir, &settings)?;
    let tls = tls::from_settings(&settings)?;
    let state = Arc::new(AppState::load(storage, settings)?);
    let addr = listener.local_addr().map_err(|source| SetupError::Io { path: "listener".into(), source })?;
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = match http::server(listener, state.clone(), tls) {
                Ok(server) => server,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return Ok(());
                }
            };
            let _ = tx.send(Ok(server.handle()));
            actix_web::rt::spawn(maintain_periodically(state));
            server.await
        })
    });
    let handle = rx
        .recv()
        .map_err(|_| SetupError::Io { path: "server thread".into(), source: std::io::Error::other("it stopped") })?
        .map_err(|source| SetupError::Io { path: addr.to_string(), source })?;
    Ok(RunningServer { addr, handle, thread: Some(thread) })
}

/// Runs the server on the current thread until it is stopped (Ctrl-C).
pub async fn serve(data_dir: &Path, settings: Settings, listener: TcpListener) -> Result<(), SetupError> {
    let storage = open_store(data_dir, &settings)?;
    let tls = tls::from_settings(&settings)?;
    let state = Arc::new(AppState::load(storage, settings)?);
    let server = http::server(listener, state.clone(), tls)
        .map_err(|source| SetupError::Io { path: "listener".into(), source })?;
    actix_web::rt::spawn(maintain_periodically(state));
    server.await.map_err(|source| SetupError::Io { path: "server".into(), source })
}

/// Purges superseded ciphertext older than the retention period.
pub fn purge(db: &Db, retention_days: u32) -> Result<u64, StoreError> {
    db::purge(db, retention_days)
}

/// Every `purge_interval_secs`: drops superseded ciphertext past the
/// retention period, then the backend's housekeeping (SQLite: folds the
/// WAL back into the database).
async fn maintain_periodically(state: Arc<AppState>) {
    let mut ticker = actix_web::rt::time::interval(Duration::from_secs(state.settings.purge_interval_secs.max(1)));
    loop {
        ticker.tick().await;
        match state.storage.purge(state.settings.retention_days).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "retention purge"),
            Err(e) => tracing::warn!(error = %Chain(&e), "retention purge failed"),
        }
        // Fold the WAL (up to 64 MiB after a busy spell) back into the database.
        match state.storage.maintain().await {
            Ok(true) => {}
            Ok(false) => tracing::debug!("checkpoint left for later: readers in the WAL"),
            Err(e) => tracing::warn!(error = %Chain(&e), "checkpoint failed"),
        }
    }
}
