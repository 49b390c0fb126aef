//! Checks every JSON example against the tables it illustrates, reporting each disagreement with its JSON
//! path and position. A response example that shows a required property absent or `null` relaxes that
//! property to optional, so the generated client decodes what the docs show the API sending. Evidence from
//! a live operation's example relaxes the type itself; a deprecated or discontinued operation's is handed
//! back, to relax only what that operation decodes (`relaxed_copies.rs`).

use std::collections::BTreeSet;

use jsonc_parser::ast::{ObjectProp, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::INJECTED_REQUEST_PROPERTIES;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, excerpt};
use crate::ir::*;
use crate::parse::CodeBlock;
use crate::source::Span;

fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Whether an example is strict JSON; reports where it is not.
pub fn validate_json(code: &CodeBlock, diagnostics: &mut Diagnostics) -> bool {
    let text = code.text.as_str();
    match parse_to_ast(text, &CollectOptions::default(), &strict()) {
        Ok(result) if result.value.is_some() => true,
        Ok(_) => {
            diagnostics.push(Diagnostic::new(
                Code::InvalidJsonExample,
                code.span,
                format!(
                    "the `{}` example is empty",
                    if code.lang.is_empty() {
                        "json"
                    } else {
                        &code.lang
                    }
                ),
            ));
            false
        }
        Err(error) => {
            let range = error.range();
            let start = floor_boundary(text, range.start);
            let end = floor_boundary(text, range.end.max(range.start + 1)).max(start);
            let found = text
                .get(start..)
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or("");
            let found = if found.is_empty() {
                "end of input".to_string()
            } else {
                format!("`{}`", excerpt(found, 24))
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::InvalidJsonExample,
                    code.span_of(start..end),
                    format!(
                        "the example is not valid JSON: {} (at {found})",
                        error.kind()
                    ),
                )
                .with_note("the example is not checked against the tables"),
            );
            false
        }
    }
}

/// The nearest character boundary at or before `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Request,
    Response,
    /// An example in a type's own section.
    Definition,
}

/// Whose response example the evidence comes from, which decides how far it reaches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// A live operation's, or a type's own example: relaxes the type everywhere.
    Live,
    /// A deprecated operation's: relaxes only what that operation decodes.
    Deprecated,
    /// A discontinued operation's (no method): relaxes only types no emitted operation reaches.
    Discontinued,
}

/// Properties `(type, wire name)` the response example of one deprecated or discontinued operation shows
/// absent or `null` (`relax`), or of another kind (`lenient`), that live evidence does not already relax.
#[derive(Debug, Default)]
pub struct ScopedEvidence {
    /// Index of the operation in `Api::operations`.
    pub operation: usize,
    pub relax: BTreeSet<(TypeId, String)>,
    pub lenient: BTreeSet<(TypeId, String)>,
}

