//! The WebSocket event stream against a tokio-tungstenite server on 127.0.0.1: the exact Cookie header,
//! the documented message (`events/websockets.md`, copied here), a dropped connection reported as a
//! reconnection, a message that is not JSON as an error item, pings, and the close when the stream is dropped.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
// tungstenite's handshake callback returns its large `ErrorResponse`.
#![allow(clippy::result_large_err)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use mews_connector_runtime::Environment;
use mews_connector_runtime::events::{EventStream, EventStreamError, ReconnectPolicy, StreamEvent};
use serde::Deserialize;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};

/// The tokens of the documented Cookie header (`events/websockets.md`).
const CLIENT_TOKEN: &str = "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D";
const ACCESS_TOKEN: &str = "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D";
/// The documented header value, byte for byte.
const COOKIE: &[u8] = b"ClientToken=E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D; AccessToken=C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D";

/// The message body example of `events/websockets.md`.
const MESSAGE: &str = r#"{
    "Events": [
        { "Type": "DeviceCommand", "Id": "2391a3df-1c61-4131-b6f8-c85b4234adcb", "State": "Pending" },
        { "Type": "Reservation", "Id": "bfee2c44-1f84-4326-a862-5289598f6e2d", "State": "Processed",
          "StartUtc": "2016-02-20T13:00:00Z", "EndUtc": "2016-02-22T11:00:00Z" },
        { "Type": "Resource", "Id": "5ee074b1-6c86-48e8-915f-c7aa4702086f", "State": "Dirty" },
        { "Type": "PriceUpdate", "Id": "bd75f159-f22a-4685-abdb-aac0008e2af3", "StartUtc": "2019-09-07T22:00:00Z",
          "EndUtc": "2019-09-07T22:00:00Z", "RateId": "9c6c0556-42bb-409a-86ca-6ca430773b99", "ResourceCategoryId": null }
    ]
}"#;

/// A stand-in for the generated WebSocket event: its `Type` and `Id`.
#[derive(Debug, Deserialize, PartialEq)]
struct Event {
    #[serde(rename = "Type")]
    kind: String,
    #[serde(rename = "Id")]
    id: String,
}

/// Bounds every test: a hang fails instead of blocking the suite (no assertion on speed).
const BOUND: Duration = Duration::from_secs(30);

/// Accepts one WebSocket connection, sending each request's Cookie header to `cookies` and refusing with
/// 401 any that is not [`COOKIE`].
async fn accept(
    listener: &TcpListener,
    cookies: &mpsc::UnboundedSender<Vec<u8>>,
) -> Option<tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>> {
    let (tcp, _) = listener.accept().await.ok()?;
    let cookies = cookies.clone();
    let check = move |request: &Request, response: Response| -> Result<Response, ErrorResponse> {
        let cookie = request
            .headers()
            .get("cookie")
            .map(|v| v.as_bytes().to_vec())
            .unwrap_or_default();
        let ok = cookie == COOKIE;
        let _ = cookies.send(cookie);
        if ok {
            Ok(response)
        } else {
            let mut refusal = ErrorResponse::new(Some("Unauthorized".into()));
            *refusal.status_mut() = tokio_tungstenite::tungstenite::http::StatusCode::UNAUTHORIZED;
            Err(refusal)
        }
    };
    tokio_tungstenite::accept_hdr_async(tcp, check).await.ok()
}

fn environment(listener: &TcpListener) -> Environment {
    Environment::Custom(format!("http://{}", listener.local_addr().unwrap()))
}

fn quick_reconnects() -> ReconnectPolicy {
    ReconnectPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(100))
        .max_attempts(5)
}

