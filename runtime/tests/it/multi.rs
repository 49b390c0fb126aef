//! Many access tokens through one client: a rate limiter per token (one token's 429 holds back only that
//! token), token rotation under load, a user-supplied `reqwest::Client`, hooks once per attempt, and tokens
//! redacted with hooks installed. Asserted by counts and by the order the server saw requests in.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mews_connector_runtime::{
    AccessToken, AttemptRequest, AttemptResponse, Client, ClientBuilder, ClientPool, Environment,
    Error, Hook, RateLimits, RateWindow, reqwest,
};

use super::ops::{CLIENT_TOKEN, GetThing, fast_retries, id_of, thing, trace_output};
use loopback::{Action, Request, Server};

fn pool_builder(server: &Server) -> ClientBuilder {
    trace_output();
    Client::multi_property(
        Environment::Custom(server.base_url.clone()),
        CLIENT_TOKEN,
        "Multi Tests 1.0",
    )
    .retry(fast_retries())
    .connect_timeout(Duration::from_secs(2))
    .request_timeout(Duration::from_secs(5))
    .timeout(Duration::from_secs(10))
}

fn token_of(request: &Request) -> String {
    request.json()["AccessToken"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Waits (bounded) until the server has read `n` requests.
async fn until_requests(server: &Server, n: usize) {
    for _ in 0..1_000 {
        if server.request_count() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!(
        "the server saw {} requests, not {n}",
        server.request_count()
    );
}

#[tokio::test]
async fn a_multi_property_builder_builds_a_pool_not_a_client() {
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    let built = pool_builder(&server).build::<Client>();
    assert!(matches!(built, Err(Error::Config(_))), "{built:?}");
    let pool: ClientPool = pool_builder(&server).build_pool().expect("pool");
    let a = pool.for_enterprise("AT-a");
    let b = pool.for_enterprise_labelled("AT-b", "Hotel B");
    assert_eq!(a.send(&GetThing { id: 1 }).await.expect("a").id, 1);
    assert_eq!(b.send(&GetThing { id: 2 }).await.expect("b").id, 2);
    assert_eq!(b.label(), Some("Hotel B"));
    let tokens: Vec<_> = server.requests().iter().map(token_of).collect();
    assert_eq!(tokens, ["AT-a", "AT-b"]);
    assert_eq!(
        server.connections(),
        1,
        "one pool: the connection is reused"
    );
    // A single-token client can make handles for other tokens through its own pool.
    let single: Client = super::ops::builder(&server).build().expect("client");
    let other = single.for_enterprise("AT-c");
    other.send(&GetThing { id: 3 }).await.expect("c");
    assert_eq!(token_of(&server.requests()[2]), "AT-c");
}

#[tokio::test]
async fn each_access_token_has_its_own_window() {
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    // Two requests per token per hour: a shared window would make the third call wait an hour.
    let limits =
        RateLimits::disabled().per_token(Some(RateWindow::new(2, Duration::from_secs(3600))));
    let pool: ClientPool = pool_builder(&server)
        .rate_limits(limits)
        .build_pool()
        .expect("pool");
    let a = pool.for_enterprise("AT-a");
    let b = pool.for_enterprise("AT-b");
    for id in 0..2 {
        a.send(&GetThing { id }).await.expect("a");
    }
    for id in 0..2 {
        b.send(&GetThing { id })
            .await
            .expect("b within its own window");
    }
    let usage = |client: &Client| client.rate_limit_usage().expect("limited").in_window;
    assert_eq!(usage(&a), 2);
    assert_eq!(usage(&b), 2);
    // Another handle of the same token shares its limiter, even after the first handles are gone.
    drop(a);
    assert_eq!(usage(&pool.for_enterprise("AT-a")), 2);
    assert_eq!(usage(&pool.for_enterprise("AT-c")), 0);
    assert_eq!(server.request_count(), 4);
}

#[tokio::test]
async fn one_tokens_retry_after_holds_back_that_token_only() {
    let a_requests = Arc::new(AtomicUsize::new(0));
    let server = {
        let a_requests = a_requests.clone();
        Server::start(move |r, _| {
            if token_of(r) == "AT-a" && a_requests.fetch_add(1, Ordering::SeqCst) == 0 {
                Action::json(429, r#"{"Message":"Too many"}"#).header("Retry-After", "2")
            } else {
                Action::ok(thing(id_of(r)))
            }
        })
        .await
    };
    let pool: ClientPool = pool_builder(&server).build_pool().expect("pool");
    let a = pool.for_enterprise("AT-a");
    let b = pool.for_enterprise("AT-b");
    let held = tokio::spawn(async move { a.send(&GetThing { id: 100 }).await });
    until_requests(&server, 1).await;
    for id in 0..10 {
        b.send(&GetThing { id }).await.expect("b is not held back");
    }
    assert_eq!(held.await.expect("task").expect("a after its wait").id, 100);
    let order: Vec<_> = server
        .requests()
        .iter()
        .map(|r| (token_of(r), id_of(r)))
        .collect();
    assert_eq!(order.len(), 12, "{order:?}");
    assert_eq!(order[0], ("AT-a".to_string(), 100), "a's 429 first");
    assert!(
        order[1..11].iter().all(|(token, _)| token == "AT-b"),
        "all of b's calls came while a waited out its Retry-After: {order:?}"
    );
    assert_eq!(order[11], ("AT-a".to_string(), 100), "a's retry last");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_under_load_switches_new_calls_and_lets_calls_in_flight_finish() {
    const TASKS: u64 = 8;
    const CALLS: u64 = 25;
    // The first request of call 999 fails with a 503 asking for a retry in 1 s: the token is rotated
    // in between, and the retry must still carry the old token.
    let seen_999 = Arc::new(AtomicUsize::new(0));
    let server = {
        let seen_999 = seen_999.clone();
        Server::start(move |r, _| {
            if id_of(r) == 999 && seen_999.fetch_add(1, Ordering::SeqCst) == 0 {
                Action::json(503, "{}").header("Retry-After", "2")
            } else {
                Action::ok(thing(id_of(r)))
            }
        })
        .await
    };
    let pool: ClientPool = pool_builder(&server)
        .no_rate_limit()
        .build_pool()
        .expect("pool");
    let hotel = pool.for_enterprise("AT-old");
    let in_flight = {
        let hotel = hotel.clone();
        tokio::spawn(async move { hotel.send(&GetThing { id: 999 }).await })
    };
    until_requests(&server, 1).await;
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let hotel = hotel.clone();
            tokio::spawn(async move {
                for call in 0..CALLS {
                    let id = task * 1_000_000 + call;
                    assert_eq!(hotel.send(&GetThing { id }).await.expect("call").id, id);
                }
            })
        })
        .collect();
    // Rotate mid-run, through a clone: every clone of the handle follows.
    until_requests(&server, 1 + (TASKS * CALLS / 2) as usize).await;
    hotel.clone().rotate_access_token("AT-new");
    for task in tasks {
        task.await.expect("task");
    }
    assert_eq!(in_flight.await.expect("task").expect("retried").id, 999);
    hotel
        .send(&GetThing { id: 7_777_777 })
        .await
        .expect("after");

    let requests = server.requests();
    let tokens_of = |id: u64| -> Vec<String> {
        requests
            .iter()
            .filter(|r| id_of(r) == id)
            .map(token_of)
            .collect()
    };
    assert_eq!(
        tokens_of(999),
        ["AT-old", "AT-old"],
        "the call in flight kept its token"
    );
    assert_eq!(tokens_of(7_777_777), ["AT-new"]);
    let mut new = 0;
    for task in 0..TASKS {
        // Each task's calls are sequential: once one used the new token, all later ones did.
        let tokens: Vec<String> = requests
            .iter()
            .filter(|r| (task * 1_000_000..task * 1_000_000 + CALLS).contains(&id_of(r)))
            .map(token_of)
            .collect();
        assert_eq!(tokens.len(), CALLS as usize);
        let switched = tokens
            .iter()
            .position(|t| t == "AT-new")
            .unwrap_or(tokens.len());
        assert!(
            tokens[..switched].iter().all(|t| t == "AT-old"),
            "{tokens:?}"
        );
        assert!(
            tokens[switched..].iter().all(|t| t == "AT-new"),
            "{tokens:?}"
        );
        new += tokens.len() - switched;
    }
    assert!(new > 0, "some calls ran after the rotation");
    assert!(
        !format!("{hotel:?}").contains("AT-new") && !format!("{hotel:?}").contains("AT-old"),
        "{hotel:?}"
    );
}

#[tokio::test]
async fn a_user_supplied_reqwest_client_is_the_transport() {
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-proxy-tenant", "tenant-7".parse().expect("value"));
    // The client's own transport settings (TLS, timeouts, no redirects) as a start; any reqwest client will do.
    let http = ClientBuilder::default_http_client()
        .expect("transport")
        .user_agent("partner-integration/3.1")
        .default_headers(defaults)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let pool: ClientPool = pool_builder(&server)
        .http_client(http)
        .build_pool()
        .expect("pool");
    pool.for_enterprise("AT-a")
        .send(&GetThing { id: 1 })
        .await
        .expect("call");
    let request = &server.requests()[0];
    assert_eq!(
        request.header("user-agent"),
        Some("partner-integration/3.1")
    );
    assert_eq!(request.header("x-proxy-tenant"), Some("tenant-7"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    // Without one, the client's own transport and user agent.
    let own: Client = super::ops::builder(&server).build().expect("client");
    own.send(&GetThing { id: 2 }).await.expect("call");
    let agent = server.requests()[1]
        .header("user-agent")
        .unwrap_or("")
        .to_string();
    assert!(agent.starts_with("mews-connector-rust/"), "{agent}");
}

/// What a hook saw before an attempt.
struct Before {
    operation: String,
    attempt: u32,
    label: Option<String>,
    /// The body and the `Debug` of what the hook got.
    text: String,
}

/// What a hook saw after an attempt.
struct After {
    attempt: u32,
    status: Option<u16>,
    failure: Option<String>,
    cancelled: bool,
    /// The body and the `Debug` of what the hook got.
    text: String,
}

/// What a hook saw, in order.
#[derive(Default)]
struct Seen {
    before: Vec<Before>,
    after: Vec<After>,
    tokens: Vec<Option<String>>,
}

#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Seen>>,
    reveal: bool,
}

impl Hook for Recorder {
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
        let trace = format!("trace-{}", request.attempt());
        request
            .headers_mut()
            .insert("x-trace-id", trace.parse().expect("value"));
        // Not even a hook can replace the content type.
        request
            .headers_mut()
            .insert("content-type", "text/plain".parse().expect("value"));
        let mut seen = self.seen.lock().expect("lock");
        seen.before.push(Before {
            operation: request.operation().id.to_string(),
            attempt: request.attempt(),
            label: request.label().map(str::to_string),
            text: String::from_utf8_lossy(&request.body()).into_owned() + &format!("{request:?}"),
        });
        seen.tokens
            .push(request.access_token().map(|t| t.expose().to_string()));
    }

    fn after_attempt(&self, response: &AttemptResponse<'_>) {
        let body = response
            .body()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        self.seen.lock().expect("lock").after.push(After {
            attempt: response.attempt(),
            status: response.status(),
            failure: response.failure().map(str::to_string),
            cancelled: response.cancelled(),
            text: body + &format!("{response:?}"),
        });
    }

    fn sees_tokens(&self) -> bool {
        self.reveal
    }
}

#[tokio::test]
async fn hooks_run_once_per_attempt_and_see_no_token_unless_they_opt_in() {
    const TOKEN: &str = "AT-hook-secret-5521";
    let server = Server::start(|r, index| match (id_of(r), index) {
        // Two 500s echoing the token, then the answer.
        (1, 0 | 1) => Action::json(500, format!(r#"{{"Message":"bad {TOKEN}"}}"#)),
        (2, _) => Action::Stall,
        (id, _) => Action::ok(thing(id)),
    })
    .await;
    let quiet = Recorder::default();
    let trusted = Recorder {
        reveal: true,
        ..Recorder::default()
    };
    let pool: ClientPool = pool_builder(&server)
        .hook(quiet.clone())
        .hook(trusted.clone())
        .build_pool()
        .expect("pool");
    let hotel = pool.for_enterprise_labelled(TOKEN, "Hotel 1");
    assert_eq!(hotel.send(&GetThing { id: 1 }).await.expect("third").id, 1);
    for request in server.requests() {
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
    let traces: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-trace-id").unwrap_or("").to_string())
        .collect();
    assert_eq!(traces, ["trace-1", "trace-2", "trace-3"]);
    {
        let seen = quiet.seen.lock().expect("lock");
        let attempts: Vec<_> = seen
            .before
            .iter()
            .map(|b| (b.operation.as_str(), b.attempt))
            .collect();
        assert_eq!(
            attempts,
            [("things/get", 1), ("things/get", 2), ("things/get", 3)]
        );
        assert!(
            seen.before
                .iter()
                .all(|b| b.label.as_deref() == Some("Hotel 1"))
        );
        let ends: Vec<_> = seen.after.iter().map(|a| (a.attempt, a.status)).collect();
        assert_eq!(ends, [(1, Some(500)), (2, Some(500)), (3, Some(200))]);
        assert!(seen.tokens.iter().all(Option::is_none));
        for text in seen
            .before
            .iter()
            .map(|b| &b.text)
            .chain(seen.after.iter().map(|a| &a.text))
        {
            assert!(!text.contains(TOKEN), "a hook saw the token: {text}");
            assert!(!text.contains(CLIENT_TOKEN), "a hook saw the token: {text}");
        }
        assert!(
            seen.before[0]
                .text
                .contains(r#""AccessToken":"<redacted>""#)
        );
        assert!(seen.after[0].text.contains("bad <redacted>"));
    }
    {
        let seen = trusted.seen.lock().expect("lock");
        assert_eq!(seen.tokens, vec![Some(TOKEN.to_string()); 3]);
        assert!(seen.before[0].text.contains(TOKEN), "opted in");
    }

    // A call dropped mid-attempt still ends its attempt for the hooks, as cancelled.
    let stalled = {
        let hotel = hotel.clone();
        tokio::spawn(async move { hotel.send(&GetThing { id: 2 }).await })
    };
    until_requests(&server, 4).await;
    stalled.abort();
    assert!(stalled.await.is_err(), "aborted");
    let seen = quiet.seen.lock().expect("lock");
    assert_eq!(seen.before.len(), 4);
    assert_eq!(
        seen.after.len(),
        4,
        "once per attempt, the cancelled one too"
    );
    let last = &seen.after[3];
    assert!(last.cancelled, "cancelled");
    assert_eq!(last.failure.as_deref(), Some("cancelled"));
}

#[tokio::test]
async fn handles_pools_and_their_errors_never_show_a_token() {
    const TOKEN: &str = "AT-pool-secret-8812";
    let traces = trace_output();
    let server = Server::start(|r, _| {
        Action::json(400, format!(r#"{{"Message":"Invalid {}"}}"#, token_of(r)))
    })
    .await;
    let pool: ClientPool = pool_builder(&server)
        .hook(Recorder::default())
        .build_pool()
        .expect("pool");
    let hotel = pool.for_enterprise_labelled(TOKEN, "Hotel 9");
    let error = hotel.send(&GetThing { id: 1 }).await.expect_err("400");
    hotel.rotate_access_token(AccessToken::new(format!("{TOKEN}-2")));
    let rotated = hotel.send(&GetThing { id: 2 }).await.expect_err("400");
    for text in [
        format!("{pool:?}"),
        format!("{pool:#?}"),
        format!("{hotel:?}"),
        format!("{hotel:#?}"),
        error.to_string(),
        format!("{error:?}"),
        rotated.to_string(),
        format!("{rotated:?}"),
        traces.text(),
    ] {
        assert!(!text.contains(TOKEN), "shows the token: {text}");
        assert!(!text.contains(CLIENT_TOKEN), "shows the token: {text}");
    }
    assert!(error.to_string().contains("Invalid <redacted>"), "{error}");
    assert!(format!("{hotel:?}").contains("Hotel 9"));
}
