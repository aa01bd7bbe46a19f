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
//! Each alert is kept as message ids of the catalogues (`i18n`) and
//! their arguments (names, dates, counts), and worded at the door: the web
//! pages in the reader's language, `visitnotes alerts` in English from the
//! same English catalogue (`what` and `todo`), so there is one wording.
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
use crate::i18n::Lang;
pub use crate::i18n::{Arg, Msg};
use crate::profile::Session;
use crate::store::{NoteRow, NoteStatus, StoredKind};

mod detail;
pub use detail::{Detail, GrantFrom};

/// What an alert is about. As JSON (`visitnotes alerts --json`), its
/// stable snake_case code: a code, once given, never changes meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A note that failed verification.
    RejectedNote,
    /// A coordinator's follow-up record that failed verification.
    RejectedFollowUp,
    /// Notes missing from a device's numbers.
    Gap,
    /// The roster the server served was refused.
    Roster,
    /// The newest roster here is expired.
    RosterExpired,
    /// The server served another copy of a revision seen before.
    ChangedCopy,
    /// A note could not be rewrapped.
    Rewrap,
    /// An enrolment whose code does not match its invite.
    Enrolment,
    /// The server seems restored from an older backup.
    Restore,
    /// The server serves an older roster than this device holds.
    RosterBehind,
    /// The server's audit log does not match what this device signed.
    Audit,
    /// The organisation key the server handed over was refused.
    OrgKeyGrant,
    /// A device's head did not verify.
    ForgedHead,
    /// A device's head names notes this device does not have (`heads`).
    MissingNotes,
    /// A device's head names another chain than the one held (`heads`).
    ForkedDevice,
    /// A device not heard from for days (`heads`).
    SilentDevice,
    /// A head names a roster newer than the one served (`heads`).
    RosterWithheld,
    /// The current revision of a note served as purged (`retention`).
    PurgedCurrent,
    /// A revision purged before its time (`retention`).
    EarlyPurge,
    /// A note no coordinator confirmed receiving (`receipts`).
    NoReceipt,
    /// A coordinator's receipt that did not verify (`receipts`).
    ForgedReceipt,
    /// An alert a newer version kept, of a kind this one does not know.
    Other,
}

/// What a person can do about an alert: one press in the web app, one
/// command in the CLI. The catalogue's "what to do" sentences name no
/// command; each door adds its own door to the action (a button or a
/// link, a command line), so both doors keep one wording. As JSON its
/// stable snake_case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Sync now (anyone).
    Sync,
    /// Sync on an administrator's device, which signs and publishes a
    /// fresh list of members (administrators only).
    AdminSync,
    /// Ask the server for every note again and check each one.
    SyncFromStart,
    /// Send the notes held back under an expired list of members as they
    /// are (after a question that names the risk).
    SendHeld,
    /// Re-encrypt notes to the current readers (coordinators only).
    Rewrap,
    /// Revoke a device (administrators only).
    Revoke,
    /// Check the server's audit log against the signed checkpoints
    /// (administrators only).
    VerifyAudit,
    /// Import the organisation key (administrators only).
    ImportOrgKey,
}

impl Action {
    /// The role a person needs to take the action; `None` for anyone.
    pub fn role(self) -> Option<Role> {
        match self {
            Action::Sync | Action::SyncFromStart | Action::SendHeld => None,
            Action::Rewrap => Some(Role::Coordinator),
            Action::AdminSync | Action::Revoke | Action::VerifyAudit | Action::ImportOrgKey => Some(Role::Admin),
        }
    }
}

