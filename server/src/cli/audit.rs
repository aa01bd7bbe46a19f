//! `visitnotes-server audit verify`

use std::process::ExitCode;

use anyhow::Context;
use visitnotes_server::db::audit::{self, ChainCheck};

use super::Common;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Recompute the hash chain; name the first broken entry. Exits 2 if broken.
    Verify {
        #[command(flatten)]
        common: Common,
    },
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let Cmd::Verify { common } = self;
        let db = visitnotes_server::open_existing(&common.data)?;
        match db.read(audit::verify).context("cannot read the audit log")? {
            ChainCheck::Intact { entries } => {
                println!("audit log intact: {entries} entries");
                Ok(ExitCode::SUCCESS)
            }
            ChainCheck::Broken { seq, reason } => {
                println!("audit log BROKEN at entry {seq}: {reason}");
                Ok(ExitCode::from(2))
            }
        }
    }
}
