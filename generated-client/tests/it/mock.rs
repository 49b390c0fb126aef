//! The `testing` mock through the generated client: real paging over loaded items (one request per page,
//! plus one when the last page is full), the 401 and 400 paths, each fault override, scripted sequences
//! and recorded requests.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test code: failing loudly is the point

use std::time::Duration;

use futures_util::TryStreamExt;
use mews_connector::runtime::{CallOptions, Environment, Error, RetryPolicy};
use mews_connector::testing::{CLIENT_NAME, CLIENT_TOKEN, MockServer, Reply};
use mews_connector::{
    Client, ConfigurationGetRequest, Limitation, MessageParameters, MessageThread,
    MessageThreadsGetAllRequest, MessageThreadsGetAllResponse, MessagesAddRequest, Product,
    ProductsGetAllRequest, ProductsGetAllResponse,
};

/// `n` message threads shaped like the documented example, each with its own id.
async fn threads(mock: &MockServer, n: usize) -> Vec<MessageThread> {
    let example = mock
        .client()
        .message_threads()
        .get_all(&MessageThreadsGetAllRequest::new(Limitation::new(10)))
        .await
        .expect("the documented example");
    let template = example.message_threads[0].clone();
    (0..n)
        .map(|i| {
            let mut thread = template.clone();
            thread.id = format!("8e3e0b80-0000-4000-8000-{i:012}").into();
            thread
        })
        .collect()
}

/// A client that never retries, so that each override is seen once.
fn no_retries(mock: &MockServer) -> Client {
    mock.client_builder()
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn paging_over_loaded_items_costs_one_request_per_page_and_one_more_after_a_full_last_page() {
    let mock = MockServer::start().await;
    let all = threads(&mock, 2500).await;
    let client = mock.client();
    for (n, count, requests) in [
        (2500, 1000, 3),
        (2000, 1000, 3),
        (999, 1000, 1),
        (1000, 1000, 2),
        (7, 2, 4),
        (0, 5, 1),
    ] {
        mock.reset::<MessageThreadsGetAllRequest>();
        mock.load::<MessageThreadsGetAllRequest>(all[..n].iter().cloned());
        let items: Vec<MessageThread> = client
            .message_threads()
            .get_all_items(MessageThreadsGetAllRequest::new(Limitation::new(count)))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items.len(), n);
        assert!(
            items.iter().zip(&all).all(|(a, b)| a.id == b.id),
            "in order"
        );
        let sent = mock.requests::<MessageThreadsGetAllRequest>();
        let expected = n.div_ceil(count as usize) + usize::from(n % count as usize == 0);
        assert_eq!(expected, requests);
        // Every request so far, this round's at the end.
        let round = &sent[sent.len() - requests..];
        assert!(round[0].limitation.cursor.is_none());
        assert!(round[1..].iter().all(|r| r.limitation.cursor.is_some()));
    }
    assert_eq!(
        mock.request_count::<MessageThreadsGetAllRequest>(),
        1 + 3 + 3 + 1 + 2 + 4 + 1
    );
}

/// A page of `products/getAll`: `products` (the paged list) and `customer_products` beside them.
fn products_page(
    template: &Product,
    products: &[u32],
    customer_products: &[u32],
    cursor: &str,
) -> ProductsGetAllResponse {
    let product = |i: &u32| {
        let mut product = template.clone();
        product.id = format!("70000000-0000-4000-8000-{i:012}").into();
        product
    };
    ProductsGetAllResponse {
        products: products.iter().map(product).collect(),
        customer_products: customer_products.iter().map(product).collect(),
        cursor: Some(cursor.to_string()),
    }
}

/// `products/getAll` answers `Products` (paged) and `CustomerProducts` beside them: over two pages, the items
/// stream yields both pages' customer products beside their page's products, none lost.
#[tokio::test]
async fn the_items_stream_of_a_page_with_several_lists_yields_every_list_of_every_page() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let request = ProductsGetAllRequest::new(
        vec!["bd26d8db-86da-4f96-9efc-e5a4654a4a94".into()],
        Limitation::new(2),
    );
    let example = client
        .products()
        .get_all(&request)
        .await
        .expect("the documented example");
    let template = example.products[0].clone();
    let pages = [
        products_page(
            &template,
            &[1, 2],
            &[101],
            "70000000-0000-4000-8000-000000000002",
        ),
        products_page(
            &template,
            &[3],
            &[102, 103],
            "70000000-0000-4000-8000-000000000003",
        ),
    ];
    mock.script::<ProductsGetAllRequest>(pages.iter().map(Reply::ok));
    let batches: Vec<_> = client
        .products()
        .get_all_items(request)
        .try_collect()
        .await
        .expect("two pages");
    let ids = |products: &[Product]| -> Vec<String> {
        products.iter().map(|p| p.id.to_string()).collect()
    };
    assert_eq!(batches.len(), 2, "the short second page ends the stream");
    for (batch, page) in batches.iter().zip(&pages) {
        assert_eq!(ids(&batch.items), ids(&page.products));
        assert_eq!(
            ids(&batch.rest.customer_products),
            ids(&page.customer_products),
            "the side list of every page reaches the caller"
        );
        assert!(
            batch.rest.products.is_empty(),
            "the paged items are not there twice"
        );
        assert_eq!(batch.rest.cursor, page.cursor);
    }
    let cursors: Vec<_> = mock
        .requests::<ProductsGetAllRequest>()
        .into_iter()
        .skip(1)
        .map(|r| r.limitation.cursor)
        .collect();
    assert_eq!(
        cursors,
        [
            None,
            Some("70000000-0000-4000-8000-000000000002".to_string())
        ],
        "the second page was asked from the first page's cursor"
    );
}

