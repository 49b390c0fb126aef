//! Two API surfaces → a list of classified changes.
//!
//! Types are matched by id (`page#anchor`), then as the request or response body of the same operation,
//! then by a title that is unique among the unmatched types of both sides; operations by id (endpoint).
//! Each change is classified for a crate that depends on the generated client (see [`Class`]).
//!
//! Every comparison of two collections walks them with [`join`] (removed, added, in both), and every change
//! is made from a [`Draft`] (class, kind and summary, then the item and the values before and after). This
//! file walks the crate items, resources, operations and types; [`members`] compares what two matching types
//! hold.

mod members;

use std::collections::{BTreeMap, BTreeSet};

use super::surface::*;
use super::words::*;
use super::{Change, ChangeKind as K, Class, Item, ItemKind, Report, Subject, SubjectKind};

/// Compares two surfaces.
pub fn compare(old: &Surface, new: &Surface) -> Report {
    let mut cmp = Comparer {
        old,
        new,
        map: match_types(old, new),
        current: [old.format, new.format]
            .iter()
            .all(|&f| f != FORMAT_WITHOUT_HANDLES),
        on: subject(SubjectKind::Crate, "", "", ""),
        changes: Vec::new(),
    };
    cmp.crate_items();
    cmp.resources();
    cmp.operations();
    cmp.types();
    let mut changes = cmp.changes;
    changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Report { changes }
}

/// What one key of two collections is: only in the old one, only in the new one, or in both.
enum Pair<V> {
    Removed(V),
    Added(V),
    Both(V, V),
}

/// The two sides of a comparison, walked together by key (in key order).
fn join<K: Ord, V>(
    old: impl IntoIterator<Item = (K, V)>,
    new: impl IntoIterator<Item = (K, V)>,
) -> Vec<(K, Pair<V>)> {
    let mut keys: BTreeMap<K, (Option<V>, Option<V>)> = BTreeMap::new();
    for (key, value) in old {
        keys.entry(key).or_insert((None, None)).0 = Some(value);
    }
    for (key, value) in new {
        keys.entry(key).or_insert((None, None)).1 = Some(value);
    }
    keys.into_iter()
        .filter_map(|(key, sides)| match sides {
            (Some(a), None) => Some((key, Pair::Removed(a))),
            (None, Some(b)) => Some((key, Pair::Added(b))),
            (Some(a), Some(b)) => Some((key, Pair::Both(a, b))),
            (None, None) => None,
        })
        .collect()
}

/// Members of a type, matched by their name on the wire (properties, enum values, union variants), and
/// items with a deprecation note and a description (operations, types, properties, enum values).
trait Member {
    fn wire(&self) -> &str;
}

trait Noted {
    fn notes(&self) -> (&Option<String>, &String);
}

macro_rules! member {
    ($($ty:ty),*) => {$(
        impl Member for $ty {
            fn wire(&self) -> &str {
                &self.wire
            }
        }
    )*};
}
member!(FieldSurface, ValueSurface, VariantSurface);

macro_rules! noted {
    ($($ty:ty),*) => {$(
        impl Noted for $ty {
            fn notes(&self) -> (&Option<String>, &String) {
                (&self.deprecated, &self.doc)
            }
        }
    )*};
}
noted!(OperationSurface, TypeSurface, FieldSurface, ValueSurface);

fn by_wire<T: Member>(members: &[T]) -> impl Iterator<Item = (&str, &T)> {
    members.iter().map(|m| (m.wire(), m))
}

/// A change before it is recorded: class, kind and summary; then, where there are, the item it is about and
/// the values before and after.
struct Draft {
    class: Class,
    kind: K,
    summary: String,
    item: Option<Item>,
    old: Option<String>,
    new: Option<String>,
}

fn draft(class: Class, kind: K, summary: impl Into<String>) -> Draft {
    Draft {
        class,
        kind,
        summary: summary.into(),
        item: None,
        old: None,
        new: None,
    }
}

fn breaking(kind: K, summary: impl Into<String>) -> Draft {
    draft(Class::Breaking, kind, summary)
}

fn additive(kind: K, summary: impl Into<String>) -> Draft {
    draft(Class::Additive, kind, summary)
}

