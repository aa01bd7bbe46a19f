//! The session and its security: the one-time token, the cookie under the
//! pages' secret prefix, loopback only, DNS rebinding, CSRF and same-origin
//! checks, the security headers, the lock.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::client;
use crate::harness::ui::{form_body, raw, small_org, Http, Ui};

/// The printed token works once, becomes an HttpOnly, SameSite=Strict
/// session cookie scoped to the pages' secret prefix, and leaves the
/// address bar (a redirect to the home page under the prefix, which the
/// printed address does not carry).
#[test]
fn the_token_is_exchanged_once_for_a_session_cookie() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let host = [("Host", ui.host.as_str())];
    let wrong = raw(&ui.host, "GET", "/start?token=AAAA", &host, "");
    assert_eq!(wrong.status, 404);
    let answer = raw(&ui.host, "GET", &format!("/start?token={}", ui.token), &host, "");
    assert_eq!(answer.status, 303);
    let home = answer.header("location").unwrap();
    let prefix = home.strip_suffix('/').unwrap();
    assert_eq!(prefix.len(), 44, "{home}");
    assert!(prefix[1..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{home}");
    assert!(!ui.printed().contains(&prefix[1..]), "the prefix is never printed");
    assert!(!ui.url().contains(&prefix[1..]), "nor in the address the browser is opened with");
    let cookie = answer.header("set-cookie").unwrap();
    let attributes: Vec<&str> = cookie.split("; ").skip(1).collect();
    assert_eq!(attributes, [&*format!("Path={prefix}/"), "HttpOnly", "SameSite=Strict"], "{cookie}");
    // Used once: the same address again is not found.
    let again = raw(&ui.host, "GET", &format!("/start?token={}", ui.token), &host, "");
    assert_eq!(again.status, 404, "{again:?}");
    // No cookie: no page.
    for path in ["/", "/notes/new", "/notes", "/sync"] {
        let answer = raw(&ui.host, "GET", &format!("{prefix}{path}"), &host, "");
        assert_eq!(answer.status, 403, "{path}: {answer:?}");
        assert!(!answer.body.contains("name=\"passphrase\""), "{path}");
    }
    // The cookie opens the unlock form; a made-up cookie does not.
    let session = cookie.split(';').next().unwrap();
    let page = raw(&ui.host, "GET", home, &[host[0], ("Cookie", session)], "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"passphrase\""), "{}", page.body);
    let forged = raw(&ui.host, "GET", home, &[host[0], ("Cookie", "visitnotes_session=forged")], "");
    assert_eq!(forged.status, 403);
}

/// Only a loopback address is served.
#[test]
fn a_non_loopback_address_is_refused() {
    let (_cluster, leader) = small_org();
    for listen in ["0.0.0.0:0", "192.0.2.1:8080", "[::]:0"] {
        let mut child = client()
            .env("VISITNOTES_HOME", &leader.home)
            .args(["ui", "--no-browser", "--listen", listen])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // It must stop at once; one that serves is stopped by the test.
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("visitnotes ui --listen {listen} is serving");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("not a loopback address"), "{stderr}");
        assert!(!String::from_utf8_lossy(&output.stdout).contains("token="));
    }
}

/// A request whose Host is not the bound address and port (a page
/// of another site after DNS rebinding, or another port) gets 421.
#[test]
fn a_foreign_host_is_refused_against_dns_rebinding() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    let port = ui.host.rsplit(':').next().unwrap();
    let other_port = format!("127.0.0.1:{}", port.parse::<u16>().unwrap().wrapping_add(1));
    for host in ["evil.example", &format!("evil.example:{port}"), &format!("localhost:{port}"), &other_port, ""] {
        let (home, lock) = (http.url("/"), http.url("/lock"));
        for (method, path) in [("GET", &*home), ("GET", &*format!("/start?token={}", ui.token)), ("POST", &*lock)] {
            let answer = raw(&ui.host, method, path, &[("Host", host), ("Cookie", &http.cookie)], "");
            assert_eq!(answer.status, 421, "{method} {path} with Host {host:?}: {answer:?}");
        }
    }
    assert_eq!(http.get("/").status, 200);
}

