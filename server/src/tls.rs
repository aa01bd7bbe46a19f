//! Optional TLS with rustls, from PEM files named in the settings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::settings::Settings;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("TLS needs both tls_cert and tls_key")]
    Incomplete,
    #[error("cannot read the certificate chain {path}: {reason}")]
    Cert { path: PathBuf, reason: String },
    #[error("cannot read the private key {path}: {reason}")]
    Key { path: PathBuf, reason: String },
    #[error("the certificate and key do not make a TLS configuration: {0}")]
    Config(String),
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
        .map_err(|e| TlsError::Cert { path: cert.to_owned(), reason: e.to_string() })?;
    if certs.is_empty() {
        return Err(TlsError::Cert { path: cert.to_owned(), reason: "no certificate in the file".into() });
    }
    let key =
        PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::Key { path: key.to_owned(), reason: e.to_string() })?;
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| TlsError::Config(e.to_string()))
}
