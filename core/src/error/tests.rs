//! One error of every kind: no message repeats its cause, and every kind
//! keeps its `--json` code.

use std::error::Error;

use visitnotes_shared::age_header::HeaderError;
use visitnotes_shared::envelope::{OpenError, SealError};
use visitnotes_shared::rewrap::RewrapError;
use visitnotes_shared::roster::{Role, RosterError};
use visitnotes_shared::DeviceId;

use super::*;
use crate::api::{ApiClientError, Decode};
use crate::ops::admin::{NotApprovable, Refusal, UnitsRefusal};
use crate::ops::follow_up::EntryProblem;
use crate::ops::org_key::ShareInput;

fn io() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::PermissionDenied, "the disk said no")
}

fn json() -> serde_json::Error {
    serde_json::from_str::<u8>("not json").unwrap_err()
}

fn device() -> DeviceId {
    DeviceId::parse("0123456789abcdef0123456789abcdef").unwrap()
}

fn reqwest() -> reqwest::Error {
    reqwest::blocking::Client::new().get("not a url").build().unwrap_err()
}

fn age_error() -> age::DecryptError {
    age::Decryptor::new_buffered(&b"not an age file"[..]).err().expect("not an age file")
}

/// Which kind `e` is. Exhaustive, so that a new kind does not compile
/// until it is named here; name it with a representative below too
/// (`KINDS` counts the arms).
fn kind(e: &ClientError) -> &'static str {
    match e {
        ClientError::NoProfile(_) => "NoProfile",
        ClientError::ProfileExists(_) => "ProfileExists",
        ClientError::ProfileNotWritable { .. } => "ProfileNotWritable",
        ClientError::NoHome => "NoHome",
        ClientError::ProfileDamaged { .. } => "ProfileDamaged",
        ClientError::InviteUnused(_) => "InviteUnused",
        ClientError::WrongPassphrase => "WrongPassphrase",
        ClientError::NoPassphrase => "NoPassphrase",
        ClientError::PassphraseMismatch => "PassphraseMismatch",
        ClientError::WeakPassphrase => "WeakPassphrase",
        ClientError::CorruptKeys { .. } => "CorruptKeys",
        ClientError::Invite(_) => "Invite",
        ClientError::OrgKeyMismatch { .. } => "OrgKeyMismatch",
        ClientError::ServerHasOrg => "ServerHasOrg",
        ClientError::ServerHasNoOrg => "ServerHasNoOrg",
        ClientError::OtherDeviceEnrolled { .. } => "OtherDeviceEnrolled",
        ClientError::Api(_) => "Api",
        ClientError::Roster(_) => "Roster",
        ClientError::RosterEquivocation(_) => "RosterEquivocation",
        ClientError::NoRoster => "NoRoster",
        ClientError::RosterExpired { .. } => "RosterExpired",
        ClientError::NotApproved => "NotApproved",
        ClientError::Note(_) => "Note",
        ClientError::Seal(_) => "Seal",
        ClientError::Encrypt(_) => "Encrypt",
        ClientError::Store(_) => "Store",
        ClientError::NoOrgKey => "NoOrgKey",
        ClientError::NoSuchNote(_) => "NoSuchNote",
        ClientError::IdPrefix(_) => "IdPrefix",
        ClientError::NoteDeleted { .. } => "NoteDeleted",
        ClientError::NotAuthor => "NotAuthor",
        ClientError::NotCoordinator => "NotCoordinator",
        ClientError::FollowUp(_) => "FollowUp",
        ClientError::NotStored { .. } => "NotStored",
        ClientError::Ambiguous { .. } => "Ambiguous",
        ClientError::NotFound { .. } => "NotFound",
        ClientError::Admin(_) => "Admin",
        ClientError::OrgKey(_) => "OrgKey",
        ClientError::RosterNotPublished { .. } => "RosterNotPublished",
        ClientError::HeadNotUploaded { .. } => "HeadNotUploaded",
        ClientError::Io { .. } => "Io",
    }
}

const KINDS: usize = 41;

