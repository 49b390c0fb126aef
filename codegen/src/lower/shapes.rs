//! Shapes the tables imply but do not name: update-value wrappers, coproducts (payload types by link, `Value`
//! column or title), parameter sets; and merging definitions that repeat with the same title and structure.

use std::collections::{BTreeMap, BTreeSet};

use super::titles::{TypeTitles, split_version};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;

pub fn recognise(api: &mut Api, diagnostics: &mut Diagnostics) {
    inline_tags(api, diagnostics);
    let titles = TypeTitles::new(api);
    let ids: Vec<TypeId> = api.types.keys().cloned().collect();
    for id in &ids {
        let Some(def) = api.types.get(id) else {
            continue;
        };
        let new_kind = match &def.kind {
            TypeKind::Struct(s) => {
                update_value(def, s).or_else(|| coproduct(api, def, s, &titles, diagnostics))
            }
            TypeKind::OneOf(variants) => {
                let variants = variants.clone();
                Some(one_of(api, id, &variants, diagnostics))
            }
            _ => None,
        };
        if let (Some(kind), Some(def)) = (new_kind, api.types.get_mut(id)) {
            def.kind = kind;
        }
    }
}

/// The tag value of each variant of an inline union: the literal its type's table gives the tag property
/// (`Type` is string `DeviceCommand`). A variant whose type has none is reported and left out (its objects then
/// decode as unknown variants, kept verbatim).
fn inline_tags(api: &mut Api, diagnostics: &mut Diagnostics) {
    let literal_of = |api: &Api, payload: &Option<TypeExpr>, tag: &str| match payload {
        Some(TypeExpr::Named(id)) => match &api.types.get(id)?.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .find(|f| f.wire_name == tag)
                .and_then(|f| f.literal.clone()),
            _ => None,
        },
        _ => None,
    };
    let unions: Vec<TypeId> = api
        .types
        .values()
        .filter(
            |d| matches!(&d.kind, TypeKind::Coproduct(c) if c.layout == CoproductLayout::Inline),
        )
        .map(|d| d.id.clone())
        .collect();
    for id in unions {
        let Some(TypeKind::Coproduct(c)) = api.types.get(&id).map(|d| &d.kind) else {
            continue;
        };
        let mut variants = Vec::new();
        for variant in &c.variants {
            match literal_of(api, &variant.payload, &c.tag) {
                Some(wire) => variants.push(CoproductVariant {
                    wire,
                    ..variant.clone()
                }),
                None => {
                    let target = variant.payload.as_ref().and_then(TypeExpr::named);
                    let span = target
                        .and_then(|t| api.types.get(t))
                        .map_or(api.types[&id].span, |d| d.span);
                    diagnostics.push(
                        Diagnostic::new(
                            Code::CoproductPayloadUnknown,
                            span,
                            format!(
                                "`{}` is listed as a variant, but its table gives `{}` no literal value (string `X`)",
                                target.map_or("?", |t| t.0.as_str()),
                                c.tag
                            ),
                        )
                        .with_note("the variant is left out: its objects decode as unknown variants, kept verbatim"),
                    );
                }
            }
        }
        if let Some(TypeKind::Coproduct(c)) = api.types.get_mut(&id).map(|d| &mut d.kind) {
            c.variants = variants;
        }
    }
}

/// `String update value` & co: a single optional `Value` property, titled "… update value".
fn update_value(def: &TypeDef, s: &Struct) -> Option<TypeKind> {
    match s.fields.as_slice() {
        [field]
            if field.wire_name == "Value" && def.title.to_lowercase().contains("update value") =>
        {
            Some(TypeKind::UpdateValue(field.ty.clone()))
        }
        _ => None,
    }
}

