//! The intermediate representation: the API as data (operations, types, fields, enums), independent of Markdown and of Rust tokens.
//!
//! Collections are `BTreeMap`s or sorted `Vec`s so that everything derived from the IR is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::codes::Code;
use crate::source::Span;

/// The whole API described by one set of pages.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Api {
    /// Every input page, sorted by path.
    pub pages: Vec<PageInfo>,
    /// Operations sorted by endpoint path.
    pub operations: Vec<Operation>,
    /// The resources that get a handle on the client (those with an operation that is not discontinued), by
    /// wire name (`messageThreads`).
    pub resources: BTreeMap<String, Resource>,
    /// Named types, keyed by where they are defined.
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Identifier newtypes (`MessageId`…) recovered from "Unique identifier of …" descriptions.
    pub ids: BTreeMap<String, IdDef>,
    /// Documented error statuses, from a page that lists `### 4xx …` headings.
    pub error_statuses: Vec<ErrorStatus>,
}

impl Api {
    pub fn type_def(&self, id: &TypeId) -> Option<&TypeDef> {
        self.types.get(id)
    }

    /// The type an update value sets, whether the update is a named wrapper type (`… update value`) or a
    /// recovered `TypeExpr::Update`; `None` for anything else.
    pub fn updated_type<'a>(&'a self, ty: &'a TypeExpr) -> Option<&'a TypeExpr> {
        match ty {
            TypeExpr::Update(inner) => Some(inner),
            TypeExpr::Named(id) => match self.types.get(id).map(|d| &d.kind) {
                Some(TypeKind::UpdateValue(inner)) => Some(inner),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn page(&self, path: &str) -> Option<&PageInfo> {
        self.pages.iter().find(|p| p.path == path)
    }

    /// The paths of the events pages, a namespace of their own (`events::…`) whose titles, links and
    /// identifiers decide nothing on the other pages.
    pub fn events_pages(&self) -> BTreeSet<String> {
        self.pages
            .iter()
            .filter(|p| p.kind == PageKind::Events)
            .map(|p| p.path.clone())
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PageInfo {
    pub path: String,
    pub title: String,
    pub kind: PageKind,
    /// Rust module for the page's items.
    pub module: String,
    /// Cargo feature that enables the page's operations, for pages that have any.
    pub feature: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PageKind {
    /// An `operations/*.md` page: operations and the types they use.
    Operations,
    /// `operations/README.md`: the index of operations, no definitions.
    Index,
    /// `operations/discontinued.md`: operations that no longer work, kept for reference.
    Discontinued,
    /// `guidelines/*.md` and other pages: shared types only.
    Guidelines,
    /// `events/*.md`: webhook and WebSocket messages, under the `events` module and feature.
    Events,
}

/// Where a type is defined: `page#anchor`, anchors numbered for repeats (`page#x-1`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TypeId(pub String);

impl TypeId {
    pub fn new(page: &str, anchor: &str) -> Self {
        TypeId(format!("{page}#{anchor}"))
    }

    pub fn page(&self) -> &str {
        self.0.split_once('#').map_or(self.0.as_str(), |(p, _)| p)
    }
}

impl std::fmt::Display for TypeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A resource of the API: the first segment of its endpoints, which becomes a handle on the client holding
/// one method per operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// The wire name (`messageThreads`).
    pub name: String,
    /// The handle type holding the methods (`MessageThreadsApi`).
    pub handle: String,
    /// The `Client` method returning the handle (`message_threads`).
    pub accessor: String,
    /// The features of the pages its operations are on: the handle exists when one of them is enabled.
    pub features: BTreeSet<String>,
}

/// The intermediate representation of an operation that will become a client method.
#[derive(Clone, Debug, Serialize)]
pub struct Operation {
    /// The endpoint without its prefix, e.g. `messages/getAll` or `reservations/getAll/2023-06-06`.
    pub id: String,
    /// The heading, e.g. `Get all messages`.
    pub title: String,
    /// The full request path, e.g. `/api/connector/v1/messages/getAll`.
    pub path: String,
    /// First path segment after the prefix (`messages`, `messageThreads`).
    pub resource: String,
    /// Second path segment (`getAll`).
    pub action: String,
    /// A trailing version segment (`2023-06-06`), if any.
    pub version: Option<String>,
    pub page: String,
    /// The operation's section in the public docs (`https://docs.mews.com/connector-api/operations/messages#get-all-messages`).
    pub reference: String,
    /// Rust method name on the handle of its [`Resource`] (`get_all`).
    pub method: String,
    /// The streams following the cursor (`get_all_pages`, `get_all_items`), when the operation is paginated
    /// and the docs say which list its pages are made of.
    pub pages_method: Option<String>,
    pub items_method: Option<String>,
    pub doc: Doc,
    /// Deprecation note, when the operation is deprecated.
    pub deprecated: Option<String>,
    /// Whether the docs mark the operation restricted (beta, subject to change).
    pub restricted: bool,
    /// Note of a discontinued operation; such operations are not emitted.
    pub discontinued: Option<String>,
    pub safety: Safety,
    /// Where the safety classification comes from.
    pub safety_source: SafetySource,
    pub request: TypeId,
    pub response: TypeId,
    pub pagination: Option<Pagination>,
    pub request_example: Option<Example>,
    pub response_example: Option<Example>,
    pub span: Span,
}

/// Whether repeating a request can change the outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Safety {
    /// Reads: repeating them is harmless, so they are retried after transient failures.
    Safe,
    /// Writes: a repeat may apply the change twice, so they are retried only when nothing was processed.
    Unsafe,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SafetySource {
    /// From the action name (`get…`, `price…`, `search…` are reads).
    ActionName,
    /// From the overrides file.
    Override,
}

/// Cursor pagination: `Limitation` in the request, `Cursor` and a list of items in the response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// Rust name of the request field holding the limitation.
    pub limitation_field: String,
    /// Rust names of the cursor and count fields inside the limitation type.
    pub cursor_field: String,
    pub count_field: String,
    /// Whether the limitation's `Count` is an `integer` (else a `number`).
    pub count_is_integer: bool,
    /// Rust name of the response's cursor field.
    pub response_cursor_field: String,
    /// The response list the pages are made of; `None` when the docs do not say which (no streams then).
    pub items: Option<PagedList>,
}

/// The response list a paginated operation's pages are made of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PagedList {
    /// Rust name of the response field.
    pub field: String,
    /// The type of one item.
    pub item: TypeExpr,
    /// Why this list and not another.
    pub evidence: ListEvidence,
    /// The response's other properties but its cursor (other lists, mostly), in table order. With any, the
    /// items stream yields batches (a page's items beside the rest of that page) instead of bare items, so
    /// that nothing a page holds is lost.
    pub side_fields: Vec<SideField>,
}

/// A response property beside the paged list (`CustomerProducts` beside `Products`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SideField {
    /// Rust name of the response field.
    pub field: String,
    /// Its name in the docs.
    pub wire_name: String,
}

/// What in the docs tells which response list is paged, in the order the rule asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ListEvidence {
    /// The response has one list.
    OnlyList,
    /// The only list that is not deprecated.
    OnlyCurrentList,
    /// The response `Cursor` description names it (`…identifier of the last returned outlet item`).
    NamedByCursor,
    /// It is named like the endpoint's resource (`vouchers/getAll` → `Vouchers`).
    NamedLikeResource,
}

/// A JSON example from the docs.
#[derive(Clone, Debug, Serialize)]
pub struct Example {
    /// The code block's text, as written.
    pub text: String,
    /// Span of the text inside the fences.
    pub span: Span,
    /// Where pieces of `text` start in the page (see [`crate::source::span_in_pieces`]).
    #[serde(skip)]
    pub pieces: Vec<(usize, usize)>,
    /// `page:line` of the example's first line, for messages and generated tests.
    pub location: String,
    /// Whether the text is valid JSON (an invalid example is reported and not checked).
    pub valid: bool,
    /// Where the example disagrees with the tables.
    pub findings: Vec<ExampleFinding>,
}

/// One disagreement between an example and the tables it illustrates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExampleFinding {
    pub kind: FindingKind,
    /// JSON path of the offending value (`$.Messages[0].Sender`).
    pub path: String,
    pub span: Span,
    pub detail: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum FindingKind {
    /// A required property is absent.
    MissingRequired,
    /// A property the table does not list.
    UnknownProperty,
    /// `null` for a required property.
    NullForRequired,
    /// A JSON value of another kind than the table's type (a string where an object is expected…).
    WrongKind,
    /// An enum value the list does not contain.
    UnknownEnumValue,
}

impl FindingKind {
    pub const ALL: [FindingKind; 5] = [
        FindingKind::MissingRequired,
        FindingKind::UnknownProperty,
        FindingKind::NullForRequired,
        FindingKind::WrongKind,
        FindingKind::UnknownEnumValue,
    ];

