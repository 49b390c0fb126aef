//! Unit tests of the comparison, on surfaces built by hand (one rule each) and on small pages.

use std::collections::BTreeMap;

use super::surface::*;
use super::words::describe_text_change;
use super::*;

fn loc(line: u32) -> Loc {
    Loc::new("operations/t.md", line)
}

fn field(wire: &str, ty: TypeRef, required: bool) -> FieldSurface {
    FieldSurface {
        wire: wire.to_string(),
        rust_name: wire.to_lowercase(),
        ty,
        required,
        relaxed: false,
        deprecated_optional: false,
        lenient: false,
        boxed: false,
        limits: Limits::default(),
        deprecated: None,
        doc: String::new(),
        fallback: None,
        at: loc(10),
    }
}

fn strukt(title: &str, request: bool, response: bool, fields: Vec<FieldSurface>) -> TypeSurface {
    TypeSurface {
        title: title.to_string(),
        rust_name: title.replace(' ', ""),
        at: loc(1),
        request,
        response,
        deprecated: None,
        restricted: false,
        doc: String::new(),
        shape: Shape::Struct(StructShape {
            fields,
            construction: None,
            same_type_arguments: Vec::new(),
            free_form: false,
        }),
        example: None,
        fallback: None,
        relaxed_copy_of: None,
    }
}

fn surface(types: Vec<(&str, TypeSurface)>) -> Surface {
    Surface {
        format: FORMAT,
        types: types
            .into_iter()
            .map(|(id, t)| (id.to_string(), t))
            .collect(),
        ..Surface::default()
    }
}

/// The one change between a surface holding `before` and one holding `after` (same id).
fn only_change(before: TypeSurface, after: TypeSurface) -> Change {
    let report = compare(
        &surface(vec![("operations/t.md#x", before)]),
        &surface(vec![("operations/t.md#x", after)]),
    );
    assert_eq!(report.changes.len(), 1, "{report:#?}");
    report.changes.into_iter().next().unwrap()
}

/// A field that was `Json` because its Type cell was not understood, typed in the newer docs: the type change
/// breaks as any other, and the end of the fallback is reported beside it.
#[test]
fn a_fallback_that_becomes_typed_is_a_type_change_and_says_so() {
    let mut odd = field("A", TypeRef::Json, true);
    odd.fallback = Some("unknown-type".to_string());
    let report = compare(
        &surface(vec![(
            "operations/t.md#x",
            strukt("X", false, true, vec![odd.clone()]),
        )]),
        &surface(vec![(
            "operations/t.md#x",
            strukt("X", false, true, vec![field("A", TypeRef::String, true)]),
        )]),
    );
    let kinds: Vec<(Class, ChangeKind)> =
        report.changes.iter().map(|c| (c.class, c.kind)).collect();
    assert_eq!(
        kinds,
        [
            (Class::Breaking, ChangeKind::Type),
            (Class::Docs, ChangeKind::Fallback)
        ],
        "{report:#?}"
    );
    assert!(
        report.changes[1]
            .summary
            .contains("no longer a fallback: the docs now read cleanly (was `unknown-type`"),
        "{}",
        report.changes[1].summary
    );
    // The same `Json`, now for another reason: only the fallback changes, and nothing in the code.
    let mut other = odd.clone();
    other.fallback = Some("table-cell-count".to_string());
    let change = only_change(
        strukt("X", false, true, vec![odd]),
        strukt("X", false, true, vec![other]),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Docs, ChangeKind::Fallback)
    );
}

#[test]
fn a_response_property_that_becomes_optional_breaks_readers() {
    let change = only_change(
        strukt("X", false, true, vec![field("A", TypeRef::String, true)]),
        strukt("X", false, true, vec![field("A", TypeRef::String, false)]),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Breaking, ChangeKind::Optionality)
    );
    assert!(
        change.summary.contains("readers must handle `None`"),
        "{}",
        change.summary
    );
}

