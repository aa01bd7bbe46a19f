//! `visitnotes concern ...`: the concerns raised in notes, where their
//! follow-up stands, and coordinators' follow-up records on them.

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use serde_json::json;
use visitnotes_shared::note::FollowUp;

use super::choices::choice;
use crate::questions::{self, FollowUpAnswers};
use visitnotes_core::dates;
use visitnotes_core::display::{local_datetime, short};
use visitnotes_core::ops::follow_up::{self, Apart, ConcernLine, HistoryEntry, NewEntry, Unmatched};
use visitnotes_core::ops::{alerts, read};

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// List the concerns not closed yet, with where their follow-up stands and who said so.
    List {
        /// Closed concerns too.
        #[arg(long)]
        all: bool,
    },
    /// Record what was done about a concern (coordinators only); the note stays as its leader wrote it.
    ///
    /// A signed record beside the note, encrypted to the coordinators and the note's author, who see
    /// it under the concern in `note show` after `visitnotes sync`. Recording again on the same
    /// concern adds to its history. Asks for what is missing when run in a terminal; without one,
    /// --status is needed (the date defaults to today, the text to none).
    FollowUp(FollowUpArgs),
}

#[derive(clap::Args)]
pub struct FollowUpArgs {
    /// The note's id, or its first 6 or more characters (as `note list` shows it).
    note: String,
    /// The concern's number in the note, from 1 (as `concern list` and `note show` show it).
    #[arg(value_parser = clap::value_parser!(u32).range(1..))]
    concern: u32,
    /// Where the follow-up stands now.
    #[arg(long, value_parser = choice(&FollowUp::ALL))]
    status: Option<FollowUp>,
    /// The day it was done: YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY (default: today).
    #[arg(long, value_parser = parse_date)]
    date: Option<NaiveDate>,
    /// What was done, in a sentence or two, without names.
    #[arg(long)]
    text: Option<String>,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    dates::parse(s).map_err(|e| e.to_string())
}

/// "in progress".
pub fn status_label(status: FollowUp) -> &'static str {
    match status {
        FollowUp::Open => "open",
        FollowUp::InProgress => "in progress",
        FollowUp::Closed => "closed",
    }
}

/// "closed on 2026-11-28 by Cora (recorded 2026-11-28 14:05): seen by a doctor".
pub fn describe_entry(e: &HistoryEntry) -> String {
    let text = e.text.replace(['\n', '\r'], " ");
    format!(
        "{} on {} by {} (recorded {}{}){}",
        status_label(e.status),
        e.date,
        e.by,
        local_datetime(e.recorded_at),
        if e.pending { ", not synced yet" } else { "" },
        if text.trim().is_empty() { String::new() } else { format!(": {}", text.trim()) }
    )
}

