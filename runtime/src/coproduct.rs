//! Coproducts (discriminated unions): `{ "Discriminator": "X", "Value": … }`, a property per variant, or the
//! tag inside the variant's own object (`{ "Type": "Reservation", "Id": … }`, [`deserialize_inline`]).
//! Generated enums implement [`Coproduct`]; the serde plumbing lives here.
//!
//! Decoding reads the object entry by entry: once `Discriminator` is read, a known variant's payload
//! decodes straight into its type and the other properties are skipped. Only what cannot be typed yet is
//! kept, as their JSON text ([`RawJson`], so numbers keep every digit): properties before `Discriminator`,
//! and every property of an unknown variant.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::UnitDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};

use super::values::{JsonObject, RawJson};

/// Implemented by generated coproduct enums.
pub trait Coproduct: Sized {
    /// The property holding the discriminator (`Action` in integration webhooks).
    const TAG: &'static str = "Discriminator";
    /// The discriminator value of this variant.
    fn discriminator(&self) -> &str;
    /// What a known discriminator stands for; `None` for one this client does not know.
    fn variant(discriminator: &str) -> Option<Variant<Self>>;
    /// The variant `discriminator` (one [`Coproduct::variant`] gave as [`Variant::Payload`]), its payload
    /// decoded from `payload`, which is a unit (read like `null`) when the property is absent.
    fn decode_payload<'de, D: Deserializer<'de>>(
        discriminator: &str,
        payload: D,
    ) -> Result<Self, D::Error> {
        let _ = payload;
        Err(no_payload(discriminator))
    }
    /// The `Unknown` variant holding `variant`.
    fn unknown(variant: UnknownVariant) -> Self;
    /// Writes the payload property, if the variant has one.
    fn write_payload<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// A known discriminator, as [`Coproduct::variant`] describes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Variant<T> {
    /// A variant without payload, whatever the object's other properties.
    Unit(T),
    /// A variant whose payload is in this property (`Value`, or the variant's own property).
    Payload(&'static str),
}

/// The error of [`Coproduct::decode_payload`] for a discriminator that has no payload variant.
pub fn no_payload<E: de::Error>(discriminator: &str) -> E {
    E::custom(format_args!(
        "`{discriminator}` is not a variant with a payload"
    ))
}

/// A variant this version of the client does not know: its discriminator and the other properties, verbatim
/// (in the order received, their JSON text unchanged, so numbers keep every digit).
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownVariant {
    discriminator: String,
    fields: Vec<(String, RawJson)>,
}

impl UnknownVariant {
    /// A variant from its discriminator and its other properties.
    pub fn new(discriminator: &str, fields: Vec<(String, RawJson)>) -> Self {
        UnknownVariant {
            discriminator: discriminator.to_string(),
            fields,
        }
    }

    /// The discriminator as received.
    pub fn discriminator(&self) -> &str {
        &self.discriminator
    }

    /// The object's other properties as received, in order.
    pub fn fields(&self) -> &[(String, RawJson)] {
        &self.fields
    }

    /// The last property named `name` (as in a JSON object), as received.
    pub fn field(&self, name: &str) -> Option<&RawJson> {
        self.fields
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// The other properties as a [`JsonObject`] (non-integer numbers become `f64` there).
    pub fn to_object(&self) -> serde_json::Result<JsonObject> {
        self.fields
            .iter()
            .map(|(key, value)| Ok((key.clone(), value.to_value()?)))
            .collect()
    }

    /// Writes the other properties back, for [`Coproduct::write_payload`].
    pub fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.fields
            .iter()
            .try_for_each(|(key, value)| map.serialize_entry(key, value))
    }
}

/// `Serialize` for generated coproducts.
pub fn serialize<T: Coproduct, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry(T::TAG, value.discriminator())?;
    value.write_payload(&mut map)?;
    map.end()
}

/// `Deserialize` for generated coproducts. Also accepts the bare discriminator string, which the docs show
/// the API sending (`"Sender": "Application"`).
pub fn deserialize<'de, T: Coproduct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(CoproductVisitor(PhantomData))
}

struct CoproductVisitor<T>(PhantomData<T>);

