//! Quickstart: list this integration's message threads and post a message (run against the demo environment
//! with `MEWS_CLIENT_TOKEN` and `MEWS_ACCESS_TOKEN` set: `cargo run -p generated-client --example quickstart`).
use futures_util::TryStreamExt;
use mews_connector::runtime::Timestamp;
use mews_connector::{
    Client, Environment, Limitation, MessageParameters, MessageThreadsGetAllRequest,
    MessagesAddRequest, TimeInterval,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client: Client = Client::builder(
        Environment::Demo,
        std::env::var("MEWS_CLIENT_TOKEN")?,
        std::env::var("MEWS_ACCESS_TOKEN")?,
        "Quickstart 1.0.0",
    )
    .build()?;

    // Threads created in the last month; the stream follows the cursor, one request per page.
    let now = time::OffsetDateTime::now_utc();
    let mut request = MessageThreadsGetAllRequest::new(Limitation::new(100));
    request.created_utc = Some(TimeInterval {
        start_utc: Some(Timestamp::from(now - time::Duration::days(30))),
        end_utc: Some(Timestamp::from(now)),
    });
    let threads: Vec<_> = client
        .message_threads()
        .get_all_items(request)
        .try_collect()
        .await?;
    println!("{} message threads", threads.len());

    if let Some(thread) = threads.first() {
        let message = MessageParameters::new(thread.id.clone(), "Hello from Rust".to_string());
        let added = client
            .messages()
            .add(&MessagesAddRequest::new(vec![message]))
            .await?;
        println!("added message {}", added.messages[0].message.id);
    }
    Ok(())
}