/// Every state-changing request needs the CSRF token and must say
/// it comes from this app's own page (its Origin, or `Sec-Fetch-Site:
/// same-origin`); other methods are refused.
#[test]
fn state_changes_need_the_csrf_token_and_the_same_origin() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    let csrf = http.get("/").csrf();
    let own = format!("http://{}", ui.host);
    let unlock = form_body(&csrf, &[("passphrase", &leader.passphrase)]);
    let no_token = form_body("", &[("passphrase", &leader.passphrase)]);
    let wrong_token = form_body("x", &[("passphrase", &leader.passphrase)]);
    for (headers, body) in [
        (vec![("Origin", own.as_str())], no_token.as_str()),
        (vec![("Origin", own.as_str())], wrong_token.as_str()),
        (vec![("Origin", "http://evil.example")], unlock.as_str()),
        (vec![("Origin", "null")], unlock.as_str()),
        (vec![("Origin", "null"), ("Sec-Fetch-Site", "cross-site")], unlock.as_str()),
        (vec![("Origin", own.as_str()), ("Sec-Fetch-Site", "cross-site")], unlock.as_str()),
        (vec![("Sec-Fetch-Site", "same-site")], unlock.as_str()),
        (vec![("Sec-Fetch-Site", "none")], unlock.as_str()),
        (vec![("Origin", "http://evil.example"), ("Sec-Fetch-Site", "same-origin")], unlock.as_str()),
        // Neither header: a program, not a page of this app.
        (vec![], unlock.as_str()),
    ] {
        let answer = http.post_with("/unlock", &headers, body);
        assert_eq!(answer.status, 403, "{headers:?}: {answer:?}");
        assert!(http.get("/").body.contains("name=\"passphrase\""), "still locked after {headers:?}");
    }
    // A form of this app's page, as a browser sends it under
    // `no-referrer`: Origin "null", and the header no page can set.
    let answer = http.post_with("/unlock", &[("Origin", "null"), ("Sec-Fetch-Site", "same-origin")], &unlock);
    assert_eq!(answer.status, 303, "{answer:?}");
    assert!(!http.get("/").body.contains("name=\"passphrase\""), "unlocked");

    // Every form of the app refuses a post without the token, and nothing
    // changes: no note, no draft, still unlocked, same language.
    let note = [("date", "01.03.2026"), ("unit", "Unit A"), ("people_met", "4"), ("action", "save")];
    for path in [
        "/notes/new",
        "/notes/new/draft",
        "/notes/new/discard",
        "/lock",
        "/lang",
        "/sync",
        "/unlock",
        "/notes/0123456789abcdef/edit",
        "/notes/0123456789abcdef/delete",
        "/notes/0123456789abcdef/draft",
    ] {
        let answer = http.post_with(path, &[("Origin", &own)], &form_body("", &note));
        assert_eq!(answer.status, 403, "{path}: {answer:?}");
        let answer = http.post_with(path, &[("Origin", "http://evil.example")], &form_body(&csrf, &note));
        assert_eq!(answer.status, 403, "{path} from another origin: {answer:?}");
    }
    let home = http.get("/");
    assert!(!home.body.contains("name=\"passphrase\""), "still unlocked");
    assert!(home.body.contains("lang=\"en\""));
    let listed = leader.run(&["--json", "note", "list"]).ok().json();
    assert_eq!(listed["notes"].as_array().unwrap().len(), 0, "no note was written");
    let form = http.get("/notes/new");
    assert!(!form.body.contains("01.03.2026"), "no draft was kept");
    for method in ["PUT", "DELETE", "PATCH"] {
        let answer =
            raw(&ui.host, method, &http.url("/notes/new"), &[("Host", &ui.host), ("Cookie", &http.cookie)], "");
        assert_eq!(answer.status, 405, "{method}");
    }
}

