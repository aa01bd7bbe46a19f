//! `visitnotes`: the command line of the client library.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use visitnotes_core::error::Chain;

fn main() -> ExitCode {
    let cli = match visitnotes::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && std::env::args_os().any(|a| a == "--json") => {
            // A usage error under --json is JSON too; the exit code stays 2.
            let message = e.to_string().trim().trim_start_matches("error: ").to_owned();
            eprintln!("{}", serde_json::json!({ "error": { "code": "usage", "message": message } }));
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let json = cli.json();
    match cli.run() {
        Ok(code) => code,
        // The reader went away (`visitnotes note list | head -1`): what it
        // wanted was printed, so this is no failure to report.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if json => {
            // One JSON object on standard error, the message with its causes.
            let message = Chain(err.as_ref()).to_string();
            let body =
                serde_json::json!({ "error": { "code": visitnotes::cli::error_code(&err), "message": message } });
            eprintln!("{body}");
            ExitCode::from(visitnotes::cli::EXIT_ERROR)
        }
        Err(err) => {
            // A cause per line, under the error.
            eprintln!("error: {:#}", Chain(err.as_ref()));
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
