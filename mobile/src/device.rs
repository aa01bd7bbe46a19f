//! [`Device`]: one profile in the app's private directory, locked or
//! unlocked, and everything a leader does with it. Each method is a thin
//! call into `visitnotes_core::ops`, the same the command line and the web
//! app make, with its answer turned into records of `crate::views` and
//! its errors into [`VisitnotesError`], in the person's language.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use secrecy::SecretString;
use visitnotes_core::form::NoteForm;
use visitnotes_core::i18n::Lang;
use visitnotes_core::ops::read::{Received, Shown, State};
use visitnotes_core::ops::{alerts, drafts, enroll, read, status, sync, write};
use visitnotes_core::profile::{self, Session};
use visitnotes_core::{vault, ClientError};

use crate::error::VisitnotesError;
use crate::form::{field_errors, severity_label, status_label, Choices, NoteFormRecord, SaveOutcome};
use crate::views::{
    AlertView, Approval, ConcernView, DraftInfo, Enrolment, FollowUpEntry, MyNotes, NoteDetail, NoteState, NoteSummary,
    SyncSummary,
};

type Result<T> = std::result::Result<T, VisitnotesError>;

/// Told how a sync goes, from the thread that runs it (not the UI
/// thread): hand the figures to the UI thread to show them.
#[uniffi::export(with_foreign)]
pub trait SyncProgress: Send + Sync {
    /// `done` revisions pulled so far, of `total` when the server said.
    fn pulled(&self, done: u64, total: Option<u64>);
}

/// One profile on this phone. Keys are in memory only between
/// [`Device::unlock`] (or [`Device::enroll`]) and [`Device::lock`]; lock
/// wipes them. Calls on one device run one at a time.
#[derive(uniffi::Object)]
pub struct Device {
    home: PathBuf,
    lang: Mutex<Lang>,
    /// The unlocked profile. Dropping it wipes its keys.
    session: Mutex<Option<Session>>,
}

fn held<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while it was held leaves nothing half-written that matters
    // here: the store's writes are transactions.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[uniffi::export]
impl Device {
    /// The profile in `home` (the app's private directory; created at
    /// enrolment), worded in `language` (a BCP 47 tag: `en`, `nb`, `no`;
    /// English when there is no catalogue for it).
    #[uniffi::constructor]
    pub fn new(home: String, language: String) -> Arc<Device> {
        Arc::new(Device {
            home: PathBuf::from(home),
            lang: Mutex::new(Lang::from_tag(&language).unwrap_or(Lang::En)),
            session: Mutex::new(None),
        })
    }

    /// The language the answers are worded in (`en` or `nb`).
    pub fn language(&self) -> String {
        self.lang().tag().to_owned()
    }

    pub fn set_language(&self, language: String) {
        *held(&self.lang) = Lang::from_tag(&language).unwrap_or(Lang::En);
    }

    /// Any text of the catalogues by its id (the app's own labels), in
    /// the person's language.
    pub fn text(&self, id: String) -> String {
        self.lang().t(&id)
    }

    /// A profile is there (enrolled on this device).
    pub fn is_enrolled(&self) -> bool {
        profile::exists(&self.home)
    }

    pub fn is_unlocked(&self) -> bool {
        held(&self.session).is_some()
    }

    /// Checks what this device can check before an invite is used: it
    /// reads, there is no profile yet, the directory can be written. Does
    /// not block.
    pub fn check_invite(&self, invite: String) -> Result<()> {
        enroll::check_local(&self.home, invite.trim()).map(drop).map_err(|e| self.error(&e))
    }

