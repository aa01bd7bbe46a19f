//! The notes pages: writing, changing and deleting a note, drafts, the
//! home page's receipts, the coordinator's list and follow-up on a note's
//! concerns.

use std::time::{Duration, Instant};

use crate::harness::browser::{
    body, browser, checked, click, fill, open, screenshots, submit, sync, text, unlock, value, Driver,
};
use crate::harness::small_disk::SmallDisk;
use crate::harness::ui::{hidden, small_org, Http, Ui};
use crate::harness::{Org, Person, TWO_CONCERNS};

/// Without a browser: a note with a mistake comes back with the
/// error at its field and everything typed; the draft is kept sealed.
#[test]
fn a_mistake_keeps_everything_typed_and_the_draft_is_sealed() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    http.unlock(&leader.passphrase);
    let csrf = http.get("/notes/new").csrf();
    let canary = "canary-7f3a9 summary text";
    let fields = [
        ("date", "02.03.2026"),
        ("unit", "Unit B"),
        ("volunteers", "three"),
        ("people_met", "6"),
        ("theme", "food"),
        ("summary", canary),
        ("language", "en"),
        ("action", "save"),
    ];
    let answer = http.post("/notes/new", &csrf, &fields);
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(answer.body.contains("id=\"volunteers-error\""), "the error is at its field");
    assert!(answer.body.contains("value=\"three\""), "what was typed stays");
    assert!(answer.body.contains(canary) && answer.body.contains("value=\"02.03.2026\""));
    // The draft is in the store, sealed: not in clear in any file.
    let store = crate::harness::all_bytes(&leader.home);
    assert!(!crate::harness::contains(&store, "canary-7f3a9"), "the draft is sealed");
    // It comes back on the next visit of the form.
    let again = http.get("/notes/new");
    assert!(again.body.contains(canary) && again.body.contains("value=\"three\""), "the draft is offered again");
    let mut fixed = fields.to_vec();
    fixed[2] = ("volunteers", "3");
    let saved = http.post("/notes/new", &csrf, &fixed);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let listed = leader.run(&["--json", "note", "list"]).ok().json();
    let note = &listed["notes"][0]["note"];
    assert_eq!(note["volunteers"], 3);
    assert_eq!(note["summary"], canary);
    assert!(!http.get("/notes/new").body.contains(canary), "the draft went with the save");
    assert!(!ui.printed().contains("canary-7f3a9"), "the note's text is never printed");
}

/// A disk that fills between the form and Save (after the low-space
/// warning, say): every answer is the form again with everything typed and
/// why nothing was stored, whether the person saves or adds a concern; no
/// note is half kept, and once there is room the same form saves. A real
/// full disk: the profile on a small tmpfs, filled to the last block.
#[test]
fn a_full_disk_at_save_shows_the_form_again_with_everything_typed() {
    let (_cluster, leader) = small_org();
    let Some(disk) = SmallDisk::over(&leader.home, 32 << 20) else { return };
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    http.unlock(&leader.passphrase);
    let csrf = http.get("/notes/new").csrf();
    let before = leader.run(&["--json", "note", "list"]).ok().json()["notes"].as_array().unwrap().len();
    disk.fill();
    let summary = "full-disk canary ".repeat(1_000);
    let mut fields = vec![
        ("date", "02.03.2026"),
        ("unit", "Unit B"),
        ("volunteers", "2"),
        ("people_met", "6"),
        ("summary", summary.as_str()),
        ("language", "en"),
        ("action", "add_concern"),
    ];
    let added = http.post("/notes/new", &csrf, &fields);
    assert!(added.body.contains("disk is full, so nothing was stored"), "{}", added.body);
    assert!(added.body.contains(summary.trim_end()) && added.body.contains("value=\"6\""), "what was typed stays");
    // SQLite may still write a note or two into room its log already
    // has: Save until the disk refuses.
    fields[6] = ("action", "save");
    let mut saved = 0;
    let refused = loop {
        let answer = http.post("/notes/new", &csrf, &fields);
        if answer.status != 303 {
            break answer;
        }
        saved += 1;
        assert!(saved < 50, "the disk never filled");
    };
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("disk is full, so nothing was stored"), "{}", refused.body);
    assert!(refused.body.contains(summary.trim_end()) && refused.body.contains("value=\"02.03.2026\""));

    disk.free();
    let again = http.post("/notes/new", &csrf, &fields);
    assert_eq!(again.status, 303, "saved once there is room: {}", again.body);
    drop(ui);
    let listed = leader.run(&["--json", "note", "list"]).ok().json();
    let notes = listed["notes"].as_array().unwrap();
    assert_eq!(notes.len(), before + saved + 1, "every acknowledged save, and no half-kept one");
    let kept = notes.iter().filter(|n| n["note"]["summary"] == summary.trim_end()).count();
    assert_eq!(kept, saved + 1, "the note saved once there was room, and each saved before");
}

