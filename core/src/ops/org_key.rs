//! The organisation key beyond one device.
//!
//! - **Grants**: an administrator's device that holds the key seals it
//!   (age, X25519) to every other active administrator's device the server
//!   has no grant for (at approval, and before each `admin` command), and
//!   hands it to the server, which cannot open it. The receiving device
//!   picks it up on `sync` or its next `admin` command, and keeps it only
//!   if it is the organisation key it pinned at enrolment; anything else is
//!   refused and stays an alert (`org_key_grant`).
//! - **Shares on paper**: `export_shares` splits the key's seed into `n`
//!   shares of which any `k` rebuild it (Shamir over GF(256), the `blahaj`
//!   crate), each a printable text file with a checksum and the
//!   organisation's fingerprint, and a QR code as SVG (`org_shares`);
//!   `recover` rebuilds it on an enrolled device from `k` of them (and, on
//!   a device whose member is not an administrator, publishes the roster
//!   that makes them one), and refuses fewer, another organisation's,
//!   another export's, or a mistyped one.
//! - **A reminder**, once, while the key is on this device only and no
//!   shares were made (`take_reminder`: the doors word it).

use std::path::{Path, PathBuf};

use serde::Serialize;
use visitnotes_shared::roster::{DeviceStatus, MemberStatus, Role, Roster};
use visitnotes_shared::{DeviceId, OrgKey};
use zeroize::Zeroizing;

use crate::display::short;
use crate::error::ClientError;
use crate::org_shares::{self, ShareCode};
use crate::profile::Session;
use crate::store::StoredKind;

/// What a grant's plaintext starts with, so that no other age file this
/// device can open passes for one.
const GRANT_CONTEXT: &str = "visitnotes/org-key-grant/v1\n";
/// Store meta: when shares were exported from this device; when the
/// reminder was shown.
const SHARES_EXPORTED: &str = "org_key_shares_exported";
const REMINDED: &str = "org_key_reminded";

/// Why the organisation key cannot be handed on, exported as shares,
/// rebuilt from them, imported or used here. Each says what to do (in
/// English, for the command line); the web app words those its pages
/// meet from the catalogues (`org-key-error-*`, `org-key-import-error-*`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgKeyError {
    /// The roster lists an age key for an administrator's device that does
    /// not parse: the organisation key cannot be sealed to it.
    #[error("{person}'s device {} has an age key that is not valid ({reason}): the organisation key was not sealed to it. Tell whoever supports your Visitnotes", short(.device_id.as_str()))]
    DeviceKeyInvalid { person: String, device_id: DeviceId, reason: &'static str },
    /// The key this device holds is not the one it pinned at enrolment:
    /// nothing is signed with it.
    #[error("the organisation key on this device is not the one it pinned at enrolment: nothing was signed. Import your organisation's key with `visitnotes admin import-org-key`")]
    NotPinned,
    /// `admin import-org-key` on a device whose member is no administrator.
    #[error("{name} is not an administrator in the roster: the organisation key belongs only on administrators' devices. Nothing was imported")]
    ImportNotAdmin { name: String },
    /// `admin import-org-key` on a device the roster does not list.
    #[error("this device is not in the roster yet: ask an administrator to approve it, run `visitnotes sync`, then import the key. Nothing was imported")]
    ImportNotInRoster,
    /// Shares asked for with a threshold out of range.
    #[error("--threshold {threshold} with --shares {count}: the threshold must be at least 2 and at most the number of shares (3 of 5 is usual)")]
    Threshold { threshold: u8, count: u8 },
    /// A share file of the set to write is there already.
    #[error("{} exists already: shares are never overwritten. Choose an empty directory, and destroy the old set once the new one is handed out", .path.display())]
    ShareExists { path: PathBuf },
    /// The system gave no random bytes for the set's id.
    #[error("the system's random source failed, and no shares were written: try again, and if it fails again tell whoever supports your Visitnotes")]
    NoRandomness,
    /// A share's QR code could not be made.
    #[error("the QR code of a share could not be made: remove the shares written in that folder, and tell whoever supports your Visitnotes")]
    Qr(#[source] crate::qr::QrError),
    /// Recovery on a device the roster does not list.
    #[error("this device is not in the roster: recover the key on a device of the organisation that an administrator approved (a coordinator's or leader's will do), after `visitnotes sync`. Nothing was rebuilt")]
    RecoverNotInRoster,
    /// A share (a file, or a code typed in) that does not read.
    #[error("{input} cannot be used, and nothing was rebuilt: check it against the paper, or use another share")]
    ShareUnreadable {
        input: ShareInput,
        #[source]
        source: org_shares::ShareError,
    },
    /// A share of another organisation's key.
    #[error("share {number} belongs to another organisation (key fingerprint {found}), not to this one ({expected}). Nothing was rebuilt")]
    OtherOrganisation { number: u8, found: String, expected: String },
    /// Shares of two different exports.
    #[error("share {number} comes from another set of shares than share {first} (made at another export): shares of different sets do not combine. Use shares of one set. Nothing was rebuilt")]
    OtherSet { number: u8, first: u8 },
    /// No share given.
    #[error("give the shares: their files, or their codes in quotes")]
    NoShares,
    /// Fewer different shares than the set's threshold.
    #[error("{} different share(s) given (number {}), and {threshold} are needed: nothing was rebuilt. Fewer than {threshold} tell nothing about the key", .numbers.len(), numbers_text(.numbers))]
    TooFewShares { numbers: Vec<u8>, threshold: u8 },
    /// Enough shares, of this organisation, that do not rebuild its key.
    #[error("the shares carry this organisation's fingerprint but do not rebuild its key: one of them is damaged. Try another combination. Nothing was kept")]
    NotRebuilt,
}

/// Where a share was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareInput {
    File(PathBuf),
    Typed,
}

