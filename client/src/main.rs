//! `visitnotes`: the command line of the client library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = visitnotes::cli::Cli::parse();
    match cli.run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(visitnotes::cli::EXIT_ERROR)
        }
    }
}
