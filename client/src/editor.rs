//! Writing a note in the person's editor ($VISUAL, else $EDITOR).
//!
//! The note lives, while the editor is open, in a folder of its own inside
//! the profile's temp folder ([`temp_dir`]); the editor's own swap and
//! backup files land beside it. A note that does not parse or validate
//! reopens the editor on the same text with the error written at the top,
//! until it is right or the person empties the file to cancel: a mistake
//! never costs the text. Afterwards everything is overwritten and deleted;
//! a run that was killed with the editor open leaves its folder behind,
//! and the next run of the client wipes it ([`remove_leftovers`]). The
//! editing run holds a lock on its folder so that a second client running
//! meanwhile (a `sync` in another terminal) leaves a note being written
//! alone.
//!
//! The temp folder is this user's alone, and is checked to be before
//! anything is written in it or removed from it. It is made with an
//! exclusive mkdir, mode 0700, and refused ([`Refusal`]) when it is a
//! symbolic link, not a folder, another user's, or open to others: in
//! `/dev/shm` any user can make a folder of that name first, and plant
//! links in it. Wiping never follows a symbolic link and never leaves the
//! folder: a link is removed as a link, and a file with another name (a
//! hard link) is unlinked, not overwritten.

use std::fs::File;
use std::io::Write as _;
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
    #[error(
        "the editor's temp folder {} is not used: {why}. Nothing was written to it or removed from it. \
         If you made it, remove it; if not, another user of this computer may have: tell whoever runs it, \
         and meanwhile set XDG_RUNTIME_DIR to a folder of your own with mode 0700",
        .path.display()
    )]
    Refused { path: PathBuf, why: Refusal },
}

/// Why a temp folder that is there already is not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("it is a symbolic link")]
    Symlink,
    #[error("it is not a folder")]
    NotAFolder,
    #[error("it belongs to another user (uid {0})")]
    Owner(u32),
    #[error("other users may open it (mode {0:o})")]
    OpenToOthers(u32),
}

/// The editor command set for this run, if any.
pub fn configured() -> Option<String> {
    ["VISUAL", "EDITOR"].iter().filter_map(|v| std::env::var(v).ok()).find(|e| !e.trim().is_empty())
}

/// The temp folder of the profile in `home`, in memory where there is a
/// place for it: in `$XDG_RUNTIME_DIR` (the login's own folder, mode 0700)
/// when it is set and is this user's alone, else in `/dev/shm` (shared by
/// all users), else `PROFILE/tmp`. Named after the user and the profile,
/// so that two profiles do not share it. Nothing is made or checked here
/// (see [`remove_leftovers`] and the editing run).
pub fn temp_dir(home: &Path) -> PathBuf {
    temp_dir_with(home, std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from))
}

fn temp_dir_with(home: &Path, runtime: Option<PathBuf>) -> PathBuf {
    #[cfg(unix)]
    {
        let absolute = std::path::absolute(home).unwrap_or_else(|_| home.to_owned());
        let digest = ring::digest::digest(&ring::digest::SHA256, absolute.as_os_str().as_encoded_bytes());
        let name = format!(
            "visitnotes-{}-{}",
            rustix::process::getuid().as_raw(),
            &visitnotes_shared::hex(digest.as_ref())[..16]
        );
        if let Some(runtime) = runtime.filter(|d| d.is_absolute() && matches!(check(d), Ok(Ok(())))) {
            return runtime.join(name);
        }
        let shm = Path::new("/dev/shm");
        if shm.is_dir() {
            return shm.join(name);
        }
    }
    #[cfg(not(unix))]
    let _ = runtime;
    home.join("tmp")
}

/// Wipes what an earlier run left in the temp folder (a note open in the
/// editor when the program stopped); folders another run still holds are
/// left alone. Returns how many notes were removed. A temp folder that is
/// not this user's own is refused, and nothing in it touched.
pub fn remove_leftovers(home: &Path) -> Result<usize, EditorError> {
    remove_leftovers_in(&temp_dir(home))
}

