//! A crate outside the workspace that uses the typed events the way an integration does: it takes the URL and
//! body of a General webhook, refuses a wrong secret, decodes the events, turns them into deduplicated fetch
//! requests and sends them with the generated client (against the `testing` mock); and it opens the WebSocket
//! stream against a loopback tokio-tungstenite server and receives typed events across a dropped connection.

use super::downstream::tests_pass_in_scratch_crate;
use super::support::root;

/// The integration's code.
const LIB: &str = r#"//! A downstream integration reacting to events.
use mews_connector::events::wh_general::GeneralWebhookMessage;
use mews_connector::runtime::events::{WebhookReceiver, WebhookRejection};
use mews_connector::{Client, CustomerExtent, CustomersGetAllRequest, Limitation};

/// What one webhook led to.
#[derive(Debug)]
pub struct Handled {
    pub customers_read: usize,
    pub requests_sent: usize,
    pub unfetched: Vec<String>,
}

/// Why a webhook was not handled.
#[derive(Debug)]
pub enum Failure {
    Refused(WebhookRejection),
    Api(mews_connector::Error),
}

/// Checks and decodes a General webhook, then reads each customer it names once.
pub async fn on_general_webhook(
    receiver: &WebhookReceiver,
    client: &Client,
    url: &str,
    body: &[u8],
) -> Result<Handled, Failure> {
    let message: GeneralWebhookMessage = receiver.receive(url, body).map_err(Failure::Refused)?;
    let plan = message.fetch_plan();
    let extent = CustomerExtent {
        customers: Some(true),
        ..CustomerExtent::default()
    };
    let template = CustomersGetAllRequest::new(extent, Limitation::new(1000));
    let mut handled = Handled {
        customers_read: 0,
        requests_sent: 0,
        unfetched: plan.unfetched().iter().map(|u| u.event.clone()).collect(),
    };
    for request in plan.customers_get_all(&template) {
        let page = client.customers().get_all(&request).await.map_err(Failure::Api)?;
        handled.requests_sent += 1;
        handled.customers_read += page.customers.len();
    }
    Ok(handled)
}
"#;

/// The integration's tests: the webhook flow on the mock, the WebSocket flow on a loopback server.
const TESTS: &str = r##"//! Events end to end: no network but loopback, no Markdown.
use std::time::Duration;

use downstream_events::{Failure, on_general_webhook};
use futures_util::{SinkExt, StreamExt};
use mews_connector::events::websockets::Event;
use mews_connector::runtime::events::{
    EventStream, ReconnectPolicy, SecretLocation, StreamEvent, WebhookReceiver, WebhookRejection,
};
use mews_connector::testing::MockServer;
use mews_connector::{CustomersGetAllRequest, Environment};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

const BODY: &str = r#"{
  "EnterpriseId": "851df8c8-90f2-4c4a-8e01-a4fc46b25178",
  "IntegrationId": "c8bee838-7fb1-4f4e-8fac-ac87008b2f90",
  "Events": [
    { "Discriminator": "MessageAdded", "Value": { "Id": "4bfe4675-98a9-4428-9ea9-ae5300dbaa93" } },
    { "Discriminator": "CustomerAdded", "Value": { "Id": "c2f1d888-232e-49eb-87ac-5f75363af13b" } },
    { "Discriminator": "CustomerUpdated", "Value": { "Id": "c2f1d888-232e-49eb-87ac-5f75363af13b" } },
    { "Discriminator": "CustomerUpdated", "Value": { "Id": "b3ce0fd7-a715-4bfc-969e-ef7a4822963c" } }
  ]
}"#;

