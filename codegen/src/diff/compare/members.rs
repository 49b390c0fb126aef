//! The members of two matching types: properties (type, `Box`, `Option`, limits), enum values, union
//! variants and parameter sets.

use super::*;

impl Comparer<'_> {
    /// The properties of an object; `directions`: whether the type is generated for sending and for
    /// receiving.
    pub(super) fn fields(
        &mut self,
        directions: (bool, bool),
        before: &[FieldSurface],
        after: &[FieldSurface],
    ) {
        let request = directions.0;
        for (wire, pair) in join(by_wire(before), by_wire(after)) {
            let item = Some(Item::new(ItemKind::Property, wire));
            let field = match pair {
                Pair::Both(old, new) => {
                    self.field(directions, old, new);
                    continue;
                }
                Pair::Removed(field) => {
                    let (wire, rust) = (code(wire), code(&field.rust_name));
                    let summary = format!("property {wire} removed (field {rust})");
                    self.push(&field.at, breaking(K::Removed, summary).item(item));
                    continue;
                }
                Pair::Added(field) => field,
            };
            let contract = contract_words(field, self.new);
            let (class, why) = if request && !field.is_optional() {
                (
                    Class::Breaking,
                    "a new required request property: `new` gains a parameter and requests without it are rejected",
                )
            } else if request && field.required {
                (
                    Class::Breaking,
                    "required by the API in requests, so requests without it are rejected",
                )
            } else if request {
                (Class::Additive, "optional, so existing requests stay valid")
            } else {
                (Class::Additive, "a new response property")
            };
            let summary = format!("property {} added ({contract}): {why}", code(wire));
            let change = draft(class, K::Added, summary).item(item);
            self.push(&field.at, change.values(None, Some(contract)));
        }
    }
    fn field(&mut self, directions: (bool, bool), before: &FieldSurface, after: &FieldSurface) {
        let at = &after.at;
        let item = || Some(Item::new(ItemKind::Property, &after.wire));
        let name = code(&after.wire);
        let what = format!("property {name}: field");
        self.renamed(item(), at, &what, &before.rust_name, &after.rust_name);
        if !self.same_ref(&before.ty, &after.ty) {
            let (old, new) = (
                type_label(&before.ty, self.old),
                type_label(&after.ty, self.new),
            );
            let summary = format!("property {name}: type changed from {old} to {new}");
            self.push(
                at,
                breaking(K::Type, summary)
                    .item(item())
                    .before_after(&old, &new),
            );
        }
        if before.lenient != after.lenient {
            let why = match after.lenient {
                true => "now `Lenient` (a response example sends another kind of value)",
                false => "no longer `Lenient` (the examples now agree with the table)",
            };
            let summary = format!("property {name}: {why}, so the field type changes");
            self.push(at, breaking(K::Type, summary).item(item()));
        }
        self.boxed(
            item(),
            at,
            &format!("property {name}"),
            before.boxed,
            after.boxed,
        );
        self.optionality(directions, before, after);
        self.limits(directions.0, before, after);
        self.notes(item(), at, before, after, "property");
        let what = format!("property {name}");
        self.fallback(item(), at, (&before.fallback, &after.fallback), &what);
    }
    fn optionality(
        &mut self,
        (request, response): (bool, bool),
        before: &FieldSurface,
        after: &FieldSurface,
    ) {
        let rust_changed = before.is_optional() != after.is_optional();
        let contract_changed = before.required != after.required;
        if !rust_changed
            && !contract_changed
            && before.relaxed == after.relaxed
            && before.deprecated_optional == after.deprecated_optional
        {
            return;
        }
        let contract = |required: bool| if required { "required" } else { "optional" };
        let what = if contract_changed {
            format!(
                "{} → {}",
                contract(before.required),
                contract(after.required)
            )
        } else {
            format!("still {}", contract(after.required))
        };
        let (class, why) = if rust_changed && after.is_optional() && response {
            (
                Class::Breaking,
                "the field becomes an `Option`: readers must handle `None`",
            )
        } else if rust_changed && after.is_optional() {
            (
                Class::Breaking,
                "the field becomes an `Option`: `new` loses the parameter and code setting it must wrap it in `Some`",
            )
        } else if rust_changed && request {
            (
                Class::Breaking,
                "the field is no longer an `Option`: `new` gains a parameter and requests without it are rejected",
            )
        } else if rust_changed {
            (
                Class::Breaking,
                "the field is no longer an `Option`: code matching `Some`/`None` on it must change",
            )
        } else if request && contract_changed && after.required {
            (
                Class::Breaking,
                "requests without it are now rejected (the field stays an `Option` because a response example omits it)",
            )
        } else if request && contract_changed {
            (
                Class::Additive,
                "requests may now leave it out; the field was already an `Option`",
            )
        } else {
            (
                Class::Docs,
                "the generated field does not change (it stays an `Option`)",
            )
        };
        let summary = format!("property {}: {what}: {why}", code(&after.wire));
        let item = Some(Item::new(ItemKind::Property, &after.wire));
        let (old, new) = (
            contract_words(before, self.old),
            contract_words(after, self.new),
        );
        self.push(
            &after.at,
            draft(class, K::Optionality, summary)
                .item(item)
                .before_after(&old, &new),
        );
    }
    fn limits(&mut self, request: bool, before: &FieldSurface, after: &FieldSurface) {
        let (b, a) = (&before.limits, &after.limits);
        let u = |b: Option<u64>, a: Option<u64>| (b.map(i128::from), a.map(i128::from));
        let i = |b: Option<i64>, a: Option<i64>| (b.map(i128::from), a.map(i128::from));
        // (label, before and after, unit, whether a larger number is the tighter limit)
        let pairs = [
            ("max", u(b.max_items, a.max_items), " items", false),
            (
                "max length",
                u(b.max_length, a.max_length),
                " characters",
                false,
            ),
            (
                "max length",
                u(b.max_months, a.max_months),
                " months",
                false,
            ),
            ("min", u(b.min_items, a.min_items), " items", true),
            (
                "min length",
                u(b.min_length, a.min_length),
                " characters",
                true,
            ),
            ("minimum", i(b.minimum, a.minimum), "", true),
            ("maximum", i(b.maximum, a.maximum), "", false),
        ];
        for (label, (old, new), unit, larger_is_tighter) in pairs {
            if old == new {
                continue;
            }
            let show = |limit: Option<i128>| match limit {
                Some(n) => format!("{label} {n}{unit}"),
                None => "no limit".to_string(),
            };
            let tighter = match (old, new) {
                (None, Some(_)) => true,
                (Some(x), Some(y)) => (y > x) == larger_is_tighter,
                _ => false,
            };
            let (class, why) = match (request, tighter) {
                (true, true) => (
                    Class::Breaking,
                    "requests that passed may now fail validation",
                ),
                (true, false) => (Class::Additive, "requests may send more"),
                (false, _) => (Class::Docs, "a limit on received data, only documented"),
            };
            let (old, new) = (show(old), show(new));
            let summary = format!("property {}: {old} → {new}: {why}", code(&after.wire));
            let item = Some(Item::new(ItemKind::Property, &after.wire));
            self.push(
                &after.at,
                draft(class, K::Limit, summary)
                    .item(item)
                    .before_after(&old, &new),
            );
        }
    }
    pub(super) fn variants(
        &mut self,
        at: &Loc,
        before: &[VariantSurface],
        after: &[VariantSurface],
    ) {
        for (wire, pair) in join(by_wire(before), by_wire(after)) {
            let item = || Some(Item::new(ItemKind::Variant, wire));
            let (old, variant) = match pair {
                Pair::Both(old, variant) => (old, variant),
                Pair::Removed(variant) => {
                    let summary = format!("variant {} removed", code(&variant.rust_name));
                    self.push(at, breaking(K::Removed, summary).item(item()));
                    continue;
                }
                Pair::Added(variant) => {
                    let summary = format!(
                        "variant {} added ({}; the enum is `#[non_exhaustive]` and already decoded it as `Unknown`)",
                        code(&variant.rust_name),
                        payload_label(variant, self.new)
                    );
                    self.push(at, additive(K::Added, summary).item(item()));
                    continue;
                }
            };
            let name = code(&variant.rust_name);
            self.renamed(item(), at, "variant", &old.rust_name, &variant.rust_name);
            let what = format!("variant {name}: the payload");
            self.boxed(item(), at, &what, old.boxed, variant.boxed);
            let same_payload = match (&old.payload, &variant.payload) {
                (Some(a), Some(b)) => {
                    self.same_ref(a, b) && old.payload_optional == variant.payload_optional
                }
                (None, None) => true,
                _ => false,
            };
            if !same_payload || old.property != variant.property {
                let (a, b) = (
                    payload_label(old, self.old),
                    payload_label(variant, self.new),
                );
                let summary = if same_payload {
                    let (x, y) = (code(&old.property), code(&variant.property));
                    format!("variant {name}: payload property changed from {x} to {y}")
                } else {
                    format!("variant {name}: payload changed from {a} to {b}")
                };
                self.push(
                    at,
                    breaking(K::Type, summary).item(item()).before_after(&a, &b),
                );
            }
        }
    }
    pub(super) fn parameter_sets(
        &mut self,
        at: &Loc,
        before: &[ParameterSetSurface],
        after: &[ParameterSetSurface],
    ) {
        // Old parameter sets keyed by the id of the type they match.
        let old = before.iter().map(|v| {
            let key = self
                .map
                .get(v.ty.as_str())
                .copied()
                .unwrap_or(v.ty.as_str());
            (key, v)
        });
        let new = after.iter().map(|v| (v.ty.as_str(), v));
        for (_, pair) in join(old, new) {
            let (variant, kind, what) = match pair {
                Pair::Removed(v) => (v, K::Removed, "removed"),
                Pair::Added(v) => (
                    v,
                    K::Added,
                    "added: the enum of parameter sets is exhaustive, so `match`es on it break",
                ),
                Pair::Both(old, new) => {
                    let name = &new.rust_name;
                    let item = Some(Item::new(ItemKind::ParameterSet, name));
                    let what = format!("parameter set {}", code(name));
                    self.boxed(item, at, &what, old.boxed, new.boxed);
                    continue;
                }
            };
            let name = &variant.rust_name;
            let summary = format!("parameter set {} {what}", code(name));
            let item = Some(Item::new(ItemKind::ParameterSet, name));
            self.push(at, breaking(kind, summary).item(item));
        }
    }

    pub(super) fn values(&mut self, before: &[ValueSurface], after: &[ValueSurface]) {
        for (wire, pair) in join(by_wire(before), by_wire(after)) {
            let item = || Some(Item::new(ItemKind::Value, wire));
            let (name, variant) = (code(wire), |v: &ValueSurface| code(&v.rust_name));
            let (old, value) = match pair {
                Pair::Both(old, value) => (old, value),
                Pair::Removed(value) => {
                    let summary = format!(
                        "enum value {name} removed: code naming variant {} no longer compiles (the value now decodes as `Unknown`)",
                        variant(value)
                    );
                    self.push(&value.at, breaking(K::Removed, summary).item(item()));
                    continue;
                }
                Pair::Added(value) => {
                    let summary = format!(
                        "enum value {name} added (variant {}; the enum is `#[non_exhaustive]` and already decoded it as `Unknown`)",
                        variant(value)
                    );
                    self.push(&value.at, additive(K::Added, summary).item(item()));
                    continue;
                }
            };
            let what = format!("enum value {name}: variant");
            self.renamed(item(), &value.at, &what, &old.rust_name, &value.rust_name);
            self.notes(item(), &value.at, old, value, "enum value");
        }
    }
}
