//! A structured fuzz pass (proptest) of the server's request parsers, on a
//! real server on 127.0.0.1:0: every route's body parser and the
//! signed-request header parser get generated inputs that pass the gates
//! before them (a valid signature by a device the route lets through, on a
//! malformed body; a well-formed body with one hostile value: huge,
//! negative, empty, overlong, wrong hex or base64, the wrong type, a field
//! missing, an element twice). Every answer must be a 4xx with the JSON
//! error body (`common::json_error`), and the server must still answer.
//!
//! `VISITNOTES_FUZZ_CASES` sets the cases per property (default 256: the
//! whole file runs in seconds on the 2-core machine), `VISITNOTES_FUZZ_SEED`
//! other cases than the fixed ones.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};
use visitnotes_server::settings::Settings;
use visitnotes_shared::api::{AuditEntry, CreateInvite, EnrolRequest};
use visitnotes_shared::audit::Checkpoint;
use visitnotes_shared::head::DeviceHead;
use visitnotes_shared::invite::Invite;
use visitnotes_shared::receipt::{Receipt, Receipts};
use visitnotes_shared::request;
use visitnotes_shared::roster::Role;
use visitnotes_shared::{enrol, DeviceKeys};

fn cases() -> u32 {
    std::env::var("VISITNOTES_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

/// Deterministic (the same cases on every run, so a failure replays);
/// `VISITNOTES_FUZZ_SEED=N` picks other cases.
fn runner() -> TestRunner {
    use proptest::test_runner::{RngAlgorithm, TestRng};
    let config = Config { cases: cases(), failure_persistence: None, ..Config::default() };
    let rng = match std::env::var("VISITNOTES_FUZZ_SEED").ok().and_then(|v| v.parse::<u64>().ok()) {
        Some(seed) => {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
        }
        None => TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    };
    TestRunner::new_with_rng(config, rng)
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// An organisation with a leader and a coordinator, under rate limits the
/// fuzz pass does not reach.
fn org() -> (Org, Dev, Dev) {
    let settings = Settings { rate_per_ip: 100_000, rate_per_device: 100_000, ..Settings::default() };
    let mut org = Org::with_settings(settings);
    let leader = org.add("Bo", &[Role::Leader]);
    let coordinator = org.add("Cy", &[Role::Coordinator]);
    (org, leader, coordinator)
}

fn still_serving(base: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(raw(base, "GET", "/healthz", b"").status, 200, "the server still answers");
    Ok(())
}

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A malformed body: random JSON, random bytes, or JSON cut short.
fn malformed_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any_json().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..200),
        (any_json(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let text = v.to_string().into_bytes();
            text[..cut.index(text.len().max(1)).min(text.len())].to_vec()
        }),
    ]
}

/// A hostile value for one field.
fn hostile_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(-1)),
        Just(json!(1e300)),
        Just(json!(-0.5)),
        Just(json!(0)),
        Just(json!("")),
        Just(json!("zz")),
        Just(json!("g".repeat(64))),
        Just(json!("not base64!")),
        Just(json!("\u{0}")),
        Just(json!("../../etc/passwd")),
        Just(json!("' OR 1=1 --")),
        (1usize..200_000).prop_map(|n| json!("a".repeat(n))),
        Just(json!(null)),
        Just(json!(true)),
        Just(json!([])),
        Just(json!({})),
        any::<i64>().prop_map(Value::from),
        "[0-9a-f]{1,80}".prop_map(Value::from),
    ]
}

/// One change to a well-formed body.
#[derive(Debug, Clone)]
enum Change {
    /// The leaf at this (wrapping) index gets a hostile value.
    Replace(prop::sample::Index, Value),
    /// The leaf at this index gets a hostile value of its own type (a
    /// number for a number, a string for a string), picked by the second.
    Typed(prop::sample::Index, prop::sample::Index),
    /// An element of an array at this index is there twice.
    Duplicate(prop::sample::Index),
    /// A field of an object at this index is removed.
    Remove(prop::sample::Index),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (any::<prop::sample::Index>(), hostile_value()).prop_map(|(i, v)| Change::Replace(i, v)),
        3 => (any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(i, k)| Change::Typed(i, k)),
        1 => any::<prop::sample::Index>().prop_map(Change::Duplicate),
        1 => any::<prop::sample::Index>().prop_map(Change::Remove),
    ]
}

