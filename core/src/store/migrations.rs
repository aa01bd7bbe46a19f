//! The local store's layout, one migration per change, in
//! `migrations/NN-name.sql`.
//!
//! rusqlite_migration counts the migrations a file has run in SQLite's
//! `user_version`: a profile at version 4 runs the 5th and later ones when
//! it is opened, and never the first four again. So a migration, once
//! released, is never edited or reordered (a profile that ran it would not
//! get the change, or would get it twice): a change is a new file at the
//! end of this list. `tests::a_new_store_has_the_layout_of_a_profile_made_before`
//! holds the first six to what profiles made with them have.

use rusqlite_migration::{Migrations, M};

const MIGRATIONS: [&str; 6] = [
    include_str!("migrations/01-schema.sql"),
    include_str!("migrations/02-alerts-resolve.sql"),
    include_str!("migrations/03-roster-expiry.sql"),
    include_str!("migrations/04-drafts.sql"),
    include_str!("migrations/05-device-heads.sql"),
    include_str!("migrations/06-receipts.sql"),
];

/// The schema version this build brings a store to (its `user_version`).
#[cfg(test)]
pub(super) const LATEST: usize = MIGRATIONS.len();

pub(super) fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}