/// The headers on every answer, pages, assets and refusals alike;
/// everything a page loads is this app's own.
#[test]
fn every_answer_carries_the_security_headers() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    http.unlock(&leader.passphrase);
    let (home, own) = (http.url("/"), format!("http://{}", ui.host));
    let answers = [
        ("home", http.get("/")),
        ("form", http.get("/notes/new")),
        ("css", http.get("/assets/style.css")),
        ("js", http.get("/assets/draft.js")),
        ("404", http.get("/nothing")),
        ("outside the prefix", raw(&ui.host, "GET", "/", &[("Host", &ui.host), ("Cookie", &http.cookie)], "")),
        ("403", raw(&ui.host, "GET", &home, &[("Host", &ui.host)], "")),
        ("421", raw(&ui.host, "GET", &home, &[("Host", "evil.example")], "")),
        ("origin", http.post_with("/lock", &[], "csrf=wrong")),
        ("csrf", http.post_with("/lock", &[("Origin", &own)], "csrf=wrong")),
    ];
    // A page that does not exist still has the navigation and a way home.
    let missing = &answers[4].1;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("nav aria-label") && missing.body.contains("id=\"not-found-home\""), "{missing:?}");
    for (what, answer) in &answers {
        let csp = answer.header("content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP"));
        for part in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"] {
            assert!(csp.contains(part), "{what}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("http"), "{what}: {csp}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{what}");
        assert_eq!(answer.header("referrer-policy"), Some("no-referrer"), "{what}");
        assert_eq!(answer.header("cache-control"), Some("no-store"), "{what}");
    }
    // No inline script or style, no handler attributes, nothing from
    // another origin.
    for (what, answer) in &answers[..2] {
        http.assert_fits_the_csp(answer, what);
    }
    assert_eq!(answers[6].1.status, 403, "{:?}", answers[6].1);
    assert_eq!(answers[8].1.status, 403, "{:?}", answers[8].1);
    assert!(answers[8].1.body.contains("did not come from a page of this app"), "{:?}", answers[8].1);
    assert_eq!(answers[9].1.status, 403, "{:?}", answers[9].1);
    assert!(answers[9].1.body.contains("This form is out of date"), "{:?}", answers[9].1);
}

/// Lock drops the keys at once; so does the idle lock.
#[test]
fn lock_and_the_idle_lock_drop_the_keys() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start_with(&leader, &[("VISITNOTES_UI_IDLE_SECONDS", "2")]);
    let http = Http::start(&ui);
    let wrong = http.unlock("not the passphrase");
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("Wrong passphrase"), "{}", wrong.body);
    assert_eq!(http.unlock(&leader.passphrase).status, 303);
    let home = http.get("/");
    assert!(home.body.contains("Hello, Lea Leader"), "{}", home.body);
    let csrf = home.csrf();
    assert_eq!(http.post("/lock", &csrf, &[]).status, 303);
    let locked = http.get("/");
    assert!(locked.body.contains("name=\"passphrase\""), "locked by the button");
    assert!(locked.body.contains("the keys are gone from memory"), "{}", locked.body);
    // Pages that need the keys send back to the unlock form.
    assert_eq!(http.get("/notes/new").status, 303);

    assert_eq!(http.unlock(&leader.passphrase).status, 303);
    assert!(http.get("/").body.contains("Hello, Lea Leader"));
    std::thread::sleep(Duration::from_secs(5));
    assert!(http.get("/").body.contains("name=\"passphrase\""), "locked after 2 idle seconds");
}

