//! The unlock form, the home page, the list of notes, the delete
//! confirmation, the sync page, and the error page.

use maud::{html, Markup};
use visitnotes_shared::note::{Severity, Theme, VisitNote};
use visitnotes_shared::roster::Role;

use super::note::join_names;
use super::{csrf, field_error, page, page_with, Ctx};
use crate::web::form::{code, Errors, Resume, ResumeFollowUp};
use crate::web::routes::NotesQuery;
use crate::web::SyncState;
use visitnotes_core::api::ApiClientError;
use visitnotes_core::i18n::Msg;
use visitnotes_core::ops::alerts::Alert;
use visitnotes_core::ops::read::{Held, Kept, Listed, Received, State};
use visitnotes_core::ops::status::Overview;
use visitnotes_core::ops::sync::Synced;

pub fn unlock(ctx: &Ctx, idle_minutes: u64, error: Option<&str>, resume: Option<&Resume>) -> Markup {
    unlock_with(ctx, idle_minutes, error, resume, None)
}

/// The unlock form, carrying a note form or a follow-up form sent while
/// locked (`resume`, `follow_up`) back to the browser.
pub fn unlock_with(
    ctx: &Ctx,
    idle_minutes: u64,
    error: Option<&str>,
    resume: Option<&Resume>,
    follow_up: Option<&ResumeFollowUp>,
) -> Markup {
    let title = ctx.t("unlock-title");
    let body = html! {
        h1 { (title) }
        @if resume.is_some() {
            p class="notice" role="status" { (ctx.t("unlock-resume")) }
        }
        @if follow_up.is_some() {
            p class="notice" role="status" { (ctx.t("unlock-resume-follow-up")) }
        }
        form method="post" action=(ctx.url("/unlock")) class="narrow" {
            (csrf(ctx))
            @if let Some(resume) = resume {
                input type="hidden" name="resume_key" value=(resume.key);
                input type="hidden" name="resume_form" value=(resume.form_json());
            }
            @if let Some(follow_up) = follow_up {
                @for (name, value) in follow_up.fields() {
                    input type="hidden" name=(name) value=(value);
                }
            }
            div class={ "field" @if error.is_some() { " has-error" } } {
                label for="passphrase" { (ctx.t("unlock-passphrase")) }
                input type="password" id="passphrase" name="passphrase" autocomplete="current-password" autofocus
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| "passphrase-error")];
                @if let Some(error) = error {
                    p class="field-error" id="passphrase-error" { (error) }
                }
            }
            button type="submit" class="primary" id="unlock" { (ctx.t("unlock-button")) }
        }
        p class="hint" { (Msg::new("unlock-idle-hint").arg("minutes", idle_minutes.max(1)).render(ctx.lang)) }
    };
    page(ctx, &title, body)
}

