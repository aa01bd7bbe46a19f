//! The `visitnotes-server` binary: init, serve on port 0, audit verify.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use visitnotes_shared::invite::Invite;

fn server_bin() -> Command {
    Command::cargo_bin("visitnotes-server").unwrap()
}

#[test]
fn init_prints_a_bootstrap_invite_and_refuses_an_existing_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = server_bin()
        .args(["init", "--data"])
        .arg(&data)
        .args(["--public-url", "https://visits.example.org"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let invite = Invite::decode(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(invite.server_url, "https://visits.example.org");
    assert!(invite.org_key_digest.is_none());
    assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700);

    let again = server_bin().args(["init", "--data"]).arg(&data).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

    // While nobody has enrolled, a fresh bootstrap invite may be issued.
    let reissued = server_bin().args(["init", "--reissue-bootstrap", "--data"]).arg(&data).output().unwrap();
    assert!(reissued.status.success(), "{}", String::from_utf8_lossy(&reissued.stderr));
    let fresh = Invite::decode(String::from_utf8(reissued.stdout).unwrap().lines().last().unwrap()).unwrap();
    assert_ne!(fresh.token, invite.token);
}

/// Initialises a data dir under `dir` and starts `serve` on port 0 with
/// `stderr` as given; returns the child and the URL it printed.
fn serve_fresh(dir: &std::path::Path, stderr: Stdio, env: &[(&str, &str)]) -> (std::process::Child, String) {
    let data = dir.join("data");
    assert!(server_bin().args(["init", "--data"]).arg(&data).output().unwrap().status.success());
    let mut child = server_bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .envs(env.iter().copied())
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap().to_owned();
    (child, url)
}

#[test]
fn serve_on_port_zero_prints_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url) = serve_fresh(dir.path(), Stdio::null(), &[]);
    let health = common::raw(&url, "GET", "/healthz", b"");
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(health.status, 200);
}

#[test]
fn serve_without_init_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = server_bin().args(["serve", "--listen", "127.0.0.1:0", "--data"]).arg(dir.path()).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("visitnotes-server init"));
}

#[test]
fn audit_verify_finds_an_edited_row() {
    let org = common::Org::new();
    let data = org.data_dir();
    drop(org.server);
    let ok = server_bin().args(["audit", "verify", "--data"]).arg(&data).output().unwrap();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact"));

    let db = rusqlite::Connection::open(data.join("visitnotes.sqlite3")).unwrap();
    db.execute("UPDATE audit SET subject = 'nothing happened' WHERE seq = 2", []).unwrap();
    drop(db);
    let broken = server_bin().args(["audit", "verify", "--data"]).arg(&data).output().unwrap();
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&broken.stdout).contains("BROKEN at entry 2"),
        "{}",
        String::from_utf8_lossy(&broken.stdout)
    );
}

/// Entries dropped from the end of the log keep the chain intact; the
/// checkpoint the administrator's device signed finds them.
#[test]
fn audit_verify_finds_entries_dropped_behind_a_checkpoint() {
    use visitnotes_shared::api::AuditEntry;
    use visitnotes_shared::audit::Checkpoint;
    let org = common::Org::new();
    let entries: Vec<AuditEntry> = org.admin.get("/v1/admin/audit").json();
    let last = entries.last().unwrap();
    let checkpoint = Checkpoint::sign(last.seq, &last.hash, 1_790_000_000, org.roster.version, &org.admin.keys);
    let stored = org.admin.post("/v1/admin/audit/checkpoint", &serde_json::to_value(&checkpoint).unwrap());
    assert_eq!(stored.status, 201);
    let data = org.data_dir();
    drop(org.server);
    let verify = || server_bin().args(["audit", "verify", "--data"]).arg(&data).output().unwrap();
    let ok = verify();
    let stdout = String::from_utf8_lossy(&ok.stdout).into_owned();
    assert!(ok.status.success(), "{stdout}");
    assert!(stdout.contains(&format!("entries 1 to {} match the checkpoint Ada signed on", last.seq)), "{stdout}");

    let db = rusqlite::Connection::open(data.join("visitnotes.sqlite3")).unwrap();
    db.execute("DELETE FROM audit WHERE seq >= ?1", [last.seq - 1]).unwrap();
    drop(db);
    let broken = verify();
    let stdout = String::from_utf8_lossy(&broken.stdout).into_owned();
    assert_eq!(broken.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("chain intact"), "the chain alone is fooled: {stdout}");
    assert!(
        stdout.contains("TRUNCATED")
            && stdout.contains(&format!("entries {} to {} were removed", last.seq - 1, last.seq))
            && stdout.contains("Ada signed on"),
        "{stdout}"
    );
}