/// Checks every example, relaxes what live evidence asks for, and returns the evidence of deprecated and
/// discontinued operations, which `relaxed_copies::scope` applies after the overrides.
pub fn check_all(api: &mut Api, diagnostics: &mut Diagnostics) -> Vec<ScopedEvidence> {
    let mut relax: BTreeSet<(TypeId, String)> = BTreeSet::new();
    let mut lenient: BTreeSet<(TypeId, String)> = BTreeSet::new();
    let mut scoped: Vec<ScopedEvidence> = Vec::new();
    let mut results = Vec::new();
    for (index, operation) in api.operations.iter().enumerate() {
        let scope = if operation.discontinued.is_some() {
            Scope::Discontinued
        } else if operation.deprecated.is_some() {
            Scope::Deprecated
        } else {
            Scope::Live
        };
        for (role, example, ty) in [
            (
                Role::Request,
                &operation.request_example,
                &operation.request,
            ),
            (
                Role::Response,
                &operation.response_example,
                &operation.response,
            ),
        ] {
            if let Some(example) = example.as_ref().filter(|e| e.valid) {
                let scope = if role == Role::Response {
                    scope
                } else {
                    Scope::Live
                };
                let mut own = ScopedEvidence {
                    operation: index,
                    ..ScopedEvidence::default()
                };
                let (relax, lenient) = match scope {
                    Scope::Live => (&mut relax, &mut lenient),
                    Scope::Deprecated | Scope::Discontinued => (&mut own.relax, &mut own.lenient),
                };
                let findings = check(
                    api,
                    example,
                    &TypeExpr::Named(ty.clone()),
                    role,
                    relax,
                    lenient,
                );
                if scope != Scope::Live {
                    scoped.push(own);
                }
                let label = if role == Role::Request {
                    "request"
                } else {
                    "response"
                };
                report(
                    &findings,
                    &format!("{label} example of `{}`", operation.title),
                    (role, scope),
                    diagnostics,
                );
                results.push((Some(index), role, ty.clone(), findings));
            }
        }
    }
    for (id, def) in &api.types {
        if let Some(example) = def.example.as_ref().filter(|e| e.valid) {
            let findings = check(
                api,
                example,
                &TypeExpr::Named(id.clone()),
                Role::Definition,
                &mut relax,
                &mut lenient,
            );
            report(
                &findings,
                &format!("example of `{}`", def.title),
                (Role::Definition, Scope::Live),
                diagnostics,
            );
            results.push((None, Role::Definition, id.clone(), findings));
        }
    }
    for (operation, role, id, findings) in results {
        let slot = match (operation, role) {
            (Some(i), Role::Request) => api.operations[i].request_example.as_mut(),
            (Some(i), Role::Response) => api.operations[i].response_example.as_mut(),
            _ => api.types.get_mut(&id).and_then(|d| d.example.as_mut()),
        };
        if let Some(example) = slot {
            example.findings = findings;
        }
    }
    for evidence in &mut scoped {
        evidence.relax.retain(|r| !relax.contains(r));
        evidence.lenient.retain(|l| !lenient.contains(l));
    }
    scoped.retain(|e| !e.relax.is_empty() || !e.lenient.is_empty());
    for (set, lenient) in [(relax, false), (lenient, true)] {
        for (id, wire) in set {
            if let Some(TypeDef {
                kind: TypeKind::Struct(s),
                ..
            }) = api.types.get_mut(&id)
                && let Some(field) = s.fields.iter_mut().find(|f| f.wire_name == wire)
            {
                if lenient {
                    field.lenient = true;
                } else {
                    field.relaxed = true;
                }
            }
        }
    }
    scoped
}

fn report(
    findings: &[ExampleFinding],
    what: &str,
    (role, scope): (Role, Scope),
    diagnostics: &mut Diagnostics,
) {
    for finding in findings {
        diagnostics.push(
            Diagnostic::new(
                finding.kind.code(),
                finding.span,
                format!(
                    "{what} disagrees with its table at `{}`: {}",
                    finding.path, finding.detail
                ),
            )
            .with_note(consequence(finding.kind, role, scope)),
        );
    }
}

/// What the generator does about a disagreement (the fallback the warning names).
fn consequence(kind: FindingKind, role: Role, scope: Scope) -> &'static str {
    let relaxing = matches!(
        kind,
        FindingKind::MissingRequired | FindingKind::NullForRequired | FindingKind::WrongKind
    );
    match scope {
        Scope::Deprecated if relaxing && role == Role::Response => {
            return "the operation is deprecated: the field is relaxed only in what this operation decodes (in a copy of its own where live operations share the type), so such a response decodes and live operations keep the table's contract";
        }
        Scope::Discontinued if relaxing && role == Role::Response => {
            return "the operation is discontinued (no method): only a type no emitted operation reaches is relaxed; the others keep the table's contract";
        }
        _ => {}
    }
    match (kind, role) {
        (FindingKind::MissingRequired, Role::Response) => {
            "the field is generated as `Option` so that such a response decodes (a required list stays a list, read as empty when absent)"
        }
        (FindingKind::NullForRequired, Role::Response) => {
            "the field is generated as `Option` so that such a response decodes"
        }
        (FindingKind::WrongKind, Role::Response) => {
            "the property is generated as `Lenient` (the typed value, or the raw JSON) so that such a response decodes; a coproduct accepts its string form as it is"
        }
        (FindingKind::UnknownProperty, _) => {
            "the type follows the table; decoding ignores properties it does not know"
        }
        (FindingKind::UnknownEnumValue, _) => {
            "enums accept values they do not list, and send them back as received"
        }
        (_, Role::Request | Role::Definition) => {
            "the type follows the table; the generated example check expects this disagreement"
        }
    }
}

