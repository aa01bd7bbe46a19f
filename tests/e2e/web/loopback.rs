//! Another program on this computer's loopback gets nothing that opens the
//! app.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::harness::browser::{body, browser, open, screenshots, text, unlock, Browser, Driver};
use crate::harness::ui::{send, small_org, Answer, Ui};

/// Another program listening on 127.0.0.1, whose pages the browser visits:
/// it answers each path with the page set for it (or a plain one), and
/// keeps every request's bytes as they came.
struct Elsewhere {
    /// `127.0.0.1:PORT`
    host: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
    pages: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
}

impl Elsewhere {
    fn start() -> Elsewhere {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let elsewhere = Elsewhere { host, seen: Default::default(), pages: Default::default() };
        let (seen, pages) = (elsewhere.seen.clone(), elsewhere.pages.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let (seen, pages) = (seen.clone(), pages.clone());
                std::thread::spawn(move || Elsewhere::answer(stream, &seen, &pages));
            }
        });
        elsewhere
    }

    fn answer(
        mut stream: TcpStream,
        seen: &std::sync::Mutex<Vec<Vec<u8>>>,
        pages: &std::sync::Mutex<std::collections::HashMap<String, String>>,
    ) {
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        // The head, then as much body as its Content-Length says.
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
            }
            if let Some(end) = head_end(&bytes) {
                let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                if bytes.len() >= end + 4 + length {
                    break;
                }
            }
        }
        if bytes.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let path = text.split(' ').nth(1).unwrap_or("/").split('?').next().unwrap().to_owned();
        seen.lock().unwrap().push(bytes);
        let page = pages.lock().unwrap().get(&path).cloned().unwrap_or_else(|| {
            "<!doctype html><title>Elsewhere</title><p id=\"elsewhere\">Another program</p>".to_owned()
        });
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
             Connection: close\r\n\r\n{page}",
            page.len()
        );
        let _ = stream.write_all(answer.as_bytes());
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.host)
    }

    fn set_page(&self, path: &str, page: String) {
        self.pages.lock().unwrap().insert(path.to_owned(), page);
    }

    fn seen(&self) -> Vec<Vec<u8>> {
        self.seen.lock().unwrap().clone()
    }
}

/// Where the head of an HTTP request ends (before its blank line).
fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n")
}