#[test]
fn purge_runs_on_demand() {
    let org = common::Org::new();
    let data = org.data_dir();
    drop(org.server);
    let out = server_bin().args(["purge", "--data"]).arg(&data).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("purged"));
}

#[test]
fn init_refuses_a_public_url_with_a_path_and_creates_nothing() {
    for (bad, why) in [
        ("https://visits.example.org/api", "path"),
        ("https://visits.example.org/?x=1", "query"),
        ("https://admin:pw@visits.example.org", "user name"),
        ("visits.example.org", "not a URL"),
        ("ftp://visits.example.org", "http:// or https://"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let out = server_bin().args(["init", "--public-url", bad, "--data"]).arg(&data).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{bad}: {stderr}");
        assert!(stderr.contains(why) && stderr.contains("https://visits.example.org"), "{bad}: {stderr}");
        assert!(!data.exists(), "{bad}: nothing set up");
    }
}

#[test]
fn init_without_public_url_names_the_url_in_the_invite() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = server_bin()
        .args(["init", "--data"])
        .arg(&data)
        .env_remove("VISITNOTES_SERVER_PUBLIC_URL")
        .env_remove("VISITNOTES_SERVER_LISTEN")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let invite = Invite::decode(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(invite.server_url, "http://127.0.0.1:8080");
    assert!(stdout.contains("No --public-url given: the invite points to the listen address, http://127.0.0.1:8080."));
    assert!(stdout.contains("--reissue-bootstrap") && stdout.contains("--public-url"), "{stdout}");
}

#[test]
fn serve_writes_no_colour_codes_into_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url) = serve_fresh(dir.path(), Stdio::piped(), &[("RUST_LOG", "debug")]);
    assert_eq!(common::raw(&url, "GET", "/healthz", b"").status, 200);
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("visitnotes-server started"), "the log reached the pipe: {stderr}");
    assert!(!stderr.contains("\x1b["), "no ANSI escape codes: {stderr:?}");
}