impl std::fmt::Display for ShareInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareInput::File(path) => write!(f, "{}", path.display()),
            ShareInput::Typed => f.write_str("the share code typed in"),
        }
    }
}

fn numbers_text(numbers: &[u8]) -> String {
    numbers.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
}

impl OrgKeyError {
    /// The code for `--json` (see `ClientError::code`).
    pub fn code(&self) -> &'static str {
        match self {
            OrgKeyError::DeviceKeyInvalid { .. } => "device_key_invalid",
            OrgKeyError::NotPinned => "org_key_not_pinned",
            OrgKeyError::ImportNotAdmin { .. } => "not_admin",
            OrgKeyError::ImportNotInRoster | OrgKeyError::RecoverNotInRoster => "not_approved",
            OrgKeyError::Threshold { .. } | OrgKeyError::NoShares => "invalid",
            OrgKeyError::ShareExists { .. } => "share_exists",
            OrgKeyError::NoRandomness => "no_randomness",
            OrgKeyError::Qr(_) => "qr_failed",
            OrgKeyError::ShareUnreadable { .. } => "share_unreadable",
            OrgKeyError::OtherOrganisation { .. } => "share_other_organisation",
            OrgKeyError::OtherSet { .. } => "share_other_set",
            OrgKeyError::TooFewShares { .. } => "too_few_shares",
            OrgKeyError::NotRebuilt => "shares_do_not_rebuild",
        }
    }
}

/// The organisation key sealed to `device` of `person`, for it alone to open.
fn seal(org: &OrgKey, person: &str, device: &visitnotes_shared::roster::Device) -> Result<Vec<u8>, ClientError> {
    let recipient: age::x25519::Recipient = device.age_recipient.parse().map_err(|reason| {
        OrgKeyError::DeviceKeyInvalid { person: person.to_owned(), device_id: device.device_id.clone(), reason }
    })?;
    let plaintext = Zeroizing::new(format!("{GRANT_CONTEXT}{}", org.to_secret_string().as_str()));
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(ClientError::encrypt)?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).map_err(ClientError::encrypt)?;
    std::io::Write::write_all(&mut writer, plaintext.as_bytes()).map_err(ClientError::encrypt)?;
    writer.finish().map_err(ClientError::encrypt)?;
    Ok(out)
}

