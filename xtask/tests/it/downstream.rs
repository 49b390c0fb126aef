//! A crate outside the workspace that depends on `generated-client` by path, with only the pages it uses,
//! calls the first operations an integration needs: `configuration/get`, `services/getAll` and the paging
//! stream of `reservations/getAll/2023-06-06`. `cargo check` with the workspace's target folder and lock file.

use std::path::Path;
use std::process::Command;

use super::support::{root, stderr};

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
        .get_all_items_stream(ReservationsGetAllRequest::new(Limitation::new(1000)))
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
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("downstream");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("scratch folder");
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
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::write(dir.join("src/main.rs"), MAIN).expect("main.rs");
    // The workspace's lock file: the same dependency versions, already built in the shared target folder.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let check = Command::new(cargo)
        .args(["check", "--offline", "--message-format", "short", "--quiet"])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo runs");
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