/// A request another program received, sent to the app at `app`: as it
/// came, or with the app's own Host, or for another path (the connection
/// is closed after it, to read the answer whole).
fn replay(app: &str, request: &[u8], host: Option<&str>, path: Option<&str>) -> Answer {
    let end = head_end(request).expect("a whole request");
    let head = String::from_utf8_lossy(&request[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap().splitn(3, ' ');
    let (method, target, version) = (first.next().unwrap(), first.next().unwrap(), first.next().unwrap());
    let mut out = format!("{method} {} {version}\r\n", path.unwrap_or(target));
    for line in lines {
        let name = line.split(':').next().unwrap().to_ascii_lowercase();
        if name == "connection" || (name == "host" && host.is_some()) {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    if let Some(host) = host {
        out.push_str(&format!("Host: {host}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&request[end + 4..]);
    send(app, &bytes)
}

/// The page of another program that tries the app at `app` from the
/// browser: reads with fetch (with the browser's cookies, and without
/// CORS), posts, reads `document.cookie`, and sends what it got back to
/// its own program (`/results`).
const TRIES: &str = r#"<!doctype html><meta charset="utf-8"><title>Elsewhere</title>
<p id="status">trying</p>
<script>
var app = "APP";
var results = ["cookie: " + document.cookie];
var tries = [];
["/", "/admin", "/admin/roster", "/notes/new", "/start", "/assets/style.css"].forEach(function (p) {
  tries.push(fetch(app + p, { credentials: "include" }).then(function (r) {
    return r.text().then(function (t) { results.push("read " + p + " " + r.status + " " + t.slice(0, 300)); });
  }, function (e) { results.push("refused " + p + " " + e); }));
  tries.push(fetch(app + p, { credentials: "include", mode: "no-cors" }).then(function (r) {
    results.push("opaque " + p + " " + r.type + " " + r.status);
  }, function (e) { results.push("refused " + p + " " + e); }));
});
tries.push(fetch(app + "/lang", { method: "POST", credentials: "include", mode: "no-cors",
  body: new URLSearchParams("lang=nb&back=/") }).then(function (r) { results.push("opaque post " + r.type); },
  function (e) { results.push("refused post " + e); }));
Promise.all(tries).then(function () {
  return fetch("/results", { method: "POST", body: results.join("\n") });
}).then(function () { document.getElementById("status").textContent = "done"; });
</script>"#;

/// A page of another program that posts a form to `ACTION` at once.
fn form_page(action: &str, fields: &[(&str, &str)], referrer: &str) -> String {
    let inputs: String = fields
        .iter()
        .map(|(name, value)| format!("<input type=\"hidden\" name=\"{name}\" value=\"{value}\">"))
        .collect();
    format!(
        "<!doctype html><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"{referrer}\"><title>Elsewhere</title>\
         <form id=\"f\" method=\"post\" action=\"{action}\">{inputs}</form>\
         <script>document.getElementById(\"f\").submit();</script>"
    )
}

/// Goes to `url` and waits until the page's body says `text`.
async fn goto_and_wait(b: &Browser, url: &str, text: &str) {
    b.goto(url).await.unwrap();
    wait_for(b, url, text).await;
}

/// Waits until the page's body says `text` (on the way to `url`).
async fn wait_for(b: &Browser, url: &str, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = b.find(fantoccini::Locator::Css("body")).await.ok();
        if let Some(body) = now {
            if body.text().await.unwrap_or_default().contains(text) {
                return;
            }
        }
        assert!(Instant::now() < deadline, "{url}: no \"{text}\" in {}", body(b).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the administrator's pages say: the overview, the roster and the
/// audit log, to see that nothing changed.
async fn admin_pages(b: &Browser, app: &str) -> Vec<String> {
    let mut pages = Vec::new();
    for path in ["/admin", "/admin/roster", "/admin/audit"] {
        b.goto(&format!("{app}{path}")).await.unwrap();
        pages.push(body(b).await);
    }
    pages
}

/// The session stays with this app. After the printed address was opened
/// in the browser, another program on 127.0.0.1 that the browser visits
/// (led there by a page of the app, and by hand), and whose pages try the
/// app with fetch and forms, receives no cookie, no prefix and no token;
/// everything it received, replayed against the app (with its guesses of
/// the prefix), opens no page and changes nothing. Even a page of it that
/// knew the prefix and the CSRF token could not post a form: the browser
/// sends the cookie with it (same site), but its Origin is another port.
#[test]
fn another_program_on_loopback_gets_nothing_that_opens_the_app() {
    let (cluster, _leader) = small_org();
    let admin = cluster.person("Admin");
    let driver = Driver::start();
    let ui = Ui::start(&admin);
    let elsewhere = Elsewhere::start();
    let target = format!("http://{}", ui.host);
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("admin"), true).await;
        let app = open(&b, &ui).await;
        let prefix = app.strip_prefix(&target).unwrap().to_owned();
        unlock(&b, &admin).await;
        let before = admin_pages(&b, &app).await;
        let csrf = b.find(fantoccini::Locator::Css("input[name='csrf']")).await.unwrap().attr("value").await.unwrap();
        let csrf = csrf.expect("the page's CSRF token");
        let cookie = b.get_named_cookie("visitnotes_session").await.unwrap();
        assert_eq!(cookie.path(), Some(&*format!("{prefix}/")));
        assert_eq!(cookie.http_only(), Some(true));
        let cookie = cookie.value().to_owned();

        // A page of the app leads the browser there (as a link would).
        let script = "location.href = arguments[0];";
        b.execute(script, vec![serde_json::json!(elsewhere.url("/from-the-app"))]).await.unwrap();
        wait_for(&b, &elsewhere.url("/from-the-app"), "Another program").await;
        // Its pages try the app: fetch, with and without CORS, and a form.
        elsewhere.set_page("/tries", TRIES.replace("APP", &target));
        b.goto(&elsewhere.url("/tries")).await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while text(&b, "status").await != "done" {
            assert!(Instant::now() < deadline, "the page's tries did not finish");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for (i, path) in ["/lang", "/", "/admin/invite"].iter().enumerate() {
            let fields = [("csrf", "guess"), ("lang", "nb"), ("back", "/"), ("role", "admin"), ("name", "Mallory")];
            elsewhere.set_page(&format!("/form-{i}"), form_page(&format!("{target}{path}"), &fields, "unsafe-url"));
            goto_and_wait(&b, &elsewhere.url(&format!("/form-{i}")), "Not found").await;
        }
        // And by hand.
        goto_and_wait(&b, &elsewhere.url("/"), "Another program").await;

        // What it received holds no cookie, prefix or token of the app.
        let seen = elsewhere.seen();
        assert!(seen.len() >= 6, "{} requests", seen.len());
        let all = String::from_utf8_lossy(&seen.concat()).into_owned();
        assert!(all.contains("GET /from-the-app ") && all.contains("POST /results "), "{all}");
        for (what, secret) in [
            ("the cookie's name", "visitnotes_session"),
            ("the session cookie", cookie.as_str()),
            ("the prefix", &prefix[1..]),
            ("the CSRF token", csrf.as_str()),
            ("the one-time token", ui.token.as_str()),
        ] {
            assert!(!all.contains(secret), "{what} reached another program: {all}");
        }
        for line in all.lines().filter(|l| l.to_ascii_lowercase().starts_with("referer:")) {
            assert!(!line.contains(&ui.host), "a Referer names the app: {line}");
        }
        // Its page read nothing of the app: every read refused or opaque.
        let results = seen.iter().find(|r| r.starts_with(b"POST /results ")).expect("the page's results");
        let results = String::from_utf8_lossy(&results[head_end(results).unwrap() + 4..]).into_owned();
        assert_eq!(results.lines().count(), 14, "every try answered: {results}");
        assert_eq!(results.lines().next(), Some("cookie: "), "no cookie for its page's scripts either");
        for line in results.lines().skip(1) {
            let refused = line.starts_with("refused ") || (line.starts_with("opaque ") && line.contains(" opaque"));
            assert!(refused, "the page read the app: {line}");
        }

        // Everything it received, replayed against the app as it came, with
        // the app's Host, and at the paths it could guess: no page, no cookie.
        let guessed = format!("/{}", "A".repeat(43));
        let paths = [
            None,
            Some("/".to_owned()),
            Some("/admin".to_owned()),
            Some("/admin/roster".to_owned()),
            Some(format!("{guessed}/admin")),
            Some(format!("{guessed}/")),
            Some("/start".to_owned()),
            Some(format!("/start?token={}", ui.token)),
        ];
        for request in &seen {
            for host in [None, Some(ui.host.as_str())] {
                for path in &paths {
                    let answer = replay(&ui.host, request, host, path.as_deref());
                    let shown = String::from_utf8_lossy(&request[..head_end(request).unwrap()]).into_owned();
                    assert!(answer.status == 404 || answer.status == 421, "{path:?} {host:?} {shown}: {answer:?}");
                    assert!(answer.header("set-cookie").is_none() && !answer.body.contains("csrf"), "{shown}");
                }
            }
        }

        // Had the other program the prefix and the CSRF token, its forms
        // would still be refused: the browser says they come from its port.
        for referrer in ["strict-origin-when-cross-origin", "no-referrer"] {
            for (path, fields) in [
                ("/lang", [("csrf", csrf.as_str()), ("lang", "nb"), ("back", "/")]),
                ("/admin/invite", [("csrf", csrf.as_str()), ("role", "admin"), ("name", "Mallory")]),
            ] {
                let page = format!("/knows-{referrer}{}", path.replace('/', "-"));
                elsewhere.set_page(&page, form_page(&format!("{app}{path}"), &fields, referrer));
                goto_and_wait(&b, &elsewhere.url(&page), "did not come from a page of this app").await;
            }
        }
        screenshots(&b, "refused-origin").await;

        // Nothing changed: still unlocked, in English, the same roster, no
        // invite, the same audit log.
        let after = admin_pages(&b, &app).await;
        assert_eq!(before, after);
        assert!(after[0].contains("No device is waiting for approval."), "{}", after[0]);
        b.close().await.unwrap();
    });
}
