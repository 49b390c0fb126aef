//! Value bounds the docs state only in a property's description ("Count of items to be returned, minimum 1,
//! maximum 1000."), read where the wording is unambiguous (see ARCHITECTURE.md, "Value bounds").
//!
//! Phrases (case-insensitive, integers only, inclusive): `minimum N` / `at least N` → minimum;
//! `maximum N` / `at most N` → maximum; `between A and B` and `range (of) A to B` → both; `non-negative`,
//! `must not be negative`, `cannot be negative` → minimum 0; `must be (a) positive …`, `only positive value(s)
//! …` → minimum 1 on integers. A number must stand alone: followed by the end, punctuation or `and`, never by a
//! unit (`maximum 5 days` is a duration, not a value) or a fraction. Bounds apply to numeric properties
//! (integer, number, decimal, and update values of those); anything else, two different bounds for one side, a
//! minimum above the maximum, or `positive` on a non-integer is reported and left unchecked.

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;

/// What a description says about a property's value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Stated {
    minimums: Vec<(i64, String)>,
    maximums: Vec<(i64, String)>,
    /// `must be positive`: a minimum of 1 for integers, an exclusive 0 (not representable) otherwise.
    positive: Option<String>,
    /// A bound word before a number this rule does not read (`between 0.5 and 1`, `maximum 100%`).
    unread: Vec<String>,
}

impl Stated {
    fn is_empty(&self) -> bool {
        self.minimums.is_empty()
            && self.maximums.is_empty()
            && self.positive.is_none()
            && self.unread.is_empty()
    }

    fn phrases(&self) -> String {
        self.minimums
            .iter()
            .chain(&self.maximums)
            .map(|(_, p)| p.as_str())
            .chain(self.positive.as_deref())
            .chain(self.unread.iter().map(String::as_str))
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads value bounds from the descriptions of every struct field.
pub fn recover_bounds(api: &mut Api, diagnostics: &mut Diagnostics) {
    let numeric_updates: BTreeMap<TypeId, bool> = api
        .types
        .iter()
        .filter_map(|(id, def)| match &def.kind {
            TypeKind::UpdateValue(inner) => numeric(inner).map(|integer| (id.clone(), integer)),
            _ => None,
        })
        .collect();
    for def in api.types.values_mut() {
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for field in &mut s.fields {
            let stated = read(&field.doc.plain());
            if stated.is_empty() {
                continue;
            }
            let integer = match &field.ty {
                TypeExpr::Named(id) => numeric_updates.get(id).copied(),
                other => numeric(other),
            };
            let Some(integer) = integer else {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ValueBoundNotChecked,
                        field.span,
                        format!(
                            "the description of `{}` states a value bound ({}), but the property is not a number",
                            field.wire_name,
                            stated.phrases()
                        ),
                    )
                    .with_note("the bound is not checked before sending"),
                );
                continue;
            };
            apply(field, &stated, integer, diagnostics);
        }
    }
}

/// `Some(is_integer)` for numeric expressions.
fn numeric(expr: &TypeExpr) -> Option<bool> {
    match expr {
        TypeExpr::Integer => Some(true),
        TypeExpr::Number | TypeExpr::Decimal => Some(false),
        _ => None,
    }
}

