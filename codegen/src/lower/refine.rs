//! Recovers formats the Markdown does not state in its Type column, by one rule each (see ARCHITECTURE.md):
//!
//! - identifier: a `string` (or `array of string`) property named `…Id`/`…Ids` (or `Id`/`Ids`) whose description
//!   starts with "Unique identifier" becomes an identifier newtype named after the entity, so that the
//!   same entity gets the same identifier kind on every page (the order of the clues is in ARCHITECTURE.md);
//! - timestamp: a `string` (or `array of string`) property named `…Utc` becomes a `Timestamp` (or a list of
//!   them): the suffix is the docs' own convention for a UTC date and time, most descriptions add "ISO 8601",
//!   and some only "in UTC timezone" or nothing.
//!
//! - currency: a `string` (or `array of string`) property whose description starts with "ISO-4217" or
//!   "ISO 4217" ("ISO-4217 code of the Currency.") becomes a `Currency` (an open type: any code is kept);
//!
//! - count: a `number` property whose description starts with "Count of" or "Number of" becomes an `integer`
//!   (a count of things is whole). The examples are checked afterwards against the integer: a fraction in one is
//!   reported and makes the field keep the raw JSON when it does not fit (`Lenient`), so decoding cannot fail.
//!   Every other `number`, and every `decimal`, is emitted as `runtime::Decimal` (the exact digits received),
//!   so the rule is one: counts are integers, the rest are decimals; `integer` stays an integer.
//!
//! Identifiers and timestamps keep the string exactly as received, so a wrong guess can never make a response
//! fail to decode.

use std::collections::{BTreeMap, BTreeSet};

use super::titles::{TypeTitles, split_version, squash};
use crate::ir::*;
use crate::names::{Case, ident};

pub fn recover_formats(api: &mut Api) {
    let titles = TypeTitles::new(api);
    let bodies: BTreeSet<TypeId> = api
        .operations
        .iter()
        .flat_map(|o| [o.request.clone(), o.response.clone()])
        .collect();
    let linked: BTreeMap<TypeId, String> = api
        .types
        .iter()
        .map(|(id, d)| (id.clone(), split_version(&d.title).0))
        .collect();
    let docs = Names {
        titles: &titles,
        linked: &linked,
    };
    // Every identifier property's entity first, so a name the docs leave bare can borrow what they say
    // about the same name elsewhere.
    let mut found: BTreeMap<(TypeId, usize), Entity> = BTreeMap::new();
    for (id, def) in &api.types {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        let owner = Owner {
            name: split_version(&def.title).0,
            is_body: bodies.contains(id),
        };
        for (index, field) in s.fields.iter().enumerate() {
            if string_like(&field.ty).is_some()
                && let Some(entity) = identifier_entity(field, &owner, &docs)
            {
                found.insert((id.clone(), index), entity);
            }
        }
    }
    same_name_same_entity(api, &mut found);

    let mut ids: BTreeMap<String, IdDef> = BTreeMap::new();
    // An identifier is documented from where the API's own pages first name it; events pages (which sort
    // first) only when nothing else does.
    let events = api.events_pages();
    let mut defs: Vec<&mut TypeDef> = api.types.values_mut().collect();
    defs.sort_by_key(|def| events.contains(def.id.page()));
    for def in defs {
        let id = def.id.clone();
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for (index, field) in s.fields.iter_mut().enumerate() {
            if field.ty == TypeExpr::Number && describes_a_count(&field.doc.plain()) {
                field.ty = TypeExpr::Integer;
                continue;
            }
            let Some(is_array) = string_like(&field.ty) else {
                continue;
            };
            if let (false, Some(kind)) = (is_array, secret_kind(&field.wire_name)) {
                field.ty = TypeExpr::Secret(kind);
                continue;
            }
            let wrap = |t: TypeExpr| {
                if is_array {
                    TypeExpr::Array(Box::new(t))
                } else {
                    t
                }
            };
            if let Some(entity) = found.get(&(id.clone(), index)) {
                // One kind per entity, whether a title or a link names it in the plural.
                let entity = titles.singular_title(&entity.name).unwrap_or(&entity.name);
                let name = format!("{}Id", ident(entity, Case::Pascal));
                ids.entry(name.clone()).or_insert_with(|| IdDef {
                    rust_name: String::new(),
                    entity: entity_words(entity),
                    span: field.span,
                });
                field.ty = wrap(TypeExpr::Id(name));
            } else if field.wire_name.ends_with("Utc") {
                field.ty = wrap(TypeExpr::Timestamp);
            } else if describes_a_currency(&field.doc.plain()) {
                field.ty = wrap(TypeExpr::Currency);
            }
        }
    }
    api.ids = ids;
}

