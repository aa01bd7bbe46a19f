-- Checkpoints of the audit log: an administrator's device signs the number
-- of entries and the hash of the last one (visitnotes_shared::audit::
-- Checkpoint), so that dropping or rewriting entries it covers is found by
-- `visitnotes-server audit verify` and by administrators' clients, which
-- keep their newest checkpoint too.
CREATE TABLE audit_checkpoints (
    id             INTEGER PRIMARY KEY,
    entries        INTEGER NOT NULL,     -- entries 1 to this are covered
    head           TEXT NOT NULL,        -- the hash of entry `entries`
    signed_at      INTEGER NOT NULL,
    device_id      TEXT NOT NULL,        -- the administrator's device that signed it
    roster_version INTEGER NOT NULL,     -- the roster in which that device was an administrator's
    signature      BLOB NOT NULL,
    received_at    INTEGER NOT NULL
) STRICT;
