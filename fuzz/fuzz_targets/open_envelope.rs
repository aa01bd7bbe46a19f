#![no_main]
//! Arbitrary bytes as a sealed note's JSON and as its age file, opened
//! against a fixed roster whose one device is the reader.

use std::sync::OnceLock;

use visitnotes_shared::envelope::{open, OpenContext, SealedNote};
use visitnotes_shared::roster::{Device, DeviceStatus, Member, MemberStatus, Role, Roster};
use visitnotes_shared::{DeviceKeys, OrgKey, UserId};

fn world() -> &'static (Roster, DeviceKeys) {
    static WORLD: OnceLock<(Roster, DeviceKeys)> = OnceLock::new();
    WORLD.get_or_init(|| {
        let keys = DeviceKeys::generate();
        let member = Member {
            user_id: UserId::random(),
            name: "fuzz".into(),
            roles: [Role::Coordinator].into_iter().collect(),
            status: MemberStatus::Active,
            devices: vec![Device {
                device_id: keys.device_id(),
                signing_key: keys.signing_key(),
                age_recipient: keys.age_recipient(),
                status: DeviceStatus::Active,
            }],
        };
        let roster = Roster { version: 1, org_key: OrgKey::generate().public(), issued_at: 0, units: vec![], members: vec![member] };
        (roster, keys)
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (roster, keys) = world();
    let ctx = OpenContext { roster, identity: keys.age_identity(), seen_revision: None, seen_device_seq: None };
    if let Ok(sealed) = serde_json::from_slice::<SealedNote>(data) {
        let _ = open(&sealed, &ctx);
    }
});
