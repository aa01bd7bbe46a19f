//! The alerts of this device: everything that looked wrong and is not
//! resolved yet, each worded for a person (who, which note, what happened,
//! what to do).
//!
//! An alert stays until its condition is gone: a rejected note until the
//! revision verifies (`sync --from-start` checks it again), a gap until the
//! missing notes arrive, a refused roster until a roster verifies, a changed
//! copy until the server serves the copy seen before, a refused rewrap until
//! the note is rewrapped, a tampered enrolment until it is no longer
//! pending, a server restored from an older backup until this device has
//! pulled everything again (`ops::sync`), a server serving an older roster
//! than this device holds until it serves one as new, an expired roster
//! until a fresh one arrives, a broken audit log until a check finds it
//! intact. Nobody can dismiss one: an alert that can be silenced hides an
//! attack from the next person who looks, and every alert ends by itself
//! once the trouble is fixed.
//!
//! Rejected notes and gaps are read from the notes themselves (the store
//! keeps rejected rows, and the sequence numbers show gaps), an expired
//! roster from the newest roster here; the rest is kept in the store's
//! alerts table.

use chrono::TimeZone;
use serde::Serialize;
use visitnotes_shared::envelope::Kind;
use visitnotes_shared::ids::{DeviceId, UserId};
use visitnotes_shared::roster::Role;
use visitnotes_shared::Roster;

use crate::error::ClientError;
use crate::profile::Session;
use crate::store::NoteRow;

/// One unresolved alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// A stable code: rejected_note, rejected_follow_up, gap, roster,
    /// roster_expired, changed_copy, rewrap, enrolment, restore,
    /// roster_behind, audit, org_key_grant, forged_head; missing_notes,
    /// forked_device, silent_device, roster_withheld (`heads`);
    /// purged_current, early_purge (`retention`); no_receipt,
    /// forged_receipt (`receipts`).
    pub kind: &'static str,
    /// The person concerned (their name in the roster), when there is one.
    pub person: Option<String>,
    /// The note concerned, by visit date and unit (never its text).
    pub note: Option<String>,
    /// The note's id, for `visitnotes note show`.
    pub note_id: Option<String>,
    /// When it was first seen, as a local date and time (stored alerts only).
    pub since: Option<String>,
    /// What happened.
    pub what: String,
    /// What to do about it.
    pub todo: String,
}

impl Alert {
    /// One line for a warning: what happened, then what to do.
    pub fn line(&self) -> String {
        format!("{} {}", self.what, self.todo)
    }

    /// How serious it is, 3 the gravest: 3 for what may be tampering
    /// (a note or statement that fails verification, a changed copy, a
    /// broken audit log, a forked device, a wrong key); 2 for what may be
    /// withholding (missing notes, a held-back or expired list of members,
    /// a restored server); 1 for the rest (a silent device, a missing
    /// receipt, a refused rewrap, an early purge).
    pub fn gravity(&self) -> u8 {
        match self.kind {
            "rejected_note" | "rejected_follow_up" | "changed_copy" | "forged_head" | "forged_receipt" | "audit"
            | "forked_device" | "org_key_grant" | "enrolment" | "roster" => 3,
            "gap" | "missing_notes" | "roster_withheld" | "roster_expired" | "roster_behind" | "restore" => 2,
            _ => 1,
        }
    }
}

/// The gravest of `open` (the first of the gravest, in the order
/// `visitnotes alerts` lists them).
pub fn most_serious(open: &[Alert]) -> Option<&Alert> {
    open.iter().rev().max_by_key(|a| a.gravity())
}

/// Every unresolved alert of this device.
pub fn open(session: &Session) -> Result<Vec<Alert>, ClientError> {
    let rows = session.store.all_rows()?;
    let gaps = super::read::gaps(session)?;
    open_from(session, &rows, &gaps)
}