#[test]
fn a_required_property_the_examples_already_relaxed_changes_only_the_docs() {
    let mut relaxed = field("A", TypeRef::String, true);
    relaxed.relaxed = true;
    let change = only_change(
        strukt("X", false, true, vec![relaxed]),
        strukt("X", false, true, vec![field("A", TypeRef::String, false)]),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Docs, ChangeKind::Optionality)
    );
}

/// A relaxation that ends (a deprecated operation's example no longer relaxes the type live operations share):
/// `Option<T>` becomes `T` on a response type, which breaks code matching `Some`/`None`.
#[test]
fn a_response_property_no_longer_relaxed_breaks_readers() {
    let mut relaxed = field("A", TypeRef::String, true);
    relaxed.relaxed = true;
    let change = only_change(
        strukt("X", false, true, vec![relaxed]),
        strukt("X", false, true, vec![field("A", TypeRef::String, true)]),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Breaking, ChangeKind::Optionality)
    );
    assert!(
        change.summary.contains("still required")
            && change.summary.contains("no longer an `Option`"),
        "{}",
        change.summary
    );
}

/// A deprecated required request property becomes optional: `new` loses the parameter and code setting the
/// field must wrap it in `Some`, so it breaks although the Contract did not change.
#[test]
fn a_required_request_property_optional_because_deprecated_breaks_callers() {
    let mut deprecated = field("A", TypeRef::Integer, true);
    deprecated.deprecated_optional = true;
    deprecated.deprecated = Some("Use B instead.".to_string());
    let mut before = field("A", TypeRef::Integer, true);
    before.deprecated = Some("Use B instead.".to_string());
    let change = only_change(
        strukt("X", true, false, vec![before]),
        strukt("X", true, false, vec![deprecated]),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Breaking, ChangeKind::Optionality)
    );
    assert!(
        change.summary.contains("`new` loses the parameter"),
        "{}",
        change.summary
    );
    assert!(
        change
            .new
            .as_deref()
            .is_some_and(|a| a.contains("generated as `Option` because it is deprecated")),
        "{change:#?}"
    );
}

#[test]
fn a_request_property_the_api_now_requires_breaks_even_when_the_field_stays_optional() {
    let mut required = field("A", TypeRef::String, true);
    required.relaxed = true;
    let change = only_change(
        strukt("X", true, true, vec![field("A", TypeRef::String, false)]),
        strukt("X", true, true, vec![required]),
    );
    assert_eq!(change.class, Class::Breaking);
    assert!(
        change
            .summary
            .contains("requests without it are now rejected")
    );
}

#[test]
fn new_request_properties_break_only_when_required() {
    let base = || vec![field("A", TypeRef::String, true)];
    let with = |f| {
        let mut fields = base();
        fields.push(f);
        fields
    };
    let required = only_change(
        strukt("X", true, false, base()),
        strukt("X", true, false, with(field("B", TypeRef::Integer, true))),
    );
    assert_eq!(
        (required.class, required.kind),
        (Class::Breaking, ChangeKind::Added)
    );
    let optional = only_change(
        strukt("X", true, false, base()),
        strukt("X", true, false, with(field("B", TypeRef::Integer, false))),
    );
    assert_eq!(optional.class, Class::Additive);
    let response = only_change(
        strukt("X", false, true, base()),
        strukt("X", false, true, with(field("B", TypeRef::Integer, true))),
    );
    assert_eq!(response.class, Class::Additive);
    let removed = only_change(
        strukt("X", false, true, with(field("B", TypeRef::Integer, true))),
        strukt("X", false, true, base()),
    );
    assert_eq!(
        (removed.class, removed.kind),
        (Class::Breaking, ChangeKind::Removed)
    );
}