#[tokio::test]
async fn every_page_has_a_cursor_the_last_one_too() {
    let mock = MockServer::start().await;
    let all = threads(&mock, 3).await;
    mock.load::<MessageThreadsGetAllRequest>(all);
    let pages: Vec<MessageThreadsGetAllResponse> = mock
        .client()
        .message_threads()
        .get_all_pages(MessageThreadsGetAllRequest::new(Limitation::new(2)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(|p| p.cursor.is_some()));
    assert_eq!(pages[1].message_threads.len(), 1);
}

#[tokio::test]
async fn wrong_tokens_get_the_documented_401() {
    let mock = MockServer::start().await;
    let client: Client = Client::builder(
        Environment::Custom(mock.base_url().to_string()),
        CLIENT_TOKEN,
        "another access token",
        CLIENT_NAME,
    )
    .build()
    .unwrap();
    let error = client
        .configuration()
        .get(&ConfigurationGetRequest::default())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    let api = error.api_error().unwrap();
    assert_eq!(api.message.as_deref(), Some("Invalid AccessToken"));
    assert!(api.request_id.is_some());
    assert_eq!((mock.rejected(), mock.counts().len()), (1, 0));
}

#[tokio::test]
async fn a_request_the_api_would_refuse_gets_a_400_with_a_message() {
    let mock = MockServer::start().await;
    let client = mock.client();
    // Over the documented maximum: sent anyway, skipping the client's own check.
    let request = MessageThreadsGetAllRequest::new(Limitation::new(5000));
    let error = client
        .runtime()
        .send_with(&request, &CallOptions::new().skip_validation())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");
    let message = error.api_error().and_then(|e| e.message.clone()).unwrap();
    assert!(
        message.contains("Limitation.Count") && message.contains("5000"),
        "{message}"
    );
    // A broken documented contract (`max 1000 items`), sent anyway: the mock checks contracts too.
    let mut request = MessageThreadsGetAllRequest::new(Limitation::new(10));
    request.message_thread_ids = Some(vec!["f3a2e8b2-0000-4000-8000-000000000001".into(); 1001]);
    let error = client
        .runtime()
        .send_with(&request, &CallOptions::new().skip_validation())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");
    let message = error.api_error().and_then(|e| e.message.clone()).unwrap();
    assert!(message.contains("MessageThreadIds"), "{message}");
    assert_eq!(
        (
            mock.rejected(),
            mock.request_count::<MessageThreadsGetAllRequest>()
        ),
        (2, 0)
    );
}

#[tokio::test]
async fn a_typed_response_and_an_error_status_override_one_operation() {
    let mock = MockServer::start().await;
    let client = no_retries(&mock);
    let mut page = client
        .message_threads()
        .get_all(&MessageThreadsGetAllRequest::new(Limitation::new(10)))
        .await
        .unwrap();
    page.message_threads.truncate(0);
    page.cursor = None;
    mock.respond_with::<MessageThreadsGetAllRequest>(&page);
    mock.respond_once::<MessageThreadsGetAllRequest>(Reply::error(403, "Not allowed here"));
    let request = MessageThreadsGetAllRequest::new(Limitation::new(10));
    let error = client
        .message_threads()
        .get_all(&request)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert_eq!(
        error.api_error().and_then(|e| e.message.as_deref()),
        Some("Not allowed here")
    );
    let answer = client.message_threads().get_all(&request).await.unwrap();
    assert_eq!(answer, page);
}

#[tokio::test]
async fn a_scripted_sequence_drives_the_clients_retries() {
    let mock = MockServer::start().await;
    let client = mock
        .client_builder()
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build::<Client>()
        .unwrap();
    mock.script::<ConfigurationGetRequest>([
        Reply::error(503, "Busy"),
        Reply::error(429, "Too many requests").retry_after(0),
        Reply::drop_connection(),
        Reply::example(),
    ]);
    client
        .configuration()
        .get(&ConfigurationGetRequest::default())
        .await
        .unwrap();
    assert_eq!(mock.request_count::<ConfigurationGetRequest>(), 4);
}

#[tokio::test]
async fn faults_reach_the_client_as_the_errors_they_are() {
    let mock = MockServer::start().await;
    let client = no_retries(&mock);
    let request = ConfigurationGetRequest::default();
    let call = || client.runtime().send(&request);

    mock.respond_once::<ConfigurationGetRequest>(Reply::error(429, "Slow down").retry_after(7));
    match call().await.unwrap_err() {
        Error::RateLimited { error, .. } => {
            assert_eq!(error.retry_after, Some(Duration::from_secs(7)));
        }
        other => panic!("{other}"),
    }
    mock.respond_once::<ConfigurationGetRequest>(Reply::drop_connection());
    let error = call().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::OutcomeUnknown { .. } | Error::Transport { .. }
        ),
        "{error}"
    );
    mock.respond_once::<ConfigurationGetRequest>(Reply::truncated());
    let error = call().await.unwrap_err();
    assert!(
        matches!(error, Error::OutcomeUnknown { .. } | Error::Decode { .. }),
        "{error}"
    );
    mock.respond_once::<ConfigurationGetRequest>(Reply::example().delay(Duration::from_secs(5)));
    let error = client
        .runtime()
        .send_with(
            &request,
            &CallOptions::new().timeout(Duration::from_millis(200)),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error}");
    mock.respond_once::<ConfigurationGetRequest>(Reply::example().delay(Duration::from_millis(20)));
    call().await.unwrap();
    assert_eq!(mock.request_count::<ConfigurationGetRequest>(), 5);
}

