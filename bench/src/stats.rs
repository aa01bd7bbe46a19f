//! Repetitions, medians, and the figures the benchmark prints.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
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
