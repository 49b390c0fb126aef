//! Page model → IR plus diagnostics: finds operations and type definitions, resolves links, recovers shapes.
//!
//! Steps, in order: walk sections and index anchors; build types and operations with links resolved;
//! recognise shapes (update values, coproducts, parameter sets); recover identifier and timestamp formats;
//! read value bounds from descriptions; merge duplicate definitions; link code spans that name types; break
//! alias cycles; make deprecated required properties optional; check examples against the documented tables;
//! apply overrides; give deprecated operations their relaxed copies; work out usage and features;
//! decide how structs are built and which members are boxed; name everything (resources and their handles
//! too).

mod bounds;
mod checks;
mod construction;
mod contract;
mod credentials;
mod cycles;
mod deprecated;
mod examples;
mod fetch;
mod links;
mod money;
mod naming;
mod overrides;
mod paging;
mod recursion;
mod refine;
mod relaxed_copies;
mod rows;
mod shapes;
mod table;
mod titles;
mod usage;

use std::collections::{BTreeMap, BTreeSet};

pub use links::{DOCS_BASE_URL, docs_url};
pub use naming::link_counts;
pub use overrides::Overrides;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;
use crate::parse::{Block, Inline, InlineKind, Page, Section, is_struck, plain_text, unstrike};
use crate::source::Span;
use links::{AnchorIndex, Resolution, Target};
use rows::TableKind;
use table::{Primitive, RawField, RawType};

/// Request properties the client fills in itself on every call (tokens, client name, language and culture).
pub const INJECTED_REQUEST_PROPERTIES: [&str; 5] = [
    "ClientToken",
    "AccessToken",
    "Client",
    "LanguageCode",
    "CultureCode",
];

/// The cargo feature of every events page's types (`events::…`).
pub const EVENTS_FEATURE: &str = "events";

/// The prefix every Connector API endpoint path starts with.
pub const PATH_PREFIX: &str = "/api/connector/v1/";

/// Lowers parsed pages into the IR. Problems are reported; lowering always produces an IR.
pub fn lower(pages: &[Page], overrides: &Overrides, diagnostics: &mut Diagnostics) -> Api {
    let mut lowerer = Lowerer {
        diagnostics,
        index: AnchorIndex::default(),
        sections: Vec::new(),
        contents: BTreeMap::new(),
        operations: Vec::new(),
    };
    let mut infos = Vec::new();
    for page in pages {
        infos.push(lowerer.collect_page(page));
    }
    let mut api = Api {
        pages: infos,
        ..Api::default()
    };
    overrides.install_links(&mut lowerer.index, lowerer.diagnostics);
    lowerer.build_types(&mut api);
    lowerer.build_operations(&mut api);
    overrides.check_links_used(&lowerer.index, lowerer.diagnostics);
    shapes::recognise(&mut api, lowerer.diagnostics);
    refine::recover_formats(&mut api, lowerer.diagnostics);
    bounds::recover_bounds(&mut api, lowerer.diagnostics);
    shapes::merge_duplicates(&mut api);
    titles::link_code_spans(&mut api);
    cycles::break_transparent_cycles(&mut api, lowerer.diagnostics);
    deprecated::optional_when_deprecated(&mut api, lowerer.diagnostics);
    credentials::drop_nested(&mut api, lowerer.diagnostics);
    // Examples are checked against the tables as documented; overrides then correct the client.
    let scoped_evidence = examples::check_all(&mut api, lowerer.diagnostics);
    overrides::apply(&mut api, overrides, lowerer.diagnostics);
    relaxed_copies::scope(&mut api, scoped_evidence);
    usage::compute(&mut api);
    construction::decide(&mut api);
    checks::decide(&mut api, lowerer.diagnostics);
    recursion::mark_boxed(&mut api);
    naming::assign(&mut api, lowerer.diagnostics);
    money::accessors(&mut api);
    fetch::routes(&mut api);
    api
}

/// What a type section contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Content {
    Properties,
    Enum,
    /// A dictionary described in prose (and maybe an example), without a property table.
    Dictionary,
    /// A string with a documented format (`A hybrid identifier is a string…`).
    StringFormat,
    /// "Depending on the event `Type`, it is one of the following:" and a list of links: a union tagged by a
    /// property of each linked type.
    Union,
}

struct TypeSection<'p> {
    id: TypeId,
    page: &'p Page,
    section: &'p Section,
    content: Content,
}

struct OperationSection<'p> {
    page: &'p Page,
    section: &'p Section,
    kind: PageKind,
    request: Option<&'p Section>,
    response: Option<&'p Section>,
    endpoint: Option<(String, Span)>,
}

struct Lowerer<'p, 'd> {
    diagnostics: &'d mut Diagnostics,
    index: AnchorIndex,
    sections: Vec<TypeSection<'p>>,
    /// What each type section contains, for link resolution.
    contents: BTreeMap<TypeId, Content>,
    operations: Vec<OperationSection<'p>>,
}