#[test]
fn limits_are_breaking_when_tighter_on_requests_additive_when_looser_and_docs_on_responses() {
    let limited = |request: bool, response: bool, max: Option<u64>| {
        let mut f = field("A", TypeRef::Array(Box::new(TypeRef::String)), false);
        f.limits.max_items = max;
        strukt("X", request, response, vec![f])
    };
    let cases = [
        (true, false, Some(10), Some(5), Class::Breaking),
        (true, false, None, Some(5), Class::Breaking),
        (true, false, Some(5), Some(10), Class::Additive),
        (true, false, Some(5), None, Class::Additive),
        (false, true, Some(10), Some(5), Class::Docs),
    ];
    for (request, response, old, new, class) in cases {
        let change = only_change(
            limited(request, response, old),
            limited(request, response, new),
        );
        assert_eq!(
            (change.kind, change.class),
            (ChangeKind::Limit, class),
            "{old:?} → {new:?}: {}",
            change.summary
        );
    }
}

#[test]
fn value_bounds_break_requests_when_they_narrow() {
    let bounded = |request: bool, min: Option<i64>, max: Option<i64>| {
        let mut f = field("Count", TypeRef::Integer, true);
        f.limits.minimum = min;
        f.limits.maximum = max;
        strukt("X", request, !request, vec![f])
    };
    let cases = [
        (true, (None, None), (Some(1), None), Class::Breaking),
        (true, (Some(1), None), (Some(0), None), Class::Additive),
        (true, (None, Some(1000)), (None, Some(100)), Class::Breaking),
        (true, (None, Some(100)), (None, Some(1000)), Class::Additive),
        (true, (Some(-1), None), (None, None), Class::Additive),
        (false, (None, None), (Some(1), Some(5)), Class::Docs),
    ];
    for (request, (min0, max0), (min1, max1), class) in cases {
        let changes = compare(
            &surface(vec![("operations/t.md#x", bounded(request, min0, max0))]),
            &surface(vec![("operations/t.md#x", bounded(request, min1, max1))]),
        )
        .changes;
        assert!(!changes.is_empty());
        for change in changes {
            assert_eq!(
                (change.kind, change.class),
                (ChangeKind::Limit, class),
                "{}",
                change.summary
            );
        }
    }
}

#[test]
fn a_changed_constructor_breaks_builders_and_a_new_default_on_a_received_type_adds() {
    let built = |request: bool, construction: Option<&str>| {
        let mut t = strukt(
            "X",
            request,
            !request,
            vec![field("A", TypeRef::Bool, true)],
        );
        t.shape = Shape::Struct(StructShape {
            fields: vec![field("A", TypeRef::Bool, true)],
            construction: construction.map(str::to_string),
            same_type_arguments: Vec::new(),
            free_form: false,
        });
        t
    };
    for (request, old, new, class) in [
        (true, None, Some("flags"), Class::Breaking),
        (true, None, Some("named-arguments"), Class::Breaking),
        (true, Some("named-arguments"), None, Class::Breaking),
        (false, None, Some("flags"), Class::Additive),
        (false, Some("flags"), None, Class::Breaking),
    ] {
        let change = only_change(built(request, old), built(request, new));
        assert_eq!(
            (change.kind, change.class),
            (ChangeKind::Constructor, class),
            "{}",
            change.summary
        );
    }
}

#[test]
fn type_and_leniency_changes_break() {
    let change = only_change(
        strukt("X", false, true, vec![field("A", TypeRef::String, true)]),
        strukt(
            "X",
            false,
            true,
            vec![field("A", TypeRef::Id("AId".into()), true)],
        ),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Breaking, ChangeKind::Type)
    );
    let mut lenient = field("A", TypeRef::String, true);
    lenient.lenient = true;
    let change = only_change(
        strukt("X", false, true, vec![lenient]),
        strukt("X", false, true, vec![field("A", TypeRef::String, true)]),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Breaking, ChangeKind::Type)
    );
    assert!(change.summary.contains("no longer `Lenient`"));
}

