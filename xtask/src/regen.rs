//! `cargo xtask regen`: spec folder → generated client, with `--check` for drift.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
pub use codegen::SURFACE_FILE;
use codegen::diagnostics::{Diagnostics, render_all};
use codegen::diff::{self, RenderOptions, Surface};
use codegen::emit::{ClientManifest, Package};
use codegen::ir::{Api, TypeKind};

use crate::write;

#[derive(Debug, Default, Clone)]
pub struct Args {
    pub check: bool,
    pub deny_warnings: bool,
    pub spec: Option<PathBuf>,
    pub out: Option<PathBuf>,
}

/// What a run found and did.
#[derive(Debug)]
pub struct Outcome {
    pub success: bool,
    /// Files that are (check) or were (write) out of date, relative to the output crate.
    pub stale: Vec<String>,
    pub summary: String,
    /// What the regeneration changes in the API, as Markdown, when the committed surface differs from the new
    /// one (also in `--check` mode: what running regen would change).
    pub report: Option<String>,
    /// Why there is no report although files change (no committed surface, or an unreadable one).
    pub report_note: Option<String>,
}

pub fn run(root: &Path, args: &Args) -> Result<Outcome> {
    let spec = args.spec.clone().unwrap_or_else(|| root.join("spec"));
    let standalone = args.out.is_some();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("generated-client"));
    let spec_label = label(root, &spec);
    let out_label = label(root, &out);
    let command = if standalone {
        format!(
            "cargo xtask regen --spec {} --out {}",
            spec_label.trim_end_matches('/'),
            out_label.trim_end_matches('/')
        )
    } else {
        "cargo xtask regen".to_string()
    };
    let (crate_name, package) = if standalone {
        let package = Package::Standalone {
            name: package_name(&out),
            runtime_crate: out_relative(&out, &root.join("runtime"))?,
        };
        (lib_name(&out), package)
    } else {
        let path = out.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let manifest = ClientManifest::parse(&manifest)
            .map_err(|e| anyhow!(e))
            .with_context(|| path.display().to_string())?;
        ("mews_connector".to_string(), Package::Client(manifest))
    };
    let config = codegen::Config {
        runtime_path: "crate::runtime".to_string(),
        command,
        spec_label: spec_label.clone(),
        crate_name,
        package: Some(package),
    };

    let mut diagnostics = Diagnostics::default();
    let input = codegen::load::load_dir(&spec, &mut diagnostics)
        .with_context(|| format!("cannot read `{}`", spec.display()))?;
    if input.sources.is_empty() {
        bail!("`{}` has no Markdown pages", spec.display());
    }
    let generated = codegen::generate(input.sources, input.overrides.as_deref(), &config);
    diagnostics.extend(generated.diagnostics);
    let rendered = render_all(&diagnostics, &generated.sources, &spec_label);
    if !rendered.is_empty() {
        eprintln!("{rendered}");
    }
    let counts = counts(&generated.api, &diagnostics);
    let failed =
        diagnostics.has_errors() || (args.deny_warnings && diagnostics.warning_count() > 0);
    if failed {
        let why = if diagnostics.has_errors() {
            "errors"
        } else {
            "warnings (--deny-warnings)"
        };
        return Ok(Outcome {
            success: false,
            stale: Vec::new(),
            summary: format!("{counts}; nothing written because of {why}"),
            report: None,
            report_note: None,
        });
    }

    let new_surface = generated
        .files
        .get(SURFACE_FILE)
        .map(String::as_str)
        .unwrap_or_default();
    let (report, report_note) = change_report(&out, &out_label, new_surface, &spec_label);
    let owned_dirs = Package::owned_dirs(config.package.as_ref());
    let files = generated.files;
    let plan =
        write::plan(&out, &files, &owned_dirs).with_context(|| format!("`{}`", out.display()))?;
    let stale: Vec<String> = plan
        .write
        .keys()
        .chain(plan.delete.iter())
        .map(|p| {
            p.strip_prefix(&out)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    let summary = format!(
        "{counts}; {} file(s) out of date, {} unchanged",
        stale.len(),
        plan.unchanged
    );
    if args.check {
        return Ok(Outcome {
            success: plan.is_empty(),
            stale,
            summary,
            report,
            report_note,
        });
    }
    write::apply(&plan, None)
        .with_context(|| format!("writing `{}` failed, nothing was changed", out.display()))?;
    if standalone && !out.join("Cargo.lock").exists() {
        // Start from the workspace's lock file so the crate builds with the same dependency versions.
        let _ = std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"));
    }
    Ok(Outcome {
        success: true,
        stale,
        summary,
        report,
        report_note,
    })
}

/// Compares the committed surface of `out` with the new one: the Markdown report when the API or its docs
/// changed, or a note saying why nothing can be compared.
fn change_report(
    out: &Path,
    out_label: &str,
    new_json: &str,
    spec_label: &str,
) -> (Option<String>, Option<String>) {
    let path = out.join(SURFACE_FILE);
    let old_json = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (
                None,
                Some(format!(
                    "no `{SURFACE_FILE}` yet: this run writes it, and the next one reports what changes"
                )),
            );
        }
        Err(e) => return (None, Some(format!("cannot read `{SURFACE_FILE}`: {e}"))),
    };
    if old_json.replace("\r\n", "\n") == new_json {
        return (None, None);
    }
    let (old, new) = match (Surface::from_json(&old_json), Surface::from_json(new_json)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => {
            return (
                None,
                Some(format!("`{SURFACE_FILE}` cannot be compared: {e}")),
            );
        }
    };
    let report = diff::compare(&old, &new);
    if report.is_empty() {
        return (None, Some("the API and its docs are unchanged".to_string()));
    }
    let options = RenderOptions {
        old_label: format!("{out_label}{SURFACE_FILE}"),
        new_label: spec_label.to_string(),
        version: package_version(out),
    };
    (Some(report.to_markdown(&options)), None)
}

