//! An error and its causes, printed: the client's one way to show or keep
//! an error whole (the command line, `--json`, the web app's English, the
//! reasons a sync report and the store keep).
//!
//! Each message says what failed and what to do and leaves its cause to
//! `source()` (the house rule, checked by `error::tests`), so every cause
//! is printed once, in order.

use std::fmt;

/// `{}` puts the error and its causes on one line (`a: b: c`), for JSON,
/// a page or a stored reason; `{:#}` puts each cause on a line of its own
/// under the error (`  caused by: b`), for a terminal.
pub struct Chain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            if f.alternate() {
                write!(f, "\n  caused by: {cause}")?;
            } else {
                write!(f, ": {cause}")?;
            }
            source = cause.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ClientError, FileAction};

    fn nested() -> ClientError {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let inner = ClientError::Io { action: FileAction::Write, path: "/p/secrets.age".into(), source: io };
        ClientError::HeadNotUploaded { version: 7, source: Box::new(inner) }
    }

    #[test]
    fn one_line_joins_every_cause_in_order() {
        let err = nested();
        let line = Chain(&err).to_string();
        assert!(!line.contains('\n'), "{line}");
        let parts: Vec<&str> = line.split(": ").collect();
        assert!(parts[0].starts_with("roster version 7 is signed and published"), "{line}");
        assert!(line.contains("could not be uploaded: run `visitnotes sync`"), "{line}");
        assert!(line.contains(": cannot write /p/secrets.age: check that its folder is there"), "{line}");
        assert!(line.ends_with(": permission denied"), "{line}");
        assert_eq!(line.matches("permission denied").count(), 1, "each cause once: {line}");
    }

    #[test]
    fn alternate_puts_each_cause_on_its_own_line() {
        let err = nested();
        let text = format!("{:#}", Chain(&err));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(lines[0], err.to_string());
        assert!(lines[1].starts_with("  caused by: cannot write /p/secrets.age"), "{text}");
        assert_eq!(lines[2], "  caused by: permission denied");
    }

    #[test]
    fn an_error_without_causes_is_its_message() {
        let err = ClientError::WrongPassphrase;
        assert_eq!(Chain(&err).to_string(), err.to_string());
        assert_eq!(format!("{:#}", Chain(&err)), err.to_string());
    }
}
