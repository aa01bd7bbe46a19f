//! The administrator's pages, and the web app's sync picking up the
//! organisation key.

use std::time::{Duration, Instant};

use crate::harness::browser::{body, browser, click, fill, open, screenshots, submit, text, unlock, value, Driver};
use crate::harness::ui::{form_body, hidden, raw, small_org, Http, Ui};
use crate::harness::{Cluster, Org};

/// The web app's sync picks up the key
/// another administrator sealed to this device, as `visitnotes sync`
/// does (`ops::sync::sync`, shared by both doors).
#[test]
fn the_web_apps_sync_picks_up_the_organisation_key() {
    let org = Org::start();
    let bea = org.enrolled("Bea", "admin");
    assert!(bea.unlock().secrets.org_key.is_none());
    {
        let ui = Ui::start(&bea);
        let http = Http::start(&ui);
        http.unlock(&bea.passphrase);
        let csrf = http.get("/").csrf();
        let page = sync_in_page(&http, &csrf);
        assert!(
            page.contains("id=\"sync-org-key\"") && page.contains("handed over by Admin, is on this computer now"),
            "{page}"
        );
    }
    let key = bea.unlock().secrets.org_key.map(|k| k.public().fingerprint());
    assert_eq!(key, Some(bea.unlock().config.org_key.fingerprint()), "the pinned key, kept");
}

/// Starts a sync from the Sync page and waits for its result page.
fn sync_in_page(http: &Http<'_>, csrf: &str) -> String {
    assert_eq!(http.post("/sync", csrf, &[]).status, 303);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let page = http.get("/sync").body;
        if page.contains("id=\"sync-result\"") || page.contains("error-summary") {
            return page;
        }
        assert!(Instant::now() < deadline, "the sync did not finish: {page}");
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// The server refuses to store the organisation key sealed to a new
/// administrator's device (a trigger in its database fails every grant).
/// The approval stands, and its page says so, that the key did not go and
/// why, and that the next sync tries again: in English, and in Norwegian
/// once that is picked. The sync page says it too while the server
/// refuses; once it takes grants again, the next sync hands the key to
/// both devices and names each in Norwegian, as does the message after an
/// approval whose grant went through.
#[test]
fn a_grant_the_server_refuses_at_approval_is_said_in_the_pages_language_and_the_next_sync_makes_it() {
    let org = Org::start();
    let invite_admin = |name: &str| {
        let person = org.cluster.person(name);
        let invite = org.admin.run(&["admin", "invite", "--role", "admin", "--name", name]).ok().last_line();
        person.enroll(&invite).ok();
        person.unlock().config.device_id.to_string()
    };
    let (bea, cy, di) = (invite_admin("Bea"), invite_admin("Cy"), invite_admin("Di"));
    let db = org.cluster.db();
    let grants = || -> i64 { db.query_row("SELECT COUNT(*) FROM org_key_grants", [], |r| r.get(0)).unwrap() };
    db.execute_batch(
        "CREATE TRIGGER refuse_grants BEFORE INSERT ON org_key_grants BEGIN SELECT RAISE(ABORT, 'no grants'); END;",
    )
    .unwrap();

    let ui = Ui::start(&org.admin);
    let http = Http::start(&ui);
    assert_eq!(http.unlock(&org.admin.passphrase).status, 303);
    let csrf = http.get("/admin").csrf();
    let approved = http.post("/admin/approve", &csrf, &[("device", &bea)]);
    assert_eq!(approved.status, 200, "{}", approved.body);
    for part in [
        "id=\"admin-org-key-not-granted\"",
        "Bea is approved: roster version",
        "The organisation key could not be handed to the administrators' devices that lack it.",
        "the next sync here tries again",
        "Why: ",
    ] {
        assert!(approved.body.contains(part), "{part}: {}", approved.body);
    }
    assert_eq!(grants(), 0);
    assert!(http.get("/admin/roster").body.contains("Bea"), "the approval stands");

    http.post("/lang", &csrf, &[("lang", "nb"), ("back", "/admin")]);
    let approved = http.post("/admin/approve", &csrf, &[("device", &cy)]);
    assert_eq!(approved.status, 200, "{}", approved.body);
    assert!(approved.body.contains("Cy er godkjent: medlemsliste versjon"), "{}", approved.body);
    assert!(approved.body.contains("Organisasjonsnøkkelen kunne ikke overleveres"), "{}", approved.body);
    assert!(approved.body.contains("neste synkronisering her prøver igjen"), "{}", approved.body);

    let synced = sync_in_page(&http, &csrf);
    assert!(synced.contains("id=\"admin-org-key-not-granted\""), "{synced}");
    assert!(synced.contains("Organisasjonsnøkkelen kunne ikke overleveres"), "{synced}");
    assert!(!synced.contains("Alt er oppdatert."), "not all well: {synced}");
    assert_eq!(grants(), 0);

    db.execute_batch("DROP TRIGGER refuse_grants;").unwrap();
    let synced = sync_in_page(&http, &csrf);
    for (name, device) in [("Bea", &bea), ("Cy", &cy)] {
        let line = format!("Organisasjonsnøkkelen ble forseglet til enheten {} til {name}", &device[..8]);
        assert!(synced.contains(&line), "{line}: {synced}");
    }
    assert!(!synced.contains("admin-org-key-not-granted"), "{synced}");
    assert_eq!(grants(), 2);

    assert_eq!(http.post("/admin/approve", &csrf, &[("device", &di)]).status, 303);
    let overview = http.get("/admin").body;
    assert!(overview.contains("Di er godkjent"), "{overview}");
    let line = format!("Organisasjonsnøkkelen ble forseglet til enheten {} til Di", &di[..8]);
    assert!(overview.contains(&line), "{line}: {overview}");
    assert_eq!(grants(), 3);
}

/// What an administrator's GET could change on the server: the newest
/// roster version, every device's head as received, the organisation key
/// grants, the audit log's length.
fn server_state(cluster: &Cluster) -> (i64, Vec<(String, i64, i64)>, i64, i64) {
    let db = cluster.db();
    let version = db.query_row("SELECT MAX(version) FROM rosters", [], |r| r.get(0)).unwrap();
    let mut heads = db.prepare("SELECT hex(device_id), signed_at, received_at FROM heads ORDER BY 1").unwrap();
    let heads = heads.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
    let grants = db.query_row("SELECT COUNT(*) FROM org_key_grants", [], |r| r.get(0)).unwrap();
    let audit = db.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0)).unwrap();
    (version, heads, grants, audit)
}

