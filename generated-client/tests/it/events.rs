//! Typed events generated from `spec/events`: the documented bodies decode, unknown events round-trip, tokens are
//! redacted, and a General webhook turns into deduplicated, chunked fetch requests.

use mews_connector::events::websockets::{Event as WsEvent, WebSocketMessage};
use mews_connector::events::wh_general::{Event, GeneralWebhookMessage};
use mews_connector::events::wh_integration::IntegrationWebhookMessage;
use mews_connector::runtime::fetch::Fetch;
use mews_connector::{CustomerExtent, CustomersGetAllRequest, Limitation};

const GENERAL: &str = r#"{
  "EnterpriseId": "851df8c8-90f2-4c4a-8e01-a4fc46b25178",
  "IntegrationId": "c8bee838-7fb1-4f4e-8fac-ac87008b2f90",
  "Events": [
    {"Discriminator": "ServiceOrderUpdated", "Value": {"Id": "bfee2c44-1f84-4326-a862-5289598f6e2d"}},
    {"Discriminator": "MessageAdded", "Value": {"Id": "4bfe4675-98a9-4428-9ea9-ae5300dbaa93"}},
    {"Discriminator": "CustomerAdded", "Value": {"Id": "c2f1d888-232e-49eb-87ac-5f75363af13b"}},
    {"Discriminator": "CustomerUpdated", "Value": {"Id": "c2f1d888-232e-49eb-87ac-5f75363af13b"}},
    {"Discriminator": "CustomerUpdated", "Value": {"Id": "b3ce0fd7-a715-4bfc-969e-ef7a4822963c"}},
    {"Discriminator": "SomethingNew", "Value": {"Id": "x", "Amount": 12345678901234567890.123456789}}
  ]
}"#;

#[test]
fn a_general_webhook_decodes_and_keeps_unknown_events_verbatim() {
    let message: GeneralWebhookMessage = serde_json::from_str(GENERAL).unwrap();
    assert_eq!(message.events.len(), 6);
    assert!(
        matches!(&message.events[0], Event::ServiceOrderUpdated(v) if v.id.as_str() == "bfee2c44-1f84-4326-a862-5289598f6e2d")
    );
    let Event::Unknown(unknown) = &message.events[5] else {
        panic!("an unknown discriminator is kept: {:?}", message.events[5]);
    };
    assert_eq!(unknown.discriminator(), "SomethingNew");
    // Queued and decoded later: the unknown event comes back with every digit.
    let text = serde_json::to_string(&message).unwrap();
    assert!(text.contains("12345678901234567890.123456789"), "{text}");
    let again: GeneralWebhookMessage = serde_json::from_str(&text).unwrap();
    assert_eq!(again, message);
}

#[test]
fn events_become_deduplicated_fetch_requests_and_unfetchable_ones_say_why() {
    let message: GeneralWebhookMessage = serde_json::from_str(GENERAL).unwrap();
    let plan = message.fetch_plan();
    // CustomerAdded and CustomerUpdated of one customer count once.
    assert_eq!(
        plan.ids("customers/getAll"),
        [
            "c2f1d888-232e-49eb-87ac-5f75363af13b",
            "b3ce0fd7-a715-4bfc-969e-ef7a4822963c"
        ]
    );
    assert_eq!(plan.ids("reservations/getAll/2023-06-06").len(), 1);
    let reasons: Vec<(&str, &str)> = plan
        .unfetched()
        .iter()
        .map(|u| (u.event.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0].0, "MessageAdded");
    assert!(reasons[0].1.contains("MessageIds"), "{reasons:?}");
    assert_eq!(reasons[1].0, "SomethingNew");

    let extent = CustomerExtent {
        customers: Some(true),
        ..CustomerExtent::default()
    };
    let template = CustomersGetAllRequest::new(extent, Limitation::new(100));
    let requests = plan.customers_get_all(&template);
    assert_eq!(requests.len(), 1);
    let ids: Vec<&str> = requests[0]
        .customer_ids
        .as_ref()
        .unwrap()
        .iter()
        .map(|id| id.as_str())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(
        requests[0].extent.customers,
        Some(true),
        "the template's other properties are kept"
    );
    assert!(matches!(message.events[1].fetch(), Fetch::Unfetched(_)));
}