    /// The diagnostic code reporting this kind.
    pub fn code(self) -> Code {
        match self {
            FindingKind::MissingRequired => Code::ExampleMissingRequired,
            FindingKind::UnknownProperty => Code::ExampleUnknownProperty,
            FindingKind::NullForRequired => Code::ExampleNullForRequired,
            FindingKind::WrongKind => Code::ExampleWrongKind,
            FindingKind::UnknownEnumValue => Code::ExampleUnknownEnumValue,
        }
    }
}

/// A named type of the API.
#[derive(Clone, Debug, Serialize)]
pub struct TypeDef {
    pub id: TypeId,
    /// The heading it is defined under (`Message thread`), or `<operation> request/response`.
    pub title: String,
    pub rust_name: String,
    pub doc: Doc,
    pub deprecated: Option<String>,
    pub restricted: bool,
    pub kind: TypeKind,
    /// Directions the type travels in, which decide its serde derives.
    pub usage: Usage,
    /// Features whose operations reach the type; empty for types reached from nothing.
    pub features: BTreeSet<String>,
    /// Example from the type's own section, when it has one.
    pub example: Option<Example>,
    /// The diagnostic whose fallback made this type (a body without a property table is `Json` or a free-form
    /// object), when one did. Left out of snapshots when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Code>,
    /// This type is a deprecated operation's own copy of another, relaxed by that operation's response
    /// example (see `lower/relaxed_copies.rs`), when it is one. Left out of snapshots when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relaxed_copy: Option<RelaxedCopy>,
    pub span: Span,
}

/// What a relaxed copy copies, and for which operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelaxedCopy {
    /// The type live operations share, left as its table says.
    pub of: TypeId,
    /// The deprecated operation whose example relaxed the copy (`reservations/getAll/2017-04-12`).
    pub operation: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Sent in a request body: needs `Serialize`.
    pub request: bool,
    /// Received in a response body: needs `Deserialize`.
    pub response: bool,
}

