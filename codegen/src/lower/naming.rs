//! Gives every page, type, field, variant, identifier, resource (its handle and accessor) and method its Rust
//! name (versions of an operation and titles defined more than once compete for plain names), and works out
//! pagination and its streams (which need the field names).

use std::collections::{BTreeMap, BTreeSet};

use super::paging;
use crate::diagnostics::Diagnostics;
use crate::ir::*;
use crate::names::{Case, NameSet, RESERVED_TYPE_NAMES, ident};

/// The module holding the events pages' modules.
pub const EVENTS_MODULE: &str = "events";

/// Methods of the generated `Client` that resource accessors must not take.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "multi_property",
    "for_enterprise",
    "rotate_access_token",
    "runtime",
    "from_runtime",
    "clone",
    "fmt",
];

pub fn assign(api: &mut Api, diagnostics: &mut Diagnostics) {
    let mut modules = NameSet::with_reserved(
        Case::Snake,
        &[
            "ids",
            "client",
            "runtime",
            "generated",
            "mod",
            "tests",
            "mock_routes",
            "testing",
            EVENTS_MODULE,
        ],
    );
    let mut event_modules = NameSet::with_reserved(Case::Snake, &["fetch"]);
    for page in &mut api.pages {
        let stem = page.path.trim_end_matches(".md");
        if page.kind == PageKind::Events {
            // Events pages nest under `events` (`events::wh_general`): they name their types apart from the
            // operations' (`events::wh_integration::Enterprise` beside `Enterprise`).
            let base = ident(stem.trim_start_matches("events/"), Case::Snake);
            page.module = format!("{EVENTS_MODULE}::{}", event_modules.claim(&base));
            continue;
        }
        let base = match stem.strip_prefix("operations/") {
            Some(rest) => ident(rest, Case::Snake),
            None => ident(stem, Case::Snake),
        };
        // `_objects.md` makes `objects`; `3dsecure.md` keeps its `_` (`_3dsecure`), which an identifier needs.
        let trimmed = base.trim_start_matches('_');
        let base = if trimmed.starts_with(|c: char| c.is_ascii_alphabetic()) {
            trimmed
        } else {
            base.as_str()
        };
        page.module = modules.claim(base);
    }

    let labels = version_labels(&api.operations);
    let accessors = name_operations(api, &labels);

    let mut types = NameSet::with_reserved(Case::Pascal, RESERVED_TYPE_NAMES);
    // Request and response bodies first: their names come from the endpoint and its method.
    let mut bodies: BTreeMap<TypeId, String> = BTreeMap::new();
    let mut stems: BTreeMap<String, String> = BTreeMap::new();
    for (operation, label) in api.operations.iter().zip(&labels) {
        let stem = format!(
            "{}{}{}",
            ident(&operation.resource, Case::Pascal),
            ident(&operation.action, Case::Pascal),
            label
                .as_deref()
                .map(|l| ident(l, Case::Pascal))
                .unwrap_or_default()
        );
        bodies.insert(
            operation.request.clone(),
            types.claim(&format!("{stem}Request")),
        );
        bodies.insert(
            operation.response.clone(),
            types.claim(&format!("{stem}Response")),
        );
        stems.insert(operation.id.clone(), stem);
    }
    let mut handles: BTreeMap<String, String> = BTreeMap::new();
    for operation in &api.operations {
        if !handles.contains_key(&operation.resource) {
            let name = types.claim(&format!("{}Api", ident(&operation.resource, Case::Pascal)));
            handles.insert(operation.resource.clone(), name);
        }
    }
    api.resources = resources(api, &handles, &accessors);
    let mut names = type_names(api, &bodies, &mut types);
    relaxed_copy_names(api, &stems, &mut names, &mut types);
    for def in api.types.values_mut() {
        def.rust_name = names.get(&def.id).cloned().unwrap_or_default();
        match &mut def.kind {
            TypeKind::Struct(s) => {
                let mut fields = NameSet::new(Case::Snake);
                for field in &mut s.fields {
                    field.rust_name = fields.claim(&ident(&field.wire_name, Case::Snake));
                }
            }
            TypeKind::Enum(e) => {
                let mut variants = NameSet::with_reserved(Case::Pascal, &["Unknown"]);
                for value in &mut e.values {
                    value.rust_name = variants.claim(&ident(&value.wire, Case::Pascal));
                }
            }
            TypeKind::Coproduct(c) => {
                let mut variants = NameSet::with_reserved(Case::Pascal, &["Unknown"]);
                for variant in &mut c.variants {
                    variant.rust_name = variants.claim(&ident(&variant.wire, Case::Pascal));
                }
            }
            _ => {}
        }
    }
    let type_names: BTreeMap<TypeId, String> = api
        .types
        .iter()
        .map(|(id, d)| (id.clone(), d.rust_name.clone()))
        .collect();
    for def in api.types.values_mut() {
        if let TypeKind::OneOf(variants) = &mut def.kind {
            let mut names = NameSet::new(Case::Pascal);
            for variant in variants {
                let base = type_names
                    .get(&variant.ty)
                    .cloned()
                    .unwrap_or_else(|| "Variant".to_string());
                variant.rust_name = names.claim(&base);
            }
        }
    }
    for (name, id) in &mut api.ids {
        id.rust_name = types.claim(name);
    }
    // Arguments structs after every other type name, so they never push one aside.
    for def in api.types.values_mut() {
        if let TypeKind::Struct(Struct {
            construction: Construction::NamedArguments(name),
            ..
        }) = &mut def.kind
        {
            *name = types.claim(&format!("{}Required", def.rust_name));
        }
    }
    let id_names: BTreeMap<String, String> = api
        .ids
        .iter()
        .map(|(k, v)| (k.clone(), v.rust_name.clone()))
        .collect();
    rename_ids(api, &id_names);

    // Streams last: they need the field names. Every stream is `{method}_pages`/`{method}_items`; an operation
    // whose method would be one of those names gives way (see `settle_streams`).
    let paginations: Vec<Option<Pagination>> = api
        .operations
        .iter()
        .map(|operation| {
            let pagination = paging::pagination(api, operation, diagnostics);
            if pagination.is_none() {
                paging::report_unpaged_limitation(api, operation, diagnostics);
            }
            pagination
        })
        .collect();
    for (operation, pagination) in api.operations.iter_mut().zip(paginations) {
        operation.pagination = pagination;
    }
    settle_streams(&mut api.operations);
}

