//! A crate outside the workspace that depends on `generated-client` by path, with only the pages it uses,
//! calls the first operations an integration needs: `configuration/get`, `services/getAll` and the paging
//! stream of `reservations/getAll/2023-06-06`. `cargo check` with the workspace's target folder and lock file.
//! A second one tests its own paging and write flow against the `testing` mock (a dev-dependency feature):
//! `cargo test` runs it, with no network but loopback and no Markdown. A third serves 1,000 properties through
//! one `Client` against the mock, with a rate limit per `AccessToken`, and rotates one property's token mid-run.

use std::path::Path;
use std::process::{Command, Output};

use super::support::{root, stderr, target_dir};

const MAIN: &str = r#"//! A downstream integration.
use futures_util::TryStreamExt;
use mews_connector::{
    Client, ConfigurationGetRequest, Environment, Limitation, ReservationsGetAllRequest,
    ServicesGetAllRequest,
};

pub async fn first_steps(client: &Client) -> Result<usize, mews_connector::runtime::Error> {
    let configuration = client
        .configuration()
        .get(&ConfigurationGetRequest::default())
        .await?;
    let services = client
        .services()
        .get_all(&ServicesGetAllRequest::new(Limitation::new(100)))
        .await?;
    let reservations: Vec<mews_connector::Reservation> = client
        .reservations()
        .get_all_items(ReservationsGetAllRequest::new(Limitation::new(1000)))
        .try_collect()
        .await?;
    Ok(configuration.enterprise.name.len() + services.services.len() + reservations.len())
}

fn main() {
    let client: Result<Client, _> =
        Client::builder(Environment::Demo, "client", "access", "Downstream 1.0.0").build();
    drop(client);
}
"#;

#[test]
fn a_downstream_crate_compiles_against_the_pages_it_enables() {
    let client = root().join("generated-client");
    let manifest = format!(
        r#"[package]
name = "downstream"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
generated-client = {{ path = "{}", default-features = false, features = ["configuration", "services", "reservations"] }}
futures-util = {{ version = "0.3", default-features = false }}

[workspace]
"#,
        client.display()
    );
    let check = cargo_in_scratch_crate("downstream", &manifest, &[("src/main.rs", MAIN)], "check");
    assert!(
        check.status.success(),
        "the downstream crate does not compile:\n{}",
        stderr(&check)
    );
    assert!(
        !stderr(&check).contains("warning"),
        "the downstream crate compiles with warnings:\n{}",
        stderr(&check)
    );
}

/// The integration's own code: pages every message thread, then their messages, and replies to each thread
/// that has any.
const FLOW: &str = r#"//! A downstream integration that replies to message threads.
use futures_util::TryStreamExt;
use mews_connector::{
    Client, Limitation, MessageParameters, MessageThreadId, MessageThreadsGetAllRequest,
    MessagesAddRequest, MessagesGetAllRequest,
};

/// Replies `text` to every thread that has a message; returns how many replies were added.
pub async fn reply_to_threads(client: &Client, text: &str) -> mews_connector::Result<usize> {
    let threads: Vec<_> = client
        .message_threads()
        .get_all_items(MessageThreadsGetAllRequest::new(Limitation::new(100)))
        .try_collect()
        .await?;
    let ids: Vec<MessageThreadId> = threads.into_iter().map(|t| t.id).collect();
    let mut replied: Vec<MessageThreadId> = Vec::new();
    for chunk in ids.chunks(1000) {
        let messages: Vec<_> = client
            .messages()
            .get_all_items(MessagesGetAllRequest::new(chunk.to_vec(), Limitation::new(500)))
            .try_collect()
            .await?;
        for message in messages {
            if !replied.contains(&message.message_thread_id) {
                replied.push(message.message_thread_id);
            }
        }
    }
    for batch in replied.chunks(1000) {
        let replies = batch
            .iter()
            .map(|id| MessageParameters::new(id.clone(), text.to_string()))
            .collect();
        client.messages().add(&MessagesAddRequest::new(replies)).await?;
    }
    Ok(replied.len())
}
"#;

/// The integration's test: the mock holds 250 threads and 1,200 messages on the first three of them.
const FLOW_TEST: &str = r#"//! The flow against the mock: no network, no Markdown.
use downstream_testing::reply_to_threads;
use mews_connector::testing::MockServer;
use mews_connector::{
    Limitation, MessageThreadsGetAllRequest, MessagesAddRequest, MessagesGetAllRequest,
};

