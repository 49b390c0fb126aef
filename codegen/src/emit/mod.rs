//! IR → token streams, one per output file. The only place `quote!` is used.
//!
//! Layout of the output (paths relative to the client crate):
//! `src/generated/mod.rs` (modules and re-exports), `src/generated/<page>.rs` (a page's types and
//! operation impls), `src/generated/ids.rs` (identifier newtypes), `src/generated/client.rs` (the
//! `Client` and one handle per resource), `src/generated/mock_routes.rs` and `tests/it/generated/mock.rs` (the
//! `testing` mock's table and a test calling every operation on it, for a whole crate), `tests/it/generated/examples.rs`
//! (every doc example checked against the types), and the crate files `Config::package` asks for (`Cargo.toml`,
//! see [`Package`]). The tests are modules of the crate's one test binary, `tests/it/main.rs`.

mod docs;
mod examples;
mod fetch;
mod mock;
mod operations;
mod package;
mod serde_impls;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::*;
pub use docs::escape_text;
pub use package::{ClientManifest, FEATURES_BEGIN, FEATURES_END, Package, TEST_MODULES};

/// The generated example checks, a module of the crate's one test binary (`tests/it/main.rs`).
pub const EXAMPLES_TEST: &str = "tests/it/generated/examples.rs";
/// The generated test calling every operation on the `testing` mock, a module of the same binary.
pub const MOCK_TEST: &str = "tests/it/generated/mock.rs";

/// What to generate and for whom.
#[derive(Clone, Debug)]
pub struct Config {
    /// How generated code reaches the runtime (`crate::runtime` inside `generated-client`).
    pub runtime_path: String,
    /// The command named in each generated file's header.
    pub command: String,
    /// The spec folder as the user wrote it, for headers.
    pub spec_label: String,
    /// The client crate's library name, as generated tests import it.
    pub crate_name: String,
    /// The crate the files are for, which decides the crate files that come with the code (none: the code
    /// alone).
    pub package: Option<Package>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            runtime_path: "crate::runtime".to_string(),
            command: "cargo xtask regen".to_string(),
            spec_label: "spec/".to_string(),
            crate_name: "mews_connector".to_string(),
            package: None,
        }
    }
}

/// One output file.
#[derive(Debug)]
pub enum OutputFile {
    Rust(TokenStream),
    Text(String),
}

/// Emits every output file of the API, one after the other (see [`Emission`] to emit them where they are
/// formatted).
pub fn emit(api: &Api, config: &Config) -> BTreeMap<String, OutputFile> {
    let emission = Emission::new(api, config);
    (0..emission.len())
        .map(|index| (emission.path(index).to_string(), emission.file(index)))
        .collect()
}

/// The output files of an API, planned in path order and each emitted when asked ([`Emission::file`]). Token
/// streams cannot cross threads, so the formatting threads emit the files they format.
pub struct Emission<'a> {
    ctx: Ctx<'a>,
    files: Vec<(String, Planned<'a>)>,
}