impl AlertKind {
    /// What can be done about an alert of this kind, on this device or on
    /// a device with the role (`Action::role`). The sentence says who to
    /// ask when it is someone else.
    pub fn actions(self) -> &'static [Action] {
        use AlertKind as K;
        match self {
            K::RejectedNote | K::RejectedFollowUp | K::ChangedCopy | K::MissingNotes | K::PurgedCurrent => {
                &[Action::SyncFromStart]
            }
            K::Gap | K::Roster | K::Restore | K::RosterWithheld => &[Action::Sync],
            K::RosterExpired => &[Action::Sync, Action::SendHeld],
            K::RosterBehind => &[Action::AdminSync],
            K::Rewrap => &[Action::Rewrap],
            K::Audit => &[Action::VerifyAudit],
            K::ForkedDevice => &[Action::Revoke],
            K::OrgKeyGrant => &[Action::ImportOrgKey],
            K::Enrolment
            | K::ForgedHead
            | K::ForgedReceipt
            | K::SilentDevice
            | K::EarlyPurge
            | K::NoReceipt
            | K::Other => &[],
        }
    }
}

/// One unresolved alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// What it is about; as JSON its stable code.
    pub kind: AlertKind,
    /// The person concerned (their name in the roster), when there is one.
    pub person: Option<String>,
    /// The note concerned, by visit date and unit (never its text).
    pub note: Option<String>,
    /// The note's id, for `visitnotes note show`.
    pub note_id: Option<String>,
    /// When it was first seen, as a local date and time (stored alerts only).
    pub since: Option<String>,
    /// What happened (in English).
    pub what: String,
    /// What to do about it (in English), without a command: `actions`
    /// are what the doors offer with it.
    pub todo: String,
    /// What can be done about it (`AlertKind::actions`, or fewer).
    pub actions: Vec<Action>,
    /// What happened, for any language.
    #[serde(skip)]
    pub what_msg: Msg,
    /// What to do, for any language.
    #[serde(skip)]
    pub todo_msg: Msg,
    /// `since` in Unix seconds.
    #[serde(skip)]
    pub since_at: Option<i64>,
    /// Whether the note has a page to see (a note that failed verification
    /// and has no earlier revision that verified has none).
    #[serde(skip)]
    pub note_page: bool,
}

impl Alert {
    /// An alert of `kind`, worded by the two messages.
    pub fn new(kind: AlertKind, what: Msg, todo: Msg) -> Alert {
        Alert {
            kind,
            person: None,
            note: None,
            note_id: None,
            since: None,
            what: what.render(Lang::En),
            todo: todo.render(Lang::En),
            actions: kind.actions().to_vec(),
            what_msg: what,
            todo_msg: todo,
            since_at: None,
            note_page: false,
        }
    }

    pub(super) fn person(mut self, name: String) -> Alert {
        self.person = Some(name);
        self
    }

    /// The note concerned, as `names` knows it.
    pub(super) fn note(mut self, names: &Names<'_>, note_id: &str) -> Alert {
        self.note = Some(names.note(note_id));
        self.note_id = Some(note_id.to_owned());
        self.note_page = names.has_page(note_id);
        self
    }

    pub(super) fn since(mut self, at: i64) -> Alert {
        self.since = Some(local_time(at));
        self.since_at = Some(at);
        self
    }

    /// What happened, in `lang`.
    pub fn what_in(&self, lang: Lang) -> String {
        self.what_msg.render(lang)
    }

    /// What to do, in `lang`.
    pub fn todo_in(&self, lang: Lang) -> String {
        self.todo_msg.render(lang)
    }

    /// First seen, in `lang`.
    pub fn since_in(&self, lang: Lang) -> Option<String> {
        self.since_at.map(|at| lang.local_time(at))
    }

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
        use AlertKind as K;
        match self.kind {
            K::RejectedNote
            | K::RejectedFollowUp
            | K::ChangedCopy
            | K::ForgedHead
            | K::ForgedReceipt
            | K::Audit
            | K::ForkedDevice
            | K::OrgKeyGrant
            | K::Enrolment
            | K::Roster => 3,
            K::Gap | K::MissingNotes | K::RosterWithheld | K::RosterExpired | K::RosterBehind | K::Restore => 2,
            K::SilentDevice | K::NoReceipt | K::Rewrap | K::PurgedCurrent | K::EarlyPurge | K::Other => 1,
        }
    }
}

