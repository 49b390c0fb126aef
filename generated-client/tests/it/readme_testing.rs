//! The README's "Testing your integration" example (a tidy test keeps the README equal to it).
#![allow(clippy::unwrap_used)] // test code: failing loudly is the point

use futures_util::TryStreamExt;
use mews_connector::testing::{MockServer, Reply};
use mews_connector::{
    Client, Limitation, MessageParameters, MessageThreadsGetAllRequest, MessagesAddRequest,
};

/// Your code: welcomes every message thread, in one write.
async fn welcome_all(client: &Client) -> mews_connector::Result<usize> {
    let threads: Vec<_> = client
        .message_threads()
        .get_all_items(MessageThreadsGetAllRequest::new(Limitation::new(100)))
        .try_collect()
        .await?;
    let messages = threads
        .iter()
        .map(|t| MessageParameters::new(t.id.clone(), "Welcome!".to_string()))
        .collect();
    client
        .messages()
        .add(&MessagesAddRequest::new(messages))
        .await?;
    Ok(threads.len())
}

#[tokio::test]
async fn welcomes_every_thread() {
    let mock = MockServer::start().await;
    let client = mock.client();
    // Every operation answers its documented example: use its thread as a template for 250 of them.
    let example = client
        .message_threads()
        .get_all(&MessageThreadsGetAllRequest::new(Limitation::new(1)))
        .await
        .unwrap();
    let threads = (0..250).map(|i| {
        let mut thread = example.message_threads[0].clone();
        thread.id = format!("c1478ff9-0000-4000-8000-{i:012}").into();
        thread
    });
    mock.load::<MessageThreadsGetAllRequest>(threads);
    // The first write is refused as the API does under load; the client waits and sends it again.
    mock.respond_once::<MessagesAddRequest>(Reply::error(429, "Too many requests").retry_after(1));

    assert_eq!(welcome_all(&client).await.unwrap(), 250);

    // The example, then 3 pages of 100 (the last one short).
    assert_eq!(mock.request_count::<MessageThreadsGetAllRequest>(), 1 + 3);
    let added = mock.requests::<MessagesAddRequest>();
    assert_eq!(added.len(), 2);
    assert_eq!(added[1].messages.len(), 250);
    assert!(added[1].messages.iter().all(|m| m.text == "Welcome!"));
}
