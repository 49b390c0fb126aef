//! Credentials below the top level of a request: the docs sometimes list `ClientToken`, `AccessToken` and
//! `Client` inside an item of a request (a table copied from the request's own), but the client sends them
//! once, at the top level. They are dropped from such types, each type with a `credential-below-top-level`
//! warning.

use std::collections::BTreeSet;

use super::shapes::{reachable, references};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;

/// The properties the client sends once per request itself. Portfolio fields (`EnterpriseId`) are no
/// credentials: an item may name its enterprise.
pub const CREDENTIALS: [&str; 3] = ["ClientToken", "AccessToken", "Client"];

/// Drops the credentials of every type sent below the top level of a request (reached from a request body,
/// not a request body itself nor one of its parameter sets) and never received.
pub fn drop_nested(api: &mut Api, diagnostics: &mut Diagnostics) {
    let mut top = BTreeSet::new();
    let mut sent = BTreeSet::new();
    let mut received = BTreeSet::new();
    for operation in &api.operations {
        top.insert(operation.request.clone());
        if let Some(TypeKind::OneOf(sets)) = api.types.get(&operation.request).map(|d| &d.kind) {
            top.extend(sets.iter().map(|set| set.ty.clone()));
        }
    }
    for operation in &api.operations {
        // What a body reaches, the body itself excluded unless a cycle leads back to it.
        sent.extend(reachable(api, references(api, &operation.request)));
        received.insert(operation.response.clone());
        received.extend(reachable(api, references(api, &operation.response)));
    }
    let nested: Vec<TypeId> = sent
        .into_iter()
        .filter(|id| !top.contains(id) && !received.contains(id))
        .collect();
    for id in nested {
        let Some(def) = api.types.get_mut(&id) else {
            continue;
        };
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        let (dropped, kept): (Vec<Field>, Vec<Field>) = std::mem::take(&mut s.fields)
            .into_iter()
            .partition(|f| CREDENTIALS.contains(&f.wire_name.as_str()));
        s.fields = kept;
        let Some(first) = dropped.first() else {
            continue;
        };
        let names: Vec<String> = dropped
            .iter()
            .map(|f| format!("`{}`", f.wire_name))
            .collect();
        let mut diagnostic = Diagnostic::new(
            Code::CredentialBelowTopLevel,
            first.span,
            format!(
                "`{}` is sent inside a request but lists the credential{} {}, which the client sends once at the top level of every request: dropped from the type",
                def.title,
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
        );
        for other in &dropped[1..] {
            diagnostic = diagnostic.with_related(other.span, format!("`{}`", other.wire_name));
        }
        diagnostics.push(diagnostic);
    }
}
