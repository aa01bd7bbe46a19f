//! `visitnotes-server check`: what an operator (or a service manager
//! before it starts the server) wants to know before serving: the settings
//! are valid, the data directory and its files are private to the server's
//! user, the database is there with a schema this build serves, and the
//! disk has room. Nothing is changed: the database is opened read-only and
//! not migrated.

use std::path::{Path, PathBuf};

use crate::db;
use crate::settings::{Settings, CONFIG_FILE};

/// One check and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was checked, in a few words.
    pub what: &'static str,
    pub ok: bool,
    /// What was found; for a failure, why and what to do.
    pub detail: String,
}

impl Finding {
    fn ok(what: &'static str, detail: impl Into<String>) -> Finding {
        Finding { what, ok: true, detail: detail.into() }
    }

    fn fail(what: &'static str, detail: impl Into<String>) -> Finding {
        Finding { what, ok: false, detail: detail.into() }
    }
}

/// Runs every check on `data_dir` and its settings (`config`, else
/// `DATA/server.toml`); `min_free_bytes` is the least free space accepted.
pub fn run(data_dir: &Path, config: Option<&Path>, min_free_bytes: u64) -> Vec<Finding> {
    let mut out = Vec::new();
    let database = check_settings(data_dir, config, &mut out).and_then(|s| s.database(data_dir).ok());
    if check_data_dir(data_dir, &mut out) {
        match &database {
            Some(db::DatabaseUrl::Postgres(url)) => check_postgres(url, &mut out),
            Some(db::DatabaseUrl::Sqlite(path)) => check_database(path, data_dir, &mut out),
            None => {}
        }
        check_free_space(data_dir, min_free_bytes, &mut out);
    }
    out
}

/// Connects to the PostgreSQL store and reads its schema version, changing
/// nothing: which of unreachable, refused credentials, no such database or
/// another schema version, in one line.
fn check_postgres(url: &db::PgUrl, out: &mut Vec<Finding>) {
    const WHAT: &str = "database";
    let known = db::postgres::latest_schema_version();
    match db::postgres::probe(url) {
        Err(e) => out.push(Finding::fail(WHAT, crate::error::Chain(&e).to_string())),
        Ok(0) => out.push(Finding::fail(
            WHAT,
            format!("{url} holds no Visitnotes store: run `visitnotes-server init` with this database_url"),
        )),
        Ok(found) if found > known => out.push(Finding::fail(
            WHAT,
            format!("{url} has schema version {found}, written by a newer visitnotes-server (this one serves up to {known}): run that version or a later one"),
        )),
        Ok(found) if found < known => out.push(Finding::ok(
            WHAT,
            format!("{url}: schema version {found}: the server brings it to {known} when it starts (take a backup with pg_dump first)"),
        )),
        Ok(found) => out.push(Finding::ok(WHAT, format!("{url}: connected, schema version {found} (current)"))),
    }
}

fn check_settings(data_dir: &Path, config: Option<&Path>, out: &mut Vec<Finding>) -> Option<Settings> {
    const WHAT: &str = "settings";
    let settings = match Settings::load(data_dir, config) {
        Ok(settings) => settings,
        Err(e) => {
            out.push(Finding::fail(WHAT, format!("cannot be read: {e}")));
            return None;
        }
    };
    let problems = settings.problems();
    if problems.is_empty() {
        let source = config.map_or_else(|| data_dir.join(CONFIG_FILE), Path::to_path_buf);
        let from = if source.is_file() {
            format!("{} and the environment", source.display())
        } else {
            "defaults and the environment".to_owned()
        };
        let metrics = if settings.metrics_token.is_some() { "on, behind the token" } else { "off" };
        out.push(Finding::ok(
            WHAT,
            format!(
                "valid ({from}); listen {}, invites point to {}, /metrics {metrics}",
                settings.listen,
                settings.public_url()
            ),
        ));
    }
    for problem in problems {
        out.push(Finding::fail(WHAT, crate::error::Chain(&problem).to_string()));
    }
    if settings.tls_cert.is_some() && settings.tls_key.is_some() {
        match crate::tls::from_settings(&settings) {
            Ok(_) => out.push(Finding::ok("TLS", "the certificate and key load")),
            Err(e) => out.push(Finding::fail("TLS", crate::error::Chain(&e).to_string())),
        }
    }
    // A settings file may hold the metrics token: the server's user only.
    let file = config.map_or_else(|| data_dir.join(CONFIG_FILE), Path::to_path_buf);
    if file.is_file() {
        private(&file, "settings file", out);
    }
    Some(settings)
}

/// The mode bits that let others than the owner in.
#[cfg(unix)]
fn open_to_others(path: &Path) -> std::io::Result<Option<u32>> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
    Ok((mode & 0o077 != 0).then_some(mode))
}

#[cfg(not(unix))]
fn open_to_others(_: &Path) -> std::io::Result<Option<u32>> {
    Ok(None)
}

