//! A crash VFS for tests: SQLite as it fares when the power goes or the
//! disk fills.
//!
//! [`CrashVfs::register`] registers an SQLite VFS (under a fresh name) that
//! wraps the default one (`unix`). Every write and truncation it passes on
//! is also remembered, with the bytes it replaced, until the file is synced
//! (`xSync`): these are the writes an operating system may still hold in
//! its page cache. Then:
//!
//! - [`CrashVfs::power_cut`] is the moment the power goes: from then on
//!   every read, write, sync, lock, open and delete through the VFS fails
//!   (SQLITE_IOERR), as on a dead machine, so nothing more reaches the
//!   files. The program under test is then stopped (its connections closed).
//! - [`CrashVfs::power_on`] is the reboot: for each file, its unsynced
//!   writes are all undone, or only a random prefix of them is kept, or
//!   they are kept but the last one is torn (a random part of it written,
//!   the rest of its range old bytes or garbage), chosen with a seeded
//!   generator so that a failing cut can be replayed. Then the VFS works
//!   again and the program reopens its files.
//! - [`CrashVfs::set_quota`] makes it a small disk: a write that would grow
//!   the files it has opened past the quota fails with SQLITE_FULL, until
//!   the quota is raised or lifted.
//!
//! This is the approach of SQLite's own crash tests (`test6.c`), but with
//! an undo log instead of held-back writes: writes reach the real file at
//! once (reads need no merging), and a cut restores what was there.
//!
//! What it does not model: a file created or deleted is created or deleted
//! at once (directory entries are durable; SQLite syncs the directory where
//! it matters); the `-shm` file is passed through untouched (SQLite
//! rebuilds it from the WAL after every connection closed); the VFS offers
//! no memory-mapped I/O (`xFetch`), so `mmap_size` has no effect on it.
//!
//! # `unsafe`
//!
//! SQLite's VFS is a C interface, and rusqlite exposes no way to register
//! one, so this crate talks to `libsqlite3-sys` directly. It is the one
//! crate of the workspace without `#![forbid(unsafe_code)]`, it is used by
//! tests only (`publish = false`, a dev-dependency), and its unsafe code is
//! the glue between SQLite's callbacks and the Rust state below: each
//! callback casts SQLite's file pointer back to [`CrashFile`] and calls
//! the wrapped VFS's method on the file behind it.

use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::fs::OpenOptions;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use libsqlite3_sys as ffi;

/// A registered crash VFS. Open connections on it by [`CrashVfs::name`]
/// (`Connection::open_with_flags_and_vfs`). The registration lasts as long
/// as the process; dropping this handle leaves it in place.
#[derive(Clone)]
pub struct CrashVfs {
    name: String,
    state: Arc<State>,
}

/// What became of one file's unsynced writes at a [`CrashVfs::power_on`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// None of them reached the disk.
    Dropped { unsynced: usize },
    /// The first `kept` did, in order.
    Prefix { kept: usize, unsynced: usize },
    /// All but the last did; of the last, `bytes` of its `of` bytes did,
    /// and the rest of its range holds garbage (or the old bytes).
    Torn { unsynced: usize, bytes: usize, of: usize, garbage: bool },
}

/// What [`CrashVfs::power_on`] did to each file with unsynced writes.
pub type Report = Vec<(PathBuf, Fate)>;

/// Why the VFS could not be powered on.
#[derive(Debug)]
pub enum PowerOnError {
    /// Files are still open through the VFS: the program under test has
    /// not closed every connection yet.
    FilesOpen(usize),
    /// Restoring a file's old bytes failed.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for PowerOnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PowerOnError::FilesOpen(n) => {
                write!(f, "{n} files are still open through the crash VFS: close every connection first")
            }
            PowerOnError::Io(path, _) => write!(f, "cannot restore {}", path.display()),
        }
    }
}

impl std::error::Error for PowerOnError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PowerOnError::FilesOpen(_) => None,
            PowerOnError::Io(_, e) => Some(e),
        }
    }
}

