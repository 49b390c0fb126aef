//! `cargo xtask diff` on the folder fixtures of `codegen/tests/fixtures/diff`: a field that becomes a `Box`, and
//! a method, handle and accessor renamed, are breaking changes with a major verdict.

use super::support::{root, xtask};

fn diff(name: &str) -> String {
    let fixtures = format!("codegen/tests/fixtures/diff/{name}");
    let (old, new) = (format!("{fixtures}/old"), format!("{fixtures}/new"));
    let args = [
        "diff",
        "--old",
        &old,
        "--new",
        &new,
        "--crate-version",
        "0.2.0",
    ];
    let output = xtask(&args, &root(), &[]);
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 report")
}

#[test]
fn a_field_that_becomes_boxed_is_breaking() {
    let report = diff("boxed");
    assert!(report.contains("### Breaking (1)"), "{report}");
    assert!(
        report.contains("property `Forest`: now boxed (`Box<…>`, the type would contain itself otherwise), so its Rust type changes"),
        "{report}"
    );
    assert!(report.contains("**Semver: major**"), "{report}");
    assert!(report.contains("release **0.3.0**"), "{report}");
}

#[test]
fn a_renamed_method_handle_or_accessor_is_breaking() {
    let report = diff("renamed");
    for line in [
        "method renamed from `get_all` to `get_all_ver_original`",
        "resource `things`: handle renamed from `ThingsApi` to `ThingsApi2`",
        "resource `things`: accessor renamed from `things` to `things_2`",
        "**Semver: major**",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
}
