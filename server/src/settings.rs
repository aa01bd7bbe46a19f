//! Server settings: defaults, then a TOML file, then environment variables
//! (`VISITNOTES_SERVER_<NAME>`, e.g. `VISITNOTES_SERVER_MAX_BATCH_BYTES=8388608`),
//! then command-line flags.
//!
//! The TOML file is `server.toml` in the data dir unless `--config` names
//! another; every key is optional:
//!
//! ```toml
//! listen = "127.0.0.1:8080"
//! public_url = "https://visits.example.org"
//! max_note_bytes = 1200000       # one sealed note, as uploaded (JSON, base64)
//! max_batch_bytes = 16777216     # one upload request
//! max_body_bytes = 4194304       # any other request (rosters, invites)
//! upload_wait_ms = 2000          # how long an upload sent with `after` waits for the batch before it
//! rate_per_ip = 1000             # requests per second, per client address
//! rate_per_device = 200          # requests per second, per device
//! quota_bytes_per_user = 1073741824
//! invite_days = 7
//! retention_days = 30            # superseded revisions keep their ciphertext this long
//! purge_interval_secs = 3600
//! tls_cert = "/etc/visitnotes/cert.pem"
//! tls_key = "/etc/visitnotes/key.pem"
//! metrics_token = "..."          # /metrics answers only `Authorization: Bearer <this>`; unset: /metrics is off
//! database_url = "postgres://visitnotes@db.example:5432/visitnotes"   # unset: sqlite:DATA/visitnotes.sqlite3
//! ```
//!
//! `database_url` chooses the backend (`db::DatabaseUrl`): `sqlite:PATH`,
//! or `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`. A password in it is a
//! secret like the metrics token: prefer `VISITNOTES_SERVER_DATABASE_URL`
//! from a file only the server's user reads, or PostgreSQL's own `.pgpass`.
//!
//! `/metrics` is not public: without `metrics_token` it answers 404; with
//! it, 401 to any request that does not carry the token. The token is a
//! secret (at least 32 characters; `openssl rand -hex 32` makes one): keep
//! the file that holds it readable by the server's user only, or pass it as
//! `VISITNOTES_SERVER_METRICS_TOKEN` (systemd `EnvironmentFile=`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::db::{DatabaseUrl, DatabaseUrlError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub listen: String,
    /// The URL clients use to reach this server, written into invites.
    pub public_url: Option<String>,
    pub max_note_bytes: usize,
    pub max_batch_bytes: usize,
    pub max_body_bytes: usize,
    /// How long an upload sent with `after=N` waits for the device's
    /// sequence number N to be stored before it is answered 425.
    pub upload_wait_ms: u64,
    pub rate_per_ip: u32,
    pub rate_per_device: u32,
    pub quota_bytes_per_user: u64,
    pub invite_days: u32,
    pub retention_days: u32,
    pub purge_interval_secs: u64,
    pub max_page: u32,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// The bearer token `/metrics` requires; None: `/metrics` is off.
    pub metrics_token: Option<MetricsToken>,
    /// Where the store is: `sqlite:PATH` or `postgres://...`; None: the
    /// SQLite file in the data directory. See `Settings::database`.
    pub database_url: Option<DatabaseUrlSetting>,
    /// The SQLite VFS to open the database with (None: SQLite's default).
    /// Not a setting: no config file or variable can set it. The power-cut
    /// and full-disk tests set it to open the store on their crash VFS.
    #[serde(skip)]
    pub sqlite_vfs: Option<String>,
}

/// The secret a metrics collector sends. Its `Debug` does not show it, so
/// that settings printed for a person or a log do not leak it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MetricsToken(pub String);

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(..)")
    }
}

/// The `database_url` as written. Its `Debug` does not show it: a
/// PostgreSQL URL may hold a password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrlSetting(pub String);

impl std::fmt::Debug for DatabaseUrlSetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseUrlSetting(..)")
    }
}

/// The shortest metrics token accepted.
pub const MIN_METRICS_TOKEN_CHARS: usize = 32;

impl MetricsToken {
    /// Whether `given` is this token. Both sides are hashed first, so the
    /// time taken does not tell how much of a guess was right.
    pub fn matches(&self, given: &str) -> bool {
        visitnotes_shared::sha256(given.as_bytes()) == visitnotes_shared::sha256(self.0.as_bytes())
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            max_note_bytes: 1_200_000,
            max_batch_bytes: 16 * 1024 * 1024,
            max_body_bytes: 4 * 1024 * 1024,
            upload_wait_ms: 2000,
            rate_per_ip: 1000,
            rate_per_device: 200,
            quota_bytes_per_user: 1024 * 1024 * 1024,
            invite_days: 7,
            retention_days: 30,
            purge_interval_secs: 3600,
            max_page: 1000,
            tls_cert: None,
            tls_key: None,
            metrics_token: None,
            database_url: None,
            sqlite_vfs: None,
        }
    }
}

