//! The upload writer: one thread that stores checked upload batches in each
//! device's order, many batches per commit (group commit).
//!
//! Every acknowledged note must survive a crash, so each commit waits for an
//! `fsync` (`synchronous=FULL`); one commit per request made that wait the
//! ceiling for small uploads. The writer takes every batch that is ready
//! when it comes round, stores them in one transaction, commits once, and
//! only then answers them all. A batch refused on the way (a conflict, a
//! quota) takes the transaction back with it; it is answered, and the
//! others go again.
//!
//! A batch sent with `after = N` (the client keeps several requests in
//! flight) is ready once its device's notes up to N are stored, by an
//! earlier commit or earlier in the same one: readers refuse a device's
//! lower sequence number after a higher one, so they must be stored in
//! order. One whose earlier batch does not come within the wait is answered
//! 425, and the client sends it again once it knows.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use visitnotes_shared::api::UploadResult;
use visitnotes_shared::envelope::SealedNote;
use visitnotes_shared::{DeviceId, UserId};

use super::notes::{self, Uploader};
use super::{Db, Refusal, StoreError};

/// What the writer needs of a backend. Called on the writer's own thread,
/// one call at a time.
pub trait GroupStore: Send + 'static {
    /// The highest sequence number stored from `device` (0 for none).
    fn last_device_seq(&mut self, device: &DeviceId) -> Result<u64, StoreError>;

    /// Stores `group` in one transaction, in order, each batch's user under
    /// `quota_bytes`; all of it or none, committed before it returns Ok.
    fn store_group(&mut self, group: &[&Upload], quota_bytes: u64) -> Result<Vec<Vec<UploadResult>>, Rollback>;
}

/// The SQLite store: one immediate transaction on the writer connection,
/// without savepoints (each costs a copy of every page it touches, and a
/// refused batch, a conflict or a quota, is rare).
impl GroupStore for Arc<Db> {
    fn last_device_seq(&mut self, device: &DeviceId) -> Result<u64, StoreError> {
        self.read(|conn| notes::last_device_seq(conn, device.as_str()))
    }

    fn store_group(&mut self, group: &[&Upload], quota_bytes: u64) -> Result<Vec<Vec<UploadResult>>, Rollback> {
        self.write(|tx| {
            let store_one = |(i, upload): (usize, &&Upload)| {
                let who = Uploader { device_id: upload.device_id.as_str(), user_id: &upload.user_id, quota_bytes };
                notes::upload(tx, &who, &upload.notes).map_err(|e| Rollback::Batch(i, e))
            };
            group.iter().enumerate().map(store_one).collect()
        })
    }
}

/// Batches a commit takes at most: bounds a commit's size and its first
/// batch's wait when many devices upload at once.
const MAX_GROUP: usize = 64;

/// A checked batch (see `notes::verify_batch`) to store.
pub struct Upload {
    pub device_id: DeviceId,
    pub user_id: UserId,
    /// Store only once the device's notes up to this sequence number are.
    pub after: Option<u64>,
    pub notes: Vec<SealedNote>,
}

/// The handle request handlers send uploads through; dropping it stops the
/// thread and waits for it (its store closed, as SQLite wants before the
/// process exits: no -wal or -shm file left behind).
pub struct UploadWriter {
    /// None once dropped.
    jobs: Option<Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// How long a batch sent with `after` waits for its earlier batch.
    wait: Duration,
    /// Batches the writer holds back for their earlier batch (a gauge for
    /// `/metrics`, and what tests wait on instead of sleeping).
    waiting: Arc<AtomicU64>,
}

struct Job {
    upload: Upload,
    /// When a batch still waiting on its `after` is answered 425.
    deadline: Instant,
    answer: oneshot::Sender<Result<Vec<UploadResult>, StoreError>>,
}

impl UploadWriter {
    /// Starts the writer thread over `db`.
    pub fn start(db: impl GroupStore, quota_bytes: u64, wait: Duration) -> std::io::Result<UploadWriter> {
        let (jobs, queue) = mpsc::channel();
        let waiting = Arc::new(AtomicU64::new(0));
        let writer = Writer { db, quota_bytes, stored: HashMap::new(), waiting: waiting.clone() };
        let thread = std::thread::Builder::new().name("upload-writer".into()).spawn(move || writer.run(queue))?;
        Ok(UploadWriter { jobs: Some(jobs), thread: Some(thread), wait, waiting })
    }

    /// How many batches wait for their earlier batch right now.
    pub fn waiting(&self) -> u64 {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Stores `upload` and answers once it is committed (or refused).
    pub async fn store(&self, upload: Upload) -> Result<Vec<UploadResult>, StoreError> {
        let (answer, answered) = oneshot::channel();
        let job = Job { upload, deadline: Instant::now() + self.wait, answer };
        let jobs = self.jobs.as_ref().ok_or(StoreError::WriterStopped)?;
        jobs.send(job).map_err(|_| StoreError::WriterStopped)?;
        // A dropped answer: the writer stopped, or panicked in this commit.
        answered.await.map_err(|_| StoreError::WriterStopped)?
    }
}

impl Drop for UploadWriter {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Writer<S> {
    db: S,
    quota_bytes: u64,
    /// Each device's highest stored sequence number, as far as known: a
    /// cache of `notes::last_device_seq`, kept by the only writer of notes.
    stored: HashMap<DeviceId, u64>,
    waiting: Arc<AtomicU64>,
}

impl<S: GroupStore> Writer<S> {
    fn run(mut self, queue: Receiver<Job>) {
        let mut waiting: Vec<Job> = Vec::new();
        let mut more_ready = false;
        loop {
            // Sleep until a batch comes, or the first waiting one expires;
            // not at all if the last commit left ready batches behind.
            let first_deadline = waiting.iter().map(|job| job.deadline).min();
            let next = match first_deadline {
                _ if more_ready => Err(RecvTimeoutError::Timeout),
                None => queue.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(deadline) => queue.recv_timeout(deadline.saturating_duration_since(Instant::now())),
            };
            match next {
                Ok(job) => waiting.push(job),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            waiting.extend(queue.try_iter());
            // A panic fails the batches of that commit (their answers are
            // dropped), not every later upload.
            let round = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let full = self.commit_ready(&mut waiting);
                self.expire(&mut waiting);
                full
            }));
            more_ready = round.unwrap_or_else(|_| {
                self.stored.clear();
                false
            });
            self.waiting.store(waiting.len() as u64, Ordering::Relaxed);
        }
    }

