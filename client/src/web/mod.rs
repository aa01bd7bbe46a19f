//! `visitnotes ui`: the local web app, a second door onto `ops` beside the
//! command line. It is served by this process on a loopback address only,
//! never by the sync server (which must not deliver code that could read
//! plaintext).
//!
//! - `security`: the checks every request passes (the secret path prefix,
//!   Host, session cookie, Origin, CSRF token), the one place URLs and
//!   redirects are made, and the headers every answer carries; its module
//!   documentation says how the session stays with this app;
//! - `routes/`: one file per area, each handler calling `ops`;
//! - `templates/`: the pages, compiled (maud);
//! - `form`: the note form as typed, and its checks field by field;
//! - `instance`: one web app per profile; a later launch asks the running
//!   one for a fresh start address over a local socket;
//! - `link`: the `visitnotes:` links the desktop entry hands over;
//! - `i18n/`: one fluent catalogue per language;
//! - `assets/`: the style sheet and the one small script, embedded.
//!
//! The keys are in memory only while the profile is unlocked in the page:
//! the `Session` is dropped by the Lock button, after `idle` without a
//! request, and when the program stops.

pub mod form;
pub mod instance;
pub mod link;

pub(crate) mod routes;
mod security;
mod templates;
mod upload;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use visitnotes_core::i18n::Lang;
use visitnotes_core::ops::sync::Synced;
use visitnotes_core::profile::Session;

/// Overrides the idle lock, in seconds (tests only).
pub const IDLE_ENV: &str = "VISITNOTES_UI_IDLE_SECONDS";

/// Set (to anything): no browser is opened, as with `--no-browser`; for
/// tests of `visitnotes` alone, which has no options.
pub const NO_BROWSER_ENV: &str = "VISITNOTES_NO_BROWSER";

/// The default idle lock.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0} is not a loopback address: the web app only listens on this computer (use 127.0.0.1 or [::1], e.g. --listen 127.0.0.1:8765)")]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}: choose another port with --listen 127.0.0.1:PORT, or leave --listen out for a free one")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the web server stopped: open Visitnotes again (or run `visitnotes` again)")]
    Serve(#[source] std::io::Error),
}

pub struct Options {
    pub listen: SocketAddr,
    pub open_browser: bool,
    pub idle: Duration,
    /// An invite from a `visitnotes:` link, for the enrolment page.
    pub invite: Option<String>,
}

/// What the browser that holds the session cookie has chosen.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
    /// Picked on the page; else the browser's Accept-Language.
    pub lang: Option<Lang>,
    /// A message for the next page shown (what was just done).
    pub flash: Option<String>,
    /// A follow-up form sent while locked, for the note page shown after
    /// unlocking (taken: shown once).
    pub follow_up: Option<form::ResumeFollowUp>,
}

/// A sync run from the page, in the background so that the page can show
/// its progress.
#[derive(Default)]
pub enum SyncState {
    #[default]
    Idle,
    Running {
        pulled: u64,
    },
    Done {
        /// Unix seconds.
        at: i64,
        /// What the sync did and the administration's upkeep after it
        /// (`ops::sync::sync`), or why it failed in each language of
        /// `Lang::ALL`.
        outcome: Result<Box<Synced>, [String; 2]>,
    },
}

pub struct AppState {
    pub home: PathBuf,
    /// `127.0.0.1:PORT`: the only Host accepted.
    pub host: String,
    /// `http://127.0.0.1:PORT`: the only Origin accepted.
    pub origin: String,
    /// The secret path prefix of every page of this run.
    pub prefix: security::Prefix,
    pub idle: Duration,
    /// The one-time token of the printed address, until it is used.
    pub start_token: Mutex<Option<String>>,
    pub browser: Mutex<Option<Browser>>,
    /// The unlocked profile: keys and store, in memory while unlocked.
    pub profile: Mutex<Option<Session>>,
    pub last_used: Mutex<Instant>,
    pub sync: Mutex<SyncState>,
    /// an invite from a `visitnotes:` link, for the enrolment page to fill in
    pub invite: Mutex<Option<String>>,
    /// Set by Quit: later launches are told to wait for the next instance.
    pub stopping: AtomicBool,
    /// The server, for Quit to stop it.
    pub server: OnceLock<actix_web::dev::ServerHandle>,
}

/// A lock that a panicked holder left is still usable here: the state it
/// guards is replaced whole, never left half-written.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl AppState {
    pub fn touch(&self) {
        *lock(&self.last_used) = Instant::now();
    }

    /// Drops the keys (the Lock button, the idle lock).
    pub fn lock_profile(&self) {
        let session = lock(&self.profile).take();
        drop(session);
    }

    /// A fresh start address: its one-time token replaces any unspent
    /// earlier one, so at most one address works at a time.
    pub fn new_start_address(&self) -> String {
        let token = security::random_token();
        let url = format!("{}/start?token={token}", self.origin);
        *lock(&self.start_token) = Some(token);
        url
    }

    /// Quit: drops the keys, tells later launches to wait for the next
    /// instance, and stops the server once the last page had time to load.
    pub fn quit(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.lock_profile();
        if let Some(server) = self.server.get().cloned() {
            actix_web::rt::spawn(async move {
                // The stopped page asks for its style sheet right after
                // it arrives; a graceful stop accepts no new connection.
                actix_web::rt::time::sleep(QUIT_GRACE).await;
                server.stop(true).await;
            });
        }
    }

    /// What a later launch gets (`instance::Owner::answer`): a fresh
    /// start address, its invite kept for the enrolment page; nothing
    /// while stopping.
    fn answer_launch(&self, invite: Option<String>) -> Option<String> {
        if self.stopping.load(Ordering::SeqCst) {
            return None;
        }
        // Checked again here: the socket is this program's, but a link's
        // text is only handed on when it reads as an invite.
        if let Some(invite) = invite.filter(|i| visitnotes_shared::invite::Invite::decode(i).is_ok()) {
            *lock(&self.invite) = Some(invite);
        }
        Some(self.new_start_address())
    }
}

