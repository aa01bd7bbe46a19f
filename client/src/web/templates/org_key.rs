//! `/admin/org-key`: the organisation key's backup at any time. On a
//! device that holds the key: a file encrypted under a passphrase, and
//! shares to print (the enrolment's share pages, `templates::enrol`). On
//! one that does not: what to do, and the recovery from share codes.

use maud::{html, Markup};

use super::{csrf, page, Ctx};

/// What the page knows of this device and the key.
pub struct KeyState<'a> {
    /// The pinned organisation key's fingerprint.
    pub fingerprint: &'a str,
    pub held: bool,
}

/// Errors of the forms, by field (`export`, `recover`).
#[derive(Default)]
pub struct Problems {
    pub export: Option<String>,
    pub recover: Option<String>,
    /// The codes as pasted, kept when the recovery was refused.
    pub codes: String,
}

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
                li { (ctx.t("org-key-way-shares")) }
                li { (ctx.t("org-key-way-file")) }
            }
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
