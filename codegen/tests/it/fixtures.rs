//! One Markdown fixture per construct, each snapshotted three ways: the IR, the generated code and the
//! rendered diagnostics. A fixture's overrides, if it has any, are in `<name>.overrides.toml` beside it.

use super::support::{code_text, diagnostics_text, fixture_pages, fixtures_dir, generate_pages};

fn check(name: &str) {
    let overrides =
        std::fs::read_to_string(fixtures_dir().join(format!("{name}.overrides.toml"))).ok();
    let generated = generate_pages(fixture_pages(name), overrides.as_deref());
    let settings = {
        let mut s = insta::Settings::clone_current();
        s.set_snapshot_path("snapshots");
        s.set_prepend_module_to_snapshot(false);
        s.set_omit_expression(true);
        s
    };
    settings.bind(|| {
        insta::assert_snapshot!(format!("{name}.diagnostics"), diagnostics_text(&generated));
        insta::assert_yaml_snapshot!(format!("{name}.ir"), generated.api);
        insta::assert_snapshot!(format!("{name}.code"), code_text(&generated));
    });
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*
    };
}

fixtures!(
    seed_operation,
    type_expressions,
    contracts,
    parameter_sets,
    coproduct_value,
    coproduct_properties,
    update_values,
    extensible_enums,
    shared_anchor,
    repeated_titles,
    link_text_and_entities,
    restricted_and_deprecated,
    dictionaries,
    discontinued_and_index,
    cursed_names,
    unresolved_links,
    pagination,
    identifiers_and_timestamps,
    identifier_kinds,
    identifier_wordings,
    example_disagreements,
    recursive_and_minimal,
    paged_lists,
    nested_credentials,
    versions,
    contested_titles,
    link_overrides,
    value_bounds,
    constructors,
    fallback_types,
    fallback_contracts,
    fallback_rows,
    fallback_headers,
    fallback_bodies,
    events_shapes,
    deprecated_evidence,
);
