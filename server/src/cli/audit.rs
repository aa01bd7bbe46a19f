//! `visitnotes-server audit verify`

use std::process::ExitCode;

use anyhow::Context;
use visitnotes_server::db::audit;

use super::Common;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Recompute the hash chain and compare it with the newest checkpoint an
    /// administrator signed; name what is broken. Exits 2 if anything is.
    Verify {
        #[command(flatten)]
        common: Common,
    },
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let Cmd::Verify { common } = self;
        let db = visitnotes_server::open_existing(&common.data)?;
        let report = db.read(audit::check).context("cannot read the audit log")?;
        for line in report.lines() {
            println!("{line}");
        }
        Ok(if report.broken() { ExitCode::from(2) } else { ExitCode::SUCCESS })
    }
}
