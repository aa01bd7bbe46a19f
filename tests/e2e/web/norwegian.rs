//! Every page of the web app in Norwegian: no English sentence, no
//! message id where a text is missing, no English data made by the app.
//!
//! The walk reads each page over raw HTTP with the page's language set to
//! `nb`, takes what a person sees or hears (the text, `aria-label`,
//! `title`, `placeholder`, `alt`; not code samples, which are commands),
//! and looks for two things:
//! - a message id of the catalogues (what `Lang::t` shows when a message
//!   is missing);
//! - an English word: one of the words of `en.ftl` that `nb.ftl` never
//!   uses, plus the words of the server's audit details, minus the few
//!   allowed (the app's name, the language switch's "English").

use std::collections::BTreeSet;

use fantoccini::Locator;

use crate::harness::browser::{browser_in, fill, open, screenshots, submit, Driver};
use crate::harness::ui::{Answer, Http, Ui};
use crate::harness::{invite, Cluster, Person};

const EN: &str = include_str!("../../../core/src/i18n/en.ftl");
const NB: &str = include_str!("../../../core/src/i18n/nb.ftl");

/// English words the catalogues may not hold but the app could still
/// show: the server's audit details, words of data made in English.
const MORE_ENGLISH: &[&str] = &[
    "revisions",
    "seq",
    "bootstrap",
    "superseded",
    "user",
    "role",
    "device",
    "devices",
    "entries",
    "signed",
    "the",
    "of",
    "and",
    "is",
    "was",
    "checkpoint",
];

/// English words a Norwegian page may show: the app's name, the
/// language's own name in the switch.
const ALLOWED: &[&str] = &["visitnotes", "english"];

/// An organisation with Norwegian names and units: an administrator, a
/// coordinator and a leader, approved and synced.
struct NorwegianOrg {
    cluster: Cluster,
    admin: Person,
    coordinator: Person,
    leader: Person,
}

fn norwegian_org() -> NorwegianOrg {
    let cluster = Cluster::start();
    let admin = cluster.person("Siri Berg");
    admin.run(&["enroll", &cluster.bootstrap, "--name", &admin.name, "--unit", "Ankomst", "--unit", "Familie"]).ok();
    let coordinator = cluster.person("Kari Nordmann");
    let leader = cluster.person("Ola Hansen");
    for (p, role) in [(&coordinator, "coordinator"), (&leader, "leader")] {
        p.enroll(&invite(&admin, role, &p.name)).ok();
    }
    admin.run(&["admin", "approve", "--all"]).ok();
    for p in [&coordinator, &leader] {
        p.sync().ok();
    }
    NorwegianOrg { cluster, admin, coordinator, leader }
}

/// The words of the values of a catalogue (comments, ids, placeables and
/// `code` left out), lowercased.
fn catalogue_words(source: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for line in source.lines() {
        if line.starts_with('#') {
            continue;
        }
        let value = match line.split_once(" = ") {
            Some((id, value)) if !id.starts_with(' ') => value,
            _ => line,
        };
        let mut text = String::new();
        let (mut depth, mut code) = (0, false);
        for c in value.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                '`' => code = !code,
                '[' | ']' | '*' if depth == 0 => text.push(' '),
                _ if depth == 0 && !code => text.push(c),
                _ => {}
            }
        }
        words.extend(text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_lowercase));
    }
    words
}

/// The English words a Norwegian page may not show: the words of `en.ftl`
/// that `nb.ftl` never uses, and `MORE_ENGLISH`, less `ALLOWED`.
fn english_words() -> BTreeSet<String> {
    let nb_words = catalogue_words(NB);
    catalogue_words(EN)
        .into_iter()
        .chain(MORE_ENGLISH.iter().map(|w| w.to_string()))
        .filter(|w| !nb_words.contains(w) && !ALLOWED.contains(&w.as_str()))
        .collect()
}

/// Every message id of a catalogue.
fn catalogue_ids(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id))
        .filter(|id| id.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !id.contains(' '))
        .map(str::to_owned)
        .collect()
}

