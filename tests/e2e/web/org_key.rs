//! `/admin/org-key`: the organisation key's backup at any time (a file
//! encrypted under a passphrase, shares to print) and its recovery from
//! share codes on an administrator's device without it.

use fantoccini::Locator;

use crate::harness::browser::{
    body, browser, checked, click, fill, open, screenshots, submit, text, unlock, value, Driver,
};
use crate::harness::ui::{send, Answer, Http, Ui};
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

/// A file form as a browser sends it (`multipart/form-data`), with the
/// page's Origin: the text fields, then the file `file` (name, bytes).
fn post_file(http: &Http<'_>, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Answer {
    const BOUNDARY: &str = "----visitnotes-test-form-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").bytes());
    let host = &http.ui.host;
    let mut request = format!(
        "POST {} HTTP/1.1\r\nConnection: close\r\nHost: {host}\r\nCookie: {}\r\nOrigin: http://{host}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
        http.url("/admin/org-key/import"),
        http.cookie,
        body.len()
    )
    .into_bytes();
    request.extend(body);
    send(host, &request)
}

/// The organisation key of `who`'s device taken away, as on an
/// administrator's device that lost it.
fn lose_the_key(who: &crate::harness::Person) {
    let mut session = who.unlock();
    session.secrets.org_key = None;
    session.save_secrets().unwrap();
}

/// In the browser, on an administrator's device without the organisation
/// key: a file that is not a key, with no passphrase and the box not
/// ticked, is refused with the three mistakes at once, each next to its
/// field; the exported file with a wrong passphrase is refused next to the
/// passphrase, and stays chosen (it need not be picked again), the box
/// still ticked; with its passphrase it is imported, the page says so and
/// shows the key held, and the key then signs a change to the list of
/// members. The same in Norwegian; screenshots of each page.
#[test]
fn the_org_key_page_imports_an_exported_file_and_the_key_then_signs() {
    let org = Org::start();
    let fingerprint = org.admin.unlock().config.org_key.fingerprint();
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("organisation-key.age");
    let out = exported.to_str().unwrap();
    org.admin.run_env(&[("VISITNOTES_EXPORT_PASSPHRASE", PASSPHRASE)], &["admin", "export-org-key", "--out", out]).ok();
    let not_a_key = dir.path().join("visit-plan.txt");
    std::fs::write(&not_a_key, "Tuesday: the family unit\n").unwrap();
    let driver = Driver::start();
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    for (lang, says) in [("en", ENGLISH), ("nb", NORWEGIAN)] {
        lose_the_key(&org.admin);
        let ui = Ui::start(&org.admin);
        runtime.block_on(async {
            let b = browser(&driver, &profiles.path().join(lang), false).await;
            let app = open(&b, &ui).await;
            unlock(&b, &org.admin).await;
            b.goto(&format!("{app}/admin/org-key")).await.unwrap();
            if lang != "en" {
                submit(&b, Locator::Css(&format!("form[action$='/lang'] button[value='{lang}']"))).await;
            }
            assert!(text(&b, "org-key-not-held").await.contains(&fingerprint));
            no_command(&b).await;
            screenshots(&b, &format!("org-key-import-{lang}")).await;

            // Not a key, no passphrase, the box not ticked: all three at once.
            choose_file(&b, &not_a_key).await;
            submit(&b, Locator::Id("import-key")).await;
            let summary = text(&b, "import-errors").await;
            assert_eq!(summary.lines().count(), 3, "{summary}");
            let file_error = text(&b, "import-file-error").await;
            assert!(file_error.contains(&format!("visit-plan.txt {}", says.not_a_key)), "{file_error}");
            assert!(text(&b, "import-passphrase-error").await.contains(says.no_passphrase));
            assert!(text(&b, "import-understood-error").await.contains(says.tick));
            assert!(b.find(Locator::Id("import-kept")).await.is_err(), "a file that is not a key is not kept");
            screenshots(&b, &format!("org-key-import-errors-{lang}")).await;

            // The exported file, a wrong passphrase: said next to it; the
            // file stays chosen and the box ticked.
            choose_file(&b, &exported).await;
            fill(&b, "import-passphrase", "not the passphrase").await;
            click(&b, "import-understood").await;
            submit(&b, Locator::Id("import-key")).await;
            let passphrase_error = text(&b, "import-passphrase-error").await;
            assert!(passphrase_error.contains(&format!("{} organisation-key.age", says.wrong)), "{passphrase_error}");
            assert!(b.find(Locator::Id("import-file-error")).await.is_err());
            assert!(text(&b, "import-kept").await.contains(&format!("organisation-key.age {}", says.kept)));
            assert!(checked(&b, "import-understood").await, "the box stays ticked");
            assert_eq!(value(&b, "import-passphrase").await, "", "a passphrase is never shown again");
            assert!(org.admin.unlock().secrets.org_key.is_none());
            screenshots(&b, &format!("org-key-import-wrong-passphrase-{lang}")).await;

            // The passphrase again, the file not chosen again: imported.
            fill(&b, "import-passphrase", PASSPHRASE).await;
            submit(&b, Locator::Id("import-key")).await;
            let page = body(&b).await;
            assert!(page.contains(&format!("{} organisation-key.age", says.imported)), "{page}");
            assert!(page.contains(&fingerprint), "{page}");
            assert!(text(&b, "org-key-held").await.contains(&fingerprint));
            no_command(&b).await;
            screenshots(&b, &format!("org-key-imported-{lang}")).await;
            b.close().await.unwrap();
        });
        drop(ui);
        let held = org.admin.unlock().secrets.org_key.map(|k| k.public().fingerprint());
        assert_eq!(held.as_deref(), Some(fingerprint.as_str()));
    }

    // The key imported signs: a new unit is a new list of members.
    let signed = org.admin.run(&["admin", "units", "add", "Family unit", "--yes"]).ok();
    assert!(org.admin.unlock().roster().unwrap().units.iter().any(|u| u == "Family unit"), "{}", signed.stdout);
}

