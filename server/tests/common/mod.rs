//! A real server on 127.0.0.1:0 and devices that talk to it, signing their
//! requests with the shared crate (the CLI client is tested elsewhere).

#![allow(dead_code)]

pub mod process;

use std::net::TcpListener;

use serde::de::DeserializeOwned;
use serde_json::Value;
use visitnotes_server::settings::Settings;
use visitnotes_server::RunningServer;
use visitnotes_shared::api::{CreateInvite, EnrolRequest, EnrolResponse, PendingEnrolment};
use visitnotes_shared::envelope::{seal, SealParams, SealedNote};
use visitnotes_shared::invite::Invite;
use visitnotes_shared::note::{Activity, Theme, TracingRequests, VisitNote, SCHEMA_VERSION};
use visitnotes_shared::request::{self, RequestParts};
use visitnotes_shared::roster::{Member, Role, Roster};
use visitnotes_shared::{enrol, DeviceKeys, NoteId, OrgKey, UserId};

pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn value(&self) -> Value {
        self.json()
    }

    /// The `code` of a JSON error body.
    pub fn code(&self) -> String {
        self.value()["code"].as_str().unwrap_or_default().to_owned()
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn reply(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = result.expect("the server answers");
    let status = response.status().as_u16();
    let body = response.body_mut().with_config().limit(64 * 1024 * 1024).read_to_vec().unwrap();
    Reply { status, body }
}

/// An unauthenticated request.
pub fn raw(base: &str, method: &str, path: &str, body: &[u8]) -> Reply {
    let agent = agent();
    let url = format!("{base}{path}");
    match method {
        "GET" => reply(agent.get(&url).call()),
        "POST" => reply(agent.post(&url).content_type("application/json").send(body)),
        "PUT" => reply(agent.put(&url).content_type("application/json").send(body)),
        "DELETE" => reply(agent.delete(&url).call()),
        other => panic!("method {other}"),
    }
}

/// The `/metrics` bearer token of `Settings` from `with_metrics`.
pub const METRICS_TOKEN: &str = "0123456789abcdef0123456789abcdef-tests";

/// `settings` with `/metrics` on, under `METRICS_TOKEN`.
pub fn with_metrics(settings: Settings) -> Settings {
    Settings { metrics_token: Some(visitnotes_server::settings::MetricsToken(METRICS_TOKEN.into())), ..settings }
}

/// The value of one line of `/metrics` (the server runs `with_metrics`).
pub fn metric(base: &str, name: &str) -> u64 {
    let mut response = agent()
        .get(&format!("{base}/metrics"))
        .header("authorization", &format!("Bearer {METRICS_TOKEN}"))
        .call()
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 200, "metrics are on");
    let text = response.body_mut().read_to_string().unwrap();
    let value = text.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(' '));
    value.unwrap_or_else(|| panic!("{name} in {text}")).parse().unwrap()
}

