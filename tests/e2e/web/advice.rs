//! Advice as buttons: no page sends a person to a terminal. What an alert
//! or a page says to do is a button or a link that does it; the two syncs
//! that need one ask first (from the start; sending the notes held back
//! under an expired list of members, whose question names the risk); the
//! audit log's page offers the checkpoint an administrator's sync signs.

use std::time::{Duration, Instant};

use crate::harness::browser::{body, browser, open, screenshots, submit, unlock, Browser, Driver};
use crate::harness::ui::{Http, Ui};
use crate::harness::{sleep_past, Org, Person};

const LIFETIME: &str = "VISITNOTES_ROSTER_LIFETIME_SECS";

/// Publishes a roster (a new unit) that lives `secs` seconds, and lets
/// every other member sync it; returns when it expires.
fn short_lived_roster(org: &Org, unit: &str, secs: u64) -> i64 {
    let secs = secs.to_string();
    org.admin.run_env(&[(LIFETIME, &secs)], &["admin", "units", "add", unit, "--yes"]).ok();
    // Exit 3 while another alert is open: the roster is taken all the same.
    for p in [&org.leader_a, &org.leader_b, &org.coordinator] {
        p.run(&["sync"]);
    }
    org.leader_a.roster().expires_at()
}

/// A note by `leader` held back under the expired roster; its id.
fn held_note(leader: &Person) -> String {
    let written = leader.run(&["--json", "note", "new", "--unit", "Unit A", "--met", "3", "--summary", "after expiry"]);
    assert_eq!(written.code, 3, "held, with a warning: {}", written.stderr);
    written.json()["note_id"].as_str().unwrap_or_else(|| panic!("{}", written.stdout)).to_owned()
}

/// How many notes the server holds.
fn notes_on_the_server(org: &Org) -> i64 {
    org.cluster.number("SELECT count(*) FROM notes")
}

