-- The organisation key handed to a newly approved administrator's device:
-- sealed by the approving administrator's client to that device's age key
-- (X25519), so the server passes it on and cannot open it. One per device;
-- deleted when the device is revoked or its member removed.
CREATE TABLE org_key_grants (
    device_id  TEXT PRIMARY KEY REFERENCES devices(device_id),
    sealed     BLOB NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at INTEGER NOT NULL
) STRICT;