/// A setting that `serve` would refuse, and `check` reports.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("public_url is refused (it must look like https://visits.example.org)")]
    PublicUrl(#[from] PublicUrlError),
    #[error("listen = {0:?} is not an address to listen on: write it as IP:PORT, like 127.0.0.1:8080 or [::]:8080")]
    Listen(String),
    #[error("tls_cert and tls_key go together: set both (HTTPS) or neither (HTTP behind a proxy)")]
    TlsIncomplete,
    #[error("metrics_token is {0} characters: use at least {MIN_METRICS_TOKEN_CHARS} (`openssl rand -hex 32`), without spaces")]
    MetricsToken(usize),
    #[error("{0} must be at least 1")]
    Zero(&'static str),
    #[error(transparent)]
    DatabaseUrl(#[from] DatabaseUrlError),
}

impl Settings {
    /// Every problem with these settings that does not need a file or the
    /// network to find (TLS files are read by `tls::from_settings`).
    pub fn problems(&self) -> Vec<SettingsError> {
        let mut out = Vec::new();
        if let Some(url) = &self.public_url {
            if let Err(e) = check_public_url(url) {
                out.push(SettingsError::PublicUrl(e));
            }
        }
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            out.push(SettingsError::Listen(self.listen.clone()));
        }
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            out.push(SettingsError::TlsIncomplete);
        }
        if let Some(MetricsToken(token)) = &self.metrics_token {
            let chars = token.chars().count();
            if chars < MIN_METRICS_TOKEN_CHARS || token.chars().any(char::is_whitespace) {
                out.push(SettingsError::MetricsToken(chars));
            }
        }
        if let Err(e) = DatabaseUrl::parse(self.database_url.as_ref().map(|u| u.0.as_str()), Path::new(".")) {
            out.push(SettingsError::DatabaseUrl(e));
        }
        for (name, value) in [
            ("max_note_bytes", self.max_note_bytes as u64),
            ("max_batch_bytes", self.max_batch_bytes as u64),
            ("max_body_bytes", self.max_body_bytes as u64),
            ("max_page", u64::from(self.max_page)),
            ("invite_days", u64::from(self.invite_days)),
        ] {
            if value == 0 {
                out.push(SettingsError::Zero(name));
            }
        }
        out
    }
}

pub const CONFIG_FILE: &str = "server.toml";
pub const ENV_PREFIX: &str = "VISITNOTES_SERVER";
/// Environment variables with the prefix that stand for command-line
/// flags (`--data`, `--log-format`), not settings.
pub const FLAG_ENV: &[&str] = &["VISITNOTES_SERVER_DATA", "VISITNOTES_SERVER_LOG_FORMAT"];

/// The environment, less the variables of [`FLAG_ENV`]: a unit file that
/// sets `VISITNOTES_SERVER_DATA` must not make the settings unreadable.
fn settings_env() -> config::Map<String, String> {
    std::env::vars().filter(|(name, _)| !FLAG_ENV.contains(&name.as_str())).collect()
}

impl Settings {
    /// Defaults, overridden by `file` (or `DATA/server.toml` when it exists),
    /// overridden by the environment.
    pub fn load(data_dir: &Path, file: Option<&Path>) -> Result<Settings, config::ConfigError> {
        let file_source = match file {
            Some(path) => config::File::from(path).required(true),
            None => config::File::from(data_dir.join(CONFIG_FILE)).required(false),
        };
        config::Config::builder()
            .add_source(config::Config::try_from(&Settings::default())?)
            .add_source(file_source.format(config::FileFormat::Toml))
            .add_source(
                config::Environment::with_prefix(ENV_PREFIX)
                    .prefix_separator("_")
                    .try_parsing(true)
                    .source(Some(settings_env())),
            )
            .build()?
            .try_deserialize()
    }

    /// Where the store is: `database_url` parsed, the SQLite file in
    /// `data_dir` when it is not set.
    pub fn database(&self, data_dir: &Path) -> Result<DatabaseUrl, DatabaseUrlError> {
        DatabaseUrl::parse(self.database_url.as_ref().map(|u| u.0.as_str()), data_dir)
    }

    /// The URL to print in invites. `public_url` is checked by
    /// [`check_public_url`] where it is taken in (`init`).
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None if self.tls_cert.is_some() => format!("https://{}", self.listen),
            None => format!("http://{}", self.listen),
        }
    }
}