#[tokio::test]
async fn replies_once_to_each_thread_with_messages() {
    let mock = MockServer::start().await;
    let client = mock.client();
    // Shaped like the documented examples, which the mock answers before anything is loaded.
    let thread = client
        .message_threads()
        .get_all(&MessageThreadsGetAllRequest::new(Limitation::new(1)))
        .await
        .unwrap()
        .message_threads
        .remove(0);
    let message = client
        .messages()
        .get_all(&MessagesGetAllRequest::new(vec![thread.id.clone()], Limitation::new(1)))
        .await
        .unwrap()
        .messages
        .remove(0);
    let threads: Vec<_> = (0..250)
        .map(|i| {
            let mut t = thread.clone();
            t.id = format!("c1478ff9-0000-4000-8000-{i:012}").into();
            t
        })
        .collect();
    let messages: Vec<_> = (0..1200)
        .map(|i| {
            let mut m = message.clone();
            m.message_thread_id = threads[i % 3].id.clone();
            m
        })
        .collect();
    mock.load::<MessageThreadsGetAllRequest>(threads.clone());
    mock.load::<MessagesGetAllRequest>(messages);

    assert_eq!(reply_to_threads(&client, "Thank you").await.unwrap(), 3);

    // 250 threads by 100: 3 pages; 1,200 messages by 500: 3 pages (the first two calls above add one each).
    assert_eq!(mock.request_count::<MessageThreadsGetAllRequest>(), 1 + 3);
    assert_eq!(mock.request_count::<MessagesGetAllRequest>(), 1 + 3);
    let pages = mock.requests::<MessagesGetAllRequest>();
    assert_eq!(pages[1].message_thread_ids.len(), 250);
    assert!(pages[3].limitation.cursor.is_some());
    let added = mock.requests::<MessagesAddRequest>();
    assert_eq!(added.len(), 1);
    let targets: Vec<_> = added[0].messages.iter().map(|m| m.message_thread_id.clone()).collect();
    assert_eq!(targets, [threads[0].id.clone(), threads[1].id.clone(), threads[2].id.clone()]);
    assert!(added[0].messages.iter().all(|m| m.text == "Thank you"));
}
"#;

#[test]
fn a_downstream_crate_tests_its_flow_against_the_mock() {
    let client = root().join("generated-client");
    let manifest = format!(
        r#"[package]
name = "downstream-testing"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
generated-client = {{ path = "{path}", default-features = false, features = ["messages", "messagethreads"] }}
futures-util = {{ version = "0.3", default-features = false }}

[dev-dependencies]
generated-client = {{ path = "{path}", default-features = false, features = ["messages", "messagethreads", "testing"] }}
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}

[workspace]
"#,
        path = client.display()
    );
    tests_pass_in_scratch_crate(
        "downstream-testing",
        &manifest,
        &[("src/lib.rs", FLOW), ("tests/flow.rs", FLOW_TEST)],
    );
}

/// A multi-property integration: one `Client` for every property, a handle per `AccessToken`.
const PROPERTIES: &str = r#"//! A downstream integration serving many properties through one client.
use futures_util::{StreamExt, TryStreamExt, stream};
use mews_connector::{Client, ClientPool, ConfigurationGetRequest};

/// One property: its name and its handle on the shared client.
pub struct Property {
    pub name: String,
    pub client: Client,
}

/// A handle per `AccessToken`, all through `pool`'s connections.
pub fn connect(pool: &ClientPool, tokens: &[String]) -> Vec<Property> {
    tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let name = format!("hotel-{i}");
            let client = pool.for_enterprise_labelled(token.as_str(), name.clone());
            Property { name, client }
        })
        .collect()
}

/// Reads every property's configuration, 64 at a time; returns how many were read.
pub async fn sync(properties: &[Property]) -> mews_connector::Result<usize> {
    let names: Vec<String> = stream::iter(properties)
        .map(|property| async move {
            let configuration = property
                .client
                .configuration()
                .get(&ConfigurationGetRequest::default())
                .await?;
            Ok::<_, mews_connector::Error>(format!("{}: {}", property.name, configuration.enterprise.name))
        })
        .buffer_unordered(64)
        .try_collect()
        .await?;
    Ok(names.len())
}
"#;

/// 1,000 properties against the mock, a token rotated mid-run, two requests per token per hour allowed.
const PROPERTIES_TEST: &str = r#"//! Many properties against the mock: one client, per-token limits, a token rotated mid-run.
use std::collections::HashMap;
use std::time::Duration;

