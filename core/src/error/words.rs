//! An operation's error in the person's language, for the doors that
//! speak more than English: the web app's pages and the phone library.
//!
//! Every kind of `ClientError` a page can meet is worded from the
//! catalogues, with its fields (names, ids, counts) as fluent variables.
//! What no catalogue can say stays in English, after a sentence in the
//! page's language (`error-in-english`): the causes under an error (the
//! system's, SQLite's, a library's own text) and the server's own words.
//! The kinds only the command line meets (no home folder or terminal, the
//! organisation key's files and rebuilding) are named below and left in
//! English too.
//!
//! Each error is printed whole, its causes once, by `error::Chain`.

use visitnotes_shared::invite::InviteError;
use visitnotes_shared::roster::Role;

use super::{Chain, ClientError, FileAction, Unpublished};
use crate::api::ApiClientError as Api;
use crate::i18n::{Arg, FluentValue, Lang, Msg};
use crate::ops::admin::{AdminError, NotApprovable, Refusal, UnitsRefusal};
use crate::ops::follow_up::{EntryProblem, FollowUpRefusal};
use crate::ops::org_key::OrgKeyError;
use crate::ops::read::{IdPrefixError, MIN_PREFIX};
use crate::ops::sync::SyncWarning;

/// `err` in `lang`: its words from the catalogue, then its cause: in
/// `lang` too when it is one of ours, else in English.
pub fn error_words(lang: Lang, err: &ClientError) -> String {
    let Some(text) = words(lang, err) else { return in_english(lang, err) };
    match err {
        ClientError::RosterNotPublished { source, .. } | ClientError::HeadNotUploaded { source, .. } => {
            lang.ta("error-because", &[("text", &text), ("cause", &error_words(lang, source))])
        }
        // Said in the text already.
        ClientError::Roster(_) | ClientError::InviteUnused(_) => text,
        // The page says to check the network; the system's words for how
        // the connection failed tell a person nothing more.
        ClientError::Api(Api::Unreachable { .. } | Api::Interrupted { .. }) => text,
        // Any other cause is the system's or a library's.
        _ => match std::error::Error::source(err) {
            Some(cause) => lang.ta("error-with-cause", &[("text", &text), ("cause", &Chain(cause).to_string())]),
            None => text,
        },
    }
}

/// A warning of a sync (what went wrong without stopping it) in `lang`;
/// an error in it as `error_words` words it.
pub fn sync_warning_words(lang: Lang, warning: &SyncWarning) -> String {
    let error = |e| error_words(lang, e).trim_end_matches('.').to_owned();
    match warning {
        SyncWarning::RosterNotRenewed { error: e } => {
            lang.ta("sync-warning-roster-not-renewed", &[("error", &error(e))])
        }
        SyncWarning::AuditLogRestored(lost) => Msg::new("sync-warning-audit-log-restored")
            .arg("first", lost.first_gone)
            .arg("last", lost.last_gone)
            .arg("signed", Arg::Time(lost.signed_at))
            .arg("entries", lost.entries)
            .render(lang),
        SyncWarning::NoAuditCheckpoint { error: e } => {
            lang.ta("sync-warning-no-audit-checkpoint", &[("error", &error(e))])
        }
        SyncWarning::UpkeepFailed { error: e } => lang.ta("sync-warning-upkeep-failed", &[("error", &error(e))]),
    }
}

