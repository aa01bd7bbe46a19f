//! Where the passphrase comes from: `VISITNOTES_PASSPHRASE`, a file named by
//! `--passphrase-file`, or a prompt that does not echo.

use std::path::Path;

use age::secrecy::SecretString;

use crate::error::ClientError;

pub const ENV: &str = "VISITNOTES_PASSPHRASE";

/// Reads the passphrase; `confirm` asks twice at a prompt (for a new one).
pub fn read(file: Option<&Path>, prompt: &str, confirm: bool) -> Result<SecretString, ClientError> {
    if let Ok(value) = std::env::var(ENV) {
        return Ok(SecretString::from(value));
    }
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(ClientError::io(format!("cannot read {}", path.display())))?;
        return Ok(SecretString::from(text.trim_end_matches(['\n', '\r']).to_owned()));
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Err(ClientError::NoPassphrase);
    }
    let first = rpassword::prompt_password(prompt).map_err(|_| ClientError::NoPassphrase)?;
    if confirm {
        let second = rpassword::prompt_password("Repeat it: ").map_err(|_| ClientError::NoPassphrase)?;
        if first != second {
            return Err(ClientError::PassphraseMismatch);
        }
    }
    Ok(SecretString::from(first))
}
