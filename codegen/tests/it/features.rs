//! Cargo features: whatever a generated item refers to exists whenever the item does, in the serde
//! directions the item needs.

use codegen::ir::TypeId;

use super::support::generate_pages;

fn page(path: &str, text: &str) -> (String, String) {
    (path.to_string(), text.to_string())
}

const TABLE: &str = "| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n";

/// Types of the discontinued page are generated without a feature (no operation of theirs gets a method), so
/// the shared types they use must be there without features too, and in both directions, even when only one
/// feature's responses reach them otherwise.
#[test]
fn types_of_discontinued_operations_keep_what_they_use_in_every_feature_set() {
    let pages = vec![
        page(
            "operations/things.md",
            &format!(
                "# Things\n\n## Get things\n\n### Request\n\n`[PlatformAddress]/api/connector/v1/things/getAll`\n\n\
                 {TABLE}| `ClientToken` | string | required | Token. |\n\n### Response\n\n\
                 {TABLE}| `Price` | [Money](_objects.md#money) | optional | Price. |\n"
            ),
        ),
        page(
            "operations/others.md",
            &format!(
                "# Others\n\n## Get others\n\n### Request\n\n`[PlatformAddress]/api/connector/v1/others/getAll`\n\n\
                 {TABLE}| `ClientToken` | string | required | Token. |\n\n### Response\n\n\
                 {TABLE}| `Count` | integer | required | Count. |\n"
            ),
        ),
        page(
            "operations/_objects.md",
            &format!(
                "# Common objects\n\n### Money\n\n{TABLE}| `Amount` | number | required | Amount. |\n"
            ),
        ),
        page(
            "operations/discontinued.md",
            &format!(
                "# Discontinued API operations\n\n## Add things\n\nAdds things.\n\n### Request\n\n\
                 `[PlatformAddress]/api/connector/v1/things/add`\n\n\
                 {TABLE}| `ClientToken` | string | required | Token. |\n| `Prices` | array of [Money](_objects.md#money) | required | Prices. |\n\n\
                 ### Response\n\n{TABLE}| `Count` | integer | required | Count. |\n"
            ),
        ),
    ];
    let generated = generate_pages(pages, None);
    assert!(
        !generated.diagnostics.has_errors(),
        "{}",
        super::support::diagnostics_text(&generated)
    );
    let money = generated
        .api
        .types
        .get(&TypeId::new("operations/_objects.md", "money"))
        .expect("Money is a type");
    let all: std::collections::BTreeSet<String> = ["others", "things"].map(str::to_string).into();
    assert!(
        money.features.is_superset(&all),
        "Money is gated by {:?}, but the ungated discontinued types use it",
        money.features
    );
    assert!(
        money.usage.request && money.usage.response,
        "{:?}",
        money.usage
    );
    let objects = &generated.files["src/generated/objects.rs"];
    assert!(!objects.contains("#[cfg(feature"), "{objects}");
}