/// Streams follow one pattern whatever the operations are called: a paged operation (not discontinued: those
/// get no methods) has `{method}_pages` and `{method}_items`. A method that is another operation's stream name
/// (`reservations/getAllItems` beside the items of `reservations/getAll`) takes `_operation`
/// (`get_all_items_operation`), numbered if that is taken too; a stream name ends in `_pages` or `_items`, so a
/// renamed method never meets one, and each operation is renamed at most once.
fn settle_streams(operations: &mut [Operation]) {
    let streams_of = |o: &Operation| -> Option<[String; 2]> {
        (o.discontinued.is_none() && o.pagination.as_ref().is_some_and(|p| p.items.is_some()))
            .then(|| [format!("{}_pages", o.method), format!("{}_items", o.method)])
    };
    for _ in 0..=operations.len() {
        let mut streams: BTreeSet<(String, String)> = BTreeSet::new();
        for operation in operations.iter() {
            for stream in streams_of(operation).into_iter().flatten() {
                streams.insert((operation.resource.clone(), stream));
            }
        }
        let colliding: Vec<usize> = (0..operations.len())
            .filter(|&i| {
                let o = &operations[i];
                streams.contains(&(o.resource.clone(), o.method.clone()))
            })
            .collect();
        if colliding.is_empty() {
            break;
        }
        for index in colliding {
            let resource = operations[index].resource.clone();
            let mut taken = NameSet::new(Case::Snake);
            for o in operations.iter().filter(|o| o.resource == resource) {
                taken.claim(&o.method);
            }
            for (_, stream) in streams.iter().filter(|(r, _)| *r == resource) {
                taken.claim(stream);
            }
            let renamed = taken.claim(&format!("{}_operation", operations[index].method));
            operations[index].method = renamed;
        }
    }
    for operation in operations.iter_mut() {
        let [pages, items] = streams_of(operation).map_or([None, None], |s| s.map(Some));
        operation.pages_method = pages;
        operation.items_method = items;
    }
}