    /// Enrols this device with an invite, a name and a new passphrase
    /// (everything local checked before the invite is used, as on the
    /// command line), and leaves it unlocked. **Blocks** (network, and the
    /// passphrase's key derivation, about a second): never on the UI thread.
    pub fn enroll(&self, invite: String, name: String, passphrase: String) -> Result<Enrolment> {
        let passphrase = SecretString::from(passphrase);
        let options = enroll::Options {
            invite: invite.trim(),
            name: name.trim(),
            units: vec![],
            kdf_log_n: vault::DEFAULT_LOG_N,
        };
        let enrolled = enroll::enroll(&self.home, options, passphrase).map_err(|e| self.error(&e))?;
        let lang = self.lang();
        let s = &enrolled.session;
        let next = if enrolled.bootstrap { "mobile-enrolled-first" } else { "mobile-enrolled-waiting" };
        let enrolment = Enrolment {
            name: s.config.name.clone(),
            role: s.config.role.as_str().to_owned(),
            device_fingerprint: s.secrets.device.signing_key().fingerprint(),
            organisation_fingerprint: s.config.org_key.fingerprint(),
            first_administrator: enrolled.bootstrap,
            next: lang.t(next),
        };
        *held(&self.session) = Some(enrolled.session);
        Ok(enrolment)
    }

    /// Opens the keys with the passphrase. **Blocks** (key derivation,
    /// about a second): never on the UI thread.
    pub fn unlock(&self, passphrase: String) -> Result<()> {
        let session = Session::unlock(&self.home, SecretString::from(passphrase)).map_err(|e| self.error(&e))?;
        *held(&self.session) = Some(session);
        Ok(())
    }

    /// Wipes the keys from memory and closes the store.
    pub fn lock(&self) {
        drop(held(&self.session).take());
    }

    /// Asks the server whether an administrator has approved this device
    /// yet. **Blocks** (network). Once approved, [`Device::sync`] fetches
    /// the list of members and the notes.
    pub fn check_approval(&self) -> Result<Approval> {
        self.with(|session, lang| {
            let roster = visitnotes_core::ops::roster::in_force(session)?;
            let roles: Vec<String> = roster
                .device(&session.config.device_id)
                .map(|(member, _)| member.roles.iter().map(|r| r.as_str().to_owned()).collect())
                .unwrap_or_default();
            let approved = !roles.is_empty();
            let words = lang.t(if approved { "mobile-approved" } else { "mobile-waiting-for-approval" });
            Ok(Approval { approved, roles, words })
        })
    }

    /// What a note form offers: the units of the newest list of members
    /// here, the activities and themes with their labels and explanations.
    pub fn choices(&self) -> Result<Choices> {
        self.with(|session, lang| Ok(Choices::new(units(session), lang)))
    }

    /// A new note's form: today's date, written as the person's language
    /// writes it.
    pub fn blank_form(&self) -> NoteFormRecord {
        let lang = self.lang();
        NoteForm::blank(lang, visitnotes_core::dates::today()).into()
    }

    /// Every mistake in `form`, each next to its field (none: it would save).
    pub fn check_form(&self, form: NoteFormRecord) -> Result<Vec<crate::form::FieldError>> {
        self.with(|session, lang| {
            let form = NoteForm::from(form);
            Ok(match form.to_note(&units(session), write::latest_visit_date(), lang) {
                Ok(_) => vec![],
                Err(errors) => field_errors(errors),
            })
        })
    }

    /// Seals `form` as a new note into the outbox (sent by the next sync)
    /// and forgets its draft; or, with a mistake, keeps it as the draft and
    /// returns every mistake.
    pub fn save_note(&self, form: NoteFormRecord) -> Result<SaveOutcome> {
        self.with(|session, lang| {
            let form = NoteForm::from(form);
            match form.to_note(&units(session), write::latest_visit_date(), lang) {
                Ok(note) => {
                    let id = write::create(session, &note)?;
                    drafts::discard(session, drafts::NEW_NOTE)?;
                    Ok(SaveOutcome::Saved { note_id: id.to_string() })
                }
                Err(errors) => {
                    drafts::save(session, drafts::NEW_NOTE, &form)?;
                    Ok(SaveOutcome::Invalid { errors: field_errors(errors) })
                }
            }
        })
    }

    /// The form of one of this person's stored notes, to change it (its
    /// id, or its first 6 or more characters).
    pub fn edit_form(&self, note_id: String) -> Result<NoteFormRecord> {
        self.with(|session, lang| {
            let row = write::editable(session, &note_id)?;
            let note = row.note.as_ref().ok_or_else(|| ClientError::NoSuchNote(note_id.clone()))?;
            Ok(NoteForm::from_note(note, lang).into())
        })
    }

