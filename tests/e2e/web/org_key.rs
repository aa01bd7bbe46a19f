//! `/admin/org-key`: the organisation key's backup at any time (a file
//! encrypted under a passphrase, shares to print) and its recovery from
//! share codes on an administrator's device without it.

use crate::harness::browser::{browser, open, screenshots, unlock, Driver};
use crate::harness::ui::{Http, Ui};
use crate::harness::Org;

const PASSPHRASE: &str = "a long export passphrase";

/// The share codes of a shares page, in order.
fn share_codes(page: &str) -> Vec<String> {
    page.split("<p class=\"share-code\">").skip(1).map(|rest| rest.split('<').next().unwrap().to_owned()).collect()
}

/// Screenshots of the organisation key's page of `who` at 1200 and 400 px.
fn screenshot_page(who: &crate::harness::Person, name: &str) {
    let ui = Ui::start(who);
    let driver = Driver::start();
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("admin"), false).await;
        let app = open(&b, &ui).await;
        unlock(&b, who).await;
        b.goto(&format!("{app}/admin/org-key")).await.unwrap();
        screenshots(&b, name).await;
        b.close().await.unwrap();
    });
}

/// The key exported from the page (after the box is ticked and the
/// passphrase typed twice alike and long enough) is a download, never
/// kept, that another administrator's device imports; shares made from
/// the page rebuild the key on the command line and, pasted into the
/// page, on an administrator's device that lost it, which the page then
/// says in words, naming the fingerprint.
#[test]
fn the_org_key_page_exports_a_file_another_admin_imports_and_makes_shares_that_recover_it() {
    let org = Org::start();
    let fingerprint = org.admin.unlock().config.org_key.fingerprint();
    let ui = Ui::start(&org.admin);
    let http = Http::start(&ui);
    http.unlock(&org.admin.passphrase);
    let page = http.get("/admin/org-key");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"org-key-held\"") && page.body.contains(&fingerprint), "{}", page.body);
    let csrf = page.csrf();

    // Refused, each with what to do, and no file.
    let export = |fields: &[(&str, &str)]| http.post("/admin/org-key/export", &csrf, fields);
    for (fields, says) in [
        (vec![("passphrase", PASSPHRASE), ("passphrase2", PASSPHRASE)], "Tick the box first"),
        (vec![("passphrase", PASSPHRASE), ("passphrase2", "another"), ("understood", "yes")], "id=\"export-error\""),
        (vec![("passphrase", "short"), ("passphrase2", "short"), ("understood", "yes")], "id=\"export-error\""),
    ] {
        let refused = export(&fields);
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains(says), "{}", refused.body);
        assert!(refused.header("content-disposition").is_none());
        assert!(!refused.body.contains(PASSPHRASE), "a passphrase is never shown again");
    }
    let file = export(&[("passphrase", PASSPHRASE), ("passphrase2", PASSPHRASE), ("understood", "yes")]);
    assert_eq!(file.status, 200, "{}", file.body);
    assert!(file.header("content-disposition").is_some_and(|d| d.starts_with("attachment;")), "{:?}", file.headers);
    assert_eq!(file.header("cache-control"), Some("no-store"));
    assert!(file.bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "), "encrypted under the passphrase");

    // Another administrator's device reads it back: the same key.
    let second = org.add_member("Second Admin", "admin");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org-key.age");
    std::fs::write(&path, &file.bytes).unwrap();
    let path = path.to_str().unwrap();
    let wrong =
        second.run_env(&[("VISITNOTES_EXPORT_PASSPHRASE", "not the passphrase")], &["admin", "import-org-key", path]);
    assert_ne!(wrong.code, 0, "{}", wrong.stdout);
    second.run_env(&[("VISITNOTES_EXPORT_PASSPHRASE", PASSPHRASE)], &["admin", "import-org-key", path]).ok();
    let imported = second.unlock();
    assert_eq!(imported.secrets.org_key.as_ref().map(|k| k.public().fingerprint()), Some(fingerprint.clone()));
    drop(imported);

    // Shares from the page (the enrolment's share pages, reused).
    let shares = http.post("/enrol/backup", &csrf, &[("count", "3"), ("threshold", "2")]);
    assert_eq!(shares.status, 200, "{}", shares.body);
    let codes = share_codes(&shares.body);
    assert_eq!(codes.len(), 3, "{}", shares.body);
    assert!(shares.body.contains(&fingerprint));
    // On the command line, two of them rebuild the key on a coordinator's
    // device (whose member becomes an administrator).
    let rebuilt = org.coordinator.run(&["admin", "recover-org-key", &codes[0], &codes[2]]).ok();
    assert!(rebuilt.stdout.contains(&fingerprint), "{}", rebuilt.stdout);
    drop(http);
    drop(ui);
    screenshot_page(&org.admin, "org-key-held");

    // An administrator's device that lost the key: the page says what to
    // do, and rebuilds it from pasted codes.
    let mut session = org.admin.unlock();
    session.secrets.org_key = None;
    session.save_secrets().unwrap();
    drop(session);
    screenshot_page(&org.admin, "org-key-not-held");
    let ui = Ui::start(&org.admin);
    let http = Http::start(&ui);
    http.unlock(&org.admin.passphrase);
    let page = http.get("/admin/org-key");
    assert!(page.body.contains("id=\"org-key-not-held\"") && page.body.contains(&fingerprint), "{}", page.body);
    assert!(page.body.contains("id=\"org-key-sync\""), "the button that asks for the key again");
    let csrf = page.csrf();
    let recover = |codes: &str, understood: bool| {
        let mut fields = vec![("codes", codes)];
        if understood {
            fields.push(("understood", "yes"));
        }
        http.post("/admin/org-key/recover", &csrf, &fields)
    };
    let too_few = recover(&codes[1], true);
    assert_eq!(too_few.status, 422, "{}", too_few.body);
    assert!(too_few.body.contains("id=\"recover-error\"") && too_few.body.contains(&codes[1]), "kept as typed");
    let two = format!("{}\n\n{}\n", codes[1], codes[2]);
    assert_eq!(recover(&two, false).status, 422, "asked first");
    assert!(org.admin.unlock().secrets.org_key.is_none());
    let done = recover(&two, true);
    assert_eq!(done.status, 303, "{}", done.body);
    let page = http.get("/admin/org-key");
    assert!(
        page.body
            .contains(&format!("rebuilt from 2 shares and is now kept on this computer (fingerprint {fingerprint})")),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"org-key-held\""));
    assert_eq!(org.admin.unlock().secrets.org_key.map(|k| k.public().fingerprint()), Some(fingerprint));
    drop(http);
    drop(ui);
}
