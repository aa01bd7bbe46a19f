//! `visitnotes-server init`

use std::process::ExitCode;

use anyhow::Context;
use visitnotes_server::settings::check_public_url;

use super::Common;

const URL_EXAMPLE: &str = "https://visits.example.org or http://10.0.0.5:8080";

#[derive(clap::Args)]
pub struct Cmd {
    #[command(flatten)]
    common: Common,
    /// The URL clients will use to reach this server (written into invites):
    /// http(s)://host[:port], without a path, e.g. https://visits.example.org.
    /// Without it (or public_url in server.toml) invites point to the listen address.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// On an existing server that no administrator has set up yet: issue a
    /// new bootstrap invite (the old one stops working).
    #[arg(long)]
    reissue_bootstrap: bool,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let mut settings = self.common.settings()?;
        if let Some(url) = self.public_url {
            settings.public_url = Some(url);
        }
        // Checked before anything is created, so a typo leaves no half-set-up directory.
        if let Some(url) = &settings.public_url {
            let url = check_public_url(url).with_context(|| format!("the public URL must look like {URL_EXAMPLE}"))?;
            settings.public_url = Some(url);
        }
        let invite = if self.reissue_bootstrap {
            visitnotes_server::reissue_bootstrap(&self.common.data, &settings)
        } else {
            visitnotes_server::init(&self.common.data, &settings)
        }
        .with_context(|| format!("cannot set up {}", super::display(&self.common.data)))?;
        let data = super::display(&self.common.data);
        println!("Server data is in {data} (mode 0700).");
        if settings.public_url.is_some() {
            println!("Invites will point to {}.", invite.server_url);
        } else {
            println!("No --public-url given: the invite points to the listen address, {}.", invite.server_url);
            println!(
                "If clients reach this server at another address, issue a new invite with \
                 `visitnotes-server init --reissue-bootstrap --data {data} --public-url https://visits.example.org` \
                 (or set public_url in {data}/server.toml, then run it without --public-url)."
            );
        }
        println!(
            "Give this one-time invite to the first administrator, who runs `visitnotes enroll INVITE --name NAME`."
        );
        println!("It expires in {} days and can be used once:", settings.invite_days);
        println!("{}", invite.encode());
        Ok(ExitCode::SUCCESS)
    }
}
