//! The webhook receiver kit on the documented example bodies (`events/wh-general.md`,
//! `events/wh-integration.md`, copied here), and on bodies and URLs that must be refused.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use mews_connector_runtime::events::{
    SecretLocation, VerifiedBody, WebhookReceiver, WebhookRejection,
};
use serde::Deserialize;
use serde_json::Value;

/// The request body example of `events/wh-general.md`.
const GENERAL: &str = r#"{
  "EnterpriseId": "851df8c8-90f2-4c4a-8e01-a4fc46b25178",
  "IntegrationId": "c8bee838-7fb1-4f4e-8fac-ac87008b2f90",
  "Events": [
    { "Discriminator": "ServiceOrderUpdated", "Value": { "Id": "bfee2c44-1f84-4326-a862-5289598f6e2d" } },
    { "Discriminator": "ResourceUpdated", "Value": { "Id": "7cccbdc6-73cf-4cd4-8056-6fd00f4d9699" } },
    { "Discriminator": "MessageAdded", "Value": { "Id": "4bfe4675-98a9-4428-9ea9-ae5300dbaa93" } },
    { "Discriminator": "CustomerAdded", "Value": { "Id": "c2f1d888-232e-49eb-87ac-5f75363af13b" } },
    { "Discriminator": "CustomerUpdated", "Value": { "Id": "b3ce0fd7-a715-4bfc-969e-ef7a4822963c" } },
    { "Discriminator": "PaymentUpdated", "Value": { "Id": "a41e2d45-71bc-49b4-9a05-a3ac5f75735c" } }
  ]
}"#;

/// The request body example of `events/wh-integration.md`.
const INTEGRATION: &str = r#"{
  "Action": "IntegrationCreated",
  "Data": {
    "Enterprise": { "Id": "8865aa96-f62d-4f9b-a912-ab2100f60f42", "Name": "Sample Chain Hotel 1" },
    "Service": { "Id": "9745ce3a-8dbb-4cc0-a550-55f9ff67b242", "Name": "Accommodation" },
    "Requestor": null,
    "AccessToken": "9E5E84E9974D4F169662AB2200F27CB1-00B343A0DDA725CACAC028E38E3EABF",
    "CreatedUtc": "2019-12-13T14:42:52Z",
    "IsEnabled": true,
    "Integration": { "Id": "9e5e84e9-974d-4f16-9662-ab2200f27cb1", "Name": "WebhookTEST" }
  }
}"#;

const SECRET: &str = "Mews-Webhook-Secret-7Q";
const URL: &str = "https://hooks.example.com/mews/general?token=Mews-Webhook-Secret-7Q";

/// A stand-in for the generated General webhook message: open discriminators, values kept as JSON.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct General {
    enterprise_id: String,
    integration_id: String,
    events: Vec<Event>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Event {
    discriminator: String,
    value: Value,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Integration {
    action: String,
    data: Value,
}

fn receiver() -> WebhookReceiver {
    WebhookReceiver::new(SECRET, SecretLocation::Query("token".into()))
}

#[test]
fn the_documented_general_webhook_is_received() {
    let message: General = receiver().receive(URL, GENERAL.as_bytes()).unwrap();
    assert_eq!(
        message.enterprise_id,
        "851df8c8-90f2-4c4a-8e01-a4fc46b25178"
    );
    assert_eq!(
        message.integration_id,
        "c8bee838-7fb1-4f4e-8fac-ac87008b2f90"
    );
    let kinds: Vec<_> = message
        .events
        .iter()
        .map(|e| e.discriminator.as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "ServiceOrderUpdated",
            "ResourceUpdated",
            "MessageAdded",
            "CustomerAdded",
            "CustomerUpdated",
            "PaymentUpdated"
        ]
    );
    assert_eq!(
        message.events[3].value["Id"],
        "c2f1d888-232e-49eb-87ac-5f75363af13b"
    );
}

#[test]
fn the_documented_integration_webhook_is_received_in_a_path_segment_setup() {
    let receiver = WebhookReceiver::new(SECRET, SecretLocation::PathSegment(1));
    let message: Integration = receiver
        .receive(
            "/mews/Mews-Webhook-Secret-7Q/integration",
            INTEGRATION.as_bytes(),
        )
        .unwrap();
    assert_eq!(message.action, "IntegrationCreated");
    assert_eq!(message.data["Integration"]["Name"], "WebhookTEST");
    assert_eq!(message.data["Requestor"], Value::Null);
}

