//! Output never depends on input order or on how often the generator runs.

use super::support::{fixture_pages, generate_pages};

fn all_fixture_pages() -> Vec<(String, String)> {
    let mut pages = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(super::support::fixtures_dir())
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".md"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    for name in names {
        for (path, text) in fixture_pages(&name) {
            // Fixtures may share a page path (`operations/_objects.md`); keep each under its own name.
            let path = if pages.iter().any(|(p, _)| *p == path) {
                path.replace(".md", &format!("_{name}.md"))
            } else {
                path
            };
            pages.push((path, text));
        }
    }
    pages
}

#[test]
fn generating_twice_and_in_reverse_page_order_gives_identical_bytes() {
    let pages = all_fixture_pages();
    let mut reversed = pages.clone();
    reversed.reverse();
    let first = generate_pages(pages.clone(), None);
    let second = generate_pages(pages, None);
    let third = generate_pages(reversed, None);
    assert!(!first.files.is_empty());
    assert_eq!(first.files, second.files);
    assert_eq!(first.files, third.files);
    let render = |g: &codegen::Generated| super::support::diagnostics_text(g);
    assert_eq!(render(&first), render(&third));
}

#[test]
fn spec_generates_the_same_bytes_in_any_page_order() {
    let (pages, overrides) = super::support::spec_pages();
    let mut shuffled = pages.clone();
    // A fixed permutation: odd positions first, then even ones, reversed.
    shuffled = shuffled
        .iter()
        .skip(1)
        .step_by(2)
        .chain(shuffled.iter().step_by(2))
        .rev()
        .cloned()
        .collect();
    let a = generate_pages(pages, overrides.as_deref());
    let b = generate_pages(shuffled, overrides.as_deref());
    assert!(!a.files.is_empty());
    assert_eq!(a.files, b.files);
}
