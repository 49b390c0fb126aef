//! Deprecated is not required: a deprecated property whose Contract says `required` is generated as optional,
//! because a caller must never have to send a deprecated value and a response may stop sending it.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;

/// Marks every deprecated required property of a struct `deprecated_optional`, with a warning at its row.
pub fn optional_when_deprecated(api: &mut Api, diagnostics: &mut Diagnostics) {
    for def in api.types.values_mut() {
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for field in s
            .fields
            .iter_mut()
            .filter(|f| f.required && f.deprecated.is_some())
        {
            field.deprecated_optional = true;
            diagnostics.push(
                Diagnostic::new(
                    Code::DeprecatedRequired,
                    field.span,
                    format!(
                        "property `{}` of `{}` is deprecated, yet its Contract says required",
                        field.wire_name, def.title
                    ),
                )
                .with_note("the field is generated as `Option`: callers may leave it out, and a response may stop sending it"),
            );
        }
    }
}