/// An update value of a string that becomes an update value of an identifier (or a timestamp) is a type
/// change that breaks, and says what each side wraps; the same update value on both sides is no change.
#[test]
fn an_update_value_that_wraps_a_recovered_format_breaks() {
    let update = |inner: TypeRef| TypeRef::Update(Box::new(inner));
    let change = only_change(
        strukt(
            "X",
            true,
            false,
            vec![field(
                "A",
                TypeRef::Named("operations/_objects.md#string-update-value".into()),
                false,
            )],
        ),
        strukt(
            "X",
            true,
            false,
            vec![field("A", update(TypeRef::Id("AId".into())), false)],
        ),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Breaking, ChangeKind::Type)
    );
    assert!(
        change.summary.contains("update value of identifier `AId`"),
        "{}",
        change.summary
    );
    let same = || {
        strukt(
            "X",
            true,
            false,
            vec![field("A", update(TypeRef::Timestamp), false)],
        )
    };
    let report = compare(
        &surface(vec![("operations/t.md#x", same())]),
        &surface(vec![("operations/t.md#x", same())]),
    );
    assert!(report.changes.is_empty(), "{report:#?}");
}

#[test]
fn deprecations_are_additive_and_note_changes_docs() {
    let deprecated = |note: Option<&str>| {
        let mut f = field("A", TypeRef::String, false);
        f.deprecated = note.map(str::to_string);
        strukt("X", false, true, vec![f])
    };
    let change = only_change(deprecated(None), deprecated(Some("Use B.")));
    assert_eq!(
        (change.class, change.kind),
        (Class::Additive, ChangeKind::Deprecated)
    );
    let change = only_change(deprecated(Some("Use B.")), deprecated(Some("Use C.")));
    assert_eq!(change.class, Class::Docs);
}

#[test]
fn a_struct_that_stops_travelling_in_requests_loses_serialize() {
    let fields = || vec![field("A", TypeRef::String, false)];
    let change = only_change(
        strukt("X", true, true, fields()),
        strukt("X", false, true, fields()),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Breaking, ChangeKind::Direction)
    );
}

fn enumeration(values: &[&str]) -> TypeSurface {
    let mut t = strukt("E", false, true, Vec::new());
    t.shape = Shape::Enum(EnumShape {
        values: values
            .iter()
            .map(|v| ValueSurface {
                wire: v.to_string(),
                rust_name: v.to_string(),
                deprecated: None,
                doc: String::new(),
                at: loc(3),
            })
            .collect(),
        extensible: false,
    });
    t
}

#[test]
fn enum_values_added_are_additive_and_removed_breaking() {
    let change = only_change(enumeration(&["A"]), enumeration(&["A", "B"]));
    assert_eq!(
        (change.class, change.kind),
        (Class::Additive, ChangeKind::Added)
    );
    let change = only_change(enumeration(&["A", "B"]), enumeration(&["A"]));
    assert_eq!(
        (change.class, change.kind),
        (Class::Breaking, ChangeKind::Removed)
    );
}

#[test]
fn coproduct_payload_changes_break_and_new_variants_are_additive() {
    let coproduct = |variants: Vec<(&str, Option<TypeRef>)>| {
        let mut t = strukt("C", false, true, Vec::new());
        t.shape = Shape::Coproduct(CoproductShape {
            layout: "value".to_string(),
            variants: variants
                .into_iter()
                .map(|(wire, payload)| VariantSurface {
                    wire: wire.to_string(),
                    rust_name: wire.to_string(),
                    property: "Value".to_string(),
                    payload,
                    payload_optional: false,
                    boxed: false,
                })
                .collect(),
        });
        t
    };
    let change = only_change(
        coproduct(vec![("A", None)]),
        coproduct(vec![("A", Some(TypeRef::String))]),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Breaking, ChangeKind::Type)
    );
    let change = only_change(
        coproduct(vec![("A", None)]),
        coproduct(vec![("A", None), ("B", None)]),
    );
    assert_eq!(
        (change.class, change.kind),
        (Class::Additive, ChangeKind::Added)
    );
}

