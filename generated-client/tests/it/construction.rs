//! How generated request types are built: flags from `Default`, many or swappable arguments by name.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test code: failing loudly is the point
#![cfg(all(feature = "restrictions", feature = "payments"))]

use mews_connector::{DaysParameters, SepaDirectDebitData, SepaDirectDebitDataRequired};
use serde_json::json;

#[test]
fn flag_types_start_from_default_and_send_every_flag() {
    let days = DaysParameters {
        monday: true,
        friday: true,
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&days).unwrap(),
        json!({"Monday": true, "Tuesday": false, "Wednesday": false, "Thursday": false,
               "Friday": true, "Saturday": false, "Sunday": false})
    );
}

#[test]
fn swappable_arguments_are_named() {
    let data = SepaDirectDebitData::new(SepaDirectDebitDataRequired {
        iban: "CZ6508000000192000145399".into(),
        name: "Jane Doe".into(),
        email: "jane@example.com".into(),
        user_agent: "Agent/1.0".into(),
        remote_ip_address: "127.0.0.1".into(),
    });
    let sent = serde_json::to_value(&data).unwrap();
    assert_eq!(sent["Iban"], "CZ6508000000192000145399");
    assert_eq!(sent["Name"], "Jane Doe");
    assert_eq!(sent["RemoteIpAddress"], "127.0.0.1");
}