/// The body of an answer, its chunks joined when it came chunked.
fn dechunked(answer: &Answer) -> String {
    if !answer.header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        return answer.body.clone();
    }
    let mut out = String::new();
    let mut rest = answer.body.as_str();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else { break };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// What a person sees or hears of a page: its text and the texts of the
/// attributes read aloud, without scripts, styles and code samples.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(open) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&rest[..open]);
            out.push(' ');
        }
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        if let Some(end) = skip_until {
            if tag.eq_ignore_ascii_case(end) {
                skip_until = None;
            }
            continue;
        }
        let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("").to_ascii_lowercase();
        match name.as_str() {
            "script" => skip_until = Some("/script"),
            "style" => skip_until = Some("/style"),
            "code" => skip_until = Some("/code"),
            "kbd" => skip_until = Some("/kbd"),
            _ => {}
        }
        for attribute in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
            if let Some(at) = tag.find(attribute) {
                out.push_str(tag[at + attribute.len()..].split('"').next().unwrap_or(""));
                out.push(' ');
            }
        }
    }
    out.push_str(rest);
    // Commands in backquotes, as the catalogues write them: not words.
    let out: String = out.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    out.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
}

/// The English words and message ids in what `page` shows.
fn english_in(page: &str, english: &BTreeSet<String>, ids: &BTreeSet<String>) -> Vec<String> {
    let text = visible_text(page);
    let mut found = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || ",.;:()«»\"'!?/".contains(c)) {
        if ids.contains(token) {
            found.push(format!("message id {token}"));
            continue;
        }
        // Ids of notes and devices, fingerprints: not words.
        if token.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        for word in token.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
            let lower = word.to_lowercase();
            if english.contains(&lower) {
                let at = text.find(&format!(" {token}")).map_or(0, |at| at + 1);
                let before = text[..at].chars().count().saturating_sub(60);
                let context: String = text
                    .chars()
                    .skip(before)
                    .take(140)
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                found.push(format!("{word:?} in \"…{context}…\""));
            }
        }
    }
    found
}

/// The pages a person walks, read in Norwegian as each role sees them.
/// Each page: no English word of the catalogues or of the server's audit
/// details, and no message id (a missing Norwegian text).
#[test]
fn every_page_reads_in_norwegian_without_english_or_missing_texts() {
    let english = english_words();
    let ids = catalogue_ids(EN);
    assert!(english.contains("the") && english.contains("device") && !english.contains("notat"));

    let org = norwegian_org();
    // A note whose signature the server changes: the coordinator refuses
    // it, and the alert and the note's page say why (the verifier's
    // reason, in Norwegian).
    let forged = org.leader.write(&["--date", "2026-11-20", "--unit", "Familie", "--met", "2"]);
    org.leader.sync().ok();
    org.cluster.forge_first_signature();
    let note = org.leader.write(&[
        "--date",
        "2026-11-27",
        "--unit",
        "Ankomst",
        "--met",
        "4",
        "--theme",
        "food",
        "--summary",
        "Samtale om maten",
        "--concern",
        "urgent:consent:ba om å få se lege",
    ]);
    org.leader.sync().ok();
    // Exit 3: the coordinator refused the forged note.
    assert_eq!(org.coordinator.sync().code, 3);
    assert_eq!(org.admin.sync().code, 3);

    let mut problems = Vec::new();
    let mut walk = |who: &Person, pages: &[String], before_unlock: bool| {
        let ui = Ui::start(who);
        let http = Http::start(&ui);
        let csrf = http.get("/").csrf();
        http.post("/lang", &csrf, &[("lang", "nb"), ("back", "/")]);
        if before_unlock {
            check(&http, "/", &english, &ids, &mut problems);
        }
        http.unlock(&who.passphrase);
        for path in pages {
            check(&http, path, &english, &ids, &mut problems);
        }
    };
    let leader_pages = ["/", "/notes", "/notes/new", "/alerts", "/sync", "/no-such-page"].map(str::to_owned);
    let note_pages = [format!("/notes/{note}"), format!("/notes/{note}/edit"), format!("/notes/{note}/delete")];
    walk(&org.leader, &[&leader_pages[..], &note_pages[..]].concat(), true);
    let report = "/report?from=01.10.2026&to=31.12.2026&by=quarter&lang=nb".to_owned();
    let by_month = "/report?from=01.10.2026&to=31.12.2026&by=month&lang=nb".to_owned();
    walk(
        &org.coordinator,
        &[
            "/".into(),
            "/notes".into(),
            format!("/notes/{note}"),
            format!("/notes/{forged}"),
            "/alerts".into(),
            "/report".into(),
            "/concerns".into(),
            "/concerns?status=all&severity=high".into(),
            report,
            by_month,
        ],
        false,
    );
    let leader_device = org.leader.device_id();
    let admin_pages = [
        "/".to_owned(),
        "/admin".into(),
        "/admin/roster".into(),
        "/admin/units".into(),
        "/admin/units/retire?unit=Familie".into(),
        format!("/admin/revoke?device={leader_device}"),
        "/admin/audit".into(),
        "/admin/rewrap".into(),
        "/admin/org-key".into(),
        format!("/admin/devices/new?user={}", org.leader.user_id()),
        "/alerts".into(),
    ];
    walk(&org.admin, &admin_pages, false);
    problems.dedup();
    assert!(problems.is_empty(), "English or missing texts on Norwegian pages:\n{}", problems.join("\n"));
}

