//! `visitnotes note ...`: write, list, show, edit, delete.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::NaiveDate;
use serde_json::json;
use visitnotes_shared::note::{Activity, Concern, FollowUp, Severity, Theme, VisitNote};

use super::choices::choice;
use crate::{editor, questions, template};
use visitnotes_core::ops::{alerts, read, write};
use visitnotes_core::profile::Session;
use visitnotes_core::store::NoteRow;
use visitnotes_core::{dates, ClientError};

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Write a new note: in $VISUAL/$EDITOR, from a file, from flags, or by questions (no editor set, or --ask).
    New(Input),
    /// Print the note template.
    Template,
    /// List notes (newest revision of each), with filters.
    List(ListArgs),
    /// Show one note (an id prefix of 6+ characters is enough).
    Show {
        /// The note's id, or its first 6 or more characters.
        id: String,
    },
    /// Edit one of your notes: a new revision.
    Edit {
        /// The note's id, or its first 6 or more characters.
        id: String,
        #[command(flatten)]
        input: Input,
    },
    /// Delete one of your notes: a signed tombstone.
    Delete {
        /// The note's id, or its first 6 or more characters.
        id: String,
    },
}

#[derive(clap::Args, Default)]
pub struct Input {
    /// A prepared note (TOML template or JSON).
    #[arg(long = "from", value_name = "FILE")]
    from_file: Option<PathBuf>,
    /// Answer questions instead of opening the editor.
    #[arg(long, conflicts_with = "from_file")]
    ask: bool,
    /// Visit date: YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY (default: today).
    #[arg(long, value_parser = parse_date)]
    date: Option<NaiveDate>,
    /// Unit visited, from the organisation's list (repeat for several).
    #[arg(long = "unit")]
    units: Vec<String>,
    /// Number of volunteers on the visit, you included.
    #[arg(long)]
    volunteers: Option<u32>,
    /// Number of people met.
    #[arg(long)]
    met: Option<u32>,
    /// An activity (repeat for several).
    #[arg(long = "activity", value_parser = choice(&Activity::ALL))]
    activities: Vec<Activity>,
    /// A theme raised (repeat for several).
    #[arg(long = "theme", value_parser = choice(&Theme::ALL))]
    themes: Vec<Theme>,
    /// A concern as SEVERITY:DESCRIPTION, or SEVERITY:consent:DESCRIPTION when the person agreed to
    /// follow-up; severity is low, medium, high or urgent, e.g. "high:consent:asked to see a doctor" (repeat).
    #[arg(long = "concern", value_name = "SEVERITY[:consent]:DESCRIPTION", value_parser = parse_concern)]
    concerns: Vec<Concern>,
    /// One-line summary, without names.
    #[arg(long)]
    summary: Option<String>,
}

#[derive(clap::Args)]
pub struct ListArgs {
    /// Only visits on or after this date (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY).
    #[arg(long, value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// Only visits on or before this date (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY).
    #[arg(long, value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// Only visits to this unit.
    #[arg(long)]
    unit: Option<String>,
    /// Only notes that raise this theme.
    #[arg(long, value_parser = choice(&Theme::ALL))]
    theme: Option<Theme>,
    /// Only notes with a concern of at least this severity.
    #[arg(long, value_parser = choice(&Severity::ALL))]
    severity: Option<Severity>,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    dates::parse(s).map_err(|e| e.to_string())
}

fn parse_concern(s: &str) -> Result<Concern, String> {
    let usage =
        "write SEVERITY:DESCRIPTION or SEVERITY:consent:DESCRIPTION, e.g. \"high:consent:asked to see a doctor\"";
    let (severity, rest) = s.split_once(':').ok_or(usage)?;
    let severity = severity.trim().to_lowercase();
    let severity: Severity = severity
        .parse()
        .map_err(|_| format!("{severity:?} is not a severity: use low, medium, high or urgent ({usage})"))?;
    let (consent, description) = match rest.split_once(':') {
        Some((flag, text)) if flag.trim().eq_ignore_ascii_case("consent") => (true, text),
        _ => (false, rest),
    };
    if description.trim().is_empty() {
        return Err(format!("the concern has no description: {usage}"));
    }
    Ok(Concern {
        severity,
        description: description.trim().to_owned(),
        consent_to_follow_up: consent,
        reported_to: None,
        reported_on: None,
        follow_up: FollowUp::Open,
        closed_on: None,
    })
}

