//! The Mews Connector API client generator: Markdown pages → page model → IR → Rust tokens → files.
//!
//! [`parse`] turns each page into a [`parse::Page`] with spans; [`lower`] turns the pages into an
//! [`ir::Api`] plus diagnostics; [`emit`] turns the IR into token streams per file; [`format`](mod@format)
//! prints them with prettyplease and a header. [`generate`] runs the whole pipeline ([`generate_timed`] also says
//! how long each phase took) and returns every file of the crate it writes into: the code, the crate files
//! ([`emit::Package`]), the API surface ([`SURFACE_FILE`]) and the diagnostics ([`DIAGNOSTICS_FILE`]). [`load`]
//! is the only file reading. [`diff`] compares two IRs and says what changed for the generated crate.

pub mod codes;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod parallel;
pub mod parse;
pub mod source;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use diagnostics::Diagnostics;
use source::{FileId, SourceSet};

pub use emit::Config;

/// The API surface written beside the generated code, which the next regeneration compares against.
pub const SURFACE_FILE: &str = "src/generated/api.json";

/// Every diagnostic of the run, rendered, beside the generated code: a new warning shows up in review as a
/// diff of this file.
pub const DIAGNOSTICS_FILE: &str = "src/generated/diagnostics.txt";

/// The result of a run: the IR, the files (path relative to the crate → contents) and every diagnostic.
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
    /// Planning the files, and the crate files (`Cargo.toml`).
    pub emit: Duration,
    /// IR → token streams (`quote!`) → text (`syn` + `prettyplease`): each Rust file is emitted on the
    /// thread that formats it, files in parallel ([`format::format_emission`]), and the API surface and the
    /// diagnostics file are written on those threads too.
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
        let mut emission = emit::Emission::new(&api, config);
        emission.insert_text_with(SURFACE_FILE, || surface_file(&api, &sources, config));
        emission.insert_text_with(DIAGNOSTICS_FILE, || {
            diagnostics_file(&diagnostics, &sources, config)
        });
        times.emit = started.elapsed();
        let started = Instant::now();
        let formatted = format::format_emission(&emission);
        drop(emission);
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

/// The API surface as JSON, with a note saying who wrote it.
fn surface_file(api: &ir::Api, sources: &SourceSet, config: &Config) -> String {
    let mut surface = diff::Surface::of(api, sources);
    surface.generated = format!(
        "by `{}` from `{}`: the API surface the next regeneration compares against (`cargo xtask diff`). Do not edit by hand.",
        config.command, config.spec_label
    );
    surface.to_json()
}

/// The diagnostics snapshot: a header, the count per code, then every diagnostic rendered with paths relative
/// to the spec folder (no absolute path, the same bytes on every machine).
fn diagnostics_file(diagnostics: &Diagnostics, sources: &SourceSet, config: &Config) -> String {
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diagnostics {
        *by_code.entry(d.code.name()).or_default() += 1;
    }
    let tally = if by_code.is_empty() {
        "none".to_string()
    } else {
        let counts: Vec<String> = by_code
            .iter()
            .map(|(code, n)| format!("{n} {code}"))
            .collect();
        counts.join(", ")
    };
    let mut out = format!(
        "@generated by `{}` from `{}`: every diagnostic of the run (see DIAGNOSTICS.md), so that a new one shows up in review. Do not edit by hand.\n\
         {} warning(s), {} error(s): {tally}\n",
        config.command,
        config.spec_label,
        diagnostics.warning_count(),
        diagnostics.error_count()
    );
    let rendered = diagnostics::render_all(diagnostics, sources, "");
    if !rendered.is_empty() {
        out.push('\n');
        out.push_str(&rendered);
    }
    out
}

fn analyze_timed(
    mut sources: SourceSet,
    overrides: Option<&str>,
    times: &mut PhaseTimes,
) -> (ir::Api, Diagnostics, SourceSet) {
    let mut diagnostics = Diagnostics::default();
    let started = Instant::now();
    // Pages parse independently, on the available cores; their diagnostics are kept in page order.
    let files: Vec<_> = sources.iter().collect();
    let parsed = parallel::map(
        &files,
        |(_, file)| file.text.len(),
        |&(id, file)| {
            let mut found = Diagnostics::default();
            let page = parse::parse_page(id, &file.path, &file.text, &mut found);
            (page, found)
        },
    );
    let pages: Vec<parse::Page> = match parsed {
        Some(parsed) => parsed
            .into_iter()
            .map(|(page, found)| {
                diagnostics.extend(found);
                page
            })
            .collect(),
        None => files
            .iter()
            .map(|&(id, file)| parse::parse_page(id, &file.path, &file.text, &mut diagnostics))
            .collect(),
    };
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
