//! What goes out: injected credentials, validation before sending, pagination, and the client's
//! static guarantees (`Clone + Send + Sync`, `Send` futures and streams).

use futures_util::{StreamExt, TryStreamExt};
use mews_connector_runtime::{
    CallOptions, Client, ClientBuilder, Error, Items, Pages, RateLimits, Result, Violation,
    validate::Rule,
};
use serde_json::{Value, json};

use super::ops::{
    ACCESS_TOKEN, AddThing, CLIENT_TOKEN, GetThing, LIST_PATH, Limitation, ListThings, Thing,
    builder, client, id_of, thing,
};
use loopback::{Action, Server};

#[tokio::test]
async fn credentials_and_client_name_are_injected_into_every_body() {
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    client(&server)
        .send(&GetThing { id: 12 })
        .await
        .expect("sent");
    let with_language = builder(&server)
        .language("en-US", "en-GB")
        .build::<Client>()
        .expect("client");
    with_language
        .send(&AddThing {
            id: 13,
            names: vec!["x".into()],
        })
        .await
        .expect("sent");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, super::ops::GET_PATH);
    assert_eq!(
        requests[0].json(),
        json!({"ClientToken": CLIENT_TOKEN, "AccessToken": ACCESS_TOKEN, "Client": "Runtime Tests 1.0", "Id": 12})
    );
    assert_eq!(requests[1].path, super::ops::ADD_PATH);
    assert_eq!(
        requests[1].json(),
        json!({
            "ClientToken": CLIENT_TOKEN, "AccessToken": ACCESS_TOKEN, "Client": "Runtime Tests 1.0",
            "LanguageCode": "en-US", "CultureCode": "en-GB", "Id": 13, "Names": ["x"]
        })
    );
}

#[tokio::test]
async fn validation_lists_every_violation_with_its_path_and_sends_nothing() {
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    let client = client(&server);
    let request = AddThing {
        id: 1,
        names: ["ok", "too long", "fine", "much too long"]
            .map(String::from)
            .to_vec(),
    };
    let error = client.send(&request).await.expect_err("breaks contracts");
    let Error::Validation {
        operation,
        violations,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*operation, "things/add");
    assert_eq!(
        violations,
        &[
            Violation {
                path: "Names".into(),
                rule: Rule::MaxItems { max: 3, actual: 4 }
            },
            Violation {
                path: "Names[1]".into(),
                rule: Rule::MaxLength { max: 5, actual: 8 }
            },
            Violation {
                path: "Names[3]".into(),
                rule: Rule::MaxLength { max: 5, actual: 13 }
            },
        ]
    );
    let text = error.to_string();
    assert!(
        text.contains("breaks 3 contract(s)") && text.contains("`Names[3]`"),
        "{text}"
    );
    assert_eq!(server.request_count(), 0, "nothing was sent");

    client
        .send_with(&request, &CallOptions::new().skip_validation())
        .await
        .expect("sent anyway");
    assert_eq!(server.request_count(), 1);
}

/// Serves 25 things in pages of the requested size, the cursor being the last id of a page.
async fn paging_server() -> Server {
    Server::start(|request, _| {
        let count = request.json()["Limitation"]["Count"].as_u64().unwrap_or(0);
        let start = match request.json()["Limitation"]["Cursor"].as_str() {
            Some(cursor) => cursor.parse::<u64>().expect("numeric cursor") + 1,
            None => 0,
        };
        let ids: Vec<u64> = (start..(start + count).min(25)).collect();
        let things: Vec<Value> = ids
            .iter()
            .map(|id| json!({"Id": id, "Kind": "Room"}))
            .collect();
        let cursor = ids
            .last()
            .map(|id| Value::String(id.to_string()))
            .unwrap_or(Value::Null);
        Action::ok(json!({"Things": things, "Cursor": cursor}).to_string())
    })
    .await
}

fn list() -> ListThings {
    ListThings {
        limitation: Limitation {
            count: 10,
            cursor: None,
        },
    }
}

