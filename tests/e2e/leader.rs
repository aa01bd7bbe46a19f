//! A leader's paths (the editor, questions, flags, the editor's temp
//! folder, enrolment): nothing typed is lost.
//! The real server on a loopback port, the real `visitnotes` binary; the
//! editor is a small shell script that plays the person.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::{invite, Cluster, Org, Person, Run};

/// The leader's client with `editor` as $EDITOR.
fn with_editor(person: &Person, editor: &str) -> Command {
    let mut cmd = person.command();
    cmd.env("EDITOR", editor);
    cmd
}

fn script(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\nset -u\n{body}")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::PermissionsExt::set_mode(&mut std::fs::metadata(&path).unwrap().permissions(), 0o755);
    format!("sh {}", path.display())
}

fn notes(person: &Person) -> Vec<serde_json::Value> {
    person.run(&["--json", "note", "list"]).ok().json()["notes"].as_array().unwrap().clone()
}

/// A note that does not parse comes back with the error on top
/// and the text kept, round after round, until it is right.
#[test]
fn the_editor_reopens_a_broken_note_with_the_error_on_top() {
    let org = Org::start();
    let dir = org.cluster.dir.path();
    let editor = script(
        dir,
        "editor.sh",
        &format!(
            r#"f="$1"; state="{state}"
n=$(cat "$state" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$state"
stat -c %a "$(dirname "$(dirname "$f")")" > "{state}.mode"
case $n in
1) # An unknown theme.
   sed -i -e 's/^units = \[\]/units = ["Unit A"]/' -e 's/^people_met = 0/people_met = 5/' \
          -e 's/^themes = \[\]/themes = ["fod"]/' "$f" ;;
2) head -1 "$f" | grep -q '^#! This note could not be saved' || exit 12
   grep -q 'fod' "$f" || exit 13
   grep -q '^people_met = 5$' "$f" || exit 14
   # Fixed, but now an unescaped quote in the summary.
   sed -i -e 's/"fod"/"food"/' -e 's/^summary = .*/summary = "they said "no""/' "$f" ;;
3) head -3 "$f" | grep -q 'summary\|line' || exit 15
   grep -q 'fod' "$f" && exit 16
   grep -q '^people_met = 5$' "$f" || exit 17
   sed -i -e 's/^summary = .*/summary = "they said no"/' "$f" ;;
esac
"#,
            state = dir.join("count").display()
        ),
    );
    let run = Run::from(with_editor(&org.leader_a, &editor).args(["--json", "note", "new"]).output().unwrap()).ok();
    assert_eq!(std::fs::read_to_string(dir.join("count")).unwrap().trim(), "3", "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("count.mode")).unwrap().trim(), "700");
    let saved = notes(&org.leader_a);
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0]["note"]["themes"], serde_json::json!(["food"]));
    assert_eq!(saved[0]["note"]["people_met"], 5);
    assert_eq!(saved[0]["note"]["summary"], "they said no");
    // Nothing is left in the temp folder.
    let temp = visitnotes::editor::temp_dir(&org.leader_a.home);
    assert_eq!(std::fs::read_dir(&temp).map(|d| d.count()).unwrap_or(0), 0);

    // A unit that is not the organisation's is caught in the editor too.
    let _ = std::fs::remove_file(dir.join("count"));
    let unit = script(
        dir,
        "unit.sh",
        &format!(
            r#"f="$1"; state="{state}"
n=$(cat "$state" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$state"
if [ $n = 1 ]; then sed -i -e 's/^units = \[\]/units = ["Unit Z"]/' -e 's/^people_met = 0/people_met = 2/' "$f"
else grep -q "not one of the organisation's units" "$f" || exit 12; sed -i 's/Unit Z/Unit B/' "$f"; fi
"#,
            state = dir.join("count").display()
        ),
    );
    Run::from(with_editor(&org.leader_a, &unit).args(["note", "new"]).output().unwrap()).ok();
    assert_eq!(notes(&org.leader_a).len(), 2);
}

/// Emptying the file (or leaving only comments) cancels, and says
/// that nothing was saved.
#[test]
fn emptying_the_note_cancels_and_says_so() {
    let org = Org::start();
    let dir = org.cluster.dir.path();
    for (name, body) in
        [("empty.sh", ": > \"$1\"\n"), ("comments.sh", "grep '^#' \"$1\" > \"$1.x\"; mv \"$1.x\" \"$1\"\n")]
    {
        let run =
            Run::from(with_editor(&org.leader_a, &script(dir, name, body)).args(["note", "new"]).output().unwrap());
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("nothing was saved"), "{}", run.stderr);
    }
    assert!(notes(&org.leader_a).is_empty());
}

