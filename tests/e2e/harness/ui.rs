//! `visitnotes ui` for the web tests: the process on loopback, and a
//! browser session over raw HTTP (every header exactly what the test
//! says), with the small organisation the security checks need.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use super::{client, Cluster, Person};

/// A running `visitnotes ui --no-browser`, stopped when dropped.
pub struct Ui {
    pub child: Child,
    /// Everything it printed (standard output and error), for canaries.
    pub printed: std::sync::Arc<std::sync::Mutex<String>>,
    /// `127.0.0.1:PORT`
    pub host: String,
    /// The one-time token of the printed address.
    pub token: String,
}

impl Ui {
    pub fn start(person: &Person) -> Ui {
        Ui::start_with(person, &[])
    }

    pub fn start_with(person: &Person, env: &[(&str, &str)]) -> Ui {
        Ui::spawn(person, &["ui", "--no-browser"], env)
    }

    /// `visitnotes` alone, as the application menu runs it (no browser:
    /// `VISITNOTES_NO_BROWSER`).
    pub fn launch(person: &Person) -> Ui {
        Ui::spawn(person, &[], &[("VISITNOTES_NO_BROWSER", "1")])
    }

    pub fn spawn(person: &Person, args: &[&str], env: &[(&str, &str)]) -> Ui {
        let mut cmd = client();
        cmd.env("VISITNOTES_HOME", &person.home)
            .env_remove("VISITNOTES_PASSPHRASE")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // The address is the last line printed before the server serves.
        let url = loop {
            let line = lines.next().expect("visitnotes ui printed its address").unwrap();
            if line.starts_with("http://") {
                break line;
            }
        };
        let printed = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let out = printed.clone();
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(|l| out.lock().unwrap().push_str(&l)));
        let err = printed.clone();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            stderr.lines().map_while(Result::ok).for_each(|l| {
                eprintln!("visitnotes ui: {l}");
                err.lock().unwrap().push_str(&l);
            })
        });
        let rest = url.strip_prefix("http://").unwrap();
        let (host, query) = rest.split_once("/start?token=").unwrap();
        Ui { child, printed, host: host.to_owned(), token: query.to_owned() }
    }

    pub fn printed(&self) -> String {
        self.printed.lock().unwrap().clone()
    }

    pub fn url(&self) -> String {
        format!("http://{}/start?token={}", self.host, self.token)
    }
}

impl Drop for Ui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer, as read off the socket.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body as sent (a download's bytes, which `body` may not keep).
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").expect("a form with a CSRF token") + 19;
        self.body[at..].split('"').next().unwrap().to_owned()
    }
}

/// One HTTP/1.1 request with exactly these headers (Host included).
pub fn raw(host: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    if method == "POST" {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    send(host, request.as_bytes())
}

/// These bytes, as they are, to `host`; the answer read until the
/// connection closes.
pub fn send(host: &str, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(request).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines.filter_map(|l| l.split_once(": ").map(|(k, v)| (k.to_owned(), v.to_owned()))).collect();
    // Chunked bodies: the chunk sizes stay in, which the tests do not mind.
    let start = bytes.windows(4).position(|w| w == b"\r\n\r\n").map_or(bytes.len(), |at| at + 4);
    Answer { status, headers, body: body.to_owned(), bytes: bytes[start..].to_vec() }
}

/// A browser session over raw HTTP: the pages' secret prefix and the
/// cookie. Paths are the app's (`/admin`): the prefix is put in front.
pub struct Http<'a> {
    pub ui: &'a Ui,
    /// `/<prefix>`, as the redirect of the one-time address told it.
    pub prefix: String,
    pub cookie: String,
}

