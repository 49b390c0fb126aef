//! The crate files around the generated code: the Cargo feature block (one feature per operations page) in
//! `generated-client/Cargo.toml`, and for a standalone crate its whole manifest (depending on the runtime crate
//! alone), `src/lib.rs`, `src/testing.rs` (the mock) and its one test binary, `tests/it/main.rs`.

use super::Config;
use crate::ir::Api;

/// Lines of the client's `Cargo.toml` between these markers are the generated feature block.
pub const FEATURES_BEGIN: &str = "# @generated features begin";
pub const FEATURES_END: &str = "# @generated features end";

/// Which crate the files are for, and so which crate files come with the code.
#[derive(Clone, Debug)]
pub enum Package {
    /// `generated-client` itself: its manifest, whose feature block is regenerated.
    Client(ClientManifest),
    /// A crate of its own for another spec folder.
    Standalone {
        /// The package name (`mews-client-x`); the library is `Config::crate_name`.
        name: String,
        /// The path of the runtime crate (`mews-connector-runtime`) relative to the crate, for the dependency.
        runtime_crate: String,
    },
}

impl Package {
    /// The folders (and files) of the crate the generator owns: a file there that it no longer produces is
    /// stale. `tests/generated` and a standalone crate's `tests/examples.rs` are where the tests were before
    /// they became modules of one test binary, so that a crate generated then loses them.
    pub fn owned_dirs(package: Option<&Package>) -> Vec<&'static str> {
        match package {
            Some(Package::Standalone { .. }) => vec![
                "src/generated",
                "tests/it/generated",
                "src",
                "tests/generated",
                "tests/examples.rs",
            ],
            Some(Package::Client(_)) | None => {
                vec!["src/generated", "tests/it/generated", "tests/generated"]
            }
        }
    }
}

/// `generated-client/Cargo.toml`, around its feature block.
#[derive(Clone, Debug)]
pub struct ClientManifest {
    /// The text up to and including the begin marker's line.
    head: String,
    /// The text from the end marker on.
    tail: String,
}

impl ClientManifest {
    /// Splits a manifest at its feature block; an error names the marker it lacks.
    pub fn parse(manifest: &str) -> Result<ClientManifest, String> {
        let missing = |marker: &str| format!("the manifest lacks the `{marker}` marker");
        let begin = manifest
            .find(FEATURES_BEGIN)
            .ok_or_else(|| missing(FEATURES_BEGIN))?;
        let body = manifest[begin..]
            .find('\n')
            .map_or(manifest.len(), |n| begin + n + 1);
        let end = manifest[body..]
            .find(FEATURES_END)
            .map(|n| body + n)
            .ok_or_else(|| missing(FEATURES_END))?;
        Ok(ClientManifest {
            head: manifest[..body].to_string(),
            tail: manifest[end..].to_string(),
        })
    }
}