/// JSON pointers to every node of `value` that `keep` allows.
fn pointers(value: &Value, at: String, out: &mut Vec<(String, Value)>) {
    out.push((at.clone(), value.clone()));
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

/// Applies `change` to `template`; `free` names the fields where any value
/// of the right type is valid (a person's name): those are left alone.
/// Returns the body and what was changed.
fn apply(template: &Value, change: &Change, free: &[&str]) -> (Value, String) {
    let mut nodes = Vec::new();
    pointers(template, String::new(), &mut nodes);
    let mut body = template.clone();
    let pick = |kind: fn(&Value) -> bool, i: &prop::sample::Index| {
        let fits: Vec<&String> = nodes
            .iter()
            .filter(|(p, v)| kind(v) && !free.iter().any(|f| p.ends_with(&format!("/{f}"))))
            .map(|(p, _)| p)
            .collect();
        (!fits.is_empty()).then(|| fits[i.index(fits.len())].clone())
    };
    match change {
        Change::Replace(i, value) => {
            let leaf = pick(|v| !v.is_array() && !v.is_object(), i).expect("a template has leaves");
            *body.pointer_mut(&leaf).unwrap() = value.clone();
            (body, format!("{leaf} = {}", truncated(value)))
        }
        Change::Typed(i, k) => {
            let leaf = pick(|v| !v.is_array() && !v.is_object(), i).expect("a template has leaves");
            let value = template.pointer(&leaf).unwrap();
            let values = typed_hostile(value);
            let hostile = values[k.index(values.len())].clone();
            *body.pointer_mut(&leaf).unwrap() = hostile.clone();
            (body, format!("{leaf} = {}", truncated(&hostile)))
        }
        Change::Duplicate(i) => match pick(|v| v.as_array().is_some_and(|a| !a.is_empty()), i) {
            Some(array) => {
                let items = body.pointer_mut(&array).unwrap().as_array_mut().unwrap();
                items.push(items[0].clone());
                (body, format!("{array}/0 twice"))
            }
            None => apply(template, &Change::Remove(*i), free),
        },
        Change::Remove(i) => {
            // A field that is null is the same as one left out.
            let field = pick(|v| !v.is_null(), i)
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| nodes.iter().map(|(p, _)| p.clone()).find(|p| p.matches('/').count() == 1).unwrap());
            let (parent, key) = field.rsplit_once('/').unwrap();
            match body.pointer_mut(parent).unwrap() {
                Value::Object(map) => {
                    map.remove(key);
                }
                Value::Array(items) => {
                    items.remove(key.parse::<usize>().unwrap());
                }
                _ => unreachable!(),
            }
            (body, format!("{field} removed"))
        }
    }
}

/// Hostile values of `value`'s own type.
fn typed_hostile(value: &Value) -> Vec<Value> {
    match value {
        Value::Number(n) => {
            let n = n.as_i64().unwrap_or(0);
            vec![
                json!(0),
                json!(-1),
                json!(u64::MAX),
                json!(i64::MIN),
                json!(i64::MAX),
                json!(n + 1),
                json!(n - 1),
                json!(1e300),
                json!(0.5),
            ]
        }
        Value::String(text) => {
            let mut wrong_hex = text.clone();
            wrong_hex.pop();
            wrong_hex.push('g');
            vec![
                json!(""),
                json!("zz"),
                json!("0".repeat(text.len())),
                json!(wrong_hex),
                json!(text.to_uppercase()),
                json!(format!("{text}{text}")),
                json!(text.chars().take(text.chars().count() / 2).collect::<String>()),
                json!("a".repeat(100_000)),
                json!("\u{0}".repeat(text.len().max(1))),
                json!("é".repeat(text.len().max(1))),
            ]
        }
        Value::Bool(b) => vec![json!(!b)],
        _ => vec![json!(0), json!(u64::MAX), json!(""), json!("zz"), json!("0".repeat(64))],
    }
}

fn truncated(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 40 {
        format!("{}... ({} bytes)", text.chars().take(40).collect::<String>(), text.len())
    } else {
        text
    }
}

