//! `visitnotes-bench`: starts the real server binary on loopback with fresh
//! data dirs and prints a table (and writes a JSON file) of crypto cost,
//! upload and pull throughput, scaling, memory, disk, report time, and the
//! raw SQLite baseline measured in the same run. Each figure is the median
//! of 5 repetitions, with min and max.
//!
//! `--quick` (N = 1,000) keeps it from rotting; the full run takes minutes.

#![forbid(unsafe_code)]

mod crypto;
mod fixtures;
mod raw;
mod report;
mod stats;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

#[derive(Parser)]
#[command(name = "visitnotes-bench", about = "Benchmarks Visitnotes against raw SQLite on this machine")]
struct Args {
    /// N = 1,000 everywhere: a smoke run.
    #[arg(long)]
    quick: bool,
    /// Where to write the figures as JSON.
    #[arg(long, default_value = "bench-results.json")]
    out: PathBuf,
    /// The server binary (default: visitnotes-server beside this one).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Run only these parts (repeatable; default: all), for a focused run
    /// or a profile.
    #[arg(long, value_enum)]
    only: Vec<Part>,
    /// Store sizes N to measure at (repeatable; default 10,000 and
    /// 100,000, or 1,000 with --quick).
    #[arg(long = "n")]
    sizes_n: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum Part {
    Crypto,
    Upload,
    Pull,
    Concurrency,
    EndToEnd,
    Report,
}

fn run(args: Args) -> anyhow::Result<()> {
    let server_bin = match args.server {
        Some(path) => path,
        None => std::env::current_exe()?.with_file_name("visitnotes-server"),
    };
    anyhow::ensure!(
        server_bin.is_file(),
        "{} not found: build it first (cargo build --release -p visitnotes-server)",
        server_bin.display()
    );
    // Medians of 5, not 3: on a shared machine they move less between runs.
    let reps = 5;
    let (sizes_n, iterations, concurrent_total, e2e_n, report_n) = if args.quick {
        (vec![1_000], 50, 1_000, 200, 1_000)
    } else {
        (vec![10_000, 100_000], 300, 10_000, 1_000, 10_000)
    };
    let mut figures = stats::Figures(Vec::new());
    println!("{:<62} {:>12} {:<10}", "benchmark", "median", "unit");
    let runs = |part| args.only.is_empty() || args.only.contains(&part);
    let sizes_n = if args.sizes_n.is_empty() { sizes_n } else { args.sizes_n.clone() };
    let cfg = sync::Config { server_bin: &server_bin, reps, sizes_n };
    if runs(Part::Crypto) {
        crypto::run(&mut figures, iterations, reps);
    }
    if runs(Part::Upload) {
        sync::uploads(&mut figures, &cfg);
    }
    if runs(Part::Pull) {
        sync::pulls_and_disk(&mut figures, &cfg);
    }
    if runs(Part::Concurrency) {
        sync::concurrency(&mut figures, &cfg, concurrent_total);
    }
    if runs(Part::EndToEnd) {
        sync::end_to_end(&mut figures, &cfg, e2e_n);
    }
    if runs(Part::Report) {
        report::run(&mut figures, &server_bin, report_n, reps);
    }
    let json = serde_json::json!({
        "quick": args.quick,
        "machine": { "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0) },
        "figures": figures.0,
    });
    std::fs::write(&args.out, serde_json::to_string_pretty(&json)?)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!("figures written to {}", args.out.display());
    Ok(())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    /// Keeps the benchmark code running (not timing anything): the raw
    /// baseline and the crypto figures on tiny inputs.
    #[test]
    fn smoke() {
        let blobs: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("n{i}"), vec![7u8; 2500])).collect();
        assert!(super::raw::insert(&blobs, 10) > 0.0);
        assert!(super::raw::read_back(&blobs, 5) > 0.0);
        let mut figures = super::stats::Figures(Vec::new());
        super::crypto::run(&mut figures, 2, 1);
        assert_eq!(figures.0.len(), 6);
        assert!(figures.0.iter().all(|f| f.median > 0.0));
    }
}
