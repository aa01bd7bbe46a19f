//! The local store: SQLite on the device, with every note's plaintext
//! sealed under the store key (ChaCha20-Poly1305, the note id and revision
//! as associated data, so a row cannot be moved to another note).
//!
//! What is stored in clear is what the server also sees: ids, revisions,
//! authors, sequence numbers, the signed roster and sealed (age) envelopes.
//!
//! Coordinators' follow-up records on concerns are rows of the same table
//! (kind `follow_up`, in their device's sequence like notes), their record
//! sealed under the store key as a note's plaintext is.

use std::path::Path;

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};
use visitnotes_shared::envelope::{EnvelopeHeader, Kind, SealedNote};
use visitnotes_shared::follow_up::FollowUpRecord;
use visitnotes_shared::note::VisitNote;
use visitnotes_shared::roster::SignedRoster;
use zeroize::Zeroizing;

use crate::error::ClientError;

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE rosters (version INTEGER PRIMARY KEY, body TEXT NOT NULL, signature TEXT NOT NULL) STRICT;
CREATE TABLE notes (
    note_id     TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    author      TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    device_seq  INTEGER NOT NULL,
    server_seq  INTEGER,
    status      TEXT NOT NULL,  -- valid | outbox | rejected | not_addressed | withheld
    reason      TEXT,
    note_hash   TEXT NOT NULL,
    sealed      BLOB NOT NULL,  -- the SealedNote as JSON: ciphertext and signed header
    plain       BLOB,           -- AEAD(store key, note JSON), when this device could read it
    PRIMARY KEY (note_id, revision)
) STRICT;
CREATE INDEX notes_device ON notes (device_id, device_seq);
CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, note_id TEXT NOT NULL, revision INTEGER NOT NULL) STRICT;
CREATE TABLE alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL) STRICT;
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    role       TEXT NOT NULL,
    name       TEXT NOT NULL,
    secret     BLOB NOT NULL,   -- AEAD(store key, enrolment secret)
    created_at INTEGER NOT NULL
) STRICT;
";

/// Alerts stay until what they report is resolved: `subject` names what
/// an alert is about (a note revision, the roster), so that the same
/// trouble seen again is one alert, and its end resolves it. Alerts about
/// rejected notes are read from the notes themselves now (a rejected row
/// is its own alert), so the old copies of those are closed.
const ALERTS_RESOLVE: &str = "
ALTER TABLE alerts ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN resolved_at INTEGER;
UPDATE alerts SET resolved_at = at WHERE kind = 'note';
UPDATE alerts SET subject = substr(detail, 1, instr(detail, ':') - 1) WHERE kind = 'swap' AND instr(detail, ':') > 0;
";

/// A note written while the newest roster here was expired is held in the
/// outbox (`held_roster`: that roster's version) until a fresh roster
/// comes, which it is sealed again under, or until `sync
/// --allow-expired-roster` sends it as it is and keeps a warning with it
/// (`notes.warning`), shown by `note show`.
const ROSTER_EXPIRY: &str = "
ALTER TABLE outbox ADD COLUMN held_roster INTEGER;
ALTER TABLE notes ADD COLUMN warning TEXT;
";

/// Drafts of the web app's note form: what was typed, sealed under the
/// store key like a note, one per form (`new`, `edit:NOTE_ID`).
const DRAFTS: &str = "
CREATE TABLE drafts (key TEXT PRIMARY KEY, updated_at INTEGER NOT NULL, sealed BLOB NOT NULL) STRICT;
";

/// Signed device heads (`ops::heads`): the newest verified head of each
/// device, and when this device first saw each device it watches (for
/// "never heard from"). `received_at` is when the server says it stored a
/// revision (pulled), or when it acknowledged this device's own upload.
const DEVICE_HEADS: &str = "
CREATE TABLE heads (
    device_id  TEXT PRIMARY KEY,
    last_seq   INTEGER NOT NULL,
    signed_at  INTEGER NOT NULL,
    body       TEXT NOT NULL      -- the SignedHead, JSON
) STRICT;
CREATE TABLE watched_devices (device_id TEXT PRIMARY KEY, first_seen INTEGER NOT NULL) STRICT;
ALTER TABLE notes ADD COLUMN received_at INTEGER;
";

