-- The first layout of the local store. Never edit a migration a profile
-- may have run: rusqlite_migration counts them by SQLite's user_version, so
-- a change belongs in a new file at the end of the list in migrations.rs.
--
-- notes.status holds one of the six names of `store::NoteStatus` (the
-- comment in the table lists the first five; `refused` came later).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE rosters (version INTEGER PRIMARY KEY, body TEXT NOT NULL, signature TEXT NOT NULL) STRICT;
CREATE TABLE notes (
    note_id     TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    author      TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    device_seq  INTEGER NOT NULL,
    server_seq  INTEGER,
    status      TEXT NOT NULL,  -- valid | outbox | rejected | not_addressed | withheld
    reason      TEXT,
    note_hash   TEXT NOT NULL,
    sealed      BLOB NOT NULL,  -- the SealedNote as JSON: ciphertext and signed header
    plain       BLOB,           -- AEAD(store key, note JSON), when this device could read it
    PRIMARY KEY (note_id, revision)
) STRICT;
CREATE INDEX notes_device ON notes (device_id, device_seq);
CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, note_id TEXT NOT NULL, revision INTEGER NOT NULL) STRICT;
CREATE TABLE alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL) STRICT;
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    role       TEXT NOT NULL,
    name       TEXT NOT NULL,
    secret     BLOB NOT NULL,   -- AEAD(store key, enrolment secret)
    created_at INTEGER NOT NULL
) STRICT;
