//! The HTTP client for the server's `/v1` API: signs every request with the
//! device key (shared crate's request signing) and turns JSON errors into
//! `ApiClientError`.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use visitnotes_shared::api::{ApiError, EnrolRequest, EnrolResponse, OrgInfo};
use visitnotes_shared::request::{self, RequestParts};
use visitnotes_shared::DeviceKeys;

const RESPONSE_LIMIT: u64 = 256 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ApiClientError {
    #[error("cannot reach the server at {url}: {reason}. Check the network; nothing was lost, try again later")]
    Unreachable { url: String, reason: String },
    #[error("the server refused the request ({status} {code}): {message}")]
    Refused { status: u16, code: String, message: String },
    #[error("the server's answer is not valid: {0}")]
    BadResponse(String),
}

impl ApiClientError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiClientError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }
}

pub struct Api {
    base: String,
    agent: ureq::Agent,
}

impl Api {
    pub fn new(base: &str) -> Api {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Api { base: base.trim_end_matches('/').to_owned(), agent }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn org(&self) -> Result<OrgInfo, ApiClientError> {
        self.request(None, "GET", "/v1/org", None)
    }

    pub fn enrol(&self, req: &EnrolRequest) -> Result<EnrolResponse, ApiClientError> {
        self.request(None, "POST", "/v1/enrol", Some(serde_json::to_vec(req).expect("serialises")))
    }

    /// A signed GET; the answer is read as postcard when the server sends
    /// it so (`format=postcard`), else as JSON.
    pub fn get<T: DeserializeOwned>(&self, keys: &DeviceKeys, path: &str) -> Result<T, ApiClientError> {
        self.request(Some(keys), "GET", path, None)
    }

    /// A request whose body goes in the binary form (postcard).
    pub fn send_binary<T: DeserializeOwned>(
        &self,
        keys: &DeviceKeys,
        method: &str,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiClientError> {
        self.send_prepared(Prepared::binary(keys, method, path, body)?)
    }

    /// Sends the requests `prepare` builds from `items` and hands each answer
    /// to `handle`, in order. Several requests are in flight at a time (up
    /// to `IN_FLIGHT` of them and `IN_FLIGHT_BYTES` of bodies), so that the
    /// server checks some while it stores others, and stores several in one
    /// commit: each goes with `after` = `last_seq` of the one before, and the
    /// server stores it only once that one is stored (a device's notes must
    /// arrive in its order, readers rely on it). One answered 425 (the one
    /// before it failed) is sent again without `after`, once the one before
    /// is handled. Stops at the first error `handle` returns.
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

    pub fn send<T: DeserializeOwned>(
        &self,
        keys: &DeviceKeys,
        method: &str,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiClientError> {
        self.request(Some(keys), method, path, Some(serde_json::to_vec(body).expect("serialises")))
    }

    fn request<T: DeserializeOwned>(
        &self,
        keys: Option<&DeviceKeys>,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<T, ApiClientError> {
        self.send_prepared(Prepared::new(keys, method, path, body.unwrap_or_default(), "application/json"))
    }

    pub fn send_prepared<T: DeserializeOwned>(&self, prepared: Prepared) -> Result<T, ApiClientError> {
        let Prepared { method, path, body, content_type, headers } = prepared;
        let url = format!("{}{}", self.base, path);
        let result = match method {
            "GET" => {
                let mut req = self.agent.get(&url);
                for (name, value) in headers.iter().flat_map(|h| h.pairs()) {
                    req = req.header(name, value);
                }
                req.call()
            }
            _ => {
                let mut req = match method {
                    "PUT" => self.agent.put(&url),
                    _ => self.agent.post(&url),
                };
                for (name, value) in headers.iter().flat_map(|h| h.pairs()) {
                    req = req.header(name, value);
                }
                req.content_type(content_type).send(&body[..])
            }
        };
        let mut response =
            result.map_err(|e| ApiClientError::Unreachable { url: self.base.clone(), reason: e.to_string() })?;
        let status = response.status().as_u16();
        let binary = response
            .headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().is_ok_and(|v| v.starts_with(visitnotes_shared::api::POSTCARD)));
        let bytes = response
            .body_mut()
            .with_config()
            .limit(RESPONSE_LIMIT)
            .read_to_vec()
            .map_err(|e| ApiClientError::Unreachable { url: self.base.clone(), reason: e.to_string() })?;
        if !(200..300).contains(&status) {
            let error: ApiError = serde_json::from_slice(&bytes).unwrap_or(ApiError {
                code: "unknown".into(),
                message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
            });
            return Err(ApiClientError::Refused { status, code: error.code, message: error.message });
        }
        if binary {
            return postcard::from_bytes(&bytes).map_err(|e| ApiClientError::BadResponse(e.to_string()));
        }
        serde_json::from_slice(&bytes).map_err(|e| ApiClientError::BadResponse(e.to_string()))
    }
}

/// The upload route, waiting on sequence number `after` if given (see `Api::pipelined`).
pub fn upload_path(after: Option<u64>) -> String {
    match after {
        Some(seq) => format!("/v1/notes?after={seq}"),
        None => "/v1/notes".to_owned(),
    }
}

/// A request with its body serialised and its signature made, ready to send.
pub struct Prepared {
    method: &'static str,
    path: String,
    body: Vec<u8>,
    content_type: &'static str,
    headers: Option<request::AuthHeaders>,
}

impl Prepared {
    fn new(keys: Option<&DeviceKeys>, method: &str, path: &str, body: Vec<u8>, content_type: &'static str) -> Prepared {
        let method = match method {
            "GET" => "GET",
            "PUT" => "PUT",
            _ => "POST",
        };
        let (sign_path, query) = path.split_once('?').unwrap_or((path, ""));
        let headers = keys.map(|k| {
            let parts = RequestParts { method, path: sign_path, query, body: &body };
            request::sign(k, &parts, chrono::Utc::now().timestamp())
        });
        Prepared { method, path: path.to_owned(), body, content_type, headers }
    }

    /// A signed request whose body goes in the binary form (postcard).
    pub fn binary(
        keys: &DeviceKeys,
        method: &str,
        path: &str,
        body: &impl Serialize,
    ) -> Result<Prepared, ApiClientError> {
        let bytes = postcard::to_stdvec(body).map_err(|e| ApiClientError::BadResponse(e.to_string()))?;
        Ok(Prepared::new(Some(keys), method, path, bytes, visitnotes_shared::api::POSTCARD))
    }
}