/// Answers are checked one by one; a wrong one is asked again and
/// the rest of the note survives it. `--ask` asks even with an editor set.
#[test]
fn questions_ask_again_on_a_mistake() {
    let org = Org::start();
    let answers = "32.01.2026\n27.01.2026\nUnit Q\n2\nthree\n3\n9\n1, bin\nfood, ment\nCalm visit.\n\
                   y\nsevere\nurgent\nno doctor for a week\ny\nhealth service\n\n\n1\nan uncle\n";
    let mut child = with_editor(&org.leader_a, "false")
        .args(["--json", "note", "new", "--ask"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(answers.as_bytes()).unwrap();
    let run = Run::from(child.wait_with_output().unwrap()).ok();
    for said in ["DD.MM.YYYY", "\"Unit Q\" is not in the list", "not a whole number", "\"severe\" is not in the list"] {
        assert!(run.stderr.contains(said), "{said}:\n{}", run.stderr);
    }
    let saved = notes(&org.leader_a);
    let note = &saved[0]["note"];
    assert_eq!(note["visit_date"], "2026-01-27");
    assert_eq!(note["units"], serde_json::json!(["Unit B"]));
    assert_eq!((note["volunteers"].as_u64(), note["people_met"].as_u64()), (Some(3), Some(9)));
    assert_eq!(note["activities"], serde_json::json!(["conversation", "bingo"]));
    assert_eq!(note["themes"], serde_json::json!(["food", "mental_health"]));
    assert_eq!(note["concerns"][0]["severity"], "urgent");
    assert_eq!(note["concerns"][0]["consent_to_follow_up"], true);
    assert_eq!(note["concerns"][0]["reported_to"], "health service");
    assert_eq!(note["tracing_requests"]["count"], 1);
}

/// Wrong values name the valid ones; dates take three forms; a
/// concern carries consent; the default date is the local one.
#[test]
fn flags_name_the_valid_values() {
    let org = Org::start();
    let leader = &org.leader_a;
    let severity = leader.run(&["note", "list", "--severity", "severe"]);
    assert_eq!(severity.code, 2);
    for name in ["low", "medium", "high", "urgent"] {
        assert!(severity.stderr.contains(name), "{}", severity.stderr);
    }
    let theme = leader.run(&["note", "new", "--unit", "Unit A", "--theme", "fod"]);
    assert!(theme.code == 2 && theme.stderr.contains("mental_health"), "{}", theme.stderr);
    let date = leader.run(&["note", "new", "--unit", "Unit A", "--date", "01-27-2026"]);
    assert!(date.code == 2 && date.stderr.contains("DD.MM.YYYY"), "{}", date.stderr);
    let concern = leader.run(&["note", "new", "--unit", "Unit A", "--concern", "severe:no doctor"]);
    assert!(concern.code == 2 && concern.stderr.contains("low, medium, high or urgent"), "{}", concern.stderr);

    let id = leader.write(&[
        "--unit",
        "Unit A",
        "--met",
        "3",
        "--date",
        "27/01/2026",
        "--theme",
        "mental-health",
        "--concern",
        "high:consent:asked to see a doctor",
        "--concern",
        "low:cold rooms",
    ]);
    let shown = leader.run(&["--json", "note", "show", &id]).ok().json();
    assert_eq!(shown["note"]["visit_date"], "2026-01-27");
    assert_eq!(shown["note"]["themes"], serde_json::json!(["mental_health"]));
    let concerns = &shown["note"]["concerns"];
    assert_eq!(
        (concerns[0]["consent_to_follow_up"].as_bool(), concerns[0]["description"].as_str()),
        (Some(true), Some("asked to see a doctor"))
    );
    assert_eq!(concerns[1]["consent_to_follow_up"], false);

    // Far east of UTC the local date is often tomorrow's UTC date, far
    // west yesterday's: at any hour one of the two differs from UTC's.
    for (tz, hours) in [("XYZ-14", 14), ("XYZ+12", -12)] {
        let out = leader
            .command()
            .env("TZ", tz)
            .args(["--json", "note", "new", "--unit", "Unit A", "--met", "1"])
            .output()
            .unwrap();
        let id = Run::from(out).ok().json()["note_id"].as_str().unwrap().to_owned();
        let shown = leader.run(&["--json", "note", "show", &id]).ok().json();
        let expected = (chrono::Utc::now() + chrono::Duration::hours(hours)).date_naive().to_string();
        assert_eq!(shown["note"]["visit_date"], expected.as_str(), "{tz}");
    }
}

/// A note left in the temp folder by a run that was stopped with
/// the editor open is wiped by the next run, which says so.
#[test]
fn a_note_left_in_the_editor_folder_is_removed_by_the_next_run() {
    let org = Org::start();
    let temp = visitnotes::editor::temp_dir(&org.leader_a.home);
    private_dir(&temp);
    std::fs::create_dir_all(temp.join("note-crashed")).unwrap();
    std::fs::write(temp.join("note-crashed/visit-note.toml"), "summary = \"typed before the crash\"").unwrap();
    std::fs::write(temp.join("note-crashed/.visit-note.toml.swp"), "swap").unwrap();
    let run = org.leader_a.run(&["note", "list"]).ok();
    assert!(
        run.stderr.contains("A note left open in the editor when the program stopped was removed (not saved)."),
        "{}",
        run.stderr
    );
    assert!(!temp.join("note-crashed").exists());
    let again = org.leader_a.run(&["note", "list"]).ok();
    assert!(!again.stderr.contains("left open"), "{}", again.stderr);
    let _ = std::fs::remove_dir(&temp);
}

/// The editor's temp folder as the client makes it: this user's, mode 0700.
fn private_dir(dir: &Path) {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).unwrap();
}

/// A folder with a file in it, outside the temp folder: what a planted
/// link aims at.
#[cfg(unix)]
fn victim(dir: &Path) -> std::path::PathBuf {
    let victim = dir.join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("precious.txt"), "keep me").unwrap();
    victim
}