/// A hostile server (its database edited) says the only coordinator was
/// removed and a leader's device revoked. The administration page says so
/// in both languages, naming them, with the pages that ask first; no GET
/// of the administration signs a roster, uploads a head or hands the
/// organisation key to the administrator's device that lacks it.
#[test]
fn the_admin_page_warns_of_what_the_server_claims_and_no_get_changes_anything() {
    let org = Org::start();
    org.enrolled("Bea", "admin");
    let db = org.cluster.db();
    // Bea's grant lost: a GET must not seal the key to her device again.
    db.execute("DELETE FROM org_key_grants", []).unwrap();
    db.execute("UPDATE users SET state = 'removed' WHERE name = 'Coordinator'", []).unwrap();
    db.execute(
        "UPDATE devices SET state = 'revoked' WHERE user_id = (SELECT user_id FROM users WHERE name = 'Leader B')",
        [],
    )
    .unwrap();
    let b = org.leader_b.device_id();
    let coordinator = org.coordinator.user_id();

    let ui = Ui::start(&org.admin);
    let http = Http::start(&ui);
    assert_eq!(http.unlock(&org.admin.passphrase).status, 303);
    let before = server_state(&org.cluster);
    // A head uploaded by a GET would differ in its time of receipt.
    std::thread::sleep(Duration::from_millis(1100));

    let page = http.get("/admin");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"admin-claims\""), "{}", page.body);
    assert!(page.body.contains("The server says Coordinator was removed."), "{}", page.body);
    assert!(page.body.contains(&format!("The server says the device {} of Leader B was revoked.", &b[..8])));
    assert!(
        page.body.contains(&format!("href=\"{}\"", http.url(&format!("/admin/remove?person={coordinator}")))),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!("href=\"{}\"", http.url(&format!("/admin/revoke?device={b}")))),
        "{}",
        page.body
    );
    let nb = raw(
        &ui.host,
        "GET",
        &http.url("/admin"),
        &[("Host", &ui.host), ("Cookie", &http.cookie), ("Accept-Language", "nb-NO,nb;q=0.9")],
        "",
    );
    assert!(nb.body.contains("Serveren sier at Coordinator er fjernet."), "{}", nb.body);
    assert!(nb.body.contains(&format!("Serveren sier at enheten {} til Leader B er tilbakekalt.", &b[..8])));

    // Following the links: the usual checks and question, nothing signed.
    let remove = http.get(&format!("/admin/remove?person={coordinator}"));
    assert_eq!(remove.status, 409, "{}", remove.body);
    assert!(remove.body.contains("Coordinator is the last coordinator"), "{}", remove.body);
    let revoke = http.get(&format!("/admin/revoke?device={b}"));
    assert_eq!(revoke.status, 200, "{}", revoke.body);
    assert!(revoke.body.contains("Revoke a device of Leader B?"), "{}", revoke.body);
    for path in ["/admin/roster", "/admin/units", "/admin/units/retire?unit=Unit%20A", "/admin/audit", "/admin/rewrap"]
    {
        assert_eq!(http.get(path).status, 200, "{path}");
    }
    assert_eq!(server_state(&org.cluster), before, "a GET changed the server");
}

