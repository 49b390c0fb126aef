//! The `Deserialize` impls the generator writes for structs, pinned one kind of input at a time: through the
//! client (a mock answering with the body, so `Error::Decode` carries the JSON path) for the errors, and
//! through `from_body` for what decodes.

use mews_connector::runtime::{Error, Lenient, RetryPolicy, from_body};
use mews_connector::testing::{MockServer, Reply};
use mews_connector::{
    Country, Limitation, Message, MessagesGetAllRequest, MessagesGetAllResponse, ProductCategory,
    ProductData, ProductType, Sender, TaxValue,
};
use serde_json::{Value, json};

/// A message as the docs show one.
fn message(id: &str) -> Value {
    json!({
        "Id": id,
        "MessageThreadId": "9a7e9d4b-56b5-4b8c-9b7e-ac5f00c0f5d1",
        "Text": "Hello",
        "Sender": { "Discriminator": "Enterprise", "Value": null },
        "CreatedUtc": "2024-04-11T08:54:47Z"
    })
}

/// `messages/getAll` answered with `body`: the decode error's path and message.
async fn decode_error(body: Value) -> (String, String) {
    let mock = MockServer::start().await;
    mock.respond_once::<MessagesGetAllRequest>(Reply::json(200, &body));
    let client: mews_connector::Client = mock
        .client_builder()
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let error = client
        .messages()
        .get_all(&MessagesGetAllRequest::new(
            vec!["9a7e9d4b-56b5-4b8c-9b7e-ac5f00c0f5d1".into()],
            Limitation::new(10),
        ))
        .await
        .unwrap_err();
    match error {
        Error::Decode { path, message, .. } => (path, message),
        other => panic!("not a decode error: {other:?}"),
    }
}

/// A body whose second message has `Text` replaced by `text` (removed when `None`).
fn second_text(text: Option<Value>) -> Value {
    let mut second = message("m2");
    match text {
        Some(text) => second["Text"] = text,
        None => {
            second.as_object_mut().unwrap().remove("Text");
        }
    }
    json!({ "Messages": [message("m1"), second], "Cursor": null })
}

