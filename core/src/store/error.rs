//! What the local store answers when it cannot do what was asked: SQLite
//! failed (the cause kept as the error's source), the file's layout could
//! not be brought up to date, or what is stored does not read back (a
//! sealed row that does not decrypt, JSON or a value this version does not
//! know). Each message says what failed and what to do; the cause's own
//! text comes after it, from `source()`.

/// A failure of the local store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused a read or a write (a full disk, a file another
    /// program holds locked, a damaged file, ...).
    #[error("the local store could not be read or written: check that the disk has room and that no other Visitnotes uses this profile, then try again")]
    Sqlite(#[source] rusqlite::Error),
    /// This device's disk is full (SQLITE_FULL): the write was not made,
    /// the store is as it was before it.
    #[error("this device's disk is full, so nothing was stored (the store is as it was): free space on this device, then save again")]
    DiskFull(#[source] rusqlite::Error),
    /// The layout could not be brought up to this version's. Migrations run
    /// in one transaction: the file is as it was.
    #[error("the local store could not be brought up to this version of Visitnotes; it was left as it was: keep the profile folder, and tell whoever supports your Visitnotes")]
    Migration(#[source] rusqlite_migration::Error),
    /// The file was brought to a later layout by a newer Visitnotes.
    #[error("the local store was last opened by a newer version of Visitnotes: install that version (or a later one) to open this profile")]
    NewerLayout(#[source] rusqlite_migration::Error),
    /// A sealed row shorter than a nonce and a tag: the file is damaged.
    #[error("a sealed row of the local store ({row}) is cut short, so the store file is damaged: restore the profile folder from a backup")]
    Truncated { row: String },
    /// A sealed row that does not open under the store key: damaged, moved
    /// to another row, or the file of another profile.
    #[error("a sealed row of the local store ({row}) does not decrypt: the store file is damaged or belongs to another profile; restore the profile folder from a backup")]
    Undecryptable { row: String },
    /// JSON kept in the store that does not read back as what it should be.
    #[error("{what} in the local store cannot be read: it was written by another version of Visitnotes, or damaged. It is kept as it is: update Visitnotes, or tell whoever supports it")]
    Unreadable {
        what: String,
        #[source]
        source: serde_json::Error,
    },
    /// A value of a closed set (a note's status, an invite's role) that this
    /// version does not know.
    #[error("the local store holds {value:?} as {what}, which this version of Visitnotes does not know: it was written by a newer version; install that one")]
    UnknownValue { what: &'static str, value: String },
    /// A value of the wrong shape (a hash that is not 32 bytes of hex, a
    /// secret of the wrong length).
    #[error("{what} in the local store is damaged: restore the profile folder from a backup")]
    Malformed { what: String },
}

impl StoreError {
    /// `Unreadable`, for `map_err`.
    pub fn unreadable(what: impl Into<String>) -> impl FnOnce(serde_json::Error) -> StoreError {
        let what = what.into();
        move |source| StoreError::Unreadable { what, source }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            StoreError::DiskFull(e)
        } else {
            StoreError::Sqlite(e)
        }
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(e: rusqlite_migration::Error) -> Self {
        use rusqlite_migration::{Error, MigrationDefinitionError};
        match e {
            Error::MigrationDefinition(MigrationDefinitionError::DatabaseTooFarAhead) => StoreError::NewerLayout(e),
            e => StoreError::Migration(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn a_full_disk_is_its_own_error_saying_what_to_do() {
        let full = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None);
        let err = StoreError::from(full);
        assert!(matches!(err, StoreError::DiskFull(_)), "{err:?}");
        assert!(err.to_string().contains("free space on this device"), "{err}");
    }

    /// The cause is the source, not part of the message: printed once.
    #[test]
    fn the_sqlite_cause_is_kept_as_the_source_and_not_repeated() {
        let cause =
            rusqlite::Connection::open_in_memory().unwrap().execute("SELECT nothing FROM nowhere", []).unwrap_err();
        let text = cause.to_string();
        let err = StoreError::from(cause);
        assert!(!err.to_string().contains(&text), "{err}");
        assert_eq!(err.source().map(ToString::to_string), Some(text));
    }
}
