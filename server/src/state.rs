//! What every request handler shares: the store, the roster in force, the
//! device directory, the replay cache, rate limiters and metrics.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use visitnotes_shared::{DeviceId, Roster};

use crate::db::directory::{self, DeviceRecord};
use crate::db::upload_writer::UploadWriter;
use crate::db::{rosters, Db, StoreError};
use crate::error::ApiError;
use crate::settings::Settings;

pub struct AppState {
    pub db: Arc<Db>,
    pub settings: Settings,
    roster: RwLock<Option<Arc<Roster>>>,
    devices: RwLock<HashMap<DeviceId, DeviceRecord>>,
    nonces: Mutex<NonceCache>,
    pub ip_limiter: DefaultKeyedRateLimiter<IpAddr>,
    pub device_limiter: DefaultKeyedRateLimiter<DeviceId>,
    pub metrics: Metrics,
    pub uploads: UploadWriter,
}

impl AppState {
    /// Loads the roster and devices from the store.
    pub fn load(db: Arc<Db>, settings: Settings) -> Result<AppState, ApiError> {
        let (signed, devices) =
            db.read(|conn| Ok::<_, ApiError>((rosters::latest(conn)?, directory::load_devices(conn)?)))?;
        let roster = match signed {
            Some(signed) => Some(Arc::new(
                signed.unverified().map_err(|e| ApiError::from(StoreError::Corrupt(format!("stored roster: {e}"))))?,
            )),
            None => None,
        };
        let quota = |per_sec: u32| {
            let rate = NonZeroU32::new(per_sec.max(1)).expect("at least 1");
            Quota::per_second(rate).allow_burst(rate.saturating_mul(NonZeroU32::new(2).expect("2")))
        };
        let wait = Duration::from_millis(settings.upload_wait_ms);
        let uploads = UploadWriter::start(db.clone(), settings.quota_bytes_per_user, wait)
            .map_err(|e| ApiError::Internal(format!("cannot start the upload writer: {e}")))?;
        Ok(AppState {
            db,
            roster: RwLock::new(roster),
            devices: RwLock::new(devices.into_iter().map(|d| (d.device_id.clone(), d)).collect()),
            nonces: Mutex::new(NonceCache::default()),
            ip_limiter: RateLimiter::keyed(quota(settings.rate_per_ip)),
            device_limiter: RateLimiter::keyed(quota(settings.rate_per_device)),
            metrics: Metrics::default(),
            uploads,
            settings,
        })
    }

    pub fn roster(&self) -> Option<Arc<Roster>> {
        self.roster.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_roster(&self, roster: Roster) {
        *self.roster.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(roster));
    }

    pub fn device(&self, id: &DeviceId) -> Option<DeviceRecord> {
        self.devices.read().unwrap_or_else(|p| p.into_inner()).get(id).cloned()
    }

    /// Re-reads the device directory after a change to it.
    pub fn reload_devices(&self) -> Result<(), ApiError> {
        let devices = self.db.read(directory::load_devices)?;
        *self.devices.write().unwrap_or_else(|p| p.into_inner()) =
            devices.into_iter().map(|d| (d.device_id.clone(), d)).collect();
        Ok(())
    }

    /// Records a nonce; false if it was seen within the window already.
    pub fn fresh_nonce(&self, device: &DeviceId, nonce: &str, now: i64) -> bool {
        self.nonces.lock().unwrap_or_else(|p| p.into_inner()).insert(format!("{device}:{nonce}"), now)
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
