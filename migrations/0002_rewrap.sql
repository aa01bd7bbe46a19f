-- A coordinator's re-encryption of a note's file key to newer readers
-- (visitnotes_shared::rewrap::Rewrap as JSON); the age column then holds
-- the rewrapped file.
ALTER TABLE notes ADD COLUMN rewrap TEXT;