#[tokio::test]
async fn events_arrive_across_a_dropped_connection_and_a_bad_message() {
    tokio::time::timeout(BOUND, async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let env = environment(&listener);
        let (cookies, mut seen_cookies) = mpsc::unbounded_channel();
        let (done, mut server_saw) = mpsc::unbounded_channel::<Vec<Message>>();
        let server = tokio::spawn(async move {
            // 1: the documented message, then the connection drops without a close frame.
            let mut first = accept(&listener, &cookies).await.unwrap();
            first.send(Message::text(MESSAGE)).await.unwrap();
            drop(first);
            // 2: a frame that is not JSON, a ping, then a good message; then read until the client closes.
            let mut second = accept(&listener, &cookies).await.unwrap();
            second.send(Message::text("this is not JSON")).await.unwrap();
            second.send(Message::Ping(b"hi"[..].into())).await.unwrap();
            second
                .send(Message::text(r#"{"Events":[{"Type":"Resource","Id":"later","State":"Clean"}]}"#))
                .await
                .unwrap();
            let mut frames = Vec::new();
            while let Some(Ok(frame)) = second.next().await {
                let close = matches!(frame, Message::Close(_));
                frames.push(frame);
                if close {
                    break;
                }
            }
            let _ = done.send(frames);
        });

        let mut stream = EventStream::builder(&env, CLIENT_TOKEN, ACCESS_TOKEN)
            .reconnect(quick_reconnects())
            .connect::<Event>()
            .await
            .unwrap();
        let mut items = Vec::new();
        for _ in 0..7 {
            items.push(stream.next().await.expect("an item"));
        }
        let kinds: Vec<_> = items[..4]
            .iter()
            .map(|item| match item {
                Ok(StreamEvent::Event(event)) => event.kind.as_str(),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(kinds, ["DeviceCommand", "Reservation", "Resource", "PriceUpdate"]);
        assert!(matches!(&items[0], Ok(StreamEvent::Event(e)) if e.id == "2391a3df-1c61-4131-b6f8-c85b4234adcb"));
        match &items[4] {
            Ok(StreamEvent::Reconnected { attempts, .. }) => assert!(*attempts >= 1),
            other => panic!("unexpected {other:?}"),
        }
        match &items[5] {
            Err(error @ EventStreamError::Decode { path, .. }) => {
                assert_eq!(path, ".");
                assert!(!error.is_fatal());
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(&items[6], Ok(StreamEvent::Event(e)) if e.id == "later"));

        // Both handshakes carried the documented header byte for byte.
        assert_eq!(seen_cookies.recv().await.unwrap(), COOKIE);
        assert_eq!(seen_cookies.recv().await.unwrap(), COOKIE);

        // Dropping the stream closes the connection with a close frame; the ping was answered before.
        drop(stream);
        let frames = server_saw.recv().await.unwrap();
        assert!(frames.contains(&Message::Pong(b"hi"[..].into())), "{frames:?}");
        assert!(matches!(frames.last(), Some(Message::Close(_))), "{frames:?}");
        server.await.unwrap();
    })
    .await
    .expect("the test finished within its bound");
}

#[tokio::test]
async fn wrong_tokens_are_refused_at_connect_and_never_printed() {
    tokio::time::timeout(BOUND, async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let env = environment(&listener);
        let (cookies, mut seen) = mpsc::unbounded_channel();
        let server = tokio::spawn(async move { accept(&listener, &cookies).await.is_none() });
        let builder = EventStream::builder(&env, "Wrong-Client-Token", "Wrong-Access-Token");
        let error = builder.connect::<Event>().await.unwrap_err();
        assert!(
            matches!(error, EventStreamError::Rejected { status: 401 }),
            "{error:?}"
        );
        assert!(error.is_fatal());
        assert_eq!(
            seen.recv().await.unwrap(),
            b"ClientToken=Wrong-Client-Token; AccessToken=Wrong-Access-Token"
        );
        assert!(server.await.unwrap());
        for text in [format!("{error:?}"), error.to_string()] {
            assert!(!text.contains("Wrong-"), "{text}");
        }
    })
    .await
    .expect("the test finished within its bound");
}

#[tokio::test]
async fn the_stream_gives_up_after_its_attempts_and_ends() {
    tokio::time::timeout(BOUND, async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let env = environment(&listener);
        let (cookies, _seen) = mpsc::unbounded_channel();
        let server = tokio::spawn(async move {
            let socket = accept(&listener, &cookies).await.unwrap();
            // The listener goes too: every reconnection is refused.
            drop(listener);
            drop(socket);
        });
        let mut stream = EventStream::builder(&env, CLIENT_TOKEN, ACCESS_TOKEN)
            .reconnect(quick_reconnects().max_attempts(2))
            .connect::<serde_json::Value>()
            .await
            .unwrap();
        server.await.unwrap();
        match stream.next().await {
            Some(Err(error @ EventStreamError::GaveUp { attempts: 2, .. })) => {
                assert!(error.is_fatal());
                assert!(!error.to_string().contains(ACCESS_TOKEN));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(stream.next().await.is_none());
    })
    .await
    .expect("the test finished within its bound");
}

#[tokio::test]
async fn close_waits_for_the_close_frame() {
    tokio::time::timeout(BOUND, async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let env = environment(&listener);
        let (cookies, _seen) = mpsc::unbounded_channel();
        let server = tokio::spawn(async move {
            let mut socket = accept(&listener, &cookies).await.unwrap();
            socket
                .send(Message::text(r#"{"Events":[1, {"Any": "shape"}]}"#))
                .await
                .unwrap();
            let mut last = None;
            while let Some(Ok(frame)) = socket.next().await {
                last = Some(frame);
            }
            last
        });
        let mut stream = EventStream::builder(&env, CLIENT_TOKEN, ACCESS_TOKEN)
            .connect::<serde_json::Value>()
            .await
            .unwrap();
        assert!(stream.endpoint().ends_with("/ws/connector"));
        // Any event shape is kept as it came with `serde_json::Value`.
        assert!(matches!(stream.next().await, Some(Ok(StreamEvent::Event(v))) if v == 1));
        assert!(
            matches!(stream.next().await, Some(Ok(StreamEvent::Event(v))) if v["Any"] == "shape")
        );
        stream.close().await;
        assert!(matches!(server.await.unwrap(), Some(Message::Close(_))));
    })
    .await
    .expect("the test finished within its bound");
}

#[tokio::test]
async fn a_server_close_and_a_silent_server_both_lead_to_a_reconnection() {
    tokio::time::timeout(BOUND, async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let env = environment(&listener);
        let (cookies, _seen) = mpsc::unbounded_channel();
        let (done, mut server_saw) = mpsc::unbounded_channel::<Option<Message>>();
        let server = tokio::spawn(async move {
            // 1: the server closes; the client answers the close.
            let mut first = accept(&listener, &cookies).await.unwrap();
            first.close(None).await.unwrap();
            let _ = done.send(first.next().await.and_then(Result::ok));
            // 2: silent: never reads, so never answers the client's pings (the client gives up on it after two
            // ping intervals; the interval is generous so that a busy machine does not make 3 look silent too).
            let silent = accept(&listener, &cookies).await.unwrap();
            // 3: an event.
            let mut third = accept(&listener, &cookies).await.unwrap();
            drop(silent);
            third
                .send(Message::text(
                    r#"{"Events":[{"Type":"Resource","Id":"r3"}]}"#,
                ))
                .await
                .unwrap();
            while let Some(Ok(_)) = third.next().await {}
        });
        let mut stream = EventStream::builder(&env, CLIENT_TOKEN, ACCESS_TOKEN)
            .reconnect(quick_reconnects())
            .ping_interval(Duration::from_millis(250))
            .connect::<Event>()
            .await
            .unwrap();
        for _ in 0..2 {
            assert!(matches!(
                stream.next().await,
                Some(Ok(StreamEvent::Reconnected { .. }))
            ));
        }
        assert!(matches!(stream.next().await, Some(Ok(StreamEvent::Event(e))) if e.id == "r3"));
        assert!(matches!(
            server_saw.recv().await,
            Some(Some(Message::Close(_)))
        ));
        stream.close().await;
        server.await.unwrap();
    })
    .await
    .expect("the test finished within its bound");
}