/// A kept alert of every kind the checks keep (a refused list of members,
/// a server behind this device's list, a forged statement or receipt, a
/// tampered enrolment, a refused rewrap, a refused organisation key), with
/// each reason, reads in Norwegian on the alerts page; one that an older
/// version kept as English text still shows, as it was kept.
#[test]
fn every_kind_of_kept_alert_reads_in_norwegian_and_old_ones_as_kept() {
    use visitnotes_core::ops::alerts::{Detail, GrantFrom};
    use visitnotes_core::store::StoredKind as K;

    let english = english_words();
    let ids = catalogue_ids(EN);
    let cluster = Cluster::start();
    let admin = cluster.person("Siri Berg");
    admin.run(&["enroll", &cluster.bootstrap, "--name", &admin.name, "--unit", "Ankomst"]).ok();
    let device = admin.device_id();
    let note = admin.write(&["--date", "2026-11-20", "--unit", "Ankomst", "--met", "2"]);
    let error = || "expected value at line 1 column 2".to_owned();
    let kept = [
        (K::Roster, Detail::RosterBadSignature),
        (K::Roster, Detail::RosterWrongKey { pinned: "ab:cd:01".into(), found: "ef:01:23".into() }),
        (K::Roster, Detail::RosterRollback { seen: 4, got: 3 }),
        (K::Roster, Detail::RosterMalformed { error: error() }),
        (K::Roster, Detail::RosterTwoVersions { version: 5 }),
        (K::RosterBehind, Detail::RosterServedOlder { held: 5, served: 4 }),
        (K::Head, Detail::HeadUnknownDevice { device: device.clone() }),
        (K::Head, Detail::HeadBadSignature),
        (K::Head, Detail::HeadMalformed { error: error() }),
        (K::Receipt, Detail::ReceiptUnknownDevice { device: device.clone() }),
        (K::Receipt, Detail::ReceiptNotCoordinator { device: device.clone() }),
        (K::Receipt, Detail::ReceiptBadSignature),
        (K::Receipt, Detail::ReceiptMalformed { error: error() }),
        (K::Receipt, Detail::ReceiptOtherNote { seq: 7 }),
        (K::Enrolment, Detail::EnrolmentCodeMismatch),
        (
            K::Rewrap,
            Detail::RewrapUnopened { reason: "the note's signature does not verify: it was altered or forged".into() },
        ),
        (K::Rewrap, Detail::RewrapTombstone),
        (K::Rewrap, Detail::RewrapNotAllowed),
        (K::Rewrap, Detail::RewrapEncrypt { error: error() }),
        (K::OrgKeyGrant, Detail::GrantNotAKey { from: GrantFrom::Member { name: "Kari Nordmann".into() } }),
        (
            K::OrgKeyGrant,
            Detail::GrantOtherKey {
                from: GrantFrom::Device { device_id: device.clone() },
                found: "ef:01:23".into(),
                expected: "ab:cd:01".into(),
            },
        ),
    ];
    let session = admin.unlock();
    let first_rewrap = kept.iter().position(|(kind, _)| *kind == K::Rewrap).unwrap();
    for (i, (kind, detail)) in kept.iter().enumerate() {
        // The store keeps one open alert per subject: one each. A rewrap's
        // subject is its note (one of them a real one).
        let subject = if i == first_rewrap { note.clone() } else { format!("{device} {i}") };
        session.store.alert(*kind, &subject, &detail.to_json()).unwrap();
    }
    drop(session);
    let alerts_page = |lang: &str| {
        let ui = Ui::start(&admin);
        let http = Http::start(&ui);
        let csrf = http.get("/").csrf();
        http.post("/lang", &csrf, &[("lang", lang), ("back", "/")]);
        http.unlock(&admin.passphrase);
        let mut problems = Vec::new();
        if lang == "nb" {
            check(&http, "/alerts", &english, &ids, &mut problems);
        }
        (visible_text(&dechunked(&http.get("/alerts"))), problems)
    };
    let (page, problems) = alerts_page("nb");
    assert!(problems.is_empty(), "English or missing texts on the Norwegian alerts page:\n{}", problems.join("\n"));
    for (_, detail) in &kept {
        let nb = detail.msg().render(visitnotes_core::i18n::Lang::Nb);
        assert!(page.contains(&nb), "{nb:?} is not on the page: {page}");
    }
    // As a person sees them, in either language (saved at 1200 and 400 px).
    let driver = Driver::start();
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for (lang, asks) in [("en", "en-GB"), ("nb", "nb-NO")] {
        let ui = Ui::start(&admin);
        runtime.block_on(async {
            let b = browser_in(&driver, &profiles.path().join(lang), false, asks).await;
            let app = open(&b, &ui).await;
            fill(&b, "passphrase", &admin.passphrase).await;
            submit(&b, Locator::Id("unlock")).await;
            b.goto(&format!("{app}/alerts")).await.unwrap();
            screenshots(&b, &format!("alerts-kept-{lang}")).await;
            b.close().await.unwrap();
        });
    }

    let older = "two different rosters for version 3.";
    admin.unlock().store.alert(K::Roster, "kept by an older version", older).unwrap();
    let (page, _) = alerts_page("en");
    assert!(page.contains("was refused: two different rosters for version 3."), "{page}");
}