/// The redacting type of a string property holding a credential, by its name: `AccessToken` and `ApiKey` (the
/// docs call a regenerated access token an "API key") are access tokens, `ClientToken` a client token. The
/// docs mark nothing as secret, so the name decides; a `[[property]]` override retyping it to `string`
/// undoes this. Tokens the client sends itself are not properties of the generated requests.
fn secret_kind(wire_name: &str) -> Option<SecretKind> {
    match wire_name {
        "AccessToken" | "ApiKey" => Some(SecretKind::AccessToken),
        "ClientToken" => Some(SecretKind::ClientToken),
        _ => None,
    }
}

/// `Some(is_array)` for `string` and `array of string`.
fn string_like(ty: &TypeExpr) -> Option<bool> {
    match ty {
        TypeExpr::String => Some(false),
        TypeExpr::Array(inner) if **inner == TypeExpr::String => Some(true),
        _ => None,
    }
}

/// The entity an identifier names, and how it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entity {
    name: String,
    /// Only the property's own name said it (`BookerId` → booker).
    bare: bool,
}

struct Owner {
    /// The title without its version.
    name: String,
    /// An operation's request or response.
    is_body: bool,
}

/// What names in descriptions can refer to.
struct Names<'a> {
    titles: &'a TypeTitles,
    /// Title (without version) of every type, for links.
    linked: &'a BTreeMap<TypeId, String>,
}

/// A description as words, type references and breaks (punctuation).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    /// A lower-case word.
    Word(String),
    /// A link, or a code span written as a name (`` `Image` ``, `` `Service order` ``): the name, and
    /// whether it is the title of a type in the input.
    Ref {
        name: String,
        known: bool,
    },
    Break,
}

/// The phrase after "identifier(s) of".
#[derive(Debug, Default)]
struct Phrase {
    tokens: Vec<Token>,
    /// It ends at "or": one of several entities ("of the `Customers` or `Companies`"), so it names none.
    alternative: bool,
}

/// The entity a "Unique identifier of …" property names, or `None` if the rule does not apply.
fn identifier_entity(field: &Field, owner: &Owner, docs: &Names<'_>) -> Option<Entity> {
    let wire = field.wire_name.as_str();
    let stem = wire
        .strip_suffix("Ids")
        .or_else(|| wire.strip_suffix("Id"))?;
    let paragraph = field.doc.paragraphs.first()?;
    if !doc_plain(paragraph)
        .trim_start()
        .to_lowercase()
        .starts_with("unique identifier")
    {
        return None;
    }
    let mut tokens = Vec::new();
    tokenize(paragraph, docs, &mut tokens);
    let phrase = object_phrase(&tokens);
    let named = |name: &str| Entity {
        name: name.to_string(),
        bare: false,
    };
    // 1. A type named in the phrase after "identifier of" ("of the restricted exact `Rate`"), a known type
    //    before a name that is not one ("of the `Printer` `Device`").
    let reference = |known: bool| {
        phrase.tokens.iter().find_map(|t| match t {
            Token::Ref { name, known: k } if *k == known => Some(name.clone()),
            _ => None,
        })
    };
    if !phrase.alternative
        && let Some(name) = reference(true).or_else(|| reference(false))
    {
        return Some(named(&name));
    }
    let words = if phrase.alternative {
        String::new()
    } else {
        phrase_words(&phrase.tokens)
    };
    let titled = |words: &str| docs.titles.named(words).first().map(|t| t.name.clone());
    if !stem.is_empty() {
        return Some(named_property_entity(
            stem,
            &tokens,
            &words,
            &owner.name,
            docs,
        ));
    }
    // `Id`/`Ids` of an object: the object itself when the words are how its title ends ("Unique identifier
    // of the category" in `Resource category`), else the type the words name ("of the rate" in `Set rate
    // parameters`), else the longest title inside the owner's that ends the same way ("of the document" in
    // `Identity document update parameters`), else the words ("of the rate restriction" in `Date
    // restriction`), else the owner.
    if !owner.is_body {
        if !words.is_empty() && ends_with_words(&owner.name, &words) {
            return Some(named(&owner.name));
        }
        if let Some(name) = titled(&words) {
            return Some(named(&name));
        }
        if let Some(name) = title_inside(&owner.name, &words, docs.titles) {
            return Some(named(&name));
        }
        if !words.is_empty() {
            return Some(named(&singular_phrase(&words)));
        }
        return Some(named(&owner.name));
    }
    // `Ids` of a request: the words ("Unique identifiers of the resource access tokens"), else the body.
    if let Some(name) = titled(&words) {
        return Some(named(&name));
    }
    if !words.is_empty() {
        return Some(named(&singular_phrase(&words)));
    }
    Some(named(&owner.name))
}