/// `open` over rows and gaps already read.
pub fn open_from(session: &Session, rows: &[NoteRow], gaps: &[(String, Vec<u64>)]) -> Result<Vec<Alert>, ClientError> {
    let roster = session.roster().ok();
    let names = Names { roster: roster.as_ref(), rows };
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| r.status == "rejected") {
        let h = row.header();
        let person = names.person(&h.author);
        if h.kind == Kind::FollowUp {
            // Which note it claims to be about is inside what failed.
            let about =
                h.note_author.as_ref().map(|a| format!(" on a note by {}", names.person(a))).unwrap_or_default();
            out.push(Alert {
                kind: "rejected_follow_up",
                what: format!(
                    "A follow-up record signed as {person}{about} (record {}, revision {}) failed verification and is \
                     not shown or counted: {}.",
                    short(h.note_id.as_str()),
                    h.revision,
                    row.reason.as_deref().unwrap_or("no reason recorded")
                ),
                todo: "Tell your administrator: the server may have changed or forged it, or someone who is not a \
                       coordinator made it. Once the server is fixed, `visitnotes sync --from-start` checks it again \
                       and this warning ends."
                    .into(),
                person: Some(person),
                note: None,
                note_id: None,
                since: None,
            });
            continue;
        }
        let note = names.note(h.note_id.as_str());
        out.push(Alert {
            kind: "rejected_note",
            what: format!(
                "{note} by {person} (revision {}) failed verification and is not shown or counted: {}.",
                h.revision,
                row.reason.as_deref().unwrap_or("no reason recorded")
            ),
            todo: "Tell your administrator: the server may have changed or forged it. Once the server is fixed, \
                   `visitnotes sync --from-start` checks it again and this warning ends."
                .into(),
            person: Some(person),
            note: Some(note),
            note_id: Some(h.note_id.to_string()),
            since: None,
        });
    }
    for (device, missing) in gaps {
        let person = names.device_owner(device);
        let count = missing.len();
        out.push(Alert {
            kind: "gap",
            what: format!(
                "{count} {} by {person} {} missing on this device (numbers {}).",
                if count == 1 { "note" } else { "notes" },
                if count == 1 { "is" } else { "are" },
                missing.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
            ),
            todo: format!(
                "They may not be synced yet: ask {person} to run `visitnotes sync`, then sync here. If they stay \
                 missing, the server may be holding them back: tell your administrator."
            ),
            person: Some(person),
            note: None,
            note_id: None,
            since: None,
        });
    }
    if let Some(roster) = roster.as_ref().filter(|r| r.is_expired(super::roster::now())) {
        out.push(roster_expired(session, roster)?);
    }
    for stored in session.store.open_alerts()? {
        let since = Some(local_time(stored.at));
        let detail = stored.detail.trim_end_matches('.');
        let alert = match stored.kind.as_str() {
            "roster" => Alert {
                kind: "roster",
                person: None,
                note: None,
                note_id: None,
                since,
                what: format!("The list of members from the server was refused: {detail}."),
                todo: "Nothing is uploaded until it verifies: tell your administrator. This warning ends at the \
                       first `visitnotes sync` that gets a list that verifies."
                    .into(),
            },
            "swap" => {
                // The subject is "NOTE_ID revision N".
                let note_id = stored.subject.split(' ').next().unwrap_or_default().to_owned();
                let note = names.note(&note_id);
                let person = names.note_author(&note_id);
                Alert {
                    kind: "changed_copy",
                    what: format!(
                        "The server served a different copy of {note}{}: {detail}. The copy checked before is kept.",
                        person.as_ref().map(|p| format!(" by {p}")).unwrap_or_default()
                    ),
                    todo: "Tell your administrator: the server may have been tampered with. This warning ends when \
                           `visitnotes sync --from-start` gets the right copy again."
                        .into(),
                    person,
                    note: Some(note),
                    note_id: Some(note_id),
                    since,
                }
            }
            "rewrap" => {
                let note = names.note(&stored.subject);
                let person = names.note_author(&stored.subject);
                Alert {
                    kind: "rewrap",
                    what: format!(
                        "{note}{} could not be re-encrypted: {detail}. The server's copy still opens for the \
                         readers it had.",
                        person.as_ref().map(|p| format!(" by {p}")).unwrap_or_default()
                    ),
                    todo: "Tell your administrator; this warning ends when `visitnotes admin rewrap` re-encrypts it."
                        .into(),
                    person,
                    note: Some(note),
                    note_id: Some(stored.subject.clone()),
                    since,
                }
            }
            "restore" => Alert {
                kind: "restore",
                person: None,
                note: None,
                note_id: None,
                since,
                what: format!(
                    "The server seems to have been restored from an older backup: {detail}. This device keeps every \
                     note it has, and has not finished pulling everything again."
                ),
                todo: "Run `visitnotes sync`; this warning ends when it has pulled to the end. Tell your \
                       administrator: notes written since the backup come back as their writers' devices sync."
                    .into(),
            },
            "roster_behind" => Alert {
                kind: "roster_behind",
                person: None,
                note: None,
                note_id: None,
                since,
                what: format!(
                    "The server serves an older list of members than this device holds ({detail}): it seems \
                     restored from an older backup. The older list is not used."
                ),
                todo: "Ask an administrator to run `visitnotes sync`, which publishes the current list again. Until \
                       then notes written here wait on this device; this warning ends when the server has the \
                       current list."
                    .into(),
            },
            "audit" => Alert {
                kind: "audit",
                person: None,
                note: None,
                note_id: None,
                since,
                what: format!("The server's audit log does not match what was signed: {detail}."),
                todo: "Someone with the server's database removed or changed entries of its audit log. Tell the \
                       server's operator, and keep this device: the checkpoint it signed is the evidence. This \
                       warning ends when `visitnotes admin audit --verify` finds the log intact again."
                    .into(),
            },
            "head" => Alert {
                kind: "forged_head",
                person: Some(names.device_owner(&stored.subject)),
                note: None,
                note_id: None,
                since,
                what: format!(
                    "The server served a statement in the name of {}'s device that does not verify: {detail}.",
                    names.device_owner(&stored.subject)
                ),
                todo: "Tell your administrator: the server may have been tampered with. This warning ends when the server serves the device's own statement again."
                    .into(),
            },
            "receipt" => {
                // The subject is "READER_DEVICE DEVICE".
                let reader = stored.subject.split(' ').next().unwrap_or_default();
                Alert {
                    kind: "forged_receipt",
                    person: Some(names.device_owner(reader)),
                    note: None,
                    note_id: None,
                    since,
                    what: format!(
                        "The server served a delivery receipt in the name of {} that was refused: {detail}.",
                        names.device_owner(reader)
                    ),
                    todo: "It is not counted. Tell your administrator: the server may have been tampered with. This                            warning ends when the server serves that coordinator's own receipt again."
                        .into(),
                }
            }
            "enrolment" => Alert {
                kind: "enrolment",
                person: None,
                note: None,
                note_id: None,
                since,
                what: format!("A device waiting for approval sent keys that do not match its invite: {detail}."),
                todo: "Do not approve it: the keys were changed on the way. Send the person a new invite; this \
                       warning ends when the enrolment is no longer waiting."
                    .into(),
            },
            super::org_key::GRANT_ALERT => Alert {
                kind: "org_key_grant",
                person: None,
                note: None,
                note_id: None,
                since,
                what: format!(
                    "The server handed this device an organisation key that is not this organisation's: {detail}."
                ),
                todo: "It was not kept. Tell another administrator; the server or its operator may be tampering. This \
                       warning ends when this device holds the organisation key (a grant that checks out, \
                       `admin import-org-key` or `admin recover-org-key`)."
                    .into(),
            },
            _ => Alert {
                kind: "other",
                person: None,
                note: None,
                note_id: None,
                since,
                what: format!("{detail}."),
                todo: "Tell your administrator.".into(),
            },
        };
        out.push(alert);
    }
    out.extend(super::retention::alerts(session, &names)?);
    if let Some(roster) = &roster {
        out.extend(super::heads::alerts(session, roster)?);
        out.extend(super::receipts::alerts(session, &names, roster)?);
    }
    Ok(out)
}

