//! The fixtures of the end-to-end tests, one set for every area: a real
//! server (the server library on 127.0.0.1:0, restartable on the same
//! port), people who each drive the real `visitnotes` binary with their
//! own profile, an organisation of them, and what the tests look at on
//! the server and in the people's files. [`proxy`] is the hostile server,
//! [`ui`], [`browser`] and [`accessibility`] drive `visitnotes ui`, and
//! [`logs`] is the one log subscriber of the test binary.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use visitnotes_server::settings::Settings;
use visitnotes_server::RunningServer;
use visitnotes_shared::roster::Roster;
use visitnotes_shared::{OrgKey, VisitNote};

pub mod accessibility;
pub mod browser;
pub mod logs;
pub mod proxy;
pub mod small_disk;
pub mod ui;

/// `note new` flags of a visit with two concerns, the first urgent and
/// consented to follow-up: what the follow-up tests work on.
pub const TWO_CONCERNS: [&str; 10] = [
    "--date",
    "2026-03-02",
    "--unit",
    "Unit A",
    "--met",
    "5",
    "--concern",
    "urgent:consent:asked to see a doctor",
    "--concern",
    "low:no soap in the showers",
];

/// A light scrypt cost for test key files.
const TEST_LOG_N: &str = "10";

pub struct Cluster {
    pub dir: tempfile::TempDir,
    pub addr: SocketAddr,
    pub server: Option<RunningServer>,
    pub bootstrap: String,
    /// The server's settings (its store in PostgreSQL or SQLite).
    settings: Settings,
}

impl Cluster {
    pub fn start() -> Cluster {
        logs::init();
        let dir = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let settings = Settings { public_url: Some(format!("http://{addr}")), ..Settings::default() };
        // In PostgreSQL when the test runs there (`on_postgres_too!`).
        let settings = visitnotes_server::testing::backend_settings(settings);
        let invite = visitnotes_server::init(&dir.path().join("server"), &settings).unwrap();
        let server = visitnotes_server::start(&dir.path().join("server"), settings.clone(), listener).unwrap();
        Cluster { dir, addr, server: Some(server), bootstrap: invite.encode(), settings }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("server")
    }

    /// The server's database, to read or change as its operator could.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.data().join("visitnotes.sqlite3")).unwrap()
    }

    /// The number a query of the server's database gives (a count, a maximum).
    pub fn number(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// The newest roster version the server holds.
    pub fn roster_version(&self) -> u64 {
        self.number("SELECT MAX(version) FROM rosters") as u64
    }

    /// Every age file the server stores (notes and records, each revision
    /// whose content it keeps).
    pub fn age_files(&self) -> Vec<Vec<u8>> {
        let db = self.db();
        let mut stmt = db.prepare("SELECT age FROM notes WHERE age IS NOT NULL").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    /// The server changes one bit of the signature of the first note it
    /// stored: a reader who pulls it refuses it. Returns the signature as
    /// it was, for [`Cluster::restore_first_signature`].
    pub fn forge_first_signature(&self) -> Vec<u8> {
        let db = self.db();
        let first = "SELECT signature FROM notes WHERE rowid = (SELECT MIN(rowid) FROM notes)";
        let original: Vec<u8> = db.query_row(first, [], |r| r.get(0)).unwrap();
        let mut forged = original.clone();
        forged[0] ^= 1;
        self.restore_first_signature(&forged);
        original
    }

    /// Puts `signature` back on the first note the server stored.
    pub fn restore_first_signature(&self, signature: &[u8]) {
        let sql = "UPDATE notes SET signature = ?1 WHERE rowid = (SELECT MIN(rowid) FROM notes)";
        assert_eq!(self.db().execute(sql, [signature]).unwrap(), 1);
    }

    /// The server stores, as the next roster after `held`, a roster signed
    /// by another organisation key (ten versions on); returns its version.
    pub fn plant_roster_of_another_key(&self, held: Roster) -> u64 {
        let foreign = OrgKey::generate();
        let mut roster = held;
        roster.version += 10;
        roster.org_key = foreign.public();
        let signed = roster.sign(&foreign);
        self.db()
            .execute(
                "INSERT INTO rosters (version, body, signature, published_at, published_by) VALUES (?1, ?2, ?3, 0, 'x')",
                rusqlite::params![roster.version, signed.body, signed.signature],
            )
            .unwrap();
        roster.version
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
        let settings = Settings { public_url: None, ..self.settings.clone() };
        self.server = Some(visitnotes_server::start(&self.data(), settings, listener).unwrap());
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
        assert_eq!(self.code, 0, "{self}");
        self
    }

    pub fn last_line(&self) -> String {
        self.stdout.lines().last().unwrap_or_default().trim().to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }

    /// The kinds of the alerts a `--json` run reports, in its order.
    pub fn alert_kinds(&self) -> Vec<String> {
        alert_kinds(&self.json())
    }
}

/// The whole run, for assertion messages.
impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit code {}\nstdout:\n{}\nstderr:\n{}", self.code, self.stdout, self.stderr)
    }
}

