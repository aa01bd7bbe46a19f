-- Signed device heads and the device chain (issue 14).
-- Each note's signed header names the hash of the same device's previous
-- sealed item (`device_prev`, 32 bytes; NULL in headers signed before the
-- chain existed). Each device uploads a signed head on every sync: the
-- newest is kept here and served to every member. A head holds a device
-- id, a sequence number, a hash, a roster version and the device's time:
-- no note id, nothing of a note's content.
ALTER TABLE notes ADD COLUMN device_prev BLOB;

CREATE TABLE heads (
    device_id  BLOB PRIMARY KEY,            -- 16 bytes
    last_seq   INTEGER NOT NULL,
    signed_at  INTEGER NOT NULL,            -- the device's signed time
    body       TEXT NOT NULL,               -- the SignedHead, JSON
    received_at INTEGER NOT NULL
) STRICT;
