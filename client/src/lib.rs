//! Visitnotes client: the doors onto `visitnotes-core`.
//!
//! `cli` turns command lines into `ops` calls and results into text or
//! JSON; `web` is the second door, the local web app of `visitnotes ui`;
//! `editor`, `questions`, `template` and `passphrase` are the terminal's
//! ways of taking a note and a passphrase; `demo` (cargo feature `demo`, on
//! by default) runs the whole path on an embedded server. The work itself
//! (enrol, write, sync, read, administer) is in `visitnotes_core::ops`.

#![forbid(unsafe_code)]

pub mod cli;
#[cfg(feature = "demo")]
pub mod demo;
pub mod editor;
pub mod passphrase;
pub mod questions;
pub mod template;
pub mod web;
