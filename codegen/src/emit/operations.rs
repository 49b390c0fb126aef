//! Operations: the `Operation` (and paging) impls next to each request type, and `client.rs` with the
//! `Client` and one handle per resource holding an async method per operation.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::ir::*;
use crate::lower::docs_url;
use crate::names::{Case, ident};

/// The resource handle type of an operation (`MessagesApi`).
pub fn api_struct_name(operation: &Operation) -> String {
    format!("{}Api", ident(&operation.resource, Case::Pascal))
}

fn accessor_name(resource: &str) -> String {
    let name = ident(resource, Case::Snake);
    if crate::lower::CLIENT_METHODS.contains(&name.as_str()) {
        format!("{name}_api")
    } else {
        name
    }
}

/// `impl Operation` (and the paging traits) for one operation's request and response.
pub fn operation_impls(ctx: &Ctx<'_>, operation: &Operation) -> TokenStream {
    let from = ctx.module_of(&operation.request);
    let cfg = ctx.cfg(&ctx.operation_features(operation));
    let request = ctx.type_path(&operation.request, from);
    let response = ctx.type_path(&operation.response, from);
    let id = &operation.id;
    let path = &operation.path;
    let safety = match operation.safety {
        Safety::Safe => quote!(runtime::Safety::Safe),
        Safety::Unsafe => quote!(runtime::Safety::Unsafe),
    };
    let paginated = operation.pagination.is_some();
    let mut out = quote! {
        #cfg
        impl runtime::Operation for #request {
            type Response = #response;
            const INFO: runtime::OperationInfo = runtime::OperationInfo {
                id: #id,
                path: #path,
                safety: #safety,
                paginated: #paginated,
            };
        }
    };
    if let Some(pagination) = &operation.pagination {
        out.extend(paging_impls(
            ctx, operation, pagination, &request, &response, &cfg,
        ));
    }
    out
}

fn field<'a>(ctx: &'a Ctx<'_>, id: &TypeId, rust_name: &str) -> Option<&'a Field> {
    match &ctx.api.types.get(id)?.kind {
        TypeKind::Struct(s) => s.fields.iter().find(|f| f.rust_name == rust_name),
        _ => None,
    }
}

