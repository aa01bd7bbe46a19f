//! Headless Chromium over WebDriver for the web tests: chromedriver, a
//! browser session, what a person does on a page, and the screenshots
//! taken after each page passed the accessibility checks.

use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::accessibility::{assert_accessible, assert_labelled, assert_under_the_prefix};
use super::ui::Ui;
use super::Person;

/// chromedriver on a free port, stopped when dropped.
pub struct Driver {
    pub child: Child,
    pub url: String,
}

impl Driver {
    pub fn start() -> Driver {
        let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        assert!(
            std::path::Path::new(&path).exists(),
            "{path} is missing: install Debian's chromium and chromium-driver packages (`.ci/run` does)"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, url: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub type Browser = fantoccini::Client;

pub async fn browser(driver: &Driver, profile: &std::path::Path, javascript: bool) -> Browser {
    browser_in(driver, profile, javascript, "en-GB").await
}

/// `browser` whose language (what it asks pages in) is `lang`, such as `nb-NO`.
pub async fn browser_in(driver: &Driver, profile: &std::path::Path, javascript: bool, lang: &str) -> Browser {
    let mut caps = serde_json::Map::new();
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,900",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--lang={lang}"));
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut options = serde_json::json!({ "args": args });
    if let Ok(binary) = std::env::var("CHROMIUM") {
        options["binary"] = binary.into();
    }
    // What `Accept-Language` says (headless Chromium does not take it from `--lang`).
    options["prefs"] = serde_json::json!({ "intl.accept_languages": lang });
    if !javascript {
        options["prefs"]["profile.managed_default_content_settings.javascript"] = 2.into();
    }
    caps.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    fantoccini::ClientBuilder::new(connector).capabilities(caps).connect(&driver.url).await.expect("a browser session")
}

/// The page, as PNG at 1200 and 400 px wide, under target/web-screenshots/,
/// after checking it is accessible (`assert_accessible`).
pub async fn screenshots(b: &Browser, name: &str) {
    assert_labelled(b, name).await;
    assert_accessible(b, name).await;
    assert_under_the_prefix(b, name).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/web-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for width in [1200u32, 400] {
        b.set_window_size(width, 900).await.unwrap();
        // The whole page: as tall as its content.
        let height = b
            .execute("return Math.max(document.body.scrollHeight, 600);", vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(1600)
            .min(8000) as u32;
        b.set_window_size(width, height + 140).await.unwrap();
        let png = b.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}-{width}.png")), png).unwrap();
    }
    b.set_window_size(1200, 900).await.unwrap();
}

pub async fn fill(b: &Browser, id: &str, text: &str) {
    let field = b.find(fantoccini::Locator::Id(id)).await.unwrap_or_else(|e| panic!("#{id}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub async fn click(b: &Browser, id: &str) {
    b.find(fantoccini::Locator::Id(id)).await.unwrap_or_else(|e| panic!("#{id}: {e}")).click().await.unwrap();
}

/// Clicks a submit button and waits for the next page.
pub async fn submit(b: &Browser, locator: fantoccini::Locator<'_>) {
    let old = b.find(fantoccini::Locator::Css("html")).await.unwrap();
    b.find(locator).await.unwrap_or_else(|e| panic!("{locator:?}: {e}")).click().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while old.tag_name().await.is_ok() {
        assert!(Instant::now() < deadline, "no new page after {locator:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The new page has loaded far enough to have a body.
    while b.find(fantoccini::Locator::Css("footer, main")).await.is_err() {
        assert!(Instant::now() < deadline, "the page after {locator:?} did not load");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn value(b: &Browser, id: &str) -> String {
    let field = b.find(fantoccini::Locator::Id(id)).await.unwrap_or_else(|e| panic!("#{id}: {e}"));
    field.prop("value").await.unwrap().unwrap_or_default()
}

pub async fn checked(b: &Browser, id: &str) -> bool {
    let field = b.find(fantoccini::Locator::Id(id)).await.unwrap_or_else(|e| panic!("#{id}: {e}"));
    field.prop("checked").await.unwrap().as_deref() == Some("true")
}

pub async fn text(b: &Browser, id: &str) -> String {
    b.find(fantoccini::Locator::Id(id)).await.unwrap_or_else(|e| panic!("#{id}: {e}")).text().await.unwrap()
}

pub async fn body(b: &Browser) -> String {
    b.find(fantoccini::Locator::Css("body")).await.unwrap().text().await.unwrap()
}

/// Opens the printed address; the browser lands on the home page, under
/// the pages' secret prefix. Answers `http://127.0.0.1:PORT/<prefix>`.
pub async fn open(b: &Browser, ui: &Ui) -> String {
    b.goto(&ui.url()).await.unwrap();
    let home = b.current_url().await.unwrap();
    assert_eq!(home.query(), None, "the token left the address bar: {home}");
    let app = home.as_str().strip_suffix('/').unwrap_or_else(|| panic!("the home page: {home}")).to_owned();
    assert_eq!(app.len(), format!("http://{}/", ui.host).len() + 43, "the prefix: {home}");
    app
}

pub async fn unlock(b: &Browser, person: &Person) {
    fill(b, "passphrase", &person.passphrase).await;
    submit(b, fantoccini::Locator::Id("unlock")).await;
    let page = body(b).await;
    assert!(page.contains(&format!("Hello, {}", person.name)), "{page}");
}

/// Waits until the sync page shows its result.
pub async fn sync(b: &Browser) -> String {
    submit(b, fantoccini::Locator::Css("header form[action$='/sync'] button")).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(result) = b.find(fantoccini::Locator::Id("sync-result")).await {
            return result.text().await.unwrap();
        }
        assert!(Instant::now() < deadline, "the sync did not finish: {}", body(b).await);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
