//! Fictional visit notes (numbers and themes, no names) for the demo and
//! the report tests: kept apart from `demo`, which needs the embedded
//! server, so that the tests run without it too.

use chrono::NaiveDate;
use visitnotes_shared::note::{
    Activity, Concern, FollowUp, Severity, Theme, TracingRequests, VisitNote, SCHEMA_VERSION,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Fictional notes: numbers and themes, no names.
pub fn sample_notes() -> Vec<VisitNote> {
    let note = |visit_date,
                units: &[&str],
                volunteers,
                people_met,
                activities: Vec<Activity>,
                themes: Vec<Theme>,
                summary: &str| VisitNote {
        schema_version: SCHEMA_VERSION,
        visit_date,
        units: units.iter().map(|u| u.to_string()).collect(),
        volunteers,
        people_met,
        activities,
        themes,
        other_themes: vec![],
        concerns: vec![],
        tracing_requests: TracingRequests::default(),
        summary: summary.to_owned(),
        language: "en".into(),
    };
    let mut a = note(
        date(2026, 9, 3),
        &["Men's unit A"],
        4,
        14,
        vec![Activity::Conversation, Activity::Bingo],
        vec![Theme::PhoneAndInternetAccess, Theme::Food],
        "Bingo in the common room; several asked why phones are taken in the evening.",
    );
    a.tracing_requests =
        TracingRequests { count: 1, note: "A request to find a sibling last heard of in transit.".into() };
    let mut b = note(
        date(2026, 9, 17),
        &["Women's unit"],
        3,
        6,
        vec![Activity::Conversation, Activity::SharedEvent],
        vec![Theme::MentalHealth, Theme::InformationAboutCase, Theme::FamilySeparation],
        "Shared meal. Little information given about the asylum interview dates.",
    );
    b.concerns.push(Concern {
        severity: Severity::High,
        description: "One person has not slept for days and asked to see a psychologist.".into(),
        consent_to_follow_up: true,
        reported_to: Some("centre health service".into()),
        reported_on: Some(date(2026, 9, 17)),
        follow_up: FollowUp::InProgress,
        closed_on: None,
    });
    let mut c = note(
        date(2026, 10, 1),
        &["Security unit"],
        2,
        3,
        vec![Activity::Conversation],
        vec![Theme::IsolationSecurityUnit, Theme::LockIn, Theme::SelfHarmOrSuicideRisk],
        "Short visit through the hatch; lock-in since the weekend.",
    );
    c.concerns.push(Concern {
        severity: Severity::Urgent,
        description: "Expressed thoughts of self-harm; staff informed at once.".into(),
        consent_to_follow_up: true,
        reported_to: Some("duty officer".into()),
        reported_on: Some(date(2026, 10, 1)),
        follow_up: FollowUp::Closed,
        closed_on: Some(date(2026, 10, 2)),
    });
    let d = note(
        date(2026, 10, 15),
        &["Men's unit A", "Men's unit B"],
        5,
        21,
        vec![Activity::Sports, Activity::Games],
        vec![Theme::PositiveChange, Theme::PhysicalHealth],
        "Football in the yard; the new evening phone hour is appreciated.",
    );
    vec![a, b, c, d]
}
