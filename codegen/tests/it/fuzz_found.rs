//! Inputs on which `cargo xtask fuzz` once found a panic or a hang, reduced by hand to what matters, under
//! `tests/fixtures/fuzz/`. Each now runs through the whole pipeline with a snapshot of its diagnostics.

use codegen::diagnostics::Code;

use super::malformed::check_in;

#[test]
fn a_cycle_of_dictionaries_is_reported_not_looped_over() {
    let generated = check_in("fuzz", "alias_cycle");
    let cycles = generated
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::TypeCycle)
        .count();
    assert_eq!(cycles, 2, "one report per cycle");
}

#[test]
fn a_page_whose_name_starts_with_a_digit_gets_a_valid_module() {
    let generated = check_in("fuzz", "digit_page_name");
    assert!(!generated.diagnostics.has_errors());
    assert!(
        generated.files.contains_key("src/generated/_3dsecure.rs"),
        "{:?}",
        generated.files.keys()
    );
}

#[test]
fn a_template_tag_whose_braces_overlap_is_text_not_a_slice_out_of_bounds() {
    let generated = check_in("fuzz", "overlapping_template_tag");
    assert!(!generated.diagnostics.has_errors());
}

/// Every fixture under `fuzz/` has a test above.
#[test]
fn every_fuzz_fixture_is_checked() {
    let source = include_str!("fuzz_found.rs");
    for entry in std::fs::read_dir(super::support::fixtures_dir().join("fuzz")).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".md")
            .to_string();
        assert!(
            source.contains(&format!("check_in(\"fuzz\", \"{name}\")")),
            "fixture `{name}` has no test"
        );
    }
}