#[test]
fn chunks_follow_the_filters_max_items() {
    let events: Vec<String> = (0..2500)
        .map(|i| format!(r#"{{"Discriminator":"CustomerUpdated","Value":{{"Id":"c{i}"}}}}"#))
        .collect();
    let body = format!(
        r#"{{"EnterpriseId":"e","IntegrationId":"i","Events":[{}]}}"#,
        events.join(",")
    );
    let message: GeneralWebhookMessage = serde_json::from_str(&body).unwrap();
    let template = CustomersGetAllRequest::new(CustomerExtent::default(), Limitation::new(1000));
    let sizes: Vec<usize> = message
        .fetch_plan()
        .customers_get_all(&template)
        .iter()
        .map(|r| r.customer_ids.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [1000, 1000, 500]);
}

#[test]
fn integration_webhooks_are_typed_by_action_and_hide_tokens() {
    let body = r#"{
      "Action": "IntegrationCreated",
      "Data": {
        "Enterprise": {"Id": "8865aa96-f62d-4f9b-a912-ab2100f60f42", "Name": "Sample Chain Hotel 1"},
        "Service": {"Id": "9745ce3a-8dbb-4cc0-a550-55f9ff67b242", "Name": "Accommodation"},
        "Requestor": null,
        "AccessToken": "9E5E84E9974D4F169662AB2200F27CB1-00B343A0DDA725CACAC028E38E3EABF",
        "CreatedUtc": "2019-12-13T14:42:52Z",
        "IsEnabled": true,
        "Integration": {"Id": "9e5e84e9-974d-4f16-9662-ab2200f27cb1", "Name": "WebhookTEST"}
      }
    }"#;
    let message: IntegrationWebhookMessage = serde_json::from_str(body).unwrap();
    let IntegrationWebhookMessage::IntegrationCreated(data) = &message else {
        panic!("{message:?}");
    };
    assert!(data.access_token.expose().starts_with("9E5E84E9"));
    let debug = format!("{message:?}");
    assert!(!debug.contains("9E5E84E9"), "{debug}");
    // Round trip for a queue: the token is written back as received.
    let text = serde_json::to_string(&message).unwrap();
    assert!(text.contains("9E5E84E9974D4F169662AB2200F27CB1"));
    assert!(text.contains(r#""Action":"IntegrationCreated""#));

    let rotated = r#"{"Action":"IntegrationApiKeyCreated","Data":{"Integration":{"Id":"i","Name":"n"},"ApiKey":"NEWKEY-SECRET"}}"#;
    let message: IntegrationWebhookMessage = serde_json::from_str(rotated).unwrap();
    assert!(!format!("{message:?}").contains("NEWKEY-SECRET"));
    let unknown: IntegrationWebhookMessage =
        serde_json::from_str(r#"{"Action":"IntegrationRenamed","Data":{"Name":"x"}}"#).unwrap();
    assert!(matches!(unknown, IntegrationWebhookMessage::Unknown(_)));
    assert!(serde_json::from_str::<IntegrationWebhookMessage>(r#"{"Data":{}}"#).is_err());
}

#[test]
fn websocket_events_are_typed_by_their_type_property() {
    let body = r#"{"Events":[
        {"Type":"DeviceCommand","Id":"2391a3df-1c61-4131-b6f8-c85b4234adcb","State":"Pending"},
        {"Type":"Reservation","Id":"bfee2c44-1f84-4326-a862-5289598f6e2d","State":"Processed","StartUtc":"2016-02-20T13:00:00Z","EndUtc":"2016-02-22T11:00:00Z"},
        {"Type":"PriceUpdate","Id":"bd75f159-f22a-4685-abdb-aac0008e2af3","RateId":"9c6c0556-42bb-409a-86ca-6ca430773b99","ResourceCategoryId":null},
        {"Type":"Future","Id":"f","Level":1.50}
    ]}"#;
    let message: WebSocketMessage = serde_json::from_str(body).unwrap();
    assert!(
        matches!(&message.events[0], WsEvent::DeviceCommand(c) if c.id.as_str() == "2391a3df-1c61-4131-b6f8-c85b4234adcb")
    );
    assert!(
        matches!(&message.events[1], WsEvent::Reservation(r) if r.assigned_resource_id.is_none())
    );
    assert!(matches!(&message.events[2], WsEvent::PriceUpdate(_)));
    assert!(matches!(&message.events[3], WsEvent::Unknown(u) if u.discriminator() == "Future"));
    let text = serde_json::to_string(&message).unwrap();
    assert!(
        text.contains(r#""Type":"Future""#) && text.contains("1.50"),
        "{text}"
    );
    let again: WebSocketMessage = serde_json::from_str(&text).unwrap();
    assert_eq!(again, message);
    // A known type with a broken body is an error with its place, not a panic.
    let broken = r#"{"Events":[{"Type":"Reservation","Id":5}]}"#;
    assert!(serde_json::from_str::<WebSocketMessage>(broken).is_err());
    assert!(serde_json::from_str::<WebSocketMessage>(r#"{"Events":[{"Id":"no type"}]}"#).is_err());
}

/// `IntegrationApiKeyCreated` hands over the new token, typed as a token: the client switches to it, and the old
/// one can go.
#[tokio::test]
async fn a_regenerated_api_key_rotates_the_clients_token() {
    use mews_connector::ConfigurationGetRequest;
    use mews_connector::testing::MockServer;

    let mock = MockServer::start().await;
    let client = mock.client();
    let body = r#"{"Action":"IntegrationApiKeyCreated","Data":{"Integration":{"Id":"i","Name":"n"},"ApiKey":"REGENERATED-TOKEN"}}"#;
    let message: IntegrationWebhookMessage = serde_json::from_str(body).unwrap();
    let IntegrationWebhookMessage::IntegrationApiKeyCreated(data) = message else {
        panic!("{message:?}");
    };
    mock.accept_access_tokens(["REGENERATED-TOKEN"]);
    client.rotate_access_token(data.api_key);
    mock.revoke_access_token(mews_connector::testing::ACCESS_TOKEN);
    client
        .configuration()
        .get(&ConfigurationGetRequest::default())
        .await
        .expect("the call goes out with the regenerated token");
}
