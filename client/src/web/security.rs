//! What every request to the local web app passes, and what every answer
//! carries.
//!
//! - `Host` must be the bound loopback address and port (421 otherwise):
//!   a page of another site whose name was pointed at 127.0.0.1 (DNS
//!   rebinding) sends its own name.
//! - Only GET, HEAD and POST; POST is the only method that changes
//!   anything, and each POST handler reads its form with [`posted`], which
//!   refuses a missing or wrong CSRF token (403).
//! - A POST whose `Origin` is present and not this app's (or "null",
//!   which browsers send under `no-referrer`, without `Sec-Fetch-Site:
//!   same-origin`), or whose `Sec-Fetch-Site` says another site sent it,
//!   is refused (403).
//! - Everything but `/start` (which takes the one-time token) and the
//!   embedded assets needs the session cookie (403).
//! - Every answer: a strict Content-Security-Policy (own script and style
//!   only, nothing inline, no frames), nosniff, no referrer, no-store.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};

use super::i18n::Lang;
use super::{lock, AppState};

/// Largest form accepted (a note's texts are 20,000 bytes each at most).
pub const MAX_BODY: usize = 1 << 20;

pub const COOKIE: &str = "visitnotes_session";

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                       connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// 32 random bytes, base64url: a token, a cookie, a CSRF token.
pub fn random_token() -> String {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 32];
    ring::rand::SystemRandom::new().fill(&mut bytes).expect("the OS random source works");
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of cookie `name` in the request.
pub fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers().get_all(header::COOKIE).filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// Whether the request carries this app's session cookie.
pub fn has_session(state: &AppState, req: &HttpRequest) -> bool {
    let Some(sent) = cookie(req, COOKIE) else { return false };
    lock(&state.browser).as_ref().is_some_and(|b| same_secret(&b.cookie, &sent))
}

/// The language of the answer: picked on the page, else the browser's.
pub fn lang(state: &AppState, req: &HttpRequest) -> Lang {
    let picked = if has_session(state, req) { lock(&state.browser).as_ref().and_then(|b| b.lang) } else { None };
    picked.unwrap_or_else(|| {
        Lang::from_accept_language(
            req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or(""),
        )
    })
}

/// Why a request is refused before it reaches a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    WrongHost,
    Method,
    NoSession,
    CrossOrigin,
}

fn check(state: &AppState, req: &HttpRequest) -> Option<Refusal> {
    let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !host.eq_ignore_ascii_case(&state.host) {
        return Some(Refusal::WrongHost);
    }
    let method = req.method();
    if method != Method::GET && method != Method::HEAD && method != Method::POST {
        return Some(Refusal::Method);
    }
    let path = req.path();
    let open = path == "/start" || path.starts_with("/assets/");
    if method == Method::POST {
        if open {
            return Some(Refusal::Method);
        }
        let site = req.headers().get("sec-fetch-site").map(|v| v.to_str().unwrap_or("?"));
        if site.is_some_and(|s| s != "same-origin" && s != "none") {
            return Some(Refusal::CrossOrigin);
        }
        // Under `Referrer-Policy: no-referrer` a browser sends a form's
        // Origin as "null"; it then also says, in a header no page can
        // set, that the request comes from this same origin.
        let origin = req.headers().get(header::ORIGIN).map(|v| v.to_str().unwrap_or("?"));
        let same_origin = match origin {
            None => true,
            Some("null") => site == Some("same-origin"),
            Some(o) => o == state.origin,
        };
        if !same_origin {
            return Some(Refusal::CrossOrigin);
        }
    }
    if !open && !has_session(state, req) {
        return Some(Refusal::NoSession);
    }
    None
}

fn refusal_response(refusal: Refusal, lang: Lang) -> HttpResponse {
    let (status, id) = match refusal {
        Refusal::WrongHost => (StatusCode::MISDIRECTED_REQUEST, "refused-host"),
        Refusal::Method => (StatusCode::METHOD_NOT_ALLOWED, "refused-method"),
        Refusal::NoSession => (StatusCode::FORBIDDEN, "refused-no-session"),
        Refusal::CrossOrigin => (StatusCode::FORBIDDEN, "refused-origin"),
    };
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(super::templates::bare(lang, &lang.t("refused-title"), &lang.t(id)).into_string())
}

/// The middleware: checks, then headers on whatever is answered.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let state = req.app_data::<Data<AppState>>().cloned().expect("the state is registered");
    let mut res = match check(&state, req.request()) {
        Some(refusal) => {
            let lang = lang(&state, req.request());
            req.into_response(refusal_response(refusal, lang)).map_into_boxed_body()
        }
        None => next.call(req).await?.map_into_boxed_body(),
    };
    set_headers(res.headers_mut());
    Ok(res)
}

fn set_headers(headers: &mut HeaderMap) {
    let fixed: [(HeaderName, &str); 8] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
        (HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

/// A posted form whose CSRF token was checked.
pub struct Posted {
    pub pairs: Vec<(String, String)>,
}

/// A form may hold a passphrase or a note's text: wiped when dropped.
impl Drop for Posted {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        for (name, value) in &mut self.pairs {
            name.zeroize();
            value.zeroize();
        }
    }
}

impl Posted {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Reads a form and checks its CSRF token against the session's: every
/// POST handler starts here.
pub fn posted(state: &AppState, req: &HttpRequest, body: &Bytes) -> Result<Posted, super::routes::Reply> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let sent = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    let ok = lock(&state.browser).as_ref().is_some_and(|b| same_secret(&b.csrf, sent));
    if !ok {
        let lang = lang(state, req);
        let page = super::templates::bare(lang, &lang.t("refused-title"), &lang.t("refused-csrf"));
        return Err(super::routes::Reply::Page(StatusCode::FORBIDDEN, page.into_string()));
    }
    Ok(Posted { pairs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
    }
}
