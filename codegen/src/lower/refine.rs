//! Recovers formats the Markdown does not state in its Type column, by one rule each (see ARCHITECTURE.md):
//!
//! - identifier: a `string` (or `array of string`, an update value of either, or an `array` with no item type)
//!   property named `…Id`/`…Ids` (or `Id`/`Ids`) whose description reads as an identifier's ("Unique
//!   identifier of …", "Identifier of …", "The ID of …") becomes an identifier newtype named after the entity,
//!   so that the same entity gets the same identifier kind on every page (the order of the clues is in
//!   ARCHITECTURE.md). Only an entity the docs define gets a kind; a property that settles on none stays a
//!   string with an `identifier-entity-unsettled` warning;
//! - timestamp: a `string` (or `array of string`, or an update value of either) property named `…Utc` becomes
//!   a `Timestamp` (or a list of them): the suffix is the docs' own convention for a UTC date and time, most
//!   descriptions add "ISO 8601", and some only "in UTC timezone" or nothing.
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
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;
use crate::names::{Case, ident};

pub fn recover_formats(api: &mut Api, diagnostics: &mut Diagnostics) {
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
    let updates: BTreeMap<TypeId, TypeExpr> = api
        .types
        .iter()
        .filter_map(|(id, d)| match &d.kind {
            TypeKind::UpdateValue(inner) => Some((id.clone(), inner.clone())),
            _ => None,
        })
        .collect();
    let docs = Names {
        titles: &titles,
        linked: &linked,
    };
    // Every identifier property's entity first, so a name the docs leave bare can borrow what they say
    // about the same name elsewhere.
    let mut found: BTreeMap<(TypeId, usize), Entity> = BTreeMap::new();
    let mut unsettled: BTreeMap<(TypeId, usize), Unsettled> = BTreeMap::new();
    let mut evidence = Evidence {
        titles: api
            .types
            .iter()
            .filter(|(id, _)| !bodies.contains(*id))
            .map(|(_, d)| {
                let title = split_version(&d.title).0;
                (squash(&title), title)
            })
            .collect(),
        ..Evidence::default()
    };
    for (id, def) in &api.types {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        let owner = Owner {
            name: split_version(&def.title).0,
            is_body: bodies.contains(id),
        };
        for (index, field) in s.fields.iter().enumerate() {
            evidence.read(&field.doc, &docs);
            if slot(&field.ty, &updates).is_none() || stem(&field.wire_name).is_none() {
                continue;
            }
            let key = (id.clone(), index);
            match identifier_entity(field, &owner, &docs) {
                Reading::Entity(entity) => {
                    found.insert(key, entity);
                }
                Reading::External => {
                    unsettled.insert(key, Unsettled::External);
                }
                Reading::NotDescribed => {
                    unsettled.insert(key, Unsettled::NotDescribed);
                }
            }
        }
    }
    same_name_same_entity(api, &mut found);
    // An object nothing else identifies is identified as the type its `Id`'s words name exactly.
    let identified: BTreeSet<String> = found
        .iter()
        .filter(|(key, _)| {
            field_of(api, key)
                .and_then(|f| stem(&f.wire_name))
                .is_some_and(|s| !s.is_empty())
        })
        .map(|(_, e)| squash(&singular_phrase(&entity_words(&e.name))))
        .collect();
    for entity in found.values_mut() {
        if let Some(exact) = entity.kind_of.take()
            && !identified.contains(&squash(&singular_phrase(&entity_words(&entity.name))))
        {
            entity.name = exact;
        }
    }
    // An undescribed `…Id` takes the entity the same property name has everywhere the docs say one.
    let by_name = entities_by_name(api, &found);
    // One without any description is named after its entity (`ResourceFeatureAssignmentIds`), when that is
    // defined.
    for (key, why) in unsettled.iter_mut() {
        let Some(field) = field_of(api, key) else {
            continue;
        };
        if *why != Unsettled::NotDescribed {
            continue;
        }
        if names_another_system(&field.doc.plain()) {
            *why = Unsettled::External;
            continue;
        }
        let Some(stem) = stem(&field.wire_name).filter(|s| !s.is_empty()) else {
            continue;
        };
        if let Some(entity) = by_name.get(stem) {
            found.insert(key.clone(), entity.clone());
            *why = Unsettled::Settled;
        } else if field.doc.is_empty() {
            found.insert(
                key.clone(),
                Entity {
                    name: stem.to_string(),
                    bare: true,
                    alternative: None,
                    phrase: String::new(),
                    kind_of: None,
                    apposition: None,
                },
            );
            *why = Unsettled::Settled;
        }
    }
    unsettled.retain(|_, why| *why != Unsettled::Settled);
    // Only an entity the docs define (a title, or a name they write as a reference) gets a kind; another
    // falls back to a defined entity the words resolve to, else stays a string.
    for (key, entity) in std::mem::take(&mut found) {
        let owner = api
            .types
            .get(&key.0)
            .map(|d| split_version(&d.title).0)
            .unwrap_or_default();
        match settle(&entity, &owner, &titles, &evidence) {
            Some(name) => {
                found.insert(key, Entity { name, ..entity });
            }
            None => {
                unsettled.insert(key, Unsettled::Undefined(entity_words(&entity.name)));
            }
        }
    }

    let mut ids: BTreeMap<String, IdDef> = BTreeMap::new();
    // An identifier is documented from where the API's own pages first name it; events pages (which sort
    // first) only when nothing else does.
    let events = api.events_pages();
    let mut defs: Vec<&mut TypeDef> = api.types.values_mut().collect();
    defs.sort_by_key(|def| events.contains(def.id.page()));
    for def in defs {
        let id = def.id.clone();
        let owner = split_version(&def.title).0;
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for (index, field) in s.fields.iter_mut().enumerate() {
            if field.ty == TypeExpr::Number && describes_a_count(&field.doc.plain()) {
                field.ty = TypeExpr::Integer;
                continue;
            }
            let Some(Slot { is_array, update }) = slot(&field.ty, &updates) else {
                continue;
            };
            if let (false, false, Some(kind)) = (is_array, update, secret_kind(&field.wire_name)) {
                field.ty = TypeExpr::Secret(kind);
                continue;
            }
            let wrap = |t: TypeExpr| {
                let t = if is_array {
                    TypeExpr::Array(Box::new(t))
                } else {
                    t
                };
                if update {
                    TypeExpr::Update(Box::new(t))
                } else {
                    t
                }
            };
            let key = (id.clone(), index);
            if let Some(entity) = found.get(&key) {
                let name = format!("{}Id", ident(&entity.name, Case::Pascal));
                ids.entry(name.clone()).or_insert_with(|| IdDef {
                    rust_name: String::new(),
                    entity: entity_words(&entity.name),
                    span: field.span,
                });
                field.ty = wrap(TypeExpr::Id(name));
            } else if let Some(why) = unsettled.get(&key) {
                if field.ty == TypeExpr::Array(Box::new(TypeExpr::Json)) {
                    field.ty = TypeExpr::Array(Box::new(TypeExpr::String));
                }
                diagnostics.push(Diagnostic::new(
                    Code::IdentifierEntityUnsettled,
                    field.span,
                    format!(
                        "`{owner}.{}` is kept a string: {}",
                        field.wire_name,
                        why.reason()
                    ),
                ));
            } else if field.ty == TypeExpr::Array(Box::new(TypeExpr::Json)) {
                continue;
            } else if field.wire_name.ends_with("Utc") {
                field.ty = wrap(TypeExpr::Timestamp);
            } else if !update && describes_a_currency(&field.doc.plain()) {
                field.ty = wrap(TypeExpr::Currency);
            }
        }
    }
    api.ids = ids;
}

