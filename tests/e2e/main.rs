//! The end-to-end tests: one test binary (`cargo test --workspace --test
//! e2e`), a module per area. Each test starts the real server on an
//! ephemeral loopback port and drives the real `visitnotes` binary (or
//! `visitnotes ui`, over raw HTTP and in headless Chromium), with the
//! fixtures of [`harness`]. `cargo test --workspace --test e2e hostile::`
//! runs one area.

mod harness;

mod admin;
mod alerts;
mod basics;
mod canary;
#[cfg(target_os = "linux")]
mod closed_pipe;
mod expiry;
mod follow_up;
mod heads;
mod hostile;
mod launcher;
mod leader;
mod org_key;
mod purge;
mod receipts;
mod restore;
mod web;