fn operation(method: &str) -> OperationSurface {
    OperationSurface {
        title: "Get all things".to_string(),
        at: loc(3),
        method: method.to_string(),
        request: "operations/t.md#get-all-things/request".to_string(),
        response: "operations/t.md#get-all-things/response".to_string(),
        ..OperationSurface::default()
    }
}

fn with_operation(op: OperationSurface) -> Surface {
    Surface {
        format: FORMAT,
        operations: BTreeMap::from([("things/getAll".to_string(), op)]),
        ..Surface::default()
    }
}

#[test]
fn renamed_streams_break_and_a_surface_without_stream_names_implies_the_pages_one() {
    let mut before = operation("get_all_2023_06_06");
    before.paginated = true;
    before.pages = Some("get_all_2023_06_06_pages".to_string());
    before.items = Some("get_all_2023_06_06_items".to_string());
    let mut after = operation("get_all");
    after.paginated = true;
    after.pages = Some("get_all_pages".to_string());
    after.items = Some("get_all_items_stream".to_string());
    let report = compare(&with_operation(before), &with_operation(after.clone()));
    let summaries: Vec<&str> = report.changes.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "method renamed from `get_all_2023_06_06` to `get_all`",
            "streams renamed from `get_all_2023_06_06_pages` and `get_all_2023_06_06_items` to `get_all_pages` and `get_all_items_stream`",
        ]
    );
    assert!(report.changes.iter().all(|c| c.class == Class::Breaking));
    // An older surface records no stream names: `{method}_pages` is implied, and whether `_items` existed is
    // not known, so only the pages stream is compared.
    let mut implied = operation("get_all");
    implied.paginated = true;
    let report = compare(
        &with_operation(implied.clone()),
        &with_operation(after.clone()),
    );
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    let mut renamed = after;
    renamed.method = "get_all_2017_04_12".to_string();
    renamed.pages = Some("get_all_2017_04_12_pages".to_string());
    renamed.items = Some("get_all_2017_04_12_items".to_string());
    let report = compare(&with_operation(implied), &with_operation(renamed));
    assert_eq!(
        report.changes[1].summary,
        "streams renamed from `get_all_pages` to `get_all_2017_04_12_pages`"
    );
}

#[test]
fn an_items_stream_that_turns_into_batches_or_pages_another_list_breaks() {
    let mut before = operation("get_all");
    before.paginated = true;
    before.pages = Some("get_all_pages".to_string());
    before.items = Some("get_all_items".to_string());
    // An older surface records neither the paged list nor what is beside it: its stream yielded items.
    let mut after = before.clone();
    after.paged_list = Some("Products".to_string());
    after.items_beside = vec!["CustomerProducts".to_string()];
    let report = compare(
        &with_operation(before.clone()),
        &with_operation(after.clone()),
    );
    let summaries: Vec<&str> = report.changes.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "`get_all_items` now yields batches (a page's items beside the rest of the page, with `CustomerProducts`) instead of bare items"
        ]
    );
    assert!(report.changes.iter().all(|c| c.class == Class::Breaking));
    let mut back = after.clone();
    back.items_beside.clear();
    back.paged_list = Some("CustomerProducts".to_string());
    let report = compare(&with_operation(after.clone()), &with_operation(back));
    let summaries: Vec<&str> = report.changes.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "`get_all_items` now yields bare items instead of batches: the page holds nothing beside them any more",
            "the streams page `CustomerProducts` instead of `Products`: `get_all_items` yields other items",
        ]
    );
    assert!(report.changes.iter().all(|c| c.class == Class::Breaking));
    // Other lists beside the paged one that change leave the stream's type alone (the page type says).
    let mut more = after.clone();
    more.items_beside.push("Rates".to_string());
    assert!(
        compare(&with_operation(after), &with_operation(more))
            .changes
            .is_empty()
    );
}