/// What a person sees or hears of a page, code samples included (they
/// are what this looks for): its text and the attributes read aloud.
pub(super) fn seen(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut in_script = false;
    while let Some(open) = rest.find('<') {
        if !in_script {
            out.push_str(&rest[..open]);
            out.push(' ');
        }
        let Some(close) = rest[open..].find('>') else { break };
        let tag = rest[open + 1..open + close].to_ascii_lowercase();
        rest = &rest[open + close + 1..];
        if tag.starts_with("script") || tag.starts_with("style") {
            in_script = true;
        } else if tag.starts_with("/script") || tag.starts_with("/style") {
            in_script = false;
        }
        for attribute in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\"", "value=\""] {
            if let Some(at) = tag.find(attribute) {
                out.push_str(tag[at + attribute.len()..].split('"').next().unwrap_or(""));
                out.push(' ');
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
}

/// The terminal commands in `text`: "visitnotes " followed by a command
/// word, and any `--flag`.
pub(super) fn commands_in(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut found = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let word = word.trim_matches(|c: char| "`'\"(),.;:«»".contains(c));
        let next = words.get(i + 1).map(|w| w.trim_matches(|c: char| "`'\"(),.;:«»".contains(c)));
        // The command is lowercase; the app's name ("open Visitnotes") is not.
        let command = word == "visitnotes"
            && next.is_some_and(|n| n.starts_with("--") || n.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
        let flag = word.len() > 2 && word.starts_with("--") && word[2..].starts_with(|c: char| c.is_ascii_lowercase());
        if command || flag {
            let context = words[i.saturating_sub(8)..(i + 6).min(words.len())].join(" ");
            found.push(format!("\"{word}\" in \"…{context}…\""));
        }
    }
    found
}

#[test]
fn the_command_check_finds_commands_and_flags() {
    assert_eq!(commands_in("Ask Kari to open Visitnotes and press Sync now.").len(), 0);
    assert_eq!(commands_in("Visitnotes-profil. Visitnotes").len(), 0);
    assert_eq!(commands_in("run `visitnotes sync` here").len(), 1);
    assert_eq!(commands_in("(visitnotes admin import-org-key)").len(), 1);
    assert_eq!(commands_in("or with --allow-expired-roster").len(), 1);
    assert!(seen("<p>a <code>visitnotes sync</code></p><script>visitnotes sync</script>").contains("visitnotes sync"));
    assert!(!seen("<script>visitnotes sync</script>").contains("visitnotes sync"));
}

/// Every page each role walks, with alerts open (a note that failed
/// verification, an expired list of members, a note held back under it),
/// in English and in Norwegian: no visible text names a terminal command
/// ("visitnotes " and a command word, or a `--flag`). The question pages
/// before the two syncs that ask first are among them.
#[test]
fn no_page_names_a_terminal_command_in_either_language() {
    let org = Org::start();
    let forged = org.leader_b.write(&["--date", "2026-11-20", "--unit", "Unit A", "--met", "2"]);
    org.leader_b.sync().ok();
    org.cluster.forge_first_signature();
    assert_eq!(org.coordinator.sync().code, 3, "the coordinator refuses the forged note");
    let expires = short_lived_roster(&org, "Unit C", 8);
    sleep_past(expires);
    let held = held_note(&org.leader_a);

    let mut problems = Vec::new();
    let mut walk = |who: &Person, pages: &[String]| {
        let ui = Ui::start(who);
        let http = Http::start(&ui);
        for lang in ["en", "nb"] {
            let csrf = http.get("/").csrf();
            http.post("/lang", &csrf, &[("lang", lang), ("back", "/")]);
            if lang == "en" {
                // The locked page too.
                check(&http, "/", lang, &mut problems);
                http.unlock(&who.passphrase);
            }
            for path in pages {
                check(&http, path, lang, &mut problems);
            }
        }
    };
    let common = ["/", "/notes", "/alerts", "/sync", "/sync/from-start", "/sync/send-held", "/no-such-page"];
    let with = |more: &[String]| common.iter().map(|p| p.to_string()).chain(more.iter().cloned()).collect::<Vec<_>>();
    walk(&org.leader_a, &with(&["/notes/new".into(), format!("/notes/{held}"), format!("/notes/{held}/edit")]));
    walk(&org.coordinator, &with(&["/report".into(), format!("/notes/{forged}"), "/admin/rewrap".into()]));
    let admin_pages = [
        "/admin",
        "/admin/roster",
        "/admin/units",
        "/admin/audit",
        "/admin/rewrap",
        "/admin/units/retire?unit=Unit%20C",
        "/admin/org-key",
    ]
    .map(str::to_owned);
    walk(
        &org.admin,
        &with(&[&admin_pages[..], &[format!("/admin/revoke?device={}", org.leader_a.device_id())]].concat()),
    );
    problems.dedup();
    assert!(problems.is_empty(), "terminal commands on pages:\n{}", problems.join("\n"));
}

fn check(http: &Http<'_>, path: &str, lang: &str, problems: &mut Vec<String>) {
    let answer = http.get(path);
    assert!(matches!(answer.status, 200 | 403 | 404), "{path}: {}", answer.status);
    assert!(answer.body.contains(&format!("<html lang=\"{lang}\">")), "{path} is not in {lang}: {}", answer.body);
    problems.extend(commands_in(&seen(&answer.body)).into_iter().map(|p| format!("{lang} {path}: {p}")));
}

/// Waits until the sync page shows its result, and answers it.
async fn sync_result(b: &Browser) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(result) = b.find(fantoccini::Locator::Id("sync-result")).await {
            return result.text().await.unwrap();
        }
        assert!(Instant::now() < deadline, "the sync did not finish: {}", body(b).await);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

async fn goto(b: &Browser, app: &str, path: &str) {
    b.goto(&format!("{app}{path}")).await.unwrap();
}

/// A note the server forged is refused; once the server serves it right
/// again, the alert's button leads to the question page, and the sync
/// from the start it starts checks the note again: the alert ends. In a
/// browser; the alerts page with its buttons and the question are saved
/// at 1200 and 400 px.
#[test]
fn the_alerts_button_syncs_from_the_start_after_its_question_and_the_alert_ends() {
    let org = Org::start();
    org.leader_a.write(&["--date", "2026-03-02", "--unit", "Unit A", "--met", "5"]);
    org.leader_a.sync().ok();
    let signature = org.cluster.forge_first_signature();
    assert_eq!(org.coordinator.sync().code, 3);
    assert_eq!(org.coordinator.run(&["--json", "alerts"]).alert_kinds(), ["rejected_note"]);
    org.cluster.restore_first_signature(&signature);
    // A plain sync does not pull the note again: the alert stays.
    assert_eq!(org.coordinator.sync().code, 3, "still refused after a plain sync");

    let driver = Driver::start();
    let ui = Ui::start(&org.coordinator);
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("coordinator"), false).await;
        let app = open(&b, &ui).await;
        unlock(&b, &org.coordinator).await;
        goto(&b, &app, "/alerts").await;
        let page = body(&b).await;
        assert!(page.contains("failed verification") && !page.contains("visitnotes sync"), "{page}");
        screenshots(&b, "advice-alerts-buttons").await;
        submit(&b, fantoccini::Locator::Css("#alerts-list a[data-action='sync-from-start']")).await;
        let question = body(&b).await;
        assert!(question.contains("Sync from the start?") && question.contains("every note again"), "{question}");
        screenshots(&b, "advice-question-sync-from-start").await;
        submit(&b, fantoccini::Locator::Id("sync-from-start")).await;
        let result = sync_result(&b).await;
        assert!(result.contains("Sync finished"), "{result}");
        goto(&b, &app, "/alerts").await;
        let after = body(&b).await;
        assert!(b.find(fantoccini::Locator::Id("alerts-none")).await.is_ok(), "the alert ended: {after}");
        b.close().await.unwrap();
    });
}