/// Links planted in the editor's temp folder (one to a folder, one in a
/// leftover note's folder, a hard link to a file) are removed as links by
/// the next run: what they point to is neither overwritten nor deleted.
#[cfg(unix)]
#[test]
fn links_planted_in_the_editor_folder_are_removed_not_followed() {
    let org = Org::start();
    let victim = victim(org.cluster.dir.path());
    let temp = visitnotes::editor::temp_dir(&org.leader_a.home);
    private_dir(&temp);
    std::os::unix::fs::symlink(&victim, temp.join("x")).unwrap();
    std::fs::create_dir(temp.join("note-crashed")).unwrap();
    std::os::unix::fs::symlink(&victim, temp.join("note-crashed/swap")).unwrap();
    // A hard link needs the same file system: the victim's file is put
    // beside the temp folder for this one.
    let beside = temp.with_extension("victim");
    std::fs::write(&beside, "keep me too").unwrap();
    std::fs::hard_link(&beside, temp.join("note-crashed/visit-note.toml")).unwrap();

    let run = org.leader_a.run(&["alerts"]);
    assert!(run.code == 0 || run.code == 3, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(victim.join("precious.txt")).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(&beside).unwrap(), "keep me too");
    assert_eq!(std::fs::read_dir(&temp).unwrap().count(), 0, "the links are gone");
    std::fs::remove_file(&beside).unwrap();
    std::fs::remove_dir(&temp).unwrap();
}