/// A well-formed body for each route of `body_routes`, in its order, and
/// the fields where any string is valid. Each is sent once as it is first
/// (see `templates_are_well_formed`).
fn templates(org: &Org, leader: &mut Dev, coordinator: &Dev) -> Vec<(Value, &'static [&'static str])> {
    let stranger = DeviceKeys::generate();
    // An invite the server never saw: an enrolment can never succeed.
    let invite = Invite::generate(&org.base(), Some(org.org.public().digest()));
    let (sk, rcpt) = (stranger.signing_key(), stranger.age_recipient());
    let mac = enrol::mac(
        &invite.secret,
        &enrol::EnrolingKeys { token_hash: &invite.token_hash(), name: "Eve", signing_key: &sk, age_recipient: &rcpt },
    );
    let enrolment = EnrolRequest {
        token: visitnotes_shared::hex(&invite.token),
        name: "Eve".into(),
        signing_key: sk,
        age_recipient: rcpt,
        mac,
    };
    let mut next = org.roster.clone();
    next.version += 1;
    let roster = next.sign(&org.org);
    let note = leader.seal_new(&org.roster, "fuzz");
    let rewrapped = visitnotes_shared::rewrap::rewrap(&note, coordinator.keys.age_identity(), &next, &coordinator.keys);
    let rewrap = json!({ "notes": [rewrapped.unwrap()] });
    let (note_seq, note_hash) = (note.header.device_seq, visitnotes_shared::hex(&note.hash()));
    let batch = json!({ "notes": [note] });
    let head = DeviceHead {
        device_id: leader.keys.device_id(),
        last_seq: note_seq,
        chain_hash: note_hash.clone(),
        roster_version: org.roster.version,
        signed_at: now(),
    }
    .sign(&leader.keys);
    let receipt = Receipt {
        reader: coordinator.keys.device_id(),
        device_id: leader.keys.device_id(),
        through_seq: note_seq,
        missing: vec![],
        chain_hash: note_hash.clone(),
        roster_version: org.roster.version,
        signed_at: now(),
    }
    .sign(&coordinator.keys);
    let create = CreateInvite {
        token_hash: Invite::generate(&org.base(), None).token_hash(),
        role: Role::Leader,
        name: "Fi".into(),
        user_id: None,
        expires_in_days: Some(7),
    };
    let entries: Vec<AuditEntry> = org.admin.get("/v1/admin/audit").json();
    let last = entries.last().unwrap();
    let checkpoint = Checkpoint::sign(last.seq, &last.hash, now(), next.version, &org.admin.keys);
    let grant = visitnotes_shared::api::GrantOrgKey { sealed: sealed_to(&org.admin.keys.age_recipient(), b"key") };
    let to_value = |v: &dyn erased::Json| v.value();
    vec![
        (to_value(&enrolment), &[][..]),
        (to_value(&roster), &[][..]),
        (batch, &[][..]),
        (rewrap, &[][..]),
        (to_value(&head), &[][..]),
        (to_value(&Receipts { receipts: vec![receipt] }), &[][..]),
        (to_value(&create), &["name"][..]),
        (to_value(&checkpoint), &[][..]),
        (to_value(&grant), &[][..]),
    ]
}