/// The resources that get a handle: those with an operation that is not discontinued, each gated by the
/// features of those operations' pages.
fn resources(
    api: &Api,
    handles: &BTreeMap<String, String>,
    accessors: &BTreeMap<String, String>,
) -> BTreeMap<String, Resource> {
    let mut out: BTreeMap<String, Resource> = BTreeMap::new();
    for operation in api.operations.iter().filter(|o| o.discontinued.is_none()) {
        let resource = out
            .entry(operation.resource.clone())
            .or_insert_with(|| Resource {
                name: operation.resource.clone(),
                handle: handles
                    .get(&operation.resource)
                    .cloned()
                    .unwrap_or_default(),
                accessor: accessors
                    .get(&operation.resource)
                    .cloned()
                    .unwrap_or_default(),
                features: BTreeSet::new(),
            });
        if let Some(feature) = api.page(&operation.page).and_then(|p| p.feature.clone()) {
            resource.features.insert(feature);
        }
    }
    out
}

/// The version of an operation that states none: the oldest, the original.
const ORIGINAL_VERSION: &str = "original";

/// The label a method and its body types carry after the action, per operation: `None` for the current one
/// of the operations sharing a resource and action, which takes the plain name. The current one is the newest
/// neither discontinued, deprecated nor restricted (else the newest not discontinued nor deprecated, and so
/// on); a version is the endpoint's or the one the heading states (`(ver 2017-04-12)`), and an operation with
/// neither is the oldest. The others are labelled `ver {version}`, as the docs' headings and titles state a
/// version (`(ver 2017-04-12)`), `ver original` for one that states none: methods `get_all_ver_2017_04_12`,
/// `get_availability_ver_original`; body types `ReservationsGetAllVer20170412Request`, like the types titled
/// with a version (`ReservationVer20170412`).
fn version_labels(operations: &[Operation]) -> Vec<Option<String>> {
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (index, operation) in operations.iter().enumerate() {
        groups
            .entry((&operation.resource, &operation.action))
            .or_default()
            .push(index);
    }
    let mut labels = vec![None; operations.len()];
    for members in groups.values() {
        let rank = |&index: &usize| {
            let o = &operations[index];
            (
                o.discontinued.is_none(),
                o.deprecated.is_none(),
                !o.restricted,
                stated_version(o),
                index,
            )
        };
        let current = members.iter().max_by_key(|i| rank(i)).copied();
        for &index in members {
            if Some(index) != current {
                let version = stated_version(&operations[index])
                    .unwrap_or_else(|| ORIGINAL_VERSION.to_string());
                labels[index] = Some(format!("ver {version}"));
            }
        }
    }
    labels
}

/// The endpoint's version segment, else the version the heading states (`Get all reservations (ver 2017-04-12)`).
fn stated_version(operation: &Operation) -> Option<String> {
    operation.version.clone().or_else(|| {
        // ASCII lower case keeps byte offsets, so they index the title too.
        let lower = operation.title.to_ascii_lowercase();
        let start = lower.find("(ver ")? + "(ver ".len();
        let end = start + lower.get(start..)?.find(')')?;
        let version = operation.title.get(start..end)?.trim();
        (!version.is_empty()).then(|| version.to_string())
    })
}

/// Accessors and methods (`{action}` for the current version, `{action}_{label}` for the others); returns
/// each resource's accessor.
fn name_operations(api: &mut Api, labels: &[Option<String>]) -> BTreeMap<String, String> {
    let mut accessors = NameSet::with_reserved(Case::Snake, CLIENT_METHODS);
    let mut accessor_of: BTreeMap<String, String> = BTreeMap::new();
    let mut methods: BTreeMap<String, NameSet> = BTreeMap::new();
    // Plain names first, so that a labelled method never takes the current one's name.
    let mut order: Vec<usize> = (0..api.operations.len()).collect();
    order.sort_by_key(|&i| labels[i].is_some());
    for index in order {
        let operation = &mut api.operations[index];
        accessor_of
            .entry(operation.resource.clone())
            .or_insert_with(|| {
                let base = ident(&operation.resource, Case::Snake);
                if CLIENT_METHODS.contains(&base.as_str()) {
                    accessors.claim(&format!("{base}_api"))
                } else {
                    accessors.claim(&base)
                }
            });
        let names = methods
            .entry(operation.resource.clone())
            .or_insert_with(|| NameSet::new(Case::Snake));
        let mut base = ident(&operation.action, Case::Snake);
        if let Some(label) = &labels[index] {
            base = format!("{base}_{}", ident(label, Case::Snake));
        }
        operation.method = names.claim(&base);
    }
    accessor_of
}

