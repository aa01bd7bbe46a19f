//! A note by questions, for when no editor is set (or with `--ask`).
//!
//! Each answer is checked as it is given and asked again on a mistake, so
//! nothing typed before it is lost. Choices are picked from a numbered list
//! by number, by name or by the start of a name; Enter takes the default
//! shown in brackets. A typical note is eight short answers: the date
//! (Enter), the unit, two counts, activities, themes, a summary, and Enter
//! for "no concern" and "no tracing request".

use std::io::{BufRead, Write};

use chrono::NaiveDate;
use visitnotes_shared::note::{Activity, Concern, FollowUp, Severity, Theme, TracingRequests, VisitNote};

use visitnotes_core::dates;
use visitnotes_core::vocabulary::{code, Code};

#[derive(Debug, thiserror::Error)]
pub enum QuestionsError {
    #[error("the answers ended before the note was complete: nothing was saved")]
    Ended,
    #[error("cannot read the answers")]
    Io(#[from] std::io::Error),
}

/// Asks for a note question by question; prompts go to `out`.
pub fn ask(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    units: &[String],
    today: NaiveDate,
) -> Result<VisitNote, QuestionsError> {
    let mut q = Asker { input, out };
    let mut note = VisitNote::blank(today);
    note.visit_date = q.ask(&format!("Visit date [{today}]"), |a| {
        if a.is_empty() {
            return Ok(today);
        }
        let date = dates::parse(a).map_err(|e| e.to_string())?;
        if date > today {
            return Err(format!("{date} is in the future: give the day of the visit"));
        }
        Ok(date)
    })?;
    note.units = if units.is_empty() {
        q.ask("Units visited, comma-separated", |a| {
            let list = split(a);
            if list.is_empty() {
                return Err("give at least one unit".into());
            }
            Ok(list)
        })?
    } else {
        let choices: Vec<(String, String)> = units.iter().map(|u| (u.clone(), u.clone())).collect();
        q.list(&choices)?;
        let default = (units.len() == 1).then(|| units[0].clone());
        let question = match &default {
            Some(unit) => format!("Units visited (numbers or names) [{unit}]"),
            None => "Units visited (numbers or names, comma-separated)".to_owned(),
        };
        q.ask(&question, |a| match (&default, a.is_empty()) {
            (Some(unit), true) => Ok(vec![unit.clone()]),
            (None, true) => Err("give at least one unit".into()),
            _ => pick(a, &choices),
        })?
    };
    note.volunteers = q.ask("Number of volunteers on the visit, you included", count(None))?;
    note.people_met = q.ask("Number of people met", count(None))?;
    let activities: Vec<(String, Activity)> = Activity::ALL.iter().map(|a| (label(a), *a)).collect();
    q.list(&activities)?;
    note.activities =
        q.ask("Activities (numbers or names, comma-separated; Enter for none)", |a| pick(a, &activities))?;
    let themes: Vec<(String, Theme)> = Theme::ALL.iter().map(|t| (label(t), *t)).collect();
    q.list(&themes)?;
    note.themes = q.ask("Themes raised (numbers or names, comma-separated; Enter for none)", |a| pick(a, &themes))?;
    if note.themes.contains(&Theme::Other) {
        note.other_themes = q.ask("Which other themes? (a few words each, comma-separated)", |a| Ok(split(a)))?;
    }
    note.summary = q.ask("Summary in one line, without names (Enter for none)", |a| Ok(a.to_owned()))?;
    while q.ask(
        if note.concerns.is_empty() { "Any concern to record? [y/N]" } else { "Another concern? [y/N]" },
        yes_no(false),
    )? {
        note.concerns.push(concern(&mut q, today)?);
    }
    let count = q.ask("Tracing requests (how many people asked to trace family) [0]", count(Some(0)))?;
    if count > 0 {
        let what = q.ask("What was asked, without names (Enter to skip)", |a| Ok(a.to_owned()))?;
        note.tracing_requests = TracingRequests { count, note: what };
    }
    Ok(note)
}

/// A coordinator's follow-up on a concern, as far as given on the command
/// line; `follow_up` asks for the rest.
#[derive(Debug, Clone, Default)]
pub struct FollowUpAnswers {
    pub status: Option<FollowUp>,
    pub date: Option<NaiveDate>,
    pub text: Option<String>,
}

/// Asks for what `given` lacks of a follow-up entry: the status (from the
/// list), the day it was done (Enter for `today`; not before `visit`, not
/// after today), and what was done (Enter for nothing).
pub fn follow_up(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    given: FollowUpAnswers,
    today: NaiveDate,
    visit: NaiveDate,
) -> Result<(FollowUp, NaiveDate, String), QuestionsError> {
    let mut q = Asker { input, out };
    let status = match given.status {
        Some(status) => status,
        None => {
            let choices: Vec<(String, FollowUp)> = FollowUp::ALL.iter().map(|s| (label(s), *s)).collect();
            q.list(&choices)?;
            q.ask("Where does it stand now (number or name)", |a| one(a, &choices))?
        }
    };
    let date = match given.date {
        Some(date) => date,
        None => q.ask(&format!("Day it was done [{today}]"), |a| {
            let date = if a.is_empty() { today } else { dates::parse(a).map_err(|e| e.to_string())? };
            if date > today {
                return Err(format!("{date} is in the future: give the day it was done"));
            }
            if date < visit {
                return Err(format!("{date} is before the visit ({visit}): give the day it was done"));
            }
            Ok(date)
        })?,
    };
    let text = match given.text {
        Some(text) => text,
        None => q.ask("What was done, in a sentence or two, without names (Enter for nothing)", |a| {
            if a.len() > visitnotes_shared::follow_up::MAX_TEXT {
                return Err("that is too long: keep it to a few sentences".into());
            }
            Ok(a.to_owned())
        })?,
    };
    Ok((status, date, text))
}

fn concern(q: &mut Asker<'_>, today: NaiveDate) -> Result<Concern, QuestionsError> {
    let severities: Vec<(String, Severity)> = Severity::ALL.iter().map(|s| (label(s), *s)).collect();
    q.list(&severities)?;
    let severity = q.ask("  Severity (number or name)", |a| one(a, &severities))?;
    let description = q.ask("  What is the concern, without names", |a| {
        if a.is_empty() {
            return Err("describe the concern in a few words".into());
        }
        Ok(a.to_owned())
    })?;
    let consent = q.ask("  Did the person agree to follow-up? [y/N]", yes_no(false))?;
    let reported_to = q.ask("  Reported to (a role, e.g. centre health service; Enter if not reported)", |a| {
        Ok((!a.is_empty()).then(|| a.to_owned()))
    })?;
    let reported_on = match reported_to {
        Some(_) => Some(q.ask(&format!("  Reported on [{today}]"), |a| {
            if a.is_empty() {
                return Ok(today);
            }
            dates::parse(a).map_err(|e| e.to_string())
        })?),
        None => None,
    };
    Ok(Concern {
        severity,
        description,
        consent_to_follow_up: consent,
        reported_to,
        reported_on,
        follow_up: FollowUp::Open,
        closed_on: None,
    })
}

struct Asker<'a> {
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
}

