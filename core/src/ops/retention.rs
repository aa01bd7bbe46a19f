//! What the server may purge, checked by every reader.
//!
//! The server drops the ciphertext of a revision that a later one replaced
//! once its retention period (30 days by default) has passed, and of every
//! revision of a deleted note at once. It must never purge the current
//! revision of a note that was not deleted: a server that serves it
//! without content (as if purged) would make a reader show the previous
//! revision as current, or nothing. Here such a note is not shown at all
//! (`read::latest_of` never falls back to an older revision), and warned
//! about until its content arrives; a replaced revision purged sooner than
//! the retention period allows is warned about too.
//!
//! The time a revision was replaced is when the server says it stored the
//! next one: a server that also lies about that time can purge replaced
//! revisions early unnoticed, which loses history, never the current note.

use std::collections::HashMap;

use visitnotes_shared::envelope::Kind;

use super::alerts::{Alert, AlertKind, Arg, Msg, Names};
use crate::error::ClientError;
use crate::profile::Session;
use crate::store::NoteStatus;

/// Days a replaced revision keeps its content on the server (the server's
/// `retention_days` default).
pub const DEFAULT_RETENTION_DAYS: i64 = 30;
/// Overrides [`DEFAULT_RETENTION_DAYS`] where the server's retention was changed.
pub const RETENTION_DAYS_ENV: &str = "VISITNOTES_RETENTION_DAYS";

/// The alerts about purged content, from the rows held (in note id, revision order).
pub(super) fn alerts(session: &Session, names: &Names<'_>) -> Result<Vec<Alert>, ClientError> {
    let retention = super::heads::days_from_env(RETENTION_DAYS_ENV, DEFAULT_RETENTION_DAYS) * 86_400;
    let now = chrono::Utc::now().timestamp();
    let mut received: Option<HashMap<(String, u64), i64>> = None;
    let mut out = Vec::new();
    let rows = names.rows;
    let accepted = |status: NoteStatus| {
        matches!(status, NoteStatus::Valid | NoteStatus::Outbox | NoteStatus::Withheld | NoteStatus::NotAddressed)
    };
    // An administrator who is not a coordinator gets others' notes as
    // metadata only; everyone else gets the content of every note served.
    let coordinator = names
        .roster
        .and_then(|r| r.device(&session.config.device_id))
        .is_some_and(|(m, _)| m.roles.contains(&visitnotes_shared::roster::Role::Coordinator));
    for (i, row) in rows.iter().enumerate() {
        let h = row.header();
        if row.status != NoteStatus::Withheld || h.kind != Kind::Note {
            continue;
        }
        // Whatever reason the server gives (it is the server's word), a
        // reader who gets content is owed it unless retention explains it.
        let metadata_only = !coordinator && h.author != session.config.user_id;
        if metadata_only && row.reason.as_deref() == Some("metadata_only") {
            continue;
        }
        // The note's revisions: the rows are in note id, revision order.
        let start = rows[..i].iter().rposition(|r| r.header().note_id != h.note_id).map_or(0, |p| p + 1);
        let end = rows[i..].iter().position(|r| r.header().note_id != h.note_id).map_or(rows.len(), |p| i + p);
        let same_note: Vec<_> = rows[start..end].iter().filter(|r| accepted(r.status)).collect();
        if same_note.iter().any(|r| r.header().kind == Kind::Tombstone) {
            continue; // Deleted: every revision is purged at once.
        }
        let note_id = h.note_id.as_str();
        let next = same_note.iter().filter(|r| r.header().revision > h.revision).min_by_key(|r| r.header().revision);
        let Some(next) = next else {
            let older = rows[start..i].iter().rev().find(|r| r.note.is_some()).map(|r| r.header().revision);
            let what = match older {
                Some(older) => Msg::new("alert-purged-current-older").arg("older", older),
                None => Msg::new("alert-purged-current"),
            };
            let what = what
                .arg("revision", h.revision)
                .arg("note", names.note_arg(note_id))
                .arg("person", names.person_arg(&h.author));
            out.push(
                Alert::new(AlertKind::PurgedCurrent, what, Msg::new("alert-purged-current-todo"))
                    .person(names.person(&h.author))
                    .note(names, note_id),
            );
            continue;
        };
        let times = match &received {
            Some(times) => times,
            None => received.insert(session.store.received_times(None)?),
        };
        let Some(&replaced_at) = times.get(&(note_id.to_owned(), next.header().revision)) else { continue };
        if now - replaced_at < retention {
            let what = Msg::new("alert-early-purge")
                .arg("revision", h.revision)
                .arg("note", names.note_arg(note_id))
                .arg("person", names.person_arg(&h.author))
                .arg("days", (retention / 86_400) as u64)
                .arg("next", next.header().revision)
                .arg("replaced", Arg::Time(replaced_at));
            let todo = Msg::new("alert-early-purge-todo").arg("env", RETENTION_DAYS_ENV);
            out.push(
                Alert::new(AlertKind::EarlyPurge, what, todo).person(names.person(&h.author)).note(names, note_id),
            );
        }
    }
    Ok(out)
}