/// The entity of `…Id` when the phrase after "identifier of" names no type.
fn named_property_entity(
    stem: &str,
    tokens: &[Token],
    words: &str,
    owner: &str,
    docs: &Names<'_>,
) -> Entity {
    let named = |name: String| Entity { name, bare: false };
    // 2. A type named anywhere in the description that the property's name ends with: `SurchargeServiceId`,
    //    "… of the surcharging `Service`".
    if let Some(name) = tokens.iter().find_map(|t| match t {
        Token::Ref { name, .. } if stem.ends_with(&ident(name, Case::Pascal)) => Some(name),
        _ => None,
    }) {
        return named(name.clone());
    }
    // 3. The phrase's words, when they and the name agree: the longest type title they end with, when the
    //    name ends with it or it with the name (`OriginalPaymentId`, "of the original payment"; `GroupId`,
    //    "of the Reservation group"); or the type the words name when the name names none
    //    (`CompanyContractIds`, "of the Travel agency contracts").
    let stem_title = title_suffix(stem, docs.titles);
    if let Some(title) = title_suffix(words, docs.titles) {
        let pascal = ident(&title, Case::Pascal);
        if stem.ends_with(&pascal) || pascal.ends_with(stem) {
            return named(title);
        }
    }
    if stem_title.is_none()
        && let Some(title) = docs.titles.named(words).first()
    {
        return named(title.name.clone());
    }
    // 4. The name: the longest type title it ends with (`MotherCompanyId` names a company), else a title
    //    inside the owner's that ends with it (`CategoryId` in `Resource category pricing`), else itself.
    Entity {
        name: stem_title
            .or_else(|| title_inside(owner, &entity_words(stem), docs.titles))
            .unwrap_or_else(|| stem.to_string()),
        bare: true,
    }
}

/// The longest type title `name` ends with, word by word (`original payment`, `MotherCompany`).
fn title_suffix(name: &str, titles: &TypeTitles) -> Option<String> {
    let words: Vec<String> = entity_words(name)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    (0..words.len()).find_map(|start| {
        titles
            .named(&words[start..].join(" "))
            .first()
            .map(|t| t.name.clone())
    })
}

/// Links (to a type, or to a page's anchor), and code spans written as names, are references; the rest
/// are words and breaks.
fn tokenize(inlines: &[DocInline], docs: &Names<'_>, out: &mut Vec<Token>) {
    for inline in inlines {
        match inline {
            DocInline::Text(text) => words(text, out),
            DocInline::Code(code) => match docs.titles.code_span(code).first() {
                Some(titled) => out.push(Token::Ref {
                    name: titled.name.clone(),
                    known: true,
                }),
                None if TypeTitles::is_name(code) => out.push(Token::Ref {
                    name: code.trim().to_string(),
                    known: false,
                }),
                None => words(code, out),
            },
            DocInline::Link { target, children } => match target {
                LinkTarget::Type(id) => match docs.linked.get(id) {
                    Some(name) => out.push(Token::Ref {
                        name: name.clone(),
                        known: true,
                    }),
                    None => tokenize(children, docs, out),
                },
                LinkTarget::Url(url) => out.push(url_entity(url, &doc_plain(children), docs)),
                LinkTarget::Operation(_) => tokenize(children, docs, out),
            },
            DocInline::Emph(c) | DocInline::Strong(c) | DocInline::Strike(c) => {
                tokenize(c, docs, out)
            }
            DocInline::Break => out.push(Token::Break),
        }
    }
}

/// The entity a link to the public docs names: a type its text or anchor names, else the anchor's words
/// (`…/serviceorders#service-order` → service order), else its text in the singular.
fn url_entity(url: &str, text: &str, docs: &Names<'_>) -> Token {
    let anchor = url
        .rsplit_once('#')
        .map(|(_, a)| a)
        .filter(|a| !a.is_empty());
    let titled = |words: &str| docs.titles.named(words).first().map(|t| t.name.clone());
    if let Some(name) = titled(text).or_else(|| anchor.and_then(titled)) {
        return Token::Ref { name, known: true };
    }
    let name = match anchor {
        Some(anchor) => split_version(&anchor.replace('-', " ")).0,
        None => singular_phrase(text),
    };
    Token::Ref { name, known: false }
}

