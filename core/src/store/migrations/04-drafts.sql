-- Drafts of the web app's note form: what was typed, sealed under the
-- store key like a note, one per form (`new`, `edit:NOTE_ID`).
CREATE TABLE drafts (key TEXT PRIMARY KEY, updated_at INTEGER NOT NULL, sealed BLOB NOT NULL) STRICT;