impl<'p> Lowerer<'p, '_> {
    fn collect_page(&mut self, page: &'p Page) -> PageInfo {
        let kind = page_kind(page);
        self.index.add_page(&page.path);
        let title = page
            .sections
            .first()
            .map(|s| s.heading.text.clone())
            .unwrap_or_default();
        if kind != PageKind::Index {
            self.walk(page, kind, &page.sections);
        }
        let stem = page
            .path
            .rsplit('/')
            .next()
            .unwrap_or(&page.path)
            .trim_end_matches(".md");
        let has_operations = self
            .operations
            .iter()
            .any(|o| std::ptr::eq(o.page, page) && kind == PageKind::Operations);
        PageInfo {
            path: page.path.clone(),
            title,
            kind,
            module: String::new(),
            feature: if kind == PageKind::Events {
                Some(EVENTS_FEATURE.to_string())
            } else {
                has_operations.then(|| feature_name(stem))
            },
        }
    }

    fn walk(&mut self, page: &'p Page, kind: PageKind, sections: &'p [Section]) {
        for section in sections {
            let heading = &section.heading;
            if matches!(kind, PageKind::Operations | PageKind::Discontinued)
                && let Some(operation) = operation_section(page, kind, section)
            {
                let id = operation
                    .endpoint
                    .as_ref()
                    .map(|(path, _)| operation_id(path))
                    .unwrap_or_default();
                self.index.add(
                    &page.path,
                    &heading.anchor,
                    &heading.text,
                    Target::Operation(id),
                );
                for alias in &heading.extra_anchors {
                    self.index.add(&page.path, alias, alias, Target::Prose);
                }
                self.operations.push(operation);
                for child in &section.children {
                    self.index.add(
                        &page.path,
                        &child.heading.anchor,
                        &child.heading.text,
                        Target::Prose,
                    );
                    self.walk(page, kind, &child.children);
                }
                continue;
            }
            let target = match section_content(section, self.diagnostics) {
                Some(content) => {
                    let id = TypeId::new(&page.path, &heading.anchor);
                    self.contents.insert(id.clone(), content);
                    self.sections.push(TypeSection {
                        id: id.clone(),
                        page,
                        section,
                        content,
                    });
                    Target::Type(id)
                }
                None => Target::Prose,
            };
            self.index
                .add(&page.path, &heading.anchor, &heading.text, target.clone());
            for alias in &heading.extra_anchors {
                self.index.add(&page.path, alias, alias, target.clone());
            }
            self.walk(page, kind, &section.children);
        }
    }

    fn content_of(&self, id: &TypeId) -> Option<Content> {
        self.contents.get(id).copied()
    }

    fn build_types(&mut self, api: &mut Api) {
        for index in 0..self.sections.len() {
            let (id, page, section, content) = {
                let s = &self.sections[index];
                (s.id.clone(), s.page, s.section, s.content)
            };
            let kind = match content {
                Content::Properties => self.properties_kind(&id, page, section),
                Content::Enum => self.enum_kind(page, section),
                Content::Dictionary => self.dictionary_kind(page, section),
                Content::StringFormat => TypeKind::Alias(TypeExpr::String),
                Content::Union => self.union_kind(page, section),
            };
            let def = TypeDef {
                id: id.clone(),
                title: section.heading.text.clone(),
                rust_name: String::new(),
                doc: self.section_doc(page, &section.blocks, content != Content::Enum),
                deprecated: section_deprecation(section),
                restricted: has_callout(&section.blocks, "restricted"),
                kind,
                usage: Usage::default(),
                features: BTreeSet::new(),
                example: first_example(page, &section.blocks, self.diagnostics),
                fallback: None,
                relaxed_copy: None,
                span: section.heading.span,
            };
            api.types.insert(id, def);
        }
    }

    fn properties_kind(
        &mut self,
        owner: &TypeId,
        page: &'p Page,
        section: &'p Section,
    ) -> TypeKind {
        let Some((table, columns)) = section.blocks.iter().find_map(|b| match b {
            Block::Table(t) => match rows::table_kind(t, self.diagnostics) {
                TableKind::Properties(columns) => Some((t, columns)),
                TableKind::Other => None,
            },
            _ => None,
        }) else {
            return TypeKind::Struct(Struct::default());
        };
        let rows = rows::property_rows(table, &columns, self.diagnostics);
        if let [row] = rows.as_slice()
            && row.is_map_key
        {
            let value = self.resolve(&row.ty, &page.path, owner, &row.wire_name);
            return TypeKind::Map(value);
        }
        TypeKind::Struct(Struct {
            fields: rows
                .iter()
                .map(|row| self.field(row, page, owner))
                .collect(),
            ..Struct::default()
        })
    }

    fn field(&mut self, row: &RawField, page: &Page, owner: &TypeId) -> Field {
        let ty = self.resolve(&row.ty, &page.path, owner, &row.wire_name);
        Field {
            wire_name: row.wire_name.clone(),
            rust_name: String::new(),
            ty,
            required: row.required && !row.nullable_type,
            relaxed: false,
            lenient: false,
            deprecated_optional: false,
            constraints: row.constraints,
            checks: Vec::new(),
            doc: self.doc(&page.path, std::slice::from_ref(&row.description)),
            deprecated: row.deprecated.clone(),
            boxed: false,
            literal: match &row.ty {
                RawType::Literal(value) => Some(value.clone()),
                _ => None,
            },
            fallback: row.fallback,
            span: row.name_span,
        }
    }

    fn enum_kind(&mut self, page: &'p Page, section: &'p Section) -> TypeKind {
        let mut values = Vec::new();
        let mut extensible = false;
        for block in &section.blocks {
            let read = match block {
                Block::List(list) => table::enum_list(list, self.diagnostics),
                Block::Table(t) => table::enum_table(t, self.diagnostics).map(|raw| (raw, false)),
                _ => None,
            };
            if let Some((raw, ellipsis)) = read {
                extensible |= ellipsis;
                for value in raw {
                    if let Some(previous) =
                        values.iter().find(|v: &&EnumValue| v.wire == value.wire)
                    {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::DuplicateEnumValue,
                                value.wire_span,
                                format!(
                                    "enum value `{}` is listed twice: the first is kept",
                                    value.wire
                                ),
                            )
                            .with_related(previous.span, "first listed here"),
                        );
                        continue;
                    }
                    let payload = value.link.as_ref().and_then(|(dest, span)| {
                        self.resolve_quiet(dest, &page.path)
                            .map(TypeExpr::Named)
                            .or_else(|| {
                                self.report_link(dest, *span, &page.path);
                                None
                            })
                    });
                    let fetch = value
                        .fetch
                        .as_ref()
                        .and_then(|(dest, span)| self.operation_link(dest, *span, &page.path));
                    values.push(EnumValue {
                        wire: value.wire.clone(),
                        rust_name: String::new(),
                        doc: self.doc(&page.path, std::slice::from_ref(&value.description)),
                        payload,
                        fetch,
                        no_data: value.no_data,
                        deprecated: value.deprecated.clone(),
                        span: value.span,
                    });
                }
            }
        }
        extensible |= blocks_text(&section.blocks)
            .to_lowercase()
            .contains("not exhaustive");
        TypeKind::Enum(Enum { values, extensible })
    }

    /// A union whose variants' objects carry their tag (`Type`): the variants are the linked types; each one's
    /// tag value is the literal its table gives the tag property (filled in by `shapes::inline_tags`).
    fn union_kind(&mut self, page: &'p Page, section: &'p Section) -> TypeKind {
        let Some((tag, list)) = union_parts(section) else {
            return TypeKind::Alias(TypeExpr::Json);
        };
        let Some((tag, _)) = tag else {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::CoproductPayloadUnknown,
                    section.heading.span,
                    format!(
                        "`{}` lists \"one of the following\" types but names no tag property in backticks",
                        section.heading.text
                    ),
                )
                .with_note("the type is free-form JSON (`Json`)"),
            );
            return TypeKind::Alias(TypeExpr::Json);
        };
        let mut variants = Vec::new();
        for item in &list.items {
            let Some((dest, _, span)) = crate::parse::links(&item.inlines).first().copied() else {
                continue;
            };
            let Some(id) = self.resolve_quiet(dest, &page.path) else {
                self.report_link(dest, span, &page.path);
                continue;
            };
            variants.push(CoproductVariant {
                // The tag value comes from the linked table, once every type is built.
                wire: String::new(),
                rust_name: String::new(),
                payload_property: String::new(),
                payload: Some(TypeExpr::Named(id)),
                payload_optional: false,
                boxed: false,
                doc: self.doc(&page.path, std::slice::from_ref(&item.inlines)),
                deprecated: None,
                fetch: None,
            });
        }
        TypeKind::Coproduct(Coproduct {
            discriminator: None,
            tag,
            layout: CoproductLayout::Inline,
            variants,
        })
    }

    /// A dictionary described in prose: an alias of the dictionary it links to, or a map whose values have
    /// the type the prose states ("the values are numbers"), else the type the example's values share.
    fn dictionary_kind(&mut self, page: &'p Page, section: &'p Section) -> TypeKind {
        for block in &section.blocks {
            if let Block::Paragraph(p) = block {
                for (dest, _, _) in crate::parse::links(&p.inlines) {
                    if let Some(id) = self.resolve_quiet(dest, &page.path)
                        && self.content_of(&id).is_some()
                    {
                        return TypeKind::Alias(TypeExpr::Named(id));
                    }
                }
            }
        }
        // What the prose says the values are comes first: the example may be invalid JSON, or show one kind
        // of number only.
        if let Some(value) = table::prose_value_type(&blocks_text(&section.blocks)) {
            return TypeKind::Map(raw_primitive_expr(&value));
        }
        let example = section.blocks.iter().find_map(|b| match b {
            Block::Code(code) => serde_json::from_str::<serde_json::Value>(&code.text).ok(),
            _ => None,
        });
        let value = match example {
            Some(serde_json::Value::Object(map)) => common_json_type(map.values()),
            _ => TypeExpr::Json,
        };
        TypeKind::Map(value)
    }

    fn build_operations(&mut self, api: &mut Api) {
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        for index in 0..self.operations.len() {
            let operation = &self.operations[index];
            let (page, section, kind) = (operation.page, operation.section, operation.kind);
            let heading = &section.heading;
            let Some((path, path_span)) = operation.endpoint.clone() else {
                self.diagnostics.push(Diagnostic::new(
                    Code::MissingEndpoint,
                    heading.span,
                    format!("operation `{}` has no endpoint line (`[PlatformAddress]/api/connector/v1/…`): it is skipped", heading.text),
                ));
                continue;
            };
            if !path.starts_with(PATH_PREFIX) || path.len() <= PATH_PREFIX.len() {
                self.diagnostics.push(Diagnostic::new(
                    Code::InvalidEndpoint,
                    path_span,
                    format!("endpoint `{path}` does not start with `{PATH_PREFIX}`: the operation is skipped"),
                ));
                continue;
            }
            let id = operation_id(&path);
            let mut segments = id.split('/');
            let resource = segments.next().unwrap_or_default().to_string();
            let action = segments.next().unwrap_or_default().to_string();
            let version = segments.next().map(str::to_string);
            if resource.is_empty() || action.is_empty() || segments.next().is_some() {
                self.diagnostics.push(Diagnostic::new(
                    Code::InvalidEndpoint,
                    path_span,
                    format!(
                        "endpoint `{path}` is not `{PATH_PREFIX}<resource>/<action>[/<version>]`: the operation is skipped"
                    ),
                ));
                continue;
            }
            if let Some(first) = seen.get(&id) {
                let first_line = *first;
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateOperation,
                        path_span,
                        format!("endpoint `{path}` is documented twice: the first is kept, this one skipped"),
                    )
                    .with_related(first_line, "first documented here"),
                );
                continue;
            }
            seen.insert(id.clone(), path_span);
            let request_section = operation.request;
            let response_section = operation.response;
            let request_id = TypeId::new(&page.path, &format!("{}/request", heading.anchor));
            let response_id = TypeId::new(&page.path, &format!("{}/response", heading.anchor));
            let title = plain_text(&unstrike(&heading.inlines))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let request_example =
                request_section.and_then(|s| first_example(page, &s.blocks, self.diagnostics));
            let response_example =
                response_section.and_then(|s| first_example(page, &s.blocks, self.diagnostics));
            let request_kind = self.body_kind(
                page,
                request_section,
                &request_id,
                true,
                &title,
                heading.span,
            );
            let response_kind = self.body_kind(
                page,
                response_section,
                &response_id,
                false,
                &title,
                heading.span,
            );
            for (body_id, (kind, fallback), body_section, label) in [
                (&request_id, request_kind, request_section, "request"),
                (&response_id, response_kind, response_section, "response"),
            ] {
                api.types.insert(
                    body_id.clone(),
                    TypeDef {
                        id: body_id.clone(),
                        title: format!("{title} {label}"),
                        rust_name: String::new(),
                        doc: body_doc(label, &title, &path, &id),
                        deprecated: None,
                        restricted: false,
                        kind,
                        usage: Usage::default(),
                        features: BTreeSet::new(),
                        example: None,
                        fallback,
                        relaxed_copy: None,
                        span: body_section.map_or(heading.span, |s| s.heading.span),
                    },
                );
            }
            let deprecated = section_deprecation(section);
            let discontinued = (kind == PageKind::Discontinued).then(|| {
                let note = callout_text(&section.blocks);
                if note.is_empty() {
                    "This operation has been discontinued.".to_string()
                } else {
                    note
                }
            });
            let restricted = has_callout(&section.blocks, "restricted");
            let safety = safety_of(&action);
            api.operations.push(Operation {
                id,
                title,
                path,
                resource,
                action,
                version,
                page: page.path.clone(),
                reference: docs_url(&page.path, &heading.anchor),
                method: String::new(),
                pages_method: None,
                items_method: None,
                doc: self.section_doc(page, &section.blocks, true),
                deprecated,
                restricted,
                discontinued,
                safety,
                safety_source: SafetySource::ActionName,
                request: request_id,
                response: response_id,
                pagination: None,
                request_example,
                response_example,
                span: heading.span,
            });
        }
        api.operations.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// The body type of a request or response section: its untitled table, an empty object, or a set of
    /// mutually exclusive parameter sets; without any of these (reported), `Json` for a response and a
    /// free-form object for a request, with the code of that fallback.
    fn body_kind(
        &mut self,
        page: &'p Page,
        section: Option<&'p Section>,
        id: &TypeId,
        is_request: bool,
        title: &str,
        heading_span: Span,
    ) -> (TypeKind, Option<Code>) {
        let label = if is_request { "request" } else { "response" };
        let fallback = |code: Code| (free_form_body(is_request), Some(code));
        let Some(section) = section else {
            self.diagnostics.push(Diagnostic::new(
                Code::MissingBody,
                heading_span,
                format!(
                    "operation `{title}` has no `### {}` section: {}",
                    capitalize(label),
                    free_form_words(is_request)
                ),
            ));
            return fallback(Code::MissingBody);
        };
        let table = section.blocks.iter().find_map(|b| match b {
            Block::Table(t) => match rows::table_kind(t, self.diagnostics) {
                TableKind::Properties(columns) => Some((t, columns)),
                TableKind::Other => None,
            },
            _ => None,
        });
        if let Some((table, columns)) = table {
            let rows = rows::property_rows(table, &columns, self.diagnostics);
            let fields = rows
                .iter()
                .filter(|row| {
                    !(is_request && INJECTED_REQUEST_PROPERTIES.contains(&row.wire_name.as_str()))
                })
                .map(|row| self.field(row, page, id))
                .collect();
            return (
                TypeKind::Struct(Struct {
                    fields,
                    ..Struct::default()
                }),
                None,
            );
        }
        let prose = blocks_text(&section.blocks).to_lowercase();
        if is_request
            && (prose.contains("mutually exclusive") || prose.contains("one of the following"))
        {
            let variants: Vec<OneOfVariant> = section
                .children
                .iter()
                .filter(|child| {
                    self.content_of(&TypeId::new(&page.path, &child.heading.anchor))
                        == Some(Content::Properties)
                })
                .map(|child| OneOfVariant {
                    rust_name: String::new(),
                    ty: TypeId::new(&page.path, &child.heading.anchor),
                    boxed: false,
                })
                .collect();
            if variants.len() >= 2 {
                return (TypeKind::OneOf(variants), None);
            }
        }
        let example_is_empty = section.blocks.iter().any(|b| {
            matches!(b, Block::Code(code) if serde_json::from_str::<serde_json::Value>(&code.text)
                .is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty())))
        });
        if example_is_empty {
            return (TypeKind::Struct(Struct::default()), None);
        }
        self.diagnostics.push(Diagnostic::new(
            Code::MissingBodyTable,
            section.heading.span,
            format!(
                "the {label} of `{title}` has no property table (and its example is not `{{}}`): {}",
                free_form_words(is_request)
            ),
        ));
        fallback(Code::MissingBodyTable)
    }

    /// Resolves a Type-column expression for property `field` of type `owner`.
    fn resolve(&mut self, raw: &RawType, page: &str, owner: &TypeId, field: &str) -> TypeExpr {
        match raw {
            RawType::Primitive(p) => primitive_expr(*p),
            RawType::Literal(_) => TypeExpr::String,
            RawType::Array(inner) => {
                TypeExpr::Array(Box::new(self.resolve(inner, page, owner, field)))
            }
            RawType::Link {
                dest,
                span,
                primitive,
                ..
            } => {
                let resolution = self.index.resolve(page, dest);
                if let Resolution::Found(targets) = &resolution {
                    let candidates: Vec<TypeId> = targets
                        .iter()
                        .filter_map(|t| match t {
                            Target::Type(id) => Some(id.clone()),
                            _ => None,
                        })
                        .collect();
                    if let Some(id) = self.pick(candidates, owner, field) {
                        // A primitive with a link (`string [Hybrid identifier]`) keeps the link only if it names a string format.
                        // `string [Event discriminator]` names a string enum: the enum.
                        let keeps_link = match self.content_of(&id) {
                            Some(Content::StringFormat) => true,
                            Some(Content::Enum) => *primitive == Some(Primitive::String),
                            _ => false,
                        };
                        return match primitive {
                            Some(p) if !keeps_link => primitive_expr(*p),
                            _ => TypeExpr::Named(id),
                        };
                    }
                }
                if let Some(p) = primitive {
                    // `string [X](page#missing)`: the primitive stands, but a link to nowhere is still a
                    // defect of the docs worth a warning (a link to prose or a web page is not).
                    if let Resolution::MissingPage { page, .. }
                    | Resolution::MissingAnchor { page, .. } = &resolution
                    {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::UnresolvedLink,
                                *span,
                                format!("link `{dest}` points to nothing in `{page}`"),
                            )
                            .with_note(format!(
                                "the property is typed by its primitive (`{}`) alone",
                                p.name()
                            )),
                        );
                    }
                    return primitive_expr(*p);
                }
                self.report_type_link(dest, *span, &resolution);
                TypeExpr::Unresolved(dest.clone())
            }
        }
    }

    /// Chooses among definitions sharing an anchor: never the owner itself when there is another,
    /// an enum for a `Discriminator`, otherwise an object before an enum.
    fn pick(&self, mut candidates: Vec<TypeId>, owner: &TypeId, field: &str) -> Option<TypeId> {
        if candidates.len() > 1 {
            candidates.retain(|c| c != owner);
        }
        let wants_enum = field.eq_ignore_ascii_case("discriminator");
        let preferred = candidates
            .iter()
            .find(|c| (self.content_of(c) == Some(Content::Enum)) == wants_enum);
        preferred.or(candidates.first()).cloned()
    }

    fn resolve_quiet(&self, dest: &str, page: &str) -> Option<TypeId> {
        match self.index.resolve(page, dest) {
            Resolution::Found(targets) => targets.into_iter().find_map(|t| match t {
                Target::Type(id) => Some(id),
                _ => None,
            }),
            _ => None,
        }
    }

    /// The operation a link points to (a `Fetch operation` cell), or `None` with a warning.
    fn operation_link(&mut self, dest: &str, span: Span, page: &str) -> Option<String> {
        let resolution = self.index.resolve(page, dest);
        if let Resolution::Found(targets) = &resolution
            && let Some(id) = targets.iter().find_map(|t| match t {
                Target::Operation(id) => Some(id.clone()),
                _ => None,
            })
        {
            return Some(id);
        }
        let (code, message) = link_problem(dest, &resolution, "an operation");
        self.diagnostics.push(
            Diagnostic::new(code, span, message)
                .with_note("the value names no fetch operation: its events are left unfetched"),
        );
        None
    }

    fn report_link(&mut self, dest: &str, span: Span, page: &str) {
        let resolution = self.index.resolve(page, dest);
        self.report_type_link(dest, span, &resolution);
    }

    fn report_type_link(&mut self, dest: &str, span: Span, resolution: &Resolution) {
        let (code, message) = link_problem(
            dest,
            resolution,
            "a type definition (a section with a property table, an enum list, or a dictionary or string format described in prose)",
        );
        self.diagnostics.push(
            Diagnostic::new(code, span, message)
                .with_note("the property is typed as free-form JSON (`Json`)"),
        );
    }

    /// The prose of a section; `with_lists` keeps bullet lists (not for enums, whose list is their values).
    fn section_doc(&mut self, page: &Page, blocks: &[Block], with_lists: bool) -> Doc {
        let mut paragraphs = Vec::new();
        for block in blocks {
            match block {
                Block::Paragraph(_) if endpoint_line(block).is_some() => {}
                Block::Paragraph(p) => paragraphs.push(p.inlines.clone()),
                Block::List(list) if with_lists => {
                    for item in &list.items {
                        let mut inlines = vec![Inline {
                            kind: InlineKind::Text("- ".into()),
                            span: item.span,
                        }];
                        inlines.extend(item.inlines.iter().cloned());
                        paragraphs.push(inlines);
                    }
                }
                _ => {}
            }
        }
        self.doc(&page.path, &paragraphs)
    }

    fn doc(&mut self, page: &str, paragraphs: &[Vec<Inline>]) -> Doc {
        let index = &self.index;
        let mut link = |dest: &str| -> Option<LinkTarget> {
            let dest = index.redirected(page, dest);
            match index.resolve_direct(page, dest) {
                Resolution::Found(targets) => targets
                    .into_iter()
                    .find_map(|t| match t {
                        Target::Type(id) => Some(LinkTarget::Type(id)),
                        Target::Operation(op) if !op.is_empty() => Some(LinkTarget::Operation(op)),
                        _ => None,
                    })
                    .or_else(|| {
                        let (file, anchor) = dest.split_once('#').unwrap_or((dest, ""));
                        let target = if file.is_empty() {
                            Some(page.to_string())
                        } else {
                            links::join(page, file)
                        };
                        target.map(|p| LinkTarget::Url(docs_url(&p, anchor)))
                    }),
                Resolution::Page(p) => Some(LinkTarget::Url(docs_url(&p, ""))),
                Resolution::MissingPage { page, anchor }
                | Resolution::MissingAnchor { page, anchor } => {
                    Some(LinkTarget::Url(docs_url(&page, &anchor)))
                }
                Resolution::External(url) => Some(LinkTarget::Url(url)),
            }
        };
        Doc {
            paragraphs: paragraphs
                .iter()
                .map(|p| links::doc_inlines(p, &mut link))
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }
}