#[tokio::test]
async fn a_general_webhook_becomes_one_customers_request() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let receiver = WebhookReceiver::new("s3cret", SecretLocation::Query("token".into()));

    let refused = on_general_webhook(&receiver, &client, "/mews/general?token=guess", BODY.as_bytes()).await;
    assert!(matches!(refused, Err(Failure::Refused(WebhookRejection::WrongSecret))), "{refused:?}");
    assert_eq!(mock.request_count::<CustomersGetAllRequest>(), 0);

    let handled = on_general_webhook(&receiver, &client, "/mews/general?token=s3cret", BODY.as_bytes())
        .await
        .unwrap();
    assert_eq!(handled.requests_sent, 1);
    assert!(handled.customers_read > 0);
    assert_eq!(handled.unfetched, ["MessageAdded"]);
    let sent = mock.requests::<CustomersGetAllRequest>();
    let ids: Vec<&str> = sent[0].customer_ids.as_ref().unwrap().iter().map(|id| id.as_str()).collect();
    assert_eq!(ids, ["c2f1d888-232e-49eb-87ac-5f75363af13b", "b3ce0fd7-a715-4bfc-969e-ef7a4822963c"]);
}

#[tokio::test]
async fn websocket_events_arrive_typed_across_a_dropped_connection() {
    tokio::time::timeout(Duration::from_secs(30), async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let environment = Environment::Custom(format!("http://{}", listener.local_addr().unwrap()));
        let server = tokio::spawn(async move {
            for message in [
                r#"{"Events":[{"Type":"Reservation","Id":"r1","State":"Processed","StartUtc":"2016-02-20T13:00:00Z","EndUtc":"2016-02-22T11:00:00Z"}]}"#,
                r#"{"Events":[{"Type":"Resource","Id":"5ee074b1-6c86-48e8-915f-c7aa4702086f","State":"Dirty"}]}"#,
            ] {
                let (tcp, _) = listener.accept().await.unwrap();
                let mut socket = tokio_tungstenite::accept_async(tcp).await.unwrap();
                socket.send(Message::text(message)).await.unwrap();
                // The first connection drops here; the client comes back for the second.
                drop(socket);
            }
        });
        let mut events = EventStream::builder(&environment, "ClientTokenABC", "AccessTokenXYZ")
            .reconnect(
                ReconnectPolicy::default()
                    .initial_backoff(Duration::from_millis(10))
                    .max_backoff(Duration::from_millis(50)),
            )
            .connect::<Event>()
            .await
            .unwrap();
        let mut seen = Vec::new();
        while seen.len() < 3 {
            match events.next().await {
                Some(Ok(StreamEvent::Event(Event::Reservation(r)))) => seen.push(format!("reservation {}", r.id.as_str())),
                Some(Ok(StreamEvent::Event(Event::Resource(r)))) => seen.push(format!("resource {}", r.id.as_str())),
                Some(Ok(StreamEvent::Reconnected { .. })) => seen.push("reconnected".to_string()),
                Some(other) => panic!("unexpected: {other:?}"),
                None => panic!("the stream ended"),
            }
        }
        assert_eq!(seen, ["reservation r1", "reconnected", "resource 5ee074b1-6c86-48e8-915f-c7aa4702086f"]);
        drop(events);
        server.await.unwrap();
    })
    .await
    .expect("bounded");
}
"##;

#[test]
fn a_downstream_crate_handles_webhooks_and_the_websocket_stream() {
    let client = root().join("generated-client");
    let manifest = format!(
        r#"[package]
name = "downstream-events"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
generated-client = {{ path = "{path}", default-features = false, features = ["events", "customers", "websocket"] }}

[dev-dependencies]
generated-client = {{ path = "{path}", default-features = false, features = ["events", "customers", "websocket", "testing"] }}
tokio = {{ version = "1", features = ["macros", "rt-multi-thread", "net", "time"] }}
futures-util = {{ version = "0.3", default-features = false, features = ["sink", "std"] }}
tokio-tungstenite = {{ version = "0.30", default-features = false, features = ["handshake"] }}

[workspace]
"#,
        path = client.display()
    );
    tests_pass_in_scratch_crate(
        "downstream-events",
        &manifest,
        &[("src/lib.rs", LIB), ("tests/events.rs", TESTS)],
    );
}