/// A required `Discriminator` enum plus either one `Value` property or one property per discriminator value;
/// or, under other names, a required enum property (`Action`) and one other property whose description links
/// that enum (`Data`: "Structure of the object depends on [Webhook action]").
fn coproduct(
    api: &Api,
    def: &TypeDef,
    s: &Struct,
    titles: &TypeTitles,
    diagnostics: &mut Diagnostics,
) -> Option<TypeKind> {
    fn enum_of<'a>(api: &'a Api, f: &'a Field) -> Option<(&'a TypeId, &'a Enum)> {
        match &f.ty {
            TypeExpr::Named(id) if f.required => match &api.types.get(id)?.kind {
                TypeKind::Enum(e) => Some((id, e)),
                _ => None,
            },
            _ => None,
        }
    }
    let (discriminator, enum_id, discriminator_enum) = match s
        .fields
        .iter()
        .find(|f| f.wire_name == "Discriminator")
        .and_then(|f| enum_of(api, f).map(|(id, e)| (f, id, e)))
    {
        Some(found) => found,
        None => match s.fields.as_slice() {
            [a, b] => [(a, b), (b, a)].into_iter().find_map(|(tag, payload)| {
                let (id, e) = enum_of(api, tag)?;
                links_to(&payload.doc, id).then_some((tag, id, e))
            })?,
            _ => return None,
        },
    };
    let tag = discriminator.wire_name.clone();
    let others: Vec<&Field> = s.fields.iter().filter(|f| f.wire_name != tag).collect();
    let (layout, variants) = match others.as_slice() {
        [value] if value.wire_name == "Value" || tag != "Discriminator" => {
            let always_null = {
                let text = value.doc.plain().to_lowercase();
                text.contains("always `null`")
                    || text.contains("always null")
                    || text.contains("not used")
            };
            let concrete = !matches!(value.ty, TypeExpr::Json | TypeExpr::Unresolved(_));
            let variants = discriminator_enum
                .values
                .iter()
                .map(|v| {
                    let payload = if let Some(payload) = &v.payload {
                        Some(payload.clone())
                    } else if concrete {
                        Some(value.ty.clone())
                    } else if v.no_data || always_null {
                        None
                    } else if let Some(named) = payload_by_name(api, def, &v.wire, titles) {
                        Some(TypeExpr::Named(named))
                    } else {
                        // A link in the value's description that resolved to nothing is reported already.
                        if !has_link(&v.doc) {
                            diagnostics.push(
                                Diagnostic::new(
                                    Code::CoproductPayloadUnknown,
                                    v.span,
                                    format!(
                                        "no type is documented for the `{}` value of `{}`",
                                        v.wire, def.title
                                    ),
                                )
                                .with_note("the payload is typed as free-form JSON (`Json`)"),
                            );
                        }
                        Some(TypeExpr::Json)
                    };
                    CoproductVariant {
                        wire: v.wire.clone(),
                        rust_name: String::new(),
                        payload_property: value.wire_name.clone(),
                        payload,
                        payload_optional: !value.required,
                        boxed: false,
                        doc: v.doc.clone(),
                        deprecated: v.deprecated.clone(),
                        fetch: None,
                    }
                })
                .collect();
            (CoproductLayout::Value, variants)
        }
        [] => return None,
        _ if tag != "Discriminator" => return None,
        properties => {
            // Each property belongs to the discriminator value it starts with (`EnterpriseProfile` → `Enterprise`).
            let owner = |field: &Field| {
                discriminator_enum
                    .values
                    .iter()
                    .filter(|v| field.wire_name.starts_with(v.wire.as_str()))
                    .max_by_key(|v| v.wire.len())
                    .map(|v| v.wire.clone())
            };
            let mut by_value: BTreeMap<String, &Field> = BTreeMap::new();
            for field in properties {
                let value = owner(field)?;
                if by_value.insert(value, field).is_some() {
                    return None;
                }
            }
            let variants = discriminator_enum
                .values
                .iter()
                .map(|v| {
                    let field = by_value.get(&v.wire);
                    CoproductVariant {
                        wire: v.wire.clone(),
                        rust_name: String::new(),
                        payload_property: field.map_or_else(String::new, |f| f.wire_name.clone()),
                        payload: field.map(|f| f.ty.clone()),
                        payload_optional: true,
                        boxed: false,
                        doc: if v.doc.is_empty() {
                            field.map(|f| f.doc.clone()).unwrap_or_default()
                        } else {
                            v.doc.clone()
                        },
                        deprecated: v.deprecated.clone(),
                        fetch: None,
                    }
                })
                .collect();
            (CoproductLayout::Property, variants)
        }
    };
    Some(TypeKind::Coproduct(Coproduct {
        discriminator: Some(enum_id.clone()),
        tag,
        layout,
        variants,
    }))
}

