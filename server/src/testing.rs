//! Test support shared by the server's tests and the client's end-to-end
//! harness: running a test's body again with its store in PostgreSQL.
//!
//! `on_postgres(name, test)` runs `test` with every store it sets up
//! through `backend_settings` in a fresh database of its own
//! (`ScratchDatabase`, dropped when the test's thread ends) on the server
//! `VISITNOTES_TEST_POSTGRES_URL` names; without that variable it writes
//! one line saying the test was skipped and why, and returns.
//! `on_postgres_too!(a, b, ...)` makes `on_postgres::a`, ... tests of the
//! functions `a`, ... of the module it is written in.

use std::cell::RefCell;

use crate::db::postgres::ScratchDatabase;
use crate::db::{DatabaseUrl, PgUrl};
use crate::settings::{DatabaseUrlSetting, Settings};

/// The variable that names a PostgreSQL server for the tests to run on
/// too: a URL of a user who may create databases
/// (`scripts/test-postgres.sh start` prints one).
pub const POSTGRES_ENV: &str = "VISITNOTES_TEST_POSTGRES_URL";

thread_local! {
    /// Set while a test runs on PostgreSQL: the server's URL.
    static POSTGRES: RefCell<Option<PgUrl>> = const { RefCell::new(None) };
    /// The test's databases, dropped when its thread ends (after its servers).
    static SCRATCH: RefCell<Vec<ScratchDatabase>> = const { RefCell::new(Vec::new()) };
}

/// See the module's documentation.
pub fn on_postgres(name: &str, test: fn()) {
    use std::io::Write;
    let Ok(raw) = std::env::var(POSTGRES_ENV) else {
        // One write, to the process's stderr (the harness does not capture
        // it): lines of tests running side by side stay whole.
        let line = format!(
            "{name} on PostgreSQL skipped: {POSTGRES_ENV} is not set (scripts/test-postgres.sh start sets it)\n"
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
        return;
    };
    let url = match DatabaseUrl::parse(Some(&raw), std::path::Path::new(".")) {
        Ok(DatabaseUrl::Postgres(url)) => url,
        other => panic!("{POSTGRES_ENV} must be a postgres:// URL: {other:?}"),
    };
    POSTGRES.with(|p| *p.borrow_mut() = Some(url));
    test();
}

/// `settings` with a fresh PostgreSQL database as the store when the test
/// runs on PostgreSQL (`on_postgres`); as they are otherwise.
pub fn backend_settings(settings: Settings) -> Settings {
    let Some(server) = POSTGRES.with(|p| p.borrow().clone()) else { return settings };
    let scratch = ScratchDatabase::create(&server).expect("a scratch database");
    let url = scratch.url().secret().to_owned();
    SCRATCH.with(|s| s.borrow_mut().push(scratch));
    Settings { database_url: Some(DatabaseUrlSetting(url)), ..settings }
}

/// The PostgreSQL server and the database of the last store this test set
/// up there (None: not on PostgreSQL).
pub fn last_database() -> Option<(PgUrl, PgUrl)> {
    let server = POSTGRES.with(|p| p.borrow().clone())?;
    let database = SCRATCH.with(|s| s.borrow().last().map(|d| d.url().clone()))?;
    Some((server, database))
}

/// Whether the running test's stores are in PostgreSQL.
pub fn on_postgres_now() -> bool {
    POSTGRES.with(|p| p.borrow().is_some())
}

/// Runs the named test functions of this module on PostgreSQL too, as
/// `on_postgres::NAME` (see `testing::on_postgres`).
#[macro_export]
macro_rules! on_postgres_too {
    ($($name:ident),* $(,)?) => {
        mod on_postgres {
            $(
                #[test]
                fn $name() {
                    $crate::testing::on_postgres(stringify!($name), super::$name)
                }
            )*
        }
    };
}
