//! `visitnotes report`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::choices::choice;
use visitnotes_core::ops;
use visitnotes_core::report::{i18n::Lang, Format, Period};

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
    /// .markdown, .html, .htm, .csv, .json, .xlsx), and standard output gets
    /// markdown. A --format that contradicts the --out extension is refused;
    /// xlsx (an Excel workbook, one sheet per table) needs --out.
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
        // Checked before unlocking, so a wrong period or file name costs no
        // passphrase prompt.
        let options = ops::report::options(self.from, self.to, self.by, self.include_text).map_err(|e| match e {
            ops::report::OptionsError::EndsBeforeStart { from, to } => {
                anyhow::anyhow!("--to {to} is before --from {from}")
            }
        })?;
        let flag = if ctx.json { Some(Format::Json) } else { self.format };
        let format = Format::choose(flag, self.out.as_deref())?;
        if format == Format::Xlsx && self.out.is_none() {
            anyhow::bail!("an Excel workbook is not text for the terminal: give --out FILE.xlsx");
        }
        let session = ctx.unlock()?;
        let report = ops::report::build(&session, &options)?;
        let text = visitnotes_core::report::render_bytes(&report, format, self.lang.unwrap_or_else(Lang::from_locale))?;
        match &self.out {
            Some(path) => {
                visitnotes_core::vault::write_private(path, &text)?;
                eprintln!("report written to {} ({} visits)", path.display(), report.totals.visits);
            }
            None => std::io::stdout().lock().write_all(&text)?,
        }
        // The warnings on standard error in English, whatever `--lang` the
        // report is in.
        for e in &report.excluded {
            eprintln!("WARNING: note {} is EXCLUDED from the report: {}", e.note_id, e.reason.msg().render(Lang::En));
        }
        if !ctx.json && !report.integrity.is_empty() {
            let mut err = std::io::stderr().lock();
            for alert in &report.integrity {
                let _ = writeln!(err, "WARNING: {}", alert.line(Lang::En));
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
