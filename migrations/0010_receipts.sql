-- Coordinators' signed delivery receipts (issue 14): the newest per
-- (coordinator's device, author's device), served to the author. A
-- receipt holds two device ids, a sequence number, a hash, a roster
-- version and the coordinator's time: no note id, nothing of a note.
CREATE TABLE receipts (
    reader      BLOB NOT NULL,              -- the coordinator's device, 16 bytes
    device_id   BLOB NOT NULL,              -- the device whose notes were received
    author      BLOB NOT NULL,              -- that device's user (from the roster), for serving
    through_seq INTEGER NOT NULL,
    signed_at   INTEGER NOT NULL,
    body        TEXT NOT NULL,              -- the SignedReceipt, JSON
    received_at INTEGER NOT NULL,
    PRIMARY KEY (reader, device_id)
) STRICT;
CREATE INDEX receipts_author ON receipts (author);
