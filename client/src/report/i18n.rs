//! Report labels in English and Norwegian bokmål.

use visitnotes_shared::note::{Activity, FollowUp, Severity, Theme};

use super::aggregate::Stats;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    En,
    Nb,
}

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

    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Nb => &NB,
        }
    }
}

pub struct Labels {
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
}

pub static EN: Labels = Labels {
    lang: "en",
    title: "Visit report",
    period: "Period",
    generated: "Generated",
    totals: "Totals",
    visits: "Visits",
    volunteers: "Volunteers (visit-days)",
    people_met: "People met",
    shared_events: "Shared events",
    units: "Units visited",
    unit: "Unit",
    activities: "Activities",
    activity: "Activity",
    count: "Count",
    themes: "Themes raised",
    theme: "Theme",
    share: "Share of visits",
    themes_over_time: "Themes over time",
    visits_per_period: "Visits per period",
    concerns: "Concerns",
    severity: "Severity",
    status: "Follow-up",
    date: "Date",
    description: "Description",
    days_to_report: "Days from visit to report",
    days_to_closure: "Days from visit to closure",
    median: "median",
    max: "max",
    open_concerns: "Open concerns",
    none: "none",
    tracing: "Tracing requests",
    tracing_requests: "Requests",
    positive: "Positive changes",
    positive_visits: "Visits where a positive change was noted",
    excluded: "Excluded notes",
    excluded_note: "These notes failed verification and are not counted:",
    integrity: "Integrity warnings",
    integrity_note: "When this report was made, these warnings were unresolved on the device that made it; the figures may be incomplete:",
    summaries: "Summaries",
    concerns_by_severity: "Concerns by severity",
    by_status: "By follow-up status",
    figure: "Figure",
    no_reported_concerns: "no reported concerns to measure",
    no_closed_concerns: "no closed concerns to measure",
    with_follow_up_record: "Concerns with a coordinator's follow-up record",
    of: "of",
    last_follow_up: "Last follow-up",
};