/// The gravest of `open` (the first of the gravest, in the order
/// `visitnotes alerts` lists them).
pub fn most_serious(open: &[Alert]) -> Option<&Alert> {
    open.iter().rev().max_by_key(|a| a.gravity())
}

/// Every unresolved alert of this device, as of now.
pub fn open(session: &Session) -> Result<Vec<Alert>, ClientError> {
    open_at(session, super::roster::now())
}

/// Every unresolved alert of this device as of Unix second `now`: the
/// alerts that count time (an expired roster, a device not heard from for
/// days, a note waiting days for a coordinator's receipt) count it up to
/// `now`. The doors ask with the clock ([`open`]); the tests ask as of a
/// later day instead of waiting for it.
pub fn open_at(session: &Session, now: i64) -> Result<Vec<Alert>, ClientError> {
    let rows = session.store.all_rows()?;
    let gaps = super::read::gaps(session)?;
    open_from_at(session, &rows, &gaps, now)
}

fn reason(row: &NoteRow) -> Arg {
    match row.reason.as_deref() {
        Some(reason) => super::rejection::Rejection::read(reason).arg(),
        None => Msg::new("alert-no-reason").into(),
    }
}

/// `open` over rows and gaps already read.
pub fn open_from(session: &Session, rows: &[NoteRow], gaps: &[(String, Vec<u64>)]) -> Result<Vec<Alert>, ClientError> {
    open_from_at(session, rows, gaps, super::roster::now())
}