/// Names of the named types. Bodies are named already; other definitions sharing a title compete for the
/// plain name: definitions on live pages before those of `discontinued.md`, then the one most references
/// target (typed properties and links in docs, across all pages), then the one on a page named after the
/// title (`Order item data` on `orderitems.md`), then the first by page and anchor. Plain names are handed
/// out before any other. The others on the winner's page are numbered (`Name2`); those on other pages take
/// their page's name as a prefix, spelled as the page's title when that spells its file name
/// (`ConfigurationEnterprise`, `AccountingItemsOrderItem`, `DiscontinuedRestriction`).
fn type_names(
    api: &Api,
    bodies: &BTreeMap<TypeId, String>,
    types: &mut NameSet,
) -> BTreeMap<TypeId, String> {
    let mut names = bodies.clone();
    names.extend(event_type_names(api));
    let mut contests: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
    for def in api.types.values() {
        // Relaxed copies are named after every other type (see `relaxed_copy_names`).
        if names.contains_key(&def.id) || def.relaxed_copy.is_some() {
            continue;
        }
        if matches!(def.kind, TypeKind::UpdateValue(_)) {
            names.insert(def.id.clone(), "UpdateValue".to_string());
            continue;
        }
        contests
            .entry(ident(&def.title, Case::Pascal))
            .or_default()
            .push(def);
    }
    current_versions_take_the_bare_title(api, &mut contests);
    let counts = link_counts(api);
    let discontinued = |id: &TypeId| {
        api.page(id.page())
            .is_some_and(|p| p.kind == PageKind::Discontinued)
    };
    for contenders in contests.values_mut() {
        contenders.sort_by_key(|def| {
            (
                discontinued(&def.id),
                std::cmp::Reverse(counts.get(&def.id).copied().unwrap_or(0)),
                !page_named_after(def.id.page(), &def.title),
                def.id.clone(),
            )
        });
    }
    for (base, contenders) in &contests {
        if let Some(winner) = contenders.first() {
            names.insert(winner.id.clone(), types.claim(base));
        }
    }
    // The page's title where it spells the module's words (`Accounting items` for `accountingitems`), else
    // the module (`discontinued` for `Discontinued API operations`).
    let prefix_of: BTreeMap<&str, String> = api
        .pages
        .iter()
        .map(|p| {
            let spelled: String = p
                .title
                .to_lowercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            let source = if spelled == p.module.replace('_', "") {
                &p.title
            } else {
                &p.module
            };
            (p.path.as_str(), ident(source, Case::Pascal))
        })
        .collect();
    for (base, contenders) in &contests {
        let Some((winner, others)) = contenders.split_first() else {
            continue;
        };
        for def in others {
            let name = if def.id.page() == winner.id.page() {
                types.claim(base)
            } else {
                let page = prefix_of.get(def.id.page()).cloned().unwrap_or_default();
                types.claim(&format!("{page}{base}"))
            };
            names.insert(def.id.clone(), name);
        }
    }
    names
}

/// A deprecated operation's relaxed copy of a type is named after its operation's body types and the
/// original (`ReservationsGetAllVer20170412Customer`), after every other type so that it never pushes one aside.
fn relaxed_copy_names(
    api: &Api,
    stems: &BTreeMap<String, String>,
    names: &mut BTreeMap<TypeId, String>,
    types: &mut NameSet,
) {
    for def in api.types.values() {
        if let Some(copy) = &def.relaxed_copy
            && !names.contains_key(&def.id)
        {
            let stem = stems.get(&copy.operation).cloned().unwrap_or_default();
            let original = names.get(&copy.of).cloned().unwrap_or_default();
            let name = types.claim(&format!("{stem}{original}"));
            names.insert(def.id.clone(), name);
        }
    }
}

