//! `visitnotes demo`: the whole path on an embedded server in a temporary
//! directory: bootstrap an administrator, enrol a coordinator and two
//! leaders, write fictional notes, sync, read them as the coordinator, and
//! show that the server's files hold none of their text.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;

use age::secrecy::SecretString;
use anyhow::Context;
use visitnotes_server::settings::Settings;
use visitnotes_shared::roster::Role;

use visitnotes_core::ops::{admin, enroll, read, sync, write};
use visitnotes_core::profile::Session;
use visitnotes_core::samples::sample_notes;

/// Demo key files use a light scrypt cost so the demo runs in seconds;
/// real profiles use `vault::DEFAULT_LOG_N`.
const DEMO_LOG_N: u8 = 12;

fn passphrase(who: &str) -> SecretString {
    SecretString::from(format!("demo passphrase of {who}"))
}

fn enroll_person(home: &Path, invite: &str, name: &str, units: Vec<String>) -> anyhow::Result<Session> {
    let options = enroll::Options { invite, name, units, kdf_log_n: DEMO_LOG_N };
    Ok(enroll::enroll(home, options, passphrase(name)).with_context(|| format!("enrolling {name}"))?.session)
}

pub fn run(out: &mut dyn Write) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("server");
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    let settings = Settings { public_url: Some(url.clone()), ..Settings::default() };
    let bootstrap = visitnotes_server::init(&data, &settings)?;
    let server = visitnotes_server::start(&data, settings, listener)?;
    writeln!(out, "1. Server started on {url} with its SQLite database in a temporary directory.")?;

    let units = vec!["Men's unit A".to_owned(), "Men's unit B".into(), "Women's unit".into(), "Security unit".into()];
    let admin = enroll_person(&dir.path().join("admin"), &bootstrap.encode(), "Administrator", units)?;
    writeln!(
        out,
        "2. The first administrator enrolled, created the organisation key {} and published roster 1.",
        admin.config.org_key.fingerprint()
    )?;

    let mut people = Vec::new();
    for (name, role) in
        [("Coordinator", Role::Coordinator), ("Leader North", Role::Leader), ("Leader South", Role::Leader)]
    {
        let (invite, _) = admin::invite(&admin, role, name, None)?;
        let home = dir.path().join(name.replace(' ', "-").to_lowercase());
        people.push(enroll_person(&home, &invite.encode(), name, vec![])?);
    }
    let candidates = admin::pending(&admin)?;
    let genuine = candidates.iter().filter(|c| c.verdict == admin::Verdict::Genuine).count();
    let devices: Vec<_> = candidates.iter().map(|c| c.enrolment.device_id.clone()).collect();
    let approved = admin::approve(&admin, &devices)?
        .map_err(|why| anyhow::anyhow!("an enrolment of the demo could not be approved: {why:?}"))?;
    writeln!(out, "3. Invited and enrolled a coordinator and two leaders; {genuine} enrolment MACs verified; roster version {} published.", approved.roster.version)?;

    let notes = sample_notes();
    let (coordinator, leaders) = people.split_first_mut().expect("three people");
    let noop = |_: u64, _: Option<u64>| {};
    let options = sync::SyncOptions::default();
    for leader in leaders.iter_mut() {
        sync::sync(leader, options, &noop)?;
    }
    for (i, note) in notes.iter().enumerate() {
        write::create(&leaders[i % 2], note)?;
    }
    let mut pushed = 0;
    for leader in leaders.iter_mut() {
        pushed += sync::sync(leader, options, &noop)?.report.pushed;
    }
    writeln!(
        out,
        "4. The leaders wrote {} notes offline, sealed them, and synced: {pushed} uploaded as ciphertext.",
        notes.len()
    )?;

    let report = sync::sync(coordinator, options, &noop)?.report;
    let visible = read::latest_notes(coordinator)?;
    writeln!(
        out,
        "5. The coordinator pulled {} revisions, verified every signature, and decrypted {} notes:",
        report.pulled,
        visible.len()
    )?;
    let roster = coordinator.roster()?;
    for row in &visible {
        let n = row.note.as_ref().expect("decrypted");
        let author = roster.member(&row.header().author).map_or("?", |m| m.name.as_str());
        let worst =
            n.concerns.iter().map(|c| c.severity).max().map_or("none", visitnotes_shared::note::Severity::as_str);
        writeln!(
            out,
            "   {}  {:<28} met {:>2}, volunteers {}, concerns: {:<6} by {author}",
            n.visit_date,
            n.units.join(", "),
            n.people_met,
            n.volunteers,
            worst
        )?;
    }
    let met: u32 = visible.iter().filter_map(|r| r.note.as_ref()).map(|n| n.people_met).sum();
    let concerns: usize = visible.iter().filter_map(|r| r.note.as_ref()).map(|n| n.concerns.len()).sum();
    writeln!(out, "   Summary: {} visits, {met} people met, {concerns} concerns raised.", visible.len())?;
    let other_leader = read::latest_notes(&leaders[0])?.len();
    writeln!(out, "   Leader North sees only their own {other_leader} notes.")?;

    drop(server);
    let phrases: Vec<String> = notes
        .iter()
        .flat_map(|n| std::iter::once(n.summary.clone()).chain(n.concerns.iter().map(|c| c.description.clone())))
        .collect();
    let (files, bytes) = scan_for(&data, &phrases)?;
    writeln!(
        out,
        "6. Checked the server's {files} files ({bytes} bytes): none holds any of the {} note texts.",
        phrases.len()
    )?;
    let (files, bytes) = scan_for(&dir.path().join("coordinator"), &phrases)?;
    writeln!(out, "   The coordinator's profile ({files} files, {bytes} bytes) holds them only encrypted at rest.")?;
    writeln!(out, "Done. Everything was in {}, now removed.", dir.path().display())?;
    writeln!(
        out,
        "Next: enrol with a real invite (`visitnotes enroll VN1-... --name NAME`), then `visitnotes ui` opens the app in your browser."
    )?;
    Ok(())
}

/// Counts the files and bytes under `dir`; fails if any holds a phrase.
pub fn scan_for(dir: &Path, phrases: &[String]) -> anyhow::Result<(usize, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
                continue;
            }
            let content = std::fs::read(entry.path())?;
            files += 1;
            bytes += content.len() as u64;
            for phrase in phrases {
                let found = content.windows(phrase.len()).any(|w| w == phrase.as_bytes());
                anyhow::ensure!(!found, "{} contains note text in the clear", entry.path().display());
            }
        }
    }
    Ok((files, bytes))
}
