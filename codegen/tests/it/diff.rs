//! The change report between two versions of the docs: before/after fixture pairs for each class of change
//! (snapshotted as Markdown), and the worked example: the seed pages against their 2026-08 upstream versions.

use std::path::{Path, PathBuf};

use codegen::diagnostics::Diagnostics;
use codegen::diff::{self, ChangeKind, Class, RenderOptions, Report, Surface};

use super::support::{corpus_dir, fixtures_dir, split_pages};

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

fn surface_of(pages: Vec<(String, String)>) -> Surface {
    let (api, diagnostics, sources) =
        codegen::analyze(codegen::source::SourceSet::from_pages(pages), None);
    assert!(!diagnostics.has_errors(), "{diagnostics:#?}");
    Surface::of(&api, &sources)
}

/// `tests/fixtures/diff/<name>.old.md` against `<name>.new.md` (pages split as in other fixtures).
fn pair(name: &str) -> Report {
    let read = |side: &str| {
        let path = fixtures_dir().join(format!("diff/{name}.{side}.md"));
        let text = std::fs::read_to_string(&path).expect("fixture exists");
        surface_of(split_pages(name, &text))
    };
    diff::compare(&read("old"), &read("new"))
}

fn options(old: &str, new: &str) -> RenderOptions {
    RenderOptions {
        old_label: old.to_string(),
        new_label: new.to_string(),
        version: Some("0.1.0".to_string()),
    }
}

/// The classes of a report's changes, leaving out its example changes (docs-only, and bound to come along
/// with other changes).
fn classes(report: &Report) -> Vec<Class> {
    let mut classes: Vec<Class> = report
        .changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Example)
        .map(|c| c.class)
        .collect();
    classes.dedup();
    classes
}

#[test]
fn breaking_changes() {
    let report = pair("breaking");
    let markdown = report.to_markdown(&options("breaking.old.md", "breaking.new.md"));
    assert_eq!(classes(&report), [Class::Breaking], "{markdown}");
    assert_eq!(report.verdict(Some("0.1.0")).next.as_deref(), Some("0.2.0"));
    settings().bind(|| {
        insta::assert_snapshot!("diff_breaking", markdown);
    });
}

#[test]
fn additive_changes() {
    let report = pair("additive");
    let markdown = report.to_markdown(&options("additive.old.md", "additive.new.md"));
    assert_eq!(classes(&report), [Class::Additive], "{markdown}");
    assert_eq!(report.verdict(Some("0.1.0")).next.as_deref(), Some("0.1.1"));
    assert_eq!(report.verdict(Some("1.4.2")).next.as_deref(), Some("1.5.0"));
    settings().bind(|| {
        insta::assert_snapshot!("diff_additive", markdown);
    });
}

#[test]
fn docs_only_changes() {
    let report = pair("docs");
    let markdown = report.to_markdown(&options("docs.old.md", "docs.new.md"));
    assert_eq!(classes(&report), [Class::Docs], "{markdown}");
    let counts = report.counts();
    assert!(counts.descriptions > 0 && counts.examples > 0 && counts.other_docs > 0);
    assert_eq!(report.verdict(Some("0.1.0")).next.as_deref(), Some("0.1.1"));
    settings().bind(|| {
        insta::assert_snapshot!("diff_docs", markdown);
    });
}

#[test]
fn identical_docs_give_an_empty_report() {
    let text = std::fs::read_to_string(fixtures_dir().join("diff/breaking.old.md")).unwrap();
    let a = surface_of(split_pages("same", &text));
    let report = diff::compare(&a, &a);
    assert!(report.is_empty());
    assert_eq!(report.verdict(Some("0.1.0")).next.as_deref(), Some("0.1.0"));
}

/// A spec folder in a temporary directory, removed on drop.
struct TempTree(PathBuf);

impl TempTree {
    fn new(name: &str, pages: &[(&str, String)]) -> TempTree {
        let root = std::env::temp_dir().join(format!("codegen-diff-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in pages {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        TempTree(root)
    }

    fn surface(&self) -> Surface {
        let mut diagnostics = Diagnostics::default();
        let input = codegen::load::load_dir(&self.0, &mut diagnostics).unwrap();
        assert!(input.overrides.is_none());
        let (api, more, sources) = codegen::analyze(input.sources, None);
        assert!(!diagnostics.has_errors() && !more.has_errors(), "{more:#?}");
        Surface::of(&api, &sources)
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The seeds (000 `messages.md`, 002 `messagethreads.md`) against the same pages in the 2026-08 corpus.
/// Both trees also hold the pages `spec/` wrote for the project (`Time interval`, `Limitation`, the error
/// model), so the links resolve and only the two upstream pages differ; neither has the overrides.
#[test]
fn the_seed_pages_against_their_2026_08_versions() {
    let Some(corpus) = corpus_dir() else { return };
    let shared = corpus.join("..");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let seed = |prefix: &str| {
        let seeds = shared.join("seeds");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&seeds)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .collect();
        names.sort();
        read(&names[0])
    };
    let project = [
        (
            "operations/_objects.md",
            read(&spec.join("operations/_objects.md")),
        ),
        (
            "guidelines/pagination.md",
            read(&spec.join("guidelines/pagination.md")),
        ),
        (
            "guidelines/responses.md",
            read(&spec.join("guidelines/responses.md")),
        ),
    ];
    let mut old_pages = vec![
        ("operations/messages.md", seed("000_")),
        ("operations/messagethreads.md", seed("002_")),
    ];
    let mut new_pages = vec![
        (
            "operations/messages.md",
            read(&corpus.join("operations/messages.md")),
        ),
        (
            "operations/messagethreads.md",
            read(&corpus.join("operations/messagethreads.md")),
        ),
    ];
    old_pages.extend(project.iter().cloned());
    new_pages.extend(project.iter().cloned());
    let old = TempTree::new("seeds", &old_pages).surface();
    let new = TempTree::new("corpus", &new_pages).surface();
    let report = diff::compare(&old, &new);

    // `IsResolved` is added to `Message thread`: required in the table, optional in Rust because the
    // getAll example omits it; a new response property is additive.
    let is_resolved = report
        .changes
        .iter()
        .find(|c| {
            c.subject.title == "Message thread"
                && c.item.as_ref().is_some_and(|i| i.name == "IsResolved")
        })
        .expect("IsResolved reported");
    assert_eq!(
        (is_resolved.class, is_resolved.kind),
        (Class::Additive, ChangeKind::Added)
    );
    assert_eq!(
        is_resolved.at.to_string(),
        "operations/messagethreads.md:74"
    );
    // The `Sender` examples now agree with the table: the string-for-object disagreement is resolved.
    assert!(report.changes.iter().any(|c| {
        c.kind == ChangeKind::Example
            && c.summary
                .contains("disagreement resolved at `$.Messages[0].Message.Sender`")
    }));
    // Nothing breaks.
    assert_eq!(report.counts().breaking, 0, "{report:#?}");

    let options = options("seeds 000 + 002", "corpus 2026-08");
    settings().bind(|| {
        insta::assert_snapshot!("diff_seeds_to_corpus.md", report.to_markdown(&options));
        insta::assert_snapshot!("diff_seeds_to_corpus.json", report.to_json(&options));
    });
}
