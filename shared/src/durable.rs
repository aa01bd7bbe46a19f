//! Files written to be kept, so that a power cut leaves either the old file
//! or the new one, never a torn or empty one: the one way every program of
//! the workspace writes such a file (keys, profile, exported org key and
//! shares, reports, server backups and their manifests).
//!
//! [`write_file`]: the bytes go to a new temporary file beside the target
//! (a random name, created exclusively), which is synced (`fsync`), renamed
//! over the target (or linked to it when it must not replace one), and then
//! the directory is synced so that the rename itself survives. [`rename`]
//! does the last two steps for a file written and synced by other means
//! (SQLite's `VACUUM INTO`, a copy).

use std::io::Write;
use std::path::{Path, PathBuf};

/// How [`write_file`] treats the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteOptions {
    /// Only this user may read the file (mode 0600 on unix from the moment
    /// it is created; elsewhere the folder's permissions apply).
    pub private: bool,
    /// A file already at the target is an error, left as it is.
    pub no_clobber: bool,
}

/// Writes `bytes` to `path` durably and atomically (see the module docs).
/// A symbolic link at `path` is replaced, not followed; a file planted
/// beside it is never opened. The temporary file is removed on failure.
pub fn write_file(path: &Path, bytes: &[u8], options: WriteOptions) -> std::io::Result<()> {
    let dir = parent_dir(path);
    let prefix = format!(".{}.", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    if options.private {
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if options.no_clobber {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    } else {
        tmp.persist(path).map_err(|e| e.error)?;
    }
    sync_dir(&dir)
}

/// Renames `from`, a file already synced, to `to`, and syncs the directory
/// so that the rename survives a power cut.
pub fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::rename(from, to)?;
    sync_dir(&parent_dir(to))
}

/// Syncs the directory `dir`: the names created, renamed or removed in it
/// reach the disk. A file system that cannot sync a directory (EINVAL) is
/// not an error: there is nothing more to be done.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    match std::fs::File::open(dir)?.sync_all() {
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Ok(()),
        other => other,
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The directory `path` is in ("." for a bare name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_whole_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profile.toml");
        write_file(&path, b"first", WriteOptions::default()).unwrap();
        write_file(&path, b"second", WriteOptions::default()).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("profile.toml")]);
    }

    #[test]
    fn no_clobber_leaves_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("share-1.txt");
        let options = WriteOptions { private: true, no_clobber: true };
        write_file(&path, b"the first", options).unwrap();
        assert!(write_file(&path, b"the second", options).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"the first");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