/// The `version` of the `[package]` in `out/Cargo.toml`.
pub fn package_version(out: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).ok()?;
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(value) = line.strip_prefix("version") {
            let value = value.trim_start().strip_prefix('=')?.trim();
            return Some(value.trim_matches('"').to_string());
        }
    }
    None
}

fn counts(api: &Api, diagnostics: &Diagnostics) -> String {
    let enums = api
        .types
        .values()
        .filter(|t| matches!(t.kind, TypeKind::Enum(_)))
        .count();
    format!(
        "{} pages, {} operations, {} types ({} enums), {} warnings, {} errors",
        api.pages.len(),
        api.operations
            .iter()
            .filter(|o| o.discontinued.is_none())
            .count(),
        api.types.len(),
        enums,
        diagnostics.warning_count(),
        diagnostics.error_count()
    )
}

/// A path for headers and messages: relative to the project root, so output never depends on the
/// working directory.
pub fn label(root: &Path, path: &Path) -> String {
    let relative = relative_path(root, path).unwrap_or_else(|| path.to_string_lossy().into_owned());
    format!("{}/", relative.trim_end_matches('/'))
}

/// `path` made absolute, with symbolic links resolved as far as the path exists, so that a folder gets the
/// same absolute form before and after it is created.
fn absolute(path: &Path) -> PathBuf {
    let base = std::env::current_dir().unwrap_or_default();
    let mut lexical = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    // Canonicalize the longest existing ancestor, then add the rest as written.
    let mut missing = Vec::new();
    let mut existing = lexical.as_path();
    loop {
        if let Ok(canonical) = std::fs::canonicalize(existing) {
            return missing
                .iter()
                .rev()
                .fold(canonical, |acc: PathBuf, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

/// `to` relative to `from`, with `/` separators.
fn relative_path(from: &Path, to: &Path) -> Option<String> {
    let from = absolute(from);
    let to = absolute(to);
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// `target` relative to `out`; creates nothing (`--check` must not write).
fn out_relative(out: &Path, target: &Path) -> Result<String> {
    relative_path(out, target).with_context(|| {
        format!(
            "`{}` and `{}` share no root",
            out.display(),
            target.display()
        )
    })
}

/// The generated crate's package name: its folder name in kebab case.
fn package_name(out: &Path) -> String {
    let name = absolute(out)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-').to_string();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("mews-client-{name}")
    } else {
        name
    }
}

fn lib_name(out: &Path) -> String {
    package_name(out).replace('-', "_")
}

/// Renders a report of stale files for `--check`.
pub fn stale_report(outcome: &Outcome, args: &Args) -> String {
    let mut command = "cargo xtask regen".to_string();
    if let Some(spec) = &args.spec {
        command.push_str(&format!(" --spec {}", spec.display()));
    }
    if let Some(out) = &args.out {
        command.push_str(&format!(" --out {}", out.display()));
    }
    let mut report = String::new();
    for file in &outcome.stale {
        report.push_str(&format!("stale: {file}\n"));
    }
    report.push_str(&format!(
        "generated files are out of date; run `{command}` to update them"
    ));
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project_root;
    use codegen::DIAGNOSTICS_FILE;

    const PAGE: &str = "# Things\n\n## Get thing\n\n### Request\n\n`[PlatformAddress]/api/connector/v1/things/get`\n\n\
        | Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n| `Code` | string | required | Code. |\n\n\
        ### Response\n\n| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n\
        | `Size` | integer | required | Size of the thing. |\n";

    /// A docs change that adds a warning and nothing else (a Contract variant read as the phrase it stands
    /// for: the same code) fails `--check` on the diagnostics snapshot alone, until regen updates it.
    #[test]
    fn a_new_warning_alone_makes_the_output_stale() {
        let dir = std::env::temp_dir().join(format!("xtask-regen-warning-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec/operations")).unwrap();
        let page = dir.join("spec/operations/things.md");
        let clean = PAGE.replace(
            "| `Code` | string | required |",
            "| `Code` | string | required, max length 10 characters |",
        );
        std::fs::write(&page, &clean).unwrap();
        let args = Args {
            spec: Some(dir.join("spec")),
            out: Some(dir.join("out")),
            ..Args::default()
        };
        let check = Args {
            check: true,
            ..args.clone()
        };
        assert!(run(&project_root(), &args).unwrap().success);
        let snapshot = std::fs::read_to_string(dir.join("out").join(DIAGNOSTICS_FILE)).unwrap();
        assert!(
            snapshot.contains("0 warning(s), 0 error(s): none"),
            "{snapshot}"
        );

        std::fs::write(&page, clean.replace("max length 10", "max 10")).unwrap();
        let stale = run(&project_root(), &check).unwrap();
        assert!(!stale.success);
        assert_eq!(stale.stale, [DIAGNOSTICS_FILE]);
        assert!(run(&project_root(), &args).unwrap().success);
        let snapshot = std::fs::read_to_string(dir.join("out").join(DIAGNOSTICS_FILE)).unwrap();
        assert!(
            snapshot.contains("operations/things.md:11:20: warning: Contract phrase `max 10 characters` of property `Code` read as `max length 10 characters` [contract-variant]"),
            "{snapshot}"
        );
        assert!(run(&project_root(), &check).unwrap().success);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A first run writes the surface; after a docs change, `--check` and the run itself report what changed.
    #[test]
    fn regen_reports_api_changes_against_the_committed_surface() {
        let dir = std::env::temp_dir().join(format!("xtask-regen-report-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec/operations")).unwrap();
        let page = dir.join("spec/operations/things.md");
        std::fs::write(&page, PAGE).unwrap();
        let args = Args {
            spec: Some(dir.join("spec")),
            out: Some(dir.join("out")),
            ..Args::default()
        };
        let check = Args {
            check: true,
            ..args.clone()
        };
        let first = run(&project_root(), &args).unwrap();
        assert!(first.success && first.report.is_none());
        assert!(
            first
                .report_note
                .unwrap()
                .contains("no `src/generated/api.json` yet")
        );

        std::fs::write(
            &page,
            PAGE.replace("| integer | required |", "| integer | optional |"),
        )
        .unwrap();
        let stale = run(&project_root(), &check).unwrap();
        assert!(!stale.success);
        let report = stale.report.unwrap();
        assert!(
            report.contains("property `Size`: required → optional"),
            "{report}"
        );
        assert!(report.contains("release **0.2.0**"), "{report}");
        let written = run(&project_root(), &args).unwrap();
        assert_eq!(written.report.as_deref(), Some(report.as_str()));
        let fresh = run(&project_root(), &check).unwrap();
        assert!(fresh.success && fresh.report.is_none() && fresh.report_note.is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