mod erased {
    pub trait Json {
        fn value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Json for T {
        fn value(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap()
        }
    }
}

/// What the invite route takes (server/src/http/routes/admin.rs): any
/// name, a new token hash of 64 lowercase hex digits, 1 to 90 days or
/// the default, no user (a new one).
fn valid_invite(body: &Value) -> bool {
    serde_json::from_value::<CreateInvite>(body.clone()).is_ok_and(|invite| {
        invite.token_hash.len() == 64
            && invite.token_hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && invite.expires_in_days.is_none_or(|days| (1..=90).contains(&days))
            && invite.user_id.is_none()
    })
}

/// What the grant route takes: the server cannot open a grant, so any age
/// file of X25519 stanzas up to 4 KiB (here: the one sealed twice over).
fn valid_grant(body: &Value) -> bool {
    serde_json::from_value::<visitnotes_shared::api::GrantOrgKey>(body.clone())
        .is_ok_and(|grant| grant.sealed.len() <= 4096 && visitnotes_shared::age_header::read(&grant.sealed).is_ok())
}

/// Guards every route's body parser (`http::body::json`,
/// `json_or_postcard`) behind a valid signature: random JSON, random bytes
/// and JSON cut short get 400 (`bad_json`, or `bad_request` for one that
/// parses into a body the route refuses) with the JSON error body, in JSON
/// and in the binary (postcard) form of uploads.
#[test]
fn signed_malformed_bodies_get_a_json_400() {
    let (org, leader, coordinator) = org();
    let base = org.base();
    let routes = body_routes(&org.admin, &leader, &coordinator);
    let mut runner = runner();
    let strategy = (0..routes.len() + 1, malformed_body());
    runner
        .run(&strategy, |(i, body)| {
            let (route, content_type) = match routes.get(i) {
                Some(route) => (route, "application/json"),
                None => (&routes[2], visitnotes_shared::api::POSTCARD),
            };
            let what = format!("{} {} ({content_type}) {:?}", route.method, route.path, String::from_utf8_lossy(&body));
            let error = json_error(&send_body(&base, route, &body, content_type), &what);
            // A random body may still parse (`[[]]` is an upload batch of
            // no notes: serde takes a struct's fields from an array too) and
            // then be refused for what it holds.
            prop_assert!(["bad_json", "bad_request"].contains(&error.code.as_str()), "{}: {:?}", what, error);
            still_serving(&base)
        })
        .unwrap();
}

/// Guards the checks after the body parser: each route's well-formed body
/// with one hostile value, a field removed or an element twice, signed
/// properly, is refused with a 4xx and the JSON error body (a signed
/// structure by its signature, the rest by the route's own checks), never
/// a 5xx, and the server still answers. Each template is first shown to be
/// accepted as it is (enrolment: refused only for its unknown invite).
#[test]
fn well_formed_bodies_with_hostile_values_get_a_json_4xx() {
    let (org, mut leader, coordinator) = org();
    let base = org.base();
    let templates = templates(&org, &mut leader, &coordinator);
    let routes = body_routes(&org.admin, &leader, &coordinator);
    assert_eq!(routes.len(), templates.len());
    // Each template as it is: accepted, so that its one change is what is
    // refused (the enrolment names an invite the server never made).
    for (route, (template, _)) in routes.iter().zip(&templates) {
        let reply = send_body(&base, route, template.to_string().as_bytes(), "application/json");
        if route.signer.is_none() {
            assert_eq!(json_error(&reply, &route.path).code, "invite_invalid");
        } else {
            assert!((200..300).contains(&reply.status), "{} {}: {}", route.method, route.path, reply.value());
        }
    }
    let outcomes = std::cell::RefCell::new(std::collections::BTreeMap::<String, usize>::new());
    let mut runner = runner();
    let strategy = (0..routes.len(), change());
    runner
        .run(&strategy, |(i, change)| {
            let (template, free) = &templates[i];
            let (body, changed) = apply(template, &change, free);
            if body == *template {
                return Ok(());
            }
            let route = &routes[i];
            let reply = send_body(&base, route, body.to_string().as_bytes(), "application/json");
            let what = format!("{} {} {changed}", route.method, route.path);
            // An element twice may be taken as the idempotent retry it is
            // (a note or a receipt sent again).
            let duplicate = matches!(change, Change::Duplicate(_)) && changed.ends_with("twice");
            // An invite: no expiry or user given (the defaults), or another
            // token hash of the right form, is a valid invite.
            let valid_invite = route.path == "/v1/admin/invites" && valid_invite(&body)
                || route.path.starts_with("/v1/admin/org-key-grants/") && valid_grant(&body);
            if !((duplicate || valid_invite) && (200..300).contains(&reply.status)) {
                let error = json_error(&reply, &what);
                *outcomes.borrow_mut().entry(format!("{} {}", reply.status, error.code)).or_default() += 1;
            }
            still_serving(&base)
        })
        .unwrap();
    println!("hostile values: {:?}", outcomes.borrow());
}

/// Guards the signed-request header parser (`ParsedAuth::parse`) and the
/// checks after it: one of the four headers missing, replaced by a hostile
/// value, or a timestamp anywhere outside the skew window signed properly;
/// every one gets 401 `unauthorized` with the JSON error body, the request
/// otherwise valid (the same headers unchanged are accepted).
#[test]
fn hostile_signature_headers_get_a_json_401() {
    let (org, leader, _) = org();
    let base = org.base();
    let names = [request::HEADER_DEVICE, request::HEADER_TIMESTAMP, request::HEADER_NONCE, request::HEADER_SIGNATURE];
    let hostile = prop_oneof![
        "[ -~]{0,100}",
        "[0-9a-f]{0,80}",
        "[A-Za-z0-9]{15,65}",
        "[A-Za-z0-9+/=]{0,120}",
        any::<i64>().prop_map(|n| n.to_string()),
        Just(u64::MAX.to_string() + "0"),
        (1usize..6000).prop_map(|n| "A".repeat(n)),
    ];
    let skewed = any::<i64>().prop_filter("outside the window", |t| t.abs_diff(now()) > 310);
    let strategy = prop_oneof![
        (0..4usize, prop::option::of(hostile)).prop_map(|(i, v)| (i, v, None)),
        skewed.prop_map(|t| (1, None, Some(t))),
    ];
    let mut runner = runner();
    runner
        .run(&strategy, |(i, value, timestamp)| {
            let parts = request::RequestParts { method: "GET", path: "/v1/heads", query: "", body: b"" };
            let signed = request::sign(&leader.keys, &parts, timestamp.unwrap_or_else(now));
            let mut headers: Vec<(&'static str, String)> =
                signed.pairs().iter().map(|(k, v)| (*k, v.to_string())).collect();
            let what = match (&value, timestamp) {
                (_, Some(t)) => format!("timestamp {t}, signed"),
                (Some(v), None) if headers[i].1 == *v => return Ok(()),
                (Some(v), None) => {
                    headers[i].1 = v.clone();
                    format!("{} = {}", names[i], truncated(&json!(v)))
                }
                (None, None) => {
                    headers.remove(i);
                    format!("{} missing", names[i])
                }
            };
            let error = json_error(&send_with(&base, "GET", "/v1/heads", b"", &headers), &what);
            prop_assert_eq!(error.code.as_str(), "unauthorized", "{}", what);
            still_serving(&base)
        })
        .unwrap();
    assert_eq!(leader.get("/v1/heads").status, 200, "the same request, signed, is accepted");
}
