//! A General webhook endpoint in axum: the receiver checks the secret and decodes the body into the generated
//! `GeneralWebhookMessage`, the handler pushes it onto a channel and answers 202 at once; a worker then reads
//! the entities the events name, each once, with the generated client.
//!
//! Run with `MEWS_WEBHOOK_SECRET=… MEWS_CLIENT_TOKEN=… MEWS_ACCESS_TOKEN=… cargo run --example webhook_axum`,
//! then register `https://<your host>/mews/general?token=<the secret>` with Mews.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, Uri};
use axum::routing::post;
use mews_connector::events::wh_general::GeneralWebhookMessage;
use mews_connector::runtime::events::{SecretLocation, WebhookReceiver};
use mews_connector::{Client, CustomerExtent, CustomersGetAllRequest, Environment, Limitation};
use tokio::sync::mpsc;

#[derive(Clone)]
struct AppState {
    receiver: Arc<WebhookReceiver>,
    messages: mpsc::Sender<GeneralWebhookMessage>,
}

/// Answers within the documented 5 s: check, decode, hand off, return. Nothing here waits on the API.
async fn general_webhook(State(state): State<AppState>, uri: Uri, body: Bytes) -> StatusCode {
    match state
        .receiver
        .receive::<GeneralWebhookMessage>(&uri.to_string(), &body)
    {
        // A full queue is answered 503: Mews sends the message again a few minutes later.
        Ok(message) => match state.messages.try_send(message) {
            Ok(()) => StatusCode::ACCEPTED,
            Err(_) => StatusCode::SERVICE_UNAVAILABLE,
        },
        Err(rejection) => {
            eprintln!("webhook refused: {rejection}");
            StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::BAD_REQUEST)
        }
    }
}

/// The slow part, off the request path: each customer the events name is read once (`CustomerAdded` and
/// `CustomerUpdated` of one customer count once), in requests of at most 1,000 ids.
async fn fetch_customers(
    client: &Client,
    message: &GeneralWebhookMessage,
) -> mews_connector::Result<()> {
    let plan = message.fetch_plan();
    let extent = CustomerExtent {
        customers: Some(true),
        ..CustomerExtent::default()
    };
    let template = CustomersGetAllRequest::new(extent, Limitation::new(1000));
    for request in plan.customers_get_all(&template) {
        let page = client.customers().get_all(&request).await?;
        for customer in &page.customers {
            println!(
                "{}: customer {} {}",
                message.enterprise_id, customer.id, customer.last_name
            );
        }
    }
    for skipped in plan.unfetched() {
        println!("not fetched: {} ({})", skipped.event, skipped.reason);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("MEWS_WEBHOOK_SECRET")?;
    let client = Client::builder(
        Environment::Demo,
        std::env::var("MEWS_CLIENT_TOKEN")?,
        std::env::var("MEWS_ACCESS_TOKEN")?,
        "WebhookExample 1.0.0",
    )
    .build()?;
    let receiver = WebhookReceiver::new(secret, SecretLocation::Query("token".into()));
    let (messages, mut queue) = mpsc::channel::<GeneralWebhookMessage>(1024);

    tokio::spawn(async move {
        while let Some(message) = queue.recv().await {
            if let Err(error) = fetch_customers(&client, &message).await {
                eprintln!("fetching what changed failed: {error}");
            }
        }
    });

    let app = Router::new()
        .route("/mews/general", post(general_webhook))
        // The framework stops reading a body over the receiver's limit (and answers 413) itself.
        .layer(DefaultBodyLimit::max(receiver.limit()))
        .with_state(AppState {
            receiver: Arc::new(receiver),
            messages,
        });
    let address = std::env::var("LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".to_string());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on {address}");
    axum::serve(listener, app).await?;
    Ok(())
}
