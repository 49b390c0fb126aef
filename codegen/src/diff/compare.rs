//! Two API surfaces → a list of classified changes.
//!
//! Types are matched by id (`page#anchor`), then as the request or response body of the same operation,
//! then by a title that is unique among the unmatched types of both sides; operations by id (endpoint).
//! Each change is classified for a crate that depends on the generated client (see [`Class`]).

use std::collections::{BTreeMap, BTreeSet};

use super::surface::*;
use super::{Change, ChangeKind, Class, Item, ItemKind, Report, Subject, SubjectKind};

/// Compares two surfaces.
pub fn compare(old: &Surface, new: &Surface) -> Report {
    let map = match_types(old, new);
    let mut cmp = Comparer {
        old,
        new,
        map,
        changes: Vec::new(),
    };
    cmp.features();
    cmp.ids();
    cmp.operations();
    cmp.types();
    let mut changes = cmp.changes;
    changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Report { changes }
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
    let mut old_titles: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, def) in &old.types {
        if !map.contains_key(id.as_str()) {
            old_titles.entry(&def.title).or_default().push(id);
        }
    }
    let mut new_titles: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, def) in &new.types {
        if !taken.contains(id.as_str()) {
            new_titles.entry(&def.title).or_default().push(id);
        }
    }
    for (title, ids) in old_titles {
        if let ([a], Some([b])) = (ids.as_slice(), new_titles.get(title).map(Vec::as_slice)) {
            map.insert(a, b);
        }
    }
    map
}

struct Comparer<'a> {
    old: &'a Surface,
    new: &'a Surface,
    map: BTreeMap<&'a str, &'a str>,
    changes: Vec<Change>,
}

/// Which directions a type travels in, over both versions.
#[derive(Clone, Copy)]
struct Directions {
    request: bool,
    response: bool,
}

