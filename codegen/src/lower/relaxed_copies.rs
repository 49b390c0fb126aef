//! A relaxation reaches no further than its evidence. A live operation's response example relaxes the type it
//! shows (`examples.rs`); a deprecated operation's relaxes only what that operation decodes: the types on the
//! way from its response to a relaxed property that nothing else reaches are relaxed in place, and those that
//! live operations (or anything else) share are copied for it, the copy relaxed and the operation's types
//! pointed at it. A discontinued operation has no method, so its evidence relaxes only types no emitted
//! operation reaches. Either way every documented response still decodes, the deprecated one's own included.

use std::collections::{BTreeMap, BTreeSet};

use super::examples::ScopedEvidence;
use super::shapes::{for_each_reference, reachable, rewrite_kind};
use crate::ir::*;

/// Applies the evidence of deprecated and discontinued operations' examples, each to what its operation
/// decodes. Run after the overrides, so that a copy carries the reviewed corrections of its original.
pub fn scope(api: &mut Api, evidence: Vec<ScopedEvidence>) {
    let emitted: Vec<usize> = (0..api.operations.len())
        .filter(|&i| api.operations[i].discontinued.is_none())
        .collect();
    for evidence in evidence {
        let Some(operation) = api.operations.get(evidence.operation) else {
            continue;
        };
        if operation.discontinued.is_some() {
            let live = reachable(api, emitted.iter().flat_map(|&i| roots(&api.operations[i])));
            let standalone = |(id, _): &(TypeId, String)| !live.contains(id);
            mark(
                api,
                evidence.relax.iter().filter(|r| standalone(r)),
                evidence.lenient.iter().filter(|l| standalone(l)),
                &BTreeMap::new(),
            );
            continue;
        }
        let copies = copy_for(api, &evidence, &emitted);
        mark(api, evidence.relax.iter(), evidence.lenient.iter(), &copies);
    }
}

/// The request and response of an operation.
fn roots(operation: &Operation) -> [TypeId; 2] {
    [operation.request.clone(), operation.response.clone()]
}

/// Gives the deprecated operation its own copy of every shared type between its response and the relaxed
/// properties, points its types at the copies, and returns original → copy.
fn copy_for(
    api: &mut Api,
    evidence: &ScopedEvidence,
    emitted: &[usize],
) -> BTreeMap<TypeId, TypeId> {
    let operation = &api.operations[evidence.operation];
    let own = reachable(api, [operation.response.clone()]);
    // Shared: what any other emitted operation reaches, this operation's request, and the types no
    // operation reaches (generated on their own, so anyone may decode them).
    let all = reachable(api, emitted.iter().flat_map(|&i| roots(&api.operations[i])));
    let mut shared_roots: Vec<TypeId> = emitted
        .iter()
        .filter(|&&i| i != evidence.operation)
        .flat_map(|&i| roots(&api.operations[i]))
        .collect();
    shared_roots.push(operation.request.clone());
    shared_roots.extend(api.types.keys().filter(|id| !all.contains(*id)).cloned());
    let shared = reachable(api, shared_roots);
    // The types of this operation on the way to a relaxed property.
    let mut on_way: BTreeSet<TypeId> = evidence
        .relax
        .iter()
        .chain(&evidence.lenient)
        .map(|(id, _)| id.clone())
        .filter(|id| own.contains(id))
        .collect();
    loop {
        let more: Vec<TypeId> = own
            .iter()
            .filter(|id| !on_way.contains(*id))
            .filter(|id| {
                let mut leads = false;
                // An enum decodes a string whatever its values' payload links say: it leads nowhere.
                if let Some(def) = api
                    .types
                    .get(*id)
                    .filter(|d| !matches!(d.kind, TypeKind::Enum(_)))
                {
                    for_each_reference(&def.kind, &mut |r| leads |= on_way.contains(r));
                }
                leads
            })
            .cloned()
            .collect();
        if more.is_empty() {
            break;
        }
        on_way.extend(more);
    }
    let copies: BTreeMap<TypeId, TypeId> = on_way
        .iter()
        .filter(|id| shared.contains(*id))
        .map(|id| (id.clone(), copy_id(id, operation)))
        .collect();
    let (operation_id, response) = (operation.id.clone(), operation.response.clone());
    for (original, copy) in &copies {
        if let Some(def) = api.types.get(original) {
            let mut def = def.clone();
            def.id = copy.clone();
            // The original's own example is checked against the original.
            def.example = None;
            def.relaxed_copy = Some(RelaxedCopy {
                of: original.clone(),
                operation: operation_id.clone(),
            });
            api.types.insert(copy.clone(), def);
        }
    }
    for id in &on_way {
        let id = copies.get(id).unwrap_or(id);
        if let Some(def) = api.types.get_mut(id) {
            rewrite_kind(&mut def.kind, &copies, false);
        }
    }
    if let Some(copy) = copies.get(&response) {
        api.operations[evidence.operation].response = copy.clone();
    }
    copies
}

/// A copy lives on its operation's page: `operations/reservations.md#operations/customers.md#customer@reservations/getAll/2017-04-12`.
fn copy_id(original: &TypeId, operation: &Operation) -> TypeId {
    TypeId(format!(
        "{}#{}@{}",
        operation.page, original.0, operation.id
    ))
}

/// Marks the properties relaxed (optional) or lenient, on the copy where there is one.
fn mark<'a>(
    api: &mut Api,
    relaxed: impl Iterator<Item = &'a (TypeId, String)>,
    lenient: impl Iterator<Item = &'a (TypeId, String)>,
    copies: &BTreeMap<TypeId, TypeId>,
) {
    let marks = relaxed
        .map(|r| (r, false))
        .chain(lenient.map(|l| (l, true)))
        .collect::<Vec<_>>();
    for ((id, wire), lenient) in marks {
        let id = copies.get(id).unwrap_or(id);
        if let Some(TypeDef {
            kind: TypeKind::Struct(s),
            ..
        }) = api.types.get_mut(id)
            && let Some(field) = s.fields.iter_mut().find(|f| &f.wire_name == wire)
        {
            if lenient {
                field.lenient = true;
            } else {
                field.relaxed = true;
            }
        }
    }
}
