//! What only a PostgreSQL store brings: a database that goes away while
//! the server serves, one that cannot be used (named in one line), and
//! two server processes sharing one database.
//! Runs when `VISITNOTES_TEST_POSTGRES_URL` names a server (see
//! scripts/test-postgres.sh); says it was skipped otherwise.

mod common;

use common::*;
use visitnotes_shared::api::{PullResponse, UploadResponse};
use visitnotes_shared::roster::Role;

/// Runs `sql` on `url` (a statement at a time).
fn psql(url: &visitnotes_server::db::PgUrl, sql: &str) {
    let (url, sql) = (url.secret().to_owned(), sql.to_owned());
    visitnotes_server::block_on(async move {
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        client.batch_execute(&sql).await.unwrap();
    });
}

/// The database stops taking connections and drops the server's: uploads,
/// pulls and /healthz get 503 `unavailable` with `Retry-After`, nothing is
/// stored; once it takes connections again the server answers by itself,
/// and the upload sent again is stored once.
fn a_database_that_goes_away_gets_503_and_the_server_recovers_by_itself() {
    let mut org = Org::new();
    let (server, database) = last_database().expect("on PostgreSQL");
    let name = database.database();
    let mut leader = org.add("Bo", &[Role::Leader]);
    let first = leader.seal_new(&org.roster, "before");
    assert_eq!(leader.upload(std::slice::from_ref(&first)).status, 200);

    psql(
        &server,
        &format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ),
    );
    let second = leader.seal_new(&org.roster, "while away");
    let away = leader.upload(std::slice::from_ref(&second));
    assert_eq!((away.status, away.code().as_str()), (503, "unavailable"), "{}", String::from_utf8_lossy(&away.body));
    assert!(away.value()["message"].as_str().unwrap().contains("nothing was lost"));
    assert_eq!(leader.get("/v1/notes?since=0").status, 503);
    let mut health = agent().get(&format!("{}/healthz", org.base())).call().unwrap();
    assert_eq!(health.status().as_u16(), 503);
    assert_eq!(health.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    let _ = health.body_mut().read_to_vec();

    psql(&server, &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    assert_eq!(raw(&org.base(), "GET", "/healthz", b"").status, 200, "back without a restart");
    let stored: UploadResponse = leader.upload(std::slice::from_ref(&second)).json();
    assert!(stored.results[0].created, "the refused upload had stored nothing");
    let page: PullResponse = leader.get("/v1/notes?since=0").json();
    let seqs: Vec<u64> = page.notes.iter().map(|n| n.seq).collect();
    assert_eq!(seqs, [1, 2], "each note once, the sequence without a gap");
}

/// `check` and `serve` on `url` (from `data`): exit code and all they printed.
fn check_and_serve(data: &std::path::Path, url: &str) -> [(i32, String); 2] {
    [&["check"][..], &["serve", "--listen", "127.0.0.1:0"][..]].map(|args| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_visitnotes-server"))
            .args(args)
            .arg("--data")
            .arg(data)
            .env("VISITNOTES_SERVER_DATABASE_URL", url)
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.code().unwrap_or(-1), text)
    })
}

/// Refused credentials, a missing database, a database without a store
/// and a store of a newer schema: `check` fails and `serve` does not
/// start, each saying which in one line.
fn check_and_serve_name_what_is_wrong_with_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let settings = backend_settings(visitnotes_server::settings::Settings::default());
    let (server, empty) = last_database().expect("on PostgreSQL");
    std::fs::create_dir(&data).unwrap();
    let stranger = server.secret().replacen("postgres@", "nobody@", 1);
    assert_ne!(stranger, server.secret(), "the test URL names the user postgres");
    let missing = server.with_database("t_no_such_database");
    let cases = [
        (stranger.as_str(), "PostgreSQL refused the user name or password"),
        (missing.secret(), "PostgreSQL has no database t_no_such_database"),
        (empty.secret(), "holds no Visitnotes store: run `visitnotes-server init`"),
    ];
    for (url, says) in cases {
        for (code, text) in check_and_serve(&data, url) {
            assert_ne!(code, 0, "{text}");
            assert!(text.lines().any(|l| l.contains(says)), "{says}: {text}");
        }
    }
    // A store whose schema a newer server wrote.
    visitnotes_server::init(&dir.path().join("other"), &settings).unwrap();
    psql(&empty, "UPDATE schema_version SET version = 99");
    for (code, text) in check_and_serve(&data, empty.secret()) {
        assert_ne!(code, 0, "{text}");
        assert!(text.lines().any(|l| l.contains("schema version 99, written by a newer visitnotes-server")), "{text}");
    }
}

/// Two `serve` processes on one database, each leader's requests spread
/// over both: what one process learns (an enrolment, a roster, a
/// revocation) the other knows from the next request; every note is
/// stored once, the sequence numbers have no gap, the audit chain verifies.
fn two_server_processes_share_one_database() {
    use common::process::{organisation, ServerProcess};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let settings = backend_settings(visitnotes_server::settings::Settings::default());
    let invite = visitnotes_server::init(&data, &settings).unwrap();
    let env = backend_env(&settings);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (one, two) =
        (ServerProcess::spawn(&data, "127.0.0.1:0", &env), ServerProcess::spawn(&data, "127.0.0.1:0", &env));
    // Enrolled and approved through the first process only.
    let (admin, _org, roster, leaders) = organisation(&one.base, &invite, 4);
    let mut acked = Vec::new();
    let threads: Vec<_> = leaders
        .into_iter()
        .enumerate()
        .map(|(i, mut dev)| {
            let (roster, bases) = (roster.clone(), [one.base.clone(), two.base.clone()]);
            std::thread::spawn(move || {
                let mut stored = Vec::new();
                for n in 0..20 {
                    dev.base = bases[(i + n) % 2].clone();
                    let note = dev.seal_new(&roster, &format!("note {n}"));
                    let reply = dev.upload(std::slice::from_ref(&note));
                    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
                    let answer: UploadResponse = reply.json();
                    stored.push(answer.results[0].seq);
                }
                (dev, stored)
            })
        })
        .collect();
    let mut devices = Vec::new();
    for t in threads {
        let (dev, seqs) = t.join().unwrap();
        acked.extend(seqs);
        devices.push(dev);
    }
    acked.sort_unstable();
    assert_eq!(acked, (1..=80).collect::<Vec<u64>>(), "80 notes, each once, numbered without a gap");

    // Revoked through the first process: refused by the second at once.
    let mut revoked = devices.remove(0);
    let reply = admin.post(&format!("/v1/admin/devices/{}/revoke", revoked.keys.device_id()), &serde_json::json!({}));
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    revoked.base = two.base.clone();
    let note = revoked.seal_new(&roster, "after revocation");
    assert_eq!(revoked.upload(&[note]).status, 401, "the other process refuses it from its next request");

    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_visitnotes-server"))
        .args(["audit", "verify", "--data"])
        .arg(&data)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
}

visitnotes_server::on_postgres_too!(
    two_server_processes_share_one_database,
    a_database_that_goes_away_gets_503_and_the_server_recovers_by_itself,
    check_and_serve_name_what_is_wrong_with_the_database,
);
