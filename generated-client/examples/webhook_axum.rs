//! A General webhook endpoint in axum: the receiver checks the secret and decodes the body, the handler
//! pushes the message onto a channel and answers 202 at once; a worker does the slow part afterwards.
//!
//! Run with `MEWS_WEBHOOK_SECRET=… cargo run --example webhook_axum`, then register
//! `https://<your host>/mews/general?token=<the secret>` with Mews.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, Uri};
use axum::routing::post;
use mews_connector::runtime::events::{SecretLocation, WebhookReceiver};
use serde::Deserialize;
use tokio::sync::mpsc;

/// The General webhook message (`events/wh-general.md`), as far as this example needs it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GeneralWebhook {
    enterprise_id: String,
    events: Vec<Event>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Event {
    /// `CustomerAdded`, `ServiceOrderUpdated`… (kept as text, so new kinds are not refused).
    discriminator: String,
    value: EntityUpdated,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EntityUpdated {
    id: String,
}

#[derive(Clone)]
struct AppState {
    receiver: Arc<WebhookReceiver>,
    messages: mpsc::Sender<GeneralWebhook>,
}

/// Answers within the documented 5 s: check, decode, hand off, return. Nothing here waits on the API.
async fn general_webhook(State(state): State<AppState>, uri: Uri, body: Bytes) -> StatusCode {
    match state
        .receiver
        .receive::<GeneralWebhook>(&uri.to_string(), &body)
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

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("MEWS_WEBHOOK_SECRET")?;
    let receiver = WebhookReceiver::new(secret, SecretLocation::Query("token".into()));
    let (messages, mut queue) = mpsc::channel::<GeneralWebhook>(1024);

    // The worker: here each event would be fetched with the client (once per entity).
    tokio::spawn(async move {
        while let Some(message) = queue.recv().await {
            for event in &message.events {
                println!(
                    "{}: {} {}",
                    message.enterprise_id, event.discriminator, event.value.id
                );
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
