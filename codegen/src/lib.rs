//! The Mews Connector API client generator: Markdown pages → page model → IR → Rust tokens → files.
//!
//! [`parse`] turns each page into a [`parse::Page`] with spans; [`lower`] turns the pages into an
//! [`ir::Api`] plus diagnostics; [`emit`] turns the IR into token streams per file; [`format`](mod@format)
//! prints them with prettyplease and a header. [`generate`] runs the whole pipeline ([`generate_timed`] also says
//! how long each phase took); [`load`] is the only file reading. [`diff`] compares two IRs and says what changed
//! for the generated crate.

pub mod codes;
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
use std::time::{Duration, Instant};

use diagnostics::Diagnostics;
use source::{FileId, SourceSet};

pub use emit::Config;

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
pub fn analyze(sources: SourceSet, overrides: Option<&str>) -> (ir::Api, Diagnostics, SourceSet) {
    let mut times = PhaseTimes::default();
    analyze_timed(sources, overrides, &mut times)
}

/// Runs the whole pipeline. Files are produced only when there are no errors, so that nothing half-right
/// is ever written.
pub fn generate(sources: SourceSet, overrides: Option<&str>, config: &Config) -> Generated {
    generate_timed(sources, overrides, config).0
}

/// How long each phase of [`generate_timed`] took (wall-clock time), in the order data flows through them.
/// Reading the pages ([`load`]) and writing the files happen outside the library and are not included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhaseTimes {
    /// Markdown → page model: pulldown-cmark and the section builder, every page.
    pub parse: Duration,
    /// Page model → IR: overrides, links, shapes, formats, examples, names.
    pub lower: Duration,
    /// IR → token streams, one per file (`quote!`).
    pub emit: Duration,
    /// Token streams → text: `syn` + `prettyplease`, files formatted in parallel threads.
    pub format: Duration,
}

impl PhaseTimes {
    /// The four phases added up.
    pub fn total(&self) -> Duration {
        self.parse + self.lower + self.emit + self.format
    }
}

/// [`generate`], also returning how long each phase took. Emission and formatting are skipped (and take no
/// time) when lowering reported errors.
pub fn generate_timed(
    sources: SourceSet,
    overrides: Option<&str>,
    config: &Config,
) -> (Generated, PhaseTimes) {
    let mut times = PhaseTimes::default();
    let (api, mut diagnostics, sources) = analyze_timed(sources, overrides, &mut times);
    let mut files = BTreeMap::new();
    if !diagnostics.has_errors() {
        let started = Instant::now();
        let tokens = emit::emit(&api, config);
        times.emit = started.elapsed();
        let started = Instant::now();
        let formatted = format::format_all(tokens);
        times.format = started.elapsed();
        match formatted {
            Ok(formatted) => files = formatted,
            Err(error) => diagnostics.push(error),
        }
    }
    let generated = Generated {
        api,
        files,
        diagnostics,
        sources,
    };
    (generated, times)
}

fn analyze_timed(
    mut sources: SourceSet,
    overrides: Option<&str>,
    times: &mut PhaseTimes,
) -> (ir::Api, Diagnostics, SourceSet) {
    let mut diagnostics = Diagnostics::default();
    let started = Instant::now();
    let pages: Vec<parse::Page> = sources
        .iter()
        .map(|(id, file)| parse::parse_page(id, &file.path, &file.text, &mut diagnostics))
        .collect();
    times.parse = started.elapsed();
    let started = Instant::now();
    let overrides = match overrides {
        Some(text) => {
            let id: FileId = sources.add(load::OVERRIDES_FILE, text);
            lower::Overrides::parse(id, text, &mut diagnostics)
        }
        None => lower::Overrides::none(),
    };
    let api = lower::lower(&pages, &overrides, &mut diagnostics);
    diagnostics.sort();
    times.lower = started.elapsed();
    (api, diagnostics, sources)
}
