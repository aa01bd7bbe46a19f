//! `visitnotes-bench`: starts the real server binary on loopback with fresh
//! data dirs and prints a table (and writes a JSON file) of crypto cost,
//! upload and pull throughput, scaling, memory, disk, report time, and the
//! raw SQLite baseline measured in the same run. Each figure is the median
//! of 5 repetitions, with min and max.
//!
//! `--quick` (N = 1,000) keeps it from rotting; the full run takes minutes.
//! `--baseline SERVER` measures the same parts against a baseline server
//! and this one, alternating runs, and prints each figure's ratio with its
//! spread (`side_by_side`).

#![forbid(unsafe_code)]

mod crypto;
mod fixtures;
mod raw;
mod report;
mod side_by_side;
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
    /// Repetitions of each figure (default 5), e.g. fewer under a profiler.
    #[arg(long)]
    reps: Option<usize>,
    /// Client counts for the concurrency part (repeatable; default 1, 2, 4
    /// and 8), e.g. one at a time under a profiler.
    #[arg(long)]
    clients: Vec<usize>,
    /// A baseline server binary (built from an earlier commit): measure the
    /// same parts against it and against --server, alternating runs, and
    /// print each figure's ratio current/baseline with its spread.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// The benchmark binary built at the baseline's commit, to drive a
    /// baseline that speaks an older protocol (default: this binary).
    #[arg(long, requires = "baseline")]
    baseline_bench: Option<PathBuf>,
    /// With --baseline: runs of each side.
    #[arg(long, default_value_t = 3, requires = "baseline")]
    rounds: usize,
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
    let server_bin = match &args.server {
        Some(path) => path.clone(),
        None => std::env::current_exe()?.with_file_name("visitnotes-server"),
    };
    anyhow::ensure!(
        server_bin.is_file(),
        "{} not found: build it first (cargo build --release -p visitnotes-server)",
        server_bin.display()
    );
    if let Some(baseline) = &args.baseline {
        return side_by_side(&args, baseline, server_bin);
    }
    // Medians of 5, not 3: on a shared machine they move less between runs.
    let reps = args.reps.unwrap_or(5);
    anyhow::ensure!(reps > 0, "--reps must be at least 1");
    let clients = if args.clients.is_empty() { vec![1, 2, 4, 8] } else { args.clients.clone() };
    anyhow::ensure!(clients.iter().all(|&c| c > 0), "--clients must be at least 1");
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
        sync::concurrency(&mut figures, &cfg, concurrent_total, &clients);
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

/// `--baseline`: every run is this benchmark (or `--baseline-bench`) as a
/// child process measuring the parts asked for.
fn side_by_side(args: &Args, baseline: &std::path::Path, server_bin: PathBuf) -> anyhow::Result<()> {
    let this = std::env::current_exe()?;
    let baseline_bench = args.baseline_bench.clone().unwrap_or_else(|| this.clone());
    for path in [baseline, &baseline_bench] {
        anyhow::ensure!(path.is_file(), "{} not found", path.display());
    }
    anyhow::ensure!(args.rounds > 0, "--rounds must be at least 1");
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    if args.quick {
        parts.push("--quick".into());
    }
    for part in &args.only {
        let value = clap::ValueEnum::to_possible_value(part).expect("every part has a name");
        parts.extend(["--only".into(), value.get_name().into()]);
    }
    for n in &args.sizes_n {
        parts.extend(["--n".into(), n.to_string().into()]);
    }
    // Only when given: a baseline bench built before these flags refuses them.
    if let Some(reps) = args.reps {
        parts.extend(["--reps".into(), reps.to_string().into()]);
    }
    for c in &args.clients {
        parts.extend(["--clients".into(), c.to_string().into()]);
    }
    let plan = side_by_side::Plan {
        baseline: side_by_side::Setup { bench: baseline_bench, server: baseline.to_owned() },
        current: side_by_side::Setup { bench: this, server: server_bin },
        rounds: args.rounds,
        parts,
    };
    side_by_side::run(&plan, &args.out)
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