/// A POST that carries neither `Origin` nor `Sec-Fetch-Site` does not come
/// from a page of this app (browsers send them): refused, whatever the
/// form, with the cookie and the right CSRF token, and nothing changes.
#[test]
fn a_post_without_origin_or_sec_fetch_site_is_refused_and_changes_nothing() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    let csrf = http.get("/").csrf();
    let unlock = form_body(&csrf, &[("passphrase", &leader.passphrase)]);
    let answer = http.post_with("/unlock", &[], &unlock);
    assert_eq!(answer.status, 403, "{answer:?}");
    assert!(answer.body.contains("did not come from a page of this app"), "{}", answer.body);
    assert!(http.get("/").body.contains("name=\"passphrase\""), "still locked");
    assert_eq!(http.unlock(&leader.passphrase).status, 303);

    let note = [("date", "01.03.2026"), ("unit", "Unit A"), ("people_met", "4"), ("action", "save")];
    let draft = [("date", "02.03.2026"), ("unit", "Unit A"), ("people_met", "5")];
    let forms: [(&str, &[(&str, &str)]); 6] = [
        ("/lang", &[("lang", "nb"), ("back", "/")]),
        ("/notes/new", &note),
        ("/notes/new/draft", &draft),
        ("/sync", &[]),
        ("/lock", &[]),
        ("/admin/invite", &[("role", "leader"), ("name", "Mallory")]),
    ];
    for (path, fields) in forms {
        let answer = http.post_with(path, &[], &form_body(&csrf, fields));
        assert_eq!(answer.status, 403, "{path}: {answer:?}");
        assert!(answer.body.contains("did not come from a page of this app"), "{path}: {}", answer.body);
    }
    let home = http.get("/");
    assert!(home.body.contains("Hello, Lea Leader"), "still unlocked, still in English: {}", home.body);
    let listed = leader.run(&["--json", "note", "list"]).ok().json();
    assert_eq!(listed["notes"].as_array().unwrap().len(), 0, "no note was written");
    let form = http.get("/notes/new");
    assert!(!form.body.contains("01.03.2026") && !form.body.contains("02.03.2026"), "no draft was kept");
    assert!(!http.get("/sync").body.contains("id=\"sync-result\""), "no sync ran");
    // The same forms from this app's page are taken.
    let answer = http.post("/lang", &csrf, &[("lang", "nb"), ("back", "/")]);
    assert_eq!(answer.status, 303, "{answer:?}");
    assert!(http.get("/").body.contains("Hei, Lea Leader"));
}

/// Anything outside the pages' secret prefix, with or without the
/// session cookie, is the same plain 404, which says nothing of what
/// answered; so is a wrong or spent one-time token.
#[test]
fn a_request_outside_the_prefix_is_a_plain_404() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    assert_eq!(http.unlock(&leader.passphrase).status, 303);
    let p = &http.prefix;
    let guessed = format!("/{}", "A".repeat(43));
    let encoded = format!("/%{:02X}{}", p.as_bytes()[1], &p[2..]);
    let paths = [
        "/".to_owned(),
        "/admin".to_owned(),
        "/notes/new".to_owned(),
        "/assets/style.css".to_owned(),
        "/start".to_owned(),
        format!("/start?token={}", ui.token),
        "/start?token=".to_owned(),
        p.clone(),
        format!("{p}x/"),
        format!("{}/", &p[..p.len() - 1]),
        format!("{}/admin", p.to_ascii_uppercase()),
        format!("{encoded}/admin"),
        format!("{guessed}/"),
        format!("{guessed}/admin"),
        format!("/x{p}/"),
    ];
    let own = format!("http://{}", ui.host);
    let mut bodies = std::collections::BTreeSet::new();
    for path in &paths {
        for cookie in ["", http.cookie.as_str()] {
            let headers = [("Host", ui.host.as_str()), ("Cookie", cookie), ("Origin", own.as_str())];
            for (method, body) in [("GET", ""), ("HEAD", ""), ("POST", "csrf=x"), ("PUT", "")] {
                let answer = raw(&ui.host, method, path, &headers, body);
                assert_eq!(answer.status, 404, "{method} {path}: {answer:?}");
                assert!(answer.header("set-cookie").is_none(), "{method} {path}");
                assert!(answer.header("location").is_none(), "{method} {path}");
                if method != "HEAD" {
                    assert_eq!(answer.header("content-type"), Some("text/plain; charset=utf-8"), "{method} {path}");
                    bodies.insert(answer.body);
                }
            }
        }
    }
    assert_eq!(bodies.len(), 1, "one answer for all: {bodies:?}");
    let body = bodies.pop_first().unwrap();
    assert!(!body.contains("isitnotes") && !body.contains("<"), "{body}");
    // Inside the prefix, the same session still has its pages.
    assert!(http.get("/").body.contains("Hello, Lea Leader"));
}