/// An editor temp folder that another user made first (here: handed to
/// uid 65534, with a link to elsewhere in it) is refused: the next run
/// touches nothing in it and says which folder and what to do; `note new`
/// stops before the editor opens, saying so, and the note can be written
/// once the folder is gone.
#[cfg(unix)]
#[test]
fn an_editor_folder_another_user_made_is_refused_and_left_alone() {
    let org = Org::start();
    let dir = org.cluster.dir.path();
    let victim = victim(dir);
    let temp = visitnotes::editor::temp_dir(&org.leader_a.home);
    private_dir(&temp);
    std::os::unix::fs::symlink(&victim, temp.join("x")).unwrap();
    std::fs::create_dir(temp.join("note-planted")).unwrap();
    std::fs::write(temp.join("note-planted/visit-note.toml"), "theirs").unwrap();
    std::os::unix::fs::chown(&temp, Some(65534), Some(65534)).expect("chown to another user needs root");

    let run = org.leader_a.run(&["note", "list"]).ok();
    let folder = temp.display().to_string();
    assert!(run.stderr.contains(&format!("WARNING: the editor's temp folder {folder} is not used")), "{}", run.stderr);
    assert!(run.stderr.contains("belongs to another user (uid 65534)"), "{}", run.stderr);
    assert!(run.stderr.contains("XDG_RUNTIME_DIR"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(victim.join("precious.txt")).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(temp.join("note-planted/visit-note.toml")).unwrap(), "theirs");
    assert!(std::fs::symlink_metadata(temp.join("x")).is_ok());

    let opened = dir.join("editor-opened");
    let editor = script(
        dir,
        "refused.sh",
        &format!(
            "touch {}\nsed -i -e 's/^units = \\[\\]/units = [\"Unit A\"]/' -e 's/^people_met = 0/people_met = 2/' \"$1\"\n",
            opened.display()
        ),
    );
    let refused = Run::from(with_editor(&org.leader_a, &editor).args(["note", "new"]).output().unwrap());
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains(&format!("the editor's temp folder {folder} is not used")), "{}", refused.stderr);
    assert!(!opened.exists(), "the editor was not opened");
    assert!(notes(&org.leader_a).is_empty());
    assert_eq!(std::fs::read_dir(&temp).unwrap().count(), 2, "nothing was added to it");

    // Gone (whoever runs the computer removed it): the note is written.
    std::fs::remove_dir_all(&temp).unwrap();
    Run::from(with_editor(&org.leader_a, &editor).args(["note", "new"]).output().unwrap()).ok();
    assert!(opened.exists());
    assert_eq!(notes(&org.leader_a).len(), 1);
    let _ = std::fs::remove_dir(&temp);
}

/// Enrolment checks that it can write in the profile folder through a
/// fresh file of a random name: a link planted in the folder under a name
/// it could have used (`.write-test`) is not written through.
#[cfg(unix)]
#[test]
fn enrolment_writes_through_no_link_planted_in_the_profile_folder() {
    let cluster = Cluster::start();
    let admin = cluster.person("Admin");
    let victim = cluster.dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    private_dir(&admin.home);
    std::os::unix::fs::symlink(&victim, admin.home.join(".write-test")).unwrap();
    admin.enroll(&cluster.bootstrap).ok();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}

/// A folder that cannot hold the profile, or a passphrase that is
/// too short, stops enrolment before the one-time invite is spent.
#[test]
fn enrolment_checks_everything_local_before_the_invite_is_used() {
    let cluster = Cluster::start();
    let admin = cluster.person("Admin");
    admin.enroll(&cluster.bootstrap).ok();
    let invite = invite(&admin, "leader", "Bo");

    let mut bo = cluster.person("Bo");
    // A file where the profile folder should be: root cannot write there either.
    std::fs::write(&bo.home, "not a folder").unwrap();
    let blocked = bo.enroll(&invite);
    assert_eq!(blocked.code, 1);
    assert!(blocked.stderr.contains("before the invite was used"), "{}", blocked.stderr);
    assert!(blocked.stderr.contains("cannot write in the profile folder"), "{}", blocked.stderr);

    bo.home = cluster.dir.path().join("bo-profile");
    let short = bo.run_with("short", &["enroll", &invite, "--name", "Bo"]);
    assert_eq!(short.code, 1);
    assert!(short.stderr.contains("at least 8 characters"), "{}", short.stderr);
    assert!(short.stderr.contains("before the invite was used"), "{}", short.stderr);

    // The same invite still works.
    bo.enroll(&invite).ok();
    admin.run(&["admin", "approve", "--all"]).ok();
    bo.sync().ok();
}

/// A note deleted by the start of its id loses its text on this device,
/// as one deleted by its whole id does.
#[test]
fn a_note_deleted_by_an_id_prefix_forgets_its_text() {
    let org = Org::start();
    let id = org.leader_a.write(&["--unit", "Unit A", "--met", "2", "--summary", "to be forgotten"]);
    org.leader_a.run(&["note", "delete", &id[..8]]).ok();
    let revisions = org.leader_a.unlock().store.rows_with_prefix(&id).unwrap();
    assert!(revisions.iter().any(|r| r.header().revision == 1), "the note's first revision is still held");
    assert!(revisions.iter().all(|r| r.note.is_none()), "the sealed text of every revision is dropped");
}