/// `open_at` over rows and gaps already read.
fn open_from_at(
    session: &Session,
    rows: &[NoteRow],
    gaps: &[(String, Vec<u64>)],
    now: i64,
) -> Result<Vec<Alert>, ClientError> {
    let roster = session.roster().ok();
    let names = Names { roster: roster.as_ref(), rows };
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| r.status == NoteStatus::Rejected) {
        let h = row.header();
        let person = names.person_arg(&h.author);
        if h.kind == Kind::FollowUp {
            // Which note it claims to be about is inside what failed.
            let what = match h.note_author.as_ref() {
                Some(about) => Msg::new("alert-rejected-follow-up-about").arg("about", names.person_arg(about)),
                None => Msg::new("alert-rejected-follow-up"),
            };
            let what = what
                .arg("person", person)
                .arg("record", short(h.note_id.as_str()))
                .arg("revision", h.revision)
                .arg("reason", reason(row));
            out.push(
                Alert::new(AlertKind::RejectedFollowUp, what, Msg::new("alert-rejected-follow-up-todo"))
                    .person(names.person(&h.author)),
            );
            continue;
        }
        let what = Msg::new("alert-rejected-note")
            .arg("note", names.note_arg(h.note_id.as_str()))
            .arg("person", person)
            .arg("revision", h.revision)
            .arg("reason", reason(row));
        out.push(
            Alert::new(AlertKind::RejectedNote, what, Msg::new("alert-rejected-note-todo"))
                .person(names.person(&h.author))
                .note(&names, h.note_id.as_str()),
        );
    }
    for (device, missing) in gaps {
        let person = names.device_owner_arg(device);
        let what = Msg::new("alert-gap")
            .arg("n", missing.len() as u64)
            .arg("person", person.clone())
            .arg("numbers", missing.iter().map(u64::to_string).collect::<Vec<_>>().join(", "));
        let todo = Msg::new("alert-gap-todo").arg("person", person);
        out.push(Alert::new(AlertKind::Gap, what, todo).person(names.device_owner(device)));
    }
    if let Some(roster) = roster.as_ref().filter(|r| r.is_expired(now)) {
        out.push(roster_expired(session, roster)?);
    }
    for stored in session.store.open_alerts()? {
        // Kept as a `Detail` (JSON), worded in the reader's language; as
        // text when an older version kept it.
        let detail = Detail::arg(&stored.detail);
        let simple = |kind: AlertKind, id: &'static str, todo: &'static str| {
            Alert::new(kind, Msg::new(id).arg("detail", detail.clone()), Msg::new(todo))
        };
        let alert = match stored.kind {
            Some(StoredKind::Roster) => simple(AlertKind::Roster, "alert-roster", "alert-roster-todo"),
            Some(kept @ (StoredKind::Swap | StoredKind::Rewrap)) => {
                // A swap's subject is "NOTE_ID revision N".
                let note_id = stored.subject.split(' ').next().unwrap_or_default().to_owned();
                let swap = kept == StoredKind::Swap;
                let (kind, ids) = if swap {
                    (AlertKind::ChangedCopy, ["alert-changed-copy", "alert-changed-copy-by", "alert-changed-copy-todo"])
                } else {
                    (AlertKind::Rewrap, ["alert-rewrap", "alert-rewrap-by", "alert-rewrap-todo"])
                };
                let person = names.note_author(&note_id);
                let what = match &person {
                    Some((_, arg)) => Msg::new(ids[1]).arg("person", arg.clone()),
                    None => Msg::new(ids[0]),
                };
                // A swap's reason kept as `sync::ChangedCopy` (JSON), a
                // rewrap's as a `Detail`, each worded in the reader's
                // language; as text when an older version kept it.
                let detail = match serde_json::from_str::<super::sync::ChangedCopy>(&stored.detail) {
                    Ok(why) if swap => Arg::Msg(why.msg()),
                    _ => detail.clone(),
                };
                let what = what.arg("note", names.note_arg(&note_id)).arg("detail", detail);
                let alert = Alert::new(kind, what, Msg::new(ids[2])).note(&names, &note_id);
                match person {
                    Some((name, _)) => alert.person(name),
                    None => alert,
                }
            }
            // The reason kept as `sync::Restored` (JSON), worded in the
            // reader's language; as text when an older version kept it.
            Some(StoredKind::Restore) => match serde_json::from_str::<super::sync::Restored>(&stored.detail) {
                Ok(why) => Alert::new(
                    AlertKind::Restore,
                    Msg::new("alert-restore").arg("detail", why.msg()),
                    Msg::new("alert-restore-todo"),
                ),
                Err(_) => simple(AlertKind::Restore, "alert-restore", "alert-restore-todo"),
            },
            Some(StoredKind::RosterBehind) => {
                simple(AlertKind::RosterBehind, "alert-roster-behind", "alert-roster-behind-todo")
            }
            // The findings kept as JSON, worded in the reader's language;
            // as text when an older version kept it.
            Some(StoredKind::Audit) => match super::audit::alert_findings(&stored.detail) {
                Some(found) => Alert::new(
                    AlertKind::Audit,
                    Msg::new("alert-audit").arg("detail", Arg::List(found.iter().map(|f| f.msg()).collect())),
                    Msg::new("alert-audit-todo"),
                ),
                None => simple(AlertKind::Audit, "alert-audit", "alert-audit-todo"),
            },
            Some(StoredKind::Head) => Alert::new(
                AlertKind::ForgedHead,
                Msg::new("alert-forged-head")
                    .arg("person", names.device_owner_arg(&stored.subject))
                    .arg("detail", detail.clone()),
                Msg::new("alert-forged-head-todo"),
            )
            .person(names.device_owner(&stored.subject)),
            Some(StoredKind::Receipt) => {
                // The subject is "READER_DEVICE DEVICE".
                let reader = stored.subject.split(' ').next().unwrap_or_default();
                Alert::new(
                    AlertKind::ForgedReceipt,
                    Msg::new("alert-forged-receipt")
                        .arg("person", names.device_owner_arg(reader))
                        .arg("detail", detail.clone()),
                    Msg::new("alert-forged-receipt-todo"),
                )
                .person(names.device_owner(reader))
            }
            Some(StoredKind::Enrolment) => simple(AlertKind::Enrolment, "alert-enrolment", "alert-enrolment-todo"),
            Some(StoredKind::OrgKeyGrant) => {
                simple(AlertKind::OrgKeyGrant, "alert-org-key-grant", "alert-org-key-grant-todo")
            }
            // Kept by a newer version: shown as it was kept.
            None => simple(AlertKind::Other, "alert-other", "alert-other-todo"),
        };
        out.push(alert.since(stored.at));
    }
    out.extend(super::retention::alerts(session, &names)?);
    if let Some(roster) = &roster {
        out.extend(super::heads::alerts(session, roster, now)?);
        out.extend(super::receipts::alerts(session, &names, roster, now)?);
    }
    Ok(out)
}

