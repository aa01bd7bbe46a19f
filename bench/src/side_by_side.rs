//! `--baseline`: the same parts measured against a baseline server and the
//! current one in one run, alternating whole runs (baseline, current,
//! baseline, current, ...) so that load from elsewhere on the machine falls
//! on both sides alike; then each figure with the ratio current/baseline of
//! each round's pair, as a median and range over the rounds.
//!
//! Each run is a benchmark process of its own (`--server`, `--out`), as a
//! normal focused run is. A
//! baseline from before a protocol or schema change cannot be driven by
//! this client: the benchmark built at the baseline's commit drives it then
//! (`--baseline-bench`), and the figures include each side's own client, as
//! every figure of a normal run does.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::stats::{interleaved, Comparison, Figure, Side};

/// A benchmark binary and the server it measures.
#[derive(Debug, Clone, Serialize)]
pub struct Setup {
    pub bench: PathBuf,
    pub server: PathBuf,
}

pub struct Plan {
    pub baseline: Setup,
    pub current: Setup,
    pub rounds: usize,
    /// What every run measures: `--quick`, `--only`, `--n`, as given.
    pub parts: Vec<OsString>,
}

#[derive(Deserialize)]
struct RunFile {
    figures: Vec<Figure>,
}

#[derive(Serialize)]
struct Run {
    round: usize,
    side: Side,
    figures: Vec<Figure>,
}

/// Runs `plan`, prints the comparison and writes it (with every run's
/// figures) to `out` as JSON.
pub fn run(plan: &Plan, out: &Path) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir()?;
    let mut runs = Vec::new();
    let order = interleaved(plan.rounds);
    for (i, &(round, side)) in order.iter().enumerate() {
        let setup = match side {
            Side::Baseline => &plan.baseline,
            Side::Current => &plan.current,
        };
        println!("== run {} of {} (round {}, {side:?}: {}) ==", i + 1, order.len(), round + 1, setup.server.display());
        let file = scratch.path().join(format!("{round}-{side:?}.json"));
        let status = Command::new(&setup.bench)
            .args(&plan.parts)
            .arg("--server")
            .arg(&setup.server)
            .arg("--out")
            .arg(&file)
            .status()
            .with_context(|| format!("cannot start {}", setup.bench.display()))?;
        anyhow::ensure!(status.success(), "{} failed ({status})", setup.bench.display());
        let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
        let parsed: RunFile =
            serde_json::from_str(&text).with_context(|| format!("{} is not a figures file", file.display()))?;
        runs.push(Run { round, side, figures: parsed.figures });
    }
    let comparisons = compare(&runs, plan.rounds);
    print(&comparisons, plan.rounds);
    let json = serde_json::json!({
        "baseline": plan.baseline,
        "current": plan.current,
        "rounds": plan.rounds,
        "order": "baseline, current, baseline, current, ...",
        "comparisons": comparisons,
        "runs": runs,
    });
    std::fs::write(out, serde_json::to_string_pretty(&json)?)
        .with_context(|| format!("cannot write {}", out.display()))?;
    println!("figures written to {}", out.display());
    Ok(())
}

/// Every figure the current side gave, in its order, paired by round with
/// the baseline's figure of the same name (`figure_key`).
fn compare(runs: &[Run], rounds: usize) -> Vec<Comparison> {
    let find = |round, side, key: &str| {
        runs.iter()
            .find(|r| r.round == round && r.side == side)
            .and_then(|r| r.figures.iter().find(|f| figure_key(&f.name) == key))
            .map(|f| f.median)
    };
    let mut keys: Vec<(String, &str)> = Vec::new();
    for figure in runs.iter().filter(|r| r.side == Side::Current).flat_map(|r| &r.figures) {
        let key = figure_key(&figure.name);
        if !keys.iter().any(|(k, _)| *k == key) {
            keys.push((key, &figure.unit));
        }
    }
    keys.into_iter()
        .filter_map(|(key, unit)| {
            let pairs: Vec<(f64, f64)> = (0..rounds)
                .filter_map(|round| Some((find(round, Side::Baseline, &key)?, find(round, Side::Current, &key)?)))
                .collect();
            Comparison::of(&key, unit, &pairs)
        })
        .collect()
}