/// Why a public URL cannot go into an invite. Clients append API paths to
/// it, so anything past `scheme://host[:port]` would send them elsewhere.
#[derive(Debug, thiserror::Error)]
pub enum PublicUrlError {
    #[error("{url:?} is not a URL")]
    Parse {
        url: String,
        #[source]
        source: url::ParseError,
    },
    #[error("{url:?} must start with http:// or https://")]
    Scheme { url: String },
    #[error("{url:?} has no host name")]
    NoHost { url: String },
    #[error("{url:?} must not contain a user name or password")]
    UserInfo { url: String },
    #[error("{url:?} must not have a {part} (only scheme, host and port)")]
    Extra { url: String, part: &'static str },
}

/// Checks that `raw` is `http(s)://host[:port]` (a trailing `/` is allowed)
/// and returns it in normal form: lower-case host, no default port, no
/// trailing `/`.
pub fn check_public_url(raw: &str) -> Result<String, PublicUrlError> {
    let url = || raw.to_owned();
    let parsed = url::Url::parse(raw).map_err(|source| PublicUrlError::Parse { url: url(), source })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(PublicUrlError::Scheme { url: url() });
    }
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return Err(PublicUrlError::NoHost { url: url() });
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(PublicUrlError::UserInfo { url: url() });
    }
    let extra = if parsed.path() != "/" {
        Some("path")
    } else if parsed.query().is_some() {
        Some("query")
    } else if parsed.fragment().is_some() {
        Some("fragment")
    } else {
        None
    };
    if let Some(part) = extra {
        return Err(PublicUrlError::Extra { url: url(), part });
    }
    Ok(match parsed.port() {
        Some(port) => format!("{}://{host}:{port}", parsed.scheme()),
        None => format!("{}://{host}", parsed.scheme()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Chain;

    #[test]
    fn file_then_environment() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "retention_days = 3\ninvite_days = 2\n").unwrap();
        let s = Settings::load(dir.path(), None).unwrap();
        assert_eq!((s.retention_days, s.invite_days, s.max_page), (3, 2, 1000));
    }

    #[test]
    fn public_urls_are_scheme_host_and_port_only() {
        let ok = |raw: &str| check_public_url(raw).unwrap();
        assert_eq!(ok("https://visits.example.org"), "https://visits.example.org");
        assert_eq!(ok("https://Visits.Example.org/"), "https://visits.example.org");
        assert_eq!(ok("http://10.0.0.5:8080"), "http://10.0.0.5:8080");
        assert_eq!(ok("https://visits.example.org:443"), "https://visits.example.org");
        assert_eq!(ok("http://[::1]:8080"), "http://[::1]:8080");
        let err = |raw: &str| check_public_url(raw).unwrap_err().to_string();
        assert!(err("visits.example.org").contains("not a URL"));
        assert!(err("ftp://visits.example.org").contains("http:// or https://"));
        assert!(err("https://visits.example.org/api").contains("path"));
        assert!(err("https://visits.example.org/?a=1").contains("query"));
        assert!(err("https://visits.example.org/#x").contains("fragment"));
        assert!(err("https://me:pw@visits.example.org").contains("user name"));
        assert!(err("https://me@visits.example.org").contains("user name"));
        assert!(err("http://").contains("URL"));
    }

    #[test]
    fn problems_are_named() {
        assert!(Settings::default().problems().is_empty());
        let bad = Settings {
            listen: "localhost".into(),
            public_url: Some("https://x.example/api".into()),
            tls_cert: Some("c.pem".into()),
            metrics_token: Some(MetricsToken("short".into())),
            max_page: 0,
            ..Settings::default()
        };
        let problems: Vec<String> = bad.problems().iter().map(|p| Chain(p).to_string()).collect();
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(
            problems[0].starts_with("public_url is refused")
                && problems[0].ends_with("must not have a path (only scheme, host and port)")
        );
        assert!(problems[1].starts_with("listen = \"localhost\""));
        assert!(
            problems[2].contains("tls_key") && problems[3].contains("5 characters") && problems[4].contains("max_page")
        );
        let token = MetricsToken("a".repeat(40));
        assert!(token.matches(&"a".repeat(40)) && !token.matches(&"a".repeat(39)));
        assert_eq!(format!("{:?}", Some(token)), "Some(MetricsToken(..))");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.toml");
        std::fs::write(&file, "retention_dayz = 3\n").unwrap();
        assert!(Settings::load(dir.path(), Some(&file)).is_err());
    }
}
