//! Operations: the `Operation` (and paging) impls next to each request type, and `client.rs` with the
//! `Client` and one handle per resource holding an async method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::ir::*;

/// `impl Operation` (and the paging traits) for one operation's request and response.
pub fn operation_impls(ctx: &Ctx<'_>, operation: &Operation) -> TokenStream {
    let from = ctx.module_of(&operation.request);
    let cfg = ctx.item_cfg(&ctx.operation_features(operation), &operation.page);
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
    if let Some(pagination) = &operation.pagination
        && let Some(list) = &pagination.items
    {
        out.extend(paging_impls(
            ctx, operation, pagination, list, &request, &response, &cfg,
        ));
    }
    out
}

pub(super) fn field<'a>(ctx: &'a Ctx<'_>, id: &TypeId, rust_name: &str) -> Option<&'a Field> {
    match &ctx.api.types.get(id)?.kind {
        TypeKind::Struct(s) => s.fields.iter().find(|f| f.rust_name == rust_name),
        _ => None,
    }
}

fn paging_impls(
    ctx: &Ctx<'_>,
    operation: &Operation,
    pagination: &Pagination,
    list: &PagedList,
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
    let Some(list_field) = field(ctx, &operation.response, &list.field) else {
        return TokenStream::new();
    };
    let list_ident = ctx.ident(&list_field.rust_name);
    let item = ctx.expr(&list.item, ctx.module_of(&operation.response));
    // A list that may be absent or `null` is an empty page.
    let (item_count, take_items) = if list_field.is_optional() {
        (
            quote!(self.#list_ident.as_ref().map_or(0, Vec::len)),
            quote!(self.#list_ident.take().unwrap_or_default()),
        )
    } else {
        (
            quote!(self.#list_ident.len()),
            quote!(::std::mem::take(&mut self.#list_ident)),
        )
    };
    // Only a page holding nothing but the paged list (and its cursor) may be flattened into items.
    let single_list = list.side_fields.is_empty().then(|| {
        quote! {
            #cfg
            impl runtime::SingleListPage for #response {}
        }
    });
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
        #cfg
        impl runtime::PagedItems for #response {
            type Item = #item;
            fn take_items(&mut self) -> Vec<#item> {
                #take_items
            }
        }
        #single_list
    }
}

/// `client.rs`: the `Client` wrapper and the resource handles.
pub fn client_file(ctx: &Ctx<'_>) -> TokenStream {
    let summary = format!(
        " @generated by `{}` from `{}`: the client and its resource handles. Do not edit by hand.",
        ctx.config.command, ctx.config.spec_label
    );
    let runtime = ctx.runtime();
    let mut accessors = Vec::new();
    let mut handles = Vec::new();
    for resource in ctx.api.resources.values() {
        let operations: Vec<&Operation> = ctx
            .emitted_operations()
            .filter(|o| o.resource == resource.name)
            .collect();
        let cfg = ctx.cfg(&resource.features);
        let handle = ctx.ident(&resource.handle);
        let accessor = ctx.ident(&resource.accessor);
        let accessor_doc = format!(" Operations on `{}`.", resource.name);
        accessors.push(quote! {
            #[doc = #accessor_doc]
            #cfg
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: &self.inner }
            }
        });
        let methods = operations
            .iter()
            .map(|o| operation_methods(ctx, o, resource, &operations));
        let handle_doc = format!(
            " The operations on `{}`; get one with [`Client::{accessor}`].",
            resource.name
        );
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
        /// Build it once with [`Client::builder`] and clone it freely (clones share connections and limits); for
        /// many `AccessToken`s, build a [`ClientPool`] with [`Client::multi_property`].
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

            /// Starts a client for many `AccessToken`s (properties, portfolios) with the application's
            /// `ClientToken` and name: build it with [`runtime::ClientBuilder::build_pool`] into a
            /// [`ClientPool`], whose [`for_enterprise`](runtime::ClientPool::for_enterprise) gives a `Client` per
            /// `AccessToken`, all sharing one connection pool.
            pub fn multi_property(
                environment: runtime::Environment,
                client_token: impl Into<runtime::ClientToken>,
                client_name: impl Into<String>,
            ) -> runtime::ClientBuilder {
                runtime::ClientBuilder::multi_property(environment, client_token, client_name)
            }

            /// A client for another `AccessToken` sharing this one's connection pool, settings and hooks, with
            /// that token's own rate limiter.
            pub fn for_enterprise(&self, access_token: impl Into<runtime::AccessToken>) -> Client {
                Client {
                    inner: self.inner.for_enterprise(access_token),
                }
            }

            /// Replaces the `AccessToken` of this client and its clones; calls already started finish with the
            /// old one.
            pub fn rotate_access_token(&self, access_token: impl Into<runtime::AccessToken>) {
                self.inner.rotate_access_token(access_token);
            }

            /// The runtime client, to send requests with per-call options or to page by hand.
            pub fn runtime(&self) -> &runtime::Client {
                &self.inner
            }

            #(#accessors)*
        }

        /// Many `AccessToken`s through one connection pool: [`for_enterprise`](runtime::ClientPool::for_enterprise)
        /// gives a [`Client`] per token. Built with [`Client::multi_property`].
        pub type ClientPool = runtime::ClientPool<Client>;

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
    resource: &Resource,
    siblings: &[&Operation],
) -> TokenStream {
    let from = "client";
    // The handle's impl is gated by its resource's features: a method needs its own only when they differ.
    let features = ctx.operation_features(operation);
    let cfg = if resource.features.is_subset(&features) {
        TokenStream::new()
    } else {
        ctx.cfg(&features)
    };
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
    let streams = operation
        .pages_method
        .as_ref()
        .zip(operation.items_method.as_ref());
    let list = operation
        .pagination
        .as_ref()
        .and_then(|p| p.items.as_ref())
        .and_then(|list| field(ctx, &operation.response, &list.field));
    match (&operation.pagination, streams, list) {
        (Some(_), Some((pages, items)), Some(list)) => notes.push(format!(
            "Paginated: [`Self::{pages}`] and [`Self::{items}`] follow the cursor for you (the cursor pages `{}`).",
            list.wire_name
        )),
        (Some(_), _, _) => notes.push(
            "Paginated, but the docs do not say which list the pages are made of: no streams; set `Limitation.Cursor` from each response's `Cursor` by hand."
                .to_string(),
        ),
        (None, _, _) => {}
    }
    let versions: Vec<String> = siblings
        .iter()
        .filter(|o| o.action == operation.action && o.id != operation.id)
        .map(|o| format!("[`Self::{}`] (`{}`)", o.method, o.id))
        .collect();
    if !versions.is_empty() {
        notes.push(format!("Other versions: {}.", versions.join(", ")));
    }
    if operation.restricted {
        notes.push("**Restricted:** in beta test, subject to change.".to_string());
    }
    notes.push(format!("[Reference]({})", operation.reference));
    let doc = ctx.doc_with(&operation.doc, &notes);
    let deprecated = operation
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    // `#[inline]` on these one-line shims: the crate does not instantiate the runtime's generic send and
    // paging code (and with it every response type's decoder) for each operation it holds; a crate that calls
    // an operation instantiates that operation's, as it would for a generic function.
    let mut out = quote! {
        #doc
        #deprecated
        #cfg
        #[inline]
        pub async fn #method(&self, request: &#request) -> runtime::Result<#response> {
            self.client.send(request).await
        }
    };
    let paged = operation.pagination.as_ref().and_then(|p| p.items.as_ref());
    if let (Some((pages, items)), Some(list)) = (streams, paged) {
        let pages = ctx.ident(pages);
        let paged = field(ctx, &operation.response, &list.field)
            .map_or(list.field.as_str(), |f| f.wire_name.as_str());
        let pages_doc = format!(
            " Every page of [`Self::{}`] (whole responses), following the cursor over `{paged}` until the last page.",
            operation.method
        );
        let items = ctx.ident(items);
        let item = ctx.expr(&list.item, from);
        let items_stream = if list.side_fields.is_empty() {
            let items_doc = format!(
                " Every item of `{paged}` (the response's only list) of every page of [`Self::{}`].",
                operation.method
            );
            quote! {
                #[doc = #items_doc]
                #deprecated
                #cfg
                #[inline]
                pub fn #items(&self, request: #request) -> runtime::Items<#item> {
                    self.client.items(request)
                }
            }
        } else {
            let side: Vec<String> = list
                .side_fields
                .iter()
                .map(|f| format!("`{}`", f.wire_name))
                .collect();
            let items_doc = [
                format!(
                    " Every page of [`Self::{}`] as a batch: the cursor pages `{paged}`, whose items are the batch's \
                     `items`; the batch's `rest` is the rest of the page, holding {} beside them.",
                    operation.method,
                    match side.split_last() {
                        Some((last, [])) => last.clone(),
                        Some((last, head)) => format!("{} and {last}", head.join(", ")),
                        None => String::new(),
                    }
                ),
                String::new(),
                " The page's other properties are side data of its items (what the request's `Extent` asks for, \
                 say): they are kept with the batch rather than dropped, so a stream of bare items cannot lose them."
                    .to_string(),
            ];
            quote! {
                #(#[doc = #items_doc])*
                #deprecated
                #cfg
                #[inline]
                pub fn #items(&self, request: #request) -> runtime::Batches<#item, #response> {
                    self.client.batches(request)
                }
            }
        };
        out.extend(quote! {
            #[doc = #pages_doc]
            #deprecated
            #cfg
            #[inline]
            pub fn #pages(&self, request: #request) -> runtime::Pages<#request> {
                self.client.pages(request)
            }
            #items_stream
        });
    }
    out
}