fn check(http: &Http<'_>, path: &str, english: &BTreeSet<String>, ids: &BTreeSet<String>, problems: &mut Vec<String>) {
    let answer = http.get(path);
    // 404: the page that says there is no such page, or why a note is not shown.
    assert!(matches!(answer.status, 200 | 404), "{path}: {}", answer.status);
    let page = dechunked(&answer);
    assert!(page.contains("<html lang=\"nb\">"), "{path} is not in Norwegian: {page}");
    problems.extend(english_in(&page, english, ids).into_iter().map(|p| format!("{path}: {p}")));
}

/// In a real browser, in Norwegian: the audit log and the report page at
/// 1200 and 400 px, and the report as saved (its HTML file) on a 360 px
/// phone: the page is no wider than the screen (tables scroll in their own
/// box) and the charts' text is drawn at 12 px or more. Each is saved as
/// PNG under target/web-screenshots/.
#[test]
fn the_audit_log_and_the_report_read_in_norwegian_on_a_phone() {
    use crate::harness::browser::{browser, fill, open, screenshots, submit, Driver};

    let org = norwegian_org();
    for (date, unit, concern) in [
        ("2026-10-12", "Ankomst", "high:consent:ba om advokat"),
        ("2026-11-03", "Familie", "low:ikke såpe"),
        ("2026-12-02", "Ankomst", "urgent:consent:ba om å få se lege"),
    ] {
        org.leader.write(&[
            "--date",
            date,
            "--unit",
            unit,
            "--met",
            "4",
            "--theme",
            "lock_in",
            "--theme",
            "information_about_case",
            "--concern",
            concern,
        ]);
    }
    org.leader.sync().ok();
    org.coordinator.sync().ok();
    org.admin.sync().ok();
    // The language picked on the page is kept in the profile: the browser
    // then gets Norwegian pages.
    for who in [&org.admin, &org.coordinator] {
        let ui = Ui::start(who);
        let http = Http::start(&ui);
        http.unlock(&who.passphrase);
        let csrf = http.get("/").csrf();
        http.post("/lang", &csrf, &[("lang", "nb"), ("back", "/")]);
    }
    let query = "from=01.10.2026&to=31.12.2026&by=quarter&lang=nb";
    let saved = {
        let ui = Ui::start(&org.coordinator);
        let http = Http::start(&ui);
        http.unlock(&org.coordinator.passphrase);
        dechunked(&http.get(&format!("/report/download?{query}&format=html")))
    };
    assert!(saved.contains("name=\"viewport\"") && saved.contains("4. kvartal 2026"), "{saved}");
    let files = tempfile::tempdir().unwrap();
    let saved_path = files.path().join("besoksrapport.html");
    std::fs::write(&saved_path, &saved).unwrap();

    let driver = Driver::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        for (who, path, name) in [
            (&org.admin, "/admin/audit", "nb-audit-log"),
            (&org.coordinator, &format!("/report?{query}")[..], "nb-report"),
        ] {
            let ui = Ui::start(who);
            let b = browser(&driver, &files.path().join(&who.name), false).await;
            let app = open(&b, &ui).await;
            fill(&b, "passphrase", &who.passphrase).await;
            submit(&b, fantoccini::Locator::Id("unlock")).await;
            b.goto(&format!("{app}{path}")).await.unwrap();
            let page = b.find(fantoccini::Locator::Css("main")).await.unwrap().text().await.unwrap();
            assert!(!page.contains("revisions") && !page.contains("2026-Q"), "{page}");
            screenshots(&b, name).await;
            b.set_window_size(400, 900).await.unwrap();
            fits_the_screen(&b, name).await;
            b.close().await.unwrap();
        }

        let b = browser(&driver, &files.path().join("phone"), false).await;
        b.goto(&format!("file://{}", saved_path.display())).await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/web-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        for width in [360u32, 400] {
            b.set_window_size(width, 900).await.unwrap();
            fits_the_screen(&b, &format!("the saved report at {width} px")).await;
            // Each chart's text as drawn: its font size in the drawing
            // times the chart's scale on the screen.
            let smallest = b
                .execute(
                    "let min = 1e9; for (const svg of document.querySelectorAll('svg')) { \
                       const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; \
                       for (const t of svg.querySelectorAll('text')) { \
                         min = Math.min(min, parseFloat(t.getAttribute('font-size')) * scale); } } \
                     return min;",
                    vec![],
                )
                .await
                .unwrap()
                .as_f64()
                .unwrap();
            assert!(smallest >= 12.0, "{width}: chart text drawn at {smallest:.1} px");
            let height = b
                .execute("return document.body.scrollHeight;", vec![])
                .await
                .unwrap()
                .as_u64()
                .unwrap_or(1600)
                .min(8000) as u32;
            b.set_window_size(width, height + 140).await.unwrap();
            std::fs::write(dir.join(format!("nb-saved-report-{width}.png")), b.screenshot().await.unwrap()).unwrap();
        }
        b.close().await.unwrap();
    });
}

/// The page is no wider than the window (what is wider scrolls in its own
/// box), and no word in a table cell is broken over two lines.
async fn fits_the_screen(b: &crate::harness::browser::Browser, what: &str) {
    let inner = b.execute("return window.innerWidth;", vec![]).await.unwrap().as_u64().unwrap();
    let page_width = b.execute("return document.documentElement.scrollWidth;", vec![]).await.unwrap().as_u64().unwrap();
    assert!(page_width <= inner, "{what}: the page is {page_width} px wide on a {inner} px screen");
    let broken = b
        .execute(
            "const broken = []; \
             for (const cell of document.querySelectorAll('th, td')) { \
               const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT); let node; \
               while ((node = walk.nextNode())) { \
                 const words = /\\S+/g; let m; \
                 while ((m = words.exec(node.data))) { \
                   const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length); \
                   const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))); \
                   if (lines.size > 1) broken.push(m[0]); } } } \
             return broken.join(', ');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(broken.as_str(), Some(""), "{what}: words broken inside");
}
