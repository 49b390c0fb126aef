//! Recovers formats the Markdown does not state in its Type column, by one rule each (see ARCHITECTURE.md):
//!
//! - identifier: a `string` (or `array of string`) property named `…Id`/`…Ids` (or `Id`/`Ids`) whose description
//!   starts with "Unique identifier" becomes an identifier newtype named after the entity;
//! - timestamp: a `string` property named `…Utc` whose description mentions "ISO 8601" becomes a `Timestamp`.
//!
//! - count: a `number` property whose description starts with "Count of" or "Number of" becomes an `integer`
//!   (a count of things is whole). The examples are checked afterwards against the integer: a fraction in one is
//!   reported and makes the field keep the raw JSON when it does not fit (`Lenient`), so decoding cannot fail.
//!
//! Identifiers and timestamps keep the string exactly as received, so a wrong guess can never make a response
//! fail to decode.

use std::collections::BTreeMap;

use crate::ir::*;
use crate::names::{Case, ident};

pub fn recover_formats(api: &mut Api) {
    let titles: BTreeMap<TypeId, String> = api
        .types
        .iter()
        .map(|(id, d)| (id.clone(), d.title.clone()))
        .collect();
    let mut ids: BTreeMap<String, IdDef> = BTreeMap::new();
    for def in api.types.values_mut() {
        let owner = strip_version(&def.title);
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for field in &mut s.fields {
            if field.ty == TypeExpr::Number && describes_a_count(&field.doc.plain()) {
                field.ty = TypeExpr::Integer;
                continue;
            }
            let (is_array, is_string) = match &field.ty {
                TypeExpr::String => (false, true),
                TypeExpr::Array(inner) => (true, **inner == TypeExpr::String),
                _ => (false, false),
            };
            if !is_string {
                continue;
            }
            let text = field.doc.plain();
            if let Some(entity) = identifier_entity(field, &text, &owner, &titles) {
                let name = format!("{}Id", ident(&entity, Case::Pascal));
                ids.entry(name.clone()).or_insert_with(|| IdDef {
                    rust_name: String::new(),
                    entity: entity.to_lowercase(),
                    span: field.span,
                });
                let id = TypeExpr::Id(name);
                field.ty = if is_array {
                    TypeExpr::Array(Box::new(id))
                } else {
                    id
                };
            } else if !is_array && field.wire_name.ends_with("Utc") && text.contains("ISO 8601") {
                field.ty = TypeExpr::Timestamp;
            }
        }
    }
    api.ids = ids;
}

/// Whether a description says the value counts things: "Count of items…", "Number of copies…".
fn describes_a_count(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    lower.starts_with("count of ") || lower.starts_with("number of ")
}

/// The entity a "Unique identifier of …" property names, or `None` if the rule does not apply.
fn identifier_entity(
    field: &Field,
    text: &str,
    owner: &str,
    titles: &BTreeMap<TypeId, String>,
) -> Option<String> {
    let wire = field.wire_name.as_str();
    let stem = wire
        .strip_suffix("Ids")
        .or_else(|| wire.strip_suffix("Id"))?;
    if !text
        .trim_start()
        .to_lowercase()
        .starts_with("unique identifier")
    {
        return None;
    }
    // 1. "Unique identifier of the [Entity](…)": the linked type; or a linked type the name ends with
    //    (`ParentReservationId` … "of the parent [Reservation](…)" names a reservation).
    if let Some(entity) =
        linked_entity(&field.doc, titles).or_else(|| suffix_entity(stem, &field.doc, titles))
    {
        return Some(entity);
    }
    // 2. The property name: `MessageThreadId` names a message thread.
    if !stem.is_empty() {
        return Some(stem.to_string());
    }
    // 3. The words after "identifier of (the)": "Unique identifier of the message thread."
    if let Some(entity) = described_entity(text) {
        return Some(entity);
    }
    // 4. The type that holds the `Id`.
    Some(owner.to_string())
}