/// What a body is when the docs do not say: any JSON value for a response, so that decoding cannot fail;
/// a free-form object for a request, which the client sends with the credentials added.
fn free_form_body(is_request: bool) -> TypeKind {
    if is_request {
        TypeKind::Struct(Struct {
            free_form: true,
            ..Struct::default()
        })
    } else {
        TypeKind::Alias(TypeExpr::Json)
    }
}

fn free_form_words(is_request: bool) -> &'static str {
    if is_request {
        "the request is a free-form JSON object"
    } else {
        "the response is `Json`"
    }
}

/// `The request of [Get all messages](…) (`POST /api/connector/v1/messages/getAll`).`
fn body_doc(label: &str, title: &str, path: &str, operation: &str) -> Doc {
    Doc {
        paragraphs: vec![vec![
            DocInline::Text(format!("The {label} of ")),
            DocInline::Link {
                target: LinkTarget::Operation(operation.to_string()),
                children: vec![DocInline::Text(title.to_string())],
            },
            DocInline::Text(" (".into()),
            DocInline::Code(format!("POST {path}")),
            DocInline::Text(").".into()),
        ]],
    }
}

fn page_kind(page: &Page) -> PageKind {
    let file = page.path.rsplit('/').next().unwrap_or("");
    let in_operations = page.path.starts_with("operations/");
    let title = page
        .sections
        .first()
        .map(|s| s.heading.text.to_lowercase())
        .unwrap_or_default();
    if file.eq_ignore_ascii_case("README.md") {
        PageKind::Index
    } else if in_operations && title.contains("discontinued") {
        PageKind::Discontinued
    } else if in_operations {
        PageKind::Operations
    } else if page.path.starts_with("events/") {
        PageKind::Events
    } else {
        PageKind::Guidelines
    }
}

