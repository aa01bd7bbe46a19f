//! Questions on the terminal: a confirmation before something is signed,
//! and the passphrase of an exported organisation key.

use std::io::{BufRead, Write};

use age::secrecy::SecretString;
use visitnotes_core::ops::admin::Outcome;
use visitnotes_shared::roster::Roster;

use super::format;

/// The passphrase of an exported organisation key file.
const EXPORT_ENV: &str = "VISITNOTES_EXPORT_PASSPHRASE";

/// The passphrase of an exported organisation key: from the environment,
/// else asked (twice when `confirm`: it protects a new file).
pub fn export_passphrase(confirm: bool) -> anyhow::Result<SecretString> {
    if let Ok(p) = std::env::var(EXPORT_ENV) {
        return Ok(p.into());
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        anyhow::bail!("set {EXPORT_ENV} or run in a terminal to give the export passphrase");
    }
    let first = rpassword::prompt_password("Passphrase for the exported key: ")?;
    if confirm && rpassword::prompt_password("Repeat it: ")? != first {
        return Err(visitnotes_core::ClientError::PassphraseMismatch.into());
    }
    Ok(first.into())
}

/// Prints what will be signed (on stderr under --json), then asks
/// `question` on the terminal; `yes` answers it. Without a terminal (a
/// script) it refuses, naming --yes, rather than guess.
pub fn confirm(ctx: &crate::cli::Context, yes: bool, plan: &str, question: &str) -> anyhow::Result<bool> {
    if ctx.json {
        writeln!(std::io::stderr(), "{plan}")?;
    } else {
        writeln!(std::io::stdout(), "{plan}")?;
    }
    if yes {
        return Ok(true);
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        anyhow::bail!(
            "this needs a confirmation and there is no terminal to ask it on; nothing was changed. Run it in a \
             terminal, or add --yes"
        );
    }
    ask(&format!("{question} [y/N] "))
}

/// Asks a yes-or-no question on the terminal: yes only when answered so.
pub fn ask(question: &str) -> anyhow::Result<bool> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        anyhow::bail!("approving needs a terminal to confirm, or --all, or the device ids");
    }
    let mut out = std::io::stdout().lock();
    write!(out, "{question}")?;
    out.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// Shows `plan` in words and asks `question`; on yes, `sign` signs what
/// was shown. When the plan changed in between (the roster or the server
/// moved on), nothing was signed: the new plan is shown and asked about
/// again, at most `format::ASK_AT_MOST` times. `None` when the answer
/// was no.
pub fn until_signed<P>(
    ctx: &crate::cli::Context,
    yes: bool,
    mut plan: P,
    words: impl Fn(&P) -> String,
    question: &str,
    sign: impl Fn(&P) -> Result<Outcome<P>, visitnotes_core::ClientError>,
) -> anyhow::Result<Option<(P, Roster)>> {
    let mut text = words(&plan);
    for _ in 0..format::ASK_AT_MOST {
        if !confirm(ctx, yes, &text, question)? {
            return Ok(None);
        }
        match sign(&plan)? {
            Outcome::Signed { plan, roster } => return Ok(Some((plan, roster))),
            Outcome::Refused(refusal) => return Err(visitnotes_core::ClientError::from(refusal).into()),
            Outcome::Stale(now) => {
                text = format!("{}\n{}", format::PLAN_CHANGED, words(&now));
                plan = now;
            }
        }
    }
    anyhow::bail!(format::KEEPS_CHANGING)
}