/// An error none of the catalogue's messages says, in English (the
/// sentence before it in the page's language).
fn in_english(lang: Lang, err: &(dyn std::error::Error + 'static)) -> String {
    let text = Chain(err).to_string();
    match lang {
        Lang::En => text,
        _ => lang.ta("error-in-english", &[("cause", &text)]),
    }
}

/// The catalogue's words for `err`, when it has them.
fn words(lang: Lang, err: &ClientError) -> Option<String> {
    let n = |v: &dyn ToString| v.to_string();
    Some(match err {
        ClientError::WrongPassphrase => lang.t("unlock-wrong"),
        ClientError::NoProfile(home) => lang.ta("error-no-profile", &[("home", &home.display().to_string())]),
        ClientError::ProfileDamaged { path, .. } => {
            lang.ta("error-profile-damaged", &[("path", &path.display().to_string())])
        }
        ClientError::CorruptKeys { file, .. } => {
            lang.ta("error-corrupt-keys", &[("file", &file.display().to_string())])
        }
        // The server's only refusal of an enrolment: the invite.
        ClientError::Api(Api::Refused { code, .. }) if code == "invite_invalid" => lang.t("enrol-error-invite-refused"),
        ClientError::Api(api) => return api_words(lang, api),
        ClientError::Roster(e) => lang.ta("error-roster-refused", &[("reason", &Chain(e).to_string())]),
        ClientError::RosterEquivocation(version) => lang.ta("error-roster-equivocation", &[("version", &n(version))]),
        ClientError::NoRoster => lang.t("error-no-roster"),
        ClientError::RosterExpired { version, expired } => {
            lang.ta("error-roster-expired", &[("version", &n(version)), ("expired", expired)])
        }
        ClientError::NotApproved => lang.t("error-not-approved"),
        ClientError::Seal(_) => lang.t("error-seal-failed"),
        ClientError::Encrypt(_) => lang.t("error-encrypt-failed"),
        ClientError::Store(crate::store::StoreError::DiskFull(_)) => lang.t("error-local-disk-full"),
        ClientError::Store(_) => lang.t("error-local-store"),
        ClientError::NoOrgKey => lang.t("error-no-org-key"),
        ClientError::NoSuchNote(_) => lang.t("note-not-found"),
        ClientError::IdPrefix(IdPrefixError::TooShort { given }) => lang.tv(
            "error-id-too-short",
            vec![("given", FluentValue::from(given.clone())), ("min", FluentValue::from(MIN_PREFIX))],
        ),
        ClientError::IdPrefix(IdPrefixError::Ambiguous { prefix, notes }) => lang.tv(
            "error-id-ambiguous",
            vec![("prefix", FluentValue::from(prefix.clone())), ("notes", FluentValue::from(*notes))],
        ),
        ClientError::NoteDeleted { id } => lang.ta("error-note-deleted", &[("id", id)]),
        ClientError::NotAuthor => lang.t("note-not-author"),
        ClientError::NotCoordinator => lang.t("error-not-coordinator"),
        ClientError::FollowUp(refusal) => follow_up_words(lang, refusal),
        ClientError::NotStored { reason, .. } => lang.ta("note-not-stored", &[("reason", reason)]),
        ClientError::Ambiguous { query, matches, .. } => {
            lang.ta("error-ambiguous", &[("query", query), ("matches", matches)])
        }
        ClientError::NotFound { query, .. } => lang.ta("error-not-found", &[("query", query)]),
        ClientError::Admin(e) => admin_words(lang, e),
        ClientError::OrgKey(e) => return org_key_words(lang, e),
        ClientError::RosterNotPublished { change: Unpublished::Revoked { person, .. }, .. } => {
            lang.ta("error-roster-not-published-revoked", &[("person", person)])
        }
        ClientError::RosterNotPublished { change: Unpublished::Removed { person }, .. } => {
            lang.ta("error-roster-not-published-removed", &[("person", person)])
        }
        ClientError::HeadNotUploaded { version, .. } => lang.ta("error-head-not-uploaded", &[("version", &n(version))]),
        ClientError::Io { action, path, .. } => {
            let id = match action {
                FileAction::Read => "error-io-read",
                FileAction::Write => "error-io-write",
                FileAction::CreateFolder => "error-io-create-folder",
            };
            lang.ta(id, &[("path", &path.display().to_string())])
        }
        // The note form says each of these at its field (`web::form`).
        ClientError::Note(_) => return None,
        // Enrolment (the enrolment page, `routes::enrol`).
        ClientError::ProfileExists(home) => {
            lang.ta("enrol-error-profile-exists", &[("home", &home.display().to_string())])
        }
        ClientError::ProfileNotWritable { dir, .. } => {
            lang.ta("enrol-error-folder", &[("dir", &dir.display().to_string())])
        }
        ClientError::InviteUnused(inner) => lang.ta("enrol-error-unused", &[("text", &error_words(lang, inner))]),
        ClientError::PassphraseMismatch => lang.t("enrol-error-mismatch"),
        ClientError::WeakPassphrase => lang.t("enrol-error-weak"),
        ClientError::Invite(e) => lang.t(invite_problem(e)),
        ClientError::OrgKeyMismatch { expected, found } => {
            lang.ta("enrol-error-org-key-mismatch", &[("expected", expected), ("found", found)])
        }
        ClientError::ServerHasOrg => lang.t("enrol-error-server-has-org"),
        ClientError::ServerHasNoOrg => lang.t("enrol-error-server-has-no-org"),
        ClientError::OtherDeviceEnrolled { .. } => lang.t("enrol-error-other-device"),
        // Only the command line meets these: no home folder, no terminal.
        ClientError::NoHome | ClientError::NoPassphrase => return None,
    })
}

/// The catalogue message of an invite that does not read.
pub fn invite_problem(e: &InviteError) -> &'static str {
    match e {
        InviteError::NotAnInvite => "enrol-error-invite-not-invite",
        InviteError::UnsupportedVersion(_) => "enrol-error-invite-version",
        InviteError::BadChecksum | InviteError::Malformed => "enrol-error-invite-damaged",
        InviteError::BadUrl => "enrol-error-invite-url",
    }
}