impl Asker<'_> {
    /// Asks until `check` accepts the (trimmed) answer. At the end of the
    /// input an empty answer is tried once, so defaults still apply.
    fn ask<T>(&mut self, question: &str, check: impl Fn(&str) -> Result<T, String>) -> Result<T, QuestionsError> {
        loop {
            write!(self.out, "{question}: ")?;
            self.out.flush()?;
            let mut answer = String::new();
            let ended = self.input.read_line(&mut answer)? == 0;
            match check(answer.trim()) {
                Ok(value) => return Ok(value),
                Err(_) if ended => {
                    writeln!(self.out)?;
                    return Err(QuestionsError::Ended);
                }
                Err(why) => writeln!(self.out, "  {why}. Please answer again.")?,
            }
        }
    }

    fn list<T>(&mut self, choices: &[(String, T)]) -> std::io::Result<()> {
        for (i, (name, _)) in choices.iter().enumerate() {
            write!(self.out, "{:>4}) {name:<32}", i + 1)?;
            if i % 2 == 1 || i + 1 == choices.len() {
                writeln!(self.out)?;
            }
        }
        Ok(())
    }
}

/// The name a person reads: `mental_health` as "mental health".
fn label<T: Code>(value: &T) -> String {
    code(value).replace('_', " ")
}

