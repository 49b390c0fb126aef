//! How the client turns a response body into typed values: one UTF-8 check of the whole body, then
//! serde_json reads it as text.

use serde::de::DeserializeOwned;

/// Decodes a JSON body the way the client decodes every response.
///
/// The body is checked to be UTF-8 once, as a whole, and serde_json then reads it as text. Read as bytes,
/// serde_json checks each string it meets, and each number a [`Decimal`](super::Decimal) reads exactly,
/// on its own, which costs more than the one check of the whole body. A body that is not UTF-8 is read
/// as bytes, so that the error says where (line and column) as it would have.
pub fn from_body<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Decimal;

    #[test]
    fn decodes_as_the_byte_reader_does_and_locates_bad_bytes() {
        let body = br#"{"Name":"Caf\u00e9 \u017dofie","Value":0.09975,"Total":12345678901234567890.123456789}"#;
        let text: serde_json::Value = from_body(body).unwrap();
        let bytes: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(text, bytes);
        let exact: std::collections::BTreeMap<String, serde_json::Value> = from_body(body).unwrap();
        assert_eq!(exact["Name"], "Café Žofie");
        let total: Decimal = from_body(b"12345678901234567890.123456789").unwrap();
        assert_eq!(total.as_str(), "12345678901234567890.123456789");

        let not_utf8 = b"{\n  \"Name\": \"\xff\"\n}";
        let error = from_body::<serde_json::Value>(not_utf8).unwrap_err();
        let expected = serde_json::from_slice::<serde_json::Value>(not_utf8).unwrap_err();
        assert_eq!(error.to_string(), expected.to_string());
        assert_eq!((error.line(), error.column()), (2, 12));

        let error = from_body::<serde_json::Value>(b"{\"Name\": 1,}").unwrap_err();
        assert!(error.is_syntax(), "{error}");
    }
}