fn api_words(lang: Lang, err: &Api) -> Option<String> {
    Some(match err {
        Api::Unreachable { url, .. } => lang.ta("error-unreachable", &[("url", url)]),
        Api::Interrupted { url, .. } => lang.ta("error-interrupted", &[("url", url)]),
        // The server's own words, in its language (English).
        Api::Refused { message, .. } => lang.ta("error-refused", &[("reason", message)]),
        Api::ServerFull => lang.t("error-server-full"),
        Api::Undecodable(_) | Api::BadResponse(_) => lang.t("error-bad-server-response"),
        Api::Setup(_) | Api::Encode(_) => return None,
    })
}

fn follow_up_words(lang: Lang, refusal: &FollowUpRefusal) -> String {
    match refusal {
        FollowUpRefusal::NoteDeleted { note } => lang.ta("follow-up-refused-deleted", &[("note", note)]),
        FollowUpRefusal::NeverStored { note } => lang.ta("follow-up-refused-not-stored", &[("note", note)]),
        FollowUpRefusal::NoSuchConcern { note, count, .. } => lang.tv(
            "follow-up-refused-no-concern",
            vec![("note", FluentValue::from(note.clone())), ("count", FluentValue::from(*count))],
        ),
        FollowUpRefusal::Entry(EntryProblem::Future(date)) => {
            lang.ta("follow-up-error-future", &[("date", &lang.long_date(*date))])
        }
        FollowUpRefusal::Entry(EntryProblem::BeforeVisit { date, visit }) => lang.ta(
            "follow-up-error-before-visit",
            &[("date", &lang.long_date(*date)), ("visit", &lang.long_date(*visit))],
        ),
        FollowUpRefusal::Entry(EntryProblem::TooLong) => {
            lang.tv("follow-up-error-long", vec![("max", FluentValue::from(visitnotes_shared::follow_up::MAX_TEXT))])
        }
    }
}

fn admin_words(lang: Lang, err: &AdminError) -> String {
    match err {
        AdminError::NotAdmin => lang.t("admin-error-not-admin"),
        AdminError::RewrapNeedsCoordinator => lang.t("admin-error-rewrap-coordinator"),
        AdminError::NoRole { name } => lang.ta("admin-error-no-role", &[("name", name)]),
        AdminError::NothingChosen => lang.t("admin-error-nothing-chosen"),
        AdminError::InviteWithoutRole { name } => lang.ta("admin-error-invite-without-role", &[("name", name)]),
        AdminError::MemberGone { person } => lang.ta("admin-error-member-gone", &[("person", person)]),
        AdminError::NoActiveDevice { name } => lang.ta("admin-error-no-active-device", &[("name", name)]),
        AdminError::Refused(refusal) => refusal_words(lang, refusal),
        AdminError::Units(refusal) => units_refusal_words(lang, refusal),
        AdminError::NotApprovable(NotApprovable::Gone { .. }) => lang.t("admin-pending-gone"),
        AdminError::NotApprovable(NotApprovable::Tampered { .. }) => lang.t("admin-verdict-tampered-todo"),
        AdminError::NotApprovable(NotApprovable::UnknownInvite { .. }) => lang.t("admin-verdict-unknown"),
    }
}

