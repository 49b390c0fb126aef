//! Test helpers: loading fixtures, running the pipeline, rendering what the snapshots show.

use std::path::{Path, PathBuf};

use codegen::diagnostics::render_all;
use codegen::source::SourceSet;
use codegen::{Config, Generated};

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture file: one page (`operations/<name>.md`) or several, each introduced by `<!-- page: path -->`.
pub fn fixture_pages(name: &str) -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(fixtures_dir().join(format!("{name}.md"))).expect("fixture exists");
    split_pages(name, &text)
}

pub fn split_pages(name: &str, text: &str) -> Vec<(String, String)> {
    const MARKER: &str = "<!-- page: ";
    if !text.starts_with(MARKER) {
        return vec![(format!("operations/{name}.md"), text.to_string())];
    }
    text.split(MARKER)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (path, body) = part.split_once(" -->\n").expect("page marker line");
            (path.trim().to_string(), body.to_string())
        })
        .collect()
}

pub fn generate_pages(pages: Vec<(String, String)>, overrides: Option<&str>) -> Generated {
    codegen::generate(SourceSet::from_pages(pages), overrides, &Config::default())
}

pub fn diagnostics_text(generated: &Generated) -> String {
    render_all(&generated.diagnostics, &generated.sources, "")
}

/// The generated page modules (not the shared files), concatenated with their paths.
pub fn code_text(generated: &Generated) -> String {
    generated
        .files
        .iter()
        .filter(|(path, _)| {
            path.starts_with("src/generated/")
                && path.ends_with(".rs")
                && !path.ends_with("/mod.rs")
        })
        .map(|(path, text)| format!("// ---- {path}\n{text}"))
        .collect()
}

/// A folder of `../shared` (beside the checkout): required under `CI=true`, optional on a developer machine
/// (the caller's checks are skipped with a notice on stderr).
pub fn shared_dir(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some_and(|v| v == "true") {
        panic!("CI=true but {} is missing", dir.display());
    }
    eprintln!(
        "note: {} is absent; skipping the checks that read it",
        dir.display()
    );
    None
}

/// The project's `spec/` folder.
pub fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// The pages of `spec/` as `(path, text)` and its overrides file.
pub fn spec_pages() -> (Vec<(String, String)>, Option<String>) {
    let mut diagnostics = codegen::diagnostics::Diagnostics::default();
    let input = codegen::load::load_dir(&spec_dir(), &mut diagnostics).expect("spec/ readable");
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    (
        input
            .sources
            .iter()
            .map(|(_, f)| (f.path.clone(), f.text.clone()))
            .collect(),
        input.overrides,
    )
}