#[test]
fn operations_discontinued_or_unpaginated_break_and_newly_restricted_ones_are_additive() {
    let before = operation("get_all");
    let mut discontinued = operation("get_all");
    discontinued.discontinued = Some("Gone.".to_string());
    let report = compare(
        &with_operation(before.clone()),
        &with_operation(discontinued),
    );
    assert_eq!(report.category(), Bump::Major);
    assert_eq!(report.changes[0].kind, ChangeKind::Discontinued);

    let mut paginated = operation("get_all");
    paginated.paginated = true;
    let report = compare(
        &with_operation(paginated.clone()),
        &with_operation(before.clone()),
    );
    assert_eq!(
        (report.changes[0].class, report.changes[0].kind),
        (Class::Breaking, ChangeKind::Pagination)
    );
    let report = compare(&with_operation(before.clone()), &with_operation(paginated));
    assert_eq!(report.changes[0].class, Class::Additive);

    let mut restricted = operation("get_all");
    restricted.restricted = true;
    let report = compare(&with_operation(before.clone()), &with_operation(restricted));
    assert_eq!(
        (report.changes[0].class, report.changes[0].kind),
        (Class::Additive, ChangeKind::Restricted)
    );

    let report = compare(&with_operation(before), &Surface::default());
    assert_eq!(
        (report.changes[0].class, report.changes[0].kind),
        (Class::Breaking, ChangeKind::Removed)
    );
}

#[test]
fn types_are_matched_by_title_when_their_anchor_changes() {
    let t = || {
        strukt(
            "Thing",
            false,
            true,
            vec![field("A", TypeRef::String, true)],
        )
    };
    let same_page = compare(
        &surface(vec![("operations/t.md#thing", t())]),
        &surface(vec![("operations/t.md#thing-1", t())]),
    );
    assert_eq!(same_page.changes.len(), 1, "{same_page:#?}");
    assert_eq!(
        (same_page.changes[0].class, same_page.changes[0].kind),
        (Class::Docs, ChangeKind::Moved)
    );
    let other_page = compare(
        &surface(vec![("operations/t.md#thing", t())]),
        &surface(vec![("operations/u.md#thing", t())]),
    );
    assert_eq!(
        (other_page.changes[0].class, other_page.changes[0].kind),
        (Class::Breaking, ChangeKind::Moved)
    );
    // References to the type follow the match: a property of the moved type is not a type change.
    let holder = |id: &str| {
        strukt(
            "Holder",
            false,
            true,
            vec![field("T", TypeRef::Named(id.to_string()), true)],
        )
    };
    let report = compare(
        &surface(vec![
            ("operations/t.md#thing", t()),
            ("operations/t.md#holder", holder("operations/t.md#thing")),
        ]),
        &surface(vec![
            ("operations/t.md#thing-1", t()),
            ("operations/t.md#holder", holder("operations/t.md#thing-1")),
        ]),
    );
    assert_eq!(report.changes.len(), 1, "{report:#?}");
}

#[test]
fn body_types_follow_their_operation_when_its_heading_changes() {
    // The Rust name comes from the endpoint, so it stays.
    let body = |title: &str| TypeSurface {
        rust_name: "ThingsGetAllRequest".to_string(),
        ..strukt(title, true, false, vec![field("A", TypeRef::String, true)])
    };
    let mut renamed = operation("get_all");
    renamed.title = "List things".to_string();
    renamed.request = "operations/t.md#list-things/request".to_string();
    renamed.response = "operations/t.md#list-things/response".to_string();
    let mut old = with_operation(operation("get_all"));
    old.types.insert(
        "operations/t.md#get-all-things/request".to_string(),
        body("Get all things request"),
    );
    let mut new = with_operation(renamed);
    new.types.insert(
        "operations/t.md#list-things/request".to_string(),
        body("List things request"),
    );
    let report = compare(&old, &new);
    let kinds: Vec<(Class, ChangeKind)> =
        report.changes.iter().map(|c| (c.class, c.kind)).collect();
    assert_eq!(
        kinds,
        [
            (Class::Docs, ChangeKind::Title),
            (Class::Docs, ChangeKind::Moved),
            (Class::Docs, ChangeKind::Title)
        ],
        "{report:#?}"
    );
}