fn docs(kind: K, summary: impl Into<String>) -> Draft {
    draft(Class::Docs, kind, summary)
}

impl Draft {
    fn item(self, item: Option<Item>) -> Draft {
        Draft { item, ..self }
    }

    fn values(self, old: Option<String>, new: Option<String>) -> Draft {
        Draft { old, new, ..self }
    }

    fn before_after(self, old: &str, new: &str) -> Draft {
        self.values(Some(old.to_string()), Some(new.to_string()))
    }
}

/// Old type id → new type id.
fn match_types<'a>(old: &'a Surface, new: &'a Surface) -> BTreeMap<&'a str, &'a str> {
    let mut map: BTreeMap<&str, &str> = BTreeMap::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    for id in old.types.keys() {
        if let Some((new_id, _)) = new.types.get_key_value(id) {
            map.insert(id, new_id);
            taken.insert(new_id);
        }
    }
    for (id, before) in &old.operations {
        let Some(after) = new.operations.get(id) else {
            continue;
        };
        for (a, b) in [
            (&before.request, &after.request),
            (&before.response, &after.response),
        ] {
            if old.types.contains_key(a)
                && new.types.contains_key(b)
                && !map.contains_key(a.as_str())
                && !taken.contains(b.as_str())
            {
                map.insert(a, b);
                taken.insert(b);
            }
        }
    }
    let mut titles: BTreeMap<&str, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for (id, def) in old
        .types
        .iter()
        .filter(|(id, _)| !map.contains_key(id.as_str()))
    {
        titles.entry(&def.title).or_default().0.push(id);
    }
    for (id, def) in new
        .types
        .iter()
        .filter(|(id, _)| !taken.contains(id.as_str()))
    {
        titles.entry(&def.title).or_default().1.push(id);
    }
    for (a, b) in titles.values() {
        if let ([a], [b]) = (a.as_slice(), b.as_slice()) {
            map.insert(a, b);
        }
    }
    map
}

fn subject(kind: SubjectKind, id: &str, title: &str, rust: &str) -> Subject {
    Subject {
        kind,
        id: id.to_string(),
        title: title.to_string(),
        rust: rust.to_string(),
    }
}

struct Comparer<'a> {
    old: &'a Surface,
    new: &'a Surface,
    map: BTreeMap<&'a str, &'a str>,
    /// Both surfaces record resources, boxed members and reference URLs (a surface of
    /// [`FORMAT_WITHOUT_HANDLES`] does not, and those are not compared then).
    current: bool,
    /// The operation or type being compared: every change recorded is about it.
    on: Subject,
    changes: Vec<Change>,
}

impl<'a> Comparer<'a> {
    fn push(&mut self, at: &Loc, draft: Draft) {
        self.changes.push(Change {
            class: draft.class,
            kind: draft.kind,
            subject: self.on.clone(),
            item: draft.item,
            at: at.clone(),
            summary: draft.summary,
            old: draft.old,
            new: draft.new,
        });
    }

    /// Features and identifier types: crate-wide items, only added or removed.
    fn crate_items(&mut self) {
        let (old, new) = (self.old, self.new);
        let features = (
            ItemKind::Feature,
            "features",
            "Cargo features",
            &old.features,
            &new.features,
        );
        let ids = (ItemKind::Id, "ids", "Identifier types", &old.ids, &new.ids);
        for (item_kind, id, title, before, after) in [features, ids] {
            self.on = subject(SubjectKind::Crate, id, title, "");
            let feature = item_kind == ItemKind::Feature;
            for (name, pair) in join(before, after) {
                let what = format!("{} {}", item_kind.word(), code(name));
                let (at, change) = match pair {
                    Pair::Removed(at) if feature => {
                        let why = "crates that enable it no longer build";
                        (at, breaking(K::Removed, format!("{what} removed: {why}")))
                    }
                    Pair::Removed(at) => (at, breaking(K::Removed, format!("{what} removed"))),
                    Pair::Added(at) if feature => (
                        at,
                        additive(K::Added, format!("{what} added (on by default)")),
                    ),
                    Pair::Added(at) => (at, additive(K::Added, format!("{what} added"))),
                    Pair::Both(..) => continue,
                };
                self.push(at, change.item(Some(Item::new(item_kind, name))));
            }
        }
    }

