//! Money accessors (see ARCHITECTURE.md, "Money"): a struct with exactly one currency property, required,
//! gets a method per decimal property named `…Value` (or `Value`) that gives it as `runtime::Money` in that
//! currency: `Amount` (`Currency`, `NetValue`, `GrossValue`) gets `net()` and `gross()`.
//!
//! The methods are named after the property without `Value` (`value` → `money`); a name another accessor
//! of the struct already takes is skipped. Lenient properties (raw JSON when the value does not fit) get none.

use std::collections::BTreeSet;

use crate::ir::*;
use crate::names::{Case, ident};

pub fn accessors(api: &mut Api) {
    for def in api.types.values_mut() {
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        s.money = of(&s.fields);
    }
}

fn of(fields: &[Field]) -> Vec<MoneyAccessor> {
    let currencies: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.ty == TypeExpr::Currency)
        .map(|(i, _)| i)
        .collect();
    let [currency] = currencies[..] else {
        return Vec::new();
    };
    if fields[currency].is_optional() || fields[currency].lenient {
        return Vec::new();
    }
    let mut taken = BTreeSet::new();
    let mut accessors = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        if !matches!(field.ty, TypeExpr::Number | TypeExpr::Decimal) || field.lenient {
            continue;
        }
        let Some(stem) = field.wire_name.strip_suffix("Value") else {
            continue;
        };
        let method = if stem.is_empty() {
            "money".to_string()
        } else {
            ident(stem, Case::Snake)
        };
        if ["new", "validate"].contains(&method.as_str()) || !taken.insert(method.clone()) {
            continue;
        }
        accessors.push(MoneyAccessor {
            method,
            value: index,
            currency,
        });
    }
    accessors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(wire: &str, ty: TypeExpr, required: bool) -> Field {
        Field::for_test(wire, ty, required)
    }

    #[test]
    fn amounts_get_net_and_gross() {
        let fields = [
            field("Currency", TypeExpr::Currency, true),
            field("NetValue", TypeExpr::Number, false),
            field("GrossValue", TypeExpr::Number, true),
            field("TaxValues", TypeExpr::Json, true),
        ];
        let methods: Vec<(String, usize)> = of(&fields)
            .into_iter()
            .map(|a| (a.method, a.value))
            .collect();
        assert_eq!(methods, [("net".into(), 1), ("gross".into(), 2)]);
    }

    #[test]
    fn one_required_currency_or_nothing() {
        let value = field("Value", TypeExpr::Decimal, true);
        let optional = [field("Currency", TypeExpr::Currency, false), value.clone()];
        assert!(of(&optional).is_empty());
        let two = [
            field("SourceCurrency", TypeExpr::Currency, true),
            field("TargetCurrency", TypeExpr::Currency, true),
            value.clone(),
        ];
        assert!(of(&two).is_empty());
        let one = [field("Currency", TypeExpr::Currency, true), value];
        assert_eq!(of(&one)[0].method, "money");
        let count = [
            field("Currency", TypeExpr::Currency, true),
            field("CountValue", TypeExpr::Integer, true),
            field("Price", TypeExpr::Decimal, true),
        ];
        assert!(of(&count).is_empty());
    }
}