#[derive(Clone, Debug, Serialize)]
pub enum TypeKind {
    /// An object with properties.
    Struct(Struct),
    /// A string enum. Every generated enum also accepts values it does not list.
    Enum(Enum),
    /// A discriminated union: `Discriminator` plus a payload in `Value` or in a property per variant.
    Coproduct(Coproduct),
    /// `{ "Value": … }` update wrappers: references become `UpdateValue<T>` (leave / set / clear).
    UpdateValue(TypeExpr),
    /// A dictionary with string keys.
    Map(TypeExpr),
    /// A request that accepts one of several mutually exclusive parameter sets.
    OneOf(Vec<OneOfVariant>),
    /// Another name for a type (`Localized text` is a `Dictionary`).
    Alias(TypeExpr),
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// A free-form JSON object besides the fields: a request body the docs give no table for is sent as
    /// whatever object the caller builds (field `properties`). Left out of snapshots when `false`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub free_form: bool,
    /// How a value is built in Rust (see `lower/construction.rs`). Left out of snapshots unless the
    /// readability rule chose it (`Flags`, `NamedArguments`).
    #[serde(skip_serializing_if = "Construction::is_plain")]
    pub construction: Construction,
    /// Methods giving a decimal field as `runtime::Money` in the struct's currency (see `lower/money.rs`).
    /// Left out of snapshots when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub money: Vec<MoneyAccessor>,
    /// The struct is a time interval (`runtime::Interval`), with its start and end fields at these indices, so
    /// a `max N months` contract on it is checked (see `lower/checks.rs`). Left out of snapshots when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<IntervalBounds>,
}