/// The value of the first `id="{prefix}…"` after `after` in `body`, without the prefix.
fn id_after(body: &str, after: &str, prefix: &str) -> String {
    let start = body.find(after).unwrap_or_else(|| panic!("{after} in {body}"));
    let at = body[..start].rfind(&format!("id=\"{prefix}")).unwrap_or_else(|| panic!("{prefix} before {after}"));
    body[at + 4 + prefix.len()..].split('"').next().unwrap().to_owned()
}

/// The administration is for administrators (no link, 403 for
/// anyone else), every one of its forms needs the CSRF token, and what
/// it signs is named first: a revocation after its confirmation page,
/// the refusal to revoke this device in words, units added and retired.
#[test]
fn administration_is_for_administrators_and_every_form_needs_the_csrf_token() {
    let (cluster, leader) = small_org();
    let admin = cluster.person("Admin");

    // A leader: no link to it, and 403 on every page and form of it.
    let leader_ui = Ui::start(&leader);
    let http = Http::start(&leader_ui);
    assert_eq!(http.unlock(&leader.passphrase).status, 303);
    let home = http.get("/");
    assert!(home.body.contains("Hello, Lea Leader"), "{}", home.body);
    assert!(!home.body.contains(&format!("href=\"{}\"", http.url("/admin"))), "no Administration link for a leader");
    assert!(!home.body.contains("/admin\""), "no Administration link for a leader");
    let csrf = home.csrf();
    for path in ["/admin", "/admin/roster", "/admin/units", "/admin/audit", "/admin/rewrap", "/admin/revoke?device=x"] {
        let answer = http.get(path);
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        assert!(answer.body.contains("For administrators only"), "{path}");
    }
    let invited = http.post("/admin/invite", &csrf, &[("role", "admin"), ("name", "Mallory")]);
    assert_eq!(invited.status, 403, "{}", invited.body);
    assert!(!invited.body.contains("VN1-"), "no invite for a leader");
    drop(http);
    drop(leader_ui);

    let ui = Ui::start(&admin);
    let http = Http::start(&ui);
    assert_eq!(http.unlock(&admin.passphrase).status, 303);
    let home = http.get("/");
    assert!(home.body.contains(&format!("href=\"{}\"", http.url("/admin"))), "the Administration link: {}", home.body);
    let overview = http.get("/admin");
    assert_eq!(overview.status, 200, "{}", overview.body);
    assert!(overview.body.contains("No device is waiting for approval."), "{}", overview.body);
    let csrf = overview.csrf();

    // Every form of the administration: refused without the token or
    // with a wrong one, and nothing signed.
    let origin = format!("http://{}", ui.host);
    let forms: [(&str, &[(&str, &str)]); 8] = [
        ("/admin/invite", &[("role", "leader"), ("name", "Nobody")]),
        ("/admin/approve", &[("device", "x")]),
        ("/admin/reject", &[("device", "x")]),
        ("/admin/revoke", &[("device", "Lea Leader"), ("seq", "0"), ("version", "3")]),
        ("/admin/remove", &[("person", "Lea Leader"), ("version", "3")]),
        ("/admin/units/add", &[("unit", "Unit Forged")]),
        ("/admin/units/retire", &[("unit", "Unit A")]),
        ("/admin/rewrap", &[("sure", "yes")]),
    ];
    for (path, fields) in forms {
        for token in ["", "forged-token"] {
            let answer = http.post_with(path, &[("Origin", &origin)], &form_body(token, fields));
            assert_eq!(answer.status, 403, "{path} with token {token:?}: {}", answer.body);
            assert!(!answer.body.contains("VN1-"), "{path}");
        }
    }
    let units = http.get("/admin/units");
    assert!(units.body.contains("Unit A") && !units.body.contains("Unit Forged"), "{}", units.body);
    let roster = http.get("/admin/roster");
    assert!(roster.body.contains("Roster version 2,"), "nothing was signed: {}", roster.body);

    // An invite: the code as text and as an inline QR code (no XML declaration).
    let made = http.post("/admin/invite", &csrf, &[("role", "coordinator"), ("name", "Cora")]);
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(made.body.contains("Invite for Cora") && made.body.contains("VN1-"), "{}", made.body);
    assert!(made.body.contains("<svg") && !made.body.contains("<?xml"), "an inline SVG QR code");
    assert!(!made.body.contains("http://www.w3.org"), "no foreign URL in the page");
    // Under the CSP: no inline script or style, nothing from elsewhere.
    http.assert_fits_the_csp(&made, "the invite");
    http.assert_fits_the_csp(&overview, "the overview");
    assert!(made.body.contains(&format!("src=\"{}\"", http.url("/assets/copy.js"))), "the copy button's script");
    // Cora enrols; the server changes her keys' MAC on the way: shown as a
    // danger, with no Approve button, and an approval posted anyway is refused.
    let code = made.body.split("id=\"invite-code\"").nth(1).unwrap().split('>').nth(1).unwrap();
    let code = code.split('<').next().unwrap().trim().to_owned();
    let cora = cluster.person("Cora");
    cora.enroll(&code).ok();
    cluster.db().execute("UPDATE devices SET mac = zeroblob(32) WHERE state = 'pending'", []).unwrap();
    let pending = http.get("/admin");
    assert!(pending.body.contains("Danger: the keys were changed on the way."), "{}", pending.body);
    let device = id_after(&pending.body, "Danger:", "verdict-");
    assert!(!pending.body.contains(&format!("approve-{device}")), "no Approve button");
    assert!(pending.body.contains(&format!("reject-{device}")), "a Reject button");
    let approved = http.post("/admin/approve", &csrf, &[("device", &device)]);
    assert_eq!(approved.status, 200);
    assert!(approved.body.contains("Do not approve it"), "{}", approved.body);
    let confirm = http.get(&format!("/admin/reject?device={device}"));
    assert!(confirm.body.contains("Reject Cora?") && confirm.body.contains("confirm-reject"), "{}", confirm.body);
    assert_eq!(http.post("/admin/reject", &csrf, &[("device", &device)]).status, 303);
    assert!(http.get("/admin").body.contains("The enrolment of Cora is rejected."));
    let unsure = http.post("/admin/rewrap", &csrf, &[]);
    assert_eq!(unsure.status, 422);
    assert!(unsure.body.contains("Tick the box to confirm first; nothing was changed."), "{}", unsure.body);

    let empty = http.post("/admin/invite", &csrf, &[("role", "leader"), ("name", "  ")]);
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Give the person's name."), "{}", empty.body);

    // This device cannot be revoked: said in words, nothing signed.
    let this_device = id_after(&roster.body, "(this device)", "device-");
    let refused = http.get(&format!("/admin/revoke?device={this_device}"));
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("This is the device you are using"), "{}", refused.body);
    assert!(!refused.body.contains("confirm-revoke"));
    let yourself = id_after(&roster.body, "(this device)", "member-");
    let refused = http.get(&format!("/admin/remove?person={yourself}"));
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("Admin is you (this device)"), "{}", refused.body);

    // A revocation: the page names who, which device, what stays trusted
    // and the new version; the POST signs it.
    let device = id_after(&roster.body, "Revoke this device…", "revoke-");
    let plan = http.get(&format!("/admin/revoke?device={device}"));
    assert_eq!(plan.status, 200, "{}", plan.body);
    for part in ["Revoke a device of Lea Leader?", "Trusted through", "New roster version", "id=\"revoke-version\">3<"]
    {
        assert!(plan.body.contains(part), "{part}: {}", plan.body);
    }
    let seq = hidden(&plan.body, "seq");
    // A confirmation of an older plan is not signed: the page is shown again.
    let stale = http.post("/admin/revoke", &csrf, &[("device", &device), ("seq", &seq), ("version", "2")]);
    assert_eq!(stale.status, 200);
    assert!(stale.body.contains("Something changed since the last page"), "{}", stale.body);
    let done = http.post("/admin/revoke", &csrf, &[("device", &device), ("seq", &seq), ("version", "3")]);
    assert_eq!(done.status, 303, "{}", done.body);
    let roster = http.get("/admin/roster");
    assert!(roster.body.contains("Roster version 3,"), "{}", roster.body);
    assert!(roster.body.contains("Revoked: its notes up to number"), "{}", roster.body);
    assert!(roster.body.contains(&format!("The device {} of Lea Leader is revoked", &device[..8])), "the flash");

    // Units: added, then retired after its confirmation page.
    let added = http.post("/admin/units/add", &csrf, &[("unit", "Unit C")]);
    assert_eq!(added.status, 303, "{}", added.body);
    let again = http.post("/admin/units/add", &csrf, &[("unit", "unit c")]);
    assert_eq!(again.status, 422, "a unit twice");
    assert!(again.body.contains("value=\"unit c\""), "what was typed stays: {}", again.body);
    let confirm = http.get("/admin/units/retire?unit=Unit%20C");
    assert!(confirm.body.contains("Retire Unit C?") && confirm.body.contains("confirm-retire"), "{}", confirm.body);
    assert_eq!(http.post("/admin/units/retire", &csrf, &[("unit", "Unit C")]).status, 303);
    let units = http.get("/admin/units");
    assert!(units.body.contains("Unit C is retired"), "{}", units.body);

    // A removal: its page names who and the new version; the POST signs it.
    let roster = http.get("/admin/roster");
    let person = id_after(&roster.body, "Remove Lea Leader…", "remove-");
    let plan = http.get(&format!("/admin/remove?person={person}"));
    assert!(
        plan.body.contains("Remove Lea Leader?") && plan.body.contains("id=\"remove-version\">6<"),
        "{}",
        plan.body
    );
    let done = http.post("/admin/remove", &csrf, &[("person", &person), ("version", "6")]);
    assert_eq!(done.status, 303, "{}", done.body);
    let roster = http.get("/admin/roster");
    assert!(roster.body.contains("Lea Leader is removed: roster version 6 is published."), "{}", roster.body);
    assert!(roster.body.contains("(removed)") && !roster.body.contains("Remove Lea Leader…"));

    // The audit log: newest first, in words, and checked.
    let audit = http.get("/admin/audit");
    assert_eq!(audit.status, 200, "{}", audit.body);
    assert!(audit.body.contains("The audit log verifies."), "{}", audit.body);
    let (removed, revoked, enrolled) = (
        audit.body.find("Person removed").unwrap(),
        audit.body.find("Device revoked").unwrap(),
        audit.body.find("Device enrolled").unwrap(),
    );
    assert!(removed < revoked && revoked < enrolled, "newest first");
    assert!(audit.body.contains("Lea Leader&#39;s device") || audit.body.contains("Lea Leader's device"), "names");
}

