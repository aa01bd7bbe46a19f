//! `visitnotes completions SHELL`

use std::process::ExitCode;

use clap::CommandFactory;

#[derive(clap::Args)]
pub struct Cmd {
    shell: clap_complete::Shell,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        clap_complete::generate(self.shell, &mut super::Cli::command(), "visitnotes", &mut std::io::stdout());
        Ok(ExitCode::SUCCESS)
    }
}
