//! `/admin/org-key`: the organisation key's backup and recovery, through
//! the same operations as `visitnotes admin export-org-key` (the file:
//! `ops::admin::seal_org_key`; the shares: the enrolment's share pages,
//! `ops::org_key::split`) and `visitnotes admin recover-org-key`
//! (`ops::org_key::recover_typed`). Administrators only; every change is a
//! POST with the CSRF token.
//!
//! The exported file goes to the browser as a download (no-store) and is
//! never written here; the passphrases typed are not shown again.

use actix_web::web::{Bytes, Data};
use actix_web::HttpRequest;

use super::admin::{as_admin, as_admin_mut, field, post_as_admin};
use super::{error_words, flash, html, html_status, redirect, Reply};
use crate::web::templates::org_key::{self as tpl, KeyState, Problems};
use crate::web::templates::Ctx;
use crate::web::{security, AppState};
use visitnotes_core::i18n::Msg;
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