impl Input {
    fn has_flags(&self) -> bool {
        self.date.is_some()
            || !self.units.is_empty()
            || self.volunteers.is_some()
            || self.met.is_some()
            || !self.activities.is_empty()
            || !self.themes.is_empty()
            || !self.concerns.is_empty()
            || self.summary.is_some()
    }

    /// The note, from the file, the flags (over `base`), the editor, or
    /// questions.
    fn note(self, base: Option<&VisitNote>, session: &Session) -> anyhow::Result<VisitNote> {
        let units = session.roster()?.units;
        if let Some(path) = &self.from_file {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            return Ok(template::parse(&text)?);
        }
        let editor = editor::configured().filter(|_| !self.ask);
        if !self.ask && (self.has_flags() || base.is_some() && editor.is_none()) {
            let mut note = base.cloned().unwrap_or_else(|| VisitNote::blank(dates::today()));
            if let Some(d) = self.date {
                note.visit_date = d;
            }
            if !self.units.is_empty() {
                note.units = self.units;
            }
            note.volunteers = self.volunteers.unwrap_or(note.volunteers);
            note.people_met = self.met.unwrap_or(note.people_met);
            if !self.activities.is_empty() {
                note.activities = self.activities;
            }
            if !self.themes.is_empty() {
                note.themes = self.themes;
            }
            note.concerns.extend(self.concerns);
            if let Some(s) = self.summary {
                note.summary = s;
            }
            return Ok(note);
        }
        if let Some(editor) = editor {
            // Everything `write` would refuse is caught here, while the
            // text is still in the editor.
            let check = |text: &str| -> Result<VisitNote, String> {
                let note = template::parse(text).map_err(|e| e.to_string())?;
                // Every problem at once, a line each, not one per attempt.
                let problems = note.problems(&units, write::latest_visit_date());
                if problems.is_empty() {
                    Ok(note)
                } else {
                    Err(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
                }
            };
            return Ok(editor::edit_until_valid(&template::render(base, &units), &session.home, &editor, check)?);
        }
        // Questions on standard error, so that `--json` output stays clean.
        let stdin = std::io::stdin();
        Ok(questions::ask(&mut stdin.lock(), &mut std::io::stderr(), &units, dates::today())?)
    }
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        if let Cmd::Template = self {
            let units = ctx.unlock().ok().and_then(|s| s.roster().ok()).map(|r| r.units).unwrap_or_default();
            std::io::stdout().lock().write_all(template::render(None, &units).as_bytes())?;
            return Ok(ExitCode::SUCCESS);
        }
        let session = ctx.unlock()?;
        let mut out = std::io::stdout().lock();
        // 3 when what was just written is held back from upload.
        let code = match self {
            Cmd::Template => unreachable!("handled above"),
            Cmd::New(input) => {
                if let Some(free) = visitnotes_core::ops::status::low_disk_space(&session.home) {
                    eprintln!(
                        "warning: only {} MB free on this computer's disk: a note that cannot be stored is refused. Free space first",
                        free / 1_000_000
                    );
                }
                let note = input.note(None, &session)?;
                let id = write::create(&session, &note)?;
                let held = held_warning(&session, id.as_str(), 1)?;
                if ctx.json {
                    ctx.print_json(&json!({ "note_id": id, "revision": 1, "state": "outbox", "held": held }))?;
                } else {
                    writeln!(out, "saved note {id} (revision 1); it is in the outbox until `visitnotes sync`")?;
                }
                warn_held(ctx, held)
            }
            Cmd::Edit { id, input } => {
                let latest = write::editable(&session, &id)?;
                let base = latest.note.clone().ok_or_else(|| ClientError::NoSuchNote(id.clone()))?;
                let note = input.note(Some(&base), &session)?;
                let revision = write::edit(&session, &id, &note)?;
                let full = latest.header().note_id.to_string();
                let held = held_warning(&session, &full, revision)?;
                if ctx.json {
                    ctx.print_json(&json!({ "note_id": full, "revision": revision, "state": "outbox", "held": held }))?;
                } else {
                    writeln!(
                        out,
                        "saved note {full} revision {revision}; it is in the outbox until `visitnotes sync`"
                    )?;
                }
                warn_held(ctx, held)
            }
            Cmd::Delete { id } => {
                write::delete(&session, &id)?;
                let held = match read::latest_revision(&session, &id)? {
                    Some(row) => held_warning(&session, row.header().note_id.as_str(), row.header().revision)?,
                    None => None,
                };
                if ctx.json {
                    ctx.print_json(&json!({ "note_id": id, "state": "deleted", "synced": false, "held": held }))?;
                } else {
                    writeln!(
                        out,
                        "note {id} deleted here; the deletion reaches the server at the next `visitnotes sync`"
                    )?;
                }
                warn_held(ctx, held)
            }
            Cmd::Show { id } => {
                let open = alerts::open(&session)?;
                let shown = read::show(&session, &id)?.ok_or_else(|| ClientError::NoSuchNote(id.clone()))?;
                show(ctx, &shown)?;
                super::alerts::warn(ctx, &open);
                return Ok(super::alerts::exit_code(&open));
            }
            Cmd::List(args) => return list(ctx, &session, args),
        };
        Ok(code)
    }
}

