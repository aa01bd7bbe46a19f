//! What every request to the local web app passes, and what every answer
//! carries.
//!
//! # The session stays with this app
//!
//! The app listens on 127.0.0.1:PORT, but a browser does not keep what it
//! holds for that address to that port: cookies are not separated by port,
//! and `SameSite` counts every port of 127.0.0.1 as the same site. A cookie
//! for `/` goes to any other program on 127.0.0.1 that the browser visits
//! (a development server, a listener of another user of the computer),
//! which could replay it; a form on such a page is "same-site" too. So:
//!
//! - Every page of a run lives under a path prefix of 32 random bytes,
//!   drawn when the run starts (`Prefix`): `/<prefix>/admin`. The session
//!   cookie is scoped to it (`Path=/<prefix>/; HttpOnly; SameSite=Strict`,
//!   [`session_cookie`]); a browser sends a cookie to the paths its `Path`
//!   names, whatever the port, so another listener receives it only when
//!   the browser asks it for a path under the prefix, which only a page
//!   that knows the prefix can make it do.
//! - The prefix is therefore a secret like the cookie. It is told only to
//!   the browser that spends the one-time token: `GET /start?token=...`
//!   (the printed address, the only path outside the prefix) answers with
//!   the cookie and a redirect to `/<prefix>/`, over loopback. It is never
//!   printed, nor given to the program that opens the browser: another
//!   user of the computer can read a program's arguments, and a browser
//!   started with an address keeps it among them as long as it runs. The
//!   token in the printed address is spent on first use. Every answer says
//!   `Referrer-Policy: no-referrer`, so no `Referer` carries the prefix or
//!   the token to another address (and no page links to one).
//! - A request for anything outside the prefix, or a wrong or spent token,
//!   gets the same plain 404 ([`not_here`]), which does not say what
//!   answered; this is checked first, the prefix compared in constant time.
//! - A URL of a page is made in one place, [`Prefix::url`], from an app
//!   path such as `/admin`: templates call `Ctx::url`, redirects carry an
//!   app path and get their `Location` from [`location`].
//! - A redirect goes only to this app's own pages ([`own_location`]): the
//!   `Location` is parsed as a browser reads it (the `url` crate), against
//!   this app's origin; it must name this origin, stay under the prefix,
//!   and come out as written (nothing a browser drops, turns or decodes:
//!   tabs, backslashes, dot segments, percent-encoding). Anything else goes
//!   to the home page: `/lang`'s `back=/\t/evil.example/`, which browsers
//!   read as `//evil.example/`, included.
//! - A POST must come from a page of this app: `Origin` equal to this
//!   app's, or `Sec-Fetch-Site: same-origin` (a header no page can set)
//!   with no other `Origin`; and no `Sec-Fetch-Site` naming anything else.
//!   A POST with neither header (a program, not a browser) is refused, and
//!   so is a form of another port, which the browser would send with the
//!   cookie had it the prefix (same site). Then its CSRF token ([`posted`]).
//!   The token is only in the pages, which no other origin can read (no
//!   CORS header, `Cross-Origin-Resource-Policy: same-origin`, no frames),
//!   and travels only in the bodies of POSTs to this app: no form that
//!   carries it uses GET, so it is never part of an address.
//!
//! What this does not stop: a program running as the same user (it can
//! read the browser's cookies and history) or as root.
//!
//! # The other checks
//!
//! - `Host` must be the bound loopback address and port (421 otherwise):
//!   a page of another site whose name was pointed at 127.0.0.1 (DNS
//!   rebinding) sends its own name.
//! - Only GET, HEAD and POST; POST is the only method that changes
//!   anything, and each POST handler reads its form with [`posted`] (the
//!   one form that sends a file, with [`check_csrf`]), which refuses a
//!   missing or wrong CSRF token (403).
//! - Everything under the prefix but the embedded assets needs the session
//!   cookie (403).
//! - Every answer: a strict Content-Security-Policy (own script and style
//!   only, nothing inline, no frames), nosniff, no referrer, no-store.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};

use super::{lock, AppState};
use visitnotes_core::i18n::Lang;

/// Largest form accepted (a note's texts are 20,000 bytes each at most).
pub const MAX_BODY: usize = 1 << 20;

pub const COOKIE: &str = "visitnotes_session";

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                       connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// 32 random bytes, base64url: a token, a cookie, a CSRF token, a prefix.
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

/// The secret path prefix of this run's pages, `/<random token>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix(String);

impl Prefix {
    pub fn random() -> Prefix {
        Prefix(format!("/{}", random_token()))
    }

    /// `/<random token>`, without a trailing slash (the routes' scope).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL of the app path `path` (`/admin` → `/<prefix>/admin`): the
    /// one place where a URL of this app is made.
    pub fn url(&self, path: &str) -> String {
        debug_assert!(path.starts_with('/'), "an app path starts with /: {path}");
        format!("{}{path}", self.0)
    }