/// Three mistakes in one form (people met −1, a date in the future, no
/// unit) come back in one answer, each next to its field, with everything
/// typed still there: not one per Save.
#[test]
fn every_mistake_in_a_form_is_shown_at_once() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    http.unlock(&leader.passphrase);
    let csrf = http.get("/notes/new").csrf();
    let fields = [
        ("date", "01.01.2099"),
        ("volunteers", "2"),
        ("people_met", "-1"),
        ("summary", "kept summary"),
        ("language", "en"),
        ("action", "save"),
    ];
    let answer = http.post("/notes/new", &csrf, &fields);
    assert_eq!(answer.status, 422, "{}", answer.body);
    for field in ["date", "people_met", "units"] {
        assert!(answer.body.contains(&format!("id=\"{field}-error\"")), "no error at {field}: {}", answer.body);
    }
    assert!(answer.body.contains("value=\"-1\"") && answer.body.contains("value=\"01.01.2099\""));
    assert!(answer.body.contains("kept summary"), "what was typed stays");
}

/// A note is changed (a new revision) and deleted only after a
/// question that names it.
#[test]
fn a_note_is_changed_and_deleted_after_a_question() {
    let (_cluster, leader) = small_org();
    let id = leader.write(&["--date", "02.03.2026", "--unit", "Unit A", "--met", "4", "--summary", "First words"]);
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    http.unlock(&leader.passphrase);
    let form = http.get(&format!("/notes/{id}/edit"));
    assert_eq!(form.status, 200);
    assert!(form.body.contains("First words") && form.body.contains("value=\"4\""), "{}", form.body);
    assert!(form.body.contains("value=\"02/03/2026\""), "the date in the page's form");
    let fields = [
        ("date", "02/03/2026"),
        ("unit", "Unit A"),
        ("people_met", "5"),
        ("summary", "Second words"),
        ("language", "en"),
        ("action", "save"),
    ];
    let saved = http.post(&format!("/notes/{id}/edit"), &form.csrf(), &fields);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let listed = leader.run(&["--json", "note", "list"]).ok().json();
    assert_eq!(listed["notes"][0]["revision"], 2);
    assert_eq!(listed["notes"][0]["note"]["summary"], "Second words");
    assert_eq!(listed["notes"][0]["note"]["people_met"], 5);

    let question = http.get(&format!("/notes/{id}/delete"));
    assert!(question.body.contains("Visit on 2 March 2026 to Unit A"), "{}", question.body);
    assert!(question.body.contains("cannot be undone"));
    assert_eq!(leader.run(&["--json", "note", "list"]).ok().json()["notes"].as_array().unwrap().len(), 1);
    let deleted = http.post(&format!("/notes/{id}/delete"), &question.csrf(), &[]);
    assert_eq!(deleted.status, 303);
    assert!(http.get("/").body.contains("The note was deleted on this computer"));
    assert_eq!(leader.run(&["--json", "note", "list"]).ok().json()["notes"].as_array().unwrap().len(), 0);
    let gone = http.get(&format!("/notes/{id}"));
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("deleted this note."), "said, not 'no such note': {}", gone.body);
}

/// A form sent after the idle lock fired is not lost: it
/// comes back inside the unlock form (nothing kept unsealed meanwhile),
/// and unlocking makes it the draft the form offers again.
#[test]
fn a_form_sent_after_the_lock_comes_back_after_unlocking() {
    let (_cluster, leader) = small_org();
    let ui = Ui::start(&leader);
    let http = Http::start(&ui);
    http.unlock(&leader.passphrase);
    let csrf = http.get("/notes/new").csrf();
    assert_eq!(http.post("/lock", &csrf, &[]).status, 303);
    let canary = "canary-5d1c typed while away";
    let fields = [("date", "02.03.2026"), ("unit", "Unit B"), ("summary", canary), ("action", "save")];
    let page = http.post("/notes/new", &csrf, &fields);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("locked itself while you were away"), "{}", page.body);
    assert!(page.body.contains("name=\"passphrase\""));
    assert!(
        !crate::harness::contains(&crate::harness::all_bytes(&leader.home), "canary-5d1c"),
        "nothing unsealed on disk"
    );
    let resume = [
        ("passphrase", leader.passphrase.as_str()),
        ("resume_key", &hidden(&page.body, "resume_key")),
        ("resume_form", &hidden(&page.body, "resume_form")),
    ];
    // A wrong passphrase keeps it too.
    let wrong = http.post("/unlock", &csrf, &[("passphrase", "wrong passphrase"), resume[1], resume[2]]);
    assert!(wrong.body.contains("Wrong passphrase") && wrong.body.contains("canary-5d1c"), "{}", wrong.body);
    let unlocked = http.post("/unlock", &csrf, &resume);
    assert_eq!(unlocked.status, 303);
    assert_eq!(unlocked.header("location"), Some(&*http.url("/notes/new")));
    let form = http.get("/notes/new");
    assert!(form.body.contains(canary) && form.body.contains("value=\"02.03.2026\""), "{}", form.body);
    assert!(form.body.contains("Your draft from"));
    assert!(!crate::harness::contains(&crate::harness::all_bytes(&leader.home), "canary-5d1c"), "the draft is sealed");
    assert!(!ui.printed().contains("canary-5d1c"), "the form's text is never printed");
}

