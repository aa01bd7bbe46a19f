//! `visitnotes enroll INVITE --name NAME`

use std::io::Write;
use std::process::ExitCode;

use visitnotes_core::ops::enroll::{self, Options};
use visitnotes_core::ClientError;

#[derive(clap::Args)]
pub struct Cmd {
    /// The invite code (VN1-...).
    invite: String,
    /// Your name as the administrators will see it.
    #[arg(long)]
    name: String,
    /// A unit of the new organisation (first administrator only; repeat;
    /// none: the suggested units, in the language of LC_ALL/LC_MESSAGES/LANG).
    #[arg(long = "unit", value_name = "UNIT")]
    units: Vec<String>,
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        // Checked before the passphrase is asked, so that nobody types one
        // twice for a folder that cannot take the profile.
        enroll::check_local(&ctx.home, &self.invite).map_err(|e| ClientError::InviteUnused(Box::new(e)))?;
        let passphrase =
            crate::passphrase::read_new(ctx.passphrase_file.as_deref(), "New passphrase for this device: ")
                .map_err(|e| ClientError::InviteUnused(Box::new(e)))?;
        let kdf_log_n = std::env::var(super::KDF_ENV)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(visitnotes_core::vault::DEFAULT_LOG_N);
        let units = match self.units.is_empty() {
            true => enroll::suggested_units(visitnotes_core::i18n::Lang::from_locale()),
            false => self.units,
        };
        let options = Options { invite: &self.invite, name: &self.name, units, kdf_log_n };
        let enrolled = enroll::enroll(&ctx.home, options, passphrase)?;
        let s = &enrolled.session;
        let fingerprint = s.secrets.device.signing_key().fingerprint();
        let mut out = std::io::stdout().lock();
        if ctx.json {
            ctx.print_json(&serde_json::json!({
                "device_id": s.config.device_id, "user_id": s.config.user_id, "role": s.config.role,
                "bootstrap": enrolled.bootstrap, "device_fingerprint": fingerprint,
                "org_fingerprint": s.config.org_key.fingerprint(),
            }))?;
        } else if enrolled.bootstrap {
            writeln!(out, "You are the first administrator. The organisation key was created on this device.")?;
            writeln!(out, "Organisation fingerprint: {}", s.config.org_key.fingerprint())?;
            writeln!(out, "Back it up: visitnotes admin export-org-key --out FILE")?;
        } else {
            writeln!(
                out,
                "Enrolled as {} ({}). Waiting for an administrator's approval.",
                s.config.name, s.config.role
            )?;
            writeln!(out, "Read this device's fingerprint to your administrator: {fingerprint}")?;
            writeln!(out, "Organisation fingerprint (pinned): {}", s.config.org_key.fingerprint())?;
            writeln!(out, "Then run: visitnotes sync")?;
        }
        Ok(ExitCode::SUCCESS)
    }
}
