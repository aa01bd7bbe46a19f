//! `visitnotes-server check`

use std::process::ExitCode;

use visitnotes_server::check;

use super::Common;

#[derive(clap::Args)]
pub struct Cmd {
    #[command(flatten)]
    common: Common,
    /// The least free disk space (MB) on the data directory's file system that passes.
    #[arg(long, value_name = "MB", default_value_t = 1024)]
    min_free_mb: u64,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let findings =
            check::run(&self.common.data, self.common.config.as_deref(), self.min_free_mb.saturating_mul(1_000_000));
        for f in &findings {
            println!("{} {:<15} {}", if f.ok { "ok  " } else { "FAIL" }, f.what, f.detail);
        }
        let failed: Vec<&check::Finding> = findings.iter().filter(|f| !f.ok).collect();
        if failed.is_empty() {
            println!("all checks passed");
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("error: {} of {} checks failed:", failed.len(), findings.len());
        for f in failed {
            eprintln!("  {}: {}", f.what, f.detail);
        }
        Ok(ExitCode::from(1))
    }
}
