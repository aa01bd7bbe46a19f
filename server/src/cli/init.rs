//! `visitnotes-server init`

use std::process::ExitCode;

use anyhow::Context;

use super::Common;

#[derive(clap::Args)]
pub struct Cmd {
    #[command(flatten)]
    common: Common,
    /// The URL clients will use to reach this server (written into invites).
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
        let invite = if self.reissue_bootstrap {
            visitnotes_server::reissue_bootstrap(&self.common.data, &settings)
        } else {
            visitnotes_server::init(&self.common.data, &settings)
        }
        .with_context(|| format!("cannot set up {}", super::display(&self.common.data)))?;
        println!("Server data is in {} (mode 0700).", super::display(&self.common.data));
        println!("Invites will point to {}.", invite.server_url);
        println!(
            "Give this one-time invite to the first administrator, who runs `visitnotes enroll INVITE --name NAME`."
        );
        println!("It expires in {} days and can be used once:", settings.invite_days);
        println!("{}", invite.encode());
        Ok(ExitCode::SUCCESS)
    }
}