/// The newest roster here is expired: the server may be withholding a
/// newer one (one that removed a reader, say).
fn roster_expired(session: &Session, roster: &Roster) -> Result<Alert, ClientError> {
    let held = session.store.held()?.len() as u64;
    let signs = session.secrets.org_key.is_some()
        && roster.device(&session.config.device_id).is_some_and(|(m, _)| m.roles.contains(&Role::Admin));
    let todo = if signs { "alert-roster-expired-todo-admin" } else { "alert-roster-expired-todo" };
    // An administrator's sync signs a fresh list; held notes wait for it.
    let actions = if signs {
        vec![Action::AdminSync]
    } else if held > 0 {
        vec![Action::Sync, Action::SendHeld]
    } else {
        vec![Action::Sync]
    };
    let what = Msg::new("alert-roster-expired")
        .arg("version", roster.version)
        .arg("signed", Arg::Time(roster.issued_at))
        .arg("expires", Arg::Time(roster.expires_at()))
        .arg("held", held);
    let mut alert = Alert::new(AlertKind::RosterExpired, what, Msg::new(todo)).since(roster.expires_at());
    alert.actions = actions;
    Ok(alert)
}

/// Names people and notes for a person to read: names from the roster,
/// notes by visit date and unit.
pub(super) struct Names<'a> {
    pub(super) roster: Option<&'a Roster>,
    pub(super) rows: &'a [NoteRow],
}

impl Names<'_> {
    /// The person's name, in English when they are not in the roster.
    pub(super) fn person(&self, user: &UserId) -> String {
        self.person_arg(user).to_english()
    }

    pub(super) fn person_arg(&self, user: &UserId) -> Arg {
        match self.roster.and_then(|r| r.member(user)) {
            Some(m) => m.name.clone().into(),
            None => Msg::new("alert-someone").arg("id", short(user.as_str())).into(),
        }
    }

    fn device_owner(&self, device: &str) -> String {
        self.device_owner_arg(device).to_english()
    }

    fn device_owner_arg(&self, device: &str) -> Arg {
        match self.roster.zip(DeviceId::parse(device).ok()).and_then(|(r, id)| r.device(&id)) {
            Some((m, _)) => m.name.clone().into(),
            None => Msg::new("alert-unknown-device").arg("id", short(device)).into(),
        }
    }

    /// The author of a note, in English and for any language.
    fn note_author(&self, note_id: &str) -> Option<(String, Arg)> {
        self.rows
            .iter()
            .find(|r| r.header().note_id.as_str() == note_id)
            .map(|r| (self.person(&r.header().author), self.person_arg(&r.header().author)))
    }

    /// "the note of the visit on 3 March 2026 to Unit A (note 1a2b3c4d5e6f)",
    /// from the newest revision this device could read.
    pub(super) fn note(&self, note_id: &str) -> String {
        self.note_arg(note_id).to_english()
    }

    pub(super) fn note_arg(&self, note_id: &str) -> Arg {
        let readable = self
            .rows
            .iter()
            .filter(|r| r.header().note_id.as_str() == note_id && r.status == NoteStatus::Valid)
            .filter_map(|r| r.note.as_ref())
            .next_back();
        let msg = match readable {
            Some(n) => Msg::new("alert-note-read")
                .arg("date", Arg::Date(n.visit_date))
                .arg(
                    "units",
                    if n.units.is_empty() { Arg::Msg(Msg::new("alert-no-unit")) } else { n.units.join(", ").into() },
                )
                .arg("id", short(note_id)),
            None => Msg::new("alert-note-unread").arg("id", short(note_id)),
        };
        msg.into()
    }

    /// Whether the note has a page in the web app (`read::latest_revision`
    /// finds a revision with content): its newest revision that verified,
    /// is waiting to be sent, or was refused by the server.
    pub(super) fn has_page(&self, note_id: &str) -> bool {
        self.rows
            .iter()
            .filter(|r| r.header().note_id.as_str() == note_id && r.header().kind != Kind::FollowUp)
            .filter(|r| super::read::has_a_page(r))
            .max_by_key(|r| r.header().revision)
            .is_some_and(|r| r.note.is_some())
    }
}

