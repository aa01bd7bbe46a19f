//! The coordinators' concerns page: every concern across the notes, open
//! first, filtered by a GET form, each linking to its note and to the
//! follow-up form there.

use crate::harness::browser::{body, browser, open, screenshots, unlock, Driver};
use crate::harness::ui::{Http, Ui};
use crate::harness::Org;

/// The ids of the notes whose concern links appear in `page`, in order.
fn linked(page: &str, http: &Http<'_>, ids: &[&String]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = ids
        .iter()
        .filter_map(|id| {
            let href = format!("class=\"concern-note\" href=\"{}#show-concern-0\"", http.url(&format!("/notes/{id}")));
            page.find(&href).map(|at| (at, id.to_string()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, id)| id).collect()
}

/// Open concerns come before closed ones whatever their severity; then
/// the gravest; the filters (status, severity, unit, period) narrow the
/// list; the links lead to the concern on its note page and to its
/// follow-up form; a leader is refused the page; the empty states say why
/// in words.
#[test]
fn the_concerns_page_lists_open_concerns_first_with_filters_and_working_links() {
    let org = Org::start();
    let urgent = org.leader_a.write(&[
        "--date",
        "2026-03-02",
        "--unit",
        "Unit A",
        "--concern",
        "urgent:consent:asked to see a doctor",
    ]);
    let low = org.leader_b.write(&["--date", "2026-03-04", "--unit", "Unit A", "--concern", "low:no soap"]);
    let high = org.leader_a.write(&["--date", "2026-03-05", "--unit", "Unit B", "--concern", "high:no interpreter"]);
    org.leader_a.sync().ok();
    org.leader_b.sync().ok();
    org.coordinator.sync().ok();
    // The urgent one is closed by a coordinator's follow-up.
    org.coordinator
        .run(&["concern", "follow-up", &urgent, "1", "--status", "closed", "--date", "06.03.2026", "--text", "Seen"])
        .ok();

    let ui = Ui::start(&org.coordinator);
    let http = Http::start(&ui);
    http.unlock(&org.coordinator.passphrase);
    let ids = [&urgent, &low, &high];
    let shown = |query: &str| {
        let answer = http.get(&format!("/concerns{query}"));
        assert_eq!(answer.status, 200, "{}", answer.body);
        (linked(&answer.body, &http, &ids), answer.body)
    };
    let (not_closed, page) = shown("");
    assert_eq!(not_closed, [high.clone(), low.clone()], "open only, gravest first: {page}");
    assert!(page.contains(&format!("href=\"{}\"", http.url("/concerns"))), "the navigation links the page");
    assert!(page.contains("2 concerns shown"), "{page}");
    let (all, page) = shown("?status=all");
    assert_eq!(all, [high.clone(), low.clone(), urgent.clone()], "a closed urgent concern after the open ones: {page}");
    assert!(page.contains("since 6 March 2026, by Coordinator"), "{page}");
    assert_eq!(shown("?severity=high").0, [high.as_str()]);
    assert_eq!(shown("?status=all&unit=Unit+A").0, [low.clone(), urgent.clone()]);
    assert_eq!(shown("?status=all&from=04.03.2026&to=04.03.2026").0, [low.as_str()]);
    let (none, page) = shown("?severity=urgent");
    assert!(none.is_empty() && page.contains("No concern matches these filters"), "{page}");
    let (_, page) = shown("?from=31.02.2026");
    assert!(page.contains("id=\"concerns-from-error\"") && page.contains("value=\"31.02.2026\""), "{page}");
    drop(http);
    drop(ui);

    // A leader has no such page.
    let leader_ui = Ui::start(&org.leader_a);
    let leader = Http::start(&leader_ui);
    leader.unlock(&org.leader_a.passphrase);
    assert_eq!(leader.get("/concerns").status, 403);
    drop(leader);
    drop(leader_ui);

    // In the browser: the links lead to the concern and to its form.
    let ui = Ui::start(&org.coordinator);
    let driver = Driver::start();
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("coordinator"), false).await;
        let app = open(&b, &ui).await;
        unlock(&b, &org.coordinator).await;
        b.find(fantoccini::Locator::Id("nav-concerns")).await.unwrap().click().await.unwrap();
        assert!(body(&b).await.contains("Concerns across all notes"));
        screenshots(&b, "concerns").await;
        b.goto(&format!("{app}/concerns?status=all")).await.unwrap();
        screenshots(&b, "concerns-all").await;
        b.find(fantoccini::Locator::Css("a.concern-note")).await.unwrap().click().await.unwrap();
        let url = b.current_url().await.unwrap();
        assert!(url.path().ends_with(&format!("/notes/{high}")), "{url}");
        assert_eq!(url.fragment(), Some("show-concern-0"));
        assert!(b.find(fantoccini::Locator::Id("show-concern-0")).await.is_ok());
        b.back().await.unwrap();
        b.find(fantoccini::Locator::Css("a.concern-follow-up")).await.unwrap().click().await.unwrap();
        assert_eq!(b.current_url().await.unwrap().fragment(), Some("fu-0-form"));
        assert!(b.find(fantoccini::Locator::Id("fu-0-form")).await.is_ok(), "the follow-up form is there");
        b.close().await.unwrap();
    });
}
