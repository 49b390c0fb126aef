//! Deprecated is not required, and a deprecated operation's example relaxes only what that operation decodes:
//! `reservations().add` without any deprecated property, and a decode test per relaxation, each with a body
//! shaped like the example that justified it.
#![allow(deprecated)] // deprecated items are the point
#![cfg(all(feature = "reservations", feature = "customers", feature = "counters"))]

use mews_connector::runtime::Timestamp;
use mews_connector::testing::MockServer;
use mews_connector::{
    AgeCategoryParameters, CountersGetAllResponse, Customer,
    CustomersGetOpenItemsAccountingItemsOrderItemData, CustomersGetOpenItemsRequest, Limitation,
    RebateOrderItemData, ReservationExtent, ReservationParameters, ReservationsAddRequest,
    ReservationsCancelRequest, ReservationsGetAllVer20170412Customer,
    ReservationsGetAllVer20170412Request,
};
use serde_json::{Value, json};

const ID: &str = "bd26d8db-86da-4f96-9efc-e5a4654a4a94";

/// `reservations/add` needs neither of the deprecated counts (`AdultCount`, `ChildCount`): they are not
/// parameters of `new`, are not sent, and the mock (which checks requests against their contracts) accepts
/// the call.
#[tokio::test]
async fn reservations_add_compiles_and_is_accepted_without_any_deprecated_property() {
    let reservation = ReservationParameters::new(
        Timestamp::new("2025-01-01T14:00:00Z"),
        Timestamp::new("2025-01-02T10:00:00Z"),
        vec![AgeCategoryParameters::new(ID.into(), 2)],
        ID.into(),
        ID.into(),
        ID.into(),
    );
    assert_eq!(
        (reservation.adult_count, reservation.child_count),
        (None, None)
    );
    let request = ReservationsAddRequest::new(ID.into(), vec![reservation]);
    let sent = serde_json::to_value(&request).unwrap();
    let sent_reservation = sent["Reservations"][0].as_object().unwrap();
    assert!(!sent_reservation.contains_key("AdultCount"), "{sent}");
    assert!(!sent_reservation.contains_key("ChildCount"), "{sent}");
    assert_eq!(sent_reservation["PersonCounts"][0]["Count"], 2);

    let mock = MockServer::start().await;
    mock.client()
        .reservations()
        .add(&request)
        .await
        .expect("the mock accepts a reservation without deprecated counts");
    let recorded = mock.requests::<ReservationsAddRequest>();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].reservations[0].adult_count, None);
}

/// `reservations/cancel`'s deprecated `ReservationId` is optional too: `new` takes the identifiers list.
#[test]
fn reservations_cancel_needs_no_deprecated_reservation_id() {
    let request = ReservationsCancelRequest::new(vec![ID.into()], "Guest asked.".to_string());
    let sent = serde_json::to_value(&request).unwrap();
    assert!(sent.get("ReservationId").is_none(), "{sent}");
}

/// The deprecated `reservations/getAll/2017-04-12` decodes its own documented example (served by the mock)
/// through its relaxed copy of `Customer`, which that example shows without `IsActive`, `ChainId`,
/// `HasOtaEmail`, `CreatorProfileId` and `UpdaterProfileId`.
#[tokio::test]
async fn the_deprecated_operation_decodes_its_own_example_through_its_copy() {
    let mock = MockServer::start().await;
    let response = mock
        .client()
        .reservations()
        .get_all_ver_2017_04_12(&ReservationsGetAllVer20170412Request::new(
            vec![ID.into()],
            ReservationExtent::default(),
            Limitation::new(10),
        ))
        .await
        .expect("the documented example decodes");
    let customers: Vec<ReservationsGetAllVer20170412Customer> = response.customers.unwrap();
    let customer = &customers[0];
    assert_eq!(customer.is_active, None);
    assert_eq!(customer.chain_id, None);
    assert_eq!(customer.has_ota_email, None);
    assert_eq!(customer.creator_profile_id, None);
    assert_eq!(customer.updater_profile_id, None);
    let same: ReservationsGetAllVer20170412Customer =
        serde_json::from_value(deprecated_example_customer()).expect("the copy decodes it");
    assert_eq!(&same, customer);
}