    /// Stores every batch in `waiting` that is ready, in one commit; the
    /// rest stay waiting. True if the commit was full (more may be ready).
    fn commit_ready(&mut self, waiting: &mut Vec<Job>) -> bool {
        loop {
            let group = match self.take_ready(waiting) {
                Ok(group) => group,
                Err(e) => {
                    fail_all(std::mem::take(waiting), e);
                    return false;
                }
            };
            if group.is_empty() {
                return false;
            }
            let full = group.len() == MAX_GROUP;
            match self.store(&group) {
                Ok(results) => {
                    for (job, results) in group.into_iter().zip(results) {
                        let _ = job.answer.send(Ok(results));
                    }
                    return full;
                }
                // The commit was rolled back: the refused batch is answered,
                // the others go again (those that counted on it wait again).
                Err(Rollback::Batch(i, e)) => {
                    let mut group = group;
                    let _ = group.remove(i).answer.send(Err(e));
                    waiting.splice(0..0, group);
                }
                Err(Rollback::Store(e)) => {
                    // Nothing of the group is stored; the cache may be stale.
                    self.stored.clear();
                    fail_all(group, e);
                    return false;
                }
            }
        }
    }

    /// Stores `group` in one transaction, in order; all of it or none.
    fn store(&mut self, group: &[Job]) -> Result<Vec<Vec<UploadResult>>, Rollback> {
        let uploads: Vec<&Upload> = group.iter().map(|job| &job.upload).collect();
        let results = self.db.store_group(&uploads, self.quota_bytes)?;
        for upload in uploads {
            let last = upload.notes.iter().map(|n| n.header.device_seq).max().unwrap_or(0);
            let seq = self.stored.entry(upload.device_id.clone()).or_default();
            *seq = (*seq).max(last);
        }
        Ok(results)
    }

    /// Takes out of `waiting` the batches that are ready, in the order they
    /// can be stored: a batch with `after` counts on the batches before it
    /// in the group (it may have arrived before them).
    fn take_ready(&mut self, waiting: &mut Vec<Job>) -> Result<Vec<Job>, StoreError> {
        for job in waiting.iter() {
            self.known_seq(&job.upload.device_id)?;
        }
        let mut planned = self.stored.clone();
        let mut group = Vec::new();
        loop {
            let before = group.len();
            let mut i = 0;
            while i < waiting.len() && group.len() < MAX_GROUP {
                let upload = &waiting[i].upload;
                let seq = planned.get(&upload.device_id).copied().unwrap_or(0);
                if upload.after.is_some_and(|after| after > seq) {
                    i += 1;
                    continue;
                }
                let last = upload.notes.iter().map(|n| n.header.device_seq).max().unwrap_or(0);
                planned.insert(upload.device_id.clone(), seq.max(last));
                group.push(waiting.remove(i));
            }
            if group.len() == before {
                return Ok(group);
            }
        }
    }

    /// `device`'s highest stored sequence number, read once from the store.
    fn known_seq(&mut self, device: &DeviceId) -> Result<u64, StoreError> {
        if let Some(&seq) = self.stored.get(device) {
            return Ok(seq);
        }
        let seq = self.db.last_device_seq(device)?;
        self.stored.insert(device.clone(), seq);
        Ok(seq)
    }

    /// Answers 425 to the batches whose earlier batch did not come in time.
    fn expire(&self, waiting: &mut Vec<Job>) {
        let now = Instant::now();
        let (expired, still): (Vec<Job>, Vec<Job>) =
            std::mem::take(waiting).into_iter().partition(|job| job.upload.after.is_some() && job.deadline <= now);
        *waiting = still;
        for job in expired {
            let after = job.upload.after.unwrap_or(0);
            let last = self.stored.get(&job.upload.device_id).copied().unwrap_or(0);
            let _ = job.answer.send(Err(StoreError::Refused(Refusal::NotYet(format!(
                "this device's sequence number {after} is not stored yet (stored up to {last}): \
                 send this batch again once the one before it is answered"
            )))));
        }
    }
}

/// Why a group's commit was rolled back.
pub enum Rollback {
    /// The batch at this place in the group was refused.
    Batch(usize, StoreError),
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for Rollback {
    fn from(e: StoreError) -> Self {
        Rollback::Store(e)
    }
}

/// Answers every job with the failure of their commit, shared (the HTTP
/// layer logs the cause and answers without it).
fn fail_all(jobs: Vec<Job>, error: StoreError) {
    let error = Arc::new(error);
    for job in jobs {
        let _ = job.answer.send(Err(StoreError::Group(error.clone())));
    }
}
