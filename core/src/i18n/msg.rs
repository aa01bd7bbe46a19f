//! A message of the catalogues with its arguments, kept as data and
//! worded when a door shows it, in the reader's language: what the core
//! has to say (an alert, a report's integrity warning) without a sentence
//! made in the core.

use fluent_bundle::FluentValue;

use super::Lang;

/// A value filled into a message, worded in the reader's
/// language when the sentence is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Num(u64),
    /// Unix seconds, as a local date and time.
    Time(i64),
    /// A day, as a long date.
    Date(chrono::NaiveDate),
    /// A message of its own: a note named by visit date and unit, someone
    /// not in the list of members.
    Msg(Msg),
    /// Messages one after the other, "; " between them.
    List(Vec<Msg>),
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_owned())
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Num(n)
    }
}

impl From<Msg> for Arg {
    fn from(msg: Msg) -> Arg {
        Arg::Msg(msg)
    }
}

/// A message of the catalogues with its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Msg {
    pub fn new(id: &'static str) -> Msg {
        Msg { id, args: Vec::new() }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Msg {
        self.args.push((name, value.into()));
        self
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let args = self
            .args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(text) => FluentValue::from(text.clone()),
                    Arg::Num(n) => FluentValue::from(*n),
                    Arg::Time(at) => FluentValue::from(lang.local_time(*at)),
                    Arg::Date(date) => FluentValue::from(lang.long_date(*date)),
                    Arg::Msg(msg) => FluentValue::from(msg.render(lang)),
                    Arg::List(msgs) => {
                        FluentValue::from(msgs.iter().map(|m| m.render(lang)).collect::<Vec<_>>().join("; "))
                    }
                };
                (*name, value)
            })
            .collect();
        lang.tv(self.id, args)
    }
}
