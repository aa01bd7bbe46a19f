-- A note written while the newest roster here was expired is held in the
-- outbox (`held_roster`: that roster's version) until a fresh roster
-- comes, which it is sealed again under, or until `sync
-- --allow-expired-roster` sends it as it is and keeps a warning with it
-- (`notes.warning`), shown by `note show`.
ALTER TABLE outbox ADD COLUMN held_roster INTEGER;
ALTER TABLE notes ADD COLUMN warning TEXT;