impl CrashVfs {
    /// Registers a new crash VFS over SQLite's default VFS, under a name of
    /// its own (`crash-1`, `crash-2`, ...), not as the default.
    pub fn register() -> CrashVfs {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let name = format!("crash-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let state = Arc::new(State::default());
        // SAFETY: sqlite3_vfs_find(NULL) returns the default VFS, which
        // SQLite never frees. The new VFS struct, its name and its state
        // are leaked: SQLite keeps pointers to them for the process's life.
        unsafe {
            let root = ffi::sqlite3_vfs_find(std::ptr::null());
            assert!(!root.is_null(), "SQLite has no default VFS");
            let mut vfs = *root;
            vfs.pNext = std::ptr::null_mut();
            vfs.szOsFile = c_int::try_from(std::mem::size_of::<CrashFile>()).expect("small") + (*root).szOsFile;
            vfs.zName = CString::new(name.clone()).expect("no NUL").into_raw();
            vfs.pAppData = Box::into_raw(Box::new(Shared { root, state: state.clone() })).cast();
            vfs.xOpen = Some(x_open);
            vfs.xDelete = Some(x_delete);
            vfs.xAccess = Some(x_access);
            vfs.xFullPathname = Some(x_full_pathname);
            let rc = ffi::sqlite3_vfs_register(Box::into_raw(Box::new(vfs)), 0);
            assert_eq!(rc, ffi::SQLITE_OK, "registering the crash VFS");
        }
        CrashVfs { name, state }
    }

    /// The name to open connections with.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The power goes: nothing more reaches the files, every I/O fails.
    pub fn power_cut(&self) {
        self.state.lock().powered = false;
    }

    /// The power goes just before the `n`-th write, truncation or sync from
    /// now (1: the next one), so that a cut lands inside a transaction or a
    /// checkpoint rather than between them.
    pub fn power_cut_before_op(&self, n: u64) {
        self.state.lock().countdown = Some(n.max(1));
    }

    /// Whether the power is on.
    pub fn is_powered(&self) -> bool {
        self.state.lock().powered
    }

    /// Files open through the VFS right now.
    pub fn open_files(&self) -> usize {
        self.state.lock().open
    }

    /// The reboot after a [`power_cut`](Self::power_cut): waits up to
    /// `wait` for every file to be closed, gives each file's unsynced
    /// writes a fate drawn from `seed`, and turns the power back on.
    pub fn power_on(&self, seed: u64, wait: Duration) -> Result<Report, PowerOnError> {
        let deadline = Instant::now() + wait;
        let mut state = loop {
            let state = self.state.lock();
            if state.open == 0 {
                break state;
            }
            if Instant::now() >= deadline {
                return Err(PowerOnError::FilesOpen(state.open));
            }
            drop(state);
            std::thread::sleep(Duration::from_millis(5));
        };
        let mut rng = SplitMix(seed);
        let mut report = Vec::new();
        let mut files: Vec<(PathBuf, Vec<Undo>)> = state.unsynced.drain().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, ops) in files {
            if ops.is_empty() {
                continue;
            }
            let fate = match rng.below(3) {
                0 => Fate::Dropped { unsynced: ops.len() },
                1 => Fate::Prefix { kept: rng.below(ops.len() as u64 + 1) as usize, unsynced: ops.len() },
                _ => {
                    let of = ops.last().map_or(0, |op| op.new.len());
                    Fate::Torn {
                        unsynced: ops.len(),
                        bytes: rng.below(of as u64 + 1) as usize,
                        of,
                        garbage: rng.below(2) == 0,
                    }
                }
            };
            restore(&path, &ops, &fate, &mut rng).map_err(|e| PowerOnError::Io(path.clone(), e))?;
            report.push((path, fate));
        }
        state.sizes.clear();
        state.countdown = None;
        state.powered = true;
        Ok(report)
    }

