//! Which contracts become checks before sending, and which structs are time intervals (see ARCHITECTURE.md,
//! "Checks"): decided here from the constraints and the types, carried in the IR, printed by `emit`. A Contract
//! limit a sent property's type cannot be checked against gets a located `contract-not-checked` warning.

use std::collections::BTreeSet;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;

pub fn decide(api: &mut Api, diagnostics: &mut Diagnostics) {
    for def in api.types.values_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.interval = interval_bounds(&s.fields);
        }
    }
    let intervals = interval_types(api);
    // Decided over the whole API first (an update value's type is looked up), then stored in each field.
    let decided: Vec<(TypeId, Vec<FieldChecks>)> = api
        .types
        .values()
        .filter(|d| d.usage.request)
        .filter_map(|d| match &d.kind {
            TypeKind::Struct(s) => Some((
                d.id.clone(),
                s.fields
                    .iter()
                    .map(|field| checks_of(api, field, &intervals))
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    for (id, fields) in decided {
        let Some(TypeKind::Struct(s)) = api.types.get_mut(&id).map(|d| &mut d.kind) else {
            continue;
        };
        for (field, (checks, unchecked)) in s.fields.iter_mut().zip(fields) {
            field.checks = checks;
            for reason in unchecked {
                diagnostics.push(Diagnostic::new(
                    Code::ContractNotChecked,
                    field.span,
                    format!(
                        "Contract `{reason}` of property `{}` is recorded, not checked before sending",
                        field.wire_name
                    ),
                ));
            }
        }
    }
}

/// A field's checks, and the Contract limits its type cannot be checked against (their Contract text).
type FieldChecks = (Vec<Check>, Vec<String>);

/// A time interval: a struct with non-lenient `StartUtc` and `EndUtc` timestamps (the docs' `Time interval`
/// and its copies), the only bounds `runtime::Interval` can compare.
fn interval_bounds(fields: &[Field]) -> Option<IntervalBounds> {
    let bound = |wire: &str| {
        fields
            .iter()
            .position(|f| f.wire_name == wire && f.ty == TypeExpr::Timestamp && !f.lenient)
    };
    Some(IntervalBounds {
        start: bound("StartUtc")?,
        end: bound("EndUtc")?,
    })
}

/// The interval structs and the aliases of them.
fn interval_types(api: &Api) -> BTreeSet<TypeId> {
    fn is_interval(api: &Api, id: &TypeId, depth: usize) -> bool {
        match api.types.get(id).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s.interval.is_some(),
            Some(TypeKind::Alias(TypeExpr::Named(inner))) if depth < 16 => {
                is_interval(api, inner, depth + 1)
            }
            _ => false,
        }
    }
    api.types
        .keys()
        .filter(|id| is_interval(api, id, 0))
        .cloned()
        .collect()
}

/// The checks of one field, and the Contract limits it has that its type cannot be checked against (value
/// bounds a numeric type does not take are `bounds.rs`'s to report).
fn checks_of(api: &Api, field: &Field, intervals: &BTreeSet<TypeId>) -> FieldChecks {
    let c = field.constraints;
    let limits = [
        c.max_items
            .map(|n| (Check::MaxItems(n), format!("max {n} items"))),
        c.min_items
            .map(|n| (Check::MinItems(n), format!("min {n} items"))),
        c.max_length
            .map(|n| (Check::MaxLength(n), format!("max length {n} characters"))),
        c.min_length
            .map(|n| (Check::MinLength(n), format!("min length {n} characters"))),
        c.max_months.map(|n| {
            (
                Check::MaxMonths(n),
                format!("max length {n} month{}", if n == 1 { "" } else { "s" }),
            )
        }),
    ];
    let bounds = [c.minimum.map(Check::Minimum), c.maximum.map(Check::Maximum)];
    if field.lenient {
        let unchecked = limits.into_iter().flatten().map(|(_, text)| text).collect();
        return (Vec::new(), unchecked);
    }
    // An update value is checked on the value being set.
    let (ty, update) = match api.updated_type(&field.ty) {
        Some(inner) => (inner, true),
        None => (&field.ty, false),
    };
    let text = matches!(
        ty,
        TypeExpr::String
            | TypeExpr::Id(_)
            | TypeExpr::Timestamp
            | TypeExpr::Currency
            | TypeExpr::Secret(_)
    );
    let numeric = matches!(ty, TypeExpr::Integer | TypeExpr::Number | TypeExpr::Decimal);
    let list = matches!(ty, TypeExpr::Array(_)) && !update;
    let interval = matches!(ty, TypeExpr::Named(id) if intervals.contains(id)) && !update;
    let mut checks = Vec::new();
    let mut unchecked = Vec::new();
    for (check, text_of) in limits.into_iter().flatten() {
        let fits = match check {
            Check::MaxItems(_) | Check::MinItems(_) => list,
            Check::MaxLength(_) | Check::MinLength(_) => text,
            Check::MaxMonths(_) => interval,
            Check::Minimum(_) | Check::Maximum(_) => false,
        };
        if fits {
            checks.push(check);
        } else {
            unchecked.push(text_of);
        }
    }
    if numeric {
        checks.extend(bounds.into_iter().flatten());
    }
    (checks, unchecked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_that_fit_the_type_are_checked_and_the_others_reported() {
        let mut months =
            Field::for_test("Date", TypeExpr::Named(TypeId::new("a.md", "date")), true);
        months.constraints.max_months = Some(1);
        let interval = TypeId::new("a.md", "time");
        let mut checked = months.clone();
        checked.ty = TypeExpr::Named(interval.clone());
        let intervals = BTreeSet::from([interval]);
        let none = Api::default();
        assert_eq!(
            checks_of(&none, &months, &intervals),
            (vec![], vec!["max length 1 month".to_string()])
        );
        assert_eq!(
            checks_of(&none, &checked, &intervals),
            (vec![Check::MaxMonths(1)], vec![])
        );
        let mut count = Field::for_test("Count", TypeExpr::Integer, true);
        count.constraints.max_items = Some(5);
        count.constraints.maximum = Some(10);
        assert_eq!(
            checks_of(&none, &count, &intervals),
            (vec![Check::Maximum(10)], vec!["max 5 items".to_string()])
        );
        let mut list = Field::for_test("Ids", TypeExpr::Array(Box::new(TypeExpr::String)), true);
        list.constraints.max_items = Some(1000);
        assert_eq!(
            checks_of(&none, &list, &intervals),
            (vec![Check::MaxItems(1000)], vec![])
        );
    }

    #[test]
    fn only_start_and_end_timestamps_make_an_interval() {
        let time = [
            Field::for_test("StartUtc", TypeExpr::Timestamp, false),
            Field::for_test("EndUtc", TypeExpr::Timestamp, false),
        ];
        assert_eq!(
            interval_bounds(&time),
            Some(IntervalBounds { start: 0, end: 1 })
        );
        let dates = [
            Field::for_test("Start", TypeExpr::String, true),
            Field::for_test("End", TypeExpr::String, true),
        ];
        assert_eq!(interval_bounds(&dates), None);
    }
}