/// A leader's note held back under an expired list of members: a plain
/// sync does not send it; the button on its page leads to a question that
/// names the risk, and only the question's button sends it as it is (the
/// note then says it was sent under an expired list).
#[test]
fn held_notes_are_sent_as_they_are_only_after_the_question_that_names_the_risk() {
    let org = Org::start();
    let expires = short_lived_roster(&org, "Unit C", 8);
    sleep_past(expires);
    let held = held_note(&org.leader_a);
    let before = notes_on_the_server(&org);

    let driver = Driver::start();
    let ui = Ui::start(&org.leader_a);
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("leader"), false).await;
        let app = open(&b, &ui).await;
        unlock(&b, &org.leader_a).await;
        crate::harness::browser::sync(&b).await;
        assert_eq!(notes_on_the_server(&org), before, "a plain sync holds it back");
        goto(&b, &app, "/alerts").await;
        assert!(b.find(fantoccini::Locator::Css("#alerts-list a[data-action='send-held']")).await.is_ok());
        goto(&b, &app, &format!("/notes/{held}")).await;
        let page = body(&b).await;
        assert!(page.contains("Not sent yet") && !page.contains("--allow-expired-roster"), "{page}");
        submit(&b, fantoccini::Locator::Css("a[data-action='send-held']")).await;
        let question = body(&b).await;
        assert!(
            question.contains("Send the held notes as they are?")
                && question.contains("One note written here is held back")
                && question.contains("including anyone removed since"),
            "{question}"
        );
        screenshots(&b, "advice-question-send-held").await;
        assert_eq!(notes_on_the_server(&org), before, "the question sends nothing");
        submit(&b, fantoccini::Locator::Id("send-held")).await;
        let result = sync_result(&b).await;
        assert!(result.contains("Sync finished"), "{result}");
        assert_eq!(notes_on_the_server(&org), before + 1, "sent as it is");
        goto(&b, &app, &format!("/notes/{held}")).await;
        let page = body(&b).await;
        assert!(page.contains("Sent under an expired list of members"), "{page}");
        b.close().await.unwrap();
    });
}

/// An administrator's audit log page with no checkpoint yet offers the
/// button that signs one (the sync of an administrator's device); after
/// it, the log is compared with the checkpoint.
#[test]
fn the_audit_page_button_signs_a_checkpoint() {
    let org = Org::start();
    let driver = Driver::start();
    let ui = Ui::start(&org.admin);
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("admin"), false).await;
        let app = open(&b, &ui).await;
        unlock(&b, &org.admin).await;
        goto(&b, &app, "/admin/audit").await;
        let page = body(&b).await;
        assert!(page.contains("no signed checkpoint to compare with yet"), "{page}");
        screenshots(&b, "advice-audit-checkpoint").await;
        submit(&b, fantoccini::Locator::Id("sign-checkpoint")).await;
        let result = sync_result(&b).await;
        assert!(result.contains("Sync finished"), "{result}");
        goto(&b, &app, "/admin/audit").await;
        let page = body(&b).await;
        assert!(!page.contains("no signed checkpoint to compare with yet"), "{page}");
        assert!(b.find(fantoccini::Locator::Id("sign-checkpoint")).await.is_err(), "offered no more");
        b.close().await.unwrap();
    });
}
