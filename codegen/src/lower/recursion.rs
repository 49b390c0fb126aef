//! Which members hold their own type by value (`Node { parent: Option<Node> }`, `Forest { tree: Tree }` with
//! `Tree { forest: Option<Forest> }`): Rust needs a `Box` there, or the type has infinite size.
//!
//! A type holds another by value through struct fields, union payloads and parameter sets, and through
//! aliases and update wrappers, which the emitter writes as that type. Lists and dictionaries allocate, so
//! they end a chain. A member is boxed when the type it holds by value reaches its owner again. The flags
//! (`Field::boxed`, `CoproductVariant::boxed`, `OneOfVariant::boxed`) are part of the API: a field that
//! becomes a `Box` changes its type for every user, so the change report compares them.
//!
//! Cycles through aliases and dictionaries alone cannot be boxed; [`super::cycles`] breaks those first.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::*;

/// The types an expression holds by value: the named type itself, not through a list.
fn held(expr: &TypeExpr) -> Option<&TypeId> {
    match expr {
        TypeExpr::Named(id) => Some(id),
        _ => None,
    }
}

/// Every member of a type with the type it holds by value: `(member key, held type)`.
/// Member keys are the wire name of a field or union variant, or the type of a parameter set.
fn members(kind: &TypeKind) -> Vec<(String, &TypeId)> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| Some((f.wire_name.clone(), held(&f.ty)?)))
            .collect(),
        TypeKind::Coproduct(c) => c
            .variants
            .iter()
            .filter_map(|v| Some((v.wire.clone(), held(v.payload.as_ref()?)?)))
            .collect(),
        TypeKind::OneOf(variants) => variants.iter().map(|v| (v.ty.0.clone(), &v.ty)).collect(),
        TypeKind::Alias(inner) | TypeKind::UpdateValue(inner) => held(inner)
            .map(|id| (String::new(), id))
            .into_iter()
            .collect(),
        TypeKind::Map(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// Sets the `boxed` flag of every member through which its owner would contain itself.
pub fn mark_boxed(api: &mut Api) {
    let boxed = boxed_members(api);
    for (owner, def) in &mut api.types {
        let is_boxed = |key: &str| boxed.contains(&(owner.clone(), key.to_string()));
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = is_boxed(&field.wire_name);
                }
            }
            TypeKind::Coproduct(c) => {
                for variant in &mut c.variants {
                    variant.boxed = is_boxed(&variant.wire);
                }
            }
            TypeKind::OneOf(variants) => {
                for variant in variants {
                    variant.boxed = is_boxed(&variant.ty.0);
                }
            }
            TypeKind::Enum(_)
            | TypeKind::UpdateValue(_)
            | TypeKind::Map(_)
            | TypeKind::Alias(_) => {}
        }
    }
}

/// `(owner, member key)` of every member that must be boxed.
fn boxed_members(api: &Api) -> BTreeSet<(TypeId, String)> {
    let edges: BTreeMap<&TypeId, Vec<&TypeId>> = api
        .types
        .iter()
        .map(|(id, def)| {
            (
                id,
                members(&def.kind).into_iter().map(|(_, to)| to).collect(),
            )
        })
        .collect();
    let mut reach: BTreeMap<&TypeId, BTreeSet<&TypeId>> = BTreeMap::new();
    let mut reachable = |from: &TypeId| -> BTreeSet<&TypeId> {
        if let Some(known) = reach.get(from) {
            return known.clone();
        }
        let mut seen: BTreeSet<&TypeId> = BTreeSet::new();
        let mut stack: Vec<&TypeId> = edges
            .get_key_value(from)
            .map(|(k, _)| *k)
            .into_iter()
            .collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            stack.extend(edges.get(id).into_iter().flatten().copied());
        }
        if let Some((key, _)) = edges.get_key_value(from) {
            reach.insert(key, seen.clone());
        }
        seen
    };
    let mut out = BTreeSet::new();
    for (owner, def) in &api.types {
        // Aliases and update wrappers cannot hold a box themselves; the members that reach them do.
        if matches!(def.kind, TypeKind::Alias(_) | TypeKind::UpdateValue(_)) {
            continue;
        }
        for (key, to) in members(&def.kind) {
            if reachable(to).contains(owner) {
                out.insert((owner.clone(), key));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceSet;

    fn boxed(markdown: &str) -> Vec<String> {
        let (api, diagnostics, _) =
            crate::analyze(SourceSet::from_pages([("operations/x.md", markdown)]), None);
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        let mut out = Vec::new();
        for (id, def) in &api.types {
            if let TypeKind::Struct(s) = &def.kind {
                for field in s.fields.iter().filter(|f| f.boxed) {
                    out.push(format!("{}.{}", id.0, field.wire_name));
                }
            }
        }
        out
    }

    const HEAD: &str = "| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n";

    #[test]
    fn self_and_mutual_references_are_boxed_lists_are_not() {
        let page = format!(
            "# X\n\n### Node\n\n{HEAD}| `Parent` | [Node](#node) | optional | p |\n| `Children` | array of [Node](#node) | optional | c |\n\n\
             ### A\n\n{HEAD}| `B` | [B](#b) | required | b |\n\n### B\n\n{HEAD}| `A` | [A](#a) | optional | a |\n| `Leaf` | [Leaf](#leaf) | optional | l |\n\n\
             ### Leaf\n\n{HEAD}| `Name` | string | required | n |\n"
        );
        assert_eq!(
            boxed(&page),
            [
                "operations/x.md#a.B",
                "operations/x.md#b.A",
                "operations/x.md#node.Parent"
            ]
        );
    }
}
