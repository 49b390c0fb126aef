//! Whatever lowers without errors compiles: every construct fixture (cursed names, recursive and mutually
//! recursive objects, empty objects, one-value enums, coproducts, parameter sets…) is generated into one
//! standalone crate with `cargo xtask regen --spec DIR --out DIR`, then `cargo build` and `cargo clippy
//! --all-targets` run on it with the workspace's target folder, so dependencies are reused; then `cargo check`
//! with no page feature and with each page feature alone.

use std::path::Path;
use std::process::Command;

use super::support::{fixture_pages, root, stderr, target_dir, write_spec, xtask};

/// The construct fixtures of `codegen/tests/fixtures/*.md` as one spec; a page path two fixtures share
/// is kept under its fixture's name.
fn odd_spec(dir: &Path) -> usize {
    let fixtures = root().join("codegen/tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let mut pages: Vec<(String, String)> = Vec::new();
    for file in &files {
        let name = file
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for (path, text) in fixture_pages(file) {
            let path = if pages.iter().any(|(p, _)| *p == path) {
                path.replace(".md", &format!("_{name}.md"))
            } else {
                path
            };
            pages.push((path, text));
        }
    }
    write_spec(dir, &pages);
    files.len()
}

fn cargo(args: &[&str], manifest: &Path) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    // Flags after `--` go to the compiler, so they come last.
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let (own, compiler) = args.split_at(split);
    Command::new(cargo)
        .args(own)
        .arg("--manifest-path")
        .arg(manifest)
        .args(["--message-format", "short", "--quiet"])
        .args(compiler)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo runs")
}

#[test]
fn odd_but_valid_pages_generate_a_crate_that_builds_without_warnings() {
    let started = std::time::Instant::now();
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let spec = base.join("odd-spec");
    let _ = std::fs::remove_dir_all(&spec);
    let fixtures = odd_spec(&spec);
    // A fixed folder (not per process), so later runs find the crate and its build warm.
    let out = base.join("odd-client");
    let generated = xtask(
        &[
            "regen",
            "--spec",
            spec.to_str().expect("UTF-8"),
            "--out",
            out.to_str().expect("UTF-8"),
        ],
        &root(),
        &[],
    );
    let message = stderr(&generated);
    assert!(generated.status.success(), "{message}");
    assert!(message.contains(" 0 errors"), "{message}");
    eprintln!(
        "odd crate: {fixtures} fixtures generated in {:?}",
        started.elapsed()
    );

    let manifest = out.join("Cargo.toml");
    let build = cargo(&["build"], &manifest);
    assert!(
        build.status.success(),
        "cargo build failed:\n{}",
        stderr(&build)
    );
    eprintln!("odd crate: built after {:?}", started.elapsed());

    // The runtime's own warnings are its business; none may point into the generated crate, whose every
    // warning (rustc's naming lints included) is denied: clippy applies `-D warnings` to the generated crate only.
    let clippy = cargo(
        &["clippy", "--all-targets", "--", "-D", "warnings"],
        &manifest,
    );
    let report = stderr(&clippy);
    assert!(clippy.status.success(), "cargo clippy failed:\n{report}");
    let ours: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("src/") || l.starts_with("tests/") || l.contains("odd-client/"))
        .collect();
    assert!(
        ours.is_empty(),
        "warnings in generated code:\n{}",
        ours.join("\n")
    );
    eprintln!("odd crate: clippy clean after {:?}", started.elapsed());

    // Every item exists whenever something that names it does: with no page feature, and with each alone.
    let features = page_features(&manifest);
    assert!(features.len() > 5, "{features:?}");
    let mut sets = vec![String::new()];
    sets.extend(features);
    for set in &sets {
        let check = cargo(
            &["check", "--no-default-features", "--features", set],
            &manifest,
        );
        assert!(
            check.status.success(),
            "cargo check --no-default-features --features '{set}' failed:\n{}",
            stderr(&check)
        );
    }
    eprintln!(
        "odd crate: {} feature sets checked after {:?}",
        sets.len(),
        started.elapsed()
    );
}

/// The page features of a generated `Cargo.toml`: those `full` (on by default) lists.
fn page_features(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).expect("manifest");
    assert!(
        text.contains("default = [\"full\"]"),
        "the whole API is the default"
    );
    let default = text
        .lines()
        .find_map(|l| l.strip_prefix("full = ["))
        .expect("a full feature list");
    default
        .trim_end_matches(']')
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_string())
        .filter(|f| !f.is_empty())
        .collect()
}