impl<'de, T: Coproduct> Visitor<'de> for CoproductVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an object with a `{}`, or a discriminator string",
            T::TAG
        )
    }

    /// The bare-string form: the variant without its payload.
    fn visit_str<E: de::Error>(self, discriminator: &str) -> Result<T, E> {
        match T::variant(discriminator) {
            Some(Variant::Unit(value)) => Ok(value),
            Some(Variant::Payload(property)) => absent_payload(discriminator, property),
            None => Ok(T::unknown(UnknownVariant::new(discriminator, Vec::new()))),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut seen = Seen::Before(Vec::new());
        while let Some(key) = map.next_key_seed(Text)? {
            if key == T::TAG {
                let Seen::Before(early) = &mut seen else {
                    return Err(A::Error::duplicate_field(T::TAG));
                };
                let early = std::mem::take(early);
                let name = map.next_value_seed(Text)?;
                seen = Seen::after(name, early)?;
                continue;
            }
            match &mut seen {
                Seen::Before(early) => early.push((key.into_owned(), map.next_value()?)),
                Seen::Known {
                    name,
                    property: Some(property),
                    value,
                } if *property == key => {
                    *value = Some(map.next_value_seed(PayloadSeed::<T>(name, PhantomData))?);
                }
                Seen::Known { .. } => {
                    map.next_value::<IgnoredAny>()?;
                }
                Seen::Unknown { fields, .. } => {
                    fields.push((key.into_owned(), map.next_value()?));
                }
            }
        }
        match seen {
            Seen::Before(_) => Err(A::Error::missing_field(T::TAG)),
            Seen::Known {
                value: Some(value), ..
            } => Ok(value),
            Seen::Known {
                name,
                property: Some(property),
                value: None,
            } => absent_payload(&name, property),
            Seen::Known { name, .. } => Err(no_payload(&name)),
            Seen::Unknown { name, fields } => Ok(T::unknown(UnknownVariant::new(&name, fields))),
        }
    }
}

/// How far a coproduct object has been read.
enum Seen<'de, T> {
    /// `Discriminator` not read yet: the properties so far.
    Before(Vec<(String, RawJson)>),
    /// A known variant: the property holding its payload (none for a unit variant) and the value once read.
    Known {
        name: Cow<'de, str>,
        property: Option<&'static str>,
        value: Option<T>,
    },
    /// A discriminator this client does not know, and the other properties.
    Unknown {
        name: Cow<'de, str>,
        fields: Vec<(String, RawJson)>,
    },
}

impl<'de, T: Coproduct> Seen<'de, T> {
    /// The state once the discriminator `name` is read, with the properties read before it.
    fn after<E: de::Error>(name: Cow<'de, str>, early: Vec<(String, RawJson)>) -> Result<Self, E> {
        Ok(match T::variant(&name) {
            Some(Variant::Unit(value)) => Seen::Known {
                name,
                property: None,
                value: Some(value),
            },
            Some(Variant::Payload(property)) => {
                // The last of repeated properties wins, as in a JSON object.
                let value = match early.into_iter().rev().find(|(key, _)| key == property) {
                    Some((_, json)) => Some(
                        T::decode_payload(&name, json.deserializer())
                            .map_err(|e| E::custom(format_args!("`{property}`: {e}")))?,
                    ),
                    None => None,
                };
                Seen::Known {
                    name,
                    property: Some(property),
                    value,
                }
            }
            None => Seen::Unknown {
                name,
                fields: early,
            },
        })
    }
}

/// `Serialize` for coproducts whose tag sits inside each variant's object: known variants write their own
/// object (tag included), so only an unknown one comes here, written back as received.
pub fn serialize_unknown_inline<T: Coproduct, S: Serializer>(
    unknown: &UnknownVariant,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry(T::TAG, unknown.discriminator())?;
    unknown.write(&mut map)?;
    map.end()
}

/// `Deserialize` for coproducts whose tag sits inside each variant's object (`{ "Type": "Reservation", … }`):
/// the object is buffered as its JSON text, its tag read, and a known variant decoded from the whole object;
/// an unknown tag keeps the other properties verbatim.
pub fn deserialize_inline<'de, T: Coproduct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let raw: RawJson = serde::Deserialize::deserialize(deserializer)?;
    let tag = DeserializeSeed::deserialize(TagOf::<T>(PhantomData), raw.deserializer())
        .map_err(D::Error::custom)?
        .ok_or_else(|| D::Error::missing_field(T::TAG))?;
    match T::variant(&tag) {
        Some(Variant::Unit(value)) => Ok(value),
        Some(Variant::Payload(_)) => {
            T::decode_payload(&tag, raw.deserializer()).map_err(D::Error::custom)
        }
        // Only an unknown variant keeps its properties, each as its text.
        None => {
            let Fields(fields) = raw.decode().map_err(D::Error::custom)?;
            Ok(T::unknown(UnknownVariant::new(
                &tag,
                fields
                    .into_iter()
                    .filter(|(key, _)| key != T::TAG)
                    .collect(),
            )))
        }
    }
}