fn apply(field: &mut Field, stated: &Stated, integer: bool, diagnostics: &mut Diagnostics) {
    let mut warn = |message: String| {
        diagnostics.push(
            Diagnostic::new(Code::ValueBoundNotChecked, field.span, message)
                .with_note("that bound is not checked before sending"),
        );
    };
    for phrase in &stated.unread {
        warn(format!(
            "the description of `{}` states a bound with a number this client does not read (`{phrase}`): only whole numbers standing alone are",
            field.wire_name
        ));
    }
    let mut minimums = stated.minimums.clone();
    if let Some(phrase) = &stated.positive {
        if integer {
            minimums.push((1, phrase.clone()));
        } else {
            warn(format!(
                "`{}` is a fractional number and its description says `{phrase}`: an exclusive bound this client does not check",
                field.wire_name
            ));
        }
    }
    let one = |bounds: &[(i64, String)], side: &str, warn: &mut dyn FnMut(String)| {
        let mut values: Vec<i64> = bounds.iter().map(|(n, _)| *n).collect();
        values.sort_unstable();
        values.dedup();
        match values.as_slice() {
            [] => None,
            [n] => Some(*n),
            _ => {
                warn(format!(
                    "the description of `{}` states {} {side}s ({})",
                    field.wire_name,
                    values.len(),
                    bounds
                        .iter()
                        .map(|(_, p)| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                None
            }
        }
    };
    let minimum = one(&minimums, "minimum", &mut warn);
    let maximum = one(&stated.maximums, "maximum", &mut warn);
    if let (Some(min), Some(max)) = (minimum, maximum)
        && min > max
    {
        warn(format!(
            "the description of `{}` states a minimum {min} above its maximum {max}",
            field.wire_name
        ));
        return;
    }
    field.constraints.minimum = minimum;
    field.constraints.maximum = maximum;
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Integer(i64),
    /// A number this rule does not read (a fraction, a percentage, one too large), as written.
    OtherNumber(String),
    Punct,
}

/// Words (with inner hyphens), integers (with an optional sign and `1,000` grouping) and punctuation.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // A minus sign not glued to what precedes it (`-90`, not the `-` of `2023-06-06`).
        let signed = c.is_ascii_digit()
            || (matches!(c, '-' | '−')
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                && (i == 0 || !chars[i - 1].is_alphanumeric()));
        if signed {
            let negative = !c.is_ascii_digit();
            let mut j = if negative { i + 1 } else { i };
            let mut digits = String::new();
            while j < chars.len() {
                if chars[j].is_ascii_digit() {
                    digits.push(chars[j]);
                    j += 1;
                } else if chars[j] == ','
                    && chars
                        .get(j + 1..j + 4)
                        .is_some_and(|g| g.iter().all(char::is_ascii_digit))
                    && !chars.get(j + 4).is_some_and(char::is_ascii_digit)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let fraction =
                chars.get(j) == Some(&'.') && chars.get(j + 1).is_some_and(char::is_ascii_digit);
            let glued = chars
                .get(j)
                .is_some_and(|c| c.is_alphanumeric() || *c == '%');
            let parsed = digits.parse::<i64>();
            while j < chars.len()
                && (chars[j].is_alphanumeric()
                    || chars[j] == '%'
                    || chars[j] == '.' && chars.get(j + 1).is_some_and(char::is_ascii_digit))
            {
                j += 1;
            }
            out.push(match parsed {
                Ok(n) if !fraction && !glued => Token::Integer(if negative { -n } else { n }),
                _ => Token::OtherNumber(chars[i..j].iter().collect()),
            });
            i = j;
        } else if c.is_alphanumeric() {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_alphanumeric()
                    || chars[j] == '-' && chars.get(j + 1).is_some_and(|c| c.is_alphanumeric()))
            {
                j += 1;
            }
            out.push(Token::Word(
                chars[i..j].iter().collect::<String>().to_lowercase(),
            ));
            i = j;
        } else {
            if !c.is_whitespace() {
                out.push(Token::Punct);
            }
            i += 1;
        }
    }
    out
}

/// The bounds a description states.
fn read(text: &str) -> Stated {
    // Every bound holds a number (numbers start with a digit) or says `negative` or `positive`: most
    // descriptions do neither, and need no tokens.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        let lower = text.to_lowercase();
        if !lower.contains("negative") && !lower.contains("positive") {
            return Stated::default();
        }
    }
    let tokens = tokens(text);
    let mut stated = Stated::default();
    let word = |i: usize, w: &str| matches!(tokens.get(i), Some(Token::Word(x)) if x == w);
    let any_word = |i: usize, ws: &[&str]| ws.iter().any(|w| word(i, w));
    // A number followed by nothing, punctuation or `and`: a bare value, not a quantity with a unit.
    let number = |i: usize| match (tokens.get(i), tokens.get(i + 1)) {
        (Some(Token::Integer(n)), None | Some(Token::Punct)) => Some(*n),
        (Some(Token::Integer(n)), Some(Token::Word(w))) if w == "and" => Some(*n),
        _ => None,
    };
    // The text of a number this rule does not read.
    let other = |i: usize| match tokens.get(i) {
        Some(Token::OtherNumber(text)) => Some(text.as_str()),
        _ => None,
    };
    let shown = |i: usize| match tokens.get(i) {
        Some(Token::Integer(n)) => n.to_string(),
        Some(Token::OtherNumber(text)) => text.clone(),
        _ => String::new(),
    };
    for i in 0..tokens.len() {
        // A bound word before a number this rule does not read: reported, not guessed.
        let single = if any_word(i, &["minimum", "maximum"]) {
            Some(if word(i + 1, "of") { i + 2 } else { i + 1 })
        } else if word(i, "at") && any_word(i + 1, &["least", "most"]) {
            Some(i + 2)
        } else {
            None
        };
        if let Some(at) = single
            && let Some(text) = other(at)
        {
            let lead = match &tokens[i] {
                Token::Word(w) if w == "at" => format!("at {}", shown_word(&tokens, i + 1)),
                Token::Word(w) => w.clone(),
                _ => String::new(),
            };
            stated.unread.push(format!("{lead} {text}"));
        }
        let span = if word(i, "between") {
            Some((i + 1, "and", "between"))
        } else if word(i, "range") {
            Some((if word(i + 1, "of") { i + 2 } else { i + 1 }, "to", "range"))
        } else {
            None
        };
        if let Some((at, joint, lead)) = span
            && word(at + 1, joint)
            && (other(at).is_some() || other(at + 2).is_some())
            && !matches!(tokens.get(at), Some(Token::Word(_)))
        {
            stated
                .unread
                .push(format!("{lead} {} {joint} {}", shown(at), shown(at + 2)));
        }
        // `minimum N`, `minimum of N`, `at least N` (and the maxima).
        for (lead, is_min) in [("minimum", true), ("maximum", false)] {
            if word(i, lead) {
                let at = if word(i + 1, "of") { i + 2 } else { i + 1 };
                if let Some(n) = number(at) {
                    let phrase = format!("{lead} {n}");
                    if is_min {
                        &mut stated.minimums
                    } else {
                        &mut stated.maximums
                    }
                    .push((n, phrase));
                }
            }
        }
        if word(i, "at")
            && any_word(i + 1, &["least", "most"])
            && let Some(n) = number(i + 2)
        {
            let is_min = word(i + 1, "least");
            let phrase = format!("at {} {n}", if is_min { "least" } else { "most" });
            if is_min {
                &mut stated.minimums
            } else {
                &mut stated.maximums
            }
            .push((n, phrase));
        }
        // `between A and B`, `range A to B`, `range of A to B`.
        let pair = if word(i, "between") {
            match (tokens.get(i + 1), word(i + 2, "and"), number(i + 3)) {
                (Some(Token::Integer(a)), true, Some(b)) => {
                    Some((*a, b, format!("between {a} and {b}")))
                }
                _ => None,
            }
        } else if word(i, "range") {
            let at = if word(i + 1, "of") { i + 2 } else { i + 1 };
            match (tokens.get(at), word(at + 1, "to"), number(at + 2)) {
                (Some(Token::Integer(a)), true, Some(b)) => {
                    Some((*a, b, format!("range {a} to {b}")))
                }
                _ => None,
            }
        } else {
            None
        };
        if let Some((a, b, phrase)) = pair {
            stated.minimums.push((a.min(b), phrase.clone()));
            stated.maximums.push((a.max(b), phrase));
        }
        // `non-negative`, `must not be negative`, `cannot be negative`.
        if word(i, "non-negative") {
            stated.minimums.push((0, "non-negative".to_string()));
        }
        if word(i, "negative")
            && i >= 2
            && word(i - 1, "be")
            && (word(i - 2, "cannot")
                || (i >= 3 && word(i - 2, "not") && any_word(i - 3, &["must", "may", "can"])))
        {
            stated
                .minimums
                .push((0, "must not be negative".to_string()));
        }
        // `must be (a) positive …`, `only positive value(s) …`.
        let must_be_positive = word(i, "positive")
            && ((i >= 2 && word(i - 2, "must") && word(i - 1, "be"))
                || (i >= 3
                    && word(i - 3, "must")
                    && word(i - 2, "be")
                    && any_word(i - 1, &["a", "an"])));
        let only_positive = word(i, "positive")
            && i >= 1
            && word(i - 1, "only")
            && any_word(
                i + 1,
                &[
                    "value", "values", "number", "numbers", "integer", "integers",
                ],
            );
        if (must_be_positive || only_positive) && stated.positive.is_none() {
            stated.positive = Some(
                if only_positive {
                    "only positive"
                } else {
                    "must be positive"
                }
                .to_string(),
            );
        }
    }
    stated
}

