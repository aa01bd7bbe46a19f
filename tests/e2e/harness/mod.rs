#![allow(dead_code)]
//! Harness for the end-to-end tests (`e2e.rs`): a real server (the server library on
//! 127.0.0.1:0, restartable on the same port) and people who each drive
//! the real `visitnotes` binary with their own profile.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Output;

use visitnotes_server::settings::Settings;
use visitnotes_server::RunningServer;

pub mod accessibility;
pub mod browser;
pub mod proxy;
pub mod ui;

/// A light scrypt cost for test key files.
pub const TEST_LOG_N: &str = "10";

pub struct Cluster {
    pub dir: tempfile::TempDir,
    pub addr: SocketAddr,
    pub server: Option<RunningServer>,
    pub bootstrap: String,
}

impl Cluster {
    pub fn start() -> Cluster {
        if std::env::var_os("VISITNOTES_TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt().with_env_filter("info").try_init();
        }
        let dir = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let settings = Settings { public_url: Some(format!("http://{addr}")), ..Settings::default() };
        let invite = visitnotes_server::init(&dir.path().join("server"), &settings).unwrap();
        let server = visitnotes_server::start(&dir.path().join("server"), settings, listener).unwrap();
        Cluster { dir, addr, server: Some(server), bootstrap: invite.encode() }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("server")
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.data().join("visitnotes.sqlite3")).unwrap()
    }

    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
    }

    /// Starts the server again on the same address and data.
    pub fn restart(&mut self) {
        self.stop();
        let listener = TcpListener::bind(self.addr).unwrap();
        self.server = Some(visitnotes_server::start(&self.data(), Settings::default(), listener).unwrap());
    }

    /// A copy of the server's database taken while it serves, as an
    /// operator's backup would be (`VACUUM INTO`: one consistent file).
    pub fn backup(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(format!("{name}.sqlite3"));
        self.db().execute("VACUUM INTO ?1", [path.to_str().unwrap()]).unwrap();
        path
    }

    /// Stops the server, puts `backup` in place of its database (the
    /// current WAL removed with it), and starts it again on the same
    /// address: the clients' configuration stays as it is.
    pub fn restore(&mut self, backup: &Path) {
        self.stop();
        let db = self.data().join("visitnotes.sqlite3");
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        std::fs::copy(backup, &db).unwrap();
        self.restart();
    }

    pub fn person(&self, name: &str) -> Person {
        Person {
            home: self.dir.path().join(name.replace(' ', "-")),
            passphrase: format!("passphrase of {name}"),
            name: name.into(),
        }
    }
}

pub struct Person {
    pub home: PathBuf,
    pub passphrase: String,
    pub name: String,
}

/// What a run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    pub fn last_line(&self) -> String {
        self.stdout.lines().last().unwrap_or_default().trim().to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

pub fn client() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_visitnotes"));
    cmd.env_remove("EDITOR").env_remove("VISUAL").env("VISITNOTES_KDF_LOG_N", TEST_LOG_N);
    cmd
}

impl Person {
    pub fn run_with(&self, passphrase: &str, args: &[&str]) -> Run {
        let output = client()
            .env("VISITNOTES_HOME", &self.home)
            .env("VISITNOTES_PASSPHRASE", passphrase)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        Run::from(output)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(&self.passphrase, args)
    }

    /// `run` with extra environment variables.
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let output = client()
            .env("VISITNOTES_HOME", &self.home)
            .env("VISITNOTES_PASSPHRASE", &self.passphrase)
            .envs(env.iter().copied())
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        Run::from(output)
    }

    pub fn enroll(&self, invite: &str) -> Run {
        self.run(&["enroll", invite, "--name", &self.name])
    }

    pub fn sync(&self) -> Run {
        self.run(&["sync"])
    }

    /// Writes a note from flags; returns its id.
    pub fn write(&self, extra: &[&str]) -> String {
        let mut args = vec!["--json", "note", "new"];
        args.extend_from_slice(extra);
        let run = self.run(&args).ok();
        run.json()["note_id"].as_str().unwrap().to_owned()
    }

    pub fn unlock(&self) -> visitnotes_core::profile::Session {
        visitnotes_core::profile::Session::unlock(&self.home, self.passphrase.clone().into()).unwrap()
    }
}

/// An organisation with an administrator, a coordinator and two leaders,
/// all approved and synced.
pub struct Org {
    pub cluster: Cluster,
    pub admin: Person,
    pub coordinator: Person,
    pub leader_a: Person,
    pub leader_b: Person,
    /// Every invite used, the bootstrap one first (for the secrets canary).
    pub invites: Vec<String>,
}

impl Org {
    pub fn start() -> Org {
        let cluster = Cluster::start();
        let admin = cluster.person("Admin");
        admin.run(&["enroll", &cluster.bootstrap, "--name", "Admin", "--unit", "Unit A", "--unit", "Unit B"]).ok();
        let coordinator = cluster.person("Coordinator");
        let leader_a = cluster.person("Leader A");
        let leader_b = cluster.person("Leader B");
        let mut invites = vec![cluster.bootstrap.clone()];
        for (p, role) in [(&coordinator, "coordinator"), (&leader_a, "leader"), (&leader_b, "leader")] {
            let invite = admin.run(&["admin", "invite", "--role", role, "--name", &p.name]).ok().last_line();
            p.enroll(&invite).ok();
            invites.push(invite);
        }
        admin.run(&["admin", "approve", "--all"]).ok();
        for p in [&coordinator, &leader_a, &leader_b] {
            p.sync().ok();
        }
        Org { cluster, admin, coordinator, leader_a, leader_b, invites }
    }

    /// Invites, enrols, approves and syncs one more member.
    pub fn add_member(&self, name: &str, role: &str) -> Person {
        let person = self.cluster.person(name);
        let invite = self.admin.run(&["admin", "invite", "--role", role, "--name", name]).ok().last_line();
        person.enroll(&invite).ok();
        self.admin.run(&["admin", "approve", "--all"]).ok();
        person.sync().ok();
        person
    }
}

/// Every file's bytes under `dir`, concatenated: for plaintext canaries.
pub fn all_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                out.extend(std::fs::read(entry.path()).unwrap_or_default());
            }
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}
