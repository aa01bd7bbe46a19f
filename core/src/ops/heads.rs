//! Signed device heads (`visitnotes_shared::head`): this device states on
//! every sync how far its own chain of sealed items reached the server;
//! it reads every device's head and warns when what it holds does not
//! match.
//!
//! A reader checks the devices whose notes it receives: a coordinator or
//! administrator every member's (an administrator who is not a coordinator
//! receives every note's signed header), a leader only its own user's. It
//! warns (exit code 3) when
//! - a head names notes this device does not have (the newest notes of a
//!   device held back, which leaves no gap below what a reader has seen);
//! - a head's chain hash differs from the note this device holds under
//!   that number (the device's history forked: a copy of its keys);
//! - a member's device has not been heard from for longer than
//!   [`silent_days`] (default 14): a device whose every note and head the
//!   server holds back shows up here, with "last heard from" and its date;
//! - a head names a roster version newer than the one the server serves
//!   (a withheld roster, such as one that revoked a stolen device).
//!
//! The checks read only the local store, so `note list` and `alerts` give
//! them offline too; `sync` brings new heads.

use serde::Serialize;
use visitnotes_shared::envelope::CHAIN_START;
use visitnotes_shared::head::{ChainHash, DeviceHead, SignedHead};
use visitnotes_shared::roster::{DeviceStatus, Member, MemberStatus, Role, Roster};

use super::alerts::{Alert, AlertKind, Arg, Msg};
use crate::error::{Chain, ClientError};
use crate::profile::Session;
use crate::store::{NoteStatus, StoredKind};

/// Days without a head before a device counts as silent.
pub const DEFAULT_SILENT_DAYS: i64 = 14;
/// Overrides [`DEFAULT_SILENT_DAYS`].
pub const SILENT_DAYS_ENV: &str = "VISITNOTES_SILENT_DAYS";

/// Days without a head before a device counts as silent: `VISITNOTES_SILENT_DAYS`, else 14.
pub fn silent_days() -> i64 {
    days_from_env(SILENT_DAYS_ENV, DEFAULT_SILENT_DAYS)
}

/// A whole number of days from the environment variable `name`, else `default`.
pub fn days_from_env(name: &str, default: i64) -> i64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse::<i64>().ok()).filter(|d| *d >= 0).unwrap_or(default)
}

/// This device's head as of now: its newest item the server acknowledged,
/// the roster version it verified last, the time.
pub fn own_head(session: &Session) -> Result<DeviceHead, ClientError> {
    let device = &session.config.device_id;
    let (last_seq, chain_hash) = match session.store.sent_tip(device.as_str())? {
        Some((seq, hash)) => (seq, visitnotes_shared::hex(&hash)),
        None => (0, CHAIN_START.to_owned()),
    };
    Ok(DeviceHead {
        device_id: device.clone(),
        last_seq,
        chain_hash,
        roster_version: session.store.meta_u64("roster_version")?,
        signed_at: chrono::Utc::now().timestamp(),
    })
}

/// What a sync learnt about heads.
#[derive(Debug, Default, Serialize)]
pub struct Exchange {
    /// Heads verified and newer than the ones kept.
    pub new_heads: usize,
    /// Heads that did not verify: (device, reason). Never kept.
    pub refused: Vec<(String, String)>,
}

/// Signs and uploads this device's head: on every sync, and on every
/// administration command (an administrator's device may never sync, and
/// would otherwise fall silent for the others).
pub fn publish_own(session: &Session) -> Result<(), ClientError> {
    let keys = &session.secrets.device;
    Ok(session.api()?.put_head(keys, &own_head(session)?.sign(keys))?)
}

/// Signs and uploads this device's head, then fetches every device's
/// head, keeps the verified ones that are newer than what is kept, and
/// records when each watched device was first seen.
pub fn exchange(session: &Session, roster: &Roster) -> Result<Exchange, ClientError> {
    publish_own(session)?;
    let heads = session.api()?.heads(&session.secrets.device)?;
    let mut out = Exchange::default();
    session.store.transaction(|store| -> Result<(), ClientError> {
        for signed in &heads {
            let device = signed.head.device_id.as_str();
            match signed.verify(roster) {
                Ok(_) => {
                    let body = serde_json::to_string(signed).expect("a head serialises");
                    if store.put_head(device, signed.head.last_seq, signed.head.signed_at, &body)? {
                        out.new_heads += 1;
                    }
                    store.resolve_alerts(StoredKind::Head, device)?;
                }
                // A device the roster does not list: nothing to compare it with.
                Err(visitnotes_shared::head::HeadError::UnknownDevice(_)) => {}
                Err(e) => {
                    let reason = Chain(&e).to_string();
                    store.alert(StoredKind::Head, device, &super::alerts::Detail::head(&e).to_json())?;
                    out.refused.push((device.to_owned(), reason));
                }
            }
        }
        let now = chrono::Utc::now().timestamp();
        for (_, device) in watched(session, roster) {
            store.watch_device(device.as_str(), now)?;
        }
        Ok(())
    })?;
    Ok(out)
}

