//! Open enums: every generated enum accepts values it does not list and sends them back unchanged.

use std::fmt;

use serde::de::{Deserializer, Error as _, Visitor};
use serde::ser::Serializer;

/// Implemented by generated enums: conversion from and to the wire string.
pub trait OpenEnum: Sized {
    /// The variant for `value`; values the enum does not list become its `Unknown` variant.
    fn from_wire(value: &str) -> Self;
    /// The string sent on the wire.
    fn wire(&self) -> &str;
}

/// A value an enum did not list when the client was generated, kept verbatim.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// Keeps `value`.
    pub fn new(value: &str) -> Self {
        UnknownValue(value.into())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// `Serialize` for generated enums.
pub fn serialize<T: OpenEnum, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.wire())
}

/// `Deserialize` for generated enums: any string is accepted.
pub fn deserialize<'de, T: OpenEnum, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct WireVisitor<T>(std::marker::PhantomData<T>);
    impl<T: OpenEnum> Visitor<'_> for WireVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from_wire(value))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
            Err(E::custom("null where an enum value is expected"))
        }
    }
    deserializer
        .deserialize_str(WireVisitor(std::marker::PhantomData))
        .map_err(D::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Sender {
        Enterprise,
        Unknown(UnknownValue),
    }
    impl OpenEnum for Sender {
        fn from_wire(value: &str) -> Self {
            match value {
                "Enterprise" => Sender::Enterprise,
                other => Sender::Unknown(UnknownValue::new(other)),
            }
        }
        fn wire(&self) -> &str {
            match self {
                Sender::Enterprise => "Enterprise",
                Sender::Unknown(v) => v.as_str(),
            }
        }
    }
    impl serde::Serialize for Sender {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self, s)
        }
    }
    impl<'de> serde::Deserialize<'de> for Sender {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    #[test]
    fn unknown_values_decode_inside_lists_and_round_trip_byte_identical() {
        let json = r#"["Enterprise","Robot","Ünïcode"]"#;
        let values: Vec<Sender> = serde_json::from_str(json).unwrap();
        assert_eq!(values[0], Sender::Enterprise);
        assert_eq!(values[1], Sender::Unknown(UnknownValue::new("Robot")));
        assert_eq!(serde_json::to_string(&values).unwrap(), json);
        assert!(serde_json::from_str::<Sender>("null").is_err());
        assert!(serde_json::from_str::<Sender>("3").is_err());
    }
}