fn split(answer: &str) -> Vec<String> {
    answer.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

/// Choices by number, by name, or by a prefix that only one name has.
fn pick<T: Clone + PartialEq>(answer: &str, choices: &[(String, T)]) -> Result<Vec<T>, String> {
    let mut picked: Vec<T> = Vec::new();
    for part in split(answer) {
        let value = one(&part, choices)?;
        if !picked.contains(&value) {
            picked.push(value);
        }
    }
    Ok(picked)
}

fn one<T: Clone>(answer: &str, choices: &[(String, T)]) -> Result<T, String> {
    let norm = |s: &str| s.trim().to_lowercase().replace(['_', '-'], " ");
    let wanted = norm(answer);
    if wanted.is_empty() {
        return Err("pick one from the list".into());
    }
    if let Ok(n) = wanted.parse::<usize>() {
        return match choices.get(n.wrapping_sub(1)) {
            Some((_, value)) => Ok(value.clone()),
            None => Err(format!("{n} is not in the list: give a number from 1 to {}", choices.len())),
        };
    }
    if let Some((_, value)) = choices.iter().find(|(name, _)| norm(name) == wanted) {
        return Ok(value.clone());
    }
    let matches: Vec<&(String, T)> = choices.iter().filter(|(name, _)| norm(name).starts_with(&wanted)).collect();
    match matches.as_slice() {
        [(_, value)] => Ok(value.clone()),
        [] => Err(format!("{answer:?} is not in the list: give its number or the start of its name")),
        several => Err(format!(
            "{answer:?} could be {}: type more of the name",
            several.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(" or ")
        )),
    }
}

fn count(default: Option<u32>) -> impl Fn(&str) -> Result<u32, String> {
    move |a| match (a.is_empty(), default) {
        (true, Some(n)) => Ok(n),
        (true, None) => Err("give a number".into()),
        _ => a.parse().map_err(|_| format!("{a:?} is not a whole number")),
    }
}

fn yes_no(default: bool) -> impl Fn(&str) -> Result<bool, String> {
    move |a| match a.to_lowercase().as_str() {
        "" => Ok(default),
        "y" | "yes" => Ok(true),
        "n" | "no" => Ok(false),
        _ => Err("answer y or n".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        dates::parse(text).unwrap()
    }

    fn run(answers: &str, units: &[&str]) -> (Result<VisitNote, QuestionsError>, String) {
        let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        let mut out = Vec::new();
        let note = ask(&mut answers.as_bytes(), &mut out, &units, day("2026-11-27"));
        (note, String::from_utf8(out).unwrap())
    }

    #[test]
    fn a_typical_note_is_eight_short_answers() {
        let (note, _) = run("\n1\n3\n12\n1, bingo\nfood, mental\nCalm.\n\n\n", &["Unit A", "Unit B"]);
        let note = note.unwrap();
        assert_eq!(note.visit_date, day("2026-11-27"));
        assert_eq!(note.units, vec!["Unit A"]);
        assert_eq!((note.volunteers, note.people_met), (3, 12));
        assert_eq!(note.activities, vec![Activity::Conversation, Activity::Bingo]);
        assert_eq!(note.themes, vec![Theme::Food, Theme::MentalHealth]);
        assert_eq!(note.summary, "Calm.");
        assert!(note.concerns.is_empty());
        assert_eq!(note.tracing_requests.count, 0);
    }

    #[test]
    fn mistakes_are_asked_again_and_nothing_before_them_is_lost() {
        let answers = "31.02.2026\n2099-01-01\n27/10/2026\nUnit C\n9\nunit b\nthree\n3\n-1\n4\nx\n\n\
                       p\nphys, lock\n\nyes\nsevere\nhigh\n\nno doctor\ny\nhealth service\n26.10.2026\n\n2\nwhere a brother is\n";
        let (note, out) = run(answers, &["Unit A", "Unit B"]);
        let note = note.unwrap();
        assert_eq!(note.visit_date, day("2026-10-27"));
        assert_eq!(note.units, vec!["Unit B"]);
        assert_eq!((note.volunteers, note.people_met), (3, 4));
        assert_eq!(note.themes, vec![Theme::PhysicalHealth, Theme::LockIn]);
        let c = &note.concerns[0];
        assert_eq!((c.severity, c.consent_to_follow_up), (Severity::High, true));
        assert_eq!(c.reported_on, Some(day("2026-10-26")));
        assert_eq!(note.tracing_requests.count, 2);
        for said in [
            "DD.MM.YYYY",
            "in the future",
            "\"Unit C\" is not in the list",
            "9 is not in the list",
            "not a whole number",
            "could be",
            "describe the concern",
        ] {
            assert!(out.contains(said), "{said} missing from:\n{out}");
        }
    }

    #[test]
    fn answers_that_end_early_are_an_error_not_a_note() {
        let (note, _) = run("\n1\n", &["Unit A"]);
        assert!(matches!(note, Err(QuestionsError::Ended)));
    }

    #[test]
    fn a_follow_up_asks_only_for_what_is_missing() {
        let ask = |answers: &str, given: FollowUpAnswers| {
            let mut out = Vec::new();
            let got = follow_up(&mut answers.as_bytes(), &mut out, given, day("2026-11-27"), day("2026-11-20"));
            (got, String::from_utf8(out).unwrap())
        };
        let (got, out) = ask("severe\n3\n19.11.2026\n28.11.2026\n\nSeen by a doctor.\n", FollowUpAnswers::default());
        let (status, date, text) = got.unwrap();
        assert_eq!((status, date, text.as_str()), (FollowUp::Closed, day("2026-11-27"), "Seen by a doctor."));
        for said in ["\"severe\" is not in the list", "before the visit (2026-11-20)", "in the future"] {
            assert!(out.contains(said), "{said} missing from:\n{out}");
        }
        // Given on the command line: not asked again.
        let given = FollowUpAnswers { status: Some(FollowUp::InProgress), date: None, text: Some(String::new()) };
        let (got, out) = ask("21/11/2026\n", given);
        assert_eq!(got.unwrap(), (FollowUp::InProgress, day("2026-11-21"), String::new()));
        assert!(!out.contains("stand") && !out.contains("What was done"), "{out}");
    }

    #[test]
    fn without_a_unit_list_units_are_free_text() {
        let (note, _) = run("2026-01-02\nUnit A, Unit B\n3\n12\nconversation, bingo\nfood\nCalm.\n", &[]);
        let note = note.unwrap();
        assert_eq!(note.units, vec!["Unit A", "Unit B"]);
        assert_eq!(note.themes, vec![Theme::Food]);
    }
}
