//! How changes are put in words: type expressions and contracts by title, text differences in brief,
//! inline code and quotes.

use super::surface::*;

/// What changed in a description, briefly: the link targets when only they changed, else the words that
/// differ (common leading and trailing words left out).
pub(super) fn describe_text_change(before: &str, after: &str) -> String {
    let (old_text, old_links) = split_links(before);
    let (new_text, new_links) = split_links(after);
    if old_text == new_text {
        let removed: Vec<&String> = old_links
            .iter()
            .filter(|l| !new_links.contains(l))
            .collect();
        let added: Vec<&String> = new_links
            .iter()
            .filter(|l| !old_links.contains(l))
            .collect();
        if let ([a], [b]) = (removed.as_slice(), added.as_slice()) {
            return format!("link target changed from {} to {}", code(a), code(b));
        }
        return "link targets changed".to_string();
    }
    let old_words: Vec<&str> = before.split_whitespace().collect();
    let new_words: Vec<&str> = after.split_whitespace().collect();
    let prefix = old_words
        .iter()
        .zip(&new_words)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old_words[prefix..]
        .iter()
        .rev()
        .zip(new_words[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_part = excerpt(&old_words[prefix..old_words.len() - suffix]);
    let new_part = excerpt(&new_words[prefix..new_words.len() - suffix]);
    match (old_part.is_empty(), new_part.is_empty()) {
        (true, true) => "description changed (line breaks)".to_string(),
        (true, false) => format!("description changed: added {}", code(&new_part)),
        (false, true) => format!("description changed: removed {}", code(&old_part)),
        (false, false) => format!(
            "description changed: {} → {}",
            code(&old_part),
            code(&new_part)
        ),
    }
}

/// Words joined by spaces, cut to about 80 characters.
fn excerpt(words: &[&str]) -> String {
    let text = words.join(" ");
    if text.chars().count() <= 80 {
        return text;
    }
    let cut: String = text.chars().take(79).collect();
    format!("{}…", cut.trim_end())
}

/// The text with `(target)` of each `[text](target)` link taken out, and the targets.
fn split_links(text: &str) -> (String, Vec<String>) {
    let mut plain = String::with_capacity(text.len());
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("](") {
        let after = &rest[start + 2..];
        let Some(end) = after.find(')') else { break };
        plain.push_str(&rest[..start + 1]);
        links.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    plain.push_str(rest);
    (plain, links)
}

/// A type expression in words, named types by title: `array of `Message thread``.
pub fn type_label(r: &TypeRef, surface: &Surface) -> String {
    match r {
        TypeRef::String => "string".to_string(),
        TypeRef::Bool => "boolean".to_string(),
        TypeRef::Integer => "integer".to_string(),
        TypeRef::Number => "number".to_string(),
        TypeRef::Decimal => "decimal".to_string(),
        TypeRef::Json => "any JSON".to_string(),
        TypeRef::Timestamp => "timestamp".to_string(),
        TypeRef::Currency => "currency code".to_string(),
        TypeRef::Secret(kind) => format!("secret {}", code(kind)),
        TypeRef::Id(name) => format!("identifier {}", code(name)),
        TypeRef::Named(id) => match surface.types.get(id) {
            Some(def) if def.is_update_value() => match &def.shape {
                Shape::UpdateValue { of } => format!("update value of {}", type_label(of, surface)),
                _ => code(&def.title),
            },
            Some(def) => match &def.relaxed_copy_of {
                // Two types share the title: say which is the deprecated operation's own.
                Some(_) => format!(
                    "{} (relaxed copy {})",
                    code(&def.title),
                    code(&def.rust_name)
                ),
                None => code(&def.title),
            },
            None => code(id),
        },
        TypeRef::Array(inner) => format!("array of {}", type_label(inner, surface)),
        TypeRef::Update(inner) => format!("update value of {}", type_label(inner, surface)),
        TypeRef::Unresolved(target) => format!("unresolved link {} (any JSON)", code(target)),
    }
}

pub(super) fn limit_words(limits: &Limits) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = limits.max_items {
        out.push(format!("max {n} items"));
    }
    if let Some(n) = limits.max_length {
        out.push(format!("max length {n} characters"));
    }
    if let Some(n) = limits.max_months {
        out.push(format!("max length {n} months"));
    }
    if let Some(n) = limits.min_items {
        out.push(format!("min {n} items"));
    }
    if let Some(n) = limits.min_length {
        out.push(format!("min length {n} characters"));
    }
    if let Some(n) = limits.minimum {
        out.push(format!("minimum {n}"));
    }
    if let Some(n) = limits.maximum {
        out.push(format!("maximum {n}"));
    }
    out
}

/// Inline code that survives backticks in the text.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// A quoted phrase, on one line.
pub(super) fn quote(text: &str) -> String {
    format!(
        "“{}”",
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// `boolean, required` / `array of `Message`, optional, max 1000 items` (and how it is generated when that
/// differs from the contract), with named types as `surface` titles them.
pub(super) fn contract_words(field: &FieldSurface, surface: &Surface) -> String {
    let required = if field.required {
        "required"
    } else {
        "optional"
    };
    let mut words = vec![type_label(&field.ty, surface), required.to_string()];
    words.extend(limit_words(&field.limits));
    if field.deprecated_optional {
        words.push("generated as `Option` because it is deprecated".to_string());
    }
    if field.relaxed {
        words.push(
            "generated as `Option` because a response example omits it or sends `null`".to_string(),
        );
    }
    if field.lenient {
        words.push(
            "generated as `Lenient` because a response example sends another kind of value"
                .to_string(),
        );
    }
    if let Some(fallback) = &field.fallback {
        words.push(format!("a fallback for odd docs ({})", code(fallback)));
    }
    words.join(", ")
}

/// A variant's payload in words, named types as `surface` titles them.
pub(super) fn payload_label(variant: &VariantSurface, surface: &Surface) -> String {
    match &variant.payload {
        Some(p) if variant.payload_optional => format!("optional {}", type_label(p, surface)),
        Some(p) => type_label(p, surface),
        None => "no data".to_string(),
    }
}
