//! A report over a coordinator's local store of N notes.

use std::time::Instant;

use visitnotes_core::report::{self, i18n::Lang, Format, Options, Period};

use crate::fixtures::{note_of_size, Org};
use crate::stats::{repeat, Figures};

pub fn run(figures: &mut Figures, server_bin: &std::path::Path, n: usize, reps: usize) {
    let org = Org::start(server_bin, 1).expect("org");
    let leader = &org.leaders[0];
    let mut note = note_of_size(800);
    note.themes = vec![visitnotes_shared::note::Theme::Food, visitnotes_shared::note::Theme::LockIn];
    for i in 0..n {
        note.visit_date =
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid") + chrono::Days::new((i % 600) as u64);
        visitnotes_core::ops::write::create(leader, &note).expect("writes");
    }
    let options = Options {
        from: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid"),
        to: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("valid"),
        by: Period::Month,
        include_text: false,
    };
    let secs = repeat(reps, || {
        let start = Instant::now();
        let built = visitnotes_core::ops::report::build(leader, &options).expect("report");
        assert_eq!(built.totals.visits as usize, n);
        std::hint::black_box(report::render(&built, Format::Html, Lang::En));
        start.elapsed().as_secs_f64()
    });
    figures.add(format!("report (HTML) over {n} notes from the local store"), "s", secs);
}
