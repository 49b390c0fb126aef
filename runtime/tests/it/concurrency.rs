//! Many tasks through one client: every response matches its request, and the rate limiter keeps the
//! server's view within the configured window.

use std::time::Duration;

use mews_connector_runtime::{Client, RateLimits, RateWindow};

use super::ops::{GetThing, builder, id_of, thing};
use loopback::{Action, Server};

const TASKS: u64 = 200;
const LIMIT: usize = 50;
const PERIOD: Duration = Duration::from_millis(300);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_tasks_share_one_client_within_the_limit() {
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    let limits = RateLimits::disabled().per_token(Some(RateWindow::new(LIMIT as u32, PERIOD)));
    let client: Client = builder(&server)
        .rate_limits(limits)
        .build()
        .expect("client");
    let tasks: Vec<_> = (0..TASKS)
        .map(|id| {
            let client = client.clone();
            tokio::spawn(async move { (id, client.send(&GetThing { id }).await) })
        })
        .collect();
    for task in tasks {
        let (id, result) = task.await.expect("task");
        let response = result.unwrap_or_else(|e| panic!("request {id}: {e}"));
        assert_eq!(response.id, id, "each response belongs to its request");
    }
    let mut arrivals: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    assert_eq!(
        arrivals.len(),
        TASKS as usize,
        "one request per task, none retried"
    );
    arrivals.sort();
    // The client counts a request from when it is sent until a period after its response, so the
    // server never sees more than LIMIT requests within any PERIOD, whatever the latency.
    for (first, later) in arrivals.iter().zip(arrivals.iter().skip(LIMIT)) {
        assert!(
            *later - *first >= PERIOD,
            "{} requests within {:?}",
            LIMIT + 1,
            *later - *first
        );
    }
    let usage = client.rate_limit_usage().expect("limited");
    assert_eq!(usage.in_flight, 0, "every slot was released");
}

#[tokio::test]
async fn paginated_requests_get_the_factor() {
    use super::ops::{Limitation, ListThings};
    let server = Server::start(|_, _| Action::ok(r#"{"Things":[],"Cursor":null}"#)).await;
    // One plain request per period, but ten paginated ones.
    let limits = RateLimits::disabled()
        .per_token(Some(RateWindow::new(1, Duration::from_secs(30))))
        .paginated_factor(10);
    let client: Client = builder(&server)
        .rate_limits(limits)
        .build()
        .expect("client");
    let list = ListThings {
        limitation: Limitation {
            count: 10,
            cursor: None,
        },
    };
    let started = std::time::Instant::now();
    for _ in 0..10 {
        client
            .send(&list)
            .await
            .expect("within the paginated allowance");
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "ten paginated requests went without waiting"
    );
    let blocked = tokio::time::timeout(Duration::from_millis(200), client.send(&list)).await;
    assert!(blocked.is_err(), "the eleventh waits for the window");
    assert_eq!(server.request_count(), 10);
}