fn words(text: &str, out: &mut Vec<Token>) {
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '-' {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(&mut word)));
        }
        // Quotes around a name do not end the phrase; other punctuation does.
        if !(c.is_whitespace() || matches!(c, '\'' | '"' | '`')) {
            out.push(Token::Break);
        }
    }
    if !word.is_empty() {
        out.push(Token::Word(word));
    }
}

/// The tokens after "identifier(s) of (the)", up to punctuation or a word that starts a clause. A participle
/// right at the start is an adjective ("of the associated account", "of linked Reservations").
fn object_phrase(tokens: &[Token]) -> Phrase {
    const PARTICIPLES: &[&str] = &[
        "assigned",
        "associated",
        "created",
        "linked",
        "related",
        "returned",
        "used",
    ];
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
        "if",
        "or",
        "and",
        "as",
        "is",
        "this",
        "by",
        "belongs",
        "belonging",
        "who",
        "whose",
        "within",
        "at",
    ];
    let word = |t: &Token, w: &[&str]| matches!(t, Token::Word(x) if w.contains(&x.as_str()));
    let Some(start) = tokens
        .windows(2)
        .position(|pair| word(&pair[0], &["identifier", "identifiers"]) && word(&pair[1], &["of"]))
    else {
        return Phrase::default();
    };
    let mut rest = &tokens[start + 2..];
    while let Some(first) = rest.first()
        && word(first, &["the", "a", "an"])
    {
        rest = &rest[1..];
    }
    while let Some(first) = rest.first()
        && word(first, PARTICIPLES)
    {
        rest = &rest[1..];
    }
    let end = rest
        .iter()
        .position(|t| matches!(t, Token::Break) || word(t, STOP) || word(t, PARTICIPLES))
        .unwrap_or(rest.len());
    Phrase {
        tokens: rest[..end].to_vec(),
        alternative: rest.get(end).is_some_and(|t| word(t, &["or"])),
    }
}

/// The phrase's first words (at most three), lower case: "message thread".
fn phrase_words(phrase: &[Token]) -> String {
    phrase
        .iter()
        .flat_map(|t| match t {
            Token::Word(w) => vec![w.clone()],
            Token::Ref { name, .. } => entity_words(name)
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            Token::Break => Vec::new(),
        })
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// "accounting items" → "accounting item": the last word in the singular.
fn singular_phrase(words: &str) -> String {
    match words.trim().rsplit_once(' ') {
        Some((head, last)) => format!("{head} {}", singular(last)),
        None => singular(words),
    }
}

/// Whether `title` ends with `words`, word by word, ignoring case and plurals.
fn ends_with_words(title: &str, words: &str) -> bool {
    let title: Vec<String> = title.split_whitespace().map(squash).collect();
    let words: Vec<String> = words.split_whitespace().map(squash).collect();
    !words.is_empty()
        && title.len() >= words.len()
        && title[title.len() - words.len()..]
            .iter()
            .zip(&words)
            .all(|(a, b)| same_word(a, b))
}

/// Equal, a plural of the other, or a one-letter slip in a long word ("assignement").
fn same_word(a: &str, b: &str) -> bool {
    a == b || singular(a) == b || a == singular(b) || one_letter_apart(a, b)
}

fn one_letter_apart(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if short.len() < 6 || long.len() - short.len() > 1 {
        return false;
    }
    let (short, long): (Vec<char>, Vec<char>) = (short.chars().collect(), long.chars().collect());
    let prefix = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    let rest = |v: &[char], skip: usize| v[(prefix + skip).min(v.len())..].to_vec();
    if short.len() == long.len() {
        rest(&short, 1) == rest(&long, 1)
    } else {
        rest(&short, 0) == rest(&long, 1)
    }
}

/// The longest type title made of consecutive words of `owner`, short of all of them, that ends with
/// `words`.
fn title_inside(owner: &str, words: &str, titles: &TypeTitles) -> Option<String> {
    let owner: Vec<&str> = owner.split_whitespace().collect();
    let mut best: Option<String> = None;
    for start in 0..owner.len() {
        for end in start + 1..=owner.len() {
            if start == 0 && end == owner.len() {
                continue;
            }
            let part = owner[start..end].join(" ");
            if !ends_with_words(&part, words) {
                continue;
            }
            if let Some(t) = titles.named(&part).first()
                && best.as_ref().is_none_or(|b| b.len() < t.name.len())
            {
                best = Some(t.name.clone());
            }
        }
    }
    best
}

/// A property whose entity only its name gave (`BookerId`) takes the entity the docs name for the same
/// property name elsewhere ("Unique identifier of the `Customer` on whose behalf…"), when they all agree.
fn same_name_same_entity(api: &Api, found: &mut BTreeMap<(TypeId, usize), Entity>) {
    let stem_of = |key: &(TypeId, usize)| -> Option<String> {
        let TypeKind::Struct(s) = &api.types.get(&key.0)?.kind else {
            return None;
        };
        let wire = &s.fields.get(key.1)?.wire_name;
        wire.strip_suffix("Ids")
            .or_else(|| wire.strip_suffix("Id"))
            .filter(|stem| !stem.is_empty())
            .map(str::to_string)
    };
    let mut said: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, entity) in found.iter() {
        if !entity.bare
            && let Some(stem) = stem_of(key)
        {
            said.entry(stem)
                .or_default()
                .insert(ident(&entity.name, Case::Pascal));
        }
    }
    let names: BTreeMap<String, String> = found
        .values()
        .map(|e| (ident(&e.name, Case::Pascal), e.name.clone()))
        .collect();
    for (key, entity) in found.iter_mut() {
        if !entity.bare {
            continue;
        }
        let Some(stem) = stem_of(key) else {
            continue;
        };
        if let Some(set) = said.get(&stem)
            && let [only] = set.iter().collect::<Vec<_>>().as_slice()
            && let Some(name) = names.get(*only)
        {
            entity.name = name.clone();
        }
    }
}

