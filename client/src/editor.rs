//! Writing a note in the person's editor ($VISUAL, else $EDITOR).
//!
//! The note lives, while the editor is open, in a folder of its own inside
//! the profile's temp folder: in memory (`/dev/shm`) where there is one,
//! else `PROFILE/tmp`; mode 0700. The editor's own swap and backup files
//! land beside it. A note that does not parse or validate reopens the
//! editor on the same text with the error written at the top, until it is
//! right or the person empties the file to cancel: a mistake never costs
//! the text. Afterwards everything is overwritten and deleted; a run that
//! was killed with the editor open leaves its folder behind, and the next
//! run of the client wipes it ([`remove_leftovers`]). The editing run holds
//! a lock on its folder so that a second client running meanwhile (a
//! `sync` in another terminal) leaves a note being written alone.

use std::fs::File;
use std::path::{Path, PathBuf};

/// Lines the client writes at the top of a note it reopens; removed again
/// before the next attempt so that errors do not pile up.
const ERROR_MARK: &str = "#! ";
const LOCK_FILE: &str = "in-use.lock";

#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("the note was emptied: nothing was saved")]
    Cancelled,
    #[error("the template was not changed: nothing was saved")]
    Unchanged,
    #[error("the editor {editor:?} exited with {status}: nothing was saved")]
    Failed { editor: String, status: std::process::ExitStatus },
    #[error("cannot start the editor {editor:?} (set VISUAL or EDITOR to one that works)")]
    Start {
        editor: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot use the editor's temp folder {}", .path.display())]
    Temp {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The editor command set for this run, if any.
pub fn configured() -> Option<String> {
    ["VISUAL", "EDITOR"].iter().filter_map(|v| std::env::var(v).ok()).find(|e| !e.trim().is_empty())
}

/// The temp folder of the profile in `home`: in memory when the machine
/// has `/dev/shm`, named after the profile so that two profiles do not
/// share it.
pub fn temp_dir(home: &Path) -> PathBuf {
    let shm = Path::new("/dev/shm");
    if cfg!(unix) && shm.is_dir() {
        let absolute = std::path::absolute(home).unwrap_or_else(|_| home.to_owned());
        let digest = ring::digest::digest(&ring::digest::SHA256, absolute.as_os_str().as_encoded_bytes());
        return shm.join(format!("visitnotes-{}", &visitnotes_shared::hex(digest.as_ref())[..16]));
    }
    home.join("tmp")
}

/// Wipes what an earlier run left in the temp folder (a note open in the
/// editor when the program stopped); folders another run still holds are
/// left alone. Returns how many notes were removed.
pub fn remove_leftovers(home: &Path) -> std::io::Result<usize> {
    let dir = temp_dir(home);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(0) };
    let mut removed = 0;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            let Some(_lock) = try_lock(&path.join(LOCK_FILE))? else { continue };
            removed += usize::from(wipe_dir(&path)?);
        } else {
            wipe_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Opens the editor on `initial` until `check` accepts the text.
pub fn edit_until_valid<T>(
    initial: &str,
    home: &Path,
    editor: &str,
    check: impl Fn(&str) -> Result<T, String>,
) -> Result<T, EditorError> {
    let session = Workspace::new(home)?;
    let mut text = initial.to_owned();
    loop {
        std::fs::write(&session.file, &text).map_err(session.err())?;
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(&session.file)
            .status()
            .map_err(|source| EditorError::Start { editor: editor.to_owned(), source })?;
        if !status.success() {
            return Err(EditorError::Failed { editor: editor.to_owned(), status });
        }
        let edited = std::fs::read_to_string(&session.file).map_err(session.err())?;
        if edited == initial {
            return Err(EditorError::Unchanged);
        }
        let body = strip_error(&edited);
        if body.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
            return Err(EditorError::Cancelled);
        }
        match check(&body) {
            Ok(value) => return Ok(value),
            Err(why) => text = with_error(&body, &why),
        }
    }
}

fn strip_error(text: &str) -> String {
    text.lines().skip_while(|l| l.starts_with(ERROR_MARK.trim_end())).map(|l| format!("{l}\n")).collect()
}

fn with_error(body: &str, why: &str) -> String {
    let mut out = format!("{ERROR_MARK}This note could not be saved yet:\n");
    for line in why.lines() {
        out.push_str(&format!("{ERROR_MARK}  {line}\n"));
    }
    out.push_str(&format!(
        "{ERROR_MARK}Fix it and save to try again, or delete everything to cancel. These lines go away by themselves.\n"
    ));
    out + body
}

/// This run's folder in the temp folder, locked while it exists.
struct Workspace {
    dir: PathBuf,
    file: PathBuf,
    _lock: File,
}

impl Workspace {
    fn new(home: &Path) -> Result<Workspace, EditorError> {
        let root = temp_dir(home);
        let err = |source| EditorError::Temp { path: root.clone(), source };
        private_dir(&root).map_err(err)?;
        let dir = tempfile::Builder::new().prefix("note-").tempdir_in(&root).map_err(err)?.keep();
        let lock =
            try_lock(&dir.join(LOCK_FILE)).map_err(err)?.ok_or_else(|| err(std::io::ErrorKind::WouldBlock.into()))?;
        Ok(Workspace { file: dir.join("visit-note.toml"), dir, _lock: lock })
    }

    fn err(&self) -> impl FnOnce(std::io::Error) -> EditorError + '_ {
        |source| EditorError::Temp { path: self.dir.clone(), source }
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = wipe_dir(&self.dir);
    }
}