/// Where a format can be recovered: a `string`, an `array of string`, an update value of either, or (for
/// identifiers only) an `array` whose items the docs leave untyped.
#[derive(Clone, Copy, Debug)]
struct Slot {
    is_array: bool,
    update: bool,
}

fn slot(ty: &TypeExpr, updates: &BTreeMap<TypeId, TypeExpr>) -> Option<Slot> {
    match ty {
        TypeExpr::Named(id) => string_like(updates.get(id)?).map(|is_array| Slot {
            is_array,
            update: true,
        }),
        TypeExpr::Array(inner) if **inner == TypeExpr::Json => Some(Slot {
            is_array: true,
            update: false,
        }),
        other => string_like(other).map(|is_array| Slot {
            is_array,
            update: false,
        }),
    }
}

/// `CustomerIds` → `Customer`, `Id` → ``.
fn stem(wire: &str) -> Option<&str> {
    wire.strip_suffix("Ids").or_else(|| wire.strip_suffix("Id"))
}

fn field_of<'a>(api: &'a Api, key: &(TypeId, usize)) -> Option<&'a Field> {
    match &api.types.get(&key.0)?.kind {
        TypeKind::Struct(s) => s.fields.get(key.1),
        _ => None,
    }
}

/// Why an identifier-named property stays a string.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Unsettled {
    /// Its description does not say it identifies something ("Synonym of …", "Mother company identifier").
    NotDescribed,
    /// It identifies something in another system ("from the external system", "in the provider's system").
    External,
    /// The entity it names is defined nowhere in the docs, and its words resolve to no defined one.
    Undefined(String),
    Settled,
}

