//! The four seed operations end to end against the `testing` mock: documented request bodies (with the
//! tokens) go out and the mock accepts them, documented responses decode, error statuses become typed
//! errors, pagination follows the cursor with exactly one request per page, also when the response has
//! other (deprecated) lists.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test code: failing loudly is the point

use crate::support::spec_examples;
use futures_util::TryStreamExt;
use mews_connector::runtime::Error;
use mews_connector::testing::{ACCESS_TOKEN, CLIENT_NAME, CLIENT_TOKEN, MockServer, Reply};
use mews_connector::{
    Counter, CountersGetAllRequest, Limitation, Message, MessageThreadsAddRequest,
    MessageThreadsGetAllRequest, MessagesAddRequest, MessagesGetAllRequest, Sender,
};
use serde_json::{Value, json};

fn without_tokens(mut example: Value) -> Value {
    if let Value::Object(map) = &mut example {
        for key in ["ClientToken", "AccessToken", "Client"] {
            map.remove(key);
        }
    }
    example
}

/// Sends the documented request to the mock, which answers the documented response; returns the body the
/// mock recorded and the decoded response.
async fn exchange<Req>(request_example: &Value) -> (Value, Req::Response)
where
    Req: mews_connector::runtime::Operation + serde::de::DeserializeOwned,
{
    let mock = MockServer::start().await;
    let request: Req = serde_json::from_value(without_tokens(request_example.clone()))
        .expect("documented request decodes");
    let response = mock
        .client()
        .runtime()
        .send(&request)
        .await
        .expect("documented exchange succeeds");
    let recorded = mock.request_bodies::<Req>();
    assert_eq!((recorded.len(), mock.rejected()), (1, 0));
    (recorded[0].clone(), response)
}

#[tokio::test]
async fn get_all_messages_sends_the_documented_body_and_decodes_the_documented_response() {
    let examples = spec_examples("operations/messages.md");
    let (sent, response) = exchange::<MessagesGetAllRequest>(&examples[0]).await;
    assert_eq!(
        sent, examples[0],
        "the body is the documented example, tokens included"
    );
    assert_eq!(response.messages.len(), 1);
    assert_eq!(response.messages[0].sender, Sender::Application);
    assert_eq!(
        response.messages[0].id.as_str(),
        "4bfe4675-98a9-4428-9ea9-ae5300dbaa93"
    );
    assert_eq!(
        response.cursor.as_deref(),
        Some("7f9325f6-ef44-4911-89a8-ae51010a5aa4")
    );
}

#[tokio::test]
async fn add_messages_sends_the_documented_body_and_decodes_the_documented_response() {
    let examples = spec_examples("operations/messages.md");
    let (sent, response) = exchange::<MessagesAddRequest>(&examples[2]).await;
    assert_eq!(sent["Messages"], examples[2]["Messages"]);
    assert_eq!(sent["ClientToken"], CLIENT_TOKEN);
    assert_eq!(response.messages[0].message.sender, Sender::Application);
    assert_eq!(
        response.messages[0].identifier.as_deref(),
        Some("Message 1")
    );
}

/// Older docs (seed 000) showed the sender as a bare string; the coproduct still decodes it.
#[test]
fn a_bare_string_sender_decodes_as_the_variant_without_payload() {
    let sender: Sender = serde_json::from_value(json!("Application")).expect("bare string");
    assert_eq!(sender, Sender::Application);
}

#[tokio::test]
async fn get_all_message_threads_round_trips_the_documented_exchange() {
    let examples = spec_examples("operations/messagethreads.md");
    let (sent, response) = exchange::<MessageThreadsGetAllRequest>(&examples[0]).await;
    assert_eq!(sent, examples[0]);
    assert_eq!(response.message_threads[0].subject, "Example subject");
    assert_eq!(
        response.message_threads[0]
            .created_utc
            .parse()
            .expect("timestamp")
            .year(),
        2022
    );
}