/// The value of an object's tag property (`T::TAG`; the last one, as in a JSON object), the other values
/// skipped unread.
struct TagOf<T>(PhantomData<T>);

impl<'de, T: Coproduct> DeserializeSeed<'de> for TagOf<T> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Coproduct> Visitor<'de> for TagOf<T> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with a `{}`", T::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut tag = None;
        while let Some(key) = map.next_key_seed(Text)? {
            if key == T::TAG {
                let value = map
                    .next_value::<String>()
                    .map_err(|e| A::Error::custom(format_args!("`{}`: {e}", T::TAG)))?;
                tag = Some(value);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(tag)
    }
}

/// A JSON object's properties in order, their values as received.
struct Fields(Vec<(String, RawJson)>);

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    fields.push((key, map.next_value()?));
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// A known variant whose payload property is absent: decoded from a unit, like `null` (so `Option`
/// payloads are `None`).
fn absent_payload<T: Coproduct, E: de::Error>(discriminator: &str, property: &str) -> Result<T, E> {
    T::decode_payload(discriminator, UnitDeserializer::<E>::new())
        .map_err(|e| E::custom(format_args!("`{property}`: {e}")))
}

/// Decodes a known variant's payload where it stands in the object.
struct PayloadSeed<'a, T>(&'a str, PhantomData<T>);

impl<'de, T: Coproduct> DeserializeSeed<'de> for PayloadSeed<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode_payload(self.0, deserializer)
    }
}