/// The devices whose notes this device receives, with their members:
/// active devices of active members (all of them for a coordinator or
/// administrator, this user's own for a leader), this device left out.
fn watched<'r>(session: &Session, roster: &'r Roster) -> Vec<(&'r Member, &'r visitnotes_shared::DeviceId)> {
    let me = &session.config.device_id;
    let reads_all =
        roster.device(me).is_some_and(|(m, _)| m.roles.contains(&Role::Coordinator) || m.roles.contains(&Role::Admin));
    roster
        .members
        .iter()
        .filter(|m| m.status == MemberStatus::Active && (reads_all || m.user_id == session.config.user_id))
        .flat_map(|m| m.devices.iter().map(move |d| (m, d)))
        .filter(|(_, d)| d.status == DeviceStatus::Active && &d.device_id != me)
        .map(|(m, d)| (m, &d.device_id))
        .collect()
}

/// "Leader A's device", or with the device's short id when the person has several.
fn device_label(member: &Member, device: &str) -> Msg {
    if member.devices.len() > 1 {
        Msg::new("alert-device-of-numbered")
            .arg("name", member.name.as_str())
            .arg("id", device.get(..12).unwrap_or(device))
    } else {
        Msg::new("alert-device-of").arg("name", member.name.as_str())
    }
}

/// The alerts the kept heads give as of Unix second `now`, from the local
/// store only.
/// What to do about a forked device: tell an administrator, by name when
/// the roster names any (only an administrator can revoke the device).
fn forked_todo(roster: &Roster) -> Msg {
    let admins: Vec<&str> = roster
        .members
        .iter()
        .filter(|m| m.status == MemberStatus::Active && m.roles.contains(&Role::Admin))
        .map(|m| m.name.as_str())
        .collect();
    if admins.is_empty() {
        Msg::new("alert-forked-device-todo")
    } else {
        Msg::new("alert-forked-device-todo-named").arg("admins", admins.join(", "))
    }
}

pub fn alerts(session: &Session, roster: &Roster, now: i64) -> Result<Vec<Alert>, ClientError> {
    let store = &session.store;
    let kept: Vec<SignedHead> = store
        .heads()?
        .into_iter()
        .filter_map(|(_, body)| serde_json::from_str::<SignedHead>(&body).ok())
        // Kept only once verified; verified again against the roster in force.
        .filter(|h| h.verify(roster).is_ok())
        .collect();
    let head_of = |device: &str| kept.iter().find(|h| h.head.device_id.as_str() == device);
    let silent_after = silent_days() * 86_400;
    let mut out = Vec::new();
    for (member, device) in watched(session, roster) {
        let device = device.as_str();
        let who = device_label(member, device);
        let alert = |kind: AlertKind, what: Msg, todo: Msg, since: Option<i64>| {
            let alert = Alert::new(kind, what.arg("who", who.clone()), todo).person(member.name.clone());
            match since {
                Some(at) => alert.since(at),
                None => alert,
            }
        };
        match head_of(device) {
            Some(signed) => {
                let head = &signed.head;
                let signed_on = Arg::Time(head.signed_at);
                let (held, hash_here) = store.device_held(device, head.last_seq)?;
                if head.last_seq > held {
                    out.push(alert(
                        AlertKind::MissingNotes,
                        Msg::new("alert-missing-notes")
                            .arg("last", head.last_seq)
                            .arg("signed", signed_on.clone())
                            .arg("held", held)
                            .arg("missing", head.last_seq - held),
                        Msg::new("alert-missing-notes-todo"),
                        None,
                    ));
                } else if hash_here.as_deref().is_some_and(|h| h != head.chain_hash) {
                    out.push(alert(
                        AlertKind::ForkedDevice,
                        Msg::new("alert-forked-device").arg("last", head.last_seq),
                        forked_todo(roster),
                        None,
                    ));
                }
                if now - head.signed_at > silent_after {
                    out.push(alert(
                        AlertKind::SilentDevice,
                        Msg::new("alert-silent-device").arg("signed", signed_on),
                        silent_todo(member),
                        Some(head.signed_at),
                    ));
                }
            }
            None => {
                if let Some(first) = store.first_watched(device)?.filter(|first| now - first > silent_after) {
                    out.push(alert(
                        AlertKind::SilentDevice,
                        Msg::new("alert-silent-device-watching").arg("first", Arg::Time(first)),
                        silent_todo(member),
                        Some(first),
                    ));
                }
            }
        }
    }
    // A roster version above the one served, from any active device's head.
    let newest = kept
        .iter()
        .filter(|h| roster.device(&h.head.device_id).is_some_and(|(_, d)| d.status == DeviceStatus::Active))
        .max_by_key(|h| h.head.roster_version);
    if let Some(signed) = newest.filter(|h| h.head.roster_version > roster.version) {
        let (member, _) = roster.device(&signed.head.device_id).expect("filtered on listed devices");
        let what = Msg::new("alert-roster-withheld")
            .arg("who", device_label(member, signed.head.device_id.as_str()))
            .arg("seen", signed.head.roster_version)
            .arg("served", roster.version);
        out.push(
            Alert::new(AlertKind::RosterWithheld, what, Msg::new("alert-roster-withheld-todo"))
                .person(member.name.clone()),
        );
    }
    Ok(out)
}

