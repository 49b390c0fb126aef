//! Stalled servers: per-attempt and overall timeouts end the call with the real elapsed time.

use std::time::{Duration, Instant};

use mews_connector_runtime::{CallOptions, Error};

use super::ops::{AddThing, GetThing, builder, id_of, thing};
use loopback::{Action, Server};

/// Generous: the machine may be loaded, but a stall must never reach the server's own 10 s limit.
const UPPER: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_stalled_write_times_out_after_one_attempt() {
    let server = Server::start(|_, _| Action::Stall).await;
    let client = builder(&server)
        .request_timeout(Duration::from_millis(300))
        .build::<mews_connector_runtime::Client>()
        .expect("client");
    let started = Instant::now();
    let error = client
        .send(&AddThing {
            id: 1,
            names: vec![],
        })
        .await
        .expect_err("stalled");
    let Error::Timeout { operation, after } = error else {
        panic!("{error:?}")
    };
    assert_eq!(operation, "things/add");
    assert!(
        after >= Duration::from_millis(300) && after < UPPER,
        "after {after:?}"
    );
    assert!(started.elapsed() >= after);
    assert_eq!(
        server.request_count(),
        1,
        "a write is not resent after a timeout"
    );
}

#[tokio::test]
async fn a_stalled_read_is_retried_per_attempt_and_then_succeeds() {
    let server = Server::start(|r, index| {
        if index < 2 {
            Action::Stall
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let client = builder(&server)
        .request_timeout(Duration::from_millis(200))
        .build::<mews_connector_runtime::Client>()
        .expect("client");
    let started = Instant::now();
    let response = client
        .send(&GetThing { id: 8 })
        .await
        .expect("third attempt answers");
    assert_eq!(response.id, 8);
    assert_eq!(server.request_count(), 3);
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn the_overall_timeout_ends_a_call_whatever_the_attempt_timeout() {
    let server = Server::start(|_, _| Action::Stall).await;
    let client = builder(&server)
        .request_timeout(Duration::from_secs(30))
        .build::<mews_connector_runtime::Client>()
        .expect("client");
    let options = CallOptions::new().timeout(Duration::from_millis(400));
    let started = Instant::now();
    let error = client
        .send_with(&GetThing { id: 1 }, &options)
        .await
        .expect_err("stalled");
    let Error::Timeout { after, .. } = error else {
        panic!("{error:?}")
    };
    assert!(
        after >= Duration::from_millis(400) && after < UPPER,
        "after {after:?}"
    );
    assert!(started.elapsed() < UPPER);
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn the_overall_timeout_bounds_retries_of_a_read() {
    let server = Server::start(|_, _| Action::Stall).await;
    let client = builder(&server)
        .request_timeout(Duration::from_millis(250))
        .timeout(Duration::from_millis(600))
        .retry(super::ops::fast_retries().max_attempts(10))
        .build::<mews_connector_runtime::Client>()
        .expect("client");
    let error = client.send(&GetThing { id: 1 }).await.expect_err("stalled");
    let Error::Timeout { after, .. } = error else {
        panic!("{error:?}")
    };
    assert!(
        after >= Duration::from_millis(500) && after < UPPER,
        "after {after:?}"
    );
    let seen = server.request_count();
    assert!(
        (2..=3).contains(&seen),
        "two 250 ms attempts and part of a third fit in 600 ms, saw {seen}"
    );
}

#[tokio::test]
async fn the_overall_timeout_ends_a_wait_for_a_rate_limit_slot() {
    use mews_connector_runtime::{RateLimits, RateWindow};
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    let limits =
        RateLimits::disabled().per_token(Some(RateWindow::new(1, Duration::from_secs(60))));
    let client = builder(&server)
        .rate_limits(limits)
        .build::<mews_connector_runtime::Client>()
        .expect("client");
    client.send(&GetThing { id: 1 }).await.expect("first call");
    let options = CallOptions::new().timeout(Duration::from_millis(300));
    let error = client
        .send_with(&GetThing { id: 2 }, &options)
        .await
        .expect_err("no slot within the timeout");
    let Error::Timeout { after, .. } = error else {
        panic!("{error:?}")
    };
    assert!(
        after >= Duration::from_millis(300) && after < UPPER,
        "after {after:?}"
    );
    assert_eq!(server.request_count(), 1, "the second call was never sent");
}