#[tokio::test]
async fn a_missing_required_property_is_an_error_naming_it_at_its_object() {
    let (path, message) = decode_error(second_text(None)).await;
    assert_eq!(path, "Messages[1]");
    assert!(message.contains("`Text`"), "{message}");
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_an_error_at_its_property() {
    let (path, message) = decode_error(second_text(Some(json!(5)))).await;
    assert_eq!(path, "Messages[1].Text");
    assert!(message.contains("integer"), "{message}");
}

#[tokio::test]
async fn null_for_a_required_property_is_an_error_at_its_property() {
    let (path, message) = decode_error(second_text(Some(Value::Null))).await;
    assert_eq!(path, "Messages[1].Text");
    assert!(message.contains("null"), "{message}");
}

#[tokio::test]
async fn an_array_in_place_of_an_object_is_an_error_at_its_path() {
    let body = json!({ "Messages": [message("m1"), ["m2", "t", "Hello"]] });
    let (path, message) = decode_error(body).await;
    assert_eq!(path, "Messages[1]");
    assert!(message.contains("sequence"), "{message}");
}

#[test]
fn an_unknown_enum_value_is_kept_and_sent_back() {
    let data: ProductData =
        from_body(br#"{"ProductId": "p1", "ProductType": "Teleportation"}"#).unwrap();
    let Some(ProductType::Unknown(value)) = &data.product_type else {
        panic!("not kept: {data:?}")
    };
    assert_eq!(value.as_str(), "Teleportation");
    assert_eq!(
        serde_json::to_value(&data).unwrap(),
        json!({"ProductId": "p1", "ProductType": "Teleportation"})
    );
}

#[test]
fn unknown_properties_are_ignored_whatever_they_hold() {
    let mut with_more = message("m1");
    with_more["FutureProperty"] = json!({"Nested": [1, {"Deep": null}], "Text": 5});
    with_more["Other"] = json!(12345678901234567890.5);
    let plain: Message = from_body(message("m1").to_string().as_bytes()).unwrap();
    let more: Message = from_body(with_more.to_string().as_bytes()).unwrap();
    assert_eq!(plain, more);
    assert_eq!(more.text, "Hello");
    assert!(matches!(more.sender, Sender::Enterprise));
}

#[test]
fn relaxed_fields_take_absent_and_null_and_lenient_ones_keep_what_does_not_fit() {
    // `SovereignCountryCode` is required in the docs, whose own examples show it null.
    for body in [
        r#"{"Code": "CZ", "EnglishName": "Czechia"}"#,
        r#"{"Code": "CZ", "EnglishName": "Czechia", "SovereignCountryCode": null}"#,
    ] {
        let country: Country = from_body(body.as_bytes()).unwrap();
        assert_eq!(country.sovereign_country_code, None, "{body}");
        assert_eq!(country.english_name, "Czechia");
    }
    let country: Country =
        from_body(br#"{"Code": "GP", "EnglishName": "Guadeloupe", "SovereignCountryCode": "FR"}"#)
            .unwrap();
    assert_eq!(country.sovereign_country_code.as_deref(), Some("FR"));

    // `ParentProductCategory` is an object in the docs and a string in their example.
    let category = |parent: Value| {
        let body = json!({
            "Id": "c1", "ServiceId": "s1", "Names": {}, "ShortNames": {}, "Descriptions": {},
            "ParentProductCategory": parent,
            "UpdatedUtc": "2024-01-01T00:00:00Z", "CreatedUtc": "2024-01-01T00:00:00Z", "Ordering": 1
        });
        from_body::<ProductCategory>(body.to_string().as_bytes()).unwrap()
    };
    let raw = category(json!("not an object"));
    let Some(Lenient::Raw(json)) = &raw.parent_product_category else {
        panic!("not raw: {raw:?}")
    };
    assert_eq!(json.get(), r#""not an object""#);
    assert_eq!(raw.enterprise_id, None);
    let typed = category(json!({"Id": "p1", "Names": {"en-US": "Food"}}));
    let Some(Lenient::Typed(parent)) = &typed.parent_product_category else {
        panic!("not typed: {typed:?}")
    };
    assert_eq!(parent.id.as_str(), "p1");
    assert_eq!(category(Value::Null).parent_product_category, None);
}

#[test]
fn a_missing_required_list_is_empty_and_null_optional_properties_are_none() {
    let response: MessagesGetAllResponse = from_body(br#"{"Cursor": null}"#).unwrap();
    assert!(response.messages.is_empty());
    assert_eq!(response.cursor, None);
    let error = from_body::<MessagesGetAllResponse>(br#"{"Messages": null}"#).unwrap_err();
    assert!(error.to_string().contains("null"), "{error}");
}

#[test]
fn decimals_keep_every_digit_through_the_written_impls() {
    let tax: TaxValue =
        from_body(br#"{"Code": "CZ-S", "Value": 12345678901234567890.123456789}"#).unwrap();
    let value = tax.value.as_ref().expect("a value");
    assert_eq!(value.as_str(), "12345678901234567890.123456789");
    assert_eq!(
        serde_json::to_string(&tax).unwrap(),
        r#"{"Code":"CZ-S","Value":12345678901234567890.123456789}"#
    );
}

#[test]
fn the_last_of_repeated_properties_wins() {
    let country: Country =
        from_body(br#"{"Code": "CZ", "EnglishName": "Czech Republic", "EnglishName": "Czechia"}"#)
            .unwrap();
    assert_eq!(country.english_name, "Czechia");
}

#[test]
fn optional_properties_left_none_are_not_written() {
    let country = Country {
        code: "CZ".into(),
        sovereign_country_code: None,
        english_name: "Czechia".into(),
    };
    assert_eq!(
        serde_json::to_string(&country).unwrap(),
        r#"{"Code":"CZ","EnglishName":"Czechia"}"#
    );
    let back: Country = serde_json::from_str(&serde_json::to_string(&country).unwrap()).unwrap();
    assert_eq!(back, country);
}