/// What an output file holds, before it is emitted.
enum Planned<'a> {
    /// A page's types and operation impls.
    Page(&'a PageInfo),
    Ids,
    Client,
    /// `mod.rs`: the modules of the pages that have items.
    Modules(Vec<&'a PageInfo>),
    Examples,
    /// The `testing` mock's table and the test calling every operation on it.
    MockRoutes,
    MockTest,
    Text(String),
    /// Text made when the file is emitted, on a formatting thread.
    Deferred(Box<dyn Fn() -> String + Sync + 'a>),
}

impl<'a> Emission<'a> {
    /// Plans every file of the API: one per page with items, the ids, the client, the modules, the example
    /// checks, the mock's table and test (for `generated-client` only) and the crate files of `config.package`.
    pub fn new(api: &'a Api, config: &'a Config) -> Self {
        let ctx = Ctx::new(api, config);
        let mut files = BTreeMap::new();
        let pages: Vec<&PageInfo> = api
            .pages
            .iter()
            .filter(|page| page_has_items(&ctx, page))
            .collect();
        for page in &pages {
            files.insert(
                format!("src/generated/{}.rs", page.module.replace("::", "/")),
                Planned::Page(page),
            );
        }
        files.insert("src/generated/ids.rs".to_string(), Planned::Ids);
        files.insert("src/generated/client.rs".to_string(), Planned::Client);
        files.insert("src/generated/mod.rs".to_string(), Planned::Modules(pages));
        files.insert(EXAMPLES_TEST.to_string(), Planned::Examples);
        if has_mock(config) {
            files.insert(
                format!("src/generated/{}.rs", mock::MODULE),
                Planned::MockRoutes,
            );
            files.insert(MOCK_TEST.to_string(), Planned::MockTest);
        }
        for (path, text) in package::package_files(api, config) {
            files.insert(path, Planned::Text(text));
        }
        Emission {
            ctx,
            files: files.into_iter().collect(),
        }
    }

    /// Adds (or replaces) a text file that `make` writes when the file is emitted, so that it is made on a
    /// formatting thread beside the others.
    pub fn insert_text_with(&mut self, path: &str, make: impl Fn() -> String + Sync + 'a) {
        self.insert(path, Planned::Deferred(Box::new(make)));
    }

    fn insert(&mut self, path: &str, planned: Planned<'a>) {
        match self.files.binary_search_by(|(p, _)| p.as_str().cmp(path)) {
            Ok(index) => self.files[index].1 = planned,
            Err(index) => self.files.insert(index, (path.to_string(), planned)),
        }
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The path of file `index`, relative to the crate; files are in path order.
    pub fn path(&self, index: usize) -> &str {
        self.files.get(index).map_or("", |(path, _)| path.as_str())
    }

    /// A rough size of file `index` (items it holds), so that the largest are started first.
    pub fn weight(&self, index: usize) -> usize {
        let api = self.ctx.api;
        match self.files.get(index).map(|(_, planned)| planned) {
            Some(Planned::Page(page)) => self.ctx.items_of(&page.path),
            Some(Planned::Ids) => api.ids.len(),
            Some(Planned::Client) => api.operations.len(),
            Some(Planned::Examples | Planned::MockRoutes | Planned::MockTest) => {
                2 * api.operations.len()
            }
            // The API surface and the diagnostics take about as long as a large page.
            Some(Planned::Deferred(_)) => api.operations.len(),
            Some(Planned::Modules(_) | Planned::Text(_)) | None => 0,
        }
    }

    /// Emits file `index` (an empty text file for an index out of range).
    pub fn file(&self, index: usize) -> OutputFile {
        let ctx = &self.ctx;
        let Some((_, planned)) = self.files.get(index) else {
            return OutputFile::Text(String::new());
        };
        match planned {
            Planned::Page(page) => OutputFile::Rust(page_file(ctx, page)),
            Planned::Ids => OutputFile::Rust(types::ids_file(ctx)),
            Planned::Client => OutputFile::Rust(operations::client_file(ctx)),
            Planned::Modules(pages) => OutputFile::Rust(modules_file(ctx, pages)),
            Planned::Examples => OutputFile::Rust(examples::examples_file(ctx)),
            Planned::MockRoutes => OutputFile::Rust(mock::routes_file(ctx)),
            Planned::MockTest => OutputFile::Rust(mock::test_file(ctx)),
            Planned::Text(text) => OutputFile::Text(text.clone()),
            Planned::Deferred(make) => OutputFile::Text(make()),
        }
    }
}

/// Whether the mock's table comes with the files: for a whole crate (`generated-client` or a standalone one),
/// not for the code alone.
fn has_mock(config: &Config) -> bool {
    config.package.is_some()
}

/// Whether a page's module has anything in it: a type that is emitted, or an operation.
fn page_has_items(ctx: &Ctx<'_>, page: &PageInfo) -> bool {
    ctx.types_of(&page.path)
        .any(|def| !matches!(def.kind, TypeKind::UpdateValue(_)))
        || ctx.emitted_operations().any(|o| o.page == page.path)
}

/// A page's file: its header, then its types and operation impls.
fn page_file(ctx: &Ctx<'_>, page: &PageInfo) -> TokenStream {
    let config = ctx.config;
    let items = page_items(ctx, page);
    let summary = format!(
        " @generated by `{}` from `{}{}`: {}. Do not edit by hand.",
        config.command, config.spec_label, page.path, page.title
    );
    let runtime = ctx.runtime();
    quote! {
        #![doc = #summary]
        #![allow(deprecated, clippy::large_enum_variant)]
        #[allow(unused_imports)]
        use #runtime;
        #items
    }
}

/// `mod.rs`: every page module (gated by its features) and its re-exports, and the mock's table module for
/// `generated-client` itself (whose `testing` feature serves it).
fn modules_file(ctx: &Ctx<'_>, pages: &[&PageInfo]) -> TokenStream {
    let config = ctx.config;
    // Pages at the top take part in the crate's flat namespace; nested ones (`events::…`) do not.
    let (top, nested): (Vec<&PageInfo>, Vec<&PageInfo>) =
        pages.iter().partition(|page| !page.module.contains("::"));
    let modules: Vec<Ident> = top.iter().map(|page| ctx.ident(&page.module)).collect();
    let modules_cfg: Vec<TokenStream> = top
        .iter()
        .map(|page| ctx.cfg(&ctx.gate(&page.path)))
        .collect();
    let mut parents: BTreeMap<&str, Vec<&PageInfo>> = BTreeMap::new();
    for page in nested {
        if let Some((parent, _)) = page.module.split_once("::") {
            parents.entry(parent).or_default().push(page);
        }
    }
    let nested_modules = parents.iter().map(|(parent, pages)| {
        let parent_ident = ctx.ident(parent);
        // Compiled when any child is; an ungated child (an empty gate) makes the parent ungated too.
        let gates: Vec<BTreeSet<String>> = pages.iter().map(|p| ctx.gate(&p.path)).collect();
        let union: BTreeSet<String> = gates.iter().flatten().cloned().collect();
        let parent_cfg = if gates.iter().any(BTreeSet::is_empty) {
            TokenStream::new()
        } else {
            ctx.cfg(&union)
        };
        let children = pages.iter().map(|page| {
            let child = page.module.rsplit("::").next().unwrap_or(&page.module);
            let child = ctx.ident(child);
            let gate = ctx.gate(&page.path);
            let cfg = if gate == union {
                TokenStream::new()
            } else {
                ctx.cfg(&gate)
            };
            let doc = format!(" {} (`{}`).", page.title, page.path);
            quote!(#[doc = #doc] #cfg pub mod #child;)
        });
        let doc = format!(" The `{parent}` pages' types, each page a module of its own.");
        quote! {
            #[doc = #doc]
            #parent_cfg
            pub mod #parent_ident {
                #(#children)*
            }
        }
    });
    let mock_module = if has_mock(config) {
        let module = ctx.ident(mock::MODULE);
        quote! {
            #[cfg(feature = "testing")]
            pub(crate) mod #module;
        }
    } else {
        TokenStream::new()
    };
    let summary = format!(
        " @generated by `{}` from `{}`: the API's types and operations. Do not edit by hand.",
        config.command, config.spec_label
    );
    quote! {
        #![doc = #summary]
        pub mod client;
        pub mod ids;
        #mock_module
        #(#modules_cfg pub mod #modules;)*
        #(#nested_modules)*
        pub use client::*;
        pub use ids::*;
        #(#modules_cfg pub use #modules::*;)*
    }
}

/// The features a page module is needed for: all of them if any of its items is always there.
fn page_features(ctx: &Ctx<'_>, page: &PageInfo) -> BTreeSet<String> {
    let mut features = BTreeSet::new();
    for def in ctx
        .types_of(&page.path)
        .filter(|d| !matches!(d.kind, TypeKind::UpdateValue(_)))
    {
        if def.features.is_empty() || def.features.is_superset(&ctx.all_features) {
            return BTreeSet::new();
        }
        features.extend(def.features.iter().cloned());
    }
    for operation in ctx.emitted_operations().filter(|o| o.page == page.path) {
        features.extend(ctx.operation_features(operation));
    }
    features
}

fn page_items(ctx: &Ctx<'_>, page: &PageInfo) -> TokenStream {
    let mut items = TokenStream::new();
    for def in ctx.types_of(&page.path) {
        items.extend(types::type_def(ctx, def));
    }
    for operation in ctx.emitted_operations().filter(|o| o.page == page.path) {
        items.extend(operations::operation_impls(ctx, operation));
    }
    items.extend(fetch::page_fetch_plan(ctx, page));
    items
}

/// What every emitter function needs: the IR, the configuration and lookups derived from them.
pub struct Ctx<'a> {
    pub api: &'a Api,
    pub config: &'a Config,
    module_of_page: BTreeMap<&'a str, &'a str>,
    /// Each page's types, in the IR's order.
    types_of_page: BTreeMap<&'a str, Vec<&'a TypeDef>>,
    /// Every feature a page defines.
    pub all_features: BTreeSet<String>,
    /// The features each page's module is compiled for (see [`page_features`]); empty when always.
    gates: BTreeMap<&'a str, BTreeSet<String>>,
}

impl<'a> Ctx<'a> {
    fn new(api: &'a Api, config: &'a Config) -> Self {
        let mut types_of_page: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
        for def in api.types.values() {
            types_of_page.entry(def.id.page()).or_default().push(def);
        }
        let mut ctx = Ctx {
            api,
            config,
            types_of_page,
            module_of_page: api
                .pages
                .iter()
                .map(|p| (p.path.as_str(), p.module.as_str()))
                .collect(),
            all_features: api.pages.iter().filter_map(|p| p.feature.clone()).collect(),
            gates: BTreeMap::new(),
        };
        ctx.gates = api
            .pages
            .iter()
            .map(|p| (p.path.as_str(), page_features(&ctx, p)))
            .collect();
        ctx
    }

    /// Path tokens of the runtime (`crate::runtime`). Kept as text in the context, which formatting threads
    /// share, since token streams cannot cross threads.
    pub fn runtime(&self) -> TokenStream {
        self.config
            .runtime_path
            .parse::<TokenStream>()
            .unwrap_or_else(|_| quote!(crate::runtime))
    }

    /// The types defined on page `page`, in the IR's order.
    pub fn types_of(&self, page: &str) -> impl Iterator<Item = &'a TypeDef> {
        self.types_of_page
            .get(page)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
    }

    /// How many types and operations page `page` holds.
    fn items_of(&self, page: &str) -> usize {
        self.types_of_page.get(page).map_or(0, Vec::len)
            + self.emitted_operations().filter(|o| o.page == page).count()
    }

    /// The features page `page`'s module is compiled for; empty when always.
    pub fn gate(&self, page: &str) -> BTreeSet<String> {
        self.gates.get(page).cloned().unwrap_or_default()
    }

    /// `#[cfg(...)]` for an item in page `page`'s module, left out when the module's own gate already
    /// implies it (every feature that compiles the module compiles the item).
    pub fn item_cfg(&self, features: &BTreeSet<String>, page: &str) -> TokenStream {
        match self.gates.get(page) {
            Some(gate) if !gate.is_empty() && gate.is_subset(features) => TokenStream::new(),
            _ => self.cfg(features),
        }
    }

    /// Operations that get methods: all but the discontinued ones.
    pub fn emitted_operations(&self) -> impl Iterator<Item = &'a Operation> {
        self.api
            .operations
            .iter()
            .filter(|o| o.discontinued.is_none())
    }

    pub fn ident(&self, name: &str) -> Ident {
        Ident::new(name, Span::call_site())
    }

    pub fn module_of(&self, id: &TypeId) -> &'a str {
        self.module_of_page.get(id.page()).copied().unwrap_or("")
    }

    /// The path of a named type as seen from module `from` (`Name` or `super::page::Name`; from a nested
    /// module such as `events::wh_general`, `super::super::page::Name`).
    pub fn type_path(&self, id: &TypeId, from: &str) -> TokenStream {
        let Some(def) = self.api.types.get(id) else {
            return quote!(runtime::RawJson);
        };
        let name = self.ident(&def.rust_name);
        let module = self.module_of(id);
        if module == from {
            quote!(#name)
        } else {
            let up = self.up(from);
            let module = self.module_path(module);
            quote!(#up #module::#name)
        }
    }

    /// `super::` once per level of module `from` below `generated` (`messages`: one; `events::wh_general`:
    /// two).
    pub fn up(&self, from: &str) -> TokenStream {
        let depth = if from.is_empty() {
            1
        } else {
            from.split("::").count()
        };
        let supers = (0..depth).map(|_| quote!(super::));
        quote!(#(#supers)*)
    }

    /// A module name (`messages`, `events::wh_general`) as a path.
    pub fn module_path(&self, module: &str) -> TokenStream {
        let parts = module.split("::").map(|part| self.ident(part));
        quote!(#(#parts)::*)
    }

    /// A named type as a test crate outside the client sees it (`mews_connector::Name`, and
    /// `mews_connector::events::wh_general::Name` for events), or any JSON when the IR has no such type.
    pub fn public_type_path(&self, id: &TypeId) -> TokenStream {
        let krate = self.ident(&self.config.crate_name);
        match self.api.types.get(id) {
            Some(def) => {
                let name = self.ident(&def.rust_name);
                let module = self.module_of(id);
                if module.contains("::") {
                    let module = self.module_path(module);
                    quote!(#krate::#module::#name)
                } else {
                    quote!(#krate::#name)
                }
            }
            None => quote!(#krate::runtime::RawJson),
        }
    }

    /// The Rust type of a type expression, as seen from module `from`.
    pub fn expr(&self, expr: &TypeExpr, from: &str) -> TokenStream {
        match expr {
            TypeExpr::String => quote!(String),
            TypeExpr::Bool => quote!(bool),
            TypeExpr::Integer => quote!(i64),
            TypeExpr::Number | TypeExpr::Decimal => quote!(runtime::Decimal),
            // Kept as the text received, so that numbers keep every digit.
            TypeExpr::Json | TypeExpr::Unresolved(_) => quote!(runtime::RawJson),
            TypeExpr::Timestamp => quote!(runtime::Timestamp),
            TypeExpr::Currency => quote!(runtime::Currency),
            TypeExpr::Secret(SecretKind::AccessToken) => quote!(runtime::AccessToken),
            TypeExpr::Secret(SecretKind::ClientToken) => quote!(runtime::ClientToken),
            TypeExpr::Id(name) => {
                let name = self.ident(name);
                if from == "ids" {
                    quote!(#name)
                } else {
                    let up = self.up(from);
                    quote!(#up ids::#name)
                }
            }
            TypeExpr::Array(inner) => {
                let inner = self.expr(inner, from);
                quote!(Vec<#inner>)
            }
            TypeExpr::Update(inner) => {
                let inner = self.expr(inner, from);
                quote!(runtime::UpdateValue<#inner>)
            }
            TypeExpr::Named(id) => match self.api.types.get(id).map(|d| &d.kind) {
                Some(TypeKind::UpdateValue(inner)) => {
                    let inner = self.expr(inner, from);
                    quote!(runtime::UpdateValue<#inner>)
                }
                Some(_) => self.type_path(id, from),
                None => quote!(runtime::RawJson),
            },
        }
    }

    /// The full Rust type of a field: box, lenient and optional wrappers applied.
    pub fn field_type(&self, field: &Field, from: &str) -> TokenStream {
        let mut ty = self.expr(&field.ty, from);
        if field.boxed {
            ty = quote!(Box<#ty>);
        }
        if field.lenient {
            ty = quote!(runtime::Lenient<#ty>);
        }
        if field.is_optional() {
            quote!(Option<#ty>)
        } else {
            ty
        }
    }

    /// `#[cfg(...)]` for items that exist only with some features.
    pub fn cfg(&self, features: &BTreeSet<String>) -> TokenStream {
        if features.is_empty() || features.is_superset(&self.all_features) {
            return TokenStream::new();
        }
        let features = features.iter();
        if self.all_features.len() == 1 || features.len() == 1 {
            let feature = features.clone().next();
            return quote!(#[cfg(feature = #feature)]);
        }
        quote!(#[cfg(any(#(feature = #features),*))])
    }

    /// The feature of an operation's page.
    pub fn operation_features(&self, operation: &Operation) -> BTreeSet<String> {
        self.api
            .page(&operation.page)
            .and_then(|p| p.feature.clone())
            .into_iter()
            .collect()
    }

    /// rustdoc attributes for a doc, with intra-doc links.
    pub fn doc(&self, doc: &Doc) -> TokenStream {
        docs::doc_attrs(&docs::render_lines(doc, self))
    }

    /// rustdoc attributes for a doc followed by notes (already Markdown), each a paragraph of its own.
    pub fn doc_with(&self, doc: &Doc, notes: &[String]) -> TokenStream {
        let mut lines = docs::render_lines(doc, self);
        for note in notes {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(note.clone());
        }
        docs::doc_attrs(&lines)
    }

    pub fn format_ident(&self, name: std::fmt::Arguments<'_>) -> Ident {
        format_ident!("{}", name.to_string())
    }
}

impl docs::LinkResolver for Ctx<'_> {
    fn type_link(&self, id: &TypeId) -> Option<String> {
        let def = self.api.types.get(id)?;
        match def.kind {
            TypeKind::UpdateValue(_) => Some("crate::runtime::UpdateValue".to_string()),
            _ => {
                let module = self.module_of(id);
                if module.contains("::") {
                    Some(format!("crate::{module}::{}", def.rust_name))
                } else {
                    Some(format!("crate::{}", def.rust_name))
                }
            }
        }
    }

    fn operation_link(&self, id: &str) -> Option<String> {
        let operation = self.emitted_operations().find(|o| o.id == id)?;
        let resource = self.api.resources.get(&operation.resource)?;
        Some(format!("crate::{}::{}", resource.handle, operation.method))
    }
}
