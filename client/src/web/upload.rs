//! A form that sends a file (`multipart/form-data`, read by
//! `actix-multipart`), read whole, within limits: the organisation key's
//! import is the one such form.
//!
//! A file larger than its limit is read to the end and dropped (the
//! browser gets the page that says so, not a connection closed in the
//! middle of its upload); a body larger than [`MAX_UPLOAD`] is not read
//! further. Text fields (the CSRF token, a passphrase) are kept in
//! memory that is wiped when dropped.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use futures_util::StreamExt;
use zeroize::Zeroizing;

/// The most a file form's body may bring; past it nothing more is read.
pub const MAX_UPLOAD: usize = 16 << 20;
/// The most a text field of a file form may hold.
const MAX_TEXT: usize = 64 << 10;

/// The file of a form, as chosen.
pub struct File {
    /// Its name on the computer it came from, as the browser gave it.
    pub name: String,
    /// Its bytes; empty when it was larger than the limit.
    pub bytes: Vec<u8>,
    /// It was larger than the limit (and dropped).
    pub too_large: bool,
}

/// What a file form sent.
#[derive(Default)]
pub struct Upload {
    /// The text fields, by name.
    pub fields: BTreeMap<String, Zeroizing<String>>,
    /// The file, when one was chosen.
    pub file: Option<File>,
}

impl Upload {
    /// A text field, or "" when it was not sent.
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", |v| v.as_str())
    }
}

/// Why a file form could not be read.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the form is not one a browser sends with a file")]
    Malformed(#[source] actix_multipart::MultipartError),
    #[error("the form brought more than {} MB", MAX_UPLOAD >> 20)]
    TooLarge,
}

/// Reads `form`: its text fields, and its file field `file_field` up to
/// `file_limit` bytes. A file field left empty (no file chosen) is no file.
pub async fn read(mut form: Multipart, file_field: &str, file_limit: usize) -> Result<Upload, UploadError> {
    let mut upload = Upload::default();
    let mut total = 0usize;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(UploadError::Malformed)?;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.content_disposition().and_then(|d| d.get_filename()).map(str::to_owned);
        let limit = if name == file_field { file_limit } else { MAX_TEXT };
        let mut bytes = Zeroizing::new(Vec::new());
        let mut too_large = false;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(UploadError::Malformed)?;
            total += chunk.len();
            if total > MAX_UPLOAD {
                return Err(UploadError::TooLarge);
            }
            too_large |= bytes.len() + chunk.len() > limit;
            if !too_large {
                bytes.extend_from_slice(&chunk);
            }
        }
        if name == file_field {
            let name = file_name.unwrap_or_default();
            if name.is_empty() && bytes.is_empty() {
                continue;
            }
            let bytes = if too_large { Vec::new() } else { bytes.to_vec() };
            upload.file = Some(File { name, bytes, too_large });
        } else if !too_large {
            // Not UTF-8: not what a page sends; its bytes are wiped as
            // `bytes` is.
            let text = std::str::from_utf8(&bytes).unwrap_or_default().to_owned();
            upload.fields.insert(name, Zeroizing::new(text));
        }
    }
    Ok(upload)
}
