//! Enrolling in the page: `visitnotes ui` with no profile serves the
//! enrolment form; a person pastes the invite an administrator made in the
//! administration page, reads the fingerprint the page shows, and the page
//! moves on once the administrator approves. Mistakes keep what was typed
//! (but the passphrases), before the one-time invite is spent; an approval
//! that never comes, and a rejection, say what to do. The first
//! administrator enrols in the page too, with the organisation's units,
//! and is offered the organisation key's shares to print.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use visitnotes_shared::invite::Invite;

use crate::harness::browser::{
    body, browser, click, fill, open, screenshots, submit, text, unlock, value, Browser, Driver,
};
use crate::harness::ui::Ui;
use crate::harness::{Cluster, Org, Person};

/// Opens the printed address of a `visitnotes ui` with no profile: every
/// page leads to the enrolment form. Answers `http://127.0.0.1:PORT/<prefix>`.
async fn open_enrolment(b: &Browser, ui: &Ui) -> String {
    b.goto(&ui.url()).await.unwrap();
    let url = b.current_url().await.unwrap();
    let app = url.as_str().strip_suffix("/enrol").unwrap_or_else(|| panic!("the enrolment page: {url}")).to_owned();
    // Any other page leads there too while there is no profile.
    for path in ["/", "/admin", "/notes/new", "/sync"] {
        b.goto(&format!("{app}{path}")).await.unwrap();
        if path == "/sync" {
            continue; // the sync page shows "locked" and offers the home page
        }
        assert_eq!(b.current_url().await.unwrap().as_str(), format!("{app}/enrol"), "{path}");
    }
    b.goto(&format!("{app}/enrol")).await.unwrap();
    app
}

/// Fills the form and sends it.
async fn enrol(b: &Browser, invite: &str, name: &str, passphrase: &str, again: &str) {
    fill(b, "invite", invite).await;
    fill(b, "name", name).await;
    fill(b, "passphrase", passphrase).await;
    fill(b, "passphrase_again", again).await;
    submit(b, Locator::Id("enrol")).await;
}

/// The invite as a mail client may deliver it: broken over lines, indented.
fn as_mailed(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars.chunks(40).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("\n  ")
}

