//! Coordinators' signed delivery receipts (`visitnotes_shared::receipt`).
//!
//! After each pull a coordinator's device signs, for every device whose
//! notes it holds, "received up to number N (but these missing), newest
//! hash H", and uploads the receipts. Every device fetches the receipts
//! about its own user's devices: `note list` shows per note which
//! coordinators have received it, and a note that no coordinator has
//! confirmed within [`receipt_days`] (3 days; 1 day for a note with an
//! urgent concern) is an alert (exit code 3) until one does. A server that
//! hides a note from the coordinators is thereby exposed to its author.

use std::collections::BTreeSet;

use visitnotes_shared::note::Severity;
use visitnotes_shared::receipt::{Receipt, Receipts, SignedReceipt, MAX_MISSING};
use visitnotes_shared::roster::{DeviceStatus, MemberStatus, Role, Roster};

use super::alerts::{Alert, AlertKind, Arg, Detail, Msg, Names};
use super::heads::days_from_env;
use crate::error::ClientError;
use crate::profile::Session;
use crate::store::{NoteRow, NoteStatus, StoredKind};

/// Days a note may wait for a coordinator's receipt before its author is warned.
pub const DEFAULT_RECEIPT_DAYS: i64 = 3;
pub const RECEIPT_DAYS_ENV: &str = "VISITNOTES_RECEIPT_DAYS";
/// The same for a note with an urgent concern.
pub const DEFAULT_URGENT_RECEIPT_DAYS: i64 = 1;
pub const URGENT_RECEIPT_DAYS_ENV: &str = "VISITNOTES_URGENT_RECEIPT_DAYS";

fn is_coordinator(session: &Session, roster: &Roster) -> bool {
    roster.device(&session.config.device_id).is_some_and(|(m, _)| m.roles.contains(&Role::Coordinator))
}

/// The receipts this device signs now: one for each other device whose
/// items it holds.
pub fn own_receipts(session: &Session, roster: &Roster) -> Result<Vec<Receipt>, ClientError> {
    let me = session.config.device_id.as_str();
    let signed_at = chrono::Utc::now().timestamp();
    let mut out = Vec::new();
    for (device, items) in session.store.received_items()? {
        let Some(device_id) = visitnotes_shared::DeviceId::parse(&device).ok().filter(|d| roster.device(d).is_some())
        else {
            continue;
        };
        if device == me {
            continue;
        }
        let Some((through, missing, hash)) = received_span(&items) else { continue };
        out.push(Receipt {
            reader: session.config.device_id.clone(),
            device_id,
            through_seq: through,
            missing,
            chain_hash: hash.to_owned(),
            roster_version: roster.version,
            signed_at,
        });
    }
    Ok(out)
}

/// What a receipt can state of one device's items held here, given
/// ascending as (number, hash hex): the number received through, the
/// numbers missing below it, and the hash of the item at that number.
/// With more than [`MAX_MISSING`] missing, only the unbroken start is
/// stated; `None` when there is none (item 1 is not held).
fn received_span(items: &[(u64, String)]) -> Option<(u64, Vec<u64>, &str)> {
    let held: BTreeSet<u64> = items.iter().map(|(seq, _)| *seq).collect();
    let &(mut through, _) = items.last()?;
    let mut missing: Vec<u64> = (1..through).filter(|s| !held.contains(s)).collect();
    if missing.len() > MAX_MISSING {
        // Too many to list: state only the unbroken start.
        through = missing[0] - 1;
        missing.clear();
    }
    let (_, hash) = items.iter().find(|(seq, _)| *seq == through)?;
    Some((through, missing, hash))
}

/// Uploads this device's receipts (a coordinator's), then fetches the
/// receipts about this user's devices and keeps those that verify and
/// name the notes this device holds under their numbers.
pub fn exchange(session: &Session, roster: &Roster) -> Result<(), ClientError> {
    let api = session.api()?;
    let keys = &session.secrets.device;
    if is_coordinator(session, roster) {
        let receipts: Vec<SignedReceipt> = own_receipts(session, roster)?.into_iter().map(|r| r.sign(keys)).collect();
        if !receipts.is_empty() {
            api.put_receipts(keys, &Receipts { receipts })?;
        }
    }
    let served = api.receipts(keys)?;
    session.store.transaction(|store| {
        for signed in &served {
            let r = &signed.receipt;
            let subject = format!("{} {}", r.reader, r.device_id);
            let ours = roster.device(&r.device_id).is_some_and(|(m, _)| m.user_id == session.config.user_id);
            if !ours {
                continue;
            }
            let problem = match signed.verify(roster) {
                Err(e) => Some(Detail::receipt(&e)),
                Ok(_) => match store.device_held(r.device_id.as_str(), r.through_seq)?.1 {
                    Some(hash) if hash != r.chain_hash => Some(Detail::ReceiptOtherNote { seq: r.through_seq }),
                    _ => None,
                },
            };
            match problem {
                Some(reason) => store.alert(StoredKind::Receipt, &subject, &reason.to_json())?,
                None => {
                    let body = serde_json::to_string(signed).expect("a receipt serialises");
                    store.put_receipt(r.reader.as_str(), r.device_id.as_str(), r.signed_at, &body)?;
                    store.resolve_alerts(StoredKind::Receipt, &subject)?;
                }
            }
        }
        Ok(())
    })
}

