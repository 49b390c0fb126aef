//! Value types generated code builds on: JSON aliases, timestamps, identifier newtypes, update values, lenient fields.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Free-form JSON, for properties the docs type as `object`/`any` or whose type they do not define.
pub type Json = serde_json::Value;
/// A JSON object.
pub type JsonObject = serde_json::Map<String, Json>;
/// A JSON number as serde_json keeps it (an `f64` for non-integers); the generated code uses
/// [`Decimal`](super::Decimal), which keeps every digit.
pub type Number = serde_json::Number;

/// JSON kept exactly as received, every digit of its numbers included: what the client buffers when it
/// cannot type a value yet (properties of unknown coproduct variants, values that do not fit a
/// [`Lenient`] field), sent back byte for byte.
#[derive(Clone)]
pub struct RawJson(Box<serde_json::value::RawValue>);

impl RawJson {
    /// The JSON text as received.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Decodes the text into `T` (exact: a [`Decimal`](super::Decimal) gets every digit).
    pub fn decode<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.0.get())
    }

    /// The value as [`Json`]; non-integer numbers become `f64` there, so prefer [`RawJson::decode`].
    pub fn to_value(&self) -> serde_json::Result<Json> {
        self.decode()
    }

    /// The text of `value`.
    pub fn from_value(value: &Json) -> serde_json::Result<Self> {
        serde_json::value::to_raw_value(value).map(RawJson)
    }

    /// JSON `null`.
    pub fn null() -> Self {
        RawJson(Box::default())
    }

    /// A deserializer over the text, for decoding a buffered value later.
    pub(crate) fn deserializer(&self) -> &serde_json::value::RawValue {
        &self.0
    }
}

impl Default for RawJson {
    /// JSON `null`, as an absent free-form value is written.
    fn default() -> Self {
        RawJson::null()
    }
}

impl From<Json> for RawJson {
    /// The text of a value built with `serde_json::json!`, for a free-form property of a request.
    fn from(value: Json) -> Self {
        // Writing a `Value` cannot fail (its keys are strings, its numbers finite); `null` keeps this total.
        RawJson::from_value(&value).unwrap_or_default()
    }
}

impl PartialEq for RawJson {
    /// Same text (as received: `1.50` and `1.5` differ here).
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// How serde_json names its raw-value request (`serde_json::value::RawValue` uses the same name).
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

impl<'de> Deserialize<'de> for RawJson {
    /// From serde_json (text, readers, `Value`): the text as received, every digit kept. From another
    /// deserializer (serde's buffer inside an untagged enum, another format): the value it holds, written
    /// as JSON (numbers as that deserializer kept them).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_TOKEN, RawJsonVisitor)
    }
}

struct RawJsonVisitor;

impl RawJsonVisitor {
    fn written<E: serde::de::Error>(value: &Json) -> Result<RawJson, E> {
        RawJson::from_value(value).map_err(E::custom)
    }
}

