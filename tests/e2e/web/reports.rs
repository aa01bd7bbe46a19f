//! The coordinator's report page, over raw HTTP and in the browser.

use std::time::Duration;

use crate::harness::browser::{body, browser, fill, open, screenshots, submit, text, unlock, value, Driver};
use crate::harness::ui::{Http, Ui};
use crate::harness::Org;

/// The coordinator's report page asks what `visitnotes report`
/// asks (period, grouping, language, free text or not) in a GET form,
/// shows the report's own HTML in the page (without the inline style
/// sheet the CSP forbids), and offers each format for download, the same
/// bytes as the command writes. A mistake is said next to its field,
/// with what was typed.
#[test]
fn the_coordinator_reads_the_report_in_the_page_and_saves_each_format() {
    let org = Org::start();
    org.leader_a.write(&[
        "--date",
        "2026-03-02",
        "--unit",
        "Unit A",
        "--met",
        "5",
        "--theme",
        "lock_in",
        "--summary",
        "canary-r3p summary words",
        "--concern",
        "urgent:consent:asked to see a doctor",
    ]);
    org.leader_a.write(&["--date", "2026-04-10", "--unit", "Unit B", "--met", "2"]);
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();
    let ui = Ui::start(&org.coordinator);
    let http = Http::start(&ui);
    http.unlock(&org.coordinator.passphrase);

    let form = http.get("/report");
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(&format!("<form method=\"get\" action=\"{}\"", http.url("/report"))), "{}", form.body);
    assert!(form.body.contains(&format!("href=\"{}\"", http.url("/report"))), "in the coordinator's navigation");
    assert!(!form.body.contains("class=\"report\""), "no report before it is asked for");

    let query = "from=01.03.2026&to=30.04.2026&by=month&lang=en";
    let page = http.get(&format!("/report?{query}"));
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    assert!(body.contains("<article class=\"report\" lang=\"en\" id=\"report\"><h1>Visit report</h1>"), "{body}");
    assert!(body.contains("<svg") && body.contains("March 2026") && body.contains("April 2026"), "{body}");
    assert!(body.contains("Lock-in") && body.contains("Urgent"), "{body}");
    http.assert_fits_the_csp(&page, "the report page");
    assert!(!body.contains("canary-r3p"), "no free text unless asked for");
    assert!(body.contains("value=\"01.03.2026\"") && body.contains("<option value=\"month\" selected>"), "{body}");
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");

    let with_text = http.get(&format!("/report?{query}&text=1"));
    assert!(with_text.body.contains("canary-r3p summary words"), "{}", with_text.body);
    assert!(with_text.body.contains("do not share it"), "{}", with_text.body);
    assert!(with_text.body.contains("&amp;text=1&amp;format=markdown"), "the downloads keep the choice");
    let nb = http.get("/report?from=01.03.2026&to=30.04.2026&by=quarter&lang=nb");
    assert!(nb.body.contains("lang=\"nb\" id=\"report\"><h1>Besøksrapport</h1>"), "{}", nb.body);
    assert!(nb.body.contains("1. kvartal 2026") && nb.body.contains("Innlåsing"), "{}", nb.body);

    // Each format, as `visitnotes report` writes it.
    for (format, extension, content_type) in [
        ("html", "html", "text/html"),
        ("markdown", "md", "text/markdown"),
        ("csv", "csv", "text/csv"),
        ("json", "json", "application/json"),
    ] {
        let link = format!("/report/download?{query}&format={format}");
        assert!(body.contains(&format!("href=\"{}\"", http.url(&link).replace('&', "&amp;"))), "{format}: {body}");
        let file = http.get(&link);
        assert_eq!(file.status, 200, "{format}: {}", file.body);
        assert_eq!(
            file.header("content-disposition"),
            Some(format!("attachment; filename=\"visit-report-2026-03-01-2026-04-30.{extension}\"").as_str())
        );
        assert_eq!(file.header("cache-control"), Some("no-store"), "{format}");
        assert!(file.header("content-type").unwrap().starts_with(content_type), "{format}");
        let cli = org.coordinator.run(&[
            "report",
            "--from",
            "2026-03-01",
            "--to",
            "2026-04-30",
            "--by",
            "month",
            "--lang",
            "en",
            "--format",
            format,
        ]);
        assert_eq!(file.body, cli.stdout, "{format}: the same as the command line's");
        assert!(!file.body.contains("canary-r3p"), "{format}");
    }
    assert_eq!(http.get(&format!("/report/download?{query}&format=exe")).status, 404);
    // The Excel workbook: offered on the page, a zip file from the page and
    // from `visitnotes report --format xlsx --out FILE` (never to the terminal).
    let link = format!("/report/download?{query}&format=xlsx");
    assert!(body.contains(&format!("href=\"{}\"", http.url(&link).replace('&', "&amp;"))), "{body}");
    let workbook = http.get(&link);
    assert_eq!(workbook.status, 200);
    assert!(workbook.header("content-type").unwrap().starts_with("application/vnd.openxmlformats"));
    assert!(workbook.body.starts_with("PK") || workbook.body.contains("\r\nPK"), "a zip file");
    let out = org.coordinator.home.join("report.xlsx");
    let args = ["report", "--from", "2026-03-01", "--to", "2026-04-30", "--format", "xlsx"];
    let cli = org.coordinator.run(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK\x03\x04"));
    let to_terminal = org.coordinator.run(&args);
    assert_ne!(to_terminal.code, 0);
    assert!(to_terminal.stderr.contains("give --out FILE.xlsx"), "{}", to_terminal.stderr);
    assert!(body.contains("id=\"report-csv-layout\""), "the CSV's layout is said on the page: {body}");

    // Mistakes: said at the field, what was typed kept, no report.
    let bad = http.get("/report?from=31.02.2026&to=30.04.2026&by=year&lang=nb");
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("id=\"report-from-error\"") && bad.body.contains("value=\"31.02.2026\""), "{}", bad.body);
    assert!(
        bad.body.contains("<option value=\"year\" selected>")
            && bad.body.contains("<option value=\"nb\" lang=\"nb\" selected>")
    );
    assert!(!bad.body.contains("id=\"report\""), "{}", bad.body);
    let order = http.get("/report?from=30.04.2026&to=01.03.2026");
    assert_eq!(order.status, 422);
    assert!(order.body.contains("id=\"report-to-error\"") && order.body.contains("the period ends after it starts"));
    assert!(order.body.contains("value=\"30.04.2026\"") && order.body.contains("value=\"01.03.2026\""));
    let missing = http.get("/report?from=&to=01.03.2026");
    assert!(missing.body.contains("Give the first day of the period."), "{}", missing.body);
    assert!(!ui.printed().contains("canary-r3p"), "the report's text is never printed");
}

