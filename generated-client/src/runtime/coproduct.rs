//! Coproducts (discriminated unions): `{ "Discriminator": "X", "Value": … }` or a property per variant.
//! Generated enums implement [`Coproduct`]; the serde plumbing lives here.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::ser::{SerializeMap, Serializer};

use super::values::{Json, JsonObject};

/// Implemented by generated coproduct enums.
pub trait Coproduct: Sized {
    /// The discriminator value of this variant.
    fn discriminator(&self) -> &str;
    /// Builds a value from its discriminator and the object's other properties (taken as needed).
    fn from_parts(discriminator: &str, fields: &mut JsonObject) -> Result<Self, PayloadError>;
    /// Writes the payload property, if the variant has one.
    fn write_payload<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// A variant this version of the client does not know: its discriminator and the other properties, verbatim.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownVariant {
    discriminator: String,
    fields: JsonObject,
}

impl UnknownVariant {
    /// A variant from its discriminator and its other properties.
    pub fn new(discriminator: &str, fields: JsonObject) -> Self {
        UnknownVariant {
            discriminator: discriminator.to_string(),
            fields,
        }
    }

    /// The discriminator as received.
    pub fn discriminator(&self) -> &str {
        &self.discriminator
    }

    /// The object's other properties as received.
    pub fn fields(&self) -> &JsonObject {
        &self.fields
    }

    /// Writes the other properties back, for [`Coproduct::write_payload`].
    pub fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.fields
            .iter()
            .try_for_each(|(key, value)| map.serialize_entry(key, value))
    }
}

/// A payload that does not match its variant's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayloadError(String);

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PayloadError {}

/// Takes property `key` and decodes it; an absent property decodes like `null` (so `Option` payloads are `None`).
pub fn take<T: DeserializeOwned>(fields: &mut JsonObject, key: &str) -> Result<T, PayloadError> {
    let value = fields.remove(key).unwrap_or(Json::Null);
    T::deserialize(value).map_err(|e| PayloadError(format!("`{key}`: {e}")))
}

/// `Serialize` for generated coproducts.
pub fn serialize<T: Coproduct, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry("Discriminator", value.discriminator())?;
    value.write_payload(&mut map)?;
    map.end()
}

/// `Deserialize` for generated coproducts. Also accepts the bare discriminator string, which the docs show
/// the API sending (`"Sender": "Application"`).
pub fn deserialize<'de, T: Coproduct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    match Json::deserialize(deserializer)? {
        Json::String(discriminator) => {
            T::from_parts(&discriminator, &mut JsonObject::new()).map_err(D::Error::custom)
        }
        Json::Object(mut fields) => {
            let discriminator = match fields.remove("Discriminator") {
                Some(Json::String(d)) => d,
                Some(_) => return Err(D::Error::custom("`Discriminator` is not a string")),
                None => return Err(D::Error::missing_field("Discriminator")),
            };
            T::from_parts(&discriminator, &mut fields).map_err(D::Error::custom)
        }
        other => Err(D::Error::custom(format!(
            "expected an object or a string, found {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the generator emits for a `{Discriminator, Value}` coproduct.
    #[derive(Debug, PartialEq)]
    enum Strategy {
        Relative(f64),
        Flat,
        Unknown(UnknownVariant),
    }
    impl Coproduct for Strategy {
        fn discriminator(&self) -> &str {
            match self {
                Strategy::Relative(_) => "Relative",
                Strategy::Flat => "Flat",
                Strategy::Unknown(u) => u.discriminator(),
            }
        }
        fn from_parts(discriminator: &str, fields: &mut JsonObject) -> Result<Self, PayloadError> {
            Ok(match discriminator {
                "Relative" => Strategy::Relative(take(fields, "Value")?),
                "Flat" => Strategy::Flat,
                other => Strategy::Unknown(UnknownVariant::new(other, std::mem::take(fields))),
            })
        }
        fn write_payload<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            match self {
                Strategy::Relative(v) => map.serialize_entry("Value", v),
                Strategy::Flat => Ok(()),
                Strategy::Unknown(u) => u.write(map),
            }
        }
    }
    impl serde::Serialize for Strategy {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self, s)
        }
    }
    impl<'de> Deserialize<'de> for Strategy {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    #[test]
    fn decodes_known_unknown_and_bare_string_forms() {
        let s: Strategy =
            serde_json::from_str(r#"{"Discriminator":"Relative","Value":0.21}"#).unwrap();
        assert_eq!(s, Strategy::Relative(0.21));
        let flat: Strategy = serde_json::from_str(r#""Flat""#).unwrap();
        assert_eq!(flat, Strategy::Flat);
        let json = r#"{"Discriminator":"Future","Value":{"A":1}}"#;
        let unknown: Strategy = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&unknown).unwrap(), json);
        assert!(
            serde_json::from_str::<Strategy>(r#"{"Discriminator":"Relative","Value":"x"}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<Strategy>(r#"{"Value":1}"#).is_err());
    }
}
