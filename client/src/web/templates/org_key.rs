//! `/admin/org-key`: the organisation key's backup at any time. On a
//! device that holds the key: a file encrypted under a passphrase, and
//! shares to print (the enrolment's share pages, `templates::enrol`). On
//! one that does not: what to do, the import of such a file, and the
//! recovery from share codes.

use maud::{html, Markup};

use super::{csrf, described_by, field_error, page, Ctx};

/// What the page knows of this device and the key.
pub struct KeyState<'a> {
    /// The pinned organisation key's fingerprint.
    pub fingerprint: &'a str,
    pub held: bool,
}

/// Errors of the forms, by field (`export`, `recover`, `import`).
#[derive(Default)]
pub struct Problems {
    pub export: Option<String>,
    pub recover: Option<String>,
    /// The codes as pasted, kept when the recovery was refused.
    pub codes: String,
    pub import: ImportProblems,
}

/// The import's mistakes, each shown next to its field, all at once.
#[derive(Default)]
pub struct ImportProblems {
    /// The file (none chosen, too large, not an exported key, another
    /// organisation's).
    pub file: Option<String>,
    pub passphrase: Option<String>,
    pub understood: Option<String>,
    /// What is about none of the fields.
    pub other: Option<String>,
    /// The box was ticked: it comes back ticked.
    pub ticked: bool,
    /// The file chosen, when it may serve again (a wrong passphrase, the
    /// box not ticked): its name, and its bytes in base64, sent back in
    /// the form so that it need not be chosen again. It is encrypted under
    /// its passphrase, as it is on the disk it came from.
    pub kept: Option<(String, String)>,
}

impl ImportProblems {
    pub fn any(&self) -> bool {
        self.file.is_some() || self.passphrase.is_some() || self.understood.is_some() || self.other.is_some()
    }
}

/// The largest key file the import reads, in KB (an exported key is
/// under 1 KB).
pub const MAX_KEY_FILE_KB: usize = 16;

pub fn page_of(ctx: &Ctx, key: &KeyState<'_>, problems: &Problems) -> Markup {
    let title = ctx.t("org-key-title");
    let fp = [("fingerprint", key.fingerprint)];
    let body = html! {
        (super::admin::subnav(ctx))
        h1 { (title) }
        @if key.held {
            p id="org-key-held" { strong { (ctx.ta("org-key-held", &fp)) } }
            p { (ctx.t("org-key-why-backup")) }
            section aria-labelledby="org-key-shares-heading" {
                h2 id="org-key-shares-heading" { (ctx.t("org-key-shares-heading")) }
                p { (ctx.t("enrol-backup-how")) }
                form method="post" action=(ctx.url("/enrol/backup")) class="narrow" {
                    (csrf(ctx))
                    div class="field" {
                        label for="count" { (ctx.t("enrol-backup-count")) }
                        input type="number" id="count" name="count" min="2" max="20" value="5";
                    }
                    div class="field" {
                        label for="threshold" { (ctx.t("enrol-backup-threshold")) }
                        input type="number" id="threshold" name="threshold" min="2" max="20" value="3";
                    }
                    p class="hint" { (ctx.t("org-key-shares-once")) }
                    button type="submit" class="primary" id="make-shares" { (ctx.t("enrol-backup-make")) }
                }
            }
            section aria-labelledby="org-key-export-heading" {
                h2 id="org-key-export-heading" { (ctx.t("org-key-export-heading")) }
                p { (ctx.t("org-key-export-explain")) }
                @if let Some(error) = &problems.export {
                    div class="error-summary" role="alert" id="export-error" { p { (error) } }
                }
                form method="post" action=(ctx.url("/admin/org-key/export")) class="narrow" {
                    (csrf(ctx))
                    div class="field" {
                        label for="export-passphrase" { (ctx.t("org-key-export-passphrase")) }
                        input type="password" id="export-passphrase" name="passphrase" autocomplete="new-password" minlength="8" required;
                    }
                    div class="field" {
                        label for="export-passphrase2" { (ctx.t("org-key-export-passphrase2")) }
                        input type="password" id="export-passphrase2" name="passphrase2" autocomplete="new-password" minlength="8" required;
                    }
                    div class="field" {
                        input type="checkbox" id="export-understood" name="understood" value="yes" required;
                        " "
                        label for="export-understood" { (ctx.ta("org-key-export-understood", &fp)) }
                    }
                    button type="submit" class="primary" id="export-key" { (ctx.t("org-key-export-button")) }
                }
            }
        } @else {
            div class="danger-box" id="org-key-not-held" {
                p { strong { (ctx.ta("org-key-not-held", &fp)) } }
            }
            p { (ctx.t("org-key-ways")) }
            ol {
                li { (ctx.t("org-key-way-admin")) " "
                    form method="post" action=(ctx.url("/sync")) class="inline" {
                        (csrf(ctx))
                        button type="submit" class="secondary" id="org-key-sync" { (ctx.t("sync-button")) }
                    }
                }
                li { (ctx.t("org-key-way-file")) " " a href="#org-key-import-heading" { (ctx.t("org-key-import-heading")) } }
                li { (ctx.t("org-key-way-shares")) " " a href="#org-key-recover-heading" { (ctx.t("org-key-recover-heading")) } }
            }
            (import_form(ctx, &fp, &problems.import))
            section aria-labelledby="org-key-recover-heading" {
                h2 id="org-key-recover-heading" { (ctx.t("org-key-recover-heading")) }
                p { (ctx.t("org-key-recover-explain")) }
                @if let Some(error) = &problems.recover {
                    div class="error-summary" role="alert" id="recover-error" { p { (error) } }
                }
                form method="post" action=(ctx.url("/admin/org-key/recover")) {
                    (csrf(ctx))
                    div class="field" {
                        label for="recover-codes" { (ctx.t("org-key-recover-codes")) }
                        p class="hint" id="recover-codes-hint" { (ctx.t("org-key-recover-codes-hint")) }
                        textarea id="recover-codes" name="codes" rows="6" autocomplete="off" spellcheck="false"
                            aria-describedby="recover-codes-hint" { (problems.codes) }
                    }
                    div class="field" {
                        input type="checkbox" id="recover-understood" name="understood" value="yes" required;
                        " "
                        label for="recover-understood" { (ctx.ta("org-key-recover-understood", &fp)) }
                    }
                    button type="submit" class="primary" id="recover-key" { (ctx.t("org-key-recover-button")) }
                }
            }
        }
    };
    page(ctx, &title, body)
}