/// The fields of an interval struct holding its bounds (indices into its fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct IntervalBounds {
    pub start: usize,
    pub end: usize,
}

/// A contract or value bound checked before a request is sent, as lowering decided it from the field's
/// constraints and type (`lower/checks.rs`); on an update value, the value being set is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Check {
    /// `max N items` on a list.
    MaxItems(u64),
    /// `min N items` on a list.
    MinItems(u64),
    /// `max length N characters` on text.
    MaxLength(u64),
    /// `min length N characters` on text.
    MinLength(u64),
    /// A value bound on a number.
    Minimum(i64),
    /// A value bound on a number.
    Maximum(i64),
    /// `max length N months` on a time interval.
    MaxMonths(u64),
}

/// `pub fn <method>(&self) -> runtime::Money` (an `Option` when the value field is optional): the field at
/// `value` in the currency of the field at `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MoneyAccessor {
    pub method: String,
    pub value: usize,
    pub currency: usize,
}

/// How the generated code lets a caller build a struct.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Construction {
    /// No constructor: the type is only received (its required fields have no obvious value).
    #[default]
    None,
    /// `Default`: every property is optional (`None`).
    Default,
    /// `Default` too: every required property is a flag (`bool`, `false` by default), so a caller starts from
    /// `Default::default()` and sets flags by name instead of calling `new` with a row of booleans.
    Flags,
    /// `new(required…)`, the optional properties `None`. `same_type` lists the parameters (by wire name, in
    /// order) that share a Rust type, one group per type taken more than once: arguments a caller could swap
    /// without the compiler noticing (`CustomerId, CustomerId`).
    New { same_type: Vec<Vec<String>> },
    /// `new(args)`, the required properties named in an arguments struct (this Rust name), because positional
    /// arguments would be unreadable: more than [`MAX_POSITIONAL`] of them, or [`MAX_SAME_TYPE`] or more of one
    /// type that a caller could swap without the compiler noticing.
    NamedArguments(String),
}

/// Most parameters a positional `new` takes (clippy's `too_many_arguments` limit).
pub const MAX_POSITIONAL: usize = 7;
/// Parameters of one type a positional `new` may take before they are named instead.
pub const MAX_SAME_TYPE: usize = 2;

