//! The note form (new and edit) and the note as it reads.

use maud::{html, Markup};
use visitnotes_shared::note::{Activity, FollowUp, Severity, Theme, VisitNote};
use visitnotes_shared::roster::Role;

use super::{csrf, described_by, field_error, page, typing_page, Ctx};
use crate::web::form::{code, Errors, NoteForm};
use visitnotes_core::ops::follow_up::{Apart, HistoryEntry, Unmatched};

/// What the form page is for.
pub struct FormPage<'a> {
    pub title: String,
    /// Where the form posts (an app path, as the three below).
    pub action: String,
    /// Where the script keeps the draft while typing.
    pub draft_url: String,
    /// Where the "discard the draft" button posts.
    pub discard_url: String,
    pub form: &'a NoteForm,
    pub errors: &'a Errors,
    /// The organisation's units (the roster's list).
    pub units: &'a [String],
    /// When the draft shown was saved, if the form comes from one.
    pub draft_from: Option<String>,
}

/// The languages offered for a note's text (a note keeps any other it had).
const NOTE_LANGUAGES: [(&str, &str); 3] = [("en", "English"), ("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk")];

pub fn form_page(ctx: &Ctx, p: &FormPage<'_>) -> Markup {
    let f = p.form;
    let e = p.errors;
    let text_input = |id: &str, name: &str, value: &str, label: &str, hint: Option<String>, numeric: bool| {
        let error = e.get(id);
        html! {
            div class={ "field" @if error.is_some() { " has-error" } } {
                label for=(id) { (label) }
                @if let Some(hint) = &hint {
                    p class="hint" id=(format!("{id}-hint")) { (hint) }
                }
                input type="text" id=(id) name=(name) value=(value)
                    inputmode=[numeric.then_some("numeric")] autocomplete="off"
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[described_by(id, hint.is_some(), error.is_some())];
                (field_error(id, error))
            }
        }
    };
    let text_area = |id: &str, name: &str, value: &str, label: &str, hint: Option<String>, rows: u32| {
        let error = e.get(id);
        html! {
            div class={ "field" @if error.is_some() { " has-error" } } {
                label for=(id) { (label) }
                @if let Some(hint) = &hint {
                    p class="hint" id=(format!("{id}-hint")) { (hint) }
                }
                textarea id=(id) name=(name) rows=(rows)
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[described_by(id, hint.is_some(), error.is_some())] { (value) }
                (field_error(id, error))
            }
        }
    };
    // Units ticked that are not on the list any more (a retired unit in an
    // old note) stay offered, so that nothing typed disappears.
    let mut units: Vec<&String> = p.units.iter().collect();
    units.extend(f.units.iter().filter(|u| !p.units.contains(u)));
    let body = html! {
        h1 { (p.title) }
        @if let Some(when) = &p.draft_from {
            div class="notice" {
                p { (ctx.ta("draft-restored", &[("when", when)])) }
                form method="post" action=(ctx.url(&p.discard_url)) class="inline" {
                    (csrf(ctx))
                    button type="submit" class="secondary" { (ctx.t("draft-discard")) }
                }
            }
        }
        @if !e.is_empty() {
            div class="error-summary" role="alert" tabindex="-1" id="errors" {
                h2 { (ctx.t("form-not-saved")) }
                ul {
                    @for (field, message) in e {
                        li {
                            @if field == "form" { (message) } @else { a href=(format!("#{field}")) { (message) } }
                        }
                    }
                }
            }
        }
        form method="post" action=(ctx.url(&p.action)) novalidate data-draft=(ctx.url(&p.draft_url))
            data-saved=(ctx.ta("draft-saved-while-typing", &[("time", "%TIME%")])) class="note-form" {
            (csrf(ctx))
            // Enter in a text field presses the first button: keep
            // everything and show the form again, never seal by surprise.
            button type="submit" name="action" value="draft" class="visually-hidden" tabindex="-1" aria-hidden="true" { (ctx.t("draft-keep")) }
            fieldset {
                legend { (ctx.t("form-visit")) }
                (text_input("date", "date", &f.date, &ctx.t("form-date"), Some(ctx.t("form-date-hint")), false))
                @let units_error = e.get("units");
                fieldset id="units" class={ "choices" @if units_error.is_some() { " has-error" } }
                    aria-describedby=[units_error.map(|_| "units-error")] {
                    legend { (ctx.t("form-units")) }
                    @if units.is_empty() {
                        label for="unit-free" { (ctx.t("form-unit-free")) }
                        input type="text" id="unit-free" name="unit" value=(f.units.first().map(String::as_str).unwrap_or(""));
                    }
                    @for (i, unit) in units.iter().enumerate() {
                        div class="choice" {
                            input type="checkbox" id=(format!("unit-{i}")) name="unit" value=(unit) checked[f.units.contains(unit)];
                            label for=(format!("unit-{i}")) { span class="name" { (unit) } }
                        }
                    }
                    (field_error("units", units_error))
                }
                div class="row" {
                    (text_input("volunteers", "volunteers", &f.volunteers, &ctx.t("form-volunteers"), Some(ctx.t("form-volunteers-hint")), true))
                    (text_input("people_met", "people_met", &f.people_met, &ctx.t("form-people-met"), Some(ctx.t("form-people-met-hint")), true))
                }
            }
            fieldset class="choices" id="activities" {
                legend { (ctx.t("form-activities")) }
                @for activity in Activity::ALL {
                    (choice(ctx, "activity", code(&activity), f.activities.iter().any(|a| a == code(&activity))))
                }
            }
            fieldset class="choices" id="themes" {
                legend { (ctx.t("form-themes")) }
                @for theme in Theme::ALL {
                    (choice(ctx, "theme", code(&theme), f.themes.iter().any(|t| t == code(&theme))))
                }
                (text_area("other_themes", "other_themes", &f.other_themes, &ctx.t("form-other-themes"), Some(ctx.t("form-other-themes-hint")), 2))
            }
            section class="concerns" aria-labelledby="concerns-heading" {
                h2 id="concerns-heading" { (ctx.t("form-concerns")) }
                p class="hint" { (ctx.t("form-concerns-hint")) }
                @for (i, c) in f.concerns.iter().enumerate() {
                    @let n = (i + 1).to_string();
                    @let id = |name: &str| format!("concern-{i}-{name}");
                    fieldset class="concern" id=(format!("concern-{i}")) {
                        legend { (ctx.ta("form-concern-n", &[("n", &n)])) }
                        div class="field" {
                            label for=(id("severity")) { (ctx.t("form-severity")) }
                            select id=(id("severity")) name=(id("severity")) {
                                @for s in Severity::ALL {
                                    option value=(code(&s)) selected[c.severity == code(&s)] { (ctx.t(&format!("severity-{}", code(&s)))) }
                                }
                            }
                            (field_error(&id("severity"), e.get(&id("severity"))))
                        }
                        (text_area(&id("description"), &id("description"), &c.description, &ctx.t("form-concern-text"), Some(ctx.t("form-concern-text-hint")), 3))
                        div class="choice" {
                            input type="checkbox" id=(id("consent")) name=(id("consent")) value="yes" checked[c.consent];
                            label for=(id("consent")) {
                                span class="name" { (ctx.t("form-consent")) }
                                span class="hint" { (ctx.t("form-consent-hint")) }
                            }
                        }
                        div class="field" {
                            label for=(id("follow_up")) { (ctx.t("form-follow-up")) }
                            select id=(id("follow_up")) name=(id("follow_up")) {
                                @for s in FollowUp::ALL {
                                    option value=(code(&s)) selected[c.follow_up == code(&s)] { (ctx.t(&format!("follow-up-{}", code(&s)))) }
                                }
                            }
                        }
                        (text_input(&id("reported_to"), &id("reported_to"), &c.reported_to, &ctx.t("form-reported-to"), Some(ctx.t("form-reported-to-hint")), false))
                        div class="row" {
                            (text_input(&id("reported_on"), &id("reported_on"), &c.reported_on, &ctx.t("form-reported-on"), Some(ctx.t("form-optional-date-hint")), false))
                            (text_input(&id("closed_on"), &id("closed_on"), &c.closed_on, &ctx.t("form-closed-on"), Some(ctx.t("form-optional-date-hint")), false))
                        }
                        button type="submit" name="action" value=(format!("remove_concern_{i}")) class="secondary"
                            formaction=(ctx.url(&format!("{}#concerns-heading", p.action))) {
                            (ctx.ta("form-remove-concern", &[("n", &n)]))
                        }
                    }
                }
                // The page comes back scrolled to the new group.
                button type="submit" name="action" value="add_concern" class="secondary" id="add-concern"
                    formaction=(ctx.url(&format!("{}#concern-{}", p.action, f.concerns.len()))) { (ctx.t("form-add-concern")) }
            }
            fieldset {
                legend { (ctx.t("form-tracing")) }
                (text_input("tracing_count", "tracing_count", &f.tracing_count, &ctx.t("form-tracing-count"), None, true))
                (text_area("tracing_note", "tracing_note", &f.tracing_note, &ctx.t("form-tracing-note"), Some(ctx.t("form-no-names")), 2))
            }
            (text_area("summary", "summary", &f.summary, &ctx.t("form-summary"), Some(ctx.t("form-no-names")), 5))
            div class={ "field" @if e.contains_key("language") { " has-error" } } {
                label for="language" { (ctx.t("form-language")) }
                select id="language" name="language" {
                    @for (tag, name) in NOTE_LANGUAGES {
                        option value=(tag) selected[f.language == tag] lang=(tag) { (name) }
                    }
                    @if !NOTE_LANGUAGES.iter().any(|(tag, _)| *tag == f.language) {
                        option value=(f.language) selected { (f.language) }
                    }
                }
                (field_error("language", e.get("language")))
            }
            div class="actions" {
                button type="submit" name="action" value="save" class="primary" id="save" { (ctx.t("form-save")) }
                button type="submit" name="action" value="draft" class="secondary" id="keep-draft" { (ctx.t("draft-keep")) }
                a href=(ctx.url("/")) { (ctx.t("form-leave")) }
            }
            p id="draft-status" class="hint" aria-live="polite" {}
        }
    };
    typing_page(ctx, &p.title, body)
}