#[test]
fn description_changes_name_the_words_or_links_that_differ() {
    assert_eq!(
        describe_text_change("See [A](https://x/a) now.", "See [A](https://x/b) now."),
        "link target changed from `https://x/a` to `https://x/b`"
    );
    assert_eq!(
        describe_text_change(
            "Identifier of the Message thread to which",
            "Identifier of the `MessageThread` to which"
        ),
        "description changed: `Message thread` → `` `MessageThread` ``"
    );
    assert_eq!(
        describe_text_change("Text.", "Text. More."),
        "description changed: added `More.`"
    );
}

#[test]
fn a_link_rewritten_to_the_same_target_gives_the_same_doc_text() {
    use crate::ir::{Doc, DocInline, LinkTarget, TypeId};
    let doc = |text: &str| Doc {
        paragraphs: vec![vec![
            DocInline::Text("A ".into()),
            DocInline::Link {
                target: LinkTarget::Type(TypeId::new("operations/t.md", "thing")),
                children: vec![DocInline::Text(text.into())],
            },
        ]],
    };
    assert_eq!(
        doc_text(&doc("thing")),
        "A [thing](type:operations/t.md#thing)"
    );
}

#[test]
fn surfaces_round_trip_through_json_and_other_formats_are_refused() {
    let mut s = surface(vec![(
        "operations/t.md#x",
        strukt("X", true, false, vec![field("A", TypeRef::String, true)]),
    )]);
    s.operations
        .insert("things/getAll".to_string(), operation("get_all"));
    s.ids
        .insert("ThingId".to_string(), Loc::new("operations/a:b.md", 7));
    let json = s.to_json();
    assert_eq!(Surface::from_json(&json), Ok(s.clone()));
    assert_eq!(json, Surface::from_json(&json).unwrap().to_json());
    let other = json.replace(&format!("\"format\": {FORMAT}"), "\"format\": 999");
    let legacy = json.replace(&format!("\"format\": {FORMAT}"), "\"format\": 1");
    assert_eq!(
        Surface::from_json(&legacy).map(|s| s.format),
        Ok(FORMAT_WITHOUT_HANDLES)
    );
    assert!(
        Surface::from_json(&other)
            .unwrap_err()
            .contains("format 999")
    );
    assert!(Surface::from_json("{").is_err());
}

#[test]
fn the_surface_of_pages_is_deterministic_and_compares_equal_to_itself() {
    let page = "# T\n\n#### Thing\n\n| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n\
                | `A` | string | required, max length 5 characters | A. |\n";
    let build = || {
        let (api, _, sources) = crate::analyze(
            crate::source::SourceSet::from_pages([("operations/t.md", page)]),
            None,
        );
        Surface::of(&api, &sources)
    };
    let (a, b) = (build(), build());
    assert_eq!(a.to_json(), b.to_json());
    assert!(compare(&a, &b).is_empty());
    let thing = &a.types["operations/t.md#thing"];
    assert_eq!(thing.at.to_string(), "operations/t.md:3");
    let Shape::Struct(StructShape { fields, .. }) = &thing.shape else {
        panic!("a struct")
    };
    assert_eq!(
        (fields[0].at.line, fields[0].limits.max_length),
        (7, Some(5))
    );
}

