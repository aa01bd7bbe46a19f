//! What every request handler shares: the store, the roster in force, the
//! device directory, the replay cache, rate limiters and metrics.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use visitnotes_shared::{DeviceId, Roster};

use crate::db::directory::DeviceRecord;
use crate::db::{DeviceSnapshot, Storage, StoreError};
use crate::settings::Settings;

pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub settings: Settings,
    roster: RwLock<Option<Arc<Roster>>>,
    devices: Devices,
    nonces: Mutex<NonceCache>,
    pub ip_limiter: DefaultKeyedRateLimiter<IpAddr>,
    pub device_limiter: DefaultKeyedRateLimiter<DeviceId>,
    pub metrics: Metrics,
}

impl AppState {
    /// Loads the roster and devices from `storage`.
    pub fn load(storage: Arc<dyn Storage>, settings: Settings) -> Result<AppState, StoreError> {
        let (signed, devices) = storage.load()?;
        let roster = match signed {
            Some(signed) => {
                Some(Arc::new(signed.unverified().map_err(|e| StoreError::Corrupt(format!("stored roster: {e}")))?))
            }
            None => None,
        };
        let quota = |per_sec: u32| {
            let rate = NonZeroU32::new(per_sec).unwrap_or(NonZeroU32::MIN);
            Quota::per_second(rate).allow_burst(rate.saturating_mul(NonZeroU32::MIN.saturating_add(1)))
        };
        Ok(AppState {
            storage,
            roster: RwLock::new(roster),
            devices: Devices::new(devices),
            nonces: Mutex::new(NonceCache::default()),
            ip_limiter: RateLimiter::keyed(quota(settings.rate_per_ip)),
            device_limiter: RateLimiter::keyed(quota(settings.rate_per_device)),
            metrics: Metrics::default(),
            settings,
        })
    }

    /// Takes in the devices and roster another server process changed in
    /// the shared store (PostgreSQL), before a request is authenticated:
    /// a device enrolled, approved or revoked through another process is
    /// known, or refused, from its next request here too.
    pub async fn refresh(&self) -> Result<(), StoreError> {
        let Some(newest) = self.storage.devices_generation().await? else { return Ok(()) };
        if newest <= self.devices.generation() {
            return Ok(());
        }
        let (signed, snapshot) = self.storage.reload().await?;
        if let Some(signed) = signed {
            let roster = signed.unverified().map_err(|e| StoreError::Corrupt(format!("stored roster: {e}")))?;
            self.set_roster(roster);
        }
        self.devices.install(snapshot);
        Ok(())
    }

    pub fn roster(&self) -> Option<Arc<Roster>> {
        self.roster.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Puts `roster` in force, unless a later version is already (two
    /// publications finishing in the other order).
    pub fn set_roster(&self, roster: Roster) {
        let mut current = self.roster.write().unwrap_or_else(|p| p.into_inner());
        if current.as_ref().is_none_or(|c| c.version < roster.version) {
            *current = Some(Arc::new(roster));
        }
    }

    pub fn device(&self, id: &DeviceId) -> Option<DeviceRecord> {
        self.devices.get(id)
    }

    /// Puts a device directory read after a change to it in force.
    pub fn install_devices(&self, snapshot: DeviceSnapshot) {
        self.devices.install(snapshot);
    }

    /// Records a nonce; false if it was seen within the window already.
    pub fn fresh_nonce(&self, device: &DeviceId, nonce: &str, now: i64) -> bool {
        self.nonces.lock().unwrap_or_else(|p| p.into_inner()).insert(format!("{device}:{nonce}"), now)
    }
}

/// The device directory in memory, as of the newest snapshot installed.
struct Devices {
    current: RwLock<(u64, HashMap<DeviceId, DeviceRecord>)>,
}

impl Devices {
    fn new(snapshot: DeviceSnapshot) -> Devices {
        Devices { current: RwLock::new(Self::index(snapshot)) }
    }

    fn index(snapshot: DeviceSnapshot) -> (u64, HashMap<DeviceId, DeviceRecord>) {
        (snapshot.generation, snapshot.devices.into_iter().map(|d| (d.device_id.clone(), d)).collect())
    }

    fn generation(&self) -> u64 {
        self.current.read().unwrap_or_else(|p| p.into_inner()).0
    }

    fn get(&self, id: &DeviceId) -> Option<DeviceRecord> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).1.get(id).cloned()
    }

