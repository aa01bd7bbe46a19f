//! The page's language: from the browser, picked on the page and kept; the
//! switch goes back only to a page of this app.

use crate::harness::ui::{raw, small_org, Http, Ui};

/// The page's language follows the browser's Accept-Language
/// until one is picked on the page; the one picked is kept in the profile
/// for the next run.
#[test]
fn the_language_follows_the_browser_and_the_one_picked_is_kept() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    let nb = raw(
        &ui.host,
        "GET",
        &http.url("/"),
        &[("Host", &ui.host), ("Cookie", &http.cookie), ("Accept-Language", "nb-NO,nb;q=0.9,en;q=0.5")],
        "",
    );
    assert!(nb.body.contains("<html lang=\"nb\">") && nb.body.contains("Passordfrase"), "{}", nb.body);
    assert!(http.get("/").body.contains("Passphrase"), "no Accept-Language: English");
    http.unlock(&leader.passphrase);
    let csrf = http.get("/").csrf();
    assert_eq!(
        http.post("/lang", &csrf, &[("lang", "nb"), ("back", "/notes/new")]).header("location"),
        Some(&*http.url("/notes/new"))
    );
    assert!(http.get("/").body.contains("Hei, Lea Leader"));
    // Only a path of this app to go back to.
    let away = http.post("/lang", &csrf, &[("lang", "en"), ("back", "//evil.example/")]);
    assert_eq!(away.header("location"), Some(&*http.url("/")));
    http.post("/lang", &csrf, &[("lang", "nb"), ("back", "/")]);
    drop(http);
    drop(ui);

    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    http.unlock(&leader.passphrase);
    let home = http.get("/");
    assert!(home.body.contains("Hei, Lea Leader") && home.body.contains("<html lang=\"nb\">"), "{}", home.body);
}

/// The language switch goes back only to a page of this app: `back` is
/// parsed as a browser would read the redirect, and whatever leads
/// elsewhere, as typed, encoded or hidden behind what browsers drop or
/// turn, goes to the home page.
#[test]
fn the_language_switch_goes_back_only_to_a_page_of_this_app() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    let csrf = http.get("/").csrf();
    let home = http.url("/");
    let back = http.post("/lang", &csrf, &[("lang", "en"), ("back", "/notes/new")]);
    assert_eq!(back.header("location"), Some(&*http.url("/notes/new")));
    let other_port = format!("http://{}/", free_port());
    for away in [
        "/\t/evil.example/",
        "/\n/evil.example/",
        "\t//evil.example/",
        "//evil.example",
        "//evil.example/",
        "/\\evil.example",
        "\\/evil.example",
        "https://evil.example",
        "http:evil.example",
        other_port.as_str(),
        "%2F%2Fevil.example",
        "/%2F%2Fevil.example",
        "/%2f/evil.example",
        "/%5Cevil.example",
        "/%09/evil.example",
        "/..//evil.example",
        "javascript:alert(1)",
    ] {
        let answer = http.post("/lang", &csrf, &[("lang", "en"), ("back", away)]);
        assert_eq!(answer.status, 303, "{away:?}: {answer:?}");
        assert_eq!(answer.header("location"), Some(&*home), "{away:?}");
    }
}

/// A free port on 127.0.0.1 (free when asked).
fn free_port() -> String {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string()
}

