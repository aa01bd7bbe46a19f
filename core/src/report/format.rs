//! Which format a report is written in: `--format` when given, else the
//! extension of `--out`, else Markdown. An explicit `--format` that
//! contradicts a known extension is refused rather than obeyed, so that
//! `report.html` never holds CSV.

use std::path::Path;

/// The formats a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Html,
    Csv,
    Json,
    /// An Excel workbook: bytes, not text (`report::render_bytes`).
    Xlsx,
}

/// The extensions `--out` may end in to choose the format.
pub const EXTENSIONS: &str = ".md, .markdown, .html, .htm, .csv, .json, .xlsx";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    #[error("cannot tell the report format from {path:?}: name the file with one of {EXTENSIONS}, or give --format")]
    UnknownExtension { path: String },
    #[error("--format {flag} does not match {path:?}, which names a {named} file: drop --format or rename the file")]
    Mismatch { flag: &'static str, path: String, named: &'static str },
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Markdown, Format::Html, Format::Csv, Format::Json, Format::Xlsx];

    /// The format a file name's extension names, if it names one.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The serde name: `markdown` (`--format`'s value).
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }

    /// The format to write: `flag` if given (and not contradicted by `out`'s
    /// extension), else the one `out`'s extension names, else Markdown.
    pub fn choose(flag: Option<Format>, out: Option<&Path>) -> Result<Format, FormatError> {
        let named = out.map(|p| (p, Format::from_path(p)));
        match (flag, named) {
            (Some(flag), Some((path, Some(named)))) if flag != named => Err(FormatError::Mismatch {
                flag: flag.as_str(),
                path: path.display().to_string(),
                named: named.as_str(),
            }),
            (Some(flag), _) => Ok(flag),
            (None, Some((_, Some(named)))) => Ok(named),
            (None, Some((path, None))) => Err(FormatError::UnknownExtension { path: path.display().to_string() }),
            (None, None) => Ok(Format::Markdown),
        }
    }
}
