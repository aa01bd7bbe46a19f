//! How people, devices and times are shown: names with a short id prefix,
//! and local dates and times instead of Unix seconds.

use chrono::{Local, TimeZone};

/// The first characters of an id: enough to tell ids apart and to type
/// back (`admin revoke cc0e7f`).
pub const ID_PREFIX: usize = 8;

/// `unix` (seconds) as a local date and time, `2026-11-27 14:05`.
pub fn local_datetime(unix: i64) -> String {
    match Local.timestamp_opt(unix, 0).single() {
        Some(at) => at.format("%Y-%m-%d %H:%M").to_string(),
        None => format!("(time {unix} is out of range)"),
    }
}

/// `unix` (seconds) as a local date, `2026-11-27`.
pub fn local_date(unix: i64) -> String {
    match Local.timestamp_opt(unix, 0).single() {
        Some(at) => at.format("%Y-%m-%d").to_string(),
        None => format!("(time {unix} is out of range)"),
    }
}

/// The short form of an id.
pub fn short(id: &str) -> &str {
    id.get(..ID_PREFIX).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_is_shown_as_a_local_date_and_time() {
        let shown = local_datetime(1_790_000_000);
        assert_eq!(shown.len(), "2026-09-21 14:13".len(), "{shown}");
        assert!(shown.starts_with("2026-09-2"), "{shown}");
        assert!(local_date(1_790_000_000).starts_with("2026-09-2"));
        assert_eq!(short("cc0e7f0123456789"), "cc0e7f01");
        assert_eq!(short("abc"), "abc");
    }
}
