//! One way to name people and devices in every admin command: by name
//! (whole, or its start, any case) or by the start of an id. A query that
//! fits more than one is an error that lists them, so nobody revokes or
//! removes the wrong person by a typo.

use visitnotes_shared::roster::{Device, DeviceStatus, Member, MemberStatus, Roster};

use super::admin::AdminError;
use crate::display::short;
use crate::error::ClientError;

/// The shortest id prefix taken as an id (shorter could be a name).
const MIN_ID_PREFIX: usize = 4;

fn id_prefix(query: &str, id: &str) -> bool {
    query.len() >= MIN_ID_PREFIX && query.bytes().all(|b| b.is_ascii_hexdigit()) && id.starts_with(query)
}

/// "Bo Leader (leader, cc0e7f01)": how a member is named in a list.
pub fn describe_member(member: &Member) -> String {
    let roles: Vec<String> = member.roles.iter().map(|r| r.to_string()).collect();
    let removed = if member.status == MemberStatus::Active { "" } else { ", removed" };
    format!("{} ({}, {}{removed})", member.name, roles.join(" and "), short(member.user_id.as_str()))
}

/// "Bo Leader's device cc0e7f01 (revoked)": how a device is named.
pub fn describe_device(member: &Member, device: &Device) -> String {
    let state = match device.status {
        DeviceStatus::Active => "",
        DeviceStatus::Revoked { .. } => " (revoked)",
    };
    format!("{}'s device {}{state}", member.name, short(device.device_id.as_str()))
}

/// Picks the one item whose name is `query` (any case), else the one whose
/// name starts with it or whose id does.
pub fn pick<'a, T>(
    query: &str,
    what: &'static str,
    items: Vec<(&'a str, &'a str, T)>,
    describe: impl Fn(&T) -> String,
) -> Result<T, ClientError> {
    let q = query.trim().to_lowercase();
    let (exact, rest): (Vec<_>, Vec<_>) = items.into_iter().partition(|(name, _, _)| name.to_lowercase() == q);
    let found: Vec<T> = if exact.is_empty() {
        rest.into_iter()
            .filter(|(name, id, _)| (!q.is_empty() && name.to_lowercase().starts_with(&q)) || id_prefix(&q, id))
            .map(|(_, _, item)| item)
            .collect()
    } else {
        exact.into_iter().map(|(_, _, item)| item).collect()
    };
    match found.len() {
        0 => Err(ClientError::NotFound { query: query.to_owned(), what }),
        1 => Ok(found.into_iter().next().expect("one match")),
        _ => Err(ClientError::Ambiguous {
            query: query.to_owned(),
            what,
            matches: found.iter().map(&describe).collect::<Vec<_>>().join("; "),
        }),
    }
}

/// The roster's member named by `query`; removed members only if `removed`.
pub fn member<'r>(roster: &'r Roster, query: &str, removed: bool) -> Result<&'r Member, ClientError> {
    let items = roster
        .members
        .iter()
        .filter(|m| removed || m.status == MemberStatus::Active)
        .map(|m| (m.name.as_str(), m.user_id.as_str(), m))
        .collect();
    pick(query, "person", items, |m| describe_member(m))
}

/// The device named by `query`: the start of its id, or a person with
/// exactly one active device.
pub fn device<'r>(roster: &'r Roster, query: &str) -> Result<(&'r Member, &'r Device), ClientError> {
    let q = query.trim().to_lowercase();
    let by_id: Vec<(&Member, &Device)> = roster
        .members
        .iter()
        .flat_map(|m| m.devices.iter().map(move |d| (m, d)))
        .filter(|(_, d)| id_prefix(&q, d.device_id.as_str()))
        .collect();
    if let [only] = by_id[..] {
        return Ok(only);
    }
    let person = match member(roster, query, false) {
        Ok(person) => person,
        Err(ClientError::NotFound { .. }) if by_id.len() > 1 => {
            return Err(ClientError::Ambiguous {
                query: query.to_owned(),
                what: "device",
                matches: by_id.iter().map(|(m, d)| describe_device(m, d)).collect::<Vec<_>>().join("; "),
            })
        }
        Err(ClientError::NotFound { .. }) => {
            return Err(ClientError::NotFound { query: query.to_owned(), what: "person or device" })
        }
        Err(e) => return Err(e),
    };
    let active: Vec<&Device> = person.devices.iter().filter(|d| d.status == DeviceStatus::Active).collect();
    match active[..] {
        [only] => Ok((person, only)),
        [] => Err(AdminError::NoActiveDevice { name: person.name.clone() }.into()),
        _ => Err(ClientError::Ambiguous {
            query: query.to_owned(),
            what: "device",
            matches: active.iter().map(|d| describe_device(person, d)).collect::<Vec<_>>().join("; "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::roster::Role;
    use visitnotes_shared::{DeviceKeys, OrgKey, UserId};

    use super::*;

    fn roster(members: Vec<Member>) -> Roster {
        Roster {
            version: 1,
            org_key: OrgKey::generate().public(),
            issued_at: 0,
            expires_at: None,
            units: vec![],
            members,
        }
    }

    #[test]
    fn names_prefixes_and_ids_find_one_and_ambiguity_lists_the_matches() {
        let (bo1, bo2, bob) = (DeviceKeys::generate(), DeviceKeys::generate(), DeviceKeys::generate());
        let r = roster(vec![
            Member::active(UserId::random(), "Bo Leader", &[Role::Leader], &[&bo1, &bo2]),
            Member::active(UserId::random(), "Bob Coordinator", &[Role::Coordinator], &[&bob]),
        ]);
        assert_eq!(member(&r, "bo leader", false).unwrap().name, "Bo Leader");
        assert_eq!(member(&r, "Bob", false).unwrap().name, "Bob Coordinator");
        let id = r.members[1].user_id.as_str()[..6].to_owned();
        assert_eq!(member(&r, &id, false).unwrap().name, "Bob Coordinator");
        match member(&r, "Bo", false) {
            Err(ClientError::Ambiguous { matches, .. }) => {
                assert!(matches.contains("Bo Leader (leader") && matches.contains("Bob Coordinator (coordinator"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(member(&r, "Carla", false), Err(ClientError::NotFound { .. })));
        // Bo Leader has two devices: by name it is ambiguous, by id it is one.
        match device(&r, "Bo Leader") {
            Err(ClientError::Ambiguous { what: "device", matches, .. }) => {
                assert_eq!(matches.matches("device").count(), 2)
            }
            other => panic!("{other:?}"),
        }
        let prefix = bo2.device_id().as_str()[..8].to_owned();
        assert_eq!(device(&r, &prefix).unwrap().1.device_id, bo2.device_id());
        assert_eq!(device(&r, "bob").unwrap().1.device_id, bob.device_id());
    }
}
