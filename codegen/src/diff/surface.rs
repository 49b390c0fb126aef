//! The API surface: a compact, deterministic digest of an [`Api`] (what the generated crate exposes, its
//! contracts and docs), with the page and line of each item, that serializes to and from JSON.
//!
//! `cargo xtask regen` stores it as `src/generated/api.json` so that the next regeneration can say what
//! changed. It holds no byte offsets: only `page:line` locations, which change when lines move but are never
//! compared.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ir::{
    Api, Construction, CoproductLayout, Doc, DocInline, Example, Field, LinkTarget, Operation,
    PagedList, TypeDef, TypeExpr, TypeId, TypeKind,
};
use crate::source::{SourceSet, Span};

/// The version of the JSON layout. Surfaces of another version are not compared, but for
/// [`FORMAT_WITHOUT_HANDLES`], which is read and compared without what it lacks.
pub const FORMAT: u32 = 2;

/// The layout before resources, boxed members and reference URLs were recorded.
pub const FORMAT_WITHOUT_HANDLES: u32 = 1;

/// What one set of pages defines, as the generated crate sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// A note for readers of the JSON file (who wrote it); never compared.
    #[serde(
        rename = "@generated",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub generated: String,
    /// [`FORMAT`] at the time of writing.
    pub format: u32,
    /// Cargo features (one per operations page), with the page that defines each.
    #[serde(default)]
    pub features: BTreeMap<String, Loc>,
    /// Identifier newtypes, with the first place each was recovered from.
    #[serde(default)]
    pub ids: BTreeMap<String, Loc>,
    /// Resources by wire name (`messageThreads`): the client's handles and accessors.
    #[serde(default)]
    pub resources: BTreeMap<String, ResourceSurface>,
    /// Operations by id (`messages/getAll`).
    #[serde(default)]
    pub operations: BTreeMap<String, OperationSurface>,
    /// Types by id (`operations/messages.md#message`).
    #[serde(default)]
    pub types: BTreeMap<String, TypeSurface>,
}

/// A place in the docs: a page and a 1-based line, written `operations/messages.md:74`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub page: String,
    pub line: u32,
}

impl Loc {
    pub fn new(page: impl Into<String>, line: u32) -> Self {
        Loc {
            page: page.into(),
            line,
        }
    }

    /// The location of the start of `span`; an unknown file gives an empty page.
    pub fn of(span: Span, sources: &SourceSet) -> Self {
        match sources.get(span.file) {
            Some(file) => {
                let line = file.lines.line_col(&file.text, span.start as usize).line;
                Loc::new(file.path.clone(), u32::try_from(line).unwrap_or(u32::MAX))
            }
            None => Loc::default(),
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.page, self.line)
    }
}

impl Serialize for Loc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Loc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(match text.rsplit_once(':') {
            Some((page, line)) => match line.parse() {
                Ok(line) => Loc::new(page, line),
                Err(_) => Loc::new(text.clone(), 0),
            },
            None => Loc::new(text, 0),
        })
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// A resource: the handle type holding its methods and the `Client` method returning it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceSurface {
    pub handle: String,
    pub accessor: String,
    /// Its first operation (by endpoint).
    pub at: Loc,
}

/// An operation: the method it becomes and what the docs say about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    pub title: String,
    pub at: Loc,
    /// The Rust method on the resource handle (`get_all`).
    pub method: String,
    /// Type ids of the request and response bodies.
    pub request: String,
    pub response: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub restricted: bool,
    /// Discontinued operations are documented but get no method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discontinued: Option<String>,
    /// Whether the method comes with `…_pages`/`…_items` streams.
    #[serde(default, skip_serializing_if = "is_false")]
    pub paginated: bool,
    /// The streams' method names (absent from surfaces written before they were recorded: then
    /// `{method}_pages` and `{method}_items`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// The list the streams page over (absent from surfaces written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paged_list: Option<String>,
    /// The response's properties beside the paged list and the cursor: with any, the items stream yields
    /// batches (items beside the rest of their page) instead of bare items. Absent when none (and from
    /// surfaces written before it was recorded, whose items streams all yielded bare items).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items_beside: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// The operation's section in the public docs, linked from its rustdoc.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_example: Option<ExampleSurface>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_example: Option<ExampleSurface>,
}