#[test]
fn versions_bump_by_semver_with_0_x_shifted_one_place() {
    let v = |s: &str| Version::parse(s).unwrap();
    let next = |s: &str, category: Bump| v(s).bumped(category.for_version(&v(s))).to_string();
    assert_eq!(next("0.1.0", Bump::Major), "0.2.0");
    assert_eq!(next("0.1.3", Bump::Minor), "0.1.4");
    assert_eq!(next("0.1.3", Bump::Patch), "0.1.4");
    assert_eq!(next("0.0.3", Bump::Minor), "0.0.4");
    assert_eq!(next("1.2.3", Bump::Major), "2.0.0");
    assert_eq!(next("1.2.3", Bump::Minor), "1.3.0");
    assert_eq!(next("1.2.3", Bump::None), "1.2.3");
    assert_eq!(Version::parse("1.0"), None);
    assert_eq!(Version::parse("1.0.0-beta"), None);
}

#[test]
fn a_member_that_becomes_boxed_breaks_unless_a_side_predates_the_flags() {
    let with = |boxed: bool| {
        let mut a = field("A", TypeRef::Named("operations/t.md#x".to_string()), false);
        a.boxed = boxed;
        strukt("X", false, true, vec![a])
    };
    let change = only_change(with(false), with(true));
    assert_eq!(
        (change.class, change.kind, change.summary.as_str()),
        (
            Class::Breaking,
            ChangeKind::Type,
            "property `A`: now boxed (`Box<…>`, the type would contain itself otherwise), so its Rust type changes"
        )
    );
    let change = only_change(with(true), with(false));
    assert_eq!(change.class, Class::Breaking);
    // A surface written before boxes were recorded says nothing about them.
    let mut old = surface(vec![("operations/t.md#x", with(false))]);
    old.format = FORMAT_WITHOUT_HANDLES;
    let new = surface(vec![("operations/t.md#x", with(true))]);
    assert!(compare(&old, &new).is_empty());
}

#[test]
fn a_renamed_handle_or_accessor_breaks_and_a_new_resource_adds() {
    let with = |resources: &[(&str, &str, &str)]| Surface {
        format: FORMAT,
        resources: resources
            .iter()
            .map(|(name, handle, accessor)| {
                let resource = ResourceSurface {
                    handle: handle.to_string(),
                    accessor: accessor.to_string(),
                    at: loc(3),
                };
                (name.to_string(), resource)
            })
            .collect(),
        ..Surface::default()
    };
    let old = with(&[("things", "ThingsApi", "things")]);
    let report = compare(
        &old,
        &with(&[
            ("Things", "ThingsApi", "things"),
            ("things", "ThingsApi2", "things2"),
        ]),
    );
    let summaries: Vec<(Class, &str)> = report
        .changes
        .iter()
        .map(|c| (c.class, c.summary.as_str()))
        .collect();
    assert_eq!(
        summaries,
        [
            (
                Class::Breaking,
                "resource `things`: accessor renamed from `things` to `things2`"
            ),
            (
                Class::Breaking,
                "resource `things`: handle renamed from `ThingsApi` to `ThingsApi2`"
            ),
            (
                Class::Additive,
                "resource `Things` added: accessor `things()` returns handle `ThingsApi`"
            ),
        ]
    );
    let mut legacy = Surface {
        format: FORMAT_WITHOUT_HANDLES,
        ..Surface::default()
    };
    assert!(compare(&legacy, &old).is_empty());
    legacy.format = FORMAT;
    assert_eq!(compare(&legacy, &old).changes[0].class, Class::Additive);
}

#[test]
fn a_new_reference_url_is_a_docs_change() {
    let mut before = operation("get_all");
    before.reference = "https://docs.mews.com/connector-api/operations/things#get-all".to_string();
    let mut after = before.clone();
    after.reference.push_str("-things");
    let report = compare(&with_operation(before), &with_operation(after));
    assert_eq!(report.changes.len(), 1, "{report:#?}");
    assert_eq!(
        (report.changes[0].class, report.changes[0].kind),
        (Class::Docs, ChangeKind::Reference)
    );
}