/// The newest roster here is expired: the server may be withholding a
/// newer one (one that removed a reader, say).
fn roster_expired(session: &Session, roster: &Roster) -> Result<Alert, ClientError> {
    let held = session.store.held()?.len();
    let held = match held {
        0 => String::new(),
        1 => "; 1 note written since is kept here, sealed, and not uploaded".into(),
        n => format!("; {n} notes written since are kept here, sealed, and not uploaded"),
    };
    let signs = session.secrets.org_key.is_some()
        && roster.device(&session.config.device_id).is_some_and(|(m, _)| m.roles.contains(&Role::Admin));
    let todo = if signs {
        "Run `visitnotes sync`: on this device it signs a fresh list. If this warning stays, the server does not \
         serve the list you signed: tell the server's operator."
            .to_owned()
    } else {
        "The server may be holding back a newer list (one that removes a reader, say). Ask an administrator to run \
         `visitnotes sync`, which signs a fresh list, then run `visitnotes sync` here: notes held back are then \
         sealed again for the fresh list's readers and uploaded. To upload them as they are, run `visitnotes sync \
         --allow-expired-roster` (a warning is kept with each). This warning ends when a fresh list arrives."
            .to_owned()
    };
    Ok(Alert {
        kind: "roster_expired",
        person: None,
        note: None,
        note_id: None,
        since: Some(local_time(roster.expires_at())),
        what: format!(
            "The newest list of members this device could get (version {}, signed {}) expired on {}{held}.",
            roster.version,
            local_time(roster.issued_at),
            local_time(roster.expires_at())
        ),
        todo,
    })
}

