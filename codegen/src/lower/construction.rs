//! How each struct is built in Rust (see ARCHITECTURE.md, "Construction"): `Default` when every property is
//! optional or a flag, else for types that are sent `new(required…)`, its parameters named in an arguments
//! struct when positional ones would be unreadable.

use std::collections::BTreeMap;

use crate::ir::*;

pub fn decide(api: &mut Api) {
    for def in api.types.values_mut() {
        let sent = def.usage.request;
        if let TypeKind::Struct(s) = &mut def.kind {
            s.construction = construction(&s.fields, sent);
        }
    }
}

fn construction(fields: &[Field], sent: bool) -> Construction {
    let required: Vec<&Field> = fields.iter().filter(|f| !f.is_optional()).collect();
    if required.is_empty() {
        return Construction::Default;
    }
    // A lenient flag is a `Lenient<bool>`, which has no default.
    if required
        .iter()
        .all(|f| f.ty == TypeExpr::Bool && !f.lenient)
    {
        return Construction::Flags;
    }
    if !sent {
        return Construction::None;
    }
    let mut per_type: BTreeMap<&TypeExpr, usize> = BTreeMap::new();
    for field in &required {
        *per_type.entry(&field.ty).or_default() += 1;
    }
    let swappable = per_type.values().any(|&n| n > MAX_SAME_TYPE);
    if required.len() > MAX_POSITIONAL || swappable {
        // Named by `naming.rs`.
        Construction::NamedArguments(String::new())
    } else {
        Construction::New {
            same_type: same_type_parameters(fields),
        }
    }
}

/// The constructor's parameters that share a Rust type (the type, leniency and box being the same), by wire
/// name in order, one group per type taken more than once.
fn same_type_parameters(fields: &[Field]) -> Vec<Vec<String>> {
    let mut groups: Vec<(&TypeExpr, bool, bool, Vec<String>)> = Vec::new();
    for field in fields.iter().filter(|f| f.is_constructor_parameter()) {
        match groups.iter_mut().find(|(ty, lenient, boxed, _)| {
            **ty == field.ty && *lenient == field.lenient && *boxed == field.boxed
        }) {
            Some((_, _, _, names)) => names.push(field.wire_name.clone()),
            None => groups.push((
                &field.ty,
                field.lenient,
                field.boxed,
                vec![field.wire_name.clone()],
            )),
        }
    }
    groups
        .into_iter()
        .map(|(_, _, _, names)| names)
        .filter(|names| names.len() > 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(ty: TypeExpr, required: bool) -> Field {
        Field::for_test("X", ty, required)
    }

    fn named(name: &str, ty: TypeExpr, required: bool) -> Field {
        Field::for_test(name, ty, required)
    }

    #[test]
    fn flags_get_default_and_swappable_or_many_parameters_get_names() {
        use TypeExpr::*;
        let flags = [field(Bool, true), field(Bool, true), field(String, false)];
        assert_eq!(construction(&flags, true), Construction::Flags);
        assert_eq!(
            construction(&[field(String, false)], true),
            Construction::Default
        );
        assert_eq!(construction(&[], false), Construction::Default);
        let two = [
            named("A", String, true),
            named("B", String, true),
            field(Bool, true),
            named("C", String, false),
        ];
        assert_eq!(
            construction(&two, true),
            Construction::New {
                same_type: vec![vec!["A".to_string(), "B".to_string()]]
            }
        );
        assert_eq!(construction(&two, false), Construction::None);
        let three = [
            field(String, true),
            field(Integer, true),
            field(String, true),
            field(String, true),
        ];
        assert_eq!(
            construction(&three, true),
            Construction::NamedArguments(std::string::String::new())
        );
        let many: Vec<Field> = (0..8).map(|i| field(Id(format!("A{i}")), true)).collect();
        assert_eq!(
            construction(&many, true),
            Construction::NamedArguments(std::string::String::new())
        );
        assert_eq!(
            construction(&many[..7], true),
            Construction::New { same_type: vec![] }
        );
    }
}
