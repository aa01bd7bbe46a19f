//! `visitnotes admin units`: without arguments, the list; `add`, `remove`,
//! or the whole new list, each after the plan and a question.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;
use visitnotes_core::ops::admin::{self, UnitsEdit};
use visitnotes_core::ops::roster;
use visitnotes_core::profile::Session;
use visitnotes_core::ClientError;

use super::prompt;
use crate::cli::Context;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cmd {
    #[command(subcommand)]
    action: Option<Action>,
    /// The whole new list of units (replaces the current one).
    units: Vec<String>,
    /// Do not ask for confirmation.
    #[arg(long, global = true)]
    yes: bool,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Add a unit.
    Add { unit: String },
    /// Retire a unit: no longer offered for new notes; notes that name it keep it.
    Remove { unit: String },
}

impl Cmd {
    /// Whether this changes the units (after its question), or lists them.
    pub fn changes(&self) -> bool {
        self.action.is_some() || !self.units.is_empty()
    }

    pub fn run(self, ctx: &Context, session: &Session) -> anyhow::Result<ExitCode> {
        let mut out = std::io::stdout().lock();
        let edit = match (self.action, self.units) {
            (Some(Action::Add { unit }), _) => UnitsEdit::Add(unit),
            (Some(Action::Remove { unit }), _) => UnitsEdit::Remove(unit),
            (None, units) if !units.is_empty() => UnitsEdit::Replace(units),
            (None, _) => {
                let roster = roster::in_force(session)?;
                if ctx.json {
                    ctx.print_json(&json!({ "units": roster.units, "roster_version": roster.version }))?;
                } else {
                    writeln!(out, "units: {}", roster.units.join(", "))?;
                }
                return Ok(ExitCode::SUCCESS);
            }
        };
        let plan = admin::plan_units(session, edit)?.map_err(ClientError::from)?;
        if plan.added.is_empty() && plan.removed.is_empty() {
            writeln!(out, "the units are already {}: nothing to publish", plan.after.join(", "))?;
            return Ok(ExitCode::SUCCESS);
        }
        let mut change = Vec::new();
        if !plan.added.is_empty() {
            change.push(format!("adds {}", plan.added.join(", ")));
        }
        if !plan.removed.is_empty() {
            change.push(format!(
                "retires {} (no longer offered for new notes; notes that name it keep it)",
                plan.removed.join(", ")
            ));
        }
        let change = change.join(" and ");
        let text = format!("This signs a roster that {change}. The units will be: {}.", plan.after.join(", "));
        if !prompt::confirm(ctx, self.yes, &text, "Publish it?")? {
            writeln!(out, "nothing published; the units stay as they were")?;
            return Ok(ExitCode::SUCCESS);
        }
        let roster = admin::set_units(session, &plan)?;
        if ctx.json {
            ctx.print_json(&json!({ "units": roster.units, "added": plan.added, "removed": plan.removed,
                "roster_version": roster.version }))?;
        } else {
            let units = roster.units.join(", ");
            writeln!(out, "units: {units}; {change}; published roster version {}", roster.version)?;
        }
        Ok(ExitCode::SUCCESS)
    }
}