impl<'de> serde::de::Visitor<'de> for RawJsonVisitor {
    type Value = RawJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// serde_json's raw value is a map of one entry, the raw-value name and the text; any other map is an
    /// object from a deserializer that does not know raw values.
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawJson, A::Error> {
        let mut object = JsonObject::new();
        let Some(first) = map.next_key::<String>()? else {
            return Self::written(&Json::Object(object));
        };
        if first == RAW_TOKEN {
            let text: String = map.next_value()?;
            return serde_json::value::RawValue::from_string(text)
                .map(RawJson)
                .map_err(serde::de::Error::custom);
        }
        object.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            object.insert(key, value);
        }
        Self::written(&Json::Object(object))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<RawJson, D::Error> {
        Self::written(&Json::deserialize(inner)?)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawJson, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Json>()? {
            items.push(item);
        }
        Self::written(&Json::Array(items))
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<RawJson, E> {
        Self::written(&Json::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<RawJson, E> {
        Self::written(&Json::from(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<RawJson, E> {
        Self::written(&Json::from(value))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<RawJson, E> {
        Self::written(&Json::from(value))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<RawJson, E> {
        Self::written(&Json::from(value))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<RawJson, E> {
        Ok(RawJson::null())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<RawJson, E> {
        Ok(RawJson::null())
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<RawJson, D::Error> {
        Self::written(&Json::deserialize(inner)?)
    }
}

/// A UTC date and time in ISO 8601 form (`2022-03-09T13:19:46Z`), kept exactly as received.
///
/// Decoding never fails on an unusual format; [`Timestamp::parse`] reports it when you need the instant.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// Wraps text as sent or received, without checking it.
    pub fn new(text: impl Into<String>) -> Self {
        Timestamp(text.into())
    }

    /// Formats an instant the way the API documents it: `YYYY-MM-DDThh:mm:ssZ` in UTC.
    pub fn from_datetime(instant: time::OffsetDateTime) -> Self {
        let utc = instant.to_offset(time::UtcOffset::UTC);
        Timestamp(format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            utc.year(),
            u8::from(utc.month()),
            utc.day(),
            utc.hour(),
            utc.minute(),
            utc.second()
        ))
    }

    /// The text as sent or received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instant, for RFC 3339 text (which the API's ISO 8601 timestamps are).
    pub fn parse(&self) -> Result<time::OffsetDateTime, time::error::Parse> {
        time::OffsetDateTime::parse(&self.0, &time::format_description::well_known::Rfc3339)
    }
}

impl From<time::OffsetDateTime> for Timestamp {
    fn from(instant: time::OffsetDateTime) -> Self {
        Timestamp::from_datetime(instant)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Names an identifier type for `Debug` output; implemented by the marker of each generated identifier.
pub trait IdKind {
    /// The identifier type's name (`MessageId`).
    const NAME: &'static str;
}

/// An identifier of one kind of entity (`Id<MessageIdKind>` is a `MessageId`).
///
/// The text is kept as received (usually a UUID, sometimes a prefixed hybrid identifier), so decoding never
/// fails on its format. Identifiers of different entities are different types.
pub struct Id<K: ?Sized>(String, PhantomData<fn() -> K>);

impl<K: ?Sized> Id<K> {
    /// Wraps text as sent or received, without checking it.
    pub fn new(text: impl Into<String>) -> Self {
        Id(text.into(), PhantomData)
    }

    /// The identifier's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identifier's text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The same text as an identifier of another kind, for properties that name an entity by role
    /// (a `ParentResourceId` is a resource's id).
    pub fn retag<L: ?Sized>(self) -> Id<L> {
        Id(self.0, PhantomData)
    }
}

impl<K: ?Sized> Clone for Id<K> {
    fn clone(&self) -> Self {
        Id(self.0.clone(), PhantomData)
    }
}
impl<K: ?Sized> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<K: ?Sized> Eq for Id<K> {}
impl<K: ?Sized> PartialOrd for Id<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<K: ?Sized> Ord for Id<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}
impl<K: ?Sized> std::hash::Hash for Id<K> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}
impl<K: IdKind + ?Sized> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:?})", K::NAME, self.0)
    }
}
impl<K: ?Sized> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl<K: ?Sized> From<String> for Id<K> {
    fn from(text: String) -> Self {
        Id::new(text)
    }
}
impl<K: ?Sized> From<&str> for Id<K> {
    fn from(text: &str) -> Self {
        Id::new(text)
    }
}
impl<K: ?Sized> Serialize for Id<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}
impl<'de, K: ?Sized> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Id::new)
    }
}

/// The API's update wrapper `{ "Value": … }`: in an `Option`, `None` leaves the property as it is,
/// `Some(UpdateValue::Set(v))` sets it and `Some(UpdateValue::Clear)` removes it (sends `"Value": null`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum UpdateValue<T> {
    /// Sets the property to this value.
    Set(T),
    /// Removes the property's value.
    Clear,
}

impl<T> UpdateValue<T> {
    /// The value set, or `None` for [`UpdateValue::Clear`].
    pub fn as_option(&self) -> Option<&T> {
        match self {
            UpdateValue::Set(value) => Some(value),
            UpdateValue::Clear => None,
        }
    }
}

impl<T> From<T> for UpdateValue<T> {
    fn from(value: T) -> Self {
        UpdateValue::Set(value)
    }
}

impl<T: Serialize> Serialize for UpdateValue<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("Value", &self.as_option())?;
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for UpdateValue<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire<T> {
            #[serde(rename = "Value", default = "none")]
            value: Option<T>,
        }
        fn none<T>() -> Option<T> {
            None
        }
        let wire = Wire::<T>::deserialize(deserializer)?;
        Ok(wire.value.map_or(UpdateValue::Clear, UpdateValue::Set))
    }
}

/// A property the docs' own examples show with a value of another type: the typed value when it fits,
/// otherwise the JSON as received, so the response still decodes.
#[derive(Clone, Debug, PartialEq)]
pub enum Lenient<T> {
    /// The value decoded as its documented type.
    Typed(T),
    /// The value as received, when it does not fit the documented type.
    Raw(RawJson),
}

