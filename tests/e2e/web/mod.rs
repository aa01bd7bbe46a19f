//! `visitnotes ui`, the local web app: the real server, real `visitnotes ui`
//! processes on loopback, spoken to over raw HTTP for the security checks
//! (so that every header is exactly what the test says) and through
//! headless Chromium over WebDriver for what a person does.

mod admin;
mod advice;
mod alerts;
mod concerns;
mod devices;
pub mod enrol;
mod language;
mod loopback;
mod norwegian;
mod notes;
mod org_key;
mod reports;
mod session;