impl Unsettled {
    fn reason(&self) -> String {
        match self {
            Unsettled::NotDescribed => "its description does not say what it identifies, nor do other properties of its name agree on one entity".to_string(),
            Unsettled::External => "it identifies something in an external system, not an entity of the API".to_string(),
            Unsettled::Undefined(words) => format!("it names \"{words}\", an entity the docs define nowhere (no type, no reference), and no defined entity its words resolve to"),
            Unsettled::Settled => String::new(),
        }
    }
}

/// What the docs say about entities beyond their titles: names they write as references, link texts that
/// name another title than the one they link ("[Address](…#account-address)": an address is an account
/// address), and the entity an alternative stands for ("the account (`Customer` or `Company`)").
#[derive(Default)]
struct Evidence {
    /// Every type's title without its version, events pages included, squashed → as written.
    titles: BTreeMap<String, String>,
    /// Names written as references (`` `Chain` ``, a link to the public docs), squashed → as written.
    referenced: BTreeMap<String, String>,
    /// Squashed link text → the titles it links.
    link_texts: BTreeMap<String, BTreeSet<String>>,
    /// The two alternatives, squashed and sorted → the words naming them.
    alternatives: BTreeMap<(String, String), BTreeSet<String>>,
}

impl Evidence {
    fn read(&mut self, doc: &Doc, docs: &Names<'_>) {
        for paragraph in &doc.paragraphs {
            let mut tokens = Vec::new();
            tokenize(paragraph, docs, &mut tokens);
            for token in &tokens {
                if let Token::Ref { name, known: false } = token {
                    self.referenced
                        .entry(squash(&singular_phrase(&entity_words(name))))
                        .or_insert_with(|| name.clone());
                }
            }
            self.links(paragraph, docs);
            self.alternatives(&doc_plain(paragraph));
        }
    }

    fn links(&mut self, inlines: &[DocInline], docs: &Names<'_>) {
        for inline in inlines {
            match inline {
                DocInline::Link {
                    target: LinkTarget::Type(id),
                    children,
                } => {
                    if let Some(title) = docs.linked.get(id) {
                        let text = doc_plain(children);
                        if let Some(named) = docs.titles.named(&text).first() {
                            self.link_texts
                                .entry(squash(&named.name))
                                .or_default()
                                .insert(title.clone());
                        }
                    }
                }
                DocInline::Emph(c) | DocInline::Strong(c) | DocInline::Strike(c) => {
                    self.links(c, docs)
                }
                _ => {}
            }
        }
    }