/// Coordinators' receipts about this user's devices (`ops::receipts`), the
/// newest verified per (coordinator's device, device).
const RECEIPTS: &str = "
CREATE TABLE receipts (
    reader     TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    signed_at  INTEGER NOT NULL,
    body       TEXT NOT NULL,     -- the SignedReceipt, JSON
    PRIMARY KEY (reader, device_id)
) STRICT;
";

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(SCHEMA),
        M::up(ALERTS_RESOLVE),
        M::up(ROSTER_EXPIRY),
        M::up(DRAFTS),
        M::up(DEVICE_HEADS),
        M::up(RECEIPTS),
    ])
}

/// A device and the items of it held here: (sequence number, hash hex), ascending.
pub type DeviceItems = (String, Vec<(u64, String)>);

/// An alert kept in the store until it is resolved.
#[derive(Debug, Clone)]
pub struct StoredAlert {
    /// Unix seconds when it was first seen.
    pub at: i64,
    pub kind: String,
    pub subject: String,
    pub detail: String,
}

pub struct Store {
    conn: Connection,
    /// The store key, wiped when the store is dropped. ring's AEAD key
    /// cannot be wiped, so one is built for each seal and open instead of
    /// kept (its copy lives on the stack for that call).
    key: Zeroizing<[u8; 32]>,
}

/// A note row as the rest of the client sees it.
#[derive(Debug, Clone)]
pub struct NoteRow {
    pub sealed: SealedNote,
    pub server_seq: Option<u64>,
    pub status: String,
    pub reason: Option<String>,
    pub note: Option<VisitNote>,
    /// The record, for a follow-up record this device could read (then
    /// `note` is none).
    pub follow_up: Option<FollowUpRecord>,
}

impl NoteRow {
    pub fn header(&self) -> &EnvelopeHeader {
        &self.sealed.header
    }
}

/// A draft as kept: Unix seconds when saved, and its plaintext.
pub type KeptDraft = (i64, Zeroizing<Vec<u8>>);

/// An enrolment secret kept from `admin invite`.
pub struct KeptInvite {
    pub user_id: String,
    pub role: String,
    pub name: String,
    pub secret: Zeroizing<[u8; 32]>,
}

