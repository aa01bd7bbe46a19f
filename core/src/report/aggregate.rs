//! The figures of a report, from decrypted notes. Pure: the same notes give
//! the same report, which is what the tests check by hand.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use visitnotes_shared::note::{Activity, FollowUp, Severity, Theme, VisitNote};

use super::{Excluded, Options, Period, Unresolved};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Period,
    pub include_text: bool,
    pub totals: Totals,
    pub units: Vec<UnitCount>,
    pub activities: Vec<ActivityCount>,
    pub themes: Vec<ThemeCount>,
    pub periods: Vec<PeriodRow>,
    pub concerns: Concerns,
    pub tracing: Tracing,
    pub positive: Positive,
    /// One line per note, for CSV.
    pub notes: Vec<NoteLine>,
    pub excluded: Vec<Excluded>,
    /// The device's unresolved alerts when the report was made (see
    /// `ops::alerts`): the report's integrity section. As JSON, each one
    /// line in English.
    pub integrity: Vec<Unresolved>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub visits: u32,
    pub volunteers: u32,
    pub people_met: u32,
    pub shared_events: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitCount {
    pub unit: String,
    pub visits: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityCount {
    pub activity: Activity,
    pub visits: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeCount {
    pub theme: Theme,
    pub visits: u32,
    /// Share of the period's visits where it came up, 0 to 1.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodRow {
    pub label: String,
    pub visits: u32,
    pub themes: BTreeMap<Theme, u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Concerns {
    pub total: u32,
    pub by_severity: BTreeMap<Severity, u32>,
    /// Where each concern stands: by the coordinators' newest follow-up
    /// record when there is one, else as its leader wrote it.
    pub by_status: BTreeMap<FollowUp, u32>,
    pub days_to_report: Stats,
    /// From the visit to the closing date: a coordinator's record's date
    /// when its newest entry closed the concern, else the leader's `closed_on`.
    pub days_to_closure: Stats,
    /// Concerns that have a coordinator's follow-up record.
    pub with_follow_up_record: u32,
    pub open: Vec<OpenConcern>,
}

/// A coordinator's newest follow-up on one concern, as a report uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub status: FollowUp,
    /// The day of that entry: the closing date when it closed the concern.
    pub date: NaiveDate,
}

/// (note id, concern index from 0) → the newest coordinator's follow-up on
/// that concern (`ops::follow_up` places the records).
pub type FollowUps = BTreeMap<(String, usize), Recorded>;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    pub count: u32,
    pub median: Option<f64>,
    pub max: Option<i64>,
}

impl Stats {
    fn of(mut values: Vec<i64>) -> Stats {
        values.sort_unstable();
        let n = values.len();
        let median = match n {
            0 => None,
            _ if n % 2 == 1 => Some(values[n / 2] as f64),
            _ => Some((values[n / 2 - 1] + values[n / 2]) as f64 / 2.0),
        };
        Stats { count: n as u32, median, max: values.last().copied() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenConcern {
    pub severity: Severity,
    pub date: NaiveDate,
    pub units: Vec<String>,
    pub status: FollowUp,
    /// The date of the newest coordinator's follow-up entry, if any.
    pub last_follow_up: Option<NaiveDate>,
    /// Only with `--include-text`.
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tracing {
    pub requests: u32,
    pub visits_with_requests: u32,
    /// Only with `--include-text`.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Positive {
    pub visits: u32,
    /// Only with `--include-text`: the summaries of those visits.
    pub summaries: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteLine {
    pub note_id: String,
    pub date: NaiveDate,
    pub units: Vec<String>,
    pub volunteers: u32,
    pub people_met: u32,
    pub activities: Vec<Activity>,
    pub themes: Vec<Theme>,
    pub concerns: u32,
    pub max_severity: Option<Severity>,
    pub tracing_requests: u32,
    /// Only with `--include-text`.
    pub summary: Option<String>,
}

/// Every period label from `from` to `to`, in order.
fn period_labels(by: Period, from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    let mut day = from;
    while day <= to {
        let label = by.label(day);
        if labels.last() != Some(&label) {
            labels.push(label);
        }
        day = day.succ_opt().expect("dates in range");
    }
    labels
}

/// Computes the report over the notes dated within the options' range,
/// from the leaders' notes alone.
pub fn aggregate(notes: &[(String, VisitNote)], excluded: Vec<Excluded>, options: &Options) -> Report {
    aggregate_with(notes, &FollowUps::new(), excluded, options)
}

/// `aggregate`, with the coordinators' follow-up records on concerns: the
/// newest one decides a concern's status and closing date; the leader's
/// own `follow_up` and `closed_on` stay the fallback.
pub fn aggregate_with(
    notes: &[(String, VisitNote)],
    follow_ups: &FollowUps,
    excluded: Vec<Excluded>,
    options: &Options,
) -> Report {
    let text = options.include_text;
    let mut notes: Vec<&(String, VisitNote)> =
        notes.iter().filter(|(_, n)| n.visit_date >= options.from && n.visit_date <= options.to).collect();
    notes.sort_by(|a, b| a.1.visit_date.cmp(&b.1.visit_date).then_with(|| a.0.cmp(&b.0)));

    let mut totals = Totals::default();
    let mut units: BTreeMap<String, u32> = BTreeMap::new();
    let mut activities: BTreeMap<Activity, u32> = BTreeMap::new();
    let mut themes: BTreeMap<Theme, u32> = BTreeMap::new();
    let mut periods: BTreeMap<String, PeriodRow> = period_labels(options.by, options.from, options.to)
        .into_iter()
        .map(|label| (label.clone(), PeriodRow { label, visits: 0, themes: BTreeMap::new() }))
        .collect();
    let mut concerns = Concerns::default();
    let (mut to_report, mut to_closure) = (Vec::new(), Vec::new());
    let mut tracing = Tracing::default();
    let mut positive = Positive::default();
    let mut lines = Vec::new();

    for (id, note) in &notes {
        totals.visits += 1;
        totals.volunteers += note.volunteers;
        totals.people_met += note.people_met;
        // A note counts each unit, activity and theme once, however often it is listed.
        let mut seen_units: Vec<&String> = note.units.iter().collect();
        seen_units.sort();
        seen_units.dedup();
        for unit in seen_units {
            *units.entry(unit.clone()).or_default() += 1;
        }
        let mut note_activities = note.activities.clone();
        note_activities.sort();
        note_activities.dedup();
        if note_activities.contains(&Activity::SharedEvent) {
            totals.shared_events += 1;
        }
        for a in &note_activities {
            *activities.entry(*a).or_default() += 1;
        }
        let mut note_themes = note.themes.clone();
        note_themes.sort();
        note_themes.dedup();
        let period = periods.get_mut(&options.by.label(note.visit_date)).expect("every period in range is listed");
        period.visits += 1;
        for t in &note_themes {
            *themes.entry(*t).or_default() += 1;
            *period.themes.entry(*t).or_default() += 1;
        }
        for (i, c) in note.concerns.iter().enumerate() {
            let recorded = follow_ups.get(&(id.clone(), i));
            let (status, closed_on) = match recorded {
                Some(r) => (r.status, Some(r.date)),
                None => (c.follow_up, c.closed_on),
            };
            concerns.total += 1;
            concerns.with_follow_up_record += u32::from(recorded.is_some());
            *concerns.by_severity.entry(c.severity).or_default() += 1;
            *concerns.by_status.entry(status).or_default() += 1;
            if let Some(reported) = c.reported_on {
                to_report.push((reported - note.visit_date).num_days());
            }
            if let (FollowUp::Closed, Some(closed)) = (status, closed_on) {
                to_closure.push((closed - note.visit_date).num_days());
            }
            if status != FollowUp::Closed {
                concerns.open.push(OpenConcern {
                    severity: c.severity,
                    date: note.visit_date,
                    units: note.units.clone(),
                    status,
                    last_follow_up: recorded.map(|r| r.date),
                    description: text.then(|| c.description.clone()),
                });
            }
        }
        if note.tracing_requests.count > 0 {
            tracing.requests += note.tracing_requests.count;
            tracing.visits_with_requests += 1;
            if text && !note.tracing_requests.note.is_empty() {
                tracing.notes.push(note.tracing_requests.note.clone());
            }
        }
        if note_themes.contains(&Theme::PositiveChange) {
            positive.visits += 1;
            if text {
                positive.summaries.push(note.summary.clone());
            }
        }
        lines.push(NoteLine {
            note_id: id.clone(),
            date: note.visit_date,
            units: note.units.clone(),
            volunteers: note.volunteers,
            people_met: note.people_met,
            activities: note_activities,
            themes: note_themes,
            concerns: note.concerns.len() as u32,
            max_severity: note.concerns.iter().map(|c| c.severity).max(),
            tracing_requests: note.tracing_requests.count,
            summary: text.then(|| note.summary.clone()),
        });
    }
    concerns.days_to_report = Stats::of(to_report);
    concerns.days_to_closure = Stats::of(to_closure);
    // Most severe first, then oldest.
    concerns.open.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.date.cmp(&b.date)));

    let by_count = |a: &(String, u32), b: &(String, u32)| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    let mut units: Vec<(String, u32)> = units.into_iter().collect();
    units.sort_by(by_count);
    let mut activities: Vec<ActivityCount> =
        activities.into_iter().map(|(activity, visits)| ActivityCount { activity, visits }).collect();
    activities.sort_by(|a, b| b.visits.cmp(&a.visits).then(a.activity.cmp(&b.activity)));
    let visits = totals.visits.max(1) as f64;
    let mut themes: Vec<ThemeCount> =
        themes.into_iter().map(|(theme, n)| ThemeCount { theme, visits: n, share: f64::from(n) / visits }).collect();
    themes.sort_by(|a, b| b.visits.cmp(&a.visits).then(a.theme.cmp(&b.theme)));

    Report {
        from: options.from,
        to: options.to,
        by: options.by,
        include_text: text,
        totals,
        units: units.into_iter().map(|(unit, visits)| UnitCount { unit, visits }).collect(),
        activities,
        themes,
        periods: periods.into_values().collect(),
        concerns,
        tracing,
        positive,
        notes: lines,
        excluded,
        integrity: Vec::new(),
    }
}
