//! Which direction each type travels in (request, response) and which features' operations reach it.

use std::collections::BTreeSet;

use super::shapes::for_each_reference;
use crate::ir::*;

pub fn compute(api: &mut Api) {
    let mut marks: Vec<(TypeId, bool, Option<String>)> = Vec::new();
    for operation in api.operations.iter().filter(|o| o.discontinued.is_none()) {
        let feature = api.page(&operation.page).and_then(|p| p.feature.clone());
        for (root, request) in [(&operation.request, true), (&operation.response, false)] {
            let mut seen = BTreeSet::new();
            walk(api, root, request, &mut seen, &mut |id, both| {
                marks.push((id.clone(), request, feature.clone()));
                if both {
                    marks.push((id.clone(), !request, feature.clone()));
                }
            });
        }
    }
    for (id, request, feature) in marks {
        if let Some(def) = api.types.get_mut(&id) {
            if request {
                def.usage.request = true;
            } else {
                def.usage.response = true;
            }
            if let Some(feature) = feature {
                def.features.insert(feature);
            }
        }
    }
    // Types no operation reaches are still generated, with both directions, behind their page's feature.
    let page_features: Vec<(String, Option<String>)> = api
        .pages
        .iter()
        .map(|p| (p.path.clone(), p.feature.clone()))
        .collect();
    let mut unreached = Vec::new();
    for def in api.types.values_mut() {
        if !def.usage.request && !def.usage.response {
            def.usage = Usage {
                request: true,
                response: true,
            };
            if let Some((_, Some(feature))) =
                page_features.iter().find(|(path, _)| path == def.id.page())
            {
                def.features.insert(feature.clone());
            }
            unreached.push(def.id.clone());
        }
    }
    // What those types refer to must exist wherever they do, in both directions: with their features, or
    // always when they are not gated (types of pages without operations, such as the discontinued ones).
    let all_features: BTreeSet<String> =
        api.pages.iter().filter_map(|p| p.feature.clone()).collect();
    let mut needed: Vec<(TypeId, BTreeSet<String>)> = Vec::new();
    for root in &unreached {
        let Some(def) = api.types.get(root) else {
            continue;
        };
        let features = if def.features.is_empty() {
            all_features.clone()
        } else {
            def.features.clone()
        };
        let mut seen = BTreeSet::new();
        walk(api, root, true, &mut seen, &mut |id, _| {
            if id != root {
                needed.push((id.clone(), features.clone()));
            }
        });
    }
    for (id, features) in needed {
        if let Some(def) = api.types.get_mut(&id) {
            def.usage = Usage {
                request: true,
                response: true,
            };
            def.features.extend(features);
        }
    }
}

/// Visits `id` and everything it reaches. `f` gets `both = true` below a coproduct, whose hand-written serde
/// needs both directions of its payloads.
fn walk(
    api: &Api,
    id: &TypeId,
    _request: bool,
    seen: &mut BTreeSet<(TypeId, bool)>,
    f: &mut dyn FnMut(&TypeId, bool),
) {
    fn go(
        api: &Api,
        id: &TypeId,
        both: bool,
        seen: &mut BTreeSet<(TypeId, bool)>,
        f: &mut dyn FnMut(&TypeId, bool),
    ) {
        if !seen.insert((id.clone(), both)) {
            return;
        }
        f(id, both);
        let Some(def) = api.types.get(id) else { return };
        let below_both = both || matches!(def.kind, TypeKind::Coproduct(_));
        let mut next = Vec::new();
        for_each_reference(&def.kind, &mut |r| next.push(r.clone()));
        for r in next {
            go(api, &r, below_both, seen, f);
        }
    }
    go(api, id, false, seen, f);
}