#[tokio::test]
async fn add_message_thread_decodes_is_resolved_added_by_the_overrides() {
    let examples = spec_examples("operations/messagethreads.md");
    let (sent, response) = exchange::<MessageThreadsAddRequest>(&examples[2]).await;
    assert_eq!(sent, examples[2]);
    assert_eq!(response.message_threads[0].is_resolved, Some(false));
}

#[tokio::test]
async fn generated_methods_send_through_the_resource_handles() {
    let mock = MockServer::start().await;
    mock.respond::<MessageThreadsAddRequest>(Reply::json(200, &json!({"MessageThreads": []})));
    let request = MessageThreadsAddRequest::new("John Doe".into(), "Hello".into());
    let response = mock
        .client()
        .message_threads()
        .add(&request)
        .await
        .expect("sent");
    assert!(response.message_threads.is_empty());
    assert_eq!(mock.counts().get("messageThreads/add"), Some(&1));
    assert_eq!(
        mock.request_bodies::<MessageThreadsAddRequest>()[0],
        json!({"ClientToken": CLIENT_TOKEN, "AccessToken": ACCESS_TOKEN, "Client": CLIENT_NAME, "OriginalSender": "John Doe", "Subject": "Hello"})
    );
}

#[tokio::test]
async fn each_documented_error_status_becomes_a_typed_error() {
    for status in [400u16, 401, 403, 408, 409, 429, 500] {
        let mock = MockServer::start().await;
        mock.respond::<MessageThreadsAddRequest>(Reply::error(status, "Nope.").retry_after(0));
        let request = MessageThreadsAddRequest::new("A".into(), "B".into());
        let error = mock
            .client()
            .message_threads()
            .add(&request)
            .await
            .expect_err("an error status");
        assert_eq!(error.status(), Some(status), "{error}");
        assert!(error.request_id().is_some_and(|id| id.starts_with("req-")));
        assert_eq!(
            error.api_error().and_then(|e| e.message.as_deref()),
            Some("Nope.")
        );
        match (status, &error) {
            (408, Error::RequestTooHeavy { .. })
            | (409, Error::Conflict { .. })
            | (429, Error::RateLimited { .. }) => {}
            (400 | 401 | 403 | 500, Error::Api { .. }) => {}
            _ => panic!("status {status} gave {error:?}"),
        }
        assert!(
            !error.to_string().contains(ACCESS_TOKEN)
                && !format!("{error:?}").contains(ACCESS_TOKEN)
        );
    }
}

#[tokio::test]
async fn paging_over_three_pages_makes_exactly_three_requests() {
    let mock = MockServer::start().await;
    let ids: Vec<String> = (0..25)
        .map(|i| format!("00000000-0000-0000-0000-{i:012}"))
        .collect();
    let messages = ids.iter().map(|id| {
        serde_json::from_value::<Message>(json!({"Id": id, "MessageThreadId": id, "Text": "t", "Sender": {"Discriminator": "Enterprise", "Value": null}, "CreatedUtc": "2022-03-09T13:19:46Z"})).unwrap()
    });
    mock.load::<MessagesGetAllRequest>(messages);
    let request = MessagesGetAllRequest::new(
        vec!["c1478ff9-80b7-4ea2-94fc-ae4e009e1463".into()],
        Limitation::new(10),
    );
    let messages: Vec<_> = mock
        .client()
        .messages()
        .get_all_items(request)
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(
        messages
            .iter()
            .map(|m| m.id.to_string())
            .collect::<Vec<_>>(),
        ids
    );
    let requests = mock.requests::<MessagesGetAllRequest>();
    assert_eq!(
        requests.len(),
        3,
        "10 + 10 + 5 items: the short third page ends the stream"
    );
    assert!(requests[0].limitation.cursor.is_none());
    assert!(requests[1].limitation.cursor.is_some());
    assert_ne!(requests[1].limitation.cursor, requests[2].limitation.cursor);
}

