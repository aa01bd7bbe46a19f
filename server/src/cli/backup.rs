//! `visitnotes-server backup`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use visitnotes_server::db::backup::{self, Manifest, MANIFEST_SUFFIX};

/// What the name of a backup written into `--out-dir` starts and ends with.
const NAME_PREFIX: &str = "visitnotes-";
const NAME_SUFFIX: &str = ".sqlite3";

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true))]
pub struct Cmd {
    /// The server's data directory (the running server's is fine).
    #[arg(long, value_name = "DIR", env = "VISITNOTES_SERVER_DATA")]
    data: PathBuf,
    /// Write the backup to FILE (and its manifest to FILE.manifest.json); never overwrites.
    #[arg(long, value_name = "FILE", group = "target")]
    out: Option<PathBuf>,
    /// Write the backup into DIR, named by the time (visitnotes-YYYYMMDDTHHMMSSZ.sqlite3).
    #[arg(long, value_name = "DIR", group = "target")]
    out_dir: Option<PathBuf>,
    /// With --out-dir: keep the newest N backups there, remove older ones (after this one is checked).
    #[arg(long, value_name = "N", requires = "out_dir", value_parser = clap::value_parser!(u32).range(1..))]
    keep: Option<u32>,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        super::sqlite_only("backup", &self.data)?;
        let out = match (&self.out, &self.out_dir) {
            (Some(file), _) => file.clone(),
            (None, Some(dir)) => {
                std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", super::display(dir)))?;
                let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
                dir.join(format!("{NAME_PREFIX}{stamp}{NAME_SUFFIX}"))
            }
            (None, None) => unreachable!("clap requires --out or --out-dir"),
        };
        let manifest = backup::backup(&self.data, &out)
            .with_context(|| format!("no backup was made of {}", super::display(&self.data)))?;
        report(&out, &manifest);
        if let (Some(dir), Some(keep)) = (&self.out_dir, self.keep) {
            for removed in rotate(dir, keep as usize)? {
                println!("removed the older backup {}", super::display(&removed));
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn report(out: &Path, m: &Manifest) {
    println!("backup written and checked: {}", super::display(out));
    println!("  taken           {}", super::local_time(m.created_at));
    println!("  size            {:.1} MB, SHA-256 {}", m.bytes as f64 / 1e6, m.sha256);
    println!("  notes           {} revisions, highest sequence number {}", m.revisions, m.highest_seq);
    let head = m.audit_head.as_deref().map_or("none".to_owned(), |h| h[..16.min(h.len())].to_owned());
    println!("  audit log       intact, {} entries, head {head}", m.audit_entries);
    println!("  integrity check ok; schema version {}", m.schema_version);
    println!("  manifest        {}{MANIFEST_SUFFIX}", super::display(out));
    println!("Copy both files off this machine; `visitnotes-server restore --from FILE --data DIR` restores them.");
}

/// Removes the oldest backups this command named in `dir` (with their
/// manifests) beyond the newest `keep`; other files are left alone.
fn rotate(dir: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut ours: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", super::display(dir)))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix(NAME_PREFIX)
                    .and_then(|n| n.strip_suffix(NAME_SUFFIX))
                    .is_some_and(|stamp| chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ").is_ok())
            })
        })
        .collect();
    // The stamp in the name sorts as the time.
    ours.sort();
    let excess = ours.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for old in ours.into_iter().take(excess) {
        std::fs::remove_file(&old).with_context(|| format!("cannot remove {}", super::display(&old)))?;
        let _ = std::fs::remove_file(backup::manifest_path(&old));
        removed.push(old);
    }
    Ok(removed)
}