fn silent_todo(member: &Member) -> Msg {
    Msg::new("alert-silent-device-todo").arg("person", member.name.as_str())
}

/// What an administrator's client can verify of a device's newest item:
/// the number a revocation trusts its notes through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// 0 when nothing the device signed can be verified: none of its notes
    /// will be trusted.
    pub seq: u64,
    pub hash: Option<ChainHash>,
    /// When: the head's signed time, or when the server said it stored the note.
    pub at: Option<i64>,
    pub source: EvidenceSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// The device's own signed head.
    Head,
    /// The signed header of its newest note this device holds.
    Note,
    /// Nothing verified.
    Nothing,
}

/// Every head the server serves and this device keeps, verified against
/// `roster`: the verifying ones only.
pub fn verified_heads(session: &Session, roster: &Roster) -> Result<Vec<SignedHead>, ClientError> {
    let mut heads = session.api()?.heads(&session.secrets.device)?;
    heads.extend(session.store.heads()?.into_iter().filter_map(|(_, body)| serde_json::from_str(&body).ok()));
    heads.retain(|h| h.verify(roster).is_ok());
    Ok(heads)
}

/// The newest item of `device` that a signature proves: its signed head or
/// the signed header of its newest note here, whichever numbers higher.
pub fn verified_last(
    session: &Session,
    heads: &[SignedHead],
    device: &visitnotes_shared::DeviceId,
) -> Result<Evidence, ClientError> {
    let head = heads.iter().filter(|h| &h.head.device_id == device).max_by_key(|h| (h.head.last_seq, h.head.signed_at));
    let from_head = head.map(|h| Evidence {
        seq: h.head.last_seq,
        hash: ChainHash::parse(&h.head.chain_hash).filter(|_| h.head.last_seq > 0),
        at: Some(h.head.signed_at),
        source: EvidenceSource::Head,
    });
    let from_note = session.store.accepted_tip(device.as_str())?.map(|(seq, hash, at)| Evidence {
        seq,
        hash: ChainHash::parse(&hash),
        at,
        source: EvidenceSource::Note,
    });
    Ok(match (from_head, from_note) {
        (Some(h), Some(n)) if n.seq > h.seq => n,
        (Some(h), _) => h,
        (None, Some(n)) => n,
        (None, None) => Evidence { seq: 0, hash: None, at: None, source: EvidenceSource::Nothing },
    })
}

/// Applies each revocation by the device's own signed chain: a note of a
/// revoked device numbered up to the trusted number is kept only when the
/// chain leads from it to the trusted hash; one that does not (signed with
/// the device's key, but not in its history: a thief reusing numbers) is
/// refused. Below a number this device does not hold the chain cannot be
/// followed: the gap is reported already. Returns the refused notes:
/// (note id, reason).
pub fn apply_revocations(session: &Session, roster: &Roster) -> Result<Vec<(String, String)>, ClientError> {
    let mut refused = Vec::new();
    for member in &roster.members {
        for device in &member.devices {
            let DeviceStatus::Revoked { trusted_through_seq, trusted_through_hash: Some(trusted), .. } = device.status
            else {
                continue;
            };
            // Newest first. Two items can share a number (a copy served
            // again after a rollback refusal is checked afresh, a withheld
            // copy only by its header): at each number the chain names one
            // item by its hash, and every other item there is refused.
            let chain = session.store.accepted_chain(device.device_id.as_str(), trusted_through_seq)?;
            // The number and hash the chain names next; `None` once an item
            // names no predecessor (signed before headers named one).
            let mut expected = Some((trusted_through_seq, trusted.hex()));
            // The number whose item in the chain was found last.
            let mut found_at = None;
            for (seq, hash, header) in chain {
                if expected.as_ref().is_some_and(|(at, want)| *at == seq && hash == *want) {
                    found_at = Some(seq);
                    expected = header.device_prev.clone().map(|prev| (seq - 1, prev));
                    continue;
                }
                let named_here = expected.as_ref().is_some_and(|(at, _)| *at == seq);
                if !named_here && found_at != Some(seq) {
                    // Below a number not held here, or not named: the chain
                    // cannot be followed (the gap is reported already), and
                    // what is held stays as it is.
                    break;
                }
                let reason = super::rejection::outside_revoked_history(&member.name, trusted_through_seq);
                session.store.set_status(&header, NoteStatus::Rejected, Some(&reason), None)?;
                refused.push((header.note_id.to_string(), reason));
            }
        }
    }
    Ok(refused)
}