    /// "the account (`Customer` or `Company`)": the noun before a parenthesis holding two alternatives.
    fn alternatives(&mut self, text: &str) {
        let mut rest = text;
        while let Some(open) = rest.find('(') {
            let before = &rest[..open];
            let after = &rest[open + 1..];
            let Some(close) = after.find(')') else {
                break;
            };
            let inside = after[..close].replace('`', "");
            let inside = inside.trim();
            let inside = inside.strip_prefix("i.e. ").unwrap_or(inside);
            let mut preceding = before.split_whitespace().rev();
            // A noun after an article ("the account (…)"), not a verb ("is provided (…)").
            if let Some((a, b)) = inside.split_once(" or ")
                && let (Some(word), Some(article)) = (preceding.next(), preceding.next())
                && ["the", "a", "an"].contains(&article.to_lowercase().as_str())
                && [a, b].iter().all(|x| TypeTitles::is_name(x.trim()))
            {
                let pair = ordered(squash(&singular(a)), squash(&singular(b)));
                self.alternatives
                    .entry(pair)
                    .or_default()
                    .insert(singular(word).to_lowercase());
            }
            rest = &after[close + 1..];
        }
    }

    /// Whether the docs define a name as the one of two entities ("the account (`Customer` or `Company`)").
    fn names_alternatives(&self, key: &str) -> bool {
        self.alternatives
            .values()
            .any(|words| words.iter().any(|w| squash(w) == key))
    }

    /// The title a link text stands for when every link written so links one other title.
    fn link_alias(&self, name: &str) -> Option<&str> {
        match self
            .link_texts
            .get(&squash(name))?
            .iter()
            .collect::<Vec<_>>()
            .as_slice()
        {
            [only] if squash(only) != squash(name) => Some(only.as_str()),
            _ => None,
        }
    }
}

fn ordered(a: String, b: String) -> (String, String) {
    if a <= b { (a, b) } else { (b, a) }
}

/// The defined entity an identifier's entity settles on, or `None` when the docs define none it resolves to.
fn settle(
    entity: &Entity,
    owner: &str,
    titles: &TypeTitles,
    evidence: &Evidence,
) -> Option<String> {
    let defined = |name: &str| -> Option<String> {
        let name = titles
            .singular_title(name)
            .map(str::to_string)
            .or_else(|| titles.named(name).first().map(|t| t.name.clone()))
            .or_else(|| {
                let key = squash(&singular_phrase(&entity_words(name)));
                evidence
                    .titles
                    .get(&key)
                    .or_else(|| evidence.referenced.get(&key))
                    .cloned()
                    .or_else(|| evidence.names_alternatives(&key).then(|| name.to_string()))
            })?;
        Some(evidence.link_alias(&name).map_or(name, str::to_string))
    };
    if let Some((a, b)) = &entity.alternative {
        let pair = ordered(squash(&singular(a)), squash(&singular(b)));
        return match evidence
            .alternatives
            .get(&pair)?
            .iter()
            .collect::<Vec<_>>()
            .as_slice()
        {
            [only] => defined(only),
            _ => None,
        };
    }
    let words = entity_words(&entity.name);
    defined(&entity.name)
        // The phrase, when the name is a bare part of it (`ItemIds`, "the Accounting items").
        .or_else(|| {
            (!entity.phrase.is_empty())
                .then(|| defined(&entity.phrase))
                .flatten()
        })
        // The longest defined entity the words end with (`AssociatedAccountId` → account).
        .or_else(|| {
            let words: Vec<&str> = words.split_whitespace().collect();
            (1..words.len()).find_map(|start| defined(&words[start..].join(" ")))
        })
        // A title inside the owner's ending with the last word (`ParentCategoryId` in `Resource category
        // adjustment`).
        .or_else(|| {
            let last = words.split_whitespace().last()?;
            title_inside(owner, last, titles).and_then(|t| defined(&t))
        })
        // The type in apposition ("the Travel Agency (`Company`)").
        .or_else(|| entity.apposition.as_deref().and_then(defined))
}