impl Arg {
    fn to_english(&self) -> String {
        match self {
            Arg::Text(text) => text.clone(),
            Arg::Num(n) => n.to_string(),
            Arg::Time(at) => local_time(*at),
            Arg::Date(date) => Lang::En.long_date(*date),
            Arg::Msg(msg) => msg.render(Lang::En),
            Arg::List(msgs) => msgs.iter().map(|m| m.render(Lang::En)).collect::<Vec<_>>().join("; "),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids the alerts are worded with, read from the sources
    /// that make alerts.
    fn ids() -> std::collections::BTreeSet<String> {
        let sources = [
            include_str!("alerts.rs"),
            include_str!("heads.rs"),
            include_str!("retention.rs"),
            include_str!("receipts.rs"),
            include_str!("alerts/detail.rs"),
        ];
        let mut ids = std::collections::BTreeSet::new();
        for source in sources {
            for (i, _) in source.match_indices("\"alert-") {
                let rest = &source[i + 1..];
                let id = &rest[..rest.find('"').unwrap()];
                if !id.ends_with('-') {
                    ids.insert(id.to_owned());
                }
            }
        }
        ids
    }

    /// Every argument any alert message takes, numbers in three sizes so
    /// that each variant of a plural or a choice is worded.
    fn args(n: u64) -> Vec<(&'static str, Arg)> {
        let note = Msg::new("alert-note-read")
            .arg("date", Arg::Date(chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()))
            .arg("units", "Unit A")
            .arg("id", "1a2b3c4d5e6f");
        let mut args: Vec<(&'static str, Arg)> = [
            "n", "held", "missing", "revision", "record", "version", "last", "seen", "served", "days", "next", "older",
        ]
        .into_iter()
        .map(|name| (name, Arg::Num(n)))
        .collect();
        args.extend([
            ("note", note.into()),
            ("person", Msg::new("alert-someone").arg("id", "abcdef123456").into()),
            ("about", "Leader A".into()),
            ("who", Msg::new("alert-device-of-numbered").arg("name", "Leader A").arg("id", "abcdef123456").into()),
            ("name", "Leader A".into()),
            ("admins", "Admin A, Admin B".into()),
            ("id", "abcdef123456".into()),
            ("reason", Msg::new("alert-no-reason").into()),
            ("detail", "the signature does not verify".into()),
            ("numbers", "3, 4".into()),
            ("signed", Arg::Time(1_767_225_600)),
            ("expires", Arg::Time(1_767_225_600)),
            ("first", Arg::Time(1_767_225_600)),
            ("replaced", Arg::Time(1_767_225_600)),
            ("sent", Arg::Time(1_767_225_600)),
            ("date", Arg::Date(chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap())),
            ("units", "Unit A".into()),
            ("env", "VISITNOTES_RETENTION_DAYS".into()),
            ("urgent", if n == 1 { "yes" } else { "no" }.into()),
            ("got", Arg::Num(n)),
            ("seq", Arg::Num(n)),
            ("pinned", "ab:cd".into()),
            ("found", "ef:01".into()),
            ("expected", "ab:cd".into()),
            ("error", "expected value".into()),
            ("from", "Admin A".into()),
            ("device", "abcdef123456".into()),
        ]);
        args
    }

    #[test]
    fn every_alert_message_is_worded_in_both_languages() {
        let ids = ids();
        assert!(ids.len() > 50, "{ids:?}");
        for lang in Lang::ALL {
            for id in &ids {
                for n in [0, 1, 3] {
                    let text = Msg { id: leak(id), args: args(n) }.render(lang);
                    assert_ne!(&text, id, "{lang:?} has no {id}");
                    // A placeable fluent could not fill shows as `{$name}`.
                    assert!(!text.contains('{') && !text.contains('}'), "{lang:?} {id}: {text}");
                    assert!(!text.contains("alert-"), "{lang:?} {id}: {text}");
                    // The doors add the command or the button (`Action`).
                    assert!(!text.contains("visitnotes ") && !text.contains(" --"), "{lang:?} {id}: {text}");
                }
            }
        }
    }

    fn leak(id: &str) -> &'static str {
        Box::leak(id.to_owned().into_boxed_str())
    }

    /// The kinds keep the codes `--json` has always given.
    #[test]
    fn every_alert_kind_keeps_its_code() {
        use AlertKind as K;
        let kinds = [
            (K::RejectedNote, "rejected_note"),
            (K::RejectedFollowUp, "rejected_follow_up"),
            (K::Gap, "gap"),
            (K::Roster, "roster"),
            (K::RosterExpired, "roster_expired"),
            (K::ChangedCopy, "changed_copy"),
            (K::Rewrap, "rewrap"),
            (K::Enrolment, "enrolment"),
            (K::Restore, "restore"),
            (K::RosterBehind, "roster_behind"),
            (K::Audit, "audit"),
            (K::OrgKeyGrant, "org_key_grant"),
            (K::ForgedHead, "forged_head"),
            (K::MissingNotes, "missing_notes"),
            (K::ForkedDevice, "forked_device"),
            (K::SilentDevice, "silent_device"),
            (K::RosterWithheld, "roster_withheld"),
            (K::PurgedCurrent, "purged_current"),
            (K::EarlyPurge, "early_purge"),
            (K::NoReceipt, "no_receipt"),
            (K::ForgedReceipt, "forged_receipt"),
            (K::Other, "other"),
        ];
        for (kind, code) in kinds {
            assert_eq!(serde_json::to_value(kind).unwrap(), code);
        }
    }

    #[test]
    fn the_english_wording_is_the_one_the_cli_prints() {
        let what = Msg::new("alert-gap").arg("n", 1u64).arg("person", "Leader A").arg("numbers", "3");
        let alert = Alert::new(AlertKind::Gap, what, Msg::new("alert-gap-todo").arg("person", "Leader A"));
        assert_eq!(alert.what, "1 note by Leader A is missing on this device (numbers 3).");
        assert_eq!(alert.what_in(Lang::Nb), "1 notat av Leader A mangler på denne enheten (nummer 3).");
        assert!(alert
            .todo
            .starts_with("They may not be synced yet: ask Leader A to open Visitnotes and press Sync now"));
        assert_eq!(alert.actions, [Action::Sync]);
        let what = Msg::new("alert-roster-expired")
            .arg("version", 4u64)
            .arg("signed", "1 March 2026 10:00")
            .arg("expires", "8 March 2026 10:00")
            .arg("held", 0u64);
        assert_eq!(
            what.render(Lang::En),
            "The newest list of members this device could get (version 4, signed 1 March 2026 10:00) expired on 8 \
             March 2026 10:00."
        );
        let missing = Msg::new("alert-missing-notes")
            .arg("who", "Leader A's device")
            .arg("last", 5u64)
            .arg("signed", "1 March 2026 10:00")
            .arg("held", 3u64)
            .arg("missing", 2u64);
        assert_eq!(
            missing.render(Lang::En),
            "Leader A's device says it had sent notes up to number 5 by 1 March 2026 10:00, but this device has only \
             up to number 3: 2 notes are missing."
        );
    }
}