/// Names of the types of events pages, each page a namespace of its own (`events::wh_general`): the title,
/// numbered when repeated, and for the page's body (`Request body`, `Message body`) the page's title in the
/// singular and `Message` (`GeneralWebhookMessage`, `WebSocketMessage`).
fn event_type_names(api: &Api) -> BTreeMap<TypeId, String> {
    let mut names = BTreeMap::new();
    for page in api.pages.iter().filter(|p| p.kind == PageKind::Events) {
        // `FetchPlan`: what the page's events turn into (see `emit/fetch.rs`).
        let mut reserved = RESERVED_TYPE_NAMES.to_vec();
        reserved.push("FetchPlan");
        let mut taken = NameSet::with_reserved(Case::Pascal, &reserved);
        let page_name = ident(&page.title, Case::Pascal);
        let singular = page_name.strip_suffix('s').unwrap_or(&page_name);
        let defs: Vec<&TypeDef> = api
            .types
            .values()
            .filter(|d| d.id.page() == page.path)
            .collect();
        // Bodies first, so that no other title takes their name.
        let is_body = |d: &TypeDef| d.title.to_lowercase().ends_with(" body");
        for def in defs.iter().filter(|d| is_body(d)) {
            names.insert(def.id.clone(), taken.claim(&format!("{singular}Message")));
        }
        for def in defs.iter().filter(|d| !is_body(d)) {
            // Update-value wrappers are `runtime::UpdateValue<T>`, never a type of their own.
            let name = if matches!(def.kind, TypeKind::UpdateValue(_)) {
                "UpdateValue".to_string()
            } else {
                taken.claim(&ident(&def.title, Case::Pascal))
            };
            names.insert(def.id.clone(), name);
        }
    }
    names
}