/// Opens a grant with this device's age key; None when it is not one.
fn open(session: &Session, sealed: &[u8]) -> Option<OrgKey> {
    visitnotes_shared::age_header::read(sealed).ok()?;
    let decryptor = age::Decryptor::new_buffered(sealed).ok()?;
    let identity = session.secrets.device.age_identity();
    let mut reader = decryptor.decrypt(std::iter::once(identity as &dyn age::Identity)).ok()?;
    let mut plaintext = Zeroizing::new(Vec::new());
    std::io::Read::read_to_end(&mut reader, &mut plaintext).ok()?;
    let text = std::str::from_utf8(&plaintext).ok()?;
    OrgKey::from_secret_string(text.strip_prefix(GRANT_CONTEXT)?).ok()
}

fn is_admin(roster: &Roster, session: &Session) -> bool {
    roster.device(&session.config.device_id).is_some_and(|(m, _)| m.roles.contains(&Role::Admin))
}

/// The active administrators' devices in `roster` other than this one:
/// (person, device).
fn other_admin_devices<'a>(
    roster: &'a Roster,
    session: &Session,
) -> impl Iterator<Item = (&'a str, &'a visitnotes_shared::roster::Device)> {
    let me = session.config.device_id.clone();
    roster
        .members
        .iter()
        .filter(|m| m.status == MemberStatus::Active && m.roles.contains(&Role::Admin))
        .flat_map(|m| m.devices.iter().map(move |d| (m.name.as_str(), d)))
        .filter(move |(_, d)| d.status == DeviceStatus::Active && d.device_id != me)
}

/// An administrator's device the organisation key was sealed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Granted {
    /// The member's name in the roster.
    pub person: String,
    pub device_id: DeviceId,
}

/// Seals the organisation key to every active administrator's device in
/// `roster` that the server holds no grant for, and hands it over.
/// Returns whom it went to; nothing when this device holds no key.
pub fn grant_missing(session: &Session, roster: &Roster) -> Result<Vec<Granted>, ClientError> {
    let Some(org) = session.secrets.org_key.as_ref() else { return Ok(Vec::new()) };
    if org.public() != session.config.org_key || !is_admin(roster, session) {
        return Ok(Vec::new());
    }
    let wanting: Vec<_> = other_admin_devices(roster, session).collect();
    if wanting.is_empty() {
        return Ok(Vec::new());
    }
    let api = session.api()?;
    let granted = api.org_key_grants(&session.secrets.device)?;
    let mut done = Vec::new();
    for (name, device) in wanting.into_iter().filter(|(_, d)| !granted.contains(&d.device_id)) {
        let sealed = seal(org, name, device)?;
        api.grant_org_key(&session.secrets.device, &device.device_id, &sealed)?;
        done.push(Granted { person: name.to_owned(), device_id: device.device_id.clone() });
    }
    Ok(done)
}

/// What picking up a grant did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum PickUp {
    /// The organisation key is on this device now.
    Received { fingerprint: String, from: GrantedBy },
    /// A grant was there, but it is not the pinned organisation key: not
    /// kept, and the alert `org_key_grant` is open.
    Refused { from: GrantedBy, why: GrantRefused },
}

/// Who sealed a grant, as the roster names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum GrantedBy {
    /// A member of the roster (by name).
    Member { name: String },
    /// A device the roster does not list.
    Device { device_id: DeviceId },
}

/// Why a grant was not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "why")]
pub enum GrantRefused {
    /// It does not open with this device's key as an organisation key.
    NotAKey,
    /// It opens, but holds another key than the organisation's (both by
    /// fingerprint).
    OtherKey { found: String, expected: String },
}