/// Adds a failure when `path` is readable or writable by others than its owner.
fn private(path: &Path, what: &'static str, out: &mut Vec<Finding>) -> bool {
    match open_to_others(path) {
        Ok(None) => true,
        Ok(Some(mode)) => {
            let fix = if path.is_dir() { "chmod 700" } else { "chmod 600" };
            out.push(Finding::fail(
                what,
                format!(
                    "{} has mode {mode:03o}: other users of the machine can get at it. Run `{fix} {}`",
                    path.display(),
                    path.display()
                ),
            ));
            false
        }
        Err(e) => {
            out.push(Finding::fail(what, format!("cannot read the permissions of {}: {e}", path.display())));
            false
        }
    }
}

/// Whether this process may read, write and enter `dir` (as the server must).
#[cfg(unix)]
fn accessible(path: &Path, dir: bool) -> Result<(), String> {
    use rustix::fs::{access, Access};
    let mut need = Access::READ_OK | Access::WRITE_OK;
    if dir {
        need |= Access::EXEC_OK;
    }
    access(path, need)
        .map_err(|e| format!("this user (uid {}) cannot read and write it: {e}", rustix::process::geteuid().as_raw()))
}

#[cfg(not(unix))]
fn accessible(_: &Path, _: bool) -> Result<(), String> {
    Ok(())
}

/// Returns whether the directory is there to look into further.
fn check_data_dir(data_dir: &Path, out: &mut Vec<Finding>) -> bool {
    const WHAT: &str = "data directory";
    let shown = data_dir.display();
    match std::fs::metadata(data_dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            out.push(Finding::fail(WHAT, format!("{shown} is not a directory")));
            return false;
        }
        Err(e) => {
            out.push(Finding::fail(WHAT, format!("{shown}: {e}. Create it with `visitnotes-server init --data {shown}` (or restore a backup into it)")));
            return false;
        }
    }
    let mut ok = private(data_dir, WHAT, out);
    if let Err(why) = accessible(data_dir, true) {
        out.push(Finding::fail(WHAT, format!("{shown}: {why}. Run the check as the server's user")));
        ok = false;
    }
    if ok {
        out.push(Finding::ok(WHAT, format!("{shown}: private to its owner, readable and writable by this user")));
    }
    true
}

fn check_database(path: &Path, data_dir: &Path, out: &mut Vec<Finding>) {
    const WHAT: &str = "database";
    let path = path.to_path_buf();
    if !path.is_file() {
        out.push(Finding::fail(
            WHAT,
            format!(
                "{} is missing: run `visitnotes-server init --data {}`, or restore a backup",
                path.display(),
                data_dir.display()
            ),
        ));
        return;
    }
    let mut files_ok = true;
    for file in [path.clone(), sibling(&path, "-wal"), sibling(&path, "-shm")] {
        if file.exists() {
            files_ok &= private(&file, WHAT, out);
            if let Err(why) = accessible(&file, false) {
                out.push(Finding::fail(WHAT, format!("{}: {why}", file.display())));
                files_ok = false;
            }
        }
    }
    // From the header: opening a stopped server's database through SQLite
    // would leave -wal and -shm files owned by whoever runs the check.
    let known = db::latest_schema_version();
    match db::schema_version_in_header(&path) {
        Err(e) => out.push(Finding::fail(WHAT, format!("{} cannot be read: {e}", path.display()))),
        Ok(None) => out.push(Finding::fail(WHAT, format!("{} is not an SQLite database", path.display()))),
        Ok(Some(found)) if found > known => out.push(Finding::fail(
            WHAT,
            format!("schema version {found} was written by a newer visitnotes-server (this one serves up to {known}): run that version or a later one"),
        )),
        Ok(Some(found)) if found < known => out.push(Finding::ok(
            WHAT,
            format!("schema version {found}: the server brings it to {known} when it starts (take a backup first)"),
        )),
        Ok(Some(found)) if files_ok => out.push(Finding::ok(WHAT, format!("schema version {found} (current)"))),
        Ok(Some(_)) => {}
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Free bytes for this user on the file system that holds `dir`.
#[cfg(unix)]
pub fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    let stat = rustix::fs::statvfs(dir)?;
    Ok(stat.f_bavail.saturating_mul(stat.f_frsize))
}

#[cfg(not(unix))]
pub fn free_bytes(_: &Path) -> std::io::Result<u64> {
    Ok(u64::MAX)
}

fn check_free_space(data_dir: &Path, min_free: u64, out: &mut Vec<Finding>) {
    const WHAT: &str = "free disk";
    let mb = |b: u64| b / 1_000_000;
    match free_bytes(data_dir) {
        Err(e) => out.push(Finding::fail(WHAT, format!("cannot tell the free space of {}: {e}", data_dir.display()))),
        Ok(free) if free < min_free => out.push(Finding::fail(
            WHAT,
            format!(
                "{} MB free where {} is, below the {} MB wanted: uploads fail when the disk fills. Free space, or move the data to a larger disk",
                mb(free),
                data_dir.display(),
                mb(min_free)
            ),
        )),
        Ok(free) => out.push(Finding::ok(WHAT, format!("{} MB free (at least {} MB wanted)", mb(free), mb(min_free)))),
    }
}
