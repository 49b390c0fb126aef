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
        .filter(|(path, _)| path.starts_with("src/generated/") && !path.ends_with("/mod.rs"))
        .map(|(path, text)| format!("// ---- {path}\n{text}"))
        .collect()
}

/// Whether the shared corpus is required (CI) or optional (a developer machine without it).
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some_and(|v| v == "true") {
        panic!("CI=true but the corpus is missing at {}", dir.display());
    }
    eprintln!(
        "note: {} is absent; skipping the corpus checks",
        dir.display()
    );
    None
}
