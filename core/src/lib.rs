//! Visitnotes core: everything a person can do with their notes, for every
//! door onto it (the command line and the local web app in the `visitnotes`
//! crate; the phone library next).
//!
//! `ops` does the work (enrol, write, sync, read, follow up, administer)
//! and returns typed data, never sentences; `profile` holds the device's
//! files, `vault` its keys under the passphrase, `store` the local
//! encrypted store, `api` the server's HTTP API; `report` builds the
//! reports; `i18n`, `vocabulary`, `dates`, `display` and `qr` are what the
//! doors share to turn that data into English or Norwegian text (and QR
//! codes).

#![forbid(unsafe_code)]

pub mod api;
pub mod dates;
pub mod display;
pub mod error;
pub mod form;
pub mod i18n;
pub mod ops;
pub mod org_shares;
pub mod profile;
pub mod qr;
pub mod report;
pub mod samples;
pub mod store;
pub mod vault;
pub mod vocabulary;

pub use error::ClientError;