/// An administrator approves, in the browser, a device that a
/// new member enrolled with the command line; the member's device then
/// syncs as active. Every administration page is saved as PNG.
#[test]
fn an_administrator_approves_a_pending_device_in_the_browser() {
    let org = Org::start();
    let driver = Driver::start();
    // One note on the server, for the coordinator's rewrap.
    org.leader_a.write(&["--unit", "Unit A", "--met", "2"]);
    org.leader_a.sync().ok();
    let ui = Ui::start(&org.admin);
    let coordinator_ui = Ui::start(&org.coordinator);
    let profiles = tempfile::tempdir().unwrap();
    let nina = org.cluster.person("Nina New");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("admin"), true).await;
        let app = open(&b, &ui).await;
        unlock(&b, &org.admin).await;
        screenshots(&b, "home-admin").await;
        submit(&b, fantoccini::Locator::Id("nav-admin")).await;
        assert!(body(&b).await.contains("No device is waiting for approval."));
        screenshots(&b, "admin-overview").await;

        fill(&b, "invite-name", "Nina New").await;
        b.find(fantoccini::Locator::Id("invite-role")).await.unwrap().select_by_value("leader").await.unwrap();
        submit(&b, fantoccini::Locator::Id("invite")).await;
        let code = value(&b, "invite-code").await;
        assert!(code.starts_with("VN1-"), "{code}");
        let copy = b.find(fantoccini::Locator::Id("copy-invite")).await.unwrap();
        assert!(copy.is_displayed().await.unwrap(), "the script shows the Copy button");
        b.find(fantoccini::Locator::Css("figure.qr svg")).await.expect("the QR code");
        screenshots(&b, "admin-invite").await;

        // The new member enrols with the command line.
        let enrolled = nina.enroll(&code).ok();
        let fingerprint = enrolled
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("Read this device's fingerprint to your administrator: "))
            .expect("the fingerprint")
            .trim()
            .to_owned();

        b.goto(&format!("{app}/admin")).await.unwrap();
        let card = b.find(fantoccini::Locator::Css("article.candidate")).await.unwrap();
        let device = card.attr("id").await.unwrap().unwrap().strip_prefix("pending-").unwrap().to_owned();
        let shown = text(&b, &format!("fingerprint-{device}")).await;
        assert_eq!(shown.split_whitespace().collect::<Vec<_>>(), fingerprint.split(' ').collect::<Vec<_>>());
        assert!(text(&b, &format!("verdict-{device}")).await.contains("The keys check out"));
        screenshots(&b, "admin-pending").await;
        submit(&b, fantoccini::Locator::Id(&format!("approve-{device}"))).await;
        let page = body(&b).await;
        assert!(page.contains("Nina New is approved: roster version"), "{page}");
        assert!(page.contains("No device is waiting for approval."), "{page}");

        // The roster, a revocation's and a refused removal's pages, units,
        // rewrap and the audit log.
        submit(&b, fantoccini::Locator::LinkText("Roster")).await;
        let page = body(&b).await;
        assert!(page.contains("Nina New") && page.contains("Active"), "{page}");
        screenshots(&b, "admin-roster").await;
        let leader_b = b
            .find(fantoccini::Locator::XPath(
                "//article[h2[normalize-space()='Leader B']]//a[starts-with(@id,'revoke-')]",
            ))
            .await
            .unwrap();
        leader_b.click().await.unwrap();
        b.wait().for_element(fantoccini::Locator::Id("confirm-revoke")).await.unwrap();
        assert!(body(&b).await.contains("Revoke a device of Leader B?"));
        screenshots(&b, "admin-revoke-confirm").await;
        b.goto(&format!("{app}/admin/roster")).await.unwrap();
        submit(&b, fantoccini::Locator::LinkText("Remove Coordinator…")).await;
        let page = body(&b).await;
        assert!(page.contains("Coordinator is the last coordinator"), "{page}");
        screenshots(&b, "admin-remove-refused").await;
        b.goto(&format!("{app}/admin/roster")).await.unwrap();
        submit(&b, fantoccini::Locator::LinkText("Remove Leader B…")).await;
        assert!(body(&b).await.contains("Remove Leader B?"));
        screenshots(&b, "admin-remove-confirm").await;
        b.goto(&format!("{app}/admin/units")).await.unwrap();
        screenshots(&b, "admin-units").await;
        submit(&b, fantoccini::Locator::Id("retire-0")).await;
        screenshots(&b, "admin-units-retire").await;
        b.goto(&format!("{app}/admin/rewrap")).await.unwrap();
        screenshots(&b, "admin-rewrap").await;
        b.goto(&format!("{app}/admin/audit")).await.unwrap();
        assert!(text(&b, "audit-verdict").await.contains("The audit log verifies."));
        screenshots(&b, "admin-audit").await;
        submit(&b, fantoccini::Locator::Css("button[name='lang'][value='nb']")).await;
        assert!(body(&b).await.contains("Revisjonslogg"));
        screenshots(&b, "admin-audit-nb").await;
        b.close().await.unwrap();

        // A coordinator rewraps from the page of their own device.
        let c = browser(&driver, &profiles.path().join("coordinator"), false).await;
        open(&c, &coordinator_ui).await;
        unlock(&c, &org.coordinator).await;
        assert!(c.find(fantoccini::Locator::Id("nav-admin")).await.is_err(), "no administration for a coordinator");
        submit(&c, fantoccini::Locator::Id("nav-rewrap")).await;
        click(&c, "rewrap-sure").await;
        submit(&c, fantoccini::Locator::Id("rewrap")).await;
        let result = text(&c, "rewrap-result").await;
        assert!(result.contains("One note is encrypted again."), "{result}");
        screenshots(&c, "admin-rewrap-result").await;
        c.close().await.unwrap();
    });
    // The member's device is active: its note goes up.
    nina.sync().ok();
    nina.write(&["--unit", "Unit A", "--met", "2"]);
    let pushed = nina.run(&["--json", "sync"]).ok().json();
    assert_eq!(pushed["pushed"], 1, "{pushed}");
}