fn org_key_words(lang: Lang, err: &OrgKeyError) -> Option<String> {
    Some(match err {
        OrgKeyError::DeviceKeyInvalid { person, device_id, .. } => lang.ta(
            "org-key-error-device-key",
            &[("person", person), ("device", crate::display::short(device_id.as_str()))],
        ),
        OrgKeyError::NotPinned => lang.t("org-key-error-not-pinned"),
        // Only the command line exports, rebuilds and imports the key.
        OrgKeyError::ImportNotAdmin { .. }
        | OrgKeyError::ImportNotInRoster
        | OrgKeyError::Threshold { .. }
        | OrgKeyError::ShareExists { .. }
        | OrgKeyError::NoRandomness
        | OrgKeyError::Qr(_)
        | OrgKeyError::RecoverNotInRoster
        | OrgKeyError::ShareUnreadable { .. }
        | OrgKeyError::OtherOrganisation { .. }
        | OrgKeyError::OtherSet { .. }
        | OrgKeyError::NoShares
        | OrgKeyError::TooFewShares { .. }
        | OrgKeyError::NotRebuilt => return None,
    })
}

/// A revocation or removal refused before anything was signed.
pub fn refusal_words(lang: Lang, refusal: &Refusal) -> String {
    match refusal {
        Refusal::ThisDevice => lang.t("admin-refused-this-device"),
        Refusal::Yourself { name } => lang.ta("admin-refused-yourself", &[("name", name)]),
        Refusal::LastOf { name, role: Role::Admin } => lang.ta("admin-refused-last-admin", &[("name", name)]),
        Refusal::LastOf { name, .. } => lang.ta("admin-refused-last-coordinator", &[("name", name)]),
    }
}

