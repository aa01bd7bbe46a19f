//! The `database_url` setting: which backend holds the store, and where.
//!
//! `sqlite:PATH` (a file; unset: `visitnotes.sqlite3` in the data
//! directory, as before the setting existed) or
//! `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` (`postgresql://` too, with
//! libpq's query options such as `?host=/run/postgresql` for a socket).
//! Anything else is refused when the settings are checked, before a
//! connection is tried. A URL is never shown with its password.

use std::path::{Path, PathBuf};

/// A parsed `database_url`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(PgUrl),
}

/// A PostgreSQL URL, its password (if any) kept out of `Display` and `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl {
    url: String,
}

impl PgUrl {
    /// The URL to connect with, password included: only for the driver.
    pub fn secret(&self) -> &str {
        &self.url
    }

    /// The URL with `DB` in place of its database name (tests and the
    /// migration create databases beside the one named).
    pub fn with_database(&self, name: &str) -> PgUrl {
        let parts = Parts::of(&self.url);
        PgUrl { url: format!("{}/{name}{}", parts.base, parts.query) }
    }

    /// The database name in the URL.
    pub fn database(&self) -> String {
        Parts::of(&self.url).database.to_owned()
    }
}

/// A `scheme://[user[:password]@][host][:port][/db][?options]` URL in its
/// parts, without decoding anything (libpq's URLs may have an empty host,
/// which general URL parsers refuse).
struct Parts<'a> {
    /// Up to the end of the host and port.
    base: &'a str,
    database: &'a str,
    /// `?...`, or empty.
    query: &'a str,
}

impl<'a> Parts<'a> {
    fn of(url: &'a str) -> Parts<'a> {
        let (before_query, query) = match url.find('?') {
            Some(i) => url.split_at(i),
            None => (url, ""),
        };
        let authority_start = before_query.find("://").map_or(0, |i| i + 3);
        match before_query[authority_start..].find('/') {
            Some(i) => {
                let slash = authority_start + i;
                Parts { base: &before_query[..slash], database: &before_query[slash + 1..], query }
            }
            None => Parts { base: before_query, database: "", query },
        }
    }
}

impl std::fmt::Display for PgUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redacted(&self.url))
    }
}

impl std::fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgUrl({self})")
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            DatabaseUrl::Postgres(url) => url.fmt(f),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// `url` with any password replaced by `***` (in the user part, or a
/// `password=` option).
fn redacted(url: &str) -> String {
    let parts = Parts::of(url);
    let scheme_end = parts.base.find("://").map_or(0, |i| i + 3);
    let (scheme, authority) = parts.base.split_at(scheme_end);
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _password)) => format!("{name}:***@{host}"),
            None => format!("{user}@{host}"),
        },
        None => authority.to_owned(),
    };
    let query: Vec<String> = parts
        .query
        .trim_start_matches('?')
        .split('&')
        .filter(|option| !option.is_empty())
        .map(|option| if option.starts_with("password=") { "password=***".to_owned() } else { option.to_owned() })
        .collect();
    let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
    format!("{scheme}{authority}/{}{query}", parts.database)
}

#[derive(Debug, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error("database_url starting {scheme:?} is neither sqlite:PATH nor postgres://USER@HOST:PORT/DB")]
    Scheme { scheme: String },
    #[error("database_url sqlite: names no file: write it like sqlite:/var/lib/visitnotes/visitnotes.sqlite3")]
    EmptyPath,
    #[error("database_url {shown} is not a PostgreSQL URL")]
    Postgres {
        shown: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("database_url {shown} names no database: end it with /DBNAME")]
    NoDatabase { shown: String },
}

impl DatabaseUrl {
    /// `raw` (the setting; None: the default file in `data_dir`) parsed.
    pub fn parse(raw: Option<&str>, data_dir: &Path) -> Result<DatabaseUrl, DatabaseUrlError> {
        let Some(raw) = raw.map(str::trim) else {
            return Ok(DatabaseUrl::Sqlite(data_dir.join(super::DB_FILE)));
        };
        if let Some(path) = raw.strip_prefix("sqlite:") {
            // sqlite:///abs/path and sqlite:/abs/path both name /abs/path.
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(DatabaseUrlError::EmptyPath);
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let shown = redacted(raw);
            raw.parse::<tokio_postgres::Config>()
                .map_err(|source| DatabaseUrlError::Postgres { shown: shown.clone(), source })?;
            let url = PgUrl { url: raw.to_owned() };
            if url.database().is_empty() {
                return Err(DatabaseUrlError::NoDatabase { shown });
            }
            return Ok(DatabaseUrl::Postgres(url));
        }
        let scheme: String = raw.split(':').next().unwrap_or_default().chars().take(20).collect();
        Err(DatabaseUrlError::Scheme { scheme })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_by_default_postgres_by_url_anything_else_refused() {
        let data = Path::new("/srv/data");
        assert_eq!(DatabaseUrl::parse(None, data).unwrap(), DatabaseUrl::Sqlite(data.join(crate::db::DB_FILE)));
        assert_eq!(DatabaseUrl::parse(Some("sqlite:/x/y.db"), data).unwrap(), DatabaseUrl::Sqlite("/x/y.db".into()));
        assert_eq!(DatabaseUrl::parse(Some("sqlite:///x/y.db"), data).unwrap(), DatabaseUrl::Sqlite("/x/y.db".into()));
        let pg = DatabaseUrl::parse(Some("postgres://vn:s3cret@db.example:5433/visits"), data).unwrap();
        let DatabaseUrl::Postgres(url) = &pg else { panic!("{pg:?}") };
        assert_eq!(url.secret(), "postgres://vn:s3cret@db.example:5433/visits");
        assert_eq!(url.database(), "visits");
        assert_eq!(pg.to_string(), "postgres://vn:***@db.example:5433/visits", "no password shown");
        assert!(!format!("{pg:?}").contains("s3cret"));
        let socket = DatabaseUrl::parse(Some("postgresql://vn@/visits?host=/tmp/pg&password=pw"), data).unwrap();
        assert_eq!(socket.to_string(), "postgresql://vn@/visits?host=/tmp/pg&password=***");
        let DatabaseUrl::Postgres(socket) = socket else { panic!() };
        assert_eq!(socket.with_database("t_1").secret(), "postgresql://vn@/t_1?host=/tmp/pg&password=pw");

        let err = |raw: &str| crate::error::Chain(&DatabaseUrl::parse(Some(raw), data).unwrap_err()).to_string();
        assert!(err("mysql://root:pw@h/db").contains("neither sqlite:PATH nor postgres://"), "{}", err("mysql://x"));
        assert!(!err("mysql://root:pw@h/db").contains("pw"));
        assert!(err("sqlite:").contains("names no file"));
        assert!(err("postgres://vn:pw@h:99999/db").contains("is not a PostgreSQL URL"));
        assert!(err("postgres://vn:pw@h/").contains("names no database"));
        assert!(!err("postgres://vn:pw@h/").contains("pw@"));
    }
}
