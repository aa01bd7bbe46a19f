//! `/admin/org-key`: the organisation key's backup and recovery, through
//! the same operations as `visitnotes admin export-org-key` (the file:
//! `ops::admin::seal_org_key`; the shares: the enrolment's share pages,
//! `ops::org_key::split`), `visitnotes admin import-org-key`
//! (`ops::admin::import_org_key_from`) and `visitnotes admin
//! recover-org-key` (`ops::org_key::recover_typed`). Administrators only;
//! every change is a POST with the CSRF token.
//!
//! The exported file goes to the browser as a download (no-store) and is
//! never written here; the file imported is read from the form
//! (`web::upload`) and never written either. The passphrases typed are
//! not shown again.

use std::path::Path;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data};
use actix_web::HttpRequest;
use data_encoding::BASE64;

use super::admin::{as_admin, as_admin_mut, field, post_as_admin};
use super::{error_words, flash, html, html_status, redirect, Reply};
use crate::web::templates::org_key::{self as tpl, ImportProblems, KeyState, Problems, MAX_KEY_FILE_KB};
use crate::web::templates::Ctx;
use crate::web::upload::{self, Upload};
use crate::web::{security, AppState};
use visitnotes_core::i18n::Msg;
use visitnotes_core::ops::org_key::OrgKeyError;
use visitnotes_core::ops::{admin, org_key};
use visitnotes_core::profile::Session;
use visitnotes_core::ClientError;

fn shown(ctx: &Ctx, session: &Session, problems: &Problems) -> maud::Markup {
    let fingerprint = session.config.org_key.fingerprint();
    tpl::page_of(ctx, &KeyState { fingerprint: &fingerprint, held: session.secrets.org_key.is_some() }, problems)
}

fn refused(ctx: &Ctx, session: &Session, problems: &Problems) -> Reply {
    html_status(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, shown(ctx, session, problems))
}

/// GET /admin/org-key.
pub async fn page(state: Data<AppState>, req: HttpRequest) -> Reply {
    as_admin(&state, &req, |ctx, session| html(shown(&ctx, session, &Problems::default()))).await
}

/// POST /admin/org-key/export: the key encrypted under the passphrase
/// typed twice, as a file to save.
pub async fn export(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    post_as_admin(&state, &req, &body, |ctx, session, posted| {
        let (first, second) = (posted.get("passphrase").unwrap_or(""), posted.get("passphrase2").unwrap_or(""));
        let problem = |text: String| refused(&ctx, session, &Problems { export: Some(text), ..Problems::default() });
        if field(posted, "understood") != "yes" {
            return problem(ctx.t("org-key-error-understood"));
        }
        if first != second {
            return problem(error_words(ctx.lang, &ClientError::PassphraseMismatch));
        }
        let passphrase: age::secrecy::SecretString = first.to_owned().into();
        match admin::seal_org_key(session, &passphrase) {
            Ok(body) => Reply::Download {
                name: format!("organisation-key-{}.age", session.config.org_key.fingerprint().replace([' ', ':'], "")),
                content_type: "application/octet-stream",
                body,
            },
            Err(e) => problem(error_words(ctx.lang, &e)),
        }
    })
    .await
}

