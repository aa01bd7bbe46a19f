//! `visitnotes` as the application menu runs it: one web app per profile.
//! A second launch hands over to the running one (a fresh one-time
//! address), a killed instance never blocks the next, Quit and Ctrl+C stop
//! it and free the profile, another profile runs beside it, and only the
//! owner can ask the running instance for an address.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::harness::browser::{body, browser, open, screenshots, submit, Driver};
use crate::harness::ui::{raw, small_org, Http, Ui};
use crate::harness::{Person, Run};

/// `visitnotes` (with `args`) while an instance runs: a launch that must
/// end by itself, quickly.
fn launch_again(person: &Person, args: &[&str]) -> (Run, Duration) {
    let started = Instant::now();
    let output = person
        .command()
        .env_remove("VISITNOTES_PASSPHRASE")
        .env("VISITNOTES_NO_BROWSER", "1")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (Run::from(output), started.elapsed())
}

/// The one-time token of the address a launch printed last, on `host`.
fn token_of(run: &Run, host: &str) -> String {
    let url = run.last_line();
    let token = url.strip_prefix(&format!("http://{host}/start?token=")).unwrap_or_else(|| panic!("{run}"));
    token.to_owned()
}

fn start_status(ui: &Ui, token: &str) -> u16 {
    raw(&ui.host, "GET", &format!("/start?token={token}"), &[("Host", &ui.host)], "").status
}

