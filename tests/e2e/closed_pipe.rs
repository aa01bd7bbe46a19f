//! A reader that closes the pipe early (`visitnotes note list | head -1`)
//! ends the program quietly with 0, as ripgrep does: no panic ("failed
//! printing to stdout"), no error message.
//!
//! The pipe is shrunk to one page, so that the program is still writing
//! when the test closes it after the first line: the write after that
//! fails for certain (EPIPE), which is what these tests are about.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use crate::harness::{client, Cluster};
use visitnotes_shared::note::VisitNote;

/// Runs `cmd`, reads one line of its output, closes the pipe and waits:
/// (exit code, that line, everything on stderr).
fn first_line_then_close(mut cmd: Command) -> (Option<i32>, String, String) {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    rustix::pipe::fcntl_setpipe_size(&stdout, 4096).unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    // The reader (and with it the pipe's only read end) is dropped here.
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    (child.wait().unwrap().code(), line, stderr)
}

#[test]
fn completions_into_a_closed_pipe_exit_0_quietly() {
    let mut cmd = client();
    cmd.args(["completions", "bash"]);
    let (code, line, stderr) = first_line_then_close(cmd);
    assert!(!line.is_empty(), "the script had begun");
    assert_eq!(code, Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn a_note_list_into_a_closed_pipe_exits_0_quietly() {
    let cluster = Cluster::start();
    let admin = cluster.person("Admin");
    admin.run(&["enroll", &cluster.bootstrap, "--name", "Admin", "--unit", "Unit A"]).ok();
    // Far more than a page of listing (a row is some 90 bytes).
    let session = admin.unlock();
    let mut note = VisitNote::blank(chrono::Utc::now().date_naive());
    note.units = vec!["Unit A".into()];
    note.people_met = 3;
    for _ in 0..300 {
        visitnotes_core::ops::write::create(&session, &note).unwrap();
    }
    drop(session);
    let mut cmd = admin.command();
    cmd.args(["note", "list"]);
    let (code, line, stderr) = first_line_then_close(cmd);
    assert!(line.starts_with("ID "), "{line}");
    assert_eq!(code, Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "");
}