    /// A disk of `bytes` (None: unlimited) for the files this VFS opened:
    /// a write that would grow them past it fails with SQLITE_FULL.
    pub fn set_quota(&self, bytes: Option<u64>) {
        self.state.lock().quota = bytes;
    }

    /// The bytes the files open through the VFS take now.
    pub fn used_bytes(&self) -> u64 {
        self.state.lock().sizes.values().sum()
    }
}

/// Undoes, per `fate`, `ops` (oldest first) on the closed file at `path`.
fn restore(path: &Path, ops: &[Undo], fate: &Fate, rng: &mut SplitMix) -> std::io::Result<()> {
    let keep = match *fate {
        Fate::Dropped { .. } => 0,
        Fate::Prefix { kept, .. } => kept,
        Fate::Torn { unsynced, .. } => unsynced - 1,
    };
    let file = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(file) => file,
        // Deleted since (its log is dropped then; a deleted file is gone).
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for op in ops[keep..].iter().rev() {
        file.write_all_at(&op.old, op.offset)?;
        file.set_len(op.size_before)?;
    }
    if let Fate::Torn { bytes, garbage, .. } = *fate {
        let last = ops.last().expect("a torn file has a write");
        file.write_all_at(&last.new[..bytes], last.offset)?;
        if garbage && bytes < last.new.len() {
            let noise: Vec<u8> = (bytes..last.new.len()).map(|_| rng.next() as u8).collect();
            file.write_all_at(&noise, last.offset + bytes as u64)?;
        }
    }
    Ok(())
}

/// One unsynced change: before it, the file was `size_before` bytes long
/// and held `old` at `offset`; it wrote `new` there (empty for a truncation).
struct Undo {
    size_before: u64,
    offset: u64,
    old: Vec<u8>,
    new: Vec<u8>,
}

struct Inner {
    powered: bool,
    /// Files open through the VFS (main files, not `-shm`).
    open: usize,
    unsynced: HashMap<PathBuf, Vec<Undo>>,
    /// The size of each file written through the VFS, for the quota.
    sizes: HashMap<PathBuf, u64>,
    quota: Option<u64>,
    /// Writes, truncations and syncs left before a cut (`power_cut_before_op`).
    countdown: Option<u64>,
}

#[derive(Default)]
struct State(Mutex<Inner>);

impl Default for Inner {
    fn default() -> Self {
        Inner { powered: true, open: 0, unsynced: HashMap::new(), sizes: HashMap::new(), quota: None, countdown: None }
    }
}

impl State {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Inner {
    /// Whether a write, truncation or sync may go ahead: the power is on,
    /// and an armed countdown does not end at this one.
    fn may_change(&mut self) -> bool {
        if let Some(left) = self.countdown {
            if left <= 1 {
                self.countdown = None;
                self.powered = false;
            } else {
                self.countdown = Some(left - 1);
            }
        }
        self.powered
    }
}

/// What the VFS's `pAppData` points to.
struct Shared {
    root: *mut ffi::sqlite3_vfs,
    state: Arc<State>,
}

/// The file SQLite holds: our header, then the wrapped VFS's file (SQLite
/// allocates `szOsFile` bytes for both).
#[repr(C)]
struct CrashFile {
    base: ffi::sqlite3_file,
    shared: *const Shared,
    /// The file's full path; null for a temporary file, which is not tracked.
    path: *mut PathBuf,
    real: *mut ffi::sqlite3_file,
}

/// A small seeded generator (SplitMix64): enough for choosing fates.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    // 2: with the shared-memory methods WAL needs, without xFetch (mmap).
    iVersion: 2,
    xClose: Some(x_close),
    xRead: Some(x_read),
    xWrite: Some(x_write),
    xTruncate: Some(x_truncate),
    xSync: Some(x_sync),
    xFileSize: Some(x_file_size),
    xLock: Some(x_lock),
    xUnlock: Some(x_unlock),
    xCheckReservedLock: Some(x_check_reserved_lock),
    xFileControl: Some(x_file_control),
    xSectorSize: Some(x_sector_size),
    xDeviceCharacteristics: Some(x_device_characteristics),
    xShmMap: Some(x_shm_map),
    xShmLock: Some(x_shm_lock),
    xShmBarrier: Some(x_shm_barrier),
    xShmUnmap: Some(x_shm_unmap),
    xFetch: None,
    xUnfetch: None,
};