/// Every alert in a box (the sync page's result; other pages have the
/// banner of `page`, which links to the alerts page).
fn alerts_banner(ctx: &Ctx, alerts: &[Alert]) -> Markup {
    html! {
        @if !alerts.is_empty() {
            section class="alerts" role="alert" aria-labelledby="alerts-heading" {
                h2 id="alerts-heading" { (ctx.tn("alerts-heading", alerts.len() as u64)) }
                ul {
                    @for alert in alerts {
                        li {
                            (super::alerts::sentence(&alert.what_in(ctx.lang))) " " (super::alerts::sentence(&alert.todo_in(ctx.lang)))
                            // A note that failed verification has no page to see.
                            @if let Some(id) = alert.note_id.as_ref().filter(|_| alert.note_page) {
                                " " a href=(ctx.url(&format!("/notes/{id}"))) { (ctx.t("alerts-see-note")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where a note stands, in a few words.
pub fn state_words(ctx: &Ctx, state: &State) -> String {
    match state {
        State::Synced => ctx.t("state-synced"),
        State::Outbox => ctx.t("state-outbox"),
        State::HeldBack(_) => ctx.t("state-held"),
        State::Refused(reason) => ctx.ta("state-refused", &[("reason", reason)]),
    }
}

/// A time of a warning, or "an unknown time".
fn time_words(ctx: &Ctx, at: Option<i64>) -> String {
    at.map_or_else(|| ctx.t("time-unknown"), |at| ctx.lang.local_time(at))
}

/// Why a note is held back, and what to do, in full (the note page).
pub fn held_words(ctx: &Ctx, held: &Held) -> String {
    let version = held.roster_version.to_string();
    ctx.ta("note-held", &[("version", &version), ("expired", &time_words(ctx, held.expired_at))])
}

/// The warning kept with a note, in full (the note page).
pub fn kept_words(ctx: &Ctx, kept: &Kept) -> String {
    match kept {
        Kept::SentUnderExpiredRoster { roster_version, expired_at, sent_at } => ctx.ta(
            "note-kept",
            &[
                ("version", &roster_version.to_string()),
                ("expired", &time_words(ctx, *expired_at)),
                ("sent", &ctx.lang.local_time(*sent_at)),
            ],
        ),
        Kept::Words(words) => ctx.ta("note-kept-words", &[("words", words)]),
    }
}

fn worst_concern(ctx: &Ctx, note: &VisitNote) -> String {
    note.concerns
        .iter()
        .map(|c| c.severity)
        .max()
        .map_or_else(|| ctx.t("none"), |s| ctx.t(&format!("severity-{}", code(&s))))
}

/// The home page; `receipts_unreadable` says why the coordinators'
/// receipts could not be read, when they could not.
pub fn home(ctx: &Ctx, overview: &Overview, receipts_unreadable: Option<&str>) -> Markup {
    let title = ctx.ta("home-title", &[("name", &overview.name)]);
    let last_sync =
        overview.last_sync.map_or_else(|| ctx.t("home-never-synced"), visitnotes_core::display::local_datetime);
    let body = html! {
        h1 { (title) }
        @if overview.roles.is_empty() {
            p class="notice" id="home-not-approved" {
                (ctx.t("home-not-approved")) " "
                a href=(ctx.url("/enrol/wait")) { (ctx.t("home-not-approved-wait")) }
            }
        }
        @if !overview.drafts.is_empty() {
            section class="drafts" id="home-drafts" aria-labelledby="home-drafts-heading" {
                h2 id="home-drafts-heading" { (ctx.t("home-drafts-heading")) }
                ul {
                    @for draft in &overview.drafts {
                        @let when = visitnotes_core::display::local_datetime(draft.saved_at);
                        li {
                            @match &draft.note_id {
                                None => {
                                    (ctx.ta("home-draft-new", &[("when", &when)])) " "
                                    a href=(ctx.url("/notes/new")) { (ctx.t("home-draft-continue")) }
                                }
                                Some(id) => {
                                    (ctx.ta("home-draft-edit", &[("when", &when)])) " "
                                    a href=(ctx.url(&format!("/notes/{id}/edit"))) { (ctx.t("home-draft-continue")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        dl class="figures" {
            div { dt { (ctx.t("home-notes-written")) } dd id="home-own" { (overview.own.len()) } }
            div { dt { (ctx.t("home-outbox")) } dd id="home-outbox" { (overview.outbox) } }
            div { dt { (ctx.t("home-last-sync")) } dd id="home-last-sync" { (last_sync) } }
        }
        @if overview.outbox > 0 {
            p { (ctx.tn("home-outbox-hint", overview.outbox as u64)) }
        }
        @for row in &overview.not_uploaded {
            p class="warning" { (ctx.ta("home-not-uploaded", &[("reason", row.reason.as_deref().unwrap_or(""))])) }
        }
        @if ctx.is(Role::Leader) {
            p { a class="button primary" href=(ctx.url("/notes/new")) id="new-note" { (ctx.t("nav-new-note")) } }
        }
        @if ctx.is(Role::Coordinator) {
            p { a href=(ctx.url("/notes")) { (ctx.tn("home-all-notes", overview.readable as u64)) } }
        }
        @if ctx.is(Role::Admin) {
            p { a href=(ctx.url("/admin")) { (ctx.t("home-admin-link")) } }
        }
        @if !overview.own.is_empty() {
            h2 { (ctx.t("home-your-notes")) }
            @if let Some(why) = receipts_unreadable {
                p class="warning" role="alert" id="received-unreadable" { (ctx.ta("home-received-unreadable", &[("reason", why)])) }
            }
            (notes_table(ctx, &overview.own, true))
        }
    };
    page(ctx, &title, body)
}

/// Notes as a table: date, units, people met, worst concern, author, state,
/// and (`received`: the reader's own notes) which coordinators have received each.
pub fn notes_table(ctx: &Ctx, rows: &[Listed], received: bool) -> Markup {
    html! {
        div class="table-wrap" {
            table class="notes" {
                thead {
                    tr {
                        th scope="col" { (ctx.t("col-date")) }
                        th scope="col" { (ctx.t("col-units")) }
                        th scope="col" { (ctx.t("form-people-met")) }
                        th scope="col" { (ctx.t("col-concern")) }
                        th scope="col" { (ctx.t("col-author")) }
                        th scope="col" { (ctx.t("col-state")) }
                        @if received { th scope="col" { (ctx.t("col-received")) } }
                    }
                }
                tbody {
                    @for listed in rows {
                        @let (id, note) = (&listed.row.header().note_id, listed.note());
                        @let warned = listed.kept.is_some() || matches!(listed.state, State::HeldBack(_));
                        tr {
                            // On a narrow screen each row stacks, each cell
                            // named by its column (`data-label`, style.css).
                            td data-label=(ctx.t("col-date")) { a href=(ctx.url(&format!("/notes/{id}"))) { (ctx.lang.long_date(note.visit_date)) } }
                            td data-label=(ctx.t("col-units")) { (join_names(ctx, &note.units)) }
                            td data-label=(ctx.t("form-people-met")) { (note.people_met) }
                            td data-label=(ctx.t("col-concern")) { (worst_concern(ctx, note)) }
                            td data-label=(ctx.t("col-author")) { (listed.author) }
                            td class=[warned.then_some("state-warning")] data-label=(ctx.t("col-state")) id=(format!("state-{id}")) {
                                (state_words(ctx, &listed.state))
                                @if listed.kept.is_some() { "; " (ctx.t("state-kept")) }
                            }
                            @if received {
                                td class="received" data-label=(ctx.t("col-received")) id=(format!("received-{id}")) {
                                    @match &listed.received {
                                        None => { "–" }
                                        Some(Received::Unknown) => { (ctx.t("received-unknown")) }
                                        Some(Received::By(names)) if names.is_empty() => { (ctx.t("received-none")) }
                                        Some(Received::By(names)) => { (join_names(ctx, names)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The notes list's filters: what was asked, what could not be read, and
/// the choices offered.
pub struct Filters<'a> {
    pub query: &'a NotesQuery,
    pub errors: &'a Errors,
    /// The organisation's units.
    pub units: &'a [String],
    /// (user id, name) of the people who wrote the notes here.
    pub authors: &'a [(String, String)],
    /// How many notes there are before filtering.
    pub total: usize,
}

fn filters_form(ctx: &Ctx, f: &Filters<'_>) -> Markup {
    let q = f.query;
    let date = |id: &str, value: &str, label: &str| {
        let error = f.errors.get(id);
        html! {
            div class={ "field" @if error.is_some() { " has-error" } } {
                label for=(format!("filter-{id}")) { (label) }
                input type="text" id=(format!("filter-{id}")) name=(id) value=(value) autocomplete="off"
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=(format!("filter-dates-hint{}", if error.is_some() { format!(" filter-{id}-error") } else { String::new() }));
                (field_error(&format!("filter-{id}"), error))
            }
        }
    };
    let select = |id: &str, label: &str, value: &str, options: Vec<(String, String)>| {
        html! {
            div class="field" {
                label for=(format!("filter-{id}")) { (label) }
                select id=(format!("filter-{id}")) name=(id) {
                    option value="" { (ctx.t("filter-any")) }
                    @for (code, name) in &options {
                        option value=(code) selected[value == code] { (name) }
                    }
                }
            }
        }
    };
    let units: Vec<(String, String)> = f.units.iter().map(|u| (u.clone(), u.clone())).collect();
    let themes: Vec<(String, String)> =
        Theme::ALL.iter().map(|t| (code(t).to_owned(), ctx.t(&format!("theme-{}", code(t))))).collect();
    let severities: Vec<(String, String)> =
        Severity::ALL.iter().map(|s| (code(s).to_owned(), ctx.t(&format!("filter-severity-{}", code(s))))).collect();
    html! {
        form method="get" action=(ctx.url("/notes")) class="filters" role="search" aria-labelledby="filters-heading" {
            h2 id="filters-heading" class="visually-hidden" { (ctx.t("filter-heading")) }
            p class="hint" id="filter-dates-hint" { (ctx.t("filter-dates-hint")) }
            div class="row" {
                (date("from", &q.from, &ctx.t("filter-from")))
                (date("to", &q.to, &ctx.t("filter-to")))
                (select("unit", &ctx.t("filter-unit"), &q.unit, units))
                (select("theme", &ctx.t("filter-theme"), &q.theme, themes))
                (select("severity", &ctx.t("filter-severity"), &q.severity, severities))
                (select("author", &ctx.t("filter-author"), &q.author, f.authors.to_vec()))
            }
            div class="actions" {
                button type="submit" class="primary" id="filter-apply" { (ctx.t("filter-apply")) }
                a href=(ctx.url("/notes")) { (ctx.t("filter-clear")) }
            }
        }
    }
}

pub fn notes_list(ctx: &Ctx, rows: &[Listed], filters: &Filters<'_>) -> Markup {
    let title = ctx.t("notes-title");
    let body = html! {
        h1 { (title) }
        @if filters.total == 0 { p { (ctx.t("notes-none")) } } @else {
            (filters_form(ctx, filters))
            p id="notes-shown" role="status" {
                (Msg::new("filter-shown").arg("shown", rows.len() as u64).arg("total", filters.total as u64).render(ctx.lang))
            }
            @if !rows.is_empty() { (notes_table(ctx, rows, false)) }
        }
    };
    page(ctx, &title, body)
}

pub fn confirm_delete(ctx: &Ctx, note_id: &str, note: &VisitNote) -> Markup {
    let title = ctx.t("delete-title");
    let what = ctx
        .ta("note-title", &[("date", &ctx.lang.long_date(note.visit_date)), ("units", &join_names(ctx, &note.units))]);
    let body = html! {
        h1 { (title) }
        p { strong { (what) } }
        p { (ctx.t("delete-explain")) }
        form method="post" action=(ctx.url(&format!("/notes/{note_id}/delete"))) {
            (csrf(ctx))
            div class="actions" {
                button type="submit" class="danger" id="confirm-delete" { (ctx.t("delete-confirm")) }
                a href=(ctx.url(&format!("/notes/{note_id}"))) { (ctx.t("delete-keep")) }
            }
        }
    };
    page(ctx, &title, body)
}

/// Quit's question: what stops, what drafts keep, what is lost.
pub fn confirm_quit(ctx: &Ctx) -> Markup {
    let title = ctx.t("quit-title");
    let body = html! {
        h1 { (title) }
        p { (ctx.t("quit-explain")) }
        p class="warning" { (ctx.t("quit-drafts")) }
        form method="post" action=(ctx.url("/quit")) {
            (csrf(ctx))
            div class="actions" {
                button type="submit" class="danger" id="confirm-quit" { (ctx.t("quit-confirm")) }
                a href=(ctx.url("/")) id="keep-open" { (ctx.t("quit-keep")) }
            }
        }
    };
    page(ctx, &title, body)
}

pub fn sync(ctx: &Ctx, state: &SyncState) -> Markup {
    let title = ctx.t("sync-title");
    let running = matches!(state, SyncState::Running { .. });
    let body = html! {
        h1 { (title) }
        @match state {
            SyncState::Idle => {
                p { (ctx.t("sync-idle")) }
            }
            SyncState::Running { pulled } => {
                p role="status" id="sync-progress" { (ctx.tn("sync-running", *pulled)) }
                p class="hint" { (ctx.t("sync-running-hint")) }
            }
            SyncState::Done { at, outcome: Ok(synced) } => {
                (sync_result(ctx, *at, synced))
                (after_sync(ctx, &synced.upkeep))
            }
            SyncState::Done { at, outcome: Err(message), .. } => {
                div class="error-summary" role="alert" {
                    h2 { (ctx.ta("sync-failed", &[("when", &ctx.lang.local_time(*at))])) }
                    p { (message[ctx.lang as usize]) }
                    p { (ctx.t("sync-failed-hint")) }
                }
            }
        }
        @if !running {
            form method="post" action=(ctx.url("/sync")) {
                (csrf(ctx))
                button type="submit" class="primary" id="sync-again" { (ctx.t("sync-button")) }
            }
            // Advice as buttons: the sync that asks first.
            p { a class="button" href=(ctx.url("/sync/from-start")) id="sync-from-start-link" { (ctx.t("advice-sync-from-start")) } }
        }
    };
    page_with(ctx, &title, running.then_some(1), body)
}

fn sync_result(ctx: &Ctx, at: i64, synced: &Synced) -> Markup {
    let report = &synced.report;
    html! {
        div role="status" id="sync-result" {
            p { (ctx.ta("sync-done", &[("when", &ctx.lang.local_time(at))])) }
            ul {
                li { (ctx.tn("sync-pushed", report.pushed as u64)) }
                @for from in &report.received {
                    li class="sync-received" { (from.words(ctx.lang)) }
                }
                @if report.received.is_empty() {
                    li { (ctx.t("sync-received-nothing")) }
                }
                @if report.not_addressed > 0 {
                    li { (ctx.tn("sync-not-addressed", report.not_addressed as u64)) }
                }
            }
        }
        @for refused in &report.refused_by_server {
            p class="warning" { (ctx.ta("sync-refused", &[("reason", &refusal_words(&refused.error))])) " " a href=(ctx.url(&format!("/notes/{}", refused.note_id))) { (ctx.t("alerts-see-note")) } }
        }
        @if let Some(why) = report.restored {
            p class="warning" id="sync-restored" { (ctx.ta("sync-restored", &[("why", &why.msg().render(ctx.lang))])) }
        }
        @if let Some(old) = report.republished_over {
            p class="warning" id="sync-republished" {
                (ctx.ta("sync-republished", &[("old", &old.to_string()), ("version", &report.roster_version.to_string())]))
            }
        }
        @if !report.reuploaded.is_empty() {
            p { (ctx.tn("sync-reuploaded", report.reuploaded.len() as u64)) }
        }
        @for lost in &report.not_reuploaded {
            p class="warning" { (ctx.ta("sync-not-reuploaded", &[("reason", &refusal_words(&lost.error))])) }
        }
        @if report.held > 0 {
            p class="warning" { (ctx.tn("sync-held", report.held as u64)) }
        }
        @if report.waiting > 0 {
            p class="warning" { (ctx.tn("sync-waiting", report.waiting as u64)) }
        }
        @for warning in &report.warnings {
            p class="warning sync-warning" { (visitnotes_core::error::sync_warning_words(ctx.lang, warning)) }
        }
        (alerts_banner(ctx, &report.alerts))
        @if !synced.warns() && report.refused_by_server.is_empty() && report.waiting == 0 && synced.upkeep.all_well() {
            p { (ctx.t("sync-all-well")) }
        }
        p { a href=(ctx.url("/")) { (ctx.t("nav-home")) } }
    }
}

/// The server's answer to a note it would not take: its own words (the
/// sync keeps only refusals).
fn refusal_words(error: &ApiClientError) -> String {
    match error {
        ApiClientError::Refused { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// What followed the sync: what the server says that no signed roster
/// says (to check), the organisation key picked up or refused, and sealed
/// to administrators' devices that lacked it (or why not).
fn after_sync(ctx: &Ctx, after: &visitnotes_core::ops::admin::Upkeep) -> Markup {
    super::admin::upkeep_said(ctx, after, "sync-org-key")
}

/// A note held here whose content is not shown: why, in words.
pub fn note_unshown(ctx: &Ctx, why: &str) -> Markup {
    let title = ctx.t("note-unshown-title");
    let body = html! {
        h1 { (title) }
        p class="notice" id="note-unshown" { (why) }
        p { a href=(ctx.url("/")) { (ctx.t("nav-home")) } }
    };
    page(ctx, &title, body)
}

pub fn error(ctx: &Ctx, message: &str) -> Markup {
    let title = ctx.t("error-title");
    let body = html! {
        h1 { (title) }
        div class="error-summary" role="alert" { p { (message) } }
        p { a href=(ctx.url("/")) { (ctx.t("nav-home")) } }
    };
    page(ctx, &title, body)
}

/// A path under the prefix that is no page: with the navigation, as any
/// page, and a way home.
pub fn not_found(ctx: &Ctx) -> Markup {
    let title = ctx.t("not-found-title");
    let body = html! {
        h1 { (title) }
        p { (ctx.t("not-found-text")) }
        p { a href=(ctx.url("/")) id="not-found-home" { (ctx.t("nav-home")) } }
    };
    page(ctx, &title, body)
}

#[cfg(test)]
mod tests {
    use visitnotes_core::i18n::Lang;
    use visitnotes_core::ops::audit::LogRestored;
    use visitnotes_core::ops::sync::{NotTaken, Restored, SyncReport, SyncWarning};
    use visitnotes_core::ClientError;

    use super::*;

    fn ctx(lang: Lang) -> Ctx {
        Ctx::for_test(lang, "/sync")
    }

    fn refused() -> ApiClientError {
        ApiClientError::Refused { status: 409, code: "conflict".into(), message: "it holds another copy".into() }
    }

    /// A sync on an administrator's device that noticed a restored server
    /// and met every warning a sync can give.
    fn troubled() -> SyncState {
        let report = SyncReport {
            roster_version: 4,
            restored: Some(Restored::EndsBefore { head: 2, cursor: 40 }),
            republished_over: Some(3),
            not_reuploaded: vec![NotTaken { note_id: "1a2b3c4d5e6f".into(), error: refused() }],
            warnings: vec![
                SyncWarning::RosterNotRenewed { error: ClientError::Api(refused()) },
                SyncWarning::AuditLogRestored(LogRestored {
                    first_gone: 21,
                    last_gone: 25,
                    signed_at: 1_767_225_600,
                    entries: 20,
                }),
                SyncWarning::NoAuditCheckpoint { error: ClientError::Api(refused()) },
                SyncWarning::UpkeepFailed { error: ClientError::Api(refused()) },
            ],
            ..SyncReport::default()
        };
        SyncState::Done { at: 1_767_225_600, outcome: Ok(Box::new(Synced { report, upkeep: Default::default() })) }
    }

    /// What went wrong in a sync is said in the page's language: on a
    /// Norwegian page, no English sentence is left of it (the server's
    /// own words stay as it sent them).
    #[test]
    fn the_sync_pages_warnings_are_said_in_the_pages_language() {
        let nb = sync(&ctx(Lang::Nb), &troubled()).into_string();
        for said in [
            "notatene dens slutter nå ved nummer 2, men denne enheten hadde allerede hentet til nummer 40",
            "Serveren hadde en eldre medlemsliste (versjon 3",
            "Serveren hadde mistet et notat fra denne datamaskinen og ville ikke ta imot det igjen: it holds another copy",
            "Medlemslisten går snart ut og kunne ikke signeres på nytt: Serveren avviste forespørselen: it holds another copy",
            "oppføring 21 til 25 i loggen",
            "De 20 oppføringene loggen har nå",
            "Det ble ikke signert noe kontrollpunkt for serverens revisjonslogg",
            "Synkroniseringen er gjort, men det en administrators enhet gjør etterpå, ble ikke fullført",
        ] {
            assert!(nb.contains(said), "{said}: {nb}");
        }
        for english in ["this device", "audit log", "checkpoint", "list of members", "upkeep", "the server"] {
            assert!(!nb.to_lowercase().contains(english), "{english}: {nb}");
        }
        assert!(!nb.contains(&ctx(Lang::Nb).t("sync-all-well")), "{nb}");
        // When it ended, as a Norwegian reads a date and a time.
        assert!(nb.contains(&format!("Synkroniseringen var ferdig {}", Lang::Nb.local_time(1_767_225_600))), "{nb}");
        assert!(Lang::Nb.local_time(1_767_225_600).contains(" kl. "));
        let en = sync(&ctx(Lang::En), &troubled()).into_string();
        assert!(en.contains("its notes now end at number 2, but this device had already read up to number 40"), "{en}");
        assert!(
            en.contains("No checkpoint of the server's audit log was signed: The server refused the request"),
            "{en}"
        );
    }
}
