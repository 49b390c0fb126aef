//! Quickstart: a first integration across several resources: the enterprise's configuration and services, the
//! reservations updated in the last day with their customers, then a message in a new thread (run against the
//! demo environment with `MEWS_CLIENT_TOKEN` and `MEWS_ACCESS_TOKEN` set:
//! `cargo run -p generated-client --example quickstart`).
use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use mews_connector::runtime::Timestamp;
use mews_connector::{
    AccountType, Client, ConfigurationGetRequest, CustomerExtent, CustomerId,
    CustomersGetAllRequest, Environment, Limitation, MessageParameters, MessageThreadsAddRequest,
    MessagesAddRequest, ReservationsGetAllRequest, ServicesGetAllRequest, TimeInterval,
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

    // 1. Configuration: the enterprise behind the access token, and its services.
    let configuration = client
        .configuration()
        .get(&ConfigurationGetRequest::default())
        .await?;
    let enterprise = &configuration.enterprise;
    println!("{} ({})", enterprise.name, enterprise.time_zone_identifier);
    let services = client
        .services()
        .get_all(&ServicesGetAllRequest::new(Limitation::new(100)))
        .await?;
    println!("{} services", services.services.len());

    // 2. Reservations updated in the last day: the stream follows the cursor, one request per page.
    let now = time::OffsetDateTime::now_utc();
    let mut request = ReservationsGetAllRequest::new(Limitation::new(1000));
    request.updated_utc = Some(TimeInterval {
        start_utc: Some(Timestamp::from(now - time::Duration::days(1))),
        end_utc: Some(Timestamp::from(now)),
    });
    let reservations: Vec<_> = client
        .reservations()
        .get_all_items(request)
        .try_collect()
        .await?;
    println!("{} reservations updated today", reservations.len());

    // Their customers: a reservation's account is a customer or a company, so its id is an account id.
    let customer_ids: Vec<CustomerId> = reservations
        .iter()
        .filter(|r| r.account_type == AccountType::Customer)
        .map(|r| r.account_id.clone().retag())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // At most 1000 identifiers per request (checked before sending).
    for chunk in customer_ids.chunks(1000) {
        let extent = CustomerExtent {
            customers: Some(true),
            ..Default::default()
        };
        let mut request = CustomersGetAllRequest::new(extent, Limitation::new(1000));
        request.customer_ids = Some(chunk.to_vec());
        // A page of `customers/getAll` holds other lists beside `Customers` (what `Extent` asks for), so
        // its items stream yields batches: a page's customers beside the rest of that page.
        let mut batches = client.customers().get_all_items(request);
        while let Some(batch) = batches.try_next().await? {
            for customer in &batch.items {
                println!("{} {}", customer.number, customer.last_name);
            }
        }
    }

    // 3. A message: open a thread, then add a message to it.
    let threads = client
        .message_threads()
        .add(&MessageThreadsAddRequest::new(
            "Quickstart".to_string(),
            "Hello".to_string(),
        ))
        .await?;
    if let Some(thread) = threads.message_threads.first() {
        let message = MessageParameters::new(thread.id.clone(), "Hello from Rust".to_string());
        let added = client
            .messages()
            .add(&MessagesAddRequest::new(vec![message]))
            .await?;
        println!("added message {}", added.messages[0].message.id);
    }
    Ok(())
}
