-- Signed device heads (`ops::heads`): the newest verified head of each
-- device, and when this device first saw each device it watches (for
-- "never heard from"). `received_at` is when the server says it stored a
-- revision (pulled), or when it acknowledged this device's own upload.
CREATE TABLE heads (
    device_id  TEXT PRIMARY KEY,
    last_seq   INTEGER NOT NULL,
    signed_at  INTEGER NOT NULL,
    body       TEXT NOT NULL      -- the SignedHead, JSON
) STRICT;
CREATE TABLE watched_devices (device_id TEXT PRIMARY KEY, first_seen INTEGER NOT NULL) STRICT;
ALTER TABLE notes ADD COLUMN received_at INTEGER;
