//! Bad input against the server binary: a 1 GiB chunked body is cut off
//! with 413 while the server's memory stays flat, a flood gets 429, and no
//! malformed request gets a 5xx.

mod common;

use common::process::{send_chunked, ServerProcess};
use common::{backend_env, backend_settings, body_routes, json_error, raw, send_body, Org};
use visitnotes_server::settings::Settings;
use visitnotes_shared::roster::Role;

#[test]
fn a_1_gib_chunked_upload_gets_413_and_memory_stays_flat() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let settings = backend_settings(Settings::default());
    visitnotes_server::init(&data, &settings).unwrap();
    let env = backend_env(&settings);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = ServerProcess::spawn(&data, "127.0.0.1:0", &env);
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
    let settings = backend_settings(Settings::default());
    visitnotes_server::init(&data, &settings).unwrap();
    let env = backend_env(&settings);
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.push(("VISITNOTES_SERVER_RATE_PER_IP", "2"));
    let server = ServerProcess::spawn(&data, "127.0.0.1:0", &env);
    let statuses: Vec<u16> = (0..200).map(|_| raw(&server.base, "GET", "/healthz", b"").status).collect();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    println!("flood: {} requests, {limited} answered 429", statuses.len());
    assert!(limited > 100, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429));
}

/// Malformed, hostile and odd requests never get a 5xx, and every answer
/// is a 4xx with the JSON error body `{code, message}` (its code the one
/// for its status). Most requests are signed by a device the route lets
/// through, so they reach the body parser (`http::body::json`,
/// `json_or_postcard`), the path and query parsers: guards that a parse
/// error is a 400 `bad_json`/`bad_request` (the sweep fails when
/// `body::json` maps its error to anything else), and that the refusals
/// before it (401, 404, 405) answer JSON too.
#[test]
fn bad_input_never_gets_a_5xx() {
    let mut org = Org::new();
    let leader = org.add("Bo", &[Role::Leader]);
    let coordinator = org.add("Cy", &[Role::Coordinator]);
    let base = org.base();
    let bodies: Vec<&[u8]> = vec![
        b"",
        b"{",
        b"null",
        b"[]",
        b"\"x\"",
        b"{}",
        b"{\"notes\":\"'; DROP TABLE notes; --\"}",
        b"{\"token\":\"' OR 1=1 --\",\"name\":\"x\",\"signing_key\":\"AA==\",\"age_recipient\":\"age1\",\"mac\":\"AA==\"}",
        b"\xff\xfe\xfd",
        b"{\"notes\":[{\"header\":{}}]}",
        b"{\"a\":1e999999}",
        b"{\"receipts\":[{}],\"head\":{},\"sealed\":\"not base64!\",\"entries\":-1}",
        b"{\"notes\":[],\"notes\":[]}",
        b"[{\"version\":18446744073709551616}]",
        b"{\"version\":1,\"roster\":null,\"signature\":\"\"}",
    ];
    let (mut tried, mut parsed) = (0, 0);
    let routes = body_routes(&org.admin, &leader, &coordinator);
    for route in &routes {
        for body in &bodies {
            let what = format!("{} {} {:?}", route.method, route.path, String::from_utf8_lossy(body));
            let error = json_error(&send_body(&base, route, body, "application/json"), &what);
            assert_eq!(error.code, "bad_json", "{what}");
            assert!(error.message.starts_with("the request body is not valid"), "{what}: {}", error.message);
            tried += 1;
            parsed += 1;
        }
    }
    // The binary form of uploads.
    let upload = &routes[2];
    for body in &bodies {
        let what = format!("postcard {:?}", String::from_utf8_lossy(body));
        let error = json_error(&send_body(&base, upload, body, visitnotes_shared::api::POSTCARD), &what);
        assert_eq!(error.code, "bad_json", "{what}");
        assert!(error.message.contains("postcard"), "{what}: {}", error.message);
        tried += 1;
        parsed += 1;
    }
    // Signed, with a malformed path or query: the path and query parsers.
    for (method, path) in [
        ("POST", "/v1/admin/devices/..%2F..%2Fetc%2Fpasswd/revoke"),
        ("POST", "/v1/admin/users/1%27%20OR%201=1/remove"),
        ("POST", "/v1/admin/enrolments/%00/reject"),
        ("PUT", "/v1/admin/org-key-grants/zz"),
        ("GET", "/v1/notes?since=abc&limit=-5"),
        ("GET", "/v1/notes?since=18446744073709551616"),
        ("GET", "/v1/notes?limit=0"),
        ("GET", "/v1/notes?format=%ff"),
        ("GET", "/v1/notes?unknown=1"),
        ("POST", "/v1/notes?after=-1"),
        ("GET", "/v1/admin/audit?since=-1"),
        ("GET", "/v1/admin/audit?limit=x"),
    ] {
        let body: &[u8] = if method == "GET" { b"" } else { b"{}" };
        let reply = org.admin.call(method, path, body);
        let error = json_error(&reply, &format!("{method} {path}"));
        assert!(["bad_request", "bad_json"].contains(&error.code.as_str()), "{method} {path}: {error:?}");
        tried += 1;
        parsed += 1;
    }
    // Unsigned, unknown routes, other methods: refused before any parser,
    // with the JSON error all the same.
    let paths = ["/v1/notes", "/v1/admin/invites", "/../../etc/passwd", "/v1/%00", "/v1/notes/rewrap/x"];
    for path in paths {
        for method in ["GET", "POST", "PUT", "DELETE"] {
            for body in &bodies[..3] {
                json_error(&raw(&base, method, path, body), &format!("{method} {path}"));
                tried += 1;
            }
        }
    }
    println!("bad input: {tried} requests, all answered 4xx with a JSON error; {parsed} reached a parser");
    assert!(parsed * 3 >= tried * 2, "most requests reach a parser: {parsed} of {tried}");
    assert_eq!(raw(&base, "GET", "/healthz", b"").status, 200, "still serving");
}

// The same on PostgreSQL (`VISITNOTES_TEST_POSTGRES_URL`).
visitnotes_server::on_postgres_too!(
    a_1_gib_chunked_upload_gets_413_and_memory_stays_flat,
    a_flood_gets_429_and_nothing_gets_a_5xx,
    bad_input_never_gets_a_5xx,
);
