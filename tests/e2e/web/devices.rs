//! Another device for a person already in the roster, invited from the
//! administration's roster page (`visitnotes admin invite --device-for`).

use crate::harness::browser::{browser, open, screenshots, unlock, Driver};
use crate::harness::ui::{Http, Ui};
use crate::harness::Org;

/// The roster offers "Add a device" per active person; the page asks
/// first, naming what the device will read; the invite it then shows
/// enrols a device that, approved, joins that person and (after the
/// coordinator's rewrap, as for any new device) reads their notes.
#[test]
fn a_second_device_invited_from_the_roster_page_joins_the_person_and_reads_their_notes() {
    let org = Org::start();
    let id = org.leader_a.write(&["--unit", "Unit A", "--met", "2", "--summary", "before the new phone"]);
    org.leader_a.sync().ok();
    let user = org.leader_a.user_id();

    let ui = Ui::start(&org.admin);
    let http = Http::start(&ui);
    http.unlock(&org.admin.passphrase);
    let roster = http.get("/admin/roster");
    let link = format!("href=\"{}\"", http.url(&format!("/admin/devices/new?user={user}")));
    assert!(roster.body.contains(&link), "{}", roster.body);
    let ask = http.get(&format!("/admin/devices/new?user={user}"));
    assert_eq!(ask.status, 200, "{}", ask.body);
    assert!(ask.body.contains("reads the notes Leader A may read"), "{}", ask.body);
    let nobody = http.post("/admin/devices/new", &ask.csrf(), &[("user", "no-such-user")]);
    assert!(nobody.body.contains("The roster has no active person with this id"), "{}", nobody.body);
    let made = http.post("/admin/devices/new", &ask.csrf(), &[("user", &user)]);
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(made.body.contains("id=\"device-invite-for\"") && made.body.contains("a new device of Leader A"));
    assert!(made.body.contains("id=\"copy-invite\"") && made.body.contains("<svg"), "copy button and QR code");
    let at = made.body.find("id=\"invite-code\"").unwrap();
    let code = made.body[at..].split('>').nth(1).unwrap().split('<').next().unwrap().trim().to_owned();
    drop(http);
    drop(ui);

    let phone = org.cluster.person("Leader A phone");
    phone.run(&["enroll", &code, "--name", "Leader A"]).ok();
    org.admin.run(&["admin", "approve", "--all"]).ok();
    let roster = org.admin.roster();
    let member = roster.members.iter().find(|m| m.user_id.as_str() == user).unwrap();
    assert_eq!(member.devices.len(), 2, "one person, two devices");
    org.coordinator.sync().ok();
    org.coordinator.run(&["admin", "rewrap"]).ok();
    phone.sync().ok();
    let shown = phone.run(&["--json", "note", "show", &id]).ok().json();
    assert_eq!(shown["note"]["summary"], "before the new phone");

    // The pages, as a person sees them.
    let ui = Ui::start(&org.admin);
    let driver = Driver::start();
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("admin"), true).await;
        let app = open(&b, &ui).await;
        unlock(&b, &org.admin).await;
        b.goto(&format!("{app}/admin/roster")).await.unwrap();
        b.find(fantoccini::Locator::Id(&format!("add-device-{}", org.leader_b.user_id())))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        screenshots(&b, "device-new-ask").await;
        b.find(fantoccini::Locator::Id("confirm-add-device")).await.unwrap().click().await.unwrap();
        assert!(b.find(fantoccini::Locator::Id("device-invite-for")).await.is_ok());
        screenshots(&b, "device-new-invite").await;
        b.close().await.unwrap();
    });
}
