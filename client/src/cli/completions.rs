//! `visitnotes completions SHELL`

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

#[derive(clap::Args)]
pub struct Cmd {
    shell: clap_complete::Shell,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        // Generated into memory first: clap_complete panics when a write
        // fails, and a closed pipe must end the program quietly instead.
        let mut script = Vec::new();
        clap_complete::generate(self.shell, &mut super::Cli::command(), "visitnotes", &mut script);
        std::io::stdout().lock().write_all(&script)?;
        Ok(ExitCode::SUCCESS)
    }
}