/// Cargo feature names: the page's file stem in lower case, other characters as `-`.
fn feature_name(stem: &str) -> String {
    let name: String = stem
        .trim_start_matches(['_', '-'])
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    // The crate's own features.
    match name.as_str() {
        "" => "page".to_string(),
        "default" | "full" | "full-serde" | "testing" | "events" | "websocket" | "rust_decimal"
        | "rust-decimal" => format!("{name}-page"),
        _ => name,
    }
}

/// Recognises `## Operation` sections: a `Request` child, which should hold an endpoint line (an operation
/// without one is reported and skipped when operations are built).
fn operation_section<'p>(
    page: &'p Page,
    kind: PageKind,
    section: &'p Section,
) -> Option<OperationSection<'p>> {
    let child = |name: &str| {
        section
            .children
            .iter()
            .find(|c| c.heading.text.eq_ignore_ascii_case(name))
    };
    let request = child("Request")?;
    Some(OperationSection {
        page,
        section,
        kind,
        request: Some(request),
        response: child("Response"),
        endpoint: request.blocks.iter().find_map(endpoint_line),
    })
}

/// The path of an endpoint paragraph: `` `[PlatformAddress]/api/connector/v1/…` ``.
fn endpoint_line(block: &Block) -> Option<(String, Span)> {
    let Block::Paragraph(p) = block else {
        return None;
    };
    let visible: Vec<&Inline> = p
        .inlines
        .iter()
        .filter(|i| !matches!(&i.kind, InlineKind::Text(t) if t.trim().is_empty()))
        .collect();
    match visible.as_slice() {
        [
            Inline {
                kind: InlineKind::Code(code),
                span,
            },
        ] => code
            .trim()
            .strip_prefix("[PlatformAddress]")
            .map(|path| (path.trim().to_string(), *span)),
        _ => None,
    }
}

