//! Report labels in English and Norwegian bokmål, from the one catalogue
//! per language that the web app uses too (`i18n/en.ftl`, `nb.ftl`:
//! the messages `report-label-*`, and the names of themes, activities,
//! severities and follow-up states that the note form shows), and the
//! words of what the report warns of (why a note was left out, the alerts
//! open when it was made) in the same language.

use std::sync::OnceLock;

use visitnotes_shared::note::{Activity, FollowUp, Severity, Theme};

use super::aggregate::Stats;
use super::{Exclusion, Unresolved};
pub use crate::i18n::Lang;
use crate::vocabulary::code;

impl Lang {
    /// From `LC_ALL`, `LC_MESSAGES` or `LANG`: bokmål for nb/no/nn, else English.
    pub fn from_locale() -> Lang {
        let locale =
            ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        match locale {
            Some(l) if l.starts_with("nb") || l.starts_with("no") || l.starts_with("nn") => Lang::Nb,
            _ => Lang::En,
        }
    }

    /// The report's labels in this language, read once from its catalogue.
    pub fn labels(self) -> &'static Labels {
        static LABELS: OnceLock<[Labels; 2]> = OnceLock::new();
        &LABELS.get_or_init(|| Lang::ALL.map(build))[self as usize]
    }
}

/// The labels of `lang` from its catalogue. Built once per language for
/// the life of the process, so the texts are kept as `&'static str`.
fn build(lang: Lang) -> Labels {
    let text = |id: String| -> &'static str { Box::leak(lang.t(&id).into_boxed_str()) };
    let label = |name: &str| text(format!("report-label-{name}"));
    Labels {
        language: lang,
        lang: lang.tag(),
        title: label("title"),
        period: label("period"),
        generated: label("generated"),
        totals: label("totals"),
        visits: label("visits"),
        volunteers: label("volunteers"),
        people_met: label("people-met"),
        shared_events: label("shared-events"),
        units: label("units"),
        unit: label("unit"),
        activities: label("activities"),
        activity: label("activity"),
        count: label("count"),
        themes: label("themes"),
        theme: label("theme"),
        share: label("share"),
        themes_over_time: label("themes-over-time"),
        visits_per_period: label("visits-per-period"),
        concerns: label("concerns"),
        severity: label("severity"),
        status: label("status"),
        date: label("date"),
        description: label("description"),
        days_to_report: label("days-to-report"),
        days_to_closure: label("days-to-closure"),
        median: label("median"),
        max: label("max"),
        open_concerns: label("open-concerns"),
        none: label("none"),
        tracing: label("tracing"),
        tracing_requests: label("tracing-requests"),
        positive: label("positive"),
        positive_visits: label("positive-visits"),
        excluded: label("excluded"),
        excluded_note: label("excluded-note"),
        integrity: label("integrity"),
        integrity_note: label("integrity-note"),
        summaries: label("summaries"),
        concerns_by_severity: label("concerns-by-severity"),
        by_status: label("by-status"),
        figure: label("figure"),
        no_reported_concerns: label("no-reported-concerns"),
        no_closed_concerns: label("no-closed-concerns"),
        with_follow_up_record: label("with-follow-up-record"),
        of: label("of"),
        last_follow_up: label("last-follow-up"),
        theme_names: Theme::ALL.iter().map(|t| (*t, text(format!("theme-{}", code(t))))).collect(),
        activity_names: Activity::ALL.iter().map(|a| (*a, text(format!("activity-{}", code(a))))).collect(),
        severity_names: Severity::ALL.iter().map(|s| (*s, text(format!("severity-{}", code(s))))).collect(),
        follow_up_names: FollowUp::ALL.iter().map(|f| (*f, text(format!("follow-up-{}", code(f))))).collect(),
    }
}