/// A figure's name without the sizes measured on the way, such as the
/// ciphertext size in "upload, one client, 2 KB (2376 B), ...": it varies
/// from run to run (a random number of grease stanzas) and between
/// versions, and the figure is the same.
fn figure_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find(" (") {
        let inner = &rest[open + 2..];
        let measured = inner.find(" B)").filter(|&end| end > 0 && inner[..end].bytes().all(|b| b.is_ascii_digit()));
        match measured {
            Some(end) => {
                key.push_str(&rest[..open]);
                rest = &inner[end + 3..];
            }
            None => {
                key.push_str(&rest[..open + 2]);
                rest = inner;
            }
        }
    }
    key.push_str(rest);
    key
}

fn print(comparisons: &[Comparison], rounds: usize) {
    println!();
    println!("side by side, {rounds} rounds; each side's figure is its median over the rounds (each run's own figure a median of its repetitions); ratio = current/baseline per round, median [min-max]");
    println!("{:<62} {:>12} {:>12} {:<8} {:>6} {:>15}", "benchmark", "baseline", "current", "unit", "ratio", "range");
    for c in comparisons {
        println!(
            "{:<62} {:>12.1} {:>12.1} {:<8} {:>6.2} {:>15}",
            c.name,
            c.baseline.median,
            c.current.median,
            c.unit,
            c.ratio.median,
            format!("[{:.2}-{:.2}]", c.ratio.min, c.ratio.max)
        );
    }
    println!("raw SQLite rows run the same code on both sides: their ratio shows what the machine did between runs.");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(name: &str, median: f64) -> Figure {
        Figure {
            name: name.into(),
            unit: "notes/s".into(),
            median,
            min: median,
            max: median,
            baseline: None,
            ratio: None,
        }
    }

    #[test]
    fn figures_pair_by_name_and_round_and_a_figure_one_side_lacks_is_left_out() {
        let runs = vec![
            Run { round: 0, side: Side::Baseline, figures: vec![figure("upload", 100.0), figure("old only", 1.0)] },
            Run { round: 0, side: Side::Current, figures: vec![figure("upload", 80.0), figure("new only", 1.0)] },
            Run { round: 1, side: Side::Baseline, figures: vec![figure("upload", 50.0)] },
            Run { round: 1, side: Side::Current, figures: vec![figure("upload", 45.0)] },
        ];
        let comparisons = compare(&runs, 2);
        assert_eq!(comparisons.len(), 1);
        assert_eq!(comparisons[0].name, "upload");
        assert_eq!(comparisons[0].rounds, 2);
        assert!((comparisons[0].ratio.min - 0.8).abs() < 1e-12);
        assert!((comparisons[0].ratio.max - 0.9).abs() < 1e-12);
    }

    #[test]
    fn figures_whose_names_differ_only_in_a_measured_size_are_the_same_figure() {
        let upload = |bytes: u32, median| figure(&format!("upload, one client, 2 KB ({bytes} B), batch 100"), median);
        let runs = vec![
            Run { round: 0, side: Side::Baseline, figures: vec![upload(2376, 100.0)] },
            Run { round: 0, side: Side::Current, figures: vec![upload(2488, 90.0)] },
        ];
        let comparisons = compare(&runs, 1);
        assert_eq!(comparisons.len(), 1);
        assert_eq!(comparisons[0].name, "upload, one client, 2 KB, batch 100");
        assert!((comparisons[0].ratio.median - 0.9).abs() < 1e-12);
        // Other parentheses stay.
        assert_eq!(figure_key("seal (1 reader) (12 B)"), "seal (1 reader)");
        assert_eq!(figure_key("disk (database + WAL) per byte"), "disk (database + WAL) per byte");
    }
}
