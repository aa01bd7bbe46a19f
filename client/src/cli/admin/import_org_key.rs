//! `visitnotes admin import-org-key`: an exported organisation key read
//! onto this administrator's device.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::ops::admin;
use visitnotes_core::profile::Session;

use super::prompt;
use crate::cli::Context;

#[derive(clap::Args)]
pub struct Cmd {
    file: PathBuf,
}

impl Cmd {
    pub fn run(self, ctx: &Context, session: &mut Session) -> anyhow::Result<ExitCode> {
        let passphrase = prompt::export_passphrase(false)?;
        admin::import_org_key(session, &self.file, &passphrase)?;
        if ctx.json {
            ctx.print_json(&json!({ "imported": true }))?;
        } else {
            writeln!(std::io::stdout(), "organisation key imported")?;
        }
        Ok(ExitCode::SUCCESS)
    }
}
