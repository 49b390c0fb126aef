//! Dropping a call's future, mid-flight or while it waits for a rate-limit slot, leaks nothing and
//! leaves the client fully usable.

use std::time::{Duration, Instant};

use mews_connector_runtime::{Client, RateLimitUsage, RateLimits, RateWindow};

use super::ops::{GetThing, builder, id_of, thing};
use loopback::{Action, Server};

#[tokio::test]
async fn dropping_a_request_mid_flight_leaves_the_client_working() {
    let server = Server::start(|r, index| {
        if index == 0 {
            Action::Stall
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let client: Client = builder(&server).build().expect("client");
    let dropped =
        tokio::time::timeout(Duration::from_millis(200), client.send(&GetThing { id: 1 })).await;
    assert!(
        dropped.is_err(),
        "the stalled call was still running, and was dropped"
    );
    assert_eq!(server.request_count(), 1);
    let usage = client.rate_limit_usage().expect("limited");
    assert_eq!(usage.in_flight, 0, "the dropped call released its slot");
    assert_eq!(
        usage.in_window, 1,
        "and it still counts for the window, as it reached the server"
    );

    let response = client
        .send(&GetThing { id: 2 })
        .await
        .expect("the client still works");
    assert_eq!(response.id, 2);
    assert_eq!(server.request_count(), 2, "the dropped call was not resent");
}

#[tokio::test]
async fn dropping_a_request_waiting_for_a_slot_takes_no_slot() {
    let period = Duration::from_secs(1);
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    let limits = RateLimits::disabled().per_token(Some(RateWindow::new(1, period)));
    let client: Client = builder(&server)
        .rate_limits(limits)
        .build()
        .expect("client");
    client.send(&GetThing { id: 1 }).await.expect("first");
    let released = Instant::now();

    let waiting =
        tokio::time::timeout(Duration::from_millis(100), client.send(&GetThing { id: 2 })).await;
    assert!(
        waiting.is_err(),
        "the second call was waiting for the window, and was dropped"
    );
    assert_eq!(server.request_count(), 1, "it never reached the server");
    assert_eq!(
        client.rate_limit_usage(),
        Some(usage(1, 0)),
        "and holds no slot"
    );

    let response = client
        .send(&GetThing { id: 3 })
        .await
        .expect("the next call gets the freed slot");
    assert_eq!(response.id, 3);
    let waited = released.elapsed();
    assert!(waited >= period / 2, "waited for the window: {waited:?}");
    assert!(
        waited < period + Duration::from_secs(4),
        "and no longer than the window: {waited:?}"
    );
    assert_eq!(server.request_count(), 2);
    assert_eq!(client.rate_limit_usage().map(|u| u.in_flight), Some(0));
}

#[tokio::test]
async fn many_dropped_waiters_leak_nothing() {
    let period = Duration::from_millis(300);
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    let limits = RateLimits::disabled().per_token(Some(RateWindow::new(2, period)));
    let client: Client = builder(&server)
        .rate_limits(limits)
        .build()
        .expect("client");
    for round in 0..3u64 {
        let requests: Vec<_> = (0..10).map(|i| GetThing { id: round * 10 + i }).collect();
        let calls: Vec<_> = requests
            .iter()
            .map(|request| client.send(request))
            .collect();
        let all = futures_util::future::join_all(calls);
        // Two go through at once, the rest wait and are dropped with the joined future.
        let _ = tokio::time::timeout(Duration::from_millis(100), all).await;
    }
    tokio::time::sleep(period * 2).await;
    assert_eq!(
        client.rate_limit_usage(),
        Some(usage(0, 0)),
        "every slot expired, none leaked"
    );
    let sent = server.request_count();
    assert!(
        sent <= 6,
        "at most two per round reached the server, saw {sent}"
    );
    client
        .send(&GetThing { id: 99 })
        .await
        .expect("still works");
}

fn usage(in_window: usize, in_flight: usize) -> RateLimitUsage {
    let mut usage = RateLimitUsage::default();
    usage.in_window = in_window;
    usage.in_flight = in_flight;
    usage
}
