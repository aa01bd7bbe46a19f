//! The web app's texts: one fluent catalogue per language (`en.ftl`,
//! `nb.ftl` beside this file), compiled into the binary. The language of a
//! page is the one picked on the page, else the browser's
//! `Accept-Language`, else English.
//!
//! The reports take their labels from these catalogues too
//! (`report::i18n`: the messages `report-label-*` and the names of themes,
//! activities, severities and follow-up states): one catalogue per
//! language for the web app, the reports and `visitnotes report --lang`.

mod msg;

use std::sync::OnceLock;

pub use msg::{Arg, Msg};

use fluent_bundle::concurrent::FluentBundle;
/// A fluent variable of `Lang::tv` (a number, for plurals to pick by).
pub use fluent_bundle::FluentValue;
use fluent_bundle::{FluentArgs, FluentResource};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Nb,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nb];

    /// The BCP 47 tag, for `<html lang>` and the switch.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
        }
    }

    /// The language's own name, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nb => "Norsk bokmål",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            // Norwegian in any written form reads bokmål best of the two.
            "nb" | "no" | "nn" => Some(Lang::Nb),
            _ => None,
        }
    }

    /// The first language of `Accept-Language` (by quality, then order)
    /// that there is a catalogue for; English when none is.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut tags: Vec<(f32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut bits = part.split(';');
                let tag = bits.next()?.trim();
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                    .unwrap_or(1.0);
                (q > 0.0 && !tag.is_empty()).then_some((q, i, tag))
            })
            .collect();
        tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        tags.iter().find_map(|(_, _, tag)| Lang::from_tag(tag)).unwrap_or(Lang::En)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("en.ftl"),
            Lang::Nb => include_str!("nb.ftl"),
        }
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
        let bundles = BUNDLES.get_or_init(|| Lang::ALL.map(build));
        &bundles[self as usize]
    }

    /// The text of message `id`.
    pub fn t(self, id: &str) -> String {
        self.format(id, None)
    }

    /// The text of message `id` with its `{ $name }` placeables filled.
    pub fn ta(self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            fargs.set(*name, FluentValue::from(*value));
        }
        self.format(id, Some(&fargs))
    }

    /// The text of message `id` with a number `$n` (plurals pick by it).
    pub fn tn(self, id: &str, n: u64) -> String {
        let mut fargs = FluentArgs::new();
        fargs.set("n", FluentValue::from(n));
        self.format(id, Some(&fargs))
    }

    /// The text of message `id` with `args` of any kind (numbers pick
    /// plurals and select variants; strings fill in).
    pub fn tv(self, id: &str, args: Vec<(&str, FluentValue<'static>)>) -> String {
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            fargs.set(name.to_owned(), value);
        }
        self.format(id, Some(&fargs))
    }

    /// Unix seconds as a local date and time: "3 March 2026 14:05",
    /// "3. mars 2026 kl. 14.05".
    pub fn local_time(self, at: i64) -> String {
        use chrono::TimeZone as _;
        match chrono::Local.timestamp_opt(at, 0).single() {
            Some(t) => match self {
                Lang::En => format!("{} {}", self.long_date(t.date_naive()), t.format("%H:%M")),
                Lang::Nb => format!("{} kl. {}", self.long_date(t.date_naive()), t.format("%H.%M")),
            },
            None => self.t("alert-unknown-time"),
        }
    }

    fn format(self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            // A missing text shows its id: visible in a screenshot, and
            // the catalogue test names it.
            return id.to_owned();
        };
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// A date as people read it: "3 March 2026", "3. mars 2026".
    pub fn long_date(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike as _;
        let month = self.t(&format!("month-{}", date.month()));
        match self {
            Lang::En => format!("{} {month} {}", date.day(), date.year()),
            Lang::Nb => format!("{}. {month} {}", date.day(), date.year()),
        }
    }

    /// A date in the form typed into the date field: 27/11/2026, 27.11.2026.
    pub fn input_date(self, date: chrono::NaiveDate) -> String {
        match self {
            Lang::En => date.format("%d/%m/%Y").to_string(),
            Lang::Nb => date.format("%d.%m.%Y").to_string(),
        }
    }
}

