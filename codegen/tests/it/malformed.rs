//! Malformed pages, one fixture each under `tests/fixtures/malformed/`, with an exact snapshot of the rendered
//! diagnostics; binary, huge and deeply nested pages are built at run time. No case panics, every diagnostic
//! is located and names what is wrong, and every error of a run is reported.

use std::path::Path;

use codegen::diagnostics::{Code, Diagnostics, render_all};
use codegen::{Config, Generated};

use super::support::{diagnostics_text, fixtures_dir, generate_pages, split_pages};

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

/// What every diagnostic of every run must satisfy.
pub fn assert_well_formed(generated: &Generated) {
    for d in &generated.diagnostics {
        assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
        assert!(
            !d.message.ends_with('.'),
            "message ends with a period: {}",
            d.message
        );
        assert!(
            d.message.contains('`'),
            "message names nothing in backticks: {}",
            d.message
        );
        assert!(
            d.span.is_some() || d.code == Code::InternalError,
            "diagnostic without a location: {d:?}"
        );
        if let Some(span) = d.span {
            let file = generated
                .sources
                .get(span.file)
                .expect("span points into a known file");
            assert!(
                span.start <= span.end && span.end as usize <= file.text.len(),
                "span out of bounds: {d:?}"
            );
        }
    }
    if generated.diagnostics.has_errors() {
        assert!(
            generated.files.is_empty(),
            "files were produced despite errors"
        );
    }
    for path in generated.files.keys() {
        assert!(
            (path.starts_with("src/generated/") || path.starts_with("tests/"))
                && path
                    .split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..")
                && path
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_/.".contains(c)),
            "odd output path `{path}`"
        );
    }
}

/// Generates from `tests/fixtures/{dir}/{name}.md` and snapshots the rendered diagnostics as `{dir}_{name}`.
pub fn check_in(dir: &str, name: &str) -> Generated {
    let path = fixtures_dir().join(dir).join(format!("{name}.md"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let generated = generate_pages(split_pages(name, &text), None);
    assert_well_formed(&generated);
    settings().bind(|| {
        insta::assert_snapshot!(
            format!("{dir}_{name}.diagnostics"),
            diagnostics_text(&generated)
        )
    });
    generated
}

fn check(name: &str) {
    let generated = check_in("malformed", name);
    assert!(
        !generated.diagnostics.is_empty(),
        "`{name}` produced no diagnostic"
    );
}

macro_rules! malformed {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*
    };
}

malformed!(
    table_missing_column,
    table_extra_column,
    unknown_header,
    empty_cells,
    unknown_type,
    unknown_contract,
    missing_links,
    duplicate_property,
    duplicate_operation,
    operation_without_tables,
    duplicate_enum_values,
    invalid_json_example,
    empty_file,
    bom,
    crlf,
    tabs,
    hostile_names,
);

/// Every fixture under `malformed/` has a test above.
#[test]
fn every_malformed_fixture_is_checked() {
    let source = include_str!("malformed.rs");
    for entry in std::fs::read_dir(fixtures_dir().join("malformed")).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".md")
            .to_string();
        assert!(
            source.contains(&format!("    {name},\n")),
            "fixture `{name}` has no test"
        );
    }
}

/// A scratch folder under the target directory, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("malformed-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("operations")).expect("scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loads a folder and generates from it, as `cargo xtask regen` does.
fn generate_dir(dir: &Path) -> (Diagnostics, Generated) {
    let mut diagnostics = Diagnostics::default();
    let input = codegen::load::load_dir(dir, &mut diagnostics).expect("folder readable");
    let generated = codegen::generate(
        input.sources,
        input.overrides.as_deref(),
        &Config::default(),
    );
    diagnostics.extend(generated.diagnostics.iter().cloned());
    (diagnostics, generated)
}

#[test]
fn pages_that_are_not_utf8_or_too_large_are_reported_with_the_other_pages_errors() {
    let scratch = Scratch::new("binary");
    let ops = scratch.0.join("operations");
    std::fs::write(
        ops.join("latin1.md"),
        b"# Caf\xe9\n\n### Thing\n\nNot UTF-8 on line 1.\n",
    )
    .expect("write");
    std::fs::write(
        ops.join("binary.md"),
        [
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
        ],
    )
    .expect("write");
    // A sparse file: its size is checked before anything is read.
    let huge = std::fs::File::create(ops.join("huge.md")).expect("create");
    huge.set_len(codegen::load::MAX_PAGE_BYTES + 1)
        .expect("set_len");
    drop(huge);
    std::fs::write(
        ops.join("good.md"),
        "# Good\n\n### Thing\n\n| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n| `Id` | strnig | required | A typo. |\n",
    )
    .expect("write");
    let (diagnostics, generated) = generate_dir(&scratch.0);
    // The pages that cannot be read are errors (regen writes nothing); the readable page only warns.
    assert_eq!(diagnostics.error_count(), 3);
    let rendered = render_all(&diagnostics, &generated.sources, "spec/");
    settings().bind(|| insta::assert_snapshot!("malformed_not_utf8.diagnostics", rendered));
}

#[test]
fn a_ten_megabyte_page_is_read_and_its_errors_located() {
    let mut text = String::from("# Big\n\n### Thing\n\n");
    let paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.\n\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(paragraph);
    }
    text.push_str("| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n| `Id` | strnig | required | At the end. |\n");
    // How long it takes is the fuzz and bench tools' business (no timed assertions in tests): here, that it
    // is read at all and the one bad cell at its end is located.
    let generated = generate_pages(vec![("operations/big.md".to_string(), text)], None);
    assert_well_formed(&generated);
    let rendered = diagnostics_text(&generated);
    settings().bind(|| insta::assert_snapshot!("malformed_ten_megabytes.diagnostics", rendered));
}

#[test]
fn deeply_nested_lists_quotes_and_emphasis_are_cut_off_not_overflowing_the_stack() {
    let depth = 100_000;
    let cases = [
        ("quotes", "> ".repeat(depth) + "x\n"),
        (
            "lists",
            (0..2_000)
                .map(|n| format!("{}- x\n", "  ".repeat(n)))
                .collect::<String>(),
        ),
        ("bullets", "- ".repeat(depth) + "x\n"),
        (
            "emphasis",
            "*".repeat(depth) + "x" + &"*".repeat(depth) + "\n",
        ),
        (
            "strike",
            "~~a ".repeat(depth) + "x" + &" b~~".repeat(depth) + "\n",
        ),
        (
            "links",
            "[".repeat(depth) + "x" + &"](#a)".repeat(depth) + "\n",
        ),
        ("mixed", "> - ".repeat(depth / 2) + "x\n"),
    ];
    // Test threads have a 2 MiB stack by default, smaller than a main thread's: a good bound.
    for (name, body) in cases {
        let text = format!(
            "# Deep\n\n### Thing\n\n{body}\n| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n| `Id` | strnig | required | After the nesting. |\n"
        );
        let generated = generate_pages(vec![("operations/deep.md".to_string(), text)], None);
        assert_well_formed(&generated);
        let codes: Vec<Code> = generated.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&Code::UnknownType),
            "{name}: the table after the nesting is still read: {codes:?}"
        );
    }
    let text = "> ".repeat(100) + "x\n";
    let generated = generate_pages(vec![("operations/deep.md".to_string(), text)], None);
    settings().bind(|| {
        insta::assert_snapshot!(
            "malformed_deep_quotes.diagnostics",
            diagnostics_text(&generated)
        )
    });
}