/// The note page shows the coordinators' follow-up history under
/// each concern (the records `note show` shows), and a coordinator records
/// follow-up there; a mistake comes back at its field with what was typed.
/// A leader gets no form, and a post of theirs records nothing.
#[test]
fn a_coordinator_reads_and_records_follow_up_on_the_note_page() {
    let org = Org::start();
    let id = org.leader_a.write(&TWO_CONCERNS);
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();
    org.coordinator
        .run(&[
            "concern",
            "follow-up",
            &id,
            "1",
            "--status",
            "in-progress",
            "--date",
            "03.03.2026",
            "--text",
            "Asked the health service",
        ])
        .ok();

    let ui = Ui::start(&org.coordinator);
    let http = Http::start(&ui);
    http.unlock(&org.coordinator.passphrase);
    let page = http.get(&format!("/notes/{id}"));
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("id=\"show-follow-up-0\""), "{body}");
    assert!(
        body.contains("In progress on 3 March 2026 by Coordinator") && body.contains("Asked the health service"),
        "{body}"
    );
    assert!(body.contains("not synced yet"), "the record waits in the outbox");
    // The coordinator's entry decides where the concern stands; the
    // leader's own value is named as what the note says.
    assert!(body.contains("Where it stands now: In progress"), "{body}");
    assert!(body.contains("Follow-up as the note says: Open"), "{body}");
    assert!(!body.contains("id=\"show-follow-up-1\""), "no history under the second concern");
    assert!(body.contains("id=\"fu-1-form\"") && body.contains("id=\"fu-1-date\""), "a form per concern");

    // A mistake: the error at the date, the text kept, nothing recorded.
    let path = format!("/notes/{id}/concerns/2/follow-up");
    let wrong = http.post(
        &path,
        &page.csrf(),
        &[("status", "closed"), ("date", "31.02.2026"), ("text", "Soap bought by the staff")],
    );
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("id=\"fu-1-date-error\""), "{}", wrong.body);
    assert!(wrong.body.contains("Soap bought by the staff") && wrong.body.contains("value=\"31.02.2026\""));
    let before = http.post(&path, &page.csrf(), &[("status", "closed"), ("date", "01.03.2026"), ("text", "x")]);
    assert_eq!(before.status, 422);
    assert!(before.body.contains("is before the visit (2 March 2026)"), "{}", before.body);
    let listed = org.coordinator.run(&["--json", "concern", "list"]).ok().json();
    assert_eq!(listed["concerns"][1]["status"], "open", "{listed}");

    let saved = http.post(
        &path,
        &page.csrf(),
        &[("status", "closed"), ("date", "04.03.2026"), ("text", "Soap bought by the staff")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let listed = org.coordinator.run(&["--json", "concern", "list", "--all"]).ok().json();
    let second = listed["concerns"].as_array().unwrap().iter().find(|c| c["concern"] == 2).unwrap().clone();
    assert_eq!((&second["status"], &second["by"]), (&"closed".into(), &"Coordinator".into()), "{listed}");
    let again = http.get(&format!("/notes/{id}"));
    assert!(again.body.contains("Follow-up recorded on concern 2"), "{}", again.body);
    assert!(again.body.contains("Closed on 4 March 2026 by Coordinator"), "{}", again.body);
    drop(http);
    drop(ui);

    // The leader reads the note without a form; a post of theirs is refused.
    org.coordinator.sync().ok();
    org.leader_a.sync().ok();
    let ui = Ui::start(&org.leader_a);
    let http = Http::start(&ui);
    http.unlock(&org.leader_a.passphrase);
    let page = http.get(&format!("/notes/{id}"));
    assert!(page.body.contains("Closed on 4 March 2026 by Coordinator"), "the leader sees the follow-up");
    assert!(!page.body.contains("fu-0-form"), "no form for a leader");
    let refused = http.post(&path, &page.csrf(), &[("status", "open"), ("date", "04.03.2026"), ("text", "")]);
    assert_ne!(refused.status, 303, "{}", refused.body);
    assert!(refused.body.contains("coordinator"), "{}", refused.body);
}

/// A follow-up form sent after the idle lock is not lost: it comes back
/// inside the unlock form (nothing kept on disk), and after unlocking it is
/// back in its form on the note page, not recorded until it is sent again.
#[test]
fn a_follow_up_sent_after_the_lock_comes_back_in_its_form_after_unlocking() {
    let org = Org::start();
    let id = org.leader_a.write(&["--date", "2026-03-02", "--unit", "Unit A", "--concern", "low:no soap"]);
    org.leader_a.sync().ok();
    org.coordinator.sync().ok();
    let ui = Ui::start(&org.coordinator);
    let http = Http::start(&ui);
    http.unlock(&org.coordinator.passphrase);
    let csrf = http.get(&format!("/notes/{id}")).csrf();
    assert_eq!(http.post("/lock", &csrf, &[]).status, 303);
    let canary = "canary-fu9c typed while away";
    let path = format!("/notes/{id}/concerns/1/follow-up");
    let page = http.post(&path, &csrf, &[("status", "closed"), ("date", "04.03.2026"), ("text", canary)]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("before your follow-up was recorded"), "{}", page.body);
    assert!(page.body.contains("name=\"passphrase\"") && page.body.contains(canary));
    assert!(
        !crate::harness::contains(&crate::harness::all_bytes(&org.coordinator.home), "canary-fu9c"),
        "nothing on disk"
    );
    let fields: Vec<(String, String)> =
        ["resume_fu_note", "resume_fu_concern", "resume_fu_status", "resume_fu_date", "resume_fu_text"]
            .iter()
            .map(|name| (name.to_string(), hidden(&page.body, name)))
            .collect();
    let mut resume: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // A wrong passphrase keeps it too.
    let mut wrong = resume.clone();
    wrong.push(("passphrase", "wrong passphrase"));
    let wrong = http.post("/unlock", &csrf, &wrong);
    assert!(wrong.body.contains("Wrong passphrase") && wrong.body.contains(canary), "{}", wrong.body);
    resume.push(("passphrase", org.coordinator.passphrase.as_str()));
    let unlocked = http.post("/unlock", &csrf, &resume);
    assert_eq!(unlocked.status, 303, "{}", unlocked.body);
    assert_eq!(unlocked.header("location"), Some(http.url(&format!("/notes/{id}#show-concern-0")).as_str()));
    let back = http.get(&format!("/notes/{id}"));
    assert_eq!(back.status, 200, "{}", back.body);
    let form = &back.body[back.body.find("id=\"fu-0-form\"").expect("the form")..];
    assert!(form.contains(canary) && form.contains("value=\"04.03.2026\""), "{form}");
    assert!(form.contains("<option value=\"closed\" selected>"), "{form}");
    assert!(back.body.contains("not recorded yet"), "{}", back.body);
    let listed = org.coordinator.run(&["--json", "concern", "list"]).ok().json();
    assert_eq!(listed["concerns"][0]["status"], "open", "not recorded by itself: {listed}");
    assert!(!http.get(&format!("/notes/{id}")).body.contains(canary), "shown once");
    // Sent again, it is recorded.
    let saved = http.post(&path, &back.csrf(), &[("status", "closed"), ("date", "04.03.2026"), ("text", canary)]);
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(!crate::harness::contains(&crate::harness::all_bytes(&org.coordinator.home), "canary-fu9c"), "sealed");
    assert!(!ui.printed().contains("canary-fu9c"));
}

/// The leader's home page says per note which coordinators have
/// received it, from the same receipts as `note list`'s "received by".
#[test]
fn the_home_page_says_which_coordinators_received_each_note() {
    let org = Org::start();
    let second = org.add_member("Coordinator Two", "coordinator");
    org.leader_a.sync().ok();
    let sent = org.leader_a.write(&["--date", "2026-03-02", "--unit", "Unit A", "--met", "1"]);
    org.leader_a.sync().ok();
    let waiting = org.leader_a.write(&["--date", "2026-03-03", "--unit", "Unit A", "--met", "2"]);
    let cell = |body: &str, id: &str| {
        let marker = format!("id=\"received-{id}\">");
        let at = body.find(&marker).unwrap_or_else(|| panic!("no cell for {id}: {body}")) + marker.len();
        body[at..].split("</td>").next().unwrap().to_owned()
    };
    {
        let ui = Ui::start(&org.leader_a);
        let http = Http::start(&ui);
        http.unlock(&org.leader_a.passphrase);
        let home = http.get("/").body;
        assert!(home.contains("Received by"), "{home}");
        assert_eq!(cell(&home, &sent), "No coordinator has confirmed it yet");
        assert_eq!(cell(&home, &waiting), "–", "not sent yet: nothing to receive");
    }
    org.coordinator.sync().ok();
    second.sync().ok();
    org.leader_a.sync().ok();
    let ui = Ui::start(&org.leader_a);
    let http = Http::start(&ui);
    http.unlock(&org.leader_a.passphrase);
    let home = http.get("/").body;
    assert_eq!(cell(&home, &sent), "Coordinator and Coordinator Two", "{home}");
    // Sent by the last sync, after the coordinators' syncs.
    assert_eq!(cell(&home, &waiting), "No coordinator has confirmed it yet");
    let csrf = http.get("/").csrf();
    http.post("/lang", &csrf, &[("lang", "nb"), ("back", "/")]);
    assert_eq!(cell(&http.get("/").body, &sent), "Coordinator og Coordinator Two");
}

/// What `note list` and `note show` warn of, the web app shows too, in
/// English and Norwegian: a note held back because the list of members
/// expired (its row on the home page and a warning on its page), the
/// warning kept with a note sent anyway under it, and, when the
/// coordinators' receipts cannot be read, a notice that says so with the
/// rest of the page as usual (not an empty "received by"). Each page is
/// saved as PNG at 1200 and 400 px.
#[test]
fn the_web_app_shows_a_held_back_note_the_warning_kept_with_one_and_receipts_it_cannot_read() {
    let org = Org::start();
    // A list of members that lives 8 seconds, then expires.
    let lifetime = [("VISITNOTES_ROSTER_LIFETIME_SECS", "8")];
    let run = org.admin.run_env(&lifetime, &["--json", "admin", "units", "add", "Unit C", "--yes"]).ok();
    let expired = run.json()["roster_version"].as_u64().unwrap();
    org.leader_a.sync().ok();
    org.leader_b.sync().ok();
    let expires = org.leader_a.unlock().roster().unwrap().expires_at();
    while chrono::Utc::now().timestamp() <= expires {
        std::thread::sleep(Duration::from_millis(500));
    }
    let write = |p: &Person, unit: &str| {
        let run = p.run(&["--json", "note", "new", "--date", "2026-03-02", "--unit", unit, "--met", "2"]);
        assert_eq!(run.code, 3, "held back: {}", run.stderr);
        run.json()["note_id"].as_str().unwrap().to_owned()
    };
    let held = write(&org.leader_a, "Unit C");
    let sent = write(&org.leader_b, "Unit A");
    assert_eq!(org.leader_b.run(&["sync", "--allow-expired-roster"]).code, 3);
    let driver = Driver::start();
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let to_nb = fantoccini::Locator::Css("button[name='lang'][value='nb']");
    {
        let ui = Ui::start(&org.leader_a);
        runtime.block_on(async {
            let b = browser(&driver, &profiles.path().join("leader-a"), false).await;
            let app = open(&b, &ui).await;
            unlock(&b, &org.leader_a).await;
            assert_eq!(text(&b, &format!("state-{held}")).await, "held back: the list of members has expired");
            assert_eq!(text(&b, &format!("received-{held}")).await, "–", "not sent: nothing to receive");
            screenshots(&b, "home-held-back").await;
            // Written in the page: saved, and said not sent.
            submit(&b, fantoccini::Locator::Id("new-note")).await;
            fill(&b, "date", "03.03.2026").await;
            click(&b, "unit-0").await;
            fill(&b, "people_met", "1").await;
            submit(&b, fantoccini::Locator::Id("save")).await;
            let page = body(&b).await;
            assert!(
                page.contains(
                    "Saved: Visit on 3 March 2026 to Unit A. It is encrypted on this computer, but not sent yet"
                ),
                "{page}"
            );
            assert!(text(&b, "note-held").await.starts_with("Not sent yet"));
            b.goto(&format!("{app}/notes/{held}")).await.unwrap();
            let warning = text(&b, "note-held").await;
            assert!(
                warning.starts_with("Not sent yet")
                    && warning.contains(&format!("(version {expired}) expired on"))
                    && warning.contains("Press Sync now"),
                "{warning}"
            );
            assert_eq!(text(&b, "note-state").await, "held back: the list of members has expired");
            screenshots(&b, "note-held-back").await;
            submit(&b, to_nb).await;
            let warning = text(&b, "note-held").await;
            assert!(
                warning.starts_with("Ikke sendt ennå") && warning.contains(&format!("(versjon {expired})")),
                "{warning}"
            );
            screenshots(&b, "note-held-back-nb").await;
            b.goto(&format!("{app}/")).await.unwrap();
            assert_eq!(text(&b, &format!("state-{held}")).await, "holdt tilbake: medlemslisten er utløpt");
            screenshots(&b, "home-held-back-nb").await;
            b.close().await.unwrap();
        });
    }
    let ui = Ui::start(&org.leader_b);
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("leader-b"), false).await;
        let app = open(&b, &ui).await;
        unlock(&b, &org.leader_b).await;
        assert_eq!(text(&b, &format!("state-{sent}")).await, "synced; sent under an expired list of members");
        assert_eq!(text(&b, &format!("received-{sent}")).await, "No coordinator has confirmed it yet");
        b.goto(&format!("{app}/notes/{sent}")).await.unwrap();
        let warning = text(&b, "note-kept").await;
        assert!(
            warning.starts_with("Sent under an expired list of members")
                && warning.contains(&format!("version {expired}, which had expired on"))
                && warning.contains("because sending under the expired list was chosen"),
            "{warning}"
        );
        screenshots(&b, "note-kept-warning").await;

        // The receipts cannot be read any more: said, not dropped. Fault
        // injection: nothing a person or a server does makes a device's own
        // receipts unreadable, so the table is taken away under the app.
        let store = rusqlite::Connection::open(org.leader_b.home.join("store.sqlite3")).unwrap();
        store.execute_batch("ALTER TABLE receipts RENAME TO receipts_gone").unwrap();
        b.goto(&format!("{app}/")).await.unwrap();
        let notice = text(&b, "received-unreadable").await;
        assert!(notice.starts_with("Which coordinators have received your notes could not be read"), "{notice}");
        assert_eq!(text(&b, &format!("received-{sent}")).await, "Could not be read");
        assert_eq!(text(&b, "home-own").await, "1", "the rest of the page is shown");
        screenshots(&b, "home-receipts-unreadable").await;
        submit(&b, to_nb).await;
        let notice = text(&b, "received-unreadable").await;
        assert!(notice.starts_with("Hvilke koordinatorer som har mottatt notatene dine"), "{notice}");
        assert_eq!(text(&b, &format!("received-{sent}")).await, "Kunne ikke leses");
        screenshots(&b, "home-receipts-unreadable-nb").await;
        b.goto(&format!("{app}/notes/{sent}")).await.unwrap();
        let warning = text(&b, "note-kept").await;
        assert!(warning.starts_with("Sendt under en utløpt medlemsliste"), "{warning}");
        screenshots(&b, "note-kept-warning-nb").await;
        b.close().await.unwrap();
    });
    // `note list` says the same failure instead of listing without it.
    let listed = org.leader_b.run(&["note", "list"]);
    assert_eq!(listed.code, 1, "{}", listed.stdout);
}

