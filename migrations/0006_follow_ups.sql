-- Coordinators' follow-up records on concerns are stored as notes of kind 2.
-- note_author: the user (16 bytes) whose note a follow-up record is about,
-- from its signed header; the server serves the record to that user as well
-- as to coordinators. Which note, which concern and what was done are inside
-- the ciphertext. NULL for notes (kind 0) and tombstones (kind 1).
ALTER TABLE notes ADD COLUMN note_author BLOB;
CREATE INDEX notes_note_author_seq ON notes (note_author, seq) WHERE note_author IS NOT NULL;