/// On an administrator's device without the organisation key: fetches the
/// key sealed to it, checks it is the pinned one, and keeps it. None when
/// there is nothing to do (not an administrator's device, the key held
/// already, or no grant waiting).
pub fn pick_up(session: &mut Session) -> Result<Option<PickUp>, ClientError> {
    if session.secrets.org_key.is_some() {
        return Ok(None);
    }
    let Ok(roster) = session.roster() else { return Ok(None) };
    if !is_admin(&roster, session) {
        return Ok(None);
    }
    let Some(grant) = session.api()?.org_key_grant(&session.secrets.device)? else { return Ok(None) };
    let from = match roster.device(&grant.granted_by) {
        Some((member, _)) => GrantedBy::Member { name: member.name.clone() },
        None => GrantedBy::Device { device_id: grant.granted_by.clone() },
    };
    let why = match open(session, &grant.sealed) {
        None => GrantRefused::NotAKey,
        Some(org) if org.public() != session.config.org_key => {
            GrantRefused::OtherKey { found: org.public().fingerprint(), expected: session.config.org_key.fingerprint() }
        }
        Some(org) => {
            session.secrets.org_key = Some(org);
            session.save_secrets()?;
            session.store.resolve_alerts(StoredKind::OrgKeyGrant, "")?;
            return Ok(Some(PickUp::Received { fingerprint: session.config.org_key.fingerprint(), from }));
        }
    };
    // Kept as data, worded by the doors (`ops::alerts`).
    session.store.alert(StoredKind::OrgKeyGrant, "", &super::alerts::Detail::grant(&from, &why).to_json())?;
    Ok(Some(PickUp::Refused { from, why }))
}

/// The shares written by `export_shares`.
#[derive(Debug, Serialize)]
pub struct Exported {
    pub threshold: u8,
    pub files: Vec<PathBuf>,
    pub fingerprint: String,
    /// The mode of the folder when it was there already and other users of
    /// the computer may open it (it is left as it is: the files in it are
    /// readable by this user only, but their names are not hidden).
    pub folder_open_to_others: Option<u32>,
}

/// One share of a split (`split`), to print: its code and the same code
/// as a QR code.
pub struct SplitShare {
    /// 1 to `count`.
    pub number: u8,
    /// The code as printed (`org_shares::ShareCode::encode`); wiped when
    /// dropped.
    pub code: Zeroizing<String>,
    /// The printable text page of the share (`org_shares::page`).
    pub page: Zeroizing<String>,
    /// The QR code of `code`, as an SVG of the form asked for.
    pub qr_svg: Zeroizing<String>,
}

/// The organisation key split into shares (`split`).
pub struct Split {
    pub threshold: u8,
    pub count: u8,
    /// The organisation key's fingerprint, as people read it.
    pub fingerprint: String,
    /// The set the shares belong to (shares of two splits do not combine).
    pub set: String,
    pub shares: Vec<SplitShare>,
}

/// Splits the organisation key into `count` shares, any `threshold` of
/// which rebuild it, in memory: for `export_shares` to write, or for a page
/// to show and print. Each share's page names its QR code as `svg_name(n)`.
pub fn split(
    session: &Session,
    count: u8,
    threshold: u8,
    qr: crate::qr::Svg,
    svg_name: &dyn Fn(u8) -> String,
) -> Result<Split, ClientError> {
    let org = session.secrets.org_key.as_ref().ok_or(ClientError::NoOrgKey)?;
    if threshold < 2 || threshold > count {
        return Err(OrgKeyError::Threshold { threshold, count }.into());
    }
    let mut set_id = [0u8; 4];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut set_id)
        .map_err(|_| OrgKeyError::NoRandomness)?;
    let seed = org.seed();
    let dealt: Vec<blahaj::Share> = blahaj::Sharks(threshold).dealer(&seed[..]).take(usize::from(count)).collect();
    let fingerprint = session.config.org_key.fingerprint();
    let made_on = chrono::Local::now().format("%-d %B %Y").to_string();
    let mut shares = Vec::new();
    for share in &dealt {
        let code = ShareCode {
            threshold,
            count,
            set_id,
            org_fingerprint: org_shares::org_fingerprint(&session.config.org_key),
            share: Zeroizing::new(Vec::from(share)),
        };
        let number = code.number();
        let page = org_shares::page(
            &code,
            &org_shares::Page {
                organisation_fingerprint: &fingerprint,
                made_by: &session.config.name,
                made_on: &made_on,
                svg_name: &svg_name(number),
            },
        );
        let encoded = Zeroizing::new(code.encode());
        let qr_svg = crate::qr::svg(&encoded, qr).map_err(OrgKeyError::Qr)?;
        shares.push(SplitShare { number, code: encoded, page: Zeroizing::new(page), qr_svg: Zeroizing::new(qr_svg) });
    }
    Ok(Split { threshold, count, fingerprint, set: data_encoding::HEXUPPER.encode(&set_id), shares })
}