    /// Seals `form` as the next revision of the note, as [`Device::save_note`].
    pub fn save_edit(&self, note_id: String, form: NoteFormRecord) -> Result<SaveOutcome> {
        self.with(|session, lang| {
            let full_id = write::editable(session, &note_id)?.header().note_id.to_string();
            let key = drafts::edit_key(&full_id);
            let form = NoteForm::from(form);
            match form.to_note(&units(session), write::latest_visit_date(), lang) {
                Ok(note) => {
                    write::edit(session, &full_id, &note)?;
                    drafts::discard(session, &key)?;
                    Ok(SaveOutcome::Saved { note_id: full_id })
                }
                Err(errors) => {
                    drafts::save(session, &key, &form)?;
                    Ok(SaveOutcome::Invalid { errors: field_errors(errors) })
                }
            }
        })
    }

    /// Deletes one of this person's notes: a signed deletion goes out with
    /// the next sync, and its text is forgotten on this device. Cannot be
    /// undone: ask first.
    pub fn delete_note(&self, note_id: String) -> Result<()> {
        self.with(|session, _| write::delete(session, &note_id))
    }

    /// Keeps `form` as the draft of a new note (`note_id` none) or of an
    /// edit, encrypted in the local store.
    pub fn save_draft(&self, note_id: Option<String>, form: NoteFormRecord) -> Result<()> {
        self.with(|session, _| drafts::save(session, &draft_key(note_id.as_deref()), &NoteForm::from(form)))
    }

    /// The draft of a new note (`note_id` none) or of an edit, if one waits.
    pub fn load_draft(&self, note_id: Option<String>) -> Result<Option<NoteFormRecord>> {
        self.with(|session, _| {
            Ok(drafts::load::<NoteForm>(session, &draft_key(note_id.as_deref()))?.map(|(_, form)| form.into()))
        })
    }

    pub fn discard_draft(&self, note_id: Option<String>) -> Result<()> {
        self.with(|session, _| drafts::discard(session, &draft_key(note_id.as_deref())))
    }

    /// This person's notes with where each stands and which coordinators
    /// have received it, what waits, and the drafts.
    pub fn my_notes(&self) -> Result<MyNotes> {
        self.with(|session, lang| {
            let overview = status::overview(session)?;
            Ok(MyNotes {
                approved: !overview.roles.is_empty(),
                notes: overview.own.iter().map(|listed| summary(lang, listed)).collect(),
                outbox: overview.outbox as u32,
                last_sync: overview.last_sync.map(|at| lang.local_time(at)).unwrap_or_default(),
                drafts: overview
                    .drafts
                    .iter()
                    .map(|d| DraftInfo {
                        note_id: d.note_id.clone(),
                        saved_at: lang.local_time(d.saved_at),
                        saved_at_unix: d.saved_at,
                    })
                    .collect(),
                receipts_unreadable: overview
                    .receipts_unreadable
                    .as_ref()
                    .map(|e| visitnotes_core::error::error_words(lang, e)),
                name: overview.name,
            })
        })
    }

