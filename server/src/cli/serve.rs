//! `visitnotes-server serve`

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

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
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        super::init_logging();
        let mut settings = self.common.settings()?;
        if let Some(listen) = self.listen {
            settings.listen = listen;
        }
        if self.tls_cert.is_some() {
            settings.tls_cert = self.tls_cert;
            settings.tls_key = self.tls_key;
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