#[tokio::test]
async fn recorded_requests_read_back_as_typed_values() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let thread = threads(&mock, 1).await.remove(0);
    for text in ["one", "two"] {
        let message = MessageParameters::new(thread.id.clone(), text.to_string());
        client
            .messages()
            .add(&MessagesAddRequest::new(vec![message]))
            .await
            .unwrap();
    }
    let sent = mock.requests::<MessagesAddRequest>();
    let texts: Vec<&str> = sent.iter().map(|r| r.messages[0].text.as_str()).collect();
    assert_eq!(texts, ["one", "two"]);
    assert_eq!(sent[0].messages[0].message_thread_id, thread.id);
    let bodies = mock.request_bodies::<MessagesAddRequest>();
    assert_eq!(bodies[0]["ClientToken"], CLIENT_TOKEN);
    let counts = mock.counts();
    assert_eq!(counts.get("messages/add"), Some(&2));
    assert_eq!(counts.get("messageThreads/getAll"), Some(&1));
}

/// A portfolio token through a pool handle: `EnterpriseIds` is sent only when the caller gives it (the API then
/// answers for all enterprises of the token's scope), exactly as given otherwise; nothing is added.
#[tokio::test]
async fn enterprise_ids_are_sent_only_as_given_through_a_pool() {
    use mews_connector::ServicesGetAllRequest;
    let mock = MockServer::start().await;
    mock.accept_access_tokens(["portfolio-token"]);
    let pool = mock.pool();
    let portfolio = pool.for_enterprise("portfolio-token");
    portfolio
        .services()
        .get_all(&ServicesGetAllRequest::new(Limitation::new(10)))
        .await
        .expect("all enterprises of the portfolio");
    let mut one = ServicesGetAllRequest::new(Limitation::new(10));
    one.enterprise_ids = Some(vec!["3fa85f64-5717-4562-b3fc-2c963f66afa6".into()]);
    portfolio
        .services()
        .get_all(&one)
        .await
        .expect("one enterprise");
    let bodies = mock.request_bodies::<ServicesGetAllRequest>();
    assert_eq!(bodies.len(), 2);
    assert!(bodies[0].get("EnterpriseIds").is_none(), "{}", bodies[0]);
    assert_eq!(
        bodies[1]["EnterpriseIds"],
        serde_json::json!(["3fa85f64-5717-4562-b3fc-2c963f66afa6"])
    );
    assert!(bodies.iter().all(|b| b["AccessToken"] == "portfolio-token"));
    // A token the mock does not know is refused like the API does.
    let stranger = pool.for_enterprise("unknown-token");
    let refused = stranger
        .services()
        .get_all(&ServicesGetAllRequest::new(Limitation::new(10)))
        .await
        .expect_err("401");
    assert_eq!(refused.status(), Some(401));
    mock.revoke_access_token("portfolio-token");
    let revoked = portfolio
        .services()
        .get_all(&ServicesGetAllRequest::new(Limitation::new(10)))
        .await
        .expect_err("revoked");
    assert_eq!(revoked.status(), Some(401));
}