/// Which coordinators have received what, from the kept receipts.
pub struct Delivery {
    receipts: Vec<(String, Receipt)>,
}

impl Delivery {
    /// The kept receipts that verify against `roster`, with the coordinators' names.
    pub fn load(session: &Session, roster: &Roster) -> Result<Delivery, ClientError> {
        let receipts = session
            .store
            .receipts()?
            .iter()
            .filter_map(|body| serde_json::from_str::<SignedReceipt>(body).ok())
            .filter_map(|signed| signed.verify(roster).ok().map(|m| (m.name.clone(), signed.receipt.clone())))
            .collect();
        Ok(Delivery { receipts })
    }

    /// The names of the coordinators who have received this revision.
    pub fn received_by(&self, row: &NoteRow) -> Vec<String> {
        let h = row.header();
        let names: BTreeSet<&String> = self
            .receipts
            .iter()
            .filter(|(_, r)| r.device_id == h.device_id && r.covers(h.device_seq))
            .map(|(name, _)| name)
            .collect();
        names.into_iter().cloned().collect()
    }
}

/// This user's notes that no coordinator has confirmed in time, as of Unix
/// second `now`, from the local store only.
pub(super) fn alerts(
    session: &Session,
    names: &Names<'_>,
    roster: &Roster,
    now: i64,
) -> Result<Vec<Alert>, ClientError> {
    let me = &session.config.user_id;
    // Someone else must be there to receive: a coordinator's active device not of this user.
    let others = roster.members.iter().any(|m| {
        m.status == MemberStatus::Active
            && m.roles.contains(&Role::Coordinator)
            && &m.user_id != me
            && m.devices.iter().any(|d| d.status == DeviceStatus::Active)
    });
    if !others {
        return Ok(Vec::new());
    }
    let own: Vec<NoteRow> = names.rows.iter().filter(|r| &r.header().author == me).cloned().collect();
    let latest = super::read::latest_of(own);
    if latest.is_empty() {
        return Ok(Vec::new());
    }
    let delivery = Delivery::load(session, roster)?;
    let times = session.store.received_times(Some(me.as_str()))?;
    let (normal, urgent) = (
        days_from_env(RECEIPT_DAYS_ENV, DEFAULT_RECEIPT_DAYS) * 86_400,
        days_from_env(URGENT_RECEIPT_DAYS_ENV, DEFAULT_URGENT_RECEIPT_DAYS) * 86_400,
    );
    let mut out = Vec::new();
    // `latest` holds notes with content only (no deletions, no follow-up records).
    for row in latest.iter().filter(|r| r.status == NoteStatus::Valid) {
        let h = row.header();
        // Sent before receipts existed, or never acknowledged: no time to measure from.
        let Some(&sent) = times.get(&(h.note_id.to_string(), h.revision)) else { continue };
        let is_urgent = row.note.as_ref().is_some_and(|n| n.concerns.iter().any(|c| c.severity == Severity::Urgent));
        if now - sent <= if is_urgent { urgent } else { normal } || !delivery.received_by(row).is_empty() {
            continue;
        }
        let urgent = if is_urgent { "yes" } else { "no" };
        let what = Msg::new("alert-no-receipt")
            .arg("note", names.note_arg(h.note_id.as_str()))
            .arg("urgent", urgent)
            .arg("sent", Arg::Time(sent))
            .arg("revision", h.revision);
        let todo = Msg::new("alert-no-receipt-todo").arg("urgent", urgent);
        out.push(Alert::new(AlertKind::NoReceipt, what, todo).note(names, h.note_id.as_str()).since(sent));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items numbered `seqs`, each with a hash naming its number.
    fn items(seqs: impl IntoIterator<Item = u64>) -> Vec<(u64, String)> {
        seqs.into_iter().map(|seq| (seq, format!("hash of {seq}"))).collect()
    }

    #[test]
    fn a_receipt_states_the_newest_number_and_the_ones_missing_below_it() {
        assert_eq!(received_span(&items([1, 2, 4, 6])), Some((6, vec![3, 5], "hash of 6")));
        assert_eq!(received_span(&items([2, 3])), Some((3, vec![1], "hash of 3")));
        assert_eq!(received_span(&[]), None);
    }

    /// Guards the bound of what one receipt lists (`MAX_MISSING`): up to it
    /// every missing number is named; past it the receipt states only the
    /// unbroken start, and never claims a number it does not hold.
    #[test]
    fn past_the_most_missing_numbers_a_receipt_states_only_the_unbroken_start() {
        let max = MAX_MISSING as u64;
        // Items 1, 2 and max + 3: numbers 3 to max + 2 missing, exactly the most listed.
        let held = items([1, 2, max + 3]);
        let (through, missing, hash) = received_span(&held).unwrap();
        assert_eq!(through, max + 3);
        assert_eq!(hash, format!("hash of {}", max + 3));
        assert_eq!(missing, (3..max + 3).collect::<Vec<_>>());
        // One more missing: only 1 and 2 are stated.
        assert_eq!(received_span(&items([1, 2, max + 4])), Some((2, vec![], "hash of 2")));
        // Item 1 itself missing among too many: nothing can be stated.
        assert_eq!(received_span(&items([max + 5])), None);
    }
}
