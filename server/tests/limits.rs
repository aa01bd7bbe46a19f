//! Bad input against the server binary: a 1 GiB chunked body is cut off
//! with 413 while the server's memory stays flat, a flood gets 429, and no
//! malformed request gets a 5xx.

mod common;

use common::process::{send_chunked, ServerProcess};
use common::raw;
use visitnotes_server::settings::Settings;

#[test]
fn a_1_gib_chunked_upload_gets_413_and_memory_stays_flat() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    visitnotes_server::init(&data, &Settings::default()).unwrap();
    let server = ServerProcess::spawn(&data, "127.0.0.1:0", &[]);
    let addr = server.base.trim_start_matches("http://").to_owned();
    assert_eq!(raw(&server.base, "GET", "/healthz", b"").status, 200);
    let before = server.memory_kb("VmRSS");
    for (method, path) in [("POST", "/v1/notes"), ("POST", "/v1/enrol"), ("PUT", "/v1/roster")] {
        let (answer, _) = send_chunked(&addr, method, path, 1 << 30);
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
    }
    let peak = server.memory_kb("VmHWM");
    let after = server.memory_kb("VmRSS");
    println!("1 GiB chunked uploads x3: RSS before {before} kB, after {after} kB, peak {peak} kB");
    // The batch limit is 16 MiB; the server may hold at most about that.
    assert!(peak < before + 48 * 1024, "peak {peak} kB vs {before} kB before");
}

#[test]
fn a_flood_gets_429_and_nothing_gets_a_5xx() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    visitnotes_server::init(&data, &Settings::default()).unwrap();
    let server = ServerProcess::spawn(&data, "127.0.0.1:0", &[("VISITNOTES_SERVER_RATE_PER_IP", "2")]);
    let statuses: Vec<u16> = (0..200).map(|_| raw(&server.base, "GET", "/healthz", b"").status).collect();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    println!("flood: {} requests, {limited} answered 429", statuses.len());
    assert!(limited > 100, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429));
}

/// Malformed, hostile and odd requests: every answer is a 4xx with a JSON
/// `{code, message}` body (or a 404/405 for unknown routes), never a 5xx.
#[test]
fn bad_input_never_gets_a_5xx() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    visitnotes_server::init(&data, &Settings::default()).unwrap();
    let server = ServerProcess::spawn(&data, "127.0.0.1:0", &[]);
    let base = &server.base;
    let bodies: Vec<&[u8]> = vec![
        b"",
        b"{",
        b"null",
        b"[]",
        b"\"x\"",
        b"{\"notes\":\"'; DROP TABLE notes; --\"}",
        b"{\"token\":\"' OR 1=1 --\",\"name\":\"x\",\"signing_key\":\"AA==\",\"age_recipient\":\"age1\",\"mac\":\"AA==\"}",
        b"\xff\xfe\xfd",
        b"{\"notes\":[{\"header\":{}}]}",
        b"{\"a\":1e999999}",
    ];
    let paths = [
        "/v1/enrol",
        "/v1/notes",
        "/v1/roster",
        "/v1/admin/invites",
        "/v1/notes/rewrap",
        "/v1/admin/devices/..%2F..%2Fetc%2Fpasswd/revoke",
        "/v1/admin/users/1%27%20OR%201=1/remove",
        "/../../etc/passwd",
        "/v1/notes?since=abc&limit=-5",
        "/v1/%00",
    ];
    let mut tried = 0;
    for path in paths {
        for method in ["GET", "POST", "PUT"] {
            for body in &bodies {
                let reply = raw(base, method, path, body);
                tried += 1;
                assert!(
                    (400..500).contains(&reply.status),
                    "{method} {path} {:?} -> {}",
                    String::from_utf8_lossy(body),
                    reply.status
                );
            }
        }
    }
    println!("bad input: {tried} requests, all answered 4xx");
    assert_eq!(raw(base, "GET", "/healthz", b"").status, 200, "still serving");
}
