//! `visitnotes man --out DIR` (hidden): writes the manual pages, one per
//! command and subcommand (`visitnotes.1`, `visitnotes-note-new.1`, ...),
//! from the same clap definitions as `--help`, so the two cannot disagree.
//! The packages run it at build time (scripts/package-assets.sh); people
//! read the result with `man visitnotes`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

#[derive(clap::Args)]
pub struct Cmd {
    /// The directory to write the pages into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        std::fs::create_dir_all(&self.out).with_context(|| format!("cannot create {}", self.out.display()))?;
        // Hidden commands (this one) get no page; `help` gets none either.
        clap_mangen::generate_to(super::Cli::command(), &self.out)
            .with_context(|| format!("cannot write the manual pages into {}", self.out.display()))?;
        Ok(ExitCode::SUCCESS)
    }
}