impl<'a> Comparer<'a> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        on: &Subject,
        class: Class,
        kind: ChangeKind,
        item: Option<Item>,
        at: &Loc,
        summary: String,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.changes.push(Change {
            class,
            kind,
            subject: on.clone(),
            item,
            at: at.clone(),
            summary,
            old,
            new,
        });
    }

    fn crate_subject(id: &str, title: &str) -> Subject {
        Subject {
            kind: SubjectKind::Crate,
            id: id.to_string(),
            title: title.to_string(),
            rust: String::new(),
        }
    }

    fn features(&mut self) {
        let subject = Self::crate_subject("features", "Cargo features");
        let on = &subject;
        for (name, at) in &self.old.features {
            if !self.new.features.contains_key(name) {
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Removed,
                    Some(Item::new(ItemKind::Feature, name)),
                    at,
                    format!(
                        "feature {} removed: crates that enable it no longer build",
                        code(name)
                    ),
                    None,
                    None,
                );
            }
        }
        for (name, at) in &self.new.features {
            if !self.old.features.contains_key(name) {
                self.push(
                    on,
                    Class::Additive,
                    ChangeKind::Added,
                    Some(Item::new(ItemKind::Feature, name)),
                    at,
                    format!("feature {} added (on by default)", code(name)),
                    None,
                    None,
                );
            }
        }
    }

    fn ids(&mut self) {
        let subject = Self::crate_subject("ids", "Identifier types");
        let on = &subject;
        for (name, at) in &self.old.ids {
            if !self.new.ids.contains_key(name) {
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Removed,
                    Some(Item::new(ItemKind::Id, name)),
                    at,
                    format!("identifier type {} removed", code(name)),
                    None,
                    None,
                );
            }
        }
        for (name, at) in &self.new.ids {
            if !self.old.ids.contains_key(name) {
                self.push(
                    on,
                    Class::Additive,
                    ChangeKind::Added,
                    Some(Item::new(ItemKind::Id, name)),
                    at,
                    format!("identifier type {} added", code(name)),
                    None,
                    None,
                );
            }
        }
    }

    fn operation_subject(id: &str, op: &OperationSurface) -> Subject {
        Subject {
            kind: SubjectKind::Operation,
            id: id.to_string(),
            title: op.title.clone(),
            rust: op.method.clone(),
        }
    }

    fn operations(&mut self) {
        for (id, before) in &self.old.operations {
            if self.new.operations.contains_key(id) {
                continue;
            }
            let subject = Self::operation_subject(id, before);
            let on = &subject;
            let (class, summary) = if before.discontinued.is_some() {
                (
                    Class::Docs,
                    "discontinued operation no longer documented".to_string(),
                )
            } else {
                (
                    Class::Breaking,
                    format!("operation removed: method {} is gone", code(&before.method)),
                )
            };
            self.push(
                on,
                class,
                ChangeKind::Removed,
                None,
                &before.at,
                summary,
                None,
                None,
            );
        }
        for (id, after) in &self.new.operations {
            let subject = Self::operation_subject(id, after);
            let on = &subject;
            let Some(before) = self.old.operations.get(id) else {
                let (class, summary) = if after.discontinued.is_some() {
                    (
                        Class::Docs,
                        "operation documented as discontinued (no method)".to_string(),
                    )
                } else {
                    (
                        Class::Additive,
                        format!("operation added: method {}", code(&after.method)),
                    )
                };
                self.push(
                    on,
                    class,
                    ChangeKind::Added,
                    None,
                    &after.at,
                    summary,
                    None,
                    None,
                );
                continue;
            };
            self.operation(on, before, after);
        }
    }

    fn operation(&mut self, on: &Subject, before: &OperationSurface, after: &OperationSurface) {
        let at = &after.at;
        match (&before.discontinued, &after.discontinued) {
            (None, Some(note)) => self.push(
                on,
                Class::Breaking,
                ChangeKind::Discontinued,
                None,
                at,
                format!(
                    "operation discontinued: method {} is removed",
                    code(&before.method)
                ),
                None,
                Some(note.clone()),
            ),
            (Some(_), None) => self.push(
                on,
                Class::Additive,
                ChangeKind::Discontinued,
                None,
                at,
                format!(
                    "operation no longer discontinued: method {} added",
                    code(&after.method)
                ),
                None,
                None,
            ),
            _ => {}
        }
        if before.method != after.method
            && before.discontinued.is_none()
            && after.discontinued.is_none()
        {
            self.push(
                on,
                Class::Breaking,
                ChangeKind::Renamed,
                None,
                at,
                format!(
                    "method renamed from {} to {}",
                    code(&before.method),
                    code(&after.method)
                ),
                Some(before.method.clone()),
                Some(after.method.clone()),
            );
        }
        self.deprecation(
            on,
            None,
            at,
            &before.deprecated,
            &after.deprecated,
            "operation",
        );
        self.restriction(on, at, before.restricted, after.restricted, "operation");
        let streams = |op: &OperationSurface| {
            (
                op.pages
                    .clone()
                    .unwrap_or_else(|| format!("{}_pages", op.method)),
                op.items
                    .clone()
                    .unwrap_or_else(|| format!("{}_items", op.method)),
            )
        };
        match (before.paginated, after.paginated) {
            (false, true) => {
                let (pages, items) = streams(after);
                self.push(
                    on,
                    Class::Additive,
                    ChangeKind::Pagination,
                    None,
                    at,
                    format!("now paginated: {pages} and {items} streams added"),
                    None,
                    None,
                )
            }
            (true, false) => {
                let (pages, items) = streams(before);
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Pagination,
                    None,
                    at,
                    format!("no longer paginated: the {pages} and {items} streams are removed"),
                    None,
                    None,
                )
            }
            (true, true) => {
                // A surface written before stream names were recorded implies `{method}_pages` and cannot
                // tell whether an `_items` stream existed: then only the pages stream is compared.
                let names = |op: &OperationSurface| {
                    let (pages, items) = streams(op);
                    if before.pages.is_some() {
                        vec![pages, items]
                    } else {
                        vec![pages]
                    }
                };
                let (old, new) = (names(before), names(after));
                if old != new {
                    let list = |names: &[String]| {
                        names
                            .iter()
                            .map(|n| code(n))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    };
                    self.push(
                        on,
                        Class::Breaking,
                        ChangeKind::Renamed,
                        None,
                        at,
                        format!("streams renamed from {} to {}", list(&old), list(&new)),
                        Some(old.join(", ")),
                        Some(new.join(", ")),
                    )
                }
            }
            _ => {}
        }
        if before.title != after.title {
            self.push(
                on,
                Class::Docs,
                ChangeKind::Title,
                None,
                at,
                format!(
                    "title changed from {} to {}",
                    quote(&before.title),
                    quote(&after.title)
                ),
                Some(before.title.clone()),
                Some(after.title.clone()),
            );
        }
        self.description(on, None, at, &before.doc, &after.doc);
        self.example(
            on,
            ItemKind::RequestExample,
            &before.request_example,
            &after.request_example,
            at,
        );
        self.example(
            on,
            ItemKind::ResponseExample,
            &before.response_example,
            &after.response_example,
            at,
        );
    }

    fn type_subject(id: &str, def: &TypeSurface) -> Subject {
        Subject {
            kind: SubjectKind::Type,
            id: id.to_string(),
            title: def.title.clone(),
            rust: def.rust_name.clone(),
        }
    }

    fn types(&mut self) {
        let matched_new: BTreeSet<&str> = self.map.values().copied().collect();
        for (id, before) in &self.old.types {
            if self.map.contains_key(id.as_str()) || is_update_value(before) {
                continue;
            }
            let subject = Self::type_subject(id, before);
            let on = &subject;
            self.push(
                on,
                Class::Breaking,
                ChangeKind::Removed,
                None,
                &before.at,
                format!("type {} removed", code(&before.rust_name)),
                None,
                None,
            );
        }
        for (id, after) in &self.new.types {
            if matched_new.contains(id.as_str()) || is_update_value(after) {
                continue;
            }
            let subject = Self::type_subject(id, after);
            let on = &subject;
            self.push(
                on,
                Class::Additive,
                ChangeKind::Added,
                None,
                &after.at,
                format!(
                    "type {} added ({})",
                    code(&after.rust_name),
                    after.shape.kind()
                ),
                None,
                None,
            );
        }
        let pairs: Vec<(&str, &str)> = self.map.iter().map(|(a, b)| (*a, *b)).collect();
        for (old_id, new_id) in pairs {
            let (Some(before), Some(after)) =
                (self.old.types.get(old_id), self.new.types.get(new_id))
            else {
                continue;
            };
            let subject = Self::type_subject(new_id, after);
            let on = &subject;
            self.type_pair(on, old_id, new_id, before, after);
        }
    }

    fn type_pair(
        &mut self,
        on: &Subject,
        old_id: &str,
        new_id: &str,
        before: &TypeSurface,
        after: &TypeSurface,
    ) {
        let at = &after.at;
        // Update-value wrappers are not Rust items: they become `UpdateValue<T>` where they are used.
        let item_exists = !is_update_value(before) && !is_update_value(after);
        if before.rust_name != after.rust_name && item_exists {
            self.push(
                on,
                Class::Breaking,
                ChangeKind::Renamed,
                None,
                at,
                format!(
                    "type renamed from {} to {}",
                    code(&before.rust_name),
                    code(&after.rust_name)
                ),
                Some(before.rust_name.clone()),
                Some(after.rust_name.clone()),
            );
        }
        if old_id != new_id {
            let (old_page, new_page) = (TypeSurface::page(old_id), TypeSurface::page(new_id));
            let (class, summary) = if old_page != new_page && item_exists {
                (
                    Class::Breaking,
                    format!(
                        "moved from {} to {}: its module path changes (the crate-root re-export stays)",
                        code(old_page),
                        code(new_page)
                    ),
                )
            } else {
                (
                    Class::Docs,
                    format!("anchor changed from {} to {}", code(old_id), code(new_id)),
                )
            };
            self.push(
                on,
                class,
                ChangeKind::Moved,
                None,
                at,
                summary,
                Some(old_id.to_string()),
                Some(new_id.to_string()),
            );
        }
        if before.title != after.title {
            self.push(
                on,
                Class::Docs,
                ChangeKind::Title,
                None,
                at,
                format!(
                    "title changed from {} to {}",
                    quote(&before.title),
                    quote(&after.title)
                ),
                Some(before.title.clone()),
                Some(after.title.clone()),
            );
        }
        let directions = Directions {
            request: before.request || after.request,
            response: before.response || after.response,
        };
        if item_exists {
            self.direction(on, at, before, after);
        }
        self.deprecation(on, None, at, &before.deprecated, &after.deprecated, "type");
        self.restriction(on, at, before.restricted, after.restricted, "type");
        self.description(on, None, at, &before.doc, &after.doc);
        self.example(on, ItemKind::Example, &before.example, &after.example, at);
        match (&before.shape, &after.shape) {
            (
                Shape::Struct {
                    fields: a,
                    construction: x,
                    free_form: p,
                },
                Shape::Struct {
                    fields: b,
                    construction: y,
                    free_form: q,
                },
            ) => {
                self.fields(on, directions, a, b);
                if x != y {
                    self.construction(on, at, after, x.as_deref(), y.as_deref());
                }
                if p != q {
                    let summary = if *q {
                        "now a free-form JSON object: the field `properties` is added"
                    } else {
                        "no longer a free-form JSON object: the field `properties` is removed"
                    };
                    self.push(
                        on,
                        Class::Breaking,
                        ChangeKind::Type,
                        None,
                        at,
                        summary.to_string(),
                        None,
                        None,
                    );
                }
            }
            (
                Shape::Enum {
                    values: a,
                    extensible: x,
                },
                Shape::Enum {
                    values: b,
                    extensible: y,
                },
            ) => {
                self.values(on, a, b);
                if x != y {
                    let summary = if *y {
                        "the docs now say the list of values is not exhaustive"
                    } else {
                        "the docs no longer say the list of values is not exhaustive"
                    };
                    self.push(
                        on,
                        Class::Docs,
                        ChangeKind::Extensible,
                        None,
                        at,
                        summary.to_string(),
                        None,
                        None,
                    );
                }
            }
            (
                Shape::Coproduct {
                    layout: x,
                    variants: a,
                },
                Shape::Coproduct {
                    layout: y,
                    variants: b,
                },
            ) => {
                if x != y {
                    self.push(
                        on,
                        Class::Breaking,
                        ChangeKind::Type,
                        None,
                        at,
                        format!("wire layout changed from {} to {}", code(x), code(y)),
                        Some(x.clone()),
                        Some(y.clone()),
                    );
                }
                self.variants(on, at, a, b);
            }
            (Shape::OneOf { variants: a }, Shape::OneOf { variants: b }) => {
                self.parameter_sets(on, at, a, b)
            }
            (Shape::UpdateValue { of: a }, Shape::UpdateValue { of: b })
            | (Shape::Map { of: a }, Shape::Map { of: b })
            | (Shape::Alias { of: a }, Shape::Alias { of: b }) => {
                if !self.same_ref(a, b) {
                    let (old, new) = (self.old_label(a), self.new_label(b));
                    self.push(
                        on,
                        Class::Breaking,
                        ChangeKind::Type,
                        None,
                        at,
                        format!(
                            "{} of {old} is now {} of {new}",
                            before.shape.kind(),
                            after.shape.kind()
                        ),
                        Some(old.clone()),
                        Some(new.clone()),
                    );
                }
            }
            (a, b) => self.push(
                on,
                Class::Breaking,
                ChangeKind::Type,
                None,
                at,
                format!("kind changed from {} to {}", a.kind(), b.kind()),
                Some(a.kind().to_string()),
                Some(b.kind().to_string()),
            ),
        }
        self.fallback(on, None, at, &before.fallback, &after.fallback, "the type");
    }

    /// A fallback for odd docs starting or ending: a docs-only entry naming the code; what it changes in
    /// the generated code (a type, an `Option`) is a change of its own, classified as usual.
    fn fallback(
        &mut self,
        on: &Subject,
        item: Option<Item>,
        at: &Loc,
        before: &Option<String>,
        after: &Option<String>,
        what: &str,
    ) {
        if before == after {
            return;
        }
        let summary = match (before, after) {
            (Some(old), None) => format!(
                "{what} is no longer a fallback: the docs now read cleanly (was {})",
                code(old)
            ),
            (None, Some(new)) => format!(
                "{what} is now a fallback for odd docs ({}, see DIAGNOSTICS.md)",
                code(new)
            ),
            (Some(old), Some(new)) => format!(
                "{what} is a fallback for another reason: {} → {}",
                code(old),
                code(new)
            ),
            (None, None) => return,
        };
        self.push(
            on,
            Class::Docs,
            ChangeKind::Fallback,
            item,
            at,
            summary,
            before.clone(),
            after.clone(),
        );
    }

    /// Serde and constructor consequences of the directions a type travels in (structs and parameter sets;
    /// enums and coproducts always have both directions).
    fn direction(&mut self, on: &Subject, at: &Loc, before: &TypeSurface, after: &TypeSurface) {
        if !matches!(after.shape, Shape::Struct { .. } | Shape::OneOf { .. }) {
            return;
        }
        match (before.request, after.request) {
            (true, false) => self.push(
                on,
                Class::Breaking,
                ChangeKind::Direction,
                None,
                at,
                "no longer sent in requests: loses `Serialize` (without `full-serde`), `new` and `Validate`".to_string(),
                None,
                None,
            ),
            (false, true) => self.push(
                on,
                Class::Additive,
                ChangeKind::Direction,
                None,
                at,
                "now also sent in requests: gains `Serialize`, `new` and `Validate`".to_string(),
                None,
                None,
            ),
            _ => {}
        }
        match (before.response, after.response) {
            (true, false) => self.push(
                on,
                Class::Breaking,
                ChangeKind::Direction,
                None,
                at,
                "no longer received in responses: loses `Deserialize` (without `full-serde`)"
                    .to_string(),
                None,
                None,
            ),
            (false, true) => self.push(
                on,
                Class::Additive,
                ChangeKind::Direction,
                None,
                at,
                "now also received in responses: gains `Deserialize`".to_string(),
                None,
                None,
            ),
            _ => {}
        }
    }

    fn fields(
        &mut self,
        on: &Subject,
        directions: Directions,
        before: &[FieldSurface],
        after: &[FieldSurface],
    ) {
        // A type that travels in neither direction is generated with both.
        let request = directions.request || !directions.response;
        let response = directions.response || !directions.request;
        let old_by_wire: BTreeMap<&str, &FieldSurface> =
            before.iter().map(|f| (f.wire.as_str(), f)).collect();
        let new_by_wire: BTreeMap<&str, &FieldSurface> =
            after.iter().map(|f| (f.wire.as_str(), f)).collect();
        for field in before {
            if !new_by_wire.contains_key(field.wire.as_str()) {
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Removed,
                    Some(Item::new(ItemKind::Property, &field.wire)),
                    &field.at,
                    format!(
                        "property {} removed (field {})",
                        code(&field.wire),
                        code(&field.rust_name)
                    ),
                    None,
                    None,
                );
            }
        }
        for field in after {
            let item = || Some(Item::new(ItemKind::Property, &field.wire));
            let Some(old) = old_by_wire.get(field.wire.as_str()) else {
                let contract = self.contract_words(field, false);
                let (class, why) = if request && !field.is_optional() {
                    (
                        Class::Breaking,
                        "a new required request property: `new` gains a parameter and requests without it are rejected",
                    )
                } else if request && field.required {
                    (
                        Class::Breaking,
                        "required by the API in requests, so requests without it are rejected",
                    )
                } else if request {
                    (Class::Additive, "optional, so existing requests stay valid")
                } else {
                    (Class::Additive, "a new response property")
                };
                self.push(
                    on,
                    class,
                    ChangeKind::Added,
                    item(),
                    &field.at,
                    format!("property {} added ({contract}): {why}", code(&field.wire)),
                    None,
                    Some(contract.clone()),
                );
                continue;
            };
            self.field(on, request, response, old, field);
        }
    }

    /// `boolean, required` / `array of `Message`, optional, max 1000 items` (and how it is generated when that
    /// differs from the contract).
    fn contract_words(&self, field: &FieldSurface, old: bool) -> String {
        let ty = if old {
            self.old_label(&field.ty)
        } else {
            self.new_label(&field.ty)
        };
        let mut words = vec![
            ty,
            if field.required {
                "required"
            } else {
                "optional"
            }
            .to_string(),
        ];
        words.extend(limit_words(&field.limits));
        if field.relaxed {
            words.push(
                "generated as `Option` because a response example omits it or sends `null`"
                    .to_string(),
            );
        }
        if field.lenient {
            words.push(
                "generated as `Lenient` because a response example sends another kind of value"
                    .to_string(),
            );
        }
        if let Some(fallback) = &field.fallback {
            words.push(format!("a fallback for odd docs ({})", code(fallback)));
        }
        words.join(", ")
    }

    fn field(
        &mut self,
        on: &Subject,
        request: bool,
        response: bool,
        before: &FieldSurface,
        after: &FieldSurface,
    ) {
        let at = &after.at;
        let item = || Some(Item::new(ItemKind::Property, &after.wire));
        let name = code(&after.wire);
        if before.rust_name != after.rust_name {
            self.push(
                on,
                Class::Breaking,
                ChangeKind::Renamed,
                item(),
                at,
                format!(
                    "property {name}: field renamed from {} to {}",
                    code(&before.rust_name),
                    code(&after.rust_name)
                ),
                Some(before.rust_name.clone()),
                Some(after.rust_name.clone()),
            );
        }
        if !self.same_ref(&before.ty, &after.ty) {
            let (old, new) = (self.old_label(&before.ty), self.new_label(&after.ty));
            self.push(
                on,
                Class::Breaking,
                ChangeKind::Type,
                item(),
                at,
                format!("property {name}: type changed from {old} to {new}"),
                Some(old.clone()),
                Some(new.clone()),
            );
        }
        if before.lenient != after.lenient {
            let summary = if after.lenient {
                format!(
                    "property {name}: now `Lenient` (a response example sends another kind of value), so the field type changes"
                )
            } else {
                format!(
                    "property {name}: no longer `Lenient` (the examples now agree with the table), so the field type changes"
                )
            };
            self.push(
                on,
                Class::Breaking,
                ChangeKind::Type,
                item(),
                at,
                summary,
                None,
                None,
            );
        }
        self.optionality(on, request, response, before, after);
        self.limits(on, request, before, after);
        self.deprecation(
            on,
            item(),
            at,
            &before.deprecated,
            &after.deprecated,
            "property",
        );
        self.description(on, item(), at, &before.doc, &after.doc);
        let what = format!("property {name}");
        self.fallback(on, item(), at, &before.fallback, &after.fallback, &what);
    }

    fn optionality(
        &mut self,
        on: &Subject,
        request: bool,
        response: bool,
        before: &FieldSurface,
        after: &FieldSurface,
    ) {
        let (old, new) = (
            self.contract_words(before, true),
            self.contract_words(after, false),
        );
        let name = code(&after.wire);
        let rust_changed = before.is_optional() != after.is_optional();
        let contract_changed = before.required != after.required;
        if !rust_changed && !contract_changed && before.relaxed == after.relaxed {
            return;
        }
        let contract = |required: bool| if required { "required" } else { "optional" };
        let what = if contract_changed {
            format!(
                "property {name}: {} → {}",
                contract(before.required),
                contract(after.required)
            )
        } else {
            format!("property {name}: still {}", contract(after.required))
        };
        let (class, why) = if rust_changed && after.is_optional() {
            let why = if response {
                "the field becomes an `Option`: readers must handle `None`"
            } else {
                "the field becomes an `Option`: `new` loses the parameter and code setting it must wrap it in `Some`"
            };
            (Class::Breaking, why.to_string())
        } else if rust_changed {
            let why = if request {
                "the field is no longer an `Option`: `new` gains a parameter and requests without it are rejected"
            } else {
                "the field is no longer an `Option`: code matching `Some`/`None` on it must change"
            };
            (Class::Breaking, why.to_string())
        } else if request && contract_changed && after.required {
            (
                Class::Breaking,
                "requests without it are now rejected (the field stays an `Option` because a response example omits it)"
                    .to_string(),
            )
        } else if request && contract_changed {
            (
                Class::Additive,
                "requests may now leave it out; the field was already an `Option`".to_string(),
            )
        } else {
            (
                Class::Docs,
                "the generated field does not change (it stays an `Option`)".to_string(),
            )
        };
        self.push(
            on,
            class,
            ChangeKind::Optionality,
            Some(Item::new(ItemKind::Property, &after.wire)),
            &after.at,
            format!("{what}: {why}"),
            Some(old),
            Some(new),
        );
    }

    /// `new(required…)` ⇄ `Default` for flags ⇄ `new(args)`: code building the value changes, except where a
    /// type only received gains `Default`.
    fn construction(
        &mut self,
        on: &Subject,
        at: &Loc,
        after: &TypeSurface,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        let name = code(&after.rust_name);
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
        let (class, why) = match (after.request, old, new) {
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
        self.push(
            on,
            class,
            ChangeKind::Constructor,
            None,
            at,
            format!("{name}: {} → {}: {why}", describe(old), describe(new)),
            Some(describe(old)),
            Some(describe(new)),
        );
    }

    fn limits(&mut self, on: &Subject, request: bool, before: &FieldSurface, after: &FieldSurface) {
        let name = code(&after.wire);
        let (b, a) = (&before.limits, &after.limits);
        let wide = |n: Option<u64>| n.map(i128::from);
        // (label, before, after, unit, whether a larger number is the tighter limit)
        let pairs = [
            ("max", wide(b.max_items), wide(a.max_items), " items", false),
            (
                "max length",
                wide(b.max_length),
                wide(a.max_length),
                " characters",
                false,
            ),
            (
                "max length",
                wide(b.max_months),
                wide(a.max_months),
                " months",
                false,
            ),
            ("min", wide(b.min_items), wide(a.min_items), " items", true),
            (
                "min length",
                wide(b.min_length),
                wide(a.min_length),
                " characters",
                true,
            ),
            (
                "minimum",
                b.minimum.map(i128::from),
                a.minimum.map(i128::from),
                "",
                true,
            ),
            (
                "maximum",
                b.maximum.map(i128::from),
                a.maximum.map(i128::from),
                "",
                false,
            ),
        ];
        for (label, old, new, unit, larger_is_tighter) in pairs {
            if old == new {
                continue;
            }
            let show = |limit: Option<i128>| match limit {
                Some(n) => format!("{label} {n}{unit}"),
                None => "no limit".to_string(),
            };
            let tighter = match (old, new) {
                (None, Some(_)) => true,
                (Some(x), Some(y)) => (y > x) == larger_is_tighter,
                _ => false,
            };
            let (class, why) = match (request, tighter) {
                (true, true) => (
                    Class::Breaking,
                    "requests that passed may now fail validation",
                ),
                (true, false) => (Class::Additive, "requests may send more"),
                (false, _) => (Class::Docs, "a limit on received data, only documented"),
            };
            self.push(
                on,
                class,
                ChangeKind::Limit,
                Some(Item::new(ItemKind::Property, &after.wire)),
                &after.at,
                format!("property {name}: {} → {}: {why}", show(old), show(new)),
                Some(show(old)),
                Some(show(new)),
            );
        }
    }

    fn values(&mut self, on: &Subject, before: &[ValueSurface], after: &[ValueSurface]) {
        let old_by_wire: BTreeMap<&str, &ValueSurface> =
            before.iter().map(|v| (v.wire.as_str(), v)).collect();
        let new_wires: BTreeSet<&str> = after.iter().map(|v| v.wire.as_str()).collect();
        for value in before {
            if !new_wires.contains(value.wire.as_str()) {
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Removed,
                    Some(Item::new(ItemKind::Value, &value.wire)),
                    &value.at,
                    format!(
                        "enum value {} removed: code naming variant {} no longer compiles (the value now decodes as `Unknown`)",
                        code(&value.wire),
                        code(&value.rust_name)
                    ),
                    None,
                    None,
                );
            }
        }
        for value in after {
            let item = || Some(Item::new(ItemKind::Value, &value.wire));
            let Some(old) = old_by_wire.get(value.wire.as_str()) else {
                self.push(
                    on,
                    Class::Additive,
                    ChangeKind::Added,
                    item(),
                    &value.at,
                    format!(
                        "enum value {} added (variant {}; the enum is `#[non_exhaustive]` and already decoded it as `Unknown`)",
                        code(&value.wire),
                        code(&value.rust_name)
                    ),
                    None,
                    None,
                );
                continue;
            };
            if old.rust_name != value.rust_name {
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Renamed,
                    item(),
                    &value.at,
                    format!(
                        "enum value {}: variant renamed from {} to {}",
                        code(&value.wire),
                        code(&old.rust_name),
                        code(&value.rust_name)
                    ),
                    Some(old.rust_name.clone()),
                    Some(value.rust_name.clone()),
                );
            }
            self.deprecation(
                on,
                item(),
                &value.at,
                &old.deprecated,
                &value.deprecated,
                "enum value",
            );
            self.description(on, item(), &value.at, &old.doc, &value.doc);
        }
    }

    fn variants(
        &mut self,
        on: &Subject,
        at: &Loc,
        before: &[VariantSurface],
        after: &[VariantSurface],
    ) {
        let old_by_wire: BTreeMap<&str, &VariantSurface> =
            before.iter().map(|v| (v.wire.as_str(), v)).collect();
        let new_wires: BTreeSet<&str> = after.iter().map(|v| v.wire.as_str()).collect();
        for variant in before {
            if !new_wires.contains(variant.wire.as_str()) {
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Removed,
                    Some(Item::new(ItemKind::Variant, &variant.wire)),
                    at,
                    format!("variant {} removed", code(&variant.rust_name)),
                    None,
                    None,
                );
            }
        }
        for variant in after {
            let item = || Some(Item::new(ItemKind::Variant, &variant.wire));
            let Some(old) = old_by_wire.get(variant.wire.as_str()) else {
                self.push(
                    on,
                    Class::Additive,
                    ChangeKind::Added,
                    item(),
                    at,
                    format!(
                        "variant {} added ({}; the enum is `#[non_exhaustive]` and already decoded it as `Unknown`)",
                        code(&variant.rust_name),
                        self.payload_label(variant, false)
                    ),
                    None,
                    None,
                );
                continue;
            };
            if old.rust_name != variant.rust_name {
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Renamed,
                    item(),
                    at,
                    format!(
                        "variant renamed from {} to {}",
                        code(&old.rust_name),
                        code(&variant.rust_name)
                    ),
                    Some(old.rust_name.clone()),
                    Some(variant.rust_name.clone()),
                );
            }
            let same_payload = match (&old.payload, &variant.payload) {
                (Some(a), Some(b)) => {
                    self.same_ref(a, b) && old.payload_optional == variant.payload_optional
                }
                (None, None) => true,
                _ => false,
            };
            if !same_payload || old.property != variant.property {
                let (a, b) = (
                    self.payload_label(old, true),
                    self.payload_label(variant, false),
                );
                let summary = if same_payload {
                    format!(
                        "variant {}: payload property changed from {} to {}",
                        code(&variant.rust_name),
                        code(&old.property),
                        code(&variant.property)
                    )
                } else {
                    format!(
                        "variant {}: payload changed from {a} to {b}",
                        code(&variant.rust_name)
                    )
                };
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Type,
                    item(),
                    at,
                    summary,
                    Some(a.clone()),
                    Some(b.clone()),
                );
            }
        }
    }

    fn parameter_sets(
        &mut self,
        on: &Subject,
        at: &Loc,
        before: &[ParameterSetSurface],
        after: &[ParameterSetSurface],
    ) {
        let mapped: BTreeSet<String> = before
            .iter()
            .map(|v| {
                self.map
                    .get(v.ty.as_str())
                    .map_or(v.ty.clone(), |id| id.to_string())
            })
            .collect();
        let now: BTreeSet<&str> = after.iter().map(|v| v.ty.as_str()).collect();
        for variant in before {
            let target = self
                .map
                .get(variant.ty.as_str())
                .copied()
                .unwrap_or(variant.ty.as_str());
            if !now.contains(target) {
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Removed,
                    Some(Item::new(ItemKind::ParameterSet, &variant.rust_name)),
                    at,
                    format!("parameter set {} removed", code(&variant.rust_name)),
                    None,
                    None,
                );
            }
        }
        for variant in after {
            if !mapped.contains(&variant.ty) {
                self.push(
                    on,
                    Class::Breaking,
                    ChangeKind::Added,
                    Some(Item::new(ItemKind::ParameterSet, &variant.rust_name)),
                    at,
                    format!(
                        "parameter set {} added: the enum of parameter sets is exhaustive, so `match`es on it break",
                        code(&variant.rust_name)
                    ),
                    None,
                    None,
                );
            }
        }
    }

    fn deprecation(
        &mut self,
        on: &Subject,
        item: Option<Item>,
        at: &Loc,
        before: &Option<String>,
        after: &Option<String>,
        what: &str,
    ) {
        let what = match &item {
            Some(item) => format!("{} {}", item.kind.word(), code(&item.name)),
            None => what.to_string(),
        };
        let (class, summary) = match (before, after) {
            (None, Some(note)) => (
                Class::Additive,
                format!(
                    "{what} deprecated ({}): `#[deprecated]` warns where it is used",
                    quote(note)
                ),
            ),
            (Some(_), None) => (Class::Additive, format!("{what} no longer deprecated")),
            (Some(a), Some(b)) if a != b => (
                Class::Docs,
                format!("{what}: deprecation note changed to {}", quote(b)),
            ),
            _ => return,
        };
        self.push(
            on,
            class,
            ChangeKind::Deprecated,
            item,
            at,
            summary,
            before.clone(),
            after.clone(),
        );
    }

    fn restriction(&mut self, on: &Subject, at: &Loc, before: bool, after: bool, what: &str) {
        let summary = match (before, after) {
            (false, true) => format!("{what} now marked restricted (beta test, subject to change)"),
            (true, false) => format!("{what} no longer marked restricted"),
            _ => return,
        };
        self.push(
            on,
            Class::Additive,
            ChangeKind::Restricted,
            None,
            at,
            summary,
            None,
            None,
        );
    }

    fn description(
        &mut self,
        on: &Subject,
        item: Option<Item>,
        at: &Loc,
        before: &str,
        after: &str,
    ) {
        if before == after {
            return;
        }
        let prefix = match &item {
            Some(item) => format!("{} {}: ", item.kind.word(), code(&item.name)),
            None => String::new(),
        };
        let summary = format!("{prefix}{}", describe_text_change(before, after));
        self.push(
            on,
            Class::Docs,
            ChangeKind::Description,
            item,
            at,
            summary,
            Some(before.to_string()),
            Some(after.to_string()),
        );
    }

    fn example(
        &mut self,
        on: &Subject,
        kind: ItemKind,
        before: &Option<ExampleSurface>,
        after: &Option<ExampleSurface>,
        fallback: &Loc,
    ) {
        let name = kind.word();
        let item = || Some(Item::new(kind, ""));
        match (before, after) {
            (None, None) => {}
            (Some(_), None) => self.push(
                on,
                Class::Docs,
                ChangeKind::Example,
                item(),
                fallback,
                format!("{name} removed"),
                None,
                None,
            ),
            (None, Some(new)) => {
                self.push(
                    on,
                    Class::Docs,
                    ChangeKind::Example,
                    item(),
                    &new.at,
                    format!("{name} added"),
                    None,
                    None,
                );
                for finding in &new.findings {
                    self.finding(on, kind, finding, &finding.at, false);
                }
            }
            (Some(old), Some(new)) => {
                if old.digest != new.digest {
                    self.push(
                        on,
                        Class::Docs,
                        ChangeKind::Example,
                        item(),
                        &new.at,
                        format!("{name} changed"),
                        None,
                        None,
                    );
                }
                let key = |f: &FindingSurface| (f.code.clone(), f.path.clone());
                let old_keys: BTreeSet<_> = old.findings.iter().map(key).collect();
                let new_keys: BTreeSet<_> = new.findings.iter().map(key).collect();
                for finding in old.findings.iter().filter(|f| !new_keys.contains(&key(f))) {
                    self.finding(on, kind, finding, &new.at, true);
                }
                for finding in new.findings.iter().filter(|f| !old_keys.contains(&key(f))) {
                    self.finding(on, kind, finding, &finding.at, false);
                }
            }
        }
    }

    fn finding(
        &mut self,
        on: &Subject,
        kind: ItemKind,
        finding: &FindingSurface,
        at: &Loc,
        resolved: bool,
    ) {
        let summary = if resolved {
            format!(
                "{}: disagreement resolved at {} (was {}: {})",
                kind.word(),
                code(&finding.path),
                code(&finding.code),
                finding.detail
            )
        } else {
            format!(
                "{}: new disagreement at {} ({}: {})",
                kind.word(),
                code(&finding.path),
                code(&finding.code),
                finding.detail
            )
        };
        self.push(
            on,
            Class::Docs,
            ChangeKind::Example,
            Some(Item::new(kind, &finding.path)),
            at,
            summary,
            resolved.then(|| finding.code.clone()),
            (!resolved).then(|| finding.code.clone()),
        );
    }

    /// Whether two type expressions name the same thing, named types through the type matching.
    fn same_ref(&self, old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                self.map.get(a.as_str()).copied().unwrap_or(a.as_str()) == b
            }
            (TypeRef::Array(a), TypeRef::Array(b)) => self.same_ref(a, b),
            (a, b) => a == b,
        }
    }

    fn payload_label(&self, variant: &VariantSurface, old: bool) -> String {
        match &variant.payload {
            Some(p) => {
                let label = if old {
                    self.old_label(p)
                } else {
                    self.new_label(p)
                };
                if variant.payload_optional {
                    format!("optional {label}")
                } else {
                    label
                }
            }
            None => "no data".to_string(),
        }
    }

    fn old_label(&self, r: &TypeRef) -> String {
        type_label(r, self.old)
    }

    fn new_label(&self, r: &TypeRef) -> String {
        type_label(r, self.new)
    }
}