/// POST /admin/org-key/recover: the key rebuilt from pasted share codes
/// (one a line), checked against the pinned key, kept on this device.
pub async fn recover(state: Data<AppState>, req: HttpRequest, body: Bytes) -> Reply {
    let posted = match security::posted(&state, &req, &body) {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let for_flash = state.clone();
    as_admin_mut(&state, &req, move |ctx, session| {
        let typed = posted.get("codes").unwrap_or("").to_owned();
        let problem = |session: &Session, text: String| {
            refused(&ctx, session, &Problems { recover: Some(text), codes: typed.clone(), ..Problems::default() })
        };
        if field(&posted, "understood") != "yes" {
            return problem(session, ctx.t("org-key-error-understood"));
        }
        let codes: Vec<String> = typed.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        match org_key::recover_typed(session, &codes) {
            Ok(recovered) => {
                let id = if recovered.already_held { "org-key-recovered-already" } else { "org-key-recovered" };
                let said = Msg::new(id)
                    .arg("n", recovered.shares_used as u64)
                    .arg("fingerprint", recovered.fingerprint.as_str())
                    .render(ctx.lang);
                flash(&for_flash, said);
                redirect("/admin/org-key")
            }
            Err(e) => problem(session, error_words(ctx.lang, &e)),
        }
    })
    .await
}

/// POST /admin/org-key/import: an exported key file (multipart), read
/// with its passphrase and kept when it is this organisation's key. Every
/// mistake is said at once, next to its field; a file that may serve again
/// comes back in the form (`ImportProblems::kept`).
pub async fn import(state: Data<AppState>, req: HttpRequest, form: Multipart) -> Reply {
    let upload = match upload::read(form, "file", MAX_KEY_FILE_KB << 10).await {
        Ok(upload) => upload,
        Err(e) => {
            let lang = security::lang(&state, &req);
            let (status, text) = match e {
                upload::UploadError::TooLarge => {
                    (StatusCode::PAYLOAD_TOO_LARGE, "org-key-import-error-upload-too-large")
                }
                upload::UploadError::Malformed(_) => (StatusCode::BAD_REQUEST, "org-key-import-error-upload"),
            };
            let page = crate::web::templates::bare(lang, &state.prefix, &lang.t("org-key-title"), &lang.t(text));
            return html_status(status, page);
        }
    };
    if let Err(refused) = security::check_csrf(&state, &req, upload.get("csrf")) {
        return refused;
    }
    let for_flash = state.clone();
    as_admin_mut(&state, &req, move |ctx, session| {
        let (file, mut problems) = checked(&ctx, &upload);
        let refused_with = |session: &Session, problems: ImportProblems| {
            refused(&ctx, session, &Problems { import: problems, ..Problems::default() })
        };
        let Some((name, bytes)) = file.filter(|_| !problems.any()) else { return refused_with(session, problems) };
        let passphrase: age::secrecy::SecretString = upload.get("passphrase").to_owned().into();
        let named = [("name", name.as_str())];
        match admin::import_org_key_from(session, Path::new(&name), &bytes, &passphrase) {
            Ok(()) => {
                let fingerprint = session.config.org_key.fingerprint();
                flash(&for_flash, ctx.ta("org-key-imported", &[("name", &name), ("fingerprint", &fingerprint)]));
                redirect("/admin/org-key")
            }
            Err(ClientError::WrongPassphrase) => {
                problems.passphrase = Some(ctx.ta("org-key-import-error-passphrase", &named));
                refused_with(session, problems)
            }
            Err(ClientError::CorruptKeys { .. }) => {
                problems.file = Some(ctx.ta("org-key-import-error-not-key", &named));
                problems.kept = None;
                refused_with(session, problems)
            }
            Err(ClientError::OrgKeyMismatch { expected, found }) => {
                let args = [("name", name.as_str()), ("found", &found), ("expected", &expected)];
                problems.file = Some(ctx.ta("org-key-import-error-other-org", &args));
                problems.kept = None;
                refused_with(session, problems)
            }
            // The page is an administrator's: these come only when the
            // list of members changed meanwhile.
            Err(ClientError::OrgKey(OrgKeyError::ImportNotAdmin { name })) => {
                problems.other = Some(ctx.ta("org-key-import-error-not-admin", &[("person", &name)]));
                refused_with(session, problems)
            }
            Err(ClientError::OrgKey(OrgKeyError::ImportNotInRoster)) => {
                problems.other = Some(ctx.t("org-key-import-error-not-in-roster"));
                refused_with(session, problems)
            }
            Err(e) => {
                problems.other = Some(error_words(ctx.lang, &e));
                refused_with(session, problems)
            }
        }
    })
    .await
}

/// The import's form checked before anything is read with the passphrase:
/// the file (chosen now, or kept from the last try) and whether it looks
/// like an exported key, the passphrase given, the box ticked. Answers the
/// file (its name and bytes) and the mistakes, the file kept for the next
/// try when it looks like a key (the import drops it again when it turns
/// out not to be this organisation's).
fn checked(ctx: &Ctx, upload: &Upload) -> (Option<(String, Vec<u8>)>, ImportProblems) {
    let mut problems = ImportProblems::default();
    let file = match &upload.file {
        Some(chosen) if chosen.too_large => {
            let size = MAX_KEY_FILE_KB.to_string();
            let args = [("name", shown_name(&chosen.name)), ("size", size.as_str())];
            problems.file = Some(ctx.ta("org-key-import-error-too-large", &args));
            None
        }
        Some(chosen) => Some((shown_name(&chosen.name).to_owned(), chosen.bytes.clone())),
        // The file kept from the last try (sent back in the form).
        None => BASE64
            .decode(upload.get("kept").as_bytes())
            .ok()
            .filter(|bytes| !bytes.is_empty() && bytes.len() <= MAX_KEY_FILE_KB << 10)
            .map(|bytes| (shown_name(upload.get("kept_name")).to_owned(), bytes)),
    };
    let file = match file {
        Some((name, bytes)) if !admin::is_key_file(&bytes) => {
            problems.file = Some(ctx.ta("org-key-import-error-not-key", &[("name", &name)]));
            None
        }
        None if problems.file.is_none() => {
            problems.file = Some(ctx.t("org-key-import-error-no-file"));
            None
        }
        file => file,
    };
    if upload.get("passphrase").is_empty() {
        problems.passphrase = Some(ctx.t("org-key-import-error-no-passphrase"));
    }
    problems.ticked = upload.get("understood") == "yes";
    if !problems.ticked {
        problems.understood = Some(ctx.t("org-key-error-understood"));
    }
    if let Some((name, bytes)) = &file {
        problems.kept = Some((name.clone(), BASE64.encode(bytes)));
    }
    (file, problems)
}

/// A file's name as a page shows it: its last part (a browser may send a
/// whole path), at most 100 characters.
fn shown_name(sent: &str) -> &str {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    match last.char_indices().nth(100) {
        Some((at, _)) => &last[..at],
        None => last,
    }
}