/// The entity every described property of a name settles on, when they agree (`CustomerId` → customer).
fn entities_by_name(
    api: &Api,
    found: &BTreeMap<(TypeId, usize), Entity>,
) -> BTreeMap<String, Entity> {
    let mut said: BTreeMap<String, BTreeMap<String, Entity>> = BTreeMap::new();
    for (key, entity) in found {
        if let Some(stem) = field_of(api, key).and_then(|f| stem(&f.wire_name))
            && !stem.is_empty()
            && entity.alternative.is_none()
        {
            said.entry(stem.to_string())
                .or_default()
                .insert(squash(&entity.name), entity.clone());
        }
    }
    said.into_iter()
        .filter_map(|(stem, entities)| {
            match entities.into_values().collect::<Vec<_>>().as_slice() {
                [only] => Some((stem, only.clone())),
                _ => None,
            }
        })
        .collect()
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
    /// The phrase names one of two entities ("the Customer or Company"): those two, as written.
    alternative: Option<(String, String)>,
    /// The words of the phrase after "identifier of" ("accounting items").
    phrase: String,
    /// For an object's own `Id` whose words are a title its own ends with: that title.
    kind_of: Option<String>,
    /// A type right after the phrase, in apposition ("the Travel Agency (`Company`)").
    apposition: Option<String>,
}

/// How an identifier-named property's description reads.
enum Reading {
    Entity(Entity),
    External,
    NotDescribed,
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
    /// The word or reference after that "or".
    other: Option<String>,
    /// A known type right after the phrase, behind a parenthesis or a comma.
    apposition: Option<String>,
}

/// The entity an identifier property names ("Unique identifier of …", "Identifier of …", "The ID of …"), or
/// why it names none.
fn identifier_entity(field: &Field, owner: &Owner, docs: &Names<'_>) -> Reading {
    let Some(stem) = stem(&field.wire_name) else {
        return Reading::NotDescribed;
    };
    let Some(paragraph) = field.doc.paragraphs.first() else {
        return Reading::NotDescribed;
    };
    if !describes_an_identifier(&doc_plain(paragraph)) {
        return Reading::NotDescribed;
    }
    if names_another_system(&field.doc.plain()) {
        return Reading::External;
    }
    Reading::Entity(described_entity(stem, paragraph, owner, docs))
}

/// The entity of a description that reads as an identifier's.
fn described_entity(
    stem: &str,
    paragraph: &[DocInline],
    owner: &Owner,
    docs: &Names<'_>,
) -> Entity {
    let mut tokens = Vec::new();
    tokenize(paragraph, docs, &mut tokens);
    let phrase = object_phrase(&tokens);
    let named = |name: &str| Entity {
        name: name.to_string(),
        bare: false,
        alternative: None,
        phrase: phrase_words(&phrase.tokens),
        kind_of: None,
        apposition: phrase.apposition.clone(),
    };
    if phrase.alternative
        && let Some(other) = &phrase.other
    {
        let first = phrase_words(&phrase.tokens);
        if !first.is_empty() {
            return Entity {
                alternative: Some((first, other.clone())),
                ..named(stem)
            };
        }
    }
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
        return named(&name);
    }
    let words = if phrase.alternative {
        String::new()
    } else {
        phrase_words(&phrase.tokens)
    };
    let titled = |words: &str| docs.titles.named(words).first().map(|t| t.name.clone());
    if !stem.is_empty() {
        return Entity {
            phrase: words.clone(),
            apposition: phrase.apposition.clone(),
            ..named_property_entity(stem, &tokens, &words, &owner.name, docs)
        };
    }
    // `Id`/`Ids` of an object: the type the words name exactly ("of the product category" in `Parent product
    // category`), else the object itself when the words are how its title ends ("Unique identifier of the
    // category" in `Resource category`), else the type the words name ("of the rate" in `Set rate
    // parameters`), else the longest title inside the owner's that ends the same way ("of the document" in
    // `Identity document update parameters`), else the words ("of the rate restriction" in `Date
    // restriction`), else the owner.
    if !owner.is_body {
        if !words.is_empty() && ends_with_words(&owner.name, &words) {
            // The type the words name exactly, should nothing else identify the object: a `Parent product
            // category` is a product category, an `Outlet bill` (with `OutletBillIds`) an entity of its own.
            let exact = docs
                .titles
                .named(&words)
                .first()
                .filter(|t| {
                    squash(&t.name) == squash(&words) && squash(&t.name) != squash(&owner.name)
                })
                .map(|t| t.name.clone());
            return Entity {
                kind_of: exact,
                ..named(&owner.name)
            };
        }
        if let Some(name) = titled(&words) {
            return named(&name);
        }
        if let Some(name) = title_inside(&owner.name, &words, docs.titles) {
            return named(&name);
        }
        if !words.is_empty() {
            return named(&singular_phrase(&words));
        }
        return named(&owner.name);
    }
    // `Ids` of a request: the words ("Unique identifiers of the resource access tokens"), else the body.
    if let Some(name) = titled(&words) {
        return named(&name);
    }
    if !words.is_empty() {
        return named(&singular_phrase(&words));
    }
    named(&owner.name)
}