/// One labelled checkbox with its one-line explanation.
fn choice(ctx: &Ctx, name: &str, value: &str, checked: bool) -> Markup {
    let id = format!("{name}-{value}");
    html! {
        div class="choice" {
            input type="checkbox" id=(id) name=(name) value=(value) checked[checked] aria-describedby=(format!("{id}-hint"));
            label for=(id) {
                span class="name" { (ctx.t(&id)) }
                span class="hint" id=(format!("{id}-hint")) { (ctx.t(&format!("{id}-hint"))) }
            }
        }
    }
}

/// What the note page shows besides the note.
pub struct ShowPage<'a> {
    pub note_id: &'a str,
    pub note: &'a VisitNote,
    pub author: String,
    pub revision: u64,
    /// "synced", "in the outbox", "not stored by the server: why".
    pub state: String,
    /// The warnings about this revision, in full: (id, words).
    pub warnings: Vec<(&'static str, String)>,
    /// The reader wrote it (and may edit or delete it).
    pub own: bool,
    /// The coordinators' follow-up history of each concern (by index), oldest first.
    pub histories: Vec<&'a [HistoryEntry]>,
    /// Follow-up records on this note that sit under none of its concerns.
    pub apart: Vec<&'a Unmatched>,
    /// The reader may record follow-up (a coordinator, on a stored note).
    pub can_follow_up: bool,
    /// The follow-up form as typed last, with its errors (a refused post).
    pub typed: Option<&'a FollowUpForm>,
}