/// A JSON example: a digest of its content (formatting aside) and where it disagrees with the tables.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExampleSurface {
    pub at: Loc,
    /// FNV-1a of the example's JSON in compact form (its whitespace-collapsed text when it is not JSON).
    pub digest: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub invalid: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingSurface>,
}

/// One disagreement between an example and its table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FindingSurface {
    /// The diagnostic code (`example-missing-required`).
    pub code: String,
    /// The JSON path (`$.Messages[0].Sender`).
    pub path: String,
    pub at: Loc,
    pub detail: String,
}

/// A named type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSurface {
    pub title: String,
    pub rust_name: String,
    pub at: Loc,
    /// Sent in requests (gets `Serialize`, `new`, `Validate`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub request: bool,
    /// Received in responses (gets `Deserialize`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub response: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub restricted: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    pub shape: Shape,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<ExampleSurface>,
    /// The diagnostic code whose fallback made this type (`missing-body-table`: a body without a table is
    /// `Json`), when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    /// The type a deprecated operation's relaxed copy copies (`operations/customers.md#customer`), when this
    /// type is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relaxed_copy_of: Option<String>,
}

impl TypeSurface {
    /// The type's page (the part of its id before `#`).
    pub fn page(id: &str) -> &str {
        id.split_once('#').map_or(id, |(page, _)| page)
    }

    /// Update-value wrappers are not Rust items: they become `UpdateValue<T>` where they are used.
    pub fn is_update_value(&self) -> bool {
        matches!(self.shape, Shape::UpdateValue { .. })
    }
}

/// What kind of Rust item a type is, with its members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Shape {
    Struct(StructShape),
    Enum(EnumShape),
    Coproduct(CoproductShape),
    UpdateValue { of: TypeRef },
    Map { of: TypeRef },
    OneOf { variants: Vec<ParameterSetSurface> },
    Alias { of: TypeRef },
}

/// An object's properties and how it is built.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructShape {
    pub fields: Vec<FieldSurface>,
    /// `flags` (`Default`, every required property a flag) or `named-arguments` (`new` takes an
    /// arguments struct); absent for the plain cases (`new(required…)`, `Default` when all is optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub construction: Option<String>,
    /// The arguments of `new(required…)` that share a type, by wire name, one group per type (a caller could
    /// swap them unnoticed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub same_type_arguments: Vec<Vec<String>>,
    /// A free-form object besides the fields (a request body the docs give no table for).
    #[serde(default, skip_serializing_if = "is_false")]
    pub free_form: bool,
}

/// An enum's values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumShape {
    pub values: Vec<ValueSurface>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub extensible: bool,
}

/// A coproduct's wire layout and variants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoproductShape {
    /// `value` (`{ Discriminator, Value }`), `property` (one property per variant) or `inline` (the tag inside
    /// each variant's object), with `tagged by X` when the tag is not `Discriminator`.
    pub layout: String,
    pub variants: Vec<VariantSurface>,
}

impl Shape {
    /// The kind's name, as in the JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Shape::Struct(_) => "struct",
            Shape::Enum(_) => "enum",
            Shape::Coproduct(_) => "coproduct",
            Shape::UpdateValue { .. } => "update-value",
            Shape::Map { .. } => "map",
            Shape::OneOf { .. } => "one-of",
            Shape::Alias { .. } => "alias",
        }
    }
}

/// A property of an object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSurface {
    pub wire: String,
    pub rust_name: String,
    pub ty: TypeRef,
    /// The Contract column says `required` (`optional` means nullable).
    pub required: bool,
    /// Required in the docs but generated as `Option` because a response example omits it or sends `null`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub relaxed: bool,
    /// Required in the docs but generated as `Option` because the property is deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated_optional: bool,
    /// Generated as `Lenient<T>` because a response example sends a value of another kind.
    #[serde(default, skip_serializing_if = "is_false")]
    pub lenient: bool,
    /// Generated as `Box<T>` because the type would otherwise contain itself.
    #[serde(default, skip_serializing_if = "is_false")]
    pub boxed: bool,
    #[serde(default, skip_serializing_if = "Limits::is_empty")]
    pub limits: Limits,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// The diagnostic code whose fallback decided the type or optionality (`unknown-type`: the Type cell was
    /// not understood, so the field is `Json`), when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    pub at: Loc,
}