/// The entity of `…Id` when the phrase after "identifier of" names no type.
fn named_property_entity(
    stem: &str,
    tokens: &[Token],
    words: &str,
    owner: &str,
    docs: &Names<'_>,
) -> Entity {
    let named = |name: String| Entity {
        name,
        bare: false,
        alternative: None,
        phrase: String::new(),
        kind_of: None,
        apposition: None,
    };
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
        alternative: None,
        phrase: String::new(),
        kind_of: None,
        apposition: None,
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
    let Some(start) = tokens.windows(2).position(|pair| {
        word(&pair[0], &["identifier", "identifiers", "id", "ids"]) && word(&pair[1], &["of"])
    }) else {
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
    let alternative = rest.get(end).is_some_and(|t| word(t, &["or"]));
    let mut after_or = rest.get(end + 1..).unwrap_or_default();
    while let Some(first) = after_or.first()
        && word(first, &["the", "a", "an"])
    {
        after_or = &after_or[1..];
    }
    let other = after_or.first().and_then(|t| match t {
        Token::Word(w) if alternative => Some(w.clone()),
        Token::Ref { name, .. } if alternative => Some(name.clone()),
        _ => None,
    });
    let apposition = match rest.get(end..end + 2) {
        Some([Token::Break, Token::Ref { name, known: true }]) => Some(name.clone()),
        _ => None,
    };
    Phrase {
        tokens: rest[..end].to_vec(),
        alternative,
        other,
        apposition,
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

/// Whether a description reads as an identifier's: "Unique identifier(s) …", or "(The) (unique) identifier(s)
/// of …", "ID(s) of …", "Array of unique identifiers of …".
fn describes_an_identifier(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    let mut rest = lower.as_str();
    for prefix in ["the ", "an ", "a ", "array of ", "list of "] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let unique = rest.starts_with("unique ");
    rest = rest.strip_prefix("unique ").unwrap_or(rest);
    let Some(after) = ["identifiers", "identifier", "ids", "id"]
        .iter()
        .find_map(|noun| rest.strip_prefix(noun))
    else {
        return false;
    };
    if after.starts_with(|c: char| c.is_alphanumeric()) {
        return false;
    }
    unique || after.starts_with(" of ")
}

/// Whether a description places the identifier in another system ("from the external system", "assigned by
/// the external loyalty provider's system"): it identifies nothing the API defines. ("External" alone is no
/// evidence: an external payment has an identifier of the API.)
fn names_another_system(text: &str) -> bool {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "system")
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