    /// One note in full, with the follow-up coordinators recorded on each
    /// of its concerns (its id, or its first 6 or more characters).
    pub fn note(&self, note_id: String) -> Result<NoteDetail> {
        self.with(|session, lang| {
            let Some(Shown::Note(shown)) = read::show(session, &note_id)? else {
                return Err(ClientError::NoSuchNote(note_id.clone()));
            };
            // The list's line of this note: its state and receipts.
            let mine = read::Filter { author: Some(session.config.user_id.to_string()), ..read::Filter::default() };
            let id = shown.row.header().note_id.clone();
            let listed = read::list(session, &mine)?.notes.into_iter().find(|l| l.row.header().note_id == id);
            let summary = match &listed {
                Some(listed) => summary(lang, listed),
                None => {
                    let listed = read::Listed {
                        row: shown.row.clone(),
                        author: shown.author.clone(),
                        state: shown.state.clone(),
                        received: None,
                        kept: shown.kept.clone(),
                    };
                    summary(lang, &listed)
                }
            };
            let concerns = shown
                .note
                .concerns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let history = shown.histories.get(i).cloned().unwrap_or_default();
                    let status = history.last().map_or(c.follow_up, |e| e.status).into();
                    ConcernView {
                        number: i as u32 + 1,
                        severity: c.severity.into(),
                        severity_label: severity_label(lang, c.severity.into()),
                        description: c.description.clone(),
                        status,
                        status_label: status_label(lang, status),
                        follow_ups: history
                            .iter()
                            .map(|e| FollowUpEntry {
                                by: e.by.to_string(),
                                status: e.status.into(),
                                status_label: status_label(lang, e.status.into()),
                                date: lang.long_date(e.date),
                                text: e.text.clone(),
                                recorded_at: lang.local_time(e.recorded_at),
                            })
                            .collect(),
                    }
                })
                .collect();
            Ok(NoteDetail {
                summary,
                form: NoteForm::from_note(&shown.note, lang).into(),
                concerns,
                editable: shown.editable,
            })
        })
    }

    /// Every open alert, gravest first.
    pub fn alerts(&self) -> Result<Vec<AlertView>> {
        self.with(|session, lang| Ok(alert_views(lang, &alerts::open(session)?)))
    }

    /// Sends the outbox and fetches what is new, telling `progress` as it
    /// goes; what came from whom, in words. **Blocks** (network): never on
    /// the UI thread.
    pub fn sync(&self, progress: Arc<dyn SyncProgress>) -> Result<SyncSummary> {
        let lang = self.lang();
        let mut guard = held(&self.session);
        let session = guard.as_mut().ok_or_else(|| VisitnotesError::locked(lang))?;
        let tell = |done: u64, total: Option<u64>| progress.pulled(done, total);
        let synced =
            sync::sync(session, sync::SyncOptions::default(), &tell).map_err(|e| VisitnotesError::of(lang, &e))?;
        status::record_sync(session).map_err(|e| VisitnotesError::of(lang, &e))?;
        let report = &synced.report;
        let mut warnings = Vec::new();
        for refused in &report.refused_by_server {
            let reason = match &refused.error {
                visitnotes_core::api::ApiClientError::Refused { message, .. } => message.clone(),
                other => other.to_string(),
            };
            warnings.push(lang.ta("sync-refused", &[("reason", &reason)]));
        }
        if let Some(why) = &report.restored {
            warnings.push(lang.ta("sync-restored", &[("why", &why.msg().render(lang))]));
        }
        if report.held > 0 {
            warnings.push(lang.tn("sync-held", report.held as u64));
        }
        if report.waiting > 0 {
            warnings.push(lang.tn("sync-waiting", report.waiting as u64));
        }
        for warning in &report.warnings {
            warnings.push(visitnotes_core::error::sync_warning_words(lang, warning));
        }
        Ok(SyncSummary {
            pushed: report.pushed as u64,
            pulled: report.pulled as u64,
            received: report.received.iter().map(|r| r.words(lang)).collect(),
            warnings,
            alerts: alert_views(lang, &report.alerts),
        })
    }
}

impl Device {
    fn lang(&self) -> Lang {
        *held(&self.lang)
    }

    fn error(&self, err: &ClientError) -> VisitnotesError {
        VisitnotesError::of(self.lang(), err)
    }

    /// Runs `f` on the unlocked profile; its error in the person's words.
    fn with<T>(&self, f: impl FnOnce(&Session, Lang) -> std::result::Result<T, ClientError>) -> Result<T> {
        let lang = self.lang();
        let guard = held(&self.session);
        let session = guard.as_ref().ok_or_else(|| VisitnotesError::locked(lang))?;
        f(session, lang).map_err(|e| VisitnotesError::of(lang, &e))
    }
}

/// The units of the newest list of members here (none before approval).
fn units(session: &Session) -> Vec<String> {
    session.roster().map(|r| r.units).unwrap_or_default()
}

fn draft_key(note_id: Option<&str>) -> String {
    note_id.map_or_else(|| drafts::NEW_NOTE.to_owned(), drafts::edit_key)
}