/// The payload type of a discriminator value the docs do not link, from the titles on the coproduct's page: a
/// type the value names (`BillCustomerData` → "Bill customer data"), else one titled the value and the
/// coproduct's title (`Bookable` of "Service data" → "Bookable service data"), else the one type titled the
/// value and words starting like the coproduct's title (`Relative` of "Product pricing" → "Relative product
/// price"; of "Tax rate strategy" → "Relative tax rate strategy data").
fn payload_by_name(
    api: &Api,
    coproduct: &TypeDef,
    value: &str,
    titles: &TypeTitles,
) -> Option<TypeId> {
    let page = coproduct.id.page();
    let eligible = |id: &TypeId| {
        id.page() == page
            && *id != coproduct.id
            && api
                .types
                .get(id)
                .is_some_and(|d| !matches!(d.kind, TypeKind::Enum(_)))
    };
    if let Some(named) = titles.code_span(value).iter().find(|t| eligible(&t.id)) {
        return Some(named.id.clone());
    }
    let words =
        |text: &str| -> Vec<String> { text.split_whitespace().map(|w| w.to_lowercase()).collect() };
    let value_words =
        words(&crate::names::ident(value, crate::names::Case::Snake).replace('_', " "));
    let coproduct_words = words(&split_version(&coproduct.title).0);
    let mut exact = None;
    let mut similar = Vec::new();
    for (id, def) in api.types.iter().filter(|(id, _)| eligible(id)) {
        let title = words(&split_version(&def.title).0);
        let Some(rest) = title.strip_prefix(value_words.as_slice()) else {
            continue;
        };
        if rest == coproduct_words.as_slice() {
            exact = Some(id.clone());
        } else if !rest.is_empty() && rest.first() == coproduct_words.first() {
            similar.push(id.clone());
        }
    }
    exact.or_else(|| match similar.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    })
}

/// Whether a description links type `id`.
fn links_to(doc: &Doc, id: &TypeId) -> bool {
    fn any(inlines: &[DocInline], id: &TypeId) -> bool {
        inlines.iter().any(|i| match i {
            DocInline::Link {
                target: LinkTarget::Type(target),
                ..
            } => target == id,
            DocInline::Link { children, .. } => any(children, id),
            DocInline::Emph(c) | DocInline::Strong(c) | DocInline::Strike(c) => any(c, id),
            _ => false,
        })
    }
    doc.paragraphs.iter().any(|p| any(p, id))
}

fn has_link(doc: &Doc) -> bool {
    fn any(inlines: &[DocInline]) -> bool {
        inlines.iter().any(|i| match i {
            DocInline::Link { .. } => true,
            DocInline::Emph(c) | DocInline::Strong(c) | DocInline::Strike(c) => any(c),
            _ => false,
        })
    }
    doc.paragraphs.iter().any(|p| any(p))
}

