//! `visitnotes admin recover-org-key`: the organisation key rebuilt from
//! shares on this device, whose member becomes an administrator.

use std::io::Write;
use std::process::ExitCode;

use visitnotes_core::ops::org_key;
use visitnotes_core::profile::Session;

use crate::cli::Context;

#[derive(clap::Args)]
pub struct Cmd {
    /// Share files (share-N-of-M.txt) or share codes (VNS1-...); as many as the threshold.
    #[arg(required = true, value_name = "SHARE")]
    shares: Vec<String>,
}

impl Cmd {
    pub fn run(self, ctx: &Context, session: &mut Session) -> anyhow::Result<ExitCode> {
        let recovered = org_key::recover(session, &self.shares)?;
        if ctx.json {
            ctx.print_json(&recovered)?;
            return Ok(ExitCode::SUCCESS);
        }
        let mut out = std::io::stdout().lock();
        let (used, fingerprint) = (recovered.shares_used, &recovered.fingerprint);
        if recovered.already_held {
            writeln!(
                out,
                "the {used} shares rebuild the organisation key (fingerprint {fingerprint}), which this device holds \
                 already: nothing changed"
            )?;
        } else {
            writeln!(
                out,
                "organisation key rebuilt from {used} shares and kept on this device (fingerprint {fingerprint}): \
                 this device can sign the list of members again"
            )?;
        }
        if let Some((name, version)) = &recovered.made_admin {
            writeln!(
                out,
                "{name} is an administrator now (published roster version {version}). Next: invite a new device for \
                 each administrator whose device was lost (`visitnotes admin invite --device-for NAME`), approve it, \
                 and revoke the lost one (`visitnotes admin revoke`)"
            )?;
        }
        Ok(ExitCode::SUCCESS)
    }
}
