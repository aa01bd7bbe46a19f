//! Serde helpers: bytes as standard base64 strings in JSON.

use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&data_encoding::BASE64.encode(bytes))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    data_encoding::BASE64.decode(text.as_bytes()).map_err(|_| serde::de::Error::custom("not valid base64"))
}