impl FieldSurface {
    /// Whether the generated field is an `Option` (as [`Field::is_optional`]).
    pub fn is_optional(&self) -> bool {
        !self.required || self.relaxed || self.deprecated_optional
    }
}

/// Limits from the Contract column, and value bounds from the description.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_months: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// A value of an enum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueSurface {
    pub wire: String,
    pub rust_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    pub at: Loc,
}

/// A variant of a coproduct.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantSurface {
    /// The discriminator value.
    pub wire: String,
    pub rust_name: String,
    /// The property holding the payload.
    pub property: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<TypeRef>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub payload_optional: bool,
    /// The payload is a `Box`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub boxed: bool,
}

/// One of the mutually exclusive parameter sets of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterSetSurface {
    pub rust_name: String,
    /// The id of the parameter set's type.
    pub ty: String,
    /// The parameter set is a `Box`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub boxed: bool,
}

/// A type expression, as in the IR; named types by id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypeRef {
    String,
    Bool,
    Integer,
    Number,
    Decimal,
    Json,
    Timestamp,
    Currency,
    Secret(String),
    Id(String),
    Named(String),
    Array(Box<TypeRef>),
    /// An update value of a recovered format (`TypeExpr::Update`).
    Update(Box<TypeRef>),
    Unresolved(String),
}

impl From<&TypeExpr> for TypeRef {
    fn from(expr: &TypeExpr) -> Self {
        match expr {
            TypeExpr::String => TypeRef::String,
            TypeExpr::Bool => TypeRef::Bool,
            TypeExpr::Integer => TypeRef::Integer,
            TypeExpr::Number => TypeRef::Number,
            TypeExpr::Decimal => TypeRef::Decimal,
            TypeExpr::Json => TypeRef::Json,
            TypeExpr::Timestamp => TypeRef::Timestamp,
            TypeExpr::Currency => TypeRef::Currency,
            TypeExpr::Secret(kind) => TypeRef::Secret(format!("{kind:?}")),
            TypeExpr::Id(name) => TypeRef::Id(name.clone()),
            TypeExpr::Named(id) => TypeRef::Named(id.0.clone()),
            TypeExpr::Array(inner) => TypeRef::Array(Box::new(TypeRef::from(inner.as_ref()))),
            TypeExpr::Update(inner) => TypeRef::Update(Box::new(TypeRef::from(inner.as_ref()))),
            TypeExpr::Unresolved(target) => TypeRef::Unresolved(target.clone()),
        }
    }
}

impl Surface {
    /// The surface of `api`; `sources` are the pages its spans point into.
    pub fn of(api: &Api, sources: &SourceSet) -> Surface {
        let loc = |span: Span| Loc::of(span, sources);
        let features = api
            .pages
            .iter()
            .filter_map(|p| {
                p.feature
                    .as_ref()
                    .map(|f| (f.clone(), Loc::new(p.path.clone(), 1)))
            })
            .collect();
        let ids = api
            .ids
            .values()
            .map(|id| (id.rust_name.clone(), loc(id.span)))
            .collect();
        let resources = api
            .resources
            .values()
            .map(|r| {
                let first = api
                    .operations
                    .iter()
                    .find(|o| o.resource == r.name && o.discontinued.is_none());
                let resource = ResourceSurface {
                    handle: r.handle.clone(),
                    accessor: r.accessor.clone(),
                    at: first.map(|o| loc(o.span)).unwrap_or_default(),
                };
                (r.name.clone(), resource)
            })
            .collect();
        let operations = api
            .operations
            .iter()
            .map(|o| (o.id.clone(), operation(api, o, sources)))
            .collect();
        let types = api
            .types
            .values()
            .map(|t| (t.id.0.clone(), type_surface(t, sources)))
            .collect();
        Surface {
            generated: String::new(),
            format: FORMAT,
            features,
            ids,
            resources,
            operations,
            types,
        }
    }

    /// Pretty JSON with sorted keys and a final newline: the same surface always gives the same bytes.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a surface written by [`Surface::to_json`]; a surface of another [`FORMAT`] (but
    /// [`FORMAT_WITHOUT_HANDLES`]) is refused.
    pub fn from_json(text: &str) -> Result<Surface, String> {
        let surface: Surface =
            serde_json::from_str(text).map_err(|e| format!("not an API surface: {e}"))?;
        if surface.format != FORMAT && surface.format != FORMAT_WITHOUT_HANDLES {
            return Err(format!(
                "API surface format {} is not the supported format {FORMAT}",
                surface.format
            ));
        }
        Ok(surface)
    }
}