#[test]
fn serve_logs_one_json_object_per_line_for_collectors() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(server_bin().args(["init", "--data"]).arg(&data).output().unwrap().status.success());
    let mut child = server_bin()
        .args(["serve", "--log-format", "json", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap().to_owned();
    assert_eq!(common::raw(&url, "GET", "/healthz?token=secret-value", b"").status, 200);
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON object per line ({e}): {l:?}")))
        .collect();
    let started = events.iter().find(|e| e["message"] == "visitnotes-server started").expect("the start is logged");
    assert_eq!(started["level"], "INFO");
    assert!(started["timestamp"].is_string(), "{started}");
    let request = events.iter().find(|e| e["message"] == "request").expect("the request is logged");
    assert_eq!((request["path"].as_str(), request["status"].as_u64()), (Some("/healthz"), Some(200)), "{request}");
    assert!(!stderr.contains("secret-value"), "no query value in the log: {stderr}");
}

/// `visitnotes-server check` on `data`, with extra arguments.
fn check(data: &std::path::Path, extra: &[&str]) -> (i32, String, String) {
    let out = server_bin().args(["check", "--data"]).arg(data).args(extra).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_passes_a_fresh_server_and_names_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, _, stderr) = check(&data, &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("visitnotes-server init"), "a missing directory says what to do: {stderr}");

    assert!(server_bin().args(["init", "--data"]).arg(&data).output().unwrap().status.success());
    // The flags' environment variables (as a unit file sets them) are not settings.
    let out = server_bin()
        .arg("check")
        .env("VISITNOTES_SERVER_DATA", &data)
        .env("VISITNOTES_SERVER_LOG_FORMAT", "json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let (code, stdout, stderr) = check(&data, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for line in ["ok   settings", "ok   data directory", "ok   database        schema version", "ok   free disk"] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    assert!(stdout.ends_with("all checks passed\n"), "{stdout}");
    let files: Vec<_> = std::fs::read_dir(&data).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files, ["visitnotes.sqlite3"], "check leaves no -wal or -shm behind");

    // Each problem, named with what to do, and exit 1.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let toml = data.join("server.toml");
    std::fs::write(&toml, "metrics_token = \"short\"\nlisten = \"localhost\"\n").unwrap();
    std::fs::set_permissions(&toml, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, stdout, stderr) = check(&data, &["--min-free-mb", "1000000000000"]);
    assert_eq!(code, 1, "{stdout}");
    for expected in [
        "metrics_token is 5 characters",
        "listen = \"localhost\" is not an address",
        "server.toml has mode 644",
        "chmod 600",
        "has mode 755",
        "chmod 700",
        "below the 1000000000000 MB wanted",
    ] {
        assert!(stdout.contains(expected) && stderr.contains(expected), "{expected}:\n{stdout}\n{stderr}");
    }
    assert!(stderr.contains("5 of 6 checks failed"), "{stderr}");

    // The settings repaired; the database from a newer server.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(&toml, format!("metrics_token = \"{}\"\n", "t".repeat(40))).unwrap();
    std::fs::set_permissions(&toml, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(check(&data, &[]).0, 0);
    let db = rusqlite::Connection::open(data.join("visitnotes.sqlite3")).unwrap();
    db.pragma_update(None, "user_version", 99).unwrap();
    drop(db);
    let (code, stdout, _) = check(&data, &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("FAIL database        schema version 99 was written by a newer visitnotes-server"),
        "{stdout}"
    );
}

#[test]
fn serve_refuses_settings_that_check_fails() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(server_bin().args(["init", "--data"]).arg(&data).output().unwrap().status.success());
    let out = server_bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .env("VISITNOTES_SERVER_METRICS_TOKEN", "too-short")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("did not start") && stderr.contains("metrics_token is 9 characters"), "{stderr}");
    assert!(stderr.contains("visitnotes-server check"), "{stderr}");
}

/// `check` and `serve` with the settings' `database_url`, in `data`.
fn with_database(data: &std::path::Path, url: &str, args: &[&str]) -> (i32, String, String) {
    let out =
        server_bin().args(args).arg("--data").arg(data).env("VISITNOTES_SERVER_DATABASE_URL", url).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A `database_url` that is no database URL, or names a PostgreSQL server
/// nothing listens for: `check` fails and `serve` does not start, each
/// saying which in one line (the password never shown).
#[test]
fn check_and_serve_refuse_a_database_url_that_cannot_work_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    for (url, says) in [
        ("mysql://root:hunter2@db/visits", "database_url starting \"mysql\" is neither sqlite:PATH nor postgres://"),
        (
            "postgres://vn:hunter2@127.0.0.1:1/visits",
            "cannot reach the PostgreSQL server of postgres://vn:***@127.0.0.1:1/visits",
        ),
    ] {
        let (code, stdout, stderr) = with_database(&data, url, &["check"]);
        assert_eq!(code, 1, "{stdout}");
        assert!(stdout.lines().any(|l| l.starts_with("FAIL") && l.contains(says)), "{url}: {stdout}");
        let (code, stdout, stderr2) = with_database(&data, url, &["serve", "--listen", "127.0.0.1:0"]);
        assert_ne!(code, 0, "{stdout}");
        assert!(stderr2.lines().any(|l| l.contains(says)), "{url}: {stderr2}");
        assert!(!format!("{stdout}{stderr}{stderr2}").contains("hunter2"), "no password shown");
    }
}