    /// The app path of a request's path when it is under the prefix
    /// (`/<prefix>/admin` → `/admin`); the prefix is compared in constant
    /// time, so that the time of a refusal says nothing of it.
    pub fn strip<'a>(&self, path: &'a str) -> Option<&'a str> {
        let head = path.get(..self.0.len())?;
        let rest = &path[self.0.len()..];
        (same_secret(head, &self.0) & rest.starts_with('/')).then_some(rest)
    }
}

/// The `Set-Cookie` value of the session: sent back by the browser only to
/// paths under the prefix (on any port: the prefix keeps it here), never
/// to scripts, never with a request that another site starts; gone when
/// the browser closes.
pub fn session_cookie(prefix: &Prefix, value: &str) -> String {
    format!("{COOKIE}={value}; Path={}/; HttpOnly; SameSite=Strict", prefix.as_str())
}

/// The `Location` of a redirect to the app path `to`, when the browser
/// would go to a page of this app with it: `to`, read alone as a browser
/// reads a `Location` against this app's `origin`, names this origin and
/// comes out exactly as written; and so does `/<prefix>` and `to`, which
/// is under the prefix. No page of the app has a percent-encoding, a tab,
/// a backslash or a dot segment in its path, so none is accepted: a
/// browser would drop, turn or resolve it on the way.
pub fn own_location(origin: &str, prefix: &Prefix, to: &str) -> Option<String> {
    let origin = url::Url::parse(origin).ok()?;
    as_written(&origin, to)?;
    let wanted = format!("{}{to}", prefix.as_str());
    let parsed = as_written(&origin, &wanted)?;
    prefix.strip(parsed.path())?;
    (!wanted.contains('%')).then_some(wanted)
}

/// `location` parsed against `origin` as a browser parses a `Location`,
/// when it names that origin (no user or password either) and its path,
/// query and fragment come out exactly as written.
fn as_written(origin: &url::Url, location: &str) -> Option<url::Url> {
    let parsed = origin.join(location).ok()?;
    let mut as_parsed = parsed.path().to_owned();
    if let Some(query) = parsed.query() {
        as_parsed.push('?');
        as_parsed.push_str(query);
    }
    if let Some(fragment) = parsed.fragment() {
        as_parsed.push('#');
        as_parsed.push_str(fragment);
    }
    let same_origin = parsed.origin() == origin.origin() && parsed.username().is_empty() && parsed.password().is_none();
    (same_origin && as_parsed == location).then_some(parsed)
}

/// The `Location` of a redirect to the app path `to`; the home page when
/// `to` is not a path of this app ([`own_location`]).
pub fn location(state: &AppState, to: &str) -> String {
    own_location(&state.origin, &state.prefix, to).unwrap_or_else(|| state.prefix.url("/"))
}

/// The answer to a request outside the prefix (or a wrong or spent
/// token): the same for every path and method, naming no program.
pub fn not_here() -> HttpResponse {
    HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("Not found\n")
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
    /// Outside the prefix: [`not_here`].
    NotHere,
    WrongHost,
    Method,
    NoSession,
    CrossOrigin,
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `/start`, the printed address.
    Start,
    /// `/<prefix>/assets/...`
    Asset,
    /// Any other path under the prefix.
    Page,
}

fn place(state: &AppState, req: &HttpRequest) -> Option<Place> {
    let path = req.path();
    if path == "/start" {
        return Some(Place::Start);
    }
    let app_path = state.prefix.strip(path)?;
    Some(if app_path.starts_with("/assets/") { Place::Asset } else { Place::Page })
}

/// Whether a POST comes from a page of this app, as the browser says in
/// headers no page can set.
fn from_this_app(state: &AppState, req: &HttpRequest) -> bool {
    let text = |name: HeaderName| req.headers().get(name).map(|v| v.to_str().unwrap_or("?"));
    let site = text(HeaderName::from_static("sec-fetch-site"));
    match (text(header::ORIGIN), site) {
        // Another site or port, or the address bar.
        (_, Some(site)) if site != "same-origin" => false,
        (Some(origin), _) if origin == state.origin => true,
        // Under `Referrer-Policy: no-referrer` a browser sends a form's
        // Origin as "null"; it then also says, in a header no page can
        // set, that the request comes from this same origin.
        (Some("null") | None, Some(_same_origin)) => true,
        // Another origin, or neither header.
        _ => false,
    }
}

fn check(state: &AppState, req: &HttpRequest) -> Option<Refusal> {
    let Some(place) = place(state, req) else { return Some(Refusal::NotHere) };
    let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !host.eq_ignore_ascii_case(&state.host) {
        return Some(Refusal::WrongHost);
    }
    let method = req.method();
    let reads = method == Method::GET || method == Method::HEAD;
    match place {
        Place::Start if !reads => return Some(Refusal::NotHere),
        Place::Start => return None,
        Place::Asset if !reads => return Some(Refusal::Method),
        Place::Asset => return None,
        Place::Page if !reads && method != Method::POST => return Some(Refusal::Method),
        Place::Page => {}
    }
    if method == Method::POST && !from_this_app(state, req) {
        return Some(Refusal::CrossOrigin);
    }
    if !has_session(state, req) {
        return Some(Refusal::NoSession);
    }
    None
}

