-- Coordinators' receipts about this user's devices (`ops::receipts`), the
-- newest verified per (coordinator's device, device).
CREATE TABLE receipts (
    reader     TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    signed_at  INTEGER NOT NULL,
    body       TEXT NOT NULL,     -- the SignedReceipt, JSON
    PRIMARY KEY (reader, device_id)
) STRICT;