/// Titles that state a version (`Reservation (ver 2023-06-06)`, `Currency value (ver. 2023-02-02)`) are
/// versions of the bare title. When no definition has the bare title, the current version takes it into its
/// contest (`Reservation`): the newest not deprecated and not on a discontinued page, else the newest. The
/// other versions keep their version in the name (`ReservationVer20170412`). An unversioned definition of the
/// same title keeps the bare name to itself (`Bill` beside `Bill (ver 2025-06-23)`).
fn current_versions_take_the_bare_title<'a>(
    api: &Api,
    contests: &mut BTreeMap<String, Vec<&'a TypeDef>>,
) {
    let mut versions: BTreeMap<String, Vec<(&'a TypeDef, String)>> = BTreeMap::new();
    for contenders in contests.values() {
        for def in contenders {
            if !def.title.trim_end().ends_with(')') {
                continue;
            }
            let (base, version) = super::titles::split_version(&def.title);
            let base = ident(&base, Case::Pascal);
            if !version.is_empty() && !base.is_empty() {
                versions.entry(base).or_default().push((def, version));
            }
        }
    }
    for (base, mut defs) in versions {
        if contests.contains_key(&base) {
            continue;
        }
        defs.sort_by(|(a, va), (b, vb)| {
            let retired = |d: &TypeDef| {
                d.deprecated.is_some()
                    || api
                        .page(d.id.page())
                        .is_some_and(|p| p.kind == PageKind::Discontinued)
            };
            (retired(a), std::cmp::Reverse(va), &a.id).cmp(&(
                retired(b),
                std::cmp::Reverse(vb),
                &b.id,
            ))
        });
        let Some((current, _)) = defs.first() else {
            continue;
        };
        if let Some(contenders) = contests.get_mut(&ident(&current.title, Case::Pascal)) {
            contenders.retain(|d| d.id != current.id);
        }
        contests.retain(|_, contenders| !contenders.is_empty());
        contests.insert(base, vec![*current]);
    }
}

/// Whether a page's name starts the title, singular or plural (`orderitems.md` and `Order item data`).
fn page_named_after(page: &str, title: &str) -> bool {
    let stem = page
        .rsplit('/')
        .next()
        .unwrap_or(page)
        .trim_end_matches(".md")
        .to_lowercase();
    let title: String = title
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let singular = [
        stem.strip_suffix("ies").map(|s| format!("{s}y")),
        stem.strip_suffix("es").map(str::to_string),
        stem.strip_suffix('s').map(str::to_string),
    ];
    std::iter::once(stem.clone())
        .chain(singular.into_iter().flatten())
        .any(|form| form.len() >= 3 && title.starts_with(&form))
}

/// How many references target each type: typed properties, payloads, aliases and dictionaries, and links in
/// the docs of operations, types, properties and values.
pub fn link_counts(api: &Api) -> BTreeMap<TypeId, usize> {
    let mut counts: BTreeMap<TypeId, usize> = BTreeMap::new();
    fn expr(e: &TypeExpr, counts: &mut BTreeMap<TypeId, usize>) {
        if let Some(id) = e.named() {
            *counts.entry(id.clone()).or_default() += 1;
        }
    }
    fn doc(d: &Doc, counts: &mut BTreeMap<TypeId, usize>) {
        fn inlines(items: &[DocInline], counts: &mut BTreeMap<TypeId, usize>) {
            for inline in items {
                match inline {
                    DocInline::Link { target, children } => {
                        if let LinkTarget::Type(id) = target {
                            *counts.entry(id.clone()).or_default() += 1;
                        }
                        inlines(children, counts);
                    }
                    DocInline::Emph(children)
                    | DocInline::Strong(children)
                    | DocInline::Strike(children) => inlines(children, counts),
                    DocInline::Text(_) | DocInline::Code(_) | DocInline::Break => {}
                }
            }
        }
        for paragraph in &d.paragraphs {
            inlines(paragraph, counts);
        }
    }
    for operation in &api.operations {
        doc(&operation.doc, &mut counts);
    }
    // Events pages' references decide nothing among the other pages' names (see `event_type_names`).
    let events = api.events_pages();
    // A relaxed copy stands in for its original: it adds no references, and references to it count for the
    // original, so that copies change no contest.
    let copies: BTreeMap<&TypeId, &TypeId> = api
        .types
        .values()
        .filter_map(|d| d.relaxed_copy.as_ref().map(|c| (&d.id, &c.of)))
        .collect();
    for def in api
        .types
        .values()
        .filter(|d| !events.contains(d.id.page()) && d.relaxed_copy.is_none())
    {
        doc(&def.doc, &mut counts);
        match &def.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    expr(&field.ty, &mut counts);
                    doc(&field.doc, &mut counts);
                }
            }
            TypeKind::Enum(e) => {
                for value in &e.values {
                    if let Some(payload) = &value.payload {
                        expr(payload, &mut counts);
                    }
                    doc(&value.doc, &mut counts);
                }
            }
            TypeKind::Coproduct(c) => {
                for variant in &c.variants {
                    if let Some(payload) = &variant.payload {
                        expr(payload, &mut counts);
                    }
                    doc(&variant.doc, &mut counts);
                }
            }
            TypeKind::UpdateValue(e) | TypeKind::Map(e) | TypeKind::Alias(e) => {
                expr(e, &mut counts);
            }
            TypeKind::OneOf(variants) => {
                for variant in variants {
                    *counts.entry(variant.ty.clone()).or_default() += 1;
                }
            }
        }
    }
    for (copy, original) in copies {
        if let Some(n) = counts.remove(copy) {
            *counts.entry(original.clone()).or_default() += n;
        }
    }
    counts
}

/// Identifier names may have been numbered to avoid a type name: update the references.
fn rename_ids(api: &mut Api, names: &BTreeMap<String, String>) {
    fn expr(e: &mut TypeExpr, names: &BTreeMap<String, String>) {
        match e {
            TypeExpr::Id(name) => {
                if let Some(new) = names.get(name) {
                    *name = new.clone();
                }
            }
            TypeExpr::Array(inner) => expr(inner, names),
            _ => {}
        }
    }
    for def in api.types.values_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                expr(&mut field.ty, names);
            }
        }
    }
    api.ids = std::mem::take(&mut api.ids)
        .into_values()
        .map(|d| (d.rust_name.clone(), d))
        .collect();
}