/// A follow-up form as typed: kept when it is refused.
#[derive(Debug, Clone, Default)]
pub struct FollowUpForm {
    /// The concern's index (from 0).
    pub concern: usize,
    pub status: String,
    pub date: String,
    pub text: String,
    pub errors: Errors,
}

/// One entry of a follow-up history in words: "Closed on 28 November 2026
/// by Cora", its text, when it was recorded.
fn history_entry(ctx: &Ctx, e: &HistoryEntry) -> Markup {
    let when = visitnotes_core::display::local_datetime(e.recorded_at);
    html! {
        li class="follow-up-entry" {
            strong { (ctx.ta("follow-up-entry", &[
                ("status", &ctx.t(&format!("follow-up-{}", code(&e.status)))),
                ("date", &ctx.lang.long_date(e.date)),
                ("by", &e.by.to_string()),
            ])) }
            @if !e.text.trim().is_empty() {
                span class="follow-up-text" { ": " (e.text.trim()) }
            }
            " " span class="hint" {
                "(" (ctx.ta("follow-up-recorded", &[("when", &when)]))
                @if e.pending { ", " (ctx.t("follow-up-pending")) }
                ")"
            }
        }
    }
}

/// The small form that records follow-up on concern `i`.
fn follow_up_form(ctx: &Ctx, note_id: &str, i: usize, current: &str, typed: Option<&FollowUpForm>) -> Markup {
    let blank = FollowUpForm {
        concern: i,
        status: current.to_owned(),
        date: ctx.lang.input_date(visitnotes_core::dates::today()),
        ..FollowUpForm::default()
    };
    let f = typed.filter(|t| t.concern == i).unwrap_or(&blank);
    let id = |name: &str| format!("fu-{i}-{name}");
    let n = (i + 1).to_string();
    let e = &f.errors;
    html! {
        form method="post" action=(ctx.url(&format!("/notes/{note_id}/concerns/{n}/follow-up#show-concern-{i}")))
            class="follow-up-form" id=(id("form")) novalidate {
            (csrf(ctx))
            h4 { (ctx.ta("follow-up-record", &[("n", &n)])) }
            @if let Some(message) = e.get("form") {
                p class="field-error" role="alert" { (message) }
            }
            div class="row" {
                div class="field" {
                    label for=(id("status")) { (ctx.t("follow-up-status")) }
                    select id=(id("status")) name="status" {
                        @for s in FollowUp::ALL {
                            option value=(code(&s)) selected[f.status == code(&s)] { (ctx.t(&format!("follow-up-{}", code(&s)))) }
                        }
                    }
                }
                @let date_error = e.get("date");
                div class={ "field" @if date_error.is_some() { " has-error" } } {
                    label for=(id("date")) { (ctx.t("follow-up-date")) }
                    p class="hint" id=(format!("{}-hint", id("date"))) { (ctx.t("form-date-hint")) }
                    input type="text" id=(id("date")) name="date" value=(f.date) autocomplete="off"
                        aria-invalid=[date_error.map(|_| "true")]
                        aria-describedby=[described_by(&id("date"), true, date_error.is_some())];
                    (field_error(&id("date"), date_error))
                }
            }
            @let text_error = e.get("text");
            div class={ "field" @if text_error.is_some() { " has-error" } } {
                label for=(id("text")) { (ctx.t("follow-up-text")) }
                p class="hint" id=(format!("{}-hint", id("text"))) { (ctx.t("form-no-names")) }
                textarea id=(id("text")) name="text" rows="2"
                    aria-invalid=[text_error.map(|_| "true")]
                    aria-describedby=[described_by(&id("text"), true, text_error.is_some())] { (f.text) }
                (field_error(&id("text"), text_error))
            }
            button type="submit" class="secondary" id=(id("save")) { (ctx.t("follow-up-save")) }
        }
    }
}

