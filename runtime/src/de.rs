//! What the `Deserialize` impls the generator writes for structs share: the property name as read
//! ([`Key`]), skipping a value ([`skip`]) and the error for a missing required property ([`missing`]).
//!
//! A generated struct reads its object with one `match` on each key, written out by the generator; none of
//! these helpers is generic over the struct, so each is compiled once per deserializer, not once per type.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A property name: borrowed from the input when it can be (no escapes), owned otherwise.
pub enum Key<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Copied: the name had escapes, or the deserializer lends no text.
    Owned(String),
}

impl Key<'_> {
    /// The name, for the generated `match`.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(name) => name,
            Key::Owned(name) => name,
        }
    }

    /// The name, owned (a free-form body keeps the properties it does not know).
    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(name) => name.to_string(),
            Key::Owned(name) => name,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(name))
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(name.to_string()))
    }

    fn visit_string<E: de::Error>(self, name: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(name))
    }

    /// Bytes that are not UTF-8 name no property: they are kept (lossily) and ignored like any unknown name.
    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Key<'de>, E> {
        Ok(Key::Owned(String::from_utf8_lossy(name).into_owned()))
    }
}

/// Reads and drops the value of a property the struct does not have.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The error for a required property the object lacks, naming it (`missing field \`Name\``).
pub fn missing<E: de::Error>(name: &'static str) -> E {
    E::missing_field(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, StringDeserializer};

    #[test]
    fn keys_borrow_from_text_and_copy_what_they_cannot_borrow() {
        let mut plain = serde_json::Deserializer::from_str(r#""Name""#);
        let key = Key::deserialize(&mut plain).unwrap();
        assert!(matches!(key, Key::Borrowed("Name")));
        // An escape makes serde_json unescape into a buffer of its own.
        let mut escaped = serde_json::Deserializer::from_str(r#""Na\u006de""#);
        let key = Key::deserialize(&mut escaped).unwrap();
        assert!(matches!(&key, Key::Owned(name) if name == "Name"));
        assert_eq!(key.into_string(), "Name");
        let owned: StringDeserializer<ValueError> = "Id".to_string().into_deserializer();
        assert_eq!(Key::deserialize(owned).unwrap().as_str(), "Id");
        let bytes = serde::de::value::BytesDeserializer::<ValueError>::new(b"A\xff");
        assert_eq!(Key::deserialize(bytes).unwrap().as_str(), "A\u{fffd}");
    }

    #[test]
    fn a_number_is_no_property_name() {
        let mut number = serde_json::Deserializer::from_str("1");
        assert!(Key::deserialize(&mut number).is_err());
    }

    #[test]
    fn missing_names_the_property() {
        let error: serde_json::Error = missing("Name");
        assert_eq!(error.to_string(), "missing field `Name`");
    }
}
