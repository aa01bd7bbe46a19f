//! `visitnotes ui`, and `visitnotes` with no command or with a
//! `visitnotes:` link (what the application menu runs): the web app on
//! this computer (see `crate::web`), one per profile. A launch while the
//! profile's web app runs asks it for a fresh address instead
//! (`web::instance`), opens the browser on it and ends.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use crate::web;
use crate::web::instance::{self, Claim};

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
    /// The invite of a `visitnotes:` link (the launcher's, not an option).
    #[arg(skip)]
    invite: Option<String>,
}

impl Cmd {
    /// What `visitnotes` alone, or with a `visitnotes:` link, runs: `ui`
    /// with its defaults, handing on the link's invite.
    pub fn launch(invite: Option<String>) -> Cmd {
        Cmd { listen: SocketAddr::from(([127, 0, 0, 1], 0)), no_browser: false, idle_lock: 15, invite }
    }

    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        // Without a profile, the page enrols this device; the folder is made
        // now (owner-only) for the instance's lock and socket.
        visitnotes_core::profile::create_dir(&ctx.home)?;
        if !web::is_loopback(&self.listen) {
            return Err(web::WebError::NotLoopback(self.listen).into());
        }
        let open_browser = !self.no_browser && std::env::var_os(web::NO_BROWSER_ENV).is_none();
        let mut out = std::io::stdout();
        let mut owner = match instance::claim(&ctx.home, self.invite.as_deref())? {
            Claim::First(owner) => owner,
            Claim::Running(url) => {
                writeln!(
                    out,
                    "Visitnotes is already open for this profile. If no browser opened, open this new address (it works once):"
                )?;
                writeln!(out, "{url}")?;
                out.flush()?;
                if open_browser {
                    web::open_browser(&url);
                }
                return Ok(ExitCode::SUCCESS);
            }
        };
        let idle = std::env::var(web::IDLE_ENV)
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(Duration::from_secs(self.idle_lock * 60));
        let options = web::Options { listen: self.listen, open_browser, idle, invite: self.invite };
        web::run(ctx.home.clone(), options, &mut owner, &mut out)?;
        out.flush()?;
        Ok(ExitCode::SUCCESS)
    }
}
