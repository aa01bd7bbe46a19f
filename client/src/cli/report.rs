//! `visitnotes report`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::choices::choice;
use visitnotes_core::report::{i18n::Lang, Format, Options, Period};

#[derive(clap::Args)]
pub struct Cmd {
    /// First visit date included (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY).
    #[arg(long, value_parser = visitnotes_core::dates::parse)]
    from: NaiveDate,
    /// Last visit date included (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY).
    #[arg(long, value_parser = visitnotes_core::dates::parse)]
    to: NaiveDate,
    /// Periods for the figures over time.
    #[arg(long, value_parser = choice(&Period::ALL), default_value = "month")]
    by: Period,
    /// Output format. Without it, the extension of --out chooses (.md,
    /// .markdown, .html, .htm, .csv, .json), and standard output gets
    /// markdown. A --format that contradicts the --out extension is refused.
    #[arg(long, value_parser = choice(&Format::ALL))]
    format: Option<Format>,
    /// Write to this file (mode 0600) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Labels: en or nb (default: from the locale).
    #[arg(long, value_parser = choice(&Lang::ALL))]
    lang: Option<Lang>,
    /// Include free text (visit summaries, concern descriptions, tracing notes) in every format: do not share such a report.
    #[arg(long)]
    include_text: bool,
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        if self.to < self.from {
            anyhow::bail!("--to {} is before --from {}", self.to, self.from);
        }
        // Chosen before unlocking, so a wrong file name costs no passphrase prompt.
        let flag = if ctx.json { Some(Format::Json) } else { self.format };
        let format = Format::choose(flag, self.out.as_deref())?;
        let session = ctx.unlock()?;
        let options = Options { from: self.from, to: self.to, by: self.by, include_text: self.include_text };
        let report = visitnotes_core::ops::report::build(&session, &options)?;
        let text = visitnotes_core::report::render(&report, format, self.lang.unwrap_or_else(Lang::from_locale));
        match &self.out {
            Some(path) => {
                visitnotes_core::vault::write_private(path, text.as_bytes())?;
                eprintln!("report written to {} ({} visits)", path.display(), report.totals.visits);
            }
            None => std::io::stdout().lock().write_all(text.as_bytes())?,
        }
        for e in &report.excluded {
            eprintln!("WARNING: note {} is EXCLUDED from the report: {}", e.note_id, e.reason);
        }
        if !ctx.json && !report.integrity.is_empty() {
            let mut err = std::io::stderr().lock();
            for line in &report.integrity {
                let _ = writeln!(err, "WARNING: {line}");
            }
            let _ = writeln!(
                err,
                "(the report carries these in its integrity section; `visitnotes alerts` lists them with what to do.)"
            );
        }
        Ok(if report.excluded.is_empty() && report.integrity.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(super::EXIT_WARNINGS)
        })
    }
}
