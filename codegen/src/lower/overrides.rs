//! The reviewed corrections file (`overrides.toml` in the spec folder): each entry changes one fact the
//! docs get wrong and says why. An entry that matches nothing is an error, so stale corrections cannot linger.

use serde::Deserialize;
use toml::Spanned;

use super::links::AnchorIndex;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;
use crate::source::{FileId, Span};

#[derive(Debug, Default)]
pub struct Overrides {
    file: Option<FileId>,
    entries: OverridesFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct OverridesFile {
    #[serde(default)]
    property: Vec<Spanned<PropertyOverride>>,
    #[serde(default)]
    operation: Vec<Spanned<OperationOverride>>,
    #[serde(default)]
    add_property: Vec<Spanned<AddProperty>>,
    #[serde(default)]
    link: Vec<Spanned<LinkOverride>>,
}

/// A link that resolves to nothing, sent where the docs evidently meant it to go.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LinkOverride {
    /// The page the link is on (`operations/rates.md`).
    from: String,
    /// The destination as written on that page (`_objects.md#decimal-update-value`).
    to: String,
    /// The destination to use instead, written as on that page (relative to it).
    redirect: String,
    reason: String,
}

/// A property a table lacks although the API sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AddProperty {
    #[serde(rename = "type")]
    type_id: String,
    property: String,
    /// A primitive: `string`, `boolean`, `integer`, `number`, `decimal`, `any`.
    property_type: String,
    required: bool,
    description: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PropertyOverride {
    /// The type, as `page#anchor` (`guidelines/pagination.md#limitation`).
    #[serde(rename = "type")]
    type_id: String,
    property: String,
    /// A primitive replacing the documented type: `string`, `boolean`, `integer`, `number`, `decimal`, `any`.
    set_type: Option<String>,
    /// Replaces the documented Contract requiredness.
    set_required: Option<bool>,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct OperationOverride {
    /// The endpoint without its prefix (`messages/getAll`).
    endpoint: String,
    /// `safe` (repeatable) or `unsafe`.
    safety: String,
    reason: String,
}

impl Overrides {
    pub fn none() -> Self {
        Overrides::default()
    }

    /// Parses the overrides file; syntax and schema errors are reported and leave no overrides.
    pub fn parse(file: FileId, text: &str, diagnostics: &mut Diagnostics) -> Self {
        match toml::from_str::<OverridesFile>(text) {
            Ok(entries) => {
                let overrides = Overrides {
                    file: Some(file),
                    entries,
                };
                overrides.check_reasons(diagnostics);
                overrides
            }
            Err(error) => {
                let span = error.span().map(|r| Span::new(file, r.start, r.end));
                diagnostics.push(Diagnostic::new(
                    Code::InvalidOverrides,
                    span,
                    format!("invalid overrides file: {}", error.message()),
                ));
                Overrides::default()
            }
        }
    }

    fn span<T>(&self, entry: &Spanned<T>) -> Option<Span> {
        self.file
            .map(|file| Span::new(file, entry.span().start, entry.span().end))
    }

    fn check_reasons(&self, diagnostics: &mut Diagnostics) {
        let empty = self
            .entries
            .property
            .iter()
            .filter(|e| e.get_ref().reason.trim().is_empty())
            .map(|e| self.span(e))
            .chain(
                self.entries
                    .operation
                    .iter()
                    .filter(|e| e.get_ref().reason.trim().is_empty())
                    .map(|e| self.span(e)),
            )
            .chain(
                self.entries
                    .add_property
                    .iter()
                    .filter(|e| e.get_ref().reason.trim().is_empty())
                    .map(|e| self.span(e)),
            )
            .chain(
                self.entries
                    .link
                    .iter()
                    .filter(|e| e.get_ref().reason.trim().is_empty())
                    .map(|e| self.span(e)),
            );
        for span in empty.collect::<Vec<_>>() {
            diagnostics.push(Diagnostic::new(
                Code::OverrideWithoutReason,
                span,
                "every override needs a `reason`",
            ));
        }
    }

    pub fn len(&self) -> usize {
        self.entries.property.len()
            + self.entries.operation.len()
            + self.entries.add_property.len()
            + self.entries.link.len()
    }

    /// Installs the link redirects in the anchor index, before anything is resolved. An entry whose link
    /// resolves by itself (upstream fixed it), whose page is not among the input, or whose redirect resolves
    /// to nothing is an error and is not installed.
    pub(super) fn install_links(&self, index: &mut AnchorIndex, diagnostics: &mut Diagnostics) {
        for entry in &self.entries.link {
            let span = self.span(entry);
            let o = entry.get_ref();
            let (to, redirect) = (o.to.trim(), o.redirect.trim());
            let problem = if !index.has_page(&o.from) {
                Some((
                    Code::OverrideUnmatched,
                    format!(
                        "override for a link on `{}`: the page is not among the input",
                        o.from
                    ),
                ))
            } else if index.resolves(&o.from, to) {
                Some((
                    Code::OverrideUnmatched,
                    format!(
                        "link `{to}` on `{}` resolves now: remove the override",
                        o.from
                    ),
                ))
            } else if !index.resolves(&o.from, redirect) {
                Some((
                    Code::InvalidOverrides,
                    format!(
                        "override redirects link `{to}` on `{}` to `{redirect}`, which resolves to nothing either",
                        o.from
                    ),
                ))
            } else if !index.add_redirect(&o.from, to, redirect) {
                Some((
                    Code::InvalidOverrides,
                    format!("link `{to}` on `{}` is redirected twice", o.from),
                ))
            } else {
                None
            };
            if let Some((code, message)) = problem {
                diagnostics.push(Diagnostic::new(code, span, message));
            }
        }
    }

    /// After lowering: an installed redirect no link used matches nothing on its page.
    pub(super) fn check_links_used(&self, index: &AnchorIndex, diagnostics: &mut Diagnostics) {
        for entry in &self.entries.link {
            let o = entry.get_ref();
            let (to, redirect) = (o.to.trim(), o.redirect.trim());
            if index.redirect_of(&o.from, to) == Some(redirect) && !index.redirect_used(&o.from, to)
            {
                diagnostics.push(Diagnostic::new(
                    Code::OverrideUnmatched,
                    self.span(entry),
                    format!(
                        "override for link `{to}` on `{}` matches no link on that page",
                        o.from
                    ),
                ));
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub fn apply(api: &mut Api, overrides: &Overrides, diagnostics: &mut Diagnostics) {
    for entry in &overrides.entries.add_property {
        let span = overrides.span(entry);
        let o = entry.get_ref();
        let Some(ty) = primitive(&o.property_type) else {
            diagnostics.push(Diagnostic::new(
                Code::InvalidOverrides,
                span,
                format!("`property-type = \"{}\"` is not a primitive (string, boolean, integer, number, decimal, any)", o.property_type),
            ));
            continue;
        };
        let Some(TypeKind::Struct(s)) = api
            .types
            .get_mut(&TypeId(o.type_id.clone()))
            .map(|d| &mut d.kind)
        else {
            diagnostics.push(Diagnostic::new(
                Code::OverrideUnmatched,
                span,
                format!(
                    "override adds a property to `{}`, which is not an object in the docs",
                    o.type_id
                ),
            ));
            continue;
        };
        if s.fields.iter().any(|f| f.wire_name == o.property) {
            diagnostics.push(Diagnostic::new(
                Code::OverrideUnmatched,
                span,
                format!(
                    "override adds `{}` to `{}`, but the docs list it now: remove the override",
                    o.property, o.type_id
                ),
            ));
            continue;
        }
        s.fields.push(Field {
            wire_name: o.property.clone(),
            rust_name: String::new(),
            ty,
            required: o.required,
            relaxed: false,
            lenient: false,
            deprecated_optional: false,
            constraints: Constraints::default(),
            checks: Vec::new(),
            doc: Doc {
                paragraphs: vec![vec![DocInline::Text(o.description.clone())]],
            },
            deprecated: None,
            boxed: false,
            literal: None,
            fallback: None,
            span: span.unwrap_or(Span::new(crate::source::FileId(0), 0, 0)),
        });
    }
    for entry in &overrides.entries.property {
        let span = overrides.span(entry);
        let o = entry.get_ref();
        let field = match api
            .types
            .get_mut(&TypeId(o.type_id.clone()))
            .map(|d| &mut d.kind)
        {
            Some(TypeKind::Struct(s)) => s.fields.iter_mut().find(|f| f.wire_name == o.property),
            _ => None,
        };
        let Some(field) = field else {
            diagnostics.push(Diagnostic::new(
                Code::OverrideUnmatched,
                span,
                format!(
                    "override for `{}` property `{}` matches nothing in the docs",
                    o.type_id, o.property
                ),
            ));
            continue;
        };
        if let Some(name) = &o.set_type {
            match primitive(name) {
                Some(ty) => field.ty = ty,
                None => diagnostics.push(Diagnostic::new(
                    Code::InvalidOverrides,
                    span,
                    format!("`set-type = \"{name}\"` is not a primitive (string, boolean, integer, number, decimal, any)"),
                )),
            }
        }
        if let Some(required) = o.set_required {
            field.required = required;
            // A reviewed requiredness wins over the deprecation rule.
            field.deprecated_optional &= !required;
        }
    }
    for entry in &overrides.entries.operation {
        let span = overrides.span(entry);
        let o = entry.get_ref();
        let safety = match o.safety.as_str() {
            "safe" => Safety::Safe,
            "unsafe" => Safety::Unsafe,
            other => {
                diagnostics.push(Diagnostic::new(
                    Code::InvalidOverrides,
                    span,
                    format!("`safety = \"{other}\"` must be `safe` or `unsafe`"),
                ));
                continue;
            }
        };
        match api.operations.iter_mut().find(|op| op.id == o.endpoint) {
            Some(operation) => {
                operation.safety = safety;
                operation.safety_source = SafetySource::Override;
            }
            None => diagnostics.push(Diagnostic::new(
                Code::OverrideUnmatched,
                span,
                format!(
                    "override for endpoint `{}` matches no operation in the docs",
                    o.endpoint
                ),
            )),
        }
    }
}

fn primitive(name: &str) -> Option<TypeExpr> {
    Some(match name {
        "string" => TypeExpr::String,
        "boolean" => TypeExpr::Bool,
        "integer" => TypeExpr::Integer,
        "number" => TypeExpr::Number,
        "decimal" => TypeExpr::Decimal,
        "any" | "object" => TypeExpr::Json,
        _ => return None,
    })
}