/// The list an operation's streams page over, when it has streams.
fn paged(o: &Operation) -> Option<&PagedList> {
    o.pages_method.as_ref()?;
    o.pagination.as_ref()?.items.as_ref()
}

/// The wire name of a struct's field, by its Rust name.
fn wire_name(api: &Api, id: &TypeId, rust_name: &str) -> Option<String> {
    match &api.types.get(id)?.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .find(|f| f.rust_name == rust_name)
            .map(|f| f.wire_name.clone()),
        _ => None,
    }
}

fn operation(api: &Api, o: &Operation, sources: &SourceSet) -> OperationSurface {
    OperationSurface {
        title: o.title.clone(),
        at: Loc::of(o.span, sources),
        method: o.method.clone(),
        request: o.request.0.clone(),
        response: o.response.0.clone(),
        deprecated: o.deprecated.clone(),
        restricted: o.restricted,
        discontinued: o.discontinued.clone(),
        paginated: o.pages_method.is_some(),
        pages: o.pages_method.clone(),
        items: o.items_method.clone(),
        paged_list: paged(o).and_then(|list| wire_name(api, &o.response, &list.field)),
        items_beside: paged(o)
            .map(|list| {
                list.side_fields
                    .iter()
                    .map(|f| f.wire_name.clone())
                    .collect()
            })
            .unwrap_or_default(),
        doc: doc_text(&o.doc),
        reference: o.reference.clone(),
        request_example: o.request_example.as_ref().map(|e| example(e, sources)),
        response_example: o.response_example.as_ref().map(|e| example(e, sources)),
    }
}

fn type_surface(t: &TypeDef, sources: &SourceSet) -> TypeSurface {
    let loc = |span: Span| Loc::of(span, sources);
    let shape = match &t.kind {
        TypeKind::Struct(s) => Shape::Struct(StructShape {
            fields: s.fields.iter().map(|f| field(f, sources)).collect(),
            construction: match &s.construction {
                Construction::Flags => Some("flags".to_string()),
                Construction::NamedArguments(_) => Some("named-arguments".to_string()),
                Construction::None | Construction::Default | Construction::New { .. } => None,
            },
            same_type_arguments: match &s.construction {
                Construction::New { same_type } => same_type.clone(),
                _ => Vec::new(),
            },
            free_form: s.free_form,
        }),
        TypeKind::Enum(e) => Shape::Enum(EnumShape {
            values: e
                .values
                .iter()
                .map(|v| ValueSurface {
                    wire: v.wire.clone(),
                    rust_name: v.rust_name.clone(),
                    deprecated: v.deprecated.clone(),
                    doc: doc_text(&v.doc),
                    at: loc(v.span),
                })
                .collect(),
            extensible: e.extensible,
        }),
        TypeKind::Coproduct(c) => Shape::Coproduct(CoproductShape {
            // The tag's name is part of the wire form: a rename is a layout change.
            layout: match (c.layout, c.tag.as_str()) {
                (CoproductLayout::Value, "Discriminator") => "value".to_string(),
                (CoproductLayout::Property, "Discriminator") => "property".to_string(),
                (CoproductLayout::Value, tag) => format!("value tagged by {tag}"),
                (CoproductLayout::Property, tag) => format!("property tagged by {tag}"),
                (CoproductLayout::Inline, tag) => format!("inline tagged by {tag}"),
            },
            variants: c
                .variants
                .iter()
                .map(|v| VariantSurface {
                    wire: v.wire.clone(),
                    rust_name: v.rust_name.clone(),
                    property: v.payload_property.clone(),
                    payload: v.payload.as_ref().map(TypeRef::from),
                    payload_optional: v.payload.is_some() && v.payload_optional,
                    boxed: v.boxed,
                })
                .collect(),
        }),
        TypeKind::UpdateValue(of) => Shape::UpdateValue { of: of.into() },
        TypeKind::Map(of) => Shape::Map { of: of.into() },
        TypeKind::OneOf(variants) => Shape::OneOf {
            variants: variants
                .iter()
                .map(|v| ParameterSetSurface {
                    rust_name: v.rust_name.clone(),
                    ty: v.ty.0.clone(),
                    boxed: v.boxed,
                })
                .collect(),
        },
        TypeKind::Alias(of) => Shape::Alias { of: of.into() },
    };
    TypeSurface {
        title: t.title.clone(),
        rust_name: t.rust_name.clone(),
        at: loc(t.span),
        request: t.usage.request,
        response: t.usage.response,
        deprecated: t.deprecated.clone(),
        restricted: t.restricted,
        doc: doc_text(&t.doc),
        shape,
        example: t.example.as_ref().map(|e| example(e, sources)),
        fallback: t.fallback.map(|c| c.name().to_string()),
        relaxed_copy_of: t.relaxed_copy.as_ref().map(|c| c.of.0.clone()),
    }
}