/// The groups of a fingerprint as shown.
fn groups(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// Waits until the browser's address is `url` (a page that moves on by
/// itself).
async fn wait_for_url(b: &Browser, url: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while b.current_url().await.map(|u| u.as_str() != url).unwrap_or(true) {
        assert!(Instant::now() < deadline, "never reached {url}: {}", body(b).await);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The administrator makes an invite in the administration page; a person
/// with no profile enrols with it in the page (after a mistyped invite, a
/// short passphrase and a wrong confirmation, which keep what was typed and
/// do not spend the invite; an invite the server does not know, a server
/// that does not answer and one with another organisation key, each said
/// in words); the fingerprint the page
/// shows is the one the administrator's page shows; once approved there,
/// the person's page moves on by itself to the home page, synced, and
/// they write a note and sync it.
#[test]
fn a_person_enrols_in_the_page_and_moves_on_once_the_administrator_approves() {
    let org = Org::start();
    let driver = Driver::start();
    let admin_ui = Ui::start(&org.admin);
    let nina = org.cluster.person("Nina New");
    assert!(!nina.home.exists());
    let nina_ui = Ui::start_with(&nina, &[("VISITNOTES_UI_WAIT_SECONDS", "1")]);
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let a = browser(&driver, &profiles.path().join("admin"), true).await;
        let admin_app = open(&a, &admin_ui).await;
        unlock(&a, &org.admin).await;
        a.goto(&format!("{admin_app}/admin")).await.unwrap();
        fill(&a, "invite-name", "Nina New").await;
        a.find(Locator::Id("invite-role")).await.unwrap().select_by_value("leader").await.unwrap();
        submit(&a, Locator::Id("invite")).await;
        let code = value(&a, "invite-code").await;
        assert!(code.starts_with("VN1-"), "{code}");
        let page = body(&a).await;
        assert!(page.contains("paste the code on its first page"), "{page}");

        // Without script: the pages must work without it.
        let b = browser(&driver, &profiles.path().join("nina"), false).await;
        let app = open_enrolment(&b, &nina_ui).await;
        screenshots(&b, "enrol-form").await;

        // A mistyped invite, a short passphrase, a confirmation that differs.
        let mut typo: Vec<char> = code.chars().collect();
        typo[60] = if typo[60] == 'A' { 'B' } else { 'A' };
        let typo: String = typo.into_iter().collect();
        enrol(&b, &typo, "Nina New", "short", "shorter").await;
        let invite_error = text(&b, "invite-error").await;
        assert!(invite_error.contains("copy it again, whole"), "{invite_error}");
        assert!(text(&b, "passphrase-error").await.contains("at least 8 characters"));
        assert!(text(&b, "passphrase_again-error").await.contains("type the same passphrase in both fields"));
        assert!(text(&b, "errors").await.contains("Nothing was sent and the invite is not used"));
        assert!(text(&b, "enrol-retype").await.contains("type the passphrase again"));
        assert_eq!(value(&b, "invite").await, typo, "the invite as typed");
        assert_eq!(value(&b, "name").await, "Nina New");
        assert_eq!(value(&b, "passphrase").await, "", "never sent back");
        assert!(!nina.home.join("config.json").exists() && !profile_made(&nina), "nothing was set up");
        screenshots(&b, "enrol-errors").await;

        // The real invite and a confirmation that differs: refused here,
        // before the one-time invite goes to the server (it works below).
        enrol(&b, &as_mailed(&code), "Nina New", &nina.passphrase, "passphrase of someone else").await;
        assert!(text(&b, "passphrase_again-error").await.contains("type the same passphrase in both fields"));
        assert!(b.find(Locator::Id("passphrase-error")).await.is_err(), "the first one was fine");
        assert_eq!(value(&b, "invite").await, as_mailed(&code), "the invite as typed");
        assert_eq!(value(&b, "name").await, "Nina New");
        assert!(!profile_made(&nina), "nothing was set up");

        // A well-formed invite the server never made: refused by the
        // server, said at the invite, with what to do; nothing lost.
        let org_key = org.admin.unlock().config.org_key.digest();
        let unknown =
            visitnotes_shared::invite::Invite::generate(&format!("http://{}", org.cluster.addr), Some(org_key))
                .encode();
        enrol(&b, &unknown, "Nina New", &nina.passphrase, &nina.passphrase).await;
        let invite_error = text(&b, "invite-error").await;
        assert!(invite_error.contains("Ask your administrator for a new invite"), "{invite_error}");
        assert_eq!(value(&b, "name").await, "Nina New");
        assert_eq!(value(&b, "invite").await, unknown);
        assert!(!profile_made(&nina), "nothing was set up");
        screenshots(&b, "enrol-refused-invite").await;

        // A server that does not answer, and one whose organisation key is
        // not the invite's: said in words, nothing set up, nothing lost.
        // Port 1: nothing listens there (a port freed by another test
        // could be taken again by one of the other tests' servers).
        let closed = "127.0.0.1:1";
        let unreachable = Invite::generate(&format!("http://{closed}"), Some(org_key)).encode();
        enrol(&b, &unreachable, "Nina New", &nina.passphrase, &nina.passphrase).await;
        let said = text(&b, "errors").await;
        assert!(said.contains(&format!("Cannot reach the server at http://{closed}")), "{said}");
        assert!(said.contains("nothing was lost, try again later"), "{said}");
        assert_eq!(value(&b, "name").await, "Nina New");
        let foreign = Invite::generate(&format!("http://{}", org.cluster.addr), Some([7; 32])).encode();
        enrol(&b, &foreign, "Nina New", &nina.passphrase, &nina.passphrase).await;
        let said = text(&b, "errors").await;
        assert!(said.contains("this may not be your organisation's server. Nothing was sent"), "{said}");
        assert_eq!(value(&b, "invite").await, foreign);
        assert!(!profile_made(&nina), "nothing was set up");

        // The real invite, as a mail client broke it.
        enrol(&b, &as_mailed(&code), "Nina New", &nina.passphrase, &nina.passphrase).await;
        assert_eq!(b.current_url().await.unwrap().path(), format!("{}/enrol/wait", url_path(&app)));
        let page = body(&b).await;
        assert!(page.contains("Read this fingerprint to your administrator"), "{page}");
        let fingerprint = groups(&text(&b, "device-fingerprint").await);
        assert_eq!(fingerprint.join(" "), nina.unlock().secrets.device.signing_key().fingerprint());

        // The administrator's page shows the same fingerprint; approves.
        a.goto(&format!("{admin_app}/admin")).await.unwrap();
        let card = a.find(Locator::Css("article.candidate")).await.unwrap();
        let device = card.attr("id").await.unwrap().unwrap().strip_prefix("pending-").unwrap().to_owned();
        assert_eq!(groups(&text(&a, &format!("fingerprint-{device}")).await), fingerprint);
        submit(&a, Locator::Id(&format!("approve-{device}"))).await;
        assert!(body(&a).await.contains("Nina New is approved"));

        // Nina's page moves on by itself, synced.
        wait_for_url(&b, &format!("{app}/")).await;
        let page = body(&b).await;
        assert!(page.contains("Hello, Nina New"), "{page}");
        assert!(page.contains("Your administrator approved this computer, and it is synced"), "{page}");

        // She writes a note and syncs it.
        submit(&b, Locator::Id("new-note")).await;
        click(&b, "unit-0").await;
        fill(&b, "volunteers", "2").await;
        fill(&b, "people_met", "4").await;
        fill(&b, "summary", "A first visit, written after enrolling in the page.").await;
        submit(&b, Locator::Id("save")).await;
        let result = crate::harness::browser::sync(&b).await;
        assert!(result.contains("Sync finished"), "{result}");
        let stored: i64 = org.cluster.number(&format!(
            "SELECT COUNT(*) FROM notes WHERE lower(hex(device_id)) = '{}'",
            nina.unlock().config.device_id
        ));
        assert_eq!(stored, 1, "the note is on the server");
    });
}

/// The path of an app address (`http://host/<prefix>` → `/<prefix>`).
fn url_path(app: &str) -> String {
    url::Url::parse(app).unwrap().path().to_owned()
}

/// Whether a profile was made in the person's folder.
fn profile_made(person: &Person) -> bool {
    visitnotes_core::profile::exists(&person.home)
}

/// Nobody approves: after a while the waiting page says what to do, and
/// that closing Visitnotes loses nothing; after a restart, the unlock page
/// leads back to the same wait, same fingerprint. Then the administrator
/// rejects the enrolment, and the page says so and what to do.
#[test]
fn an_approval_that_never_comes_says_what_to_do_and_a_rejection_says_so() {
    let org = Org::start();
    let driver = Driver::start();
    let omar = org.cluster.person("Omar Other");
    let code = crate::harness::invite(&org.admin, "leader", "Omar Other");
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let fingerprint = runtime.block_on(async {
        let ui = Ui::start(&omar);
        let b = browser(&driver, &profiles.path().join("omar"), false).await;
        open_enrolment(&b, &ui).await;
        enrol(&b, &code, "Omar Other", &omar.passphrase, &omar.passphrase).await;
        let fingerprint = text(&b, "device-fingerprint").await;
        // The page checks by itself; a person may turn that off (and the
        // page then does not reload while it is checked and photographed).
        let refresh = b.find(Locator::Css("head > meta[http-equiv=refresh]")).await.unwrap();
        assert!(refresh.attr("content").await.unwrap().unwrap().contains("/enrol/wait?checks=1"));
        submit(&b, Locator::Id("wait-auto-off")).await;
        assert!(b.find(Locator::Css("head > meta[http-equiv=refresh]")).await.is_err());
        assert!(b.find(Locator::Id("enrol-wait-still")).await.is_err(), "not at once");
        screenshots(&b, "enrol-wait").await;
        // Check again, and again: no approval, until the page says what
        // to do (after about a minute of checks).
        let mut checks = 0;
        while b.find(Locator::Id("enrol-wait-still")).await.is_err() {
            checks += 1;
            assert!(checks <= 20, "the page never said what to do");
            submit(&b, Locator::Id("check-again")).await;
        }
        assert!(checks >= 5, "not after {checks} checks already");
        let still = text(&b, "enrol-wait-still").await;
        assert!(
            still.contains("Ask your administrator to approve the device with this fingerprint")
                && still.contains("You can close Visitnotes now: your enrolment is kept"),
            "{still}"
        );
        assert_eq!(text(&b, "device-fingerprint").await, fingerprint);
        screenshots(&b, "enrol-wait-still").await;
        fingerprint
    });

    // Closed and opened again: the passphrase, then the same wait.
    let ui = Ui::start(&omar);
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("omar-again"), false).await;
        let app = open(&b, &ui).await;
        fill(&b, "passphrase", &omar.passphrase).await;
        submit(&b, Locator::Id("unlock")).await;
        assert_eq!(b.current_url().await.unwrap().as_str(), format!("{app}/enrol/wait"));
        assert_eq!(text(&b, "device-fingerprint").await, fingerprint);
        submit(&b, Locator::Id("wait-auto-off")).await;

        org.admin.run(&["admin", "reject", "Omar Other", "--yes"]).ok();
        submit(&b, Locator::Id("check-again")).await;
        let refused = text(&b, "enrol-refused").await;
        assert!(
            refused.contains("rejected the enrolment") && refused.contains("Ask them for a new invite"),
            "{refused}"
        );
        screenshots(&b, "enrol-rejected").await;
    });
}