fn paging_impls(
    ctx: &Ctx<'_>,
    operation: &Operation,
    pagination: &Pagination,
    request: &TokenStream,
    response: &TokenStream,
    cfg: &TokenStream,
) -> TokenStream {
    let Some(limitation) = field(ctx, &operation.request, &pagination.limitation_field) else {
        return TokenStream::new();
    };
    let Some(limitation_type) = limitation.ty.named() else {
        return TokenStream::new();
    };
    let (Some(cursor), Some(count)) = (
        field(ctx, limitation_type, &pagination.cursor_field),
        field(ctx, limitation_type, &pagination.count_field),
    ) else {
        return TokenStream::new();
    };
    let limitation_ident = ctx.ident(&limitation.rust_name);
    let cursor_ident = ctx.ident(&cursor.rust_name);
    let count_ident = ctx.ident(&count.rust_name);
    let set = if cursor.is_optional() {
        quote!(limitation.#cursor_ident = cursor;)
    } else {
        quote!(if let Some(cursor) = cursor { limitation.#cursor_ident = cursor; })
    };
    let to_u64 = if pagination.count_is_integer {
        quote!(u64::try_from(*count).ok())
    } else {
        quote!(count.as_u64())
    };
    let count_access = if count.is_optional() {
        quote!(limitation.#count_ident.as_ref().and_then(|count| #to_u64))
    } else {
        quote!({ let count = &limitation.#count_ident; #to_u64 })
    };
    let (set_cursor, page_size) = if limitation.is_optional() {
        (
            quote!(if let Some(limitation) = &mut self.#limitation_ident { #set }),
            quote!(self.#limitation_ident.as_ref().and_then(|limitation| #count_access)),
        )
    } else {
        (
            quote!({ let limitation = &mut self.#limitation_ident; #set }),
            quote!({ let limitation = &self.#limitation_ident; #count_access }),
        )
    };
    let Some(response_cursor) = field(ctx, &operation.response, &pagination.response_cursor_field)
    else {
        return TokenStream::new();
    };
    let response_cursor_ident = ctx.ident(&response_cursor.rust_name);
    let cursor_get = if response_cursor.is_optional() {
        quote!(self.#response_cursor_ident.as_deref())
    } else {
        quote!(Some(self.#response_cursor_ident.as_str()))
    };
    let (item_count, items) = match &pagination.items {
        Some((list, item)) => {
            let list = ctx.ident(list);
            let item = ctx.expr(item, ctx.module_of(&operation.response));
            (
                quote!(self.#list.len()),
                quote! {
                    #cfg
                    impl runtime::PagedItems for #response {
                        type Item = #item;
                        fn into_items(self) -> Vec<#item> {
                            self.#list
                        }
                    }
                },
            )
        }
        None => (quote!(1), TokenStream::new()),
    };
    quote! {
        #cfg
        impl runtime::PagedRequest for #request {
            fn set_cursor(&mut self, cursor: Option<String>) {
                #set_cursor
            }
            fn page_size(&self) -> Option<u64> {
                #page_size
            }
        }
        #cfg
        impl runtime::PagedResponse for #response {
            fn cursor(&self) -> Option<&str> {
                #cursor_get
            }
            fn item_count(&self) -> usize {
                #item_count
            }
        }
        #items
    }
}

/// `client.rs`: the `Client` wrapper and the resource handles.
pub fn client_file(ctx: &Ctx<'_>) -> TokenStream {
    let summary = format!(
        " @generated by `{}` from `{}`: the client and its resource handles. Do not edit by hand.",
        ctx.config.command, ctx.config.spec_label
    );
    let runtime = &ctx.runtime;
    let mut by_resource: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in ctx.emitted_operations() {
        by_resource
            .entry(operation.resource.as_str())
            .or_default()
            .push(operation);
    }
    let mut accessors = Vec::new();
    let mut handles = Vec::new();
    for (resource, operations) in &by_resource {
        let features: BTreeSet<String> = operations
            .iter()
            .flat_map(|o| ctx.operation_features(o))
            .collect();
        let cfg = ctx.cfg(&features);
        let handle = ctx.ident(&api_struct_name(operations[0]));
        let accessor = ctx.ident(&accessor_name(resource));
        let accessor_doc = format!(" Operations on `{resource}`.");
        accessors.push(quote! {
            #[doc = #accessor_doc]
            #cfg
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: &self.inner }
            }
        });
        let mut taken: BTreeSet<String> = operations.iter().map(|o| o.method.clone()).collect();
        let methods = operations
            .iter()
            .map(|o| operation_methods(ctx, o, &mut taken));
        let handle_doc =
            format!(" The operations on `{resource}`; get one with [`Client::{accessor}`].");
        handles.push(quote! {
            #[doc = #handle_doc]
            #[derive(Clone, Copy, Debug)]
            #cfg
            pub struct #handle<'a> {
                client: &'a runtime::Client,
            }
            #cfg
            impl #handle<'_> {
                #(#methods)*
            }
        });
    }
    quote! {
        #![doc = #summary]
        #![allow(deprecated, clippy::large_enum_variant)]
        #[allow(unused_imports)]
        use #runtime;

        /// A Mews Connector API client: one handle per resource, one async method per operation.
        ///
        /// Build it once with [`Client::builder`] and clone it freely (clones share connections and limits).
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: runtime::Client,
        }

        impl Client {
            /// Starts a client for `environment` with the application's `ClientToken`, the enterprise's
            /// `AccessToken` and the application's name and version (sent as `Client`).
            pub fn builder(
                environment: runtime::Environment,
                client_token: impl Into<runtime::ClientToken>,
                access_token: impl Into<runtime::AccessToken>,
                client_name: impl Into<String>,
            ) -> runtime::ClientBuilder {
                runtime::ClientBuilder::new(environment, client_token, access_token, client_name)
            }

            /// The runtime client, to send requests with per-call options or to page by hand.
            pub fn runtime(&self) -> &runtime::Client {
                &self.inner
            }

            #(#accessors)*
        }

        impl From<runtime::Client> for Client {
            fn from(inner: runtime::Client) -> Self {
                Client { inner }
            }
        }

        #(#handles)*
    }
}

fn operation_methods(
    ctx: &Ctx<'_>,
    operation: &Operation,
    taken: &mut BTreeSet<String>,
) -> TokenStream {
    let from = "client";
    let cfg = ctx.cfg(&ctx.operation_features(operation));
    let method = ctx.ident(&operation.method);
    let request = ctx.type_path(&operation.request, from);
    let response = ctx.type_path(&operation.response, from);
    let mut notes = vec![format!("`POST {}`", operation.path)];
    notes.push(match (operation.safety, operation.safety_source) {
        (Safety::Safe, _) => "A read: safe to repeat, so transient failures are retried.".to_string(),
        (Safety::Unsafe, _) => {
            "A write: not repeated after a failure that may have reached the server (only 429s are retried).".to_string()
        }
    });
    if operation.safety_source == SafetySource::Override {
        notes.push("(Classification set in the overrides file.)".to_string());
    }
    // The paging methods' names, claimed before the doc links to them (`_stream` is added on a clash).
    let mut claim = |suffix: &str| {
        let mut name = format!("{}_{suffix}", operation.method);
        while !taken.insert(name.clone()) {
            name.push_str("_stream");
        }
        name
    };
    let paging = operation.pagination.as_ref().map(|pagination| {
        let pages = claim("pages");
        let items = pagination
            .items
            .as_ref()
            .map(|(_, item)| (claim("items"), item));
        (pages, items)
    });
    match &paging {
        Some((pages, Some((items, _)))) => notes.push(format!(
            "Paginated: [`Self::{pages}`] and [`Self::{items}`] follow the cursor for you."
        )),
        Some((pages, None)) => notes.push(format!(
            "Paginated: [`Self::{pages}`] follows the cursor for you."
        )),
        None => {}
    }
    if operation.restricted {
        notes.push("**Restricted:** in beta test, subject to change.".to_string());
    }
    if let Some((page, anchor)) = operation.request.0.split_once('#') {
        let anchor = anchor.trim_end_matches("/request");
        notes.push(format!("[Reference]({})", docs_url(page, anchor)));
    }
    let doc = ctx.doc_with(&operation.doc, &notes);
    let deprecated = operation
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let mut out = quote! {
        #doc
        #deprecated
        #cfg
        pub async fn #method(&self, request: &#request) -> runtime::Result<#response> {
            self.client.send(request).await
        }
    };
    if let Some((pages, items)) = &paging {
        let pages = ctx.ident(pages);
        let pages_doc = format!(
            " Every page of [`Self::{}`], following the cursor until the last page.",
            operation.method
        );
        out.extend(quote! {
            #[doc = #pages_doc]
            #deprecated
            #cfg
            pub fn #pages(&self, request: #request) -> runtime::Pages<#request> {
                self.client.pages(request)
            }
        });
        if let Some((items, item)) = items {
            let items = ctx.ident(items);
            let item = ctx.expr(item, from);
            let items_doc = format!(
                " Every item of every page of [`Self::{}`].",
                operation.method
            );
            out.extend(quote! {
                #[doc = #items_doc]
                #deprecated
                #cfg
                pub fn #items(&self, request: #request) -> runtime::Items<#item> {
                    self.client.items(request)
                }
            });
        }
    }
    out
}