/// Every kind of error, each with a cause where it has one, and the code
/// `--json` gives it: once given, a code never changes.
fn representatives() -> Vec<(ClientError, &'static str)> {
    let nested = || Box::new(ClientError::Io { action: FileAction::Write, path: "/p/x".into(), source: io() });
    let org = |e: OrgKeyError| ClientError::OrgKey(e);
    let admin = |e: AdminError| ClientError::Admin(e);
    let follow_up = |e: FollowUpRefusal| ClientError::FollowUp(e);
    vec![
        (ClientError::NoProfile("/p".into()), "no_profile"),
        (ClientError::ProfileExists("/p".into()), "profile_exists"),
        (ClientError::ProfileNotWritable { dir: "/p".into(), source: io() }, "profile_not_writable"),
        (ClientError::NoHome, "no_home"),
        (ClientError::ProfileDamaged { path: "/p/profile.json".into(), source: json() }, "profile_damaged"),
        (ClientError::InviteUnused(nested()), "invite_unused"),
        (ClientError::WrongPassphrase, "wrong_passphrase"),
        (ClientError::NoPassphrase, "no_passphrase"),
        (ClientError::PassphraseMismatch, "passphrase_mismatch"),
        (ClientError::WeakPassphrase, "weak_passphrase"),
        (
            ClientError::CorruptKeys { file: "/p/keys.age".into(), damage: KeysDamage::NotAge(age_error()) },
            "corrupt_keys",
        ),
        (
            ClientError::CorruptKeys {
                file: "/p/secrets.age".into(),
                damage: KeysDamage::Secrets(Some(Box::new(json()))),
            },
            "corrupt_keys",
        ),
        (
            ClientError::CorruptKeys {
                file: "/k".into(),
                damage: KeysDamage::NotAnOrgKey(Some(visitnotes_shared::keys::KeyError::Invalid("not base64"))),
            },
            "corrupt_keys",
        ),
        (ClientError::Invite(visitnotes_shared::invite::InviteError::BadChecksum), "invalid_invite"),
        (ClientError::OrgKeyMismatch { expected: "a".into(), found: "b".into() }, "org_key_mismatch"),
        (ClientError::ServerHasOrg, "server_has_org"),
        (ClientError::ServerHasNoOrg, "server_has_no_org"),
        (ClientError::OtherDeviceEnrolled { expected: device(), found: device() }, "other_device_enrolled"),
        (ClientError::Api(ApiClientError::Setup(reqwest())), "http_setup"),
        (
            ClientError::Api(ApiClientError::Unreachable { url: "http://s".into(), source: reqwest() }),
            "server_unreachable",
        ),
        (
            ClientError::Api(ApiClientError::Interrupted { url: "http://s".into(), source: io() }),
            "connection_interrupted",
        ),
        (ClientError::Api(ApiClientError::Undecodable(Decode::Json(json()))), "bad_server_response"),
        (ClientError::Api(ApiClientError::ServerFull), "server_storage_full"),
        (ClientError::Roster(RosterError::Malformed("no version".into())), "roster_refused"),
        (ClientError::RosterEquivocation(3), "roster_equivocation"),
        (ClientError::NoRoster, "no_roster"),
        (ClientError::RosterExpired { version: 3, expired: "today".into() }, "roster_expired"),
        (ClientError::NotApproved, "not_approved"),
        (ClientError::Note(visitnotes_shared::note::NoteError::Empty), "invalid_note"),
        (ClientError::Seal(SealError::Header(HeaderError::NoStanza)), "seal_failed"),
        (ClientError::encrypt(io()), "encrypt_failed"),
        (ClientError::Store(crate::store::StoreError::Malformed { what: "a hash".into() }), "local_store"),
        (ClientError::NoOrgKey, "no_org_key"),
        (ClientError::NoSuchNote("abcdef".into()), "no_such_note"),
        (ClientError::IdPrefix(IdPrefixError::TooShort { given: "ab".into() }), "invalid"),
        (ClientError::IdPrefix(IdPrefixError::Ambiguous { prefix: "abcdef".into(), notes: 2 }), "ambiguous"),
        (ClientError::NoteDeleted { id: "abcdef".into() }, "note_deleted"),
        (ClientError::NotAuthor, "not_author"),
        (ClientError::NotCoordinator, "not_coordinator"),
        (follow_up(FollowUpRefusal::NoteDeleted { note: "abcdef".into() }), "note_deleted"),
        (follow_up(FollowUpRefusal::NeverStored { note: "abcdef".into() }), "not_stored"),
        (follow_up(FollowUpRefusal::NoSuchConcern { note: "abcdef".into(), number: 3, count: 2 }), "no_such_concern"),
        (follow_up(EntryProblem::Future(chrono::NaiveDate::MAX).into()), "future_date"),
        (
            follow_up(EntryProblem::BeforeVisit { date: chrono::NaiveDate::MIN, visit: chrono::NaiveDate::MAX }.into()),
            "before_visit",
        ),
        (follow_up(EntryProblem::TooLong.into()), "too_long"),
        (ClientError::NotStored { id: "abcdef".into(), reason: "too large".into() }, "not_stored"),
        (ClientError::Ambiguous { query: "Bo".into(), what: "person", matches: "Bo A; Bo B".into() }, "ambiguous"),
        (ClientError::NotFound { query: "Bo".into(), what: "person" }, "not_found"),
        (admin(AdminError::NotAdmin), "not_admin"),
        (admin(AdminError::RewrapNeedsCoordinator), "not_coordinator"),
        (admin(AdminError::NoRole { name: "Bo".into() }), "no_role"),
        (admin(AdminError::NothingChosen), "invalid"),
        (admin(AdminError::InviteWithoutRole { name: "Bo".into() }), "invite_without_role"),
        (admin(AdminError::MemberGone { person: "Bo".into() }), "member_gone"),
        (admin(AdminError::NoActiveDevice { name: "Bo".into() }), "no_active_device"),
        (Refusal::ThisDevice.into(), "revoke_this_device"),
        (Refusal::Yourself { name: "Bo".into() }.into(), "remove_yourself"),
        (Refusal::LastOf { name: "Bo".into(), role: Role::Coordinator }.into(), "last_of_role"),
        (UnitsRefusal::AlreadyThere { unit: "A".into() }.into(), "unit_exists"),
        (UnitsRefusal::NotThere { unit: "C".into(), units: vec!["A".into()] }.into(), "no_such_unit"),
        (UnitsRefusal::NoneOrEmpty.into(), "no_units"),
        (NotApprovable::Gone { device_id: device() }.into(), "not_pending"),
        (NotApprovable::Tampered { name: "Bo".into(), device_id: device() }.into(), "enrolment_tampered"),
        (NotApprovable::UnknownInvite { name: "Bo".into(), device_id: device() }.into(), "invite_made_elsewhere"),
        (
            org(OrgKeyError::DeviceKeyInvalid { person: "Bo".into(), device_id: device(), reason: "bad" }),
            "device_key_invalid",
        ),
        (org(OrgKeyError::NotPinned), "org_key_not_pinned"),
        (org(OrgKeyError::ImportNotAdmin { name: "Bo".into() }), "not_admin"),
        (org(OrgKeyError::ImportNotInRoster), "not_approved"),
        (org(OrgKeyError::Threshold { threshold: 1, count: 5 }), "invalid"),
        (org(OrgKeyError::ShareExists { path: "/s/share-1-of-5.txt".into() }), "share_exists"),
        (org(OrgKeyError::NoRandomness), "no_randomness"),
        (org(OrgKeyError::Qr(crate::qr::QrError::DataTooLong)), "qr_failed"),
        (org(OrgKeyError::RecoverNotInRoster), "not_approved"),
        (
            org(OrgKeyError::ShareUnreadable {
                input: ShareInput::Typed,
                source: crate::org_shares::ShareError::Checksum,
            }),
            "share_unreadable",
        ),
        (
            org(OrgKeyError::OtherOrganisation { number: 1, found: "a".into(), expected: "b".into() }),
            "share_other_organisation",
        ),
        (org(OrgKeyError::OtherSet { number: 2, first: 1 }), "share_other_set"),
        (org(OrgKeyError::NoShares), "invalid"),
        (org(OrgKeyError::TooFewShares { numbers: vec![1, 2], threshold: 3 }), "too_few_shares"),
        (org(OrgKeyError::NotRebuilt), "shares_do_not_rebuild"),
        (
            ClientError::RosterNotPublished {
                change: Unpublished::Revoked { person: "Bo".into(), device_id: device() },
                source: nested(),
            },
            "roster_not_published",
        ),
        (
            ClientError::RosterNotPublished { change: Unpublished::Removed { person: "Bo".into() }, source: nested() },
            "roster_not_published",
        ),
        (ClientError::HeadNotUploaded { version: 4, source: nested() }, "head_not_uploaded"),
        (ClientError::Io { action: FileAction::Read, path: "/p/x".into(), source: io() }, "io"),
        (ClientError::Io { action: FileAction::CreateFolder, path: "/p".into(), source: io() }, "io"),
    ]
}