/// How long Quit waits before stopping the server (the stopped page's
/// style sheet).
const QUIT_GRACE: Duration = Duration::from_millis(800);

/// How long a stop waits for the browser's open connections.
const SHUTDOWN_SECONDS: u64 = 5;

/// Whether `addr` is a loopback address.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Serves the web app for the profile in `home` (or, while there is none,
/// the enrolment page) until Quit or Ctrl+C.
/// Prints the address with its one-time token as the last line (not the
/// pages' secret prefix: the browser learns it by spending the token).
/// `owner` holds the profile's instance lock; it answers later launches
/// once the server is there.
pub fn run(
    home: PathBuf,
    options: Options,
    owner: &mut instance::Owner,
    out: &mut dyn std::io::Write,
) -> Result<(), WebError> {
    if !is_loopback(&options.listen) {
        return Err(WebError::NotLoopback(options.listen));
    }
    let listener =
        TcpListener::bind(options.listen).map_err(|source| WebError::Bind { addr: options.listen, source })?;
    let addr = listener.local_addr().map_err(WebError::Serve)?;
    let host = addr.to_string();
    let state = actix_web::web::Data::new(AppState {
        home,
        origin: format!("http://{host}"),
        prefix: security::Prefix::random(),
        host,
        idle: options.idle,
        start_token: Mutex::new(None),
        browser: Mutex::new(None),
        profile: Mutex::new(None),
        last_used: Mutex::new(Instant::now()),
        sync: Mutex::new(SyncState::Idle),
        invite: Mutex::new(options.invite),
        stopping: AtomicBool::new(false),
        server: OnceLock::new(),
    });
    let url = state.new_start_address();
    spawn_idle_lock(state.clone());
    let _ = writeln!(
        out,
        "Visitnotes is ready in your browser, on this computer only. Quit it from its page (or Ctrl+C here).\n\
         If no browser opened, open this address (it works once; if it says \"Not found\", it was used\n\
         already: open Visitnotes again, or run `visitnotes` again, for a new one):"
    );
    let _ = writeln!(out, "{url}");
    let _ = out.flush();
    if options.open_browser {
        open_browser(&url);
    }
    let data = state.clone();
    let server = actix_web::HttpServer::new(move || {
        use actix_web::web;
        actix_web::App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(security::MAX_BODY))
            .wrap(actix_web::middleware::from_fn(security::guard))
            .route("/start", web::get().to(routes::start))
            .service(web::scope(data.prefix.as_str()).configure(routes::configure))
            .default_service(web::to(|| async { security::not_here() }))
    })
    .workers(2)
    .shutdown_timeout(SHUTDOWN_SECONDS)
    .listen(listener)
    .map_err(WebError::Serve)?
    .run();
    let _ = state.server.set(server.handle());
    let answering = state.clone();
    owner.answer(move |invite| answering.answer_launch(invite));
    let result = actix_web::rt::System::new().block_on(server).map_err(WebError::Serve);
    state.lock_profile();
    result
}

/// Drops the keys once nothing was asked for `state.idle`.
fn spawn_idle_lock(state: actix_web::web::Data<AppState>) {
    let tick = (state.idle / 10).clamp(Duration::from_millis(200), Duration::from_secs(10));
    std::thread::spawn(move || loop {
        std::thread::sleep(tick);
        if lock(&state.last_used).elapsed() < state.idle {
            continue;
        }
        // Waits for a sync in progress, then looks again: a sync that
        // just ended counts as use.
        let mut profile = lock(&state.profile);
        if profile.is_some() && lock(&state.last_used).elapsed() >= state.idle {
            drop(profile.take());
        }
    });
}

/// Opens the default browser on `url`; when it cannot, the printed
/// address is there to open by hand.
pub fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    match command {
        // Reaped when it ends (xdg-open hands over to the browser at once).
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("could not open a browser ({e}): open the address above by hand"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The system's reason is the cause, printed once after the advice.
    #[test]
    fn a_port_in_use_is_said_once() {
        let addr: SocketAddr = "127.0.0.1:8765".parse().unwrap();
        let source = std::io::Error::from(std::io::ErrorKind::AddrInUse);
        let cause = source.to_string();
        let err = WebError::Bind { addr, source };
        assert!(!err.to_string().contains(&cause), "{err}");
        let line = visitnotes_core::error::Chain(&err).to_string();
        assert!(line.starts_with("cannot listen on 127.0.0.1:8765: choose another port"), "{line}");
        assert!(line.ends_with(&format!(": {cause}")), "{line}");
        let stopped = WebError::Serve(std::io::Error::other("the listener failed"));
        assert!(!stopped.to_string().contains("the listener failed"), "{stopped}");
    }
}