/// `counters/getAll` answers `Counters` beside five deprecated lists: the pages are made of `Counters`, so a
/// full page continues the stream (it used to count as one item and end it after the first page).
#[tokio::test]
async fn paging_a_response_with_several_lists_follows_the_documented_one() {
    let mock = MockServer::start().await;
    let ids: Vec<String> = (0..25)
        .map(|i| format!("00000000-0000-0000-0000-{i:012}"))
        .collect();
    let counters = ids.iter().map(|id| {
        serde_json::from_value::<Counter>(json!({"Id": id, "EnterpriseId": id, "Name": "n", "IsDefault": false, "Value": 1, "Format": "{0}", "Type": "BillCounter", "CreatedUtc": "2022-03-09T13:19:46Z", "UpdatedUtc": "2022-03-09T13:19:46Z"})).unwrap()
    });
    mock.load::<CountersGetAllRequest>(counters);
    // `counters/getAll` pages hold deprecated lists beside `Counters`: the stream yields a batch per page.
    let batches: Vec<_> = mock
        .client()
        .counters()
        .get_all_items(CountersGetAllRequest::new(Limitation::new(10)))
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(
        batches.iter().map(|b| b.items.len()).collect::<Vec<_>>(),
        [10, 10, 5]
    );
    assert_eq!(
        batches
            .iter()
            .flat_map(|b| &b.items)
            .map(|c| c.id.to_string())
            .collect::<Vec<_>>(),
        ids
    );
    assert_eq!(
        mock.request_count::<CountersGetAllRequest>(),
        3,
        "10 + 10 + 5 counters"
    );
}

#[tokio::test]
async fn contract_violations_are_reported_before_sending() {
    let mock = MockServer::start().await;
    let ids = (0..1001).map(|i| format!("id-{i}").into()).collect();
    let request = MessagesGetAllRequest::new(ids, Limitation::new(10));
    let error = mock
        .client()
        .messages()
        .get_all(&request)
        .await
        .expect_err("too many ids");
    let Error::Validation { violations, .. } = error else {
        panic!("{error:?}")
    };
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].path, "MessageThreadIds");
    assert!(
        mock.counts().is_empty() && mock.rejected() == 0,
        "nothing was sent"
    );
}

/// `Count` is documented only in prose ("minimum 1, maximum 1000"): out-of-range counts fail before sending,
/// with every violation and its path, also when paging; the bounds themselves pass.
#[tokio::test]
async fn limitation_counts_outside_the_documented_bounds_are_reported_before_sending() {
    use mews_connector::runtime::validate::Rule;
    let mock = MockServer::start().await;
    let client = mock.client();
    for (count, rule) in [
        (
            5000,
            Rule::Maximum {
                max: 1000,
                actual: "5000".into(),
            },
        ),
        (
            0,
            Rule::Minimum {
                min: 1,
                actual: "0".into(),
            },
        ),
    ] {
        let ids = (0..1001).map(|i| format!("id-{i}").into()).collect();
        let request = MessagesGetAllRequest::new(ids, Limitation::new(count));
        let error = client
            .messages()
            .get_all(&request)
            .await
            .expect_err("out of range");
        let Error::Validation { violations, .. } = &error else {
            panic!("{error:?}")
        };
        let found: Vec<_> = violations
            .iter()
            .map(|v| (v.path.as_str(), &v.rule))
            .collect();
        assert_eq!(found.len(), 2, "{error}");
        assert_eq!(found[0].0, "MessageThreadIds");
        assert_eq!(found[1], ("Limitation.Count", &rule));
        assert!(error.to_string().contains("`Limitation.Count`"), "{error}");

        let request = MessagesGetAllRequest::new(vec!["id".into()], Limitation::new(count));
        let paged: Result<Vec<_>, _> = client.messages().get_all_items(request).try_collect().await;
        assert!(matches!(paged, Err(Error::Validation { .. })), "{paged:?}");
    }
    assert!(
        mock.counts().is_empty() && mock.rejected() == 0,
        "nothing was sent"
    );
    for count in [1, 1000] {
        let request = MessagesGetAllRequest::new(vec!["id".into()], Limitation::new(count));
        client.messages().get_all(&request).await.expect("in range");
    }
    assert_eq!(mock.request_count::<MessagesGetAllRequest>(), 2);
}
