//! `visitnotes-server purge`

use std::process::ExitCode;

use super::Common;

#[derive(clap::Args)]
pub struct Cmd {
    #[command(flatten)]
    common: Common,
    /// Override the retention period (days) for this run.
    #[arg(long, value_name = "DAYS")]
    retention_days: Option<u32>,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let settings = self.common.settings()?;
        let storage = visitnotes_server::open_store(&self.common.data, &settings)?;
        let days = self.retention_days.unwrap_or(settings.retention_days);
        let purged = visitnotes_server::block_on(storage.purge(days))?;
        println!("purged the ciphertext of {purged} superseded revisions older than {days} days");
        Ok(ExitCode::SUCCESS)
    }
}