/// SAFETY (for the helpers below): `vfs` is a VFS registered by
/// `CrashVfs::register`, whose `pAppData` is a leaked `Shared`.
unsafe fn shared<'a>(vfs: *mut ffi::sqlite3_vfs) -> &'a Shared {
    &*((*vfs).pAppData as *const Shared)
}

/// SAFETY: `file` was opened by `x_open` (its methods are `METHODS`).
unsafe fn crash_file<'a>(file: *mut ffi::sqlite3_file) -> &'a CrashFile {
    &*(file as *const CrashFile)
}

/// SAFETY: `file` is an open `CrashFile`; returns the wrapped file's methods.
unsafe fn real_methods<'a>(file: &CrashFile) -> &'a ffi::sqlite3_io_methods {
    &*(*file.real).pMethods
}

unsafe extern "C" fn x_open(
    vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let shared = shared(vfs);
    let this = file as *mut CrashFile;
    (*this).base.pMethods = std::ptr::null();
    let mut state = shared.state.lock();
    if !state.powered {
        return ffi::SQLITE_CANTOPEN;
    }
    let real = (file as *mut u8).add(std::mem::size_of::<CrashFile>()) as *mut ffi::sqlite3_file;
    let rc = ((*shared.root).xOpen.expect("xOpen"))(shared.root, name, real, flags, out_flags);
    if rc != ffi::SQLITE_OK {
        return rc;
    }
    let path = if name.is_null() {
        std::ptr::null_mut()
    } else {
        let path = PathBuf::from(CStr::from_ptr(name).to_string_lossy().into_owned());
        let mut size: ffi::sqlite3_int64 = 0;
        if ((*(*real).pMethods).xFileSize.expect("xFileSize"))(real, &mut size) == ffi::SQLITE_OK {
            state.sizes.insert(path.clone(), size as u64);
        }
        Box::into_raw(Box::new(path))
    };
    state.open += 1;
    (*this).shared = shared;
    (*this).path = path;
    (*this).real = real;
    (*this).base.pMethods = &METHODS;
    ffi::SQLITE_OK
}

unsafe extern "C" fn x_delete(vfs: *mut ffi::sqlite3_vfs, name: *const c_char, sync_dir: c_int) -> c_int {
    let shared = shared(vfs);
    let mut state = shared.state.lock();
    if !state.powered {
        return ffi::SQLITE_IOERR_DELETE;
    }
    let rc = ((*shared.root).xDelete.expect("xDelete"))(shared.root, name, sync_dir);
    if rc == ffi::SQLITE_OK && !name.is_null() {
        let path = PathBuf::from(CStr::from_ptr(name).to_string_lossy().into_owned());
        state.unsynced.remove(&path);
        state.sizes.remove(&path);
    }
    rc
}

unsafe extern "C" fn x_access(vfs: *mut ffi::sqlite3_vfs, name: *const c_char, flags: c_int, out: *mut c_int) -> c_int {
    let shared = shared(vfs);
    ((*shared.root).xAccess.expect("xAccess"))(shared.root, name, flags, out)
}

unsafe extern "C" fn x_full_pathname(
    vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    n: c_int,
    out: *mut c_char,
) -> c_int {
    let shared = shared(vfs);
    ((*shared.root).xFullPathname.expect("xFullPathname"))(shared.root, name, n, out)
}