impl Construction {
    /// The decisions made without the readability rule.
    pub fn is_plain(&self) -> bool {
        match self {
            Construction::None | Construction::Default => true,
            Construction::New { same_type } => same_type.is_empty(),
            Construction::Flags | Construction::NamedArguments(_) => false,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Field {
    /// The property name on the wire (`MessageThreadId`).
    pub wire_name: String,
    /// The Rust field name (`message_thread_id`).
    pub rust_name: String,
    pub ty: TypeExpr,
    /// The Contract column says `required`. `optional` means the value may be `null` (or absent).
    pub required: bool,
    /// A response example shows this required property absent or `null`: it is generated as optional.
    pub relaxed: bool,
    /// A response example shows a value of another kind: the field keeps the raw JSON when it does not fit.
    pub lenient: bool,
    /// The property is deprecated although its Contract says required: it is never required of a caller, and
    /// a response may stop sending it, so it is generated as optional (see `lower/deprecated.rs`). Left out
    /// of snapshots when `false`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated_optional: bool,
    pub constraints: Constraints,
    /// The constraints checked before sending (request types only; see `lower/checks.rs`). Left out of
    /// snapshots when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    pub doc: Doc,
    pub deprecated: Option<String>,
    /// The field holds its own type by value (directly or through other types): it is a `Box` (see
    /// `lower/recursion.rs`). Left out of snapshots when `false`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub boxed: bool,
    /// The one value a `` string `X` `` property holds (the tag of a union tagged by a property). Left out of
    /// snapshots when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
    /// The diagnostic whose fallback decided this field's type or optionality (an odd cell read as `Json` or
    /// optional), when one did. Left out of snapshots when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Code>,
    pub span: Span,
}

impl Field {
    /// A plain field (no constraints, docs or span) for unit tests of the lowering rules.
    #[cfg(test)]
    pub fn for_test(wire_name: &str, ty: TypeExpr, required: bool) -> Field {
        Field {
            wire_name: wire_name.into(),
            rust_name: String::new(),
            ty,
            required,
            relaxed: false,
            lenient: false,
            deprecated_optional: false,
            constraints: Constraints::default(),
            checks: Vec::new(),
            doc: Doc::default(),
            deprecated: None,
            boxed: false,
            literal: None,
            fallback: None,
            span: crate::source::Span::new(crate::source::FileId(0), 0, 0),
        }
    }

    /// Whether the generated field is an `Option`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.relaxed || self.deprecated_optional
    }

    /// Whether a constructor takes the field: required, and not a string literal (which it fills in itself).
    pub fn is_constructor_parameter(&self) -> bool {
        let literal = self.literal.is_some() && self.ty == TypeExpr::String;
        !self.is_optional() && !literal
    }
}

/// Limits from the Contract column, and value bounds from the description.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Constraints {
    /// `max N items`
    pub max_items: Option<u64>,
    /// `max length N characters`
    pub max_length: Option<u64>,
    /// `max length N months` (time intervals)
    pub max_months: Option<u64>,
    /// `min N items` (left out of snapshots when absent, as are the other minima).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// `min length N characters`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Smallest value allowed, inclusive, from the description of a numeric property ("minimum 1"; see
    /// `lower/bounds.rs`). Left out of snapshots when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    /// Largest value allowed, inclusive ("maximum 1000").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum TypeExpr {
    String,
    Bool,
    Integer,
    /// `number` and `decimal` (but counts, which are `Integer`): `runtime::Decimal`, the exact digits as
    /// written on the wire.
    Number,
    Decimal,
    /// `any` or `object`: free-form JSON.
    Json,
    /// A string in UTC ISO 8601 date-time form; kept as written, parsed on demand.
    Timestamp,
    /// An ISO 4217 currency code (`runtime::Currency`: known codes as constants, others kept).
    Currency,
    /// An identifier newtype, by Rust name.
    Id(String),
    /// A token or key (`runtime::AccessToken`, `runtime::ClientToken`): redacted in `Debug`, see
    /// `lower/refine.rs`.
    Secret(SecretKind),
    Named(TypeId),
    Array(Box<TypeExpr>),
    /// `runtime::UpdateValue<T>` of a format recovered inside an update wrapper whose `Value` the docs type as
    /// a plain string (an identifier, a timestamp): the wrapper's own `TypeDef` stays as the docs wrote it.
    Update(Box<TypeExpr>),
    /// A link that resolves to nothing in the input: free-form JSON so the rest stays typed.
    Unresolved(String),
}

impl TypeExpr {
    /// The named type this expression refers to, looking through arrays.
    pub fn named(&self) -> Option<&TypeId> {
        match self {
            TypeExpr::Named(id) => Some(id),
            TypeExpr::Array(inner) => inner.named(),
            _ => None,
        }
    }
}

/// Which redacting runtime type holds a secret property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SecretKind {
    /// `AccessToken`, and `ApiKey` (a regenerated access token).
    AccessToken,
    /// `ClientToken`.
    ClientToken,
}