/// `messages/getAll` from `/api/connector/v1/messages/getAll`.
fn operation_id(path: &str) -> String {
    path.strip_prefix(PATH_PREFIX)
        .unwrap_or(path)
        .trim_matches('/')
        .to_string()
}

/// Reads are safe to repeat; everything else is treated as a write.
fn safety_of(action: &str) -> Safety {
    let action = action.to_ascii_lowercase();
    if ["get", "search", "price"]
        .iter()
        .any(|read| action.starts_with(read))
    {
        Safety::Safe
    } else {
        Safety::Unsafe
    }
}

fn section_content(section: &Section, diagnostics: &mut Diagnostics) -> Option<Content> {
    // `### Request` / `### Response` outside an operation (the guidelines' generic shapes) define nothing.
    if ["request", "response"].contains(&section.heading.text.to_lowercase().as_str()) {
        return None;
    }
    let mut scratch = Diagnostics::default();
    for block in &section.blocks {
        if let Block::Table(table) = block
            && matches!(
                rows::table_kind(table, diagnostics),
                TableKind::Properties(_)
            )
        {
            return Some(Content::Properties);
        }
    }
    for block in &section.blocks {
        match block {
            Block::List(list) if table::enum_list(list, &mut scratch).is_some() => {
                return Some(Content::Enum);
            }
            Block::Table(t) if table::enum_table(t, &mut scratch).is_some() => {
                return Some(Content::Enum);
            }
            _ => {}
        }
    }
    if union_parts(section).is_some() {
        return Some(Content::Union);
    }
    let text = blocks_text(&section.blocks).to_lowercase();
    if text.contains("key-value") || text.contains("dictionary") {
        return Some(Content::Dictionary);
    }
    let first = section.blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) => Some(plain_text(&p.inlines).to_lowercase()),
        _ => None,
    });
    if first.is_some_and(|t| t.contains(" is a string")) {
        return Some(Content::StringFormat);
    }
    None
}