impl Store {
    pub fn open(path: &Path, key: &[u8; 32]) -> Result<Store, ClientError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrations().to_latest(&mut conn)?;
        Ok(Store { conn, key: Zeroizing::new(*key) })
    }

    fn aead(&self) -> LessSafeKey {
        LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &self.key[..]).expect("32-byte key"))
    }

    fn seal(&self, aad: &str, plaintext: &[u8]) -> Vec<u8> {
        use ring::rand::SecureRandom;
        let mut nonce = [0u8; 12];
        ring::rand::SystemRandom::new().fill(&mut nonce).expect("the OS random source works");
        let mut buf = plaintext.to_vec();
        self.aead()
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad.as_bytes()), &mut buf)
            .expect("sealing cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        buf.iter_mut().for_each(|b| *b = 0);
        out
    }

    fn unseal(&self, aad: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, ClientError> {
        if sealed.len() < 12 + 16 {
            return Err(ClientError::Store("a sealed row is truncated".into()));
        }
        let nonce = Nonce::try_assume_unique_for_key(&sealed[..12]).expect("12 bytes");
        let mut buf = Zeroizing::new(sealed[12..].to_vec());
        let len = self
            .aead()
            .open_in_place(nonce, Aad::from(aad.as_bytes()), &mut buf)
            .map_err(|_| ClientError::Store("a sealed row does not decrypt (damaged or moved)".into()))?
            .len();
        buf.truncate(len);
        Ok(buf)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, ClientError> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), ClientError> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            [key, value],
        )?;
        Ok(())
    }

    pub fn forget_meta(&self, key: &str) -> Result<(), ClientError> {
        self.conn.execute("DELETE FROM meta WHERE key = ?1", [key])?;
        Ok(())
    }

    pub fn meta_u64(&self, key: &str) -> Result<u64, ClientError> {
        Ok(self.meta(key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// The next sequence number for a note signed by this device.
    pub fn next_device_seq(&self) -> Result<u64, ClientError> {
        let next = self.meta_u64("device_seq")? + 1;
        self.set_meta("device_seq", &next.to_string())?;
        Ok(next)
    }

    pub fn latest_roster(&self) -> Result<Option<SignedRoster>, ClientError> {
        Ok(self
            .conn
            .query_row("SELECT body, signature FROM rosters ORDER BY version DESC LIMIT 1", [], |r| {
                Ok(SignedRoster { body: r.get(0)?, signature: r.get(1)? })
            })
            .optional()?)
    }

    pub fn roster_at(&self, version: u64) -> Result<Option<SignedRoster>, ClientError> {
        Ok(self
            .conn
            .query_row("SELECT body, signature FROM rosters WHERE version = ?1", [version], |r| {
                Ok(SignedRoster { body: r.get(0)?, signature: r.get(1)? })
            })
            .optional()?)
    }

    pub fn save_roster(&self, version: u64, signed: &SignedRoster) -> Result<(), ClientError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO rosters (version, body, signature) VALUES (?1, ?2, ?3)",
            params![version, signed.body, signed.signature],
        )?;
        Ok(())
    }

    /// Stores a note revision. `note` is the plaintext when this device could read it.
    pub fn put_note(
        &self,
        sealed: &SealedNote,
        server_seq: Option<u64>,
        status: &str,
        reason: Option<&str>,
        note: Option<&VisitNote>,
    ) -> Result<(), ClientError> {
        let json = note.map(|n| Zeroizing::new(serde_json::to_vec(n).expect("a note serialises")));
        self.put_row(sealed, server_seq, status, reason, json.as_deref().map(Vec::as_slice))
    }

    /// Stores a revision of a follow-up record. `record` is the plaintext
    /// when this device could read it.
    pub fn put_follow_up(
        &self,
        sealed: &SealedNote,
        server_seq: Option<u64>,
        status: &str,
        reason: Option<&str>,
        record: Option<&FollowUpRecord>,
    ) -> Result<(), ClientError> {
        let json = record.map(|r| Zeroizing::new(serde_json::to_vec(r).expect("a record serialises")));
        self.put_row(sealed, server_seq, status, reason, json.as_deref().map(Vec::as_slice))
    }

    fn put_row(
        &self,
        sealed: &SealedNote,
        server_seq: Option<u64>,
        status: &str,
        reason: Option<&str>,
        json: Option<&[u8]>,
    ) -> Result<(), ClientError> {
        let h = &sealed.header;
        let aad = format!("{}:{}", h.note_id, h.revision);
        let plain = json.map(|json| self.seal(&aad, json));
        let kind = match h.kind {
            Kind::Note => "note",
            Kind::Tombstone => "tombstone",
            Kind::FollowUp => "follow_up",
        };
        self.conn.execute(
            "INSERT INTO notes (note_id, revision, kind, author, device_id, device_seq, server_seq, status, reason, note_hash, sealed, plain)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (note_id, revision) DO UPDATE SET
                server_seq = COALESCE(excluded.server_seq, server_seq), status = excluded.status, reason = excluded.reason,
                sealed = excluded.sealed, plain = COALESCE(excluded.plain, plain), note_hash = excluded.note_hash",
            params![
                h.note_id.as_str(),
                h.revision,
                kind,
                h.author.as_str(),
                h.device_id.as_str(),
                h.device_seq,
                server_seq,
                status,
                reason,
                visitnotes_shared::hex(&sealed.hash()),
                serde_json::to_vec(sealed).expect("a sealed note serialises"),
                plain
            ],
        )?;
        Ok(())
    }

    pub fn add_to_outbox(&self, sealed: &SealedNote) -> Result<(), ClientError> {
        self.conn.execute(
            "INSERT INTO outbox (note_id, revision) VALUES (?1, ?2)",
            params![sealed.header.note_id.as_str(), sealed.header.revision],
        )?;
        Ok(())
    }

    /// Outbox entries in the order they were written: (outbox id, sealed note).
    pub fn outbox(&self) -> Result<Vec<(i64, SealedNote)>, ClientError> {
        let mut stmt = self.conn.prepare(
            "SELECT o.id, n.sealed FROM outbox o JOIN notes n ON n.note_id = o.note_id AND n.revision = o.revision ORDER BY o.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, sealed) = row?;
            out.push((id, serde_json::from_slice(&sealed).map_err(|e| ClientError::Store(e.to_string()))?));
        }
        Ok(out)
    }

    /// Holds the outbox entry of this revision back: it was sealed under
    /// roster `version`, which had expired.
    pub fn hold(&self, header: &EnvelopeHeader, version: u64) -> Result<(), ClientError> {
        self.conn.execute(
            "UPDATE outbox SET held_roster = ?1 WHERE note_id = ?2 AND revision = ?3",
            params![version, header.note_id.as_str(), header.revision],
        )?;
        Ok(())
    }

    /// Ends the hold on an outbox entry (sealed again, or sent as it is).
    pub fn release(&self, id: i64) -> Result<(), ClientError> {
        self.conn.execute("UPDATE outbox SET held_roster = NULL WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The held outbox entries, in the order they were written: (outbox id,
    /// the expired roster version they were sealed under).
    pub fn held(&self) -> Result<Vec<(i64, u64)>, ClientError> {
        let mut stmt =
            self.conn.prepare("SELECT id, held_roster FROM outbox WHERE held_roster IS NOT NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The expired roster version the outbox entry of this revision is held for, if it is held.
    pub fn held_for(&self, note_id: &str, revision: u64) -> Result<Option<u64>, ClientError> {
        Ok(self
            .conn
            .query_row(
                "SELECT held_roster FROM outbox WHERE note_id = ?1 AND revision = ?2",
                params![note_id, revision],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Keeps a warning with a revision (for `note show`).
    pub fn set_warning(&self, header: &EnvelopeHeader, warning: &str) -> Result<(), ClientError> {
        self.conn.execute(
            "UPDATE notes SET warning = ?1 WHERE note_id = ?2 AND revision = ?3",
            params![warning, header.note_id.as_str(), header.revision],
        )?;
        Ok(())
    }

    /// The warning kept with a revision, if any.
    pub fn warning(&self, note_id: &str, revision: u64) -> Result<Option<String>, ClientError> {
        Ok(self
            .conn
            .query_row(
                "SELECT warning FROM notes WHERE note_id = ?1 AND revision = ?2",
                params![note_id, revision],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn remove_from_outbox(&self, id: i64) -> Result<(), ClientError> {
        self.conn.execute("DELETE FROM outbox WHERE id = ?1", [id])?;
        Ok(())
    }

    pub fn set_status(
        &self,
        header: &EnvelopeHeader,
        status: &str,
        reason: Option<&str>,
        server_seq: Option<u64>,
    ) -> Result<(), ClientError> {
        self.conn.execute(
            "UPDATE notes SET status = ?1, reason = ?2, server_seq = COALESCE(?3, server_seq) WHERE note_id = ?4 AND revision = ?5",
            params![status, reason, server_seq, header.note_id.as_str(), header.revision],
        )?;
        Ok(())
    }

    /// The stored revision, if any, as its sealed form.
    pub fn sealed(&self, note_id: &str, revision: u64) -> Result<Option<SealedNote>, ClientError> {
        let bytes: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT sealed FROM notes WHERE note_id = ?1 AND revision = ?2",
                params![note_id, revision],
                |r| r.get(0),
            )
            .optional()?;
        bytes.map(|b| serde_json::from_slice(&b).map_err(|e| ClientError::Store(e.to_string()))).transpose()
    }

    /// The stored revision and its status.
    pub fn sealed_with_status(
        &self,
        note_id: &str,
        revision: u64,
    ) -> Result<Option<(SealedNote, String)>, ClientError> {
        let row: Option<(Vec<u8>, String)> = self
            .conn
            .query_row(
                "SELECT sealed, status FROM notes WHERE note_id = ?1 AND revision = ?2",
                params![note_id, revision],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(b, status)| Ok((serde_json::from_slice(&b).map_err(|e| ClientError::Store(e.to_string()))?, status)))
            .transpose()
    }

    /// Highest revision stored for a note that was accepted as valid.
    pub fn max_valid_revision(&self, note_id: &str) -> Result<Option<u64>, ClientError> {
        Ok(self.conn.query_row(
            "SELECT MAX(revision) FROM notes WHERE note_id = ?1 AND status IN ('valid', 'outbox', 'withheld', 'not_addressed')",
            [note_id],
            |r| r.get(0),
        )?)
    }

    /// Highest sequence number accepted from a device.
    pub fn max_device_seq(&self, device_id: &str) -> Result<Option<u64>, ClientError> {
        Ok(self.conn.query_row(
            "SELECT MAX(device_seq) FROM notes WHERE device_id = ?1 AND status IN ('valid', 'outbox', 'withheld', 'not_addressed')",
            [device_id],
            |r| r.get(0),
        )?)
    }

    /// Every device's accepted sequence numbers, for gap detection. A note
    /// of this device that the server refused is no gap: it is here.
    pub fn device_seqs(&self) -> Result<Vec<(String, Vec<u64>)>, ClientError> {
        let mut stmt = self.conn.prepare(
            "SELECT device_id, device_seq FROM notes WHERE status IN ('valid', 'outbox', 'withheld', 'not_addressed', 'refused') ORDER BY device_id, device_seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?;
        let mut out: Vec<(String, Vec<u64>)> = Vec::new();
        for row in rows {
            let (device, seq) = row?;
            match out.last_mut() {
                Some((d, seqs)) if *d == device => seqs.push(seq),
                _ => out.push((device, vec![seq])),
            }
        }
        Ok(out)
    }

    /// The sequence number and `SealedNote::hash` of `device`'s newest item
    /// held here (any status), for this device's own chain.
    pub fn chain_tip(&self, device: &str) -> Result<Option<(u64, [u8; 32])>, ClientError> {
        self.tip(
            device,
            "SELECT device_seq, note_hash FROM notes WHERE device_id = ?1 ORDER BY device_seq DESC LIMIT 1",
        )
    }

    /// `chain_tip` of the items the server acknowledged: what this
    /// device's head names (one it refused never reaches a reader).
    pub fn sent_tip(&self, device: &str) -> Result<Option<(u64, [u8; 32])>, ClientError> {
        self.tip(
            device,
            "SELECT device_seq, note_hash FROM notes WHERE device_id = ?1 AND status = 'valid'
             ORDER BY device_seq DESC LIMIT 1",
        )
    }

    fn tip(&self, device: &str, sql: &str) -> Result<Option<(u64, [u8; 32])>, ClientError> {
        let row: Option<(u64, String)> =
            self.conn.prepare_cached(sql)?.query_row([device], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        row.map(|(seq, hash)| {
            let bytes = data_encoding::HEXLOWER
                .decode(hash.as_bytes())
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| ClientError::Store("a stored note hash is not 32 bytes of hex".into()))?;
            Ok((seq, bytes))
        })
        .transpose()
    }

    /// The highest sequence number of `device` held here in any state, and
    /// the hash of each held item at `seq` (accepted ones only).
    pub fn device_held(&self, device: &str, seq: u64) -> Result<(u64, Option<String>), ClientError> {
        let max: Option<u64> =
            self.conn.query_row("SELECT MAX(device_seq) FROM notes WHERE device_id = ?1", [device], |r| r.get(0))?;
        let hash: Option<String> = self
            .conn
            .query_row(
                "SELECT note_hash FROM notes WHERE device_id = ?1 AND device_seq = ?2
                 AND status IN ('valid', 'outbox', 'withheld', 'not_addressed') LIMIT 1",
                params![device, seq],
                |r| r.get(0),
            )
            .optional()?;
        Ok((max.unwrap_or(0), hash))
    }

    /// `device`'s newest item accepted here (its signature verified):
    /// (sequence number, `SealedNote::hash` hex, when the server stored it).
    pub fn accepted_tip(&self, device: &str) -> Result<Option<(u64, String, Option<i64>)>, ClientError> {
        Ok(self
            .conn
            .query_row(
                "SELECT device_seq, note_hash, received_at FROM notes WHERE device_id = ?1
                 AND status IN ('valid', 'withheld', 'not_addressed') ORDER BY device_seq DESC LIMIT 1",
                [device],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// `device`'s accepted items numbered up to `through`, newest first:
    /// (sequence number, hash hex, the signed header).
    pub fn accepted_chain(
        &self,
        device: &str,
        through: u64,
    ) -> Result<Vec<(u64, String, EnvelopeHeader)>, ClientError> {
        let mut stmt = self.conn.prepare(
            "SELECT device_seq, note_hash, sealed FROM notes WHERE device_id = ?1 AND device_seq <= ?2
             AND status IN ('valid', 'withheld', 'not_addressed') ORDER BY device_seq DESC",
        )?;
        let rows = stmt.query_map(params![device, through], |r| {
            Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, hash, sealed) = row?;
            let sealed: SealedNote = serde_json::from_slice(&sealed).map_err(|e| ClientError::Store(e.to_string()))?;
            out.push((seq, hash, sealed.header));
        }
        Ok(out)
    }

    /// When the server stored a revision (or acknowledged this device's
    /// upload); the first time recorded stays.
    pub fn set_received_at(&self, note_id: &str, revision: u64, at: i64) -> Result<(), ClientError> {
        self.conn
            .prepare_cached(
                "UPDATE notes SET received_at = COALESCE(received_at, ?1) WHERE note_id = ?2 AND revision = ?3",
            )?
            .execute(params![at, note_id, revision])?;
        Ok(())
    }

    /// When each held revision (of `author`'s notes, or everyone's) was
    /// stored by the server: (note id, revision) → time.
    pub fn received_times(
        &self,
        author: Option<&str>,
    ) -> Result<std::collections::HashMap<(String, u64), i64>, ClientError> {
        let mut stmt = self.conn.prepare(
            "SELECT note_id, revision, received_at FROM notes WHERE received_at IS NOT NULL
             AND (?1 IS NULL OR author = ?1)",
        )?;
        let rows =
            stmt.query_map([author], |r| Ok(((r.get::<_, String>(0)?, r.get::<_, u64>(1)?), r.get::<_, i64>(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Keeps `body` (a verified SignedHead) as `device`'s head unless one
    /// signed later is kept. Returns whether it was kept.
    pub fn put_head(&self, device: &str, last_seq: u64, signed_at: i64, body: &str) -> Result<bool, ClientError> {
        Ok(self.conn.execute(
            "INSERT INTO heads (device_id, last_seq, signed_at, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (device_id) DO UPDATE SET last_seq = excluded.last_seq, signed_at = excluded.signed_at,
                body = excluded.body
             WHERE excluded.signed_at >= heads.signed_at",
            params![device, last_seq, signed_at, body],
        )? > 0)
    }

    /// Every kept head: (device id, SignedHead JSON).
    pub fn heads(&self) -> Result<Vec<(String, String)>, ClientError> {
        let mut stmt = self.conn.prepare("SELECT device_id, body FROM heads ORDER BY device_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When this device first watched `device` (recorded now if never).
    pub fn watch_device(&self, device: &str, now: i64) -> Result<i64, ClientError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO watched_devices (device_id, first_seen) VALUES (?1, ?2)",
            params![device, now],
        )?;
        Ok(self
            .conn
            .query_row("SELECT first_seen FROM watched_devices WHERE device_id = ?1", [device], |r| r.get(0))?)
    }

    /// When this device first watched `device`, if it has.
    pub fn first_watched(&self, device: &str) -> Result<Option<i64>, ClientError> {
        Ok(self
            .conn
            .query_row("SELECT first_seen FROM watched_devices WHERE device_id = ?1", [device], |r| r.get(0))
            .optional()?)
    }

    /// Keeps a verified receipt unless a later one from the same reader
    /// about the same device is kept. Returns whether it was kept.
    pub fn put_receipt(&self, reader: &str, device: &str, signed_at: i64, body: &str) -> Result<bool, ClientError> {
        Ok(self.conn.execute(
            "INSERT INTO receipts (reader, device_id, signed_at, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (reader, device_id) DO UPDATE SET signed_at = excluded.signed_at, body = excluded.body
             WHERE excluded.signed_at >= receipts.signed_at",
            params![reader, device, signed_at, body],
        )? > 0)
    }

    /// Every kept receipt, as SignedReceipt JSON.
    pub fn receipts(&self) -> Result<Vec<String>, ClientError> {
        let mut stmt = self.conn.prepare("SELECT body FROM receipts ORDER BY device_id, reader")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The items received of each device: (device, [(sequence number,
    /// hash hex)] ascending), counting every item whose signed header was
    /// accepted, for coordinators' receipts.
    pub fn received_items(&self) -> Result<Vec<DeviceItems>, ClientError> {
        let mut stmt = self.conn.prepare(
            "SELECT device_id, device_seq, note_hash FROM notes
             WHERE status IN ('valid', 'withheld', 'not_addressed') ORDER BY device_id, device_seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?, r.get::<_, String>(2)?)))?;
        let mut out: Vec<DeviceItems> = Vec::new();
        for row in rows {
            let (device, seq, hash) = row?;
            match out.last_mut() {
                Some((d, items)) if *d == device => items.push((seq, hash)),
                _ => out.push((device, vec![(seq, hash)])),
            }
        }
        Ok(out)
    }

    /// Every stored revision, with plaintext where this device has it.
    pub fn all_rows(&self) -> Result<Vec<NoteRow>, ClientError> {
        self.rows_with_prefix("")
    }

    /// The stored revisions of the notes whose id starts with `prefix`.
    pub fn rows_with_prefix(&self, prefix: &str) -> Result<Vec<NoteRow>, ClientError> {
        self.rows_where("substr(note_id, 1, length(?1)) = ?1 ORDER BY note_id, revision", params![prefix])
    }

    /// The notes of `device_id` that the server acknowledged, above device
    /// sequence number `device_seq`, in the device's order: what a server
    /// restored from an older backup lost of this device's.
    pub fn acknowledged_after(&self, device_id: &str, device_seq: u64) -> Result<Vec<NoteRow>, ClientError> {
        self.rows_where(
            "device_id = ?1 AND device_seq > ?2 AND status = 'valid' AND server_seq IS NOT NULL ORDER BY device_seq",
            params![device_id, device_seq],
        )
    }

    /// Note rows, `condition` being the end of the query (WHERE ...).
    fn rows_where(&self, condition: &str, params: impl rusqlite::Params) -> Result<Vec<NoteRow>, ClientError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT sealed, server_seq, status, reason, plain, note_id, revision, kind FROM notes WHERE {condition}"
        ))?;
        let rows = stmt.query_map(params, |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, Option<u64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<Vec<u8>>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, u64>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (sealed, server_seq, status, reason, plain, note_id, revision, kind) = row?;
            let (mut note, mut follow_up) = (None, None);
            if let Some(p) = plain {
                let bytes = self.unseal(&format!("{note_id}:{revision}"), &p)?;
                let bad = |e: serde_json::Error| ClientError::Store(e.to_string());
                if kind == "follow_up" {
                    follow_up = Some(serde_json::from_slice(&bytes).map_err(bad)?);
                } else {
                    note = Some(serde_json::from_slice(&bytes).map_err(bad)?);
                }
            }
            let sealed = serde_json::from_slice(&sealed).map_err(|e| ClientError::Store(e.to_string()))?;
            out.push(NoteRow { sealed, server_seq, status, reason, note, follow_up });
        }
        Ok(out)
    }

    /// Drops the plaintext of every revision of a deleted note.
    pub fn forget_plaintext(&self, note_id: &str) -> Result<(), ClientError> {
        self.conn.execute("UPDATE notes SET plain = NULL WHERE note_id = ?1", [note_id])?;
        Ok(())
    }

    /// Records an alert about `subject`, unless one about it is still open.
    pub fn alert(&self, kind: &str, subject: &str, detail: &str) -> Result<(), ClientError> {
        self.conn.execute(
            "INSERT INTO alerts (at, kind, subject, detail)
             SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS
                (SELECT 1 FROM alerts WHERE kind = ?2 AND subject = ?3 AND resolved_at IS NULL)",
            params![chrono::Utc::now().timestamp(), kind, subject, detail],
        )?;
        Ok(())
    }

    /// Closes the open alerts of `kind` about `subject`: what they reported is over.
    pub fn resolve_alerts(&self, kind: &str, subject: &str) -> Result<(), ClientError> {
        self.conn.execute(
            "UPDATE alerts SET resolved_at = ?1 WHERE kind = ?2 AND subject = ?3 AND resolved_at IS NULL",
            params![chrono::Utc::now().timestamp(), kind, subject],
        )?;
        Ok(())
    }

    /// The alerts not resolved yet, oldest first.
    pub fn open_alerts(&self) -> Result<Vec<StoredAlert>, ClientError> {
        let mut stmt =
            self.conn.prepare("SELECT at, kind, subject, detail FROM alerts WHERE resolved_at IS NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredAlert { at: r.get(0)?, kind: r.get(1)?, subject: r.get(2)?, detail: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn keep_invite(
        &self,
        token_hash: &str,
        user_id: &str,
        role: &str,
        name: &str,
        secret: &[u8; 32],
    ) -> Result<(), ClientError> {
        let sealed = self.seal(token_hash, secret);
        self.conn.execute(
            "INSERT INTO invites (token_hash, user_id, role, name, secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![token_hash, user_id, role, name, sealed, chrono::Utc::now().timestamp()],
        )?;
        Ok(())
    }

    pub fn kept_invite(&self, token_hash: &str) -> Result<Option<KeptInvite>, ClientError> {
        let row: Option<(String, String, String, Vec<u8>)> = self
            .conn
            .query_row("SELECT user_id, role, name, secret FROM invites WHERE token_hash = ?1", [token_hash], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((user_id, role, name, sealed)) = row else { return Ok(None) };
        let plain = self.unseal(token_hash, &sealed)?;
        let secret: [u8; 32] =
            plain.as_slice().try_into().map_err(|_| ClientError::Store("invite secret length".into()))?;
        Ok(Some(KeptInvite { user_id, role, name, secret: Zeroizing::new(secret) }))
    }

    pub fn forget_invite(&self, token_hash: &str) -> Result<(), ClientError> {
        self.conn.execute("DELETE FROM invites WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    /// Keeps a draft (sealed, the key as associated data) under `key`.
    pub fn put_draft(&self, key: &str, plaintext: &[u8]) -> Result<(), ClientError> {
        let sealed = self.seal(&format!("draft:{key}"), plaintext);
        self.conn.execute(
            "INSERT INTO drafts (key, updated_at, sealed) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET updated_at = ?2, sealed = ?3",
            params![key, chrono::Utc::now().timestamp(), sealed],
        )?;
        Ok(())
    }

    /// The draft kept under `key`: when it was saved, and its plaintext.
    pub fn draft(&self, key: &str) -> Result<Option<KeptDraft>, ClientError> {
        let row: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row("SELECT updated_at, sealed FROM drafts WHERE key = ?1", [key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(at, sealed)| Ok((at, self.unseal(&format!("draft:{key}"), &sealed)?))).transpose()
    }

    pub fn delete_draft(&self, key: &str) -> Result<(), ClientError> {
        self.conn.execute("DELETE FROM drafts WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Runs `f` in one transaction.
    pub fn transaction<T>(&self, f: impl FnOnce(&Store) -> Result<T, ClientError>) -> Result<T, ClientError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(v) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}
