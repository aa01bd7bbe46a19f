//! The alerts banner on every page and the alerts page.

use std::time::Duration;

use crate::harness::ui::{small_org, Http, Ui};
use crate::harness::Org;

/// An operation's sentence as the page shows it: escaped, its `commands`
/// as code.
fn escape_html(text: &str) -> String {
    let mut chars = text.chars();
    let text: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let parts = escaped.split('`').enumerate();
    parts.map(|(i, part)| if i % 2 == 1 { format!("<code>{part}</code>") } else { part.to_owned() }).collect()
}

/// While alerts are open, every page of the unlocked profile
/// carries a banner with their number and the gravest in words, linking
/// to the alerts page, which lists each one as `visitnotes alerts` does
/// (the device-heads alerts included), gravest first, with what to do.
#[test]
fn every_page_shows_the_alerts_banner_and_the_alerts_page_says_what_to_do() {
    let org = Org::start();
    org.leader_a.write(&["--date", "2026-03-02", "--unit", "Unit A", "--met", "5"]);
    org.leader_a.sync().ok();
    // The server changes the note's signature before the coordinator pulls it.
    org.cluster.forge_first_signature();
    assert_eq!(org.coordinator.run(&["sync"]).code, 3);
    // Every device counts as silent at once: the heads' alerts too.
    let silent = [("VISITNOTES_SILENT_DAYS", "0")];
    std::thread::sleep(Duration::from_secs(2));
    let listed = org.coordinator.run_env(&silent, &["--json", "alerts"]).json();
    let alerts = listed["alerts"].as_array().unwrap().clone();
    let kinds: Vec<&str> = alerts.iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"rejected_note") && kinds.contains(&"silent_device"), "{kinds:?}");
    assert_eq!(kinds[0], "rejected_note", "{kinds:?}");

    let ui = Ui::start_with(&org.coordinator, &silent);
    let http = Http::start(&ui);
    assert!(!http.get("/").body.contains("alerts-banner"), "no banner while locked");
    http.unlock(&org.coordinator.passphrase);
    let count = format!("{} warnings need attention", alerts.len());
    for path in ["/", "/notes", "/report", "/report?from=01.01.2026&to=31.12.2026"] {
        let page = http.get(path);
        let body = &page.body;
        assert!(body.contains("id=\"alerts-banner\"") && body.contains(&count), "{path}: {body}");
        let banner = &body[body.find("id=\"alerts-banner\"").unwrap()..];
        let banner = &banner[..banner.find("</section>").unwrap()];
        let gravest = escape_html(alerts[0]["what"].as_str().unwrap());
        assert!(banner.contains(&format!("The most serious:</strong> {gravest}")), "{banner}");
        assert!(
            banner.contains("failed verification") && banner.contains(&format!("href=\"{}\"", http.url("/alerts"))),
            "{banner}"
        );
    }
    let page = http.get("/alerts");
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    assert!(!body.contains("id=\"alerts-banner\""), "the page itself lists them");
    for alert in &alerts {
        for field in ["what", "todo"] {
            let text = escape_html(alert[field].as_str().unwrap());
            assert!(body.contains(&text), "{field} of {}: {body}", alert["kind"]);
        }
        if let Some(since) = alert["since"].as_str() {
            assert!(body.contains(&format!("First seen: {since}.")), "{body}");
        }
    }
    assert!(body.contains("last heard from on") && body.contains("What to do"), "{body}");
    let gravest = body.find("failed verification").unwrap();
    assert!(gravest < body.find("last heard from on").unwrap(), "the gravest first");
    // Norwegian page, the same alerts.
    let csrf = page.csrf();
    http.post("/lang", &csrf, &[("lang", "nb"), ("back", "/alerts")]);
    let nb = http.get("/");
    assert!(nb.body.contains(&format!("{} varsler trenger oppmerksomhet", alerts.len())), "{}", nb.body);
    assert!(nb.body.contains("Det mest alvorlige:") && nb.body.contains("Se alle varslene"), "{}", nb.body);
    // The sentences themselves in Norwegian, from the
    // same alerts: names and dates filled in, no English left.
    assert!(nb.body.contains("besto ikke kontrollen"), "{}", nb.body);
    let page = http.get("/alerts").body;
    for words in ["besto ikke kontrollen", "ble sist hørt fra", "Hva du skal gjøre", "Si fra til administratoren"] {
        assert!(page.contains(words), "{words}: {page}");
    }
    for english in ["failed verification", "last heard from", "What to do", "Tell your administrator", "March"] {
        assert!(!page.contains(english), "{english}: {page}");
    }
    assert!(page.contains("Et notat denne enheten ikke har lest (notat "), "the note, named: {page}");
    // The rejected note has no page: no link to one.
    let rejected = alerts[0]["note_id"].as_str().unwrap();
    assert!(!page.contains(&format!("/notes/{rejected}")), "{page}");
}

/// The banner fails closed: when this computer's warnings cannot be read,
/// every page and the alerts page say so, never "no warnings".
#[test]
fn warnings_that_cannot_be_read_are_said_not_shown_as_none() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    http.unlock(&leader.passphrase);
    assert!(http.get("/alerts").body.contains("id=\"alerts-none\""), "nothing wrong yet");
    // Something breaks the store under the running app. The one test that
    // writes SQL into a client's store: a fault injected, since nothing a
    // person or a server can do makes this device's own alerts unreadable.
    let store = rusqlite::Connection::open(leader.home.join("store.sqlite3")).unwrap();
    store.execute_batch("ALTER TABLE alerts RENAME TO alerts_gone").unwrap();
    for path in ["/", "/notes/new"] {
        let body = http.get(path).body;
        assert!(body.contains("id=\"alerts-banner\"") && body.contains("could not be read"), "{path}: {body}");
    }
    let body = http.get("/alerts").body;
    assert!(body.contains("id=\"alerts-unreadable\"") && !body.contains("id=\"alerts-none\""), "{body}");
}