/// What is wrong with a link that should point to `wanted`: it points nowhere (a page or anchor not among the
/// input), or somewhere else.
fn link_problem(dest: &str, resolution: &Resolution, wanted: &str) -> (Code, String) {
    match resolution {
        Resolution::MissingPage { page, .. } => (
            Code::UnresolvedLink,
            format!("link `{dest}` points to `{page}`, which is not among the input pages"),
        ),
        Resolution::MissingAnchor { page, anchor } => (
            Code::UnresolvedLink,
            format!("link `{dest}`: `{page}` has no heading with anchor `#{anchor}`"),
        ),
        Resolution::Found(_) | Resolution::Page(_) | Resolution::External(_) => (
            Code::LinkNotAType,
            format!("link `{dest}` does not point to {wanted}"),
        ),
    }
}

/// A union section's tag (the first value in backticks of the paragraph saying "one of the following") and its
/// list of links, each item one link: `None` when the section is not one.
fn union_parts(section: &Section) -> Option<(Option<(String, Span)>, &crate::parse::List)> {
    let paragraph = section.blocks.iter().find_map(|b| match b {
        Block::Paragraph(p)
            if plain_text(&p.inlines)
                .to_lowercase()
                .contains("one of the following") =>
        {
            Some(p)
        }
        _ => None,
    })?;
    let list = section.blocks.iter().find_map(|b| match b {
        Block::List(list)
            if !list.items.is_empty()
                && list
                    .items
                    .iter()
                    .all(|item| crate::parse::links(&item.inlines).len() == 1) =>
        {
            Some(list)
        }
        _ => None,
    })?;
    let tag = paragraph.inlines.iter().find_map(|i| match &i.kind {
        InlineKind::Code(code) => Some((code.clone(), i.span)),
        _ => None,
    });
    Some((tag, list))
}