/// The first administrator enrols with the bootstrap invite in the page:
/// the units are asked for, suggested in the page's language, and edited;
/// the next page says the organisation key has its only copy here, and
/// makes shares to print, each on a printed page of its own with nothing
/// else (print media emulated in Chromium). Put off with Later, the
/// administration page keeps saying so until the shares are made.
#[test]
fn the_first_administrator_enrols_in_the_page_with_units_and_gets_shares_to_print() {
    let cluster = Cluster::start();
    let driver = Driver::start();
    let ada = cluster.person("Ada Admin");
    let ui = Ui::start(&ada);
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("ada"), true).await;
        let app = open_enrolment(&b, &ui).await;
        enrol(&b, &cluster.bootstrap, "Ada Admin", &ada.passphrase, &ada.passphrase).await;
        // Not enrolled yet: the units to check first.
        assert!(!profile_made(&ada));
        assert_eq!(value(&b, "units").await, "Men's unit\nWomen's unit\nExtra unit\nSecurity unit");
        assert!(text(&b, "units-error").await.contains("check its units below"));
        assert_eq!(value(&b, "name").await, "Ada Admin");
        screenshots(&b, "enrol-bootstrap-units").await;
        // In Norwegian, the suggestions are too.
        submit(&b, Locator::Css("button[name=lang][value=nb]")).await;
        b.goto(&format!("{app}/enrol")).await.unwrap();
        fill(&b, "invite", &cluster.bootstrap).await;
        fill(&b, "name", "Ada Admin").await;
        submit(&b, Locator::Id("enrol")).await;
        assert_eq!(
            value(&b, "units").await,
            "Mannsavdelingen\nKvinneavdelingen\nEkstraavdelingen\nSikkerhetsavdelingen"
        );
        submit(&b, Locator::Css("button[name=lang][value=en]")).await;
        fill(&b, "invite", &cluster.bootstrap).await;
        fill(&b, "name", "Ada Admin").await;
        submit(&b, Locator::Id("enrol")).await;

        fill(&b, "units", "North wing\n\n  South wing  \n").await;
        fill(&b, "passphrase", &ada.passphrase).await;
        fill(&b, "passphrase_again", &ada.passphrase).await;
        submit(&b, Locator::Id("enrol")).await;
        assert_eq!(b.current_url().await.unwrap().as_str(), format!("{app}/enrol/backup"));
        assert!(text(&b, "enrol-backup-only-copy").await.contains("this is its only copy"));
        assert_eq!(ada.roster().units, ["North wing", "South wing"]);
        screenshots(&b, "enrol-backup").await;

        // Later: the administration page keeps saying the backup is not
        // done, and leads back to it.
        submit(&b, Locator::Id("backup-later")).await;
        assert!(body(&b).await.contains("Hello, Ada Admin"));
        b.goto(&format!("{app}/admin")).await.unwrap();
        assert!(text(&b, "org-key-backup-missing").await.contains("only copy is on this computer"));
        b.goto(&format!("{app}/admin")).await.unwrap();
        assert!(text(&b, "org-key-backup-missing").await.contains("only copy is on this computer"), "not once only");
        submit(&b, Locator::Id("org-key-backup-make")).await;
        submit(&b, Locator::Id("make-shares")).await;
        let shares = b.find_all(Locator::Css("section.share")).await.unwrap();
        assert_eq!(shares.len(), 5);
        let first = text(&b, "share-1").await;
        assert!(first.contains("share 1 of 5") && first.contains("Any 3 of the 5 shares"), "{first}");
        let code = b.find(Locator::Css("#share-1 .share-code")).await.unwrap().text().await.unwrap();
        assert!(visitnotes_core::org_shares::ShareCode::decode(&code).is_ok(), "{code}");
        screenshots(&b, "enrol-shares").await;

        // The print view: only the shares, each on a page of its own.
        print_media(&b, true).await;
        let printed = b
            .execute(
                "return [getComputedStyle(document.querySelector('header.top')).display,
                         getComputedStyle(document.querySelector('footer')).display,
                         getComputedStyle(document.querySelector('form[action$=\"/enrol/backup/done\"]')).display,
                         getComputedStyle(document.querySelector('#share-1')).breakAfter,
                         getComputedStyle(document.querySelector('#share-5')).breakAfter];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(printed, serde_json::json!(["none", "none", "none", "page", "auto"]));
        let png = b.screenshot().await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/web-screenshots");
        std::fs::write(dir.join("enrol-shares-print-1200.png"), png).unwrap();
        print_media(&b, false).await;

        submit(&b, Locator::Id("shares-done")).await;
        assert!(body(&b).await.contains("The shares are recorded as made"));
        b.goto(&format!("{app}/admin")).await.unwrap();
        assert!(b.find(Locator::Id("org-key-backup-missing")).await.is_err(), "the backup is done");
    });
}

/// Chromium's `Emulation.setEmulatedMedia` through chromedriver: the page
/// styled as printed, or as on screen again.
async fn print_media(b: &Browser, print: bool) {
    #[derive(Debug)]
    struct Cdp(serde_json::Value);
    impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
        fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
            base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
        }
        fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
            (http::Method::POST, Some(self.0.to_string()))
        }
    }
    let media = if print { "print" } else { "" };
    b.issue_cmd(Cdp(serde_json::json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "media": media } })))
        .await
        .unwrap();
}
