//! Fetch routes of events: for each coproduct variant whose discriminator value names a fetch operation (an
//! events page's `Fetch operation` column), the request property that filters by id and the payload's `Id`.
//!
//! The rule: the filter is the request property named after the operation's resource in the singular with
//! `Ids` (`customers/getAll` → `CustomerIds`, `resourceBlocks/getAll` → `ResourceBlockIds`), an array of
//! identifiers; its `max N items` is the chunk size. An operation without one (`messages/getAll` has no
//! `MessageIds`) leaves its events unfetched, with that reason.

use crate::ir::*;
use crate::names::{Case, ident};

pub fn routes(api: &mut Api) {
    let mut found: Vec<(TypeId, usize, VariantFetch)> = Vec::new();
    for def in api.types.values() {
        let TypeKind::Coproduct(c) = &def.kind else {
            continue;
        };
        let Some(TypeKind::Enum(e)) = c
            .discriminator
            .as_ref()
            .and_then(|id| api.types.get(id))
            .map(|d| &d.kind)
        else {
            continue;
        };
        for (index, variant) in c.variants.iter().enumerate() {
            let Some(operation) = e
                .values
                .iter()
                .find(|v| v.wire == variant.wire)
                .and_then(|v| v.fetch.clone())
            else {
                continue;
            };
            found.push((def.id.clone(), index, route(api, variant, operation)));
        }
    }
    for (id, index, fetch) in found {
        if let Some(TypeKind::Coproduct(c)) = api.types.get_mut(&id).map(|d| &mut d.kind)
            && let Some(variant) = c.variants.get_mut(index)
        {
            variant.fetch = Some(fetch);
        }
    }
}

fn route(api: &Api, variant: &CoproductVariant, operation: String) -> VariantFetch {
    let id_field = match variant.payload.as_ref().and_then(TypeExpr::named) {
        Some(id) => match api.types.get(id).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .find(|f| f.wire_name == "Id" && !f.is_optional())
                .map(|f| f.rust_name.clone()),
            _ => None,
        },
        None => None,
    };
    let Some(op) = api.operations.iter().find(|o| o.id == operation) else {
        return unfetched(
            operation,
            id_field,
            "the operation is not in the docs".to_string(),
        );
    };
    let singular = ident(&op.resource, Case::Pascal);
    let singular = singular.strip_suffix('s').unwrap_or(&singular);
    let wanted = format!("{singular}Ids");
    let filter = match api.types.get(&op.request).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().find(|f| {
            f.wire_name == wanted
                && matches!(&f.ty, TypeExpr::Array(inner) if matches!(**inner, TypeExpr::Id(_) | TypeExpr::String))
        }),
        _ => None,
    };
    let Some(filter) = filter else {
        let reason = format!("`{operation}` has no `{wanted}` filter");
        return unfetched(operation, id_field, reason);
    };
    if id_field.is_none() {
        return unfetched(operation, None, "the event's value has no `Id`".to_string());
    }
    VariantFetch {
        operation,
        id_field,
        filter: Some(IdsFilter {
            wire_name: filter.wire_name.clone(),
            rust_name: filter.rust_name.clone(),
            optional: filter.is_optional(),
            max_items: filter.constraints.max_items,
        }),
        reason: None,
    }
}

fn unfetched(operation: String, id_field: Option<String>, reason: String) -> VariantFetch {
    VariantFetch {
        operation,
        id_field,
        filter: None,
        reason: Some(reason),
    }
}