/// Names people and notes for a person to read: names from the roster,
/// notes by visit date and unit.
pub(super) struct Names<'a> {
    pub(super) roster: Option<&'a Roster>,
    pub(super) rows: &'a [NoteRow],
}

impl Names<'_> {
    pub(super) fn person(&self, user: &UserId) -> String {
        self.roster
            .and_then(|r| r.member(user))
            .map(|m| m.name.clone())
            .unwrap_or_else(|| format!("someone not in the list of members ({})", short(user.as_str())))
    }

    fn device_owner(&self, device: &str) -> String {
        self.roster
            .zip(DeviceId::parse(device).ok())
            .and_then(|(r, id)| r.device(&id))
            .map(|(m, _)| m.name.clone())
            .unwrap_or_else(|| format!("a device not in the list of members ({})", short(device)))
    }

    fn note_author(&self, note_id: &str) -> Option<String> {
        self.rows.iter().find(|r| r.header().note_id.as_str() == note_id).map(|r| self.person(&r.header().author))
    }

    /// "the note of the visit on 3 March 2026 to Unit A (note 1a2b3c4d5e6f)",
    /// from the newest revision this device could read.
    pub(super) fn note(&self, note_id: &str) -> String {
        let readable = self
            .rows
            .iter()
            .filter(|r| r.header().note_id.as_str() == note_id && r.status == "valid")
            .filter_map(|r| r.note.as_ref())
            .next_back();
        match readable {
            Some(n) => format!(
                "the note of the visit on {} to {} (note {})",
                n.visit_date.format("%-d %B %Y"),
                if n.units.is_empty() { "no unit".to_owned() } else { n.units.join(", ") },
                short(note_id)
            ),
            None => format!("a note this device has not read (note {})", short(note_id)),
        }
    }
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// Unix seconds as a local date and time.
pub fn local_time(at: i64) -> String {
    chrono::Local
        .timestamp_opt(at, 0)
        .single()
        .map_or_else(|| "an unknown time".to_owned(), |t| t.format("%-d %B %Y %H:%M").to_string())
}