/// The coordinator's notes list filters by period, unit, theme,
/// severity and author with a plain GET form; a date that cannot be read
/// is said next to its field and does not filter.
#[test]
fn the_coordinators_notes_list_filters_by_period_unit_theme_severity_and_author() {
    let org = Org::start();
    let a1 = org.leader_a.write(&[
        "--date",
        "2026-03-02",
        "--unit",
        "Unit A",
        "--theme",
        "lock_in",
        "--concern",
        "urgent:consent:asked to see a doctor",
    ]);
    let a2 = org.leader_a.write(&["--date", "2026-03-05", "--unit", "Unit B", "--met", "2"]);
    let b1 = org.leader_b.write(&["--date", "2026-03-04", "--unit", "Unit A", "--concern", "low:no soap"]);
    org.leader_a.sync().ok();
    org.leader_b.sync().ok();
    org.coordinator.sync().ok();
    let ui = Ui::start(&org.coordinator);
    let http = Http::start(&ui);
    http.unlock(&org.coordinator.passphrase);
    let shown = |query: &str| {
        let answer = http.get(&format!("/notes{query}"));
        assert_eq!(answer.status, 200, "{}", answer.body);
        let ids: Vec<&str> = [&a1, &a2, &b1]
            .into_iter()
            .filter(|id| answer.body.contains(&format!("href=\"{}\"", http.url(&format!("/notes/{id}")))))
            .map(String::as_str)
            .collect();
        (ids.into_iter().map(str::to_owned).collect::<Vec<_>>(), answer.body)
    };
    let (all, page) = shown("");
    assert_eq!(all, [a1.as_str(), a2.as_str(), b1.as_str()], "{page}");
    assert!(page.contains(&format!("<form method=\"get\" action=\"{}\"", http.url("/notes"))), "a GET form: {page}");
    assert!(page.contains("3 of 3 notes shown"));
    assert_eq!(shown("?from=03.03.2026&to=&unit=&theme=&severity=&author=").0, [a2.as_str(), b1.as_str()]);
    assert_eq!(shown("?from=03%2F03%2F2026&to=04.03.2026").0, [b1.as_str()]);
    assert_eq!(shown("?unit=Unit+A").0, [a1.as_str(), b1.as_str()]);
    assert_eq!(shown("?theme=lock_in").0, [a1.as_str()]);
    assert_eq!(shown("?severity=low").0, [a1.as_str(), b1.as_str()]);
    assert_eq!(shown("?severity=high").0, [a1.as_str()]);
    let (by_b, page) = shown("?author=");
    assert_eq!(by_b.len(), 3);
    let leader_b_id = {
        let marker = "\">Leader B</option>";
        let end = page.find(marker).expect("Leader B offered as author");
        let start = page[..end].rfind("value=\"").unwrap() + 7;
        page[start..end].to_owned()
    };
    let (by_b, page) = shown(&format!("?author={leader_b_id}&unit=Unit+A"));
    assert_eq!(by_b, [b1.as_str()]);
    assert!(page.contains("1 of 3 notes shown"), "{page}");
    assert!(page.contains("<option value=\"Unit A\" selected>"), "the filter stays chosen: {page}");
    // A date that cannot be read: said at the field, kept, not applied.
    let (ids, page) = shown("?from=31.02.2026&unit=Unit+B");
    assert_eq!(ids, [a2.as_str()]);
    assert!(page.contains("id=\"filter-from-error\"") && page.contains("value=\"31.02.2026\""), "{page}");
    let (ids, page) = shown("?from=05.03.2026&to=02.03.2026");
    assert!(page.contains("id=\"filter-to-error\""), "{page}");
    assert_eq!(ids, [a2.as_str()]);
}