fn refusal_response(refusal: Refusal, state: &AppState, lang: Lang) -> HttpResponse {
    let (status, id) = match refusal {
        Refusal::NotHere => return not_here(),
        Refusal::WrongHost => (StatusCode::MISDIRECTED_REQUEST, "refused-host"),
        Refusal::Method => (StatusCode::METHOD_NOT_ALLOWED, "refused-method"),
        Refusal::NoSession => (StatusCode::FORBIDDEN, "refused-no-session"),
        Refusal::CrossOrigin => (StatusCode::FORBIDDEN, "refused-origin"),
    };
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(super::templates::bare(lang, &state.prefix, &lang.t("refused-title"), &lang.t(id)).into_string())
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
            req.into_response(refusal_response(refusal, &state, lang)).map_into_boxed_body()
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
    check_csrf(state, req, sent)?;
    Ok(Posted { pairs })
}

/// Checks the CSRF token `sent` against the session's: [`posted`] for a
/// URL-encoded form, and the one form that sends a file (its token read
/// from its multipart body).
pub fn check_csrf(state: &AppState, req: &HttpRequest, sent: &str) -> Result<(), super::routes::Reply> {
    let ok = lock(&state.browser).as_ref().is_some_and(|b| same_secret(&b.csrf, sent));
    if !ok {
        let lang = lang(state, req);
        let page = super::templates::bare(lang, &state.prefix, &lang.t("refused-title"), &lang.t("refused-csrf"));
        return Err(super::routes::Reply::Page(StatusCode::FORBIDDEN, page.into_string()));
    }
    Ok(())
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

    const ORIGIN: &str = "http://127.0.0.1:8765";

    #[test]
    fn the_prefix_is_random_and_matched_whole() {
        let prefix = Prefix::random();
        assert_ne!(prefix, Prefix::random());
        let p = prefix.as_str();
        assert_eq!(p.len(), 44, "/ and 32 bytes in base64url");
        assert_eq!(prefix.url("/admin"), format!("{p}/admin"));
        assert_eq!(prefix.strip(&format!("{p}/admin")), Some("/admin"));
        assert_eq!(prefix.strip(&format!("{p}/")), Some("/"));
        let upper = p.to_ascii_uppercase();
        let encoded = format!("/%{:02X}{}", p.as_bytes()[1], &p[2..]);
        for outside in [
            "/".to_owned(),
            "/admin".to_owned(),
            "/start".to_owned(),
            p.to_owned(),
            format!("{p}x/admin"),
            format!("{}/admin", &p[..p.len() - 1]),
            format!("{upper}/admin"),
            format!("{encoded}/admin"),
            format!("/x{p}/admin"),
            format!("{p}é/"),
            "/é".repeat(30),
        ] {
            assert_eq!(prefix.strip(&outside), None, "{outside}");
        }
    }

    #[test]
    fn the_session_cookie_is_scoped_to_the_prefix() {
        let prefix = Prefix::random();
        let cookie = session_cookie(&prefix, "v");
        assert_eq!(cookie, format!("visitnotes_session=v; Path={}/; HttpOnly; SameSite=Strict", prefix.as_str()));
    }

    #[test]
    fn a_redirect_goes_to_a_page_of_this_app() {
        let prefix = Prefix::random();
        let p = prefix.as_str();
        for path in
            ["/", "/admin", "/admin/units", "/notes/new", "/notes/0123abcDEF-_/edit", "/notes/ab#show-concern-0"]
        {
            assert_eq!(own_location(ORIGIN, &prefix, path), Some(format!("{p}{path}")), "{path}");
        }
    }

    /// The open redirects a `back` or a note id could ask for, as typed,
    /// encoded, and hidden behind what browsers drop or turn.
    #[test]
    fn a_redirect_anywhere_else_goes_home() {
        let prefix = Prefix::random();
        for to in [
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/\r\n/evil.example/",
            "\t//evil.example/",
            "//evil.example",
            "//evil.example/",
            "///evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\\/evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "http://evil.example/",
            "http:evil.example",
            "javascript:alert(1)",
            "http://127.0.0.1:8765/",
            "//127.0.0.1:8765/",
            "//user@127.0.0.1:8765/",
            "@evil.example",
            "%2F%2Fevil.example",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "/%5c%5cevil.example",
            "/%09/evil.example",
            "/%2e%2e/admin",
            "/../admin",
            "/..//evil.example",
            "/./admin",
            "/admin/..",
            "/admin/../..//evil.example",
            "",
            "admin",
            "?x",
            "#x",
            " /admin",
            "/admin ",
            "/ad min",
            "/\u{0}x",
            "/é",
        ] {
            assert_eq!(own_location(ORIGIN, &prefix, to), None, "{to:?}");
        }
    }
}
