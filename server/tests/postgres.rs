//! What only PostgreSQL can do to the server: go away while it serves.
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

visitnotes_server::on_postgres_too!(
    a_database_that_goes_away_gets_503_and_the_server_recovers_by_itself,
    check_and_serve_name_what_is_wrong_with_the_database,
);