#[derive(Clone, Debug, Serialize)]
pub struct Enum {
    pub values: Vec<EnumValue>,
    /// The docs say the list is not exhaustive (a hint, or a trailing `…` item).
    pub extensible: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct EnumValue {
    pub wire: String,
    pub rust_name: String,
    pub doc: Doc,
    /// A type the value's description links to (a coproduct payload).
    pub payload: Option<TypeExpr>,
    /// The description says the value carries no data.
    pub no_data: bool,
    /// The operation that reads the entity an event names (an events page's `Fetch operation` column), by
    /// operation id. Left out of snapshots when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetch: Option<String>,
    /// Deprecation note, when the docs deprecate the value (left out of snapshots when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Coproduct {
    /// The enum listing the discriminator values; `None` for an inline union, whose variants' objects state
    /// their own tag.
    pub discriminator: Option<TypeId>,
    /// The property holding the discriminator: `Discriminator`, or another the docs name (`Action`). Left out
    /// of snapshots when `Discriminator`.
    #[serde(skip_serializing_if = "is_discriminator")]
    pub tag: String,
    pub layout: CoproductLayout,
    pub variants: Vec<CoproductVariant>,
}

impl Coproduct {
    /// Whether a variant names the operation that fetches its entity (an events page's `Fetch operation`).
    pub fn has_fetch(&self) -> bool {
        self.variants.iter().any(|v| v.fetch.is_some())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CoproductLayout {
    /// `{ "Discriminator": "X", "Value": … }`
    Value,
    /// `{ "Discriminator": "X", "X": … }`: one property per variant.
    Property,
    /// `{ "Type": "X", … }`: the tag is a property of the variant's own object (a `` string `X` `` literal of
    /// each linked type), listed as "one of the following" links.
    Inline,
}

#[derive(Clone, Debug, Serialize)]
pub struct CoproductVariant {
    /// The discriminator value.
    pub wire: String,
    pub rust_name: String,
    /// The property holding the payload (`Value`, or the per-variant property).
    pub payload_property: String,
    /// The payload type; `None` for variants without data.
    pub payload: Option<TypeExpr>,
    /// Whether the payload may be `null`.
    pub payload_optional: bool,
    /// The payload holds the coproduct by value: it is a `Box`. Left out of snapshots when `false`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub boxed: bool,
    pub doc: Doc,
    /// Deprecation note of the discriminator value (left out of snapshots when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// How the entity an event names is read (see `lower/fetch.rs`). Left out of snapshots when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetch: Option<VariantFetch>,
}

/// The operation reading an event's entity, and how a request for it is filled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VariantFetch {
    /// The operation id (`customers/getAll`).
    pub operation: String,
    /// The Rust name of the payload's `Id` field, when it has one.
    pub id_field: Option<String>,
    /// The request's ids filter, when it has one; else the event is left unfetched for `reason`.
    pub filter: Option<IdsFilter>,
    pub reason: Option<String>,
}

/// A request property listing the ids to read (`CustomerIds`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IdsFilter {
    pub wire_name: String,
    pub rust_name: String,
    /// The property is optional (`Option<Vec<…>>`).
    pub optional: bool,
    /// Its `max N items`: the chunk size.
    pub max_items: Option<u64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OneOfVariant {
    pub rust_name: String,
    pub ty: TypeId,
    /// The parameter set holds the request by value: it is a `Box`. Left out of snapshots when `false`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub boxed: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct IdDef {
    pub rust_name: String,
    /// The entity the identifier names, for its docs (`message thread`).
    pub entity: String,
    /// First place the identifier was recovered from.
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct ErrorStatus {
    pub status: u16,
    pub title: String,
    pub doc: Doc,
    pub span: Span,
}

/// Documentation text, kept structured so the emitter can turn links into rustdoc links.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Doc {
    pub paragraphs: Vec<Vec<DocInline>>,
}

impl Doc {
    pub fn is_empty(&self) -> bool {
        self.paragraphs.iter().all(|p| p.is_empty())
    }

    /// The plain text, paragraphs separated by blank lines.
    pub fn plain(&self) -> String {
        self.paragraphs
            .iter()
            .map(|p| doc_plain(p))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

pub fn doc_plain(inlines: &[DocInline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            DocInline::Text(t) | DocInline::Code(t) => out.push_str(t),
            DocInline::Break => out.push('\n'),
            DocInline::Link { children, .. }
            | DocInline::Emph(children)
            | DocInline::Strong(children)
            | DocInline::Strike(children) => out.push_str(&doc_plain(children)),
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum DocInline {
    Text(String),
    Code(String),
    Link {
        target: LinkTarget,
        children: Vec<DocInline>,
    },
    Emph(Vec<DocInline>),
    Strong(Vec<DocInline>),
    Strike(Vec<DocInline>),
    /// A line break in the source paragraph.
    Break,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum LinkTarget {
    Type(TypeId),
    /// An operation, by id (`messages/getAll`).
    Operation(String),
    /// A web address (absolute links, and pages not among the input, on the public docs site).
    Url(String),
}

/// Whether a coproduct's tag is the usual `Discriminator` (left out of snapshots).
fn is_discriminator(tag: &str) -> bool {
    tag == "Discriminator"
}
