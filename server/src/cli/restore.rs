//! `visitnotes-server restore`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use visitnotes_server::db::backup;

#[derive(clap::Args)]
pub struct Cmd {
    /// The backup file (its manifest, FILE.manifest.json, beside it).
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
    /// The data directory to restore into: it must be empty or not exist.
    #[arg(long, value_name = "DIR", env = "VISITNOTES_SERVER_DATA")]
    data: PathBuf,
    /// Restore a database without a manifest (a copy made another way):
    /// it is still checked (integrity, audit chain, schema), not its hash.
    #[arg(long)]
    no_manifest: bool,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        super::sqlite_only("restore", &self.data)?;
        let restored = backup::restore(&self.from, &self.data, !self.no_manifest)
            .with_context(|| format!("nothing was restored into {}", super::display(&self.data)))?;
        let data = super::display(&self.data);
        println!("restored {} into {data}", super::display(&self.from));
        match &restored.manifest {
            Some(m) => println!(
                "  the backup was taken {}; its size and SHA-256 match its manifest",
                super::local_time(m.created_at)
            ),
            None => println!("  without a manifest: its hash was not checked"),
        }
        println!(
            "  integrity check ok; audit log intact ({} entries); {} revisions, highest sequence number {}; schema version {}",
            restored.audit_entries, restored.revisions, restored.highest_seq, restored.schema_version
        );
        println!("Next:");
        println!(
            "  1. Put server.toml (and the TLS files it names) back in place if they lived in the old data directory."
        );
        println!(
            "  2. Start the server: `visitnotes-server serve --data {data}` (or `systemctl start visitnotes-server`)."
        );
        println!(
            "  3. Ask everyone to run `visitnotes sync`, administrators first: devices notice the restore, \
             upload again the notes the server lost since the backup, and an administrator's device publishes the newest roster again."
        );
        Ok(ExitCode::SUCCESS)
    }
}