/// The crate files of `config.package`, by path relative to the crate.
pub fn package_files(api: &Api, config: &Config) -> Vec<(String, String)> {
    let features = feature_block(api);
    let text = |path: &str, text: String| (path.to_string(), text);
    match &config.package {
        None => Vec::new(),
        Some(Package::Client(manifest)) => {
            let mut out = manifest.head.clone();
            for line in &features {
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(&manifest.tail);
            vec![text("Cargo.toml", out)]
        }
        Some(Package::Standalone {
            name,
            runtime_crate,
        }) => vec![
            text(
                "Cargo.toml",
                standalone_manifest(config, name, runtime_crate, &features.join("\n")),
            ),
            text("src/lib.rs", standalone_lib(config)),
            text("src/testing.rs", standalone_testing(config)),
            text("tests/it/main.rs", standalone_tests(config)),
        ],
    }
}

/// `default` (everything), `full` and one empty feature per operations page.
fn feature_block(api: &Api) -> Vec<String> {
    let mut features: Vec<&str> = Vec::new();
    // Several pages may share a feature (every events page is `events`).
    for feature in api.pages.iter().filter_map(|p| p.feature.as_deref()) {
        if !features.contains(&feature) {
            features.push(feature);
        }
    }
    let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    let mut lines = vec![
        "# The whole API is on by default; `default-features = false` with the pages you use compiles only those."
            .to_string(),
        "default = [\"full\"]".to_string(),
        format!("full = [{}]", quoted.join(", ")),
    ];
    lines.extend(features.iter().map(|f| format!("{f} = []")));
    lines
}

fn standalone_manifest(config: &Config, name: &str, runtime: &str, features: &str) -> String {
    let (command, crate_name) = (&config.command, &config.crate_name);
    format!(
        r#"# @generated by `{command}`. Do not edit by hand.
[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false
description = "Typed Mews Connector API client generated from Markdown docs"

[lib]
name = "{crate_name}"
# The tests are `tests/it`, one binary.
test = false

[dependencies]
mews-connector-runtime = {{ path = "{runtime}" }}
serde = {{ version = "1", features = ["derive"] }}

[dev-dependencies]
{name} = {{ path = ".", features = ["full-serde", "testing"] }}
tokio = {{ version = "1", features = ["rt", "macros"] }}

[features]
# Both serde directions on every type (by default requests only serialize and responses only deserialize).
full-serde = []
# `{crate_name}::testing`: a mock of the crate's operations for tests (needs both serde directions).
testing = ["full-serde", "mews-connector-runtime/testing"]
# `runtime::Decimal` converts to and from `rust_decimal::Decimal`.
rust_decimal = ["mews-connector-runtime/rust_decimal"]
# `runtime::events::EventStream`: the WebSocket events.
websocket = ["mews-connector-runtime/websocket"]
{features}

# A crate of its own, not a member of any enclosing workspace.
[workspace]
"#
    )
}

fn standalone_lib(config: &Config) -> String {
    let (command, spec) = (&config.command, &config.spec_label);
    format!(
        r#"//! @generated by `{command}`: a typed Mews Connector API client for the pages in `{spec}`. Do not edit by hand.

pub use mews_connector_runtime as runtime;
pub use runtime::{{CallOptions, ClientBuilder, Environment, Error, Result}};
#[cfg(feature = "testing")]
pub mod testing;

#[rustfmt::skip]
mod generated;
pub use generated::*;
"#
    )
}

/// The `testing` module: the runtime's mock with this crate's table and client, as `generated-client` has it.
fn standalone_testing(config: &Config) -> String {
    let command = &config.command;
    format!(
        r#"//! @generated by `{command}`: a mock of the crate's operations for tests (`testing` feature), answering each
//! with its documented response example; see `runtime::testing::MockServer` for what it checks and what a test
//! can change. Do not edit by hand.

pub use super::generated::mock_routes::{{Api, MockServer}};
pub use super::runtime::testing::{{
    ACCESS_TOKEN, ApiMockServer, CLIENT_NAME, CLIENT_TOKEN, MAX_COUNT, MockApi, Paging, Reply, Route,
}};
"#
    )
}

/// The one test binary: the generated example checks and the calls of every operation on the mock.
fn standalone_tests(config: &Config) -> String {
    let command = &config.command;
    format!(
        r#"//! @generated by `{command}`: the crate's tests in one binary (the checks are generated). Do not edit by hand.

{}"#,
        TEST_MODULES
    )
}

/// The generated test modules, as `tests/it/main.rs` declares them (`generated-client`'s too).
pub const TEST_MODULES: &str = r#"/// Every JSON example of the docs checked against the generated types.
#[rustfmt::skip]
#[path = "generated/examples.rs"]
mod examples;

/// Every operation called on the `testing` mock through the client: its documented answer decodes.
#[rustfmt::skip]
#[path = "generated/mock.rs"]
mod operations_on_mock;
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_manifest_keeps_everything_around_its_feature_block() {
        let manifest = format!(
            "[package]\n\n[features]\nx = []\n{FEATURES_BEGIN}\nold = []\n{FEATURES_END}\n\n[lints]\n"
        );
        let parsed = ClientManifest::parse(&manifest).unwrap();
        assert_eq!(
            parsed.head,
            format!("[package]\n\n[features]\nx = []\n{FEATURES_BEGIN}\n")
        );
        assert_eq!(parsed.tail, format!("{FEATURES_END}\n\n[lints]\n"));
        let error = ClientManifest::parse("[package]\n").unwrap_err();
        assert!(error.contains(FEATURES_BEGIN), "{error}");
        let error = ClientManifest::parse(&format!("{FEATURES_BEGIN}\n")).unwrap_err();
        assert!(error.contains(FEATURES_END), "{error}");
    }
}