impl Labels {
    /// A period's key (`Period::label`: 2026-12, 2026-Q4, 2026) as people
    /// write it: "December 2026", "Q4 2026"; "desember 2026", "4. kvartal 2026".
    pub fn period_name(&self, key: &str) -> String {
        let lang = self.language;
        let (year, rest) = key.split_once('-').unwrap_or((key, ""));
        if let Some(quarter) = rest.strip_prefix('Q').and_then(|q| q.parse::<u64>().ok()) {
            return crate::i18n::Msg::new("report-quarter").arg("quarter", quarter).arg("year", year).render(lang);
        }
        match rest.parse::<u32>() {
            Ok(month @ 1..=12) => crate::i18n::Msg::new("report-month")
                .arg("month", lang.t(&format!("month-{month}")))
                .arg("year", year)
                .render(lang),
            _ => key.to_owned(),
        }
    }

    /// A day as people write it: "27 November 2026", "27. november 2026".
    pub fn day(&self, date: chrono::NaiveDate) -> String {
        self.language.long_date(date)
    }

    /// The language of these labels.
    pub fn language(&self) -> Lang {
        self.language
    }

    /// The header of a column of the CSV (`report-column-NAME`).
    pub fn column(&self, name: &str) -> String {
        self.language.t(&format!("report-column-{name}"))
    }

    /// A day in a table cell: 27/11/2026, 27.11.2026.
    pub fn short_day(&self, date: chrono::NaiveDate) -> String {
        self.language.input_date(date)
    }
}