#[test]
fn an_unknown_discriminator_is_kept_with_its_value() {
    let body = r#"{"EnterpriseId":"e","IntegrationId":"i","Events":[
        {"Discriminator":"BillClosed","Value":{"Id":"b1","Extra":[1,2]}},
        {"Discriminator":"CustomerAdded","Value":{"Id":"c1"}}]}"#;
    let message: Value = receiver().receive(URL, body.as_bytes()).unwrap();
    assert_eq!(message["Events"][0]["Discriminator"], "BillClosed");
    assert_eq!(
        message["Events"][0]["Value"],
        serde_json::json!({"Id": "b1", "Extra": [1, 2]})
    );
    let typed: General = receiver().receive(URL, body.as_bytes()).unwrap();
    assert_eq!(typed.events[0].discriminator, "BillClosed");
}

#[test]
fn verified_bodies_are_kept_raw_and_decoded_later() {
    let verified = receiver().verify(URL, GENERAL.as_bytes()).unwrap();
    // As it would come back from a queue.
    let queued: Vec<u8> = verified.into_bytes();
    assert_eq!(queued, GENERAL.as_bytes());
    let later = VerifiedBody::from_bytes(queued);
    let message: General = later.decode().unwrap();
    assert_eq!(message.events.len(), 6);
    assert!(matches!(
        later.decode::<Integration>(),
        Err(WebhookRejection::UnexpectedShape { .. })
    ));
    // A wrong secret is refused before the body is kept.
    assert!(matches!(
        receiver().verify("/mews/general?token=nope", GENERAL.as_bytes()),
        Err(WebhookRejection::WrongSecret)
    ));
}

#[test]
fn bad_requests_get_typed_rejections_with_their_status() {
    let receiver = receiver().max_body_bytes(GENERAL.len());
    let status = |url: &str, body: &[u8]| {
        receiver
            .receive::<General>(url, body)
            .map(|_| 200)
            .unwrap_or_else(|e| e.status())
    };
    assert_eq!(status(URL, GENERAL.as_bytes()), 200);
    assert_eq!(status("/mews/general", GENERAL.as_bytes()), 401);
    assert_eq!(
        status(
            "/mews/general?token=Mews-Webhook-Secret-7",
            GENERAL.as_bytes()
        ),
        403
    );
    assert_eq!(
        status(
            "/mews/general?token=Mews-Webhook-Secret-7Z",
            GENERAL.as_bytes()
        ),
        403
    );
    let oversized = format!("{GENERAL} ");
    assert_eq!(status(URL, oversized.as_bytes()), 413);
    assert_eq!(status(URL, b"{\"EnterpriseId\": "), 400);
    assert_eq!(status(URL, b"\xff\xfe"), 400);
    assert_eq!(status(URL, b""), 400);

    match receiver.receive::<General>(
        URL,
        br#"{"EnterpriseId":"e","IntegrationId":"i","Events":[{"Discriminator":7,"Value":{}}]}"#,
    ) {
        Err(WebhookRejection::UnexpectedShape { path, .. }) => {
            assert_eq!(path, "Events[0].Discriminator")
        }
        other => panic!("unexpected {other:?}"),
    }
    match receiver.receive::<General>(URL, b"{\"Events\": [}") {
        Err(WebhookRejection::NotJson {
            line: 1, column, ..
        }) => assert_eq!(column, 13),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn the_secret_never_shows_in_debug_or_errors() {
    let receiver = receiver();
    let mut texts = vec![format!("{receiver:?}")];
    for url in [
        "/mews/general?token=Mews-Webhook-Secret-7",
        "/mews/general?token=Mews-Webhook-Secret-7Q&token=Mews-Webhook-Secret-7Q",
    ] {
        let error = receiver
            .receive::<General>(url, GENERAL.as_bytes())
            .unwrap_err();
        texts.push(format!("{error:?}"));
        texts.push(error.to_string());
    }
    for text in &texts {
        assert!(!text.contains("Webhook-Secret"), "{text}");
    }
    assert!(texts[0].contains("WebhookSecret(<redacted>)"));
}