    /// The client's resource handles: a handle or accessor renamed breaks the code that names it.
    fn resources(&mut self) {
        if !self.current {
            return;
        }
        let (old, new) = (self.old, self.new);
        self.on = subject(SubjectKind::Crate, "resources", "Resource handles", "");
        for (name, pair) in join(&old.resources, &new.resources) {
            let item = || Some(Item::new(ItemKind::Resource, name));
            let names = |r: &ResourceSurface| (code(&format!("{}()", r.accessor)), code(&r.handle));
            let (at, change) = match pair {
                Pair::Removed(r) => {
                    let (accessor, handle) = names(r);
                    let summary = format!(
                        "resource {}: accessor {accessor} and handle {handle} removed",
                        code(name)
                    );
                    (&r.at, breaking(K::Removed, summary))
                }
                Pair::Added(r) => {
                    let (accessor, handle) = names(r);
                    let summary = format!(
                        "resource {} added: accessor {accessor} returns handle {handle}",
                        code(name)
                    );
                    (&r.at, additive(K::Added, summary))
                }
                Pair::Both(a, b) => {
                    let what = format!("resource {}: handle", code(name));
                    self.renamed(item(), &b.at, &what, &a.handle, &b.handle);
                    let what = format!("resource {}: accessor", code(name));
                    self.renamed(item(), &b.at, &what, &a.accessor, &b.accessor);
                    continue;
                }
            };
            self.push(at, change.item(item()));
        }
    }

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, pair) in join(&old.operations, &new.operations) {
            let op = match pair {
                Pair::Removed(op) | Pair::Added(op) | Pair::Both(_, op) => op,
            };
            self.on = subject(SubjectKind::Operation, id, &op.title, &op.method);
            let (method, gone) = (code(&op.method), op.discontinued.is_some());
            let change = match pair {
                Pair::Both(before, after) => {
                    self.operation(before, after);
                    continue;
                }
                Pair::Removed(_) if gone => {
                    docs(K::Removed, "discontinued operation no longer documented")
                }
                Pair::Removed(_) => breaking(
                    K::Removed,
                    format!("operation removed: method {method} is gone"),
                ),
                Pair::Added(_) if gone => {
                    docs(K::Added, "operation documented as discontinued (no method)")
                }
                Pair::Added(_) => additive(K::Added, format!("operation added: method {method}")),
            };
            self.push(&op.at, change);
        }
    }

    fn operation(&mut self, before: &OperationSurface, after: &OperationSurface) {
        let at = &after.at;
        let (old_method, new_method) = (code(&before.method), code(&after.method));
        match (&before.discontinued, &after.discontinued) {
            (None, Some(note)) => {
                let summary = format!("operation discontinued: method {old_method} is removed");
                let change = breaking(K::Discontinued, summary);
                self.push(at, change.values(None, Some(note.clone())));
            }
            (Some(_), None) => {
                let summary =
                    format!("operation no longer discontinued: method {new_method} added");
                self.push(at, additive(K::Discontinued, summary));
            }
            (None, None) => self.renamed(None, at, "method", &before.method, &after.method),
            (Some(_), Some(_)) => {}
        }
        self.notes(None, at, before, after, "operation");
        self.restriction(at, (before.restricted, after.restricted), "operation");
        self.streams(at, before, after);
        self.title(at, &before.title, &after.title);
        if self.current && before.reference != after.reference {
            let (a, b) = (&before.reference, &after.reference);
            let summary = format!("reference changed from <{a}> to <{b}>");
            self.push(at, docs(K::Reference, summary).before_after(a, b));
        }
        let (old, new) = (&before.request_example, &after.request_example);
        self.example(ItemKind::RequestExample, old, new, at);
        let (old, new) = (&before.response_example, &after.response_example);
        self.example(ItemKind::ResponseExample, old, new, at);
    }

    /// The `…_pages` and `…_items` streams of a paginated operation.
    fn streams(&mut self, at: &Loc, before: &OperationSurface, after: &OperationSurface) {
        let streams = |op: &OperationSurface| {
            let name = |given: &Option<String>, suffix| {
                given
                    .clone()
                    .unwrap_or_else(|| format!("{}_{suffix}", op.method))
            };
            (name(&op.pages, "pages"), name(&op.items, "items"))
        };
        let change = match (before.paginated, after.paginated) {
            (false, true) => {
                let (pages, items) = streams(after);
                let summary = format!("now paginated: {pages} and {items} streams added");
                additive(K::Pagination, summary)
            }
            (true, false) => {
                let (pages, items) = streams(before);
                let summary =
                    format!("no longer paginated: the {pages} and {items} streams are removed");
                breaking(K::Pagination, summary)
            }
            (true, true) => {
                // A surface written before stream names were recorded implies `{method}_pages` and cannot
                // tell whether an `_items` stream existed: then only the pages stream is compared.
                let names = |op: &OperationSurface| {
                    let (pages, items) = streams(op);
                    let mut names = vec![pages, items];
                    names.truncate(if before.pages.is_some() { 2 } else { 1 });
                    names
                };
                self.stream_items(at, before, after);
                let (old, new) = (names(before), names(after));
                if old == new {
                    return;
                }
                let list = |names: &[String]| {
                    let names: Vec<String> = names.iter().map(|n| code(n)).collect();
                    names.join(" and ")
                };
                let summary = format!("streams renamed from {} to {}", list(&old), list(&new));
                breaking(K::Renamed, summary).before_after(&old.join(", "), &new.join(", "))
            }
            (false, false) => return,
        };
        self.push(at, change);
    }

    /// What the streams of an operation paginated before and after yield: the list the cursor pages (when
    /// both surfaces record it), and whether the items stream yields bare items or batches with the rest of
    /// each page (a surface that does not record it yielded bare items).
    fn stream_items(&mut self, at: &Loc, before: &OperationSurface, after: &OperationSurface) {
        let items = after
            .items
            .clone()
            .unwrap_or_else(|| format!("{}_items", after.method));
        if let (Some(old), Some(new)) = (&before.paged_list, &after.paged_list)
            && old != new
        {
            let summary = format!(
                "the streams page {} instead of {}: {} yields other items",
                code(new),
                code(old),
                code(&items)
            );
            self.push(at, breaking(K::Pagination, summary).before_after(old, new));
        }
        let beside =
            |names: &[String]| names.iter().map(|n| code(n)).collect::<Vec<_>>().join(", ");
        let change = match (
            before.items_beside.is_empty(),
            after.items_beside.is_empty(),
        ) {
            (true, false) => breaking(
                K::Pagination,
                format!(
                    "{} now yields batches (a page's items beside the rest of the page, with {}) instead of bare items",
                    code(&items),
                    beside(&after.items_beside)
                ),
            ),
            (false, true) => breaking(
                K::Pagination,
                format!(
                    "{} now yields bare items instead of batches: the page holds nothing beside them any more",
                    code(&items)
                ),
            ),
            _ => return,
        };
        self.push(at, change);
    }

    fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        // Old types keyed by the id of the new type they match (their own when they match none).
        let old_types = old.types.iter().map(|(id, def)| {
            let key = self.map.get(id.as_str()).copied().unwrap_or(id.as_str());
            (key, (id.as_str(), def))
        });
        let new_types = new
            .types
            .iter()
            .map(|(id, def)| (id.as_str(), (id.as_str(), def)));
        for (_, pair) in join(old_types, new_types) {
            let (id, def) = match pair {
                Pair::Removed(side) | Pair::Added(side) | Pair::Both(_, side) => side,
            };
            self.on = subject(SubjectKind::Type, id, &def.title, &def.rust_name);
            let name = code(&def.rust_name);
            let change = match pair {
                Pair::Both((old_id, before), _) => {
                    self.type_pair(old_id, id, before, def);
                    continue;
                }
                _ if def.is_update_value() => continue,
                Pair::Removed(_) => breaking(K::Removed, format!("type {name} removed")),
                Pair::Added(_) => {
                    let summary = format!("type {name} added ({})", def.shape.kind());
                    additive(K::Added, summary)
                }
            };
            self.push(&def.at, change);
        }
    }

    fn type_pair(&mut self, old_id: &str, new_id: &str, before: &TypeSurface, after: &TypeSurface) {
        let at = &after.at;
        let item_exists = !before.is_update_value() && !after.is_update_value();
        if item_exists {
            self.renamed(None, at, "type", &before.rust_name, &after.rust_name);
        }
        let (old_page, new_page) = (TypeSurface::page(old_id), TypeSurface::page(new_id));
        if old_page != new_page && item_exists {
            let summary = format!(
                "moved from {} to {}: its module path changes (the crate-root re-export stays)",
                code(old_page),
                code(new_page)
            );
            self.push(at, breaking(K::Moved, summary).before_after(old_id, new_id));
        } else if old_id != new_id {
            let summary = format!("anchor changed from {} to {}", code(old_id), code(new_id));
            self.push(at, docs(K::Moved, summary).before_after(old_id, new_id));
        }
        self.title(at, &before.title, &after.title);
        if item_exists {
            self.direction(at, before, after);
        }
        self.notes(None, at, before, after, "type");
        self.restriction(at, (before.restricted, after.restricted), "type");
        self.example(ItemKind::Example, &before.example, &after.example, at);
        // A type that travels in neither direction is generated with both.
        let (request, response) = (
            before.request || after.request,
            before.response || after.response,
        );
        let directions = (request || !response, response || !request);
        let change = match (&before.shape, &after.shape) {
            (Shape::Struct(a), Shape::Struct(b)) => {
                self.fields(directions, &a.fields, &b.fields);
                self.construction(at, after, (&a.construction, &b.construction));
                (a.free_form != b.free_form).then(|| {
                    breaking(K::Type, match b.free_form {
                        true => "now a free-form JSON object: the field `properties` is added",
                        false => "no longer a free-form JSON object: the field `properties` is removed",
                    })
                })
            }
            (Shape::Enum(a), Shape::Enum(b)) => {
                self.values(&a.values, &b.values);
                (a.extensible != b.extensible).then(|| {
                    docs(
                        K::Extensible,
                        match b.extensible {
                            true => "the docs now say the list of values is not exhaustive",
                            false => "the docs no longer say the list of values is not exhaustive",
                        },
                    )
                })
            }
            (Shape::Coproduct(a), Shape::Coproduct(b)) => {
                self.variants(at, &a.variants, &b.variants);
                let (x, y) = (&a.layout, &b.layout);
                (x != y).then(|| {
                    let summary = format!("wire layout changed from {} to {}", code(x), code(y));
                    breaking(K::Type, summary).before_after(x, y)
                })
            }
            (Shape::OneOf { variants: a }, Shape::OneOf { variants: b }) => {
                self.parameter_sets(at, a, b);
                None
            }
            (Shape::UpdateValue { of: a }, Shape::UpdateValue { of: b })
            | (Shape::Map { of: a }, Shape::Map { of: b })
            | (Shape::Alias { of: a }, Shape::Alias { of: b }) => {
                (!self.same_ref(a, b)).then(|| {
                    let (old, new) = (type_label(a, self.old), type_label(b, self.new));
                    let (x, y) = (before.shape.kind(), after.shape.kind());
                    let summary = format!("{x} of {old} is now {y} of {new}");
                    breaking(K::Type, summary).before_after(&old, &new)
                })
            }
            (a, b) => {
                let summary = format!("kind changed from {} to {}", a.kind(), b.kind());
                Some(breaking(K::Type, summary).before_after(a.kind(), b.kind()))
            }
        };
        if let Some(change) = change {
            self.push(at, change);
        }
        self.fallback(None, at, (&before.fallback, &after.fallback), "the type");
    }

    /// A fallback for odd docs starting or ending: a docs-only entry naming the code; what it changes in
    /// the generated code (a type, an `Option`) is a change of its own, classified as usual.
    fn fallback(
        &mut self,
        item: Option<Item>,
        at: &Loc,
        (before, after): (&Option<String>, &Option<String>),
        what: &str,
    ) {
        let summary = match (before, after) {
            (Some(old), None) => format!(
                "{what} is no longer a fallback: the docs now read cleanly (was {})",
                code(old)
            ),
            (None, Some(new)) => format!(
                "{what} is now a fallback for odd docs ({}, see DIAGNOSTICS.md)",
                code(new)
            ),
            (Some(old), Some(new)) if old != new => format!(
                "{what} is a fallback for another reason: {} → {}",
                code(old),
                code(new)
            ),
            _ => return,
        };
        let change = docs(K::Fallback, summary).item(item);
        self.push(at, change.values(before.clone(), after.clone()));
    }

    /// Serde and constructor consequences of the directions a type travels in (structs and parameter sets;
    /// enums and coproducts always have both directions).
    fn direction(&mut self, at: &Loc, before: &TypeSurface, after: &TypeSurface) {
        if !matches!(after.shape, Shape::Struct(_) | Shape::OneOf { .. }) {
            return;
        }
        let changes = [
            (
                (before.request, after.request),
                "no longer sent in requests: loses `Serialize` (without `full-serde`), `new` and `Validate`",
                "now also sent in requests: gains `Serialize`, `new` and `Validate`",
            ),
            (
                (before.response, after.response),
                "no longer received in responses: loses `Deserialize` (without `full-serde`)",
                "now also received in responses: gains `Deserialize`",
            ),
        ];
        for (travels, lost, gained) in changes {
            match travels {
                (true, false) => self.push(at, breaking(K::Direction, lost)),
                (false, true) => self.push(at, additive(K::Direction, gained)),
                _ => {}
            }
        }
    }

    /// `new(required…)` ⇄ `Default` for flags ⇄ `new(args)`: code building the value changes, except where a
    /// type only received gains `Default`.
    fn construction(
        &mut self,
        at: &Loc,
        after: &TypeSurface,
        (old, new): (&Option<String>, &Option<String>),
    ) {
        if old == new {
            return;
        }
        let describe = |c: Option<&str>| match c {
            Some("flags") => {
                "built from `Default` (every required property is a flag; no `new`)".to_string()
            }
            Some("named-arguments") => {
                format!("built with `new({}Required {{ … }})`", after.rust_name)
            }
            _ if after.request => "built with `new(required…)`".to_string(),
            _ => "no constructor".to_string(),
        };
        let (class, why) = match (after.request, old.as_deref(), new.as_deref()) {
            (false, None, Some("flags")) => (Class::Additive, "it derives `Default` now"),
            (true, _, _) => (
                Class::Breaking,
                "code that builds it the old way no longer compiles",
            ),
            (false, _, _) => (
                Class::Breaking,
                "code using its `Default` no longer compiles",
            ),
        };
        let (old, new) = (describe(old.as_deref()), describe(new.as_deref()));
        let summary = format!("{}: {old} → {new}: {why}", code(&after.rust_name));
        self.push(
            at,
            draft(class, K::Constructor, summary).before_after(&old, &new),
        );
    }

    /// A member that becomes or stops being a `Box` (its type would contain itself otherwise): its Rust
    /// type changes, so code building or matching it does too.
    fn boxed(&mut self, item: Option<Item>, at: &Loc, what: &str, before: bool, after: bool) {
        if !self.current || before == after {
            return;
        }
        let now = if after {
            "now boxed (`Box<…>`, the type would contain itself otherwise)"
        } else {
            "no longer boxed"
        };
        let summary = format!("{what}: {now}, so its Rust type changes");
        let change = breaking(K::Type, summary).item(item);
        self.push(
            at,
            change.values(Some(before.to_string()), Some(after.to_string())),
        );
    }

    /// A Rust name that changed (`what`: the name's owner, as the summary starts).
    fn renamed(&mut self, item: Option<Item>, at: &Loc, what: &str, before: &str, after: &str) {
        if before == after {
            return;
        }
        let summary = format!("{what} renamed from {} to {}", code(before), code(after));
        self.push(
            at,
            breaking(K::Renamed, summary)
                .item(item)
                .before_after(before, after),
        );
    }

    /// The deprecation note and the description.
    fn notes(
        &mut self,
        item: Option<Item>,
        at: &Loc,
        before: &impl Noted,
        after: &impl Noted,
        what: &str,
    ) {
        let what = match &item {
            Some(item) => format!("{} {}", item.kind.word(), code(&item.name)),
            None => what.to_string(),
        };
        let ((old, old_doc), (new, new_doc)) = (before.notes(), after.notes());
        let deprecation = match (old, new) {
            (None, Some(note)) => Some((
                Class::Additive,
                format!(
                    "{what} deprecated ({}): `#[deprecated]` warns where it is used",
                    quote(note)
                ),
            )),
            (Some(_), None) => Some((Class::Additive, format!("{what} no longer deprecated"))),
            (Some(a), Some(b)) if a != b => Some((
                Class::Docs,
                format!("{what}: deprecation note changed to {}", quote(b)),
            )),
            _ => None,
        };
        if let Some((class, summary)) = deprecation {
            let change = draft(class, K::Deprecated, summary).item(item.clone());
            self.push(at, change.values(old.clone(), new.clone()));
        }
        let (old, new) = (old_doc, new_doc);
        if old != new {
            let prefix = match &item {
                Some(_) => format!("{what}: "),
                None => String::new(),
            };
            let summary = format!("{prefix}{}", describe_text_change(old, new));
            self.push(
                at,
                docs(K::Description, summary)
                    .item(item)
                    .before_after(old, new),
            );
        }
    }

    fn restriction(&mut self, at: &Loc, restricted: (bool, bool), what: &str) {
        let summary = match restricted {
            (false, true) => format!("{what} now marked restricted (beta test, subject to change)"),
            (true, false) => format!("{what} no longer marked restricted"),
            _ => return,
        };
        self.push(at, additive(K::Restricted, summary));
    }

    fn title(&mut self, at: &Loc, before: &str, after: &str) {
        if before != after {
            let summary = format!("title changed from {} to {}", quote(before), quote(after));
            self.push(at, docs(K::Title, summary).before_after(before, after));
        }
    }

    /// An example of an operation or type, and its disagreements with the tables (by code and JSON path).
    fn example(
        &mut self,
        kind: ItemKind,
        before: &Option<ExampleSurface>,
        after: &Option<ExampleSurface>,
        fallback: &Loc,
    ) {
        let name = kind.word();
        let item = || Some(Item::new(kind, ""));
        let Some(new) = after else {
            if before.is_some() {
                self.push(
                    fallback,
                    docs(K::Example, format!("{name} removed")).item(item()),
                );
            }
            return;
        };
        let summary = match before {
            None => format!("{name} added"),
            Some(old) if old.digest != new.digest => format!("{name} changed"),
            Some(_) => String::new(),
        };
        if !summary.is_empty() {
            self.push(&new.at, docs(K::Example, summary).item(item()));
        }
        fn keyed(f: &FindingSurface) -> ((&str, &str), &FindingSurface) {
            ((f.code.as_str(), f.path.as_str()), f)
        }
        let old = before.iter().flat_map(|e| &e.findings);
        for (_, pair) in join(old.map(keyed), new.findings.iter().map(keyed)) {
            let (finding, at, summary, values) = match pair {
                Pair::Removed(f) => {
                    let (path, was) = (code(&f.path), code(&f.code));
                    let summary = format!(
                        "{name}: disagreement resolved at {path} (was {was}: {})",
                        f.detail
                    );
                    (f, &new.at, summary, (Some(f.code.clone()), None))
                }
                Pair::Added(f) => {
                    let (path, is) = (code(&f.path), code(&f.code));
                    let summary =
                        format!("{name}: new disagreement at {path} ({is}: {})", f.detail);
                    (f, &f.at, summary, (None, Some(f.code.clone())))
                }
                Pair::Both(..) => continue,
            };
            let change = docs(K::Example, summary).item(Some(Item::new(kind, &finding.path)));
            self.push(at, change.values(values.0, values.1));
        }
    }

    /// Whether two type expressions name the same thing, named types through the type matching.
    fn same_ref(&self, old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                self.map.get(a.as_str()).copied().unwrap_or(a.as_str()) == b
            }
            (TypeRef::Array(a), TypeRef::Array(b)) | (TypeRef::Update(a), TypeRef::Update(b)) => {
                self.same_ref(a, b)
            }
            (a, b) => a == b,
        }
    }
}