/// Why the revision just written is held back from upload, if it is, in words.
fn held_warning(session: &Session, note_id: &str, revision: u64) -> anyhow::Result<Option<String>> {
    Ok(read::held(session, note_id, revision)?.as_ref().map(held_words))
}

/// A time for a warning; "an unknown time" when there is none.
fn time_words(at: Option<i64>) -> String {
    at.map_or_else(|| "an unknown time".to_owned(), alerts::local_time)
}

/// What a writer is told when a note is held back.
fn held_words(held: &read::Held) -> String {
    format!(
        "The note is saved and sealed on this device, but it will not be uploaded yet: the newest list of members \
         here (version {}) expired on {}, and the server may be holding back a newer one. Run \
         `visitnotes sync`: if it brings a fresh list, the note is sealed again for its readers and uploaded. \
         Otherwise ask an administrator to run `visitnotes sync` (it signs a fresh list), or upload it as it is \
         with `visitnotes sync --allow-expired-roster`.",
        held.roster_version,
        time_words(held.expired_at)
    )
}

/// The warning kept with a revision, in words.
fn kept_words(kept: &read::Kept) -> String {
    match kept {
        read::Kept::SentUnderExpiredRoster { roster_version, expired_at, sent_at } => format!(
            "Sealed under the list of members version {roster_version}, which had expired on {}, and sent as \
             it was on {} because `visitnotes sync --allow-expired-roster` was given: it is \
             encrypted to the readers that list names, who may no longer be the current ones.",
            time_words(*expired_at),
            alerts::local_time(*sent_at)
        ),
        read::Kept::Words(words) => words.clone(),
    }
}

/// Prints the WARNING for a note held back (text output; under `--json` it
/// is in the JSON); exit 3 when there is one.
fn warn_held(ctx: &super::Context, held: Option<String>) -> ExitCode {
    match held {
        None => ExitCode::SUCCESS,
        Some(warning) => {
            if !ctx.json {
                eprintln!("WARNING: {warning}");
            }
            ExitCode::from(super::EXIT_WARNINGS)
        }
    }
}

fn show(ctx: &super::Context, shown: &read::Shown) -> anyhow::Result<()> {
    let s = match shown {
        read::Shown::Note(s) => s,
        read::Shown::Unshown { row, author, why } => return show_unshown(ctx, row, author, why),
    };
    let (row, note) = (&s.row, &s.note);
    let h = row.header();
    // A warning kept with it (sent under an expired roster), and whether
    // it is held back now.
    let kept = s.kept.as_ref().map(kept_words);
    let held = match &s.state {
        read::State::HeldBack(held) => Some(held_words(held)),
        _ => None,
    };
    let mut out = std::io::stdout().lock();
    if ctx.json {
        let histories: Vec<_> = s
            .histories
            .iter()
            .enumerate()
            .filter(|(_, history)| !history.is_empty())
            .map(|(i, history)| json!({ "concern": i + 1, "history": history, "current": history.last() }))
            .collect();
        ctx.print_json(&json!({
            "note_id": h.note_id, "revision": h.revision, "author": h.author, "author_name": s.author,
            "device_id": h.device_id, "state": row.status, "reason": row.reason, "verified": true, "note": note,
            "follow_ups": histories, "follow_ups_apart": s.apart, "warning": kept, "held": held,
        }))?;
        return Ok(());
    }
    writeln!(out, "note {} revision {} by {} ({}), signature verified", h.note_id, h.revision, s.author, row.status)?;
    if let read::State::Refused(reason) = &s.state {
        eprintln!("WARNING: the server would not store this note: {reason}");
    }
    if let Some(kept) = &kept {
        eprintln!("WARNING: {kept}");
    }
    if let Some(held) = &held {
        eprintln!("WARNING: {held}");
    }
    let histories: Vec<Vec<String>> =
        s.histories.iter().map(|history| history.iter().map(super::concern::describe_entry).collect()).collect();
    let apart: Vec<String> = s.apart.iter().map(super::concern::describe_apart).collect();
    let text = toml::to_string(note).expect("a note serialises");
    out.write_all(with_follow_ups(&text, &histories, &apart).as_bytes())?;
    Ok(())
}

