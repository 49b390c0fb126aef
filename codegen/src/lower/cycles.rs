//! Types defined in terms of themselves through aliases, dictionaries and update wrappers (`A` is a `B`,
//! `B` is a dictionary of `A`): no Rust type can express them, and every walk over such a chain would never
//! end. Each cycle is reported and broken, so the IR stays well-formed for the steps after lowering.
//!
//! Cycles through objects, enums and unions are fine (the emitter boxes the recursive members).

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;

/// Kinds that the emitter writes as another type (`type A = B;`, `BTreeMap<String, B>`, `UpdateValue<B>`).
pub fn is_transparent(kind: &TypeKind) -> bool {
    matches!(
        kind,
        TypeKind::Alias(_) | TypeKind::Map(_) | TypeKind::UpdateValue(_)
    )
}

/// Every type a transparent type's body names, through arrays too.
fn body_references(kind: &TypeKind) -> Vec<TypeId> {
    fn expr(e: &TypeExpr, out: &mut Vec<TypeId>) {
        match e {
            TypeExpr::Named(id) => out.push(id.clone()),
            TypeExpr::Array(inner) => expr(inner, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let TypeKind::Alias(t) | TypeKind::Map(t) | TypeKind::UpdateValue(t) = kind {
        expr(t, &mut out);
    }
    out
}

/// Reports and breaks every cycle among transparent types: the type that closes a cycle becomes free-form JSON.
pub fn break_transparent_cycles(api: &mut Api, diagnostics: &mut Diagnostics) {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        Open,
        Done,
    }
    let mut state: BTreeMap<TypeId, State> = BTreeMap::new();
    let starts: Vec<TypeId> = api
        .types
        .iter()
        .filter(|(_, d)| is_transparent(&d.kind))
        .map(|(id, _)| id.clone())
        .collect();
    for start in starts {
        if state.contains_key(&start) {
            continue;
        }
        // Iterative depth-first search: (type, its transparent references, next to visit).
        let mut stack: Vec<(TypeId, Vec<TypeId>, usize)> = Vec::new();
        let refs = |api: &Api, id: &TypeId| -> Vec<TypeId> {
            api.types.get(id).map_or(Vec::new(), |d| {
                body_references(&d.kind)
                    .into_iter()
                    .filter(|r| api.types.get(r).is_some_and(|t| is_transparent(&t.kind)))
                    .collect()
            })
        };
        state.insert(start.clone(), State::Open);
        stack.push((start.clone(), refs(api, &start), 0));
        while let Some((id, next, index)) = stack.last_mut() {
            let Some(target) = next.get(*index).cloned() else {
                state.insert(id.clone(), State::Done);
                stack.pop();
                continue;
            };
            *index += 1;
            match state.get(&target) {
                Some(State::Done) => {}
                Some(State::Open) => {
                    // `target` is on the stack: the path from it to here, back to it, is a cycle.
                    let from = stack.iter().position(|(s, _, _)| *s == target).unwrap_or(0);
                    let closer = stack
                        .last()
                        .map(|(s, _, _)| s.clone())
                        .unwrap_or_else(|| target.clone());
                    // `closer → target → … → closer`.
                    let mut path = vec![closer.clone()];
                    path.extend(stack[from..].iter().map(|(s, _, _)| s.clone()));
                    report(api, &closer, &path, diagnostics);
                    if let Some(def) = api.types.get_mut(&closer) {
                        def.kind = TypeKind::Alias(TypeExpr::Json);
                        def.fallback = Some(Code::TypeCycle);
                    }
                    // The closer has no references any more.
                    if let Some(top) = stack.last_mut() {
                        top.1.clear();
                    }
                }
                None => {
                    state.insert(target.clone(), State::Open);
                    let target_refs = refs(api, &target);
                    stack.push((target, target_refs, 0));
                }
            }
        }
    }
}

fn report(api: &Api, closer: &TypeId, path: &[TypeId], diagnostics: &mut Diagnostics) {
    let title = |id: &TypeId| {
        api.types
            .get(id)
            .map_or_else(|| id.to_string(), |d| d.title.clone())
    };
    let Some(def) = api.types.get(closer) else {
        return;
    };
    let chain = path
        .iter()
        .map(|id| format!("`{}`", title(id)))
        .collect::<Vec<_>>()
        .join(" → ");
    diagnostics.push(
        Diagnostic::new(
            Code::TypeCycle,
            def.span,
            format!("`{}` is defined in terms of itself ({chain}) through aliases and dictionaries only: it is `Json`", def.title),
        )
        .with_note("a dictionary or alias needs an object, an enum or a primitive at the end of its chain"),
    );
}