/// The `visitnotes` binary, with no editor and the light key-file cost.
pub fn client() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_visitnotes"));
    cmd.env_remove("EDITOR").env_remove("VISUAL").env("VISITNOTES_KDF_LOG_N", TEST_LOG_N);
    cmd
}

impl Person {
    /// The binary as this person, on their profile, with their passphrase.
    pub fn command(&self) -> Command {
        let mut cmd = client();
        cmd.env("VISITNOTES_HOME", &self.home).env("VISITNOTES_PASSPHRASE", &self.passphrase);
        cmd
    }

    pub fn run_with(&self, passphrase: &str, args: &[&str]) -> Run {
        let output = self
            .command()
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
        let output =
            self.command().envs(env.iter().copied()).args(args).stdin(std::process::Stdio::null()).output().unwrap();
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

    /// Writes `n` notes (Unit A, "note 1" to "note N", as many people met)
    /// and syncs; returns their ids, oldest first.
    pub fn write_and_sync(&self, n: usize) -> Vec<String> {
        let ids = (1..=n)
            .map(|i| self.write(&["--unit", "Unit A", "--met", &i.to_string(), "--summary", &format!("note {i}")]))
            .collect();
        self.sync().ok();
        ids
    }

    pub fn unlock(&self) -> visitnotes_core::profile::Session {
        visitnotes_core::profile::Session::unlock(&self.home, self.passphrase.clone().into()).unwrap()
    }

    /// The newest roster this person's device holds.
    pub fn roster(&self) -> Roster {
        self.unlock().roster().unwrap()
    }

    /// The alerts this person's device gives `days` days from now, as
    /// `visitnotes --json alerts` prints them: the same alerts
    /// (`ops::alerts::open_at`) as of a later time, instead of waiting
    /// for it.
    pub fn alerts_in(&self, days: i64) -> serde_json::Value {
        let now = chrono::Utc::now().timestamp() + days * 86_400;
        let open = visitnotes_core::ops::alerts::open_at(&self.unlock(), now).unwrap();
        serde_json::json!({ "alerts": open })
    }

    pub fn device_id(&self) -> String {
        self.unlock().config.device_id.to_string()
    }

    pub fn user_id(&self) -> String {
        self.unlock().config.user_id.to_string()
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
            let invite = invite(&admin, role, &p.name);
            p.enroll(&invite).ok();
            invites.push(invite);
        }
        admin.run(&["admin", "approve", "--all"]).ok();
        for p in [&coordinator, &leader_a, &leader_b] {
            p.sync().ok();
        }
        Org { cluster, admin, coordinator, leader_a, leader_b, invites }
    }

    /// Invites `name` as `role` and lets them enrol: waiting for approval.
    pub fn pending(&self, name: &str, role: &str) -> Person {
        let person = self.cluster.person(name);
        person.enroll(&invite(&self.admin, role, name)).ok();
        person
    }

    /// Invites, enrols and approves one more member, whose device has not
    /// synced yet.
    pub fn enrolled(&self, name: &str, role: &str) -> Person {
        let person = self.pending(name, role);
        self.admin.run(&["admin", "approve", "--all"]).ok();
        person
    }

    /// Invites, enrols, approves and syncs one more member.
    pub fn add_member(&self, name: &str, role: &str) -> Person {
        let person = self.enrolled(name, role);
        person.sync().ok();
        person
    }
}

/// The invite `admin` makes for `name` as `role`.
pub fn invite(admin: &Person, role: &str, name: &str) -> String {
    admin.run(&["admin", "invite", "--role", role, "--name", name]).ok().last_line()
}

/// The kinds of the alerts in `json` (as `visitnotes --json alerts` prints
/// them), in their order.
pub fn alert_kinds(json: &serde_json::Value) -> Vec<String> {
    json["alerts"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap().to_owned()).collect()
}

/// A note to seal by hand (as a thief or a hostile server would): a visit
/// to Unit A on 5 May 2026, one volunteer, one person met.
pub fn visit_note(summary: &str) -> VisitNote {
    let mut note = VisitNote::blank(chrono::NaiveDate::from_ymd_opt(2026, 5, 5).unwrap());
    note.units = vec!["Unit A".into()];
    note.volunteers = 1;
    note.people_met = 1;
    note.summary = summary.into();
    note
}

/// Sleeps until Unix second `at` has passed.
pub fn sleep_past(at: i64) {
    while chrono::Utc::now().timestamp() <= at {
        std::thread::sleep(std::time::Duration::from_millis(250));
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
