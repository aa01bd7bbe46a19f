//! `visitnotes sync`

use std::io::Write;
use std::process::ExitCode;

use visitnotes_core::i18n::Lang;
use visitnotes_core::ops::sync;

#[derive(clap::Args)]
pub struct Cmd {
    /// Pull everything again (after an administrator's rewrap made older notes readable here).
    #[arg(long)]
    from_start: bool,
    /// Upload notes written under an expired list of members as they are (a warning is kept with each).
    #[arg(long)]
    allow_expired_roster: bool,
}

impl Cmd {
    pub fn run(self, ctx: &super::Context) -> anyhow::Result<ExitCode> {
        let mut session = ctx.unlock()?;
        let bar = (!ctx.json && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_message("pulling");
            bar
        });
        let progress = |done: u64, _total: Option<u64>| {
            if let Some(bar) = &bar {
                bar.set_position(done);
                bar.set_message(format!("pulled {done} revisions"));
            }
        };
        let options =
            sync::SyncOptions { from_start: self.from_start, allow_expired_roster: self.allow_expired_roster };
        // The sync, then on an administrator's device the administration's
        // upkeep (as the web app's Sync button does).
        let synced = sync::sync(&mut session, options, &progress)?;
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        let report = &synced.report;
        super::admin::format::say_upkeep(&synced.upkeep, super::admin::format::After::Sync)?;
        if ctx.json {
            ctx.print_json(report)?;
        } else {
            print(&mut std::io::stdout().lock(), report)?;
            warn(&mut std::io::stderr().lock(), report)?;
            for warning in &report.warnings {
                writeln!(std::io::stderr(), "WARNING: {}.", warning_words(warning))?;
            }
            super::alerts::warn(ctx, &report.alerts);
        }
        Ok(if synced.warns() { ExitCode::from(super::EXIT_WARNINGS) } else { ExitCode::SUCCESS })
    }
}

/// A warning of the sync in words (without the final full stop, which
/// `WARNING: ...` adds).
fn warning_words(warning: &sync::SyncWarning) -> String {
    match warning {
        sync::SyncWarning::RosterNotRenewed { error } => format!(
            "the list of members is near its expiry and could not be signed again: {error}. The next `visitnotes \
             sync` tries again"
        ),
        sync::SyncWarning::AuditLogRestored(lost) => format!(
            "the server's audit log was restored with it: entries {} to {} of the log this device had signed a \
             checkpoint of ({}) are gone, the {} entries the log holds now chain intact, and a new checkpoint is \
             signed over them",
            lost.first_gone,
            lost.last_gone,
            visitnotes_core::display::local_datetime(lost.signed_at),
            lost.entries
        ),
        sync::SyncWarning::NoAuditCheckpoint { error } => {
            format!("no checkpoint of the server's audit log was signed: {error}")
        }
        sync::SyncWarning::UpkeepFailed { error } => format!(
            "the sync is done, but the administration's upkeep after it did not finish: {error}. The next \
             `visitnotes sync` tries again"
        ),
    }
}