/// Plain text of a section's paragraphs, hints and quotes.
fn blocks_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Paragraph(p) => {
                out.push_str(&plain_text(&p.inlines));
                out.push('\n');
            }
            Block::Quote(q) | Block::Hint(q) => out.push_str(&blocks_text(&q.blocks)),
            Block::Heading(h) => {
                out.push_str(&h.text);
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// Whether a quote or hint starts with a heading or bold text like `Restricted!`.
fn has_callout(blocks: &[Block], word: &str) -> bool {
    blocks.iter().any(|b| match b {
        Block::Quote(q) | Block::Hint(q) => blocks_text(&q.blocks)
            .to_lowercase()
            .trim_start()
            .starts_with(word),
        _ => false,
    })
}

/// The text of callouts after their heading (`This operation is deprecated. Use … instead.`).
fn callout_text(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    for block in blocks {
        if let Block::Quote(q) | Block::Hint(q) = block {
            for inner in &q.blocks {
                if let Block::Paragraph(p) = inner {
                    parts.push(
                        plain_text(&p.inlines)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
        }
    }
    parts.join(" ")
}

/// The deprecation note of a type or operation section, as a clean sentence (`table::clean_note`).
fn section_deprecation(section: &Section) -> Option<String> {
    if has_callout(&section.blocks, "deprecated") {
        return Some(table::clean_note(&callout_text(&section.blocks)));
    }
    let text = blocks_text(&section.blocks).to_lowercase();
    if section.heading.struck
        || is_struck(&section.heading.inlines)
        || text.contains("is **deprecated**")
    {
        return Some("Deprecated.".to_string());
    }
    let first = section.blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) => Some(plain_text(&p.inlines)),
        _ => None,
    });
    first
        .filter(|t| t.to_lowercase().contains("is deprecated"))
        .map(|t| table::clean_note(&t))
}

/// The first code block of a section, parsed as a JSON example. Invalid JSON is reported.
fn first_example(page: &Page, blocks: &[Block], diagnostics: &mut Diagnostics) -> Option<Example> {
    let code = blocks.iter().find_map(|b| match b {
        Block::Code(code)
            if matches!(
                code.lang.as_str(),
                "" | "javascript" | "json" | "js" | "jsonc"
            ) =>
        {
            Some(code)
        }
        _ => None,
    })?;
    let valid = examples::validate_json(code, diagnostics);
    let location = format!("{}:{}", page.path, code.line);
    Some(Example {
        text: code.text.clone(),
        span: code.text_span,
        pieces: code.segments.clone(),
        location,
        valid,
        findings: Vec::new(),
    })
}

/// A type of primitives and arrays only (what prose states), as an expression.
fn raw_primitive_expr(raw: &RawType) -> TypeExpr {
    match raw {
        RawType::Primitive(p) => primitive_expr(*p),
        RawType::Array(inner) => TypeExpr::Array(Box::new(raw_primitive_expr(inner))),
        RawType::Literal(_) => TypeExpr::String,
        RawType::Link { .. } => TypeExpr::Json,
    }
}

fn primitive_expr(p: Primitive) -> TypeExpr {
    match p {
        Primitive::String => TypeExpr::String,
        Primitive::Bool => TypeExpr::Bool,
        Primitive::Integer => TypeExpr::Integer,
        Primitive::Number => TypeExpr::Number,
        Primitive::Decimal => TypeExpr::Decimal,
        Primitive::Json => TypeExpr::Json,
    }
}

/// The type all values share, for dictionaries documented only by example.
fn common_json_type<'a>(values: impl Iterator<Item = &'a serde_json::Value>) -> TypeExpr {
    use serde_json::Value;
    let kinds: BTreeSet<TypeExpr> = values
        .map(|v| match v {
            Value::String(_) => TypeExpr::String,
            Value::Bool(_) => TypeExpr::Bool,
            Value::Number(_) => TypeExpr::Number,
            Value::Array(items) => TypeExpr::Array(Box::new(common_json_type(items.iter()))),
            _ => TypeExpr::Json,
        })
        .collect();
    match kinds.len() {
        1 => kinds.into_iter().next().unwrap_or(TypeExpr::Json),
        _ => TypeExpr::Json,
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    #[test]
    fn feature_names_never_take_the_crates_own() {
        assert_eq!(feature_name("messagethreads"), "messagethreads");
        assert_eq!(feature_name("_export-types"), "export-types");
        assert_eq!(feature_name("Full"), "full-page");
        assert_eq!(feature_name("default"), "default-page");
        assert_eq!(feature_name("full-serde"), "full-serde-page");
        assert_eq!(feature_name("testing"), "testing-page");
        assert_eq!(feature_name("__"), "page");
    }
}