pub static NB: Labels = Labels {
    lang: "nb",
    title: "Besøksrapport",
    period: "Periode",
    generated: "Laget",
    totals: "Totalt",
    visits: "Besøk",
    volunteers: "Frivillige (besøksdager)",
    people_met: "Personer møtt",
    shared_events: "Felles arrangementer",
    units: "Avdelinger besøkt",
    unit: "Avdeling",
    activities: "Aktiviteter",
    activity: "Aktivitet",
    count: "Antall",
    themes: "Temaer tatt opp",
    theme: "Tema",
    share: "Andel av besøk",
    themes_over_time: "Temaer over tid",
    visits_per_period: "Besøk per periode",
    concerns: "Bekymringer",
    severity: "Alvorlighet",
    status: "Oppfølging",
    date: "Dato",
    description: "Beskrivelse",
    days_to_report: "Dager fra besøk til melding",
    days_to_closure: "Dager fra besøk til avslutning",
    median: "median",
    max: "maks",
    open_concerns: "Åpne bekymringer",
    none: "ingen",
    tracing: "Sporingsforespørsler",
    tracing_requests: "Forespørsler",
    positive: "Positive endringer",
    positive_visits: "Besøk der en positiv endring ble notert",
    excluded: "Utelatte notater",
    excluded_note: "Disse notatene feilet verifisering og er ikke telt med:",
    integrity: "Integritetsvarsler",
    integrity_note:
        "Da rapporten ble laget, var disse varslene uløste på enheten som laget den; tallene kan være ufullstendige:",
    summaries: "Sammendrag",
    concerns_by_severity: "Bekymringer etter alvorlighet",
    by_status: "Etter oppfølgingsstatus",
    figure: "Nøkkeltall",
    no_reported_concerns: "ingen meldte bekymringer å måle",
    no_closed_concerns: "ingen avsluttede bekymringer å måle",
    with_follow_up_record: "Bekymringer med oppfølging registrert av en koordinator",
    of: "av",
    last_follow_up: "Siste oppfølging",
};

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
        let en = self.lang == "en";
        match theme {
            Theme::PhysicalHealth => {
                if en {
                    "Physical health"
                } else {
                    "Fysisk helse"
                }
            }
            Theme::MentalHealth => {
                if en {
                    "Mental health"
                } else {
                    "Psykisk helse"
                }
            }
            Theme::SelfHarmOrSuicideRisk => {
                if en {
                    "Self-harm or suicide risk"
                } else {
                    "Selvskading eller selvmordsfare"
                }
            }
            Theme::HungerStrike => {
                if en {
                    "Hunger strike"
                } else {
                    "Sultestreik"
                }
            }
            Theme::IsolationSecurityUnit => {
                if en {
                    "Isolation / security unit"
                } else {
                    "Isolasjon / sikkerhetsavdeling"
                }
            }
            Theme::LockIn => {
                if en {
                    "Lock-in"
                } else {
                    "Innlåsing"
                }
            }
            Theme::BodySearch => {
                if en {
                    "Body search"
                } else {
                    "Kroppsvisitasjon"
                }
            }
            Theme::PhoneAndInternetAccess => {
                if en {
                    "Phone and internet access"
                } else {
                    "Tilgang til telefon og internett"
                }
            }
            Theme::InformationAboutCase => {
                if en {
                    "Information about own case / asylum process"
                } else {
                    "Informasjon om egen sak / asylprosessen"
                }
            }
            Theme::DelegationInterviews => {
                if en {
                    "Delegation interviews"
                } else {
                    "Delegasjonsintervjuer"
                }
            }
            Theme::Food => {
                if en {
                    "Food"
                } else {
                    "Mat"
                }
            }
            Theme::FamilySeparation => {
                if en {
                    "Family separation"
                } else {
                    "Familiesplittelse"
                }
            }
            Theme::Children => {
                if en {
                    "Children"
                } else {
                    "Barn"
                }
            }
            Theme::VulnerablePeople => {
                if en {
                    "Vulnerable people"
                } else {
                    "Sårbare personer"
                }
            }
            Theme::PositiveChange => {
                if en {
                    "Positive change"
                } else {
                    "Positiv endring"
                }
            }
            Theme::Other => {
                if en {
                    "Other"
                } else {
                    "Annet"
                }
            }
        }
    }

    pub fn activity(&self, activity: Activity) -> &'static str {
        let en = self.lang == "en";
        match activity {
            Activity::Conversation => {
                if en {
                    "Conversation"
                } else {
                    "Samtale"
                }
            }
            Activity::Games => {
                if en {
                    "Games"
                } else {
                    "Spill"
                }
            }
            Activity::Sports => {
                if en {
                    "Sports"
                } else {
                    "Sport"
                }
            }
            Activity::Bingo => "Bingo",
            Activity::SharedEvent => {
                if en {
                    "Shared event"
                } else {
                    "Felles arrangement"
                }
            }
            Activity::Other => {
                if en {
                    "Other"
                } else {
                    "Annet"
                }
            }
        }
    }

    pub fn severity(&self, severity: Severity) -> &'static str {
        let en = self.lang == "en";
        match severity {
            Severity::Low => {
                if en {
                    "Low"
                } else {
                    "Lav"
                }
            }
            Severity::Medium => {
                if en {
                    "Medium"
                } else {
                    "Middels"
                }
            }
            Severity::High => {
                if en {
                    "High"
                } else {
                    "Høy"
                }
            }
            Severity::Urgent => {
                if en {
                    "Urgent"
                } else {
                    "Akutt"
                }
            }
        }
    }

    pub fn follow_up(&self, status: FollowUp) -> &'static str {
        let en = self.lang == "en";
        match status {
            FollowUp::Open => {
                if en {
                    "Open"
                } else {
                    "Åpen"
                }
            }
            FollowUp::InProgress => {
                if en {
                    "In progress"
                } else {
                    "Under arbeid"
                }
            }
            FollowUp::Closed => {
                if en {
                    "Closed"
                } else {
                    "Avsluttet"
                }
            }
        }
    }
}
