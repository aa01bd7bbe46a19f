//! An organisation on a real server process, set up through the client
//! library, and notes sealed in bulk.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::Context;
use visitnotes_core::ops::{admin, enroll, roster};
use visitnotes_core::profile::Session;
use visitnotes_server::settings::Settings;
use visitnotes_shared::envelope::{seal, SealParams, SealedNote};
use visitnotes_shared::note::VisitNote;
use visitnotes_shared::roster::{Role, Roster};
use visitnotes_shared::NoteId;

/// The server binary as its own process, so its memory can be measured.
pub struct Server {
    child: Child,
    pub url: String,
    pub data: PathBuf,
}

impl Server {
    pub fn memory_kb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{field}:")))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Org {
    /// Holds the profiles and the server data until the organisation is dropped.
    _dir: tempfile::TempDir,
    pub server: Server,
    pub coordinator: Session,
    pub leaders: Vec<Session>,
}

const PASS: &str = "benchmark passphrase";

fn person(dir: &Path, name: &str, invite: &str) -> anyhow::Result<Session> {
    let options = enroll::Options { invite, name, units: vec!["Unit A".into()], kdf_log_n: 10 };
    Ok(enroll::enroll(&dir.join(name), options, PASS.to_owned().into())?.session)
}

impl Org {
    /// A fresh server with an administrator, a coordinator and `leaders` leaders.
    pub fn start(server_bin: &Path, leaders: usize) -> anyhow::Result<Org> {
        let dir = tempfile::tempdir()?;
        let data = dir.path().join("server");
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let url = format!("http://127.0.0.1:{port}");
        let settings = Settings { public_url: Some(url.clone()), ..Settings::default() };
        let bootstrap = visitnotes_server::init(&data, &settings)?;
        let mut child = Command::new(server_bin)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data"])
            .arg(&data)
            // Every benchmark client shares 127.0.0.1: lift the per-address and per-device limits.
            .env("VISITNOTES_SERVER_RATE_PER_IP", "100000000")
            .env("VISITNOTES_SERVER_RATE_PER_DEVICE", "100000000")
            .env("VISITNOTES_SERVER_QUOTA_BYTES_PER_USER", "100000000000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", server_bin.display()))?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line)?;
        anyhow::ensure!(line.starts_with("listening on"), "the server did not start: {line}");
        let server = Server { child, url, data };

        let admin = person(dir.path(), "admin", &bootstrap.encode())?;
        let mut invited = vec![("coordinator".to_owned(), Role::Coordinator)];
        invited.extend((0..leaders).map(|i| (format!("leader{i}"), Role::Leader)));
        let mut people = Vec::new();
        for (name, role) in &invited {
            let (invite, _) = admin::invite(&admin, *role, name, None)?;
            people.push(person(dir.path(), name, &invite.encode())?);
        }
        let pending: Vec<_> = admin::pending(&admin)?.into_iter().map(|c| c.enrolment.device_id).collect();
        admin::approve(&admin, &pending)?
            .map_err(|why| anyhow::anyhow!("an enrolment of the benchmark could not be approved: {why:?}"))?;
        for p in &people {
            roster::refresh(p)?;
        }
        let coordinator = people.remove(0);
        Ok(Org { _dir: dir, server, coordinator, leaders: people })
    }
}

/// A note whose JSON is about `bytes` long.
pub fn note_of_size(bytes: usize) -> VisitNote {
    let mut note = VisitNote::blank(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("valid"));
    note.units = vec!["Unit A".into()];
    (note.volunteers, note.people_met) = (3, 9);
    let base = serde_json::to_vec(&note).expect("json").len();
    note.summary = "s".repeat(bytes.saturating_sub(base + 60));
    note
}

/// `n` sealed notes by `session`'s device, sequence numbers from `first_seq`:
/// one real age file (of the bucket that `content_bytes` lands in), re-signed
/// under new note ids, so that sealing does not dominate setup.
pub fn sealed_notes(
    session: &Session,
    roster: &Roster,
    n: usize,
    content_bytes: usize,
    first_seq: u64,
) -> Vec<SealedNote> {
    let keys = &session.secrets.device;
    let template = seal(
        &note_of_size(content_bytes),
        &SealParams { note_id: NoteId::random(), revision: 1, prev_hash: None, device_seq: first_seq },
        roster,
        keys,
    )
    .expect("seals");
    // Chained as a client chains them (each header names the one before).
    let mut prev = if first_seq == 1 { [0; 32] } else { [1; 32] };
    (0..n)
        .map(|i| {
            let mut sealed = template.clone();
            sealed.header.note_id = NoteId::random();
            sealed.header.device_seq = first_seq + i as u64;
            sealed.header.device_prev = Some(visitnotes_shared::hex(&prev));
            sealed.signature = keys.sign(&sealed.header.signing_message()).to_vec();
            prev = sealed.hash();
            sealed
        })
        .collect()
}
