-- Visitnotes server database, version 1.
-- The server stores ciphertext and the metadata listed in DESIGN.md; nothing
-- here can be decrypted with anything the server holds.

CREATE TABLE invites (
    token_hash  TEXT PRIMARY KEY,          -- SHA-256 of the one-time token; the token itself is never stored
    user_id     TEXT NOT NULL,
    role        TEXT NOT NULL,
    name        TEXT NOT NULL,
    bootstrap   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) STRICT;

CREATE TABLE users (
    user_id     TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,              -- the role the invite fixed; the roster is authoritative
    state       TEXT NOT NULL,              -- active | removed
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE devices (
    device_id     TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(user_id),
    name          TEXT NOT NULL,
    signing_key   BLOB NOT NULL,
    age_recipient TEXT NOT NULL,
    mac           BLOB NOT NULL,
    token_hash    TEXT NOT NULL,
    bootstrap     INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL,            -- pending | active | revoked
    enrolled_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE rosters (
    version      INTEGER PRIMARY KEY,
    body         TEXT NOT NULL,
    signature    TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    published_by TEXT NOT NULL
) STRICT;

-- One row per accepted upload; seq is the server's sequence number.
CREATE TABLE notes (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    note_id        TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    kind           TEXT NOT NULL,           -- note | tombstone
    author         TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    device_seq     INTEGER NOT NULL,
    roster_version INTEGER NOT NULL,
    prev_hash      TEXT,
    note_hash      TEXT NOT NULL,           -- SealedNote::hash, what the next revision names as prev_hash
    age_sha256     TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    signature      BLOB NOT NULL,
    age            BLOB,                    -- NULL once purged
    size           INTEGER NOT NULL,
    received_at    INTEGER NOT NULL,
    superseded_at  INTEGER,                 -- when a later revision arrived
    UNIQUE (note_id, revision)
) STRICT;
CREATE INDEX notes_author_seq ON notes (author, seq);
CREATE INDEX notes_device_seq ON notes (device_id, device_seq);
CREATE INDEX notes_superseded ON notes (superseded_at) WHERE age IS NOT NULL AND superseded_at IS NOT NULL;

CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    actor     TEXT,                         -- device id, or NULL for the server itself
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