/// A units edit refused before anything was signed.
pub fn units_refusal_words(lang: Lang, refusal: &UnitsRefusal) -> String {
    match refusal {
        UnitsRefusal::AlreadyThere { unit } => lang.ta("admin-units-refused-already", &[("unit", unit)]),
        UnitsRefusal::NotThere { unit, units } => {
            lang.ta("admin-units-refused-not-there", &[("unit", unit), ("units", &units.join(", "))])
        }
        UnitsRefusal::NoneOrEmpty => lang.t("admin-units-refused-none"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::admin::AdminError;
    use visitnotes_shared::DeviceId;

    fn device() -> DeviceId {
        DeviceId::parse("0123456789abcdef0123456789abcdef").unwrap()
    }

    /// One error of each kind a page words from the catalogues.
    fn worded() -> Vec<ClientError> {
        let io = || std::io::Error::other("the disk said no");
        vec![
            ClientError::WrongPassphrase,
            ClientError::NoProfile("/p".into()),
            ClientError::ProfileDamaged { path: "/p".into(), source: serde_json::from_str::<u8>("x").unwrap_err() },
            ClientError::CorruptKeys { file: "/p".into(), damage: crate::vault::KeysDamage::NotPassphrase },
            ClientError::Roster(visitnotes_shared::roster::RosterError::Malformed("x".into())),
            ClientError::RosterEquivocation(2),
            ClientError::NoRoster,
            ClientError::RosterExpired { version: 2, expired: "x".into() },
            ClientError::NotApproved,
            ClientError::Seal(visitnotes_shared::envelope::SealError::ZeroCounter),
            ClientError::encrypt(io()),
            ClientError::Store(crate::store::StoreError::Malformed { what: "x".into() }),
            ClientError::NoOrgKey,
            ClientError::NoSuchNote("abcdef".into()),
            IdPrefixError::TooShort { given: "ab".into() }.into(),
            IdPrefixError::Ambiguous { prefix: "abcdef".into(), notes: 2 }.into(),
            ClientError::NoteDeleted { id: "abcdef".into() },
            ClientError::NotAuthor,
            ClientError::NotCoordinator,
            FollowUpRefusal::NoteDeleted { note: "abcdef".into() }.into(),
            FollowUpRefusal::NeverStored { note: "abcdef".into() }.into(),
            FollowUpRefusal::NoSuchConcern { note: "abcdef".into(), number: 2, count: 0 }.into(),
            FollowUpRefusal::NoSuchConcern { note: "abcdef".into(), number: 2, count: 1 }.into(),
            FollowUpRefusal::NoSuchConcern { note: "abcdef".into(), number: 5, count: 3 }.into(),
            FollowUpRefusal::Entry(EntryProblem::TooLong).into(),
            ClientError::NotStored { id: "abcdef".into(), reason: "x".into() },
            ClientError::Ambiguous { query: "Bo".into(), what: "person", matches: "x".into() },
            ClientError::NotFound { query: "Bo".into(), what: "person" },
            AdminError::NotAdmin.into(),
            AdminError::RewrapNeedsCoordinator.into(),
            AdminError::NoRole { name: "Bo".into() }.into(),
            AdminError::NothingChosen.into(),
            AdminError::InviteWithoutRole { name: "Bo".into() }.into(),
            AdminError::MemberGone { person: "Bo".into() }.into(),
            AdminError::NoActiveDevice { name: "Bo".into() }.into(),
            Refusal::LastOf { name: "Bo".into(), role: Role::Admin }.into(),
            UnitsRefusal::NoneOrEmpty.into(),
            NotApprovable::Gone { device_id: device() }.into(),
            OrgKeyError::NotPinned.into(),
            OrgKeyError::DeviceKeyInvalid { person: "Bo".into(), device_id: device(), reason: "x" }.into(),
            ClientError::RosterNotPublished {
                change: Unpublished::Removed { person: "Bo".into() },
                source: Box::new(ClientError::NoOrgKey),
            },
            ClientError::HeadNotUploaded { version: 3, source: Box::new(ClientError::NoOrgKey) },
            ClientError::Io { action: FileAction::Read, path: "/p".into(), source: io() },
            ClientError::Io { action: FileAction::Write, path: "/p".into(), source: io() },
            ClientError::Io { action: FileAction::CreateFolder, path: "/p".into(), source: io() },
            ClientError::ProfileExists("/p".into()),
            ClientError::ProfileNotWritable { dir: "/p".into(), source: io() },
            ClientError::InviteUnused(Box::new(ClientError::WeakPassphrase)),
            ClientError::PassphraseMismatch,
            ClientError::WeakPassphrase,
            InviteError::NotAnInvite.into(),
            InviteError::UnsupportedVersion(9).into(),
            InviteError::BadChecksum.into(),
            InviteError::Malformed.into(),
            InviteError::BadUrl.into(),
            ClientError::OrgKeyMismatch { expected: "AAAA".into(), found: "BBBB".into() },
            ClientError::ServerHasOrg,
            ClientError::ServerHasNoOrg,
            ClientError::OtherDeviceEnrolled { expected: device(), found: device() },
            ClientError::Api(Api::Refused { status: 401, code: "invite_invalid".into(), message: "x".into() }),
        ]
    }

    /// A message missing from a catalogue shows as its id.
    fn is_an_id(text: &str) -> bool {
        const PREFIXES: [&str; 7] = ["error-", "admin-", "follow-up-", "org-key-", "note-", "unlock-", "enrol-"];
        text.split([' ', '(', ')']).any(|word| {
            PREFIXES.iter().any(|p| word.starts_with(p)) && word.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        })
    }

    #[test]
    fn every_worded_kind_is_in_both_catalogues_and_never_in_english_in_norwegian() {
        for err in worded() {
            for lang in Lang::ALL {
                let text = error_words(lang, &err);
                assert!(!is_an_id(&text), "{lang:?}: {text}");
                assert!(!text.contains("{"), "{lang:?}: {text}");
            }
            let nb = error_words(Lang::Nb, &err);
            assert!(!nb.contains("Det gikk ikke. Årsaken, på engelsk"), "{nb}");
            assert_ne!(nb, error_words(Lang::En, &err), "{nb}");
        }
    }

    /// What no catalogue says stays in English after a Norwegian sentence;
    /// a cause of ours is worded too, the system's stays in English.
    #[test]
    fn the_rest_and_the_causes_are_said_whole() {
        let cli_only = ClientError::NoPassphrase;
        let english = cli_only.to_string();
        assert_eq!(error_words(Lang::Nb, &cli_only), format!("Det gikk ikke. Årsaken, på engelsk: {english}"));
        assert_eq!(error_words(Lang::En, &cli_only), english);
        let nested = ClientError::HeadNotUploaded { version: 3, source: Box::new(ClientError::NoOrgKey) };
        let nb = error_words(Lang::Nb, &nested);
        assert!(nb.ends_with("(Årsak: Dette krever organisasjonsnøkkelen, som ligger på en administrators enhet. En administrator kan importere den på siden for organisasjonsnøkkelen under Administrasjon.)"), "{nb}");
        let io = ClientError::Io { action: FileAction::Read, path: "/p".into(), source: std::io::Error::other("gone") };
        assert!(error_words(Lang::Nb, &io).ends_with("(Årsak, på engelsk: gone)"), "{}", error_words(Lang::Nb, &io));
        let refused = ClientError::Roster(visitnotes_shared::roster::RosterError::Malformed("no version".into()));
        let en = error_words(Lang::En, &refused);
        assert_eq!(en.matches("no version").count(), 1, "{en}");
    }
}
