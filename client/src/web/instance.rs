//! One web app per profile. The first `visitnotes` (or `visitnotes ui`)
//! for a profile serves it; a later launch for the same profile asks that
//! one for a fresh one-time start address, opens the browser on it and
//! ends. Closing the browser therefore never locks anyone out: opening
//! Visitnotes again gets back in.
//!
//! # The lock
//!
//! `ui.lock` in the profile folder (mode 0600), held with an OS advisory
//! lock (`fs4`: `flock` on Unix, `LockFileEx` on Windows) for as long as
//! the instance runs. The OS drops the lock with the process, however it
//! ends (Quit, Ctrl+C, a crash, `kill -9`), so a stale lock file never
//! blocks the next launch: the file stays, the lock does not.
//!
//! # The socket
//!
//! Whoever holds the lock listens on a local socket:
//!
//! - Unix: the Unix domain socket `ui.sock` in the profile folder, mode
//!   0600 (set before `bind`, so it is never open to others, not even for
//!   a moment). A socket file left by a crashed instance is removed and
//!   bound again by the next lock holder (only the lock holder does this,
//!   so it never takes a live instance's socket away). The instance checks
//!   each connection's peer credentials and answers only a process of its
//!   own user (effective uid); the mode bits and the owner-only profile
//!   folder (0700) already keep others from connecting at all.
//! - Windows: a named pipe whose name is made from the profile folder's
//!   path (`visitnotes-ui-<digest>`), with the default security of a named
//!   pipe: full access for its creator, SYSTEM and administrators; other
//!   users may only open it for reading, which cannot send a request.
//!
//! Who can get a start address, then: the user the instance runs as (and
//! root or an administrator), who can read the profile and the browser's
//! cookies anyway; nobody else.
//!
//! # The line protocol
//!
//! One request line and one answer line per connection, UTF-8, at most
//! 4 KiB each:
//!
//! - `open` or `open VN1-…` (an invite from a `visitnotes:` link, handed
//!   to the enrolment page): answered `address http://127.0.0.1:PORT/start?token=…`,
//!   a fresh one-time token that replaces any unspent earlier one; or
//!   `stopping` when the instance is quitting (the launch then waits for
//!   the lock and starts a new instance);
//! - from another user: `refused`; anything else: `unknown`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use interprocess::local_socket::{prelude::*, ListenerOptions, Name};

/// The lock file, in the profile folder.
pub const LOCK_FILE: &str = "ui.lock";

/// The socket, in the profile folder (Unix).
#[cfg(unix)]
pub const SOCKET_FILE: &str = "ui.sock";

/// How long a launch waits for a running instance that is starting or
/// stopping before giving up.
const PATIENCE: Duration = Duration::from_secs(15);

/// How long one side waits for the other's line.
const LINE_WAIT: Duration = Duration::from_secs(5);

/// The longest line read (an invite is some 150 characters).
const LINE_MAX: u64 = 4096;