fn summary(lang: Lang, listed: &read::Listed) -> NoteSummary {
    let note = listed.note();
    let h = listed.row.header();
    let (state, state_words) = match &listed.state {
        State::Synced => (NoteState::Synced, lang.t("state-synced")),
        State::Outbox => (NoteState::Outbox, lang.t("state-outbox")),
        State::HeldBack(_) => (NoteState::HeldBack, lang.t("state-held")),
        State::Refused(reason) => {
            (NoteState::Refused { reason: reason.clone() }, lang.ta("state-refused", &[("reason", reason)]))
        }
    };
    let (received_by, received_words) = match &listed.received {
        None => (vec![], String::new()),
        Some(Received::Unknown) => (vec![], lang.t("received-unknown")),
        Some(Received::By(names)) if names.is_empty() => (vec![], lang.t("received-none")),
        Some(Received::By(names)) => (names.clone(), lang.ta("mobile-received-by", &[("names", &join(lang, names))])),
    };
    NoteSummary {
        note_id: h.note_id.to_string(),
        revision: h.revision,
        visit_date: lang.long_date(note.visit_date),
        visit_date_iso: note.visit_date.to_string(),
        units: note.units.clone(),
        concerns: note.concerns.len() as u32,
        state,
        state_words,
        received_by,
        received_words,
    }
}

/// "Kari", "Kari and Ola", "Kari, Ola and Per".
fn join(lang: Lang, names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), lang.t("and")),
    }
}

fn alert_views(lang: Lang, open: &[alerts::Alert]) -> Vec<AlertView> {
    let mut views: Vec<(u8, AlertView)> = open
        .iter()
        .map(|a| {
            let kind = serde_kind(a);
            let view = AlertView {
                kind,
                gravity: a.gravity(),
                note_id: a.note_id.clone(),
                what: a.what_in(lang),
                todo: a.todo_in(lang),
                since: a.since_in(lang),
            };
            (a.gravity(), view)
        })
        .collect();
    // Gravest first; the core's order within the same gravity.
    views.sort_by_key(|(gravity, _)| std::cmp::Reverse(*gravity));
    views.into_iter().map(|(_, v)| v).collect()
}

/// The alert's stable code, as `visitnotes alerts --json` gives it (its
/// serde name).
fn serde_kind(alert: &alerts::Alert) -> String {
    serde_json::to_value(alert.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(lang: &str) -> (tempfile::TempDir, Arc<Device>) {
        let dir = tempfile::tempdir().unwrap();
        let device = Device::new(dir.path().join("profile").display().to_string(), lang.into());
        (dir, device)
    }

    /// Before enrolment and while locked, every call is refused as such,
    /// in the person's language, and no profile is made by asking.
    #[test]
    fn a_locked_device_refuses_in_the_persons_language() {
        let (dir, device) = device("nb-NO");
        assert_eq!(device.language(), "nb");
        match device.my_notes() {
            Err(VisitnotesError::Locked { message }) => assert_eq!(message, Lang::Nb.t("error-locked")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(device.unlock("a passphrase".into()), Err(VisitnotesError::NotEnrolled { .. })));
        match device.check_invite("VN1-nonsense".into()) {
            Err(VisitnotesError::Failed { code, message }) => {
                assert_eq!(code, "invalid_invite", "{message}");
                assert_eq!(message, Lang::Nb.t("enrol-error-invite-damaged"));
            }
            other => panic!("{other:?}"),
        }
        assert!(!device.is_enrolled() && !device.is_unlocked());
        assert!(!dir.path().join("profile").join(profile::PROFILE_FILE).exists());
    }

    /// A new note's form carries today's date as the language writes it.
    #[test]
    fn a_blank_form_has_today_as_the_language_writes_it() {
        let (_dir, device) = device("en");
        let today = visitnotes_core::dates::today();
        assert_eq!(device.blank_form().date, today.format("%d/%m/%Y").to_string());
        device.set_language("nb".into());
        assert_eq!(device.blank_form().date, today.format("%d.%m.%Y").to_string());
        assert_eq!(device.blank_form().language, "nb");
    }
}
