-- The store's identity: a random id given once, when the database is
-- created (or first brought to this version), and sent to members with
-- every pull page. Clients remember it with the last revision they pulled;
-- a server restored from an older backup (the same id, but its sequence
-- numbers went back) or replaced by another store (another id) is noticed,
-- and they pull everything again and upload what it lost (client
-- `ops::sync`).
CREATE TABLE store (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    id  TEXT NOT NULL
) STRICT;
INSERT INTO store (one, id) VALUES (1, lower(hex(randomblob(16))));