/// Records that shares of the organisation key were made on this device
/// (and printed or written): the administration stops reminding.
pub fn shares_made(session: &Session) -> Result<(), ClientError> {
    Ok(session.store.set_meta(SHARES_EXPORTED, &chrono::Utc::now().timestamp().to_string())?)
}

/// Whether the organisation key's only copy is here, unbacked: this device
/// holds it, no shares of it were made here, and no other administrator's
/// device is listed to hold it. The administration page says so until it
/// is done (`take_reminder` tells the command line once).
pub fn backup_missing(session: &Session, roster: &Roster) -> Result<bool, ClientError> {
    Ok(session.secrets.org_key.is_some()
        && session.store.meta(SHARES_EXPORTED)?.is_none()
        && other_admin_devices(roster, session).next().is_none())
}

/// Splits the organisation key into `count` shares, any `threshold` of
/// which rebuild it, and writes each as `share-N-of-COUNT.txt` and `.svg`
/// into `dir` (created mode 0700 when absent, else left as it is; refused
/// if a share file is there already).
pub fn export_shares(session: &Session, count: u8, threshold: u8, dir: &Path) -> Result<Exported, ClientError> {
    if session.secrets.org_key.is_none() {
        return Err(ClientError::NoOrgKey);
    }
    if threshold < 2 || threshold > count {
        return Err(OrgKeyError::Threshold { threshold, count }.into());
    }
    let names: Vec<(String, String)> =
        (1..=count).map(|n| (format!("share-{n}-of-{count}.txt"), format!("share-{n}-of-{count}.svg"))).collect();
    if let Some(existing) = names.iter().flat_map(|(t, s)| [t, s]).map(|n| dir.join(n)).find(|p| p.exists()) {
        return Err(OrgKeyError::ShareExists { path: existing }.into());
    }
    let folder_open_to_others = crate::vault::private_out_dir(dir)?;
    let made = split(session, count, threshold, crate::qr::Svg::File, &|n| format!("share-{n}-of-{count}.svg"))?;
    let mut files = Vec::new();
    for (share, (txt, svg)) in made.shares.iter().zip(&names) {
        crate::vault::write_private_new(&dir.join(txt), share.page.as_bytes())?;
        crate::vault::write_private_new(&dir.join(svg), share.qr_svg.as_bytes())?;
        files.push(dir.join(txt));
    }
    shares_made(session)?;
    Ok(Exported { threshold, files, fingerprint: made.fingerprint, folder_open_to_others })
}

/// What `recover` rebuilt.
#[derive(Debug, Serialize)]
pub struct Recovered {
    pub fingerprint: String,
    pub shares_used: usize,
    /// This device held the key already: the shares were only checked.
    pub already_held: bool,
    /// The member of this device was made an administrator: (name, the
    /// roster version that says so).
    pub made_admin: Option<(String, u64)>,
}

/// Reads one share: a share's text file, or its code typed in.
fn read_share(input: &str) -> Result<ShareCode, ClientError> {
    let path = Path::new(input);
    let (input, parsed) = if !input.trim_start().to_uppercase().starts_with("VNS1") && path.is_file() {
        let text = std::fs::read_to_string(path).map_err(ClientError::read(path))?;
        (ShareInput::File(path.to_owned()), ShareCode::from_text(&text))
    } else {
        (ShareInput::Typed, ShareCode::decode(input))
    };
    Ok(parsed.map_err(|source| OrgKeyError::ShareUnreadable { input, source })?)
}

/// Rebuilds the organisation key from shares (files or typed codes) on
/// this enrolled device and keeps it. On a device whose member is not an
/// administrator (the administrators' devices are all lost), it then signs
/// and publishes the roster that makes that member one: whoever holds the
/// key can sign any roster, and the holders of the shares chose this
/// device by coming together at it.
pub fn recover(session: &mut Session, inputs: &[String]) -> Result<Recovered, ClientError> {
    recover_with(session, inputs, read_share)
}

/// `recover` from share codes typed or pasted in (a page's form): each
/// input is read as a code only, never as the name of a file.
pub fn recover_typed(session: &mut Session, codes: &[String]) -> Result<Recovered, ClientError> {
    recover_with(session, codes, |code| {
        ShareCode::decode(code)
            .map_err(|source| OrgKeyError::ShareUnreadable { input: ShareInput::Typed, source }.into())
    })
}