/// A key or the discriminator: borrowed from the input when it can be (no escapes), owned otherwise.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_string()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// What the generator emits for a `{Discriminator, Value}` coproduct.
    #[derive(Debug, PartialEq)]
    enum Strategy {
        Relative(f64),
        Exact(crate::Decimal),
        Capped(Option<u32>),
        Flat,
        Unknown(UnknownVariant),
    }
    impl Coproduct for Strategy {
        fn discriminator(&self) -> &str {
            match self {
                Strategy::Relative(_) => "Relative",
                Strategy::Exact(_) => "Exact",
                Strategy::Capped(_) => "Capped",
                Strategy::Flat => "Flat",
                Strategy::Unknown(u) => u.discriminator(),
            }
        }
        fn variant(discriminator: &str) -> Option<Variant<Self>> {
            match discriminator {
                "Relative" | "Exact" => Some(Variant::Payload("Value")),
                "Capped" => Some(Variant::Payload("Value")),
                "Flat" => Some(Variant::Unit(Strategy::Flat)),
                _ => None,
            }
        }
        fn decode_payload<'de, D: Deserializer<'de>>(
            discriminator: &str,
            payload: D,
        ) -> Result<Self, D::Error> {
            Ok(match discriminator {
                "Relative" => Strategy::Relative(Deserialize::deserialize(payload)?),
                "Exact" => Strategy::Exact(Deserialize::deserialize(payload)?),
                "Capped" => Strategy::Capped(Deserialize::deserialize(payload)?),
                _ => return Err(no_payload(discriminator)),
            })
        }
        fn unknown(variant: UnknownVariant) -> Self {
            Strategy::Unknown(variant)
        }
        fn write_payload<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            match self {
                Strategy::Relative(v) => map.serialize_entry("Value", v),
                Strategy::Exact(v) => map.serialize_entry("Value", v),
                Strategy::Capped(v) => match v {
                    Some(v) => map.serialize_entry("Value", v),
                    None => Ok(()),
                },
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

    fn decode(json: &str) -> Result<Strategy, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn decodes_known_unknown_and_bare_string_forms() {
        let s = decode(r#"{"Discriminator":"Relative","Value":0.21}"#).unwrap();
        assert_eq!(s, Strategy::Relative(0.21));
        assert_eq!(decode(r#""Flat""#).unwrap(), Strategy::Flat);
        assert_eq!(decode(r#""Capped""#).unwrap(), Strategy::Capped(None));
        let json = r#"{"Discriminator":"Future","Value":{"A":1}}"#;
        let unknown = decode(json).unwrap();
        assert_eq!(serde_json::to_string(&unknown).unwrap(), json);
        let bare = decode(r#""Future""#).unwrap();
        assert_eq!(
            serde_json::to_string(&bare).unwrap(),
            r#"{"Discriminator":"Future"}"#
        );
        assert!(decode(r#"{"Discriminator":"Relative","Value":"x"}"#).is_err());
        assert!(
            decode(r#"{"Value":1}"#)
                .unwrap_err()
                .contains("Discriminator")
        );
        assert!(decode(r#"{"Discriminator":1}"#).is_err());
        assert!(decode("3").is_err());
        assert!(decode("null").is_err());
    }

    #[test]
    fn properties_before_the_discriminator_are_kept_until_it_is_read() {
        let s = decode(r#"{"Value":0.5,"Discriminator":"Relative"}"#).unwrap();
        assert_eq!(s, Strategy::Relative(0.5));
        let s = decode(r#"{"Value":1,"Value":2,"Discriminator":"Capped"}"#).unwrap();
        assert_eq!(s, Strategy::Capped(Some(2)));
        let json = r#"{"B":[1,{"C":null}],"Discriminator":"Future","A":"x"}"#;
        let Strategy::Unknown(unknown) = decode(json).unwrap() else {
            panic!("not unknown")
        };
        assert_eq!(unknown.discriminator(), "Future");
        assert_eq!(
            serde_json::Value::Object(unknown.to_object().unwrap()),
            serde_json::json!({"A": "x", "B": [1, {"C": null}]})
        );
        assert_eq!(
            unknown.field("B").map(RawJson::get),
            Some(r#"[1,{"C":null}]"#)
        );
        let error = decode(r#"{"Value":"x","Discriminator":"Relative"}"#).unwrap_err();
        assert!(error.contains("`Value`"), "{error}");
    }

    #[test]
    fn known_variants_skip_other_properties_and_read_absent_payloads_as_null() {
        let flat = decode(r#"{"Discriminator":"Flat","Value":{"x":[1,2]},"Other":3}"#).unwrap();
        assert_eq!(flat, Strategy::Flat);
        let s = decode(r#"{"Discriminator":"Capped","Other":{"y":1}}"#).unwrap();
        assert_eq!(s, Strategy::Capped(None));
        let s = decode(r#"{"Discriminator":"Capped","Value":null}"#).unwrap();
        assert_eq!(s, Strategy::Capped(None));
        let s = decode(r#"{"Discriminator":"Capped","Value":1,"Value":7}"#).unwrap();
        assert_eq!(s, Strategy::Capped(Some(7)));
        let error = decode(r#"{"Discriminator":"Relative"}"#).unwrap_err();
        assert!(error.contains("`Value`"), "{error}");
    }

    #[test]
    fn odd_objects_are_errors() {
        let error = decode(r#"{"Discriminator":"Flat","Discriminator":"Flat"}"#).unwrap_err();
        assert!(error.contains("duplicate field `Discriminator`"), "{error}");
        // An escaped discriminator cannot be borrowed from the input; it still matches.
        let s = decode(r#"{"Discriminator":"Rel\u0061tive","Value":1}"#).unwrap();
        assert_eq!(s, Strategy::Relative(1.0));
    }

    #[test]
    fn payload_errors_carry_the_path_into_the_payload() {
        #[derive(Debug, Deserialize)]
        struct Outer {
            #[serde(rename = "S")]
            _s: Vec<Strategy>,
        }
        let json = r#"{"S":[{"Discriminator":"Flat"},{"Discriminator":"Capped","Value":"x"}]}"#;
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let error = serde_path_to_error::deserialize::<_, Outer>(&mut deserializer).unwrap_err();
        assert_eq!(error.path().to_string(), "S[1].Value");
    }

    #[test]
    fn buffered_and_unknown_payloads_keep_every_digit() {
        for number in ["12345678901234567890.123456789", "0.09975"] {
            let forms = [
                format!(r#"{{"Discriminator":"Exact","Value":{number}}}"#),
                format!(r#"{{"Value":{number},"Discriminator":"Exact"}}"#),
                format!(r#"{{"Value":{number},"Discriminator":"Future","Rate":[{number}]}}"#),
                format!(r#"{{"Discriminator":"Future","Value":{{"Amount":{number}}}}}"#),
            ];
            for json in forms {
                let decoded = decode(&json).unwrap();
                if let Strategy::Exact(value) = &decoded {
                    assert_eq!(value.as_str(), number);
                }
                let back = serde_json::to_string(&decoded).unwrap();
                assert!(back.contains(number), "{json} → {back}");
                let reader: Strategy = serde_json::from_reader(json.as_bytes()).unwrap();
                assert_eq!(serde_json::to_string(&reader).unwrap(), back);
            }
        }
    }

    #[test]
    fn decodes_from_a_json_value_too() {
        let value = serde_json::json!({"Value": 0.25, "Discriminator": "Relative"});
        assert_eq!(
            Strategy::deserialize(&value).unwrap(),
            Strategy::Relative(0.25)
        );
        assert_eq!(
            Strategy::deserialize(value).unwrap(),
            Strategy::Relative(0.25)
        );
    }
}