#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error("cannot lock {path}: check that the profile folder is yours and can be written")]
    Lock {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot open the socket {name} that later launches use: check that the profile folder is yours and can be written (a folder path longer than about 100 characters does not fit a socket; use a shorter --home)")]
    Listen {
        name: String,
        #[source]
        source: io::Error,
    },
    #[error("Visitnotes is already open for this profile but does not answer: wait a moment and open it again; if this goes on, restart the computer")]
    NoAnswer(#[source] io::Error),
    #[error("Visitnotes is already open for this profile and refused to give this program an address (it answers only its own user)")]
    Refused,
}

/// What a launch found.
pub enum Claim {
    /// This process is the profile's instance: it serves, and answers the
    /// later launches (`Owner::answer`).
    First(Owner),
    /// Another process serves the profile; this is a fresh one-time start
    /// address of it.
    Running(String),
}

/// The lock and the socket of the running instance: released when
/// dropped (the socket file removed first, then the lock).
pub struct Owner {
    /// Held locked; the OS unlocks it when the file is closed or the
    /// process ends.
    _lock: File,
    listener: Option<LocalSocketListener>,
    #[cfg(unix)]
    socket: PathBuf,
}

/// Takes the profile's instance, or asks the running one for an address
/// (handing over `invite`). Waits up to `PATIENCE` for an instance that
/// holds the lock but is still starting, or is stopping.
pub fn claim(home: &Path, invite: Option<&str>) -> Result<Claim, InstanceError> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let lock = open_lock(home)?;
        match fs4::FileExt::try_lock(&lock) {
            Ok(()) => return Owner::listen(home, lock).map(Claim::First),
            Err(fs4::TryLockError::WouldBlock) => {}
            Err(fs4::TryLockError::Error(source)) => {
                return Err(InstanceError::Lock { path: home.join(LOCK_FILE), source })
            }
        }
        drop(lock);
        let asked = ask(home, invite);
        match asked {
            Ok(Answer::Address(url)) => return Ok(Claim::Running(url)),
            Ok(Answer::Refused) => return Err(InstanceError::Refused),
            Ok(Answer::Stopping) | Err(_) if Instant::now() < deadline => {}
            Ok(Answer::Stopping) => return Err(InstanceError::NoAnswer(io::ErrorKind::TimedOut.into())),
            Err(source) => return Err(InstanceError::NoAnswer(source)),
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn open_lock(home: &Path) -> Result<File, InstanceError> {
    let path = home.join(LOCK_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&path).map_err(|source| InstanceError::Lock { path, source })
}

/// The socket's name: a file in the profile folder on Unix, a named pipe
/// named after the profile folder on Windows.
fn name(home: &Path) -> io::Result<Name<'static>> {
    #[cfg(unix)]
    {
        use interprocess::local_socket::GenericFilePath;
        home.join(SOCKET_FILE).into_os_string().to_fs_name::<GenericFilePath>()
    }
    #[cfg(not(unix))]
    {
        use interprocess::local_socket::GenericNamespaced;
        let folder = std::path::absolute(home).unwrap_or_else(|_| home.to_owned());
        let digest = ring::digest::digest(&ring::digest::SHA256, folder.as_os_str().as_encoded_bytes());
        let short: String = digest.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("visitnotes-ui-{short}").to_ns_name::<GenericNamespaced>()
    }
}

fn name_words(home: &Path) -> String {
    #[cfg(unix)]
    return home.join(SOCKET_FILE).display().to_string();
    #[cfg(not(unix))]
    return name(home).map(|n| format!("{n:?}")).unwrap_or_else(|_| "the named pipe".to_owned());
}

impl Owner {
    fn listen(home: &Path, lock: File) -> Result<Owner, InstanceError> {
        let failed = |source| InstanceError::Listen { name: name_words(home), source };
        let options = ListenerOptions::new()
            .name(name(home).map_err(failed)?)
            // The lock holder alone gets here: a socket file still there
            // was left by an instance that ended without removing it.
            .try_overwrite(true)
            .reclaim_name(false);
        #[cfg(unix)]
        let options = interprocess::os::unix::local_socket::ListenerOptionsExt::mode(options, 0o600);
        let listener = options.create_sync().map_err(failed)?;
        Ok(Owner {
            _lock: lock,
            listener: Some(listener),
            #[cfg(unix)]
            socket: home.join(SOCKET_FILE),
        })
    }

    /// Answers later launches from now on, on a thread of its own:
    /// `address(invite)` makes a fresh start address (handing over the
    /// invite), or says `None` when the instance is stopping.
    pub fn answer(&mut self, address: impl Fn(Option<String>) -> Option<String> + Send + 'static) {
        let Some(listener) = self.listener.take() else { return };
        std::thread::spawn(move || {
            loop {
                match listener.accept() {
                    // A launch that went away, or sent nothing in time,
                    // is its own loss; the next one is answered.
                    Ok(conn) => {
                        let _ = serve(&conn, &address);
                    }
                    // Out of file descriptors, say: not in a tight loop.
                    Err(_) => std::thread::sleep(Duration::from_millis(100)),
                }
            }
        });
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        // Before the lock goes: whoever takes it next binds afresh.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.socket);
    }
}

enum Answer {
    Address(String),
    Stopping,
    Refused,
}

/// One connection of the running instance: a request line, an answer
/// line.
fn serve(conn: &LocalSocketStream, address: &dyn Fn(Option<String>) -> Option<String>) -> io::Result<()> {
    conn.set_recv_timeout(Some(LINE_WAIT))?;
    conn.set_send_timeout(Some(LINE_WAIT))?;
    let mut writer = conn;
    // The request is read first, so that the answer, `refused` included,
    // reaches a peer that is still sending.
    let mut line = String::new();
    BufReader::new(conn).take(LINE_MAX).read_line(&mut line)?;
    if !from_owner(conn) {
        return writer.write_all(b"refused\n");
    }
    let reply = match request(&line) {
        Some(invite) => match address(invite) {
            Some(url) => format!("address {url}\n"),
            None => "stopping\n".to_owned(),
        },
        None => "unknown\n".to_owned(),
    };
    writer.write_all(reply.as_bytes())
}

/// `open` → no invite; `open VN1-…` → the invite; anything else → not a
/// request.
fn request(line: &str) -> Option<Option<String>> {
    let line = line.strip_suffix('\n')?;
    match line.split_once(' ') {
        None if line == "open" => Some(None),
        Some(("open", invite)) if !invite.is_empty() && !invite.contains(char::is_whitespace) => {
            Some(Some(invite.to_owned()))
        }
        _ => None,
    }
}

/// Whether the process at the other end runs as this process's user.
#[cfg(unix)]
fn from_owner(conn: &LocalSocketStream) -> bool {
    let peer = conn.peer_creds().ok().and_then(|c| c.euid());
    same_user(peer, rustix::process::geteuid().as_raw())
}

/// Windows: the pipe's security already lets only its creator (and
/// SYSTEM and administrators) write a request.
#[cfg(not(unix))]
fn from_owner(_conn: &LocalSocketStream) -> bool {
    true
}

/// A peer whose user the OS does not tell is not the owner.
#[cfg(unix)]
fn same_user(peer: Option<u32>, own: u32) -> bool {
    peer == Some(own)
}

/// A later launch: asks the running instance for an address.
fn ask(home: &Path, invite: Option<&str>) -> io::Result<Answer> {
    let conn = LocalSocketStream::connect(name(home)?)?;
    conn.set_recv_timeout(Some(LINE_WAIT))?;
    conn.set_send_timeout(Some(LINE_WAIT))?;
    let line = match invite {
        Some(invite) => format!("open {invite}\n"),
        None => "open\n".to_owned(),
    };
    let mut writer = &conn;
    writer.write_all(line.as_bytes())?;
    let mut answer = String::new();
    BufReader::new(&conn).take(LINE_MAX).read_line(&mut answer)?;
    match answer.trim_end().split_once(' ') {
        Some(("address", url)) if url.starts_with("http://") => Ok(Answer::Address(url.to_owned())),
        None if answer.trim_end() == "stopping" => Ok(Answer::Stopping),
        None if answer.trim_end() == "refused" => Ok(Answer::Refused),
        _ => Err(io::Error::new(io::ErrorKind::InvalidData, "the running instance's answer did not read")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_open_with_at_most_an_invite() {
        assert_eq!(request("open\n"), Some(None));
        assert_eq!(request("open VN1-ABC\n"), Some(Some("VN1-ABC".to_owned())));
        assert_eq!(request("open"), None, "a line cut short");
        assert_eq!(request("open \n"), None);
        assert_eq!(request("open VN1 ABC\n"), None);
        assert_eq!(request("quit\n"), None);
    }

    #[cfg(unix)]
    #[test]
    fn only_the_same_user_is_the_owner() {
        assert!(same_user(Some(1000), 1000));
        assert!(!same_user(Some(0), 1000));
        assert!(!same_user(None, 1000));
    }

    /// A second claim on the same folder asks the first, which answers
    /// with what `address` makes and hears the invite; the socket file is
    /// gone and the lock free once the first is dropped.
    #[test]
    fn a_second_launch_asks_the_first() {
        let home = tempfile::tempdir().unwrap();
        let Claim::First(mut first) = claim(home.path(), None).unwrap() else { panic!("the first claim serves") };
        let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = heard.clone();
        first.answer(move |invite| {
            kept.lock().unwrap().push(invite);
            Some("http://127.0.0.1:1/start?token=t".to_owned())
        });
        let Claim::Running(url) = claim(home.path(), Some("VN1-X")).unwrap() else { panic!("the second asks") };
        assert_eq!(url, "http://127.0.0.1:1/start?token=t");
        assert_eq!(*heard.lock().unwrap(), vec![Some("VN1-X".to_owned())]);
        drop(first);
        #[cfg(unix)]
        assert!(!home.path().join(SOCKET_FILE).exists());
        assert!(matches!(claim(home.path(), None).unwrap(), Claim::First(_)));
    }
}
