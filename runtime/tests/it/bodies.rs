//! Response bodies: truncated and malformed JSON, HTML error pages, the size cap, and tolerance of
//! values and properties the client does not know.

use mews_connector_runtime::{Error, UnknownValue};

use super::ops::{AddThing, GetThing, Kind, builder, client};
use loopback::{Action, Server};

#[tokio::test]
async fn truncated_json_is_a_decode_error_and_not_retried() {
    let server = Server::start(|_, _| Action::ok(r#"{"Id":1,"Kind":"Ro"#)).await;
    let error = client(&server)
        .send(&GetThing { id: 1 })
        .await
        .expect_err("truncated");
    let Error::Decode {
        operation, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*operation, "things/get");
    assert!(message.contains("EOF"), "{message}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_path() {
    let server = Server::start(|_, _| Action::ok(r#"{"Id":"one","Kind":"Room"}"#)).await;
    let error = client(&server)
        .send(&GetThing { id: 1 })
        .await
        .expect_err("a string for a number");
    let Error::Decode { path, message, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path, "Id");
    assert!(message.contains("invalid type"), "{message}");
    assert!(error.to_string().contains("at `Id`"), "{error}");
    assert_eq!(server.request_count(), 1);

    let server = Server::start(|_, _| Action::ok("not json at all")).await;
    let error = client(&server)
        .send(&GetThing { id: 1 })
        .await
        .expect_err("not JSON");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn an_html_502_is_an_api_error_with_the_raw_body() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = Server::start(move |_, _| Action::Reply {
        status: 502,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: html.into(),
    })
    .await;
    let error = client(&server)
        .send(&AddThing {
            id: 1,
            names: vec![],
        })
        .await
        .expect_err("502");
    let Error::Api { error: api, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status, 502);
    assert_eq!(api.raw_body.as_deref(), Some(html));
    assert_eq!(api.message, None);
    assert_eq!(
        api.request_id.as_deref(),
        Some("req-0"),
        "from the Request-Id header"
    );
    assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
    assert_eq!(
        server.request_count(),
        1,
        "a write is not retried after a 502"
    );
}

#[tokio::test]
async fn a_declared_body_over_the_cap_is_refused_before_reading() {
    let big = format!(r#"{{"Id":1,"Pad":"{}"}}"#, "x".repeat(4096));
    let server = Server::start(move |_, _| Action::ok(big.clone())).await;
    let client = builder(&server)
        .max_body_bytes(1024)
        .build::<mews_connector_runtime::Client>()
        .expect("client");
    let error = client
        .send(&GetThing { id: 1 })
        .await
        .expect_err("over the cap");
    assert!(
        matches!(error, Error::BodyTooLarge { limit: 1024, .. }),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 1, "not retried");
}

#[tokio::test]
async fn a_streamed_body_over_the_cap_stops_being_read() {
    let total = 64 * 1024 * 1024;
    let server = Server::start(move |_, _| Action::Endless { total }).await;
    let client = builder(&server)
        .max_body_bytes(256 * 1024)
        .build::<mews_connector_runtime::Client>()
        .expect("client");
    let error = client
        .send(&GetThing { id: 1 })
        .await
        .expect_err("over the cap");
    assert!(
        matches!(error, Error::BodyTooLarge { limit: 262_144, .. }),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 1);
    // Give the server a moment to notice the closed connection, then check it got nowhere near the end.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        server.streamed() < total / 4,
        "the client read only about the cap, server wrote {}",
        server.streamed()
    );
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_properties_decode() {
    let server =
        Server::start(|_, _| Action::ok(r#"{"Id":3,"Kind":"Treehouse","AddedLater":{"X":[1,2]}}"#))
            .await;
    let response = client(&server)
        .send(&GetThing { id: 3 })
        .await
        .expect("decodes");
    assert_eq!(response.id, 3);
    assert_eq!(
        response.kind,
        Some(Kind::Unknown(UnknownValue::new("Treehouse")))
    );
    let server = Server::start(|_, _| Action::ok(r#"{"Id":4,"Kind":"Bed"}"#)).await;
    assert_eq!(
        client(&server)
            .send(&GetThing { id: 4 })
            .await
            .expect("decodes")
            .kind,
        Some(Kind::Bed)
    );
}