pub struct Labels {
    /// The language of these labels.
    language: Lang,
    /// Its tag, for `<html lang>`.
    pub lang: &'static str,
    pub title: &'static str,
    pub period: &'static str,
    pub generated: &'static str,
    pub totals: &'static str,
    pub visits: &'static str,
    pub volunteers: &'static str,
    pub people_met: &'static str,
    pub shared_events: &'static str,
    pub units: &'static str,
    pub unit: &'static str,
    pub activities: &'static str,
    pub activity: &'static str,
    pub count: &'static str,
    pub themes: &'static str,
    pub theme: &'static str,
    pub share: &'static str,
    pub themes_over_time: &'static str,
    pub visits_per_period: &'static str,
    pub concerns: &'static str,
    pub severity: &'static str,
    pub status: &'static str,
    pub date: &'static str,
    pub description: &'static str,
    pub days_to_report: &'static str,
    pub days_to_closure: &'static str,
    pub median: &'static str,
    pub max: &'static str,
    pub open_concerns: &'static str,
    pub none: &'static str,
    pub tracing: &'static str,
    pub tracing_requests: &'static str,
    pub positive: &'static str,
    pub positive_visits: &'static str,
    pub excluded: &'static str,
    pub excluded_note: &'static str,
    pub integrity: &'static str,
    pub integrity_note: &'static str,
    pub summaries: &'static str,
    pub concerns_by_severity: &'static str,
    pub by_status: &'static str,
    /// Header of the totals' first column.
    pub figure: &'static str,
    /// In place of "days to report" figures when no concern has a report date.
    pub no_reported_concerns: &'static str,
    /// In place of "days to closure" figures when no concern was closed.
    pub no_closed_concerns: &'static str,
    /// Concerns that have a coordinator's follow-up record.
    pub with_follow_up_record: &'static str,
    /// "1 of 2".
    pub of: &'static str,
    /// The date of the newest coordinator's follow-up on an open concern.
    pub last_follow_up: &'static str,
    /// The names of the closed lists' values, by their code (`lock_in`).
    theme_names: Vec<(Theme, &'static str)>,
    activity_names: Vec<(Activity, &'static str)>,
    severity_names: Vec<(Severity, &'static str)>,
    follow_up_names: Vec<(FollowUp, &'static str)>,
}

fn find<T: PartialEq>(names: &[(T, &'static str)], value: T) -> &'static str {
    names.iter().find(|(v, _)| *v == value).map_or("?", |(_, name)| *name)
}

impl Labels {
    /// A share (0 to 1) as a whole percentage. Shares that would round to
    /// 0 % or 100 % without being so read "< 1 %" and "> 99 %": a theme that
    /// came up must not look as if it never did.
    pub fn percent(&self, share: f64) -> String {
        let pct = share * 100.0;
        if pct > 0.0 && pct < 1.0 {
            "< 1 %".to_owned()
        } else if pct > 99.0 && pct < 100.0 {
            "> 99 %".to_owned()
        } else {
            format!("{pct:.0} %")
        }
    }

    /// Day counts as "median 1.5, max 3 (n = 4)", or `nothing` when there
    /// was nothing to measure (rather than a median of 0).
    pub fn days(&self, stats: &Stats, nothing: &str) -> String {
        match (stats.median, stats.max) {
            (Some(median), Some(max)) if stats.count > 0 => {
                format!("{} {median}, {} {max} (n = {})", self.median, self.max, stats.count)
            }
            _ => nothing.to_owned(),
        }
    }

    pub fn theme(&self, theme: Theme) -> &'static str {
        find(&self.theme_names, theme)
    }

    pub fn activity(&self, activity: Activity) -> &'static str {
        find(&self.activity_names, activity)
    }

    pub fn severity(&self, severity: Severity) -> &'static str {
        find(&self.severity_names, severity)
    }

    pub fn follow_up(&self, status: FollowUp) -> &'static str {
        find(&self.follow_up_names, status)
    }

    /// Why a note was left out, in this language.
    pub fn exclusion(&self, why: &Exclusion) -> String {
        why.msg().render(self.language)
    }

    /// An alert open when the report was made, in this language.
    pub fn unresolved(&self, alert: &Unresolved) -> String {
        alert.line(self.language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label and every name the reports use is in both catalogues
    /// (a missing message would show its id).
    #[test]
    fn every_report_label_is_in_both_catalogues() {
        for lang in Lang::ALL {
            let l = lang.labels();
            for (id, value) in [
                ("title", l.title),
                ("period", l.period),
                ("generated", l.generated),
                ("totals", l.totals),
                ("visits", l.visits),
                ("volunteers", l.volunteers),
                ("people_met", l.people_met),
                ("shared_events", l.shared_events),
                ("units", l.units),
                ("unit", l.unit),
                ("activities", l.activities),
                ("activity", l.activity),
                ("count", l.count),
                ("themes", l.themes),
                ("theme", l.theme),
                ("share", l.share),
                ("themes_over_time", l.themes_over_time),
                ("visits_per_period", l.visits_per_period),
                ("concerns", l.concerns),
                ("severity", l.severity),
                ("status", l.status),
                ("date", l.date),
                ("description", l.description),
                ("days_to_report", l.days_to_report),
                ("days_to_closure", l.days_to_closure),
                ("median", l.median),
                ("max", l.max),
                ("open_concerns", l.open_concerns),
                ("none", l.none),
                ("tracing", l.tracing),
                ("tracing_requests", l.tracing_requests),
                ("positive", l.positive),
                ("positive_visits", l.positive_visits),
                ("excluded", l.excluded),
                ("excluded_note", l.excluded_note),
                ("integrity", l.integrity),
                ("integrity_note", l.integrity_note),
                ("summaries", l.summaries),
                ("concerns_by_severity", l.concerns_by_severity),
                ("by_status", l.by_status),
                ("figure", l.figure),
                ("no_reported_concerns", l.no_reported_concerns),
                ("no_closed_concerns", l.no_closed_concerns),
                ("with_follow_up_record", l.with_follow_up_record),
                ("of", l.of),
                ("last_follow_up", l.last_follow_up),
            ] {
                assert!(!value.is_empty() && !value.starts_with("report-label-"), "{lang:?} has no label {id}");
            }
            for t in Theme::ALL {
                assert!(!l.theme(t).starts_with("theme-"), "{lang:?}: {t:?}");
            }
            for a in Activity::ALL {
                assert!(!l.activity(a).starts_with("activity-"), "{lang:?}: {a:?}");
            }
            for s in Severity::ALL {
                assert!(!l.severity(s).starts_with("severity-"), "{lang:?}: {s:?}");
            }
            for f in FollowUp::ALL {
                assert!(!l.follow_up(f).starts_with("follow-up-"), "{lang:?}: {f:?}");
            }
        }
        assert_eq!(Lang::Nb.labels().theme(Theme::HungerStrike), "Sultestreik");
        assert_eq!(Lang::En.labels().lang, "en");
    }
}