struct Checker<'a> {
    api: &'a Api,
    base: Span,
    pieces: &'a [(usize, usize)],
    role: Role,
    findings: Vec<ExampleFinding>,
    relax: &'a mut BTreeSet<(TypeId, String)>,
    lenient: &'a mut BTreeSet<(TypeId, String)>,
}

fn check(
    api: &Api,
    example: &Example,
    ty: &TypeExpr,
    role: Role,
    relax: &mut BTreeSet<(TypeId, String)>,
    lenient: &mut BTreeSet<(TypeId, String)>,
) -> Vec<ExampleFinding> {
    let Ok(parsed) = parse_to_ast(&example.text, &CollectOptions::default(), &strict()) else {
        return Vec::new();
    };
    let Some(value) = parsed.value else {
        return Vec::new();
    };
    let mut checker = Checker {
        api,
        base: example.span,
        pieces: &example.pieces,
        role,
        findings: Vec::new(),
        relax,
        lenient,
    };
    checker.value(&value, ty, "$", true);
    checker.findings
}

impl Checker<'_> {
    fn span(&self, node: &impl Ranged) -> Span {
        let range = node.range();
        crate::source::span_in_pieces(self.base, self.pieces, range.start..range.end)
    }

    fn finding(&mut self, kind: FindingKind, path: &str, node: &impl Ranged, detail: String) {
        let span = self.span(node);
        self.findings.push(ExampleFinding {
            kind,
            path: path.to_string(),
            span,
            detail,
        });
    }

    fn value(&mut self, value: &Value<'_>, ty: &TypeExpr, path: &str, top: bool) {
        match ty {
            TypeExpr::Json | TypeExpr::Unresolved(_) => {}
            TypeExpr::String
            | TypeExpr::Timestamp
            | TypeExpr::Currency
            | TypeExpr::Id(_)
            | TypeExpr::Secret(_) => self.expect(value, "string", path),
            TypeExpr::Bool => self.expect(value, "boolean", path),
            TypeExpr::Integer => match value {
                Value::NumberLit(n) if n.value.contains(['.', 'e', 'E']) => self.finding(
                    FindingKind::WrongKind,
                    path,
                    value,
                    format!("`{}` where an integer is expected", n.value),
                ),
                _ => self.expect(value, "number", path),
            },
            TypeExpr::Number | TypeExpr::Decimal => self.expect(value, "number", path),
            TypeExpr::Array(inner) => match value {
                Value::Array(array) => {
                    for (i, element) in array.elements.iter().enumerate() {
                        self.value(element, inner, &format!("{path}[{i}]"), false);
                    }
                }
                _ => self.expect(value, "array", path),
            },
            TypeExpr::Named(id) => self.named(value, id, path, top),
            TypeExpr::Update(inner) => self.update_value(value, inner, path),
        }
    }

    fn expect(&mut self, value: &Value<'_>, kind: &str, path: &str) {
        let actual = kind_of(value);
        if actual != kind {
            self.finding(
                FindingKind::WrongKind,
                path,
                value,
                format!("{actual} where the table says {kind}"),
            );
        }
    }

    /// `{ "Value": … }`: the value checked against the wrapped type (`null` clears).
    fn update_value(&mut self, value: &Value<'_>, inner: &TypeExpr, path: &str) {
        match value {
            Value::Object(object) => {
                for prop in &object.properties {
                    let key = prop.name.as_str();
                    let child = format!("{path}.{key}");
                    if key == "Value" {
                        if !matches!(prop.value, Value::NullKeyword(_)) {
                            self.value(&prop.value, inner, &child, false);
                        }
                    } else {
                        self.finding(
                            FindingKind::UnknownProperty,
                            &child,
                            &prop.name,
                            format!("`{key}` is not in the table"),
                        );
                    }
                }
            }
            _ => self.expect(value, "object", path),
        }
    }

    fn named(&mut self, value: &Value<'_>, id: &TypeId, path: &str, top: bool) {
        let api = self.api;
        let Some(def) = api.types.get(id) else { return };
        match &def.kind {
            TypeKind::Struct(s) => match value {
                Value::Object(object) => self.object(&object.properties, value, s, id, path, top),
                _ => self.expect(value, "object", path),
            },
            TypeKind::Enum(e) => match value {
                Value::StringLit(s) if !e.values.iter().any(|v| v.wire == s.value) => self.finding(
                    FindingKind::UnknownEnumValue,
                    path,
                    value,
                    format!("`{}` is not a value of `{}`", s.value, def.title),
                ),
                Value::StringLit(_) => {}
                _ => self.expect(value, "string", path),
            },
            TypeKind::Coproduct(c) => self.coproduct(value, c, &def.title, path),
            TypeKind::UpdateValue(inner) => self.update_value(value, inner, path),
            TypeKind::Map(inner) => match value {
                Value::Object(object) => {
                    for prop in &object.properties {
                        self.value(
                            &prop.value,
                            inner,
                            &format!("{path}.{}", prop.name.as_str()),
                            false,
                        );
                    }
                }
                _ => self.expect(value, "object", path),
            },
            TypeKind::Alias(inner) => self.value(value, inner, path, top),
            TypeKind::OneOf(variants) => {
                // Report against the parameter set the example fits best.
                type Trial = (
                    Vec<ExampleFinding>,
                    BTreeSet<(TypeId, String)>,
                    BTreeSet<(TypeId, String)>,
                );
                let mut best: Option<Trial> = None;
                for variant in variants {
                    let mut relax = BTreeSet::new();
                    let mut lenient = BTreeSet::new();
                    let mut trial = Checker {
                        api,
                        base: self.base,
                        pieces: self.pieces,
                        role: self.role,
                        findings: Vec::new(),
                        relax: &mut relax,
                        lenient: &mut lenient,
                    };
                    trial.named(value, &variant.ty, path, top);
                    let findings = trial.findings;
                    if best
                        .as_ref()
                        .is_none_or(|(b, _, _)| findings.len() < b.len())
                    {
                        best = Some((findings, relax, lenient));
                    }
                }
                if let Some((findings, relax, lenient)) = best {
                    self.findings.extend(findings);
                    self.relax.extend(relax);
                    self.lenient.extend(lenient);
                }
            }
        }
    }

    fn object(
        &mut self,
        props: &[ObjectProp<'_>],
        node: &Value<'_>,
        s: &Struct,
        id: &TypeId,
        path: &str,
        top: bool,
    ) {
        let is_request_body = top && self.role == Role::Request;
        let injected = |key: &str| is_request_body && INJECTED_REQUEST_PROPERTIES.contains(&key);
        for prop in props {
            let key = prop.name.as_str();
            let child = format!("{path}.{key}");
            match s.fields.iter().find(|f| f.wire_name == key) {
                Some(field) => {
                    if matches!(prop.value, Value::NullKeyword(_)) {
                        if field.required && !field.deprecated_optional {
                            self.finding(
                                FindingKind::NullForRequired,
                                &child,
                                &prop.value,
                                format!("`null` for required property `{key}`"),
                            );
                            if self.role == Role::Response {
                                self.relax.insert((id.clone(), key.to_string()));
                            }
                        }
                    } else {
                        let before = self.findings.len();
                        self.value(&prop.value, &field.ty, &child, false);
                        // A value of the wrong kind right at this property (or its list items) would fail to
                        // decode: keep such a response property lenient. Coproducts accept their string form.
                        let wrong_here = self.findings[before..].iter().any(|f| {
                            f.kind == FindingKind::WrongKind
                                && (f.path == child
                                    || f.path
                                        .strip_prefix(child.as_str())
                                        .is_some_and(is_item_index))
                        });
                        let is_coproduct = field
                            .ty
                            .named()
                            .and_then(|t| self.api.types.get(t))
                            .is_some_and(|d| matches!(d.kind, TypeKind::Coproduct(_)));
                        if wrong_here && self.role == Role::Response && !is_coproduct {
                            self.lenient.insert((id.clone(), key.to_string()));
                        }
                    }
                }
                // A free-form body takes any property.
                None if injected(key) || s.free_form => {}
                None => self.finding(
                    FindingKind::UnknownProperty,
                    &child,
                    &prop.name,
                    format!("`{key}` is not in the table"),
                ),
            }
        }
        for field in s
            .fields
            .iter()
            .filter(|f| f.required && !f.deprecated_optional)
        {
            if !props.iter().any(|p| p.name.as_str() == field.wire_name) {
                self.finding(
                    FindingKind::MissingRequired,
                    path,
                    node,
                    format!("required property `{}` is missing", field.wire_name),
                );
                // A missing list decodes as empty; anything else must become optional to decode.
                if self.role == Role::Response && !matches!(field.ty, TypeExpr::Array(_)) {
                    self.relax.insert((id.clone(), field.wire_name.clone()));
                }
            }
        }
    }

    fn coproduct(&mut self, value: &Value<'_>, c: &Coproduct, title: &str, path: &str) {
        let object = match value {
            Value::Object(object) => object,
            Value::StringLit(s) => {
                // The bare discriminator: the client accepts it, the table does not show it.
                self.finding(
                    FindingKind::WrongKind,
                    path,
                    value,
                    format!(
                        "the string `{}` where the table says object `{title}`",
                        s.value
                    ),
                );
                return;
            }
            _ => return self.expect(value, "object", path),
        };
        let discriminator = object.properties.iter().find(|p| p.name.as_str() == c.tag);
        let Some(discriminator) = discriminator else {
            return self.finding(
                FindingKind::MissingRequired,
                path,
                value,
                format!("required property `{}` is missing", c.tag),
            );
        };
        let Value::StringLit(tag) = &discriminator.value else {
            return self.expect(&discriminator.value, "string", &format!("{path}.{}", c.tag));
        };
        let variant = c.variants.iter().find(|v| v.wire == tag.value);
        if variant.is_none() {
            self.finding(
                FindingKind::UnknownEnumValue,
                &format!("{path}.{}", c.tag),
                &discriminator.value,
                format!("`{}` is not a discriminator of `{title}`", tag.value),
            );
        }
        if c.layout == CoproductLayout::Inline {
            // The object is the variant's own, tag included.
            if let Some(payload) = variant.and_then(|v| v.payload.as_ref()) {
                self.value(value, payload, path, false);
            }
            return;
        }
        let payload_keys: BTreeSet<&str> = c
            .variants
            .iter()
            .map(|v| v.payload_property.as_str())
            .collect();
        for prop in &object.properties {
            let key = prop.name.as_str();
            let child = format!("{path}.{key}");
            if key == c.tag {
                continue;
            }
            if !(payload_keys.contains(key) || c.layout == CoproductLayout::Value && key == "Value")
            {
                self.finding(
                    FindingKind::UnknownProperty,
                    &child,
                    &prop.name,
                    format!("`{key}` is not in the table"),
                );
                continue;
            }
            if let Some(v) = variant
                && v.payload_property == key
                && let Some(payload) = &v.payload
                && !matches!(prop.value, Value::NullKeyword(_))
            {
                self.value(&prop.value, payload, &child, false);
            }
        }
    }
}

/// `[3]`: the path suffix of a direct list item.
fn is_item_index(rest: &str) -> bool {
    rest.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn kind_of(value: &Value<'_>) -> &'static str {
    match value {
        Value::StringLit(_) => "string",
        Value::NumberLit(_) => "number",
        Value::BooleanLit(_) => "boolean",
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::NullKeyword(_) => "null",
    }
}
