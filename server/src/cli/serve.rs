//! `visitnotes-server serve`

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use visitnotes_server::error::Chain;

use super::Common;

#[derive(clap::Args)]
pub struct Cmd {
    #[command(flatten)]
    common: Common,
    /// Address to listen on, like 127.0.0.1:8080; port 0 picks a free port.
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    /// PEM certificate chain: serve HTTPS.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// How to write the log (stderr): text lines, or one JSON object per line for a log collector.
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT", env = "VISITNOTES_SERVER_LOG_FORMAT")]
    log_format: super::LogFormat,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        super::init_logging(self.log_format);
        let mut settings = self.common.settings()?;
        if let Some(listen) = self.listen {
            settings.listen = listen;
        }
        if self.tls_cert.is_some() {
            settings.tls_cert = self.tls_cert;
            settings.tls_key = self.tls_key;
        }
        let problems = settings.problems();
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().map(|p| format!("  - {}", Chain(p))).collect();
            anyhow::bail!(
                "the settings are not right, so the server did not start:\n{}\n`visitnotes-server check --data {}` checks them and the data directory",
                list.join("\n"),
                super::display(&self.common.data)
            );
        }
        let listener =
            TcpListener::bind(&settings.listen).with_context(|| format!("cannot listen on {}", settings.listen))?;
        let addr = listener.local_addr()?;
        let scheme = if settings.tls_cert.is_some() { "https" } else { "http" };
        // Printed (not logged) so that scripts and tests can read the port.
        println!("listening on {scheme}://{addr}");
        tracing::info!(%addr, "visitnotes-server started");
        let data = self.common.data.clone();
        actix_web::rt::System::new()
            .block_on(visitnotes_server::serve(&data, settings, listener))
            .with_context(|| format!("the server on {} stopped", super::display(&data)))?;
        Ok(ExitCode::SUCCESS)
    }
}