/// The import of a file saved by the export: the file (or the one kept
/// from the last try), its passphrase, and what keeping it does. Checked
/// by the app, not the browser (`novalidate`), so that every mistake is
/// said at once, in the page's language.
fn import_form(ctx: &Ctx, fp: &[(&str, &str)], problems: &ImportProblems) -> Markup {
    let max = MAX_KEY_FILE_KB.to_string();
    let errors = [
        ("import-file", &problems.file),
        ("import-passphrase", &problems.passphrase),
        ("import-understood", &problems.understood),
    ];
    let invalid = |error: &Option<String>| error.as_ref().map(|_| "true");
    html! {
        section aria-labelledby="org-key-import-heading" {
            h2 id="org-key-import-heading" { (ctx.t("org-key-import-heading")) }
            p { (ctx.ta("org-key-import-explain", fp)) }
            @if problems.any() {
                div class="error-summary" role="alert" tabindex="-1" id="import-errors" {
                    ul {
                        @if let Some(other) = &problems.other { li { (other) } }
                        @for (id, error) in errors {
                            @if let Some(error) = error { li { a href=(format!("#{id}")) { (error) } } }
                        }
                    }
                }
            }
            form method="post" action=(ctx.url("/admin/org-key/import")) enctype="multipart/form-data" novalidate class="narrow" {
                (csrf(ctx))
                @if let Some((name, bytes)) = &problems.kept {
                    input type="hidden" name="kept_name" value=(name);
                    input type="hidden" name="kept" value=(bytes);
                    p class="notice" id="import-kept" { (ctx.ta("org-key-import-kept", &[("name", name)])) }
                }
                div class={ "field" @if problems.file.is_some() { " has-error" } } {
                    label for="import-file" {
                        @if problems.kept.is_some() { (ctx.t("org-key-import-file-other")) } @else { (ctx.t("org-key-import-file")) }
                    }
                    p class="hint" id="import-file-hint" { (ctx.ta("org-key-import-file-hint", &[("size", &max)])) }
                    input type="file" id="import-file" name="file" accept=".age,application/octet-stream"
                        aria-describedby=[described_by("import-file", true, problems.file.is_some())]
                        aria-invalid=[invalid(&problems.file)];
                    (field_error("import-file", problems.file.as_ref()))
                }
                div class={ "field" @if problems.passphrase.is_some() { " has-error" } } {
                    label for="import-passphrase" { (ctx.t("org-key-import-passphrase")) }
                    input type="password" id="import-passphrase" name="passphrase" autocomplete="off"
                        aria-describedby=[described_by("import-passphrase", false, problems.passphrase.is_some())]
                        aria-invalid=[invalid(&problems.passphrase)];
                    (field_error("import-passphrase", problems.passphrase.as_ref()))
                }
                div class={ "field" @if problems.understood.is_some() { " has-error" } } {
                    input type="checkbox" id="import-understood" name="understood" value="yes" checked[problems.ticked]
                        aria-describedby=[described_by("import-understood", false, problems.understood.is_some())]
                        aria-invalid=[invalid(&problems.understood)];
                    " "
                    label for="import-understood" { (ctx.ta("org-key-import-understood", fp)) }
                    (field_error("import-understood", problems.understood.as_ref()))
                }
                button type="submit" class="primary" id="import-key" { (ctx.t("org-key-import-button")) }
            }
        }
    }
}
