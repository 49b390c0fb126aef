//! Events from Mews as they happen: a webhook receiver kit and (with the `websocket` feature) a WebSocket
//! event stream, both generic over the message type they decode.
//!
//! The typed messages themselves (General and Integration webhooks, WebSocket events) are generated; this
//! module knows none of them, so any `serde::de::DeserializeOwned` type works, [`serde_json::Value`] included.

#[cfg(feature = "websocket")]
mod reconnect;
mod webhook;
#[cfg(feature = "websocket")]
mod websocket;

#[cfg(feature = "websocket")]
pub use reconnect::ReconnectPolicy;
pub use webhook::{SecretLocation, VerifiedBody, WebhookReceiver, WebhookRejection, WebhookSecret};
#[cfg(feature = "websocket")]
pub use websocket::{EventStream, EventStreamBuilder, EventStreamError, StreamEvent};
