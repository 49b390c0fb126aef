//! `cargo xtask diff`: what changed between two versions of the docs, as Markdown or JSON, with the semver
//! bump the generated crate needs. Each side is a spec folder or an API surface (`api.json`) written by regen.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use codegen::diagnostics::{Diagnostics, render_all};
use codegen::diff::{self, RenderOptions, Surface};

use crate::regen::{SURFACE_FILE, label, package_version};

#[derive(Debug, Default, Clone)]
pub struct Args {
    /// Default: the committed surface of `generated-client`.
    pub old: Option<PathBuf>,
    /// Default: `spec/`.
    pub new: Option<PathBuf>,
    pub json: bool,
    /// Default: the version of `generated-client`.
    pub crate_version: Option<String>,
}

/// The report, rendered.
pub fn run(root: &Path, args: &Args) -> Result<String> {
    let client = root.join("generated-client");
    let old_path = args
        .old
        .clone()
        .unwrap_or_else(|| client.join(SURFACE_FILE));
    let new_path = args.new.clone().unwrap_or_else(|| root.join("spec"));
    let old = load(root, &old_path)?;
    let new = load(root, &new_path)?;
    let report = diff::compare(&old.surface, &new.surface);
    let options = RenderOptions {
        old_label: old.label,
        new_label: new.label,
        version: args
            .crate_version
            .clone()
            .or_else(|| package_version(&client)),
    };
    Ok(if args.json {
        report.to_json(&options)
    } else {
        report.to_markdown(&options)
    })
}

struct Side {
    surface: Surface,
    label: String,
}

/// A spec folder (analysed as regen does: warnings are fallbacks the surface records, errors fail because
/// regen would write nothing) or a surface file (anything else that can be read, so that
/// `--old <(git show HEAD:generated-client/src/generated/api.json)` works).
fn load(root: &Path, path: &Path) -> Result<Side> {
    if !path.is_dir() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        let surface = Surface::from_json(&text)
            .map_err(|e| anyhow!(e))
            .with_context(|| format!("`{}`", path.display()))?;
        let label = label(root, path);
        return Ok(Side {
            surface,
            label: label.trim_end_matches('/').to_string(),
        });
    }
    let mut diagnostics = Diagnostics::default();
    let input = codegen::load::load_dir(path, &mut diagnostics)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    if input.sources.is_empty() {
        bail!("`{}` has no Markdown pages", path.display());
    }
    let label = label(root, path);
    let (api, more, sources) = codegen::analyze(input.sources, input.overrides.as_deref());
    diagnostics.extend(more);
    if diagnostics.has_errors() {
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
        bail!(
            "{}\n`{label}` has {} error(s), so regen would write nothing for it: fix them (see `cargo xtask regen --spec {label}`) before comparing",
            render_all(errors, &sources, &label),
            diagnostics.error_count()
        );
    }
    Ok(Side {
        surface: Surface::of(&api, &sources),
        label,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project_root;

    fn scratch(name: &str, pages: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-diff-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in pages {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const PAGE: &str = "# T\n\n#### Thing\n\n| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n\
                        | `A` | string | required | A. |\n";

    #[test]
    fn compares_folders_and_surface_files_in_markdown_and_json() {
        let old = scratch("old", &[("operations/t.md", PAGE)]);
        let new = scratch(
            "new",
            &[(
                "operations/t.md",
                &PAGE.replace("| required |", "| optional |"),
            )],
        );
        let args = Args {
            old: Some(old.clone()),
            new: Some(new.clone()),
            json: false,
            crate_version: Some("0.3.1".to_string()),
        };
        let markdown = run(&project_root(), &args).unwrap();
        assert!(
            markdown.contains("property `A`: required → optional"),
            "{markdown}"
        );
        assert!(markdown.contains("release **0.4.0**"), "{markdown}");

        // The old side as a surface file gives the same changes.
        let (api, _, sources) = codegen::analyze(
            codegen::source::SourceSet::from_pages([("operations/t.md", PAGE)]),
            None,
        );
        let file = old.join("api.json");
        std::fs::write(&file, Surface::of(&api, &sources).to_json()).unwrap();
        let json = run(
            &project_root(),
            &Args {
                old: Some(file),
                json: true,
                ..args
            },
        )
        .unwrap();
        assert!(json.contains("\"category\": \"major\""), "{json}");
        assert!(json.contains("\"next\": \"0.4.0\""), "{json}");
        std::fs::remove_dir_all(old).unwrap();
        std::fs::remove_dir_all(new).unwrap();
    }

    /// Odd cells are fallbacks the report compares like anything else; only errors (here the folder's own
    /// overrides file being invalid) make a folder impossible to compare.
    #[test]
    fn folders_with_warnings_are_compared_and_folders_with_errors_refused() {
        let odd = scratch(
            "odd",
            &[(
                "operations/t.md",
                &PAGE.replace("| string | required |", "| strnig | required |"),
            )],
        );
        let fixed = scratch("fixed", &[("operations/t.md", PAGE)]);
        let args = Args {
            old: Some(odd.clone()),
            new: Some(fixed.clone()),
            crate_version: Some("0.3.1".to_string()),
            ..Args::default()
        };
        let markdown = run(&project_root(), &args).unwrap();
        assert!(
            markdown.contains("property `A`: type changed from any JSON to string"),
            "{markdown}"
        );
        assert!(
            markdown
                .contains("no longer a fallback: the docs now read cleanly (was `unknown-type`"),
            "{markdown}"
        );
        assert!(markdown.contains("**Semver: major**"), "{markdown}");

        std::fs::write(odd.join("overrides.toml"), "[[operation]]\nsafety = 3\n").unwrap();
        let error = format!("{:#}", run(&project_root(), &args).unwrap_err());
        assert!(error.contains("error(s)"), "{error}");
        std::fs::remove_dir_all(odd).unwrap();
        std::fs::remove_dir_all(fixed).unwrap();
    }

    /// The default comparison (committed surface → `spec/`) is empty when the generated code is fresh.
    #[test]
    fn the_committed_surface_matches_spec() {
        let markdown = run(&project_root(), &Args::default()).unwrap();
        assert!(
            markdown.contains("no changes to the API or its docs"),
            "{markdown}"
        );
        assert!(markdown.contains("**Semver: none**"), "{markdown}");
    }
}
