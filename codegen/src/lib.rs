//! The Mews Connector API client generator: Markdown pages → page model → IR → Rust tokens → files.
//!
//! [`parse`] turns each page into a [`parse::Page`] with spans; [`lower`] turns the pages into an
//! [`ir::Api`] plus diagnostics; [`emit`] turns the IR into token streams per file; [`format`](mod@format)
//! prints them with prettyplease and a header. [`generate`] runs the whole pipeline; [`load`] is the only file
//! reading. [`diff`] compares two IRs and says what changed for the generated crate.

pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod parse;
pub mod source;

use std::collections::BTreeMap;

use diagnostics::Diagnostics;
use source::{FileId, SourceSet};

/// What to generate and for whom.
#[derive(Clone, Debug)]
pub struct Config {
    /// How generated code reaches the runtime (`crate::runtime` inside `generated-client`).
    pub runtime_path: String,
    /// The command named in each generated file's header.
    pub command: String,
    /// The spec folder as the user wrote it, for headers.
    pub spec_label: String,
    /// The client crate's library name, as generated tests import it.
    pub crate_name: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            runtime_path: "crate::runtime".to_string(),
            command: "cargo xtask regen".to_string(),
            spec_label: "spec/".to_string(),
            crate_name: "mews_connector".to_string(),
        }
    }
}

/// The result of a run: the IR, the files (relative path → contents) and every diagnostic.
#[derive(Debug)]
pub struct Generated {
    pub api: ir::Api,
    pub files: BTreeMap<String, String>,
    pub diagnostics: Diagnostics,
    /// The pages (and overrides file) diagnostics point into.
    pub sources: SourceSet,
}

/// Parses and lowers pages into the IR. Always returns an IR; errors are in the diagnostics.
pub fn analyze(
    mut sources: SourceSet,
    overrides: Option<&str>,
) -> (ir::Api, Diagnostics, SourceSet) {
    let mut diagnostics = Diagnostics::default();
    let pages: Vec<parse::Page> = sources
        .iter()
        .map(|(id, file)| parse::parse_page(id, &file.path, &file.text, &mut diagnostics))
        .collect();
    let overrides = match overrides {
        Some(text) => {
            let id: FileId = sources.add(lower::overrides::FILE_NAME, text);
            lower::Overrides::parse(id, text, &mut diagnostics)
        }
        None => lower::Overrides::none(),
    };
    let api = lower::lower(&pages, &overrides, &mut diagnostics);
    diagnostics.sort();
    (api, diagnostics, sources)
}

/// Runs the whole pipeline. Files are produced only when there are no errors, so that nothing half-right
/// is ever written.
pub fn generate(sources: SourceSet, overrides: Option<&str>, config: &Config) -> Generated {
    let (api, mut diagnostics, sources) = analyze(sources, overrides);
    let mut files = BTreeMap::new();
    if !diagnostics.has_errors() {
        match format::format_all(emit::emit(&api, config)) {
            Ok(formatted) => files = formatted,
            Err(error) => diagnostics.push(error),
        }
    }
    Generated {
        api,
        files,
        diagnostics,
        sources,
    }
}