/// Parameter sets: the candidate sections that no other candidate refers to.
fn one_of(
    api: &mut Api,
    id: &TypeId,
    variants: &[OneOfVariant],
    diagnostics: &mut Diagnostics,
) -> TypeKind {
    let candidates: BTreeSet<&TypeId> = variants.iter().map(|v| &v.ty).collect();
    let mut referenced = BTreeSet::new();
    for candidate in &candidates {
        if let Some(def) = api.types.get(*candidate) {
            for_each_reference(&def.kind, &mut |r| {
                referenced.insert(r.clone());
            });
        }
    }
    let roots: Vec<OneOfVariant> = variants
        .iter()
        .filter(|v| !referenced.contains(&v.ty))
        .cloned()
        .collect();
    // Each parameter set is a whole request: the client sends the tokens itself.
    for root in &roots {
        if let Some(TypeDef {
            kind: TypeKind::Struct(s),
            ..
        }) = api.types.get_mut(&root.ty)
        {
            s.fields
                .retain(|f| !super::INJECTED_REQUEST_PROPERTIES.contains(&f.wire_name.as_str()));
        }
    }
    match roots.as_slice() {
        [single] => TypeKind::Alias(TypeExpr::Named(single.ty.clone())),
        [] => {
            let span = api.types.get(id).map(|d| d.span);
            diagnostics.push(Diagnostic::new(
                Code::InvalidParameterSets,
                span,
                "the mutually exclusive parameter sets refer to each other; none is a request on its own: the request is a free-form JSON object",
            ));
            if let Some(def) = api.types.get_mut(id) {
                def.fallback = Some(Code::InvalidParameterSets);
            }
            TypeKind::Struct(Struct {
                free_form: true,
                ..Struct::default()
            })
        }
        _ => TypeKind::OneOf(roots),
    }
}

/// Every type reachable from `roots` through references, the roots included.
pub fn reachable(api: &Api, roots: impl IntoIterator<Item = TypeId>) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = roots.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(def) = api.types.get(&id) {
            for_each_reference(&def.kind, &mut |r| stack.push(r.clone()));
        }
    }
    seen
}

/// The types `id` refers to directly.
pub fn references(api: &Api, id: &TypeId) -> Vec<TypeId> {
    let mut out = Vec::new();
    if let Some(def) = api.types.get(id) {
        for_each_reference(&def.kind, &mut |r| out.push(r.clone()));
    }
    out
}

/// Calls `f` on every type a kind refers to directly.
pub fn for_each_reference(kind: &TypeKind, f: &mut dyn FnMut(&TypeId)) {
    fn expr(e: &TypeExpr, f: &mut dyn FnMut(&TypeId)) {
        if let Some(id) = e.named() {
            f(id);
        }
    }
    match kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|field| expr(&field.ty, f)),
        TypeKind::Enum(e) => e
            .values
            .iter()
            .filter_map(|v| v.payload.as_ref())
            .for_each(|p| expr(p, f)),
        TypeKind::Coproduct(c) => {
            if let Some(id) = &c.discriminator {
                f(id);
            }
            c.variants
                .iter()
                .filter_map(|v| v.payload.as_ref())
                .for_each(|p| expr(p, f));
        }
        TypeKind::UpdateValue(t) | TypeKind::Map(t) | TypeKind::Alias(t) => expr(t, f),
        TypeKind::OneOf(variants) => variants.iter().for_each(|v| f(&v.ty)),
    }
}

/// Rewrites every type reference (in kinds, docs and operations) with `map`.
pub fn rewrite_references(api: &mut Api, map: &BTreeMap<TypeId, TypeId>) {
    for def in api.types.values_mut() {
        doc(&mut def.doc, map);
        rewrite_kind(&mut def.kind, map, true);
    }
    for operation in &mut api.operations {
        doc(&mut operation.doc, map);
    }
}