#[tokio::test]
async fn pagination_over_three_pages_makes_exactly_three_requests() {
    let server = paging_server().await;
    let client = client(&server);
    let pages: Vec<_> = client.pages(list()).try_collect().await.expect("pages");
    assert_eq!(
        pages.iter().map(|p| p.things.len()).collect::<Vec<_>>(),
        [10, 10, 5]
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "the short third page ends the stream");
    assert!(requests.iter().all(|r| r.path == LIST_PATH));
    assert_eq!(requests[0].json()["Limitation"], json!({"Count": 10}));
    assert_eq!(
        requests[1].json()["Limitation"],
        json!({"Count": 10, "Cursor": "9"})
    );
    assert_eq!(
        requests[2].json()["Limitation"],
        json!({"Count": 10, "Cursor": "19"})
    );

    let items: Vec<Thing> = client.items(list()).try_collect().await.expect("items");
    assert_eq!(
        items.iter().map(|t| t.id).collect::<Vec<_>>(),
        (0..25).collect::<Vec<_>>()
    );
    assert_eq!(server.request_count(), 6, "three more for the item stream");
}

#[tokio::test]
async fn a_page_error_ends_the_stream_after_yielding_it() {
    let server = Server::start(|request, index| {
        if index == 1 {
            return Action::json(400, r#"{"Message":"Bad cursor."}"#);
        }
        let _ = request;
        Action::ok(r#"{"Things":[{"Id":1},{"Id":2}],"Cursor":"c1"}"#)
    })
    .await;
    let mut request = list();
    request.limitation.count = 2;
    let results: Vec<Result<Thing>> = client(&server).items(request).collect().await;
    assert_eq!(results.len(), 3, "two items, then the error");
    assert!(results[0].is_ok() && results[1].is_ok());
    assert_eq!(
        results[2]
            .as_ref()
            .expect_err("the second page failed")
            .status(),
        Some(400)
    );
    assert_eq!(server.request_count(), 2);
}

#[test]
fn the_client_its_futures_and_its_streams_are_send_and_sync() {
    fn send_sync<T: Clone + Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<Client>();
    send_sync::<ClientBuilder>();
    send_sync::<RateLimits>();
    send_sync::<CallOptions>();
    fn error_is_std_error<E: std::error::Error + Send + Sync + 'static>() {}
    error_is_std_error::<Error>();
    fn stream_send<T: Send>() {}
    stream_send::<Pages<ListThings>>();
    stream_send::<Items<Thing>>();
    super::ops::trace_output();
    let client = ClientBuilder::new(
        mews_connector_runtime::Environment::Custom("http://127.0.0.1:9".into()),
        "c",
        "a",
        "n",
    )
    .build::<Client>()
    .expect("client");
    let request = GetThing { id: 1 };
    send(&client.send(&request));
    send(&client.send_with(&request, &CallOptions::new()));
}

#[tokio::test]
async fn clones_share_the_connection_pool_and_the_rate_limiter() {
    let server = Server::start(|r, _| Action::ok(thing(id_of(r)))).await;
    let client = client(&server);
    let clone = client.clone();
    clone.send(&GetThing { id: 1 }).await.expect("sent");
    client.send(&GetThing { id: 2 }).await.expect("sent");
    std::thread::spawn(move || drop(clone))
        .join()
        .expect("a clone moves to another thread");
    assert_eq!(
        server.connections(),
        1,
        "the second request reused the clone's connection"
    );
    let usage = client.rate_limit_usage().expect("limits are on by default");
    assert_eq!(
        usage.in_window, 2,
        "the clone's request counts for the original"
    );
    assert_eq!(usage.in_flight, 0);
    let unlimited = builder(&server)
        .no_rate_limit()
        .build::<Client>()
        .expect("client");
    assert_eq!(unlimited.rate_limit_usage(), None);
}

#[tokio::test]
async fn unbounded_settings_do_not_overflow() {
    use mews_connector_runtime::RetryPolicy;
    use std::time::Duration;
    let server = Server::start(|r, index| {
        if index == 0 {
            Action::json(429, "{}").header("Retry-After", "0")
        } else {
            Action::ok(thing(id_of(r)))
        }
    })
    .await;
    let client = builder(&server)
        .timeout(Duration::MAX)
        .request_timeout(Duration::MAX)
        .retry(
            RetryPolicy::default()
                .max_retry_after(Duration::MAX)
                .max_backoff(Duration::MAX),
        )
        .build::<Client>()
        .expect("client");
    assert_eq!(client.send(&GetThing { id: 5 }).await.expect("sent").id, 5);
    assert_eq!(server.request_count(), 2);
}
