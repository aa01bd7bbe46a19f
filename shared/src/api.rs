//! Request and response bodies of the HTTP API (`/v1`). JSON; bytes are
//! base64. Unknown fields are refused, so that a typo is an error and not a
//! silently ignored setting.

use serde::{Deserialize, Serialize};

use crate::envelope::SealedNote;
use crate::ids::{DeviceId, NoteId, UserId};
use crate::keys::VerifyingKey;
use crate::roster::Role;

/// Every error response: a stable machine code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

/// `GET /v1/org`: public, so a new device can check the organisation key
/// against its invite before it sends anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgInfo {
    pub org_key: Option<VerifyingKey>,
    pub roster_version: u64,
}

/// `POST /v1/enrol`: unauthenticated; the invite token is the credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The invite's one-time token, hex; the server hashes it to find the invite.
    pub token: String,
    pub name: String,
    pub signing_key: VerifyingKey,
    pub age_recipient: String,
    /// HMAC under the invite's enrolment secret (`enrol::mac`), base64.
    #[serde(with = "crate::b64")]
    pub mac: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolResponse {
    pub device_id: DeviceId,
    pub user_id: UserId,
    pub role: Role,
    /// True for the first administrator: this device creates the organisation key.
    pub bootstrap: bool,
}

/// `POST /v1/admin/invites`: the administrator's client made the token and
/// secret; the server gets only the token's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateInvite {
    pub token_hash: String,
    pub role: Role,
    pub name: String,
    /// An existing user gaining a device, or none for a new user.
    #[serde(default)]
    pub user_id: Option<UserId>,
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteCreated {
    pub user_id: UserId,
    pub expires_at: i64,
}

/// `GET /v1/admin/enrolments`: devices that enrolled and wait for a roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendingEnrolment {
    pub device_id: DeviceId,
    pub user_id: UserId,
    pub role: Role,
    /// The name the administrator gave the invite.
    pub invited_name: String,
    /// The name the device gave at enrolment (covered by the MAC).
    pub name: String,
    pub token_hash: String,
    pub signing_key: VerifyingKey,
    pub age_recipient: String,
    #[serde(with = "crate::b64")]
    pub mac: Vec<u8>,
    pub enrolled_at: i64,
}

/// `GET /v1/admin/users`: the server's view of users and devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserInfo {
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
    pub state: UserState,
    pub devices: Vec<DeviceInfo>,
    pub stored_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceInfo {
    pub device_id: DeviceId,
    pub state: DeviceState,
    pub enrolled_at: i64,
    pub last_seq: u64,
    /// The name the device enrolled with (its label for administrators).
    #[serde(default)]
    pub name: String,
    /// Unix seconds when the server stored the device's last note, if any.
    #[serde(default)]
    pub last_at: Option<i64>,
}

/// A state as the server's directory names it, sent as that name. A name
/// this side does not know (a newer server's, or an older client's view of
/// one) is kept as `Unknown` rather than refused: the list of users still
/// reads, and whoever acts on a state compares with the ones it knows.
macro_rules! directory_state {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A name this version does not know, as the server sent it.
            Unknown(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(name) => name,
                }
            }
        }

        impl From<String> for $name {
            fn from(name: String) -> Self {
                match name.as_str() {
                    $($text => $name::$variant,)+
                    _ => $name::Unknown(name),
                }
            }
        }

        impl From<$name> for String {
            fn from(state: $name) -> String {
                match state {
                    $name::Unknown(name) => name,
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

directory_state! {
    /// A user's state in the server's directory (`users.state`).
    UserState {
        Active = "active",
        /// Removed by an administrator: the server refuses the user's devices.
        Removed = "removed",
    }
}

directory_state! {
    /// A device's state in the server's directory (`devices.state`).
    DeviceState {
        /// Enrolled, waiting for an administrator's approval.
        Pending = "pending",
        Active = "active",
        /// Revoked: the server refuses its requests.
        Revoked = "revoked",
    }
}

/// `POST /v1/notes`: one or more sealed notes, stored in one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadBatch {
    pub notes: Vec<SealedNote>,
}

/// An `UploadBatch` as the client sends it, serialised from borrowed notes
/// (the same bytes, without copying the ciphertext first).
#[derive(Debug, Serialize)]
pub struct UploadBatchRef<'a> {
    pub notes: Vec<&'a SealedNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadResponse {
    pub results: Vec<UploadResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadResult {
    pub note_id: NoteId,
    pub revision: u64,
    /// The server's sequence number for this upload.
    pub seq: u64,
    /// False when the same bytes were already stored (an idempotent retry).
    pub created: bool,
}

/// The media type of the binary form of note uploads and pulls
/// (`POST /v1/notes` with this Content-Type, `GET /v1/notes?...&format=postcard`):
/// the same `UploadBatch` and `PullResponse`, encoded with postcard,
/// ciphertext as raw bytes.
pub const POSTCARD: &str = "application/x-visitnotes-postcard";

/// `GET /v1/notes?since=SEQ&limit=N[&format=postcard]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullResponse {
    pub notes: Vec<PulledNote>,
    /// The cursor for the next page.
    pub next: u64,
    pub more: bool,
    /// Where the server's store stands, for noticing a restore.
    pub server: StoreState,
}

/// What a client needs to notice a server restored from an older backup
/// (or replaced by another store): sent with every page of a pull, to
/// members only. A restored backup is the same file, so `store_id` alone
/// does not tell; the sequence going back does: `at_since` is no longer
/// the revision the client pulled at that number, or `head` is below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreState {
    /// A random id the store was given when its database was created.
    pub store_id: String,
    /// The highest sequence number among the notes the caller may pull (its
    /// own for a leader), 0 for none.
    pub head: u64,
    /// The revision stored at sequence number `since` of the request, if
    /// there is one the caller may pull.
    pub at_since: Option<SeqItem>,
    /// The highest device sequence number the server holds from the
    /// calling device (0 for none): notes of this device above it that the
    /// server once acknowledged are lost, and the device uploads them again.
    pub device_seq: u64,
}