/// Waits for the process to end by itself; its exit code.
fn ends_within(child: &mut Child, within: Duration) -> i32 {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        assert!(Instant::now() < deadline, "the instance did not stop");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The profile is free again: a next launch serves it (until dropped).
fn serves_again(person: &Person) -> Ui {
    let next = Ui::launch(person);
    assert_eq!(Http::start(&next).get("/").status, 200);
    next
}

/// Launching again while the profile's instance runs ends at once (exit
/// 0) with a fresh address of the running instance, which works once;
/// the browser that spends it takes over from the earlier one (whose
/// session ends), and the earlier address, spent or not, opens nothing.
/// `visitnotes ui --no-browser` does the same, and so does a
/// `visitnotes:` link; a link that is not one is refused with what to do.
#[test]
fn launching_again_hands_over_a_fresh_one_time_address() {
    let (_cluster, leader) = small_org();
    let first = Ui::launch(&leader);
    let a = Http::start(&first);
    assert_eq!(a.get("/").status, 200);

    let (again, took) = launch_again(&leader, &[]);
    assert_eq!(again.code, 0, "{again}");
    assert!(took < Duration::from_secs(5), "the second launch took {took:?}");
    assert!(again.stdout.contains("already open"), "{again}");
    let second = token_of(&again, &first.host);
    assert_ne!(second, first.token);
    assert_eq!(start_status(&first, &first.token), 404, "the first address was spent");
    let b = Http::start_with(&first, &second);
    assert_eq!(b.get("/").status, 200);
    assert_eq!(a.get("/").status, 403, "the earlier browser's session ended");
    assert_eq!(start_status(&first, &second), 404, "the new address works once");

    // An address not spent is replaced by the next one.
    let (unspent, _) = launch_again(&leader, &["ui", "--no-browser"]);
    assert_eq!(unspent.code, 0, "{unspent}");
    let unspent = token_of(&unspent, &first.host);
    let invite = visitnotes_shared::invite::Invite::generate("http://127.0.0.1:1", None).encode();
    let (linked, _) = launch_again(&leader, &[&format!("visitnotes://enrol?invite={invite}")]);
    assert_eq!(linked.code, 0, "{linked}");
    let latest = token_of(&linked, &first.host);
    assert_eq!(start_status(&first, &unspent), 404, "an unspent address is replaced");
    assert_eq!(start_status(&first, &latest), 303);
    assert_eq!(b.get("/").status, 403);

    for (wrong, says) in [("nte", "neither a command nor"), ("visitnotes:VN1-AAAA", "does not read")] {
        let (refused, _) = launch_again(&leader, &[wrong]);
        assert_eq!(refused.code, 2, "{refused}");
        assert!(refused.stderr.contains(says), "{refused}");
    }
}

/// `kill -9` leaves the lock file and the socket file behind; the next
/// launch takes the lock (the OS dropped it with the process), binds the
/// socket again, and serves.
#[test]
fn a_killed_instance_never_blocks_the_next_launch() {
    let (_cluster, leader) = small_org();
    let mut first = Ui::launch(&leader);
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    assert!(leader.home.join("ui.lock").exists());
    #[cfg(unix)]
    assert!(leader.home.join("ui.sock").exists(), "a stale socket file to remove");
    let next = serves_again(&leader);
    let (again, _) = launch_again(&leader, &[]);
    assert_eq!(again.code, 0, "the new instance answers on the socket it bound: {again}");
    token_of(&again, &next.host);
}

/// Quit asks first, then stops the process (exit 0) and frees the
/// profile: the socket file is gone and a next launch serves. A launch
/// meanwhile is never left without an address.
#[test]
fn quit_stops_the_instance_and_frees_the_profile() {
    let (_cluster, leader) = small_org();
    let mut ui = Ui::launch(&leader);
    let http = Http::start(&ui);
    let question = http.get("/quit");
    assert_eq!(question.status, 200);
    assert!(question.body.contains("Stop Visitnotes on this computer?"), "{}", question.body);
    assert!(question.body.contains("draft"), "{}", question.body);
    let stopped = http.post("/quit", &question.csrf(), &[]);
    assert_eq!(stopped.status, 200, "{stopped:?}");
    assert!(stopped.body.contains("Visitnotes has stopped"), "{}", stopped.body);
    assert!(
        stopped.body.contains("open Visitnotes again from your computer") && stopped.body.contains("menu of programs"),
        "{}",
        stopped.body
    );
    assert!(!stopped.body.contains("terminal"), "no terminal: {}", stopped.body);
    assert_eq!(ends_within(&mut ui.child, Duration::from_secs(15)), 0);
    #[cfg(unix)]
    assert!(!leader.home.join("ui.sock").exists(), "the socket file was removed");
    serves_again(&leader);
}

/// A Quit without the page's CSRF token stops nothing.
#[test]
fn quit_without_the_pages_token_stops_nothing() {
    let (_cluster, leader) = small_org();
    let ui = Ui::launch(&leader);
    let http = Http::start(&ui);
    let refused = http.post("/quit", "forged", &[]);
    assert_eq!(refused.status, 403, "{refused:?}");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(http.get("/").status, 200, "the instance still serves");
    let (again, _) = launch_again(&leader, &[]);
    token_of(&again, &ui.host);
}

/// Ctrl+C (SIGINT) where it was started from a terminal still stops it,
/// with exit 0, and frees the profile.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_instance_and_frees_the_profile() {
    let (_cluster, leader) = small_org();
    let mut ui = Ui::launch(&leader);
    // Serving, so past the start (a signal before the server runs ends the
    // process the default way, which is not what this test is about).
    assert_eq!(raw(&ui.host, "GET", "/nothing", &[("Host", &ui.host)], "").status, 404);
    let status = std::process::Command::new("kill").args(["-INT", &ui.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    assert_eq!(ends_within(&mut ui.child, Duration::from_secs(15)), 0);
    assert!(!leader.home.join("ui.sock").exists(), "the socket file was removed");
    serves_again(&leader);
}

/// Another profile (another VISITNOTES_HOME) gets an instance of its own,
/// beside the first; a launch for each reaches its own.
#[test]
fn another_profile_runs_side_by_side() {
    let (cluster, leader) = small_org();
    let admin = cluster.person("Admin");
    let lea = Ui::launch(&leader);
    let adm = Ui::launch(&admin);
    assert_ne!(lea.host, adm.host);
    assert_eq!(Http::start(&lea).get("/").status, 200);
    assert_eq!(Http::start(&adm).get("/").status, 200);
    let (again, _) = launch_again(&admin, &[]);
    assert_eq!(again.code, 0, "{again}");
    token_of(&again, &adm.host);
}

/// The lock file and the socket are the owner's only (0600, in the
/// owner-only profile folder); and the running instance answers only a
/// process of its own user: a process of another user that reaches the
/// socket (the folder and socket opened up for the test) is refused, and
/// gets no address.
#[cfg(target_os = "linux")]
#[test]
fn only_the_owner_can_ask_for_an_address() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;

    let (_cluster, leader) = small_org();
    let ui = Ui::launch(&leader);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let socket = leader.home.join("ui.sock");
    assert_eq!(mode(&leader.home.join("ui.lock")), 0o600);
    assert_eq!(mode(&socket), 0o600);
    assert_eq!(mode(&leader.home), 0o700);
    if !rustix::process::geteuid().is_root() {
        eprintln!(
            "only_the_owner_can_ask_for_an_address: not root, so no other user to connect as; the modes were checked"
        );
        return;
    }
    let ask = |uid: u32| {
        let script = "import socket,sys\n\
                      s=socket.socket(socket.AF_UNIX)\n\
                      s.connect(sys.argv[1])\n\
                      s.sendall(b'open\\n')\n\
                      print(s.recv(4096).decode())";
        let output = std::process::Command::new("/usr/bin/python3")
            .args(["-c", script])
            .arg(&socket)
            .uid(uid)
            .gid(uid)
            .output()
            .unwrap();
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
    };
    let nobody = 65534;
    let shut = ask(nobody);
    assert!(shut.contains("PermissionError"), "the folder and the socket keep another user out: {shut}");
    std::fs::set_permissions(&leader.home, std::fs::Permissions::from_mode(0o711)).unwrap();
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    let other = ask(nobody);
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(&leader.home, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(other.trim(), "refused", "another user got: {other}");
    let own = ask(0);
    assert!(own.starts_with(&format!("address http://{}/start?token=", ui.host)), "{own}");
}

/// Quit in the browser: the header's Quit leads to the question, whose
/// button stops Visitnotes and shows the last page; screenshots of both.
#[test]
fn quit_in_the_browser_asks_then_stops() {
    let (_cluster, leader) = small_org();
    let driver = Driver::start();
    let mut ui = Ui::launch(&leader);
    let profiles = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let b = browser(&driver, &profiles.path().join("lea"), true).await;
        open(&b, &ui).await;
        crate::harness::browser::unlock(&b, &leader).await;
        b.find(fantoccini::Locator::Id("nav-quit")).await.unwrap().click().await.unwrap();
        let page = body(&b).await;
        assert!(page.contains("Stop Visitnotes on this computer?"), "{page}");
        screenshots(&b, "quit-question").await;
        submit(&b, fantoccini::Locator::Id("confirm-quit")).await;
        let page = body(&b).await;
        assert!(page.contains("Visitnotes has stopped"), "{page}");
        // The style sheet arrived before the server stopped.
        let styled = b
            .execute("return getComputedStyle(document.body).fontFamily;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(styled.contains("system-ui"), "unstyled: {styled}");
        screenshots(&b, "quit-stopped").await;
        b.close().await.unwrap();
    });
    assert_eq!(ends_within(&mut ui.child, Duration::from_secs(15)), 0);
    serves_again(&leader);
}
