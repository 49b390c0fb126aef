//! Many properties, one client: a handle per `AccessToken` through one connection pool, every property read
//! 16 calls at a time, and a token rotated (run against the demo environment with `MEWS_CLIENT_TOKEN` and
//! `MEWS_ACCESS_TOKENS`, comma-separated, set: `cargo run -p generated-client --example properties`).
use futures_util::{StreamExt, TryStreamExt, stream};
use mews_connector::{Client, ClientPool, ConfigurationGetRequest, Environment};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool: ClientPool = Client::multi_property(
        Environment::Demo,
        std::env::var("MEWS_CLIENT_TOKEN")?,
        "Properties 1.0.0",
    )
    .build_pool()?;
    // A handle per property: a few small allocations each, no connection of its own.
    let tokens = std::env::var("MEWS_ACCESS_TOKENS")?;
    let hotels: Vec<Client> = tokens
        .split(',')
        .enumerate()
        .map(|(i, token)| pool.for_enterprise_labelled(token.trim(), format!("property {i}")))
        .collect();

    // Every property's configuration, 16 calls at a time through the shared pool; each token has its own
    // rate limit, and a `Retry-After` for one token holds back that token only.
    let names: Vec<String> = stream::iter(&hotels)
        .map(|hotel| async move {
            let configuration = hotel
                .configuration()
                .get(&ConfigurationGetRequest::default())
                .await?;
            Ok::<_, mews_connector::Error>(configuration.enterprise.name)
        })
        .buffered(16)
        .try_collect()
        .await?;
    for (hotel, name) in hotels.iter().zip(&names) {
        println!("{}: {name}", hotel.runtime().label().unwrap_or("?"));
    }

    // After `IntegrationApiKeyCreated`: calls already started finish with the old token, later calls use the new one.
    if let (Ok(renewed), Some(first)) = (std::env::var("MEWS_RENEWED_ACCESS_TOKEN"), hotels.first())
    {
        first.rotate_access_token(renewed);
    }
    Ok(())
}
