//! `visitnotes`: the command line of the client library.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = visitnotes::cli::Cli::parse();
    match cli.run() {
        Ok(code) => code,
        // The reader went away (`visitnotes note list | head -1`): what it
        // wanted was printed, so this is no failure to report.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(visitnotes::cli::EXIT_ERROR)
        }
    }
}

/// A write to standard output failed because its reader closed the pipe.
/// Only the error itself is looked at, not its causes: printing returns
/// the `io::Error` as it is, while a broken connection to the server (also
/// a BrokenPipe, deep in the chain) is a failure to report.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