/// A refusal of the core is said in the page's language, from the
/// catalogue, with its data (the note, the number of concerns): not the
/// English sentence under "the cause, in English".
#[test]
fn a_refusal_is_said_in_the_language_of_the_page() {
    let org = crate::harness::Org::start();
    let kept =
        org.leader_a.write(&["--unit", "Unit A", "--met", "1", "--concern", "low:no soap", "--concern", "low:cold"]);
    let deleted = org.leader_a.write(&["--unit", "Unit A", "--met", "2", "--concern", "low:cold cells"]);
    org.leader_a.sync().ok();
    org.leader_a.run(&["note", "delete", &deleted]).ok();
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();

    let ui = Ui::start(&org.coordinator);
    let http = Http::start(&ui);
    http.unlock(&org.coordinator.passphrase);
    let csrf = http.get("/").csrf();
    http.post("/lang", &csrf, &[("lang", "nb"), ("back", "/")]);
    let entry = [("status", "closed"), ("date", "04.03.2026"), ("text", "Gjort")];
    let on_deleted = http.post(&format!("/notes/{deleted}/concerns/1/follow-up"), &csrf, &entry);
    let body = &on_deleted.body;
    assert!(body.contains("<html lang=\"nb\">"), "{body}");
    assert!(
        body.contains(&format!("Notat {deleted} ble slettet av den som skrev det: det er ingenting å følge opp.")),
        "{body}"
    );
    assert!(!body.contains("på engelsk") && !body.contains("was deleted"), "{body}");
    let third = http.post(&format!("/notes/{kept}/concerns/3/follow-up"), &csrf, &entry);
    assert!(
        third.body.contains(&format!("Notat {kept} har 2 bekymringer: oppgi et nummer fra 1 til 2.")),
        "{}",
        third.body
    );
    assert!(!third.body.contains("på engelsk"), "{}", third.body);
}

/// What the pages that once named a command say instead, in one language.
struct Instead {
    lang: &'static str,
    /// The browser's language.
    browser: &'static str,
    paste: &'static str,
    menu: &'static str,
    stopped: &'static str,
}

/// The pages that once sent a person to a terminal name no command, in
/// either language: the invite says to paste the code on Visitnotes'
/// first page; a browser not let in, and the page after Quit, say to
/// open Visitnotes from the computer's menu. Screenshots of each.
#[test]
fn the_invite_a_refusal_and_the_stopped_page_name_no_command_in_either_language() {
    use crate::harness::browser::{body, browser_in, fill, open, screenshots, submit, Driver};
    use fantoccini::Locator;

    let org = crate::harness::Org::start();
    let driver = Driver::start();
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let no_command = |page: &str, what: &str| {
        for command in ["visitnotes ", "`", "terminal", "command line", "kommandolinje"] {
            assert!(!page.contains(command), "{what} names {command:?}: {page}");
        }
    };
    for says in [
        Instead {
            lang: "en",
            browser: "en-GB",
            paste: "paste the code on its first page",
            menu: "Visitnotes again from your computer's menu of programs",
            stopped: "Visitnotes has stopped",
        },
        Instead {
            lang: "nb",
            browser: "nb-NO",
            paste: "limer inn koden på den første siden",
            menu: "Visitnotes igjen fra programmenyen på datamaskinen",
            stopped: "Visitnotes er stoppet",
        },
    ] {
        let lang = says.lang;
        let ui = Ui::launch(&org.admin);
        runtime.block_on(async {
            let b = browser_in(&driver, &profiles.path().join(lang), false, says.browser).await;
            let app = open(&b, &ui).await;
            fill(&b, "passphrase", &org.admin.passphrase).await;
            submit(&b, Locator::Id("unlock")).await;
            submit(&b, Locator::Id("nav-admin")).await;
            fill(&b, "invite-name", "Nina Nilsen").await;
            b.find(Locator::Id("invite-role")).await.unwrap().select_by_value("leader").await.unwrap();
            submit(&b, Locator::Id("invite")).await;
            let page = body(&b).await;
            assert!(page.contains(says.paste), "{page}");
            no_command(&page, "the invite");
            screenshots(&b, &format!("admin-invite-{lang}")).await;

            // Another browser, not let in.
            let other = browser_in(&driver, &profiles.path().join(format!("{lang}-other")), false, says.browser).await;
            other.goto(&format!("{app}/")).await.unwrap();
            let page = body(&other).await;
            assert!(page.contains(says.menu), "{page}");
            no_command(&page, "the refusal");
            screenshots(&other, &format!("refused-no-session-{lang}")).await;
            other.close().await.unwrap();

            b.find(Locator::Id("nav-quit")).await.unwrap().click().await.unwrap();
            submit(&b, Locator::Id("confirm-quit")).await;
            let page = body(&b).await;
            assert!(page.contains(says.stopped) && page.contains(says.menu), "{page}");
            no_command(&page, "the stopped page");
            screenshots(&b, &format!("quit-stopped-{lang}")).await;
            b.close().await.unwrap();
        });
        drop(ui);
    }
}