    /// Installs `snapshot` unless a newer one is in force: two handlers that
    /// changed devices may get here in the other order than they committed,
    /// and the one that read older data must not undo the other (a revoked
    /// device coming back). Returns whether it was installed.
    fn install(&self, snapshot: DeviceSnapshot) -> bool {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        if snapshot.generation <= current.0 {
            return false;
        }
        *current = Self::index(snapshot);
        true
    }
}

/// Nonces seen within the clock-skew window. Held in memory: a restart
/// forgets them, so a request captured just before a restart could be
/// replayed once after it, within the window. Every state-changing request
/// is idempotent or refused as a conflict on repetition, so a replay of
/// that kind changes nothing.
#[derive(Default)]
struct NonceCache {
    seen: HashMap<String, i64>,
    last_prune: i64,
}

impl NonceCache {
    fn insert(&mut self, key: String, now: i64) -> bool {
        let window = 2 * visitnotes_shared::request::MAX_SKEW_SECS;
        if now - self.last_prune > 10 {
            self.seen.retain(|_, at| now - *at <= window);
            self.last_prune = now;
        }
        match self.seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(now);
                true
            }
        }
    }
}

/// Counters for `/metrics`.
#[derive(Default)]
pub struct Metrics {
    pub requests: AtomicU64,
    pub responses_2xx: AtomicU64,
    pub responses_4xx: AtomicU64,
    pub responses_5xx: AtomicU64,
    pub auth_failures: AtomicU64,
    pub rate_limited: AtomicU64,
    pub notes_stored: AtomicU64,
    pub notes_pulled: AtomicU64,
    pub enrolments: AtomicU64,
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Prometheus text exposition format.
    pub fn render(&self) -> String {
        let counters = [
            ("visitnotes_requests_total", "HTTP requests received", &self.requests),
            ("visitnotes_responses_2xx_total", "Successful responses", &self.responses_2xx),
            ("visitnotes_responses_4xx_total", "Client error responses", &self.responses_4xx),
            ("visitnotes_responses_5xx_total", "Server error responses", &self.responses_5xx),
            ("visitnotes_auth_failures_total", "Requests refused as unauthenticated", &self.auth_failures),
            ("visitnotes_rate_limited_total", "Requests refused by a rate limit", &self.rate_limited),
            ("visitnotes_notes_stored_total", "Note revisions stored", &self.notes_stored),
            ("visitnotes_notes_pulled_total", "Note revisions served", &self.notes_pulled),
            ("visitnotes_enrolments_total", "Devices enrolled", &self.enrolments),
        ];
        let mut out = String::new();
        for (name, help, value) in counters {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n",
                value.load(Ordering::Relaxed)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use visitnotes_shared::{UserId, VerifyingKey};

    use super::*;
    use crate::db::directory::DeviceState;

    fn snapshot(generation: u64, state: DeviceState) -> DeviceSnapshot {
        let key = [7; 32];
        let device = DeviceRecord {
            device_id: DeviceId::from_signing_key(&key),
            user_id: UserId::try_from("a".repeat(32)).unwrap(),
            signing_key: VerifyingKey(key),
            state,
            bootstrap: false,
        };
        DeviceSnapshot { generation, devices: vec![device] }
    }

    /// A revocation's snapshot (2) installed before an enrolment's older
    /// one (1) stays in force: the device stays revoked.
    #[test]
    fn an_older_device_snapshot_never_replaces_a_newer_one() {
        let id = DeviceId::from_signing_key(&[7; 32]);
        let devices = Devices::new(DeviceSnapshot::default());
        assert!(devices.get(&id).is_none());
        assert!(devices.install(snapshot(2, DeviceState::Revoked)));
        assert!(!devices.install(snapshot(1, DeviceState::Active)));
        assert_eq!(devices.get(&id).map(|d| d.state), Some(DeviceState::Revoked));
        assert!(!devices.install(snapshot(2, DeviceState::Active)), "the same generation twice");
        assert!(devices.install(snapshot(3, DeviceState::Active)));
        assert_eq!(devices.get(&id).map(|d| d.state), Some(DeviceState::Active));
    }
}
