//! The log of the servers the tests start. A process has one log
//! subscriber, and every test of the binary runs in this one process: it
//! is silent unless `VISITNOTES_TEST_LOG` is set (then at info level, on
//! standard error), and logs everything at trace level into memory while a
//! test [`capture`]s it (the canary looks for its secrets there; the log
//! lines of tests running meanwhile are kept too, which only adds places
//! to look).

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, reload, Registry};

const TEST_LOG: &str = "VISITNOTES_TEST_LOG";

/// What a capture has kept so far; `None` when nothing captures.
static CAPTURED: Mutex<Option<Vec<u8>>> = Mutex::new(None);
static LEVEL: OnceLock<reload::Handle<LevelFilter, Registry>> = OnceLock::new();

fn usual_level() -> LevelFilter {
    if std::env::var_os(TEST_LOG).is_some() {
        LevelFilter::INFO
    } else {
        LevelFilter::OFF
    }
}

fn level() -> &'static reload::Handle<LevelFilter, Registry> {
    LEVEL.get_or_init(|| {
        let (filter, handle) = reload::Layer::new(LevelFilter::TRACE);
        let writes = fmt::layer().with_writer(|| Sink);
        // Installed at trace level so that the records of libraries that
        // use `log` (actix) are passed on at every level; then the usual one.
        tracing_subscriber::registry().with(filter).with(writes).init();
        handle.reload(usual_level()).unwrap();
        handle
    })
}

/// Installs the subscriber (once for the process).
pub fn init() {
    level();
}

/// Everything logged at trace level while it lives.
pub struct Capture(());

/// Logs everything at trace level into memory until the capture is dropped.
pub fn capture() -> Capture {
    *CAPTURED.lock().unwrap() = Some(Vec::new());
    level().reload(LevelFilter::TRACE).unwrap();
    Capture(())
}

impl Capture {
    /// The log lines captured so far.
    pub fn logs(&self) -> Vec<u8> {
        CAPTURED.lock().unwrap().clone().unwrap_or_default()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = level().reload(usual_level());
        *CAPTURED.lock().unwrap() = None;
    }
}

/// Where log lines go: into the capture, if any, and to standard error
/// under `VISITNOTES_TEST_LOG`.
struct Sink;

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(captured) = CAPTURED.lock().unwrap().as_mut() {
            captured.extend_from_slice(buf);
        }
        if std::env::var_os(TEST_LOG).is_some() {
            std::io::stderr().write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