fn field(f: &Field, sources: &SourceSet) -> FieldSurface {
    FieldSurface {
        wire: f.wire_name.clone(),
        rust_name: f.rust_name.clone(),
        ty: (&f.ty).into(),
        required: f.required,
        relaxed: f.relaxed,
        deprecated_optional: f.deprecated_optional,
        lenient: f.lenient,
        boxed: f.boxed,
        limits: Limits {
            max_items: f.constraints.max_items,
            max_length: f.constraints.max_length,
            max_months: f.constraints.max_months,
            min_items: f.constraints.min_items,
            min_length: f.constraints.min_length,
            minimum: f.constraints.minimum,
            maximum: f.constraints.maximum,
        },
        deprecated: f.deprecated.clone(),
        doc: doc_text(&f.doc),
        fallback: f.fallback.map(|c| c.name().to_string()),
        at: Loc::of(f.span, sources),
    }
}

fn example(e: &Example, sources: &SourceSet) -> ExampleSurface {
    let mut findings: Vec<FindingSurface> = e
        .findings
        .iter()
        .map(|f| FindingSurface {
            code: f.kind.code().to_string(),
            path: f.path.clone(),
            at: Loc::of(f.span, sources),
            detail: f.detail.clone(),
        })
        .collect();
    findings.sort();
    ExampleSurface {
        at: Loc::of(e.span, sources),
        digest: example_digest(&e.text),
        invalid: !e.valid,
        findings,
    }
}

/// A digest that ignores formatting: of the compact JSON when the text parses, else of the text with its
/// whitespace collapsed.
pub fn example_digest(text: &str) -> String {
    let normalized = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => value.to_string(),
        Err(_) => text.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    format!("{:016x}", fnv1a(normalized.as_bytes()))
}

/// 64-bit FNV-1a: stable across runs, platforms and Rust versions (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A doc as Markdown-like text with links resolved: `[text](type:page#anchor)`, `[text](operation:id)` or
/// `[text](url)`. A link rewritten in the page without changing its target gives the same text; a code span
/// linked to the type it names stays a code span (the docs did not change when a type of that name appears).
pub fn doc_text(doc: &Doc) -> String {
    doc.paragraphs
        .iter()
        .map(|p| inline_text(p))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn inline_text(inlines: &[DocInline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            DocInline::Text(text) => out.push_str(text),
            DocInline::Code(code) => {
                out.push('`');
                out.push_str(code);
                out.push('`');
            }
            DocInline::Break => out.push('\n'),
            DocInline::Emph(children) => out.push_str(&format!("*{}*", inline_text(children))),
            DocInline::Strong(children) => out.push_str(&format!("**{}**", inline_text(children))),
            DocInline::Strike(children) => out.push_str(&format!("~~{}~~", inline_text(children))),
            // A code span naming a type is linked by the generator, not by the docs: its text is the docs'.
            DocInline::Link {
                target: LinkTarget::Type(_),
                children,
            } if matches!(children.as_slice(), [DocInline::Code(_)]) => {
                out.push_str(&inline_text(children))
            }
            DocInline::Link { target, children } => {
                let target = match target {
                    LinkTarget::Type(id) => format!("type:{id}"),
                    LinkTarget::Operation(id) => format!("operation:{id}"),
                    LinkTarget::Url(url) => url.clone(),
                };
                out.push_str(&format!("[{}]({target})", inline_text(children)));
            }
        }
    }
    out.trim().to_string()
}
