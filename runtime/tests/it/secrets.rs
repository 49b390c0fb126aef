//! Tokens never show: not in `Debug` of any type that holds them, not in errors (even when the server
//! echoes them back), not in any `tracing` output at `TRACE` level. Spans carry the operation, the
//! attempt, the status and the `RequestId`.

use std::time::Duration;

use futures_util::TryStreamExt;
use mews_connector_runtime::{
    AccessToken, CallOptions, Client, ClientBuilder, ClientToken, Environment, Error,
};

use super::ops::{AddThing, GetThing, Limitation, ListThings, fast_retries, id_of, thing};
use loopback::{Action, Server};

const CLIENT_TOKEN: &str = "client-secret-7f3a9c";
const ACCESS_TOKEN: &str = "access-secret-41d2e8";

fn secret_builder(server: &Server) -> ClientBuilder {
    super::ops::trace_output();
    ClientBuilder::new(
        Environment::Custom(server.base_url.clone()),
        CLIENT_TOKEN,
        ACCESS_TOKEN,
        "Secret Tests 1.0",
    )
    .retry(fast_retries())
    .request_timeout(Duration::from_millis(300))
    .language("en-US", "en-US")
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains(CLIENT_TOKEN),
        "{what} shows the ClientToken: {text}"
    );
    assert!(
        !text.contains(ACCESS_TOKEN),
        "{what} shows the AccessToken: {text}"
    );
}

/// A server that exercises every path: success, 500 then success, a 429, a 400 that echoes the
/// access token in its message, a stall, a reset, a malformed body and pages.
async fn noisy_server() -> Server {
    Server::start(|request, _| {
        let id = id_of(request);
        match id {
            1 => Action::ok(thing(1)),
            2 => Action::json(500, r#"{"Message":"Oops.","RequestId":"rid-2"}"#),
            3 => Action::json(429, "{}").header("Retry-After", "0"),
            4 => Action::json(
                400,
                format!(r#"{{"Message":"Invalid AccessToken {ACCESS_TOKEN}.","Details":{{"{CLIENT_TOKEN}":"{ACCESS_TOKEN}"}}}}"#),
            ),
            5 => Action::Stall,
            6 => Action::ResetAfterRead,
            7 => Action::ok(format!(r#"{{"Id":"{ACCESS_TOKEN}"}}"#)),
            8 => Action::Reply { status: 502, headers: vec![], body: format!("<p>{CLIENT_TOKEN}</p>").into() },
            _ if request.json().get("Limitation").is_some() => {
                Action::ok(r#"{"Things":[{"Id":1},{"Id":2}],"Cursor":"c"}"#)
            }
            _ => Action::ok(thing(id)),
        }
    })
    .await
}

#[tokio::test]
async fn tokens_never_appear_in_debug_errors_or_trace_output() {
    let traces = super::ops::trace_output();
    let server = noisy_server().await;
    let client: Client = secret_builder(&server).build().expect("client");
    let mut texts = vec![
        (
            "ClientToken",
            format!("{:?}", ClientToken::new(CLIENT_TOKEN)),
        ),
        (
            "AccessToken",
            format!("{:?}", AccessToken::new(ACCESS_TOKEN)),
        ),
        ("ClientBuilder", format!("{:?}", secret_builder(&server))),
        ("Client", format!("{client:?}")),
        ("Client (alternate)", format!("{client:#?}")),
    ];
    let mut errors: Vec<Error> = Vec::new();
    for id in [1, 2, 3, 4, 5, 6, 7, 8] {
        match client.send(&GetThing { id }).await {
            Ok(thing) => assert_eq!(thing.id, id),
            Err(error) => errors.push(error),
        }
    }
    for id in [4, 6, 8] {
        let write = AddThing { id, names: vec![] };
        errors.push(client.send(&write).await.expect_err("fails"));
    }
    let invalid = AddThing {
        id: 1,
        names: vec![ACCESS_TOKEN.into(); 4],
    };
    errors.push(client.send(&invalid).await.expect_err("breaks contracts"));
    let unvalidated = client
        .send_with(&invalid, &CallOptions::new().skip_validation())
        .await;
    assert!(unvalidated.is_ok());
    let list = ListThings {
        limitation: Limitation {
            count: 2,
            cursor: None,
        },
    };
    let pages: Vec<_> = client.pages(list).try_collect().await.expect("pages");
    assert_eq!(pages.len(), 2, "the repeated cursor ends the stream");

    // 2 (500 x3), 3 (429 x3), 4 (400), 5 (stall x3), 6 (reset x3), 7 (decode), 8 (502 x3); three
    // writes; one validation error.
    assert_eq!(errors.len(), 11, "{errors:#?}");
    for error in &errors {
        texts.push(("error Display", error.to_string()));
        texts.push(("error Debug", format!("{error:?}")));
    }
    let echoed = errors
        .iter()
        .find(|e| e.status() == Some(400))
        .expect("the echoing 400");
    assert!(
        echoed
            .to_string()
            .contains("Invalid AccessToken <redacted>."),
        "{echoed}"
    );
    for (what, text) in &texts {
        assert_clean(what, text);
    }

    // Everything this test binary traced so far, this test's calls included.
    let output = traces.text();
    assert_clean("tracing output", &output);
    for token in [super::ops::CLIENT_TOKEN, super::ops::ACCESS_TOKEN] {
        assert!(
            !output.contains(token),
            "the other tests' tokens are not traced either"
        );
    }
    // The output is real: spans carry the operation, attempts, statuses and request ids, and the
    // traced request bodies show the token fields redacted.
    for needle in [
        "mews_connector.call",
        "operation=\"things/get\"",
        "operation=\"things/add\"",
        "attempt=3",
        "status=500",
        "request_id=\"rid-2\"",
        "retrying",
        "\"AccessToken\":\"<redacted>\"",
        "\"ClientToken\":\"<redacted>\"",
        "response body",
    ] {
        assert!(
            output.contains(needle),
            "no `{needle}` in the trace output:\n{output}"
        );
    }
    // Every request did carry the real tokens.
    let requests = server.requests();
    assert!(requests.iter().all(
        |r| r.json()["AccessToken"] == ACCESS_TOKEN && r.json()["ClientToken"] == CLIENT_TOKEN
    ));
}
