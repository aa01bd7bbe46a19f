//! `visitnotes ui`: the web app on this computer (see `crate::web`).

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use crate::web;

#[derive(clap::Args)]
pub struct Cmd {
    /// Address to listen on: a loopback address only (default: 127.0.0.1 and a free port).
    #[arg(long, value_name = "127.0.0.1:PORT", default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Do not open a browser; the address to open is the last line printed.
    #[arg(long)]
    no_browser: bool,
    /// Lock (drop the keys from memory) after this many minutes without use.
    #[arg(long, value_name = "MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=1440))]
    idle_lock: u64,
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        // Without a profile, the page enrols this device.
        let idle = std::env::var(web::IDLE_ENV)
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(Duration::from_secs(self.idle_lock * 60));
        let options = web::Options { listen: self.listen, open_browser: !self.no_browser, idle };
        let mut out = std::io::stdout();
        web::run(ctx.home.clone(), options, &mut out)?;
        out.flush()?;
        Ok(ExitCode::SUCCESS)
    }
}