/// A leader writes a note in the browser (without JavaScript:
/// the pages must work without it), with a concern and a mistake that is
/// corrected without losing the rest, and syncs; the coordinator's page
/// shows the note with the same values. Every page is saved as PNG at
/// 1200 and 400 px.
#[test]
fn a_leader_writes_a_note_in_the_browser_and_the_coordinator_reads_it() {
    let org = Org::start();
    let driver = Driver::start();
    let leader_ui = Ui::start(&org.leader_a);
    let coordinator_ui = Ui::start(&org.coordinator);
    let other_ui = Ui::start(&org.leader_b);
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("leader"), false).await;
        let leader_app = open(&b, &leader_ui).await;
        assert!(!b.current_url().await.unwrap().as_str().contains("token"), "the token left the address bar");
        screenshots(&b, "unlock").await;
        unlock(&b, &org.leader_a).await;
        screenshots(&b, "home-leader-empty").await;

        submit(&b, fantoccini::Locator::Id("new-note")).await;
        let today = value(&b, "date").await;
        assert_eq!(
            visitnotes_core::dates::parse(&today),
            Ok(visitnotes_core::dates::today()),
            "today by default: {today}"
        );
        fill(&b, "date", "03.03.2026").await;
        click(&b, "unit-1").await;
        fill(&b, "volunteers", "3").await;
        // The mistake: a word where a number goes.
        fill(&b, "people_met", "seven").await;
        click(&b, "activity-bingo").await;
        click(&b, "theme-lock_in").await;
        click(&b, "theme-food").await;
        fill(&b, "other_themes", "Laundry").await;
        // A concern group, added by its button (no script).
        submit(&b, fantoccini::Locator::Id("add-concern")).await;
        let url = b.current_url().await.unwrap();
        assert_eq!(url.fragment(), Some("concern-0"), "the page comes back at the new group: {url}");
        assert_eq!(value(&b, "people_met").await, "seven", "adding a concern keeps what was typed");
        b.find(fantoccini::Locator::Css("#concern-0-severity option[value='high']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        fill(&b, "concern-0-description", "Asked to see a doctor about chest pain").await;
        click(&b, "concern-0-consent").await;
        fill(&b, "concern-0-reported_to", "centre health service").await;
        fill(&b, "tracing_count", "1").await;
        fill(&b, "tracing_note", "A brother last heard of in transit").await;
        fill(&b, "summary", "Bingo in the common room; calm visit.").await;
        screenshots(&b, "note-form-filled").await;
        submit(&b, fantoccini::Locator::Id("save")).await;

        // Refused at its field; everything else is as typed.
        let error = text(&b, "people_met-error").await;
        assert!(error.contains("\"seven\" is not a number"), "{error}");
        screenshots(&b, "note-form-error").await;
        assert_eq!(value(&b, "people_met").await, "seven");
        assert_eq!(value(&b, "date").await, "03.03.2026");
        assert_eq!(value(&b, "volunteers").await, "3");
        assert!(checked(&b, "unit-1").await && !checked(&b, "unit-0").await);
        assert!(
            checked(&b, "activity-bingo").await
                && checked(&b, "theme-lock_in").await
                && checked(&b, "theme-food").await
        );
        assert_eq!(value(&b, "concern-0-severity").await, "high");
        assert_eq!(value(&b, "concern-0-description").await, "Asked to see a doctor about chest pain");
        assert!(checked(&b, "concern-0-consent").await);
        assert_eq!(value(&b, "concern-0-reported_to").await, "centre health service");
        assert_eq!(value(&b, "tracing_note").await, "A brother last heard of in transit");
        assert_eq!(value(&b, "summary").await, "Bingo in the common room; calm visit.");
        fill(&b, "people_met", "7").await;
        submit(&b, fantoccini::Locator::Id("save")).await;

        let flash = body(&b).await;
        assert!(flash.contains("Saved: Visit on 3 March 2026 to Unit B"), "{flash}");
        assert_eq!(text(&b, "note-state").await, "not sent yet");
        screenshots(&b, "note-show-leader").await;
        let result = sync(&b).await;
        assert!(result.contains("One change was sent."), "{result}");
        assert!(result.contains("Nothing new from others."), "what changed for this person, in words: {result}");
        screenshots(&b, "sync-result").await;
        b.goto(&format!("{leader_app}/")).await.unwrap();
        assert_eq!(text(&b, "home-outbox").await, "0");
        screenshots(&b, "home-leader").await;

        // Norwegian, picked on the page.
        submit(&b, fantoccini::Locator::Css("button[name='lang'][value='nb']")).await;
        assert!(body(&b).await.contains("Dine notater"));
        submit(&b, fantoccini::Locator::Id("new-note")).await;
        screenshots(&b, "note-form-nb").await;
        b.close().await.unwrap();

        // The coordinator, in another browser (with script this time).
        let c = browser(&driver, &profiles.path().join("coordinator"), true).await;
        let coordinator_app = open(&c, &coordinator_ui).await;
        unlock(&c, &org.coordinator).await;
        let result = sync(&c).await;
        let from = format!("From {}: one new note.", org.leader_a.name);
        assert!(result.contains(&from), "{result}");
        c.goto(&format!("{coordinator_app}/notes")).await.unwrap();
        screenshots(&c, "notes-coordinator").await;
        submit(&c, fantoccini::Locator::LinkText("3 March 2026")).await;
        let page = body(&c).await;
        assert!(page.contains("Visit on 3 March 2026 to Unit B"), "{page}");
        assert_eq!(text(&c, "note-back").await, "← All notes", "a way back to the list");
        assert!(page.contains(&format!("Written by {}", org.leader_a.name)), "{page}");
        assert_eq!(text(&c, "show-volunteers").await, "3");
        assert_eq!(text(&c, "show-people-met").await, "7");
        assert_eq!(text(&c, "show-tracing-count").await, "1");
        assert_eq!(text(&c, "show-activities").await, "Bingo");
        assert_eq!(text(&c, "show-themes").await, "Lock-in\nFood\nLaundry");
        let concern = text(&c, "show-concern-0").await;
        for part in [
            "Concern 1: High",
            "Asked to see a doctor about chest pain",
            "The person agreed to follow-up.",
            "Follow-up: Open",
            "Reported to: centre health service",
        ] {
            assert!(concern.contains(part), "{part}: {concern}");
        }
        assert_eq!(text(&c, "show-tracing-note").await, "A brother last heard of in transit");
        assert_eq!(text(&c, "show-summary").await, "Bingo in the common room; calm visit.");
        screenshots(&c, "note-show-coordinator").await;
        // Follow-up recorded from the note page, then shown under its concern.
        let status = c.find(fantoccini::Locator::Id("fu-0-status")).await.unwrap();
        status.select_by_value("in_progress").await.unwrap();
        fill(&c, "fu-0-text", "Called the health service").await;
        submit(&c, fantoccini::Locator::Id("fu-0-save")).await;
        let history = text(&c, "show-follow-up-0").await;
        assert!(
            history.contains("In progress on") && history.contains("by Coordinator: Called the health service"),
            "{history}"
        );
        screenshots(&c, "note-show-follow-up").await;
        c.close().await.unwrap();

        // With script, what is typed is kept while typing: it is there
        // again after leaving the page without sending the form.
        let d = browser(&driver, &profiles.path().join("leader-b"), true).await;
        let other_app = open(&d, &other_ui).await;
        unlock(&d, &org.leader_b).await;
        submit(&d, fantoccini::Locator::Id("new-note")).await;
        fill(&d, "summary", "Typed, never sent").await;
        let deadline = Instant::now() + Duration::from_secs(20);
        while text(&d, "draft-status").await.is_empty() {
            assert!(Instant::now() < deadline, "the draft was not kept while typing");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        d.goto(&format!("{other_app}/")).await.unwrap();
        // Home says a draft waits, and leads to it.
        let waiting = text(&d, "home-drafts").await;
        assert!(waiting.contains("A new note you started, kept"), "{waiting}");
        screenshots(&d, "home-draft-waiting").await;
        submit(&d, fantoccini::Locator::LinkText("Continue writing")).await;
        assert_eq!(value(&d, "summary").await, "Typed, never sent");
        assert!(body(&d).await.contains("Your draft from"));
        screenshots(&d, "note-form-draft").await;
        // A note deleted here: its page says so, not "no such note".
        let gone = org.leader_b.write(&["--unit", "Unit A", "--met", "1"]);
        org.leader_b.run(&["note", "delete", &gone]).ok();
        d.goto(&format!("{other_app}/notes/{gone}")).await.unwrap();
        assert!(body(&d).await.contains("Leader B deleted this note."), "{}", body(&d).await);
        screenshots(&d, "note-unshown-deleted").await;
        d.close().await.unwrap();
    });
    // The same note, read by the command line.
    let listed = org.coordinator.run(&["--json", "note", "list"]).ok().json();
    let note = &listed["notes"][0]["note"];
    assert_eq!(note["visit_date"], "2026-03-03");
    assert_eq!(note["concerns"][0]["consent_to_follow_up"], true);
}