/// A note left unlocked on screen hides itself when the idle lock falls,
/// without a click: with script, and without it (a refresh in
/// `<noscript>`). The page then shows the unlock form and nothing of the
/// note, not even in its source.
#[test]
fn a_note_left_on_screen_hides_itself_at_the_idle_lock() {
    use crate::harness::browser::{body, browser, open, unlock, Driver};

    let (_cluster, leader) = small_org();
    let canary = "canary-idle-4c1 summary";
    let id = leader.write(&["--unit", "Unit A", "--met", "2", "--summary", canary]);
    let driver = Driver::start();
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for javascript in [true, false] {
        let ui = Ui::start_with(&leader, &[("VISITNOTES_UI_IDLE_SECONDS", "3")]);
        runtime.block_on(async {
            let b = browser(&driver, &profiles.path().join(javascript.to_string()), javascript).await;
            let app = open(&b, &ui).await;
            unlock(&b, &leader).await;
            b.goto(&format!("{app}/notes/{id}")).await.unwrap();
            assert!(body(&b).await.contains(canary), "the note is shown while unlocked");
            let deadline = Instant::now() + Duration::from_secs(30);
            while b.find(fantoccini::Locator::Id("passphrase")).await.is_err() {
                assert!(Instant::now() < deadline, "script {javascript}: the note stayed on screen");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            let source = b.source().await.unwrap();
            assert!(!source.contains(canary), "script {javascript}: the locked page shows nothing of the note");
            assert!(body(&b).await.contains("locked itself"), "script {javascript}: it says why");
            b.close().await.unwrap();
        });
    }
}

/// Typing in a form and walking away: the page hides itself at the idle
/// lock, and what was typed comes back in the form after unlocking.
#[test]
fn what_was_typed_before_the_idle_lock_comes_back_after_unlocking() {
    use crate::harness::browser::{browser, fill, open, submit, unlock, value, Driver};

    let (_cluster, leader) = small_org();
    let driver = Driver::start();
    let profiles = tempfile::tempdir().unwrap();
    let ui = Ui::start_with(&leader, &[("VISITNOTES_UI_IDLE_SECONDS", "3")]);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, profiles.path(), true).await;
        let app = open(&b, &ui).await;
        unlock(&b, &leader).await;
        b.goto(&format!("{app}/notes/new")).await.unwrap();
        fill(&b, "summary", "typed before walking away").await;
        let deadline = Instant::now() + Duration::from_secs(30);
        while b.find(fantoccini::Locator::Id("passphrase")).await.is_err() {
            assert!(Instant::now() < deadline, "the form stayed on screen");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let locked = b.source().await.unwrap();
        assert!(!locked.contains("<textarea"), "the locked page shows no form");
        // Not `unlock`: the page after it is the form, not the home page.
        fill(&b, "passphrase", &leader.passphrase).await;
        submit(&b, fantoccini::Locator::Id("unlock")).await;
        assert_eq!(value(&b, "summary").await, "typed before walking away");
    });
}

/// A disk nearly full is said on the page before anyone types a note
/// that could not be stored, and by `note new` on the command line.
#[test]
fn a_nearly_full_disk_is_said_before_a_note_is_typed() {
    let (_cluster, leader) = small_org();
    let nearly_full = [("VISITNOTES_LOW_DISK_BYTES", "18000000000000000000")];
    let ui = Ui::start_with(&leader, &nearly_full);
    let http = Http::start(&ui);
    http.unlock(&leader.passphrase);
    let form = http.get("/notes/new");
    assert!(form.body.contains("id=\"low-disk\"") && form.body.contains("almost full"), "{}", form.body);
    let run = leader.run_env(&nearly_full, &["note", "new", "--unit", "Unit A", "--met", "1"]);
    assert!(run.stderr.contains("MB free on this computer's disk"), "{}", run.stderr);
    drop(ui);
    let roomy = Ui::start(&leader);
    let http = Http::start(&roomy);
    http.unlock(&leader.passphrase);
    assert!(!http.get("/notes/new").body.contains("id=\"low-disk\""), "no warning with room to spare");
}
