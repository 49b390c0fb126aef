//! Gives every page, type, field, variant, identifier and method its Rust name, and works out pagination
//! (which needs the field names).

use std::collections::BTreeMap;

use crate::ir::*;
use crate::names::{Case, NameSet, RESERVED_TYPE_NAMES, ident};

/// Methods of the generated `Client` that resource accessors must not take.
pub const CLIENT_METHODS: &[&str] = &["new", "builder", "runtime", "from_runtime", "clone", "fmt"];

pub fn assign(api: &mut Api) {
    let mut modules =
        NameSet::with_reserved(&["ids", "client", "runtime", "generated", "mod", "tests"]);
    for page in &mut api.pages {
        let stem = page.path.trim_end_matches(".md");
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

    let mut types = NameSet::with_reserved(RESERVED_TYPE_NAMES);
    // Request and response bodies first: their names come from the endpoint and never change.
    let mut bodies: BTreeMap<TypeId, String> = BTreeMap::new();
    for operation in &api.operations {
        let stem = format!(
            "{}{}{}",
            ident(&operation.resource, Case::Pascal),
            ident(&operation.action, Case::Pascal),
            operation
                .version
                .as_deref()
                .map(|v| ident(v, Case::Pascal).trim_start_matches('_').to_string())
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
    }
    let module_of: BTreeMap<String, String> = api
        .pages
        .iter()
        .map(|p| (p.path.clone(), p.module.clone()))
        .collect();
    let resources: Vec<String> = {
        let mut r: Vec<String> = api.operations.iter().map(|o| o.resource.clone()).collect();
        r.dedup();
        r
    };
    for resource in &resources {
        types.claim(&format!("{}Api", ident(resource, Case::Pascal)));
    }
    // Which definition took each plain name, to tell same-page repeats from cross-page ones.
    let mut owners: BTreeMap<String, TypeId> = BTreeMap::new();
    for def in api.types.values_mut() {
        def.rust_name = match bodies.get(&def.id) {
            Some(name) => name.clone(),
            None if matches!(def.kind, TypeKind::UpdateValue(_)) => "UpdateValue".to_string(),
            None => {
                let base = ident(&def.title, Case::Pascal);
                match owners.get(&base) {
                    // Taken by a definition on another page: prefix this one with its page.
                    Some(owner) if owner.page() != def.id.page() => {
                        let page = module_of
                            .get(def.id.page())
                            .map(|m| ident(m, Case::Pascal))
                            .unwrap_or_default();
                        types.claim(&format!("{page}{base}"))
                    }
                    // Taken on the same page (a title used twice) or reserved: number it.
                    _ => {
                        let name = types.claim(&base);
                        owners.entry(base).or_insert_with(|| def.id.clone());
                        name
                    }
                }
            }
        };
        match &mut def.kind {
            TypeKind::Struct(s) => {
                let mut fields = NameSet::default();
                for field in &mut s.fields {
                    field.rust_name = fields.claim(&ident(&field.wire_name, Case::Snake));
                }
            }
            TypeKind::Enum(e) => {
                let mut variants = NameSet::with_reserved(&["Unknown"]);
                for value in &mut e.values {
                    value.rust_name = variants.claim(&ident(&value.wire, Case::Pascal));
                }
            }
            TypeKind::Coproduct(c) => {
                let mut variants = NameSet::with_reserved(&["Unknown"]);
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
            let mut names = NameSet::default();
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

    let mut methods: BTreeMap<String, NameSet> = BTreeMap::new();
    for operation in &mut api.operations {
        let names = methods.entry(operation.resource.clone()).or_default();
        let mut base = ident(&operation.action, Case::Snake);
        if let Some(version) = &operation.version {
            base = format!(
                "{base}_{}",
                ident(version, Case::Snake).trim_start_matches('_')
            );
        }
        operation.method = names.claim(&base);
    }
    for index in 0..api.operations.len() {
        let pagination = pagination(api, &api.operations[index]);
        api.operations[index].pagination = pagination;
    }
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

/// `Limitation` (with `Cursor` and `Count`) in the request and `Cursor` in the response make an operation
/// paginated; a single list in the response is what the pages are made of.
fn pagination(api: &Api, operation: &Operation) -> Option<Pagination> {
    let fields = |id: &TypeId| match api.types.get(id).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => Some(&s.fields),
        _ => None,
    };
    let request = fields(&operation.request)?;
    let limitation = request.iter().find(|f| f.wire_name == "Limitation")?;
    let limitation_fields = fields(limitation.ty.named()?)?;
    let cursor = limitation_fields.iter().find(|f| f.wire_name == "Cursor")?;
    let count = limitation_fields.iter().find(|f| f.wire_name == "Count")?;
    if !matches!(count.ty, TypeExpr::Integer | TypeExpr::Number)
        || !matches!(cursor.ty, TypeExpr::String)
    {
        return None;
    }
    let response = fields(&operation.response)?;
    let response_cursor = response
        .iter()
        .find(|f| f.wire_name == "Cursor" && f.ty == TypeExpr::String)?;
    let lists: Vec<&Field> = response
        .iter()
        .filter(|f| matches!(f.ty, TypeExpr::Array(_)) && f.required)
        .collect();
    let items = match lists.as_slice() {
        [list] if !list.is_optional() => match &list.ty {
            TypeExpr::Array(inner) => Some((list.rust_name.clone(), (**inner).clone())),
            _ => None,
        },
        _ => None,
    };
    Some(Pagination {
        limitation_field: limitation.rust_name.clone(),
        cursor_field: cursor.rust_name.clone(),
        count_field: count.rust_name.clone(),
        count_is_integer: count.ty == TypeExpr::Integer,
        response_cursor_field: response_cursor.rust_name.clone(),
        items,
    })
}
