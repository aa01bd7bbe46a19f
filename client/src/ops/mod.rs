//! What the client does, independent of how it is asked: each function
//! takes an unlocked `Session` (or makes one) and returns data; the CLI
//! modules format it.

pub mod admin;
pub mod alerts;
pub mod enroll;
pub mod heads;
pub mod read;
pub mod receipts;
pub mod report;
pub mod resolve;
pub mod retention;
pub mod rewrap;
pub mod roster;
pub mod sync;
pub mod write;
