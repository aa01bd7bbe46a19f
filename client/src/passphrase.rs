//! Where the passphrase comes from: `VISITNOTES_PASSPHRASE`, a file named by
//! `--passphrase-file`, or a prompt that does not echo.

use std::path::Path;

use age::secrecy::{ExposeSecret as _, SecretString};

use visitnotes_core::error::ClientError;
use visitnotes_core::vault;

pub const ENV: &str = "VISITNOTES_PASSPHRASE";

/// Reads the passphrase of an existing profile.
pub fn read(file: Option<&Path>, prompt: &str) -> Result<SecretString, ClientError> {
    if let Some(given) = given(file)? {
        return Ok(given);
    }
    rpassword::prompt_password(prompt).map(SecretString::from).map_err(|_| ClientError::NoPassphrase)
}

/// Reads a new passphrase. At a prompt it is asked twice, and asked again
/// (not aborted) when it is too short or the two differ; one given by the
/// environment or a file must be long enough as it is.
pub fn read_new(file: Option<&Path>, prompt: &str) -> Result<SecretString, ClientError> {
    if let Some(given) = given(file)? {
        vault::check_new_passphrase(&given)?;
        return Ok(given);
    }
    loop {
        let first = SecretString::from(rpassword::prompt_password(prompt).map_err(|_| ClientError::NoPassphrase)?);
        if vault::check_new_passphrase(&first).is_err() {
            eprintln!("That passphrase is shorter than 8 characters: please choose a longer one.");
            continue;
        }
        let second = rpassword::prompt_password("Type it again: ").map_err(|_| ClientError::NoPassphrase)?;
        if first.expose_secret() != second {
            eprintln!("The two passphrases differ: please type it again.");
            continue;
        }
        return Ok(first);
    }
}

/// The passphrase from the environment or the file, if one is given; an
/// error when none is and there is no terminal to ask in.
fn given(file: Option<&Path>) -> Result<Option<SecretString>, ClientError> {
    if let Ok(value) = std::env::var(ENV) {
        return Ok(Some(SecretString::from(value)));
    }
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(ClientError::read(path))?;
        return Ok(Some(SecretString::from(text.trim_end_matches(['\n', '\r']).to_owned())));
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Err(ClientError::NoPassphrase);
    }
    Ok(None)
}