/// Waits until `/metrics` reads `value` for `name`: what a test waits on
/// instead of a sleep. Panics after 60 s, so a slow machine fails loudly
/// rather than testing something else.
pub fn wait_for_metric(base: &str, name: &str, value: u64) {
    let started = std::time::Instant::now();
    loop {
        let now = metric(base, name);
        if now == value {
            return;
        }
        assert!(started.elapsed().as_secs() < 60, "{name} is {now}, not {value}, after 60 s");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

pub struct Dev {
    pub keys: DeviceKeys,
    pub user_id: UserId,
    pub base: String,
    pub seq: u64,
}

/// Headers for a signed request, so tests can also replay or tamper with them.
pub fn signed_headers(
    keys: &DeviceKeys,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> Vec<(&'static str, String)> {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let parts = RequestParts { method, path, query, body };
    let now = chrono::Utc::now().timestamp();
    request::sign(keys, &parts, now).pairs().iter().map(|(k, v)| (*k, v.to_string())).collect()
}

pub fn send_with(base: &str, method: &str, path: &str, body: &[u8], headers: &[(&'static str, String)]) -> Reply {
    let agent = agent();
    let url = format!("{base}{path}");
    match method {
        "GET" => {
            let mut req = agent.get(&url);
            for (k, v) in headers {
                req = req.header(*k, v);
            }
            reply(req.call())
        }
        "POST" | "PUT" => {
            let mut req = if method == "POST" { agent.post(&url) } else { agent.put(&url) };
            for (k, v) in headers {
                req = req.header(*k, v);
            }
            reply(req.content_type("application/json").send(body))
        }
        other => panic!("method {other}"),
    }
}

impl Dev {
    pub fn call(&self, method: &str, path: &str, body: &[u8]) -> Reply {
        let headers = signed_headers(&self.keys, method, path, body);
        send_with(&self.base, method, path, body, &headers)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.call("GET", path, b"")
    }

    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.call("POST", path, body.to_string().as_bytes())
    }

    pub fn upload(&self, notes: &[SealedNote]) -> Reply {
        self.post("/v1/notes", &serde_json::json!({ "notes": notes }))
    }

    /// Seals a new note (revision 1) under `roster`.
    pub fn seal_new(&mut self, roster: &Roster, summary: &str) -> SealedNote {
        self.seq += 1;
        let params = SealParams { note_id: NoteId::random(), revision: 1, prev_hash: None, device_seq: self.seq };
        seal(&note(summary), &params, roster, &self.keys).unwrap()
    }
}

pub fn note(summary: &str) -> VisitNote {
    VisitNote {
        schema_version: SCHEMA_VERSION,
        visit_date: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        units: vec!["Unit A".into()],
        volunteers: 3,
        people_met: 8,
        activities: vec![Activity::Conversation],
        themes: vec![Theme::Food],
        other_themes: vec![],
        concerns: vec![],
        tracing_requests: TracingRequests::default(),
        summary: summary.into(),
        language: "en".into(),
    }
}

/// An organisation on a fresh server: an administrator and its org key.
pub struct Org {
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
    pub org: OrgKey,
    pub roster: Roster,
    pub admin: Dev,
}

#[allow(unused_imports)]
pub use visitnotes_server::testing::{backend_settings, last_database};

/// The environment a server process needs to use the store of `settings`.
pub fn backend_env(settings: &Settings) -> Vec<(&'static str, String)> {
    settings.database_url.iter().map(|url| ("VISITNOTES_SERVER_DATABASE_URL", url.0.clone())).collect()
}

pub fn start(settings: Settings) -> (RunningServer, tempfile::TempDir, Invite) {
    let settings = backend_settings(settings);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let invite = visitnotes_server::init(&data, &settings).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = visitnotes_server::start(&data, settings, listener).unwrap();
    (server, dir, invite)
}

/// Enrols a fresh device with an invite; returns it (pending) and the reply.
pub fn enrol_device(base: &str, invite: &Invite, name: &str) -> (DeviceKeys, Reply) {
    let keys = DeviceKeys::generate();
    let (sk, rcpt) = (keys.signing_key(), keys.age_recipient());
    let token_hash = invite.token_hash();
    let mac = enrol::mac(
        &invite.secret,
        &enrol::EnrolingKeys { token_hash: &token_hash, name, signing_key: &sk, age_recipient: &rcpt },
    );
    let req = EnrolRequest {
        token: visitnotes_shared::hex(&invite.token),
        name: name.into(),
        signing_key: sk,
        age_recipient: rcpt,
        mac,
    };
    let reply = raw(base, "POST", "/v1/enrol", serde_json::to_vec(&req).unwrap().as_slice());
    (keys, reply)
}

impl Org {
    pub fn new() -> Org {
        Org::with_settings(Settings::default())
    }

    pub fn with_settings(settings: Settings) -> Org {
        let (server, dir, invite) = start(settings);
        let base = server.url();
        let (keys, reply) = enrol_device(&base, &invite, "Ada");
        assert_eq!(reply.status, 201, "{}", String::from_utf8_lossy(&reply.body));
        let enrolled: EnrolResponse = reply.json();
        assert!(enrolled.bootstrap);
        let org = OrgKey::generate();
        let admin = Dev { keys, user_id: enrolled.user_id.clone(), base, seq: 0 };
        let roster = Roster {
            version: 1,
            org_key: org.public(),
            issued_at: 0,
            expires_at: None,
            units: vec!["Unit A".into(), "Unit B".into()],
            members: vec![member(&admin, "Ada", &[Role::Admin])],
        };
        let reply = admin.call("PUT", "/v1/roster", serde_json::to_vec(&roster.sign(&org)).unwrap().as_slice());
        assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
        Org { server, dir, org, roster, admin }
    }

    pub fn base(&self) -> String {
        self.server.url()
    }

    pub fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    /// Publishes `roster` as the next version.
    pub fn publish(&mut self, mut roster: Roster) -> Reply {
        roster.version = self.roster.version + 1;
        let reply =
            self.admin.call("PUT", "/v1/roster", serde_json::to_vec(&roster.sign(&self.org)).unwrap().as_slice());
        if reply.status == 200 {
            self.roster = roster;
        }
        reply
    }

    /// Invites, enrols and approves a new member with one device.
    pub fn add(&mut self, name: &str, roles: &[Role]) -> Dev {
        let invite = Invite::generate(&self.base(), Some(self.org.public().digest()));
        let create = CreateInvite {
            token_hash: invite.token_hash(),
            role: roles[0],
            name: name.into(),
            user_id: None,
            expires_in_days: None,
        };
        let reply = self.admin.post("/v1/admin/invites", &serde_json::to_value(&create).unwrap());
        assert_eq!(reply.status, 201, "{}", String::from_utf8_lossy(&reply.body));
        let (keys, reply) = enrol_device(&self.base(), &invite, name);
        assert_eq!(reply.status, 201);
        let enrolled: EnrolResponse = reply.json();
        let pending: Vec<PendingEnrolment> = self.admin.get("/v1/admin/enrolments").json();
        let p = pending.iter().find(|p| p.device_id == enrolled.device_id).expect("listed as pending");
        let ok = enrol::verify_mac(
            &invite.secret,
            &enrol::EnrolingKeys {
                token_hash: &p.token_hash,
                name: &p.name,
                signing_key: &p.signing_key,
                age_recipient: &p.age_recipient,
            },
            &p.mac,
        );
        assert!(ok, "the MAC of a pending enrolment verifies");
        let dev = Dev { keys, user_id: enrolled.user_id, base: self.base(), seq: 0 };
        let mut next = self.roster.clone();
        let mut m = member(&dev, name, roles);
        m.name = name.into();
        next.members.push(m);
        let reply = self.publish(next);
        assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
        dev
    }
}

pub fn member(dev: &Dev, name: &str, roles: &[Role]) -> Member {
    Member::active(dev.user_id.clone(), name, roles, &[&dev.keys])
}

/// A route that parses a request body, and the device that may call it
/// (`None`: unsigned), so that a malformed body reaches the parser.
pub struct BodyRoute<'a> {
    pub method: &'static str,
    pub path: String,
    pub signer: Option<&'a Dev>,
}

/// Every route with a body parser, each with a signer the route lets
/// through to it (an administrator, a leader, a coordinator).
pub fn body_routes<'a>(admin: &'a Dev, leader: &'a Dev, coordinator: &'a Dev) -> Vec<BodyRoute<'a>> {
    let route = |method, path: &str, signer| BodyRoute { method, path: path.to_owned(), signer };
    let admin_device = admin.keys.device_id();
    vec![
        route("POST", "/v1/enrol", None),
        route("PUT", "/v1/roster", Some(admin)),
        route("POST", "/v1/notes", Some(leader)),
        route("POST", "/v1/notes/rewrap", Some(coordinator)),
        route("POST", "/v1/heads", Some(leader)),
        route("POST", "/v1/receipts", Some(coordinator)),
        route("POST", "/v1/admin/invites", Some(admin)),
        route("POST", "/v1/admin/audit/checkpoint", Some(admin)),
        route("PUT", &format!("/v1/admin/org-key-grants/{admin_device}"), Some(admin)),
    ]
}

/// Sends `body` to `route`, signed by its signer, with `content_type`.
pub fn send_body(base: &str, route: &BodyRoute, body: &[u8], content_type: &str) -> Reply {
    let headers = match route.signer {
        Some(dev) => signed_headers(&dev.keys, route.method, &route.path, body),
        None => Vec::new(),
    };
    let url = format!("{base}{}", route.path);
    let agent = agent();
    let mut req = if route.method == "PUT" { agent.put(&url) } else { agent.post(&url) };
    for (k, v) in &headers {
        req = req.header(*k, v);
    }
    reply(req.content_type(content_type).send(body))
}

/// The codes of `ApiError` and their statuses (server/src/error.rs).
const CODES: &[(&str, u16)] = &[
    ("bad_request", 400),
    ("bad_json", 400),
    ("unauthorized", 401),
    ("invite_invalid", 401),
    ("forbidden", 403),
    ("not_found", 404),
    ("conflict", 409),
    ("method_not_allowed", 405),
    ("too_large", 413),
    ("quota_exceeded", 413),
    ("rate_limited", 429),
    ("too_early", 425),
];

/// Asserts `reply` is a 4xx whose body is the JSON error `{code, message}`,
/// the code one of the server's with the status it stands for, the
/// message a sentence; returns it.
pub fn json_error(reply: &Reply, what: &str) -> visitnotes_shared::api::ApiError {
    assert!((400..500).contains(&reply.status), "{what}: {} {}", reply.status, String::from_utf8_lossy(&reply.body));
    let error: visitnotes_shared::api::ApiError = serde_json::from_slice(&reply.body)
        .unwrap_or_else(|e| panic!("{what}: {e}: not a JSON error: {}", String::from_utf8_lossy(&reply.body)));
    let status = CODES.iter().find(|(code, _)| *code == error.code).map(|(_, status)| *status);
    assert_eq!(status, Some(reply.status), "{what}: code {:?} with status {}", error.code, reply.status);
    assert!(error.message.len() > 10, "{what}: message {:?}", error.message);
    error
}

/// An age file for one X25519 recipient, as a client seals the
/// organisation key to an administrator's device.
pub fn sealed_to(recipient: &str, payload: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let recipient: age::x25519::Recipient = recipient.parse().unwrap();
    let mut out = Vec::new();
    let mut writer = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .unwrap()
        .wrap_output(&mut out)
        .unwrap();
    writer.write_all(payload).unwrap();
    writer.finish().unwrap();
    out
}