/// Creates `dir` mode 0700, and on unix refuses one that is not ours or
/// not a real folder (in /dev/shm anybody could have made it first).
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir)?;
        let meta = std::fs::symlink_metadata(dir)?;
        if !meta.is_dir() || meta.uid() != rustix::process::getuid().as_raw() {
            return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "it belongs to someone else"));
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    builder.create(dir)
}

/// Some(file) when the lock at `path` was free and is now ours.
fn try_lock(path: &Path) -> std::io::Result<Option<File>> {
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
    #[cfg(unix)]
    {
        use rustix::fs::{flock, FlockOperation};
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => return Ok(None),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Some(file))
}

/// Overwrites every file in `dir` with zeros, then removes the folder.
/// True when it held a note (anything but the lock).
fn wipe_dir(dir: &Path) -> std::io::Result<bool> {
    let mut had_note = false;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            had_note |= wipe_dir(&entry.path())?;
        } else {
            had_note |= entry.file_name() != LOCK_FILE;
            wipe_file(&entry.path())?;
        }
    }
    std::fs::remove_dir(dir)?;
    Ok(had_note)
}

fn wipe_file(path: &Path) -> std::io::Result<()> {
    let len = std::fs::symlink_metadata(path)?.len();
    if std::fs::symlink_metadata(path)?.is_file() {
        std::fs::write(path, vec![0u8; usize::try_from(len).unwrap_or(0)])?;
    }
    std::fs::remove_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_go_to_the_top_and_do_not_pile_up() {
        let once = with_error("units = [\"A\"\n", "line 1: unclosed array");
        let twice = with_error(&strip_error(&once), "line 1: still unclosed");
        assert!(twice.starts_with("#! This note could not be saved yet:\n#!   line 1: still unclosed\n"), "{twice}");
        assert!(!twice.contains("unclosed array"));
        assert!(twice.ends_with("units = [\"A\"\n"));
    }

    #[test]
    fn leftovers_are_wiped_but_a_folder_in_use_is_not() {
        let home = tempfile::tempdir().unwrap();
        let root = temp_dir(home.path());
        private_dir(&root).unwrap();
        let stale = root.join("note-stale");
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("visit-note.toml"), "summary = \"x\"").unwrap();
        let busy = Workspace::new(home.path()).unwrap();
        std::fs::write(&busy.file, "summary = \"y\"").unwrap();
        assert_eq!(remove_leftovers(home.path()).unwrap(), 1);
        assert!(!stale.exists());
        assert!(busy.file.exists());
        drop(busy);
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), 0);
        std::fs::remove_dir(&root).unwrap();
    }
}