/// In a real browser, without script: the coordinator asks for a
/// report in the page's form (a mistake first, corrected), reads it, and
/// follows the alerts banner to the alerts page. Each page is saved as PNG
/// at 1200 and 400 px.
#[test]
fn the_report_and_alerts_pages_in_the_browser() {
    let org = Org::start();
    for (date, unit, concern) in [
        ("2026-01-12", "Unit A", "high:consent:asked for a lawyer"),
        ("2026-02-03", "Unit B", "low:no soap"),
        ("2026-03-02", "Unit A", "urgent:consent:asked to see a doctor"),
    ] {
        org.leader_a.write(&["--date", date, "--unit", unit, "--met", "4", "--theme", "lock_in", "--concern", concern]);
    }
    org.leader_a.sync().ok();
    // One note's signature changed by the server: a rejected note, the
    // gravest alert, and a note the report leaves out.
    org.cluster.forge_first_signature();
    org.coordinator.sync();
    std::thread::sleep(Duration::from_secs(2));
    let driver = Driver::start();
    let ui = Ui::start_with(&org.coordinator, &[("VISITNOTES_SILENT_DAYS", "0")]);
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("coordinator"), false).await;
        open(&b, &ui).await;
        unlock(&b, &org.coordinator).await;
        assert!(b.find(fantoccini::Locator::Id("alerts-banner")).await.is_ok(), "the banner: {}", body(&b).await);
        screenshots(&b, "home-alerts-banner").await;
        submit(&b, fantoccini::Locator::Css("nav a[href$='/report']")).await;
        fill(&b, "report-from", "31.02.2026").await;
        fill(&b, "report-to", "31.03.2026").await;
        submit(&b, fantoccini::Locator::Id("report-show")).await;
        assert!(text(&b, "report-from-error").await.contains("is not a date"));
        assert_eq!(value(&b, "report-to").await, "31.03.2026", "what was typed stays");
        screenshots(&b, "report-error").await;
        fill(&b, "report-from", "01.01.2026").await;
        submit(&b, fantoccini::Locator::Id("report-show")).await;
        let report = text(&b, "report").await;
        assert!(report.contains("Visit report") && report.contains("Lock-in"), "{report}");
        screenshots(&b, "report").await;
        submit(&b, fantoccini::Locator::Id("alerts-link")).await;
        let page = body(&b).await;
        assert!(page.contains("last heard from on") && page.contains("What to do"), "{page}");
        assert!(page.find("failed verification").unwrap() < page.find("last heard from on").unwrap(), "{page}");
        screenshots(&b, "alerts").await;
        b.close().await.unwrap();
    });
}