/// `ResourceCategory` or `Resource category` → `resource category`, for the identifier's docs.
fn entity_words(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && previous_lower {
            out.push(' ');
        }
        previous_lower = c.is_lowercase();
        out.extend(c.to_lowercase());
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a description says the value counts things: "Count of items…", "Number of copies…".
fn describes_a_count(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    lower.starts_with("count of ") || lower.starts_with("number of ")
}

/// "ISO-4217 code of the Currency.", "ISO 4217 three-letter code, e.g. USD or GBP."
fn describes_a_currency(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with("ISO-4217") || text.starts_with("ISO 4217")
}

/// `categories` → `category`, `rates` → `rate`.
fn singular(word: &str) -> String {
    let word = word.trim();
    if let Some(stem) = word.strip_suffix("ies").filter(|w| !w.is_empty()) {
        return format!("{stem}y");
    }
    word.strip_suffix('s')
        .filter(|w| !w.is_empty())
        .unwrap_or(word)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(text: &str) -> String {
        let mut tokens = Vec::new();
        words(text, &mut tokens);
        phrase_words(&object_phrase(&tokens).tokens)
    }

    #[test]
    fn described_entities() {
        assert_eq!(
            described("Unique identifier of the message thread."),
            "message thread"
        );
        assert_eq!(
            described("Unique identifier of the account (for example Customer)"),
            "account"
        );
        assert_eq!(
            described("Unique identifier of the item linked to this entry."),
            "item"
        );
        assert_eq!(
            described("Unique identifiers of the 'Resource category'."),
            "resource category"
        );
        assert_eq!(
            described("Unique identifier of the associated account (Customer or Company)."),
            "account"
        );
        assert_eq!(described("Unique identifier."), "");
    }

    #[test]
    fn a_phrase_ending_at_or_is_an_alternative() {
        let mut tokens = Vec::new();
        words(
            "Unique identifiers of the Customers or Companies.",
            &mut tokens,
        );
        assert!(object_phrase(&tokens).alternative);
    }

    #[test]
    fn titles_end_with_words_ignoring_case_and_plurals() {
        assert!(ends_with_words("Resource category", "category"));
        assert!(ends_with_words("Reservation groups", "reservation group"));
        assert!(!ends_with_words("Date restriction", "rate restriction"));
        assert!(!ends_with_words("Account update parameters", "account"));
        assert!(ends_with_words("Source assignment", "source assignement"));
        assert!(!ends_with_words("Rate", "date"));
    }

    #[test]
    fn entity_words_split_pascal_names() {
        assert_eq!(entity_words("ResourceCategory"), "resource category");
        assert_eq!(entity_words("Resource category"), "resource category");
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
    fn currencies_are_recognised_by_their_description() {
        assert!(describes_a_currency("ISO-4217 code of the Currency."));
        assert!(describes_a_currency(
            "ISO 4217 three-letter code, e.g. USD or GBP."
        ));
        assert!(!describes_a_currency("Code of Currency."));
        assert!(!describes_a_currency("Currency of the item, ISO-4217."));
    }
}