/// What changed in a description, briefly: the link targets when only they changed, else the words that
/// differ (common leading and trailing words left out).
pub(super) fn describe_text_change(before: &str, after: &str) -> String {
    let (old_text, old_links) = split_links(before);
    let (new_text, new_links) = split_links(after);
    if old_text == new_text {
        let removed: Vec<&String> = old_links
            .iter()
            .filter(|l| !new_links.contains(l))
            .collect();
        let added: Vec<&String> = new_links
            .iter()
            .filter(|l| !old_links.contains(l))
            .collect();
        if let ([a], [b]) = (removed.as_slice(), added.as_slice()) {
            return format!("link target changed from {} to {}", code(a), code(b));
        }
        return "link targets changed".to_string();
    }
    let old_words: Vec<&str> = before.split_whitespace().collect();
    let new_words: Vec<&str> = after.split_whitespace().collect();
    let prefix = old_words
        .iter()
        .zip(&new_words)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old_words[prefix..]
        .iter()
        .rev()
        .zip(new_words[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_part = excerpt(&old_words[prefix..old_words.len() - suffix]);
    let new_part = excerpt(&new_words[prefix..new_words.len() - suffix]);
    match (old_part.is_empty(), new_part.is_empty()) {
        (true, true) => "description changed (line breaks)".to_string(),
        (true, false) => format!("description changed: added {}", code(&new_part)),
        (false, true) => format!("description changed: removed {}", code(&old_part)),
        (false, false) => format!(
            "description changed: {} → {}",
            code(&old_part),
            code(&new_part)
        ),
    }
}

/// Words joined by spaces, cut to about 80 characters.
fn excerpt(words: &[&str]) -> String {
    let text = words.join(" ");
    if text.chars().count() <= 80 {
        return text;
    }
    let cut: String = text.chars().take(79).collect();
    format!("{}…", cut.trim_end())
}

/// The text with `(target)` of each `[text](target)` link taken out, and the targets.
fn split_links(text: &str) -> (String, Vec<String>) {
    let mut plain = String::with_capacity(text.len());
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("](") {
        let after = &rest[start + 2..];
        let Some(end) = after.find(')') else { break };
        plain.push_str(&rest[..start + 1]);
        links.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    plain.push_str(rest);
    (plain, links)
}

fn is_update_value(def: &TypeSurface) -> bool {
    matches!(def.shape, Shape::UpdateValue { .. })
}

/// A type expression in words, named types by title: `array of `Message thread``.
pub fn type_label(r: &TypeRef, surface: &Surface) -> String {
    match r {
        TypeRef::String => "string".to_string(),
        TypeRef::Bool => "boolean".to_string(),
        TypeRef::Integer => "integer".to_string(),
        TypeRef::Number => "number".to_string(),
        TypeRef::Decimal => "decimal".to_string(),
        TypeRef::Json => "any JSON".to_string(),
        TypeRef::Timestamp => "timestamp".to_string(),
        TypeRef::Id(name) => format!("identifier {}", code(name)),
        TypeRef::Named(id) => match surface.types.get(id) {
            Some(def) if is_update_value(def) => match &def.shape {
                Shape::UpdateValue { of } => format!("update value of {}", type_label(of, surface)),
                _ => code(&def.title),
            },
            Some(def) => code(&def.title),
            None => code(id),
        },
        TypeRef::Array(inner) => format!("array of {}", type_label(inner, surface)),
        TypeRef::Unresolved(target) => format!("unresolved link {} (any JSON)", code(target)),
    }
}

fn limit_words(limits: &Limits) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = limits.max_items {
        out.push(format!("max {n} items"));
    }
    if let Some(n) = limits.max_length {
        out.push(format!("max length {n} characters"));
    }
    if let Some(n) = limits.max_months {
        out.push(format!("max length {n} months"));
    }
    if let Some(n) = limits.min_items {
        out.push(format!("min {n} items"));
    }
    if let Some(n) = limits.min_length {
        out.push(format!("min length {n} characters"));
    }
    if let Some(n) = limits.minimum {
        out.push(format!("minimum {n}"));
    }
    if let Some(n) = limits.maximum {
        out.push(format!("maximum {n}"));
    }
    out
}

/// Inline code that survives backticks in the text.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// A quoted phrase, on one line.
fn quote(text: &str) -> String {
    format!(
        "“{}”",
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}
