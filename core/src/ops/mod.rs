//! What the client does, independent of how it is asked: each function
//! takes an unlocked `Session` (or makes one) and returns typed data; the
//! doors (the command line, the web app) format it.

pub mod admin;
pub mod alerts;
pub mod audit;
pub mod drafts;
pub mod enroll;
pub mod expiry;
pub mod follow_up;
pub mod heads;
pub mod org_key;
pub mod read;
pub mod receipts;
pub mod rejection;
pub mod report;
pub mod resolve;
pub mod retention;
pub mod rewrap;
pub mod roster;
pub mod status;
pub mod sync;
pub mod write;
