//! Visitnotes on a phone: the leader's whole path (enrol, wait for
//! approval, unlock, write, edit and delete notes, drafts, the list of
//! their notes with who has received them, the follow-up on their
//! concerns, the alerts, sync) for a native app in Kotlin (Android) or
//! Swift (iOS), through bindings UniFFI generates from this crate.
//!
//! Nothing here does the work: every function calls the same
//! `visitnotes_core::ops` as the command line and the local web app, and
//! words what it returns from the same catalogues (`visitnotes_core::i18n`,
//! English and Norwegian Bokmål). What crosses to the app is plain data
//! (records of strings and numbers) and typed errors
//! ([`VisitnotesError`]) whose message is in the person's language; keys,
//! sealed notes and the store never cross.
//!
//! **Blocking.** The API is synchronous. [`Device::enroll`],
//! [`Device::unlock`], [`Device::check_approval`] and [`Device::sync`]
//! block for seconds (the passphrase's key derivation, the network): call
//! them off the UI thread (a Kotlin `Dispatchers.IO` coroutine, a Swift
//! `Task.detached`). The rest reads or writes the local store and returns
//! in milliseconds. Calls on one [`Device`] run one at a time.
//!
//! Paths come from the app (its private directory): nothing here looks up
//! a home folder, asks in a terminal or opens a browser.

mod device;
mod error;
mod form;
mod views;

pub use device::{Device, SyncProgress};
pub use error::VisitnotesError;
pub use form::{Choice, Choices, ConcernFormRecord, FieldError, FollowUpStatus, NoteFormRecord, SaveOutcome, Severity};
pub use views::{
    AlertView, Approval, ConcernView, DraftInfo, Enrolment, FollowUpEntry, MyNotes, NoteDetail, NoteState, NoteSummary,
    SyncSummary,
};

uniffi::setup_scaffolding!();
