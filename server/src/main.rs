//! `visitnotes-server`: the command line over the server library.

#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match args.run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {:#}", visitnotes_server::error::Chain(&*err));
            ExitCode::from(1)
        }
    }
}
