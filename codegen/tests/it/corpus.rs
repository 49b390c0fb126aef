//! The real reference (`../shared/corpus`): generation succeeds with located warnings only, and every
//! JSON example is checked, with the tally of disagreements asserted so a parser regression shows as a
//! changed number. Skipped with a notice when the corpus is absent (a failure under `CI=true`).

use std::collections::BTreeMap;

use codegen::diagnostics::{Diagnostics, Severity};
use codegen::ir::{Api, Example, FindingKind, TypeKind};

use super::support::corpus_dir;

/// Examples checked and what they showed.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    examples: usize,
    invalid_json: usize,
    agreeing: usize,
    findings: BTreeMap<&'static str, usize>,
}

fn tally(api: &Api, diagnostics: &Diagnostics) -> Tally {
    let mut tally = Tally::default();
    let mut count = |example: &Example| {
        tally.examples += 1;
        if !example.valid {
            tally.invalid_json += 1;
        } else if example.findings.is_empty() {
            tally.agreeing += 1;
        }
        for finding in &example.findings {
            *tally.findings.entry(finding.kind.code()).or_default() += 1;
        }
    };
    for operation in &api.operations {
        operation
            .request_example
            .iter()
            .chain(&operation.response_example)
            .for_each(&mut count);
    }
    api.types
        .values()
        .filter_map(|t| t.example.as_ref())
        .for_each(&mut count);
    // Every finding is reported as a diagnostic of its own.
    let reported: usize = FindingKind::ALL
        .iter()
        .map(|k| diagnostics.iter().filter(|d| d.code == k.code()).count())
        .sum();
    assert_eq!(reported, tally.findings.values().sum::<usize>());
    tally
}

#[test]
fn the_corpus_generates_with_located_warnings_and_every_example_is_accounted_for() {
    let Some(dir) = corpus_dir() else { return };
    let mut diagnostics = Diagnostics::default();
    let input = codegen::load::load_dir(&dir, &mut diagnostics).expect("corpus readable");
    let generated = codegen::generate(
        input.sources,
        input.overrides.as_deref(),
        &codegen::Config::default(),
    );
    diagnostics.extend(generated.diagnostics.iter().cloned());

    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        diagnostics.iter().all(|d| d.span.is_some()),
        "every diagnostic points into a page"
    );
    assert!(!generated.files.is_empty());

    let api = &generated.api;
    let enums = api
        .types
        .values()
        .filter(|t| matches!(t.kind, TypeKind::Enum(_)))
        .count();
    let coproducts = api
        .types
        .values()
        .filter(|t| matches!(t.kind, TypeKind::Coproduct(_)))
        .count();
    let update_values = api
        .types
        .values()
        .filter(|t| matches!(t.kind, TypeKind::UpdateValue(_)))
        .count();
    let paginated = api
        .operations
        .iter()
        .filter(|o| o.pagination.is_some())
        .count();
    let shape = (
        api.pages.len(),
        api.operations.len(),
        api.types.len(),
        enums,
        coproducts,
        update_values,
        paginated,
        api.ids.len(),
    );
    eprintln!(
        "corpus: (pages, operations, types, enums, coproducts, update values, paginated, ids) = {shape:?}"
    );
    assert_eq!(shape, (62, 146, 662, 103, 14, 18, 45, 109));

    let by_code = |code: &str| diagnostics.iter().filter(|d| d.code == code).count();
    eprintln!(
        "corpus: {} warnings, {} unresolved links",
        diagnostics.len(),
        by_code("unresolved-link")
    );
    assert_eq!(by_code("unresolved-link"), 49);

    let tally = tally(api, &diagnostics);
    eprintln!("corpus examples: {tally:#?}");
    let expected = Tally {
        examples: 304,
        invalid_json: 1,
        agreeing: 249,
        findings: BTreeMap::from([
            ("example-missing-required", 122),
            ("example-null-for-required", 16),
            ("example-unknown-property", 43),
            ("example-wrong-kind", 12),
        ]),
    };
    assert_eq!(tally, expected);
}