/// The title of the link that directly follows "Unique identifier(s) of (the)".
fn linked_entity(doc: &Doc, titles: &BTreeMap<TypeId, String>) -> Option<String> {
    let paragraph = doc.paragraphs.first()?;
    let mut prefix = String::new();
    for inline in paragraph {
        match inline {
            DocInline::Link { target, children } => {
                let lead = prefix.trim().to_lowercase();
                let lead = lead.strip_suffix(" the").unwrap_or(&lead);
                if !(lead.ends_with("identifier of") || lead.ends_with("identifiers of")) {
                    return None;
                }
                return Some(match target {
                    LinkTarget::Type(id) => strip_version(titles.get(id)?),
                    LinkTarget::Url(url) => {
                        let anchor = url
                            .rsplit_once('#')
                            .map(|(_, a)| a)
                            .filter(|a| !a.is_empty());
                        match anchor {
                            Some(anchor) => strip_version(&anchor.replace('-', " ")),
                            None => singular(&doc_plain(children)),
                        }
                    }
                    LinkTarget::Operation(_) => return None,
                });
            }
            other => prefix.push_str(&doc_plain(std::slice::from_ref(other))),
        }
    }
    None
}

/// A linked type whose name the property's name ends with.
fn suffix_entity(stem: &str, doc: &Doc, titles: &BTreeMap<TypeId, String>) -> Option<String> {
    fn links<'a>(inlines: &'a [DocInline], out: &mut Vec<&'a LinkTarget>) {
        for inline in inlines {
            match inline {
                DocInline::Link { target, .. } => out.push(target),
                DocInline::Emph(c) | DocInline::Strong(c) | DocInline::Strike(c) => links(c, out),
                _ => {}
            }
        }
    }
    let mut targets = Vec::new();
    links(doc.paragraphs.first()?, &mut targets);
    targets.into_iter().find_map(|target| match target {
        LinkTarget::Type(id) => {
            let title = strip_version(titles.get(id)?);
            let pascal = ident(&title, Case::Pascal);
            (stem.len() > pascal.len() && stem.ends_with(&pascal)).then_some(title)
        }
        _ => None,
    })
}

fn described_entity(text: &str) -> Option<String> {
    const STOP: &[&str] = &[
        "to",
        "which",
        "that",
        "in",
        "on",
        "for",
        "from",
        "with",
        "of",
        "where",
        "used",
        "assigned",
        "returned",
        "if",
        "or",
        "and",
        "as",
        "is",
        "this",
        "by",
        "linked",
        "belongs",
        "belonging",
        "associated",
        "related",
        "created",
        "whose",
        "within",
        "at",
    ];
    let lower = text.to_lowercase();
    let start = lower.find("identifier of ")? + "identifier of ".len();
    let mut words = Vec::new();
    for word in lower[start..].split_whitespace() {
        let clean: String = word.chars().take_while(|c| c.is_alphanumeric()).collect();
        let ends_sentence = clean.len() != word.len();
        if words.is_empty() && matches!(clean.as_str(), "the" | "a" | "an") {
            continue;
        }
        if clean.is_empty() || STOP.contains(&clean.as_str()) {
            break;
        }
        words.push(clean);
        if ends_sentence || words.len() == 3 {
            break;
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// `Reservation (ver 2023-06-06)` → `Reservation`; `reservation ver 2023 06 06` → `reservation`.
fn strip_version(title: &str) -> String {
    let lower = title.to_lowercase();
    let cut = lower
        .find("(ver ")
        .or_else(|| lower.find(" ver "))
        .unwrap_or(title.len());
    title[..cut].trim().to_string()
}

fn singular(word: &str) -> String {
    let word = word.trim();
    word.strip_suffix('s')
        .filter(|w| !w.is_empty())
        .unwrap_or(word)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_entities() {
        assert_eq!(
            described_entity("Unique identifier of the message thread.").as_deref(),
            Some("message thread")
        );
        assert_eq!(
            described_entity("Unique identifier of the account (for example `Customer`)")
                .as_deref(),
            Some("account")
        );
        assert_eq!(
            described_entity("Unique identifier of the item linked to this entry.").as_deref(),
            Some("item")
        );
        assert_eq!(described_entity("Unique identifier."), None);
    }

    #[test]
    fn counts_are_recognised_by_their_description() {
        assert!(describes_a_count(
            "Count of items to be returned, minimum 1, maximum 1000."
        ));
        assert!(describes_a_count("The number of copies."));
        assert!(!describes_a_count("Amount of tax applied."));
        assert!(!describes_a_count("Discount of the item."));
        assert!(!describes_a_count("Unit count of the item."));
    }

    #[test]
    fn versions_are_stripped_from_titles() {
        assert_eq!(strip_version("Reservation (ver 2023-06-06)"), "Reservation");
        assert_eq!(strip_version("reservation ver 2023 06 06"), "reservation");
        assert_eq!(strip_version("Message"), "Message");
    }
}