use downstream_properties::{connect, sync};
use mews_connector::runtime::{RateLimits, RateWindow};
use mews_connector::testing::MockServer;
use mews_connector::{ClientPool, ConfigurationGetRequest};

#[tokio::test]
async fn one_client_serves_a_thousand_properties_and_rotates_a_token() {
    let mock = MockServer::start().await;
    let tokens: Vec<String> = (0..1000).map(|i| format!("AT-property-{i:04}")).collect();
    mock.accept_access_tokens(tokens.clone());
    mock.accept_access_tokens(["AT-property-0007-renewed"]);
    // Two requests per token per hour: one limiter for all tokens would stall after the second request.
    let limits = RateLimits::disabled().per_token(Some(RateWindow::new(2, Duration::from_secs(3600))));
    let pool: ClientPool = mock.pool_builder().rate_limits(limits).build_pool().unwrap();
    let properties = connect(&pool, &tokens);

    // Property 7's token is replaced while the first pass runs.
    let rotate = async {
        while mock.request_count::<ConfigurationGetRequest>() < 300 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        properties[7].client.rotate_access_token("AT-property-0007-renewed");
    };
    let (first, ()) = tokio::join!(sync(&properties), rotate);
    assert_eq!(first.unwrap(), 1000);
    // The old token stops working; the second pass uses the new one.
    mock.revoke_access_token("AT-property-0007");
    assert_eq!(sync(&properties).await.unwrap(), 1000);

    let mut per_token: HashMap<String, usize> = HashMap::new();
    for body in mock.request_bodies::<ConfigurationGetRequest>() {
        *per_token.entry(body["AccessToken"].as_str().unwrap().to_string()).or_default() += 1;
    }
    assert_eq!(per_token.values().sum::<usize>(), 2000);
    assert!(per_token.values().all(|&n| n <= 2), "no token over its limit");
    assert_eq!(per_token["AT-property-0999"], 2);
    assert!(per_token["AT-property-0007-renewed"] >= 1);
    assert_eq!(mock.rejected(), 0);
    for (i, property) in properties.iter().enumerate() {
        let used = property.client.runtime().rate_limit_usage().unwrap().in_window;
        if i != 7 {
            assert_eq!(used, 2, "{}: its own window", property.name);
        }
    }
    let shown = format!("{pool:?} {:?}", properties[7].client);
    assert!(!shown.contains("AT-property"), "{shown}");
}
"#;

#[test]
fn a_downstream_crate_serves_many_properties_through_one_client() {
    let client = root().join("generated-client");
    let manifest = format!(
        r#"[package]
name = "downstream-properties"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
generated-client = {{ path = "{path}", default-features = false, features = ["configuration"] }}
futures-util = {{ version = "0.3", default-features = false, features = ["alloc"] }}

[dev-dependencies]
generated-client = {{ path = "{path}", default-features = false, features = ["configuration", "testing"] }}
tokio = {{ version = "1", features = ["macros", "rt-multi-thread", "time"] }}

[workspace]
"#,
        path = client.display()
    );
    tests_pass_in_scratch_crate(
        "downstream-properties",
        &manifest,
        &[
            ("src/lib.rs", PROPERTIES),
            ("tests/properties.rs", PROPERTIES_TEST),
        ],
    );
}

/// Runs `cargo test` on a scratch crate (see [`cargo_in_scratch_crate`]): its tests pass, and it builds without
/// warnings.
pub(super) fn tests_pass_in_scratch_crate(name: &str, manifest: &str, files: &[(&str, &str)]) {
    let test = cargo_in_scratch_crate(name, manifest, files, "test");
    assert!(
        test.status.success(),
        "the tests of the scratch crate `{name}` fail:\n{}\n{}",
        String::from_utf8_lossy(&test.stdout),
        stderr(&test)
    );
    assert!(
        !stderr(&test).contains("warning"),
        "the scratch crate `{name}` builds with warnings:\n{}",
        stderr(&test)
    );
}

/// Writes a crate outside the workspace into the test's scratch folder (its manifest, its files, the workspace's
/// lock file, so the same dependency versions are already built in the shared target folder) and runs
/// `cargo <subcommand> --offline` on it.
fn cargo_in_scratch_crate(
    name: &str,
    manifest: &str,
    files: &[(&str, &str)],
    subcommand: &str,
) -> Output {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("scratch folder");
        }
        std::fs::write(target, text).expect("source file");
    }
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    Command::new(cargo)
        .args([
            subcommand,
            "--offline",
            "--message-format",
            "short",
            "--quiet",
        ])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo runs")
}
