//! Repetitions, medians, and the figures the benchmark prints; for a run
//! against a baseline (`--baseline`), the order of the runs and each
//! figure's ratio current/baseline with its spread.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figure {
    pub name: String,
    pub unit: String,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// The raw-SQLite figure this one is compared with, and the ratio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
}

/// Runs `f` `reps` times; each run returns one value. Before each, the
/// disk writes of the runs before are flushed (`sync`), so that the
/// kernel's writeback of one measurement does not slow the next.
pub fn repeat(reps: usize, mut f: impl FnMut() -> f64) -> (f64, f64, f64) {
    let mut values: Vec<f64> = (0..reps)
        .map(|_| {
            // Best effort: without `sync` the figures are only noisier.
            let _ = std::process::Command::new("sync").status();
            f()
        })
        .collect();
    values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    (values[values.len() / 2], values[0], values[values.len() - 1])
}

pub struct Figures(pub Vec<Figure>);

impl Figures {
    pub fn add(&mut self, name: impl Into<String>, unit: &str, (median, min, max): (f64, f64, f64)) {
        let figure = Figure { name: name.into(), unit: unit.into(), median, min, max, baseline: None, ratio: None };
        println!("{:<62} {:>12.1} {:<10} (min {:.1}, max {:.1})", figure.name, median, unit, min, max);
        self.0.push(figure);
    }

    /// Adds a figure compared with an earlier one (`baseline`, by name).
    pub fn add_vs(&mut self, name: impl Into<String>, unit: &str, values: (f64, f64, f64), baseline: &str) {
        self.add(name, unit, values);
        let base = self.0.iter().find(|f| f.name == baseline).map(|f| f.median);
        if let (Some(base), Some(last)) = (base, self.0.last_mut()) {
            last.ratio = Some(last.median / base);
            last.baseline = Some(baseline.to_owned());
            println!("{:<62} {:>12.2} x {baseline}", "", last.median / base);
        }
    }
}

/// Which server a run measures in a side-by-side run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Baseline,
    Current,
}

/// The runs of a side-by-side run, `(round, side)`: baseline, current,
/// baseline, current, ... Strictly alternating, so that whatever else the
/// machine is doing falls on both sides alike, and each round's pair ran
/// back to back.
pub fn interleaved(rounds: usize) -> Vec<(usize, Side)> {
    (0..rounds).flat_map(|round| [(round, Side::Baseline), (round, Side::Current)]).collect()
}

/// The median and range of some values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    /// `None` for no values. The median of an even count is the mean of
    /// the middle two.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut sorted = values.to_vec();
        sorted.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        let (first, last) = (*sorted.first()?, *sorted.last()?);
        let mid = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 };
        Some(Spread { median, min: first, max: last })
    }
}

/// One figure measured on both sides over several rounds.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub name: String,
    pub unit: String,
    /// Rounds in which both sides gave the figure.
    pub rounds: usize,
    pub baseline: Spread,
    pub current: Spread,
    /// current/baseline of each round's pair (runs made back to back), over
    /// the rounds: for rates above 1 is faster, for times (ms, s) slower.
    pub ratio: Spread,
}

impl Comparison {
    /// From `(baseline, current)` per round; `None` if no round has both.
    pub fn of(name: &str, unit: &str, pairs: &[(f64, f64)]) -> Option<Comparison> {
        let ratios: Vec<f64> = pairs.iter().map(|(base, current)| current / base).collect();
        Some(Comparison {
            name: name.to_owned(),
            unit: unit.to_owned(),
            rounds: pairs.len(),
            baseline: Spread::of(&pairs.iter().map(|p| p.0).collect::<Vec<_>>())?,
            current: Spread::of(&pairs.iter().map(|p| p.1).collect::<Vec<_>>())?,
            ratio: Spread::of(&ratios)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_alternate_baseline_and_current_round_by_round() {
        use Side::{Baseline, Current};
        assert_eq!(
            interleaved(3),
            vec![(0, Baseline), (0, Current), (1, Baseline), (1, Current), (2, Baseline), (2, Current)]
        );
        assert!(interleaved(0).is_empty());
    }

    #[test]
    fn spread_is_median_and_range_whatever_the_order() {
        assert_eq!(Spread::of(&[3.0, 1.0, 2.0]), Some(Spread { median: 2.0, min: 1.0, max: 3.0 }));
        assert_eq!(Spread::of(&[4.0, 1.0, 2.0, 10.0]), Some(Spread { median: 3.0, min: 1.0, max: 10.0 }));
        assert_eq!(Spread::of(&[5.0]), Some(Spread { median: 5.0, min: 5.0, max: 5.0 }));
        assert_eq!(Spread::of(&[]), None);
    }

    #[test]
    fn ratio_is_current_over_baseline_paired_by_round() {
        // The second round ran on a loaded machine: both sides slowed, its
        // ratio did not move.
        let pairs = [(100.0, 80.0), (50.0, 45.0), (100.0, 90.0)];
        let c = Comparison::of("upload", "notes/s", &pairs).expect("rounds");
        assert_eq!(c.rounds, 3);
        assert_eq!(c.baseline, Spread { median: 100.0, min: 50.0, max: 100.0 });
        assert_eq!(c.current, Spread { median: 80.0, min: 45.0, max: 90.0 });
        // Per round 0.8, 0.9, 0.9: the median ratio is 0.9, where the ratio
        // of the two medians taken apart would say 0.8.
        assert!((c.ratio.median - 0.9).abs() < 1e-12);
        assert!((c.ratio.min - 0.8).abs() < 1e-12);
        assert!((c.ratio.max - 0.9).abs() < 1e-12);
        assert!(Comparison::of("upload", "notes/s", &[]).is_none());
    }
}
