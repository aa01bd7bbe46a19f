-- Bytes of ciphertext each user stores, kept up to date on every write, so
-- that the quota check costs the same at a million notes as at ten.
CREATE TABLE usage (
    user_id TEXT PRIMARY KEY,
    bytes   INTEGER NOT NULL
) STRICT;
INSERT INTO usage (user_id, bytes)
    SELECT author, SUM(size) FROM notes WHERE age IS NOT NULL GROUP BY author;