unsafe extern "C" fn x_close(file: *mut ffi::sqlite3_file) -> c_int {
    let this = crash_file(file);
    let rc = (real_methods(this).xClose.expect("xClose"))(this.real);
    let mut state = (*this.shared).state.lock();
    state.open -= 1;
    if !this.path.is_null() {
        drop(Box::from_raw(this.path));
    }
    rc
}

unsafe extern "C" fn x_read(
    file: *mut ffi::sqlite3_file,
    buf: *mut c_void,
    amount: c_int,
    offset: ffi::sqlite3_int64,
) -> c_int {
    let this = crash_file(file);
    if !(*this.shared).state.lock().powered {
        return ffi::SQLITE_IOERR_READ;
    }
    (real_methods(this).xRead.expect("xRead"))(this.real, buf, amount, offset)
}

/// The wrapped file's size now.
unsafe fn real_size(this: &CrashFile) -> Result<u64, c_int> {
    let mut size: ffi::sqlite3_int64 = 0;
    match (real_methods(this).xFileSize.expect("xFileSize"))(this.real, &mut size) {
        ffi::SQLITE_OK => Ok(size as u64),
        rc => Err(rc),
    }
}

/// The bytes of `[offset, offset + len)` that exist in the file now.
unsafe fn read_existing(this: &CrashFile, offset: u64, len: u64, size: u64) -> Result<Vec<u8>, c_int> {
    let end = size.min(offset + len);
    if end <= offset {
        return Ok(Vec::new());
    }
    let mut old = vec![0u8; (end - offset) as usize];
    let amount = c_int::try_from(old.len()).map_err(|_| ffi::SQLITE_IOERR_READ)?;
    match (real_methods(this).xRead.expect("xRead"))(this.real, old.as_mut_ptr().cast(), amount, offset as i64) {
        ffi::SQLITE_OK => Ok(old),
        rc => Err(rc),
    }
}

unsafe extern "C" fn x_write(
    file: *mut ffi::sqlite3_file,
    buf: *const c_void,
    amount: c_int,
    offset: ffi::sqlite3_int64,
) -> c_int {
    let this = crash_file(file);
    let mut state = (*this.shared).state.lock();
    if !state.may_change() {
        return ffi::SQLITE_IOERR_WRITE;
    }
    let write = || (real_methods(this).xWrite.expect("xWrite"))(this.real, buf, amount, offset);
    if this.path.is_null() {
        return write();
    }
    let path = &*this.path;
    let (offset_u, len) = (offset as u64, amount as u64);
    let size = match real_size(this) {
        Ok(size) => size,
        Err(rc) => return rc,
    };
    let growth = (offset_u + len).saturating_sub(size);
    if let Some(quota) = state.quota {
        let used: u64 = state.sizes.values().sum();
        if growth > 0 && used + growth > quota {
            return ffi::SQLITE_FULL;
        }
    }
    let old = match read_existing(this, offset_u, len, size) {
        Ok(old) => old,
        Err(rc) => return rc,
    };
    let rc = write();
    if rc == ffi::SQLITE_OK {
        let new = std::slice::from_raw_parts(buf as *const u8, amount as usize).to_vec();
        state.unsynced.entry(path.clone()).or_default().push(Undo { size_before: size, offset: offset_u, old, new });
        state.sizes.insert(path.clone(), size.max(offset_u + len));
    }
    rc
}

unsafe extern "C" fn x_truncate(file: *mut ffi::sqlite3_file, size: ffi::sqlite3_int64) -> c_int {
    let this = crash_file(file);
    let mut state = (*this.shared).state.lock();
    if !state.may_change() {
        return ffi::SQLITE_IOERR_TRUNCATE;
    }
    let truncate = || (real_methods(this).xTruncate.expect("xTruncate"))(this.real, size);
    if this.path.is_null() {
        return truncate();
    }
    let path = &*this.path;
    let before = match real_size(this) {
        Ok(before) => before,
        Err(rc) => return rc,
    };
    let new_size = size as u64;
    let old = match read_existing(this, new_size, before.saturating_sub(new_size), before) {
        Ok(old) => old,
        Err(rc) => return rc,
    };
    let rc = truncate();
    if rc == ffi::SQLITE_OK {
        state.unsynced.entry(path.clone()).or_default().push(Undo {
            size_before: before,
            offset: new_size,
            old,
            new: Vec::new(),
        });
        state.sizes.insert(path.clone(), new_size);
    }
    rc
}

