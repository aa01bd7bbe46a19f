//! Optional TLS with rustls, from PEM files named in the settings. ALPN
//! offers HTTP/2 and HTTP/1.1 (see `load`); plain HTTP (no TLS) is
//! HTTP/1.1 only.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::settings::Settings;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("TLS needs both tls_cert and tls_key")]
    Incomplete,
    #[error("cannot read the certificate chain {path}")]
    Cert {
        path: PathBuf,
        #[source]
        source: rustls_pki_types::pem::Error,
    },
    #[error("no certificate in {path}")]
    NoCert { path: PathBuf },
    #[error("cannot read the private key {path}")]
    Key {
        path: PathBuf,
        #[source]
        source: rustls_pki_types::pem::Error,
    },
    #[error("the certificate and key do not make a TLS configuration")]
    Config(#[source] rustls::Error),
}

pub fn from_settings(settings: &Settings) -> Result<Option<rustls::ServerConfig>, TlsError> {
    match (&settings.tls_cert, &settings.tls_key) {
        (None, None) => Ok(None),
        (Some(cert), Some(key)) => load(cert, key).map(Some),
        _ => Err(TlsError::Incomplete),
    }
}

pub fn load(cert: &Path, key: &Path) -> Result<rustls::ServerConfig, TlsError> {
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
        .map_err(|source| TlsError::Cert { path: cert.to_owned(), source })?;
    if certs.is_empty() {
        return Err(TlsError::NoCert { path: cert.to_owned() });
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|source| TlsError::Key { path: key.to_owned(), source })?;
    // No ALPN here: actix-web's listener puts `h2` (with its `http2`
    // feature, which the workspace turns on) and `http/1.1` in front of
    // whatever the configuration lists, so listing them would offer each
    // twice. `tests/tls.rs` checks that a client gets `h2`.
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Config)?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(TlsError::Config)
}
