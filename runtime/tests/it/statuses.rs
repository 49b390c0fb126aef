//! Error statuses: which are retried (429 always, 5xx for reads), after how long, and which never are.

use std::time::{Duration, Instant, SystemTime};

use mews_connector_runtime::{CallOptions, Error, RetryPolicy};

use super::ops::{AddThing, GetThing, client, id_of, thing, unlimited};
use loopback::{Action, Server};

fn add() -> AddThing {
    AddThing {
        id: 9,
        names: vec![],
    }
}

const ERROR_BODY: &str = r#"{"Message":"Something broke.","RequestId":"body-id","Details":null}"#;

#[tokio::test]
async fn a_500_then_200_is_retried_for_a_read() {
    let server = Server::start(|r, index| {
        if index == 0 {
            Action::json(500, ERROR_BODY)
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let response = client(&server)
        .send(&GetThing { id: 1 })
        .await
        .expect("retried");
    assert_eq!(response.id, 1);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_500_on_a_write_is_not_retried() {
    let server = Server::start(|r, index| {
        if index == 0 {
            Action::json(500, ERROR_BODY)
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let error = client(&server)
        .send(&add())
        .await
        .expect_err("a write is not retried after a 500");
    assert!(
        matches!(
            error,
            Error::Api {
                operation: "things/add",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(500));
    assert_eq!(error.request_id(), Some("body-id"));
    assert_eq!(
        error.api_error().and_then(|e| e.message.as_deref()),
        Some("Something broke.")
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn persistent_5xx_on_a_read_stops_at_the_maximum_attempts() {
    let server = Server::start(|_, _| Action::json(503, ERROR_BODY)).await;
    let error = client(&server)
        .send(&GetThing { id: 1 })
        .await
        .expect_err("always 503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.request_count(), 3);
    // 501 means "never going to work": not retried.
    let server = Server::start(|_, _| Action::json(501, ERROR_BODY)).await;
    client(&server)
        .send(&GetThing { id: 1 })
        .await
        .expect_err("501");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_429_with_retry_after_in_seconds_is_retried_after_the_delay_even_for_a_write() {
    let server = Server::start(|r, index| {
        if index == 0 {
            Action::json(429, ERROR_BODY).header("Retry-After", "1")
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let started = Instant::now();
    let response = client(&server)
        .send(&add())
        .await
        .expect("retried after Retry-After");
    let elapsed = started.elapsed();
    assert_eq!(response.id, 9);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_secs(1), "retried after {gap:?}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[tokio::test]
async fn a_429_with_an_http_date_is_retried_after_that_date() {
    let server = Server::start(|r, index| {
        if index == 0 {
            let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
            Action::json(429, ERROR_BODY).header("Retry-After", &when)
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let response = client(&server)
        .send(&GetThing { id: 2 })
        .await
        .expect("retried after the date");
    assert_eq!(response.id, 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // HTTP dates have whole seconds: "now + 2 s" is between 1 and 2 s away.
    let gap = requests[1].at - requests[0].at;
    assert!(
        gap >= Duration::from_secs(1) && gap < Duration::from_secs(5),
        "retried after {gap:?}"
    );
}

#[tokio::test]
async fn a_429_asking_for_more_than_the_cap_fails_at_once() {
    let server =
        Server::start(|_, _| Action::json(429, ERROR_BODY).header("Retry-After", "3600")).await;
    let started = Instant::now();
    let error = client(&server)
        .send(&GetThing { id: 1 })
        .await
        .expect_err("an hour is beyond the cap");
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(
        error.api_error().and_then(|e| e.retry_after),
        Some(Duration::from_secs(3600))
    );
    assert_eq!(server.request_count(), 1);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_until_the_attempts_run_out() {
    let server = Server::start(|_, _| Action::json(429, ERROR_BODY)).await;
    let error = unlimited(&server)
        .send(&add())
        .await
        .expect_err("always 429");
    assert!(
        matches!(
            error,
            Error::RateLimited {
                operation: "things/add",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_408_is_request_too_heavy_and_never_retried() {
    let server = Server::start(|_, _| Action::json(408, ERROR_BODY)).await;
    let error = client(&server)
        .send(&GetThing { id: 1 })
        .await
        .expect_err("408");
    assert!(
        matches!(
            error,
            Error::RequestTooHeavy {
                operation: "things/get",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("split it into smaller batches"),
        "{error}"
    );
    assert_eq!(server.request_count(), 1, "not retried, even for a read");
}

#[tokio::test]
async fn a_409_is_a_conflict_and_never_retried() {
    let server = Server::start(|_, _| Action::json(409, ERROR_BODY)).await;
    let error = client(&server).send(&add()).await.expect_err("409");
    assert!(
        matches!(
            error,
            Error::Conflict {
                operation: "things/add",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn other_4xx_are_api_errors_and_never_retried() {
    for status in [400u16, 401, 403, 404, 413] {
        let server = Server::start(move |_, _| Action::json(status, ERROR_BODY)).await;
        let error = client(&server)
            .send(&GetThing { id: 1 })
            .await
            .expect_err("4xx");
        assert!(matches!(error, Error::Api { .. }), "{error:?}");
        assert_eq!(error.status(), Some(status));
        assert_eq!(server.request_count(), 1, "status {status}");
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = Server::start(|_, _| Action::json(302, "").header("Location", "/elsewhere")).await;
    let error = client(&server)
        .send(&add())
        .await
        .expect_err("a redirect is an error");
    assert_eq!(error.status(), Some(302));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_per_call_policy_replaces_the_clients() {
    let server = Server::start(|_, _| Action::json(500, ERROR_BODY)).await;
    let options = CallOptions::new().retry(RetryPolicy::never());
    client(&server)
        .send_with(&GetThing { id: 1 }, &options)
        .await
        .expect_err("500");
    assert_eq!(server.request_count(), 1, "never retried");
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_after_the_delay_for_a_read() {
    let server = Server::start(|r, index| {
        if index == 0 {
            Action::json(503, ERROR_BODY).header("Retry-After", "1")
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    assert_eq!(
        client(&server)
            .send(&GetThing { id: 6 })
            .await
            .expect("retried")
            .id,
        6
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].at - requests[0].at >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_429_holds_back_the_clients_other_requests_until_retry_after() {
    let server = Server::start(|r, index| {
        if index == 0 {
            Action::json(429, ERROR_BODY).header("Retry-After", "1")
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let client = client(&server);
    let once = CallOptions::new().retry(RetryPolicy::never());
    let error = client
        .send_with(&GetThing { id: 1 }, &once)
        .await
        .expect_err("429, not retried");
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    // Another call (on another endpoint) waits until the server accepts requests again.
    assert_eq!(client.send(&add()).await.expect("after the pause").id, 9);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_secs(1), "sent {gap:?} after the 429");
}
