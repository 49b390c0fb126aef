//! The project's own `spec/`: generation is clean except for the seeds' known disagreements, asserted by
//! name; the overrides file is applied and its failure modes are errors.

use codegen::diagnostics::Severity;
use codegen::ir::TypeKind;

use super::support::{diagnostics_text, generate_pages};

fn spec_pages() -> (Vec<(String, String)>, Option<String>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut diagnostics = codegen::diagnostics::Diagnostics::default();
    let input = codegen::load::load_dir(&root, &mut diagnostics).expect("spec/ readable");
    assert!(diagnostics.is_empty());
    (
        input
            .sources
            .iter()
            .map(|(_, f)| (f.path.clone(), f.text.clone()))
            .collect(),
        input.overrides,
    )
}

#[test]
fn the_seed_disagreements_are_reported_by_name_and_nothing_else() {
    let (pages, overrides) = spec_pages();
    let generated = generate_pages(pages, overrides.as_deref());
    let found: Vec<(Severity, &str, String)> = generated
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.code, d.message.clone()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Severity::Warning,
                "example-wrong-kind",
                "response example of `Add messages` disagrees with its table at `$.Messages[0].Message.Sender`: \
                 the string `Application` where the table says object `Sender`"
                    .to_string()
            ),
            (
                Severity::Warning,
                "example-unknown-property",
                "response example of `Add message thread` disagrees with its table at \
                 `$.MessageThreads[0].IsResolved`: `IsResolved` is not in the table"
                    .to_string()
            ),
        ],
        "{}",
        diagnostics_text(&generated)
    );
    // The override adds `IsResolved`, optional, to `Message thread`.
    let thread = &generated.api.types
        [&codegen::ir::TypeId::new("operations/messagethreads.md", "message-thread")];
    let TypeKind::Struct(s) = &thread.kind else {
        panic!("not a struct")
    };
    let resolved = s
        .fields
        .iter()
        .find(|f| f.wire_name == "IsResolved")
        .expect("added by the override");
    assert!(resolved.is_optional());
}

fn with_overrides(toml: &str) -> codegen::Generated {
    let (pages, _) = spec_pages();
    generate_pages(pages, Some(toml))
}

#[test]
fn overrides_that_match_nothing_or_lack_a_reason_are_errors() {
    let generated = with_overrides(
        r#"
[[property]]
type = "operations/messages.md#nothing"
property = "X"
set-type = "integer"
reason = "stale"

[[operation]]
endpoint = "messages/getNothing"
safety = "safe"
reason = "stale"

[[add-property]]
type = "operations/messages.md#message"
property = "Text"
property-type = "string"
required = true
description = "Already there."
reason = ""
"#,
    );
    insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("overrides_errors", diagnostics_text(&generated));
    });
    assert!(
        generated.files.is_empty(),
        "nothing is generated when there are errors"
    );
}

#[test]
fn overrides_can_reclassify_an_operation_and_retype_a_property() {
    let generated = with_overrides(
        r#"
[[operation]]
endpoint = "messages/add"
safety = "safe"
reason = "test"

[[property]]
type = "guidelines/pagination.md#limitation"
property = "Count"
set-type = "number"
set-required = false
reason = "test"
"#,
    );
    assert!(
        !generated.diagnostics.has_errors(),
        "{}",
        diagnostics_text(&generated)
    );
    let add = generated
        .api
        .operations
        .iter()
        .find(|o| o.id == "messages/add")
        .unwrap();
    assert_eq!(add.safety, codegen::ir::Safety::Safe);
    assert_eq!(add.safety_source, codegen::ir::SafetySource::Override);
    let limitation =
        &generated.api.types[&codegen::ir::TypeId::new("guidelines/pagination.md", "limitation")];
    let TypeKind::Struct(s) = &limitation.kind else {
        panic!()
    };
    let count = s.fields.iter().find(|f| f.wire_name == "Count").unwrap();
    assert_eq!(count.ty, codegen::ir::TypeExpr::Number);
    assert!(!count.required);
}

#[test]
fn an_overrides_file_that_is_not_valid_toml_is_a_located_error() {
    let generated = with_overrides("[[property]\ntype = 3\n");
    let text = diagnostics_text(&generated);
    let line = text
        .lines()
        .find(|l| l.starts_with("overrides.toml:"))
        .unwrap_or_default();
    assert!(
        line.starts_with("overrides.toml:1:") && line.contains("error: invalid overrides file"),
        "{text}"
    );
}

/// `generate_timed` produces what `generate` does, and times every phase that ran.
#[test]
fn generate_timed_matches_generate_and_times_each_phase() {
    let (pages, overrides) = spec_pages();
    let plain = generate_pages(pages.clone(), overrides.as_deref());
    let (timed, times) = codegen::generate_timed(
        codegen::source::SourceSet::from_pages(pages),
        overrides.as_deref(),
        &codegen::Config::default(),
    );
    assert_eq!(timed.files, plain.files);
    assert!(!timed.files.is_empty());
    for (phase, took) in [
        ("parse", times.parse),
        ("lower", times.lower),
        ("emit", times.emit),
        ("format", times.format),
    ] {
        assert!(!took.is_zero(), "{phase} was not timed: {times:?}");
    }
    assert_eq!(
        times.total(),
        times.parse + times.lower + times.emit + times.format
    );
}