fn build(lang: Lang) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(lang.source().to_owned()).expect("the catalogue parses (tested)");
    let id: unic_langid::LanguageIdentifier = lang.tag().parse().expect("a valid tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks: the texts go into HTML, where they
    // would only get in the way of copying and searching.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).expect("no message is defined twice (tested)");
    bundle
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids of a catalogue (lines `id = ...`), after checking
    /// that it parses without an error.
    fn ids(lang: Lang) -> std::collections::BTreeSet<String> {
        if let Err((_, errors)) = FluentResource::try_new(lang.source().to_owned()) {
            panic!("{lang:?}: {errors:?}");
        }
        lang.source()
            .lines()
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id))
            .filter(|id| id.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !id.contains(' '))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn both_catalogues_parse_and_have_the_same_messages() {
        let (en, nb) = (ids(Lang::En), ids(Lang::Nb));
        let only_en: Vec<_> = en.difference(&nb).collect();
        let only_nb: Vec<_> = nb.difference(&en).collect();
        assert!(only_en.is_empty() && only_nb.is_empty(), "only in en: {only_en:?}; only in nb: {only_nb:?}");
        for lang in Lang::ALL {
            assert_eq!(lang.t("app-name"), "Visitnotes");
        }
    }

    /// Each message of a catalogue with the variables it uses (`$name`),
    /// read from the parsed catalogue.
    fn variables(lang: Lang) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        use fluent_syntax::ast;
        fn in_pattern(p: &ast::Pattern<&str>, out: &mut std::collections::BTreeSet<String>) {
            for element in &p.elements {
                if let ast::PatternElement::Placeable { expression } = element {
                    in_expression(expression, out);
                }
            }
        }
        fn in_expression(e: &ast::Expression<&str>, out: &mut std::collections::BTreeSet<String>) {
            let inline = match e {
                ast::Expression::Select { selector, variants } => {
                    for v in variants {
                        in_pattern(&v.value, out);
                    }
                    selector
                }
                ast::Expression::Inline(inline) => inline,
            };
            match inline {
                ast::InlineExpression::VariableReference { id } => {
                    out.insert(id.name.to_owned());
                }
                ast::InlineExpression::Placeable { expression } => in_expression(expression, out),
                _ => {}
            }
        }
        let resource = fluent_syntax::parser::parse(lang.source()).expect("the catalogue parses");
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                ast::Entry::Message(m) => {
                    let mut vars = std::collections::BTreeSet::new();
                    if let Some(value) = &m.value {
                        in_pattern(value, &mut vars);
                    }
                    Some((m.id.name.to_owned(), vars))
                }
                _ => None,
            })
            .collect()
    }

    /// Each message is defined once per catalogue: a second definition
    /// (two branches that both added it) would silently hide one of them.
    #[test]
    fn no_message_is_defined_twice() {
        for lang in Lang::ALL {
            let mut seen = std::collections::BTreeSet::new();
            for line in lang.source().lines() {
                let Some((id, _)) = line.split_once(" =") else { continue };
                if id.starts_with(|c: char| c.is_ascii_lowercase()) && !id.contains(' ') {
                    assert!(seen.insert(id), "{lang:?}: {id} is defined twice");
                }
            }
        }
    }

    /// A message says the same things in both languages: it fills in the
    /// same variables (a Norwegian text that drops `$when` would hide it).
    #[test]
    fn every_message_uses_the_same_variables_in_both_languages() {
        let (en, nb) = (variables(Lang::En), variables(Lang::Nb));
        assert_eq!(en.keys().collect::<Vec<_>>(), nb.keys().collect::<Vec<_>>());
        let differ: Vec<_> = en
            .iter()
            .filter(|(id, vars)| nb[*id] != **vars)
            .map(|(id, vars)| format!("{id}: en {vars:?}, nb {:?}", nb[id]))
            .collect();
        assert!(differ.is_empty(), "{differ:#?}");
    }

    /// A count meets its noun through the plural rules: every message that
    /// uses `$n` or `$count` selects on it (no "1 minutes").
    #[test]
    fn counts_pick_their_plural_forms() {
        for lang in Lang::ALL {
            let source = lang.source();
            let resource = fluent_syntax::parser::parse(source).expect("the catalogue parses");
            for entry in &resource.body {
                let fluent_syntax::ast::Entry::Message(m) = entry else { continue };
                let id = m.id.name;
                // The message's own lines, from its id to the next message.
                let start = source.find(&format!("\n{id} =")).map_or(0, |at| at + 1);
                let text: String = source[start..]
                    .lines()
                    .enumerate()
                    .take_while(|(i, l)| *i == 0 || l.is_empty() || l.starts_with([' ', '}', '[', '*']))
                    .map(|(_, l)| l)
                    .collect::<Vec<_>>()
                    .join("\n");
                for var in ["n", "count"] {
                    let used = text.contains(&format!("{{ ${var} }}"));
                    // Numbering ("Concern { $n }") is not a count.
                    let numbering = [
                        "form-concern-n",
                        "form-remove-concern",
                        "follow-up-record",
                        "follow-up-saved",
                        "follow-up-apart-concern",
                        "enrol-share-heading",
                        "enrol-share-qr",
                    ];
                    if used && !numbering.contains(&id) {
                        assert!(
                            text.contains(&format!("{{ ${var} ->")),
                            "{lang:?} {id} uses ${var} without plural forms"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_theme_and_activity_has_a_label_and_an_explanation() {
        use visitnotes_shared::note::{Activity, Theme};
        for lang in Lang::ALL {
            let themes = Theme::ALL.iter().map(|t| format!("theme-{}", crate::vocabulary::code(t)));
            let activities = Activity::ALL.iter().map(|a| format!("activity-{}", crate::vocabulary::code(a)));
            for key in themes.chain(activities) {
                for id in [key.clone(), format!("{key}-hint")] {
                    assert_ne!(lang.t(&id), id, "{lang:?} has no {id}");
                }
            }
        }
    }

    #[test]
    fn accept_language_picks_by_quality() {
        assert_eq!(Lang::from_accept_language("nb-NO,nb;q=0.9,en;q=0.8"), Lang::Nb);
        assert_eq!(Lang::from_accept_language("de-DE,de;q=0.9,no;q=0.8,en;q=0.7"), Lang::Nb);
        assert_eq!(Lang::from_accept_language("en;q=0.5, nn;q=0.9"), Lang::Nb);
        assert_eq!(Lang::from_accept_language("de, fr"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("nb;q=0, en"), Lang::En);
    }

    #[test]
    fn dates_read_as_in_each_language() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        assert_eq!(Lang::En.long_date(day), "4 March 2026");
        assert_eq!(Lang::Nb.long_date(day), "4. mars 2026");
        assert_eq!(Lang::Nb.input_date(day), "04.03.2026");
        assert_eq!(crate::dates::parse(&Lang::En.input_date(day)), Ok(day));
    }
}
