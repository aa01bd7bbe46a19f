//! The order of a durable write as the kernel sees it, watched with
//! `strace`: the temporary file is synced, then renamed (or linked) to the
//! target, then the directory is synced. Any other order can leave an empty
//! or torn file, or lose the rename, when the power goes. The test runs
//! itself again under `strace -f` (CI installs it: .ci/run).

use std::path::Path;
use std::process::Command;

use visitnotes_shared::durable::{self, WriteOptions};

const CHILD: &str = "VISITNOTES_DURABLE_CHILD";

/// In the child: the write to watch, with the options its argument names.
fn child(target: &Path, no_clobber: bool) {
    durable::write_file(target, b"kept", WriteOptions { private: true, no_clobber }).unwrap();
}

/// Runs `test` again under strace with `CHILD` set to the target, and
/// returns the trace.
fn trace(test: &str, target: &Path) -> String {
    let log = target.with_extension("strace");
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=openat,fsync,fdatasync,rename,renameat,renameat2,link,linkat", "-o"])
        .arg(&log)
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", test, "--test-threads=1"])
        .env(CHILD, target)
        .status()
        .expect("strace runs (apt-get install strace)");
    assert!(status.success(), "the traced write failed");
    std::fs::read_to_string(&log).unwrap()
}

/// The index of the first line from `from` on that matches.
fn find(lines: &[&str], from: usize, what: &str, matches: impl Fn(&str) -> bool) -> usize {
    lines[from..]
        .iter()
        .position(|l| matches(l))
        .map(|i| from + i)
        .unwrap_or_else(|| panic!("no {what} after line {from}:\n{}", lines.join("\n")))
}

/// The fd an `openat` of a path that `matches` returned.
fn opened_fd(line: &str) -> String {
    line.rsplit("= ").next().unwrap().trim().to_owned()
}

fn assert_order(trace: &str, target: &Path) {
    let lines: Vec<&str> = trace.lines().filter(|l| !l.contains("resumed") || l.contains('=')).collect();
    let name = target.file_name().unwrap().to_str().unwrap();
    let dir = target.parent().unwrap().to_str().unwrap();
    let tmp_prefix = format!("/.{name}.");
    let tmp_open = find(&lines, 0, "temporary file created", |l| l.contains("openat(") && l.contains(&tmp_prefix));
    let tmp_fd = opened_fd(lines[tmp_open]);
    let synced = find(&lines, tmp_open, "fsync of the temporary file", |l| {
        l.contains(&format!("fsync({tmp_fd})")) || l.contains(&format!("fdatasync({tmp_fd})"))
    });
    let target_quoted = format!("\"{}\"", target.display());
    let renamed = find(&lines, tmp_open, "rename or link to the target", |l| {
        (l.contains("rename") || l.contains("link")) && l.contains(&tmp_prefix) && l.contains(&target_quoted)
    });
    assert!(synced < renamed, "the file is renamed before it is synced:\n{trace}");
    let dir_open = find(&lines, renamed, "the directory opened", |l| {
        l.contains("openat(") && l.contains(&format!("\"{dir}\"")) && !l.contains("= -1")
    });
    let dir_fd = opened_fd(lines[dir_open]);
    find(&lines, dir_open, "fsync of the directory", |l| l.contains(&format!("fsync({dir_fd})")));
}

fn run(test: &str, no_clobber: bool) {
    if let Some(target) = std::env::var_os(CHILD) {
        child(Path::new(&target), no_clobber);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("keys.age");
    let trace = trace(test, &target);
    assert_eq!(std::fs::read(&target).unwrap(), b"kept");
    assert_order(&trace, &target);
}

#[test]
fn a_durable_write_syncs_the_file_then_renames_it_then_syncs_the_directory() {
    run("a_durable_write_syncs_the_file_then_renames_it_then_syncs_the_directory", false);
}

#[test]
fn a_durable_new_file_syncs_the_file_then_links_it_then_syncs_the_directory() {
    run("a_durable_new_file_syncs_the_file_then_links_it_then_syncs_the_directory", true);
}