unsafe extern "C" fn x_sync(file: *mut ffi::sqlite3_file, _flags: c_int) -> c_int {
    let this = crash_file(file);
    let mut state = (*this.shared).state.lock();
    if !state.may_change() {
        return ffi::SQLITE_IOERR_FSYNC;
    }
    // The real fsync is skipped: the power cut is simulated, and the
    // process's own page cache survives it. What matters is that from here
    // on this file's writes so far are durable.
    if !this.path.is_null() {
        state.unsynced.remove(&*this.path);
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn x_file_size(file: *mut ffi::sqlite3_file, size: *mut ffi::sqlite3_int64) -> c_int {
    let this = crash_file(file);
    if !(*this.shared).state.lock().powered {
        return ffi::SQLITE_IOERR_FSTAT;
    }
    (real_methods(this).xFileSize.expect("xFileSize"))(this.real, size)
}

unsafe extern "C" fn x_lock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    let this = crash_file(file);
    if !(*this.shared).state.lock().powered {
        return ffi::SQLITE_IOERR_LOCK;
    }
    (real_methods(this).xLock.expect("xLock"))(this.real, level)
}

unsafe extern "C" fn x_unlock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    let this = crash_file(file);
    (real_methods(this).xUnlock.expect("xUnlock"))(this.real, level)
}

unsafe extern "C" fn x_check_reserved_lock(file: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    let this = crash_file(file);
    (real_methods(this).xCheckReservedLock.expect("xCheckReservedLock"))(this.real, out)
}

unsafe extern "C" fn x_file_control(file: *mut ffi::sqlite3_file, op: c_int, arg: *mut c_void) -> c_int {
    let this = crash_file(file);
    // A size hint makes the unix VFS extend the file behind our back.
    if op == ffi::SQLITE_FCNTL_SIZE_HINT {
        return ffi::SQLITE_NOTFOUND;
    }
    (real_methods(this).xFileControl.expect("xFileControl"))(this.real, op, arg)
}

unsafe extern "C" fn x_sector_size(file: *mut ffi::sqlite3_file) -> c_int {
    let this = crash_file(file);
    (real_methods(this).xSectorSize.expect("xSectorSize"))(this.real)
}

unsafe extern "C" fn x_device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
    let this = crash_file(file);
    (real_methods(this).xDeviceCharacteristics.expect("xDeviceCharacteristics"))(this.real)
}

unsafe extern "C" fn x_shm_map(
    file: *mut ffi::sqlite3_file,
    page: c_int,
    page_size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    let this = crash_file(file);
    (real_methods(this).xShmMap.expect("xShmMap"))(this.real, page, page_size, extend, out)
}

unsafe extern "C" fn x_shm_lock(file: *mut ffi::sqlite3_file, offset: c_int, n: c_int, flags: c_int) -> c_int {
    let this = crash_file(file);
    (real_methods(this).xShmLock.expect("xShmLock"))(this.real, offset, n, flags)
}

unsafe extern "C" fn x_shm_barrier(file: *mut ffi::sqlite3_file) {
    let this = crash_file(file);
    (real_methods(this).xShmBarrier.expect("xShmBarrier"))(this.real)
}

unsafe extern "C" fn x_shm_unmap(file: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    let this = crash_file(file);
    // A dead machine deletes nothing.
    let delete = if (*this.shared).state.lock().powered { delete } else { 0 };
    (real_methods(this).xShmUnmap.expect("xShmUnmap"))(this.real, delete)
}