/// Why a record is not under a concern, for people.
pub fn describe_apart(u: &Unmatched) -> String {
    let which = format!("concern {} of note {}", u.concern, short(u.note_id.as_str()));
    let why = match u.why {
        Apart::NoteNotReceived => format!("is for a note not (yet) received on this device ({which})"),
        Apart::NoteDeleted => format!("is about {which}, which its author has since deleted"),
        Apart::ConcernChanged => format!(
            "is about {which} as revision {} had it; the leader has changed or removed that concern since, \
             so it is not counted: record it again on the concern as it stands",
            u.note_revision
        ),
        Apart::WrongAuthor => {
            format!(
                "names {which} but was sent to another person's readers: it is not counted; tell your administrator"
            )
        }
    };
    format!("A follow-up record {why}: {}.", describe_entry(&u.entry))
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        let session = ctx.unlock()?;
        match self {
            Cmd::List { all } => {
                let listed = follow_up::list(&session, all)?;
                let rows = session.store.all_rows().map_err(visitnotes_core::ClientError::from)?;
                let open = alerts::open_from(&session, &rows, &read::gaps(&session)?)?;
                if ctx.json {
                    ctx.print_json(
                        &json!({ "concerns": listed.concerns, "follow_ups_apart": listed.apart, "alerts": open }),
                    )?;
                } else {
                    print_list(&listed.concerns, &listed.apart, all)?;
                    super::alerts::warn(ctx, &open);
                }
                Ok(super::alerts::exit_code(&open))
            }
            Cmd::FollowUp(args) => {
                let picked = follow_up::pick(&session, &args.note, args.concern)?;
                let given = FollowUpAnswers { status: args.status, date: args.date, text: args.text };
                let complete = given.status.is_some() && given.date.is_some() && given.text.is_some();
                let terminal = std::io::IsTerminal::is_terminal(&std::io::stdin());
                let (status, date, text) = if !complete && terminal {
                    // Questions on standard error, so that `--json` output stays clean.
                    let mut err = std::io::stderr();
                    writeln!(err, "{}", describe_picked(&picked, &session))?;
                    let stdin = std::io::stdin();
                    questions::follow_up(&mut stdin.lock(), &mut err, given, dates::today(), picked.note.visit_date)?
                } else {
                    let status = given.status.ok_or_else(|| {
                        anyhow::anyhow!(
                            "give --status open, in-progress or closed: there is no terminal to ask on, and nothing was recorded"
                        )
                    })?;
                    (status, given.date.unwrap_or_else(dates::today), given.text.unwrap_or_default())
                };
                let recorded = follow_up::record(&session, &picked, NewEntry { status, date, text })?;
                if ctx.json {
                    ctx.print_json(&json!({
                        "record_id": recorded.record_id, "revision": recorded.revision, "note_id": recorded.note_id,
                        "concern": recorded.concern, "status": recorded.status, "date": recorded.date, "state": "outbox",
                    }))?;
                } else {
                    writeln!(
                        std::io::stdout().lock(),
                        "Recorded: {} is {} as of {}. The record is in the outbox until `visitnotes sync`; the note \
                         itself is unchanged.",
                        describe_picked(&picked, &session),
                        status_label(recorded.status),
                        recorded.date
                    )?;
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

/// "concern 2 (high) of the note of the visit on 2026-11-27 to Unit A by Leader A".
fn describe_picked(picked: &follow_up::Picked, session: &visitnotes_core::profile::Session) -> String {
    let author = read::Person::of(session.roster().ok().as_ref(), &picked.row.header().author);
    format!(
        "concern {} ({}) of the note of the visit on {} to {} by {author}",
        picked.number,
        picked.concern().severity.as_str(),
        picked.note.visit_date,
        picked.note.units.join(", ")
    )
}

fn print_list(concerns: &[ConcernLine], apart: &[Unmatched], all: bool) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<12} {:>2} {:<10} {:<20} {:<16} {:<8} FOLLOW-UP",
        "NOTE", "#", "VISIT", "UNITS", "AUTHOR", "SEVERITY"
    )?;
    for c in concerns {
        let follow_up = match (&c.by, c.since) {
            (Some(by), Some(since)) => format!("{} on {since} by {by}", status_label(c.status)),
            (_, Some(since)) => format!("{} on {since} (the leader's note)", status_label(c.status)),
            _ => format!("{} (the leader's note)", status_label(c.status)),
        };
        writeln!(
            out,
            "{:<12} {:>2} {:<10} {:<20} {:<16} {:<8} {follow_up}",
            &c.note_id.as_str()[..12],
            c.concern,
            c.visit_date,
            c.units.join(", ").chars().take(20).collect::<String>(),
            c.author.to_string().chars().take(16).collect::<String>(),
            c.severity.as_str(),
        )?;
    }
    let n = concerns.len();
    let what = if n == 1 { "concern" } else { "concerns" };
    writeln!(out, "{n} {what}{}", if all { "" } else { " not closed" })?;
    for u in apart {
        writeln!(out, "{}", describe_apart(u))?;
    }
    Ok(())
}