/// Rewrites the type references of one kind with `map`: its members' types, and with `docs` the links in
/// its members' docs.
pub fn rewrite_kind(kind: &mut TypeKind, map: &BTreeMap<TypeId, TypeId>, docs: bool) {
    fn expr(e: &mut TypeExpr, map: &BTreeMap<TypeId, TypeId>) {
        match e {
            TypeExpr::Named(id) => {
                if let Some(to) = map.get(id) {
                    *id = to.clone();
                }
            }
            TypeExpr::Array(inner) => expr(inner, map),
            _ => {}
        }
    }
    let member_doc = |d: &mut Doc| {
        if docs {
            doc(d, map);
        }
    };
    match kind {
        TypeKind::Struct(s) => {
            for field in &mut s.fields {
                expr(&mut field.ty, map);
                member_doc(&mut field.doc);
            }
        }
        TypeKind::Enum(e) => {
            for value in &mut e.values {
                if let Some(p) = &mut value.payload {
                    expr(p, map);
                }
                member_doc(&mut value.doc);
            }
        }
        TypeKind::Coproduct(c) => {
            if let Some(to) = c.discriminator.as_ref().and_then(|id| map.get(id)) {
                c.discriminator = Some(to.clone());
            }
            for variant in &mut c.variants {
                if let Some(p) = &mut variant.payload {
                    expr(p, map);
                }
                member_doc(&mut variant.doc);
            }
        }
        TypeKind::UpdateValue(t) | TypeKind::Map(t) | TypeKind::Alias(t) => expr(t, map),
        TypeKind::OneOf(variants) => {
            for v in variants {
                if let Some(to) = map.get(&v.ty) {
                    v.ty = to.clone();
                }
            }
        }
    }
}

/// Rewrites the type links of a doc with `map`.
fn doc(d: &mut Doc, map: &BTreeMap<TypeId, TypeId>) {
    fn inlines(list: &mut [DocInline], map: &BTreeMap<TypeId, TypeId>) {
        for inline in list {
            match inline {
                DocInline::Link { target, children } => {
                    if let LinkTarget::Type(id) = target
                        && let Some(to) = map.get(id)
                    {
                        *id = to.clone();
                    }
                    inlines(children, map);
                }
                DocInline::Emph(c) | DocInline::Strong(c) | DocInline::Strike(c) => inlines(c, map),
                _ => {}
            }
        }
    }
    for paragraph in &mut d.paragraphs {
        inlines(paragraph, map);
    }
}

/// Definitions with the same title and the same structure (the same object on several pages, or twice on
/// one) become one type: the first by id on a live page, else the first by id (a live page's type is not
/// kept on `discontinued.md`). Different structures keep separate types.
pub fn merge_duplicates(api: &mut Api) {
    let mut first_by_key: BTreeMap<(String, String), TypeId> = BTreeMap::new();
    let mut map = BTreeMap::new();
    let discontinued = |id: &TypeId| {
        api.page(id.page())
            .is_some_and(|p| p.kind == PageKind::Discontinued)
    };
    let mut order: Vec<(&TypeId, &TypeDef)> = api.types.iter().collect();
    order.sort_by_key(|(id, _)| discontinued(id));
    for (id, def) in order {
        let Some(signature) = signature(&def.kind) else {
            continue;
        };
        let key = (def.title.to_lowercase(), signature);
        match first_by_key.get(&key) {
            Some(first) => {
                map.insert(id.clone(), first.clone());
            }
            None => {
                first_by_key.insert(key, id.clone());
            }
        }
    }
    if map.is_empty() {
        return;
    }
    rewrite_references(api, &map);
    for duplicate in map.keys() {
        api.types.remove(duplicate);
    }
}

/// What makes two definitions the same type: properties with their types and contracts, or enum values
/// regardless of order. Request and response bodies are never merged.
fn signature(kind: &TypeKind) -> Option<String> {
    Some(match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| {
                format!(
                    "{}:{:?}:{}:{:?}",
                    f.wire_name, f.ty, f.required, f.constraints
                )
            })
            .collect::<Vec<_>>()
            .join(";"),
        TypeKind::Enum(e) => {
            let values: BTreeSet<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
            format!("enum:{}:{values:?}", e.extensible)
        }
        TypeKind::Map(t) => format!("map:{t:?}"),
        TypeKind::UpdateValue(t) => format!("update:{t:?}"),
        TypeKind::Alias(t) => format!("alias:{t:?}"),
        TypeKind::Coproduct(_) | TypeKind::OneOf(_) => return None,
    })
}