impl<'a> Http<'a> {
    /// Exchanges the printed token for the session cookie and the prefix.
    pub fn start(ui: &'a Ui) -> Http<'a> {
        Http::start_with(ui, &ui.token)
    }

    /// `start` with another one-time token of the same `ui` (one a later
    /// launch got).
    pub fn start_with(ui: &'a Ui, token: &str) -> Http<'a> {
        let answer = raw(&ui.host, "GET", &format!("/start?token={token}"), &[("Host", &ui.host)], "");
        assert_eq!(answer.status, 303, "{answer:?}");
        let home = answer.header("location").expect("the home page");
        let prefix = home.strip_suffix('/').expect("the home page ends with /").to_owned();
        assert_eq!(prefix.len(), 44, "/ and 32 random bytes: {prefix}");
        let cookie = answer.header("set-cookie").expect("a session cookie").split(';').next().unwrap().to_owned();
        Http { ui, prefix, cookie }
    }

    /// The URL of the app path `path`, as the pages write it.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    pub fn get(&self, path: &str) -> Answer {
        let answer =
            raw(&self.ui.host, "GET", &self.url(path), &[("Host", &self.ui.host), ("Cookie", &self.cookie)], "");
        self.links_stay_under_the_prefix(&answer);
        answer
    }

    /// Every URL of a page (links, forms, buttons' targets, scripts,
    /// style sheets, the draft's address) is under the prefix, or within
    /// the page: one that is not would leave the session behind.
    fn links_stay_under_the_prefix(&self, answer: &Answer) {
        let own = format!("{}/", self.prefix);
        for attribute in [" href=\"", " src=\"", " action=\"", " formaction=\"", " data-draft=\""] {
            for (at, _) in answer.body.match_indices(attribute) {
                let value = answer.body[at + attribute.len()..].split('"').next().unwrap();
                assert!(
                    value.starts_with(&own) || value.starts_with('#'),
                    "{attribute}{value}\" is not under the prefix"
                );
            }
        }
    }

    /// A page as the CSP lets it run (`default-src 'none'`, own script and
    /// style only): no inline script or style, no handler attributes, and
    /// every URL under the prefix, so nothing from another origin.
    pub fn assert_fits_the_csp(&self, answer: &Answer, what: &str) {
        let body = &answer.body;
        assert!(!body.contains("<script>") && !body.contains("<style") && !body.contains(" style="), "{what}");
        assert!(!body.contains(" onclick=") && !body.contains(" onload="), "{what}");
        self.links_stay_under_the_prefix(answer);
    }

    /// A form post as the page sends it: same Origin, the CSRF token.
    pub fn post(&self, path: &str, csrf: &str, fields: &[(&str, &str)]) -> Answer {
        let origin = format!("http://{}", self.ui.host);
        self.post_with(path, &[("Origin", &origin)], &form_body(csrf, fields))
    }

    pub fn post_with(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut all = vec![("Host", self.ui.host.as_str()), ("Cookie", self.cookie.as_str())];
        all.extend_from_slice(headers);
        let answer = raw(&self.ui.host, "POST", &self.url(path), &all, body);
        self.links_stay_under_the_prefix(&answer);
        answer
    }

    pub fn unlock(&self, passphrase: &str) -> Answer {
        let csrf = self.get("/").csrf();
        self.post("/unlock", &csrf, &[("passphrase", passphrase)])
    }
}

pub fn form_body(csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    if !csrf.is_empty() {
        out.append_pair("csrf", csrf);
    }
    for (k, v) in fields {
        out.append_pair(k, v);
    }
    out.finish()
}

/// An administrator and a leader, approved and synced: enough for the
/// security checks.
pub fn small_org() -> (Cluster, Person) {
    let cluster = Cluster::start();
    let admin = cluster.person("Admin");
    admin.run(&["enroll", &cluster.bootstrap, "--name", "Admin", "--unit", "Unit A", "--unit", "Unit B"]).ok();
    let leader = cluster.person("Lea Leader");
    let invite = admin.run(&["admin", "invite", "--role", "leader", "--name", &leader.name]).ok().last_line();
    leader.enroll(&invite).ok();
    admin.run(&["admin", "approve", "--all"]).ok();
    leader.sync().ok();
    (cluster, leader)
}

/// The value of the hidden field `name` of a page, unescaped.
pub fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = body.find(&marker).unwrap_or_else(|| panic!("no field {name}")) + marker.len();
    let raw = body[at..].split('"').next().unwrap();
    raw.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&")
}