fn print(out: &mut impl Write, report: &sync::SyncReport) -> std::io::Result<()> {
    writeln!(
        out,
        "synced: pushed {}, pulled {}, refused by server {}, rejected {} (roster version {})",
        report.pushed,
        report.pulled,
        report.refused_by_server.len(),
        report.rejected.len(),
        report.roster_version
    )?;
    for from in &report.received {
        writeln!(out, "  {}", from.words(Lang::En))?;
    }
    for refused in &report.refused_by_server {
        writeln!(out, "  not uploaded: note {}: {}", refused.note_id, refused.error)?;
    }
    if !report.reuploaded.is_empty() {
        let count = report.reuploaded.len();
        let names: Vec<String> = report.reuploaded.iter().map(reuploaded).collect();
        writeln!(
            out,
            "  {count} {} the server had lost {} uploaded again: {}",
            if count == 1 { "note" } else { "notes" },
            if count == 1 { "was" } else { "were" },
            names.join("; ")
        )?;
    }
    if report.waiting > 0 {
        writeln!(
            out,
            "  {} {} on this device until the server has the current list of members (ask an administrator to run \
             `visitnotes sync`)",
            report.waiting,
            if report.waiting == 1 { "note waits" } else { "notes wait" }
        )?;
    }
    if let Some(version) = report.roster_renewed {
        writeln!(out, "  signed the list of members again as version {version}: the one in force was near its expiry")?;
    }
    if report.resealed > 0 {
        writeln!(
            out,
            "  {} written under an expired list of members sealed again for the fresh list's readers",
            notes(report.resealed)
        )?;
    }
    if report.sent_under_expired_roster > 0 {
        writeln!(
            out,
            "  {} written under an expired list of members sent as written (--allow-expired-roster); `visitnotes note show` shows the warning kept with each",
            notes(report.sent_under_expired_roster)
        )?;
    }
    if report.held > 0 {
        writeln!(
            out,
            "  {} kept on this device and not uploaded: written under an expired list of members (see the warning below)",
            notes(report.held)
        )?;
    }
    if let Some(entries) = report.audit_checkpoint {
        writeln!(out, "  signed a checkpoint of the server's audit log: entries 1 to {entries}")?;
    }
    if report.not_addressed > 0 {
        writeln!(
            out,
            "  {} notes are not encrypted to this device (written before it joined): ask a coordinator to run `visitnotes admin rewrap`, then run `visitnotes sync --from-start`",
            report.not_addressed
        )?;
    }
    Ok(())
}

/// "visit 27 Nov 2026 to Unit A", or what a deletion or an unreadable note can say.
fn reuploaded(note: &sync::Reuploaded) -> String {
    let short = visitnotes_core::display::short(&note.note_id);
    match (note.deleted, note.visit_date) {
        (true, _) => format!("the deletion of note {short}"),
        (false, Some(date)) if note.units.is_empty() => format!("visit {}", date.format("%-d %b %Y")),
        (false, Some(date)) => format!("visit {} to {}", date.format("%-d %b %Y"), note.units.join(", ")),
        (false, None) => format!("note {short}"),
    }
}

/// The warnings of this sync that are not (or no longer) open alerts: a
/// restore noticed and dealt with, a roster published again, lost notes the
/// server refused.
fn warn(err: &mut impl Write, report: &sync::SyncReport) -> std::io::Result<()> {
    if let Some(why) = report.restored {
        // The reason in the words of the catalogue, as the alert and the web app say it.
        let why = why.msg().render(Lang::En);
        let uploaded = match report.reuploaded.len() {
            0 => String::new(),
            1 => "; 1 note the server had lost was uploaded again from here".into(),
            n => format!("; {n} notes the server had lost were uploaded again from here"),
        };
        writeln!(
            err,
            "WARNING: The server seems to have been restored from an older backup: {why}. This device pulled \
             everything again from the start and kept every note it had{uploaded}. Tell your administrator: notes \
             written since the backup come back as their writers' devices sync."
        )?;
    }
    if let Some(old) = report.republished_over {
        writeln!(
            err,
            "WARNING: The server had an older list of members (version {old}; it seems restored from an older \
             backup): this device published the current one (version {}) again.",
            report.roster_version
        )?;
    }
    for lost in &report.not_reuploaded {
        writeln!(
            err,
            "WARNING: note {} was lost by the server and could not be uploaded again: {}. It stays on this device; \
             tell your administrator.",
            visitnotes_core::display::short(&lost.note_id),
            lost.error
        )?;
    }
    Ok(())
}
/// "1 note", "3 notes".
fn notes(n: usize) -> String {
    if n == 1 {
        "1 note".to_owned()
    } else {
        format!("{n} notes")
    }
}