fn remove_leftovers_in(root: &Path) -> Result<usize, EditorError> {
    let err = |source| EditorError::Temp { path: root.to_owned(), source };
    match std::fs::symlink_metadata(root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(err(e)),
        Ok(_) => {}
    }
    check(root).map_err(err)?.map_err(|why| EditorError::Refused { path: root.to_owned(), why })?;
    let mut removed = 0;
    for entry in std::fs::read_dir(root).map_err(err)? {
        let entry = entry.map_err(err)?;
        let path = entry.path();
        // The entry's own type: a symbolic link is not a folder here.
        if entry.file_type().map_err(err)?.is_dir() {
            let Some(_lock) = try_lock(&path.join(LOCK_FILE)).map_err(err)? else { continue };
            removed += usize::from(wipe_dir(&path).map_err(err)?);
        } else {
            removed += usize::from(wipe_file(&path).map_err(err)?);
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
    let session = Workspace::new(&temp_dir(home))?;
    let mut text = initial.to_owned();
    loop {
        write_note(&session.file, &text).map_err(session.err())?;
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
    /// Makes (or checks) the temp folder `root`, then a folder of a random
    /// name in it for this run.
    fn new(root: &Path) -> Result<Workspace, EditorError> {
        let err = |source| EditorError::Temp { path: root.to_owned(), source };
        make_private_dir(root).map_err(err)?;
        check(root).map_err(err)?.map_err(|why| EditorError::Refused { path: root.to_owned(), why })?;
        let mut builder = tempfile::Builder::new();
        builder.prefix("note-");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        let dir = builder.tempdir_in(root).map_err(err)?.keep();
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

/// Makes `dir` mode 0700 unless something of that name is there already
/// (which [`check`] then judges). Its parent is not made: it is the
/// runtime folder, `/dev/shm` or the profile folder.
fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

/// Whether `dir` itself (not what a link there points to) is a folder of
/// this user's that no one else may open.
fn check(dir: &Path) -> std::io::Result<Result<(), Refusal>> {
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.file_type().is_symlink() {
        return Ok(Err(Refusal::Symlink));
    }
    if !meta.is_dir() {
        return Ok(Err(Refusal::NotAFolder));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != rustix::process::getuid().as_raw() {
            return Ok(Err(Refusal::Owner(meta.uid())));
        }
        if meta.mode() & 0o077 != 0 {
            return Ok(Err(Refusal::OpenToOthers(meta.mode() & 0o777)));
        }
    }
    Ok(Ok(()))
}

/// Some(file) when the lock at `path` was free and is now ours.
fn try_lock(path: &Path) -> std::io::Result<Option<File>> {
    let file = no_follow().create(true).truncate(false).write(true).open(path)?;
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

/// Writes the note for the editor (mode 0600; in this run's folder).
fn write_note(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = no_follow();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// Options that refuse to open a symbolic link (unix) and do not wait on
/// a named pipe planted in place of a file.
fn no_follow() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
    );
    options
}

/// Overwrites every file in `dir` with zeros, then removes the folder;
/// folders in it are entered only when they are folders themselves, never
/// through a link. True when it held a note (anything but the lock).
fn wipe_dir(dir: &Path) -> std::io::Result<bool> {
    let mut had_note = false;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            had_note |= wipe_dir(&entry.path())?;
        } else {
            had_note |= wipe_file(&entry.path())? && entry.file_name() != LOCK_FILE;
        }
    }
    std::fs::remove_dir(dir)?;
    Ok(had_note)
}

/// Removes `path`: a file that is this user's and has no other name is
/// overwritten with zeros first; anything else (a link, a file with a hard
/// link elsewhere, another user's) is only unlinked. True when it was a
/// file.
fn wipe_file(path: &Path) -> std::io::Result<bool> {
    let is_file = std::fs::symlink_metadata(path)?.is_file();
    if is_file {
        if let Ok(mut file) = no_follow().write(true).open(path) {
            let meta = file.metadata()?;
            if meta.is_file() && only_name_and_ours(&meta) {
                let zeros = vec![0u8; usize::try_from(meta.len()).unwrap_or(0)];
                file.write_all(&zeros).and_then(|()| file.sync_all())?;
            }
        }
    }
    std::fs::remove_file(path)?;
    Ok(is_file)
}

#[cfg(unix)]
fn only_name_and_ours(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() == 1 && meta.uid() == rustix::process::getuid().as_raw()
}

#[cfg(not(unix))]
fn only_name_and_ours(_meta: &std::fs::Metadata) -> bool {
    true
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
        let base = tempfile::tempdir().unwrap();
        let root = base.path().join("visitnotes-test");
        make_private_dir(&root).unwrap();
        let stale = root.join("note-stale");
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("visit-note.toml"), "summary = \"x\"").unwrap();
        let busy = Workspace::new(&root).unwrap();
        std::fs::write(&busy.file, "summary = \"y\"").unwrap();
        assert_eq!(remove_leftovers_in(&root).unwrap(), 1);
        assert!(!stale.exists());
        assert!(busy.file.exists());
        drop(busy);
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), 0);
    }
}

/// What another local user can plant: in and in place of the temp folder.
#[cfg(all(test, unix))]
mod planted {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    use super::*;

    /// A folder with a file in it, outside the temp folder: what an attack
    /// aims at.
    fn victim(base: &Path) -> PathBuf {
        let dir = base.join("victim");
        std::fs::create_dir_all(dir.join("inner")).unwrap();
        std::fs::write(dir.join("precious.txt"), "keep me").unwrap();
        std::fs::write(dir.join("inner/precious.txt"), "keep me too").unwrap();
        dir
    }

    fn intact(victim: &Path) {
        assert_eq!(std::fs::read_to_string(victim.join("precious.txt")).unwrap(), "keep me");
        assert_eq!(std::fs::read_to_string(victim.join("inner/precious.txt")).unwrap(), "keep me too");
    }