/// One stored revision, as a client remembers the last one it pulled.
/// `received_at` tells a revision stored again after a restore (the same
/// note and revision at the same sequence number, received later) from the
/// one pulled before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeqItem {
    pub seq: u64,
    pub note_id: NoteId,
    pub revision: u64,
    pub received_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PulledNote {
    pub seq: u64,
    pub received_at: i64,
    /// Why `sealed.age` is empty when it is: `purged` (retention) or
    /// `metadata_only` (an administrator who is not a coordinator).
    #[serde(default)]
    pub withheld: Option<String>,
    pub sealed: SealedNote,
}

/// `GET /v1/admin/audit`: one entry of the hash-chained audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    pub prev_hash: String,
    pub hash: String,
}

/// `PUT /v1/admin/org-key-grants/{device_id}`: the organisation key sealed
/// (age, X25519) to an administrator's device, passed on by the server,
/// which cannot open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantOrgKey {
    #[serde(with = "crate::b64")]
    pub sealed: Vec<u8>,
}

/// `GET /v1/org-key-grant`: the grant waiting for the calling device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgKeyGrant {
    #[serde(with = "crate::b64")]
    pub sealed: Vec<u8>,
    /// The administrator's device that sealed it.
    pub granted_by: DeviceId,
    pub granted_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_borrowed_batch_is_the_same_bytes_as_an_upload_batch() {
        let (_, json) = crate::fuzz::seeds().into_iter().find(|(name, _)| *name == "open_envelope").unwrap();
        let sealed: SealedNote = serde_json::from_slice(&json).unwrap();
        let owned = UploadBatch { notes: vec![sealed.clone(), sealed.clone()] };
        let borrowed = UploadBatchRef { notes: vec![&sealed, &sealed] };
        assert_eq!(postcard::to_stdvec(&owned).unwrap(), postcard::to_stdvec(&borrowed).unwrap());
        assert_eq!(serde_json::to_vec(&owned).unwrap(), serde_json::to_vec(&borrowed).unwrap());
    }

    /// The states go over the wire by the names the server's directory
    /// stores; one this side does not know still reads, kept as it came.
    #[test]
    fn directory_states_keep_their_names_and_a_new_one_still_reads() {
        for (state, name) in [(UserState::Active, "active"), (UserState::Removed, "removed")] {
            assert_eq!(serde_json::to_value(&state).unwrap(), name);
            assert_eq!(serde_json::from_value::<UserState>(name.into()).unwrap(), state);
        }
        for (state, name) in
            [(DeviceState::Pending, "pending"), (DeviceState::Active, "active"), (DeviceState::Revoked, "revoked")]
        {
            assert_eq!(serde_json::to_value(&state).unwrap(), name);
            assert_eq!(serde_json::from_value::<DeviceState>(name.into()).unwrap(), state);
        }
        let user = serde_json::json!({
            "user_id": "a".repeat(32), "name": "Kari", "role": "leader", "state": "suspended", "stored_bytes": 0,
            "devices": [{ "device_id": "b".repeat(32), "state": "frozen", "enrolled_at": 0, "last_seq": 0 }],
        });
        let user: UserInfo = serde_json::from_value(user).unwrap();
        assert_eq!(user.state, UserState::Unknown("suspended".into()));
        assert_eq!(user.devices[0].state, DeviceState::Unknown("frozen".into()));
        assert_eq!(serde_json::to_value(&user).unwrap()["state"], "suspended", "sent on as it came");
    }
}