/// What the import's page says, in one language.
struct Says {
    not_a_key: &'static str,
    no_passphrase: &'static str,
    tick: &'static str,
    wrong: &'static str,
    kept: &'static str,
    imported: &'static str,
}

const ENGLISH: Says = Says {
    not_a_key: "is not an organisation key saved by Visitnotes",
    no_passphrase: "Type the passphrase chosen when the file was saved",
    tick: "Tick the box first",
    wrong: "This passphrase does not open",
    kept: "is still chosen",
    imported: "The organisation key was imported from",
};

const NORWEGIAN: Says = Says {
    not_a_key: "er ikke en organisasjonsnøkkel lagret av Visitnotes",
    no_passphrase: "Skriv passordfrasen som ble valgt da filen ble lagret",
    tick: "Kryss av i boksen først",
    wrong: "Denne passordfrasen åpner ikke",
    kept: "er fortsatt valgt",
    imported: "Organisasjonsnøkkelen ble importert fra",
};

/// The page names no terminal command (`web::advice`'s check).
async fn no_command(b: &crate::harness::browser::Browser) {
    let page = super::advice::seen(&b.source().await.unwrap());
    let commands = super::advice::commands_in(&page);
    assert!(commands.is_empty(), "{commands:?}");
}

async fn choose_file(b: &crate::harness::browser::Browser, path: &std::path::Path) {
    let input = b.find(Locator::Id("import-file")).await.unwrap();
    input.send_keys(path.to_str().unwrap()).await.unwrap();
}

/// Over raw HTTP: the import without the page's CSRF token is refused and
/// imports nothing (even with the right file and passphrase); a file over
/// the limit is refused as too large, the key of another organisation as
/// another organisation's, each next to the file's field, and nothing is
/// kept.
#[test]
fn the_org_key_import_refuses_a_form_without_its_token_a_file_too_large_and_another_organisations_key() {
    let org = Org::start();
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("organisation-key.age");
    org.admin
        .run_env(
            &[("VISITNOTES_EXPORT_PASSPHRASE", PASSPHRASE)],
            &["admin", "export-org-key", "--out", exported.to_str().unwrap()],
        )
        .ok();
    let exported = std::fs::read(&exported).unwrap();
    lose_the_key(&org.admin);
    let ui = Ui::start(&org.admin);
    let http = Http::start(&ui);
    http.unlock(&org.admin.passphrase);
    let csrf = http.get("/admin/org-key").csrf();
    let right = [("passphrase", PASSPHRASE), ("understood", "yes")];

    for token in ["", "not-the-token"] {
        let fields = [&[("csrf", token)][..], &right[..]].concat();
        let refused = post_file(&http, &fields, Some(("organisation-key.age", &exported)));
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    assert!(org.admin.unlock().secrets.org_key.is_none(), "nothing imported without the token");

    let fields = [&[("csrf", csrf.as_str())][..], &right[..]].concat();
    let large = vec![b'x'; 40 << 10];
    let refused = post_file(&http, &fields, Some(("holiday-photo.jpg", &large)));
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("holiday-photo.jpg is larger than 16 KB"), "{}", refused.body);
    assert!(refused.body.contains("id=\"import-file-error\""));

    let other = visitnotes_shared::OrgKey::generate();
    let sealed = visitnotes_core::vault::encrypt_with_passphrase(
        other.to_secret_string().as_bytes(),
        &PASSPHRASE.to_owned().into(),
        visitnotes_core::vault::MIN_LOG_N,
    )
    .unwrap();
    let refused = post_file(&http, &fields, Some(("other-org.age", &sealed)));
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("other-org.age holds another organisation"), "{}", refused.body);
    assert!(!refused.body.contains("name=\"kept\""), "another organisation's key is not kept");
    assert!(org.admin.unlock().secrets.org_key.is_none());

    let done = post_file(&http, &fields, Some(("organisation-key.age", &exported)));
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(org.admin.unlock().secrets.org_key.is_some());
}