    /// Links in the temp folder (to a folder, to a file, in a leftover
    /// note's folder) are removed as links: what they point to is neither
    /// overwritten nor deleted.
    #[test]
    fn symlinks_in_the_temp_folder_are_removed_not_followed() {
        let base = tempfile::tempdir().unwrap();
        let victim = victim(base.path());
        let root = base.path().join("visitnotes-test");
        make_private_dir(&root).unwrap();
        std::os::unix::fs::symlink(&victim, root.join("x")).unwrap();
        std::os::unix::fs::symlink(victim.join("precious.txt"), root.join("y")).unwrap();
        let stale = root.join("note-stale");
        std::fs::create_dir(&stale).unwrap();
        std::os::unix::fs::symlink(&victim, stale.join("swap")).unwrap();
        std::os::unix::fs::symlink(victim.join("precious.txt"), stale.join("visit-note.toml")).unwrap();

        assert_eq!(remove_leftovers_in(&root).unwrap(), 0, "links are not notes");
        intact(&victim);
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), 0, "the links are gone");
    }

    /// A file in the temp folder that has another name elsewhere (a hard
    /// link) is unlinked, not overwritten through that other name.
    #[test]
    fn a_hard_link_in_the_temp_folder_is_unlinked_not_overwritten() {
        let base = tempfile::tempdir().unwrap();
        let victim = victim(base.path());
        let root = base.path().join("visitnotes-test");
        make_private_dir(&root).unwrap();
        let stale = root.join("note-stale");
        std::fs::create_dir(&stale).unwrap();
        std::fs::hard_link(victim.join("precious.txt"), stale.join("visit-note.toml")).unwrap();
        std::fs::hard_link(victim.join("inner/precious.txt"), root.join("z")).unwrap();

        remove_leftovers_in(&root).unwrap();
        intact(&victim);
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), 0);
    }

    /// A temp folder someone else made first (another owner), one that is
    /// a link to elsewhere, or one open to others is refused for cleaning
    /// and for writing: nothing in it or behind it is touched, and the
    /// error names the folder and says what to do.
    #[test]
    fn a_temp_folder_not_of_this_user_alone_is_refused_and_left_as_it_is() {
        let base = tempfile::tempdir().unwrap();
        let victim = victim(base.path());

        let foreign = base.path().join("visitnotes-foreign");
        make_private_dir(&foreign).unwrap();
        std::fs::create_dir(foreign.join("note-planted")).unwrap();
        std::fs::write(foreign.join("note-planted/visit-note.toml"), "theirs").unwrap();
        // Planting another user's folder needs root (the suites run as root).
        std::os::unix::fs::chown(&foreign, Some(65534), Some(65534)).expect("chown to another user needs root");

        let link = base.path().join("visitnotes-link");
        std::os::unix::fs::symlink(&victim, &link).unwrap();

        let open = base.path().join("visitnotes-open");
        make_private_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(open.join("left"), "theirs").unwrap();

        for (root, why) in
            [(&foreign, Refusal::Owner(65534)), (&link, Refusal::Symlink), (&open, Refusal::OpenToOthers(0o755))]
        {
            let cleaned = remove_leftovers_in(root).unwrap_err();
            assert!(matches!(cleaned, EditorError::Refused { why: w, .. } if w == why), "{cleaned}");
            let words = cleaned.to_string();
            assert!(words.contains(&root.display().to_string()) && words.contains("XDG_RUNTIME_DIR"), "{words}");
            let written = Workspace::new(root).err().expect("refused");
            assert!(matches!(written, EditorError::Refused { why: w, .. } if w == why), "{written}");
        }
        intact(&victim);
        assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 2, "nothing was added behind the link");
        assert_eq!(std::fs::read_to_string(foreign.join("note-planted/visit-note.toml")).unwrap(), "theirs");
        assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 1);
        assert_eq!(std::fs::read_to_string(open.join("left")).unwrap(), "theirs");
        assert_eq!(std::fs::metadata(&open).unwrap().mode() & 0o777, 0o755, "not chmodded");
    }

    /// A runtime folder that is not this user's alone is passed over for
    /// `/dev/shm`; one that is, is used.
    #[test]
    fn the_runtime_folder_is_used_only_when_it_is_this_users_alone() {
        let base = tempfile::tempdir().unwrap();
        let home = base.path().join("profile");
        let runtime = base.path().join("run");
        make_private_dir(&runtime).unwrap();
        let ours = temp_dir_with(&home, Some(runtime.clone()));
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o755)).unwrap();
        let open = temp_dir_with(&home, Some(runtime.clone()));
        assert_eq!(ours.parent(), Some(runtime.as_path()));
        assert!(ours
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(&format!("visitnotes-{}-", rustix::process::getuid().as_raw())));
        assert_ne!(open.parent(), Some(runtime.as_path()));
    }
}
