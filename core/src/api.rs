//! The HTTP client for the server's `/v1` API: one typed method per
//! endpoint, each request signed with the device key (shared crate's
//! request signing), JSON errors turned into `ApiClientError`.
//!
//! One `Api` holds one `reqwest` client, so its connections are reused:
//! over TLS the client offers HTTP/2 (ALPN), and the uploads that
//! `Api::pipelined` keeps in flight share one connection. The paths of the
//! API are written here and nowhere else in the client.

use std::io::Read;
use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use visitnotes_shared::api::{
    ApiError, AuditEntry, CreateInvite, EnrolRequest, EnrolResponse, GrantOrgKey, InviteCreated, OrgInfo, OrgKeyGrant,
    PendingEnrolment, PullResponse, UploadBatch, UploadBatchRef, UploadResponse, UploadResult, UserInfo,
};
use visitnotes_shared::audit::Checkpoint;
use visitnotes_shared::head::{Heads, SignedHead};
use visitnotes_shared::receipt::{Receipts, SignedReceipt};
use visitnotes_shared::request::{self, RequestParts};
use visitnotes_shared::roster::SignedRoster;
use visitnotes_shared::{DeviceId, DeviceKeys, SealedNote, UserId};

/// The largest answer read (a pull page of big notes stays well below).
const RESPONSE_LIMIT: u64 = 256 * 1024 * 1024;
/// The most room made for an answer before it arrives.
const RESERVE_AT_MOST: u64 = 16 * 1024 * 1024;
/// Long enough for a full batch on a slow link; a request past it fails
/// and is retried by the next sync.
const TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug, thiserror::Error)]
pub enum ApiClientError {
    #[error("cannot set up the HTTP client")]
    Setup(#[source] reqwest::Error),
    #[error("cannot reach the server at {url}. Check the network; nothing was lost, try again later")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the connection to the server at {url} broke off. Check the network; nothing was lost, try again later")]
    Interrupted {
        url: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the server refused the request ({status} {code}): {message}")]
    Refused { status: u16, code: String, message: String },
    /// 507 `storage_full`: the server stored nothing; the same request
    /// succeeds once its operator has freed space.
    #[error("the server's disk is full: your notes stay in your outbox; tell the server's operator, then sync again")]
    ServerFull,
    #[error("the server's answer is not valid")]
    Undecodable(#[source] Decode),
    #[error("the server's answer is not valid: {0}")]
    BadResponse(String),
    #[error("the request could not be encoded")]
    Encode(#[source] postcard::Error),
}

/// Why an answer could not be read, in the form it came in.
#[derive(Debug, thiserror::Error)]
pub enum Decode {
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Postcard(#[from] postcard::Error),
}

impl ApiClientError {
    /// A stable snake_case code for `--json` errors (see `ClientError::code`).
    pub fn code(&self) -> &'static str {
        match self {
            ApiClientError::Setup(_) => "http_setup",
            ApiClientError::Unreachable { .. } => "server_unreachable",
            ApiClientError::Interrupted { .. } => "connection_interrupted",
            ApiClientError::Refused { .. } => "server_refused",
            ApiClientError::ServerFull => "server_storage_full",
            ApiClientError::Undecodable(_) | ApiClientError::BadResponse(_) => "bad_server_response",
            ApiClientError::Encode(_) => "encode_failed",
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiClientError::Refused { status, .. } => Some(*status),
            ApiClientError::ServerFull => Some(507),
            _ => None,
        }
    }
}

/// The answer to a revocation: the last sequence number the server stored
/// from the device, through which its notes stay trusted.
#[derive(Deserialize)]
struct Revoked {
    last_seq: u64,
}

/// The answer to a rewrap: how many stored copies were replaced.
#[derive(Deserialize)]
struct Rewrapped {
    replaced: u64,
}

pub struct Api {
    base: String,
    client: reqwest::blocking::Client,
}

impl Api {
    pub fn new(base: &str) -> Result<Api, ApiClientError> {
        let client = reqwest::blocking::Client::builder().timeout(TIMEOUT).build().map_err(ApiClientError::Setup)?;
        Ok(Api { base: base.trim_end_matches('/').to_owned(), client })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn org(&self) -> Result<OrgInfo, ApiClientError> {
        self.send_prepared(Prepared::new(None, Method::GET, "/v1/org", String::new(), Vec::new(), JSON))
    }

    pub fn enrol(&self, req: &EnrolRequest) -> Result<EnrolResponse, ApiClientError> {
        self.send_prepared(Prepared::new(None, Method::POST, "/v1/enrol", String::new(), to_json(req), JSON))
    }

    pub fn roster(&self, keys: &DeviceKeys) -> Result<SignedRoster, ApiClientError> {
        self.get(keys, "/v1/roster", String::new())
    }

    pub fn publish_roster(&self, keys: &DeviceKeys, signed: &SignedRoster) -> Result<(), ApiClientError> {
        let _: serde::de::IgnoredAny = self.send_json(keys, Method::PUT, "/v1/roster", signed)?;
        Ok(())
    }

    /// Uploads one batch and returns the server's acknowledgement of each
    /// of its notes, in order (checked by `acknowledged`).
    pub fn upload(
        &self,
        keys: &DeviceKeys,
        notes: &[&SealedNote],
        after: Option<u64>,
    ) -> Result<Vec<UploadResult>, ApiClientError> {
        let answer = self.send_prepared(Prepared::upload(keys, &UploadBatchRef { notes: notes.to_vec() }, after)?)?;
        acknowledged(notes.iter().copied(), answer)
    }

    /// One page of the notes stored after sequence number `since`, in the
    /// binary form.
    pub fn pull(&self, keys: &DeviceKeys, since: u64, limit: u32) -> Result<PullResponse, ApiClientError> {
        self.get(keys, "/v1/notes", format!("since={since}&limit={limit}&format=postcard"))
    }

    /// Uploads this device's signed head.
    pub fn put_head(&self, keys: &DeviceKeys, head: &SignedHead) -> Result<(), ApiClientError> {
        let _: serde::de::IgnoredAny = self.send_json(keys, Method::POST, "/v1/heads", head)?;
        Ok(())
    }

    /// Every device's newest signed head, as the server serves them (unverified).
    pub fn heads(&self, keys: &DeviceKeys) -> Result<Vec<SignedHead>, ApiClientError> {
        let answer: Heads = self.get(keys, "/v1/heads", String::new())?;
        Ok(answer.heads)
    }

    /// Uploads this coordinator's device's signed receipts.
    pub fn put_receipts(&self, keys: &DeviceKeys, receipts: &Receipts) -> Result<(), ApiClientError> {
        let _: serde::de::IgnoredAny = self.send_json(keys, Method::POST, "/v1/receipts", receipts)?;
        Ok(())
    }

    /// The receipts about this user's devices, as the server serves them (unverified).
    pub fn receipts(&self, keys: &DeviceKeys) -> Result<Vec<SignedReceipt>, ApiClientError> {
        let answer: Receipts = self.get(keys, "/v1/receipts", String::new())?;
        Ok(answer.receipts)
    }

    /// Replaces stored copies with rewrapped ones; how many were replaced.
    pub fn rewrap(&self, keys: &DeviceKeys, batch: &UploadBatch) -> Result<u64, ApiClientError> {
        let answer: Rewrapped = self.send_json(keys, Method::POST, "/v1/notes/rewrap", batch)?;
        Ok(answer.replaced)
    }

    pub fn create_invite(&self, keys: &DeviceKeys, invite: &CreateInvite) -> Result<InviteCreated, ApiClientError> {
        self.send_json(keys, Method::POST, "/v1/admin/invites", invite)
    }

    pub fn enrolments(&self, keys: &DeviceKeys) -> Result<Vec<PendingEnrolment>, ApiClientError> {
        self.get(keys, "/v1/admin/enrolments", String::new())
    }

    pub fn users(&self, keys: &DeviceKeys) -> Result<Vec<UserInfo>, ApiClientError> {
        self.get(keys, "/v1/admin/users", String::new())
    }

    /// Revokes `device` on the server; the last sequence number it stored
    /// from that device.
    pub fn revoke(&self, keys: &DeviceKeys, device: &DeviceId) -> Result<u64, ApiClientError> {
        let path = format!("/v1/admin/devices/{device}/revoke");
        let answer: Revoked = self.send_json(keys, Method::POST, &path, &serde_json::json!({}))?;
        Ok(answer.last_seq)
    }

    /// Deletes a pending enrolment that will not be approved.
    pub fn reject(&self, keys: &DeviceKeys, device: &DeviceId) -> Result<(), ApiClientError> {
        let path = format!("/v1/admin/enrolments/{device}/reject");
        let _: serde::de::IgnoredAny = self.send_json(keys, Method::POST, &path, &serde_json::json!({}))?;
        Ok(())
    }

    pub fn remove(&self, keys: &DeviceKeys, user: &UserId) -> Result<(), ApiClientError> {
        let path = format!("/v1/admin/users/{user}/remove");
        let _: serde::de::IgnoredAny = self.send_json(keys, Method::POST, &path, &serde_json::json!({}))?;
        Ok(())
    }

    /// Hands the organisation key, sealed to `device`'s age key, to the
    /// server for that administrator's device to pick up.
    pub fn grant_org_key(&self, keys: &DeviceKeys, device: &DeviceId, sealed: &[u8]) -> Result<(), ApiClientError> {
        let path = format!("/v1/admin/org-key-grants/{device}");
        let _: serde::de::IgnoredAny =
            self.send_json(keys, Method::PUT, &path, &GrantOrgKey { sealed: sealed.to_vec() })?;
        Ok(())
    }

    /// The devices the organisation key has been sealed to.
    pub fn org_key_grants(&self, keys: &DeviceKeys) -> Result<Vec<DeviceId>, ApiClientError> {
        self.get(keys, "/v1/admin/org-key-grants", String::new())
    }

    /// The organisation key sealed to this device, if one waits for it.
    pub fn org_key_grant(&self, keys: &DeviceKeys) -> Result<Option<OrgKeyGrant>, ApiClientError> {
        match self.get(keys, "/v1/org-key-grant", String::new()) {
            Ok(grant) => Ok(Some(grant)),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The server's audit log from entry `since` on.
    pub fn audit(&self, keys: &DeviceKeys, since: u64) -> Result<Vec<AuditEntry>, ApiClientError> {
        self.get(keys, "/v1/admin/audit", format!("since={since}"))
    }

    /// Up to `limit` (at most 10,000) entries of the audit log after entry `since`.
    pub fn audit_page(&self, keys: &DeviceKeys, since: u64, limit: u32) -> Result<Vec<AuditEntry>, ApiClientError> {
        self.get(keys, "/v1/admin/audit", format!("since={since}&limit={limit}"))
    }

    /// The newest checkpoint of the audit log the server holds, if any.
    pub fn audit_checkpoint(&self, keys: &DeviceKeys) -> Result<Option<Checkpoint>, ApiClientError> {
        match self.get(keys, "/v1/admin/audit/checkpoint", String::new()) {
            Ok(checkpoint) => Ok(Some(checkpoint)),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Stores a checkpoint this device signed.
    pub fn add_audit_checkpoint(&self, keys: &DeviceKeys, checkpoint: &Checkpoint) -> Result<(), ApiClientError> {
        let _: serde::de::IgnoredAny = self.send_json(keys, Method::POST, "/v1/admin/audit/checkpoint", checkpoint)?;
        Ok(())
    }

    /// Sends the requests `prepare` builds from `items` and hands each answer
    /// to `handle`, in order. Several requests are in flight at a time (up
    /// to `IN_FLIGHT` of them and `IN_FLIGHT_BYTES` of bodies), so that the
    /// server checks some while it stores others, and stores several in one
    /// commit: each goes with `after` = `last_seq` of the one before, and the
    /// server stores it only once that one is stored (a device's notes must
    /// arrive in its order, readers rely on it). One answered 425 (the one
    /// before it failed) is sent again without `after`, once the one before
    /// is handled. Stops at the first error `handle` returns. The sending
    /// threads share this `Api`'s client, hence its connection.
    pub fn pipelined<I: Sync, T: DeserializeOwned + Send, E>(
        &self,
        items: &[I],
        prepare: impl Fn(&I, Option<u64>) -> Result<Prepared, ApiClientError>,
        last_seq: impl Fn(&I) -> u64,
        mut handle: impl FnMut(&I, Result<T, ApiClientError>) -> Result<(), E>,
    ) -> Result<(), E> {
        // Small requests: many in flight, so that the server commits several
        // at once (one note per request: 2.1k notes/s with two in flight,
        // 3.4k with eight, 4.0k with sixteen). Batches of 100 notes: bounded
        // by bytes, which bound the server's memory too (six in flight:
        // 50 MB at eight clients; eight: 58 MB).
        const IN_FLIGHT: usize = 16;
        const IN_FLIGHT_BYTES: usize = 1536 << 10;
        type Flying<'s, I, T> = (&'s I, usize, std::thread::ScopedJoinHandle<'s, Result<T, ApiClientError>>);
        std::thread::scope(|scope| {
            let mut flying: std::collections::VecDeque<Flying<'_, I, T>> = std::collections::VecDeque::new();
            let mut land = |flying: &mut std::collections::VecDeque<Flying<'_, I, T>>| {
                let (item, _, request) = flying.pop_front().expect("a request in flight");
                let answer = match request.join() {
                    Ok(Err(e)) if e.status() == Some(425) => prepare(item, None).and_then(|p| self.send_prepared(p)),
                    Ok(answer) => answer,
                    Err(_) => Err(ApiClientError::BadResponse("the sending thread panicked".into())),
                };
                handle(item, answer)
            };
            for (i, item) in items.iter().enumerate() {
                // Wait on the one before only while it is in flight.
                let after = (!flying.is_empty()).then(|| last_seq(&items[i - 1]));
                // Prepared here, in order; sent on a thread of its own.
                let prepared = prepare(item, after);
                let size = prepared.as_ref().map_or(0, |p| p.body.len());
                flying.push_back((item, size, scope.spawn(move || prepared.and_then(|p| self.send_prepared(p)))));
                while flying.len() >= IN_FLIGHT || flying.iter().map(|f| f.1).sum::<usize>() >= IN_FLIGHT_BYTES {
                    land(&mut flying)?;
                }
            }
            while !flying.is_empty() {
                land(&mut flying)?;
            }
            Ok(())
        })
    }

    /// A signed GET; the answer is read as postcard when the server sends
    /// it so (`format=postcard`), else as JSON.
    fn get<T: DeserializeOwned>(&self, keys: &DeviceKeys, path: &str, query: String) -> Result<T, ApiClientError> {
        self.send_prepared(Prepared::new(Some(keys), Method::GET, path, query, Vec::new(), JSON))
    }

    /// A signed request with a JSON body.
    fn send_json<T: DeserializeOwned>(
        &self,
        keys: &DeviceKeys,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiClientError> {
        self.send_prepared(Prepared::new(Some(keys), method, path, String::new(), to_json(body), JSON))
    }

    pub fn send_prepared<T: DeserializeOwned>(&self, prepared: Prepared) -> Result<T, ApiClientError> {
        let Prepared { method, path, query, body, content_type, headers } = prepared;
        let url = match query.as_str() {
            "" => format!("{}{path}", self.base),
            query => format!("{}{path}?{query}", self.base),
        };
        let mut request = self.client.request(method.clone(), url);
        for (name, value) in headers.iter().flat_map(|h| h.pairs()) {
            request = request.header(name, value);
        }
        if method != Method::GET {
            request = request.header(reqwest::header::CONTENT_TYPE, content_type).body(body);
        }
        let mut response =
            request.send().map_err(|source| ApiClientError::Unreachable { url: self.base.clone(), source })?;
        let status = response.status().as_u16();
        let binary = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .is_some_and(|v| v.to_str().is_ok_and(|v| v.starts_with(visitnotes_shared::api::POSTCARD)));
        // Room for the whole answer at once when its length is declared (a
        // pull page of 1,000 notes is several MiB: growing by doubling
        // copied it several times), but not more than a false length
        // should cost before a byte has arrived.
        let declared = response.content_length().unwrap_or(0).min(RESERVE_AT_MOST);
        let mut bytes = Vec::with_capacity(declared as usize);
        (&mut response)
            .take(RESPONSE_LIMIT + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| ApiClientError::Interrupted { url: self.base.clone(), source })?;
        if bytes.len() as u64 > RESPONSE_LIMIT {
            return Err(ApiClientError::BadResponse(format!("the answer is larger than {RESPONSE_LIMIT} bytes")));
        }
        if status == 507 {
            return Err(ApiClientError::ServerFull);
        }
        if !(200..300).contains(&status) {
            let error: ApiError = serde_json::from_slice(&bytes).unwrap_or(ApiError {
                code: "unknown".into(),
                message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
            });
            return Err(ApiClientError::Refused { status, code: error.code, message: error.message });
        }
        if binary {
            return postcard::from_bytes(&bytes).map_err(|e| ApiClientError::Undecodable(e.into()));
        }
        serde_json::from_slice(&bytes).map_err(|e| ApiClientError::Undecodable(e.into()))
    }
}

const JSON: &str = "application/json";

fn to_json(body: &impl Serialize) -> Vec<u8> {
    // The request types are plain structs with string keys: serialising
    // them cannot fail.
    serde_json::to_vec(body).expect("a request serialises to JSON")
}

/// Checks the server's answer to an upload of `sent`: one result for each
/// note, in order, for that note and revision. Anything else (a short or
/// long answer, another note) is a bad answer, not an acknowledgement: the
/// notes stay in the outbox.
pub fn acknowledged<'a>(
    sent: impl IntoIterator<Item = &'a SealedNote>,
    answer: UploadResponse,
) -> Result<Vec<UploadResult>, ApiClientError> {
    let sent: Vec<&SealedNote> = sent.into_iter().collect();
    if answer.results.len() != sent.len() {
        return Err(ApiClientError::BadResponse(format!(
            "{} results for an upload of {} notes",
            answer.results.len(),
            sent.len()
        )));
    }
    if let Some((note, _)) = sent
        .iter()
        .zip(&answer.results)
        .find(|(note, result)| note.header.note_id != result.note_id || note.header.revision != result.revision)
    {
        return Err(ApiClientError::BadResponse(format!(
            "the results do not match the upload (at note {} revision {})",
            note.header.note_id, note.header.revision
        )));
    }
    Ok(answer.results)
}

/// A request with its body serialised and its signature made, ready to send.
pub struct Prepared {
    method: Method,
    path: String,
    query: String,
    body: Vec<u8>,
    content_type: &'static str,
    headers: Option<request::AuthHeaders>,
}

impl Prepared {
    fn new(
        keys: Option<&DeviceKeys>,
        method: Method,
        path: &str,
        query: String,
        body: Vec<u8>,
        content_type: &'static str,
    ) -> Prepared {
        let headers = keys.map(|k| {
            let parts = RequestParts { method: method.as_str(), path, query: &query, body: &body };
            request::sign(k, &parts, chrono::Utc::now().timestamp())
        });
        Prepared { method, path: path.to_owned(), query, body, content_type, headers }
    }

    /// An upload of `batch` in the binary form (postcard), stored by the
    /// server only after the device's sequence number `after` if given (see
    /// `Api::pipelined`). Its answer is an `UploadResponse`, to check with
    /// `acknowledged`.
    pub fn upload(
        keys: &DeviceKeys,
        batch: &UploadBatchRef<'_>,
        after: Option<u64>,
    ) -> Result<Prepared, ApiClientError> {
        let bytes = postcard::to_stdvec(batch).map_err(ApiClientError::Encode)?;
        let query = after.map(|seq| format!("after={seq}")).unwrap_or_default();
        Ok(Prepared::new(Some(keys), Method::POST, "/v1/notes", query, bytes, visitnotes_shared::api::POSTCARD))
    }
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::envelope::{EnvelopeHeader, Kind};
    use visitnotes_shared::{NoteId, UserId};

    use super::*;

    /// A note as far as the acknowledgement check looks at it (never sent).
    fn note(revision: u64) -> SealedNote {
        let header = EnvelopeHeader {
            kind: Kind::Note,
            note_id: NoteId::random(),
            revision,
            prev_hash: None,
            author: UserId::random(),
            device_id: DeviceId::from_signing_key(&[7; 32]),
            device_seq: revision,
            roster_version: 1,
            age_sha256: String::new(),
            payload_sha256: String::new(),
            note_author: None,
            device_prev: None,
        };
        SealedNote { header, signature: Vec::new(), age: Vec::new(), rewrap: None }
    }

    fn result(note: &SealedNote, seq: u64) -> UploadResult {
        UploadResult { note_id: note.header.note_id.clone(), revision: note.header.revision, seq, created: true }
    }

    /// A server that answers one request with `status` and `body`.
    fn answering_once(status: &str, body: &str) -> String {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let answer = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut request);
            stream.write_all(answer.as_bytes()).unwrap();
        });
        base
    }

    #[test]
    fn a_server_with_a_full_disk_is_a_typed_error_that_keeps_the_outbox() {
        let body = r#"{"code":"storage_full","message":"the server's disk is full: nothing was stored"}"#;
        let api = Api::new(&answering_once("507 Insufficient Storage", body)).unwrap();
        let error = api.org().unwrap_err();
        assert!(matches!(error, ApiClientError::ServerFull), "{error:?}");
        assert_eq!((error.code(), error.status()), ("server_storage_full", Some(507)));
        assert!(error.to_string().contains("your notes stay in your outbox; tell the server's operator"), "{error}");
    }

    #[test]
    fn an_answer_with_one_result_per_note_is_an_acknowledgement() {
        let sent = [note(1), note(1)];
        let answer = UploadResponse { results: vec![result(&sent[0], 5), result(&sent[1], 6)] };
        let results = acknowledged(&sent, answer).unwrap();
        assert_eq!(results.iter().map(|r| r.seq).collect::<Vec<_>>(), [5, 6]);
    }

    #[test]
    fn a_short_or_empty_answer_is_a_bad_response() {
        let sent = [note(1), note(2)];
        for results in [vec![result(&sent[0], 5)], vec![]] {
            let error = acknowledged(&sent, UploadResponse { results }).unwrap_err();
            assert!(matches!(error, ApiClientError::BadResponse(_)), "{error}");
        }
    }

    #[test]
    fn a_long_answer_is_a_bad_response() {
        let sent = [note(1)];
        let answer = UploadResponse { results: vec![result(&sent[0], 5), result(&sent[0], 6)] };
        assert!(matches!(acknowledged(&sent, answer), Err(ApiClientError::BadResponse(_))));
    }

    #[test]
    fn an_answer_for_other_notes_is_a_bad_response() {
        let sent = [note(1), note(1)];
        // Swapped: each result names the other note.
        let answer = UploadResponse { results: vec![result(&sent[1], 5), result(&sent[0], 6)] };
        assert!(matches!(acknowledged(&sent, answer), Err(ApiClientError::BadResponse(_))));
        let mut other_revision = result(&sent[0], 5);
        other_revision.revision = 2;
        let answer = UploadResponse { results: vec![other_revision, result(&sent[1], 6)] };
        assert!(matches!(acknowledged(&sent, answer), Err(ApiClientError::BadResponse(_))));
    }
}
