//! The change report between two versions of the docs: before/after fixture pairs for each class of change
//! (snapshotted as Markdown), and the worked example: the seed pages against their 2026-08 upstream versions.

use std::path::{Path, PathBuf};

use codegen::diagnostics::Diagnostics;
use codegen::diff::{self, ChangeKind, Class, RenderOptions, Report, Surface};

use super::support::{fixtures_dir, shared_dir, spec_dir, split_pages};

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

/// `tests/fixtures/diff/<name>/old` against `<name>/new`: spec folders, as `cargo xtask diff --old … --new …`
/// reads them.
fn folder_pair(name: &str) -> Report {
    let side = |side: &str| {
        let mut diagnostics = Diagnostics::default();
        let dir = fixtures_dir().join(format!("diff/{name}/{side}"));
        let input = codegen::load::load_dir(&dir, &mut diagnostics).unwrap();
        let (api, more, sources) = codegen::analyze(input.sources, input.overrides.as_deref());
        assert!(diagnostics.is_empty() && more.is_empty(), "{more:#?}");
        Surface::of(&api, &sources)
    };
    diff::compare(&side("old"), &side("new"))
}

/// A forest that gains its oldest tree makes `Tree.Forest` a `Box`: a breaking change of that field alone.
#[test]
fn a_field_that_becomes_boxed_breaks() {
    let report = folder_pair("boxed");
    let markdown = report.to_markdown(&options("boxed/old", "boxed/new"));
    let breaking: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.class == Class::Breaking)
        .map(|c| c.summary.as_str())
        .collect();
    assert_eq!(
        breaking,
        [
            "property `Forest`: now boxed (`Box<…>`, the type would contain itself otherwise), so its Rust type changes"
        ],
        "{markdown}"
    );
    settings().bind(|| {
        insta::assert_snapshot!("diff_boxed", markdown);
    });
}

/// A new version of `things/getAll` takes the plain method name (the old one becomes `get_all_ver_original`), and an
/// endpoint spelled `Things/get` is a resource whose accessor and handle sort first, so `things` is renamed
/// `things_2`/`ThingsApi2`: every rename is breaking.
#[test]
fn renamed_methods_handles_and_accessors_break() {
    let report = folder_pair("renamed");
    let markdown = report.to_markdown(&options("renamed/old", "renamed/new"));
    let renamed: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Renamed)
        .inspect(|c| assert_eq!(c.class, Class::Breaking))
        .map(|c| c.summary.as_str())
        .collect();
    for expected in [
        "method renamed from `get_all` to `get_all_ver_original`",
        "resource `things`: handle renamed from `ThingsApi` to `ThingsApi2`",
        "resource `things`: accessor renamed from `things` to `things_2`",
    ] {
        assert!(renamed.contains(&expected), "{expected}\n{markdown}");
    }
    settings().bind(|| {
        insta::assert_snapshot!("diff_renamed", markdown);
    });
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

/// Pages an operations page links to (`_objects.md#…`, `../guidelines/pagination.md`), as paths in the spec
/// folder.
fn linked_pages(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| {
            let dest = rest.split([')', '#']).next()?;
            let file = dest.strip_suffix(".md")?;
            if dest.contains("://") {
                return None;
            }
            Some(match file.strip_prefix("../") {
                Some(outside) => format!("{outside}.md"),
                None => format!("operations/{file}.md"),
            })
        })
        .collect()
}

fn borrowed(pages: &[(String, String)]) -> Vec<(&str, String)> {
    pages.iter().map(|(p, t)| (p.as_str(), t.clone())).collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The seeds (000 `messages.md`, 002 `messagethreads.md`) against the same two pages of `spec/` (2026-08).
/// Both scratch trees also hold the pages of `spec/` that the four pages link to (`_objects.md`,
/// `guidelines/pagination.md`, `enterprises.md`), so the links resolve and only the two pages differ; neither
/// has the overrides.
#[test]
fn the_seed_pages_against_their_2026_08_versions() {
    let Some(seeds) = shared_dir("seeds") else {
        return;
    };
    let spec = spec_dir();
    let seed = |prefix: &str| {
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
    let old_pages = [
        ("operations/messages.md".to_string(), seed("000_")),
        ("operations/messagethreads.md".to_string(), seed("002_")),
    ];
    let new_pages = ["operations/messages.md", "operations/messagethreads.md"]
        .map(|path| (path.to_string(), read(&spec.join(path))));
    // The other pages of `spec/` any of the four links to, the same on both sides.
    let linked: std::collections::BTreeSet<String> = old_pages
        .iter()
        .chain(&new_pages)
        .flat_map(|(_, text)| linked_pages(text))
        .filter(|path| !old_pages.iter().any(|(p, _)| p == path) && spec.join(path).is_file())
        .collect();
    assert_eq!(
        linked.iter().map(String::as_str).collect::<Vec<_>>(),
        [
            "guidelines/pagination.md",
            "operations/_objects.md",
            "operations/enterprises.md"
        ]
    );
    let with_linked = |pages: &[(String, String)]| -> Vec<(String, String)> {
        pages
            .iter()
            .cloned()
            .chain(linked.iter().map(|p| (p.clone(), read(&spec.join(p)))))
            .collect()
    };
    let old_pages = with_linked(&old_pages);
    let new_pages = with_linked(&new_pages);
    let old_pages = borrowed(&old_pages);
    let new_pages = borrowed(&new_pages);
    let old = TempTree::new("seeds", &old_pages).surface();
    let new = TempTree::new("spec", &new_pages).surface();
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

    let options = options("seeds 000 + 002", "spec 2026-08");
    settings().bind(|| {
        insta::assert_snapshot!("diff_seeds_to_spec.md", report.to_markdown(&options));
        insta::assert_snapshot!("diff_seeds_to_spec.json", report.to_json(&options));
    });
}
