//! A person's profile on a disk that can be filled: a size-limited tmpfs
//! mounted over the profile's directory (its files copied in), filled with
//! one filler file until the disk refuses a write, emptied again to give
//! the space back. Mounting needs root (CI runs as root): elsewhere the
//! test says it was skipped and why; under CI it fails instead, so a
//! missing mount is never a silent pass.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct SmallDisk {
    at: PathBuf,
    filler: PathBuf,
}

impl SmallDisk {
    /// Mounts a tmpfs of `bytes` over `dir`, with `dir`'s files in it.
    /// `None` (after saying why) where this machine cannot mount one.
    pub fn over(dir: &Path, bytes: u64) -> Option<SmallDisk> {
        let aside = dir.with_extension("before-small-disk");
        copy(dir, &aside);
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes},mode=0700"), "tmpfs"])
            .arg(dir)
            .output();
        match mounted {
            Ok(out) if out.status.success() => {}
            other => {
                let why = match other {
                    Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
                    Err(e) => e.to_string(),
                };
                assert!(std::env::var_os("CI").is_none(), "CI must be able to mount a tmpfs: {why}");
                eprintln!("skipped: a small disk needs `mount -t tmpfs` (root): {why}");
                return None;
            }
        }
        let disk = SmallDisk { at: dir.to_owned(), filler: dir.join("filler") };
        copy(&aside, dir);
        Some(disk)
    }

    /// Fills the disk until a write is refused for want of space.
    pub fn fill(&self) {
        let mut file = File::create(&self.filler).unwrap();
        let block = vec![0x5a; 4096];
        loop {
            match file.write_all(&block).and_then(|()| file.sync_all()) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(28) || e.kind() == ErrorKind::StorageFull => return,
                Err(e) => panic!("filling {}: {e}", self.filler.display()),
            }
        }
    }

    /// Gives the space back.
    pub fn free(&self) {
        fs::remove_file(&self.filler).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.at).status();
    }
}

fn copy(from: &Path, to: &Path) {
    let status = Command::new("cp").arg("-a").arg(format!("{}/.", from.display())).arg(to).status().unwrap();
    assert!(status.success(), "copying {} to {}", from.display(), to.display());
}
