-- Alerts stay until what they report is resolved: `subject` names what
-- an alert is about (a note revision, the roster), so that the same
-- trouble seen again is one alert, and its end resolves it. Alerts about
-- rejected notes are read from the notes themselves now (a rejected row
-- is its own alert), so the old copies of those are closed.
ALTER TABLE alerts ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN resolved_at INTEGER;
UPDATE alerts SET resolved_at = at WHERE kind = 'note';
UPDATE alerts SET subject = substr(detail, 1, instr(detail, ':') - 1) WHERE kind = 'swap' AND instr(detail, ':') > 0;
