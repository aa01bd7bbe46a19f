//! Visitnotes client: the only place a note's plaintext exists.
//!
//! `profile` holds the device's files (keys under the passphrase, the local
//! store under the store key); `ops` does the work (enrol, write, sync,
//! read, administer); `cli` turns command lines into `ops` calls and
//! results into text or JSON; `web` is the second door, the local web
//! app of `visitnotes ui`; `demo` (cargo feature `demo`, on by
//! default) runs the whole path on an embedded server.

#![forbid(unsafe_code)]

pub mod api;
pub mod cli;
pub mod dates;
#[cfg(feature = "demo")]
pub mod demo;
pub mod display;
pub mod editor;
pub mod error;
pub mod i18n;
pub mod ops;
pub mod org_shares;
pub mod passphrase;
pub mod profile;
pub mod questions;
pub mod report;
pub mod samples;
pub mod store;
pub mod template;
pub mod vault;
pub mod vocabulary;
pub mod web;

pub use error::ClientError;