/// The note as TOML with each concern's follow-up history under it (oldest
/// first) as comment lines, so that it still reads back as a note
/// (`note new --from`): the records are coordinators', not the note's.
fn with_follow_ups(toml: &str, histories: &[Vec<String>], apart: &[String]) -> String {
    let mut out = String::with_capacity(toml.len());
    let comments = |out: &mut String, concern: Option<usize>| {
        let Some(history) = concern.and_then(|i| histories.get(i)).filter(|h| !h.is_empty()) else { return };
        out.push_str("# Follow-up recorded by coordinators (not part of the note), oldest first:\n");
        for line in history {
            out.push_str(&format!("#   {line}\n"));
        }
    };
    let (mut concern, mut seen, mut blank) = (None, 0, 0);
    for line in toml.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if line.starts_with('[') {
            comments(&mut out, concern.take());
            if line.trim() == "[[concerns]]" {
                concern = Some(seen);
                seen += 1;
            }
        }
        out.push_str(&"\n".repeat(std::mem::take(&mut blank)));
        out.push_str(line);
        out.push('\n');
    }
    comments(&mut out, concern);
    for line in apart {
        out.push_str(&format!("# {line}\n"));
    }
    out
}

/// A note held here whose content is not shown: what it is, why, and
/// what to do. A note that failed verification has no content that can
/// be trusted.
fn show_unshown(ctx: &super::Context, row: &NoteRow, author: &read::Person, why: &read::Unshown) -> anyhow::Result<()> {
    use read::Unshown;
    let h = row.header();
    let (state, reason) = match why {
        Unshown::Deleted => ("deleted", "its text is no longer kept on this device".to_owned()),
        Unshown::Rejected(reason) => ("rejected", reason.clone()),
        Unshown::NotAddressed => (
            "not_addressed",
            "it is not encrypted to this device, which became one of its readers after it was written: ask a \
             coordinator to run `visitnotes admin rewrap`, then run `visitnotes sync --from-start`"
                .to_owned(),
        ),
        Unshown::MetadataOnly => (
            "metadata_only",
            "this device receives only who wrote other people's notes and when, not what is in them (an \
             administrator's device that is not a coordinator's)"
                .to_owned(),
        ),
        Unshown::Purged => (
            "purged",
            "the server sent it without its content, saying it was removed under the retention policy or is \
             not for this device; see `visitnotes alerts`"
                .to_owned(),
        ),
    };
    if ctx.json {
        ctx.print_json(&json!({
            "note_id": h.note_id, "revision": h.revision, "author": h.author, "author_name": author,
            "state": state, "reason": reason, "verified": !matches!(why, Unshown::Rejected(_)),
        }))?;
        return Ok(());
    }
    let what = match why {
        Unshown::Rejected(_) => "was REJECTED on this device and is not shown",
        Unshown::Deleted => "was deleted by its author",
        _ => "cannot be read here",
    };
    writeln!(
        std::io::stdout().lock(),
        "note {} revision {} (signed as {author}) {what}: {reason}",
        h.note_id,
        h.revision
    )?;
    Ok(())
}

