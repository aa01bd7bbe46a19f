-- Visitnotes server database on PostgreSQL, version 1: the same tables and
-- meaning as the SQLite schema after its migration 0010 (migrations/), in
-- PostgreSQL's types. Ids and hashes that SQLite keeps as bytes are BYTEA
-- here, text ids TEXT, times unix seconds (BIGINT), flags BOOLEAN.
--
-- Applied by the server (db::postgres::migrate) inside one transaction that
-- also records the version in schema_version.

-- The store's identity, given once (see the SQLite migration 0005).
CREATE TABLE store (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    id  TEXT NOT NULL
);
INSERT INTO store (id) VALUES (replace(gen_random_uuid()::text, '-', ''));

-- Counters whose row lock orders the writers of several connections and
-- processes: `notes` is the last note seq given (a SEQUENCE would leave
-- gaps on rollback; this row is taken back with the transaction), `devices`
-- the last device-directory snapshot number.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('notes', 0), ('devices', 0);

CREATE TABLE invites (
    token_hash  TEXT PRIMARY KEY,          -- SHA-256 of the one-time token; the token itself is never stored
    user_id     TEXT NOT NULL,
    role        TEXT NOT NULL,
    name        TEXT NOT NULL,
    bootstrap   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);

CREATE TABLE users (
    user_id     TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,              -- the role the invite fixed; the roster is authoritative
    state       TEXT NOT NULL,              -- active | removed
    created_at  BIGINT NOT NULL
);

CREATE TABLE devices (
    device_id     TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(user_id),
    name          TEXT NOT NULL,
    signing_key   BYTEA NOT NULL,
    age_recipient TEXT NOT NULL,
    mac           BYTEA NOT NULL,
    token_hash    TEXT NOT NULL,
    bootstrap     BOOLEAN NOT NULL DEFAULT FALSE,
    state         TEXT NOT NULL,            -- pending | active | revoked
    enrolled_at   BIGINT NOT NULL
);
CREATE INDEX devices_user ON devices (user_id);

CREATE TABLE rosters (
    version      BIGINT PRIMARY KEY,
    body         TEXT NOT NULL,
    signature    TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by TEXT NOT NULL
);

-- One row per accepted revision; seq is the server's sequence number,
-- given from counters.notes: gap-free, in commit order.
CREATE TABLE notes (
    seq            BIGINT PRIMARY KEY,
    note_id        BYTEA NOT NULL,          -- 16 bytes
    revision       BIGINT NOT NULL,
    kind           SMALLINT NOT NULL,       -- 0 note, 1 tombstone, 2 follow-up record
    author         BYTEA NOT NULL,          -- user id, 16 bytes
    device_id      BYTEA NOT NULL,          -- 16 bytes
    device_seq     BIGINT NOT NULL,
    roster_version BIGINT NOT NULL,
    prev_hash      BYTEA,                   -- 32 bytes; NULL for revision 1
    age_sha256     BYTEA NOT NULL,
    payload_sha256 BYTEA NOT NULL,
    signature      BYTEA NOT NULL,
    age            BYTEA,                   -- NULL once purged
    size           BIGINT NOT NULL,
    received_at    BIGINT NOT NULL,
    superseded_at  BIGINT,
    rewrap         TEXT,                    -- a coordinator's rewrap statement, JSON
    note_author    BYTEA,                   -- a follow-up record's note's author
    device_prev    BYTEA,                   -- the device chain's previous hash
    UNIQUE (note_id, revision)
);
-- Ciphertext does not compress: store it out of line without trying.
ALTER TABLE notes ALTER COLUMN age SET STORAGE EXTERNAL;
CREATE INDEX notes_author_seq ON notes (author, seq);
CREATE INDEX notes_device_seq ON notes (device_id, device_seq);
CREATE INDEX notes_superseded ON notes (superseded_at) WHERE age IS NOT NULL AND superseded_at IS NOT NULL;
CREATE INDEX notes_note_author_seq ON notes (note_author, seq) WHERE note_author IS NOT NULL;

CREATE TABLE audit (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT,                         -- device id, or NULL for the server itself
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
-- The chain's last entry, locked by each append: entries get consecutive
-- numbers and the right previous hash whichever connection writes them.
CREATE TABLE audit_head (
    one  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (seq, hash) VALUES (0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE usage (
    user_id TEXT PRIMARY KEY,
    bytes   BIGINT NOT NULL
);

CREATE TABLE audit_checkpoints (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entries        BIGINT NOT NULL,
    head           TEXT NOT NULL,
    signed_at      BIGINT NOT NULL,
    device_id      TEXT NOT NULL,
    roster_version BIGINT NOT NULL,
    signature      BYTEA NOT NULL,
    received_at    BIGINT NOT NULL
);

CREATE TABLE org_key_grants (
    device_id  TEXT PRIMARY KEY REFERENCES devices(device_id),
    sealed     BYTEA NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at BIGINT NOT NULL
);

CREATE TABLE heads (
    device_id   BYTEA PRIMARY KEY,
    last_seq    BIGINT NOT NULL,
    signed_at   BIGINT NOT NULL,
    body        TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

CREATE TABLE receipts (
    reader      BYTEA NOT NULL,
    device_id   BYTEA NOT NULL,
    author      BYTEA NOT NULL,
    through_seq BIGINT NOT NULL,
    signed_at   BIGINT NOT NULL,
    body        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (reader, device_id)
);
CREATE INDEX receipts_author ON receipts (author);
