//! Fetch helpers of events: `fetch()` on an event coproduct whose variants name fetch operations,
//! `fetch_plan()` on a message holding a list of them, and one method per fetch operation on
//! `runtime::fetch::FetchPlan` that fills the request's ids filter.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::ir::*;

/// The fetch helpers a type gets, if any.
pub fn fetch_impls(ctx: &Ctx<'_>, def: &TypeDef, cfg: &TokenStream) -> TokenStream {
    match &def.kind {
        TypeKind::Coproduct(c) if c.has_fetch() => coproduct_fetch(ctx, def, c, cfg),
        TypeKind::Struct(s) => message_plan(ctx, def, s, cfg),
        _ => TokenStream::new(),
    }
}

fn has_fetch(ctx: &Ctx<'_>, ty: &TypeExpr) -> bool {
    let TypeExpr::Array(inner) = ty else {
        return false;
    };
    inner
        .named()
        .and_then(|id| ctx.api.types.get(id))
        .is_some_and(|d| matches!(&d.kind, TypeKind::Coproduct(c) if c.has_fetch()))
}

/// `fetch_plan()` on a struct with a required list of fetchable events (`GeneralWebhookMessage::events`).
fn message_plan(ctx: &Ctx<'_>, def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let Some(field) = s
        .fields
        .iter()
        .find(|f| !f.is_optional() && has_fetch(ctx, &f.ty))
    else {
        return TokenStream::new();
    };
    let name = ctx.ident(&def.rust_name);
    let events = ctx.ident(&field.rust_name);
    let Some(event_id) = field.ty.named() else {
        return TokenStream::new();
    };
    let from = ctx.module_of(&def.id);
    let events_module = ctx.module_of(event_id);
    let plan = if events_module == from {
        quote!(FetchPlan)
    } else {
        let up = ctx.up(from);
        let module = ctx.module_path(events_module);
        quote!(#up #module::FetchPlan)
    };
    let doc = format!(
        " The entities `{}` names, as ids per fetch operation (each once, in the order first seen, chunked by \
         the per-operation methods of the plan), and the events no request reads.",
        field.wire_name
    );
    quote! {
        #cfg
        impl #name {
            #[doc = #doc]
            pub fn fetch_plan(&self) -> #plan {
                #plan(runtime::fetch::FetchPlan::of(self.#events.iter().map(|event| event.fetch())))
            }
        }
    }
}

fn coproduct_fetch(ctx: &Ctx<'_>, def: &TypeDef, c: &Coproduct, cfg: &TokenStream) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let arms = c.variants.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        let wire = &v.wire;
        // The id is read from a payload that is always there and has an `Id`.
        let id_field = v
            .fetch
            .as_ref()
            .and_then(|f| f.id_field.as_deref())
            .filter(|_| v.payload.is_some() && !v.payload_optional)
            .map(|field| ctx.ident(field));
        let pattern = match (&id_field, v.payload.is_some()) {
            (Some(_), _) => quote!(Self::#variant(value)),
            (None, true) => quote!(Self::#variant(_)),
            (None, false) => quote!(Self::#variant),
        };
        match (&v.fetch, &id_field) {
            (Some(VariantFetch { operation, filter: Some(_), .. }), Some(field)) => {
                quote!(#pattern => runtime::fetch::Fetch::by(#operation, value.#field.as_str()),)
            }
            (Some(fetch), _) => {
                let operation = &fetch.operation;
                let reason = fetch.reason.as_deref().unwrap_or("the event's value has no `Id`");
                let id = match &id_field {
                    Some(field) => quote!(Some(value.#field.as_str())),
                    None => quote!(None),
                };
                quote!(#pattern => runtime::fetch::Fetch::unfetched(#wire, Some(#operation), #id, #reason),)
            }
            (None, _) => {
                let pattern = if v.payload.is_some() {
                    quote!(Self::#variant(_))
                } else {
                    quote!(Self::#variant)
                };
                quote!(#pattern => runtime::fetch::Fetch::unfetched(#wire, None, None, "the docs name no fetch operation for this event"),)
            }
        }
    });
    quote! {
        #cfg
        impl #name {
            /// What reading this event's entity takes: the operation and id, or why it cannot be read by id.
            pub fn fetch(&self) -> runtime::fetch::Fetch<'_> {
                match self {
                    #(#arms)*
                    Self::Unknown(unknown) => runtime::fetch::Fetch::unknown(unknown.discriminator()),
                }
            }
        }
    }
}

/// The page's `FetchPlan`, when an event coproduct on it names fetch operations: the runtime's plan (ids per
/// operation) with one method per fetch operation that has an ids filter. A type of the page's own, so that a
/// crate generated apart from the runtime can have these methods too.
pub fn page_fetch_plan(ctx: &Ctx<'_>, page: &PageInfo) -> TokenStream {
    let coproducts: Vec<&Coproduct> = ctx
        .types_of(&page.path)
        .filter_map(|d| match &d.kind {
            TypeKind::Coproduct(c) if c.has_fetch() => Some(c),
            _ => None,
        })
        .collect();
    if coproducts.is_empty() {
        return TokenStream::new();
    }
    let from = page.module.as_str();
    let mut methods = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    // One method per fetch operation with an ids filter, each once.
    for v in coproducts.iter().flat_map(|c| &c.variants) {
        let Some(VariantFetch {
            operation,
            filter: Some(filter),
            ..
        }) = &v.fetch
        else {
            continue;
        };
        if !seen.insert(operation.clone()) {
            continue;
        }
        let Some(op) = ctx.emitted_operations().find(|o| &o.id == operation) else {
            continue;
        };
        let Some(resource) = ctx.api.resources.get(&op.resource) else {
            continue;
        };
        let method = ctx.ident(&format!("{}_{}", resource.accessor, op.method));
        let request = ctx.type_path(&op.request, from);
        let field = ctx.ident(&filter.rust_name);
        let max = filter.max_items.map_or(usize::MAX, |m| m as usize);
        let max = if max == usize::MAX {
            quote!(usize::MAX)
        } else {
            let lit = proc_macro2::Literal::usize_unsuffixed(max);
            quote!(#lit)
        };
        let set = if filter.optional {
            quote!(request.#field = Some(ids))
        } else {
            quote!(request.#field = ids)
        };
        // The request type exists only with the operation's feature.
        let op_cfg = ctx.cfg(&ctx.operation_features(op));
        let doc = format!(
            " `{operation}` requests for the planned ids: copies of `template` with `{}` set, at most {} ids each.",
            filter.wire_name,
            filter
                .max_items
                .map_or("all".to_string(), |m| m.to_string())
        );
        methods.push(quote! {
            #op_cfg
            #[doc = #doc]
            pub fn #method(&self, template: &#request) -> Vec<#request> {
                self.0.requests(#operation, #max, template, |request: &mut #request, ids| #set)
            }
        });
    }
    quote! {
        /// A batch of events as fetch requests: the ids each fetch operation reads, each once, in the order first
        /// seen, and the events no request reads ([`unfetched`](runtime::fetch::FetchPlan::unfetched)). The
        /// methods named after an operation fill its ids filter in copies of a request you supply.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct FetchPlan(pub runtime::fetch::FetchPlan);

        impl std::ops::Deref for FetchPlan {
            type Target = runtime::fetch::FetchPlan;
            fn deref(&self) -> &runtime::fetch::FetchPlan {
                &self.0
            }
        }

        impl FetchPlan {
            #(#methods)*
        }
    }
}