fn apart_why(ctx: &Ctx, why: Apart) -> String {
    ctx.t(match why {
        Apart::NoteNotReceived => "follow-up-apart-not-received",
        Apart::NoteDeleted => "follow-up-apart-deleted",
        Apart::ConcernChanged => "follow-up-apart-changed",
        Apart::WrongAuthor => "follow-up-apart-wrong-author",
    })
}

/// "Unit A and Unit B", "Avdeling A og Avdeling B".
pub fn join_names(ctx: &Ctx, names: &[String]) -> String {
    match names {
        [] => ctx.t("no-unit"),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), ctx.t("and")),
    }
}

pub fn show_page(ctx: &Ctx, p: &ShowPage<'_>) -> Markup {
    let n = p.note;
    let title =
        ctx.ta("note-title", &[("date", &ctx.lang.long_date(n.visit_date)), ("units", &join_names(ctx, &n.units))]);
    // Back to where notes are listed: all notes for a coordinator, one's
    // own on the home page otherwise.
    let (back, back_text) = if ctx.is(Role::Coordinator) {
        ("/notes", ctx.t("note-back-to-all"))
    } else {
        ("/", ctx.t("note-back-to-yours"))
    };
    let body = html! {
        p class="back" { a href=(ctx.url(back)) id="note-back" { (back_text) } }
        article class="note" {
            h1 { (title) }
            p class="meta" {
                (ctx.ta("note-meta", &[("author", &p.author), ("revision", &p.revision.to_string())]))
                " · " span id="note-state" { (p.state) }
            }
            @for (id, warning) in &p.warnings {
                p class="warning" id=(id) { (warning) }
                // Advice as buttons: a held note can be sent as it is, after a question.
                @if *id == "note-held" {
                    (super::advice::action(ctx, visitnotes_core::ops::alerts::Action::SendHeld))
                }
            }
            dl class="figures" {
                div { dt { (ctx.t("form-volunteers")) } dd id="show-volunteers" { (n.volunteers) } }
                div { dt { (ctx.t("form-people-met")) } dd id="show-people-met" { (n.people_met) } }
                div { dt { (ctx.t("form-tracing-count")) } dd id="show-tracing-count" { (n.tracing_requests.count) } }
            }
            h2 { (ctx.t("form-activities")) }
            @if n.activities.is_empty() { p { (ctx.t("none")) } } @else {
                ul id="show-activities" { @for a in &n.activities { li { (ctx.t(&format!("activity-{}", code(a)))) } } }
            }
            h2 { (ctx.t("form-themes")) }
            @if n.themes.is_empty() && n.other_themes.is_empty() { p { (ctx.t("none")) } } @else {
                ul id="show-themes" {
                    @for t in &n.themes { li { (ctx.t(&format!("theme-{}", code(t)))) } }
                    @for t in &n.other_themes { li { (t) } }
                }
            }
            h2 { (ctx.t("form-concerns")) }
            @if n.concerns.is_empty() { p { (ctx.t("none")) } }
            @for (i, c) in n.concerns.iter().enumerate() {
                section class={ "concern-card severity-" (code(&c.severity)) } id=(format!("show-concern-{i}")) {
                    h3 { (ctx.ta("form-concern-n", &[("n", &(i + 1).to_string())])) ": " span class="severity" { (ctx.t(&format!("severity-{}", code(&c.severity)))) } }
                    p class="concern-text" { (c.description) }
                    @let history = p.histories.get(i).copied().unwrap_or_default();
                    ul {
                        li { (ctx.t(if c.consent_to_follow_up { "concern-consent-yes" } else { "concern-consent-no" })) }
                        // A coordinator's newest entry decides where the concern
                        // stands (as in reports); the leader's own value is
                        // then named as what the note says.
                        @if let Some(now) = history.last() {
                            li class="follow-up-now" { strong { (ctx.t("follow-up-stands")) ": " (ctx.t(&format!("follow-up-{}", code(&now.status)))) } }
                            li { (ctx.t("follow-up-in-note")) ": " (ctx.t(&format!("follow-up-{}", code(&c.follow_up)))) }
                        } @else {
                            li { (ctx.t("form-follow-up")) ": " (ctx.t(&format!("follow-up-{}", code(&c.follow_up)))) }
                        }
                        @if let Some(to) = &c.reported_to {
                            li { (ctx.t("form-reported-to")) ": " (to) }
                        }
                        @if let Some(on) = c.reported_on {
                            li { (ctx.t("form-reported-on")) ": " (ctx.lang.long_date(on)) }
                        }
                        @if let Some(on) = c.closed_on {
                            li { (ctx.t("form-closed-on")) ": " (ctx.lang.long_date(on)) }
                        }
                    }
                    @if !history.is_empty() {
                        h4 { (ctx.t("follow-up-history")) }
                        ol class="follow-up-history" id=(format!("show-follow-up-{i}")) {
                            @for e in history { (history_entry(ctx, e)) }
                        }
                    }
                    @if p.can_follow_up {
                        @let current = history.last().map_or_else(|| code(&c.follow_up), |e| code(&e.status));
                        (follow_up_form(ctx, p.note_id, i, current, p.typed))
                    }
                }
            }
            @if !p.apart.is_empty() {
                section class="warning" id="follow-up-apart" {
                    h3 { (ctx.t("follow-up-apart-heading")) }
                    ul {
                        @for u in &p.apart {
                            li {
                                (ctx.ta("follow-up-apart-concern", &[("n", &u.concern.to_string())])) " " (apart_why(ctx, u.why))
                                ul { (history_entry(ctx, &u.entry)) }
                            }
                        }
                    }
                }
            }
            @if !n.tracing_requests.note.is_empty() {
                h2 { (ctx.t("form-tracing")) }
                p id="show-tracing-note" { (n.tracing_requests.note) }
            }
            h2 { (ctx.t("form-summary")) }
            @if n.summary.is_empty() { p { (ctx.t("none")) } } @else {
                p id="show-summary" lang=(n.language) class="summary" { (n.summary) }
            }
            @if p.own {
                div class="actions" {
                    a class="button secondary" href=(ctx.url(&format!("/notes/{}/edit", p.note_id))) { (ctx.t("note-edit")) }
                    a class="button danger" href=(ctx.url(&format!("/notes/{}/delete", p.note_id))) { (ctx.t("note-delete")) }
                }
            }
        }
    };
    page(ctx, &title, body)
}