fn shown_word(tokens: &[Token], i: usize) -> &str {
    match tokens.get(i) {
        Some(Token::Word(w)) => w,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(text: &str) -> (Vec<i64>, Vec<i64>, bool) {
        let s = read(text);
        (
            s.minimums.iter().map(|(n, _)| *n).collect(),
            s.maximums.iter().map(|(n, _)| *n).collect(),
            s.positive.is_some(),
        )
    }

    #[test]
    fn reads_the_unambiguous_phrases() {
        assert_eq!(
            bounds("Count of items to be returned, minimum 1, maximum 1000."),
            (vec![1], vec![1000], false)
        );
        assert_eq!(
            bounds("Value must be between 0 and 1."),
            (vec![0], vec![1], false)
        );
        assert_eq!(
            bounds("Value must be between -1 and 1."),
            (vec![-1], vec![1], false)
        );
        assert_eq!(
            bounds("The latitude in range of -90 to 90."),
            (vec![-90], vec![90], false)
        );
        assert_eq!(bounds("Must be non-negative."), (vec![0], vec![], false));
        assert_eq!(
            bounds("Extra capacity. Must not be negative (or null)."),
            (vec![0], vec![], false)
        );
        assert_eq!(
            bounds("Capacity. Must be a positive number."),
            (vec![], vec![], true)
        );
        assert_eq!(
            bounds("People. Only positive value is accepted."),
            (vec![], vec![], true)
        );
        assert_eq!(
            bounds("At least 2 and at most 1,000."),
            (vec![2], vec![1000], false)
        );
        assert_eq!(
            bounds("Minimum of 5; maximum 10"),
            (vec![5], vec![10], false)
        );
    }

    #[test]
    fn leaves_quantities_fractions_and_prose_alone() {
        for text in [
            "The maximum interval is 180 days.",
            "Maximum 5 days.",
            "Maximum number of time units the fee applies to.",
            "Minimum price per time unit.",
            "At least one of the filters must be specified.",
            "At most first six digits and last four digits can be specified.",
            "Relationship between the two customers.",
            "Can be both positive and negative.",
            "A positive offset means the release happens before the start.",
            "Always a positive number.",
            "Amount of item; note a negative amount represents a rebate.",
            "Version 2023-06-06, minimum-stay rules.",
        ] {
            assert_eq!(read(text), Stated::default(), "{text}");
        }
    }

    #[test]
    fn bounds_with_numbers_it_does_not_read_are_kept_to_be_reported() {
        for (text, unread) in [
            ("Between 0.5 and 1.", "between 0.5 and 1"),
            ("In range of 0 to 2.5.", "range 0 to 2.5"),
            ("Maximum 100%.", "maximum 100%"),
            ("At most 1.5 times the price.", "at most 1.5"),
        ] {
            let stated = read(text);
            assert_eq!(stated.unread, [unread], "{text}");
            assert!(stated.minimums.is_empty() && stated.maximums.is_empty());
        }
    }

    #[test]
    fn thousands_are_grouped_and_dates_are_no_numbers() {
        assert_eq!(tokens("1,000"), [Token::Integer(1000)]);
        assert_eq!(
            tokens("1, 000"),
            [Token::Integer(1), Token::Punct, Token::Integer(0)]
        );
        assert_eq!(tokens("2023-06-06")[0], Token::Integer(2023));
        assert_eq!(
            tokens("x -5"),
            [Token::Word("x".into()), Token::Integer(-5)]
        );
        assert_eq!(tokens("5x"), [Token::OtherNumber("5x".into())]);
        assert_eq!(
            tokens("0.5%,"),
            [Token::OtherNumber("0.5%".into()), Token::Punct]
        );
    }
}