fn list(ctx: &super::Context, session: &Session, args: ListArgs) -> anyhow::Result<ExitCode> {
    let filter = read::Filter {
        from: args.from,
        to: args.to,
        unit: args.unit,
        theme: args.theme,
        min_severity: args.severity,
        author: None,
    };
    let all = session.store.all_rows().map_err(ClientError::from)?;
    let refused = read::refused_of(&all);
    let not_uploaded = read::not_uploaded_of(&all);
    let gaps = read::gaps(session)?;
    let open = alerts::open_from(session, &all, &gaps)?;
    let listing = read::list_of(session, all, &filter)?;
    // Which coordinators have received this user's own notes: without the
    // receipts, the listing cannot say, and says nothing.
    if let Some(e) = listing.receipts_unreadable {
        return Err(e.into());
    }
    let received_by = |l: &read::Listed| match &l.received {
        Some(read::Received::By(names)) => Some(names.clone()),
        _ => None,
    };
    let mut out = std::io::stdout().lock();
    if ctx.json {
        let notes: Vec<_> = listing
            .notes
            .iter()
            .map(|l| json!({ "note_id": l.row.header().note_id, "revision": l.row.header().revision, "author": l.author, "state": l.row.status, "received_by": received_by(l), "note": l.row.note }))
            .collect();
        let refused: Vec<_> = refused
            .iter()
            .map(|r| json!({ "note_id": r.header().note_id, "revision": r.header().revision, "reason": r.reason }))
            .collect();
        let not_uploaded: Vec<_> = not_uploaded
            .iter()
            .map(|r| json!({ "note_id": r.header().note_id, "revision": r.header().revision, "reason": r.reason }))
            .collect();
        ctx.print_json(
            &json!({ "notes": notes, "rejected": refused, "not_uploaded": not_uploaded, "gaps": gaps, "alerts": open }),
        )?;
    } else {
        writeln!(
            out,
            "{:<12} {:<10} {:<3} {:<20} {:>4} {:>4} {:<8} AUTHOR",
            "ID", "DATE", "REV", "UNITS", "MET", "VOL", "CONCERNS"
        )?;
        for l in &listing.notes {
            let (r, n) = (&l.row, l.note());
            let worst = n.concerns.iter().map(|c| c.severity).max().map_or("-", Severity::as_str);
            let pending = match (&l.state, &l.received) {
                (read::State::HeldBack(_), _) => " (held back: expired list of members)".to_owned(),
                (read::State::Outbox, _) => " (not synced)".to_owned(),
                (_, Some(read::Received::By(names))) if names.is_empty() => {
                    " (no coordinator has confirmed it yet)".to_owned()
                }
                (_, Some(read::Received::By(names))) => format!(" (received by {})", names.join(", ")),
                _ => String::new(),
            };
            writeln!(
                out,
                "{:<12} {:<10} {:<3} {:<20} {:>4} {:>4} {:<8} {}{}",
                &r.header().note_id.as_str()[..12],
                n.visit_date,
                r.header().revision,
                n.units.join(", ").chars().take(20).collect::<String>(),
                n.people_met,
                n.volunteers,
                worst,
                l.author,
                pending
            )?;
        }
        writeln!(out, "{} notes", listing.notes.len())?;
        for r in &not_uploaded {
            eprintln!(
                "WARNING: note {} revision {} was not uploaded, the server would not store it: {} (see `visitnotes note show`)",
                r.header().note_id,
                r.header().revision,
                r.reason.as_deref().unwrap_or("")
            );
        }
        super::alerts::warn(ctx, &open);
    }
    Ok(super::alerts::exit_code(&open))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_up_history_sits_under_its_concern_as_comments() {
        let mut note = VisitNote::blank(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        note.units = vec!["Unit A".into()];
        for text in ["first concern", "second concern"] {
            note.concerns.push(parse_concern(&format!("high:{text}")).unwrap());
        }
        note.tracing_requests.count = 1;
        let text = toml::to_string(&note).unwrap();
        let shown = with_follow_ups(&text, &[vec![], vec!["closed on 2026-11-28 by Cora".into()]], &["apart".into()]);
        let second = shown.find("second concern").unwrap();
        let history = shown.find("#   closed on 2026-11-28 by Cora").unwrap();
        assert!(history > second, "{shown}");
        assert!(shown[second..history].matches("[[concerns]]").count() == 0, "under the second: {shown}");
        assert!(shown.find("first concern").unwrap() < second);
        assert!(shown.trim_end().ends_with("# apart"), "{shown}");
        // Still the same note when read back.
        assert_eq!(crate::template::parse(&shown).unwrap(), note);
    }
}
