//! `visitnotes-server audit verify`

use std::process::ExitCode;

use anyhow::Context;

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
        let settings = common.settings()?;
        let storage = visitnotes_server::open_store(&common.data, &settings)?;
        let report = visitnotes_server::block_on(storage.audit_report()).context("cannot read the audit log")?;
        for line in report.lines() {
            println!("{line}");
        }
        Ok(if report.broken() { ExitCode::from(2) } else { ExitCode::SUCCESS })
    }
}