fn recover_with(
    session: &mut Session,
    inputs: &[String],
    read_share: impl Fn(&str) -> Result<ShareCode, ClientError>,
) -> Result<Recovered, ClientError> {
    let roster = super::roster::refresh(session).or_else(|_| session.roster())?;
    let Some((member, _)) = roster.device(&session.config.device_id) else {
        return Err(OrgKeyError::RecoverNotInRoster.into());
    };
    let was_admin = member.roles.contains(&Role::Admin);
    let name = member.name.clone();
    let pinned = org_shares::org_fingerprint(&session.config.org_key);
    let mut shares: Vec<ShareCode> = Vec::new();
    for input in inputs {
        let share = read_share(input)?;
        if share.org_fingerprint != pinned {
            return Err(OrgKeyError::OtherOrganisation {
                number: share.number(),
                found: org_shares::fingerprint_text(&share.org_fingerprint),
                expected: session.config.org_key.fingerprint(),
            }
            .into());
        }
        if let Some(first) = shares.first() {
            if first.set_id != share.set_id || first.threshold != share.threshold {
                return Err(OrgKeyError::OtherSet { number: share.number(), first: first.number() }.into());
            }
        }
        if !shares.iter().any(|s| s.number() == share.number()) {
            shares.push(share);
        }
    }
    let Some(first) = shares.first() else {
        return Err(OrgKeyError::NoShares.into());
    };
    let threshold = first.threshold;
    if shares.len() < usize::from(threshold) {
        let numbers = shares.iter().map(ShareCode::number).collect();
        return Err(OrgKeyError::TooFewShares { numbers, threshold }.into());
    }
    // Each share's checksum held, so a share that does not parse, shares
    // that do not combine or a seed that is no key all mean the same to
    // the person: one share is damaged beyond what its checksum caught.
    let parsed: Vec<blahaj::Share> = shares
        .iter()
        .map(|s| blahaj::Share::try_from(s.share.as_slice()).map_err(|_| OrgKeyError::NotRebuilt))
        .collect::<Result<_, _>>()?;
    let seed = Zeroizing::new(blahaj::Sharks(threshold).recover(parsed.iter()).map_err(|_| OrgKeyError::NotRebuilt)?);
    let seed: Zeroizing<[u8; 32]> = Zeroizing::new(seed.as_slice().try_into().map_err(|_| OrgKeyError::NotRebuilt)?);
    let org = OrgKey::from_seed(&seed).map_err(|_| OrgKeyError::NotRebuilt)?;
    if org.public() != session.config.org_key {
        return Err(OrgKeyError::NotRebuilt.into());
    }
    let already_held = session.secrets.org_key.is_some();
    if !already_held {
        session.secrets.org_key = Some(org);
        session.save_secrets()?;
    }
    session.store.resolve_alerts(StoredKind::OrgKeyGrant, "")?;
    let mut made_admin = None;
    if !was_admin {
        let mut next = roster.clone();
        if let Some(member) =
            next.members.iter_mut().find(|m| m.devices.iter().any(|d| d.device_id == session.config.device_id))
        {
            member.roles.insert(Role::Admin);
        }
        let published = super::roster::publish(session, &roster, next)?;
        made_admin = Some((name, published.version));
    }
    Ok(Recovered {
        fingerprint: session.config.org_key.fingerprint(),
        shares_used: shares.len(),
        already_held,
        made_admin,
    })
}

/// Whether to remind, now, that the organisation key is on this device
/// only (no other administrator's device to hand it to) and no shares of
/// it were exported here: true the first time the administration is opened
/// so, and never again (the door that is told shows it).
pub fn take_reminder(session: &Session, roster: &Roster) -> Result<bool, ClientError> {
    if session.secrets.org_key.is_none()
        || session.store.meta(SHARES_EXPORTED)?.is_some()
        || session.store.meta(REMINDED)?.is_some()
        || other_admin_devices(roster, session).next().is_some()
    {
        return Ok(false);
    }
    session.store.set_meta(REMINDED, &chrono::Utc::now().timestamp().to_string())?;
    Ok(true)
}