impl<T> Lenient<T> {
    /// The typed value, or `None` for [`Lenient::Raw`].
    pub fn typed(&self) -> Option<&T> {
        match self {
            Lenient::Typed(value) => Some(value),
            Lenient::Raw(_) => None,
        }
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(value: T) -> Self {
        Lenient::Typed(value)
    }
}

impl<T: Serialize> Serialize for Lenient<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Lenient::Typed(value) => value.serialize(serializer),
            Lenient::Raw(json) => json.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    /// Buffers the value's text (not a [`Json`], whose numbers would be `f64`), then tries the type.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawJson::deserialize(deserializer)?;
        Ok(match raw.decode() {
            Ok(value) => Lenient::Typed(value),
            Err(_) => Lenient::Raw(raw),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_json_keeps_the_text_from_serde_json_and_takes_values_from_other_deserializers() {
        let text = r#"{"A": 0.09975, "B": [12345678901234567890.123456789, true, null, "x"]}"#;
        let raw: RawJson = serde_json::from_str(text).unwrap();
        assert_eq!(raw.get(), text);
        let from_reader: RawJson = serde_json::from_reader(text.as_bytes()).unwrap();
        assert_eq!(from_reader.get(), text);
        // Inside an untagged enum serde buffers the value first; it still decodes.
        #[derive(Deserialize, Debug)]
        #[serde(untagged)]
        enum Either {
            Named { data: RawJson },
        }
        let Either::Named { data } =
            serde_json::from_str::<Either>(r#"{"data": {"K": [1, "v", false, null]}}"#).unwrap();
        assert_eq!(
            data.to_value().unwrap(),
            serde_json::json!({"K": [1, "v", false, null]})
        );
        let from_value: RawJson = serde_json::from_value(serde_json::json!({"K": 2})).unwrap();
        assert_eq!(from_value.to_value().unwrap(), serde_json::json!({"K": 2}));
        assert_eq!(RawJson::default().get(), "null");
        assert_eq!(RawJson::from(serde_json::json!([1])).get(), "[1]");
    }

    enum MessageKind {}
    impl IdKind for MessageKind {
        const NAME: &'static str = "MessageId";
    }

    #[test]
    fn ids_keep_their_text_and_name_their_kind() {
        let id: Id<MessageKind> = serde_json::from_str("\"eid:COM-1\"").unwrap();
        assert_eq!(id.as_str(), "eid:COM-1");
        assert_eq!(format!("{id:?}"), "MessageId(\"eid:COM-1\")");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"eid:COM-1\"");
    }

    #[test]
    fn timestamps_round_trip_any_text_and_parse_on_demand() {
        let t: Timestamp = serde_json::from_str("\"2024-04-11T08:54:47.193Z\"").unwrap();
        assert_eq!(t.parse().unwrap().millisecond(), 193);
        let odd: Timestamp = serde_json::from_str("\"tomorrow\"").unwrap();
        assert!(odd.parse().is_err());
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"tomorrow\"");
        let instant = time::OffsetDateTime::from_unix_timestamp(1_646_831_986).unwrap();
        assert_eq!(
            Timestamp::from_datetime(instant).as_str(),
            "2022-03-09T13:19:46Z"
        );
    }

    #[test]
    fn update_values_are_tri_state() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Update {
            #[serde(rename = "Email", default, skip_serializing_if = "Option::is_none")]
            email: Option<UpdateValue<String>>,
        }
        let cases = [
            (Update { email: None }, "{}"),
            (
                Update {
                    email: Some(UpdateValue::Set("a@b".into())),
                },
                r#"{"Email":{"Value":"a@b"}}"#,
            ),
            (
                Update {
                    email: Some(UpdateValue::Clear),
                },
                r#"{"Email":{"Value":null}}"#,
            ),
        ];
        for (value, json) in cases {
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
            assert_eq!(serde_json::from_str::<Update>(json).unwrap(), value);
        }
    }

    #[test]
    fn lenient_values_fall_back_to_raw_json() {
        let typed: Lenient<Vec<u8>> = serde_json::from_str("[1,2]").unwrap();
        assert_eq!(typed, Lenient::Typed(vec![1, 2]));
        let raw: Lenient<Vec<u8>> = serde_json::from_str(r#"{"x":1.50}"#).unwrap();
        let Lenient::Raw(json) = &raw else {
            panic!("not raw: {raw:?}")
        };
        assert_eq!(json.to_value().unwrap(), serde_json::json!({"x": 1.5}));
        assert_eq!(serde_json::to_string(&raw).unwrap(), r#"{"x":1.50}"#);
        let exact: Lenient<super::super::Decimal> =
            serde_json::from_str("12345678901234567890.123456789").unwrap();
        assert_eq!(
            exact.typed().map(|d| d.as_str()),
            Some("12345678901234567890.123456789")
        );
    }

    #[test]
    fn numbers_keep_integers_integral() {
        let n: Number = serde_json::from_str("10").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "10");
        let f: Number = serde_json::from_str("0.21").unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), "0.21");
    }
}