/// The live `Customer` keeps its contract: the same customer body (the deprecated example's shape) does not
/// decode as a `Customer`, and once it has the properties the table requires, it does.
#[test]
fn the_live_customer_still_requires_what_only_the_deprecated_example_omits() {
    let mut body = deprecated_example_customer();
    serde_json::from_value::<ReservationsGetAllVer20170412Customer>(body.clone()).unwrap();
    let error = serde_json::from_value::<Customer>(body.clone()).unwrap_err();
    assert!(error.to_string().contains("missing field"), "{error}");
    let object = body.as_object_mut().unwrap();
    object.insert("ChainId".into(), json!(ID));
    object.insert("IsActive".into(), json!(true));
    object.insert("HasOtaEmail".into(), json!(false));
    object.insert("CreatorProfileId".into(), json!(ID));
    object.insert("UpdaterProfileId".into(), json!(ID));
    object.insert("Options".into(), json!([]));
    object.insert("PreferredSpaceFeatures".into(), json!([]));
    let customer: Customer = serde_json::from_value(body).expect("a complete customer decodes");
    assert!(customer.is_active);
    assert_eq!(customer.chain_id.as_str(), ID);
}

/// The customer of the example of `reservations/getAll/2017-04-12` (`spec/operations/reservations.md`), as
/// written.
fn deprecated_example_customer() -> Value {
    json!({
        "Address": null,
        "BirthDate": null,
        "BirthPlace": null,
        "CategoryId": null,
        "Classifications": [],
        "CreatedUtc": "2016-01-01T00:00:00Z",
        "Email": null,
        "FirstName": "John",
        "Sex": null,
        "Id": "35d4b117-4e60-44a3-9580-c582117eff98",
        "IdentityCard": null,
        "LanguageCode": null,
        "LastName": "Smith",
        "LoyaltyCode": null,
        "NationalityCode": "US",
        "Notes": "",
        "Number": "1",
        "Passport": null,
        "Phone": "00420123456789",
        "SecondLastName": null,
        "TaxIdentificationNumber": null,
        "Title": null,
        "UpdatedUtc": "2016-01-01T00:00:00Z",
        "Visa": null
    })
}

/// The deprecated `customers/getOpenItems` shows a rebate's `RebatedItemId` as `null`: its own copy of the
/// order item data takes it (decoded from its documented example on the mock), while the live
/// `RebateOrderItemData` still requires it.
#[tokio::test]
async fn a_rebate_without_rebated_item_is_relaxed_only_for_the_deprecated_open_items() {
    let mock = MockServer::start().await;
    let response = mock
        .client()
        .customers()
        .get_open_items(&CustomersGetOpenItemsRequest::new(vec![ID.into()]))
        .await
        .expect("the documented example decodes");
    let customers = response.customers.unwrap();
    let rebate = customers[0]
        .order_items
        .iter()
        .find_map(|item| match &item.data {
            CustomersGetOpenItemsAccountingItemsOrderItemData::Rebate(Some(data)) => Some(data),
            _ => None,
        })
        .expect("the example holds a rebate");
    assert_eq!(rebate.rebated_item_id, None);

    let error = serde_json::from_value::<RebateOrderItemData>(json!({ "RebatedItemId": null }))
        .unwrap_err();
    assert!(error.to_string().contains("invalid type: null"), "{error}");
    let live: RebateOrderItemData = serde_json::from_value(json!({ "RebatedItemId": ID })).unwrap();
    assert_eq!(live.rebated_item_id.as_str(), ID);
}

/// Deprecated response properties decode when absent: `counters/getAll`'s example sends only `Counters`,
/// leaving out the deprecated `BillCounters` and its siblings.
#[test]
fn deprecated_response_properties_decode_when_absent() {
    let body = json!({
        "Counters": [],
        "Cursor": null
    });
    let response: CountersGetAllResponse = serde_json::from_value(body).unwrap();
    assert!(response.counters.is_empty());
    assert_eq!(response.bill_counters, None);
    assert_eq!(response.proforma_counters, None);
}