#[test]
fn every_kind_has_a_representative() {
    let seen: std::collections::BTreeSet<&str> = representatives().iter().map(|(e, _)| kind(e)).collect();
    assert_eq!(seen.len(), KINDS, "a kind without a representative, or KINDS not counted: {seen:?}");
}

/// Every link of `err`'s chain against every cause after it.
fn assert_says_no_cause(err: &(dyn Error + 'static)) {
    let mut link: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(e) = link {
        let message = e.to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            let text = c.to_string();
            assert!(!message.contains(&text), "{message:?} repeats its cause {text:?}");
            cause = c.source();
        }
        link = e.source();
    }
}

#[test]
fn no_message_repeats_its_cause() {
    for (err, _) in representatives() {
        assert_says_no_cause(&err);
        // Printed whole, each cause once.
        let line = Chain(&err).to_string();
        let mut cause = err.source();
        while let Some(c) = cause {
            assert_eq!(line.matches(&c.to_string()).count(), 1, "{line}");
            cause = c.source();
        }
    }
    // The shared errors the client keeps as a rejected note's reason.
    let header = || OpenError::Header(HeaderError::BadStanza(2));
    assert_says_no_cause(&header());
    assert_says_no_cause(&RewrapError::Open(header()));
    assert_says_no_cause(&SealError::Header(HeaderError::NotAgeV1));
    let kept = Chain(&RewrapError::Open(header())).to_string();
    assert!(kept.ends_with("does not read: recipient stanza 2 is malformed"), "{kept}");
}

#[test]
fn every_kind_keeps_its_json_code() {
    for (err, code) in representatives() {
        assert_eq!(err.code(), code, "{err}");
    }
}

#[test]
fn no_message_is_empty_and_each_code_is_snake_case() {
    for (err, _) in representatives() {
        assert!(!err.to_string().trim().is_empty(), "{err:?}");
        assert!(err.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", err.code());
    }
}
